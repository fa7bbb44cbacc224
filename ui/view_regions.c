/*
 * view_regions.c - the memory regions of the focused process: grouped by
 * (type, name) or one row per mapping, sorted by type (with a subtotal
 * line per type), RSS, change, PSS, size or name.  The change is against
 * the process's baseline regions.
 *
 * The rows are a copy (names included), so the last table stays on
 * screen after the process has exited.  Asks the model for the regions
 * of the focused process only, while this panel is on screen.
 *
 * Why one file of ~890 lines: one screen, one file (like ncdu's); its
 * parts (copying the rows, sorting with subtotals, the baseline or last
 * mark to compare with, drawing, keys) all work on its struct regions.
 * The widgets it draws with are draw_widgets.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../src/fmt.h"
#include "draw.h"
#include "theme.h"
#include "tui.h"

enum rsort { RS_TYPE, RS_RSS, RS_DELTA, RS_PSS, RS_SIZE, RS_NAME };

/* The order a sort key asks for. */
static enum rsort
regions_sort_of(enum key_act act)
{
	switch (act) {
	case ACT_SORT_RSS:
		return RS_RSS;
	case ACT_SORT_DELTA:
		return RS_DELTA;
	case ACT_SORT_PSS:
		return RS_PSS;
	case ACT_SORT_SIZE:
		return RS_SIZE;
	case ACT_SORT_NAME:
		return RS_NAME;
	default:
		return RS_TYPE;
	}
}

static const char *const regions_sort_names[] = { "type", "RSS",  "change",
						  "PSS",  "size", "name" };

struct rrow {
	enum region_type type;
	unsigned flags;
	size_t count;
	struct region_fig fig;
	long long delta;     /* KB_UNKNOWN when there is no baseline */
	unsigned long start; /* per-mapping rows */
	char perms[5];
	size_t name;  /* offset in the name pool */
	int subtotal; /* a by-type subtotal line */
	int gone;     /* in the reference, not now: its loss */
};

struct regions {
	enum rsort sort;
	int per_map;

	/* The process's rows: a copy taken at sync time. */
	struct rrow *data;
	size_t ndata, capdata;
	char *pool;
	size_t npool, cappool;
	int have; /* data belongs to (pid, start_time) */
	int pid;
	unsigned long long start_time;
	char comm[64];
	int data_per_map; /* data holds per-mapping rows */
	struct region_fig base_by_type[REGION_NTYPES];
	int base_known;
	size_t n_mappings;
	struct region_fig total;
	/* What the change is against (the `c` key). */
	int data_since_mark;		      /* 1: the last phase mark */
	long mark_index;		      /* that mark, -1 if none */
	char mark_label[PHASE_LABEL_MAX + 1]; /* raw */
	int mark_absent;     /* not alive at the mark: all growth */
	char why[160];	     /* why there are no rows */
	double ref_at;	     /* CLOCK_MONOTONIC of the regions' reference
				 * when later than the process's baseline,
				 * else 0 */
	long long delta_sum; /* the change of all rows; KB_UNKNOWN */

	/* What is shown: data sorted, with subtotal lines. */
	struct rrow *disp;
	size_t ndisp, capdisp;
	size_t cur, top;
	int rows_h;

	/* The last region read asked for. */
	int read_pid;
	unsigned long long read_start, read_tick;
	int read_per_map;
};

enum {
	RC_TYPE,
	RC_FL,
	RC_SIZE,
	RC_RSS,
	RC_DRSS,
	RC_PSS,
	RC_PRIV,
	RC_SHARED,
	RC_SWAP,
	RC_LOCKED,
	RC_COUNT,
	RC_NAME,
	RC_N
};

static void *
regions_init(struct tui *t)
{
	struct regions *d = calloc(1, sizeof *d);

	if (d != NULL) {
		d->sort = RS_TYPE;
		d->rows_h = LINES;
		d->mark_index = -1;
	}
	return d;
}

static void
regions_free(void *data)
{
	struct regions *d = data;

	if (d == NULL)
		return;
	free(d->data);
	free(d->pool);
	free(d->disp);
	free(d);
}

static const char *
regions_row_name(const struct regions *d, const struct rrow *r)
{
	return d->pool + r->name;
}

