/*
 * phase.c - the phase list: owning and freeing it, summaries for the
 * phases panel, and lookups (a phase by label or number, a process's
 * last figures for "since last mark").  Labels are in phase_label.c,
 * JSON -> structs in phase_json.c, marking in phase_mark.c, the diff in
 * phase_diff.c.
 *
 * Touches: nothing but its arguments.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "phase.h"

void
phases_init(struct phases *ph)
{
	memset(ph, 0, sizeof *ph);
}

void
phase_free(struct phase *p)
{
	size_t i;

	for (i = 0; i < p->nprocs; i++) {
		free(p->procs[i].regions);
		free(p->procs[i].by_type);
	}
	free(p->procs);
	json_decref(p->json);
	free(p->text);
	phase_strs_free(p->strs);
	memset(p, 0, sizeof *p);
}

void
phases_drop_last(struct phases *ph)
{
	if (ph->n > 0)
		phase_free(&ph->v[--ph->n]);
}

void
phases_free(struct phases *ph)
{
	size_t i;

	for (i = 0; i < ph->n; i++)
		phase_free(&ph->v[i]);
	free(ph->v);
	memset(ph, 0, sizeof *ph);
}

int
phase_region_cmp(const void *x, const void *y)
{
	const struct phase_region *a = x, *b = y;

	if (a->type != b->type)
		return (int)a->type - (int)b->type;
	return strcmp(a->name, b->name);
}

const struct phase *
phase_get(const struct phases *ph, size_t i)
{
	return i < ph->n ? &ph->v[i] : NULL;
}

/* ---- summaries and lookups ------------------------------------------- */

int
phase_summary(const struct phases *ph, size_t i, struct phase_summary *out)
{
	const struct phase *p, *prev, *base;
	int t;

	if (i >= ph->n)
		return -ERANGE;
	p = &ph->v[i];
	prev = i > 0 ? &ph->v[i - 1] : p;
	base = &ph->v[0];
	memset(out, 0, sizeof *out);
	out->index = p->index;
	out->label = p->label;
	out->time = p->time;
	out->elapsed_s = p->elapsed_s;
	out->rss = p->rss;
	out->pss = p->pss;
	out->peak_rss = p->peak_rss;
	out->rss_prev = kb_delta(p->rss, prev->rss);
	out->pss_prev = kb_delta(p->pss, prev->pss);
	out->rss_base = kb_delta(p->rss, base->rss);
	out->pss_base = kb_delta(p->pss, base->pss);
	out->has_by_type = p->has_by_type;
	for (t = 0; t < REGION_NTYPES; t++)
		out->rss_by_type[t] =
			p->has_by_type ? p->by_type[t].rss : KB_UNKNOWN;
	out->nprocs = p->nprocs;
	return 0;
}

static int
phase_is_index(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

long
phase_find(const struct phases *ph, const char *key, char *err, size_t errlen)
{
	long found = -1;
	size_t i, n = 0;
	long long idx;

	/* "label:2024": the label "2024", not phase 2024. */
	if (strncmp(key, "label:", 6) == 0)
		key += 6;
	else if (phase_is_index(key)) {
		idx = strtoll(key, NULL, 10);
		for (i = 0; i < ph->n; i++)
			if (ph->v[i].index == idx)
				return (long)i;
		snprintf(err, errlen,
			 "there is no phase %s (phases are 0 to %ld; for the "
			 "label \"%s\" say label:%s)",
			 key, ph->n ? ph->v[ph->n - 1].index : 0L, key, key);
		return -ENOENT;
	}
	for (i = 0; i < ph->n; i++) {
		if (strcmp(ph->v[i].label, key) == 0) {
			if (found < 0)
				found = (long)i;
			n++;
		}
	}
	if (n == 1)
		return found;
	if (n == 0) {
		snprintf(err, errlen, "there is no phase labelled \"%.64s\"",
			 key);
		return -ENOENT;
	}
	snprintf(err, errlen,
		 "%zu phases are labelled \"%.64s\" (the first is %ld); "
		 "give the index instead",
		 n, key, ph->v[found].index);
	return -EINVAL;
}

const struct phase_proc *
phase_last_proc(const struct phases *ph, int pid, unsigned long long start_time)
{
	const struct phase *p;
	size_t i;

	if (ph->n == 0)
		return NULL;
	p = &ph->v[ph->n - 1];
	for (i = 0; i < p->nprocs; i++)
		if (p->procs[i].pid == pid &&
		    p->procs[i].start_time == start_time)
			return &p->procs[i];
	return NULL;
}

const struct phase_region *
phase_proc_region(const struct phase_proc *pp, enum region_type type,
		  const char *name)
{
	struct phase_region key;
	const struct phase_region *g;
	size_t len;
	char *enc;

	if (pp == NULL || pp->nregions == 0)
		return NULL;
	/* A phase holds names as the JSON encodes them (json_bytes). */
	len = strlen(name);
	enc = malloc(len * 4 + 1);
	if (enc == NULL)
		return NULL;
	json_bytes_encode(enc, name, len);
	key.type = type;
	key.name = enc;
	g = bsearch(&key, pp->regions, pp->nregions, sizeof key,
		    phase_region_cmp);
	free(enc);
	return g;
}
