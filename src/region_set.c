/*
 * region_set.c - what a region set is once built: type names and flags
 * as text, adding figures (unknown stays unknown), and a baseline's
 * compact keys with the lookup of one mapping's baseline RSS.  Building
 * a set from smaps is region.c.
 *
 * Pure: reads and writes only its arguments.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "kb.h"
#include "region.h"

static const char *region_type_names[REGION_NTYPES] = {
#define X(id, name) name,
	REGION_TYPES
#undef X
};

const char *
region_type_name(enum region_type t)
{
	if ((unsigned)t >= REGION_NTYPES)
		return "?";
	return region_type_names[t];
}

int
region_type_parse(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < REGION_NTYPES; i++) {
		if (strcmp(name, region_type_names[i]) == 0)
			return i;
	}
	return -1;
}

const char *
region_flags_str(unsigned flags, char buf[4])
{
	char *p = buf;

	if (flags & REGION_LOCKED)
		*p++ = 'L';
	if (flags & REGION_DELETED)
		*p++ = 'D';
	if (flags & REGION_HUGE)
		*p++ = 'H';
	*p = '\0';
	return buf;
}

void
region_fig_unknown(struct region_fig *f)
{
	f->size = f->rss = f->pss = f->private_ = f->shared = KB_UNKNOWN;
	f->swap = f->locked = KB_UNKNOWN;
}

static void
region_add1(long long *a, long long b)
{
	if (b < 0)
		return;
	if (*a < 0)
		*a = b;
	else
		*a += b;
}

void
region_fig_add(struct region_fig *a, const struct region_fig *b)
{
	region_add1(&a->size, b->size);
	region_add1(&a->rss, b->rss);
	region_add1(&a->pss, b->pss);
	region_add1(&a->private_, b->private_);
	region_add1(&a->shared, b->shared);
	region_add1(&a->swap, b->swap);
	region_add1(&a->locked, b->locked);
}

void
region_set_drop_maps(struct region_set *s)
{
	free(s->maps);
	s->maps = NULL;
	s->n_maps = 0;
}

int
region_set_compact(struct region_set *s)
{
	struct region_key *k;
	size_t i;

	if (s->maps == NULL)
		return 0;
	k = malloc((s->n_maps ? s->n_maps : 1) * sizeof *k);
	if (k == NULL)
		return -ENOMEM;
	for (i = 0; i < s->n_maps; i++) {
		k[i].start = s->maps[i].start;
		k[i].rss = s->maps[i].fig.rss;
		k[i].name = s->maps[i].name;
		k[i].type = s->maps[i].type;
	}
	free(s->keys);
	s->keys = k;
	s->n_keys = s->n_maps;
	region_set_drop_maps(s);
	return 0;
}

int
region_base_rss(const struct region_set *base, const struct region *r,
		long long *rss)
{
	size_t lo = 0, hi, mid;
	unsigned long start;
	const char *name;
	enum region_type type;

	hi = base->maps != NULL ? base->n_maps : base->n_keys;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (base->maps != NULL) {
			start = base->maps[mid].start;
			name = base->maps[mid].name;
			type = base->maps[mid].type;
			*rss = base->maps[mid].fig.rss;
		} else {
			start = base->keys[mid].start;
			name = base->keys[mid].name;
			type = base->keys[mid].type;
			*rss = base->keys[mid].rss;
		}
		if (start == r->start)
			return type == r->type && strcmp(name, r->name) == 0;
		if (start < r->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}
