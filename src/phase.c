/*
 * phase.c - the phase list: record a mark from the model (full smaps of
 * every target process, read into the phase only), build the C view of a
 * phase object (live or from a file), summaries for the phases panel,
 * lookups for "since last mark", and the diff of two phases.
 *
 * Touches: the model (read only), /proc/PID/smaps through the collector.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroupfmt.h"
#include "fmt.h"
#include "jcheck.h"
#include "json.h"
#include "phase.h"

void
phases_init(struct phases *ph)
{
	memset(ph, 0, sizeof *ph);
}

static void
phase_free_one(struct phase *p)
{
	size_t i;

	for (i = 0; i < p->nprocs; i++)
		free(p->procs[i].regions);
	free(p->procs);
	json_decref(p->json);
	memset(p, 0, sizeof *p);
}

void
phases_free(struct phases *ph)
{
	size_t i;

	for (i = 0; i < ph->n; i++)
		phase_free_one(&ph->v[i]);
	free(ph->v);
	memset(ph, 0, sizeof *ph);
}

const struct phase *
phase_get(const struct phases *ph, size_t i)
{
	return i < ph->n ? &ph->v[i] : NULL;
}

/* ---- labels --------------------------------------------------------- */

/* Code point of the valid UTF-8 sequence at s (n bytes left); its length,
 * or 0 if invalid. */
