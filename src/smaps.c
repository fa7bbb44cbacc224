/*
 * smaps.c - parse /proc/PID/smaps and smaps_rollup from a buffer.
 *
 * Pure: touches only the buffer it is given and the caller's structs.  No
 * allocation, no stdio; numbers are parsed by hand because this runs over
 * files of 100,000 mappings (about 2.5 million lines).
 */

#include <errno.h>
#include <string.h>

#include "smaps.h"

static const struct {
	const char *key;
	size_t len;
} smaps_keys[SMAPS_NFIELDS] = {
#define X(id, key) { key, sizeof key - 1 },
	SMAPS_FIELDS
#undef X
};

struct smaps_state {
	struct smaps_mapping m;
	int open;		/* m holds a mapping not yet reported */
	int skipping;		/* after a bad header: drop lines to the next */
	int saw_vmflags;	/* the open mapping had its VmFlags line */
	int any_vmflags;	/* some earlier mapping had one */
	int next_key;		/* field expected next: fields come in order */
	size_t line;
	struct smaps_stats *stats;
};

static int
smaps_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse hex digits at *pp; at least one, at most maxdig.  0 or -1. */
static int
smaps_hex(const char **pp, const char *end, int maxdig,
    unsigned long long *out)
{
	const char *p = *pp;
	unsigned long long v = 0;
	int d, n = 0;

	while (p < end && (d = smaps_hexval(*p)) >= 0) {
		if (++n > maxdig)
			return -1;
		v = (v << 4) | (unsigned)d;
		p++;
	}
	if (n == 0)
		return -1;
	*pp = p;
	*out = v;
	return 0;
}

/* Parse decimal digits at *pp; at least one, at most 18.  0 or -1. */
static int
smaps_dec(const char **pp, const char *end, unsigned long long *out)
{
	const char *p = *pp;
	unsigned long long v = 0;
	int n = 0;

	while (p < end && *p >= '0' && *p <= '9') {
		if (++n > 18)
			return -1;
		v = v * 10 + (unsigned)(*p - '0');
		p++;
	}
	if (n == 0)
		return -1;
	*pp = p;
	*out = v;
	return 0;
}

static const char *
smaps_skip_spaces(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* A header line starts with "hex-hex ". */
static int
smaps_is_header(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && smaps_hexval(*q) >= 0)
		q++;
	if (q == p || q >= end || *q != '-')
		return 0;
	p = ++q;
	while (q < end && smaps_hexval(*q) >= 0)
		q++;
	return q != p && q < end && *q == ' ';
}

static void
smaps_reset(struct smaps_mapping *m)
{
	int i;

	m->start = m->end = 0;
	memset(m->perms, 0, sizeof m->perms);
	m->offset = 0;
	m->dev_major = m->dev_minor = 0;
	m->inode = 0;
	m->name = NULL;
	m->name_len = 0;
	for (i = 0; i < SMAPS_NFIELDS; i++)
		m->f[i] = -1;
	m->thp_eligible = -1;
	m->vmflags[0] = '\0';
}

/* "start-end perms offset maj:min inode[ name]"; 0 or -1. */
static int
smaps_header(struct smaps_mapping *m, const char *p, const char *end)
{
	unsigned long long v;
	int i;

	smaps_reset(m);
	if (smaps_hex(&p, end, 16, &v) != 0 || p >= end || *p++ != '-')
		return -1;
	m->start = (unsigned long)v;
	if (smaps_hex(&p, end, 16, &v) != 0 || p >= end || *p++ != ' ')
		return -1;
	m->end = (unsigned long)v;

	if (end - p < 5)
		return -1;
	for (i = 0; i < 4; i++) {
		if ((unsigned char)p[i] <= ' ' || (unsigned char)p[i] >= 0x7f)
			return -1;
		m->perms[i] = p[i];
	}
	m->perms[4] = '\0';
	p += 4;
	if (*p++ != ' ')
		return -1;

	if (smaps_hex(&p, end, 16, &v) != 0 || p >= end || *p++ != ' ')
		return -1;
	m->offset = v;
	if (smaps_hex(&p, end, 8, &v) != 0 || p >= end || *p++ != ':')
		return -1;
	m->dev_major = (unsigned)v;
	if (smaps_hex(&p, end, 8, &v) != 0 || p >= end || *p++ != ' ')
		return -1;
	m->dev_minor = (unsigned)v;
	if (smaps_dec(&p, end, &v) != 0)
		return -1;
	m->inode = (unsigned long)v;

	/* Anonymous mappings end after the inode (maybe with one space);
	 * named ones are padded to a column, then the name runs to '\n'. */
	if (p < end && *p != ' ')
		return -1;
	while (p < end && *p == ' ')
		p++;
	if (p < end) {
		m->name = p;
		m->name_len = (size_t)(end - p);
	}
	return 0;
}

static void
smaps_bad(struct smaps_state *st)
{
	if (st->stats->bad_lines++ == 0)
		st->stats->first_bad_line = st->line;
}

