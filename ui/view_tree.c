/*
 * view_tree.c - the process tree: one row per process, indented, with
 * absolute figures next to the change since the baseline.  A collapsed
 * node shows the totals of its whole subtree.  The selection follows
 * the same process (pid and start time) from sample to sample.
 *
 * Reads t->rows and the screen state; asks the model for PSS/USS of the
 * rows in view only (docs/architecture.md "Cost control").
 *
 * Why one file of ~650 lines: one screen (STYLE.md, ncdu's habit), whose
 * columns, sort, search, filter and fold all act on the same row list.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/fmt.h"
#include "draw.h"
#include "theme.h"
#include "tui.h"

struct tree_key {
	int pid;
	unsigned long long start_time;
};

struct tree {
	size_t *vis;	/* indices into t->rows of the rows shown */
	size_t *hidden; /* per vis entry: descendants folded into it */
	size_t *ord;	/* the rows in order (tree_order.c) */
	int *odep;	/* their depth as shown */
	int *vdep;	/* per vis entry: its depth as shown */
	size_t *vord;	/* per vis entry: its position in ord */
	size_t nord;
	size_t nvis, cap;
	int y, h;		 /* where it was last drawn */
	struct draw_col c[TC_N]; /* the columns as last drawn */
	int placed;		 /* the first selection was made */
	size_t cur, top;	 /* selection and first row in view (vis) */
	int rows_h;		 /* process rows of the last layout */
	struct tree_key *coll;	 /* collapsed processes */
	size_t ncoll, capcoll;
};

static void *
tree_init(struct tui *t)
{
	struct tree *d = calloc(1, sizeof *d);

	if (d != NULL)
		d->rows_h = LINES;
	return d;
}

static void
tree_free(void *data)
{
	struct tree *d = data;

	if (d == NULL)
		return;
	free(d->vis);
	free(d->hidden);
	free(d->ord);
	free(d->odep);
	free(d->vdep);
	free(d->vord);
	free(d->coll);
	free(d);
}

static long
tree_coll_find(const struct tree *d, const struct tui_row *r)
{
	size_t i;

	for (i = 0; i < d->ncoll; i++)
		if (d->coll[i].pid == r->pid &&
		    d->coll[i].start_time == r->start_time)
			return (long)i;
	return -1;
}

/* Positions after j in the order deeper than it: its subtree. */
static size_t
tree_subtree_len(const struct tree *d, size_t j)
{
	size_t k = j + 1;

	while (k < d->nord && d->odep[k] > d->odep[j])
		k++;
	return k - j - 1;
}

static int
tree_grow(struct tree *d, size_t n)
{
	size_t *v, *h, *o, *vo;
	int *od, *vd;

	if (n <= d->cap)
		return 0;
	v = realloc(d->vis, n * sizeof *v);
	if (v != NULL)
		d->vis = v;
	h = realloc(d->hidden, n * sizeof *h);
	if (h != NULL)
		d->hidden = h;
	o = realloc(d->ord, n * sizeof *o);
	if (o != NULL)
		d->ord = o;
	vo = realloc(d->vord, n * sizeof *vo);
	if (vo != NULL)
		d->vord = vo;
	od = realloc(d->odep, n * sizeof *od);
	if (od != NULL)
		d->odep = od;
	vd = realloc(d->vdep, n * sizeof *vd);
	if (vd != NULL)
		d->vdep = vd;
	if (v == NULL || h == NULL || o == NULL || vo == NULL || od == NULL ||
	    vd == NULL)
		return -1;
	d->cap = n;
	return 0;
}

/* Keep the selection in view. */
static void
tree_scroll(struct tree *d)
{
	size_t h = d->rows_h > 0 ? (size_t)d->rows_h : 1;

	if (d->nvis == 0) {
		d->cur = d->top = 0;
		return;
	}
	if (d->cur >= d->nvis)
		d->cur = d->nvis - 1;
	if (d->cur < d->top)
		d->top = d->cur;
	if (d->cur >= d->top + h)
		d->top = d->cur - h + 1;
	if (d->nvis > h && d->top > d->nvis - h)
		d->top = d->nvis - h;
	if (d->nvis <= h)
		d->top = 0;
}

