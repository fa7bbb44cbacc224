/*
 * cgroup_parse.c - pure parsers for the cgroup files (cgroup.h):
 * /proc/PID/cgroup, the cgroup mounts in mountinfo, single-value files
 * ("max" or a number), flat-keyed files (memory.stat, memory.events,
 * memory.oom_control) and PSI lines.  No I/O: cgroup_read.c reads.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "procfs.h"

/* v1 "no limit" is LONG_MAX rounded down to a page; anything this big
 * is no limit. */
#define CG_HUGE (1LL << 62)

static const char *const cg_names[CG_NFIGS] = {
#define X(f, key, sz) key,
	CG_FIGS
#undef X
};

static const int cg_sizes[CG_NFIGS] = {
#define X(f, key, sz) sz,
	CG_FIGS
#undef X
};

const char *
cgroup_fig_name(int i)
{
	return i >= 0 && i < CG_NFIGS ? cg_names[i] : "?";
}

int
cgroup_fig_is_size(int i)
{
	return i >= 0 && i < CG_NFIGS ? cg_sizes[i] : 0;
}

/* ---- parsers ------------------------------------------------------ */

/* Copy [p, end) into out (len), NUL-terminated; cut if too long. */
static void
cg_copy(char *out, size_t len, const char *p, const char *end)
{
	size_t n = (size_t)(end - p);

	if (len == 0)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* Does the comma-separated list [p, end) hold word? */
static int
cg_has_word(const char *p, const char *end, const char *word)
{
	size_t wl = strlen(word);
	const char *q;

	while (p < end) {
		q = memchr(p, ',', (size_t)(end - p));
		if (q == NULL)
			q = end;
		if ((size_t)(q - p) == wl && memcmp(p, word, wl) == 0)
			return 1;
		p = q + 1;
	}
	return 0;
}

int
cgroup_parse_proc(const char *buf, size_t len, char *v1, size_t v1len, char *v2,
		  size_t v2len)
{
	const char *p = buf, *end = buf + len, *nl, *c1, *c2;
	int any = 0;

	v1[0] = '\0';
	v2[0] = '\0';
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		c1 = memchr(p, ':', (size_t)(nl - p));
		if (c1 == NULL)
			continue;
		c2 = memchr(c1 + 1, ':', (size_t)(nl - c1 - 1));
		if (c2 == NULL || c2 + 1 >= nl || c2[1] != '/')
			continue;
		any = 1;
		if (c2 == c1 + 1 && c1 - p == 1 && p[0] == '0')
			cg_copy(v2, v2len, c2 + 1, nl);
		else if (cg_has_word(c1 + 1, c2, "memory"))
			cg_copy(v1, v1len, c2 + 1, nl);
	}
	return any ? 0 : -EINVAL;
}

void
cgroup_parse_mounts(const char *buf, size_t len, struct cg_mounts *out)
{
	const char *p = buf, *end = buf + len, *nl;
	struct mountinfo_line ml;
	size_t fl;

	memset(out, 0, sizeof *out);
	out->v2_memory = -1;
	out->read = 1;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (mountinfo_split(p, nl, &ml) < 0)
			continue;
		fl = (size_t)(ml.fstype_end - ml.fstype);
		if (fl == 7 && memcmp(ml.fstype, "cgroup2", 7) == 0 &&
		    out->v2[0] == '\0') {
			mountinfo_unescape(out->v2, sizeof out->v2, ml.point,
					   ml.point_end);
			mountinfo_unescape(out->v2_root, sizeof out->v2_root,
					   ml.root, ml.root_end);
		} else if (fl == 6 && memcmp(ml.fstype, "cgroup", 6) == 0 &&
			   cg_has_word(ml.opts, ml.opts_end, "memory") &&
			   out->v1[0] == '\0') {
			mountinfo_unescape(out->v1, sizeof out->v1, ml.point,
					   ml.point_end);
			mountinfo_unescape(out->v1_root, sizeof out->v1_root,
					   ml.root, ml.root_end);
		}
	}
}

/* A decimal number at p (skipping blanks), or -1. */
static long long
cg_num(const char *p, const char *end, const char **after)
{
	unsigned long long v = 0;
	const char *q;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (q = p; q < end && *q >= '0' && *q <= '9'; q++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (unsigned long long)(*q - '0');
	}
	if (after != NULL)
		*after = q;
	if (q == p)
		return -1;
	return v >= (unsigned long long)LLONG_MAX ? LLONG_MAX : (long long)v;
}

long long
cgroup_parse_value(const char *buf, size_t len)
{
	const char *end = buf + len, *after;
	long long v;

	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		end = buf + --len;
	if (len == 3 && memcmp(buf, "max", 3) == 0)
		return CG_UNLIMITED;
	v = cg_num(buf, end, &after);
	if (v < 0 || after != end)
		return CG_UNKNOWN;
	return v >= CG_HUGE ? CG_UNLIMITED : v;
}

long long
cgroup_parse_key(const char *buf, size_t len, const char *key)
{
	const char *p = buf, *end = buf + len, *nl;
	size_t kl = strlen(key);

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if ((size_t)(nl - p) > kl && memcmp(p, key, kl) == 0 &&
		    p[kl] == ' ')
			return cg_num(p + kl + 1, nl, NULL);
	}
	return CG_UNKNOWN;
}

/* "avg10=1.23" in [p, nl): the number after name=, or -1. */
static double
cg_psi_field(const char *p, const char *nl, const char *name)
{
	size_t nlen = strlen(name);
	char tmp[32];
	const char *q, *e;

	for (q = p; q + nlen < nl; q++) {
		if ((q == p || q[-1] == ' ') && memcmp(q, name, nlen) == 0 &&
		    q[nlen] == '=') {
			q += nlen + 1;
			e = memchr(q, ' ', (size_t)(nl - q));
			if (e == NULL)
				e = nl;
			cg_copy(tmp, sizeof tmp, q, e);
			return strtod(tmp, NULL);
		}
	}
	return -1;
}

static int
cg_psi_line(const char *p, const char *nl, double avg[3], long long *total)
{
	const char *q;
	size_t i;

	avg[0] = cg_psi_field(p, nl, "avg10");
	avg[1] = cg_psi_field(p, nl, "avg60");
	avg[2] = cg_psi_field(p, nl, "avg300");
	*total = -1;
	for (i = 0, q = p; q + 6 < nl; q++, i++)
		if (memcmp(q, "total=", 6) == 0) {
			*total = cg_num(q + 6, nl, NULL);
			break;
		}
	return avg[0] >= 0 && avg[1] >= 0 && *total >= 0 ? 0 : -EINVAL;
}

int
cgroup_parse_psi(const char *buf, size_t len, struct cg_psi *out)
{
	const char *p = buf, *end = buf + len, *nl;
	int some = -EINVAL, k;

	memset(out, 0, sizeof *out);
	for (k = 0; k < 3; k++)
		out->some[k] = out->full[k] = -1;
	out->some_total = out->full_total = -1;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl - p > 5 && memcmp(p, "some ", 5) == 0)
			some = cg_psi_line(p + 5, nl, out->some,
					   &out->some_total);
		else if (nl - p > 5 && memcmp(p, "full ", 5) == 0)
			cg_psi_line(p + 5, nl, out->full, &out->full_total);
	}
	out->err = some;
	return some;
}
