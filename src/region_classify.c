/*
 * region_classify.c - the rules that give a mapping its region type (heap,
 * stack, shm, device, special, ...) and its flags (locked, huge, deleted),
 * from its name, permissions, device and figures.  docs/architecture.md
 * says where a new rule goes.
 *
 * Pure: reads only its arguments.
 */
#include <string.h>

#include "region.h"

static int
region_is(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	return len == n && memcmp(s, lit, n) == 0;
}

static int
region_prefix(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	return len >= n && memcmp(s, lit, n) == 0;
}

static int
region_suffix(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	return len >= n && memcmp(s + len - n, lit, n) == 0;
}

/* "/SYSV%08x" with or without " (deleted)". */
static int
region_is_sysv(const char *s, size_t len)
{
	size_t i;

	if (!region_prefix(s, len, "/SYSV") || len < 13)
		return 0;
	for (i = 5; i < 13; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return len == 13 || region_is(s + 13, len - 13, " (deleted)");
}

/* Names the kernel gives to unlinked shmem/hugetlb files it made itself:
 * always " (deleted)", which says nothing about a user's file. */
static int
region_inherently_deleted(const char *s, size_t len)
{
	return region_is_sysv(s, len) || region_prefix(s, len, "/memfd:") ||
	       region_is(s, len, "/dev/zero (deleted)") ||
	       region_is(s, len, "/anon_hugepage (deleted)");
}

static int
region_on_tmpfs(const struct region_ctx *ctx, const struct smaps_mapping *m)
{
	size_t i;

	if (ctx == NULL || ctx->tmpfs_devs == NULL)
		return 0;
	for (i = 0; i < ctx->n_tmpfs_devs; i++) {
		if (ctx->tmpfs_devs[i][0] == m->dev_major &&
		    ctx->tmpfs_devs[i][1] == m->dev_minor)
			return 1;
	}
	return 0;
}

/* The type of a mapping, or REGION_CAND for a file that may be a lib. */
int
region_classify(const struct smaps_mapping *m, const struct region_ctx *ctx)
{
	const char *s = m->name;
	size_t len = m->name_len;
	int shared = m->perms[3] == 's';

	if (len == 0 || region_prefix(s, len, "[anon:"))
		return REGION_ANON;
	if (region_is(s, len, "[heap]"))
		return REGION_HEAP;
	if (region_is(s, len, "[stack]") || region_prefix(s, len, "[stack:"))
		return REGION_STACK;
	if (region_prefix(s, len, "[anon_shmem:") ||
	    region_prefix(s, len, "/dev/shm/") || region_is_sysv(s, len) ||
	    region_prefix(s, len, "/memfd:") ||
	    region_is(s, len, "/dev/zero (deleted)"))
		return REGION_SHM;
	/* MAP_ANONYMOUS|MAP_HUGETLB: anonymous memory in a hugetlbfs file. */
	if (region_is(s, len, "/anon_hugepage (deleted)"))
		return shared ? REGION_SHM : REGION_ANON;
	if (s[0] != '/')
		return REGION_SPECIAL; /* [vdso], ..., anon_inode:[...] */
	/* Device nodes live on devtmpfs: test them before the tmpfs rule. */
	if (region_prefix(s, len, "/dev/"))
		return REGION_DEVICE;
	if (shared && region_on_tmpfs(ctx, m))
		return REGION_SHM;
	return REGION_CAND;
}

/* Named "... (deleted)": deleted, unless the kernel says the file at
 * that very name is the mapping's (ctx->same_file). */
static int
region_deleted(const struct smaps_mapping *m, const struct region_ctx *ctx)
{
	char path[4096 + 64];

	if (!region_suffix(m->name, m->name_len, " (deleted)") ||
	    region_inherently_deleted(m->name, m->name_len))
		return 0;
	if (ctx == NULL || ctx->same_file == NULL || m->name_len == 0 ||
	    m->name[0] != '/' || m->name_len >= sizeof path)
		return 1;
	memcpy(path, m->name, m->name_len);
	path[m->name_len] = '\0';
	return ctx->same_file(ctx->same_file_arg, path, m->dev_major,
			      m->dev_minor, m->inode) != 1;
}

unsigned
region_flags_of(const struct smaps_mapping *m, const struct region_ctx *ctx)
{
	unsigned flags = 0;

	if (m->f[SMAPS_LOCKED] > 0)
		flags |= REGION_LOCKED;
	if (m->f[SMAPS_ANON_HUGE] > 0 || m->f[SMAPS_SHMEM_PMD] > 0 ||
	    m->f[SMAPS_FILE_PMD] > 0 || m->f[SMAPS_SHARED_HUGETLB] > 0 ||
	    m->f[SMAPS_PRIVATE_HUGETLB] > 0)
		flags |= REGION_HUGE;
	if (region_deleted(m, ctx))
		flags |= REGION_DELETED;
	return flags;
}