static void
tree_select(struct tui *t, struct tree *d)
{
	const struct tui_row *r;

	if (d->nvis == 0) {
		t->sel.valid = 0;
		return;
	}
	r = &t->rows[d->vis[d->cur]];
	t->sel.valid = 1;
	t->sel.pid = r->pid;
	t->sel.start_time = r->start_time;
}

/* Where the cursor starts: the first row the user can read (all
 * processes: sorted biggest first, so the largest such process), the
 * target's root otherwise. */
static void
tree_place(struct tui *t, struct tree *d)
{
	uid_t me = geteuid();
	size_t k;

	d->cur = 0;
	for (k = 0; k < d->nvis; k++) {
		const struct tui_row *r = &t->rows[d->vis[k]];

		/* A target: its root (in a flat list too). */
		if (!t->a->m.all) {
			if (r->depth == 0) {
				d->cur = k;
				break;
			}
			continue;
		}
		if (r->status_err == PROC_OK && !r->kthread &&
		    (me == 0 || r->uid == (long)me)) {
			d->cur = k;
			break;
		}
	}
	tree_scroll(d);
	tree_select(t, d);
}

static void
tree_sync(struct tui *t, void *data)
{
	struct tree *d = data;
	size_t i, j, k, sel_row = (size_t)-1;
	int skip = -1;

	if (tree_grow(d, t->nrows) < 0)
		return;
	/* Forget collapsed processes that are gone. */
	if (!t->ended) {
		for (k = 0; k < d->ncoll;) {
			for (i = 0; i < t->nrows; i++)
				if (t->rows[i].pid == d->coll[k].pid &&
				    t->rows[i].start_time ==
					    d->coll[k].start_time)
					break;
			if (i == t->nrows)
				d->coll[k] = d->coll[--d->ncoll];
			else
				k++;
		}
	}
	d->nord = tree_order(t, d->ord, d->odep);
	d->nvis = 0;
	for (j = 0; j < d->nord; j++) {
		const struct tui_row *r = &t->rows[d->ord[j]];

		if (t->sel.valid && r->pid == t->sel.pid &&
		    r->start_time == t->sel.start_time)
			sel_row = j;
		if (skip >= 0 && d->odep[j] > skip)
			continue;
		skip = -1;
		d->vis[d->nvis] = d->ord[j];
		d->vord[d->nvis] = j;
		d->vdep[d->nvis] = d->odep[j];
		d->hidden[d->nvis] = 0;
		if (!t->list.flat && tree_coll_find(d, r) >= 0) {
			d->hidden[d->nvis] = tree_subtree_len(d, j);
			if (d->hidden[d->nvis] > 0)
				skip = d->odep[j];
		}
		d->nvis++;
	}
	if (!d->placed && d->nvis > 0) {
		tree_place(t, d);
		d->placed = 1;
		return;
	}
	/* The selected process, or the collapsed node it is folded in;
	 * if it is gone, the row that took its place. */
	if (sel_row != (size_t)-1) {
		for (k = d->nvis; k-- > 0;) {
			if (d->vord[k] <= sel_row) {
				d->cur = k;
				break;
			}
		}
	}
	tree_scroll(d);
	tree_select(t, d);
}

static void
tree_reads(struct tui *t, void *data, int full)
{
	struct tree *d = data;
	const struct tui_row *r;
	struct proc *p;
	size_t k, j, end, last;
	int every = t->a->o->pss_every > 0 ? t->a->o->pss_every : 1;

	/* Every pss_every ticks, starting with the first. */
	if (full && (t->ticks - 1) % (unsigned long long)every != 0)
		return;
	end = d->top + (size_t)(d->rows_h > 0 ? d->rows_h : 0);
	if (end > d->nvis)
		end = d->nvis;
	for (k = d->top; k < end; k++) {
		/* A collapsed row shows its subtree: read all of it. */
		last = d->vord[k] + d->hidden[k];
		for (j = d->vord[k]; j <= last && j < d->nord; j++) {
			r = &t->rows[d->ord[j]];
			if (!full &&
			    (r->now->pss >= 0 || r->rollup_err != PROC_OK))
				continue;
			p = tui_row_proc(t, r);
			if (p != NULL)
				tui_read_more(t, p, MODEL_ROLLUP);
		}
	}
}

