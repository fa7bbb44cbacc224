/*
 * phase_pack.c - a recorded phase kept small: its JSON object as compact
 * text, parsed again only when a file is saved or a mark printed; the
 * strings its structs point to copied into one block.  A jansson tree
 * costs ~4 KiB per process (a hash table and an allocation per member),
 * the text ~0.2 (its member names coded in a byte each): with every
 * process of the machine in phase 0 that is the difference between
 * htop's memory and several times it.
 *
 * Touches: nothing but its arguments.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

/* The code of the key at s ("\"name\":..."), or 0. */
static int
phase_pack_code(const char *s)
{
	size_t k;

	for (k = 0; k < PHASE_PACK_NCODES; k++)
		if (strncmp(s, phase_pack_keys[k],
			    strlen(phase_pack_keys[k])) == 0)
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
			r += strlen(phase_pack_keys[code - 1]);
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

/* Move a process's strings into the chain.  -ENOMEM if one could not. */
static int
phase_pack_proc(struct phase_strblk **head, struct phase_proc *pp)
{
	struct phase_region *g;
	size_t k;
	int bad = 0;

	pp->comm = phase_strs_put(head, pp->comm, &bad);
	pp->cmdline = phase_strs_put(head, pp->cmdline, &bad);
	pp->error = phase_strs_put(head, pp->error, &bad);
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
 * text instead of the tree.  Either way the phase keeps strs (strings
 * may point into it); out of memory it keeps its tree, and text is
 * freed. */
static int
phase_pack_finish(struct phase *p, char *text, struct phase_strblk *strs)
{
	int bad = 0;

	p->label = phase_strs_put(&strs, p->label, &bad);
	p->time = phase_strs_put(&strs, p->time, &bad);
	p->strs = strs;
	if (bad) {
		free(text);
		return -ENOMEM;
	}
	json_decref(p->json);
	p->json = NULL;
	p->text = text;
	return 0;
}

int
phase_pack(struct phase *p)
{
	struct phase_strblk *strs = NULL;
	char *text;
	size_t i;
	int r = 0;

	if (p->json == NULL)
		return 0;
	text = phase_pack_text(p->json);
	if (text == NULL)
		return -ENOMEM;
	for (i = 0; r == 0 && i < p->nprocs; i++)
		r = phase_pack_proc(&strs, &p->procs[i]);
	if (r == 0)
		return phase_pack_finish(p, text, strs);
	/* Out of memory: the strings that moved point into the chain,
	 * which therefore stays with the phase; the tree stays too. */
	free(text);
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
	if ((r = phase_pack_proc(&b->strs, &b->procs[b->n - 1])) < 0)
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

int
phase_build_end(struct phases *ph, struct phase_build *b, json_t *o, char *err,
		size_t errlen)
{
	static const char tail[] = "[]}";
	struct phase *p;
	char *head, *text;
	size_t hl;
	int r;

	r = phases_add_json(ph, o, "phase", err, errlen);
	if (r < 0) {
		phase_build_free(b);
		return r;
	}
	p = &ph->v[ph->n - 1];
	head = phase_pack_text(p->json);
	hl = head != NULL ? strlen(head) : 0;
	/* "processes": [] is the object's last member. */
	if (head == NULL || hl < sizeof tail - 1 ||
	    strcmp(head + hl - (sizeof tail - 1), tail) != 0 ||
	    (text = malloc(hl + b->len + 1)) == NULL) {
		free(head);
		phase_build_free(b);
		phases_drop_last(ph);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	memcpy(text, head, hl - 2); /* up to and with '[' */
	memcpy(text + hl - 2, b->txt ? b->txt : "", b->len);
	memcpy(text + hl - 2 + b->len, "]}", 3);
	free(head);
	free(p->procs);
	p->procs = b->procs;
	p->nprocs = b->n;
	r = phase_pack_finish(p, text, b->strs);
	b->procs = NULL;
	b->n = 0;
	b->strs = NULL;
	free(b->txt);
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
	char *t;
	json_t *o;

	if (p->text == NULL || (t = phase_pack_decode(p->text)) == NULL)
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
