/*
 * snapshot.c - the snapshot file: the document from the phase list,
 * written by the atomic writer (atomic.c).  Reading it back is
 * snapshot_read.c.
 *
 * Touches: the file it is asked to write (through atomic_write).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "atomic.h"
#include "json.h"
#include "snapshot.h"

void
snapshot_host_get(struct snapshot_host *h)
{
	struct utsname u;

	memset(h, 0, sizeof *h);
	if (gethostname(h->hostname, sizeof h->hostname - 1) < 0)
		h->hostname[0] = '\0';
	if (uname(&u) == 0)
		snprintf(h->kernel, sizeof h->kernel, "%s", u.release);
	h->page_size = sysconf(_SC_PAGESIZE);
}

json_t *
snapshot_build(const struct snapshot_meta *meta, const struct phases *ph)
{
	json_t *root, *pids, *phases;
	size_t i;

	pids = json_array();
	phases = json_array();
	if (pids == NULL || phases == NULL) {
		json_decref(pids);
		json_decref(phases);
		return NULL;
	}
	for (i = 0; i < meta->npids; i++)
		json_array_append_new(pids, json_integer(meta->pids[i]));
	for (i = 0; i < ph->n; i++)
		if (json_array_append_new(phases,
					  timeline_phase_json(&ph->v[i])) < 0) {
			json_decref(pids);
			json_decref(phases);
			return NULL;
		}
	root = json_pack(
		"{s:s, s:i, s:s, s:s, s:{s:o, s:s, s:I, s:o}, s:{s:o, s:o}, "
		"s:o}",
		"format", SNAPSHOT_FORMAT, "version", SNAPSHOT_VERSION,
		"ramtop_version", PACKAGE_VERSION, "created", meta->created,
		"host", "hostname", json_bytes(meta->host->hostname), "kernel",
		meta->host->kernel, "page_size",
		(json_int_t)meta->host->page_size, "mem_total_kb",
		json_kb(meta->mem_total_kb), "target", "pids", pids, "command",
		meta->command ? json_bytes(meta->command) : json_null(),
		"phases", phases);
	if (root != NULL && meta->timeline != NULL)
		json_object_set_new(root, "timeline",
				    timeline_json(meta->timeline));
	if (root != NULL && meta->oom != NULL)
		json_object_set(root, "oom", meta->oom);
	return root;
}

void
snapshot_default_name(char *buf, size_t len, int pid, time_t when)
{
	struct tm tm;

	localtime_r(&when, &tm);
	snprintf(buf, len, "ramtop-%d-%04d%02d%02d-%02d%02d%02d.json", pid,
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
}

/* ---- writing ---------------------------------------------------------- */

int
snapshot_write_buf(const char *path, const char *buf, size_t len, char *err,
		   size_t errlen)
{
	return atomic_write(path, buf, len, "the snapshot",
			    "choose another place with -o", err, errlen);
}

int
snapshot_write(const char *path, const struct snapshot_meta *meta,
	       const struct phases *ph, size_t *bytes, char *err, size_t errlen)
{
	json_t *root;
	char *s;
	size_t len;
	int r;

	root = snapshot_build(meta, ph);
	s = root ? json_dumps(root, JSON_INDENT(1) | JSON_REAL_PRECISION(10))
		 : NULL;
	json_decref(root);
	if (s == NULL) {
		snprintf(err, errlen,
			 "cannot save the snapshot: out of memory");
		return -ENOMEM;
	}
	len = strlen(s);
	if ((long long)len + 1 > SNAPSHOT_MAX_BYTES) {
		free(s);
		snprintf(err, errlen,
			 "cannot save the snapshot to %.200s: it would be %zu "
			 "MiB, more than a snapshot may be (%lld MiB, what "
			 "ramtop reads back); the earlier file is unchanged; "
			 "mark fewer phases or watch fewer processes",
			 path, len >> 20, SNAPSHOT_MAX_BYTES >> 20);
		return -EFBIG;
	}
	/* json_dumps leaves no final newline: add one. */
	{
		char *t = realloc(s, len + 2);

		if (t == NULL) {
			free(s);
			snprintf(err, errlen,
				 "cannot save the snapshot: out of memory");
			return -ENOMEM;
		}
		s = t;
		s[len++] = '\n';
		s[len] = '\0';
	}
	r = snapshot_write_buf(path, s, len, err, errlen);
	free(s);
	if (r == 0 && bytes != NULL)
		*bytes = len;
	return r;
}

int
snapshot_check_path(const char *path, char *err, size_t errlen)
{
	return atomic_check(path, "the snapshot",
			    "choose another place with -o", err, errlen);
}
