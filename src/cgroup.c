/*
 * cgroup.c - the memory cgroups of the target tree (cgroup.h): each
 * sample, the cgroup of every target process (from /proc/PID/cgroup),
 * its oom_score, the distinct cgroups read (cgroup_read.c) and OOM kills
 * attributed (cgroup_oom.c); the system's memory pressure; the reasons
 * a figure is unknown; the warning threshold.  The parsers are in
 * cgroup_parse.c.
 *
 * Touches: files read through the collector only (the kernel's, or a
 * recording's), and the model read-only.  Reading these files takes no
 * lock of the watched processes, so it runs every sample.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "collect.h"
#include "model.h"

/* At most this many distinct cgroups are followed (all-processes mode
 * on a host with many services). */
#define CG_MAX 256
/* In all-processes mode a process's cgroup and oom_score, and each
 * cgroup's files, are read again every this many samples (target trees:
 * every sample). */
#define CG_REREAD 10

/* A process's files read ahead by cgroup_take (one sample). */
enum { CG_PRE_CGROUP, CG_PRE_SCORE, CG_PRE_ADJ, CG_PRE_N };
static const char *const cg_pre_file[CG_PRE_N] = {"cgroup", "oom_score",
						  "oom_score_adj"};
struct cg_pre {
	int pid;
	unsigned long long start_time;
	int r[CG_PRE_N]; /* 0 read, -errno, or 1: not read ahead */
	char *text[CG_PRE_N];
	size_t len[CG_PRE_N];
};

static void
cg_pre_clear(struct cgroup_set *s)
{
	size_t i;
	int f;

	for (i = 0; i < s->npre; i++)
		for (f = 0; f < CG_PRE_N; f++)
			free(s->pre[i].text[f]);
	free(s->pre);
	s->pre = NULL;
	s->npre = s->cappre = 0;
}

