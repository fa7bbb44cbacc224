/*
 * smaps.c - parse /proc/PID/smaps and smaps_rollup from a buffer, whole
 * or in pieces.
 *
 * Pure: touches only the buffer it is given and the caller's structs.  No
 * allocation, no stdio; numbers are parsed by hand because this runs over
 * files of 100,000 mappings (about 2.5 million lines).  The common line,
 * "Key:   N kB" with the key the kernel prints next, takes a fast path
 * that reads it once; anything else goes the general way.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kb.h"
#include "smaps.h"

static const struct {
	const char *key;
	size_t len;
} smaps_keys[SMAPS_NFIELDS] = {
#define X(id, key) { key, sizeof key - 1 },
	SMAPS_FIELDS
#undef X
};

/* Value + 1 of each hex digit; 0 for any other byte. */
static const unsigned char smaps_hextab[256] = {
	['0'] = 1,  ['1'] = 2,	['2'] = 3,  ['3'] = 4,	['4'] = 5,  ['5'] = 6,
	['6'] = 7,  ['7'] = 8,	['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12,
	['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static int
smaps_hexval(char c)
{
	return (int)smaps_hextab[(unsigned char)c] - 1;
}

/* Parse hex digits at *pp; at least one, at most maxdig.  0 or -1. */
static int
smaps_hex(const char **pp, const char *end, int maxdig, unsigned long long *out)
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

/* Spaces only, eight at a time: the kernel pads values to a column. */
static const char *
smaps_skip_blanks(const char *p, const char *end)
{
	uint64_t w;

	while (end - p >= 8) {
		memcpy(&w, p, 8);
		w ^= 0x2020202020202020ULL;
		if (w != 0) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) &&                            \
	__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/* The first byte that is not a space. */
			return p + (__builtin_ctzll(w) >> 3);
#else
			break;
#endif
		}
		p += 8;
	}
	while (p < end && *p == ' ')
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
		m->f[i] = KB_UNKNOWN;
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
smaps_bad(struct smaps_stream *st)
{
	if (st->stats->bad_lines++ == 0)
		st->stats->first_bad_line = st->line;
}

static int
smaps_find_key(struct smaps_stream *st, const char *k, size_t klen)
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
smaps_key(struct smaps_stream *st, const char *p, const char *end)
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
smaps_emit(struct smaps_stream *st)
{
	st->open = 0;
	if (st->saw_vmflags)
		st->any_vmflags = 1;
	st->stats->mappings++;
	if (st->cb != NULL)
		return st->cb(&st->m, st->ctx);
	return 0;
}

/* A header line p..eol (eol at its newline or the end). */
static int
smaps_header_line(struct smaps_stream *st, const char *p, const char *eol)
{
	struct smaps_mapping *m = &st->m;
	size_t n;
	int rc;

	if (st->open && (rc = smaps_emit(st)) != 0)
		return rc;
	if (smaps_header(m, p, eol) != 0) {
		smaps_bad(st);
		st->skipping = 1;
		return 0;
	}
	if (st->copy && m->name != NULL) {
		n = m->name_len < sizeof st->name ? m->name_len
						  : sizeof st->name - 1;
		memcpy(st->name, m->name, n);
		m->name = st->name;
		m->name_len = n;
	}
	st->open = 1;
	st->skipping = 0;
	st->saw_vmflags = 0;
	st->next_key = 0;
	return 0;
}

static int
smaps_is_keychar(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

/* Does p (with at least SMAPS_KEY_ROOM bytes) start with "Key:" for
 * field k?  Each compare has a constant length, so it is a few loads. */
#define SMAPS_KEY_ROOM 16
static int
smaps_expect(int k, const char *p)
{
	switch (k) {
#define X(id, key)                                                             \
	case SMAPS_##id:                                                       \
		return memcmp(p, key ":", sizeof key) == 0;
		SMAPS_FIELDS
#undef X
	}
	return 0;
}

/* "THPeligible: N\n" as smaps_key() takes it; NULL if it would not. */
static const char *
smaps_fast_thp(struct smaps_stream *st, const char *q, const char *nl)
{
	q = smaps_skip_spaces(q, nl);
	if (q >= nl || (*q != '0' && *q != '1'))
		return NULL;
	if (smaps_skip_spaces(q + 1, nl) != nl)
		return NULL;
	st->m.thp_eligible = *q - '0';
	return nl;
}

/*
 * The fast path for the line at p in an open mapping: "Key:<spaces>N kB\n"
 * with a known key (most often the one the kernel prints next),
 * "VmFlags: ...\n", "THPeligible: N\n" or an unknown "Key: ...\n".
 * Returns a pointer to the line's newline when it took the line, NULL to
 * leave it to the general path.  Whatever it takes, the general path
 * would take the same way: the key is letters and '_' only, so it is
 * printable, holds no ':', and the line is no header.
 */
static const char *
smaps_fast(struct smaps_stream *st, const char *p, const char *end)
{
	const char *q = p, *nl;
	unsigned long long v = 0;
	int idx, n = 0;

	idx = st->next_key < SMAPS_NFIELDS ? st->next_key : 0;
	if (end - p >= SMAPS_KEY_ROOM && smaps_expect(idx, p)) {
		st->next_key = idx + 1;
		q = p + smaps_keys[idx].len;
	} else if (end - p >= SMAPS_KEY_ROOM &&
		   (memcmp(p, "VmFlags:", 8) == 0 ||
		    memcmp(p, "THPeligible:", 12) == 0 ||
		    memcmp(p, "ProtectionKey:", 14) == 0)) {
		/* No field has these names: skip the search. */
		q = memchr(p, ':', SMAPS_KEY_ROOM);
		idx = -1;
	} else {
		while (q < end && smaps_is_keychar(*q))
			q++;
		if (q == p || q >= end || *q != ':')
			return NULL;
		idx = smaps_find_key(st, p, (size_t)(q - p));
	}
	if (idx < 0) {
		nl = memchr(q, '\n', (size_t)(end - q));
		if (nl == NULL)
			return NULL;
		if (q - p == 7 && memcmp(p, "VmFlags", 7) == 0) {
			smaps_vmflags(&st->m, q + 1, nl);
			st->saw_vmflags = 1;
			return nl;
		}
		if (q - p == 11 && memcmp(p, "THPeligible", 11) == 0)
			return smaps_fast_thp(st, q + 1, nl);
		return nl; /* an unknown key: ignored */
	}
	q = smaps_skip_blanks(q + 1, end);
	while (q < end && *q >= '0' && *q <= '9') {
		if (++n > 18)
			return NULL;
		v = v * 10 + (unsigned)(*q - '0');
		q++;
	}
	if (n == 0 || end - q < 4 || q[0] != ' ' || q[1] != 'k' ||
	    q[2] != 'B' || q[3] != '\n')
		return NULL;
	st->m.f[idx] = (long long)v;
	return q + 3;
}

static void
smaps_init(struct smaps_stream *st, smaps_cb cb, void *ctx,
	   struct smaps_stats *stats, int copy)
{
	memset(st, 0, offsetof(struct smaps_stream, name));
	st->name[0] = '\0';
	st->cb = cb;
	st->ctx = ctx;
	st->copy = copy;
	st->stats = stats != NULL ? stats : &st->local;
	memset(st->stats, 0, sizeof *st->stats);
	smaps_reset(&st->m);
}

/* Parse the complete lines of buf; *used: bytes through the last '\n'. */
static int
smaps_lines(struct smaps_stream *st, const char *buf, size_t len, size_t *used)
{
	const char *p = buf, *end = buf + len, *nl;
	int rc;

	*used = 0;
	if (st->rc != 0)
		return st->rc;
	while (p < end) {
		if (st->open && (nl = smaps_fast(st, p, end)) != NULL) {
			st->line++;
			p = nl + 1;
			continue;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			break;
		st->line++;
		if (smaps_is_header(p, nl)) {
			if ((rc = smaps_header_line(st, p, nl)) != 0) {
				st->rc = rc;
				*used = (size_t)(nl + 1 - buf);
				return rc;
			}
		} else
			smaps_key(st, p, nl);
		p = nl + 1;
	}
	*used = (size_t)(p - buf);
	return 0;
}

/* The end: a partial last line is not trusted, only noted. */
static int
smaps_finish(struct smaps_stream *st, size_t tail_len)
{
	if (st->rc != 0)
		return st->rc;
	if (tail_len > 0) {
		st->line++;
		st->stats->truncated = 1;
	}
	if (st->open) {
		/* smaps ends every mapping with VmFlags; one without it after
		 * others had it was cut short.  Still report what we have. */
		if (st->any_vmflags && !st->saw_vmflags)
			st->stats->truncated = 1;
		return st->rc = smaps_emit(st);
	}
	return 0;
}

int
smaps_parse(const char *buf, size_t len, smaps_cb cb, void *ctx,
	    struct smaps_stats *stats)
{
	struct smaps_stream st;
	size_t used;
	int rc;

	smaps_init(&st, cb, ctx, stats, 0);
	if (buf == NULL)
		return 0;
	if ((rc = smaps_lines(&st, buf, len, &used)) != 0)
		return rc;
	return smaps_finish(&st, len - used);
}

void
smaps_stream_init(struct smaps_stream *s, smaps_cb cb, void *ctx,
		  struct smaps_stats *stats)
{
	smaps_init(s, cb, ctx, stats, 1);
}

int
smaps_stream_feed(struct smaps_stream *s, const char *buf, size_t len,
		  size_t *used)
{
	return smaps_lines(s, buf, len, used);
}

int
smaps_stream_end(struct smaps_stream *s, const char *tail, size_t len)
{
	size_t used = 0;

	/* Complete lines in the tail (the caller did not feed them): now. */
	if (len > 0 && smaps_lines(s, tail, len, &used) != 0)
		return s->rc;
	return smaps_finish(s, len - used);
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
