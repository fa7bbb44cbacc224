/*
 * view_phases.c - the phase marks: one row per phase (label, time, Σ RSS,
 * Σ PSS, PEAK (the highest Σ RSS sampled from the mark to the next),
 * change since the previous phase and since the baseline, RSS by
 * region type), and below the selected phase what changed since the
 * previous one: region groups sorted by |Δ RSS| with process and type.
 *
 * Reads the phases of struct app (src/phase.h) only; never the model.
 * Labels, names and commands come from other programs: they are printed
 * through the draw helpers, which sanitise them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/fmt.h"
#include "draw.h"
#include "theme.h"
#include "tui.h"

struct phases_view {
	size_t cur, top;
	int rows_h;
	int follow; /* keep the newest phase selected */

	/* The diff shown: phase cur - 1 to cur, while (n, v) hold. */
	struct phase_diff diff;
	int have_diff;
	size_t diff_cur, diff_n;
	const struct phase *diff_v;
	size_t ctop; /* first change shown */
};

enum {
	PC_IDX,
	PC_LABEL,
	PC_TIME,
	PC_ELAPSED,
	PC_RSS,
	PC_PSS,
	PC_PEAK,
	PC_DPREV,
	PC_DBASE,
	PC_TYPE0,
	PC_N = PC_TYPE0 + REGION_NTYPES
};

enum { CC_DRSS, CC_RSS, CC_DPSS, CC_TYPE, CC_PID, CC_COMM, CC_NAME, CC_N };

static void *
view_phases_init(struct tui *t)
{
	struct phases_view *d = calloc(1, sizeof *d);

	if (d != NULL) {
		d->follow = 1;
		d->rows_h = 1;
	}
	return d;
}

static void
view_phases_diff_drop(struct phases_view *d)
{
	if (d->have_diff)
		phase_diff_free(&d->diff);
	d->have_diff = 0;
}

static void
view_phases_free(void *data)
{
	struct phases_view *d = data;

	if (d == NULL)
		return;
	view_phases_diff_drop(d);
	free(d);
}

static void
view_phases_clamp(struct phases_view *d, size_t n)
{
	size_t h = d->rows_h > 0 ? (size_t)d->rows_h : 1;

	if (d->follow && n > 0)
		d->cur = n - 1;
	if (d->cur >= n)
		d->cur = n ? n - 1 : 0;
	if (d->cur < d->top)
		d->top = d->cur;
	if (d->cur >= d->top + h)
		d->top = d->cur - h + 1;
	if (n <= h)
		d->top = 0;
}

/* The diff of the selected phase against the previous one, computed
 * again whenever the selection or the phases changed (a mark may move
 * the phases in memory). */
static void
view_phases_diff_update(struct tui *t, struct phases_view *d)
{
	const struct phases *ph = &t->a->ph;
	size_t n = phase_count(ph);

	if (d->have_diff && d->diff_cur == d->cur && d->diff_n == n &&
	    d->diff_v == ph->v)
		return;
	view_phases_diff_drop(d);
	d->ctop = 0;
	d->diff_cur = d->cur;
	d->diff_n = n;
	d->diff_v = ph->v;
	if (d->cur == 0 || d->cur >= n)
		return;
	if (phase_diff(phase_get(ph, d->cur - 1), phase_get(ph, d->cur), 0,
		       &d->diff) == 0)
		d->have_diff = 1;
}

static void
view_phases_sync(struct tui *t, void *data)
{
	struct phases_view *d = data;

	view_phases_clamp(d, phase_count(&t->a->ph));
}

static int
view_phases_want(struct tui *t, void *data)
{
	return 0;
}

static void
view_phases_layout(struct draw_col *c, const struct tui *t)
{
	static char tr[2][16], td[2][16], tt[REGION_NTYPES][16];
	size_t i;

	snprintf(tr[0], sizeof tr[0], "%sRSS", fmt_sum_sign(t->utf8));
	snprintf(tr[1], sizeof tr[1], "%sPSS", fmt_sum_sign(t->utf8));
	snprintf(td[0], sizeof td[0], "%sPREV", fmt_delta_sign(t->utf8));
	snprintf(td[1], sizeof td[1], "%sBASE", fmt_delta_sign(t->utf8));
	c[PC_IDX] = (struct draw_col){ "#", 3, 1, 1, 0, 0, 0 };
	c[PC_LABEL] = (struct draw_col){ "LABEL", 0, 1, 0, 0, 0, 0 };
	c[PC_TIME] = (struct draw_col){ "TIME", 8, 3, 0, 0, 0, 0 };
	c[PC_ELAPSED] = (struct draw_col){ "ELAPSED", 8, 2, 1, 0, 0, 0 };
	c[PC_RSS] = (struct draw_col){ tr[0], 7, 1, 1, 0, 0, 0 };
	c[PC_PSS] = (struct draw_col){ tr[1], 7, 2, 1, 0, 0, 0 };
	c[PC_PEAK] = (struct draw_col){ "PEAK", 7, 3, 1, 0, 0, 0 };
	c[PC_DPREV] = (struct draw_col){ td[0], 7, 1, 1, 0, 0, 0 };
	c[PC_DBASE] = (struct draw_col){ td[1], 7, 2, 1, 0, 0, 0 };
	for (i = 0; i < REGION_NTYPES; i++) {
		snprintf(tt[i], sizeof tt[i], "%s",
			 region_type_name((enum region_type)i));
		c[PC_TYPE0 + i] = (struct draw_col){ tt[i], 7, 4, 1, 0, 0, 0 };
	}
	cols_layout(c, PC_N, COLS, 10);
}

