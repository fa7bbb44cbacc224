/*
 * recording.c - read a batch NDJSON recording (`ramtop -b --json`) into
 * a struct snapshot: a snapshot-shaped document is built from its lines
 * (marks as phases, samples as the timeline, mark 0's "session" as the
 * header) and checked by the snapshot reader, so `ramtop show`, `diff`,
 * `report` and every other reader get one shape.
 *
 * Touches: the buffer it is given.  Nothing else.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recording.h"
#include "timeline.h"

/* Length of the line at s (up to '\n' or end). */
static size_t
recording_line(const char *s, size_t len)
{
	const char *nl = memchr(s, '\n', len);

	return nl ? (size_t)(nl - s) : len;
}

static int
recording_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Lines that do not start with '{' are the launched command's own
 * output, which shares ramtop's stdout: skipped. */
static int
recording_ours(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	return n > 0 && *s == '{';
}

int
recording_is(const char *buf, size_t len)
{
	size_t n = recording_line(buf, len), rest;
	json_t *o;
	int yes;

	/* The first line of ours, after any of the command's. */
	while (n < len && !recording_ours(buf, n)) {
		buf += n + 1;
		len -= n + 1;
		n = recording_line(buf, len);
	}
	o = json_loadb(buf, n, 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return 0;
	}
	yes = json_is_string(json_object_get(o, "kind"));
	json_decref(o);
	if (yes)
		return 1;
	/* An object on one line followed by more than blank space. */
	rest = n < len ? len - n - 1 : 0;
	return rest > 0 && !recording_blank(buf + n + 1, rest);
}

json_t *
recording_session(const struct snapshot_meta *meta)
{
	struct snapshot_meta m = *meta;
	struct phases none;
	json_t *o;

	phases_init(&none);
	m.timeline = NULL;
	o = snapshot_build(&m, &none);
	if (o == NULL)
		return NULL;
	json_object_del(o, "format");
	json_object_del(o, "version");
	json_object_del(o, "phases");
	return o;
}

/* A timeline point from a sample's or mark's "totals". */
static void
recording_point(const json_t *o, long mark, struct timeline_point *p)
{
	json_t *tot = json_object_get(o, "totals"), *bt, *v;
	int k;

	memset(p, 0, sizeof *p);
	p->mark = mark;
	p->elapsed_s = json_number_value(json_object_get(o, "elapsed_s"));
	v = json_object_get(tot, "rss_kb");
	p->rss = json_is_integer(v) ? json_integer_value(v) : KB_UNKNOWN;
	v = json_object_get(tot, "pss_kb");
	p->pss = json_is_integer(v) ? json_integer_value(v) : KB_UNKNOWN;
	bt = json_object_get(tot, "by_type");
	p->has_by_type = json_is_object(bt);
	for (k = 0; k < REGION_NTYPES; k++) {
		v = json_object_get(json_object_get(bt, region_type_name(k)),
				    "rss_kb");
		p->rss_by_type[k] = !p->has_by_type	 ? KB_UNKNOWN
				    : json_is_integer(v) ? json_integer_value(v)
							 : 0;
	}
}

struct recording {
	const char *name;
	json_t *marks;	 /* the mark objects, in order */
	json_t *first;	 /* the first sample */
	json_t *session; /* from mark 0, or NULL */
	struct timeline tl;
	int have0;	     /* a mark with index 0 was read */
	struct phases check; /* each mark checked as it is read */
};

static int
recording_bad(struct recording *r, size_t line, const char *what, char *err,
	      size_t errlen)
{
	snprintf(err, errlen,
		 "%s is not a valid ramtop recording: line %zu: %s", r->name,
		 line, what);
	return -EINVAL;
}

/* One line's object o (kind already known to be a string). */
static int
recording_take(struct recording *r, json_t *o, size_t line, char *err,
	       size_t errlen)
{
	const char *kind = json_string_value(json_object_get(o, "kind"));
	struct timeline_point p;
	char e[512], w[64];
	json_t *idx;
	size_t i;
	int x;

	if (strcmp(kind, "sample") == 0) {
		if (!json_is_number(json_object_get(o, "elapsed_s")))
			return recording_bad(r, line,
					     "a sample without \"elapsed_s\"",
					     err, errlen);
		if (r->first == NULL) {
			r->first = json_incref(o);
			/* Phase 0 until a mark 0 says otherwise (older
			 * recordings print none). */
			recording_point(o, r->have0 ? -1 : 0, &p);
		} else {
			recording_point(o, -1, &p);
		}
	} else if (strcmp(kind, "mark") == 0) {
		snprintf(w, sizeof w, "mark");
		x = phases_add_json(&r->check, o, w, e, sizeof e);
		if (x == -ENOMEM)
			return x;
		if (x < 0)
			return recording_bad(r, line, e, err, errlen);
		idx = json_object_get(o, "index");
		if (json_integer_value(idx) == 0) {
			r->have0 = 1;
			for (i = 0; i < r->tl.n; i++)
				if (r->tl.v[i].mark == 0)
					r->tl.v[i].mark = -1;
			if (json_is_object(json_object_get(o, "session"))) {
				json_decref(r->session); /* a second mark 0 */
				r->session = json_incref(
					json_object_get(o, "session"));
			}
		}
		json_array_append(r->marks, o);
		recording_point(o, (long)json_integer_value(idx), &p);
	} else {
		return 0; /* "exit", or a kind of a later ramtop */
	}
	if (r->tl.n > 0 && p.elapsed_s < r->tl.v[r->tl.n - 1].elapsed_s)
		p.elapsed_s = r->tl.v[r->tl.n - 1].elapsed_s;
	return timeline_add(&r->tl, &p);
}

