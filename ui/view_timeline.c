/*
 * view_timeline.c - the timeline strip (the T key): Σ RSS and Σ PSS of
 * the tree over as many recent samples as fit the width, one column per
 * sample, with a scale and each phase mark as a tick and its label; the
 * focused process's RSS and PSS instead while the keys are on its region
 * panel (Enter).  Unicode block cells, ASCII where the terminal has no
 * UTF-8 (LC_ALL=C).
 *
 * Reads the app's timeline and phases, and the TUI's rows (for the
 * focused process, whose recent figures it keeps here); never the model
 * or /proc.  Labels come from other programs: drawn through draw_text.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/fmt.h"
#include "../src/sanitize.h"
#include "draw.h"
#include "theme.h"
#include "tui.h"

#define STRIP_RING 1024 /* a focused process's recent samples */

struct strip_col {
	long long rss, pss; /* KiB; KB_UNKNOWN unknown */
	long mark;	    /* phase index marked at this column, or -1 */
	double elapsed_s;
	int has_bt;		     /* RSS per region type known */
	long long bt[REGION_NTYPES]; /* KiB */
};

/* One letter per region type for the split columns (canonical order). */
static const char strip_letter[REGION_NTYPES + 1] = "hasmflgx";

struct strip {
	int pid; /* the process of the ring, 0: none */
	unsigned long long start_time;
	struct strip_col ring[STRIP_RING];
	size_t n, head; /* head: the next slot */
	size_t phases_seen;
};

static struct strip *
strip_get(struct tui *t)
{
	if (t->strip == NULL)
		t->strip = calloc(1, sizeof(struct strip));
	return t->strip;
}

void
strip_free(struct tui *t)
{
	free(t->strip);
	t->strip = NULL;
}

void
strip_note(struct tui *t)
{
	const struct tui_row *r = tui_focus_row(t);
	struct strip *s = strip_get(t);
	const struct proc *p;
	struct strip_col *c;
	int k;

	if (s == NULL || r == NULL)
		return;
	if (r->pid != s->pid || r->start_time != s->start_time) {
		s->pid = r->pid;
		s->start_time = r->start_time;
		s->n = s->head = 0;
		s->phases_seen = t->a->ph.n;
	}
	c = &s->ring[s->head];
	c->rss = r->now->rss;
	c->pss = r->now->pss;
	/* Its regions by type, as last read (the region panel reads them). */
	p = tui_row_proc(t, r);
	c->has_bt = p != NULL && p->regions != NULL &&
		    tui_regions_err(p) == PROC_OK;
	for (k = 0; k < REGION_NTYPES; k++)
		c->bt[k] = c->has_bt ? p->regions->by_type[k].rss : 0;
	c->elapsed_s = t->a->m.now_mono - t->a->m.start_mono;
	c->mark = -1;
	if (t->a->ph.n > s->phases_seen) {
		c->mark = t->a->ph.v[t->a->ph.n - 1].index;
		s->phases_seen = t->a->ph.n;
	}
	s->head = (s->head + 1) % STRIP_RING;
	if (s->n < STRIP_RING)
		s->n++;
}

/* The last w samples of the tree's timeline as columns; a mark goes on
 * the first sample after it (the last column if none).  Returns n. */
static size_t
strip_tree_cols(const struct timeline *tl, size_t upto, struct strip_col *c,
		size_t w)
{
	size_t i, n = 0, k;
	long pending = -1;
	int j;

	if (w == 0)
		return 0;
	if (upto > tl->n)
		upto = tl->n;
	/* Find where the last w samples start. */
	for (i = upto; i-- > 0 && n < w;)
		if (tl->v[i].mark < 0)
			n++;
	i = n < w ? 0 : i + 1;
	for (k = 0; i < upto; i++) {
		const struct timeline_point *p = &tl->v[i];

		if (p->mark >= 0) {
			pending = p->mark;
			continue;
		}
		if (k == w)
			break;
		c[k].rss = p->rss;
		c[k].pss = p->pss;
		c[k].elapsed_s = p->elapsed_s;
		c[k].mark = pending;
		c[k].has_bt = p->has_by_type;
		for (j = 0; j < REGION_NTYPES; j++)
			c[k].bt[j] =
				p->rss_by_type[j] > 0 ? p->rss_by_type[j] : 0;
		pending = -1;
		k++;
	}
	if (pending >= 0 && k > 0)
		c[k - 1].mark = pending;
	return k;
}

/* The focused process's last w samples. */
static size_t
strip_proc_cols(const struct strip *s, struct strip_col *c, size_t w)
{
	size_t n = s->n < w ? s->n : w, i;

	for (i = 0; i < n; i++)
		c[i] = s->ring[(s->head + STRIP_RING - n + i) % STRIP_RING];
	return n;
}

