/*
 * cgroup_read.c - one memory cgroup's figures (cgroup.h): the v2 files
 * (memory.current, .max, .high, .peak, .swap.*, .stat, .events,
 * .pressure) or v1's (memory.usage_in_bytes, .limit_in_bytes,
 * .max_usage_in_bytes, .memsw.*, .stat, .kmem.*, .oom_control, .failcnt),
 * and the tightest limit from it up to the root.  A figure that cannot
 * be read keeps its -errno.
 *
 * Touches: files read through the collector only (the kernel's, or a
 * recording's); they take no lock of the watched processes.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "collect.h"

/* Read dir/name into a value; err gets -errno, or -EINVAL. */
static long long
cg_read_value(struct collector *c, const char *dir, const char *name, int *err)
{
	char path[2048];
	const char *b;
	size_t n;
	long long v;
	int r;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	r = collect_file(c, path, &b, &n);
	if (r < 0) {
		*err = r;
		return CG_UNKNOWN;
	}
	v = cgroup_parse_value(b, n);
	*err = v == CG_UNKNOWN ? -EINVAL : 0;
	return v;
}

static void
cg_set(struct cgroup *g, int i, long long v, int err)
{
	g->fig[i] = err < 0 ? CG_UNKNOWN : v;
	g->err[i] = err < 0 ? err : 0;
}

static void
cg_value(struct cgroup *g, struct collector *c, int i, const char *name)
{
	int err;
	long long v = cg_read_value(c, g->dir, name, &err);

	cg_set(g, i, v, err);
}

/* Keys of a flat-keyed file into figures; a key that is absent is
 * -ENOENT (this kernel does not give it). */
struct cg_key {
	int fig;
	const char *key;
};

static void
cg_keys(struct cgroup *g, struct collector *c, const char *name,
	const struct cg_key *k, size_t n)
{
	char path[2048];
	const char *b;
	size_t len, i;
	long long v;
	int r;

	snprintf(path, sizeof path, "%s/%s", g->dir, name);
	r = collect_file(c, path, &b, &len);
	for (i = 0; i < n; i++) {
		v = r < 0 ? CG_UNKNOWN : cgroup_parse_key(b, len, k[i].key);
		cg_set(g, k[i].fig, v,
		       r < 0		 ? r
		       : v == CG_UNKNOWN ? -ENOENT
					 : 0);
	}
}

static const struct cg_key cg_v2_stat[] = {
	{ CG_anon, "anon" },
	{ CG_file, "file" },
	{ CG_shmem, "shmem" },
	{ CG_kernel, "kernel" },
	{ CG_slab, "slab" },
	{ CG_sock, "sock" },
	{ CG_file_mapped, "file_mapped" },
};
static const struct cg_key cg_v2_events[] = {
	{ CG_ev_oom, "oom" },
	{ CG_ev_oom_kill, "oom_kill" },
	{ CG_ev_max, "max" },
};
static const struct cg_key cg_v1_stat[] = {
	{ CG_anon, "total_rss" },
	{ CG_file, "total_cache" },
	{ CG_shmem, "total_shmem" },
	{ CG_file_mapped, "total_mapped_file" },
};
static const struct cg_key cg_v1_oom[] = {
	{ CG_ev_oom_kill, "oom_kill" },
};

#define CG_NKEYS(a) (sizeof(a) / sizeof((a)[0]))

static void
cg_read_v2(struct cgroup *g, struct collector *c)
{
	cg_value(g, c, CG_usage, "memory.current");
	cg_value(g, c, CG_limit, "memory.max");
	cg_value(g, c, CG_high, "memory.high");
	cg_value(g, c, CG_peak, "memory.peak");
	cg_value(g, c, CG_swap, "memory.swap.current");
	cg_value(g, c, CG_swap_limit, "memory.swap.max");
	cg_keys(g, c, "memory.stat", cg_v2_stat, CG_NKEYS(cg_v2_stat));
	cg_keys(g, c, "memory.events", cg_v2_events, CG_NKEYS(cg_v2_events));
}