static int
regions_add(struct regions *d, const struct region *g, long long delta)
{
	size_t len = strlen(g->name) + 1;
	struct rrow *nr, *r;
	char *np;

	if (d->ndata == d->capdata) {
		nr = realloc(d->data, (d->capdata * 2 + 64) * sizeof *nr);
		if (nr == NULL)
			return -1;
		d->data = nr;
		d->capdata = d->capdata * 2 + 64;
	}
	if (d->npool + len > d->cappool) {
		size_t cap = d->cappool * 2 + len + 4096;

		np = realloc(d->pool, cap);
		if (np == NULL)
			return -1;
		d->pool = np;
		d->cappool = cap;
	}
	r = &d->data[d->ndata++];
	memset(r, 0, sizeof *r);
	r->type = g->type;
	r->flags = g->flags;
	r->count = g->count;
	r->fig = g->fig;
	r->delta = delta;
	r->start = g->start;
	memcpy(r->perms, g->perms, sizeof r->perms);
	r->perms[sizeof r->perms - 1] = '\0';
	r->name = d->npool;
	memcpy(d->pool + d->npool, g->name, len);
	d->npool += len;
	return 0;
}

static int
regions_cmp_key(const struct region *x, const struct region *y)
{
	if (x->type != y->type)
		return (int)x->type - (int)y->type;
	return strcmp(x->name, y->name);
}

static int
regions_cmp_ptr(const void *a, const void *b)
{
	return regions_cmp_key(*(const struct region *const *)a,
			       *(const struct region *const *)b);
}

