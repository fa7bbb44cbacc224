/*
 * draw_widgets.c - the generic widgets: clipped printing by display
 * width, lines built piece by piece, table columns, sizes and deltas.
 * Each takes what it draws as arguments.  The header and status line
 * are draw_header.c.
 *
 * Touches: stdscr only.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/fmt.h"
#include "../src/kb.h"
#include "../src/sanitize.h"
#include "draw.h"
#include "theme.h"

/* Longest raw prefix worth sanitising for w columns: a column takes at
 * least one byte (bar zero-width marks), a character at most 4. */
#define DRAW_BUF 4096

int
draw_text(int y, int x, int w, const char *raw, attr_t a)
{
	char buf[DRAW_BUF];
	size_t len, n;
	int used;

	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	len = strlen(raw);
	if (len > (size_t)w * 4 + 16)
		len = (size_t)w * 4 + 16;
	sanitize_text(buf, sizeof buf, raw, len);
	n = sanitize_clip(buf, w, &used);
	if (n == 0)
		return 0;
	attrset(a);
	mvaddnstr(y, x, buf, (int)n);
	attrset(A_NORMAL);
	return used;
}

int
draw_text_tail(int y, int x, int w, const char *raw, attr_t a, int utf8)
{
	char buf[DRAW_BUF];
	const char *mark = utf8 ? "\xe2\x80\xa6" : "<";
	size_t i;

	if (w <= 1)
		return draw_text(y, x, w, raw, a);
	sanitize_text(buf, sizeof buf, raw, strlen(raw));
	if (sanitize_width(buf) <= w)
		return draw_text(y, x, w, buf, a);
	/* The longest tail that fits after the mark: one linear pass (a
	 * width per suffix was quadratic: 3.8 KB paths took a core). */
	i = sanitize_tail(buf, w - 1, NULL);
	draw_text(y, x, 1, mark, a);
	return 1 + draw_text(y, x + 1, w - 1, buf + i, a);
}

void
draw_rjust(int y, int x, int w, const char *raw, attr_t a)
{
	char buf[DRAW_BUF];
	int width;

	if (w <= 0)
		return;
	sanitize_text(buf, sizeof buf, raw, strlen(raw));
	width = sanitize_width(buf);
	if (width > w) {
		/* Wider than the column: clipped like any text. */
		draw_text(y, x, w, buf, a);
		return;
	}
	draw_text(y, x + w - width, width, buf, a);
}

void
draw_fill(int y, int x, int w, attr_t a)
{
	if (y < 0 || y >= LINES || x >= COLS || w <= 0)
		return;
	if (x + w > COLS)
		w = COLS - x;
	attrset(a);
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

void
draw_put(struct draw_line *l, const char *raw, attr_t a)
{
	if (l->x >= l->end)
		return;
	l->x += draw_text(l->y, l->x, l->end - l->x, raw, a);
}

void
draw_put_tail(struct draw_line *l, const char *raw, attr_t a, int utf8)
{
	if (l->x >= l->end)
		return;
	l->x += draw_text_tail(l->y, l->x, l->end - l->x, raw, a, utf8);
}

void
draw_putf(struct draw_line *l, attr_t a, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	draw_put(l, buf, a);
}

void
cols_layout(struct draw_col *c, size_t n, int cols, int flexmin)
{
	int need, maxprio = 1;
	size_t i, flex = n;

	for (i = 0; i < n; i++) {
		c[i].shown = c[i].prio > 0; /* 0: not chosen */
		if (c[i].prio > maxprio)
			maxprio = c[i].prio;
		if (c[i].width == 0)
			flex = i;
	}
	for (;;) {
		need = 0;
		for (i = 0; i < n; i++)
			if (c[i].shown)
				need += (c[i].width ? c[i].width : flexmin) + 1;
		if (need <= cols || maxprio <= 1)
			break;
		for (i = 0; i < n; i++)
			if (c[i].prio == maxprio)
				c[i].shown = 0;
		maxprio--;
	}
	need = 0;
	for (i = 0; i < n; i++) {
		c[i].x = need;
		c[i].w = 0;
		if (!c[i].shown)
			continue;
		if (i == flex) {
			int rest = 0;
			size_t k;

			for (k = i + 1; k < n; k++)
				if (c[k].shown)
					rest += c[k].width + 1;
			c[i].w = cols - need - rest;
			if (c[i].w < 0)
				c[i].w = 0;
		} else {
			c[i].w = c[i].width;
		}
		need += c[i].w + 1;
	}
}

void
cols_title(int y, const struct draw_col *c, size_t n, attr_t a)
{
	size_t i;

	draw_fill(y, 0, COLS, a);
	for (i = 0; i < n; i++) {
		if (!c[i].shown)
			continue;
		if (c[i].right)
			draw_rjust(y, c[i].x, c[i].w, c[i].title, a);
		else
			draw_text(y, c[i].x, c[i].w, c[i].title, a);
	}
}

void
draw_kb(int y, const struct draw_col *c, long long kb, attr_t a)
{
	char b[FMT_SIZE];

	if (c->shown)
		draw_rjust(y, c->x, c->w, fmt_kb(b, kb), a);
}

void
draw_delta(int y, const struct draw_col *c, long long kb, attr_t a, int plain)
{
	char b[FMT_SIZE];

	if (!c->shown)
		return;
	if (!plain && kb != KB_UNKNOWN && kb > 0)
		a = theme_attr[THEME_GROW];
	else if (!plain && kb != KB_UNKNOWN && kb < 0)
		a = theme_attr[THEME_SHRINK];
	draw_rjust(y, c->x, c->w, fmt_delta(b, kb), a);
}

int
draw_list_move(size_t *cur, size_t n, size_t page, enum key_act act)
{
	switch (act) {
	case ACT_UP:
		if (*cur > 0)
			(*cur)--;
		break;
	case ACT_DOWN:
		if (*cur + 1 < n)
			(*cur)++;
		break;
	case ACT_PGUP:
		*cur = *cur > page ? *cur - page : 0;
		break;
	case ACT_PGDN:
		*cur += page;
		break;
	case ACT_HOME:
		*cur = 0;
		break;
	case ACT_END:
		*cur = n;
		break;
	default:
		return 0;
	}
	if (*cur >= n)
		*cur = n ? n - 1 : 0;
	return 1;
}
