/*
 * procfs.c - pure parsers for /proc/PID/status, /proc/PID/stat,
 * /proc/meminfo and /proc/self/mountinfo.  Operate on a caller's buffer;
 * no I/O, no allocation.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "kb.h"
#include "procfs.h"

/* Parse the first unsigned decimal in [p, end); -1 if none. */
static long long
procfs_num(const char *p, const char *end)
{
	long long v = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || *p < '0' || *p > '9')
		return -1;
	while (p < end && *p >= '0' && *p <= '9') {
		if (v > (LLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	return v;
}

struct procfs_key {
	const char *key;
	size_t klen; /* strlen(key) */
	size_t off;
};
#define PROCFS_KEY(k, type, f)                                                 \
	{                                                                      \
		k, sizeof k - 1, offsetof(type, f)                             \
	}

/* If the line [p, nl) is "Key:..." of a key in the table, store its
 * number (KB_UNKNOWN if none) and return 1. */
static int
procfs_key_line(const char *p, const char *colon, const char *nl,
		const struct procfs_key *keys, size_t nkeys, void *base)
{
	size_t i, klen = (size_t)(colon - p);
	long long x;

	for (i = 0; i < nkeys; i++) {
		if (keys[i].klen == klen && memcmp(keys[i].key, p, klen) == 0) {
			x = procfs_num(colon + 1, nl);
			*(long long *)((char *)base + keys[i].off) =
				x < 0 ? KB_UNKNOWN : x;
			return 1;
		}
	}
	return 0;
}

/* A "Key:value" line that is none of the table's: the key (klen bytes at
 * p), the value [v, eol). */
typedef void procfs_other_fn(void *ctx, const char *p, size_t klen,
			     const char *v, const char *eol);

/* Walk "Key:\tvalue" lines; for keys in the table store the number, hand
 * the others to other (if not NULL). */
static void
procfs_keys(const char *buf, size_t len, const struct procfs_key *keys,
	    size_t nkeys, void *base, procfs_other_fn *other, void *ctx)
{
	const char *p = buf, *end = buf + len, *nl, *colon;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		colon = memchr(p, ':', (size_t)(nl - p));
		if (colon != NULL &&
		    !procfs_key_line(p, colon, nl, keys, nkeys, base) &&
		    other != NULL)
			other(ctx, p, (size_t)(colon - p), colon + 1, nl);
	}
}

/* Is the line's key k (klen bytes at p), not seen before (bit)? */
static int
status_is(const char *p, size_t klen, const char *k, unsigned bit,
	  unsigned *seen)
{
	if (klen != strlen(k) || memcmp(p, k, klen) != 0 || (*seen & bit))
		return 0;
	*seen |= bit;
	return 1;
}

/* The status lines status_parse() reads besides the figures (the
 * first of each counts). */
struct status_ctx {
	struct status_info *out;
	unsigned seen; /* bits: the lines met */
};

static void
status_line(void *ctx, const char *p, size_t klen, const char *v,
	    const char *eol)
{
	struct status_info *out = ((struct status_ctx *)ctx)->out;
	unsigned *seen = &((struct status_ctx *)ctx)->seen;
	long long x;
	size_t n;

	if (status_is(p, klen, "Name", 1u, seen)) {
		if (v < eol && *v == '\t')
			v++;
		n = (size_t)(eol - v);
		if (n >= sizeof out->name)
			n = sizeof out->name - 1;
		memcpy(out->name, v, n);
		out->name[n] = '\0';
	} else if (status_is(p, klen, "State", 2u, seen)) {
		while (v < eol && (*v == ' ' || *v == '\t'))
			v++;
		if (v < eol)
			out->state = *v;
	} else if (status_is(p, klen, "PPid", 4u, seen)) {
		if ((x = procfs_num(v, eol)) >= 0 && x <= INT_MAX)
			out->ppid = (int)x;
	} else if (status_is(p, klen, "Tgid", 8u, seen)) {
		if ((x = procfs_num(v, eol)) > 0 && x <= INT_MAX)
			out->tgid = (int)x;
	} else if (status_is(p, klen, "Uid", 16u, seen)) {
		if ((x = procfs_num(v, eol)) >= 0)
			out->uid = (long)x;
	}
}

/* One pass over the lines: this runs for every process at the first
 * sample (~55 lines each), where six passes used to. */
int
status_parse(const char *buf, size_t len, struct status_info *out)
{
#define K(k, f) PROCFS_KEY(k, struct status_info, f)
	static const struct procfs_key keys[] = {
		K("VmSize", vm_size),	  K("VmLck", vm_lck),
		K("VmHWM", vm_hwm),	  K("VmRSS", vm_rss),
		K("RssAnon", rss_anon),	  K("RssFile", rss_file),
		K("RssShmem", rss_shmem), K("VmSwap", vm_swap),
	};
#undef K
	struct status_ctx c = { out, 0 };

	memset(out, 0, sizeof *out);
	out->ppid = -1;
	out->tgid = -1;
	out->uid = -1;
	out->vm_size = out->vm_lck = out->vm_hwm = out->vm_rss = KB_UNKNOWN;
	out->rss_anon = out->rss_file = out->rss_shmem = KB_UNKNOWN;
	out->vm_swap = KB_UNKNOWN;
	procfs_keys(buf, len, keys, sizeof keys / sizeof keys[0], out,
		    status_line, &c);
	return c.seen & 1u ? 0 : -EINVAL; /* no Name: not a status */
}

/* Parse the unsigned decimal at *pp (no sign, no blanks) and move *pp
 * past it.  Returns -1 if there is none or it overflows. */
static long long
procfs_field(const char **pp, const char *end)
{
	const char *p = *pp;
	long long v;

	if (p >= end || *p < '0' || *p > '9')
		return -1;
	v = procfs_num(p, end);
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	*pp = p;
	return v;
}

/* The fields of /proc/PID/stat that stat_parse() keeps. */
static int
stat_wanted(int field)
{
	switch (field) {
	case 4:
	case 9:
	case 10:
	case 22:
	case 23:
	case 24:
	case 26:
	case 28:
		return 1;
	default:
		return 0;
	}
}

int
stat_parse(const char *buf, size_t len, struct stat_info *out)
{
	const char *end = buf + len, *open, *close, *p;
	long long v;
	size_t n;
	int field;

	memset(out, 0, sizeof *out);
	open = memchr(buf, '(', len);
	close = NULL;
	for (p = end; p > buf; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (open == NULL || close == NULL || close < open)
		return -EINVAL;
	p = buf;
	v = procfs_field(&p, open);
	if (v <= 0 || v > INT_MAX)
		return -EINVAL;
	out->pid = (int)v;
	n = (size_t)(close - open - 1);
	if (n >= sizeof out->comm)
		n = sizeof out->comm - 1;
	memcpy(out->comm, open + 1, n);
	out->comm[n] = '\0';

	/* After ")": " S ppid pgrp session tty tpgid flags ... starttime",
	 * fields 3 to 22 of proc(5), then vsize rss rsslim startcode
	 * endcode startstack (23 to 28), which may be missing. */
	p = close + 1;
	for (field = 3; field <= 28; field++) {
		if (field > 22 && (p >= end || *p == '\n'))
			return 0; /* cut after starttime: no signature */
		if (p >= end || *p != ' ')
			return -EINVAL;
		p++;
		if (field == 3) {
			if (p >= end)
				return -EINVAL;
			out->state = *p++;
			continue;
		}
		if (!stat_wanted(field)) {
			/* Skipped: may be negative (tty_nr, tpgid,
			 * priority, nice) or past long long (rsslim). */
			if (p < end && *p == '-')
				p++;
			if (p >= end || *p < '0' || *p > '9')
				return -EINVAL;
			while (p < end && *p >= '0' && *p <= '9')
				p++;
			continue;
		}
		v = procfs_field(&p, end);
		if (v < 0)
			return -EINVAL;
		switch (field) {
		case 4:
			if (v > INT_MAX)
				return -EINVAL;
			out->ppid = (int)v;
			break;
		case 9:
			out->flags = (unsigned long)v;
			break;
		case 10:
			out->minflt = (unsigned long)v;
			break;
		case 22:
			out->start_time = (unsigned long long)v;
			break;
		case 23:
			out->vsize = (unsigned long)v;
			break;
		case 24:
			out->rss_pages = (unsigned long)v;
			break;
		case 26:
			out->code_start = (unsigned long)v;
			break;
		default: /* 28 */
			out->stack_start = (unsigned long)v;
			out->sig_known = 1;
			break;
		}
	}
	return 0;
}

int
meminfo_parse(const char *buf, size_t len, struct meminfo *out)
{
	static const struct procfs_key keys[] = {
		PROCFS_KEY("MemTotal", struct meminfo, mem_total),
		PROCFS_KEY("MemFree", struct meminfo, mem_free),
		PROCFS_KEY("MemAvailable", struct meminfo, mem_available),
		PROCFS_KEY("Buffers", struct meminfo, buffers),
		PROCFS_KEY("Cached", struct meminfo, cached),
		PROCFS_KEY("Shmem", struct meminfo, shmem),
		PROCFS_KEY("SwapTotal", struct meminfo, swap_total),
		PROCFS_KEY("SwapFree", struct meminfo, swap_free),
	};

	out->mem_total = out->mem_free = out->mem_available = KB_UNKNOWN;
	out->buffers = out->cached = out->shmem = KB_UNKNOWN;
	out->swap_total = out->swap_free = KB_UNKNOWN;
	procfs_keys(buf, len, keys, sizeof keys / sizeof keys[0], out, NULL,
		    NULL);
	return out->mem_total < 0 ? -EINVAL : 0;
}

/*
 * mountinfo line: id parent maj:min root mountpoint opts [optional...] -
 * fstype source superopts.  We need maj:min (field 3) and fstype (after
 * the " - " separator).
 */
size_t
mountinfo_tmpfs(const char *buf, size_t len, unsigned int (*devs)[2],
		size_t max)
{
	const char *p = buf, *end = buf + len, *nl, *q, *sep;
	size_t n = 0, i;
	long long maj, min;
	int field;

	for (; p < end && n < max; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		/* Skip two fields to reach maj:min. */
		q = p;
		for (field = 0; field < 2 && q < nl; q++)
			if (*q == ' ')
				field++;
		if (q >= nl)
			continue;
		maj = procfs_num(q, nl);
		q = memchr(q, ':', (size_t)(nl - q));
		if (maj < 0 || q == NULL)
			continue;
		min = procfs_num(q + 1, nl);
		if (min < 0)
			continue;
		sep = NULL;
		for (q = p; q + 3 <= nl; q++) {
			if (q[0] == ' ' && q[1] == '-' && q[2] == ' ') {
				sep = q + 3;
				break;
			}
		}
		if (sep == NULL || (size_t)(nl - sep) < 6 ||
		    memcmp(sep, "tmpfs ", 6) != 0)
			continue;
		for (i = 0; i < n; i++)
			if (devs[i][0] == maj && devs[i][1] == min)
				break;
		if (i == n) {
			devs[n][0] = (unsigned int)maj;
			devs[n][1] = (unsigned int)min;
			n++;
		}
	}
	return n;
}

/* The n-th space-separated field of [p, nl) (from 0), or NULL. */
static const char *
procfs_word(const char *p, const char *nl, int n, const char **fend)
{
	const char *q;

	for (; n > 0 && p < nl; n--) {
		q = memchr(p, ' ', (size_t)(nl - p));
		if (q == NULL)
			return NULL;
		p = q + 1;
	}
	if (p >= nl)
		return NULL;
	q = memchr(p, ' ', (size_t)(nl - p));
	*fend = q ? q : nl;
	return p;
}

int
mountinfo_split(const char *p, const char *nl, struct mountinfo_line *out)
{
	const char *q, *sep = NULL;

	memset(out, 0, sizeof *out);
	for (q = p; q + 3 <= nl; q++) {
		if (q[0] == ' ' && q[1] == '-' && q[2] == ' ') {
			sep = q + 3;
			break;
		}
	}
	out->root = procfs_word(p, nl, 3, &out->root_end);
	out->point = procfs_word(p, nl, 4, &out->point_end);
	if (sep == NULL || out->root == NULL || out->point == NULL ||
	    out->point >= sep)
		return -EINVAL;
	out->fstype = procfs_word(sep, nl, 0, &out->fstype_end);
	if (out->fstype == NULL)
		return -EINVAL;
	out->opts = procfs_word(sep, nl, 2, &out->opts_end);
	if (out->opts == NULL)
		out->opts = out->opts_end = nl;
	return 0;
}

void
mountinfo_unescape(char *out, size_t len, const char *p, const char *end)
{
	size_t o = 0;

	if (len == 0)
		return;
	while (p < end && o + 1 < len) {
		if (*p == '\\' && end - p >= 4 && p[1] >= '0' && p[1] <= '3' &&
		    p[2] >= '0' && p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			out[o++] = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 +
					  (p[3] - '0'));
			p += 4;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}
