/*
 * budgeteval.c - evaluate budget rules (budget.c parses them) over the
 * moments of a run: build a frame from a phase or from the model's
 * current sample, compute each rule's figure there, keep each rule's
 * worst moment, and say which rules stopped holding.
 *
 * Unknown figures stay unknown: a moment where a rule's figure (or the
 * base of its percentage) is unknown does not count for it, and a rule
 * with no known value at all ends "unknown" with the reason, never
 * "pass".  Touches only the frames, the phases and the model it is given.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "fmt.h"
#include "json.h"
#include "model.h"

/* ---- frames ----------------------------------------------------------- */

static long long
bf_json_kb(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_integer(v) && json_integer_value(v) >= 0
		       ? (long long)json_integer_value(v)
		       : KB_UNKNOWN;
}

int
budget_frame_from_phase(struct budget_frame *f, const struct phase *p)
{
	const json_t *sys = json_object_get(p->json, "system");
	const json_t *procs = json_object_get(p->json, "processes");
	const struct phase_proc *pp;
	struct budget_proc *bp;
	size_t i;

	memset(f, 0, sizeof *f);
	f->is_phase = 1;
	f->index = p->index;
	f->label = p->label;
	snprintf(f->time, sizeof f->time, "%s", p->time);
	f->elapsed_s = p->elapsed_s;
	f->rss = p->rss;
	f->pss = p->pss;
	f->uss = p->uss;
	f->swap = p->swap;
	f->has_types = p->has_by_type;
	memcpy(f->by_type, p->by_type, sizeof f->by_type);
	f->mem_total = bf_json_kb(sys, "mem_total_kb");
	f->swap_total = bf_json_kb(sys, "swap_total_kb");
	f->dev_shm_size = bf_json_kb(sys, "dev_shm_size_kb");
	f->has_procs = 1;
	f->procs = calloc(p->nprocs + 1, sizeof *f->procs);
	if (f->procs == NULL)
		return -ENOMEM;
	for (i = 0; i < p->nprocs; i++) {
		pp = &p->procs[i];
		bp = &f->procs[f->nprocs++];
		bp->pid = pp->pid;
		bp->start_time = pp->start_time;
		bp->comm = pp->comm;
		bp->cmdline = pp->cmdline;
		bp->figs = pp->figs;
		/* VmHWM is in the file, not in the phase structs. */
		bp->figs.hwm = bf_json_kb(json_array_get(procs, i), "hwm_kb");
		bp->has_types = pp->has_regions;
		memcpy(bp->by_type, pp->by_type, sizeof bp->by_type);
	}
	return 0;
}