static int
tree_want(struct tui *t, void *data)
{
	struct tree *d = data;

	return (int)d->nvis + 2; /* the title, the rows, the detail line */
}

/* Sum of a figure over order positions [j, j + n]; unknown when all
 * are. */
static long long
tree_sum(const struct tui *t, const struct tree *d, size_t j, size_t n,
	 size_t off, int delta)
{
	long long s = 0, v;
	size_t k;
	int known = 0;

	for (k = j; k <= j + n && k < d->nord; k++) {
		const struct tui_row *r = &t->rows[d->ord[k]];

		if (delta)
			v = kb_delta(r->now->rss, r->base_rss);
		else
			v = *(const long long *)((const char *)r->now + off);
		if (delta ? v == KB_UNKNOWN : v < 0)
			continue;
		s += v;
		known = 1;
	}
	if (!known)
		return KB_UNKNOWN;
	return s;
}

/* The columns chosen, the sorted one marked after its title. */
static void
tree_layout(struct draw_col *c, const struct tui *t)
{
	static char titles[TC_N][24];
	const struct tui_list *l = &t->list;
	const char *mark;
	int i;

	for (i = 0; i < TC_N; i++) {
		mark = i != l->sort ? ""
		       : t->utf8 ? (l->desc ? "\xe2\x96\xbc" : "\xe2\x96\xb2")
		       : l->desc ? "v"
				 : "^";
		if (i == TC_DRSS)
			snprintf(titles[i], sizeof titles[i], "%sRSS%s",
				 fmt_delta_sign(t->utf8), mark);
		else
			snprintf(titles[i], sizeof titles[i], "%s%s",
				 tree_cols[i].name, mark);
		c[i] = (struct draw_col){ titles[i],
					  tree_cols[i].width,
					  tree_cols[i].prio,
					  i != TC_CMD,
					  0,
					  0,
					  0 };
	}
	/* The command is always there. */
	for (i = 0; i < TC_N; i++)
		if (!(l->cols & (1u << i)) && i != TC_CMD)
			c[i].prio = 0;
	cols_layout(c, TC_N, COLS, 16);
}

static void
tree_draw_cmd(struct tui *t, int y, const struct draw_col *c,
	      const struct tui_row *r, int depth, size_t hidden, attr_t a)
{
	struct draw_line l = { y, c->x, c->x + c->w };
	int i;

	if (!c->shown)
		return;
	for (i = 1; i < depth && i < 32; i++)
		draw_put(&l, "   ", a);
	if (depth > 0)
		draw_put(&l, t->utf8 ? "\xe2\x94\x94\xe2\x94\x80 " : "`- ", a);
	if (hidden > 0)
		draw_putf(&l, a | A_BOLD, "[+%zu] ", hidden);
	/* The state goes first: a long command line must not clip it. */
	if (r->exited)
		draw_put(&l, "(exited) ", a);
	else if (r->kthread)
		draw_put(&l, "(kernel thread: no user memory) ", a);
	else if (r->status_err != PROC_OK)
		draw_putf(&l, a, "(%s) ", proc_err_str(r->status_err));
	if (r->cmdline != NULL && r->cmdline[0] != '\0') {
		draw_put(&l, r->cmdline, a);
	} else {
		draw_put(&l, "[", a);
		draw_put(&l, r->comm, a);
		draw_put(&l, "]", a);
	}
}

/* The selected process's whole command line, its end kept when it is
 * too wide (where two similar ones differ), on the panel's last line. */
