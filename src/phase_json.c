/*
 * phase_json.c - the C view of a phase object (live, or from a snapshot
 * file): JSON -> struct phase, checked field by field.
 *
 * Touches: nothing but its arguments.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jcheck.h"
#include "json.h"
#include "phase.h"
#include "sanitize.h"

/* elapsed_s of a phase: at most ~31 years (a run is not longer). */
#define PHASE_ELAPSED_MAX 1e9

static int
phase_fig(const json_t *o, const char *where, struct region_fig *f,
	  size_t *count, char *err, size_t errlen)
{
	long long c;
	int r;

#define KB(key, field, opt)                                                    \
	if ((r = jcheck_kb(o, where, key, opt, KB_UNKNOWN, &f->field, err,     \
			   errlen)) < 0)                                       \
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
	for (t = 0; by_type != NULL && t < REGION_NTYPES; t++) {
		memset(&by_type[t], 0, sizeof by_type[t]);
		count[t] = 0;
	}
	*has = json_is_object(bt) && by_type != NULL;
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
		if ((r = phase_fig(v, w, &by_type[t], &count[t], err, errlen)) <
		    0)
			return r;
	}
	return 0;
}

/* A process's by_type, in a block of its own when it has one. */
static int
phase_proc_by_type(const json_t *o, const char *where, struct phase_proc *pp,
		   char *err, size_t errlen)
{
	void *blk;

	if (!json_is_object(json_object_get(o, "by_type")))
		return phase_by_type(o, where, &pp->has_regions, NULL, NULL,
				     err, errlen);
	blk = malloc(REGION_NTYPES *
		     (sizeof *pp->by_type + sizeof *pp->by_type_count));
	if (blk == NULL)
		return -ENOMEM;
	pp->by_type = blk;
	pp->by_type_count = (size_t *)(pp->by_type + REGION_NTYPES);
	return phase_by_type(o, where, &pp->has_regions, pp->by_type,
			     pp->by_type_count, err, errlen);
}

static int
phase_regions(const json_t *o, const char *where, struct phase_proc *pp,
	      char *err, size_t errlen)
{
	char w[256];
	json_t *a, *v, *s;
	size_t i, n;
	int r, t;

	if ((r = jcheck(o, where, "regions", JC_ARR | JC_NULL | JC_OPT, &a, err,
			errlen)) < 0)
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
			/* The file's bytes: one printable line. */
			char ty[40];

			sanitize_text(ty, sizeof ty, json_string_value(s),
				      strnlen(json_string_value(s), 32));
			snprintf(err, errlen,
				 "%s.type: unknown region type \"%s\"", w, ty);
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
		      phase_region_cmp);
	return 0;
}

int
phase_proc_json(const json_t *o, const char *where, struct phase_proc *pp,
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
	KB("hwm_kb", hwm, JC_OPT)
#undef KB
	if ((r = jcheck_kb(o, where, "rss_peak_kb", JC_OPT, KB_UNKNOWN,
			   &pp->rss_peak, err, errlen)) < 0)
		return r;
	if ((r = jcheck_int(o, where, "rss_delta_kb", JC_OPT, KB_UNKNOWN,
			    &pp->rss_delta, err, errlen)) < 0)
		return r;
	if ((r = phase_proc_by_type(o, where, pp, err, errlen)) < 0)
		return r;
	return phase_regions(o, where, pp, err, errlen);
}

/* The optional "peak": {"rss_kb", "elapsed_s"} (timeline.c writes it). */
static int
phase_peak_from(const json_t *o, const char *where, struct phase *p, char *err,
		size_t errlen)
{
	char w[128];
	json_t *pk, *v;
	int r;

	p->peak_rss = KB_UNKNOWN;
	if ((r = jcheck(o, where, "peak", JC_OBJ | JC_NULL | JC_OPT, &pk, err,
			errlen)) < 0)
		return r;
	if (!json_is_object(pk))
		return 0;
	snprintf(w, sizeof w, "%s.peak", where);
	if ((r = jcheck_kb(pk, w, "rss_kb", 0, KB_UNKNOWN, &p->peak_rss, err,
			   errlen)) < 0 ||
	    (r = jcheck(pk, w, "elapsed_s", JC_NUM, &v, err, errlen)) < 0)
		return r;
	p->peak_elapsed_s = json_number_value(v);
	return 0;
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
	if (!(p->elapsed_s >= 0 && p->elapsed_s <= PHASE_ELAPSED_MAX)) {
		snprintf(err, errlen,
			 "%s.elapsed_s is %g, expected seconds from 0 to %g",
			 where, p->elapsed_s, PHASE_ELAPSED_MAX);
		return -EINVAL;
	}
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
	    (r = jcheck_kb(tot, w, "swap_kb", JC_OPT, KB_UNKNOWN, &p->swap, err,
			   errlen)) < 0)
		return r;
	if ((r = phase_by_type(tot, w, &p->has_by_type, p->by_type,
			       p->by_type_count, err, errlen)) < 0)
		return r;
	if ((r = phase_peak_from(o, where, p, err, errlen)) < 0)
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
		r = phase_proc_json(json_array_get(procs, i), w, &p->procs[i],
				    err, errlen);
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
		phase_free(&p);
		return r;
	}
	if (ph->n == ph->cap) {
		v = realloc(ph->v, (ph->cap ? ph->cap * 2 : 8) * sizeof *v);
		if (v == NULL) {
			phase_free(&p);
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
