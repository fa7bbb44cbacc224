/*
 * phase_diff.c - the difference of two phases: per-process and per-type
 * changes, sorted by size.
 *
 * Touches: nothing but its arguments.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "phase.h"

/* A figure with unknown counted as 0 (a region absent on one side). */
static long long
phase_diff_kb0(long long v)
{
	return v < 0 ? 0 : v;
}

static long long
phase_abs(long long v)
{
	return v < 0 ? -v : v;
}

static int
phase_fig_differs(const struct region_fig *a, const struct region_fig *b)
{
	return a->size != b->size || a->rss != b->rss || a->pss != b->pss ||
	       a->swap != b->swap || a->locked != b->locked ||
	       a->private_ != b->private_ || a->shared != b->shared;
}

struct phase_dbuf {
	struct phase_change *v;
	size_t n, cap;
	struct phase_proc_change *pv;
	size_t pn, pcap;
};

static int
phase_add_change(struct phase_dbuf *d, const struct phase_proc *pa,
		 const struct phase_proc *pb, const struct phase_region *ra,
		 const struct phase_region *rb)
{
	static const struct region_fig zero = { 0, 0, 0, 0, 0, 0, 0 };
	struct phase_change c, *v;

	memset(&c, 0, sizeof c);
	c.pa = pa;
	c.pb = pb;
	c.type = ra ? ra->type : rb->type;
	c.name = ra ? ra->name : rb->name;
	c.flags = rb ? rb->flags : ra->flags;
	c.a = ra ? ra->fig : zero;
	c.b = rb ? rb->fig : zero;
	c.count_a = ra ? ra->count : 0;
	c.count_b = rb ? rb->count : 0;
	c.in_a = ra != NULL;
	c.in_b = rb != NULL;
	if (!phase_fig_differs(&c.a, &c.b) && c.count_a == c.count_b)
		return 0;
	c.d_rss = phase_diff_kb0(c.b.rss) - phase_diff_kb0(c.a.rss);
	c.d_size = phase_diff_kb0(c.b.size) - phase_diff_kb0(c.a.size);
	c.d_pss = phase_diff_kb0(c.b.pss) - phase_diff_kb0(c.a.pss);
	if (d->n == d->cap) {
		v = realloc(d->v, (d->cap ? d->cap * 2 : 64) * sizeof *v);
		if (v == NULL)
			return -ENOMEM;
		d->v = v;
		d->cap = d->cap ? d->cap * 2 : 64;
	}
	d->v[d->n++] = c;
	return 0;
}

/* Compare the region groups of one process pair (both sorted). */
static int
phase_diff_regions(struct phase_dbuf *d, const struct phase_proc *pa,
		   const struct phase_proc *pb)
{
	size_t i = 0, j = 0, na = pa ? pa->nregions : 0,
	       nb = pb ? pb->nregions : 0;
	int c, r = 0;

	while (r == 0 && (i < na || j < nb)) {
		if (i < na && j < nb)
			c = phase_region_cmp(&pa->regions[i], &pb->regions[j]);
		else
			c = i < na ? -1 : 1;
		if (c == 0)
			r = phase_add_change(d, pa, pb, &pa->regions[i++],
					     &pb->regions[j++]);
		else if (c < 0)
			r = phase_add_change(d, pa, pb, &pa->regions[i++],
					     NULL);
		else
			r = phase_add_change(d, pa, pb, NULL,
					     &pb->regions[j++]);
	}
	return r;
}

static long long
phase_proc_fig(const struct phase_proc *p, int pss)
{
	if (p == NULL)
		return 0;
	return pss ? p->figs.pss : p->figs.rss;
}

static int
phase_diff_pair(struct phase_dbuf *d, struct phase_diff *out,
		const struct phase_proc *pa, const struct phase_proc *pb)
{
	struct phase_proc_change pc, *v;
	long long a, b;

	pc.pa = pa;
	pc.pb = pb;
	a = phase_proc_fig(pa, 0);
	b = phase_proc_fig(pb, 0);
	pc.d_rss = kb_delta(b, a);
	a = phase_proc_fig(pa, 1);
	b = phase_proc_fig(pb, 1);
	pc.d_pss = kb_delta(b, a);
	if (pa == NULL || pb == NULL ||
	    (pc.d_rss != 0 && pc.d_rss != KB_UNKNOWN) ||
	    (pc.d_pss != 0 && pc.d_pss != KB_UNKNOWN)) {
		if (d->pn == d->pcap) {
			v = realloc(d->pv,
				    (d->pcap ? d->pcap * 2 : 16) * sizeof *v);
			if (v == NULL)
				return -ENOMEM;
			d->pv = v;
			d->pcap = d->pcap ? d->pcap * 2 : 16;
		}
		d->pv[d->pn++] = pc;
	}
	if ((pa != NULL && !pa->has_regions) ||
	    (pb != NULL && !pb->has_regions)) {
		out->procs_unread++;
		return 0;
	}
	return phase_diff_regions(d, pa, pb);
}

