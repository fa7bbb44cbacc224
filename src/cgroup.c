/*
 * cgroup.c - the memory cgroups of the target tree (cgroup.h): parsers
 * of /proc/PID/cgroup, mountinfo, single-value, flat-keyed and PSI files;
 * each sample, the cgroup of every target process, the figures of each
 * distinct cgroup and the tightest limit above it, oom_score, and OOM
 * kills attributed to the processes they ended.
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
#include <time.h>

#include "cgroup.h"
#include "clock.h"
#include "collect.h"
#include "fmt.h"
#include "model.h"

/* At most this many distinct cgroups are followed (all-processes mode
 * on a host with many services). */
#define CG_MAX 256
/* v1 "no limit" is LONG_MAX rounded down to a page; anything this big
 * is no limit. */
#define CG_HUGE (1LL << 62)
/* In all-processes mode a process's cgroup and oom_score, and each
 * cgroup's files, are read again every this many samples (target trees:
 * every sample). */
#define CG_REREAD 10
/* A rise of oom_kill with no process of the cgroup gone yet waits this
 * many samples for one (it may still be exiting). */
#define CG_PENDING_TICKS 3

static const char *const cg_names[CG_NFIGS] = {
#define X(f, key, sz) key,
	CG_FIGS
#undef X
};

static const int cg_sizes[CG_NFIGS] = {
#define X(f, key, sz) sz,
	CG_FIGS
#undef X
};

const char *
cgroup_fig_name(int i)
{
	return i >= 0 && i < CG_NFIGS ? cg_names[i] : "?";
}

int
cgroup_fig_is_size(int i)
{
	return i >= 0 && i < CG_NFIGS ? cg_sizes[i] : 0;
}

/* ---- parsers ------------------------------------------------------ */