static size_t
phase_utf8(const unsigned char *s, size_t n, unsigned *cp)
{
	size_t k, i;
	unsigned c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, c = s[0] & 0x07;
	else
		return 0;
	if (k > n)
		return 0;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((k == 3 && c < 0x800) || (k == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return k;
}

static int
phase_label_bad(unsigned c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0x200e || c == 0x200f || c == 0x061c || c == 0xfeff;
}

int
phase_label_clean(char out[PHASE_LABEL_MAX + 1], const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, k;
	unsigned cp;
	int toolong = 0;

	/* Skip leading spaces. */
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (i < len) {
		k = phase_utf8(s + i, len - i, &cp);
		if (k == 0 || phase_label_bad(cp)) {
			if (o + 1 > PHASE_LABEL_MAX) {
				toolong = 1;
				break;
			}
			out[o++] = cp == '\t' && k == 1 ? ' ' : '?';
			i += k ? k : 1;
			continue;
		}
		if (o + k > PHASE_LABEL_MAX) {
			toolong = 1;
			break;
		}
		memcpy(out + o, s + i, k);
		o += k;
		i += k;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	if (toolong) {
		/* Only spaces left over is not "too long". */
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < len)
			return -E2BIG;
	}
	return (int)o;
}

/* ---- phase objects -> structs ------------------------------------------ */

static int
phase_fig(const json_t *o, const char *where, struct region_fig *f,
	  size_t *count, char *err, size_t errlen)
{
	long long c;
	int r;

#define KB(key, field, opt)                                                    \
	if ((r = jcheck_kb(o, where, key, opt, -1, &f->field, err, errlen)) < 0) \
		return r;
	KB("size_kb", size, 0)
	KB("rss_kb", rss, 0)
	KB("pss_kb", pss, 0)
	KB("private_kb", private_, JC_OPT)
	KB("shared_kb", shared, JC_OPT)
	KB("swap_kb", swap, 0)
	KB("locked_kb", locked, 0)
#undef KB
	if ((r = jcheck_kb(o, where, "count", 0, -1, &c, err, errlen)) < 0)
		return r;
	if (c < 0) {
		snprintf(err, errlen, "%s.count is null, expected an integer",
			 where);
		return -EINVAL;
	}
	*count = (size_t)c;
	return 0;
}

/* by_type: an object (type name -> figures) or null.  Unknown type names
 * are ignored; a type that is missing counts as empty. */
static int
phase_by_type(const json_t *o, const char *where, int *has,
	      struct region_fig *by_type, size_t *count, char *err,
	      size_t errlen)
{
	char w[256];
	json_t *bt, *v;
	int t, r;

	if ((r = jcheck(o, where, "by_type", JC_OBJ | JC_NULL, &bt, err,
			errlen)) < 0)
		return r;
	for (t = 0; t < REGION_NTYPES; t++) {
		memset(&by_type[t], 0, sizeof by_type[t]);
		count[t] = 0;
	}
	*has = json_is_object(bt);
	if (!*has)
		return 0;
	for (t = 0; t < REGION_NTYPES; t++) {
		snprintf(w, sizeof w, "%s.by_type", where);
		if ((r = jcheck(bt, w, region_type_name(t), JC_OBJ | JC_OPT, &v,
				err, errlen)) < 0)
			return r;
		if (v == NULL)
			continue;
		snprintf(w, sizeof w, "%s.by_type.%s", where,
			 region_type_name(t));
		if ((r = phase_fig(v, w, &by_type[t], &count[t], err,
				   errlen)) < 0)
			return r;
	}
	return 0;
}

static int
phase_cmp_region(const void *x, const void *y)
{
	const struct phase_region *a = x, *b = y;

	if (a->type != b->type)
		return (int)a->type - (int)b->type;
	return strcmp(a->name, b->name);
}

static int
phase_regions(const json_t *o, const char *where, struct phase_proc *pp,
	      char *err, size_t errlen)
{
	char w[256];
	json_t *a, *v, *s;
	size_t i, n;
	int r, t;

	if ((r = jcheck(o, where, "regions", JC_ARR | JC_NULL | JC_OPT, &a,
			err, errlen)) < 0)
		return r;
	if (a == NULL || json_is_null(a))
		return 0;
	n = json_array_size(a);
	pp->regions = calloc(n ? n : 1, sizeof *pp->regions);
	if (pp->regions == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct phase_region *g = &pp->regions[i];

		v = json_array_get(a, i);
		snprintf(w, sizeof w, "%s.regions[%zu]", where, i);
		if ((r = jcheck(v, w, "type", JC_STR, &s, err, errlen)) < 0)
			return r;
		t = region_type_parse(json_string_value(s));
		if (t < 0) {
			snprintf(err, errlen,
				 "%s.type: unknown region type \"%.32s\"", w,
				 json_string_value(s));
			return -EINVAL;
		}
		g->type = (enum region_type)t;
		if ((r = jcheck(v, w, "name", JC_STR, &s, err, errlen)) < 0)
			return r;
		g->name = json_string_value(s);
		if ((r = jcheck(v, w, "flags", JC_STR | JC_OPT, &s, err,
				errlen)) < 0)
			return r;
		g->flags = s != NULL ? json_string_value(s) : "";
		if ((r = phase_fig(v, w, &g->fig, &g->count, err, errlen)) < 0)
			return r;
		pp->nregions++;
	}
	if (pp->nregions > 1)
		qsort(pp->regions, pp->nregions, sizeof *pp->regions,
		      phase_cmp_region);
	return 0;
}

static int
phase_proc_from(const json_t *o, const char *where, struct phase_proc *pp,
		char *err, size_t errlen)
{
	long long v;
	json_t *s;
	int r;

	proc_figs_unknown(&pp->figs);
	if ((r = jcheck_int(o, where, "pid", 0, -1, &v, err, errlen)) < 0)
		return r;
	pp->pid = (int)v;
	if ((r = jcheck_int(o, where, "ppid", JC_OPT, 0, &v, err, errlen)) < 0)
		return r;
	pp->ppid = (int)v;
	if ((r = jcheck_kb(o, where, "start_time", 0, 0, &v, err, errlen)) < 0)
		return r;
	pp->start_time = (unsigned long long)v;
	if ((r = jcheck(o, where, "comm", JC_STR, &s, err, errlen)) < 0)
		return r;
	pp->comm = json_string_value(s);
	if ((r = jcheck(o, where, "cmdline", JC_STR | JC_NULL | JC_OPT, &s, err,
			errlen)) < 0)
		return r;
	pp->cmdline = json_is_string(s) ? json_string_value(s) : NULL;
	if ((r = jcheck(o, where, "error", JC_STR | JC_NULL | JC_OPT, &s, err,
			errlen)) < 0)
		return r;
	pp->error = json_is_string(s) ? json_string_value(s) : NULL;
#define KB(key, field, opt)                                                    \
	if ((r = jcheck_kb(o, where, key, opt, KB_UNKNOWN, &pp->figs.field,    \
			   err, errlen)) < 0)                                  \
		return r;
	KB("rss_kb", rss, 0)
	KB("pss_kb", pss, 0)
	KB("uss_kb", uss, JC_OPT)
	KB("anon_kb", anon, JC_OPT)
	KB("file_kb", file, JC_OPT)
	KB("shmem_kb", shmem, JC_OPT)
	KB("swap_kb", swap, JC_OPT)
	KB("locked_kb", locked, JC_OPT)
	KB("vsz_kb", vsz, JC_OPT)
#undef KB
	if ((r = jcheck_int(o, where, "rss_delta_kb", JC_OPT, KB_UNKNOWN,
			    &pp->rss_delta, err, errlen)) < 0)
		return r;
	if ((r = phase_by_type(o, where, &pp->has_regions, pp->by_type,
			       pp->by_type_count, err, errlen)) < 0)
		return r;
	return phase_regions(o, where, pp, err, errlen);
}

/* Fill p from the phase object o (borrowed: the caller keeps it alive). */
static int
phase_from(json_t *o, const char *where, struct phase *p, char *err,
	   size_t errlen)
{
	char w[128];
	json_t *v, *tot, *procs;
	long long x;
	size_t i;
	int r;

	if (!json_is_object(o)) {
		snprintf(err, errlen, "%s is %s, expected an object", where,
			 jcheck_what(o));
		return -EINVAL;
	}
	if ((r = jcheck_kb(o, where, "index", 0, -1, &x, err, errlen)) < 0)
		return r;
	if (x < 0) {
		snprintf(err, errlen, "%s.index is null, expected an integer",
			 where);
		return -EINVAL;
	}
	p->index = (long)x;
	if ((r = jcheck(o, where, "label", JC_STR, &v, err, errlen)) < 0)
		return r;
	p->label = json_string_value(v);
	if ((r = jcheck(o, where, "time", JC_STR, &v, err, errlen)) < 0)
		return r;
	p->time = json_string_value(v);
	if ((r = jcheck(o, where, "elapsed_s", JC_NUM, &v, err, errlen)) < 0)
		return r;
	p->elapsed_s = json_number_value(v);
	if ((r = jcheck(o, where, "system", JC_OBJ, &v, err, errlen)) < 0)
		return r;
	if ((r = jcheck(o, where, "totals", JC_OBJ, &tot, err, errlen)) < 0)
		return r;
	snprintf(w, sizeof w, "%s.totals", where);
	if ((r = jcheck_kb(tot, w, "rss_kb", 0, KB_UNKNOWN, &p->rss, err,
			   errlen)) < 0 ||
	    (r = jcheck_kb(tot, w, "pss_kb", 0, KB_UNKNOWN, &p->pss, err,
			   errlen)) < 0 ||
	    (r = jcheck_kb(tot, w, "uss_kb", JC_OPT, KB_UNKNOWN, &p->uss, err,
			   errlen)) < 0 ||
	    (r = jcheck_kb(tot, w, "swap_kb", JC_OPT, KB_UNKNOWN, &p->swap,
			   err, errlen)) < 0)
		return r;
	if ((r = phase_by_type(tot, w, &p->has_by_type, p->by_type,
			       p->by_type_count, err, errlen)) < 0)
		return r;
	if ((r = jcheck(o, where, "processes", JC_ARR, &procs, err, errlen)) <
	    0)
		return r;
	p->procs = calloc(json_array_size(procs) + 1, sizeof *p->procs);
	if (p->procs == NULL)
		return -ENOMEM;
	for (i = 0; i < json_array_size(procs); i++) {
		snprintf(w, sizeof w, "%s.processes[%zu]", where, i);
		p->nprocs++;
		r = phase_proc_from(json_array_get(procs, i), w,
				    &p->procs[i], err, errlen);
		if (r < 0)
			return r;
	}
	return 0;
}

int
phases_add_json(struct phases *ph, json_t *o, const char *where, char *err,
		size_t errlen)
{
	struct phase p, *v;
	int r;

	memset(&p, 0, sizeof p);
	r = phase_from(o, where, &p, err, errlen);
	if (r < 0) {
		if (r == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		phase_free_one(&p);
		return r;
	}
	if (ph->n == ph->cap) {
		v = realloc(ph->v, (ph->cap ? ph->cap * 2 : 8) * sizeof *v);
		if (v == NULL) {
			phase_free_one(&p);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		ph->v = v;
		ph->cap = ph->cap ? ph->cap * 2 : 8;
	}
	p.json = json_incref(o);
	ph->v[ph->n++] = p;
	return 0;
}

/* ---- marking --------------------------------------------------------- */

static void
phase_set(json_t *o, const char *key, json_t *v)
{
	if (v != NULL)
		json_object_set_new(o, key, v);
}

/* Add process p to the phase: its figures from the sample, its regions
 * read now.  Adds into t. */
static json_t *
phase_mark_proc(struct model *m, struct proc *p, struct model_totals *t)
{
	struct region_set s;
	enum proc_err e = p->status_err;
	long long pss = p->now.pss, uss = p->now.uss;
	json_t *o;
	int have = 0, r, k;

	memset(&s, 0, sizeof s);
	if (e == PROC_OK) {
		r = collect_smaps(m->coll, p->pid, &s, 0);
		if (r == 0) {
			have = 1;
			pss = s.total.pss;
			uss = s.total.private_;
		} else {
			e = proc_err_from_errno(r);
		}
	}
	o = json_proc(p, 0);
	if (o == NULL) {
		region_set_free(&s);
		return NULL;
	}
	phase_set(o, "pss_kb", json_kb(pss));
	phase_set(o, "pss_delta_kb", json_delta(kb_delta(pss, p->base.pss)));
	phase_set(o, "uss_kb", json_kb(uss));
	phase_set(o, "uss_delta_kb", json_delta(kb_delta(uss, p->base.uss)));
	if (have) {
		phase_set(o, "by_type",
			  json_by_type(s.by_type, s.by_type_count));
		phase_set(o, "regions", json_regions(&s));
		phase_set(o, "error", json_null());
	} else {
		phase_set(o, "by_type", json_null());
		phase_set(o, "regions", json_null());
		phase_set(o, "error", e != PROC_OK
					      ? json_string(proc_err_str(e))
					      : json_null());
	}

	t->nprocs++;
#define SUM(v, f, cnt)                                                         \
	if ((v) >= 0)                                                          \
		t->f += (v);                                                   \
	else                                                                   \
		t->cnt++;
	SUM(p->now.rss, rss, rss_unknown)
	SUM(pss, pss, pss_unknown)
	SUM(uss, uss, uss_unknown)
	SUM(p->now.swap, swap, swap_unknown)
#undef SUM
	if (kb_delta(p->now.rss, p->base.rss) != KB_UNKNOWN)
		t->rss_delta += kb_delta(p->now.rss, p->base.rss);
	if (have) {
		t->with_regions++;
		for (k = 0; k < REGION_NTYPES; k++) {
			region_fig_add(&t->by_type[k], &s.by_type[k]);
			t->by_type_count[k] += s.by_type_count[k];
		}
	}
	region_set_free(&s);
	return o;
}

static int
phase_skipped(int pid, const int *skip, size_t nskip)
{
	size_t i;

	for (i = 0; i < nskip; i++)
		if (skip[i] == pid)
			return 1;
	return 0;
}

long
phase_mark(struct phases *ph, struct model *m, const char *label,
	   const int *skip, size_t nskip)
{
	char lab[PHASE_LABEL_MAX + 1], tbuf[40], err[256];
	struct model_totals t;
	double t0;
	json_t *procs, *o, *po;
	size_t i;
	int r;

	lab[0] = '\0';
	if (label != NULL)
		phase_label_clean(lab, label, strlen(label));
	if (lab[0] == '\0')
		snprintf(lab, sizeof lab, "phase %zu", ph->n);

	memset(&t, 0, sizeof t);
	t0 = model_now();
	procs = json_array();
	if (procs == NULL)
		return -ENOMEM;
	for (i = 0; i < m->nprocs; i++) {
		if (phase_skipped(m->procs[i]->pid, skip, nskip))
			continue;
		po = phase_mark_proc(m, m->procs[i], &t);
		if (po == NULL || json_array_append_new(procs, po) < 0) {
			json_decref(procs);
			return -ENOMEM;
		}
	}
	fmt_time(tbuf, sizeof tbuf, (long)m->now_wall.tv_sec,
		 m->now_wall.tv_nsec);
	o = json_pack("{s:s, s:I, s:o, s:s, s:f, s:f, s:f, s:o, s:o, s:o}",
		      "kind", "mark", "index", (json_int_t)ph->n, "label",
		      json_bytes(lab), "time", tbuf, "elapsed_s",
		      m->now_mono - m->start_mono, "sample_ms", m->sample_ms,
		      "smaps_ms", (model_now() - t0) * 1000.0, "system",
		      json_system(&m->sys), "totals", json_totals(&t, 1),
		      "processes", procs);
	if (o == NULL)
		return -ENOMEM;
	cgroupfmt_phase_add(o, m);
	r = phases_add_json(ph, o, "phase", err, sizeof err);
	json_decref(o);
	if (r < 0)
		return r;
	return (long)(ph->n - 1);
}

/* ---- summaries and lookups ------------------------------------------- */

static long long
phase_sub(long long b, long long a)
{
	if (a == KB_UNKNOWN || b == KB_UNKNOWN || a < 0 || b < 0)
		return KB_UNKNOWN;
	return b - a;
}

int
phase_summary(const struct phases *ph, size_t i, struct phase_summary *out)
{
	const struct phase *p, *prev, *base;
	int t;

	if (i >= ph->n)
		return -ERANGE;
	p = &ph->v[i];
	prev = i > 0 ? &ph->v[i - 1] : p;
	base = &ph->v[0];
	memset(out, 0, sizeof *out);
	out->index = p->index;
	out->label = p->label;
	out->time = p->time;
	out->elapsed_s = p->elapsed_s;
	out->rss = p->rss;
	out->pss = p->pss;
	out->rss_prev = phase_sub(p->rss, prev->rss);
	out->pss_prev = phase_sub(p->pss, prev->pss);
	out->rss_base = phase_sub(p->rss, base->rss);
	out->pss_base = phase_sub(p->pss, base->pss);
	out->has_by_type = p->has_by_type;
	for (t = 0; t < REGION_NTYPES; t++)
		out->rss_by_type[t] = p->has_by_type ? p->by_type[t].rss : -1;
	out->nprocs = p->nprocs;
	return 0;
}

static int
phase_is_index(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

long
phase_find(const struct phases *ph, const char *key, char *err,
	   size_t errlen)
{
	long found = -1;
	size_t i, n = 0;
	long long idx;

	if (phase_is_index(key)) {
		idx = strtoll(key, NULL, 10);
		for (i = 0; i < ph->n; i++)
			if (ph->v[i].index == idx)
				return (long)i;
		snprintf(err, errlen, "there is no phase %s (phases are 0 to %ld)",
			 key, ph->n ? ph->v[ph->n - 1].index : 0L);
		return -ENOENT;
	}
	for (i = 0; i < ph->n; i++) {
		if (strcmp(ph->v[i].label, key) == 0) {
			if (found < 0)
				found = (long)i;
			n++;
		}
	}
	if (n == 1)
		return found;
	if (n == 0) {
		snprintf(err, errlen, "there is no phase labelled \"%.64s\"",
			 key);
		return -ENOENT;
	}
	snprintf(err, errlen,
		 "%zu phases are labelled \"%.64s\" (the first is %ld); "
		 "give the index instead",
		 n, key, ph->v[found].index);
	return -EINVAL;
}

const struct phase_proc *
phase_last_proc(const struct phases *ph, int pid,
		unsigned long long start_time)
{
	const struct phase *p;
	size_t i;

	if (ph->n == 0)
		return NULL;
	p = &ph->v[ph->n - 1];
	for (i = 0; i < p->nprocs; i++)
		if (p->procs[i].pid == pid &&
		    p->procs[i].start_time == start_time)
			return &p->procs[i];
	return NULL;
}

const struct phase_region *
phase_proc_region(const struct phase_proc *pp, enum region_type type,
		  const char *name)
{
	struct phase_region key;

	if (pp == NULL || pp->nregions == 0)
		return NULL;
	key.type = type;
	key.name = name;
	return bsearch(&key, pp->regions, pp->nregions, sizeof key,
		       phase_cmp_region);
}

/* ---- diff ------------------------------------------------------------- */

static long long
kv(long long v)
{
	return v < 0 ? 0 : v;
}

static long long
labs_ll(long long v)
{
	return v < 0 ? -v : v;
}

static int
fig_differs(const struct region_fig *a, const struct region_fig *b)
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
	if (!fig_differs(&c.a, &c.b) && c.count_a == c.count_b)
		return 0;
	c.d_rss = kv(c.b.rss) - kv(c.a.rss);
	c.d_size = kv(c.b.size) - kv(c.a.size);
	c.d_pss = kv(c.b.pss) - kv(c.a.pss);
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
			c = phase_cmp_region(&pa->regions[i], &pb->regions[j]);
		else
			c = i < na ? -1 : 1;
		if (c == 0)
			r = phase_add_change(d, pa, pb, &pa->regions[i++],
					     &pb->regions[j++]);
		else if (c < 0)
			r = phase_add_change(d, pa, pb, &pa->regions[i++], NULL);
		else
			r = phase_add_change(d, pa, pb, NULL, &pb->regions[j++]);
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
	pc.d_rss = a < 0 || b < 0 ? KB_UNKNOWN : b - a;
	a = phase_proc_fig(pa, 1);
	b = phase_proc_fig(pb, 1);
	pc.d_pss = a < 0 || b < 0 ? KB_UNKNOWN : b - a;
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

	if (labs_ll(a->d_rss) != labs_ll(b->d_rss))
		return labs_ll(a->d_rss) < labs_ll(b->d_rss) ? 1 : -1;
	if (labs_ll(a->d_size) != labs_ll(b->d_size))
		return labs_ll(a->d_size) < labs_ll(b->d_size) ? 1 : -1;
	if (labs_ll(a->d_pss) != labs_ll(b->d_pss))
		return labs_ll(a->d_pss) < labs_ll(b->d_pss) ? 1 : -1;
	if (pa->pid != pb->pid)
		return pa->pid < pb->pid ? -1 : 1;
	if (a->type != b->type)
		return (int)a->type - (int)b->type;
	return strcmp(a->name, b->name);
}

static long long
phase_abs_known(long long v)
{
	return v == KB_UNKNOWN ? -1 : labs_ll(v);
}

static int
phase_cmp_pchange(const void *x, const void *y)
{
	const struct phase_proc_change *a = x, *b = y;
	const struct phase_proc *pa = a->pb ? a->pb : a->pa;
	const struct phase_proc *pb = b->pb ? b->pb : b->pa;
	long long ra = phase_abs_known(a->d_rss), rb = phase_abs_known(b->d_rss);

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
	if (ca && labs_ll(a->d_rss) != labs_ll(b->d_rss))
		return labs_ll(a->d_rss) < labs_ll(b->d_rss) ? 1 : -1;
	if (ca && labs_ll(a->d_size) != labs_ll(b->d_size))
		return labs_ll(a->d_size) < labs_ll(b->d_size) ? 1 : -1;
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
		tc->d_rss = kv(tc->b.rss) - kv(tc->a.rss);
		tc->d_size = kv(tc->b.size) - kv(tc->a.size);
		tc->d_pss = kv(tc->b.pss) - kv(tc->a.pss);
		tc->d_swap = kv(tc->b.swap) - kv(tc->a.swap);
		tc->d_locked = kv(tc->b.locked) - kv(tc->a.locked);
		if (out->has_types &&
		    (tc->d_rss || tc->d_size || tc->d_pss || tc->d_swap ||
		     tc->d_locked || tc->count_a != tc->count_b))
			out->ntypes++;
	}
	qsort(out->types, REGION_NTYPES, sizeof out->types[0],
	      phase_cmp_type);
	if (!out->has_types)
		out->ntypes = 0;
}

int
phase_diff(const struct phase *a, const struct phase *b, int opts,
	   struct phase_diff *out)
{
	struct phase_dbuf d;
	unsigned char *used;
	const struct phase_proc *pa, *pb;
	size_t i, j;
	int r = 0;

	memset(out, 0, sizeof *out);
	memset(&d, 0, sizeof d);
	out->a = a;
	out->b = b;
	out->d_rss = phase_sub(b->rss, a->rss);
	out->d_pss = phase_sub(b->pss, a->pss);
	phase_diff_types(a, b, out);

	used = calloc(b->nprocs + 1, 1);
	if (used == NULL)
		return -ENOMEM;
	for (i = 0; r == 0 && i < a->nprocs; i++) {
		pa = &a->procs[i];
		pb = NULL;
		for (j = 0; j < b->nprocs; j++) {
			if (used[j])
				continue;
			if (opts & PHASE_DIFF_BY_COMMAND
				    ? strcmp(phase_proc_key(pa),
					     phase_proc_key(&b->procs[j])) == 0
				    : b->procs[j].pid == pa->pid &&
					      b->procs[j].start_time ==
						      pa->start_time) {
				pb = &b->procs[j];
				used[j] = 1;
				break;
			}
		}
		r = phase_diff_pair(&d, out, pa, pb);
	}
	for (j = 0; r == 0 && j < b->nprocs; j++)
		if (!used[j])
			r = phase_diff_pair(&d, out, NULL, &b->procs[j]);
	free(used);
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