static const char *
phase_proc_key(const struct phase_proc *p)
{
	return p->cmdline != NULL && p->cmdline[0] != '\0' ? p->cmdline
							   : p->comm;
}

static int
phase_cmp_change(const void *x, const void *y)
{
	const struct phase_change *a = x, *b = y;
	const struct phase_proc *pa = a->pb ? a->pb : a->pa;
	const struct phase_proc *pb = b->pb ? b->pb : b->pa;

	if (phase_abs(a->d_rss) != phase_abs(b->d_rss))
		return phase_abs(a->d_rss) < phase_abs(b->d_rss) ? 1 : -1;
	if (phase_abs(a->d_size) != phase_abs(b->d_size))
		return phase_abs(a->d_size) < phase_abs(b->d_size) ? 1 : -1;
	if (phase_abs(a->d_pss) != phase_abs(b->d_pss))
		return phase_abs(a->d_pss) < phase_abs(b->d_pss) ? 1 : -1;
	if (pa->pid != pb->pid)
		return pa->pid < pb->pid ? -1 : 1;
	if (a->type != b->type)
		return (int)a->type - (int)b->type;
	return strcmp(a->name, b->name);
}

static long long
phase_abs_known(long long v)
{
	return v == KB_UNKNOWN ? -1 : phase_abs(v);
}

static int
phase_cmp_pchange(const void *x, const void *y)
{
	const struct phase_proc_change *a = x, *b = y;
	const struct phase_proc *pa = a->pb ? a->pb : a->pa;
	const struct phase_proc *pb = b->pb ? b->pb : b->pa;
	long long ra = phase_abs_known(a->d_rss),
		  rb = phase_abs_known(b->d_rss);

	if (ra != rb)
		return ra < rb ? 1 : -1;
	ra = phase_abs_known(a->d_pss);
	rb = phase_abs_known(b->d_pss);
	if (ra != rb)
		return ra < rb ? 1 : -1;
	return (pa->pid > pb->pid) - (pa->pid < pb->pid);
}

static int
phase_cmp_type(const void *x, const void *y)
{
	const struct phase_type_change *a = x, *b = y;
	int ca = a->d_rss || a->d_size || a->d_pss || a->d_swap ||
		 a->d_locked || a->count_a != a->count_b;
	int cb = b->d_rss || b->d_size || b->d_pss || b->d_swap ||
		 b->d_locked || b->count_a != b->count_b;

	if (ca != cb)
		return cb - ca;
	if (ca && phase_abs(a->d_rss) != phase_abs(b->d_rss))
		return phase_abs(a->d_rss) < phase_abs(b->d_rss) ? 1 : -1;
	if (ca && phase_abs(a->d_size) != phase_abs(b->d_size))
		return phase_abs(a->d_size) < phase_abs(b->d_size) ? 1 : -1;
	return (int)a->type - (int)b->type;
}

static void
phase_diff_types(const struct phase *a, const struct phase *b,
		 struct phase_diff *out)
{
	struct phase_type_change *tc;
	int t;

	out->has_types = a->has_by_type && b->has_by_type;
	for (t = 0; t < REGION_NTYPES; t++) {
		tc = &out->types[t];
		tc->type = (enum region_type)t;
		tc->a = a->by_type[t];
		tc->b = b->by_type[t];
		tc->count_a = a->by_type_count[t];
		tc->count_b = b->by_type_count[t];
		tc->d_rss =
			phase_diff_kb0(tc->b.rss) - phase_diff_kb0(tc->a.rss);
		tc->d_size =
			phase_diff_kb0(tc->b.size) - phase_diff_kb0(tc->a.size);
		tc->d_pss =
			phase_diff_kb0(tc->b.pss) - phase_diff_kb0(tc->a.pss);
		tc->d_swap =
			phase_diff_kb0(tc->b.swap) - phase_diff_kb0(tc->a.swap);
		tc->d_locked = phase_diff_kb0(tc->b.locked) -
			       phase_diff_kb0(tc->a.locked);
		if (out->has_types &&
		    (tc->d_rss || tc->d_size || tc->d_pss || tc->d_swap ||
		     tc->d_locked || tc->count_a != tc->count_b))
			out->ntypes++;
	}
	qsort(out->types, REGION_NTYPES, sizeof out->types[0], phase_cmp_type);
	if (!out->has_types)
		out->ntypes = 0;
}

/*
 * Matching a's processes to b's in O(n log n): b's processes sorted by
 * the key (identity, or command line), equal keys in b's order; a
 * lookup finds its key's first entry by binary search and takes the
 * next one not yet taken (one cursor per key: what a nested loop taking
 * "the first unused match" did in O(n^2)).
 */