/* The baseline row of group g, by (type, name); NULL if it is new. */
static const struct region *
regions_base_group(const struct region_set *base, const struct region **idx,
		   const struct region *g)
{
	size_t lo = 0, hi = base->n_groups, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = regions_cmp_key(idx[mid], g);
		if (c == 0)
			return idx[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void
regions_clear(struct regions *d, const char *why)
{
	d->ndata = 0;
	d->npool = 0;
	d->n_mappings = 0;
	d->base_known = 0;
	memset(&d->total, 0, sizeof d->total);
	snprintf(d->why, sizeof d->why, "%s", why);
}

/* The change of the whole table: the sum of its rows' changes. */
static void
regions_delta_sum(struct regions *d)
{
	size_t i;

	d->delta_sum = 0;
	for (i = 0; i < d->ndata; i++) {
		if (d->data[i].delta == KB_UNKNOWN) {
			d->delta_sum = KB_UNKNOWN;
			return;
		}
		d->delta_sum += d->data[i].delta;
	}
}

/* The change of each row since the last phase mark (the `c` key):
 * groups are compared by (type, name); per-mapping rows are not
 * recorded at a mark, so their change is unknown. */
static void
regions_take_mark(struct tui *t, struct regions *d, const struct proc *p)
{
	const struct phases *ph = &t->a->ph;
	const struct region_set *s = p->regions;
	const struct region *rows;
	const struct phase_proc *pp;
	const struct phase_region *g;
	const struct phase *last;
	size_t n, i;
	long long delta;

	rows = d->per_map ? s->maps : s->groups;
	n = d->per_map ? s->n_maps : s->n_groups;
	last = phase_count(ph) > 0 ? phase_get(ph, phase_count(ph) - 1) : NULL;
	pp = phase_last_proc(ph, p->pid, p->start_time);
	regions_clear(d, "");
	for (i = 0; i < n; i++) {
		delta = KB_UNKNOWN;
		if (last != NULL && rows[i].fig.rss >= 0 && !d->per_map) {
			if (pp == NULL) {
				delta = rows[i].fig.rss;
			} else if (pp->has_regions) {
				g = phase_proc_region(pp, rows[i].type,
						      rows[i].name);
				delta = rows[i].fig.rss -
					(g != NULL && g->fig.rss > 0
						 ? g->fig.rss
						 : 0);
			}
		}
		if (regions_add(d, &rows[i], delta) < 0)
			break;
	}
	d->data_per_map = d->per_map;
	d->n_mappings = s->n_mappings;
	d->total = s->total;
	regions_delta_sum(d);
	d->ref_at = 0;
	d->data_since_mark = 1;
	d->mark_index = last != NULL ? last->index : -1;
	snprintf(d->mark_label, sizeof d->mark_label, "%s",
		 last != NULL && last->label != NULL ? last->label : "");
	d->mark_absent = last != NULL && pp == NULL;
	d->base_known = last != NULL && (pp == NULL || pp->has_regions);
	for (i = 0; i < REGION_NTYPES; i++) {
		if (pp == NULL || !pp->has_regions)
			memset(&d->base_by_type[i], 0,
			       sizeof d->base_by_type[i]);
		else
			d->base_by_type[i] = pp->by_type[i];
	}
}

/* Groups of the baseline that are no more: a row each, with all of its
 * RSS as loss (as `ramtop diff` lists them). */
static void
regions_take_gone(struct regions *d, const struct region_set *s,
		  const struct region_set *base)
{
	const struct region **now;
	struct region g;
	size_t i;

	now = malloc((s->n_groups ? s->n_groups : 1) * sizeof *now);
	if (now == NULL)
		return;
	for (i = 0; i < s->n_groups; i++)
		now[i] = &s->groups[i];
	qsort(now, s->n_groups, sizeof *now, regions_cmp_ptr);
	for (i = 0; i < base->n_groups; i++) {
		g = base->groups[i];
		if (regions_base_group(s, now, &g) != NULL || g.fig.rss < 0)
			continue;
		memset(&g.fig, 0, sizeof g.fig);
		g.count = 0;
		if (regions_add(d, &g, -base->groups[i].fig.rss) < 0)
			break;
		d->data[d->ndata - 1].gone = 1;
	}
	free(now);
}

/* Copy the rows of p, with their change against its baseline regions
 * (or, with `c`, against the last phase mark). */
static void
regions_take(struct tui *t, struct regions *d, const struct proc *p)
{
	const struct region_set *s = p->regions, *base = p->base_regions;
	const struct region *rows, *b, **idx = NULL;
	size_t n, i;
	long long delta, base_rss;
	int zero = p->base_regions_zero, known;

	if (t->since_mark) {
		regions_take_mark(t, d, p);
		return;
	}
	rows = d->per_map ? s->maps : s->groups;
	n = d->per_map ? s->n_maps : s->n_groups;
	known = zero || (base != NULL && (!d->per_map || base->maps != NULL ||
					  base->keys != NULL));
	if (known && !zero && !d->per_map) {
		idx = malloc((base->n_groups ? base->n_groups : 1) *
			     sizeof *idx);
		if (idx == NULL)
			known = 0;
		else {
			for (i = 0; i < base->n_groups; i++)
				idx[i] = &base->groups[i];
			qsort(idx, base->n_groups, sizeof *idx,
			      regions_cmp_ptr);
		}
	}
	regions_clear(d, "");
	for (i = 0; i < n; i++) {
		delta = KB_UNKNOWN;
		if (known && rows[i].fig.rss >= 0) {
			/* New since the baseline (or launch mode, where
			 * the baseline is 0): all of it is change; a
			 * baseline whose RSS was unknown: unknown. */
			base_rss = 0;
			if (zero) {
				/* base_rss 0 */
			} else if (!d->per_map) {
				b = regions_base_group(base, idx, &rows[i]);
				if (b != NULL)
					base_rss = b->fig.rss;
			} else if (!region_base_rss(base, &rows[i],
						    &base_rss)) {
				base_rss = 0;
			}
			delta = kb_delta(rows[i].fig.rss, base_rss);
		}
		if (regions_add(d, &rows[i], delta) < 0)
			break;
	}
	if (idx != NULL)
		regions_take_gone(d, s, base);
	free(idx);
	d->ref_at = !zero && base != NULL &&
				    p->regions_base_at > p->base_at + 0.05 &&
				    p->base_at > 0
			    ? p->regions_base_at
			    : 0;
	regions_delta_sum(d);
	d->data_since_mark = 0;
	d->mark_absent = 0;
	d->data_per_map = d->per_map;
	d->n_mappings = s->n_mappings;
	d->total = s->total;
	d->base_known = zero || base != NULL;
	for (i = 0; i < REGION_NTYPES; i++) {
		if (zero || base == NULL)
			memset(&d->base_by_type[i], 0,
			       sizeof d->base_by_type[i]);
		else
			d->base_by_type[i] = base->by_type[i];
	}
}

/* Sort helpers: larger first, unknown (negative) last. */
static int
regions_desc(long long x, long long y)
{
	return (x < y) - (x > y);
}

static const struct regions *regions_sorting;

static int
regions_cmp(const void *a, const void *b)
{
	const struct rrow *x = a, *y = b;
	const struct regions *d = regions_sorting;
	int c = 0;

	switch (d->sort) {
	case RS_TYPE:
		c = (int)x->type - (int)y->type;
		if (c == 0)
			c = regions_desc(x->fig.rss, y->fig.rss);
		break;
	case RS_RSS:
		c = regions_desc(x->fig.rss, y->fig.rss);
		break;
	case RS_DELTA:
		/* The biggest change either way first (shrinking is news
		 * too); unknown after everything. */
		if (x->delta == KB_UNKNOWN || y->delta == KB_UNKNOWN)
			c = (x->delta == KB_UNKNOWN) - (y->delta == KB_UNKNOWN);
		else
			c = regions_desc(llabs(x->delta), llabs(y->delta));
		break;
	case RS_PSS:
		c = regions_desc(x->fig.pss, y->fig.pss);
		break;
	case RS_SIZE:
		c = regions_desc(x->fig.size, y->fig.size);
		break;
	case RS_NAME:
		c = strcmp(regions_row_name(d, x), regions_row_name(d, y));
		if (c == 0)
			c = (int)x->type - (int)y->type;
		break;
	}
	if (c == 0)
		c = regions_desc(x->fig.rss, y->fig.rss);
	if (c == 0)
		c = strcmp(regions_row_name(d, x), regions_row_name(d, y));
	if (c == 0)
		c = (x->start > y->start) - (x->start < y->start);
	return c;
}

static void
regions_fig_sum(struct region_fig *s, const struct region_fig *f)
{
#define F(x)                                                                   \
	if (f->x > 0)                                                          \
		s->x += f->x;
	F(size)
	F(rss)
	F(pss)
	F(private_)
	F(shared)
	F(swap)
	F(locked)
#undef F
}

/* Build what is shown from data: sorted, with subtotals by type. */
static void
regions_display(struct regions *d)
{
	size_t i, n = d->ndata, need, o = 0, k;
	struct rrow *nd, sub;
	int ty;

	need = n + (d->sort == RS_TYPE ? REGION_NTYPES : 0);
	if (need > d->capdisp) {
		nd = realloc(d->disp, need * sizeof *nd);
		if (nd == NULL) {
			d->ndisp = 0;
			return;
		}
		d->disp = nd;
		d->capdisp = need;
	}
	if (n > 0)
		memcpy(d->disp, d->data, n * sizeof *d->disp);
	regions_sorting = d;
	qsort(d->disp, n, sizeof *d->disp, regions_cmp);
	d->ndisp = n;
	if (d->sort != RS_TYPE || n == 0)
		goto clamp;
	/* Put a subtotal line before each type's rows: walk backwards so
	 * the rows move in place. */
	o = need;
	for (i = n; i > 0;) {
		ty = d->disp[i - 1].type;
		memset(&sub, 0, sizeof sub);
		sub.type = (enum region_type)ty;
		sub.subtotal = 1;
		sub.name = 0;
		for (k = i; k > 0 && (int)d->disp[k - 1].type == ty; k--) {
			d->disp[--o] = d->disp[k - 1];
			regions_fig_sum(&sub.fig, &d->disp[o].fig);
			sub.count += d->disp[o].count;
			sub.flags |= d->disp[o].flags;
		}
		sub.delta = d->base_known
				    ? sub.fig.rss -
					      (d->base_by_type[ty].rss > 0
						       ? d->base_by_type[ty].rss
						       : 0)
				    : KB_UNKNOWN;
		d->disp[--o] = sub;
		i = k;
	}
	memmove(d->disp, d->disp + o, (need - o) * sizeof *d->disp);
	d->ndisp = need - o;
clamp:
	if (d->cur >= d->ndisp)
		d->cur = d->ndisp ? d->ndisp - 1 : 0;
}

static void
regions_sync(struct tui *t, void *data)
{
	struct regions *d = data;
	const struct tui_row *f;
	struct proc *p;
	int same;

	if (t->ended) {
		regions_display(d);
		return;
	}
	f = tui_focus_row(t);
	if (f == NULL) {
		d->have = 0;
		regions_clear(d, "no process selected");
		regions_display(d);
		return;
	}
	same = d->have && d->pid == f->pid && d->start_time == f->start_time;
	if (!same) {
		d->cur = d->top = 0;
		d->have = 1;
		d->pid = f->pid;
		d->start_time = f->start_time;
		regions_clear(d, "reading regions...");
	}
	snprintf(d->comm, sizeof d->comm, "%s", f->comm);
	p = tui_row_proc(t, f);
	if (t->a->o->gentle) {
		regions_clear(d, "regions are not read with --gentle (reading "
				 "them takes the process's mmap lock)");
	} else if (p == NULL && t->replay) {
		regions_clear(d, "no regions recorded for this process");
	} else if (p == NULL) {
		/* Gone: keep the last rows of this process, if any. */
		if (!same)
			regions_clear(d, "the process has exited");
	} else if (p->regions == NULL) {
		if (tui_regions_err(p) == PROC_EACCES)
			snprintf(
				d->why, sizeof d->why, "regions unknown: %s",
				geteuid() == 0
					? "permission denied even to root (the "
					  "kernel's ptrace rules refuse it)"
					: "permission denied (run as its user "
					  "or with CAP_SYS_PTRACE)");
		else if (tui_regions_err(p) != PROC_OK)
			snprintf(d->why, sizeof d->why, "regions unknown: %s",
				 proc_err_str(tui_regions_err(p)));
		d->ndata = 0;
	} else if (d->per_map && p->regions->maps == NULL && t->replay) {
		regions_clear(d,
			      "a recording keeps regions grouped by type and "
			      "name, not one row per mapping");
	} else if (d->per_map && p->regions->maps == NULL) {
		regions_clear(d, "reading one row per mapping...");
	} else {
		regions_take(t, d, p);
	}
	regions_display(d);
}

static void
regions_reads(struct tui *t, void *data, int full)
{
	struct regions *d = data;
	const struct tui_row *f = tui_focus_row(t);
	struct proc *p;

	if (f == NULL || t->ended)
		return;
	p = tui_row_proc(t, f);
	if (p == NULL)
		return;
	if (!full && d->read_tick == t->ticks && d->read_pid == f->pid &&
	    d->read_start == f->start_time && d->read_per_map == d->per_map &&
	    p->regions != NULL)
		return;
	/* Per-mapping rows are kept for the per-mapping view, and for the
	 * first read, the process's baseline, so that `g` can show each
	 * mapping's change later (the baseline keeps them compactly; over
	 * all processes only up to MODEL_BASE_MAPS_MAX mappings).
	 * Otherwise only groups: a tenth of the memory at 100,000
	 * mappings. */
	tui_read_more(t, p,
		      MODEL_SMAPS | (d->per_map ? MODEL_KEEP_MAPS
				     : p->base_regions == NULL &&
						     !t->a->m.zero_baseline
					     ? MODEL_KEEP_MAPS | MODEL_BASE_MAPS
					     : 0));
	d->read_tick = t->ticks;
	d->read_pid = f->pid;
	d->read_start = f->start_time;
	d->read_per_map = d->per_map;
}

static int
regions_want(struct tui *t, void *data)
{
	return 0;
}

static void
regions_layout(struct draw_col *c, const struct tui *t, const struct regions *d)
{
	static char dtitle[16];

	/* ΔRSS: since the baseline; ΔMARK: since the last mark; ΔNEW: the
	 * process was not alive at the mark, so all of it is growth. */
	snprintf(dtitle, sizeof dtitle, "%s%s", fmt_delta_sign(t->utf8),
		 !d->data_since_mark ? "RSS"
		 : d->mark_absent    ? "NEW"
				     : "MARK");
	c[RC_TYPE] = (struct draw_col){ "TYPE", 7, 1, 0, 0, 0, 0 };
	c[RC_FL] = (struct draw_col){ "FL", 3, 3, 0, 0, 0, 0 };
	c[RC_SIZE] = (struct draw_col){ "SIZE", 6, 2, 1, 0, 0, 0 };
	c[RC_RSS] = (struct draw_col){ "RSS", 6, 1, 1, 0, 0, 0 };
	c[RC_DRSS] = (struct draw_col){ dtitle, 7, 2, 1, 0, 0, 0 };
	c[RC_PSS] = (struct draw_col){ "PSS", 6, 4, 1, 0, 0, 0 };
	c[RC_PRIV] = (struct draw_col){ "PRIVATE", 7, 6, 1, 0, 0, 0 };
	c[RC_SHARED] = (struct draw_col){ "SHARED", 6, 6, 1, 0, 0, 0 };
	c[RC_SWAP] = (struct draw_col){ "SWAP", 6, 5, 1, 0, 0, 0 };
	c[RC_LOCKED] = (struct draw_col){ "LOCKED", 6, 7, 1, 0, 0, 0 };
	c[RC_COUNT] = (struct draw_col){ "COUNT", 5, 5, 1, 0, 0, 0 };
	c[RC_NAME] = (struct draw_col){ "NAME", 0, 1, 0, 0, 0, 0 };
	cols_layout(c, RC_N, COLS, 12);
}

static void
regions_scroll(struct regions *d)
{
	size_t h = d->rows_h > 0 ? (size_t)d->rows_h : 1;

	if (d->cur >= d->ndisp)
		d->cur = d->ndisp ? d->ndisp - 1 : 0;
	if (d->cur < d->top)
		d->top = d->cur;
	if (d->cur >= d->top + h)
		d->top = d->cur - h + 1;
	if (d->ndisp > h && d->top > d->ndisp - h)
		d->top = d->ndisp - h;
	if (d->ndisp <= h)
		d->top = 0;
}

static void
regions_title(struct tui *t, struct regions *d, int y)
{
	struct draw_line l = { y, 0, COLS };
	char b[2][FMT_SIZE];

	draw_put(&l, "Regions", theme_attr[THEME_HEADER]);
	if (!d->have)
		return;
	draw_putf(&l, theme_attr[THEME_HEADER], " %d ", d->pid);
	draw_put(&l, d->comm, theme_attr[THEME_HEADER]);
	draw_put(&l,
		 d->per_map ? "  one row per mapping"
			    : "  grouped by type+name",
		 theme_attr[THEME_LABEL]);
	draw_putf(&l, theme_attr[THEME_LABEL], "  sorted by %s",
		  regions_sort_names[d->sort]);
	if (!t->since_mark && d->ref_at > 0) {
		/* Cost control read the regions later than the process's
		 * first figures: say from when this table's change counts. */
		time_t w = t->a->m.now_wall.tv_sec -
			   (time_t)(t->a->m.now_mono - d->ref_at + 0.5);
		struct tm tm;
		char hms[16];

		localtime_r(&w, &tm);
		strftime(hms, sizeof hms, "%H:%M:%S", &tm);
		draw_putf(&l, theme_attr[THEME_LABEL],
			  "  %s since %s, first region read",
			  fmt_delta_sign(t->utf8), hms);
	} else if (!t->since_mark) {
		draw_putf(&l, theme_attr[THEME_LABEL], "  %s since baseline",
			  fmt_delta_sign(t->utf8));
	} else if (d->mark_index < 0) {
		draw_putf(&l, theme_attr[THEME_LABEL],
			  "  %s since last mark (none yet)",
			  fmt_delta_sign(t->utf8));
	} else {
		draw_putf(&l, theme_attr[THEME_LABEL],
			  "  %s since last mark %ld \"",
			  fmt_delta_sign(t->utf8), d->mark_index);
		draw_put(&l, d->mark_label, theme_attr[THEME_LABEL]);
		draw_put(&l, "\"", theme_attr[THEME_LABEL]);
		if (d->mark_absent)
			draw_put(&l, " (not alive then: all new)",
				 theme_attr[THEME_LABEL]);
		if (d->data_per_map)
			draw_put(&l, " (per mapping: unknown)",
				 theme_attr[THEME_LABEL]);
	}
	if (d->ndata > 0) {
		draw_putf(&l, theme_attr[THEME_LABEL], ": %s",
			  fmt_delta(b[0], d->delta_sum));
		draw_putf(&l, theme_attr[THEME_LABEL], "  %zu %s, %zu mappings",
			  d->ndata, d->data_per_map ? "rows" : "groups",
			  d->n_mappings);
		draw_putf(&l, theme_attr[THEME_LABEL], "  RSS %s of %s mapped",
			  fmt_kb(b[0], d->total.rss),
			  fmt_kb(b[1], d->total.size));
	}
}

static void
regions_draw_name(int y, const struct draw_col *c, const struct regions *d,
		  const struct rrow *r, attr_t a, int utf8)
{
	struct draw_line l = { y, c->x, c->x + c->w };
	const char *name = regions_row_name(d, r);

	if (!c->shown)
		return;
	if (r->subtotal) {
		draw_putf(&l, a, "%s total (%zu mapping%s)",
			  region_type_name(r->type), r->count,
			  r->count == 1 ? "" : "s");
		return;
	}
	if (d->data_per_map)
		draw_putf(&l, a, "%012lx %-4s ", r->start, r->perms);
	if (r->gone)
		draw_put(&l, "(gone) ", a);
	draw_put_tail(&l, name[0] != '\0' ? name : "[anonymous]", a, utf8);
}

static void
regions_draw(struct tui *t, void *data, int y, int h, int focused)
{
	struct regions *d = data;
	struct draw_col c[RC_N];
	const struct rrow *r;
	char fl[4], b[24];
	size_t k;
	attr_t a;
	int row, sel;

	if (h <= 0)
		return;
	regions_title(t, d, y);
	if (h <= 1)
		return;
	regions_layout(c, t, d);
	cols_title(y + 1, c, RC_N,
		   theme_attr[focused ? THEME_TITLE : THEME_TITLE_DIM]);
	d->rows_h = h - 2;
	regions_scroll(d);
	if (d->ndisp == 0 && h > 2) {
		draw_text(y + 2, 1, COLS - 1, d->why, theme_attr[THEME_DIM]);
		return;
	}
	for (row = 0; row < d->rows_h && d->top + (size_t)row < d->ndisp;
	     row++) {
		int yy = y + 2 + row;

		k = d->top + (size_t)row;
		r = &d->disp[k];
		sel = focused && k == d->cur;
		a = theme_attr[r->subtotal ? THEME_SUBTOTAL : THEME_NORMAL];
		if (sel) {
			a = theme_attr[THEME_SELECT];
			draw_fill(yy, 0, COLS, a);
		}
		if (c[RC_TYPE].shown)
			draw_text(yy, c[RC_TYPE].x, c[RC_TYPE].w,
				  region_type_name(r->type), a);
		if (c[RC_FL].shown && !r->subtotal)
			draw_text(yy, c[RC_FL].x, c[RC_FL].w,
				  region_flags_str(r->flags, fl), a);
		draw_kb(yy, &c[RC_SIZE], r->fig.size, a);
		draw_kb(yy, &c[RC_RSS], r->fig.rss, a);
		draw_delta(yy, &c[RC_DRSS], r->delta, a, sel);
		draw_kb(yy, &c[RC_PSS], r->fig.pss, a);
		draw_kb(yy, &c[RC_PRIV], r->fig.private_, a);
		draw_kb(yy, &c[RC_SHARED], r->fig.shared, a);
		draw_kb(yy, &c[RC_SWAP], r->fig.swap, a);
		draw_kb(yy, &c[RC_LOCKED], r->fig.locked, a);
		if (c[RC_COUNT].shown) {
			snprintf(b, sizeof b, "%zu", r->count);
			draw_rjust(yy, c[RC_COUNT].x, c[RC_COUNT].w, b, a);
		}
		regions_draw_name(yy, &c[RC_NAME], d, r, a, t->utf8);
	}
}

static int
regions_key(struct tui *t, void *data, enum key_act act)
{
	struct regions *d = data;
	size_t page = d->rows_h > 1 ? (size_t)d->rows_h - 1 : 1;

	switch (act) {
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PGUP:
	case ACT_PGDN:
	case ACT_HOME:
	case ACT_END:
		draw_list_move(&d->cur, d->ndisp, page, act);
		break;
	case ACT_SORT_TYPE:
	case ACT_SORT_RSS:
	case ACT_SORT_DELTA:
	case ACT_SORT_PSS:
	case ACT_SORT_SIZE:
	case ACT_SORT_NAME:
		d->sort = regions_sort_of(act);
		d->cur = d->top = 0;
		regions_display(d);
		tui_message(t, "regions sorted by %s",
			    regions_sort_names[d->sort]);
		return 1;
	case ACT_GROUP:
		d->per_map = !d->per_map;
		d->cur = d->top = 0;
		if (!t->ended) {
			t->need_reads = 1;
			regions_sync(t, d);
		} else {
			tui_message(t, "the process has exited: its regions "
				       "can no longer be read");
			d->per_map = d->data_per_map;
		}
		return 1;
	default:
		return 0;
	}
	regions_scroll(d);
	return 1;
}

const struct view_ops view_regions_ops = {
	.name = "regions",
	.init = regions_init,
	.free = regions_free,
	.sync = regions_sync,
	.reads = regions_reads,
	.want = regions_want,
	.draw = regions_draw,
	.key = regions_key,
	.input = NULL,
};
