/*
 * timeline.c - the tree's figures over time, downsampled to a bound that
 * keeps every peak and every mark, and the peaks (tree, phase, process).
 *
 * Touches: its own points, the model's procs (rss_peak only) and the
 * phases' "peak" members.  No /proc, no output.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jcheck.h"
#include "json.h"
#include "timeline.h"

void
timeline_init(struct timeline *t)
{
	memset(t, 0, sizeof *t);
	t->max = TIMELINE_MAX;
	t->rss.kb = t->pss.kb = KB_UNKNOWN;
}

void
timeline_free(struct timeline *t)
{
	free(t->v);
	timeline_init(t);
}

static void
timeline_peak_note(struct timeline_peak *pk, long long kb, double at)
{
	if (kb >= 0 && kb > pk->kb) {
		pk->kb = kb;
		pk->elapsed_s = at;
	}
}

/* Which points of bucket [a, b) stay: lowest and highest Σ RSS, highest
 * Σ PSS, every mark.  Marks keep[]; returns how many. */
static size_t
timeline_bucket(const struct timeline_point *v, size_t a, size_t b, char *keep)
{
	size_t i, lo = a, hi = a, hp = a, n = 0;

	for (i = a; i < b; i++) {
		if (v[i].rss >= 0 && (v[lo].rss < 0 || v[i].rss < v[lo].rss))
			lo = i;
		if (v[i].rss > v[hi].rss)
			hi = i;
		if (v[i].pss > v[hp].pss)
			hp = i;
		if (v[i].mark >= 0)
			keep[i] = 1;
	}
	keep[lo] = keep[hi] = keep[hp] = 1;
	for (i = a; i < b; i++)
		n += keep[i];
	return n;
}

void
timeline_compact(struct timeline *t, size_t max)
{
	size_t nb = max / 4 ? max / 4 : 1, i, a, o;
	double t0, span, w;
	char *keep;

	if (t->n <= max || t->n < 2)
		return;
	keep = calloc(t->n, 1);
	if (keep == NULL)
		return; /* stays over the bound until memory is back */
	t0 = t->v[0].elapsed_s;
	span = t->v[t->n - 1].elapsed_s - t0;
	w = span > 0 ? span / (double)nb : 1.0;
	/* Buckets of equal length; a mark closes the bucket before it. */
	for (a = 0, i = 1; i <= t->n; i++) {
		if (i < t->n && t->v[i].mark < 0 &&
		    (size_t)((t->v[i].elapsed_s - t0) / w) ==
			    (size_t)((t->v[a].elapsed_s - t0) / w))
			continue;
		timeline_bucket(t->v, a, i, keep);
		a = i;
	}
	for (i = 0, o = 0; i < t->n; i++)
		if (keep[i])
			t->v[o++] = t->v[i];
	t->n = o;
	free(keep);
}

int
timeline_add(struct timeline *t, const struct timeline_point *p)
{
	struct timeline_point *v;
	size_t cap;

	if (t->max == 0)
		t->max = TIMELINE_MAX;
	if (t->n >= t->max)
		timeline_compact(t, t->max * 3 / 4);
	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 64;
		v = realloc(t->v, cap * sizeof *v);
		if (v == NULL)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n++] = *p;
	t->seen++;
	timeline_peak_note(&t->rss, p->rss, p->elapsed_s);
	timeline_peak_note(&t->pss, p->pss, p->elapsed_s);
	return 0;
}

void
timeline_point_model(struct timeline_point *p, const struct model *m)
{
	const struct model_totals *tot = &m->tot;
	int k;

	memset(p, 0, sizeof *p);
	p->mark = -1;
	p->elapsed_s = m->now_mono - m->start_mono;
	/* As in the JSON totals: unknown only when no process was read. */
	p->rss = tot->nprocs && tot->rss_unknown == tot->nprocs ? KB_UNKNOWN
								: tot->rss;
	p->pss = tot->nprocs && tot->pss_unknown == tot->nprocs ? KB_UNKNOWN
								: tot->pss;
	/* Per type only when every process's regions are in the sum. */
	p->has_by_type = tot->nprocs > 0 && tot->with_regions == tot->nprocs;
	for (k = 0; k < REGION_NTYPES; k++)
		p->rss_by_type[k] =
			p->has_by_type ? tot->by_type[k].rss : KB_UNKNOWN;
}

