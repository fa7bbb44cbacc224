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

#include "kb.h"

/* Every field the kernel prints in smaps (Documentation/filesystems/proc.rst),
 * in kB.  A field the kernel did not print stays KB_UNKNOWN. */
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
	char perms[5]; /* "r-xp", NUL-terminated */
	unsigned long long offset;
	unsigned int dev_major, dev_minor;
	unsigned long inode;
	const char *name; /* points into the buffer; not NUL-terminated */
	size_t name_len;  /* 0 for an anonymous mapping */
	long long f[SMAPS_NFIELDS]; /* kB, KB_UNKNOWN when not printed */
	int thp_eligible;	    /* THPeligible: 0/1, -1 when not printed */
	char vmflags[96]; /* VmFlags: value, NUL-terminated, "" if absent */
};

/* Called once per complete mapping; return non-zero to stop parsing. */
typedef int (*smaps_cb)(const struct smaps_mapping *m, void *ctx);

struct smaps_stats {
	size_t mappings;       /* mappings handed to the callback */
	size_t bad_lines;      /* malformed lines skipped */
	size_t first_bad_line; /* 1-based line number of the first one, 0 if none */
	int truncated; /* buffer ended inside a mapping (it is still reported) */
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

/*
 * The same parse over text that arrives in pieces (a file read one buffer
 * at a time, so a process with 100,000 mappings never needs its whole
 * smaps in memory).  The stream copies the name of the mapping it holds,
 * so the caller may reuse its buffer between calls; names handed to the
 * callback are valid only during the callback, as above.  Feeding a text
 * in any pieces gives the same callbacks and stats as smaps_parse() on
 * the whole of it (a name is cut at SMAPS_NAME_MAX - 1 bytes; the kernel
 * prints none that long).  No allocation: the struct holds everything.
 */
#define SMAPS_NAME_MAX 8192

struct smaps_stream {
	/* Private: the parser's state between calls. */
	struct smaps_mapping m; /* the mapping being read */
	smaps_cb cb;
	void *ctx;
	struct smaps_stats *stats; /* the caller's, or local */
	struct smaps_stats local;
	int open;	 /* m holds a mapping not yet reported */
	int skipping;	 /* after a bad header: drop lines to the next */
	int saw_vmflags; /* the open mapping had its VmFlags line */
	int any_vmflags; /* some earlier mapping had one */
	int next_key;	 /* field expected next: fields come in order */
	int copy;	 /* names are copied into name[] (a stream) */
	int rc;		 /* the callback's stop value, 0 while going */
	size_t line;	 /* lines seen, for first_bad_line */
	char name[SMAPS_NAME_MAX]; /* m.name when copy */
};

/* stats may be NULL. */
void smaps_stream_init(struct smaps_stream *s, smaps_cb cb, void *ctx,
		       struct smaps_stats *stats);
/*
 * Parse the complete lines at the start of buf[0..len).  *used is set to
 * the bytes consumed (through the last newline); the rest, a partial
 * line, must come again at the start of the next call.  Returns 0, or
 * the callback's non-zero value once it stopped the parse.
 */
int smaps_stream_feed(struct smaps_stream *s, const char *buf, size_t len,
		      size_t *used);
/* The end of the text: tail is what the last feed left unused.  Reports
 * the last mapping.  Returns 0 or the callback's stop value. */
int smaps_stream_end(struct smaps_stream *s, const char *tail, size_t len);

#endif