struct phase_match {
	const struct phase *b;
	size_t *idx;  /* b's processes, sorted by key, then position */
	size_t *next; /* per key's first position: its next untaken */
	unsigned char *used;
	int by_command;
};

static int
phase_match_cmp_key(const struct phase_match *m, const struct phase_proc *x,
		    const struct phase_proc *y)
{
	if (m->by_command)
		return strcmp(phase_proc_key(x), phase_proc_key(y));
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->start_time > y->start_time) -
	       (x->start_time < y->start_time);
}

static const struct phase_match *phase_match_sorting;

static int
phase_match_qcmp(const void *x, const void *y)
{
	const struct phase_match *m = phase_match_sorting;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = phase_match_cmp_key(m, &m->b->procs[i], &m->b->procs[j]);

	return c != 0 ? c : (i > j) - (i < j);
}

static int
phase_match_init(struct phase_match *m, const struct phase *b, int by_command)
{
	size_t i, n = b->nprocs;

	m->b = b;
	m->by_command = by_command;
	m->idx = calloc(n + 1, sizeof *m->idx);
	m->next = calloc(n + 1, sizeof *m->next);
	m->used = calloc(n + 1, 1);
	if (m->idx == NULL || m->next == NULL || m->used == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		m->idx[i] = i;
		m->next[i] = i;
	}
	phase_match_sorting = m;
	qsort(m->idx, n, sizeof *m->idx, phase_match_qcmp);
	phase_match_sorting = NULL;
	return 0;
}

static void
phase_match_free(struct phase_match *m)
{
	free(m->idx);
	free(m->next);
	free(m->used);
}

/* b's process matching pa not taken yet (the first in b's order), or
 * NULL; it is taken. */
static const struct phase_proc *
phase_match_take(struct phase_match *m, const struct phase_proc *pa)
{
	size_t lo = 0, hi = m->b->nprocs, mid, k;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (phase_match_cmp_key(m, &m->b->procs[m->idx[mid]], pa) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == m->b->nprocs ||
	    phase_match_cmp_key(m, &m->b->procs[m->idx[lo]], pa) != 0)
		return NULL;
	k = m->next[lo];
	if (k >= m->b->nprocs ||
	    phase_match_cmp_key(m, &m->b->procs[m->idx[k]], pa) != 0)
		return NULL;
	m->next[lo] = k + 1;
	m->used[m->idx[k]] = 1;
	return &m->b->procs[m->idx[k]];
}

int
phase_same_run(const struct phase *a, const struct phase *b)
{
	struct phase_match m;
	size_t i;
	int same = 0;

	memset(&m, 0, sizeof m);
	if (phase_match_init(&m, b, 0) == 0)
		for (i = 0; !same && i < a->nprocs; i++)
			same = phase_match_take(&m, &a->procs[i]) != NULL;
	phase_match_free(&m);
	return same;
}

int
phase_diff(const struct phase *a, const struct phase *b, int opts,
	   struct phase_diff *out)
{
	struct phase_dbuf d;
	struct phase_match m;
	const struct phase_proc *pa, *pb;
	size_t i, j;
	int r = 0;

	memset(out, 0, sizeof *out);
	memset(&d, 0, sizeof d);
	out->a = a;
	out->b = b;
	out->d_rss = kb_delta(b->rss, a->rss);
	out->d_pss = kb_delta(b->pss, a->pss);
	phase_diff_types(a, b, out);

	memset(&m, 0, sizeof m);
	if (phase_match_init(&m, b, (opts & PHASE_DIFF_BY_COMMAND) != 0) < 0) {
		phase_match_free(&m);
		return -ENOMEM;
	}
	for (i = 0; r == 0 && i < a->nprocs; i++) {
		pa = &a->procs[i];
		pb = phase_match_take(&m, pa);
		r = phase_diff_pair(&d, out, pa, pb);
	}
	for (j = 0; r == 0 && j < b->nprocs; j++)
		if (!m.used[j])
			r = phase_diff_pair(&d, out, NULL, &b->procs[j]);
	phase_match_free(&m);
	out->changes = d.v;
	out->nchanges = d.n;
	out->procs = d.pv;
	out->nprocs = d.pn;
	if (r < 0) {
		phase_diff_free(out);
		return r;
	}
	if (out->nchanges > 1)
		qsort(out->changes, out->nchanges, sizeof *out->changes,
		      phase_cmp_change);
	if (out->nprocs > 1)
		qsort(out->procs, out->nprocs, sizeof *out->procs,
		      phase_cmp_pchange);
	return 0;
}

void
phase_diff_free(struct phase_diff *d)
{
	free(d->changes);
	free(d->procs);
	d->changes = NULL;
	d->procs = NULL;
	d->nchanges = d->nprocs = 0;
}
