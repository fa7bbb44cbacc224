/*
 * model.c - one sample of the target tree: scan, select the target
 * (roots and descendants, or everything), read each process's figures
 * through the collector, keep baselines, order as a tree, add up totals;
 * and the pacing of the costly reads the screen asks for (model.h).
 *
 * Why one file of ~900 lines: every part works on the same table of
 * processes in one sample (its pid index, its order, each process's
 * baseline and pacing record), and each is short; split, they would
 * share model.c's private state through a header.  Reading and parsing
 * are elsewhere (collect.c and the parsers), totals' body is
 * model_totals_add().
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "htab.h"
#include "model.h"
#include "timeline.h"

int
model_init(struct model *m, struct collector *coll)
{
	memset(m, 0, sizeof *m);
	m->coll = coll;
	m->all = 1;
	clock_gettime(CLOCK_REALTIME, &m->start_wall);
	m->start_mono = clock_now();
	m->now_wall = m->start_wall;
	m->now_mono = m->start_mono;
	return 0;
}

void
model_free(struct model *m)
{
	size_t i;

	for (i = 0; i < m->table_n; i++) {
		proc_free(m->table[i]);
		if (m->pace != NULL)
			free(m->pace[i]);
	}
	free(m->table);
	free(m->pace);
	free(m->procs);
	free(m->roots);
	memset(m, 0, sizeof *m);
}

int
model_add_root(struct model *m, int pid)
{
	struct model_target *r;
	size_t i;

	for (i = 0; i < m->nroots; i++)
		if (m->roots[i].pid == pid)
			return 0;
	r = realloc(m->roots, (m->nroots + 1) * sizeof *r);
	if (r == NULL)
		return -ENOMEM;
	m->roots = r;
	memset(&r[m->nroots], 0, sizeof *r);
	r[m->nroots++].pid = pid;
	m->all = 0;
	return 0;
}

int
model_alive(const struct model *m)
{
	if (m->all || m->pgrep != NULL)
		return 1;
	return m->nprocs > 0;
}

/* Index of pid in the scan: a small hash table (htab.c) built per
 * sample over the scan's entries. */
struct model_idx {
	struct htab tab;
	const struct scan_ent *e;
};

static uint64_t
model_pid_hash(int pid)
{
	return htab_mix((uint64_t)(unsigned)pid);
}

static uint64_t
model_idx_hash(const void *ctx, size_t i)
{
	return model_pid_hash(((const struct model_idx *)ctx)->e[i].pid);
}

static int
model_idx_same(const void *ctx, size_t i, const void *key)
{
	return ((const struct model_idx *)ctx)->e[i].pid == *(const int *)key;
}

static int
model_idx_build(struct model_idx *h, const struct scan_ent *e, size_t n)
{
	size_t i;

	memset(h, 0, sizeof *h);
	h->e = e;
	if (htab_reserve(&h->tab, n, model_idx_hash, h) < 0)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		htab_add(&h->tab, model_pid_hash(e[i].pid), i);
	return 0;
}

/* The scan index of pid, or -1. */
static long
model_idx_find(const struct model_idx *h, int pid)
{
	size_t i = htab_find(&h->tab, model_pid_hash(pid), model_idx_same, h,
			     &pid);

	return i == HTAB_NONE ? -1 : (long)i;
}

static int
model_is_root(struct model *m, const struct scan_ent *e)
{
	size_t i;

	for (i = 0; i < m->nroots; i++) {
		if (m->roots[i].pid != e->pid)
			continue;
		if (!m->roots[i].found) {
			m->roots[i].found = 1;
			m->roots[i].start_time = e->start_time;
		}
		return m->roots[i].start_time == e->start_time;
	}
	return 0;
}

/* --pgrep: does the process's name or command line match?  Not ramtop
 * itself (its own command line has the pattern), not kernel threads. */
static int
model_pgrep_match(struct model *m, const struct scan_ent *e)
{
	char *cl = NULL;
	int r;

	if (e->kthread || e->pid == (int)getpid())
		return 0;
	if (regexec(m->pgrep, e->comm, 0, NULL, 0) == 0)
		return 1;
	if (collect_cmdline(m->coll, e->pid, &cl) < 0)
		return 0;
	r = regexec(m->pgrep, cl, 0, NULL, 0) == 0;
	free(cl);
	return r;
}