void
timeline_point_phase(struct timeline_point *pt, const struct phase *p)
{
	int k;

	memset(pt, 0, sizeof *pt);
	pt->mark = p->index;
	pt->elapsed_s = p->elapsed_s;
	pt->rss = p->rss >= 0 ? p->rss : KB_UNKNOWN;
	pt->pss = p->pss >= 0 ? p->pss : KB_UNKNOWN;
	pt->has_by_type = p->has_by_type;
	for (k = 0; k < REGION_NTYPES; k++)
		pt->rss_by_type[k] =
			p->has_by_type ? p->by_type[k].rss : KB_UNKNOWN;
}

int
timeline_phase_peak(const struct timeline *t, long index,
		    struct timeline_peak *out)
{
	size_t i;
	int in = 0;

	out->kb = KB_UNKNOWN;
	out->elapsed_s = 0;
	for (i = 0; i < t->n; i++) {
		if (t->v[i].mark >= 0) {
			if (in)
				break;
			in = t->v[i].mark == index;
		}
		if (in)
			timeline_peak_note(out, t->v[i].rss, t->v[i].elapsed_s);
	}
	return in ? 0 : -ENOENT;
}

void
timeline_procs_note(struct model *m)
{
	struct proc *p;
	size_t i;

	for (i = 0; i < m->nprocs; i++) {
		p = m->procs[i];
		if (p->now.rss >= 0 &&
		    (p->rss_peak < 0 || p->now.rss > p->rss_peak))
			p->rss_peak = p->now.rss;
	}
}

void
timeline_phase_note(struct phases *ph, const struct timeline_point *pt)
{
	struct phase *p;

	if (ph->n == 0 || pt->rss < 0)
		return;
	p = &ph->v[ph->n - 1];
	if (p->peak_rss != KB_UNKNOWN && p->peak_rss >= pt->rss)
		return;
	p->peak_rss = pt->rss;
	p->peak_elapsed_s = pt->elapsed_s;
}

json_t *
timeline_phase_json(const struct phase *p)
{
	json_t *o = phase_json(p), *c;

	if (o == NULL || p->peak_rss < 0)
		return o;
	/* A phase's object is shared (or parsed from its packed text):
	 * the peak goes on a shallow copy. */
	c = json_copy(o);
	json_decref(o);
	if (c != NULL)
		json_object_set_new(c, "peak",
				    json_pack("{s:I, s:f}", "rss_kb",
					      (json_int_t)p->peak_rss,
					      "elapsed_s", p->peak_elapsed_s));
	return c;
}