static void
view_phases_draw_row(struct tui *t, int y, const struct draw_col *c,
		     const struct phase_summary *s, attr_t a, int sel)
{
	char b[32];
	size_t i;

	if (sel)
		draw_fill(y, 0, COLS, a);
	if (c[PC_IDX].shown) {
		snprintf(b, sizeof b, "%ld", s->index);
		draw_rjust(y, c[PC_IDX].x, c[PC_IDX].w, b, a);
	}
	if (c[PC_LABEL].shown)
		draw_text(y, c[PC_LABEL].x, c[PC_LABEL].w,
			  s->label != NULL ? s->label : "", a);
	if (c[PC_TIME].shown && s->time != NULL && strlen(s->time) >= 19) {
		snprintf(b, sizeof b, "%.8s", s->time + 11);
		draw_text(y, c[PC_TIME].x, c[PC_TIME].w, b, a);
	}
	if (c[PC_ELAPSED].shown) {
		snprintf(b, sizeof b, "+%.1fs", s->elapsed_s);
		draw_rjust(y, c[PC_ELAPSED].x, c[PC_ELAPSED].w, b, a);
	}
	draw_kb(y, &c[PC_RSS], s->rss, a);
	draw_kb(y, &c[PC_PSS], s->pss, a);
	draw_kb(y, &c[PC_PEAK], s->peak_rss, a);
	draw_delta(y, &c[PC_DPREV], s->rss_prev, a, sel);
	draw_delta(y, &c[PC_DBASE], s->rss_base, a, sel);
	for (i = 0; i < REGION_NTYPES; i++)
		draw_kb(y, &c[PC_TYPE0 + i],
			s->has_by_type ? s->rss_by_type[i] : -1, a);
}

/* What changed since the previous phase, in lines [y, y + h). */
/* One changed region group on line yy, in the columns c. */
static void
view_phases_change_row(struct tui *t, const struct draw_col *c, int yy,
		       const struct phase_change *ch)
{
	const struct phase_proc *pp = ch->pb != NULL ? ch->pb : ch->pa;
	attr_t a = theme_attr[THEME_NORMAL];
	char b[32];

	draw_delta(yy, &c[CC_DRSS], ch->d_rss, a, 0);
	draw_kb(yy, &c[CC_RSS], ch->in_b ? ch->b.rss : 0, a);
	draw_delta(yy, &c[CC_DPSS], ch->d_pss, a, 0);
	if (c[CC_TYPE].shown)
		draw_text(yy, c[CC_TYPE].x, c[CC_TYPE].w,
			  region_type_name(ch->type), a);
	if (c[CC_PID].shown && pp != NULL) {
		snprintf(b, sizeof b, "%d", pp->pid);
		draw_rjust(yy, c[CC_PID].x, c[CC_PID].w, b, a);
	}
	if (c[CC_COMM].shown && pp != NULL && pp->comm != NULL)
		draw_text(yy, c[CC_COMM].x, c[CC_COMM].w, pp->comm, a);
	if (c[CC_NAME].shown) {
		struct draw_line nl = { yy, c[CC_NAME].x,
					c[CC_NAME].x + c[CC_NAME].w };

		draw_put_tail(&nl,
			      ch->name != NULL && ch->name[0] != '\0'
				      ? ch->name
				      : "[anonymous]",
			      a, t->utf8);
		if (!ch->in_a)
			draw_put(&nl, " (new)", theme_attr[THEME_DIM]);
		else if (!ch->in_b)
			draw_put(&nl, " (gone)", theme_attr[THEME_DIM]);
	}
}

