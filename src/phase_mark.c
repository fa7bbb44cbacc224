/*
 * phase_mark.c - record a mark: the sampled figures of every target
 * process, and the full smaps of those whose region table the mark
 * keeps (model_mark_wants: target trees, or in all-processes mode the
 * focused process; docs/snapshot-format.md), read now into the phase
 * only.
 *
 * Touches: the model (read only), /proc/PID/smaps through the collector.
 */
#include "config.h"

#include <errno.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>

#include "cgroupfmt.h"
#include "clock.h"
#include "fmt.h"
#include "json.h"
#include "phase.h"

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
	int have = 0, r;

	memset(&s, 0, sizeof s);
	if (e == PROC_OK && model_mark_wants(m, p)) {
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
		phase_set(o, "error",
			  e != PROC_OK ? json_string(proc_err_str(e))
				       : json_null());
	}

	model_totals_add(t, &p->now, &p->base, pss, uss, have ? &s : NULL);
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
	struct phase_build b;
	struct model_totals t;
	double t0;
	json_t *o, *po;
	size_t i;
	int r = 0;

	lab[0] = '\0';
	if (label != NULL)
		phase_label_clean(lab, label, strlen(label));
	if (lab[0] == '\0')
		snprintf(lab, sizeof lab, "phase %zu", ph->n);

	memset(&t, 0, sizeof t);
	memset(&b, 0, sizeof b);
	t0 = clock_now();
	/* One process at a time, packed as it goes (phase_pack.c): the
	 * whole phase is never one jansson tree (~4 KiB a process). */
	for (i = 0; r == 0 && i < m->nprocs; i++) {
		if (phase_skipped(m->procs[i]->pid, skip, nskip))
			continue;
		po = phase_mark_proc(m, m->procs[i], &t);
		cgroupfmt_proc_add(po, m);
		r = po != NULL ? phase_build_add(&b, po, err, sizeof err)
			       : -ENOMEM;
		json_decref(po);
	}
	if (r < 0) {
		phase_build_free(&b);
		return r;
	}
	fmt_time(tbuf, sizeof tbuf, (long)m->now_wall.tv_sec,
		 m->now_wall.tv_nsec);
	o = json_pack("{s:s, s:I, s:o, s:s, s:f, s:f, s:f, s:o, s:o, s:[]}",
		      "kind", "mark", "index", (json_int_t)ph->n, "label",
		      json_bytes(lab), "time", tbuf, "elapsed_s",
		      m->now_mono - m->start_mono, "sample_ms", m->sample_ms,
		      "smaps_ms", (clock_now() - t0) * 1000.0, "system",
		      json_system(&m->sys), "totals", json_totals(&t, 1),
		      "processes");
	if (o == NULL) {
		phase_build_free(&b);
		return -ENOMEM;
	}
	cgroupfmt_phase_add(o, m);
	r = phase_build_end(ph, &b, o, err, sizeof err);
	json_decref(o);
	if (r < 0)
		return r;
#ifdef HAVE_MALLOC_TRIM
	/* What the processes' objects took is free in the middle of the
	 * heap: hand it back. */
	malloc_trim(0);
#endif
	return (long)(ph->n - 1);
}
