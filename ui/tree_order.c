/*
 * tree_order.c - the order of the process list: the tree with each
 * process's children sorted by the chosen column (htop's way), or a
 * flat list sorted the same way; kernel threads hidden unless asked for;
 * the filter and the user keep their matches and the matches' parents.
 *
 * Touches: t->rows and t->list, read only.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui.h"

/* A figure of a row for sorting; unknown sorts after every known one. */
static long long
order_fig(const struct tui_row *r, int col)
{
	long long v;

	if (col == TC_DRSS) {
		v = kb_delta(r->now->rss, r->base_rss);
		return v == KB_UNKNOWN ? KB_UNKNOWN : llabs(v);
	}
	v = tree_col_fig(r, col);
	if (!tree_col_is_size(col))
		return v; /* KB_UNKNOWN: sorted last */
	return v < 0 ? KB_UNKNOWN : v;
}

static const char *
order_name(const struct tui_row *r)
{
	return r->cmdline != NULL && r->cmdline[0] != '\0' ? r->cmdline
							   : r->comm;
}

/* qsort has no context argument: the one sort runs at a time. */
static const struct tui *order_t;

static int
order_cmp(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, k = *(const size_t *)b;
	const struct tui_row *x = &order_t->rows[i], *y = &order_t->rows[k];
	const struct tui_list *l = &order_t->list;
	long long fx, fy;
	int c = 0;

	if (l->sort == TC_PID) {
		c = (x->pid > y->pid) - (x->pid < y->pid);
	} else if (l->sort == TC_CMD) {
		c = strcmp(order_name(x), order_name(y));
	} else {
		fx = order_fig(x, l->sort);
		fy = order_fig(y, l->sort);
		/* Unknown last, whichever way. */
		if ((fx == KB_UNKNOWN) != (fy == KB_UNKNOWN))
			return fx == KB_UNKNOWN ? 1 : -1;
		c = (fx > fy) - (fx < fy);
	}
	if (l->desc)
		c = -c;
	if (c == 0)
		c = (i > k) - (i < k);
	return c;
}

int
tree_row_matches(const struct tui_row *r, const char *s)
{
	if (s[0] == '\0')
		return 1;
	if (r->cmdline != NULL && strcasestr(r->cmdline, s) != NULL)
		return 1;
	return strcasestr(r->comm, s) != NULL;
}

/* Which rows are kept: 1 shown, 0 not.  parent[] from the depths. */
static void
order_keep(const struct tui *t, const long *parent, unsigned char *keep)
{
	const struct tui_list *l = &t->list;
	size_t i;
	long p;

	for (i = 0; i < t->nrows; i++)
		keep[i] = 0;
	for (i = 0; i < t->nrows; i++) {
		const struct tui_row *r = &t->rows[i];

		if (r->kthread && !l->kthreads)
			continue;
		if (!tree_row_matches(r, l->filter))
			continue;
		if (l->uid >= 0 && r->uid != l->uid)
			continue;
		keep[i] = 1;
	}
	/* The parents of what is kept, so that the tree stays a tree. */
	if (l->flat)
		return;
	for (i = 0; i < t->nrows; i++) {
		if (keep[i] != 1)
			continue;
		for (p = parent[i]; p >= 0 && keep[p] == 0; p = parent[p])
			keep[p] = 2;
	}
}

/* Parent of each row: the last row before it one level up (rows come
 * depth first). */
static void
order_parents(const struct tui *t, long *parent)
{
	long stack[64];
	size_t i;
	int d;

	for (i = 0; i < t->nrows; i++) {
		d = t->rows[i].depth;
		if (d < 0)
			d = 0;
		if (d > 63)
			d = 63;
		parent[i] = d > 0 ? stack[d - 1] : -1;
		stack[d] = (long)i;
	}
}

/* Depth first over the kept rows, children in sorted order. */
static size_t
order_walk(const long *first, const long *next, long n, int depth, size_t *ord,
	   int *dep, size_t k)
{
	for (; n >= 0; n = next[n]) {
		ord[k] = (size_t)n;
		dep[k++] = depth;
		k = order_walk(first, next, first[n], depth + 1, ord, dep, k);
	}
	return k;
}

size_t
tree_order(const struct tui *t, size_t *ord, int *depth)
{
	size_t n = t->nrows, i, k = 0, *s;
	long *parent, *first, *last, *next, roots = -1, rlast = -1, p;
	unsigned char *keep;

	if (n == 0)
		return 0;
	s = malloc(n * sizeof *s);
	parent = malloc(4 * n * sizeof *parent);
	keep = malloc(n);
	if (s == NULL || parent == NULL || keep == NULL) {
		free(s);
		free(parent);
		free(keep);
		return 0;
	}
	first = parent + n;
	last = first + n;
	next = last + n;
	order_parents(t, parent);
	order_keep(t, parent, keep);
	for (i = 0; i < n; i++)
		if (keep[i])
			s[k++] = i;
	order_t = t;
	qsort(s, k, sizeof *s, order_cmp);
	if (t->list.flat) {
		for (i = 0; i < k; i++) {
			ord[i] = s[i];
			depth[i] = 0;
		}
		free(s);
		free(parent);
		free(keep);
		return k;
	}
	for (i = 0; i < n; i++)
		first[i] = last[i] = next[i] = -1;
	/* In sorted order, each row goes after its parent's last child. */
	for (i = 0; i < k; i++) {
		long r = (long)s[i];

		p = parent[r];
		if (p < 0 || !keep[p]) {
			if (rlast < 0)
				roots = r;
			else
				next[rlast] = r;
			rlast = r;
		} else {
			if (last[p] < 0)
				first[p] = r;
			else
				next[last[p]] = r;
			last[p] = r;
		}
	}
	k = order_walk(first, next, roots, 0, ord, depth, 0);
	free(s);
	free(parent);
	free(keep);
	return k;
}
