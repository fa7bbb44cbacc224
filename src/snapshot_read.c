/*
 * snapshot_read.c - read a snapshot file back and check it, saying in one
 * line what is wrong with a file that is not a good one.
 *
 * A batch NDJSON recording is read too: recording.c turns it into the
 * same document, checked here by snapshot_from_json().
 *
 * Touches: the file it is asked to read.  Nothing else.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jcheck.h"
#include "recording.h"
#include "sanitize.h"
#include "snapshot.h"

/* A path as it may be shown on a terminal. */
static const char *
snapshot_show(char *buf, size_t len, const char *path)
{
	sanitize_text(buf, len, path, strlen(path));
	return buf;
}

/* Printable ASCII only: jansson quotes raw bytes of the input. */
static void
snapshot_ascii(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}

void
snapshot_free(struct snapshot *s)
{
	phases_free(&s->ph);
	timeline_free(&s->tl);
	free(s->pids);
	json_decref(s->root);
	memset(s, 0, sizeof *s);
}

static int
snapshot_bad(char *err, size_t errlen, const char *name, const char *what)
{
	snprintf(err, errlen, "%s is not a valid ramtop snapshot: %s", name,
		 what);
	return -EINVAL;
}

static int
snapshot_header(struct snapshot *s, const char *name, char *err, size_t errlen)
{
	char e[512], w[64];
	json_t *v, *host, *target, *a;
	long long x;
	size_t i;

#define CHECK(call)                                                            \
	if ((call) < 0)                                                        \
		return snapshot_bad(err, errlen, name, e);
	CHECK(jcheck(s->root, "", "ramtop_version", JC_STR, &v, e, sizeof e))
	s->ramtop_version = json_string_value(v);
	CHECK(jcheck(s->root, "", "created", JC_STR, &v, e, sizeof e))
	s->created = json_string_value(v);
	CHECK(jcheck(s->root, "", "host", JC_OBJ, &host, e, sizeof e))
	CHECK(jcheck(host, "host", "hostname", JC_STR, &v, e, sizeof e))
	s->hostname = json_string_value(v);
	CHECK(jcheck(host, "host", "kernel", JC_STR, &v, e, sizeof e))
	s->kernel = json_string_value(v);
	CHECK(jcheck_kb(host, "host", "page_size", 0, -1, &x, e, sizeof e))
	s->page_size = (long)x;
	CHECK(jcheck_kb(host, "host", "mem_total_kb", 0, KB_UNKNOWN,
			&s->mem_total_kb, e, sizeof e))
	CHECK(jcheck(s->root, "", "target", JC_OBJ, &target, e, sizeof e))
	CHECK(jcheck(target, "target", "pids", JC_ARR, &a, e, sizeof e))
	s->pids = calloc(json_array_size(a) + 1, sizeof *s->pids);
	if (s->pids == NULL) {
		snprintf(err, errlen, "cannot read %s: out of memory", name);
		return -ENOMEM;
	}
	for (i = 0; i < json_array_size(a); i++) {
		v = json_array_get(a, i);
		if (!json_is_integer(v)) {
			snprintf(w, sizeof w,
				 "target.pids[%zu] is %s, expected "
				 "an integer",
				 i, jcheck_what(v));
			return snapshot_bad(err, errlen, name, w);
		}
		s->pids[s->npids++] = (int)json_integer_value(v);
	}
	CHECK(jcheck(target, "target", "command", JC_STR | JC_NULL, &v, e,
		     sizeof e))
	s->command = json_is_string(v) ? json_string_value(v) : NULL;
#undef CHECK
	return 0;
}

/* Is this a ramtop snapshot of a version this ramtop reads?  0, or
 * -EINVAL with one line in err. */
