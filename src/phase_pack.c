/*
 * phase_pack.c - a recorded phase kept small: its JSON object as compact
 * text, deflated, inflated and parsed again only when a file is saved or
 * a mark printed; the strings its structs point to copied into one
 * block.  A jansson tree costs ~4 KiB per process (a hash table and an
 * allocation per member), the coded text ~0.4 (its member names coded in
 * a byte each), deflated ~0.01-0.1 (the processes of a machine repeat
 * their members, cgroups and command lines): with every process of the
 * machine in phase 0 that is the difference between htop's memory and
 * several times it.
 *
 * Touches: nothing but its arguments.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "phase.h"

/*
 * The members every process of a phase repeats, each stored as one byte
 * of 0x01-0x1f: JSON text never holds those bytes raw (jansson escapes
 * control characters in strings), so the code is lossless.  "\"key\":"
 * becomes the byte; a phase of 5,000 processes keeps ~1.5 MB less.
 */
/* clang-format off */
static const char *const phase_pack_keys[] = {
	"\"pid\":", "\"ppid\":", "\"start_time\":", "\"uid\":", "\"comm\":",
	"\"cmdline\":", "\"depth\":", "\"error\":", "\"by_type\":",
	/* json_proc()'s figures: "NAME_kb" and "NAME_delta_kb" each. */
#define X(f, name) "\"" name "_kb\":", "\"" name "_delta_kb\":",
	PROC_FIGS
#undef X
};
/* clang-format on */
#define PHASE_PACK_NKEYS (sizeof phase_pack_keys / sizeof phase_pack_keys[0])
/* Codes 0x01-0x1f: names past the 31st (a figure added to PROC_FIGS)
 * stay as they are, which costs bytes, not correctness. */
#define PHASE_PACK_NCODES (PHASE_PACK_NKEYS < 0x1f ? PHASE_PACK_NKEYS : 0x1f)

/* The code of the key at s ("\"name\":..."), or 0.  Only the keys
 * whose first letter is s[1] are compared (this runs at every member of
 * every process of a phase: 25 members, 31 keys). */
static int
phase_pack_code(const char *s)
{
	static size_t len[PHASE_PACK_NCODES];
	size_t k;

	if (len[0] == 0)
		for (k = 0; k < PHASE_PACK_NCODES; k++)
			len[k] = strlen(phase_pack_keys[k]);
	for (k = 0; k < PHASE_PACK_NCODES; k++)
		if (phase_pack_keys[k][1] == s[1] &&
		    strncmp(s, phase_pack_keys[k], len[k]) == 0)
			return (int)k + 1;
	return 0;
}

/* Replace the keys of the compact JSON text t with their codes, in
 * place.  A key is recognised only where a member name can start (after
 * '{' or ','), never inside a string value. */
static void
phase_pack_encode(char *t)
{
	char *w = t, *r = t;
	int code, in_str = 0;

	while (*r != '\0') {
		if (!in_str && (r == t || r[-1] == '{' || r[-1] == ',') &&
		    *r == '"' && (code = phase_pack_code(r)) != 0) {
			r += strlen(phase_pack_keys[code - 1]); /* short */
			*w++ = (char)code;
			continue;
		}
		if (*r == '"')
			in_str = !in_str;
		else if (in_str && *r == '\\' && r[1] != '\0')
			*w++ = *r++; /* the escaped character: not a quote */
		*w++ = *r++;
	}
	*w = '\0';
}

/* The text t with its codes expanded again; malloc'd, or NULL. */
static char *
phase_pack_decode(const char *t)
{
	const unsigned char *r;
	size_t n = 0;
	char *out, *w;

	for (r = (const unsigned char *)t; *r != '\0'; r++)
		n += *r >= 1 && *r <= PHASE_PACK_NCODES
			     ? strlen(phase_pack_keys[*r - 1])
			     : 1;
	out = malloc(n + 1);
	if (out == NULL)
		return NULL;
	w = out;
	for (r = (const unsigned char *)t; *r != '\0'; r++) {
		if (*r >= 1 && *r <= PHASE_PACK_NCODES) {
			n = strlen(phase_pack_keys[*r - 1]);
			memcpy(w, phase_pack_keys[*r - 1], n);
			w += n;
		} else {
			*w++ = (char)*r;
		}
	}
	*w = '\0';
	return out;
}

/* A deflate stream into a growing buffer. */
struct phase_zip {
	z_stream z;
	unsigned char *out;
	size_t cap;
	int on; /* deflateInit done */
};