static void
tree_draw_detail(struct tui *t, const struct tree *d, int y)
{
	struct draw_line l = { y, 0, COLS };
	const struct tui_row *r;

	if (d->nvis == 0)
		return;
	r = &t->rows[d->vis[d->cur]];
	draw_fill(y, 0, COLS, theme_attr[THEME_DIM]);
	draw_putf(&l, theme_attr[THEME_LABEL], "PID %d: ", r->pid);
	if (r->cmdline != NULL && r->cmdline[0] != '\0')
		draw_put_tail(&l, r->cmdline, theme_attr[THEME_HEADER],
			      t->utf8);
	else
		draw_put(&l, r->comm, theme_attr[THEME_HEADER]);
}

/* A score (oom_score, oom_score_adj): the row's own, "-" unknown; a
 * folded subtree has no sum of scores. */
static void
tree_draw_score(int y, const struct draw_col *c, long long v, attr_t a)
{
	char b[24];

	if (!c->shown)
		return;
	if (v == KB_UNKNOWN)
		snprintf(b, sizeof b, "-");
	else
		snprintf(b, sizeof b, "%lld", v);
	draw_rjust(y, c->x, c->w, b, a);
}

static void
tree_draw_row(struct tui *t, struct tree *d, int y, size_t k, int focused)
{
	const struct draw_col *c = d->c;
	size_t i = d->vis[k], n = d->hidden[k], j = d->vord[k];
	const struct tui_row *r = &t->rows[i];
	int sel = k == d->cur, col;
	attr_t a = theme_attr[THEME_NORMAL];
	char b[16];

	if (sel)
		a = theme_attr[focused ? THEME_SELECT : THEME_SELECT_DIM];
	else if (r->exited || r->kthread)
		a = theme_attr[THEME_DIM];
	if (sel)
		draw_fill(y, 0, COLS, a);
	if (c[TC_PID].shown) {
		snprintf(b, sizeof b, "%d", r->pid);
		draw_rjust(y, c[TC_PID].x, c[TC_PID].w, b, a);
	}
	for (col = TC_RSS; col < TC_CMD; col++) {
		if (!tree_col_is_size(col))
			tree_draw_score(y, &c[col], tree_col_fig(r, col), a);
		else if (col == TC_DRSS)
			draw_delta(y, &c[col],
				   n ? tree_sum(t, d, j, n, 0, 1)
				     : kb_delta(r->now->rss, r->base_rss),
				   a, sel);
		else
			draw_kb(y, &c[col],
				n ? tree_sum(t, d, j, n, tree_cols[col].off, 0)
				  : *(const long long *)((const char *)r->now +
							 tree_cols[col].off),
				a);
	}
	tree_draw_cmd(t, y, &c[TC_CMD], r, d->vdep[k], n, a);
}

static void
tree_draw(struct tui *t, void *data, int y, int h, int focused)
{
	struct tree *d = data;
	int row, detail;

	if (h <= 0)
		return;
	d->y = y;
	d->h = h;
	tree_layout(d->c, t);
	cols_title(y, d->c, TC_N,
		   theme_attr[focused ? THEME_TITLE : THEME_TITLE_DIM]);
	/* A detail line once there is room for it. */
	detail = h >= 4;
	d->rows_h = h - 1 - detail;
	tree_scroll(d);
	if (d->nvis == 0 && h > 1) {
		draw_text(y + 1, 1, COLS - 1,
			  t->ended ? "no process left"
			  : t->list.filter[0] != '\0' || t->list.uid >= 0
				  ? "no process matches the filter (\\ or u "
				    "changes it)"
				  : "no target process",
			  theme_attr[THEME_DIM]);
		return;
	}
	for (row = 0; row < d->rows_h && d->top + (size_t)row < d->nvis; row++)
		tree_draw_row(t, d, y + 1 + row, d->top + (size_t)row, focused);
	if (detail)
		tree_draw_detail(t, d, y + h - 1);
}

/* The row of vis entry k's parent in view, or k itself. */
static size_t
tree_parent(const struct tree *d, size_t k)
{
	int depth = d->vdep[k];
	size_t j = k;

	while (j-- > 0)
		if (d->vdep[j] < depth)
			return j;
	return k;
}

/* The next row from `from` (wrapping) whose command line matches the
 * search; 1 if one was found. */
