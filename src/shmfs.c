/*
 * shmfs.c - /dev/shm and tmpfs headroom (shmfs.h).  Touches: statvfs and
 * mountinfo through the collector; the model's region tables read-only.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "collect.h"
#include "model.h"
#include "procfs.h"
#include "shmfs.h"

size_t
shmfs_parse_mounts(const char *buf, size_t len, char (*mp)[256], size_t max)
{
	const char *p = buf, *end = buf + len, *nl;
	struct mountinfo_line ml;
	size_t n = 0;

	for (; p < end && n < max; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (mountinfo_split(p, nl, &ml) < 0 ||
		    ml.fstype_end - ml.fstype != 5 ||
		    memcmp(ml.fstype, "tmpfs", 5) != 0)
			continue;
		mountinfo_unescape(mp[n], sizeof mp[n], ml.point, ml.point_end);
		if (mp[n][0] != '\0')
			n++;
	}
	return n;
}

void
shmfs_init(struct shmfs *s)
{
	memset(s, 0, sizeof *s);
	s->tree_shmem_kb = -1;
}

/* The tmpfs mount point path lies on (longest match), or NULL. */
static const char *
shmfs_mount_of(const struct shmfs *s, const char *path)
{
	const char *best = NULL;
	size_t i, l, bl = 0;

	for (i = 0; i < s->ntmpfs; i++) {
		l = strlen(s->tmpfs[i]);
		if (l > bl && strncmp(path, s->tmpfs[i], l) == 0 &&
		    path[l] == '/') {
			best = s->tmpfs[i];
			bl = l;
		}
	}
	return best;
}

static struct shmfs_mount *
shmfs_slot(struct shmfs *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].path, path) == 0)
			return &s->v[i];
	if (s->n == SHMFS_MAX)
		return NULL;
	memset(&s->v[s->n], 0, sizeof s->v[0]);
	snprintf(s->v[s->n].path, sizeof s->v[0].path, "%s", path);
	return &s->v[s->n++];
}

/* What the tree maps from each tmpfs, from the regions read. */
static void
shmfs_tree(struct shmfs *s, const struct model *m)
{
	const struct region_set *rs;
	const struct region *r;
	struct shmfs_mount *mt;
	const char *mp;
	size_t i, k;

	s->tree_shmem_kb = -1;
	for (i = 0; i < m->nprocs; i++) {
		if (m->procs[i]->now.shmem >= 0)
			s->tree_shmem_kb =
				(s->tree_shmem_kb < 0 ? 0 : s->tree_shmem_kb) +
				m->procs[i]->now.shmem;
		rs = m->procs[i]->regions;
		if (rs == NULL || m->procs[i]->smaps_err != 0)
			continue;
		for (k = 0; k < s->n; k++)
			s->v[k].tree_procs++;
		for (k = 0; k < rs->n_groups; k++) {
			r = &rs->groups[k];
			if (r->name[0] != '/' || r->fig.rss < 0)
				continue;
			mp = shmfs_mount_of(s, r->name);
			if (mp == NULL || (mt = shmfs_slot(s, mp)) == NULL)
				continue;
			if (mt->tree_procs == 0)
				mt->tree_procs = 1;
			mt->tree_kb = (mt->tree_kb < 0 ? 0 : mt->tree_kb) +
				      r->fig.rss;
		}
	}
	for (k = 0; k < s->n; k++)
		if (s->v[k].tree_procs > 0 && s->v[k].tree_kb < 0)
			s->v[k].tree_kb = 0;
}

void
shmfs_sample(struct shmfs *s, struct model *m)
{
	struct statvfs sv;
	const char *b;
	size_t i, n;
	int r;

	if (!s->mounts_read) {
		s->mounts_read = 1;
		if (collect_file(m->coll, "/proc/self/mountinfo", &b, &n) == 0)
			s->ntmpfs = shmfs_parse_mounts(b, n, s->tmpfs, 32);
	}
	if (s->n == 0)
		shmfs_slot(s, "/dev/shm");
	for (i = 0; i < s->n; i++) {
		s->v[i].tree_kb = -1;
		s->v[i].tree_procs = 0;
	}
	shmfs_tree(s, m);
	for (i = 0; i < s->n; i++) {
		r = collect_fs(m->coll, s->v[i].path, &sv);
		s->v[i].err = r;
		if (r < 0) {
			s->v[i].size_kb = s->v[i].used_kb = -1;
			continue;
		}
		s->v[i].size_kb =
			(long long)(sv.f_blocks *
				    (unsigned long long)sv.f_frsize / 1024);
		s->v[i].used_kb =
			(long long)((sv.f_blocks - sv.f_bfree) *
				    (unsigned long long)sv.f_frsize / 1024);
	}
}

const char *
shmfs_why(const struct shmfs_mount *mt)
{
	switch (-mt->err) {
	case 0:
		return NULL;
	case ENODATA:
		return "not in the recording";
	case ENOENT:
		return "not mounted";
	case EACCES:
	case EPERM:
		return "permission denied";
	default:
		return strerror(-mt->err);
	}
}