static void
cg_read_v1(struct cgroup *g, struct collector *c)
{
	long long msw, mswl;
	int e1, e2;

	cg_value(g, c, CG_usage, "memory.usage_in_bytes");
	cg_value(g, c, CG_limit, "memory.limit_in_bytes");
	cg_set(g, CG_high, 0, -EOPNOTSUPP);
	cg_value(g, c, CG_peak, "memory.max_usage_in_bytes");
	/* memsw counts memory and swap together. */
	msw = cg_read_value(c, g->dir, "memory.memsw.usage_in_bytes", &e1);
	mswl = cg_read_value(c, g->dir, "memory.memsw.limit_in_bytes", &e2);
	if (e1 == 0 && g->fig[CG_usage] >= 0)
		cg_set(g, CG_swap,
		       msw > g->fig[CG_usage] ? msw - g->fig[CG_usage] : 0, 0);
	else
		cg_set(g, CG_swap, 0, e1 < 0 ? e1 : g->err[CG_usage]);
	if (e2 == 0 && mswl == CG_UNLIMITED)
		cg_set(g, CG_swap_limit, CG_UNLIMITED, 0);
	else if (e2 == 0 && g->fig[CG_limit] >= 0)
		cg_set(g, CG_swap_limit,
		       mswl > g->fig[CG_limit] ? mswl - g->fig[CG_limit] : 0,
		       0);
	else
		cg_set(g, CG_swap_limit, 0, e2 < 0 ? e2 : -EOPNOTSUPP);
	cg_keys(g, c, "memory.stat", cg_v1_stat, CG_NKEYS(cg_v1_stat));
	cg_value(g, c, CG_kernel, "memory.kmem.usage_in_bytes");
	cg_set(g, CG_slab, 0, -EOPNOTSUPP);
	cg_value(g, c, CG_sock, "memory.kmem.tcp.usage_in_bytes");
	cg_set(g, CG_ev_oom, 0, -EOPNOTSUPP);
	cg_keys(g, c, "memory.oom_control", cg_v1_oom, CG_NKEYS(cg_v1_oom));
	cg_value(g, c, CG_ev_max, "memory.failcnt");
}

/* The parent directory of dir, within the hierarchy's mount point top;
 * 0, or -1 at the top. */
static int
cg_parent(char *dir, const char *top)
{
	char *sl;

	if (strcmp(dir, top) == 0)
		return -1;
	sl = strrchr(dir, '/');
	if (sl == NULL || (size_t)(sl - dir) < strlen(top))
		return -1;
	*sl = '\0';
	return 0;
}

/* The tightest limit from g up to its hierarchy's top: the one with the
 * least headroom. */
static void
cg_tightest_up(struct cgroup *g, struct collector *c, const char *top)
{
	char dir[2048];
	long long lim, use, best = -1;
	int e1, e2, any = 0;

	free(g->tight_path);
	g->tight_path = NULL;
	g->tight_limit = g->err[CG_limit] < 0 ? CG_UNKNOWN : CG_UNLIMITED;
	g->tight_usage = CG_UNKNOWN;
	snprintf(dir, sizeof dir, "%s", g->dir);
	do {
		lim = cg_read_value(c, dir,
				    g->version == 2 ? "memory.max"
						    : "memory.limit_in_bytes",
				    &e1);
		if (e1 < 0)
			continue;
		any = 1;
		if (lim < 0)
			continue; /* no limit here */
		use = cg_read_value(c, dir,
				    g->version == 2 ? "memory.current"
						    : "memory.usage_in_bytes",
				    &e2);
		if (e2 < 0 || use < 0)
			use = CG_UNKNOWN;
		if (g->tight_path == NULL || lim - (use < 0 ? 0 : use) < best) {
			best = lim - (use < 0 ? 0 : use);
			g->tight_limit = lim;
			g->tight_usage = use;
			free(g->tight_path);
			g->tight_path = strdup(dir + strlen(top));
		}
	} while (cg_parent(dir, top) == 0);
	if (any && g->tight_path == NULL)
		g->tight_limit = CG_UNLIMITED;
	if (g->tight_path != NULL && g->tight_path[0] == '\0') {
		free(g->tight_path);
		g->tight_path = strdup("/");
	}
}

void
cgroup_read_one(struct cgroup *g, struct collector *c,
		const struct cg_mounts *mt)
{
	char path[2048];
	const char *b;
	size_t n;
	int i, r;

	g->gone = collect_dir_exists(c, g->dir) == -ENOENT;
	if (g->gone) {
		for (i = 0; i < CG_NFIGS; i++)
			cg_set(g, i, 0, -ENOENT);
		g->psi.err = -ENOENT;
		g->tight_limit = CG_UNKNOWN;
		return;
	}
	if (g->version == 2)
		cg_read_v2(g, c);
	else
		cg_read_v1(g, c);
	/* In a recording, a file left out of an existing cgroup is not
	 * "not given by this kernel". */
	for (i = 0; collect_replaying(c) && i < CG_NFIGS; i++)
		if (g->err[i] == -ENOENT)
			g->err[i] = -ENODATA;
	snprintf(path, sizeof path, "%s/memory.pressure",
		 g->psi_dir != NULL ? g->psi_dir : g->dir);
	r = collect_file(c, path, &b, &n);
	if (r < 0) {
		memset(&g->psi, 0, sizeof g->psi);
		g->psi.err = r;
	} else {
		cgroup_parse_psi(b, n, &g->psi);
	}
	cg_tightest_up(g, c, g->version == 2 ? mt->v2 : mt->v1);
}