/* One chart cell of column value v (eighths of a row, from the bottom)
 * at row r (0 = bottom): the glyph, or NULL for blank. */
static const char *
strip_cell(long long eighths, int r, int utf8, int pss)
{
	static const char *const part[9] = {
		NULL,		"\xe2\x96\x81", "\xe2\x96\x82",
		"\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85",
		"\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
	};
	long long in = eighths - (long long)r * 8;

	if (in <= 0)
		return NULL;
	if (in > 8)
		in = 8;
	if (!utf8)
		return in >= 4 ? (pss ? "#" : ":") : NULL;
	if (!pss) /* Σ RSS above Σ PSS: a light shade */
		return in >= 4 ? "\xe2\x96\x91" : NULL;
	return part[in];
}

static long long
strip_eighths(long long v, long long top, int rows)
{
	if (v <= 0 || top <= 0)
		return 0;
	return (v * rows * 8 + top / 2) / top;
}

/* ---- split by region type -------------------------------------------- */

/* Σ of the types below k in column c. */
static long long
strip_bt_sum(const struct strip_col *c, int k)
{
	long long s = 0;
	int j;

	for (j = 0; j < k; j++)
		s += c->bt[j];
	return s;
}

/* Column c split by type: each cell shows the letter of the type at the
 * middle of its span (blank above the total). */
static void
strip_split(const struct strip_col *c, int y, int rows, int x, long long top)
{
	char g[2] = { 0, 0 };
	long long mid;
	int row, k;

	attrset(theme_attr[THEME_HEADER]);
	for (row = 0; row < rows; row++) {
		mid = (top * (2 * row + 1)) / (2 * rows);
		if (top <= 0 || mid >= strip_bt_sum(c, REGION_NTYPES))
			break;
		for (k = 0; k < REGION_NTYPES; k++)
			if (mid < strip_bt_sum(c, k + 1))
				break;
		g[0] = strip_letter[k < REGION_NTYPES ? k : REGION_NTYPES - 1];
		mvaddstr(y + rows - row, x, g);
	}
	attrset(A_NORMAL);
}

/* What the glyphs mean: the letters of the types shown, and the PSS
 * and RSS glyphs when a column is not split. */
static void
strip_legend(const struct tui *t, const struct strip_col *c, size_t n,
	     int split, char *buf, size_t len)
{
	static const char *const abbr[REGION_NTYPES] = {
		"heap", "anon", "stack", "shm", "file", "lib", "dev", "special",
	};
	size_t i, o = 0, whole = 0;
	int k, seen;

	buf[0] = '\0';
	for (k = 0; split && k < REGION_NTYPES; k++) {
		for (i = 0, seen = 0; i < n && !seen; i++)
			seen = c[i].has_bt && c[i].bt[k] > 0;
		if (seen && o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%c %s",
					      o ? " " : "", strip_letter[k],
					      abbr[k]);
	}
	for (i = 0; i < n; i++)
		whole += !c[i].has_bt;
	if ((whole > 0 || !split) && o < len)
		snprintf(buf + o, len - o, "%s%s %sPSS  %s %sRSS",
			 o ? "  " : "", t->utf8 ? "\xe2\x96\x88" : "#",
			 fmt_sum_sign(t->utf8), t->utf8 ? "\xe2\x96\x91" : ":",
			 fmt_sum_sign(t->utf8));
}

/* The marks under the chart: a tick at each mark's column on row y,
 * and on row y + 1 its index and label, from the tick's column or, when
 * the one before is still running there, two columns after it. */
static void
strip_labels(struct tui *t, int y, int x0, const struct strip_col *c, size_t n)
{
	const struct phase *ph;
	char lab[PHASE_LABEL_MAX + 24];
	int x, at = 0, w;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (c[i].mark < 0)
			continue;
		x = x0 + (int)i;
		mvaddstr(y, x, t->utf8 ? "\xe2\x94\xb4" : "^");
		ph = NULL;
		for (j = 0; j < t->a->ph.n; j++)
			if (t->a->ph.v[j].index == c[i].mark)
				ph = &t->a->ph.v[j];
		snprintf(lab, sizeof lab, "%ld %s", c[i].mark,
			 ph != NULL ? ph->label : "");
		if (x < at)
			x = at;
		if (x >= COLS)
			break;
		draw_text(y + 1, x, COLS - x, lab, theme_attr[THEME_LABEL]);
		w = sanitize_width(lab);
		at = x + (w > 0 ? w : 0) + 2;
	}
}