static int
snapshot_identity(struct snapshot *s, const char *name, char *err,
		  size_t errlen)
{
	char e[512];
	json_t *v;

	if (!json_is_object(s->root)) {
		snprintf(err, errlen,
			 "%s is not a ramtop snapshot: its top level is %s, "
			 "not an object",
			 name, jcheck_what(s->root));
		return -EINVAL;
	}
	v = json_object_get(s->root, "format");
	if (v == NULL) {
		snprintf(err, errlen,
			 "%s is not a ramtop snapshot: it has no \"format\" "
			 "field",
			 name);
		return -EINVAL;
	}
	if (!json_is_string(v) ||
	    strcmp(json_string_value(v), SNAPSHOT_FORMAT) != 0) {
		if (json_is_string(v)) {
			snprintf(e, sizeof e, "%.64s", json_string_value(v));
			snapshot_ascii(e);
		} else {
			snprintf(e, sizeof e, "%s", jcheck_what(v));
		}
		snprintf(err, errlen,
			 "%s is not a ramtop snapshot: its format is %s%s%s, "
			 "not \"%s\"",
			 name, json_is_string(v) ? "\"" : "", e,
			 json_is_string(v) ? "\"" : "", SNAPSHOT_FORMAT);
		return -EINVAL;
	}
	if (jcheck(s->root, "", "version", JC_INT, &v, e, sizeof e) < 0) {
		snapshot_bad(err, errlen, name, e);
		return -EINVAL;
	}
	s->version = (long)json_integer_value(v);
	if (s->version > SNAPSHOT_VERSION) {
		snprintf(err, errlen,
			 "%s is a version %ld ramtop snapshot, newer than this "
			 "ramtop (%s) reads (version %d); use a newer ramtop",
			 name, s->version, PACKAGE_VERSION, SNAPSHOT_VERSION);
		return -EINVAL;
	}
	if (s->version < 1) {
		snprintf(e, sizeof e,
			 "version %ld does not exist (the first "
			 "is 1)",
			 s->version);
		snapshot_bad(err, errlen, name, e);
		return -EINVAL;
	}
	return 0;
}

/* The phases, each checked and turned into structs.  0, -EINVAL with
 * one line in err, or -ENOMEM. */
static int
snapshot_phases(struct snapshot *s, const char *name, char *err, size_t errlen)
{
	char e[512], w[32];
	json_t *phases;
	size_t i;
	int r;

	if (jcheck(s->root, "", "phases", JC_ARR, &phases, e, sizeof e) < 0) {
		snapshot_bad(err, errlen, name, e);
		return -EINVAL;
	}
	if (json_array_size(phases) == 0) {
		snapshot_bad(err, errlen, name,
			     "it has no phases (there is always phase 0)");
		return -EINVAL;
	}
	for (i = 0; i < json_array_size(phases); i++) {
		snprintf(w, sizeof w, "phases[%zu]", i);
		r = phases_add_json(&s->ph, json_array_get(phases, i), w, e,
				    sizeof e);
		if (r == -ENOMEM) {
			snprintf(err, errlen, "cannot read %s: out of memory",
				 name);
			return r;
		}
		if (r < 0) {
			snapshot_bad(err, errlen, name, e);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * How many JSON values buf holds (commas and openings outside strings,
 * plus one), counted before jansson builds them: a file of tiny values
 * ("[0,0,0,...]") would cost jansson 40 times its size.
 */
static size_t
snapshot_values(const char *buf, size_t len)
{
	size_t i, n = 1;
	int in_str = 0;

	for (i = 0; i < len; i++) {
		if (in_str) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				in_str = 0;
		} else if (buf[i] == '"') {
			in_str = 1;
		} else if (buf[i] == ',' || buf[i] == '[' || buf[i] == '{') {
			n++;
		}
	}
	return n;
}

int
snapshot_parse(const char *buf, size_t len, const char *name,
	       struct snapshot *s, char *err, size_t errlen)
{
	char shown[PATH_MAX];
	json_error_t je;
	json_t *root;

	memset(s, 0, sizeof *s);
	phases_init(&s->ph);
	timeline_init(&s->tl);
	name = snapshot_show(shown, sizeof shown, name);
	if (len == 0) {
		snprintf(err, errlen, "%s is empty, not a ramtop snapshot",
			 name);
		return -EINVAL;
	}
	/* The limits hold for a recording as for a snapshot (ramtop(1),
	 * LIMITS): checked before either is parsed. */
	if ((long long)len > SNAPSHOT_MAX_BYTES) {
		snprintf(err, errlen,
			 "%s is larger than a snapshot can be (%lld MiB)", name,
			 SNAPSHOT_MAX_BYTES >> 20);
		return -EFBIG;
	}
	if (snapshot_values(buf, len) > len / SNAPSHOT_MIN_VALUE_BYTES + 4096) {
		snprintf(err, errlen,
			 "%s is not a ramtop snapshot: it holds more JSON "
			 "values than one can (%zu bytes, over one value per "
			 "%d bytes)",
			 name, len, SNAPSHOT_MIN_VALUE_BYTES);
		return -EINVAL;
	}
	if (recording_is(buf, len))
		return recording_parse(buf, len, name, s, err, errlen);
	root = json_loadb(buf, len, 0, &je);
	if (root == NULL) {
		snapshot_ascii(je.text);
		snprintf(err, errlen,
			 "%s is not valid JSON (line %d, column %d: %s); "
			 "a ramtop snapshot is a JSON file, a recording one "
			 "JSON object per line (ramtop -b --json)",
			 name, je.line, je.column, je.text);
		return -EINVAL;
	}
	return snapshot_from_json(root, name, s, err, errlen);
}

/* The optional timeline (older files have none).  0, -EINVAL with one
 * line in err, or -ENOMEM. */
static int
snapshot_timeline(struct snapshot *s, const char *name, char *err,
		  size_t errlen)
{
	char e[512];
	int r;

	r = timeline_from_json(&s->tl, json_object_get(s->root, "timeline"), e,
			       sizeof e);
	if (r == -ENOMEM)
		snprintf(err, errlen, "cannot read %s: out of memory", name);
	else if (r < 0)
		snapshot_bad(err, errlen, name, e);
	return r;
}

int
snapshot_from_json(json_t *root, const char *name, struct snapshot *s,
		   char *err, size_t errlen)
{
	int r;

	memset(s, 0, sizeof *s);
	phases_init(&s->ph);
	timeline_init(&s->tl);
	s->root = root;
	if (snapshot_identity(s, name, err, errlen) < 0)
		goto bad;
	r = snapshot_header(s, name, err, errlen);
	if (r == 0)
		r = snapshot_phases(s, name, err, errlen);
	if (r == 0)
		r = snapshot_timeline(s, name, err, errlen);
	if (r < 0) {
		snapshot_free(s);
		return r;
	}
	return 0;
bad:
	snapshot_free(s);
	return -EINVAL;
}

/* snapshot_open: open PATH (shown as SHOWN) without blocking, if it is
 * a regular file within the size cap; the descriptor, or -errno with ERR
 * set. */
static int
snapshot_open(const char *path, const char *shown, char *err, size_t errlen)
{
	struct stat st;
	int fd, e;

	/* Without blocking: a FIFO must not hang `show` (it is refused
	 * below, as is every file that is not a regular one). */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "cannot open %s: %s", shown, strerror(e));
		return -e;
	}
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		snprintf(err, errlen, "cannot read %s: %s", shown, strerror(e));
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, errlen, "%s is %s, not a snapshot file", shown,
			 S_ISDIR(st.st_mode)	? "a directory"
			 : S_ISFIFO(st.st_mode) ? "a FIFO"
			 : S_ISCHR(st.st_mode)	? "a character device"
			 : S_ISBLK(st.st_mode)	? "a block device"
			 : S_ISSOCK(st.st_mode) ? "a socket"
						: "not a regular file");
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	if ((long long)st.st_size > SNAPSHOT_MAX_BYTES) {
		close(fd);
		snprintf(err, errlen,
			 "%s is larger than a snapshot can be (%lld MiB)",
			 shown, SNAPSHOT_MAX_BYTES >> 20);
		return -EFBIG;
	}
	return fd;
}

