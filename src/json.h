/*
 * json.h - ramtop's figures as JSON (jansson): the phase-shaped object
 * used by batch --json (one per sample) and by the snapshot file.
 *
 * Every function returns a new reference the caller owns, or NULL on
 * allocation failure.  Unknown figures are JSON null, never 0.
 */
#ifndef RAMTOP_JSON_H
#define RAMTOP_JSON_H

#include <jansson.h>

#include "model.h"

enum json_opt {
	JSON_REGIONS = 1 << 0, /* include each process's region groups */
};

/* A KiB figure: integer, or null when unknown (negative). */
json_t *json_kb(long long kb);
/* A delta: integer, or null when KB_UNKNOWN. */
json_t *json_delta(long long kb);
/*
 * Bytes from /proc as a JSON string, unambiguously: valid UTF-8 is kept
 * but a backslash, which becomes the two characters \\; each byte that is
 * not valid UTF-8 becomes the four characters \xNN (lower-case hex).  So
 * a name holding the text "\xff" and one holding the byte 0xff differ
 * (docs/snapshot-format.md, "Names").  json_bytes_encode writes the same
 * text to out (room for 4 * len + 1 bytes) and returns its length.
 */
json_t *json_bytes(const char *s);
size_t json_bytes_encode(char *out, const char *s, size_t len);

json_t *json_fig(const struct region_fig *f, size_t count);
json_t *json_by_type(const struct region_fig *by_type, const size_t *count);
json_t *json_regions(const struct region_set *s);
json_t *json_proc(const struct proc *p, int opts);
json_t *json_system(const struct sysmem *s);
json_t *json_totals(const struct model_totals *t, int with_by_type);

/*
 * The phase-shaped object for the model's current sample:
 * {"kind", "index", "label", "time", "elapsed_s", "system", "totals",
 *  "processes"}.  label may be NULL.
 */
json_t *json_phase(const struct model *m, const char *kind, long index,
		   const char *label, int opts);

#endif
