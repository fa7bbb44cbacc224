/*
 * region.c - group smaps mappings by region type and name (the rules
 * that give a mapping its type are region_classify.c).
 *
 * Pure: reads the smaps buffer it is given, allocates only the set it
 * returns.  File mappings are first gathered as candidates keyed by
 * (name, dev, inode); once every mapping is seen, a candidate whose
 * dev:inode has an executable mapping becomes lib, the rest file.  Hash
 * tables (htab.c) keep this linear for 100,000 mappings.
 *
 * Why one file of ~620 lines: the three tables, the name pool and the
 * streaming build share one private struct region_priv; the rules are
 * region_classify.c and a built set's helpers region_set.c.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "kb.h"
#include "region.h"

#define REGION_NONE ((size_t)-1)

/* Names are copied once into chunks that never move. */
struct region_chunk {
	struct region_chunk *next;
	size_t used, size;
	char data[];
};

/* A (type, name) group being built. */
struct region_grp {
	struct region r;
	size_t name_len;
	uint64_t hash;
	size_t first; /* index of its first mapping */
};

/* A file mapping group keyed by (name, dev, inode), type still open. */
struct region_cand {
	const char *name;
	size_t name_len;
	unsigned int major, minor;
	unsigned long inode;
	uint64_t hash;
	size_t first;
	size_t ino; /* index into inos */
	unsigned flags;
	size_t count;
	struct region_fig fig;
};

/* One dev:inode among the candidates, and whether any mapping of it is
 * executable. */
struct region_ino {
	unsigned int major, minor;
	unsigned long inode;
	uint64_t hash;
	int exec;
};

struct region_priv {
	struct region_chunk *chunks;
	uint64_t seed;

	struct region_grp *grps;
	size_t n_grps, a_grps;
	struct htab grp_tab;

	struct region_cand *cands;
	size_t n_cands, a_cands;
	struct htab cand_tab;

	struct region_ino *inos;
	size_t n_inos, a_inos;
	struct htab ino_tab;

	struct region *maps; /* REGION_KEEP_MAPS only */
	size_t *map_cand;    /* per row: candidate index or REGION_NONE */
	size_t a_map_cand;
	size_t n_maps, a_maps;

	const struct region_ctx *ctx;
	int keep;
	int oom;
};

/* Sum of two kernel figures, unknown only if both are. */
static long long
region_sum2(long long a, long long b)
{
	if (a < 0 && b < 0)
		return KB_UNKNOWN;
	return (a < 0 ? 0 : a) + (b < 0 ? 0 : b);
}

static uint64_t
region_hash_dev(uint64_t h, unsigned int major, unsigned int minor,
		unsigned long inode)
{
	h = htab_mix(h ^ ((uint64_t)major << 32 | minor));
	return htab_mix(h ^ (uint64_t)inode);
}

static const char *
region_strdup(struct region_priv *p, const char *s, size_t len)
{
	struct region_chunk *c = p->chunks;
	size_t size;
	char *out;

	if (c == NULL || c->size - c->used < len + 1) {
		size = 65536;
		if (len + 1 > size / 4)
			size = len + 1;
		c = malloc(sizeof *c + size);
		if (c == NULL) {
			p->oom = 1;
			return NULL;
		}
		c->size = size;
		c->used = 0;
		if (p->chunks != NULL && size != 65536) {
			/* A one-off big chunk: keep the current one open. */
			c->next = p->chunks->next;
			p->chunks->next = c;
		} else {
			c->next = p->chunks;
			p->chunks = c;
		}
	}
	out = c->data + c->used;
	if (len > 0)
		memcpy(out, s, len);
	out[len] = '\0';
	c->used += len + 1;
	return out;
}

