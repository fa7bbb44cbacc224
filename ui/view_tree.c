/*
 * view_tree.c - the process tree: one row per process, indented, with
 * absolute figures next to the change since the baseline.  A collapsed
 * node shows the totals of its whole subtree.  The selection follows
 * the same process (pid and start time) from sample to sample.
 *
 * Reads t->rows and the screen state; asks the model for PSS/USS of the
 * rows in view only (docs/architecture.md "Cost control").
 */
#include "config.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/fmt.h"
#include "draw.h"
#include "theme.h"
#include "tui.h"

struct tree_key {
	int pid;
	unsigned long long start_time;
};

struct tree {
	size_t *vis;		/* indices into t->rows of the rows shown */
	size_t *hidden;		/* per vis entry: descendants folded into it */
	size_t nvis, cap;
	size_t cur, top;	/* selection and first row in view (vis) */
	int rows_h;		/* process rows of the last layout */
	struct tree_key *coll;	/* collapsed processes */
	size_t ncoll, capcoll;
};

enum {
	TC_PID,
	TC_RSS,
	TC_DRSS,
	TC_PSS,
	TC_USS,
	TC_SHM,
	TC_SWAP,
	TC_CMD,
	TC_OOM,		/* oom_score(oom_score_adj), with the `O` key */
	TC_N
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

/* Rows after i deeper than it: its subtree (rows are depth first). */
static size_t
tree_subtree_len(const struct tui *t, size_t i)
{
	size_t k = i + 1;

	while (k < t->nrows && t->rows[k].depth > t->rows[i].depth)
		k++;
	return k - i - 1;
}

static int
tree_grow(struct tree *d, size_t n)
{
	size_t *v, *h;

	if (n <= d->cap)
		return 0;
	v = realloc(d->vis, n * sizeof *v);
	if (v == NULL)
		return -1;
	d->vis = v;
	h = realloc(d->hidden, n * sizeof *h);
	if (h == NULL)
		return -1;
	d->hidden = h;
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

static void
tree_sync(struct tui *t, void *data)
{
	struct tree *d = data;
	size_t i, k, sel_row = (size_t)-1;
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
	d->nvis = 0;
	for (i = 0; i < t->nrows; i++) {
		const struct tui_row *r = &t->rows[i];

		if (t->sel.valid && r->pid == t->sel.pid &&
		    r->start_time == t->sel.start_time)
			sel_row = i;
		if (skip >= 0 && r->depth > skip)
			continue;
		skip = -1;
		d->vis[d->nvis] = i;
		d->hidden[d->nvis] = 0;
		if (tree_coll_find(d, r) >= 0) {
			d->hidden[d->nvis] = tree_subtree_len(t, i);
			if (d->hidden[d->nvis] > 0)
				skip = r->depth;
		}
		d->nvis++;
	}
	/* The selected process, or the collapsed node it is folded in;
	 * if it is gone, the row that took its place. */
	if (sel_row != (size_t)-1) {
		for (k = d->nvis; k-- > 0;) {
			if (d->vis[k] <= sel_row) {
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
	size_t k, i, end, last;
	int every = t->a->o->pss_every > 0 ? t->a->o->pss_every : 1;

	/* Every pss_every ticks, starting with the first. */
	if (full && (t->ticks - 1) % (unsigned long long)every != 0)
		return;
	end = d->top + (size_t)(d->rows_h > 0 ? d->rows_h : 0);
	if (end > d->nvis)
		end = d->nvis;
	for (k = d->top; k < end; k++) {
		/* A collapsed row shows its subtree: read all of it. */
		last = d->vis[k] + d->hidden[k];
		for (i = d->vis[k]; i <= last && i < t->nrows; i++) {
			r = &t->rows[i];
			if (!full && (r->now.pss >= 0 || r->rollup_err != PROC_OK))
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

	return (int)d->nvis + 1;
}

/* Sum of a figure over rows [i, i + n]; unknown when all are. */
static long long
tree_sum(const struct tui *t, size_t i, size_t n, size_t off, int delta)
{
	long long s = 0, v;
	size_t k;
	int known = 0;

	for (k = i; k <= i + n && k < t->nrows; k++) {
		const struct tui_row *r = &t->rows[k];

		if (delta)
			v = kb_delta(r->now.rss, r->base.rss);
		else
			v = *(const long long *)((const char *)&r->now + off);
		if (delta ? v == KB_UNKNOWN : v < 0)
			continue;
		s += v;
		known = 1;
	}
	if (!known)
		return KB_UNKNOWN;
	return s;
}

/* Columns laid out: TC_OOM only when asked for. */
static size_t
tree_ncols(const struct tui *t)
{
	return t->oom_col ? TC_N : TC_OOM;
}

static void
tree_layout(struct draw_col *c, const struct tui *t)
{
	static char dtitle[16];

	snprintf(dtitle, sizeof dtitle, "%sRSS", fmt_delta_sign(t->utf8));
	c[TC_PID] = (struct draw_col){ "PID", 7, 1, 1, 0, 0, 0 };
	c[TC_RSS] = (struct draw_col){ "RSS", 6, 1, 1, 0, 0, 0 };
	c[TC_DRSS] = (struct draw_col){ dtitle, 7, 2, 1, 0, 0, 0 };
	c[TC_PSS] = (struct draw_col){ "PSS", 6, 3, 1, 0, 0, 0 };
	c[TC_USS] = (struct draw_col){ "USS", 6, 5, 1, 0, 0, 0 };
	c[TC_SHM] = (struct draw_col){ "SHM", 6, 6, 1, 0, 0, 0 };
	c[TC_SWAP] = (struct draw_col){ "SWAP", 6, 4, 1, 0, 0, 0 };
	c[TC_CMD] = (struct draw_col){ "COMMAND", 0, 1, 0, 0, 0, 0 };
	c[TC_OOM] = (struct draw_col){ "OOM(ADJ)", 11, 7, 1, 0, 0, 0 };
	cols_layout(c, tree_ncols(t), COLS, 16);
}

static void
tree_draw_cmd(struct tui *t, int y, const struct draw_col *c,
	      const struct tui_row *r, size_t hidden, attr_t a)
{
	struct draw_line l = { y, c->x, c->x + c->w };
	int i;

	if (!c->shown)
		return;
	for (i = 1; i < r->depth && i < 32; i++)
		draw_put(&l, "   ", a);
	if (r->depth > 0)
		draw_put(&l, t->utf8 ? "\xe2\x94\x94\xe2\x94\x80 " : "`- ", a);
	if (hidden > 0)
		draw_putf(&l, a | A_BOLD, "[+%zu] ", hidden);
	/* The state goes first: a long command line must not clip it. */
	if (r->exited)
		draw_put(&l, "(exited) ", a);
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

/* oom_score(oom_score_adj) of the row's process, from the last sample. */
static void
tree_draw_oom(struct tui *t, int y, const struct draw_col *c,
	      const struct tui_row *r, attr_t a)
{
	const struct cg_member *mb = cgroup_member(&t->a->cg, r->pid);
	char b[48];

	if (!c->shown)
		return;
	if (mb == NULL || r->exited || mb->start_time != r->start_time ||
	    mb->oom_score < 0)
		snprintf(b, sizeof b, "-");
	else if (mb->oom_score_adj == LONG_MIN)
		snprintf(b, sizeof b, "%ld(-)", mb->oom_score);
	else
		snprintf(b, sizeof b, "%ld(%ld)", mb->oom_score,
			 mb->oom_score_adj);
	draw_rjust(y, c->x, c->w, b, a);
}

static void
tree_draw(struct tui *t, void *data, int y, int h, int focused)
{
	struct tree *d = data;
	struct draw_col c[TC_N];
	const struct tui_row *r;
	size_t k, i, n;
	attr_t a;
	int row, sel, plain;

	if (h <= 0)
		return;
	tree_layout(c, t);
	cols_title(y, c, tree_ncols(t),
		   theme_attr[focused ? THEME_TITLE : THEME_TITLE_DIM]);
	d->rows_h = h - 1;
	tree_scroll(d);
	if (d->nvis == 0 && h > 1) {
		draw_text(y + 1, 1, COLS - 1,
			  t->ended ? "no process left" : "no target process",
			  theme_attr[THEME_DIM]);
		return;
	}
	for (row = 0; row < d->rows_h && d->top + (size_t)row < d->nvis;
	     row++) {
		k = d->top + (size_t)row;
		i = d->vis[k];
		n = d->hidden[k];
		r = &t->rows[i];
		sel = k == d->cur;
		plain = sel;
		a = theme_attr[THEME_NORMAL];
		if (sel)
			a = theme_attr[focused ? THEME_SELECT : THEME_SELECT_DIM];
		else if (r->exited)
			a = theme_attr[THEME_DIM];
		if (sel)
			draw_fill(y + 1 + row, 0, COLS, a);
		if (c[TC_PID].shown) {
			char b[16];

			snprintf(b, sizeof b, "%d", r->pid);
			draw_rjust(y + 1 + row, c[TC_PID].x, c[TC_PID].w, b, a);
		}
#define FIG(col, f)                                                            \
	draw_kb(y + 1 + row, &c[col],                                          \
		n ? tree_sum(t, i, n, offsetof(struct proc_figs, f), 0)        \
		  : r->now.f,                                                  \
		a)
		FIG(TC_RSS, rss);
		FIG(TC_PSS, pss);
		FIG(TC_USS, uss);
		FIG(TC_SHM, shmem);
		FIG(TC_SWAP, swap);
#undef FIG
		draw_delta(y + 1 + row, &c[TC_DRSS],
			   n ? tree_sum(t, i, n, 0, 1)
			     : kb_delta(r->now.rss, r->base.rss),
			   a, plain);
		tree_draw_cmd(t, y + 1 + row, &c[TC_CMD], r, n, a);
		if (t->oom_col)
			tree_draw_oom(t, y + 1 + row, &c[TC_OOM], r, a);
	}
}

/* The row of vis entry k's parent in view, or k itself. */
static size_t
tree_parent(const struct tui *t, const struct tree *d, size_t k)
{
	int depth = t->rows[d->vis[k]].depth;
	size_t j = k;

	while (j-- > 0)
		if (t->rows[d->vis[j]].depth < depth)
			return j;
	return k;
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
	case ACT_COLLAPSE:
		if (d->nvis == 0)
			return 1;
		r = &t->rows[d->vis[d->cur]];
		if (d->hidden[d->cur] == 0 &&
		    tree_subtree_len(t, d->vis[d->cur]) > 0) {
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
			d->cur = tree_parent(t, d, d->cur);
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