static void
view_phases_draw_changes(struct tui *t, struct phases_view *d, int y, int h)
{
	const struct phases *ph = &t->a->ph;
	struct draw_col c[CC_N];
	struct draw_line l = { y, 0, COLS };
	char dt[16], dp[16];
	int row;

	if (h <= 0)
		return;
	view_phases_diff_update(t, d);
	if (d->cur == 0 || d->cur >= phase_count(ph)) {
		draw_put(&l, "Changes", theme_attr[THEME_HEADER]);
		draw_put(&l,
			 "  select a phase after the baseline to see what "
			 "changed since the previous one",
			 theme_attr[THEME_LABEL]);
		return;
	}
	draw_putf(&l, theme_attr[THEME_HEADER], "Changes %zu -> %zu",
		  d->cur - 1, d->cur);
	if (!d->have_diff) {
		draw_put(&l, "  out of memory", theme_attr[THEME_WARN]);
		return;
	}
	draw_putf(&l, theme_attr[THEME_LABEL], "  %zu region group%s changed",
		  d->diff.nchanges, d->diff.nchanges == 1 ? "" : "s");
	if (d->diff.procs_unread > 0)
		draw_putf(&l, theme_attr[THEME_DIM],
			  "  (%zu process%s without regions not compared)",
			  d->diff.procs_unread,
			  d->diff.procs_unread == 1 ? "" : "es");
	if (h <= 1)
		return;
	snprintf(dt, sizeof dt, "%sRSS", fmt_delta_sign(t->utf8));
	snprintf(dp, sizeof dp, "%sPSS", fmt_delta_sign(t->utf8));
	c[CC_DRSS] = (struct draw_col){ dt, 7, 1, 1, 0, 0, 0 };
	c[CC_RSS] = (struct draw_col){ "RSS", 7, 2, 1, 0, 0, 0 };
	c[CC_DPSS] = (struct draw_col){ dp, 7, 3, 1, 0, 0, 0 };
	c[CC_TYPE] = (struct draw_col){ "TYPE", 7, 1, 0, 0, 0, 0 };
	c[CC_PID] = (struct draw_col){ "PID", 7, 1, 1, 0, 0, 0 };
	c[CC_COMM] = (struct draw_col){ "COMMAND", 16, 2, 0, 0, 0, 0 };
	c[CC_NAME] = (struct draw_col){ "NAME", 0, 1, 0, 0, 0, 0 };
	cols_layout(c, CC_N, COLS, 12);
	cols_title(y + 1, c, CC_N, theme_attr[THEME_TITLE_DIM]);
	if (d->diff.nchanges == 0 && h > 2) {
		draw_text(y + 2, 1, COLS - 1, "no region group changed",
			  theme_attr[THEME_DIM]);
		return;
	}
	for (row = 0; row < h - 2 && d->ctop + (size_t)row < d->diff.nchanges;
	     row++)
		view_phases_change_row(t, c, y + 2 + row,
				       &d->diff.changes[d->ctop + (size_t)row]);
}

static void
view_phases_draw(struct tui *t, void *data, int y, int h, int focused)
{
	struct phases_view *d = data;
	const struct phases *ph = &t->a->ph;
	size_t n = phase_count(ph), k;
	struct draw_col c[PC_N];
	struct phase_summary s;
	struct draw_line l = { y, 0, COLS };
	int row, list_h, rest;
	attr_t a;

	if (h <= 0)
		return;
	draw_put(&l, "Phases", theme_attr[THEME_HEADER]);
	draw_putf(&l, theme_attr[THEME_LABEL],
		  "  %zu recorded  m marks  s saves  c region deltas since "
		  "baseline / last mark",
		  n);
	if (h <= 1)
		return;
	view_phases_layout(c, t);
	cols_title(y + 1, c, PC_N,
		   theme_attr[focused ? THEME_TITLE : THEME_TITLE_DIM]);
	/* The list takes what it needs up to half; the changes the rest. */
	rest = h - 2;
	list_h = (int)(n > 0 ? n : 1);
	if (rest >= 8 && list_h > rest / 2)
		list_h = rest / 2;
	else if (rest < 8)
		list_h = rest;
	d->rows_h = list_h > 0 ? list_h : 1;
	view_phases_clamp(d, n);
	if (n == 0 && rest > 0) {
		draw_text(y + 2, 1, COLS - 1, "no phase yet",
			  theme_attr[THEME_DIM]);
	}
	for (row = 0; row < list_h && d->top + (size_t)row < n; row++) {
		int sel;

		k = d->top + (size_t)row;
		if (phase_summary(ph, k, &s) < 0)
			continue;
		sel = focused && k == d->cur;
		a = theme_attr[sel ? THEME_SELECT : THEME_NORMAL];
		view_phases_draw_row(t, y + 2 + row, c, &s, a, sel);
	}
	if (rest - list_h >= 2)
		view_phases_draw_changes(t, d, y + 2 + list_h + 1,
					 rest - list_h - 1);
}

static int
view_phases_key(struct tui *t, void *data, enum key_act act)
{
	struct phases_view *d = data;
	size_t n = phase_count(&t->a->ph);
	size_t page = d->rows_h > 1 ? (size_t)d->rows_h - 1 : 1;

	if (t->panels[t->focus].ops != &view_phases_ops)
		return 0;
	if (!draw_list_move(&d->cur, n, page, act))
		return 0;
	d->follow = n > 0 && d->cur == n - 1;
	view_phases_clamp(d, n);
	return 1;
}

const struct view_ops view_phases_ops = {
	.name = "phases",
	.init = view_phases_init,
	.free = view_phases_free,
	.sync = view_phases_sync,
	.reads = NULL,
	.want = view_phases_want,
	.draw = view_phases_draw,
	.key = view_phases_key,
	.input = NULL,
};
