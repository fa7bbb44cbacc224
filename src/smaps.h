/*
 * smaps.h - parser for /proc/PID/smaps and /proc/PID/smaps_rollup.
 *
 * Pure functions over a buffer: no I/O, no allocation per line.  The
 * caller owns the buffer; names handed to the callback point into it and
 * are valid only during the callback.
 */
#ifndef RAMTOP_SMAPS_H
#define RAMTOP_SMAPS_H

#include <stddef.h>

/* Every field the kernel prints in smaps (Documentation/filesystems/proc.rst),
 * in kB.  A field the kernel did not print stays -1 (unknown). */
#define SMAPS_FIELDS                                                           \
	X(SIZE, "Size")                                                        \
	X(KERNEL_PAGE_SIZE, "KernelPageSize")                                  \
	X(MMU_PAGE_SIZE, "MMUPageSize")                                        \
	X(RSS, "Rss")                                                          \
	X(PSS, "Pss")                                                          \
	X(PSS_DIRTY, "Pss_Dirty")                                              \
	X(PSS_ANON, "Pss_Anon")                                                \
	X(PSS_FILE, "Pss_File")                                                \
	X(PSS_SHMEM, "Pss_Shmem")                                              \
	X(SHARED_CLEAN, "Shared_Clean")                                        \
	X(SHARED_DIRTY, "Shared_Dirty")                                        \
	X(PRIVATE_CLEAN, "Private_Clean")                                      \
	X(PRIVATE_DIRTY, "Private_Dirty")                                      \
	X(REFERENCED, "Referenced")                                            \
	X(ANONYMOUS, "Anonymous")                                              \
	X(KSM, "KSM")                                                          \
	X(LAZY_FREE, "LazyFree")                                               \
	X(ANON_HUGE, "AnonHugePages")                                          \
	X(SHMEM_PMD, "ShmemPmdMapped")                                         \
	X(FILE_PMD, "FilePmdMapped")                                           \
	X(SHARED_HUGETLB, "Shared_Hugetlb")                                    \
	X(PRIVATE_HUGETLB, "Private_Hugetlb")                                  \
	X(SWAP, "Swap")                                                        \
	X(SWAP_PSS, "SwapPss")                                                 \
	X(LOCKED, "Locked")

enum smaps_field {
#define X(id, key) SMAPS_##id,
	SMAPS_FIELDS
#undef X
	SMAPS_NFIELDS
};

/* One mapping (or the single [rollup] pseudo-mapping of smaps_rollup). */
struct smaps_mapping {
	unsigned long start, end;
	char perms[5];		/* "r-xp", NUL-terminated */
	unsigned long long offset;
	unsigned int dev_major, dev_minor;
	unsigned long inode;
	const char *name;	/* points into the buffer; not NUL-terminated */
	size_t name_len;	/* 0 for an anonymous mapping */
	long long f[SMAPS_NFIELDS]; /* kB, -1 when not printed */
	int thp_eligible;	/* THPeligible: 0/1, -1 when not printed */
	char vmflags[96];	/* VmFlags: value, NUL-terminated, "" if absent */
};

/* Called once per complete mapping; return non-zero to stop parsing. */
typedef int (*smaps_cb)(const struct smaps_mapping *m, void *ctx);

struct smaps_stats {
	size_t mappings;	/* mappings handed to the callback */
	size_t bad_lines;	/* malformed lines skipped */
	size_t first_bad_line;	/* 1-based line number of the first one, 0 if none */
	int truncated;		/* buffer ended inside a mapping (it is still reported) */
};

/*
 * Parse an smaps (or smaps_rollup) buffer.  Unknown keys are ignored;
 * a malformed line is counted in stats and skipped, never fatal.
 * Returns 0, or the callback's non-zero value if it stopped the parse.
 */
int smaps_parse(const char *buf, size_t len, smaps_cb cb, void *ctx,
		struct smaps_stats *stats);

/* Parse smaps_rollup into one mapping.  Returns 0, or -EINVAL when the
 * buffer holds no mapping header. */
int smaps_parse_rollup(const char *buf, size_t len, struct smaps_mapping *out);

#endif
