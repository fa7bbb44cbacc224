/*
 * json.c - build the JSON objects of the snapshot format
 * (docs/snapshot-format.md) from
 * the model.  Sizes are KiB integers; unknown is null.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "json.h"
#include "cgroupfmt.h"
#include "utf8.h"

json_t *
json_kb(long long kb)
{
	return kb < 0 ? json_null() : json_integer(kb);
}

json_t *
json_delta(long long kb)
{
	return kb == KB_UNKNOWN ? json_null() : json_integer(kb);
}

size_t
json_bytes_encode(char *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, k, o = 0;
	unsigned cp;

	for (i = 0; i < len;) {
		k = utf8_decode(p + i, len - i, &cp);
		if (k == 0) {
			o += (size_t)sprintf(out + o, "\\x%02x", p[i]);
			i++;
			continue;
		}
		if (k == 1 && p[i] == '\\')
			out[o++] = '\\'; /* a backslash is "\\" */
		memcpy(out + o, p + i, k);
		o += k;
		i += k;
	}
	out[o] = '\0';
	return o;
}

json_t *
json_bytes(const char *s)
{
	size_t len = strlen(s), o;
	json_t *j;
	char *out;

	out = malloc(len * 4 + 1);
	if (out == NULL)
		return NULL;
	o = json_bytes_encode(out, s, len);
	j = json_stringn(out, o);
	free(out);
	return j;
}

json_t *
json_fig(const struct region_fig *f, size_t count)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "size_kb",
			 json_kb(f->size), "rss_kb", json_kb(f->rss), "pss_kb",
			 json_kb(f->pss), "private_kb", json_kb(f->private_),
			 "shared_kb", json_kb(f->shared), "swap_kb",
			 json_kb(f->swap), "locked_kb", json_kb(f->locked),
			 "count", (json_int_t)count);
}

json_t *
json_by_type(const struct region_fig *by_type, const size_t *count)
{
	json_t *o = json_object();
	int t;

	if (o == NULL)
		return NULL;
	for (t = 0; t < REGION_NTYPES; t++)
		json_object_set_new(o, region_type_name(t),
				    json_fig(&by_type[t], count[t]));
	return o;
}

json_t *
json_regions(const struct region_set *s)
{
	const struct region *r;
	json_t *a = json_array(), *o;
	char fl[4];
	size_t i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < s->n_groups; i++) {
		r = &s->groups[i];
		o = json_fig(&r->fig, r->count);
		if (o == NULL)
			continue;
		json_object_set_new(o, "type",
				    json_string(region_type_name(r->type)));
		json_object_set_new(o, "name", json_bytes(r->name));
		json_object_set_new(
			o, "flags",
			json_string(region_flags_str(r->flags, fl)));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *
json_proc(const struct proc *p, int opts)
{
	const char *err = proc_error(p);
	json_t *o;

	o = json_pack("{s:i, s:i, s:I, s:o, s:o, s:o}", "pid", p->pid, "ppid",
		      p->ppid, "start_time", (json_int_t)p->start_time, "uid",
		      p->uid < 0 ? json_null() : json_integer(p->uid), "comm",
		      json_bytes(p->comm), "cmdline",
		      p->cmdline ? json_bytes(p->cmdline) : json_null());
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "depth", json_integer(p->depth));
#define X(f, key)                                                              \
	json_object_set_new(o, key "_kb", json_kb(p->now.f));                  \
	json_object_set_new(o, key "_delta_kb",                                \
			    json_delta(kb_delta(p->now.f, p->base.f)));
	PROC_FIGS
#undef X
	json_object_set_new(o, "rss_peak_kb", json_kb(p->rss_peak));
	json_object_set_new(o, "error", err ? json_string(err) : json_null());
	if (p->regions != NULL && p->smaps_err == PROC_OK) {
		json_object_set_new(o, "by_type",
				    json_by_type(p->regions->by_type,
						 p->regions->by_type_count));
		if (opts & JSON_REGIONS)
			json_object_set_new(o, "regions",
					    json_regions(p->regions));
	} else {
		json_object_set_new(o, "by_type", json_null());
		if (opts & JSON_REGIONS)
			json_object_set_new(o, "regions", json_null());
	}
	return o;
}

json_t *
json_system(const struct sysmem *s)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "mem_total_kb", json_kb(s->mi.mem_total),
			 "mem_available_kb", json_kb(s->mi.mem_available),
			 "cached_kb", json_kb(s->mi.cached), "shmem_kb",
			 json_kb(s->mi.shmem), "swap_total_kb",
			 json_kb(s->mi.swap_total), "swap_free_kb",
			 json_kb(s->mi.swap_free), "dev_shm_used_kb",
			 json_kb(s->dev_shm_used), "dev_shm_size_kb",
			 json_kb(s->dev_shm_size));
}

json_t *
json_totals(const struct model_totals *t, int with_by_type)
{
	json_t *o;

	/* A sum over processes is null only when no process was readable. */
	o = json_pack(
		"{s:I, s:o, s:o, s:o, s:o, s:I, s:{s:I, s:I, s:I, s:I}}",
		"processes", (json_int_t)t->nprocs, "rss_kb",
		t->rss_unknown == t->nprocs && t->nprocs ? json_null()
							 : json_integer(t->rss),
		"pss_kb",
		t->pss_unknown == t->nprocs && t->nprocs ? json_null()
							 : json_integer(t->pss),
		"uss_kb",
		t->uss_unknown == t->nprocs && t->nprocs ? json_null()
							 : json_integer(t->uss),
		"swap_kb",
		t->swap_unknown == t->nprocs && t->nprocs
			? json_null()
			: json_integer(t->swap),
		"rss_delta_kb", (json_int_t)t->rss_delta, "unknown", "rss",
		(json_int_t)t->rss_unknown, "pss", (json_int_t)t->pss_unknown,
		"uss", (json_int_t)t->uss_unknown, "swap",
		(json_int_t)t->swap_unknown);
	if (o == NULL)
		return NULL;
	if (with_by_type && t->with_regions > 0)
		json_object_set_new(o, "by_type",
				    json_by_type(t->by_type, t->by_type_count));
	else
		json_object_set_new(o, "by_type", json_null());
	return o;
}

json_t *
json_phase(const struct model *m, const char *kind, long index,
	   const char *label, int opts)
{
	json_t *o, *procs;
	char tbuf[40];
	size_t i;

	procs = json_array();
	if (procs == NULL)
		return NULL;
	for (i = 0; i < m->nprocs; i++)
		json_array_append_new(procs, json_proc(m->procs[i], opts));
	fmt_time(tbuf, sizeof tbuf, (long)m->now_wall.tv_sec,
		 m->now_wall.tv_nsec);
	o = json_pack("{s:s, s:I, s:o, s:s, s:f, s:f, s:o, s:o, s:o}", "kind",
		      kind, "index", (json_int_t)index, "label",
		      label ? json_bytes(label) : json_null(), "time", tbuf,
		      "elapsed_s", m->now_mono - m->start_mono, "sample_ms",
		      m->sample_ms, "system", json_system(&m->sys), "totals",
		      json_totals(&m->tot, 1), "processes", procs);
	cgroupfmt_phase_add(o, m);
	return o;
}