static int
phase_zip_start(struct phase_zip *zp)
{
	memset(zp, 0, sizeof *zp);
	if (deflateInit(&zp->z, Z_BEST_SPEED) != Z_OK)
		return -ENOMEM;
	zp->on = 1;
	return 0;
}

static void
phase_zip_free(struct phase_zip *zp)
{
	if (zp->on)
		deflateEnd(&zp->z);
	free(zp->out);
	memset(zp, 0, sizeof *zp);
}

/* Room for more output: the buffer doubled. */
static int
phase_zip_grow(struct phase_zip *zp)
{
	size_t used = zp->cap - zp->z.avail_out,
	       cap = zp->cap ? zp->cap * 2 : 16384;
	unsigned char *o;

	o = realloc(zp->out, cap);
	if (o == NULL)
		return -ENOMEM;
	zp->out = o;
	zp->cap = cap;
	zp->z.next_out = o + used;
	zp->z.avail_out = (uInt)(cap - used);
	return 0;
}

/* Deflate n bytes of s; with finish, end the stream. */
static int
phase_zip_put(struct phase_zip *zp, const char *s, size_t n, int finish)
{
	size_t k;
	int r = Z_OK, flush;

	do {
		k = n < (1u << 30) ? n : (1u << 30);
		zp->z.next_in = (Bytef *)(uintptr_t)s;
		zp->z.avail_in = (uInt)k;
		s += k;
		n -= k;
		flush = finish && n == 0 ? Z_FINISH : Z_NO_FLUSH;
		for (;;) {
			if (zp->z.avail_out == 0 && phase_zip_grow(zp) < 0)
				return -ENOMEM;
			r = deflate(&zp->z, flush);
			if (r == Z_STREAM_ERROR)
				return -EIO;
			if (flush == Z_FINISH ? r == Z_STREAM_END
					      : zp->z.avail_in == 0)
				break;
		}
	} while (n > 0);
	return 0;
}

/* The finished stream as p's text (len: the coded text's bytes). */
static void
phase_zip_take(struct phase_zip *zp, struct phase *p, size_t len)
{
	unsigned char *t;

	p->text_n = zp->cap - zp->z.avail_out;
	p->text_len = len;
	t = realloc(zp->out, p->text_n ? p->text_n : 1);
	p->text = t != NULL ? t : zp->out; /* give back what it saved */
	zp->out = NULL;
	phase_zip_free(zp);
}

/* The coded text of p, inflated; malloc'd, or NULL. */
static char *
phase_unzip(const struct phase *p)
{
	z_stream z;
	char *t;
	int r;

	/* zlib counts in uInt: a phase is far below 4 GiB of text. */
	if (p->text == NULL || p->text_n > UINT_MAX || p->text_len > UINT_MAX ||
	    (t = malloc(p->text_len + 1)) == NULL)
		return NULL;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK) {
		free(t);
		return NULL;
	}
	z.next_in = p->text;
	z.avail_in = (uInt)p->text_n;
	z.next_out = (Bytef *)t;
	z.avail_out = (uInt)p->text_len;
	r = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	if (r != Z_STREAM_END || z.total_out != p->text_len) {
		free(t);
		return NULL;
	}
	t[p->text_len] = '\0';
	return t;
}

/* Strings of a packed phase: blocks that never move once filled. */
struct phase_strblk {
	struct phase_strblk *next;
	size_t used, cap;
	char data[];
};
#define PHASE_STRBLK (64 * 1024)

void
phase_strs_free(struct phase_strblk *b)
{
	struct phase_strblk *n;

	for (; b != NULL; b = n) {
		n = b->next;
		free(b);
	}
}

/* A copy of s in the chain *head (NULL stays NULL); *bad set when out
 * of memory (then s itself is returned, still valid for the caller). */
static const char *
phase_strs_put(struct phase_strblk **head, const char *s, int *bad)
{
	struct phase_strblk *b = *head;
	size_t n, cap;
	char *d;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	if (b == NULL || b->cap - b->used < n) {
		cap = n > PHASE_STRBLK ? n : PHASE_STRBLK;
		b = malloc(sizeof *b + cap);
		if (b == NULL) {
			*bad = 1;
			return s;
		}
		b->next = *head;
		b->used = 0;
		b->cap = cap;
		*head = b;
	}
	d = b->data + b->used;
	memcpy(d, s, n);
	b->used += n;
	return d;
}

