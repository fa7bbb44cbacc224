/*
 * metrics_frame.c - the frames that metrics.c writes: one from the
 * model's last sample (the screen, batch, --listen, --textfile), one from
 * a recorded phase or timeline point (ramtop export).  Copies figures
 * only: no /proc, no output.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics.h"

double
metrics_iso_time(const char *iso)
{
	struct tm tm;
	char frac[16] = "";
	int n = 0;
	time_t t;

	if (iso == NULL)
		return -1;
	memset(&tm, 0, sizeof tm);
	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	if (iso[n] == '.') {
		size_t k = 0;

		n++;
		frac[k++] = '0';
		frac[k++] = '.';
		while (iso[n] >= '0' && iso[n] <= '9' && k < sizeof frac - 1)
			frac[k++] = iso[n++];
		frac[k] = '\0';
	}
	if (iso[n] != 'Z')
		return -1;
	return (double)t + (frac[0] ? strtod(frac, NULL) : 0.0);
}

/* The last METRICS_PHASES_MAX phases of ph[0..upto]. */
static int
mx_frame_phases(struct metrics_frame *f, const struct phases *ph, size_t upto)
{
	const struct phase *p;
	size_t first = 0, i;

	if (ph == NULL || phase_count(ph) == 0)
		return 0;
	if (upto >= phase_count(ph))
		upto = phase_count(ph) - 1;
	if (upto + 1 > METRICS_PHASES_MAX)
		first = upto + 1 - METRICS_PHASES_MAX;
	f->phases = calloc(upto + 1 - first, sizeof *f->phases);
	if (f->phases == NULL)
		return -ENOMEM;
	for (i = first; i <= upto; i++) {
		p = phase_get(ph, i);
		f->phases[f->nphases].index = p->index;
		f->phases[f->nphases].label = p->label ? p->label : "";
		f->phases[f->nphases].time = metrics_iso_time(p->time);
		f->nphases++;
	}
	return 0;
}

/* A process's oom_score and oom_score_adj from this sample's cgroup
 * reading; unknown without one. */
static void
mx_frame_oom(struct metrics_proc *mp, const struct cgroup_set *cg)
{
	const struct cg_member *mb = cg ? cgroup_member(cg, mp->pid) : NULL;

	if (mb == NULL || mb->tick != cg->tick)
		return;
	mp->oom_score = mb->oom_score;
	mp->has_oom = mb->oom_score >= 0;
	mp->oom_score_adj = mb->oom_score_adj;
	mp->has_oom_adj = mb->oom_score_adj != LONG_MIN;
}

int
metrics_frame_model(struct metrics_frame *f, const struct model *m,
		    const struct phases *ph)
{
	const struct proc *p;
	struct metrics_proc *mp;
	size_t i;

	memset(f, 0, sizeof *f);
	f->time = (double)m->now_wall.tv_sec + m->now_wall.tv_nsec / 1e9;
	f->all = m->all;
	if (m->nprocs > 0) {
		f->procs = calloc(m->nprocs, sizeof *f->procs);
		if (f->procs == NULL)
			return -ENOMEM;
	}
	for (i = 0; i < m->nprocs; i++) {
		p = m->procs[i];
		mp = &f->procs[f->nprocs++];
		mp->pid = p->pid;
		mp->ppid = p->ppid;
		mp->comm = p->comm;
		mp->figs = p->now;
		mp->rss_delta = kb_delta(p->now.rss, p->base.rss);
		mp->nomem = p->status_err == PROC_KTHREAD ||
			    p->status_err == PROC_ZOMBIE;
		if (p->regions != NULL && p->smaps_err == PROC_OK)
			mp->by_type = p->regions->by_type;
		mx_frame_oom(mp, m->cg);
	}
	if (m->cg != NULL && m->cg->tick > 0)
		f->cg = m->cg;
	if (m->shm != NULL && m->shm->n > 0)
		f->shm = m->shm;
	if (m->tot.with_regions > 0) {
		f->tree_by_type = m->tot.by_type;
		f->tree_by_type_count = m->tot.by_type_count;
		f->tree_with_regions = m->tot.with_regions;
	}
	f->sys_available = m->sys.mi.mem_available;
	f->sys_cached = m->sys.mi.cached;
	f->sys_shmem = m->sys.mi.shmem;
	f->sys_dev_shm = m->sys.dev_shm_used;
	f->has_self = 1;
	f->sample_seconds = m->sample_ms / 1000.0;
	f->samples = m->tick;
	f->start_time =
		(double)m->start_wall.tv_sec + m->start_wall.tv_nsec / 1e9;
	if (mx_frame_phases(f, ph, ph ? phase_count(ph) : 0) < 0) {
		metrics_frame_free(f);
		return -ENOMEM;
	}
	return 0;
}