/* Grow an array of n elements of size sz to hold one more. */
static int
region_grow(struct region_priv *p, void **arr, size_t *alloc, size_t n,
	    size_t sz)
{
	size_t na;
	void *a;

	if (n < *alloc)
		return 0;
	na = *alloc == 0 ? 64 : *alloc * 2;
	if (na > SIZE_MAX / sz)
		goto oom;
	a = realloc(*arr, na * sz);
	if (a == NULL)
		goto oom;
	*arr = a;
	*alloc = na;
	return 0;
oom:
	p->oom = 1;
	return -1;
}

static uint64_t
region_grp_hash(const void *ctx, size_t i)
{
	return ((const struct region_priv *)ctx)->grps[i].hash;
}

static uint64_t
region_cand_hash(const void *ctx, size_t i)
{
	return ((const struct region_priv *)ctx)->cands[i].hash;
}

static uint64_t
region_ino_hash(const void *ctx, size_t i)
{
	return ((const struct region_priv *)ctx)->inos[i].hash;
}

/* What the three tables look up: a group's (type, name), a mapping's
 * (name, dev, inode) or (dev, inode). */
struct region_lookup {
	uint64_t hash;
	enum region_type type;
	const char *name;
	size_t len;
	const struct smaps_mapping *m;
};

static int
region_grp_same(const void *ctx, size_t i, const void *key)
{
	const struct region_grp *g =
		&((const struct region_priv *)ctx)->grps[i];
	const struct region_lookup *k = key;

	return g->hash == k->hash && g->r.type == k->type &&
	       g->name_len == k->len && memcmp(g->r.name, k->name, k->len) == 0;
}

static int
region_ino_same(const void *ctx, size_t i, const void *key)
{
	const struct region_ino *n =
		&((const struct region_priv *)ctx)->inos[i];
	const struct region_lookup *k = key;

	return n->hash == k->hash && n->inode == k->m->inode &&
	       n->major == k->m->dev_major && n->minor == k->m->dev_minor;
}

static int
region_cand_same(const void *ctx, size_t i, const void *key)
{
	const struct region_cand *c =
		&((const struct region_priv *)ctx)->cands[i];
	const struct region_lookup *k = key;

	return c->hash == k->hash && c->inode == k->m->inode &&
	       c->major == k->m->dev_major && c->minor == k->m->dev_minor &&
	       c->name_len == k->m->name_len &&
	       memcmp(c->name, k->m->name, k->m->name_len) == 0;
}

/* Room for one more entry in t, or out of memory noted. */
static int
region_tab_room(struct region_priv *p, struct htab *t,
		uint64_t (*hash_of)(const void *ctx, size_t i))
{
	if (htab_reserve(t, 1, hash_of, p) == 0)
		return 0;
	p->oom = 1;
	return -1;
}

/*
 * Find or add the group (type, name).  pooled, if not NULL, is an owned
 * copy of the name to use for a new group.  Returns an index or
 * REGION_NONE when out of memory.
 */
static size_t
region_grp_get(struct region_priv *p, enum region_type type, const char *name,
	       size_t len, const char *pooled, size_t first)
{
	struct region_lookup k = { 0, type, name, len, NULL };
	struct region_grp *g;
	size_t i;

	if (region_tab_room(p, &p->grp_tab, region_grp_hash) != 0)
		return REGION_NONE;
	k.hash = htab_mix(htab_hash_bytes(p->seed, name, len) ^ (unsigned)type);
	i = htab_find(&p->grp_tab, k.hash, region_grp_same, p, &k);
	if (i != HTAB_NONE) {
		g = &p->grps[i];
		if (first < g->first)
			g->first = first;
		return i;
	}

	if (pooled == NULL && (pooled = region_strdup(p, name, len)) == NULL)
		return REGION_NONE;
	if (region_grow(p, (void **)&p->grps, &p->a_grps, p->n_grps,
			sizeof *p->grps) != 0)
		return REGION_NONE;
	i = p->n_grps++;
	g = &p->grps[i];
	memset(g, 0, sizeof *g);
	g->r.type = type;
	g->r.name = pooled;
	region_fig_unknown(&g->r.fig);
	g->name_len = len;
	g->hash = k.hash;
	g->first = first;
	htab_add(&p->grp_tab, k.hash, i);
	return i;
}