/* s in the chain: the previous process's copy when it is the same (the
 * children of a parent are often one program), else a new one. */
static const char *
phase_strs_share(struct phase_strblk **head, const char *s, const char *prev,
		 int *bad)
{
	if (s != NULL && prev != NULL && strcmp(s, prev) == 0)
		return prev;
	return phase_strs_put(head, s, bad);
}

/* Move a process's strings into the chain (prev: the process before it,
 * already moved, or NULL).  -ENOMEM if one could not. */
static int
phase_pack_proc(struct phase_strblk **head, struct phase_proc *pp,
		const struct phase_proc *prev)
{
	struct phase_region *g;
	size_t k;
	int bad = 0;

	pp->comm = phase_strs_share(head, pp->comm, prev ? prev->comm : NULL,
				    &bad);
	pp->cmdline = phase_strs_share(head, pp->cmdline,
				       prev ? prev->cmdline : NULL, &bad);
	pp->error = phase_strs_share(head, pp->error, prev ? prev->error : NULL,
				     &bad);
	for (k = 0; k < pp->nregions; k++) {
		g = &pp->regions[k];
		g->name = phase_strs_put(head, g->name, &bad);
		g->flags = phase_strs_put(head, g->flags, &bad);
	}
	return bad ? -ENOMEM : 0;
}

/* Compact, coded text of o; malloc'd, or NULL. */
static char *
phase_pack_text(const json_t *o)
{
	char *text, *t;

	text = json_dumps(o, JSON_COMPACT);
	if (text == NULL)
		return NULL;
	phase_pack_encode(text);
	t = realloc(text, strlen(text) + 1); /* give back what it saved */
	return t != NULL ? t : text;
}

/* The phase's own strings (label, time) into its chain strs, then the
 * deflated text zp (of len coded bytes) instead of the tree.  Either way
 * the phase keeps strs (strings may point into it); out of memory it
 * keeps its tree, and zp is freed. */
static int
phase_pack_finish(struct phase *p, struct phase_zip *zp, size_t len,
		  struct phase_strblk *strs)
{
	int bad = 0;

	p->label = phase_strs_put(&strs, p->label, &bad);
	p->time = phase_strs_put(&strs, p->time, &bad);
	p->strs = strs;
	if (bad) {
		phase_zip_free(zp);
		return -ENOMEM;
	}
	json_decref(p->json);
	p->json = NULL;
	phase_zip_take(zp, p, len);
	return 0;
}

int
phase_pack(struct phase *p)
{
	struct phase_strblk *strs = NULL;
	struct phase_zip zp;
	char *text;
	size_t i, len;
	int r = 0;

	if (p->json == NULL)
		return 0;
	text = phase_pack_text(p->json);
	if (text == NULL)
		return -ENOMEM;
	len = strlen(text);
	r = phase_zip_start(&zp);
	if (r == 0 && (r = phase_zip_put(&zp, text, len, 1)) < 0)
		phase_zip_free(&zp);
	free(text);
	if (r < 0)
		return r;
	for (i = 0; r == 0 && i < p->nprocs; i++)
		r = phase_pack_proc(&strs, &p->procs[i],
				    i > 0 ? &p->procs[i - 1] : NULL);
	if (r == 0)
		return phase_pack_finish(p, &zp, len, strs);
	/* Out of memory: the strings that moved point into the chain,
	 * which therefore stays with the phase; the tree stays too. */
	phase_zip_free(&zp);
	p->strs = strs;
	return r;
}

/* Append n bytes of s to the builder's text. */
static int
phase_build_put(struct phase_build *b, const char *s, size_t n)
{
	size_t cap;
	char *t;

	if (b->tcap - b->len < n + 1) {
		cap = b->tcap ? b->tcap : 65536;
		while (cap - b->len < n + 1)
			cap *= 2;
		t = realloc(b->txt, cap);
		if (t == NULL)
			return -ENOMEM;
		b->txt = t;
		b->tcap = cap;
	}
	memcpy(b->txt + b->len, s, n);
	b->len += n;
	b->txt[b->len] = '\0';
	return 0;
}

