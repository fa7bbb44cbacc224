/*
 * tui_state.c - what the screens draw: the status message, the rows
 * copied from the model after each sample (kept when the target exits),
 * and asking the model for the costly figures the screens on view show.
 *
 * Touches: the model (samples and reads through it), struct tui.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/app.h"
#include "../src/clock.h"
#include "../src/metrics_out.h"
#include "tui.h"

/* Seconds a status message stays. */
#define TUI_MSG_SECS 3.0

void
tui_message(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_until = clock_now() + TUI_MSG_SECS;
}

void
tui_budget(struct tui *t, int sample)
{
	size_t newly[8];

	if (app_budget_step(t->a, sample, newly, 8) > 0)
		t->msg[0] = '\0'; /* draw_status shows the rule now */
}

struct proc *
tui_row_proc(struct tui *t, const struct tui_row *r)
{
	struct model *m = &t->a->m;
	struct proc *p;

	if (t->ended || r->midx < 0 || (size_t)r->midx >= m->nprocs)
		return NULL;
	p = m->procs[r->midx];
	if (p->pid != r->pid || p->start_time != r->start_time)
		return NULL;
	return p;
}

const struct tui_row *
tui_focus_row(const struct tui *t)
{
	size_t i;

	if (!t->sel.valid)
		return NULL;
	for (i = 0; i < t->nrows; i++)
		if (t->rows[i].pid == t->sel.pid &&
		    t->rows[i].start_time == t->sel.start_time)
			return &t->rows[i];
	return NULL;
}

void
tui_read_more(struct tui *t, struct proc *p, unsigned what)
{
	size_t i;
	int *np;

	if (t->a->o->gentle || t->ended || t->replay)
		return; /* a replay reads nothing: its regions are recorded */
	if (!(what & MODEL_SMAPS)) {
		for (i = 0; i < t->nread; i++)
			if (t->read_pids[i] == p->pid)
				return;
	}
	model_read_more(&t->a->m, p, what);
	if (t->nread == t->capread) {
		np = realloc(t->read_pids, (t->capread * 2 + 16) * sizeof *np);
		if (np == NULL)
			return;
		t->read_pids = np;
		t->capread = t->capread * 2 + 16;
	}
	t->read_pids[t->nread++] = p->pid;
}

void
tui_rows_free(struct tui_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(rows[i].own);
	free(rows);
}

/* What a row keeps of its own: figures, then comm and cmdline. */
struct tui_row_own {
	struct proc_figs now;
	char s[];
};

static const struct proc_figs tui_figs_unknown = {
#define X(f, name) .f = KB_UNKNOWN,
	PROC_FIGS
#undef X
};

int
tui_row_keep(struct tui_row *r, const struct proc_figs *now, const char *comm,
	     const char *cmdline, int copy)
{
	size_t nc = strlen(comm) + 1, nl = cmdline ? strlen(cmdline) + 1 : 0;
	struct tui_row_own *o;

	free(r->own);
	r->own = NULL;
	r->now = now;
	r->comm = comm;
	r->cmdline = cmdline;
	if (!copy)
		return 0;
	o = malloc(sizeof *o + nc + nl);
	if (o == NULL) {
		r->now = &tui_figs_unknown;
		r->comm = "";
		r->cmdline = NULL;
		return -ENOMEM;
	}
	o->now = *now;
	memcpy(o->s, comm, nc);
	if (cmdline != NULL)
		memcpy(o->s + nc, cmdline, nl);
	r->own = o;
	r->now = &o->now;
	r->comm = o->s;
	r->cmdline = cmdline != NULL ? o->s + nc : NULL;
	return 0;
}

/* With c: the list's change counts from the last mark, as the region
 * panel's does (a process not alive then: all of it is new). */
static void
tui_row_since(const struct tui *t, struct tui_row *r)
{
	const struct phases *ph = &t->a->ph;
	const struct phase_proc *pp;

	if (!t->since_mark || phase_count(ph) == 0)
		return;
	pp = phase_last_proc(ph, r->pid, r->start_time);
	if (pp == NULL)
		r->base_rss = 0;
	else
		r->base_rss = pp->figs.rss;
}

/* oom_score and oom_score_adj as this sample's cgroup reading has them
 * (none with --no-cgroup: unknown). */
static void
tui_row_oom(const struct model *m, struct tui_row *r)
{
	const struct cg_member *mb =
		m->cg != NULL ? cgroup_member(m->cg, r->pid) : NULL;

	r->oom = r->oomadj = KB_UNKNOWN;
	if (mb == NULL || mb->tick != m->cg->tick)
		return;
	if (mb->oom_score >= 0)
		r->oom = mb->oom_score;
	if (mb->oom_score_adj != LONG_MIN)
		r->oomadj = mb->oom_score_adj;
}

