/*
 * jcheck.c - checked access to JSON fields for the snapshot reader: every
 * problem becomes one line saying which field, where, and what was found.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "jcheck.h"

const char *
jcheck_what(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "something else";
}

static int
jcheck_match(const json_t *v, unsigned types)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return (types & JC_OBJ) != 0;
	case JSON_ARRAY:
		return (types & JC_ARR) != 0;
	case JSON_STRING:
		return (types & JC_STR) != 0;
	case JSON_INTEGER:
		return (types & (JC_INT | JC_NUM)) != 0;
	case JSON_REAL:
		return (types & JC_NUM) != 0;
	case JSON_NULL:
		return (types & JC_NULL) != 0;
	default:
		return 0;
	}
}

/* "an integer or null" from a type mask. */
static void
jcheck_want(char *buf, size_t len, unsigned types)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ JC_INT, "an integer" }, { JC_NUM, "a number" },
		{ JC_STR, "a string" },	  { JC_OBJ, "an object" },
		{ JC_ARR, "an array" },	  { JC_NULL, "null" },
	};
	size_t i, o = 0;
	int first = 1;

	buf[0] = '\0';
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(types & names[i].bit))
			continue;
		if (names[i].bit == JC_NUM && (types & JC_INT))
			continue;
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s",
				      first ? "" : " or ", names[i].name);
		first = 0;
		if (o >= len)
			break;
	}
}

static const char *
jcheck_at(const char *where)
{
	return where[0] != '\0' ? where : "the top level";
}

int
jcheck(const json_t *o, const char *where, const char *key, unsigned types,
       json_t **out, char *err, size_t errlen)
{
	json_t *v;
	char want[80];

	*out = NULL;
	if (!json_is_object(o)) {
		snprintf(err, errlen, "%s is %s, expected an object",
			 jcheck_at(where), jcheck_what(o));
		return -EINVAL;
	}
	v = json_object_get(o, key);
	if (v == NULL) {
		if (types & JC_OPT)
			return 0;
		snprintf(err, errlen, "%s: missing field \"%s\"",
			 jcheck_at(where), key);
		return -EINVAL;
	}
	if (!jcheck_match(v, types)) {
		jcheck_want(want, sizeof want, types);
		snprintf(err, errlen, "%s%s%s is %s, expected %s", where,
			 where[0] != '\0' ? "." : "", key, jcheck_what(v),
			 want);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int
jcheck_int(const json_t *o, const char *where, const char *key, unsigned opt,
	   long long unknown, long long *out, char *err, size_t errlen)
{
	json_t *v;
	int r;

	r = jcheck(o, where, key, JC_INT | JC_NULL | (opt & JC_OPT), &v, err,
		   errlen);
	if (r < 0)
		return r;
	*out = v == NULL || json_is_null(v) ? unknown
					    : (long long)json_integer_value(v);
	return 0;
}

int
jcheck_kb(const json_t *o, const char *where, const char *key, unsigned opt,
	  long long unknown, long long *out, char *err, size_t errlen)
{
	json_t *v;
	int r;

	r = jcheck(o, where, key, JC_INT | JC_NULL | (opt & JC_OPT), &v, err,
		   errlen);
	if (r < 0)
		return r;
	if (v == NULL || json_is_null(v)) {
		*out = unknown;
		return 0;
	}
	*out = (long long)json_integer_value(v);
	if (*out < 0) {
		snprintf(err, errlen, "%s%s%s is %lld, expected a size >= 0",
			 where, where[0] != '\0' ? "." : "", key, *out);
		return -EINVAL;
	}
	return 0;
}
