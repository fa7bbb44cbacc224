/*
 * cgroup_oom.c - OOM kills of the target (cgroup.h): a process that left
 * the target while its cgroup's oom_kill counter rose was killed by the
 * OOM killer; the launched command's end (its status known) is checked
 * the same way; and the message that tells it.
 *
 * Touches: the cgroup set, the model read-only (clock and figures), and
 * the cgroup's files again through cgroup_read_one() at the command's end.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgroup.h"
#include "clock.h"
#include "fmt.h"
#include "model.h"

/* A rise of oom_kill with no process of the cgroup gone yet waits this
 * many samples for one (it may still be exiting). */
#define CG_PENDING_TICKS 3

struct cg_oom *
cgroup_oom_add(struct cgroup_set *s, const struct model *m,
	       const struct cg_member *mb, const struct cgroup *g)
{
	struct cg_oom *e, *nv;

	if (s->noom == s->capoom) {
		nv = realloc(s->oom,
			     (s->capoom ? s->capoom * 2 : 4) * sizeof *nv);
		if (nv == NULL)
			return NULL;
		s->oom = nv;
		s->capoom = s->capoom ? s->capoom * 2 : 4;
	}
	e = &s->oom[s->noom];
	memset(e, 0, sizeof *e);
	e->pid = mb->pid;
	e->start_time = mb->start_time;
	memcpy(e->comm, mb->comm, sizeof e->comm);
	e->cgroup = strdup(g->path);
	e->version = g->version;
	e->limit = g->tight_path != NULL ? g->tight_limit : g->fig[CG_limit];
	e->peak = g->fig[CG_peak];
	e->usage = g->fig[CG_usage];
	e->rss_kb = mb->rss_kb;
	e->oom_kill = g->fig[CG_ev_oom_kill];
	e->elapsed_s = m->now_mono - m->start_mono;
	fmt_time(e->time, sizeof e->time, (long)m->now_wall.tv_sec,
		 m->now_wall.tv_nsec);
	e->phase_index = s->phase_index;
	e->phase = s->phase ? strdup(s->phase) : NULL;
	s->noom++;
	return e;
}

static int
cg_gone_cmp(const void *a, const void *b)
{
	const struct cg_member *x = *(const struct cg_member *const *)a;
	const struct cg_member *y = *(const struct cg_member *const *)b;

	return (x->rss_kb < y->rss_kb) - (x->rss_kb > y->rss_kb);
}

/*
 * The oom_kill counter of g rose by `rose`: the processes of g that left
 * the target this sample (gone[0..ngone)) are the ones killed, largest
 * RSS first (the OOM killer picks the largest).  A rise with none gone
 * waits a few samples for the victim to finish exiting.
 */
int
cgroup_attribute(struct cgroup_set *s, const struct model *m, long gi,
		 struct cg_member **gone, size_t ngone)
{
	struct cgroup *g = &s->v[gi];
	struct cg_member *mine[64];
	size_t i, n = 0;
	int made = 0;

	if (g->fig[CG_ev_oom_kill] < 0)
		return 0;
	if (g->oom_seen < 0 || g->oom_seen > g->fig[CG_ev_oom_kill]) {
		g->oom_seen = g->fig[CG_ev_oom_kill];
		return 0;
	}
	if (g->fig[CG_ev_oom_kill] == g->oom_seen) {
		g->oom_pending = 0;
		return 0;
	}
	for (i = 0; i < ngone && n < 64; i++)
		if (gone[i]->cg == gi && !gone[i]->killed)
			mine[n++] = gone[i];
	qsort(mine, n, sizeof *mine, cg_gone_cmp);
	for (i = 0; i < n && g->oom_seen < g->fig[CG_ev_oom_kill]; i++) {
		if (cgroup_oom_add(s, m, mine[i], g) == NULL)
			break;
		mine[i]->killed = 1;
		g->oom_seen++;
		made++;
	}
	if (g->oom_seen == g->fig[CG_ev_oom_kill]) {
		g->oom_pending = 0;
	} else if (g->oom_pending == 0) {
		g->oom_pending = s->tick;
	} else if (s->tick - g->oom_pending >= CG_PENDING_TICKS) {
		/* Kills of processes we do not watch. */
		g->oom_seen = g->fig[CG_ev_oom_kill];
		g->oom_pending = 0;
	}
	return made;
}

struct cg_oom *
cgroup_child_ended(struct cgroup_set *s, struct model *m, int pid,
		   unsigned long long start_time, int sigkill)
{
	struct cg_member *mb;
	struct cgroup *g;
	struct cg_oom *e;
	size_t i;

	for (i = 0; i < s->noom; i++) {
		e = &s->oom[i];
		if (e->pid == pid &&
		    (start_time == 0 || e->start_time == start_time)) {
			e->sigkill = sigkill;
			return e;
		}
	}
	mb = (struct cg_member *)cgroup_member(s, pid);
	if (!sigkill || mb == NULL || mb->cg < 0 ||
	    (start_time != 0 && mb->start_time != start_time))
		return NULL;
	g = &s->v[mb->cg];
	cgroup_read_one(g, m->coll, &s->mnt);
	if (g->fig[CG_ev_oom_kill] < 0 || g->oom_seen < 0 ||
	    g->fig[CG_ev_oom_kill] <= g->oom_seen)
		return NULL;
	clock_gettime(CLOCK_REALTIME, &m->now_wall);
	m->now_mono = clock_now();
	e = cgroup_oom_add(s, m, mb, g);
	if (e == NULL)
		return NULL;
	g->oom_seen++;
	e->sigkill = 1;
	return e;
}

/* A size in bytes as "64M", "no limit" or "-". */
static const char *
cg_size(char *buf, long long v)
{
	if (v == CG_UNLIMITED)
		return "no limit";
	return fmt_kb(buf, v < 0 ? -1 : (v + 1023) / 1024);
}

void
cgroup_oom_msg(const struct cg_oom *e, char *buf, size_t len)
{
	char l[FMT_SIZE], p[FMT_SIZE], ph[200];

	if (e->phase != NULL)
		snprintf(ph, sizeof ph, " during phase '%s'", e->phase);
	else
		ph[0] = '\0';
	snprintf(buf, len,
		 "pid %d killed by the OOM killer (cgroup %s: limit %s, "
		 "peak %s)%s",
		 e->pid, e->cgroup ? e->cgroup : "?", cg_size(l, e->limit),
		 cg_size(p, e->peak), ph);
}