/* Copy [p, end) into out (len), NUL-terminated; cut if too long. */
static void
cg_copy(char *out, size_t len, const char *p, const char *end)
{
	size_t n = (size_t)(end - p);

	if (len == 0)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* Does the comma-separated list [p, end) hold word? */
static int
cg_has_word(const char *p, const char *end, const char *word)
{
	size_t wl = strlen(word);
	const char *q;

	while (p < end) {
		q = memchr(p, ',', (size_t)(end - p));
		if (q == NULL)
			q = end;
		if ((size_t)(q - p) == wl && memcmp(p, word, wl) == 0)
			return 1;
		p = q + 1;
	}
	return 0;
}

int
cgroup_parse_proc(const char *buf, size_t len, char *v1, size_t v1len, char *v2,
		  size_t v2len)
{
	const char *p = buf, *end = buf + len, *nl, *c1, *c2;
	int any = 0;

	v1[0] = '\0';
	v2[0] = '\0';
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		c1 = memchr(p, ':', (size_t)(nl - p));
		if (c1 == NULL)
			continue;
		c2 = memchr(c1 + 1, ':', (size_t)(nl - c1 - 1));
		if (c2 == NULL || c2 + 1 >= nl || c2[1] != '/')
			continue;
		any = 1;
		if (c2 == c1 + 1 && c1 - p == 1 && p[0] == '0')
			cg_copy(v2, v2len, c2 + 1, nl);
		else if (cg_has_word(c1 + 1, c2, "memory"))
			cg_copy(v1, v1len, c2 + 1, nl);
	}
	return any ? 0 : -EINVAL;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void
cg_unescape(char *out, size_t len, const char *p, const char *end)
{
	size_t o = 0;

	while (p < end && o + 1 < len) {
		if (*p == '\\' && end - p >= 4 && p[1] >= '0' && p[1] <= '3' &&
		    p[2] >= '0' && p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			out[o++] = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 +
					  (p[3] - '0'));
			p += 4;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

/* The n-th space-separated field of [p, nl), or NULL. */
static const char *
cg_field(const char *p, const char *nl, int n, const char **fend)
{
	const char *q;

	for (; n > 0 && p < nl; n--) {
		q = memchr(p, ' ', (size_t)(nl - p));
		if (q == NULL)
			return NULL;
		p = q + 1;
	}
	if (p >= nl)
		return NULL;
	q = memchr(p, ' ', (size_t)(nl - p));
	*fend = q ? q : nl;
	return p;
}

void
cgroup_parse_mounts(const char *buf, size_t len, struct cg_mounts *out)
{
	const char *p = buf, *end = buf + len, *nl, *sep, *root, *rend, *mp,
		   *mend, *fs, *fsend, *src, *srcend, *opt, *oend;

	memset(out, 0, sizeof *out);
	out->v2_memory = -1;
	out->read = 1;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		root = cg_field(p, nl, 3, &rend);
		mp = cg_field(p, nl, 4, &mend);
		sep = NULL;
		for (fs = p; fs + 3 <= nl; fs++)
			if (fs[0] == ' ' && fs[1] == '-' && fs[2] == ' ') {
				sep = fs + 3;
				break;
			}
		if (root == NULL || mp == NULL || sep == NULL)
			continue;
		fs = cg_field(sep, nl, 0, &fsend);
		src = cg_field(sep, nl, 1, &srcend);
		opt = cg_field(sep, nl, 2, &oend);
		(void)src;
		(void)srcend;
		if (fs == NULL)
			continue;
		if (fsend - fs == 7 && memcmp(fs, "cgroup2", 7) == 0 &&
		    out->v2[0] == '\0') {
			cg_unescape(out->v2, sizeof out->v2, mp, mend);
			cg_unescape(out->v2_root, sizeof out->v2_root, root,
				    rend);
		} else if (fsend - fs == 6 && memcmp(fs, "cgroup", 6) == 0 &&
			   opt != NULL && cg_has_word(opt, oend, "memory") &&
			   out->v1[0] == '\0') {
			cg_unescape(out->v1, sizeof out->v1, mp, mend);
			cg_unescape(out->v1_root, sizeof out->v1_root, root,
				    rend);
		}
	}
}

/* A decimal number at p (skipping blanks), or -1. */
static long long
cg_num(const char *p, const char *end, const char **after)
{
	unsigned long long v = 0;
	const char *q;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (q = p; q < end && *q >= '0' && *q <= '9'; q++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (unsigned long long)(*q - '0');
	}
	if (after != NULL)
		*after = q;
	if (q == p)
		return -1;
	return v >= (unsigned long long)LLONG_MAX ? LLONG_MAX : (long long)v;
}

long long
cgroup_parse_value(const char *buf, size_t len)
{
	const char *end = buf + len, *after;
	long long v;

	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		end = buf + --len;
	if (len == 3 && memcmp(buf, "max", 3) == 0)
		return CG_UNLIMITED;
	v = cg_num(buf, end, &after);
	if (v < 0 || after != end)
		return CG_UNKNOWN;
	return v >= CG_HUGE ? CG_UNLIMITED : v;
}

long long
cgroup_parse_key(const char *buf, size_t len, const char *key)
{
	const char *p = buf, *end = buf + len, *nl;
	size_t kl = strlen(key);

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if ((size_t)(nl - p) > kl && memcmp(p, key, kl) == 0 &&
		    p[kl] == ' ')
			return cg_num(p + kl + 1, nl, NULL);
	}
	return CG_UNKNOWN;
}

/* "avg10=1.23" in [p, nl): the number after name=, or -1. */
static double
cg_psi_field(const char *p, const char *nl, const char *name)
{
	size_t nlen = strlen(name);
	char tmp[32];
	const char *q, *e;

	for (q = p; q + nlen < nl; q++) {
		if ((q == p || q[-1] == ' ') && memcmp(q, name, nlen) == 0 &&
		    q[nlen] == '=') {
			q += nlen + 1;
			e = memchr(q, ' ', (size_t)(nl - q));
			if (e == NULL)
				e = nl;
			cg_copy(tmp, sizeof tmp, q, e);
			return strtod(tmp, NULL);
		}
	}
	return -1;
}

static int
cg_psi_line(const char *p, const char *nl, double avg[3], long long *total)
{
	const char *q;
	size_t i;

	avg[0] = cg_psi_field(p, nl, "avg10");
	avg[1] = cg_psi_field(p, nl, "avg60");
	avg[2] = cg_psi_field(p, nl, "avg300");
	*total = -1;
	for (i = 0, q = p; q + 6 < nl; q++, i++)
		if (memcmp(q, "total=", 6) == 0) {
			*total = cg_num(q + 6, nl, NULL);
			break;
		}
	return avg[0] >= 0 && avg[1] >= 0 && *total >= 0 ? 0 : -EINVAL;
}

int
cgroup_parse_psi(const char *buf, size_t len, struct cg_psi *out)
{
	const char *p = buf, *end = buf + len, *nl;
	int some = -EINVAL, k;

	memset(out, 0, sizeof *out);
	for (k = 0; k < 3; k++)
		out->some[k] = out->full[k] = -1;
	out->some_total = out->full_total = -1;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl - p > 5 && memcmp(p, "some ", 5) == 0)
			some = cg_psi_line(p + 5, nl, out->some,
					   &out->some_total);
		else if (nl - p > 5 && memcmp(p, "full ", 5) == 0)
			cg_psi_line(p + 5, nl, out->full, &out->full_total);
	}
	out->err = some;
	return some;
}

/* ---- reading one cgroup ------------------------------------------- */

void
cgroup_set_init(struct cgroup_set *s)
{
	memset(s, 0, sizeof *s);
	s->phase_index = -1;
	s->sys_psi.err = -ENODATA;
}

