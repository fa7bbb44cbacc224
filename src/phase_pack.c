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
static const char *const phase_pack_keys[] = {
	"\"pid\":", "\"ppid\":", "\"start_time\":", "\"uid\":", "\"comm\":",
	"\"cmdline\":", "\"depth\":", "\"rss_kb\":", "\"rss_delta_kb\":",
	"\"pss_kb\":", "\"pss_delta_kb\":", "\"uss_kb\":", "\"uss_delta_kb\":",
	"\"anon_kb\":", "\"anon_delta_kb\":", "\"file_kb\":",
	"\"file_delta_kb\":", "\"shmem_kb\":", "\"shmem_delta_kb\":",
	"\"swap_kb\":", "\"swap_delta_kb\":", "\"swap_pss_kb\":",
	"\"swap_pss_delta_kb\":", "\"locked_kb\":", "\"locked_delta_kb\":",
	"\"vsz_kb\":", "\"vsz_delta_kb\":", "\"hwm_kb\":", "\"hwm_delta_kb\":",
	"\"error\":", "\"by_type\":",
};
#define PHASE_PACK_NKEYS (sizeof phase_pack_keys / sizeof phase_pack_keys[0])

/* The code of the key at s ("\"name\":..."), or 0. */
static int
phase_pack_code(const char *s)
{
	size_t k;

	for (k = 0; k < PHASE_PACK_NKEYS; k++)
		if (strncmp(s, phase_pack_keys[k], strlen(phase_pack_keys[k])) ==
		    0)
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
			*w++ = *r++;	/* the escaped character: not a quote */
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
		n += *r >= 1 && *r <= PHASE_PACK_NKEYS
			     ? strlen(phase_pack_keys[*r - 1])
			     : 1;
	out = malloc(n + 1);
	if (out == NULL)
		return NULL;
	w = out;
	for (r = (const unsigned char *)t; *r != '\0'; r++) {
		if (*r >= 1 && *r <= PHASE_PACK_NKEYS) {
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

/* Room for s in the block (0 for NULL). */
static size_t
phase_pack_len(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

/* Copy s to *at and return the copy (NULL stays NULL). */
static const char *
phase_pack_put(char **at, const char *s)
{
	size_t n;
	char *d = *at;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	memcpy(d, s, n);
	*at += n;
	return d;
}

static size_t
phase_pack_need(const struct phase *p)
{
	const struct phase_proc *pp;
	size_t i, k, n;

	n = phase_pack_len(p->label) + phase_pack_len(p->time);
	for (i = 0; i < p->nprocs; i++) {
		pp = &p->procs[i];
		n += phase_pack_len(pp->comm) + phase_pack_len(pp->cmdline) +
		     phase_pack_len(pp->error);
		for (k = 0; k < pp->nregions; k++)
			n += phase_pack_len(pp->regions[k].name) +
			     phase_pack_len(pp->regions[k].flags);
	}
	return n;
}

int
phase_pack(struct phase *p)
{
	struct phase_proc *pp;
	struct phase_region *g;
	char *text, *strs, *at;
	size_t i, k;

	if (p->json == NULL)
		return 0;
	text = json_dumps(p->json, JSON_COMPACT);
	strs = malloc(phase_pack_need(p) + 1);
	if (text == NULL || strs == NULL) {
		free(text);
		free(strs);
		return -ENOMEM;
	}
	phase_pack_encode(text);
	at = realloc(text, strlen(text) + 1);	/* give back what it saved */
	if (at != NULL)
		text = at;
	at = strs;
	p->label = phase_pack_put(&at, p->label);
	p->time = phase_pack_put(&at, p->time);
	for (i = 0; i < p->nprocs; i++) {
		pp = &p->procs[i];
		pp->comm = phase_pack_put(&at, pp->comm);
		pp->cmdline = phase_pack_put(&at, pp->cmdline);
		pp->error = phase_pack_put(&at, pp->error);
		for (k = 0; k < pp->nregions; k++) {
			g = &pp->regions[k];
			g->name = phase_pack_put(&at, g->name);
			g->flags = phase_pack_put(&at, g->flags);
		}
	}
	json_decref(p->json);
	p->json = NULL;
	p->text = text;
	p->strs = strs;
	return 0;
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