int
phase_build_add(struct phase_build *b, const json_t *po, char *err,
		size_t errlen)
{
	struct phase_proc *v;
	char where[64], *text;
	size_t cap;
	int r;

	if (b->n == b->cap) {
		cap = b->cap ? b->cap * 2 : 64;
		v = realloc(b->procs, cap * sizeof *v);
		if (v == NULL)
			return -ENOMEM;
		b->procs = v;
		b->cap = cap;
	}
	snprintf(where, sizeof where, "phase.processes[%zu]", b->n);
	memset(&b->procs[b->n], 0, sizeof b->procs[b->n]);
	r = phase_proc_json(po, where, &b->procs[b->n], err, errlen);
	b->n++; /* freed with the others, whatever it holds */
	if (r < 0)
		return r;
	if ((r = phase_pack_proc(&b->strs, &b->procs[b->n - 1],
				 b->n > 1 ? &b->procs[b->n - 2] : NULL)) < 0)
		return r;
	text = phase_pack_text(po);
	if (text == NULL)
		return -ENOMEM;
	r = phase_build_put(b, ",", b->n > 1 ? 1 : 0);
	if (r == 0)
		r = phase_build_put(b, text, strlen(text));
	free(text);
	return r;
}

void
phase_build_free(struct phase_build *b)
{
	struct phase tmp;

	memset(&tmp, 0, sizeof tmp);
	tmp.procs = b->procs;
	tmp.nprocs = b->n;
	tmp.strs = b->strs;
	phase_free(&tmp);
	free(b->txt);
	memset(b, 0, sizeof *b);
}

/* The phase object's coded text head (its "processes" member is an
 * empty array, the last), then the processes b gathered: deflated into
 * zp.  0, or -ENOMEM. */
static int
phase_build_zip(struct phase_zip *zp, const char *head,
		const struct phase_build *b, size_t *len)
{
	static const char tail[] = "[]}";
	size_t hl = strlen(head);
	int r;

	/* "processes": [] is the object's last member. */
	if (hl < sizeof tail - 1 ||
	    strcmp(head + hl - (sizeof tail - 1), tail) != 0)
		return -ENOMEM;
	if ((r = phase_zip_start(zp)) < 0)
		return r;
	*len = hl - 2 + b->len + 2;
	/* Up to and with '[', the processes, "]}". */
	if ((r = phase_zip_put(zp, head, hl - 2, 0)) < 0 ||
	    (r = phase_zip_put(zp, b->txt ? b->txt : "", b->len, 0)) < 0 ||
	    (r = phase_zip_put(zp, "]}", 2, 1)) < 0)
		phase_zip_free(zp);
	return r;
}

int
phase_build_end(struct phases *ph, struct phase_build *b, json_t *o, char *err,
		size_t errlen)
{
	struct phase_zip zp;
	struct phase *p;
	char *head;
	size_t len = 0;
	int r;

	r = phases_add_json(ph, o, "phase", err, errlen);
	if (r < 0) {
		phase_build_free(b);
		return r;
	}
	p = &ph->v[ph->n - 1];
	head = phase_pack_text(p->json);
	if (head == NULL || phase_build_zip(&zp, head, b, &len) < 0) {
		free(head);
		phase_build_free(b);
		phases_drop_last(ph);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	free(head);
	free(b->txt); /* now in zp */
	b->txt = NULL;
	free(p->procs);
	/* The builder's array doubled: give back what it did not use. */
	p->procs = b->n > 0 ? realloc(b->procs, b->n * sizeof *b->procs) : NULL;
	if (p->procs == NULL)
		p->procs = b->procs;
	p->nprocs = b->n;
	r = phase_pack_finish(p, &zp, len, b->strs);
	b->procs = NULL;
	b->n = 0;
	b->strs = NULL;
	memset(b, 0, sizeof *b);
	if (r < 0) { /* its strings could not move: not kept */
		phases_drop_last(ph);
		snprintf(err, errlen, "out of memory");
	}
	return r;
}

/* The packed text parsed (a name may hold a NUL byte, \u0000 in the
 * text: jansson wrote it, so jansson may read it). */
static json_t *
phase_unpack(const struct phase *p)
{
	char *t, *z;
	json_t *o;

	if ((z = phase_unzip(p)) == NULL)
		return NULL;
	t = phase_pack_decode(z);
	free(z);
	if (t == NULL)
		return NULL;
	o = json_loads(t, JSON_ALLOW_NUL, NULL);
	free(t);
	return o;
}

json_t *
phase_json(const struct phase *p)
{
	return p->json != NULL ? json_incref(p->json) : phase_unpack(p);
}

json_t *
phase_json_copy(const struct phase *p)
{
	return p->json != NULL ? json_deep_copy(p->json) : phase_unpack(p);
}