/* snapshot_slurp: read FD to its end into *BUFP (malloc'd, the caller
 * frees) and *LENP, at most the size cap; 0, or -errno with ERR set and
 * nothing to free. */
static int
snapshot_slurp(int fd, const char *shown, char **bufp, size_t *lenp, char *err,
	       size_t errlen)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t n;
	int e;

	for (;;) {
		if (len == cap) {
			if ((long long)cap >= SNAPSHOT_MAX_BYTES) {
				snprintf(err, errlen,
					 "%s is larger than a snapshot can be "
					 "(%lld MiB)",
					 shown, SNAPSHOT_MAX_BYTES >> 20);
				free(buf);
				return -EFBIG;
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				snprintf(err, errlen,
					 "cannot read %s: out of "
					 "memory",
					 shown);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			free(buf);
			snprintf(err, errlen, "cannot read %s: %s", shown,
				 strerror(e));
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

int
snapshot_read(const char *path, struct snapshot *s, char *err, size_t errlen)
{
	char shown[PATH_MAX], *buf = NULL;
	size_t len = 0;
	int fd, r;

	memset(s, 0, sizeof *s);
	snapshot_show(shown, sizeof shown, path);
	fd = snapshot_open(path, shown, err, errlen);
	if (fd < 0)
		return fd;
	r = snapshot_slurp(fd, shown, &buf, &len, err, errlen);
	close(fd);
	if (r < 0)
		return r;
	r = snapshot_parse(buf, len, path, s, err, errlen);
	free(buf);
	return r;
}
