/*
 * shmfs.h - headroom of /dev/shm and of the other tmpfs mounts the
 * target tree maps: size limit and use (statvfs), what the tree itself
 * maps from each (from its region tables, when read), and the tree's
 * RssShmem.  Docker's 64 MB /dev/shm default is the trap this is for.
 *
 * Read through the collector: a recording has no file systems, so its
 * sizes are unknown ("not in the recording").
 */
#ifndef RAMTOP_SHMFS_H
#define RAMTOP_SHMFS_H

#include <stddef.h>

struct model;

#define SHMFS_MAX 8

struct shmfs_mount {
	char path[256];		    /* mount point (raw: sanitise) */
	long long size_kb, used_kb; /* -1 unknown */
	int err;		    /* -errno of statvfs when unknown */
	long long tree_kb;	    /* RSS the tree maps from it, from the
				 * region tables read; -1 unknown */
	size_t tree_procs;	    /* processes whose regions were counted */
};

struct shmfs {
	struct shmfs_mount v[SHMFS_MAX]; /* v[0] is /dev/shm */
	size_t n;
	long long tree_shmem_kb; /* Σ RssShmem of the tree; -1 unknown */
	char tmpfs[32][256];	 /* tmpfs mount points (mountinfo) */
	size_t ntmpfs;
	int mounts_read;
};

/* Mount points of tmpfs file systems in a mountinfo buffer into mp
 * (up to max); returns how many. */
size_t shmfs_parse_mounts(const char *buf, size_t len, char (*mp)[256],
			  size_t max);

void shmfs_init(struct shmfs *s);
/* Read after a model sample. */
void shmfs_sample(struct shmfs *s, struct model *m);

/* "not in the recording", "permission denied", ... or NULL. */
const char *shmfs_why(const struct shmfs_mount *mt);

#endif