/* Copy the model's processes into t->rows.  A process that has become a
 * zombie or vanished mid-read keeps the figures it had. */
void
tui_rows_sync(struct tui *t)
{
	struct model *m = &t->a->m;
	struct tui_row *nr, *r;
	const struct tui_row *old;
	const struct proc *p;
	size_t i, k;

	if (t->replay) { /* the processes of the mark at the cursor */
		replay_rows(t);
		return;
	}
	nr = calloc(m->nprocs ? m->nprocs : 1, sizeof *nr);
	if (nr == NULL) {
		/* Out of memory: rows that point into the model cannot stay
		 * (the sample freed what left); copies can. */
		if (m->all) {
			tui_rows_free(t->rows, t->nrows);
			t->rows = NULL;
			t->nrows = 0;
		}
		return;
	}
	for (i = 0; i < m->nprocs; i++) {
		p = m->procs[i];
		r = &nr[i];
		r->pid = p->pid;
		r->ppid = p->ppid;
		r->depth = p->depth;
		r->nchildren = p->nchildren;
		r->start_time = p->start_time;
		r->base_rss = p->base.rss;
		r->status_err = p->status_err;
		r->rollup_err = p->rollup_err;
		/* All-processes mode never ends: the model's figures and
		 * strings stay until the next sample, which takes the rows
		 * again. */
		tui_row_keep(r, &p->now, p->comm, p->cmdline, !m->all);
		r->midx = (long)i;
		r->uid = p->uid;
		r->kthread = p->status_err == PROC_KTHREAD;
		tui_row_oom(m, r);
		tui_row_since(t, r);
		if (p->status_err != PROC_ZOMBIE && p->status_err != PROC_GONE)
			continue;
		for (k = 0; k < t->nrows; k++) {
			old = &t->rows[k];
			if (old->pid == p->pid &&
			    old->start_time == p->start_time &&
			    (old->now->rss >= 0 || old->exited)) {
				/* The model's are unknown now: a copy. */
				tui_row_keep(r, old->now, p->comm, p->cmdline,
					     1);
				r->base_rss = old->base_rss;
				r->exited = 1;
				break;
			}
		}
	}
	tui_rows_free(t->rows, t->nrows);
	t->rows = nr;
	t->nrows = m->nprocs;
}

/* Ask the screens on view for their costly figures, then refresh the
 * copies they draw from. */
void
tui_reads(struct tui *t, int full)
{
	struct view *v;
	int i;

	if (t->ended)
		return;
	/* A mark keeps the focused process's region table (model.h). */
	t->a->m.focus_pid = t->sel.valid ? t->sel.pid : 0;
	t->a->m.focus_start = t->sel.valid ? t->sel.start_time : 0;
	tui_layout(t);
	if (!t->a->o->gentle) {
		/* Last panel first: the focused process's full read includes
		 * its rollup, which the tree then need not read again. */
		for (i = t->npanels; i-- > 0;) {
			v = &t->panels[i];
			if (v->visible && v->ops->reads != NULL)
				v->ops->reads(t, v->data, full);
		}
		/* The rows not in view: PSS round-robin under a budget. */
		if (full)
			model_read_budget(&t->a->m, model_budget(&t->a->m));
		model_totals_update(&t->a->m);
	}
	tui_rows_sync(t);
	tui_views_sync(t);
}

void
tui_oom_tell(struct tui *t)
{
	char msg[1024];

	if (t->a->cg.noom <= t->oom_told)
		return;
	t->oom_told = t->a->cg.noom;
	cgroup_oom_msg(&t->a->cg.oom[t->oom_told - 1], msg, sizeof msg);
	tui_message(t, "%s", msg);
}

void
tui_set_ended(struct tui *t)
{
	size_t i;

	t->ended = 1;
	app_oom_child_end(t->a); /* the command's kill, if it was */
	tui_oom_tell(t);
	for (i = 0; i < t->nrows; i++) {
		t->rows[i].exited = 1;
		t->rows[i].midx = -1;
	}
	tui_views_sync(t);
}

/* The model took a sample outside a tick (a mark): proc pointers held
 * before are stale, so take the rows and the screens' figures again. */
void
tui_resampled(struct tui *t)
{
	struct app *a = t->a;

	if (t->ended)
		return;
	tui_oom_tell(t);
	t->ticks++;
	t->nread = 0;
	if (a->child == 0 && !model_alive(&a->m)) {
		tui_set_ended(t);
		return;
	}
	tui_rows_sync(t);
	tui_views_sync(t);
	tui_reads(t, 1);
	tui_metrics(t);
}

void
tui_metrics(struct tui *t)
{
	char msg[APP_MSG_MAX];

	if (metrics_publish(t->a, msg, sizeof msg))
		tui_message(t, "%s", msg);
}