/*
 * Mark which scanned processes are in the target: a root, or a process
 * whose parent chain reaches a root.  in[i]: 0 unknown, 1 in, 2 out.
 */
static void
model_select(struct model *m, const struct scan_ent *e, size_t n,
	     const struct model_idx *h, unsigned char *in)
{
	size_t i, depth, k;
	size_t *chain;
	long j;
	unsigned char v;

	if (m->all) {
		memset(in, 1, n);
		return;
	}
	memset(in, 0, n);
	for (i = 0; i < n; i++)
		if (model_is_root(m, &e[i]) ||
		    (m->pgrep != NULL && model_pgrep_match(m, &e[i])))
			in[i] = 1;
	chain = malloc(n * sizeof *chain);
	if (chain == NULL)
		return;
	for (i = 0; i < n; i++) {
		depth = 0;
		j = (long)i;
		v = 2;
		while (j >= 0 && in[j] == 0 && depth < n) {
			chain[depth++] = (size_t)j;
			if (e[j].ppid <= 0)
				break;
			j = model_idx_find(h, e[j].ppid);
		}
		if (j >= 0 && in[j] != 0)
			v = in[j];
		for (k = 0; k < depth; k++)
			in[chain[k]] = v;
	}
	free(chain);
}

/* The index of pid in the table (sorted by pid), or -1. */
static long
model_table_find(const struct model *m, int pid)
{
	size_t lo = 0, hi = m->table_n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (m->table[mid]->pid == pid)
			return (long)mid;
		if (m->table[mid]->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static struct proc *
model_lookup(struct model *m, int pid)
{
	long i = model_table_find(m, pid);

	return i < 0 ? NULL : m->table[i];
}

static int
model_cmp_pid(const void *a, const void *b)
{
	const struct proc *x = *(struct proc *const *)a;
	const struct proc *y = *(struct proc *const *)b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Fill unknown baseline figures from the current ones (or zero). */
static void
model_baseline(struct model *m, struct proc *p)
{
	if (p->base_at == 0 && p->now.rss >= 0)
		p->base_at = clock_now();
#define X(f, key)                                                              \
	if (p->base.f < 0 && p->now.f >= 0)                                    \
		p->base.f = m->zero_baseline ? 0 : p->now.f;
	PROC_FIGS
#undef X
}

static void
model_read_status(struct model *m, struct proc *p)
{
	struct status_info st;
	int r;

	r = collect_status(m->coll, p->pid, &st);
	if (r < 0) {
		p->status_err = proc_err_from_errno(r);
		return;
	}
	p->status_err = PROC_OK;
	p->uid = st.uid;
	p->now.rss = st.vm_rss;
	p->now.anon = st.rss_anon;
	p->now.file = st.rss_file;
	p->now.shmem = st.rss_shmem;
	p->now.swap = st.vm_swap;
	p->now.locked = st.vm_lck;
	p->now.vsz = st.vm_size;
	p->now.hwm = st.vm_hwm;
	if (st.vm_rss < 0) /* no Vm lines: it exited between scan and read */
		p->status_err = st.state == 'Z' ? PROC_ZOMBIE : PROC_GONE;
}

static void
model_read_rollup(struct model *m, struct proc *p)
{
	struct smaps_mapping r;
	int err;

	err = collect_rollup(m->coll, p->pid, &r);
	if (err < 0) {
		p->rollup_err = proc_err_from_errno(err);
		p->now.pss = p->now.uss = p->now.swap_pss = KB_UNKNOWN;
		return;
	}
	p->rollup_err = PROC_OK;
	p->now.pss = r.f[SMAPS_PSS];
	if (r.f[SMAPS_PRIVATE_CLEAN] >= 0 && r.f[SMAPS_PRIVATE_DIRTY] >= 0)
		p->now.uss =
			r.f[SMAPS_PRIVATE_CLEAN] + r.f[SMAPS_PRIVATE_DIRTY];
	else
		p->now.uss = KB_UNKNOWN;
	p->now.swap_pss = r.f[SMAPS_SWAP_PSS];
}

int
model_read_smaps(struct model *m, struct proc *p, int keep_maps)
{
	struct region_set *s;
	int r;

	if (p->status_err == PROC_KTHREAD || p->status_err == PROC_ZOMBIE) {
		p->smaps_err = p->status_err;
		return -ESRCH;
	}
	s = calloc(1, sizeof *s);
	if (s == NULL)
		return -ENOMEM;
	/* Let the last set go before reading the next, not after: with
	 * 100,000 mappings a set is megabytes, and with the baseline two
	 * are enough.  A failed read leaves no regions, not stale ones. */
	if (p->regions != p->base_regions) {
		region_set_free(p->regions);
		free(p->regions);
	} else if (p->base_regions != NULL) {
		/* From now on only a baseline: its mappings' keys will do
		 * (if memory is short, the rows stay). */
		(void)region_set_compact(p->base_regions);
	}
	p->regions = NULL;
	r = collect_smaps(m->coll, p->pid, s, keep_maps ? REGION_KEEP_MAPS : 0);
	if (r < 0) {
		free(s);
		p->smaps_err = proc_err_from_errno(r);
		return r;
	}
	p->smaps_err = PROC_OK;
	p->regions = s;
	if (p->base_regions == NULL && !m->zero_baseline) {
		p->base_regions = s;
		p->regions_base_at = s->read_at;
	}
	return 0;
}

static double
model_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The pacing record of p, made on its first paced read; NULL when p
 * is not in the table or memory is short (then: no pacing, not
 * wrong).  Only processes read this way have one (most of an
 * all-processes table never do). */
static struct model_pace *
model_pace_of(struct model *m, const struct proc *p)
{
	long i;

	if (m->pace == NULL)
		return NULL;
	i = model_table_find(m, p->pid);
	if (i < 0 || m->table[i] != p)
		return NULL;
	if (m->pace[i] == NULL)
		m->pace[i] = calloc(1, sizeof *m->pace[i]);
	return m->pace[i];
}

static void
model_sig(const struct proc *p, struct model_sig *sig)
{
	sig->rss = p->now.rss;
	sig->anon = p->now.anon;
	sig->file = p->now.file;
	sig->shmem = p->now.shmem;
	sig->swap = p->now.swap;
	sig->locked = p->now.locked;
	sig->vsz = p->now.vsz;
}

/* Is the read that r paces (rollup or smaps) of p due at time now? */
static int
model_pace_due(const struct model_pace_read *r, const struct proc *p,
	       double now)
{
	struct model_sig sig;
	double iv, idle;

	if (r->at <= 0)
		return 1;
	iv = r->cost * MODEL_PACE_DUTY;
	model_sig(p, &sig);
	if (memcmp(&sig, &r->sig, sizeof sig) == 0) {
		idle = iv * MODEL_PACE_IDLE;
		if (idle < MODEL_PACE_IDLE_MIN)
			idle = MODEL_PACE_IDLE_MIN;
		if (idle > MODEL_PACE_IDLE_MAX)
			idle = MODEL_PACE_IDLE_MAX;
		if (idle > iv)
			iv = idle;
	}
	return now - r->at >= iv;
}

/* A paced read of p just ended, at this cost (r NULL: not paced). */
static void
model_pace_note(struct model_pace_read *r, const struct proc *p, double cost)
{
	if (r == NULL)
		return;
	r->at = clock_now();
	r->cost = cost;
	model_sig(p, &r->sig);
}

/* The costly reads of p: paced (model_read_more) or not (a sample). */
static void
model_read_costly(struct model *m, struct proc *p, unsigned what, int paced)
{
	struct model_pace *pc = paced ? model_pace_of(m, p) : NULL;
	int keep = (what & MODEL_KEEP_MAPS) != 0;
	int now = pc == NULL || (what & MODEL_NOW) != 0;
	double c0, t = clock_now();

	if (p->status_err != PROC_OK)
		return;
	if ((what & (MODEL_ROLLUP | MODEL_SMAPS)) &&
	    (now || model_pace_due(&pc->rollup, p, t))) {
		c0 = model_cpu();
		model_read_rollup(m, p);
		model_pace_note(pc ? &pc->rollup : NULL, p, model_cpu() - c0);
	}
	if ((what & MODEL_SMAPS) &&
	    (now || p->regions == NULL || p->smaps_err != PROC_OK ||
	     (keep && p->regions->maps == NULL) ||
	     model_pace_due(&pc->smaps, p, t))) {
		c0 = model_cpu();
		model_read_smaps(m, p, keep);
		model_pace_note(pc ? &pc->smaps : NULL, p, model_cpu() - c0);
		if ((what & MODEL_BASE_MAPS) && m->all && p->regions != NULL &&
		    p->regions == p->base_regions &&
		    p->regions->n_maps > MODEL_BASE_MAPS_MAX)
			region_set_drop_maps(p->regions);
	}
	model_baseline(m, p);
}

void
model_read_more(struct model *m, struct proc *p, unsigned what)
{
	model_read_costly(m, p, what, 1);
}

double
model_budget(const struct model *m)
{
	return m->sample_cpu * MODEL_BUDGET_SHARE;
}

/* When p's rollup was last read (paced), 0: never. */
static double
model_rollup_at(const struct model *m, const struct proc *p)
{
	long i = model_table_find(m, p->pid);

	if (i < 0 || m->pace == NULL || m->pace[i] == NULL)
		return 0;
	return m->pace[i]->rollup.at;
}

struct model_rr {
	struct proc *p;
	double at;
};

/* Never read first, smallest RSS first (cheap, and most rows get their
 * PSS soon; a process of many mappings, costly to read, tends to be
 * big and comes last); then the longest unread. */
static int
model_rr_cmp(const void *x, const void *y)
{
	const struct model_rr *a = x, *b = y;

	if ((a->at > 0) != (b->at > 0))
		return a->at > 0 ? 1 : -1;
	if (a->at <= 0)
		return (a->p->now.rss > b->p->now.rss) -
		       (a->p->now.rss < b->p->now.rss);
	return (a->at > b->at) - (a->at < b->at);
}

double
model_read_budget(struct model *m, double budget)
{
	struct model_rr *v;
	struct proc *p;
	size_t i, n = 0;
	double c0 = model_cpu(), spent = 0, first, again, lim, used;

	v = malloc((m->nprocs ? m->nprocs : 1) * sizeof *v);
	if (v == NULL)
		return 0;
	for (i = 0; i < m->nprocs; i++) {
		p = m->procs[i];
		if (p->status_err != PROC_OK || p->rollup_err == PROC_EACCES)
			continue;
		v[n].p = p;
		v[n++].at = model_rollup_at(m, p);
	}
	qsort(v, n, sizeof *v, model_rr_cmp);
	/* A sample may spend `budget`, and at least MODEL_BUDGET_MIN on
	 * first reads; what a read beyond that cost is owed, paid at that
	 * rate: later samples read nothing until it is paid.  Reading
	 * again what was read keeps to `budget`. */
	first = (budget > MODEL_BUDGET_MIN ? budget : MODEL_BUDGET_MIN) -
		m->budget_debt;
	again = budget < first ? budget : first;
	used = first; /* the limit of the last read made */
	for (i = 0; i < n; i++) {
		lim = v[i].at > 0 ? again : first;
		if (spent >= lim)
			break;
		model_read_more(m, v[i].p, MODEL_ROLLUP);
		spent = model_cpu() - c0;
		used = lim;
	}
	m->budget_debt = spent > used ? spent - used : 0;
	free(v);
	return spent;
}

/* Pick up a scanned process: a new struct proc, or the known one. */
static struct proc *
model_track(struct model *m, const struct scan_ent *e)
{
	struct proc *p;

	p = model_lookup(m, e->pid);
	if (p != NULL && p->start_time == e->start_time)
		return p;
	/* New, or the pid was reused by a new process: a fresh baseline. */
	p = calloc(1, sizeof *p);
	if (p == NULL)
		return NULL;
	p->pid = e->pid;
	p->start_time = e->start_time;
	p->uid = -1;
	p->rss_peak = KB_UNKNOWN;
	proc_figs_unknown(&p->now);
	proc_figs_unknown(&p->base);
	p->base_regions_zero = m->zero_baseline;
	if (m->zero_baseline) /* launched: Δ counts from nothing */
		p->regions_base_at = m->start_mono;
	return p;
}

/* Did p exec since its last look (same pid and start time, a new
 * program)?  comm, or where the code and stack start (with ASLR they
 * move at every exec; the kernel shows them only to who may ptrace). */
static int
model_execed(const struct proc *p, const struct scan_ent *e)
{
	if (strcmp(p->comm, e->comm) != 0)
		return 1;
	return e->sig_known && p->status_at > 0 &&
	       (e->code_start != p->code_start ||
		e->stack_start != p->stack_start);
}

/* Is p's status to be read again (MODEL_STATUS_MAX)? */
static int
model_status_due(const struct proc *p, const struct scan_ent *e, int execed,
		 double now)
{
	if (!e->sig_known || p->status_at <= 0 || execed ||
	    p->status_err != PROC_OK)
		return 1;
	if (e->rss_pages != p->stat_rss || e->vsize != p->stat_vsize ||
	    e->faults != p->stat_faults)
		return 1;
	return now - p->status_at >= MODEL_STATUS_MAX;
}

static void
model_stat_note(struct proc *p, const struct scan_ent *e)
{
	p->stat_rss = e->rss_pages;
	p->stat_vsize = e->vsize;
	p->stat_faults = e->faults;
	p->code_start = e->code_start;
	p->stack_start = e->stack_start;
	p->status_at = clock_now();
}

static void
model_read(struct model *m, struct proc *p, const struct scan_ent *e,
	   unsigned what)
{
	struct proc_figs old = p->now;
	int execed;

	execed = model_execed(p, e);
	memcpy(p->comm, e->comm, sizeof p->comm);
	p->ppid = e->ppid;
	p->state = e->state;
	if (e->kthread || e->state == 'Z') {
		proc_figs_unknown(&p->now);
		p->status_err = p->rollup_err = p->smaps_err =
			e->kthread ? PROC_KTHREAD : PROC_ZOMBIE;
		p->status_at = 0;
		if (p->cmdline == NULL) /* a kernel thread has none */
			p->cmdline = strdup("");
		return;
	}
	if (p->cmdline == NULL || execed) {
		free(p->cmdline);
		if (collect_cmdline(m->coll, p->pid, &p->cmdline) < 0)
			p->cmdline = NULL;
	}
	if (!model_status_due(p, e, execed, clock_now())) {
		/* stat says nothing moved: status's figures are the same. */
		if (what & (MODEL_ROLLUP | MODEL_SMAPS))
			model_read_costly(m, p, what, 0);
		return;
	}
	/* Rollup figures not read this sample keep their last value. */
	proc_figs_unknown(&p->now);
	if (!(what & (MODEL_ROLLUP | MODEL_SMAPS))) {
		p->now.pss = old.pss;
		p->now.uss = old.uss;
		p->now.swap_pss = old.swap_pss;
	}
	model_read_status(m, p);
	if (p->status_err != PROC_OK) {
		p->rollup_err = p->smaps_err = p->status_err;
		p->status_at = 0;
		return;
	}
	model_stat_note(p, e);
	model_read_costly(m, p, what, 0);
}

static int
model_cmp_ppid(const void *a, const void *b)
{
	const struct proc *x = *(struct proc *const *)a;
	const struct proc *y = *(struct proc *const *)b;

	if (x->ppid != y->ppid)
		return (x->ppid > y->ppid) - (x->ppid < y->ppid);
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* First index in byppid (sorted by ppid) whose ppid is pid, or n. */
static size_t
model_first_child(struct proc **byppid, size_t n, int pid)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (byppid[mid]->ppid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Order alive targets as a tree, depth first, siblings by pid.  v is
 * sorted by pid.  A process whose parent is not in the target is a root.
 */
static int
model_order(struct model *m, struct proc **v, size_t n)
{
	struct proc **stack, **byppid, *p;
	size_t sp = 0, out = 0, i, k;

	m->nprocs = 0;
	if (n == 0)
		return 0;
	stack = malloc(n * sizeof *stack);
	byppid = malloc(n * sizeof *byppid);
	if (stack == NULL || byppid == NULL) {
		free(stack);
		free(byppid);
		return -ENOMEM;
	}
	memcpy(byppid, v, n * sizeof *v);
	qsort(byppid, n, sizeof *byppid, model_cmp_ppid);
	for (i = 0; i < n; i++) {
		v[i]->depth = 0;
		v[i]->nchildren = 0;
	}
	/* Roots in reverse pid order so the smallest pops first. */
	for (i = n; i-- > 0;) {
		p = model_lookup(m, v[i]->ppid);
		if (p == NULL || p == v[i])
			stack[sp++] = v[i];
	}
	while (sp > 0 && out < n) {
		p = stack[--sp];
		m->procs[out++] = p;
		i = model_first_child(byppid, n, p->pid);
		for (k = i; k < n && byppid[k]->ppid == p->pid; k++)
			p->nchildren++;
		while (k-- > i && sp < n) {
			if (byppid[k] == p)
				continue;
			byppid[k]->depth = p->depth + 1;
			stack[sp++] = byppid[k];
		}
	}
	m->nprocs = out;
	free(stack);
	free(byppid);
	return 0;
}

void
model_totals_add(struct model_totals *t, const struct proc_figs *now,
		 const struct proc_figs *base, long long pss, long long uss,
		 const struct region_set *regions)
{
	long long d;
	int k;

	t->nprocs++;
#define SUM(v, f, cnt)                                                         \
	if ((v) >= 0)                                                          \
		t->f += (v);                                                   \
	else                                                                   \
		t->cnt++;
	SUM(now->rss, rss, rss_unknown)
	SUM(pss, pss, pss_unknown)
	SUM(uss, uss, uss_unknown)
	SUM(now->swap, swap, swap_unknown)
#undef SUM
	d = kb_delta(now->rss, base->rss);
	if (d != KB_UNKNOWN)
		t->rss_delta += d;
	if (regions != NULL) {
		t->with_regions++;
		for (k = 0; k < REGION_NTYPES; k++) {
			region_fig_add(&t->by_type[k], &regions->by_type[k]);
			t->by_type_count[k] += regions->by_type_count[k];
		}
	}
}

void
model_totals_update(struct model *m)
{
	const struct proc *p;
	size_t i;

	memset(&m->tot, 0, sizeof m->tot);
	for (i = 0; i < m->nprocs; i++) {
		p = m->procs[i];
		/* Kernel threads have no user memory: not in the sums, not
		 * unknown either. */
		if (p->status_err == PROC_KTHREAD)
			continue;
		model_totals_add(&m->tot, &p->now, &p->base, p->now.pss,
				 p->now.uss,
				 p->regions != NULL && p->smaps_err == PROC_OK
					 ? p->regions
					 : NULL);
	}
}

/* The pacing records for the new table nt (sorted by pid, like the old
 * one): a process still there keeps its own; the others' are freed. */
static void
model_pace_carry(struct model *m, struct proc **nt, size_t nn)
{
	struct model_pace **np;
	size_t i, k = 0;

	np = calloc(nn ? nn : 1, sizeof *np);
	for (i = 0; np != NULL && m->pace != NULL && i < nn; i++) {
		while (k < m->table_n && m->table[k]->pid < nt[i]->pid)
			k++;
		if (k < m->table_n && m->table[k] == nt[i]) {
			np[i] = m->pace[k];
			m->pace[k] = NULL;
		}
	}
	for (k = 0; m->pace != NULL && k < m->table_n; k++)
		free(m->pace[k]);
	free(m->pace);
	m->pace = np; /* NULL when out of memory: no pacing, not wrong */
}

/* A sample's processes as they are taken (model_take). */
struct model_scan {
	struct model *m;
	unsigned what;
	struct proc **nt;
	size_t nn, cap;
	int err;
};

/* One process of the sample, its stat e: tracked, read, kept in s.
 * Returns it, or NULL (gone, or out of memory). */
static struct proc *
model_take(struct model_scan *s, const struct scan_ent *e)
{
	struct model *m = s->m;
	struct proc **np, *p;
	size_t cap;

	if (s->err < 0)
		return NULL;
	if (s->nn == s->cap) {
		cap = s->cap ? s->cap * 2 : 256;
		np = realloc(s->nt, cap * sizeof *np);
		if (np == NULL) {
			s->err = -ENOMEM;
			return NULL;
		}
		s->nt = np;
		s->cap = cap;
	}
	p = model_track(m, e);
	if (p == NULL)
		return NULL;
	model_read(m, p, e, s->what);
	if (p->status_err == PROC_GONE && !m->keep_gone) {
		/* Exited between its stat and the read: drop it. */
		if (model_lookup(m, p->pid) != p)
			proc_free(p);
		return NULL;
	}
	p->seen_tick = m->tick;
	p->alive = 1;
	s->nt[s->nn++] = p;
	return p;
}

/* collect_scan's callback: the process taken inside the scan, and what
 * cgroup_sample will read of it read now too. */
static void
model_take_each(void *arg, const struct scan_ent *e)
{
	struct model_scan *s = arg;
	struct proc *p = model_take(s, e);

	if (p != NULL && s->m->cg != NULL)
		cgroup_take(s->m->cg, s->m->coll, s->m, p);
}

/* Watching all processes, each is taken as the scan reads its stat:
 * its status and command line then cost the kernel less (collect.h).
 * A target tree needs the whole scan first (who descends from whom). */
static int
model_scan_take(struct model *m, struct model_scan *s)
{
	const struct scan_ent *e;
	struct model_idx h;
	unsigned char *in;
	size_t n, i;
	int r;

	if (m->all) {
		r = collect_scan(m->coll, &e, &n, model_take_each, s);
		m->scan_err = r;
		return r < 0 ? r : s->err;
	}
	r = collect_scan(m->coll, &e, &n, NULL, NULL);
	m->scan_err = r;
	if (r < 0)
		return r;
	if (model_idx_build(&h, e, n) < 0)
		return -ENOMEM;
	in = malloc(n ? n : 1);
	if (in == NULL) {
		htab_free(&h.tab);
		return -ENOMEM;
	}
	model_select(m, e, n, &h, in);
	for (i = 0; i < n; i++)
		if (in[i] == 1)
			(void)model_take(s, &e[i]);
	htab_free(&h.tab);
	free(in);
	return s->err;
}

int
model_sample(struct model *m, unsigned what)
{
	struct model_scan s = {m, what, NULL, 0, 0, 0};
	struct proc **nt;
	size_t nn, i;
	double t0 = clock_now(), c0 = model_cpu();
	int r;

	m->tick++;
	r = model_scan_take(m, &s);
	if (r < 0) {
		/* The table stays as it was: what this sample made goes. */
		for (i = 0; i < s.nn; i++)
			if (model_lookup(m, s.nt[i]->pid) != s.nt[i])
				proc_free(s.nt[i]);
		free(s.nt);
		return r;
	}
	nt = s.nt != NULL ? s.nt : malloc(sizeof *nt);
	if (nt == NULL)
		return -ENOMEM;
	nn = s.nn;
	qsort(nt, nn, sizeof *nt, model_cmp_pid);
	model_pace_carry(m, nt, nn);
	/* Free what left the target: exited, or a pid now reused. */
	for (i = 0; i < m->table_n; i++)
		if (m->table[i]->seen_tick != m->tick)
			proc_free(m->table[i]);
	free(m->table);
	m->table = nt;
	m->table_n = nn;
	free(m->procs);
	m->procs = malloc((nn ? nn : 1) * sizeof *m->procs);
	if (m->procs == NULL || model_order(m, m->table, nn) < 0)
		m->nprocs = 0;

	collect_system(m->coll, &m->sys);
	model_totals_update(m);
	timeline_procs_note(m);
	clock_gettime(CLOCK_REALTIME, &m->now_wall);
	m->now_mono = clock_now();
	if (m->shm != NULL)
		shmfs_sample(m->shm, m);
	if (m->cg != NULL)
		cgroup_sample(m->cg, m);
	m->sample_ms = (m->now_mono - t0) * 1000.0;
	m->sample_cpu = model_cpu() - c0;
	return 0;
}

int
model_mark_wants(const struct model *m, const struct proc *p)
{
	switch (m->mark_regions) {
	case MODEL_MARK_ALL:
		return 1;
	case MODEL_MARK_NONE:
		return 0;
	default:
		return !m->all || (p->pid == m->focus_pid &&
				   p->start_time == m->focus_start);
	}
}

void
model_rebaseline(struct model *m)
{
	struct proc *p;
	size_t i;

	for (i = 0; i < m->table_n; i++) {
		p = m->table[i];
		p->base = p->now;
		if (p->base_regions != p->regions) {
			region_set_free(p->base_regions);
			free(p->base_regions);
		}
		p->base_regions = p->regions;
		p->base_regions_zero = 0;
		/* The regions' moment is when they were read (b reads the
		 * focused process's afresh first). */
		p->base_at = clock_now();
		p->regions_base_at =
			p->regions != NULL ? p->regions->read_at : 0;
	}
	m->zero_baseline = 0;
	model_totals_update(m);
}
