/*
 * jcheck.h - read fields of a parsed JSON document (jansson) with one
 * clear line when a field is missing or of the wrong type, naming where
 * it is ("phases[2].totals: missing field \"rss_kb\"").  Used by the
 * snapshot reader and the phase builder.  Pure: touches only the JSON
 * and the caller's buffers; returns borrowed references.
 */
#ifndef RAMTOP_JCHECK_H
#define RAMTOP_JCHECK_H

#include <stddef.h>

#include <jansson.h>

enum jcheck_type {
	JC_INT = 1 << 0, /* integer */
	JC_NUM = 1 << 1, /* integer or real */
	JC_STR = 1 << 2,
	JC_NULL = 1 << 3,
	JC_OBJ = 1 << 4,
	JC_ARR = 1 << 5,
	JC_OPT = 1 << 6, /* may be missing: *out is then NULL */
};

/*
 * *out = o[key] if its type is one of types.  Returns 0, or -EINVAL with
 * err set.  where names o ("phases[2]"); "" for the top level.
 */
int jcheck(const json_t *o, const char *where, const char *key, unsigned types,
	   json_t **out, char *err, size_t errlen);

/*
 * A KiB figure: an integer >= 0, or null (-> unknown).  With JC_OPT in
 * opt a missing field is unknown too.  Returns 0 or -EINVAL.
 */
int jcheck_kb(const json_t *o, const char *where, const char *key, unsigned opt,
	      long long unknown, long long *out, char *err, size_t errlen);

/* A signed integer or null (-> unknown); missing allowed with JC_OPT. */
int jcheck_int(const json_t *o, const char *where, const char *key,
	       unsigned opt, long long unknown, long long *out, char *err,
	       size_t errlen);

/* The JSON type of v in words: "a string", "null", ... */
const char *jcheck_what(const json_t *v);

#endif