int
metrics_frame_point(struct metrics_frame *f, const struct phases *ph,
		    double time, long long rss, long long pss,
		    const long long *rss_by_type)
{
	const struct phase *p;
	size_t i, n = 0;
	int t;

	memset(f, 0, sizeof *f);
	f->time = time;
	f->tree_only = 1;
	f->tree_rss = rss;
	f->tree_pss = pss;
	f->sys_available = f->sys_cached = f->sys_shmem = f->sys_dev_shm = -1;
	if (rss_by_type != NULL) {
		for (t = 0; t < REGION_NTYPES; t++) {
			f->point_by_type[t] = (struct region_fig){ -1, -1, -1,
								   -1, -1, -1,
								   -1 };
			f->point_by_type[t].rss = rss_by_type[t];
		}
		f->point_has_by_type = 1;
	}
	/* The phases marked by then. */
	for (i = 0; ph != NULL && i < phase_count(ph); i++) {
		p = phase_get(ph, i);
		if (metrics_iso_time(p->time) > time + 0.0005)
			break;
		n = i + 1;
	}
	if (n > 0 && mx_frame_phases(f, ph, n - 1) < 0) {
		metrics_frame_free(f);
		return -ENOMEM;
	}
	return 0;
}

static long long
mx_json_kb(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) && json_integer_value(v) >= 0
		       ? (long long)json_integer_value(v)
		       : -1;
}

int
metrics_frame_phase(struct metrics_frame *f, const struct phases *ph, size_t i,
		    int all)
{
	const struct phase *p = phase_get(ph, i);
	const struct phase_proc *pp;
	struct metrics_proc *mp;
	json_t *sys;
	size_t k;

	memset(f, 0, sizeof *f);
	if (p == NULL)
		return -ERANGE;
	f->time = metrics_iso_time(p->time);
	f->all = all;
	if (p->nprocs > 0) {
		f->procs = calloc(p->nprocs, sizeof *f->procs);
		if (f->procs == NULL)
			return -ENOMEM;
	}
	for (k = 0; k < p->nprocs; k++) {
		pp = &p->procs[k];
		mp = &f->procs[f->nprocs++];
		mp->pid = pp->pid;
		mp->ppid = pp->ppid;
		mp->comm = pp->comm ? pp->comm : "";
		mp->figs = pp->figs;
		mp->rss_delta = pp->rss_delta;
		if (pp->has_regions) {
			mp->by_type = pp->by_type;
			f->tree_with_regions++;
		}
	}
	if (p->has_by_type && f->tree_with_regions > 0) {
		f->tree_by_type = p->by_type;
		f->tree_by_type_count = p->by_type_count;
	}
	sys = json_object_get(p->json, "system");
	f->sys_available = mx_json_kb(sys, "mem_available_kb");
	f->sys_cached = mx_json_kb(sys, "cached_kb");
	f->sys_shmem = mx_json_kb(sys, "shmem_kb");
	f->sys_dev_shm = mx_json_kb(sys, "dev_shm_used_kb");
	if (mx_frame_phases(f, ph, i) < 0) {
		metrics_frame_free(f);
		return -ENOMEM;
	}
	return 0;
}

void
metrics_frame_free(struct metrics_frame *f)
{
	free(f->procs);
	free(f->phases);
	memset(f, 0, sizeof *f);
}
