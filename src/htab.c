/*
 * htab.c - the one small hash table (htab.h): open addressing with
 * linear probing over entry indices.
 *
 * Touches: nothing but its arguments.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "htab.h"

uint64_t
htab_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t
htab_hash_bytes(uint64_t seed, const void *s, size_t len)
{
	const unsigned char *b = s;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

int
htab_reserve(struct htab *t, size_t more,
	     uint64_t (*hash_of)(const void *ctx, size_t i), const void *ctx)
{
	size_t cap = t->slots == NULL ? 0 : t->mask + 1, ncap, i, j, *ns;

	if (more > SIZE_MAX / 4 - t->used)
		return -ENOMEM;
	if (t->slots != NULL && (t->used + more) * 2 <= cap)
		return 0;
	ncap = cap == 0 ? 64 : cap * 2;
	while ((t->used + more) * 2 > ncap)
		ncap *= 2;
	if (ncap > SIZE_MAX / sizeof *ns)
		return -ENOMEM;
	ns = calloc(ncap, sizeof *ns);
	if (ns == NULL)
		return -ENOMEM;
	for (i = 0; i < cap; i++) {
		if (t->slots[i] == 0)
			continue;
		j = (size_t)hash_of(ctx, t->slots[i] - 1) & (ncap - 1);
		while (ns[j] != 0)
			j = (j + 1) & (ncap - 1);
		ns[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = ns;
	t->mask = ncap - 1;
	return 0;
}

size_t
htab_find(const struct htab *t, uint64_t h,
	  int (*same)(const void *ctx, size_t i, const void *key),
	  const void *ctx, const void *key)
{
	size_t j;

	if (t->slots == NULL)
		return HTAB_NONE;
	for (j = (size_t)h & t->mask; t->slots[j] != 0; j = (j + 1) & t->mask)
		if (same(ctx, t->slots[j] - 1, key))
			return t->slots[j] - 1;
	return HTAB_NONE;
}

void
htab_add(struct htab *t, uint64_t h, size_t i)
{
	size_t j;

	for (j = (size_t)h & t->mask; t->slots[j] != 0; j = (j + 1) & t->mask)
		;
	t->slots[j] = i + 1;
	t->used++;
}

void
htab_free(struct htab *t)
{
	free(t->slots);
	t->slots = NULL;
	t->mask = 0;
	t->used = 0;
}