static size_t
region_ino_get(struct region_priv *p, const struct smaps_mapping *m)
{
	struct region_lookup k = { 0, REGION_ANON, NULL, 0, m };
	struct region_ino *n;
	size_t i;

	if (region_tab_room(p, &p->ino_tab, region_ino_hash) != 0)
		return REGION_NONE;
	k.hash = region_hash_dev(p->seed, m->dev_major, m->dev_minor, m->inode);
	i = htab_find(&p->ino_tab, k.hash, region_ino_same, p, &k);
	if (i != HTAB_NONE)
		return i;

	if (region_grow(p, (void **)&p->inos, &p->a_inos, p->n_inos,
			sizeof *p->inos) != 0)
		return REGION_NONE;
	i = p->n_inos++;
	n = &p->inos[i];
	n->major = m->dev_major;
	n->minor = m->dev_minor;
	n->inode = m->inode;
	n->hash = k.hash;
	n->exec = 0;
	htab_add(&p->ino_tab, k.hash, i);
	return i;
}

static size_t
region_cand_get(struct region_priv *p, const struct smaps_mapping *m,
		size_t first)
{
	struct region_lookup k = { 0, REGION_FILE, NULL, 0, m };
	struct region_cand *c;
	size_t i, ino;

	if (region_tab_room(p, &p->cand_tab, region_cand_hash) != 0)
		return REGION_NONE;
	k.hash = region_hash_dev(htab_hash_bytes(p->seed, m->name, m->name_len),
				 m->dev_major, m->dev_minor, m->inode);
	i = htab_find(&p->cand_tab, k.hash, region_cand_same, p, &k);
	if (i != HTAB_NONE)
		return i;

	if ((ino = region_ino_get(p, m)) == REGION_NONE)
		return REGION_NONE;
	if (region_grow(p, (void **)&p->cands, &p->a_cands, p->n_cands,
			sizeof *p->cands) != 0)
		return REGION_NONE;
	c = &p->cands[p->n_cands];
	memset(c, 0, sizeof *c);
	if ((c->name = region_strdup(p, m->name, m->name_len)) == NULL)
		return REGION_NONE;
	i = p->n_cands++;
	c->name_len = m->name_len;
	c->major = m->dev_major;
	c->minor = m->dev_minor;
	c->inode = m->inode;
	c->hash = k.hash;
	c->first = first;
	c->ino = ino;
	region_fig_unknown(&c->fig);
	htab_add(&p->cand_tab, k.hash, i);
	return i;
}

