/*
 * view_replay.c - `ramtop --replay FILE`: a snapshot file or batch
 * recording browsed in the interactive screen, as atop -r does for its
 * logs.  A cursor moves over the file's timeline (`(` `)` one point,
 * `{` `}` the previous / next mark, Home/End of the keys stay with the
 * panels); the header shows the tree's figures at the cursor, the
 * process tree and the region panel those of the last mark at or before
 * it (samples of a recording keep only the tree's totals), the strip
 * and the phases panel the file's.
 *
 * Reads the app's phases, timeline and rec (the file's header).  The
 * mark's processes, with the regions it recorded, are put in the model
 * (which samples nothing in a replay) for the region panel, and freed
 * here; never /proc.  Strings from the file are drawn through the draw
 * helpers, which sanitise them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/fmt.h"
#include "../src/snapshot.h"
#include "draw.h"
#include "theme.h"
#include "tui.h"

/* The phase of the last mark at or before the cursor (phase 0 if none). */
static const struct phase *
replay_phase(const struct tui *t)
{
	const struct timeline *tl = &t->a->tl;
	size_t i, k;
	long idx = -1;

	for (i = 0; i <= t->replay_pos && i < tl->n; i++)
		if (tl->v[i].mark >= 0)
			idx = tl->v[i].mark;
	for (k = 0; k < t->a->ph.n; k++)
		if (t->a->ph.v[k].index == idx)
			return &t->a->ph.v[k];
	return phase_get(&t->a->ph, 0);
}

static int
replay_depth(const struct phase *p, size_t i)
{
	int depth = 0, ppid = p->procs[i].ppid, guard = 0;
	size_t k;

	while (guard++ < 64) {
		for (k = 0; k < p->nprocs; k++)
			if (p->procs[k].pid == ppid)
				break;
		if (k == p->nprocs)
			break;
		depth++;
		ppid = p->procs[k].ppid;
	}
	return depth;
}

/* The region table a phase recorded for pp, as the region panel reads
 * one (names borrowed from the phase), or NULL when it has none. */
static struct region_set *
replay_regions(const struct phase_proc *pp)
{
	struct region_set *s;
	struct region *g;
	size_t i;
	int k;

	if (pp == NULL || !pp->has_regions)
		return NULL;
	s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	s->groups = calloc(pp->nregions ? pp->nregions : 1, sizeof *s->groups);
	if (s->groups == NULL) {
		free(s);
		return NULL;
	}
	for (i = 0; i < pp->nregions; i++) {
		g = &s->groups[i];
		g->type = pp->regions[i].type;
		g->name = pp->regions[i].name;
		g->count = pp->regions[i].count;
		g->fig = pp->regions[i].fig;
		g->flags =
			(strchr(pp->regions[i].flags, 'L') ? REGION_LOCKED
							   : 0) |
			(strchr(pp->regions[i].flags, 'D') ? REGION_DELETED
							   : 0) |
			(strchr(pp->regions[i].flags, 'H') ? REGION_HUGE : 0);
	}
	s->n_groups = pp->nregions;
	for (k = 0; k < REGION_NTYPES; k++) {
		s->by_type[k] = pp->by_type[k];
		s->by_type_count[k] = pp->by_type_count[k];
		region_fig_add(&s->total, &pp->by_type[k]);
		s->n_mappings += pp->by_type_count[k];
	}
	return s;
}

/* The same process in phase 0 (its baseline), or NULL. */
static const struct phase_proc *
replay_base(const struct tui *t, const struct phase_proc *pp)
{
	const struct phase *p0 = phase_get(&t->a->ph, 0);
	size_t i;

	for (i = 0; p0 != NULL && i < p0->nprocs; i++)
		if (p0->procs[i].pid == pp->pid &&
		    p0->procs[i].start_time == pp->start_time)
			return &p0->procs[i];
	return NULL;
}

void
replay_free(struct tui *t)
{
	struct model *m = &t->a->m;
	size_t i;

	if (!t->replay)
		return;
	for (i = 0; i < m->nprocs; i++)
		proc_free(m->procs[i]);
	free(m->procs);
	m->procs = NULL;
	m->nprocs = 0;
}

/* The model's processes are the phase's, with their recorded regions,
 * so the region panel shows them; nothing is read (tui_read_more). */
static void
replay_procs(struct tui *t, const struct phase *p)
{
	struct model *m = &t->a->m;
	struct proc *q;
	size_t i;

	replay_free(t);
	m->procs = calloc(p->nprocs ? p->nprocs : 1, sizeof *m->procs);
	if (m->procs == NULL)
		return;
	for (i = 0; i < p->nprocs; i++) {
		const struct phase_proc *pp = &p->procs[i];

		q = calloc(1, sizeof *q);
		if (q == NULL)
			break;
		q->pid = pp->pid;
		q->ppid = pp->ppid;
		q->start_time = pp->start_time;
		q->uid = -1;
		snprintf(q->comm, sizeof q->comm, "%s", pp->comm);
		q->cmdline = pp->cmdline != NULL ? strdup(pp->cmdline) : NULL;
		q->now = pp->figs;
		q->rss_peak = pp->rss_peak;
		proc_figs_unknown(&q->base);
		q->regions = replay_regions(pp);
		q->base_regions = replay_regions(replay_base(t, pp));
		tui_regions_set_err(q,
				    q->regions != NULL ? PROC_OK : PROC_ABSENT);
		q->alive = 1;
		m->procs[m->nprocs++] = q;
	}
}

