/*
 * region.h - classify smaps mappings into region types and group them.
 *
 * Pure: no I/O.  A region_set owns its rows and the names they point to;
 * region_set_free() releases both.
 */
#ifndef RAMTOP_REGION_H
#define RAMTOP_REGION_H

#include <stddef.h>

#include "smaps.h"

/* Canonical order: "sort by region type" uses it. */
#define REGION_TYPES                                                           \
	X(HEAP, "heap")                                                        \
	X(ANON, "anon")                                                        \
	X(STACK, "stack")                                                      \
	X(SHM, "shm")                                                          \
	X(FILE, "file")                                                        \
	X(LIB, "lib")                                                          \
	X(DEVICE, "device")                                                    \
	X(SPECIAL, "special")

enum region_type {
#define X(id, name) REGION_##id,
	REGION_TYPES
#undef X
		REGION_NTYPES
};

enum region_flag {
	REGION_LOCKED = 1 << 0,	 /* L: Locked > 0 */
	REGION_DELETED = 1 << 1, /* D: backing file deleted */
	REGION_HUGE = 1 << 2, /* H: AnonHugePages/ShmemPmdMapped/FilePmdMapped/
				  * Shared_Hugetlb/Private_Hugetlb > 0 */
};

/* Figures of one region, group, type or process, all in KiB. */
struct region_fig {
	long long size, rss, pss, private_, shared, swap, locked;
};

struct region {
	enum region_type type;
	unsigned flags;	  /* enum region_flag bits */
	const char *name; /* raw name as the kernel printed it (minus
				 * nothing), NUL-terminated, owned by the set;
				 * "" for unnamed anonymous memory */
	size_t count;	  /* mappings in this row (1 per-mapping) */
	struct region_fig fig;
	unsigned long start, end; /* per-mapping rows only; 0 in groups */
	char perms[5];		  /* per-mapping rows only */
};

/* What the classifier needs to know beyond the mapping itself. */
struct region_ctx {
	/* Device numbers (major, minor) of tmpfs mounts: a shared ('s')
	 * mapping of a file on one of them is shm.  May be empty. */
	const unsigned int (*tmpfs_devs)[2];
	size_t n_tmpfs_devs;
	/* The kernel's facts for the D flag: is the file at path (the
	 * name as printed, " (deleted)" included) the mapping's own
	 * (major, minor, inode)?  1 yes: a file really named "... (deleted)"
	 * that is not deleted.  Called only for such names.  NULL (the
	 * parser tests, a recording): the suffix alone decides. */
	int (*same_file)(void *arg, const char *path, unsigned major,
			 unsigned minor, unsigned long inode);
	void *same_file_arg;
};

/* region_classify.c: the type of mapping m (an enum region_type), or
 * REGION_CAND for a file mapping: file or lib is decided once every
 * mapping of the process is seen (an executable mapping of the same
 * dev:inode makes it lib).  And its REGION_* flags. */
#define REGION_CAND (-1)
int region_classify(const struct smaps_mapping *m,
		    const struct region_ctx *ctx);
unsigned region_flags_of(const struct smaps_mapping *m,
			 const struct region_ctx *ctx);

/* What a baseline keeps of one mapping once its full row is dropped
 * (region_set_compact): enough to find it again and give its change. */
struct region_key {
	unsigned long start;
	long long rss;	  /* KiB, KB_UNKNOWN unknown */
	const char *name; /* in the set's name pool */
	enum region_type type;
};

struct region_set {
	struct region
		*groups; /* grouped by (type, name), in first-seen order */
	size_t n_groups;
	struct region *maps; /* per mapping, in address order; NULL unless
				 * asked for with REGION_KEEP_MAPS */
	size_t n_maps;
	struct region_key *keys; /* after region_set_compact: the maps, small */
	size_t n_keys;
	struct region_fig by_type[REGION_NTYPES];
	size_t by_type_count[REGION_NTYPES]; /* mappings per type */
	struct region_fig total;
	size_t n_mappings;
	struct smaps_stats stats; /* from the parse */
	double read_at;		  /* CLOCK_MONOTONIC s when read, 0 unknown
				 * (set by the collector, not the parser) */
	double read_ms;		  /* what the read cost ramtop, CPU ms */
	void *priv_;		  /* name pool, hash tables */
};

enum { REGION_KEEP_MAPS = 1 };

const char *region_type_name(enum region_type t);
/* Returns the type for a name ("heap"...), or -1. */
int region_type_parse(const char *name);

/* Flags as text, e.g. "LD-" style is NOT used: returns only set letters in
 * the order L, D, H ("" when none).  buf must hold 4 bytes. */
const char *region_flags_str(unsigned flags, char buf[4]);

/*
 * Parse an smaps buffer and build the set: classify every mapping (the
 * lib rule needs the whole process: a file whose dev:inode has any 'x'
 * mapping is lib), group by (type, name), total per type and overall.
 * opts: 0 or REGION_KEEP_MAPS.  Returns 0 or -ENOMEM; out is then empty.
 */
int region_set_build(struct region_set *out, const char *smaps, size_t len,
		     const struct region_ctx *ctx, int opts);
void region_set_free(struct region_set *s);

/*
 * Replace the per-mapping rows of s by their keys (a third of the
 * memory: 3 MB instead of 10 for 100,000 mappings), for a set kept only
 * as a baseline.  Does nothing without rows.  Returns 0 or -ENOMEM (s
 * unchanged).
 */
int region_set_compact(struct region_set *s);

/* Let the per-mapping rows of s go (its groups stay): a baseline that
 * will not say how each mapping changed. */
void region_set_drop_maps(struct region_set *s);

/* The baseline of mapping r in base (its rows or its keys): the same
 * start address, type and name.  Returns 1 and its RSS in *rss (KiB,
 * KB_UNKNOWN unknown), or 0 if the mapping is new. */
int region_base_rss(const struct region_set *base, const struct region *r,
		    long long *rss);

/*
 * The same build over smaps text read in pieces (see smaps_stream in
 * smaps.h), so the caller needs no buffer for the whole file.  begin
 * returns NULL when out of memory.  feed parses the complete lines of
 * buf and sets *used to the bytes it took; the rest must come again at
 * the start of the next feed.  end takes what the last feed left, fills
 * out as region_set_build() would and frees b; abort just frees b.
 * feed and end return 0 or -ENOMEM (then out is empty).
 */
struct region_build;
struct region_build *region_build_begin(const struct region_ctx *ctx, int opts);
int region_build_feed(struct region_build *b, const char *buf, size_t len,
		      size_t *used);
int region_build_end(struct region_build *b, const char *tail, size_t len,
		     struct region_set *out);
void region_build_abort(struct region_build *b);

/* Add b into a (unknown values stay unknown only if both are). */
void region_fig_add(struct region_fig *a, const struct region_fig *b);
/* Every figure of f unknown (KB_UNKNOWN). */
void region_fig_unknown(struct region_fig *f);

#endif