static int
region_mapping_cb(const struct smaps_mapping *m, void *arg)
{
	struct region_priv *p = arg;
	struct region_fig fig;
	struct region *row;
	const char *name;
	size_t seq = p->n_maps, gi, ci = REGION_NONE;
	unsigned flags;
	int type;

	fig.size = m->f[SMAPS_SIZE];
	fig.rss = m->f[SMAPS_RSS];
	fig.pss = m->f[SMAPS_PSS];
	fig.private_ = region_sum2(m->f[SMAPS_PRIVATE_CLEAN],
				   m->f[SMAPS_PRIVATE_DIRTY]);
	fig.shared =
		region_sum2(m->f[SMAPS_SHARED_CLEAN], m->f[SMAPS_SHARED_DIRTY]);
	fig.swap = m->f[SMAPS_SWAP];
	fig.locked = m->f[SMAPS_LOCKED];
	flags = region_flags_of(m, p->ctx);

	type = region_classify(m, p->ctx);
	if (type != REGION_CAND) {
		gi = region_grp_get(p, (enum region_type)type,
				    m->name_len ? m->name : "", m->name_len,
				    NULL, seq);
		if (gi == REGION_NONE)
			return 1;
		p->grps[gi].r.flags |= flags;
		p->grps[gi].r.count++;
		region_fig_add(&p->grps[gi].r.fig, &fig);
		name = p->grps[gi].r.name;
	} else {
		ci = region_cand_get(p, m, seq);
		if (ci == REGION_NONE)
			return 1;
		p->cands[ci].flags |= flags;
		p->cands[ci].count++;
		region_fig_add(&p->cands[ci].fig, &fig);
		if (m->perms[2] == 'x')
			p->inos[p->cands[ci].ino].exec = 1;
		name = p->cands[ci].name;
		type = REGION_FILE; /* until resolved */
	}

	if (p->keep) {
		if (region_grow(p, (void **)&p->maps, &p->a_maps, p->n_maps,
				sizeof *p->maps) != 0)
			return 1;
		if (p->a_map_cand < p->a_maps) {
			size_t *mc =
				realloc(p->map_cand, p->a_maps * sizeof *mc);
			if (mc == NULL) {
				p->oom = 1;
				return 1;
			}
			p->map_cand = mc;
			p->a_map_cand = p->a_maps;
		}
		row = &p->maps[p->n_maps];
		memset(row, 0, sizeof *row);
		row->type = (enum region_type)type;
		row->flags = flags;
		row->name = name;
		row->count = 1;
		row->fig = fig;
		row->start = m->start;
		row->end = m->end;
		memcpy(row->perms, m->perms, sizeof row->perms);
		p->map_cand[p->n_maps] = ci;
	}
	p->n_maps++;
	return 0;
}

static int
region_grp_cmp(const void *a, const void *b)
{
	const struct region_grp *ga = a, *gb = b;

	return (ga->first > gb->first) - (ga->first < gb->first);
}

/* Free what the build needs and a finished set does not: the groups,
 * candidates and inodes with their tables. */
static void
region_priv_drop_tables(struct region_priv *p)
{
	free(p->grps);
	htab_free(&p->grp_tab);
	free(p->cands);
	htab_free(&p->cand_tab);
	free(p->inos);
	htab_free(&p->ino_tab);
	free(p->map_cand);
	p->grps = NULL;
	p->cands = NULL;
	p->inos = NULL;
	p->map_cand = NULL;
}