void
replay_rows(struct tui *t)
{
	const struct phase *p = replay_phase(t);
	struct tui_row *nr, *r;
	size_t i, k;

	if (p == NULL)
		return;
	replay_procs(t, p);
	nr = calloc(p->nprocs ? p->nprocs : 1, sizeof *nr);
	if (nr == NULL)
		return;
	for (i = 0; i < p->nprocs; i++) {
		const struct phase_proc *pp = &p->procs[i];

		r = &nr[i];
		r->pid = pp->pid;
		r->ppid = pp->ppid;
		r->depth = replay_depth(p, i);
		r->start_time = pp->start_time;
		r->oom = r->oomadj = KB_UNKNOWN; /* not kept in a phase */
		r->base_rss = KB_UNKNOWN;
		if (pp->figs.rss >= 0 && pp->rss_delta != KB_UNKNOWN)
			r->base_rss = pp->figs.rss - pp->rss_delta;
		if (i < t->a->m.nprocs)
			t->a->m.procs[i]->base.rss = r->base_rss;
		r->status_err = pp->error != NULL ? PROC_EIO : PROC_OK;
		r->rollup_err = r->status_err;
		/* The phase's figures and strings live as long as the
		 * replay. */
		tui_row_keep(r, &pp->figs, pp->comm, pp->cmdline, 0);
		r->midx = i < t->a->m.nprocs ? (long)i : -1;
		for (k = 0; k < p->nprocs; k++)
			if (p->procs[k].ppid == pp->pid)
				r->nchildren++;
	}
	tui_rows_free(t->rows, t->nrows);
	t->rows = nr;
	t->nrows = p->nprocs;
}

void
replay_step(struct tui *t, int how)
{
	const struct timeline *tl = &t->a->tl;
	size_t pos = t->replay_pos;

	if (!t->replay) {
		tui_message(t, "%s", "stepping is for --replay FILE");
		return;
	}
	if (tl->n == 0)
		return;
	switch (how) {
	case -1: /* one point back */
		if (pos > 0)
			pos--;
		break;
	case 1:
		if (pos + 1 < tl->n)
			pos++;
		break;
	case -2: /* the previous mark */
		while (pos > 0 && tl->v[--pos].mark < 0)
			;
		break;
	case 2:
		while (pos + 1 < tl->n && tl->v[++pos].mark < 0)
			;
		break;
	}
	if (pos == t->replay_pos)
		tui_message(t, "%s",
			    how < 0 ? "the start of the recording"
				    : "the end of the recording");
	t->replay_pos = pos;
	t->need_reads = 1; /* the rows of the mark at the cursor */
}

void
replay_header(struct tui *t, int y, int h)
{
	const struct snapshot *s = t->a->rec;
	const struct timeline *tl = &t->a->tl;
	const struct timeline_point *p =
		tl->n ? &tl->v[t->replay_pos < tl->n ? t->replay_pos : 0]
		      : NULL;
	const struct phase *ph = replay_phase(t);
	struct draw_line l = { y, 0, COLS };
	char b[FMT_SIZE];
	int k;

	if (h <= 0)
		return;
	draw_put(&l, "ramtop replay ", theme_attr[THEME_HEADER]);
	draw_put(&l, t->a->o->replay, theme_attr[THEME_HEADER]);
	draw_putf(&l, theme_attr[THEME_LABEL], "  point %zu/%zu",
		  tl->n ? t->replay_pos + 1 : 0, tl->n);
	if (p != NULL)
		draw_putf(&l, theme_attr[THEME_LABEL], "  +%.1fs",
			  p->elapsed_s);
	if (p != NULL && p->mark >= 0 && ph != NULL) {
		draw_putf(&l, theme_attr[THEME_WARN], "  mark %ld ", ph->index);
		draw_put(&l, ph->label, theme_attr[THEME_WARN]);
	}
	if (h < 2)
		return;
	l = (struct draw_line){ y + 1, 0, COLS };
	draw_put(&l, "Recorded ", theme_attr[THEME_HEADER]);
	draw_put(&l, s && s->created ? s->created : "",
		 theme_attr[THEME_LABEL]);
	draw_put(&l, " on ", theme_attr[THEME_LABEL]);
	draw_put(&l, s && s->hostname[0] ? s->hostname : "an unknown host",
		 theme_attr[THEME_LABEL]);
	if (s != NULL && s->command != NULL) {
		draw_put(&l, "  ", theme_attr[THEME_LABEL]);
		draw_put(&l, s->command, theme_attr[THEME_LABEL]);
	}
	if (h < 3 || p == NULL)
		return;
	l = (struct draw_line){ y + 2, 0, COLS };
	draw_put(&l, "Tree    ", theme_attr[THEME_HEADER]);
	draw_putf(&l, theme_attr[THEME_LABEL], "%sRSS ", fmt_sum_sign(t->utf8));
	draw_put(&l, fmt_kb(b, p->rss), theme_attr[THEME_HEADER]);
	draw_putf(&l, theme_attr[THEME_LABEL], "  %sPSS ",
		  fmt_sum_sign(t->utf8));
	draw_put(&l, fmt_kb(b, p->pss), theme_attr[THEME_HEADER]);
	for (k = 0; p->has_by_type && k < REGION_NTYPES; k++)
		if (p->rss_by_type[k] > 0) {
			draw_putf(&l, theme_attr[THEME_LABEL], "  %s ",
				  region_type_name(k));
			draw_put(&l, fmt_kb(b, p->rss_by_type[k]),
				 theme_attr[THEME_NORMAL]);
		}
	if (ph != NULL)
		draw_putf(&l, theme_attr[THEME_DIM],
			  "  (processes as at phase %ld)", ph->index);
}
