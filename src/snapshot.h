/*
 * snapshot.h - the snapshot file (format "ramtop-snapshot",
 * version 1; docs/snapshot-format.md): build it from the phase list,
 * write it atomically, read it back and check it.
 *
 * Writing: a temporary file in the destination's directory (O_EXCL),
 * written, fsync'd and renamed over the destination, then the directory
 * is fsync'd; an earlier file is never damaged.  A symbolic link at the
 * destination is refused (-ELOOP), never written through or replaced.
 *
 * Errors come back as -errno with one line in err saying what failed and
 * why; nothing here prints or exits.  A struct snapshot owns its JSON
 * document and its phases; snapshot_free() releases both.
 */
#ifndef RAMTOP_SNAPSHOT_H
#define RAMTOP_SNAPSHOT_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "phase.h"
#include "timeline.h"

#define SNAPSHOT_FORMAT "ramtop-snapshot"
#define SNAPSHOT_VERSION 1
/*
 * The limits of a snapshot file, the same for the writer and the reader
 * (whatever ramtop writes, ramtop reads): at most SNAPSHOT_MAX_BYTES, and
 * at most one JSON value per SNAPSHOT_MIN_VALUE_BYTES bytes on average
 * (ramtop writes about one per 23), which bounds what reading costs
 * (jansson keeps every value; ramtop(1), "Limits").  The writer refuses
 * to write a bigger file and says so; the earlier file stays.
 */
#define SNAPSHOT_MAX_BYTES (256LL * 1024 * 1024)
#define SNAPSHOT_MIN_VALUE_BYTES 8

/* This machine, for the "host" object. */
struct snapshot_host {
	char hostname[256];
	char kernel[128];
	long page_size;
};
void snapshot_host_get(struct snapshot_host *h);

/* What the file says besides the phases. */
struct snapshot_meta {
	const char *created; /* ISO 8601 UTC; the session's start */
	const struct snapshot_host *host;
	long long mem_total_kb; /* KB_UNKNOWN unknown */
	const int *pids;	/* target roots; none: every process */
	size_t npids;
	const char *command;		 /* the launched or first root's
					 * command line, or NULL */
	const struct timeline *timeline; /* or NULL: none saved */
	json_t *oom;			 /* OOM kills (array), borrowed; NULL:
					 * none written */
};

/* The whole document; a new reference, or NULL (out of memory). */
json_t *snapshot_build(const struct snapshot_meta *meta,
		       const struct phases *ph);

/*
 * Build and write the file at path.  *bytes (if not NULL) gets its size.
 * Returns 0 or -errno: -EACCES, -EROFS, -ENOSPC, -EDQUOT, -ELOOP (a
 * symbolic link is in the way), -EISDIR (not a regular file), ...
 */
int snapshot_write(const char *path, const struct snapshot_meta *meta,
		   const struct phases *ph, size_t *bytes, char *err,
		   size_t errlen);

/* Write len bytes of buf to path atomically, as above. */
int snapshot_write_buf(const char *path, const char *buf, size_t len, char *err,
		       size_t errlen);

/* ramtop-<pid>-<YYYYmmdd-HHMMSS>.json, local time. */
void snapshot_default_name(char *buf, size_t len, int pid, time_t when);

struct snapshot {
	json_t *root;
	long version;
	const char *ramtop_version, *created; /* borrowed from root */
	const char *hostname, *kernel;
	long page_size;
	long long mem_total_kb; /* KB_UNKNOWN unknown */
	int *pids;		/* owned */
	size_t npids;
	const char *command; /* NULL if null */
	struct phases ph;
	struct timeline tl; /* empty in older files */
	int recording;	    /* read from a batch NDJSON
						 * recording (recording.c) */
};

/*
 * Parse and check a snapshot held in buf.  name is used in messages (the
 * file name).  Unknown keys are ignored.  A batch NDJSON recording
 * (`ramtop -b --json`: one object per line) is read too, through
 * recording_parse(): its marks are the phases, its samples the timeline.
 * Returns 0, or -EINVAL with one line in err: not JSON (with line and
 * column), not a ramtop snapshot nor recording, a newer version, a
 * missing or mistyped field; -ENOMEM.
 */
int snapshot_parse(const char *buf, size_t len, const char *name,
		   struct snapshot *out, char *err, size_t errlen);

/* The same from a parsed document; takes over the reference to root
 * (also on failure).  name is already fit to print. */
int snapshot_from_json(json_t *root, const char *name, struct snapshot *out,
		       char *err, size_t errlen);

/* Read path and snapshot_parse() it; also -errno of open/read. */
int snapshot_read(const char *path, struct snapshot *out, char *err,
		  size_t errlen);

void snapshot_free(struct snapshot *s);

/* Can the snapshot be saved at path (-o)?  Checked at start, creating
 * nothing (atomic_check).  0, or -errno with one line in err. */
int snapshot_check_path(const char *path, char *err, size_t errlen);

#endif