void
timeline_phases_peaks(const struct timeline *t, struct phases *ph)
{
	struct timeline_peak pk;
	struct phase *p;
	size_t i;

	for (i = 0; i < ph->n; i++) {
		p = &ph->v[i];
		if (timeline_phase_peak(t, p->index, &pk) < 0 || pk.kb < 0)
			continue;
		p->peak_rss = pk.kb;
		p->peak_elapsed_s = pk.elapsed_s;
	}
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *
timeline_point_json(const struct timeline_point *p)
{
	json_t *o, *bt;
	int k;

	o = json_pack("{s:f, s:o, s:o}", "elapsed_s", p->elapsed_s, "rss_kb",
		      json_kb(p->rss), "pss_kb", json_kb(p->pss));
	if (o == NULL)
		return NULL;
	if (p->has_by_type) {
		bt = json_object();
		for (k = 0; bt != NULL && k < REGION_NTYPES; k++)
			if (p->rss_by_type[k] > 0)
				json_object_set_new(bt, region_type_name(k),
						    json_kb(p->rss_by_type[k]));
		json_object_set_new(o, "rss_by_type", bt ? bt : json_null());
	} else {
		json_object_set_new(o, "rss_by_type", json_null());
	}
	if (p->mark >= 0)
		json_object_set_new(o, "mark", json_integer(p->mark));
	return o;
}

static json_t *
timeline_peak_json(const struct timeline_peak *pk)
{
	if (pk->kb < 0)
		return json_null();
	return json_pack("{s:I, s:f}", "kb", (json_int_t)pk->kb, "elapsed_s",
			 pk->elapsed_s);
}

json_t *
timeline_json(const struct timeline *t)
{
	json_t *o, *pts;
	size_t i;

	pts = json_array();
	if (pts == NULL)
		return NULL;
	for (i = 0; i < t->n; i++)
		json_array_append_new(pts, timeline_point_json(&t->v[i]));
	o = json_pack("{s:I, s:I, s:{s:o, s:o}, s:o}", "max_points",
		      (json_int_t)(t->max ? t->max : TIMELINE_MAX), "samples",
		      (json_int_t)t->seen, "peak", "rss",
		      timeline_peak_json(&t->rss), "pss",
		      timeline_peak_json(&t->pss), "points", pts);
	return o;
}

static int
timeline_point_from(const json_t *o, const char *where,
		    struct timeline_point *p, char *err, size_t errlen)
{
	char w[96];
	json_t *v, *bt;
	long long x;
	int r, k;

	memset(p, 0, sizeof *p);
	if (!json_is_object(o)) {
		snprintf(err, errlen, "%s is %s, expected an object", where,
			 jcheck_what(o));
		return -EINVAL;
	}
	if ((r = jcheck(o, where, "elapsed_s", JC_NUM, &v, err, errlen)) < 0)
		return r;
	p->elapsed_s = json_number_value(v);
	if ((r = jcheck_kb(o, where, "rss_kb", 0, KB_UNKNOWN, &p->rss, err,
			   errlen)) < 0 ||
	    (r = jcheck_kb(o, where, "pss_kb", JC_OPT, KB_UNKNOWN, &p->pss, err,
			   errlen)) < 0)
		return r;
	if ((r = jcheck_int(o, where, "mark", JC_OPT, -1, &x, err, errlen)) < 0)
		return r;
	p->mark = x >= 0 ? (long)x : -1;
	if ((r = jcheck(o, where, "rss_by_type", JC_OBJ | JC_NULL | JC_OPT, &bt,
			err, errlen)) < 0)
		return r;
	p->has_by_type = json_is_object(bt);
	snprintf(w, sizeof w, "%s.rss_by_type", where);
	for (k = 0; k < REGION_NTYPES; k++) {
		p->rss_by_type[k] = p->has_by_type ? 0 : KB_UNKNOWN;
		if (p->has_by_type &&
		    (r = jcheck_kb(bt, w, region_type_name(k), JC_OPT, 0,
				   &p->rss_by_type[k], err, errlen)) < 0)
			return r;
	}
	return 0;
}

static int
timeline_peak_from(const json_t *pk, const char *key, struct timeline_peak *out)
{
	json_t *o = json_object_get(pk, key), *kb, *at;

	kb = json_object_get(o, "kb");
	at = json_object_get(o, "elapsed_s");
	if (json_is_integer(kb) && json_integer_value(kb) >= 0 &&
	    json_is_number(at) && json_integer_value(kb) > out->kb) {
		out->kb = json_integer_value(kb);
		out->elapsed_s = json_number_value(at);
	}
	return 0;
}

int
timeline_from_json(struct timeline *t, const json_t *o, char *err,
		   size_t errlen)
{
	struct timeline_point p;
	unsigned long long seen;
	char w[64];
	json_t *pts, *pk;
	long long x;
	size_t i;
	int r;

	timeline_init(t);
	if (o == NULL || json_is_null(o))
		return 0;
	if (!json_is_object(o)) {
		snprintf(err, errlen, "timeline is %s, expected an object",
			 jcheck_what(o));
		return -EINVAL;
	}
	if ((r = jcheck(o, "timeline", "points", JC_ARR, &pts, err, errlen)) <
	    0)
		return r;
	/* A file may say it keeps more points than this ramtop would: it is
	 * read whole (the file size limit bounds it). */
	t->max = json_array_size(pts) > TIMELINE_MAX ? json_array_size(pts) + 1
						     : TIMELINE_MAX;
	for (i = 0; i < json_array_size(pts); i++) {
		snprintf(w, sizeof w, "timeline.points[%zu]", i);
		if ((r = timeline_point_from(json_array_get(pts, i), w, &p, err,
					     errlen)) < 0)
			return r;
		if (t->n > 0 && p.elapsed_s < t->v[t->n - 1].elapsed_s) {
			snprintf(err, errlen, "%s.elapsed_s goes back in time",
				 w);
			return -EINVAL;
		}
		if (timeline_add(t, &p) < 0) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
	}
	seen = t->seen;
	if (jcheck_kb(o, "timeline", "samples", JC_OPT, -1, &x, err, errlen) ==
		    0 &&
	    x > 0 && (unsigned long long)x > seen)
		t->seen = (unsigned long long)x;
	/* Peaks the points may not hold (a writer that kept fewer). */
	pk = json_object_get(o, "peak");
	if (json_is_object(pk)) {
		timeline_peak_from(pk, "rss", &t->rss);
		timeline_peak_from(pk, "pss", &t->pss);
	}
	return 0;
}