static void
region_priv_free(struct region_priv *p)
{
	struct region_chunk *c, *next;

	for (c = p->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	region_priv_drop_tables(p);
	free(p->maps);
	free(p);
}

/* Turn candidates into lib or file groups, then lay out the set. */
static int
region_finish(struct region_set *out, struct region_priv *p)
{
	struct region_cand *c;
	struct region_grp *g;
	struct region *r;
	size_t i, gi;
	enum region_type t;

	for (i = 0; i < p->n_cands; i++) {
		c = &p->cands[i];
		t = p->inos[c->ino].exec ? REGION_LIB : REGION_FILE;
		gi = region_grp_get(p, t, c->name, c->name_len, c->name,
				    c->first);
		if (gi == REGION_NONE)
			return -ENOMEM;
		g = &p->grps[gi];
		g->r.flags |= c->flags;
		g->r.count += c->count;
		region_fig_add(&g->r.fig, &c->fig);
	}
	for (i = 0; p->keep && i < p->n_maps; i++) {
		if (p->map_cand[i] != REGION_NONE)
			p->maps[i].type =
				p->inos[p->cands[p->map_cand[i]].ino].exec
					? REGION_LIB
					: REGION_FILE;
	}

	if (p->n_grps > 0) {
		qsort(p->grps, p->n_grps, sizeof *p->grps, region_grp_cmp);
		out->groups = malloc(p->n_grps * sizeof *out->groups);
		if (out->groups == NULL)
			return -ENOMEM;
	}
	for (i = 0; i < REGION_NTYPES; i++)
		region_fig_unknown(&out->by_type[i]);
	region_fig_unknown(&out->total);
	for (i = 0; i < p->n_grps; i++) {
		r = &out->groups[i];
		*r = p->grps[i].r;
		region_fig_add(&out->by_type[r->type], &r->fig);
		out->by_type_count[r->type] += r->count;
	}
	out->n_groups = p->n_grps;
	for (i = 0; i < REGION_NTYPES; i++) {
		/* No mapping of a type: its figures are a known zero. */
		if (out->by_type_count[i] == 0)
			memset(&out->by_type[i], 0, sizeof out->by_type[i]);
		region_fig_add(&out->total, &out->by_type[i]);
	}

	if (p->keep) {
		out->maps = p->maps;
		out->n_maps = p->n_maps;
		p->maps = NULL;
	}
	out->n_mappings = p->n_maps;

	/* The set keeps only the name chunks. */
	region_priv_drop_tables(p);
	return 0;
}

struct region_build {
	struct region_priv *p;
	struct smaps_stats stats;
	struct smaps_stream s;
};

struct region_build *
region_build_begin(const struct region_ctx *ctx, int opts)
{
	struct region_build *b;

	b = malloc(sizeof *b);
	if (b == NULL)
		return NULL;
	b->p = calloc(1, sizeof *b->p);
	if (b->p == NULL) {
		free(b);
		return NULL;
	}
	b->p->ctx = ctx;
	b->p->keep = (opts & REGION_KEEP_MAPS) != 0;
	/* ASLR makes this differ per run: no input can be built to collide
	 * every name into one bucket.  Output order does not depend on it. */
	b->p->seed = htab_mix((uint64_t)(uintptr_t)b->p);
	smaps_stream_init(&b->s, region_mapping_cb, b->p, &b->stats);
	return b;
}

int
region_build_feed(struct region_build *b, const char *buf, size_t len,
		  size_t *used)
{
	smaps_stream_feed(&b->s, buf, len, used);
	return b->p->oom ? -ENOMEM : 0;
}

void
region_build_abort(struct region_build *b)
{
	if (b == NULL)
		return;
	region_priv_free(b->p);
	free(b);
}

/* Lay out the set from a finished parse; p then belongs to out. */
static int
region_build_done(struct region_set *out, struct region_priv *p,
		  const struct smaps_stats *stats)
{
	memset(out, 0, sizeof *out);
	out->stats = *stats;
	if (p->oom || region_finish(out, p) != 0) {
		free(out->groups);
		region_priv_free(p);
		memset(out, 0, sizeof *out);
		return -ENOMEM;
	}
	out->priv_ = p;
	return 0;
}

int
region_build_end(struct region_build *b, const char *tail, size_t len,
		 struct region_set *out)
{
	int r;

	smaps_stream_end(&b->s, tail, len);
	r = region_build_done(out, b->p, &b->stats);
	free(b);
	return r;
}

int
region_set_build(struct region_set *out, const char *smaps, size_t len,
		 const struct region_ctx *ctx, int opts)
{
	struct smaps_stats stats;
	struct region_priv *p;

	memset(out, 0, sizeof *out);
	p = calloc(1, sizeof *p);
	if (p == NULL)
		return -ENOMEM;
	p->ctx = ctx;
	p->keep = (opts & REGION_KEEP_MAPS) != 0;
	p->seed = htab_mix((uint64_t)(uintptr_t)p);
	/* Whole buffer: names point into it while the parse runs. */
	smaps_parse(smaps, len, region_mapping_cb, p, &stats);
	return region_build_done(out, p, &stats);
}

void
region_set_free(struct region_set *s)
{
	if (s == NULL)
		return;
	free(s->groups);
	free(s->maps);
	free(s->keys);
	if (s->priv_ != NULL)
		region_priv_free(s->priv_);
	memset(s, 0, sizeof *s);
}
