/*
 * phase_pack.c - a recorded phase kept small: its JSON object as compact
 * text, parsed again only when a file is saved or a mark printed; the
 * strings its structs point to copied into one block.  A jansson tree
 * costs ~4 KiB per process (a hash table and an allocation per member),
 * the text ~0.6: with every process of the machine in phase 0 that is
 * the difference between htop's memory and four times it.
 *
 * Touches: nothing but its arguments.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "phase.h"

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
	return p->text != NULL ? json_loads(p->text, JSON_ALLOW_NUL, NULL)
			       : NULL;
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