/* The title line: what, the glyphs, the span, the scale's top; p is
 * the focused process's row, or NULL for the tree. */
static void
strip_title(struct tui *t, int y, const struct tui_row *p,
	    const struct strip_col *c, size_t n, int split, long long top)
{
	char b[2][FMT_SIZE], title[256];
	size_t len;
	int name_w, x;

	if (p != NULL)
		snprintf(title, sizeof title, "Timeline pid %d %s", p->pid,
			 p->comm);
	else
		snprintf(title, sizeof title, "Timeline tree");
	draw_fill(y, 0, COLS, theme_attr[THEME_TITLE_DIM]);
	draw_text(y, 0, COLS, title, theme_attr[THEME_TITLE_DIM]);
	name_w = sanitize_width(title);
	strip_legend(t, c, n, split, title, sizeof title);
	len = strlen(title);
	snprintf(title + len, sizeof title - len,
		 "  %zu samples (%.0fs)  top %s  peak %sRSS %s", n,
		 n ? c[n - 1].elapsed_s - c[0].elapsed_s : 0.0,
		 fmt_kb(b[0], top ? top : KB_UNKNOWN), fmt_sum_sign(t->utf8),
		 fmt_kb(b[1], p != NULL ? KB_UNKNOWN : t->a->tl.rss.kb));
	/* Right-aligned, after the name: the legend gives way first. */
	x = COLS - sanitize_width(title);
	if (x < name_w + 2)
		x = name_w + 2;
	draw_text(y, x, COLS - x, title, theme_attr[THEME_TITLE_DIM]);
}

/* One column of the tree's figures: Σ PSS in blocks, Σ RSS above it
 * shaded, a mark's tick at the bottom. */
static void
strip_column(struct tui *t, const struct strip_col *c, int y, int rows, int x,
	     long long top)
{
	const char *g;
	long long e;
	int row;

	for (row = 0; row < rows; row++) {
		e = strip_eighths(c->pss, top, rows);
		g = strip_cell(e, row, t->utf8, 1);
		if (g == NULL) {
			e = strip_eighths(c->rss, top, rows);
			g = strip_cell(e, row, t->utf8, 0);
		}
		if (g == NULL && c->mark >= 0 && row == rows - 1)
			g = t->utf8 ? "\xe2\x94\x8a" : "|";
		if (g == NULL)
			continue;
		attrset(g[0] == ':' || (g[0] == '\xe2' && g[2] == '\x91')
				? theme_attr[THEME_NORMAL]
				: theme_attr[THEME_HEADER]);
		mvaddstr(y + rows - row, x, g);
	}
}

void
strip_draw(struct tui *t, int y, int h)
{
	struct strip *s = strip_get(t);
	const struct tui_row *r = tui_focus_row(t);
	struct strip_col *c;
	char b[FMT_SIZE];
	long long top = 0;
	size_t n, i;
	int gutter = 7, x0, w, rows, proc, split = 0;

	if (h < 4 || COLS < gutter + 10 || s == NULL)
		return;
	x0 = gutter + 1;
	w = COLS - x0;
	rows = h - 3; /* the title, the ticks and the labels */
	c = calloc((size_t)w, sizeof *c);
	if (c == NULL)
		return;
	proc = r != NULL && s->pid == r->pid &&
	       t->panels[t->focus].ops == &view_regions_ops;
	n = proc ? strip_proc_cols(s, c, (size_t)w)
		 : strip_tree_cols(&t->a->tl,
				   t->replay ? t->replay_pos + 1 : t->a->tl.n,
				   c, (size_t)w);
	for (i = 0; i < n; i++) {
		if (c[i].rss > top)
			top = c[i].rss;
		if (c[i].pss > top)
			top = c[i].pss;
		if (c[i].has_bt && strip_bt_sum(&c[i], REGION_NTYPES) > top)
			top = strip_bt_sum(&c[i], REGION_NTYPES);
		split |= c[i].has_bt;
	}
	strip_title(t, y, proc ? r : NULL, c, n, split, top);
	/* The scale. */
	draw_rjust(y + 1, 0, gutter, fmt_kb(b, top ? top : KB_UNKNOWN),
		   theme_attr[THEME_DIM]);
	draw_rjust(y + rows, 0, gutter, "0", theme_attr[THEME_DIM]);
	for (i = 0; i < n; i++) {
		if (c[i].has_bt) /* split by type, a letter each */
			strip_split(&c[i], y, rows, x0 + (int)i, top);
		else
			strip_column(t, &c[i], y, rows, x0 + (int)i, top);
	}
	attrset(A_NORMAL);
	strip_labels(t, y + h - 2, x0, c, n);
	free(c);
}