static int
smaps_find_key(struct smaps_state *st, const char *k, size_t klen)
{
	int i, n = st->next_key;

	for (i = 0; i < SMAPS_NFIELDS; i++, n++) {
		if (n >= SMAPS_NFIELDS)
			n = 0;
		if (smaps_keys[n].len == klen &&
		    memcmp(smaps_keys[n].key, k, klen) == 0) {
			st->next_key = n + 1;
			return n;
		}
	}
	return -1;
}

static void
smaps_vmflags(struct smaps_mapping *m, const char *p, const char *end)
{
	size_t n;

	p = smaps_skip_spaces(p, end);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	n = (size_t)(end - p);
	if (n > sizeof m->vmflags - 1) {
		/* Cut at the last whole flag that fits. */
		n = sizeof m->vmflags - 1;
		while (n > 0 && p[n] != ' ')
			n--;
	}
	memcpy(m->vmflags, p, n);
	m->vmflags[n] = '\0';
}

/* "Key:   N kB", "VmFlags: ..", "THPeligible: N" or an unknown key. */
static void
smaps_key(struct smaps_state *st, const char *p, const char *end)
{
	struct smaps_mapping *m = &st->m;
	const char *colon, *q;
	unsigned long long v;
	int idx;

	colon = memchr(p, ':', (size_t)(end - p));
	if (colon == NULL || colon == p) {
		smaps_bad(st);
		return;
	}
	for (q = p; q < colon; q++) {
		if ((unsigned char)*q <= ' ' || (unsigned char)*q >= 0x7f) {
			smaps_bad(st);
			return;
		}
	}
	if (!st->open) {
		if (!st->skipping)
			smaps_bad(st); /* a key before any header */
		return;
	}

	idx = smaps_find_key(st, p, (size_t)(colon - p));
	q = colon + 1;
	if (idx >= 0) {
		q = smaps_skip_spaces(q, end);
		if (smaps_dec(&q, end, &v) != 0)
			goto bad;
		q = smaps_skip_spaces(q, end);
		if (end - q >= 2 && q[0] == 'k' && q[1] == 'B')
			q = smaps_skip_spaces(q + 2, end);
		if (q != end)
			goto bad;
		m->f[idx] = (long long)v;
		return;
	}

	if (colon - p == 7 && memcmp(p, "VmFlags", 7) == 0) {
		smaps_vmflags(m, q, end);
		st->saw_vmflags = 1;
		return;
	}
	if (colon - p == 11 && memcmp(p, "THPeligible", 11) == 0) {
		q = smaps_skip_spaces(q, end);
		if (smaps_dec(&q, end, &v) != 0 || v > 1)
			goto bad;
		if (smaps_skip_spaces(q, end) != end)
			goto bad;
		m->thp_eligible = (int)v;
		return;
	}
	return; /* unknown key: ignored */

bad:
	smaps_bad(st);
}

static int
smaps_emit(struct smaps_state *st, smaps_cb cb, void *ctx)
{
	st->open = 0;
	if (st->saw_vmflags)
		st->any_vmflags = 1;
	st->stats->mappings++;
	if (cb != NULL)
		return cb(&st->m, ctx);
	return 0;
}

int
smaps_parse(const char *buf, size_t len, smaps_cb cb, void *ctx,
    struct smaps_stats *stats)
{
	struct smaps_stats local;
	struct smaps_state st;
	const char *p = buf, *end, *eol, *nl;
	int rc;

	if (stats == NULL)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	memset(&st, 0, sizeof st);
	st.stats = stats;
	if (buf == NULL)
		return 0;
	end = buf + len;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		eol = nl != NULL ? nl : end;
		st.line++;

		if (nl == NULL) {
			/* A partial last line: its value may be cut short,
			 * so it is not trusted, only noted. */
			stats->truncated = 1;
			break;
		}
		if (smaps_is_header(p, eol)) {
			if (st.open && (rc = smaps_emit(&st, cb, ctx)) != 0)
				return rc;
			if (smaps_header(&st.m, p, eol) == 0) {
				st.open = 1;
				st.skipping = 0;
				st.saw_vmflags = 0;
				st.next_key = 0;
			} else {
				smaps_bad(&st);
				st.skipping = 1;
			}
		} else
			smaps_key(&st, p, eol);
		p = eol + 1;
	}

	if (st.open) {
		/* smaps ends every mapping with VmFlags; one without it after
		 * others had it was cut short.  Still report what we have. */
		if (st.any_vmflags && !st.saw_vmflags)
			stats->truncated = 1;
		return smaps_emit(&st, cb, ctx);
	}
	return 0;
}

static int
smaps_rollup_cb(const struct smaps_mapping *m, void *ctx)
{
	memcpy(ctx, m, sizeof *m);
	return 1;
}

int
smaps_parse_rollup(const char *buf, size_t len, struct smaps_mapping *out)
{
	struct smaps_stats stats;

	smaps_reset(out);
	smaps_parse(buf, len, smaps_rollup_cb, out, &stats);
	if (stats.mappings == 0)
		return -EINVAL;
	return 0;
}
