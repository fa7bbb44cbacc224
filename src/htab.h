/*
 * htab.h - the one small hash table: open addressing over indices into
 * an array the caller owns.  The table holds only "entry i" (as i + 1;
 * 0 is an empty slot); the caller keeps the entries, their keys and,
 * where it wants, their hashes.  Used for region groups, file
 * candidates and inodes (region.c) and for the pid index of a sample
 * (model.c).
 *
 * The table owns its slots; htab_free() releases them.  Nothing here
 * prints.
 */
#ifndef RAMTOP_HTAB_H
#define RAMTOP_HTAB_H

#include <stddef.h>
#include <stdint.h>

#define HTAB_NONE ((size_t)-1)

struct htab {
	size_t *slots; /* entry index + 1; 0 empty */
	size_t mask;   /* capacity - 1, a power of two */
	size_t used;
};

/* A 64-bit finaliser (splitmix/murmur3) and FNV-1a over bytes. */
uint64_t htab_mix(uint64_t h);
uint64_t htab_hash_bytes(uint64_t seed, const void *s, size_t len);

/*
 * Make room for `more` entries beyond those in the table (load kept at
 * a half or less).  hash_of(ctx, i) is called for the entries already
 * in.  Returns 0 or -ENOMEM (the table is then unchanged).
 */
int htab_reserve(struct htab *t, size_t more,
		 uint64_t (*hash_of)(const void *ctx, size_t i),
		 const void *ctx);

/* The index of the entry with hash h for which same() says yes, or
 * HTAB_NONE. */
size_t htab_find(const struct htab *t, uint64_t h,
		 int (*same)(const void *ctx, size_t i, const void *key),
		 const void *ctx, const void *key);

/* Add entry i with hash h; htab_reserve() must have made room. */
void htab_add(struct htab *t, uint64_t h, size_t i);

void htab_free(struct htab *t);

#endif