/* Read every line; 0 or -errno with err set. */
static int
recording_lines(struct recording *r, const char *buf, size_t len, char *err,
		size_t errlen)
{
	char what[300];
	json_error_t je;
	size_t off = 0, n, line = 0;
	json_t *o;
	int x;

	while (off < len) {
		n = recording_line(buf + off, len - off);
		line++;
		if (!recording_ours(buf + off, n)) {
			off += n + 1;
			continue;
		}
		o = json_loadb(buf + off, n, 0, &je);
		if (o == NULL) {
			snprintf(what, sizeof what,
				 "not valid JSON (column %d: %.200s)",
				 je.column, je.text);
			for (x = 0; what[x] != '\0'; x++)
				if ((unsigned char)what[x] < 0x20 ||
				    (unsigned char)what[x] > 0x7e)
					what[x] = '?';
			return recording_bad(r, line, what, err, errlen);
		}
		if (!json_is_object(o) ||
		    !json_is_string(json_object_get(o, "kind"))) {
			json_decref(o);
			return recording_bad(
				r, line,
				"no \"kind\": not a line of ramtop -b --json",
				err, errlen);
		}
		x = recording_take(r, o, line, err, errlen);
		json_decref(o);
		if (x == -ENOMEM) {
			snprintf(err, errlen, "cannot read %s: out of memory",
				 r->name);
			return x;
		}
		if (x < 0)
			return x;
		off += n + 1;
	}
	if (r->first == NULL && json_array_size(r->marks) == 0) {
		snprintf(err, errlen,
			 "%s is not a valid ramtop recording: it has no "
			 "sample and no mark",
			 r->name);
		return -EINVAL;
	}
	return 0;
}

/* Phase 0 of a recording that has none: its first sample. */
static int
recording_phase0(struct recording *r)
{
	json_t *p0;

	if (r->have0 || r->first == NULL)
		return 0;
	p0 = json_deep_copy(r->first);
	if (p0 == NULL)
		return -ENOMEM;
	json_object_set_new(p0, "kind", json_string("mark"));
	json_object_set_new(p0, "index", json_integer(0));
	json_object_set_new(p0, "label", json_string("baseline"));
	json_array_insert_new(r->marks, 0, p0);
	return 0;
}

/* The header: mark 0's session, else what the lines tell. */
static json_t *
recording_doc(struct recording *r)
{
	json_t *doc, *m0, *v, *sys;
	size_t i;

	doc = r->session ? json_deep_copy(r->session) : json_object();
	if (doc == NULL)
		return NULL;
	m0 = json_array_get(r->marks, 0);
	json_object_set_new(doc, "format", json_string(SNAPSHOT_FORMAT));
	json_object_set_new(doc, "version", json_integer(SNAPSHOT_VERSION));
	if (!json_is_string(json_object_get(doc, "ramtop_version")))
		json_object_set_new(doc, "ramtop_version",
				    json_string("unknown"));
	v = json_object_get(m0, "time");
	if (!json_is_string(json_object_get(doc, "created")))
		json_object_set_new(doc, "created",
				    json_is_string(v) ? json_copy(v)
						      : json_string(""));
	if (!json_is_object(json_object_get(doc, "host"))) {
		sys = json_object_get(m0, "system");
		v = json_object_get(sys, "mem_total_kb");
		json_object_set_new(
			doc, "host",
			json_pack("{s:s, s:s, s:n, s:o}", "hostname", "",
				  "kernel", "", "page_size", "mem_total_kb",
				  json_is_integer(v) ? json_copy(v)
						     : json_null()));
	}
	if (!json_is_object(json_object_get(doc, "target")))
		json_object_set_new(
			doc, "target",
			json_pack("{s:[], s:n}", "pids", "command"));
	/* Each phase's peak: the highest Σ RSS from its mark to the next. */
	for (i = 0; i < json_array_size(r->marks); i++) {
		struct timeline_peak pk;
		json_t *m = json_array_get(r->marks, i);
		long idx =
			(long)json_integer_value(json_object_get(m, "index"));

		if (timeline_phase_peak(&r->tl, idx, &pk) == 0 && pk.kb >= 0)
			json_object_set_new(m, "peak",
					    json_pack("{s:I, s:f}", "rss_kb",
						      (json_int_t)pk.kb,
						      "elapsed_s",
						      pk.elapsed_s));
	}
	json_object_set(doc, "phases", r->marks);
	json_object_set_new(doc, "timeline", timeline_json(&r->tl));
	return doc;
}

int
recording_parse(const char *buf, size_t len, const char *name,
		struct snapshot *s, char *err, size_t errlen)
{
	struct recording r;
	json_t *doc = NULL;
	int x;

	memset(&r, 0, sizeof r);
	r.name = name;
	r.marks = json_array();
	timeline_init(&r.tl);
	phases_init(&r.check);
	x = r.marks ? recording_lines(&r, buf, len, err, errlen) : -ENOMEM;
	if (x == 0)
		x = recording_phase0(&r);
	if (x == 0 && (doc = recording_doc(&r)) == NULL)
		x = -ENOMEM;
	if (x == -ENOMEM)
		snprintf(err, errlen, "cannot read %s: out of memory", name);
	phases_free(&r.check);
	timeline_free(&r.tl);
	json_decref(r.first);
	json_decref(r.session);
	json_decref(r.marks);
	if (x < 0) {
		json_decref(doc);
		memset(s, 0, sizeof *s);
		phases_init(&s->ph);
		timeline_init(&s->tl);
		return x;
	}
	x = snapshot_from_json(doc, name, s, err, errlen);
	if (x == 0)
		s->recording = 1;
	return x;
}