static int
tree_search(struct tui *t, struct tree *d, size_t from)
{
	size_t k, n;

	for (n = 0; n < d->nvis; n++) {
		k = (from + n) % d->nvis;
		if (tree_row_matches(&t->rows[d->vis[k]], t->list.search)) {
			d->cur = k;
			return 1;
		}
	}
	return 0;
}

/* A click: on the title, sort by that column (again: the other way);
 * on a row, select it. */
static void
tree_click(struct tui *t, struct tree *d)
{
	int i, x = t->mouse_x, y = t->mouse_y;

	if (y == d->y) {
		for (i = 0; i < TC_N; i++) {
			if (!d->c[i].shown || x < d->c[i].x ||
			    x > d->c[i].x + d->c[i].w)
				continue;
			if (t->list.sort == i)
				t->list.desc = !t->list.desc;
			else
				tui_list_sort(t, i);
			tui_views_sync(t);
			return;
		}
		return;
	}
	if (y > d->y && y <= d->y + d->rows_h &&
	    d->top + (size_t)(y - d->y - 1) < d->nvis)
		d->cur = d->top + (size_t)(y - d->y - 1);
}

static int
tree_key(struct tui *t, void *data, enum key_act act)
{
	struct tree *d = data;
	size_t page = d->rows_h > 1 ? (size_t)d->rows_h - 1 : 1;
	const struct tui_row *r;
	struct tree_key *nc;
	long ci;

	switch (act) {
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PGUP:
	case ACT_PGDN:
	case ACT_HOME:
	case ACT_END:
		draw_list_move(&d->cur, d->nvis, page, act);
		break;
	case ACT_SEARCH:
	case ACT_SEARCH_NEXT:
		if (t->list.search[0] == '\0')
			return 1;
		/* As you type: from the selection on (it stays while it
		 * still matches); F3: from the next row. */
		if (!tree_search(t, d, act == ACT_SEARCH ? d->cur : d->cur + 1))
			tui_message(t, "no command line contains \"%s\"",
				    t->list.search);
		break;
	case ACT_CLICK:
		if (t->mouse_y < d->y || t->mouse_y >= d->y + d->h)
			return 0;
		tree_click(t, d);
		break;
	case ACT_WHEEL_UP:
	case ACT_WHEEL_DOWN:
		if (t->mouse_y < d->y || t->mouse_y >= d->y + d->h)
			return 0;
		draw_list_move(&d->cur, d->nvis, 3,
			       act == ACT_WHEEL_UP ? ACT_PGUP : ACT_PGDN);
		break;
	case ACT_COLLAPSE:
		if (d->nvis == 0)
			return 1;
		r = &t->rows[d->vis[d->cur]];
		if (!t->list.flat && d->hidden[d->cur] == 0 &&
		    tree_subtree_len(d, d->vord[d->cur]) > 0) {
			if (d->ncoll == d->capcoll) {
				nc = realloc(d->coll,
					     (d->capcoll * 2 + 4) * sizeof *nc);
				if (nc == NULL)
					return 1;
				d->coll = nc;
				d->capcoll = d->capcoll * 2 + 4;
			}
			d->coll[d->ncoll].pid = r->pid;
			d->coll[d->ncoll++].start_time = r->start_time;
			tree_sync(t, d);
		} else {
			d->cur = tree_parent(d, d->cur);
		}
		break;
	case ACT_EXPAND:
		if (d->nvis == 0)
			return 1;
		ci = tree_coll_find(d, &t->rows[d->vis[d->cur]]);
		if (ci >= 0) {
			d->coll[ci] = d->coll[--d->ncoll];
			tree_sync(t, d);
		}
		break;
	case ACT_ENTER:
		if (t->panel_regions >= 0)
			tui_focus_panel(t, t->panel_regions);
		return 1;
	default:
		return 0;
	}
	tree_scroll(d);
	tree_select(t, d);
	t->need_reads = 1;
	return 1;
}

const struct view_ops view_tree_ops = {
	.name = "tree",
	.init = tree_init,
	.free = tree_free,
	.sync = tree_sync,
	.reads = tree_reads,
	.want = tree_want,
	.draw = tree_draw,
	.key = tree_key,
	.input = NULL,
};
