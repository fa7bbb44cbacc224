/*
 * recording.h - a batch NDJSON recording (`ramtop -b --json`: one JSON
 * object per line, "kind" "sample", "mark" or "exit") read into the same
 * struct snapshot a snapshot file gives: its marks are the phases, its
 * samples the timeline (downsampled as timeline.h says).
 *
 * Mark 0 ("baseline") carries a "session" object (ramtop_version,
 * created, host, target) since this version; a recording without it
 * takes phase 0 from its first sample and leaves the host unknown.
 * Called by snapshot_parse(); nothing here prints or exits.
 */
#ifndef RAMTOP_RECORDING_H
#define RAMTOP_RECORDING_H

#include <stddef.h>

#include <jansson.h>

#include "snapshot.h"

/* Does buf look like a recording: its first line that starts with '{'
 * (lines before it are the launched command's output) one JSON object
 * with "kind", or one object followed by more lines? */
int recording_is(const char *buf, size_t len);

/*
 * Read the recording in buf into *out (see snapshot_parse()).  name is
 * fit to print.  Returns 0, or -EINVAL with one line in err naming the
 * line that is wrong, or -ENOMEM.
 */
int recording_parse(const char *buf, size_t len, const char *name,
		    struct snapshot *out, char *err, size_t errlen);

/* The "session" member of mark 0: the file header of snapshot_build()
 * without its phases.  A new reference, or NULL. */
json_t *recording_session(const struct snapshot_meta *meta);

#endif