static int
cg_pre_cmp(const void *a, const void *b)
{
	const struct cg_pre *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

void
cgroup_set_init(struct cgroup_set *s)
{
	memset(s, 0, sizeof *s);
	s->phase_index = -1;
	s->sys_psi.err = -ENODATA;
	s->scores = 1;
}

static void
cg_free_one(struct cgroup *g)
{
	free(g->path);
	free(g->dir);
	free(g->tight_path);
	free(g->psi_dir);
}

void
cgroup_set_free(struct cgroup_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		cg_free_one(&s->v[i]);
	for (i = 0; i < s->noom; i++) {
		free(s->oom[i].cgroup);
		free(s->oom[i].phase);
	}
	free(s->v);
	free(s->mem);
	free(s->oom);
	free(s->phase);
	cg_pre_clear(s);
	memset(s, 0, sizeof *s);
}

void
cgroup_set_phase(struct cgroup_set *s, long index, const char *label)
{
	char *d = label ? strdup(label) : NULL;

	if (label != NULL && d == NULL)
		return;
	free(s->phase);
	s->phase = d;
	s->phase_index = index;
}

/* ---- the set ------------------------------------------------------ */

/* Index of the cgroup (version, path), added if new; -1 out of memory
 * or room. */
static long
cg_find_add(struct cgroup_set *s, int version, const char *path)
{
	const struct cg_mounts *mt = &s->mnt;
	const char *root = version == 2 ? mt->v2_root : mt->v1_root;
	const char *rel = path;
	struct cgroup *g, *nv;
	size_t i, rl = strlen(root), need;

	for (i = 0; i < s->n; i++)
		if (s->v[i].version == version &&
		    strcmp(s->v[i].path, path) == 0)
			return (long)i;
	if (s->n >= CG_MAX)
		return -1;
	if (s->n == s->cap) {
		nv = realloc(s->v, (s->cap ? s->cap * 2 : 8) * sizeof *nv);
		if (nv == NULL)
			return -1;
		s->v = nv;
		s->cap = s->cap ? s->cap * 2 : 8;
	}
	/* A mount of a sub-tree (a container's /sys/fs/cgroup): the path
	 * is below the mount's root. */
	if (rl > 1 && strncmp(path, root, rl) == 0 &&
	    (path[rl] == '/' || path[rl] == '\0'))
		rel = path + rl;
	g = &s->v[s->n];
	memset(g, 0, sizeof *g);
	g->version = version;
	g->path = strdup(path);
	need = strlen(version == 2 ? mt->v2 : mt->v1) + strlen(rel) + 2;
	g->dir = malloc(need);
	if (g->path == NULL || g->dir == NULL) {
		cg_free_one(g);
		return -1;
	}
	snprintf(g->dir, need, "%s%s", version == 2 ? mt->v2 : mt->v1,
		 strcmp(rel, "/") == 0 ? "" : rel);
	g->oom_seen = -1;
	return (long)s->n++;
}

/* A v1 cgroup's pressure: from the cgroup2 group v2 (not the root). */
static void
cg_psi_dir(const struct cgroup_set *s, struct cgroup *g, const char *v2)
{
	size_t need;

	if (g->psi_dir != NULL || v2[0] != '/' || v2[1] == '\0' ||
	    s->mnt.v2[0] == '\0' || strcmp(s->mnt.v2_root, "/") != 0)
		return;
	need = strlen(s->mnt.v2) + strlen(v2) + 1;
	g->psi_dir = malloc(need);
	if (g->psi_dir != NULL)
		snprintf(g->psi_dir, need, "%s%s", s->mnt.v2, v2);
}

/* mb's file f (CG_PRE_*): as cgroup_take read it this sample, or now. */
static int
cg_pid_file(const struct cgroup_set *s, struct collector *c,
	    const struct cg_member *mb, int f, const char **b, size_t *n)
{
	const struct cg_pre *pr = NULL;
	struct cg_pre key;

	if (s->npre > 0) {
		key.pid = mb->pid;
		pr = bsearch(&key, s->pre, s->npre, sizeof *s->pre,
			     cg_pre_cmp);
	}
	if (pr != NULL && pr->start_time == mb->start_time && pr->r[f] <= 0) {
		*b = pr->text[f];
		*n = pr->len[f];
		return pr->r[f];
	}
	return collect_pid_file(c, mb->pid, cg_pre_file[f], b, n);
}

/* Which cgroup mb's process is in, from its /proc/PID/cgroup. */
static void
cg_member_read(struct cgroup_set *s, struct collector *c, struct cg_member *mb)
{
	char v1[1024], v2[1024];
	unsigned long long old_tick;
	const char *b;
	size_t n;
	int r, old;

	r = cg_pid_file(s, c, mb, CG_PRE_CGROUP, &b, &n);
	/* A process that exits as we read (ESRCH; the screen keeps its
	 * row) stays where it was: an OOM kill is told by its cgroup. */
	if (r < 0 && mb->cg >= 0 && mb->read_tick != 0)
		return;
	old = mb->cg;
	old_tick = mb->read_tick;
	mb->cg = -1;
	mb->none = CGN_OK;
	mb->err = 0;
	if (r < 0) {
		mb->none = CGN_READ;
		mb->err = r;
		return;
	}
	if (cgroup_parse_proc(b, n, v1, sizeof v1, v2, sizeof v2) < 0) {
		mb->none = CGN_READ;
		mb->err = -EINVAL;
		return;
	}
	/* cgroup v1 shows an exiting process (an OOM victim freeing its
	 * memory) in the root: it stays where it was, so that the kill is
	 * told by its own cgroup.  Only root may move a live process to the
	 * root, and then it is seen at the next read after it ends. */
	if (old >= 0 && old_tick != 0 && strcmp(v1, "/") == 0 &&
	    s->mnt.v1[0] != '\0' && s->v[old].version == 1 &&
	    strcmp(s->v[old].path, "/") != 0) {
		mb->cg = old;
		return;
	}
	/* v1's memory controller when it is mounted (hybrid hosts), else
	 * v2 when its hierarchy has the memory controller. */
	if (v1[0] != '\0' && s->mnt.v1[0] != '\0') {
		mb->cg = cg_find_add(s, 1, v1);
		if (mb->cg >= 0)
			cg_psi_dir(s, &s->v[mb->cg], v2);
	} else if (v2[0] != '\0' && s->mnt.v2[0] != '\0' &&
		   s->mnt.v2_memory != 0)
		mb->cg = cg_find_add(s, 2, v2);
	else
		mb->none = CGN_NO_MEMCG;
	if (mb->cg < 0 && mb->none == CGN_OK) {
		mb->none = CGN_READ;
		mb->err = -ENOMEM;
	}
}

static void
cg_member_scores(const struct cgroup_set *s, struct collector *c,
		 struct cg_member *mb)
{
	const char *b;
	size_t n;
	long long v;
	char *end;
	long a;
	int r;

	r = cg_pid_file(s, c, mb, CG_PRE_SCORE, &b, &n);
	v = r < 0 ? -1 : cgroup_parse_value(b, n);
	mb->oom_score = v < 0 ? -1 : (long)v;
	mb->oom_err = r < 0 ? r : v < 0 ? -EINVAL : 0;
	r = cg_pid_file(s, c, mb, CG_PRE_ADJ, &b, &n);
	if (r < 0) {
		mb->oom_score_adj = LONG_MIN;
		mb->adj_err = r;
		return;
	}
	a = strtol(b, &end, 10);
	mb->oom_score_adj = end == b ? LONG_MIN : a;
	mb->adj_err = end == b ? -EINVAL : 0;
}

/* Where the hierarchies are, once; and whether v2 has memory. */
static void
cg_mounts(struct cgroup_set *s, struct collector *c)
{
	char path[1100];
	const char *b;
	size_t n;

	if (s->mnt.read)
		return;
	if (collect_file(c, "/proc/self/mountinfo", &b, &n) < 0) {
		memset(&s->mnt, 0, sizeof s->mnt);
		s->mnt.read = 1;
		/* No mountinfo (an old recording): the usual places. */
		snprintf(s->mnt.v2, sizeof s->mnt.v2, "/sys/fs/cgroup");
		snprintf(s->mnt.v2_root, sizeof s->mnt.v2_root, "/");
		s->mnt.v2_memory = -1;
		return;
	}
	cgroup_parse_mounts(b, n, &s->mnt);
	if (s->mnt.v2[0] == '\0')
		return;
	snprintf(path, sizeof path, "%s/cgroup.controllers", s->mnt.v2);
	if (collect_file(c, path, &b, &n) == 0) {
		char *d = strndup(b, n);

		s->mnt.v2_memory = d != NULL && strstr(d, "memory") != NULL;
		free(d);
	}
}

static int
cg_mem_cmp(const void *a, const void *b)
{
	const struct cg_member *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static struct cg_member *
cg_mem_find(struct cg_member *v, size_t n, int pid)
{
	struct cg_member key;

	key.pid = pid;
	return n ? bsearch(&key, v, n, sizeof *v, cg_mem_cmp) : NULL;
}

void
cgroup_scores_read(struct cgroup_set *s, struct model *m)
{
	size_t i;

	for (i = 0; i < s->nmem; i++) {
		if (s->mem[i].scores_tick == s->tick || s->mem[i].ended)
			continue;
		cg_member_scores(s, m->coll, &s->mem[i]);
		s->mem[i].scores_tick = s->tick;
	}
}

const struct cg_member *
cgroup_member(const struct cgroup_set *s, int pid)
{
	return cg_mem_find(s->mem, s->nmem, pid);
}

/* Is p ending: gone since the scan (the screen keeps its row), a
 * zombie, or its memory already released (no RSS in its status)?  The
 * kernel has then taken it out of its cgroup (v1 shows it in the root). */
static int
cg_ending(const struct proc *p)
{
	return p->status_err == PROC_GONE || p->status_err == PROC_ZOMBIE ||
	       p->state == 'Z' || (p->status_err == PROC_OK && p->now.rss < 0);
}

/* Is it time to read which cgroup mb is in?  Not for a process that is
 * ending: an OOM kill is told by the cgroup it was in. */
static int
cg_member_due(const struct cg_member *mb, const struct proc *p, int every,
	      unsigned long long tick)
{
	if (mb->read_tick == 0)
		return 1;
	if (cg_ending(p))
		return 0;
	return every || tick - mb->read_tick >= CG_REREAD;
}

/* Are mb's oom_score and oom_score_adj read with its cgroup? */
static int
cg_scores_due(const struct cgroup_set *s, const struct cg_member *mb, int due)
{
	return s->scores && (due || mb->scores_tick == 0);
}

void
cgroup_take(struct cgroup_set *s, struct collector *c, const struct model *m,
	    const struct proc *p)
{
	struct cg_member fresh, *old;
	struct cg_pre *pr, *np;
	const char *b;
	size_t n, cap;
	int due, scores, f;

	if (s->pre_tick != m->tick) {
		cg_pre_clear(s);
		s->pre_tick = m->tick;
	}
	/* As cg_members_new will decide: cgroup_sample() counts its sample
	 * first, so one tick on. */
	old = cg_mem_find(s->mem, s->nmem, p->pid);
	if (old == NULL || old->start_time != p->start_time) {
		memset(&fresh, 0, sizeof fresh);
		old = &fresh;
	}
	due = cg_member_due(old, p, !m->all, s->tick + 1);
	scores = cg_scores_due(s, old, due);
	if (!due && !scores)
		return;
	if (s->npre == s->cappre) {
		cap = s->cappre ? s->cappre * 2 : 256;
		np = realloc(s->pre, cap * sizeof *np);
		if (np == NULL)
			return; /* read when due, as without this */
		s->pre = np;
		s->cappre = cap;
	}
	pr = &s->pre[s->npre++];
	memset(pr, 0, sizeof *pr);
	pr->pid = p->pid;
	pr->start_time = p->start_time;
	for (f = 0; f < CG_PRE_N; f++) {
		pr->r[f] = 1;
		if (f == CG_PRE_CGROUP ? !due : !scores)
			continue;
		pr->r[f] = collect_pid_file(c, p->pid, cg_pre_file[f], &b, &n);
		if (pr->r[f] < 0)
			continue;
		pr->text[f] = malloc(n + 1);
		if (pr->text[f] == NULL) {
			pr->r[f] = 1;
			continue;
		}
		memcpy(pr->text[f], b, n);
		pr->text[f][n] = '\0';
		pr->len[f] = n;
	}
}

/* The members of this sample, carrying over what was known. */
static struct cg_member *
cg_members_new(struct cgroup_set *s, struct model *m, size_t *nn)
{
	struct cg_member *nv, *old, *mb;
	const struct proc *p;
	size_t i, n = 0;
	int every = !m->all, due;

	nv = calloc(m->nprocs ? m->nprocs : 1, sizeof *nv);
	if (nv == NULL)
		return NULL;
	for (i = 0; i < m->nprocs; i++) {
		p = m->procs[i];
		mb = &nv[n++];
		old = cg_mem_find(s->mem, s->nmem, p->pid);
		if (old != NULL && old->start_time == p->start_time) {
			*mb = *old;
		} else {
			memset(mb, 0, sizeof *mb);
			mb->pid = p->pid;
			mb->start_time = p->start_time;
			mb->oom_score = -1; /* not read yet */
			mb->oom_score_adj = LONG_MIN;
			mb->oom_err = mb->adj_err = -ENODATA;
		}
		memcpy(mb->comm, p->comm, sizeof mb->comm);
		if (p->now.rss >= 0)
			mb->rss_kb = p->now.rss;
		else if (mb->read_tick == 0)
			mb->rss_kb = -1;
		mb->tick = s->tick;
		mb->ended_now = cg_ending(p) && !mb->ended;
		mb->ended |= mb->ended_now;
		due = cg_member_due(mb, p, every, s->tick);
		if (due) {
			cg_member_read(s, m->coll, mb);
			mb->read_tick = s->tick;
		}
		if (cg_scores_due(s, mb, due)) {
			cg_member_scores(s, m->coll, mb);
			mb->scores_tick = s->tick;
		}
	}
	qsort(nv, n, sizeof *nv, cg_mem_cmp);
	*nn = n;
	return nv;
}

static int
cg_has_gone(struct cg_member **gone, size_t n, long gi)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (gone[i]->cg == gi)
			return 1;
	return 0;
}

int
cgroup_sample(struct cgroup_set *s, struct model *m)
{
	struct cg_member *nv, **gone, *mb;
	const char *b;
	size_t nn = 0, i, ngone = 0;
	int made = 0, r;

	s->tick++;
	cg_mounts(s, m->coll);
	r = collect_file(m->coll, "/proc/pressure/memory", &b, &i);
	if (r == -ENOENT && collect_replaying(m->coll))
		r = -ENODATA;
	if (r < 0) {
		memset(&s->sys_psi, 0, sizeof s->sys_psi);
		s->sys_psi.err = r;
	} else {
		cgroup_parse_psi(b, i, &s->sys_psi);
	}
	if (s->pre_tick != m->tick)
		cg_pre_clear(s); /* another sample's (it did not end) */
	/* /proc lists pids in order: sorted already, as a rule. */
	if (s->npre > 1)
		qsort(s->pre, s->npre, sizeof *s->pre, cg_pre_cmp);
	nv = cg_members_new(s, m, &nn);
	cg_pre_clear(s);
	if (nv == NULL)
		return 0;
	/* Who ended since the last sample: left the target, or is a
	 * zombie its parent has not reaped yet (once). */
	gone = calloc(s->nmem + nn + 1, sizeof *gone);
	for (i = 0; gone != NULL && i < s->nmem; i++) {
		mb = cg_mem_find(nv, nn, s->mem[i].pid);
		if ((mb == NULL || mb->start_time != s->mem[i].start_time) &&
		    !s->mem[i].ended)
			gone[ngone++] = &s->mem[i];
	}
	for (i = 0; gone != NULL && i < nn; i++)
		if (nv[i].ended_now)
			gone[ngone++] = &nv[i];
	for (i = 0; i < s->n; i++)
		s->v[i].nprocs = 0;
	for (i = 0; i < nn; i++)
		if (nv[i].cg >= 0)
			s->v[nv[i].cg].nprocs++;
	for (i = 0; i < s->n; i++) {
		if (s->v[i].nprocs == 0 && s->v[i].oom_pending == 0 &&
		    !cg_has_gone(gone, ngone, (long)i))
			continue; /* not the tree's now: not read */
		s->v[i].tick = s->tick;
		/* Watching every process: many cgroups; their files are
		 * read every CG_REREAD samples, unless a kill is due or the
		 * cgroup was removed (one stat tells). */
		if (m->all && s->v[i].read_tick != 0 &&
		    !cg_has_gone(gone, ngone, (long)i) &&
		    s->v[i].oom_pending == 0 &&
		    s->tick - s->v[i].read_tick < CG_REREAD &&
		    collect_dir_exists(m->coll, s->v[i].dir) !=
			    (s->v[i].gone ? 0 : -ENOENT))
			continue;
		cgroup_read_one(&s->v[i], m->coll, &s->mnt);
		s->v[i].read_tick = s->tick;
		made += cgroup_attribute(s, m, (long)i, gone, ngone);
	}
	free(gone);
	free(s->mem);
	s->mem = nv;
	s->nmem = nn;
	return made;
}

const struct cgroup *
cgroup_tightest(const struct cgroup_set *s)
{
	const struct cgroup *best = NULL, *g;
	long long room, best_room = 0;
	size_t i;

	for (i = 0; i < s->n; i++) {
		g = &s->v[i];
		if (g->tick != s->tick || g->nprocs == 0 || g->tight_limit < 0)
			continue;
		room = g->tight_limit -
		       (g->tight_usage < 0 ? 0 : g->tight_usage);
		if (best == NULL || room < best_room) {
			best = g;
			best_room = room;
		}
	}
	return best;
}

static const char *
cg_errno_why(int err, int gone)
{
	switch (-err) {
	case 0:
		return NULL;
	case ENOENT:
		return gone ? "cgroup removed" : "not provided by this kernel";
	case ENODATA:
		return "not in the recording";
	case EOPNOTSUPP:
		return "cgroup v1 has no such figure";
	case EACCES:
	case EPERM:
		return "permission denied";
	case EINVAL:
		return "unreadable contents";
	case ESRCH:
		return "process gone";
	default:
		return strerror(-err);
	}
}

const char *
cgroup_why(const struct cgroup *g, int i)
{
	if (i < 0 || i >= CG_NFIGS)
		return NULL;
	return cg_errno_why(g->err[i], g->gone);
}

const char *
cgroup_member_why(const struct cg_member *mb)
{
	if (mb == NULL)
		return "not sampled";
	switch (mb->none) {
	case CGN_OK:
		return NULL;
	case CGN_NO_MEMCG:
		return "in no memory cgroup (no memory controller)";
	case CGN_READ:
	default:
		return cg_errno_why(mb->err, 0);
	}
}

int
cgroup_warn(long long limit, long long usage)
{
	if (limit <= 0 || usage < 0)
		return -1;
	return (limit - usage) * 100 < limit * CGROUP_WARN_PCT;
}