int
budget_frame_from_model(struct budget_frame *f, const struct model *m)
{
	const struct model_totals *t = &m->tot;
	const struct proc *p;
	struct budget_proc *bp;
	size_t i;

	memset(f, 0, sizeof *f);
	f->index = -1;
	fmt_time(f->time, sizeof f->time, (long)m->now_wall.tv_sec,
		 m->now_wall.tv_nsec);
	f->elapsed_s = m->now_mono - m->start_mono;
	/* As json_totals(): a sum is unknown only when no process was read. */
#define TOT(x)                                                                 \
	(t->nprocs > 0 && t->x##_unknown == t->nprocs ? KB_UNKNOWN : t->x)
	f->rss = TOT(rss);
	f->pss = TOT(pss);
	f->uss = TOT(uss);
	f->swap = TOT(swap);
#undef TOT
	/* By type only when every process's regions are in it. */
	f->has_types = t->nprocs > 0 && t->with_regions == t->nprocs;
	memcpy(f->by_type, t->by_type, sizeof f->by_type);
	f->mem_total = m->sys.mi.mem_total;
	f->swap_total = m->sys.mi.swap_total;
	f->dev_shm_size = m->sys.dev_shm_size;
	f->has_procs = 1;
	f->procs = calloc(m->nprocs + 1, sizeof *f->procs);
	if (f->procs == NULL)
		return -ENOMEM;
	for (i = 0; i < m->nprocs; i++) {
		p = m->procs[i];
		bp = &f->procs[f->nprocs++];
		bp->pid = p->pid;
		bp->start_time = p->start_time;
		bp->comm = p->comm;
		bp->cmdline = p->cmdline;
		bp->figs = p->now;
		bp->has_types = p->regions != NULL && p->smaps_err == PROC_OK;
		if (bp->has_types)
			memcpy(bp->by_type, p->regions->by_type,
			       sizeof bp->by_type);
	}
	return 0;
}

void
budget_frame_free(struct budget_frame *f)
{
	free(f->procs);
	memset(f, 0, sizeof *f);
}

/* ---- figures ------------------------------------------------------------ */

static long long
be_metric(const struct region_fig *g, enum budget_metric m)
{
	switch (m) {
	case BUDGET_M_RSS:
		return g->rss;
	case BUDGET_M_SIZE:
		return g->size;
	case BUDGET_M_PSS:
		return g->pss;
	case BUDGET_M_SWAP:
		return g->swap;
	case BUDGET_M_LOCKED:
		return g->locked;
	}
	return KB_UNKNOWN;
}

/* A process's figure (not a delta); < 0 unknown. */
static long long
be_proc(const struct budget_rule *r, const struct budget_proc *p)
{
	switch (r->fig) {
	case BUDGET_RSS:
		return p->figs.rss;
	case BUDGET_PSS:
		return p->figs.pss;
	case BUDGET_USS:
		return p->figs.uss;
	case BUDGET_SWAP:
		return p->figs.swap;
	case BUDGET_SHM:
		return p->figs.shmem;
	case BUDGET_LOCKED:
		return p->figs.locked;
	case BUDGET_PEAK:
		return p->figs.hwm;
	case BUDGET_TYPE:
		return p->has_types ? be_metric(&p->by_type[r->type], r->metric)
				    : KB_UNKNOWN;
	}
	return KB_UNKNOWN;
}

/* Σ of a process figure over the tree: unknown only if none is known. */
static long long
be_sum(const struct budget_rule *r, const struct budget_frame *f)
{
	long long s = 0, v;
	size_t i, known = 0;

	if (!f->has_procs)
		return KB_UNKNOWN;
	for (i = 0; i < f->nprocs; i++)
		if ((v = be_proc(r, &f->procs[i])) >= 0) {
			s += v;
			known++;
		}
	return known > 0 || f->nprocs == 0 ? s : KB_UNKNOWN;
}

/* The tree's figure (not a delta); < 0 unknown.  peak: the caller's. */
static long long
be_tree(const struct budget_rule *r, const struct budget_frame *f,
	long long peak)
{
	switch (r->fig) {
	case BUDGET_RSS:
		return f->rss;
	case BUDGET_PSS:
		return f->pss;
	case BUDGET_USS:
		return f->uss;
	case BUDGET_SWAP:
		return f->swap;
	case BUDGET_SHM:
	case BUDGET_LOCKED:
		return be_sum(r, f);
	case BUDGET_PEAK:
		return peak;
	case BUDGET_TYPE:
		return f->has_types ? be_metric(&f->by_type[r->type], r->metric)
				    : KB_UNKNOWN;
	}
	return KB_UNKNOWN;
}

static const struct budget_proc *
be_find(const struct budget_frame *f, const struct budget_proc *p)
{
	size_t i;

	for (i = 0; i < f->nprocs; i++)
		if (f->procs[i].pid == p->pid &&
		    f->procs[i].start_time == p->start_time)
			return &f->procs[i];
	return NULL;
}

/* The value of r for process p (NULL: the tree) at f, deltas against
 * ref; KB_UNKNOWN unknown. */
static long long
be_value(const struct budget_rule *r, const struct budget_frame *f,
	 const struct budget_proc *p, const struct budget_frame *ref,
	 long long peak)
{
	const struct budget_proc *q;
	long long now, then;

	now = p != NULL ? be_proc(r, p) : be_tree(r, f, peak);
	if (now < 0)
		return KB_UNKNOWN;
	if (r->delta == BUDGET_ABS)
		return now;
	if (ref == NULL)
		return KB_UNKNOWN;
	if (p == NULL) {
		then = be_tree(r, ref, peak);
	} else {
		if (!ref->has_procs)
			return KB_UNKNOWN;
		q = be_find(ref, p);
		then = q != NULL ? be_proc(r, q) : 0; /* new: all of it */
	}
	return then < 0 ? KB_UNKNOWN : now - then;
}

/* Does a process match the rule's name?  Its command line holds it
 * (or, without one, its comm). */
static int
be_match(const struct budget_rule *r, const struct budget_proc *p)
{
	if (p->cmdline != NULL && p->cmdline[0] != '\0')
		return strstr(p->cmdline, r->process) != NULL;
	return p->comm != NULL && strstr(p->comm, r->process) != NULL;
}

/* Does the rule apply at frame f (its phase)? */
static int
be_applies(const struct budget_rule *r, const struct budget_frame *f)
{
	const char *s;
	char *end;
	long v;

	if (r->phase == NULL)
		return 1;
	if (!f->is_phase)
		return 0;
	for (s = r->phase; *s >= '0' && *s <= '9'; s++)
		;
	if (*s == '\0') { /* digits: an index, as `ramtop diff` */
		v = strtol(r->phase, &end, 10);
		return v == f->index;
	}
	return f->label != NULL && strcmp(f->label, r->phase) == 0;
}

/* The limit at f in KiB, KB_UNKNOWN when its base is unknown. */
static long long
be_limit(const struct budget_rule *r, const struct budget_frame *f,
	 const char **why)
{
	long long base;

	if (!r->pct)
		return r->limit_kb;
	if (r->fig == BUDGET_SHM) {
		base = f->dev_shm_size;
		*why = "/dev/shm's size is not known (not in the file: "
		       "written by an older ramtop?)";
	} else if (r->fig == BUDGET_SWAP) {
		base = f->swap_total;
		*why = "SwapTotal is not known";
	} else {
		base = f->mem_total;
		*why = "MemTotal is not known";
	}
	if (base < 0)
		return KB_UNKNOWN;
	return llround((double)base * r->pct_value / 100.0);
}

static int
be_holds(enum budget_op op, long long v, long long lim)
{
	switch (op) {
	case BUDGET_LE:
		return v <= lim;
	case BUDGET_LT:
		return v < lim;
	case BUDGET_GE:
		return v >= lim;
	case BUDGET_GT:
		return v > lim;
	}
	return 0;
}

/* ---- evaluation ------------------------------------------------------------ */

int
budget_eval_init(struct budget_eval *e, const struct budget *b)
{
	memset(e, 0, sizeof *e);
	e->b = b;
	e->tree_peak = KB_UNKNOWN;
	e->res = calloc(b->n + 1, sizeof *e->res);
	if (e->res == NULL)
		return -ENOMEM;
	return 0;
}

void
budget_eval_free(struct budget_eval *e)
{
	free(e->res);
	memset(e, 0, sizeof *e);
}

/* A process name as the JSON encodes it (json_bytes), the form a
 * phase holds it in: the model's names (raw) are encoded here. */
static void
be_comm(char *out, size_t len, const char *comm, int raw)
{
	char enc[64 * 4 + 1];
	size_t n;

	if (comm == NULL)
		comm = "";
	if (raw) {
		json_bytes_encode(enc, comm, strnlen(comm, 64));
		comm = enc;
	}
	n = strnlen(comm, len - 1);
	memcpy(out, comm, n);
	out[n] = '\0';
}

static void
be_where(struct budget_where *w, const struct budget_frame *f,
	 const struct budget_frame *prev, const struct budget_proc *p)
{
	const struct budget_frame *ph = f->is_phase ? f : prev;

	memset(w, 0, sizeof *w);
	w->sample = !f->is_phase;
	w->phase_index = ph != NULL ? ph->index : -1;
	if (ph != NULL && ph->label != NULL)
		snprintf(w->phase_label, sizeof w->phase_label, "%s",
			 ph->label);
	if (p != NULL) {
		w->pid = p->pid;
		be_comm(w->comm, sizeof w->comm, p->comm, !f->is_phase);
	}
	snprintf(w->time, sizeof w->time, "%s", f->time);
	w->elapsed_s = f->elapsed_s;
}

/* Evaluate rule k at f; returns 1 if it stopped holding there. */
static int
be_rule(struct budget_eval *e, size_t k, const struct budget_frame *f,
	const struct budget_frame *prev, const struct budget_frame *base)
{
	const struct budget_rule *r = &e->b->v[k];
	struct budget_result *res = &e->res[k];
	const struct budget_frame *ref;
	const struct budget_proc *wp = NULL;
	const char *why = NULL;
	long long v, lim, margin, bestv = KB_UNKNOWN, bestm = 0;
	size_t i;
	int any = 0, was;

	if (!be_applies(r, f))
		return 0;
	res->applied++;
	ref = r->delta == BUDGET_SINCE_BASE ? base : prev;
	lim = be_limit(r, f, &why);
	if (r->process == NULL) {
		any = 1;
		bestv = be_value(r, f, NULL, ref, e->tree_peak);
	} else if (f->has_procs) {
		for (i = 0; i < f->nprocs; i++) {
			if (!be_match(r, &f->procs[i]))
				continue;
			any = 1;
			v = be_value(r, f, &f->procs[i], ref, e->tree_peak);
			if (v == KB_UNKNOWN || lim == KB_UNKNOWN)
				continue;
			margin = r->op <= BUDGET_LT ? v - lim : lim - v;
			if (bestv == KB_UNKNOWN || margin > bestm) {
				bestv = v;
				bestm = margin;
				wp = &f->procs[i];
			}
		}
	}
	if (!any)
		return 0;
	res->matched++;
	if (bestv == KB_UNKNOWN || lim == KB_UNKNOWN) {
		if (res->evaluated == 0) {
			char fig[64];

			if (lim == KB_UNKNOWN)
				snprintf(res->why, sizeof res->why, "%s", why);
			else if (ref == NULL && r->delta != BUDGET_ABS)
				snprintf(res->why, sizeof res->why,
					 "no earlier phase to take the delta "
					 "from");
			else
				snprintf(res->why, sizeof res->why,
					 "%s is unknown there%s",
					 budget_fig_name(r, fig, sizeof fig),
					 r->fig == BUDGET_TYPE
						 ? " (regions not read: "
						   "they are read at marks, "
						   "or every sample with "
						   "--regions)"
						 : "");
		}
		return 0;
	}
	margin = r->op <= BUDGET_LT ? bestv - lim : lim - bestv;
	if (res->evaluated == 0 || margin > res->margin) {
		res->margin = margin;
		res->measured = bestv;
		res->limit = lim;
		be_where(&res->where, f, prev, wp);
	}
	res->evaluated++;
	was = res->broken_now;
	res->broken_now = !be_holds(r->op, bestv, lim);
	if (res->broken_now)
		res->broke++;
	res->status = res->broke > 0 ? BUDGET_FAIL : BUDGET_PASS;
	return res->broken_now && !was;
}

size_t
budget_eval_frame(struct budget_eval *e, const struct budget_frame *f,
		  const struct budget_frame *prev,
		  const struct budget_frame *base, size_t *newly, size_t max)
{
	size_t k, n = 0;

	if (f->rss >= 0 && f->rss > e->tree_peak)
		e->tree_peak = f->rss;
	for (k = 0; k < e->b->n; k++)
		if (be_rule(e, k, f, prev, base) && n < max)
			newly[n++] = k;
	return n;
}

/* Is there a phase the rule's phase names? */
static int
be_phase_exists(const struct budget_rule *r, const struct phases *ph)
{
	struct budget_frame f;
	size_t i;

	memset(&f, 0, sizeof f);
	f.is_phase = 1;
	for (i = 0; ph != NULL && i < ph->n; i++) {
		f.index = ph->v[i].index;
		f.label = ph->v[i].label;
		if (be_applies(r, &f))
			return 1;
	}
	return 0;
}

void
budget_eval_finish(struct budget_eval *e, const struct phases *ph)
{
	const struct budget_rule *r;
	struct budget_result *res;
	size_t k;

	for (k = 0; k < e->b->n; k++) {
		r = &e->b->v[k];
		res = &e->res[k];
		if (res->status != BUDGET_NOT_YET)
			continue;
		res->measured = res->limit = KB_UNKNOWN;
		if (r->phase != NULL && !be_phase_exists(r, ph))
			snprintf(res->why, sizeof res->why,
				 "phase \"%s\" was never marked", r->phase);
		else if (res->applied == 0)
			snprintf(res->why, sizeof res->why,
				 "nothing was recorded to check it against");
		else if (res->matched == 0)
			snprintf(res->why, sizeof res->why,
				 "no process matched \"%s\"%s", r->process,
				 r->phase != NULL ? " at that phase" : "");
		else if (res->why[0] == '\0')
			snprintf(res->why, sizeof res->why,
				 "the figure is unknown");
	}
}

void
budget_eval_counts(const struct budget_eval *e, size_t *fail, size_t *unknown,
		   size_t *pass)
{
	size_t k;

	*fail = *unknown = *pass = 0;
	for (k = 0; k < e->b->n; k++) {
		if (e->res[k].status == BUDGET_FAIL)
			(*fail)++;
		else if (e->res[k].status == BUDGET_PASS)
			(*pass)++;
		else
			(*unknown)++;
	}
}