static void
cg_free_one(struct cgroup *g)
{
	free(g->path);
	free(g->dir);
	free(g->tight_path);
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

static void
cg_read_one(struct cgroup *g, struct collector *c, const struct cg_mounts *mt)
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
	snprintf(path, sizeof path, "%s/memory.pressure", g->dir);
	r = collect_file(c, path, &b, &n);
	if (r < 0) {
		memset(&g->psi, 0, sizeof g->psi);
		g->psi.err = r;
	} else {
		cgroup_parse_psi(b, n, &g->psi);
	}
	cg_tightest_up(g, c, g->version == 2 ? mt->v2 : mt->v1);
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

/* Which cgroup mb's process is in, from its /proc/PID/cgroup. */
static void
cg_member_read(struct cgroup_set *s, struct collector *c, struct cg_member *mb)
{
	char v1[1024], v2[1024];
	const char *b;
	size_t n;
	int r;

	mb->cg = -1;
	mb->none = CGN_OK;
	mb->err = 0;
	r = collect_pid_file(c, mb->pid, "cgroup", &b, &n);
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
	/* v1's memory controller when it is mounted (hybrid hosts), else
	 * v2 when its hierarchy has the memory controller. */
	if (v1[0] != '\0' && s->mnt.v1[0] != '\0')
		mb->cg = cg_find_add(s, 1, v1);
	else if (v2[0] != '\0' && s->mnt.v2[0] != '\0' && s->mnt.v2_memory != 0)
		mb->cg = cg_find_add(s, 2, v2);
	else
		mb->none = CGN_NO_MEMCG;
	if (mb->cg < 0 && mb->none == CGN_OK) {
		mb->none = CGN_READ;
		mb->err = -ENOMEM;
	}
}

static void
cg_member_scores(struct collector *c, struct cg_member *mb)
{
	const char *b;
	size_t n;
	long long v;
	char *end;
	long a;
	int r;

	r = collect_pid_file(c, mb->pid, "oom_score", &b, &n);
	v = r < 0 ? -1 : cgroup_parse_value(b, n);
	mb->oom_score = v < 0 ? -1 : (long)v;
	mb->oom_err = r < 0 ? r : v < 0 ? -EINVAL : 0;
	r = collect_pid_file(c, mb->pid, "oom_score_adj", &b, &n);
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

const struct cg_member *
cgroup_member(const struct cgroup_set *s, int pid)
{
	return cg_mem_find(s->mem, s->nmem, pid);
}

static struct cg_oom *
cg_oom_add(struct cgroup_set *s, const struct model *m,
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
static int
cg_attribute(struct cgroup_set *s, const struct model *m, long gi,
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
		if (gone[i]->cg == gi)
			mine[n++] = gone[i];
	qsort(mine, n, sizeof *mine, cg_gone_cmp);
	for (i = 0; i < n && g->oom_seen < g->fig[CG_ev_oom_kill]; i++) {
		if (cg_oom_add(s, m, mine[i], g) == NULL)
			break;
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

/* The members of this sample, carrying over what was known. */
static struct cg_member *
cg_members_new(struct cgroup_set *s, struct model *m, size_t *nn)
{
	struct cg_member *nv, *old, *mb;
	const struct proc *p;
	size_t i, n = 0;
	int every = !m->all;

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
		}
		memcpy(mb->comm, p->comm, sizeof mb->comm);
		if (p->now.rss >= 0)
			mb->rss_kb = p->now.rss;
		else if (mb->read_tick == 0)
			mb->rss_kb = -1;
		mb->tick = s->tick;
		if (mb->read_tick == 0 || every ||
		    s->tick - mb->read_tick >= CG_REREAD) {
			cg_member_read(s, m->coll, mb);
			cg_member_scores(m->coll, mb);
			mb->read_tick = s->tick;
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

	if (s->off)
		return 0;
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
	nv = cg_members_new(s, m, &nn);
	if (nv == NULL)
		return 0;
	/* Who left the target since the last sample. */
	gone = calloc(s->nmem ? s->nmem : 1, sizeof *gone);
	for (i = 0; gone != NULL && i < s->nmem; i++) {
		mb = cg_mem_find(nv, nn, s->mem[i].pid);
		if (mb == NULL || mb->start_time != s->mem[i].start_time)
			gone[ngone++] = &s->mem[i];
	}
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
		cg_read_one(&s->v[i], m->coll, &s->mnt);
		s->v[i].read_tick = s->tick;
		made += cg_attribute(s, m, (long)i, gone, ngone);
	}
	free(gone);
	free(s->mem);
	s->mem = nv;
	s->nmem = nn;
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
		if (e->pid == pid && e->start_time == start_time) {
			e->sigkill = sigkill;
			return e;
		}
	}
	mb = cg_mem_find(s->mem, s->nmem, pid);
	if (s->off || !sigkill || mb == NULL || mb->cg < 0 ||
	    (start_time != 0 && mb->start_time != start_time))
		return NULL;
	g = &s->v[mb->cg];
	cg_read_one(g, m->coll, &s->mnt);
	if (g->fig[CG_ev_oom_kill] < 0 || g->oom_seen < 0 ||
	    g->fig[CG_ev_oom_kill] <= g->oom_seen)
		return NULL;
	clock_gettime(CLOCK_REALTIME, &m->now_wall);
	m->now_mono = clock_now();
	e = cg_oom_add(s, m, mb, g);
	if (e == NULL)
		return NULL;
	g->oom_seen++;
	e->sigkill = 1;
	return e;
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

int
cgroup_warn(long long limit, long long usage)
{
	if (limit <= 0 || usage < 0)
		return -1;
	return (limit - usage) * 100 < limit * CGROUP_WARN_PCT;
}
