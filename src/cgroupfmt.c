/*
 * cgroupfmt.c - cgroups, pressure, /dev/shm and OOM kills as JSON and
 * text (cgroupfmt.h).  Sizes are KiB in JSON; "no limit" is the string
 * "max" (as the kernel writes it in memory.max); unknown is null, with
 * the reason in the object's "errors".
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "cgroupfmt.h"
#include "fmt.h"
#include "json.h"
#include "sanitize.h"

/* ---- JSON --------------------------------------------------------- */

static json_t *
cf_size(long long v)
{
	if (v == CG_UNLIMITED)
		return json_string("max");
	return v < 0 ? json_null() : json_integer(v / 1024);
}

static json_t *
cf_count(long long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *
cf_psi(const struct cg_psi *p)
{
	if (p->err < 0)
		return json_null();
	return json_pack("{s:{s:f, s:f, s:f, s:o}, s:{s:f, s:f, s:f, s:o}}",
			 "some", "avg10", p->some[0], "avg60", p->some[1],
			 "avg300", p->some[2], "total_us",
			 cf_count(p->some_total), "full", "avg10",
			 p->full[0] < 0 ? 0.0 : p->full[0], "avg60",
			 p->full[1] < 0 ? 0.0 : p->full[1], "avg300",
			 p->full[2] < 0 ? 0.0 : p->full[2], "total_us",
			 cf_count(p->full_total));
}

static const char *
cf_psi_why(int err)
{
	switch (-err) {
	case ENOENT:
		return "no pressure file (kernel without PSI, or cgroup v1)";
	case ENODATA:
		return "not in the recording";
	case EOPNOTSUPP:
		return "PSI is disabled (boot with psi=1)";
	default:
		return strerror(-err);
	}
}

static json_t *
cf_cgroup(const struct cgroup *g)
{
	json_t *o, *ev, *errs, *t;
	long long room;
	int i, w;

	o = json_pack("{s:o, s:i, s:o, s:I, s:b}", "path", json_bytes(g->path),
		      "version", g->version, "dir", json_bytes(g->dir),
		      "processes", (json_int_t)g->nprocs, "removed", g->gone);
	ev = json_object();
	errs = json_object();
	if (o == NULL || ev == NULL || errs == NULL) {
		json_decref(o);
		json_decref(ev);
		json_decref(errs);
		return NULL;
	}
	for (i = 0; i < CG_NFIGS; i++) {
		char key[40];

		if (cgroup_fig_is_size(i)) {
			snprintf(key, sizeof key, "%s_kb", cgroup_fig_name(i));
			json_object_set_new(o, key, cf_size(g->fig[i]));
		} else {
			json_object_set_new(ev, cgroup_fig_name(i),
					    cf_count(g->fig[i]));
		}
		if (g->err[i] < 0)
			json_object_set_new(errs, cgroup_fig_name(i),
					    json_string(cgroup_why(g, i)));
	}
	json_object_set_new(o, "events", ev);
	json_object_set_new(o, "pressure", cf_psi(&g->psi));
	if (g->psi.err < 0)
		json_object_set_new(errs, "pressure",
				    json_string(cf_psi_why(g->psi.err)));
	json_object_set_new(o, "errors", errs);
	if (g->tight_limit >= 0 && g->tight_path != NULL) {
		room = g->tight_usage >= 0 ? g->tight_limit - g->tight_usage
					   : -1;
		w = cgroup_warn(g->tight_limit, g->tight_usage);
		t = json_pack("{s:o, s:o, s:o, s:o, s:o}", "path",
			      json_bytes(g->tight_path), "limit_kb",
			      cf_size(g->tight_limit), "usage_kb",
			      cf_size(g->tight_usage), "headroom_kb",
			      room < 0 ? json_null()
				       : json_integer(room / 1024),
			      "warn", w < 0 ? json_null() : json_boolean(w));
	} else {
		t = g->tight_limit == CG_UNLIMITED ? json_string("max")
						   : json_null();
	}
	json_object_set_new(o, "tightest", t);
	return o;
}

static json_t *
cf_shm(const struct shmfs *s)
{
	const struct shmfs_mount *mt;
	json_t *a = json_array(), *o;
	size_t i;
	int w;

	for (i = 0; a != NULL && i < s->n; i++) {
		mt = &s->v[i];
		w = cgroup_warn(mt->size_kb, mt->used_kb);
		o = json_pack(
			"{s:o, s:o, s:o, s:o, s:o, s:o}", "path",
			json_bytes(mt->path), "size_kb", json_kb(mt->size_kb),
			"used_kb", json_kb(mt->used_kb), "tree_kb",
			json_kb(mt->tree_kb), "warn",
			w < 0 ? json_null() : json_boolean(w), "error",
			mt->err < 0 ? json_string(shmfs_why(mt)) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

void
cgroupfmt_proc_add(json_t *p, const struct model *m)
{
	const struct cgroup_set *s = m->cg;
	const struct cg_member *mb;
	const char *why;

	if (s == NULL || p == NULL)
		return;
	mb = cgroup_member(s,
			   (int)json_integer_value(json_object_get(p, "pid")));
	why = cgroup_member_why(mb);
	json_object_set_new(p, "cgroup",
			    mb && mb->cg >= 0 ? json_bytes(s->v[mb->cg].path)
					      : json_null());
	json_object_set_new(p, "cgroup_error",
			    why ? json_string(why) : json_null());
	json_object_set_new(p, "oom_score",
			    mb && mb->oom_score >= 0
				    ? json_integer(mb->oom_score)
				    : json_null());
	json_object_set_new(p, "oom_score_adj",
			    mb && mb->oom_score_adj != LONG_MIN
				    ? json_integer(mb->oom_score_adj)
				    : json_null());
}

void
cgroupfmt_phase_add(json_t *o, const struct model *m)
{
	const struct cgroup_set *s = m->cg;
	json_t *a, *procs;
	size_t i;

	if (s == NULL || o == NULL)
		return;
	/* "processes" stays the last member (phase_pack.c splices the
	 * packed processes into it). */
	procs = json_incref(json_object_get(o, "processes"));
	json_object_del(o, "processes");
	a = json_array();
	for (i = 0; a != NULL && i < s->n; i++)
		if (s->v[i].tick == s->tick)
			json_array_append_new(a, cf_cgroup(&s->v[i]));
	json_object_set_new(o, "cgroups", a);
	json_object_set_new(o, "pressure", cf_psi(&s->sys_psi));
	if (m->shm != NULL)
		json_object_set_new(o, "shm", cf_shm(m->shm));
	for (i = 0; i < json_array_size(procs); i++)
		cgroupfmt_proc_add(json_array_get(procs, i), m);
	if (procs != NULL)
		json_object_set_new(o, "processes", procs);
}

json_t *
cgroupfmt_oom_json(const struct cg_oom *e)
{
	char msg[1024];

	cgroup_oom_msg(e, msg, sizeof msg);
	return json_pack(
		"{s:i, s:I, s:o, s:o, s:i, s:o, s:o, s:o, s:o, s:o, "
		"s:s, s:f, s:o, s:o, s:b, s:o}",
		"pid", e->pid, "start_time", (json_int_t)e->start_time, "comm",
		json_bytes(e->comm), "cgroup",
		e->cgroup ? json_bytes(e->cgroup) : json_null(),
		"cgroup_version", e->version, "limit_kb", cf_size(e->limit),
		"peak_kb", cf_size(e->peak), "usage_kb", cf_size(e->usage),
		"rss_kb", json_kb(e->rss_kb), "oom_kill", cf_count(e->oom_kill),
		"time", e->time, "elapsed_s", e->elapsed_s, "phase_index",
		e->phase_index >= 0 ? json_integer(e->phase_index)
				    : json_null(),
		"phase", e->phase ? json_bytes(e->phase) : json_null(),
		"sigkill", e->sigkill, "message", json_bytes(msg));
}

/* ---- text --------------------------------------------------------- */

static const char *
cf_tsize(char *b, long long v)
{
	if (v == CG_UNLIMITED)
		return "no limit";
	return fmt_kb(b, v < 0 ? -1 : v / 1024);
}

/* b holds at least CF_COUNT bytes. */
#define CF_COUNT 24
static const char *
cf_tcount(char *b, long long v)
{
	if (v < 0)
		return "-";
	snprintf(b, CF_COUNT, "%lld", v);
	return b;
}

static void
cf_text_cgroup(FILE *fp, const struct cgroup *g)
{
	char b[8][FMT_SIZE], c[3][CF_COUNT];
	const char *sep = "";
	int i, w;

	fputs("Cgroup  ", fp);
	sanitize_fput(fp, g->path, 80, 0);
	fprintf(fp, " (v%d, %zu process%s)%s\n", g->version, g->nprocs,
		g->nprocs == 1 ? "" : "es", g->gone ? " removed" : "");
	fprintf(fp, "  usage %s  limit %s  high %s  peak %s  swap %s of %s\n",
		cf_tsize(b[0], g->fig[CG_usage]),
		cf_tsize(b[1], g->fig[CG_limit]),
		cf_tsize(b[2], g->fig[CG_high]),
		cf_tsize(b[3], g->fig[CG_peak]),
		cf_tsize(b[4], g->fig[CG_swap]),
		cf_tsize(b[5], g->fig[CG_swap_limit]));
	if (g->tight_path != NULL && g->tight_limit >= 0) {
		w = cgroup_warn(g->tight_limit, g->tight_usage);
		fprintf(fp, "  tightest limit %s (",
			cf_tsize(b[0], g->tight_limit));
		sanitize_fput(fp, g->tight_path, 80, 0);
		fprintf(fp, ")  headroom %s%s\n",
			g->tight_usage >= 0 ? fmt_kb(b[1], (g->tight_limit -
							    g->tight_usage) /
								   1024)
					    : "-",
			w == 1 ? "  WARNING: under 20% left" : "");
	} else {
		fprintf(fp, "  tightest limit %s\n",
			g->tight_limit == CG_UNLIMITED ? "none (no limit)"
						       : "-");
	}
	fprintf(fp,
		"  anon %s  file (page cache) %s  shmem %s  kernel %s  slab %s "
		" "
		"sock %s  file_mapped %s\n",
		cf_tsize(b[0], g->fig[CG_anon]),
		cf_tsize(b[1], g->fig[CG_file]),
		cf_tsize(b[2], g->fig[CG_shmem]),
		cf_tsize(b[3], g->fig[CG_kernel]),
		cf_tsize(b[4], g->fig[CG_slab]),
		cf_tsize(b[5], g->fig[CG_sock]),
		cf_tsize(b[6], g->fig[CG_file_mapped]));
	fprintf(fp, "  events oom %s  oom_kill %s  max %s",
		cf_tcount(c[0], g->fig[CG_ev_oom]),
		cf_tcount(c[1], g->fig[CG_ev_oom_kill]),
		cf_tcount(c[2], g->fig[CG_ev_max]));
	if (g->psi.err == 0)
		fprintf(fp,
			"  pressure some %.2f/%.2f/%.2f full %.2f/%.2f/%.2f",
			g->psi.some[0], g->psi.some[1], g->psi.some[2],
			g->psi.full[0], g->psi.full[1], g->psi.full[2]);
	fputc('\n', fp);
	if (g->gone) {
		fputs("  unknown: every figure (cgroup removed)\n", fp);
		return;
	}
	for (i = 0; i < CG_NFIGS; i++) {
		if (g->err[i] >= 0)
			continue;
		fprintf(fp, "%s%s (%s)",
			*sep ? sep : "  unknown: ", cgroup_fig_name(i),
			cgroup_why(g, i));
		sep = ", ";
	}
	if (*sep)
		fputc('\n', fp);
}

void
cgroupfmt_text(FILE *fp, const struct model *m)
{
	const struct cgroup_set *s = m->cg;
	const struct shmfs_mount *mt;
	const struct cg_member *mb;
	const struct cgroup *g;
	char b[4][FMT_SIZE];
	size_t i, nnone = 0, nquiet = 0;
	const char *why = NULL;
	int w, first = 0;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		g = &s->v[i];
		if (g->tick != s->tick)
			continue;
		/* Watching every process: only the cgroups that limit or
		 * killed something (a host has a cgroup per service). */
		if (m->all && g->tight_limit == CG_UNLIMITED &&
		    g->fig[CG_ev_oom_kill] <= 0 && !g->gone) {
			nquiet++;
			continue;
		}
		cf_text_cgroup(fp, g);
	}
	if (nquiet > 0)
		fprintf(fp,
			"Cgroup  %zu more without a limit or an OOM kill (all "
			"in --json)\n",
			nquiet);
	for (i = 0; i < m->nprocs; i++) {
		mb = cgroup_member(s, m->procs[i]->pid);
		if (mb == NULL || mb->cg < 0) {
			if (nnone++ == 0) {
				why = cgroup_member_why(mb);
				first = m->procs[i]->pid;
			}
		}
	}
	if (nnone > 0)
		fprintf(fp, "Cgroup  - for %zu process%s (e.g. pid %d): %s\n",
			nnone, nnone == 1 ? "" : "es", first,
			why ? why : "unknown");
	if (s->sys_psi.err == 0)
		fprintf(fp,
			"Pressure (system memory)  some %.2f/%.2f/%.2f "
			"full %.2f/%.2f/%.2f (avg10/avg60/avg300 %%)  "
			"total some %lldus full %lldus\n",
			s->sys_psi.some[0], s->sys_psi.some[1],
			s->sys_psi.some[2], s->sys_psi.full[0],
			s->sys_psi.full[1], s->sys_psi.full[2],
			s->sys_psi.some_total, s->sys_psi.full_total);
	else
		fprintf(fp, "Pressure (system memory)  - (%s)\n",
			cf_psi_why(s->sys_psi.err));
	for (i = 0; m->shm != NULL && i < m->shm->n; i++) {
		mt = &m->shm->v[i];
		w = cgroup_warn(mt->size_kb, mt->used_kb);
		fputs("tmpfs   ", fp);
		sanitize_fput(fp, mt->path, 60, 0);
		fprintf(fp, "  size %s  used %s  free %s  tree maps %s",
			fmt_kb(b[0], mt->size_kb), fmt_kb(b[1], mt->used_kb),
			mt->size_kb >= 0 && mt->used_kb >= 0
				? fmt_kb(b[2], mt->size_kb - mt->used_kb)
				: "-",
			fmt_kb(b[3], mt->tree_kb));
		if (mt->err < 0)
			fprintf(fp, "  (%s)", shmfs_why(mt));
		if (w == 1)
			fputs("  WARNING: under 20% left", fp);
		fputc('\n', fp);
	}
	if (m->shm != NULL)
		fprintf(fp, "Tree shmem (RssShmem) %s\n",
			fmt_kb(b[0], m->shm->tree_shmem_kb));
}

/* ---- show --------------------------------------------------------- */

static const char *
cf_jsize(char *b, json_t *v)
{
	if (json_is_string(v))
		return "no limit";
	if (!json_is_integer(v))
		return "-";
	return fmt_kb(b, json_integer_value(v));
}

void
cgroupfmt_show(FILE *fp, json_t *root)
{
	json_t *phases, *last, *cgs, *g, *oom, *e, *ev;
	const char *msg;
	char b[3][FMT_SIZE], c[CF_COUNT];
	size_t i, n;

	phases = json_object_get(root, "phases");
	n = json_array_size(phases);
	last = n > 0 ? json_array_get(phases, n - 1) : NULL;
	cgs = json_object_get(last, "cgroups");
	if (json_array_size(cgs) > 0)
		fprintf(fp, "\nMemory cgroups at the last phase:\n");
	for (i = 0; i < json_array_size(cgs); i++) {
		g = json_array_get(cgs, i);
		fputs("  ", fp);
		msg = json_string_value(json_object_get(g, "path"));
		sanitize_fput(fp, msg ? msg : "?", 80, 0);
		ev = json_object_get(json_object_get(g, "events"), "oom_kill");
		fprintf(fp, "  usage %s  limit %s  peak %s  oom_kill %s\n",
			cf_jsize(b[0], json_object_get(g, "usage_kb")),
			cf_jsize(b[1], json_object_get(g, "limit_kb")),
			cf_jsize(b[2], json_object_get(g, "peak_kb")),
			json_is_integer(ev)
				? cf_tcount(c,
					    (long long)json_integer_value(ev))
				: "-");
	}
	oom = json_object_get(root, "oom");
	if (json_array_size(oom) > 0)
		fprintf(fp, "\nOOM kills:\n");
	for (i = 0; i < json_array_size(oom); i++) {
		e = json_array_get(oom, i);
		msg = json_string_value(json_object_get(e, "message"));
		fputs("  ", fp);
		sanitize_fput(fp, msg ? msg : "?", 200, 0);
		fputc('\n', fp);
	}
}
