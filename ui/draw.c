/*
 * draw.c - clipped printing, table columns, the header and the status
 * line.  Writes only to stdscr; reads the model and the screen state.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/fmt.h"
#include "../src/sanitize.h"
#include "draw.h"
#include "theme.h"
#include "tui.h"

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
	size_t i, len;
	int k = 1;

	if (w <= 1)
		return draw_text(y, x, w, raw, a);
	sanitize_text(buf, sizeof buf, raw, strlen(raw));
	if (sanitize_width(buf) <= w)
		return draw_text(y, x, w, buf, a);
	/* Drop characters from the front until the rest fits after the
	 * mark.  buf is sanitised: valid characters or '?'. */
	len = strlen(buf);
	for (i = 0; i < len; i += k > 0 ? (size_t)k : 1) {
		if (sanitize_width(buf + i) <= w - 1)
			break;
		k = mblen(buf + i, len - i);
	}
	mblen(NULL, 0);
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
		c[i].shown = 1;
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

const char *
draw_delta_sign(const struct tui *t)
{
	return t->utf8 ? "\xce\x94" : "d";
}

const char *
draw_sum_sign(const struct tui *t)
{
	return t->utf8 ? "\xce\xa3" : "sum ";
}

/* Label then value, the value in the header colour. */
static void
draw_pair(struct draw_line *l, const char *label, const char *value)
{
	draw_put(l, label, theme_attr[THEME_LABEL]);
	draw_put(l, value, theme_attr[THEME_HEADER]);
	draw_put(l, "  ", theme_attr[THEME_NORMAL]);
}

static void
draw_header_target(struct tui *t, struct draw_line *l)
{
	const struct opts *o = t->a->o;
	size_t i;

	if (o->cmd != NULL) {
		draw_put(l, "cmd ", theme_attr[THEME_LABEL]);
		for (i = 0; o->cmd[i] != NULL && l->x < l->end - 2; i++) {
			if (i > 0)
				draw_put(l, " ", theme_attr[THEME_HEADER]);
			draw_put(l, o->cmd[i], theme_attr[THEME_HEADER]);
		}
	} else if (o->npids > 0) {
		draw_put(l, "-p ", theme_attr[THEME_LABEL]);
		for (i = 0; i < o->npids; i++)
			draw_putf(l, theme_attr[THEME_HEADER], "%s%d",
				  i ? "," : "", o->pids[i]);
	} else {
		draw_put(l, "all processes", theme_attr[THEME_HEADER]);
	}
	draw_put(l, "  ", theme_attr[THEME_NORMAL]);
}

static void
draw_header_top(struct tui *t, int y)
{
	struct draw_line l = { y, 0, COLS };
	const struct model *m = &t->a->m;
	const char *label = tui_phase_label(t);
	char b[64];
	long up = (long)(m->now_mono - m->start_mono);

	draw_put(&l, "ramtop ", theme_attr[THEME_HEADER]);
	draw_put(&l, PACKAGE_VERSION "  ", theme_attr[THEME_LABEL]);
	draw_header_target(t, &l);
	snprintf(b, sizeof b, "%gs", t->a->o->delay);
	draw_pair(&l, "every ", b);
	snprintf(b, sizeof b, "%.1fms", t->tick_ms);
	draw_pair(&l, "sample ", b);
	snprintf(b, sizeof b, "%d", tui_phase_count(t));
	if (label == NULL) {
		draw_pair(&l, "phases ", b);
	} else {
		draw_put(&l, "phases ", theme_attr[THEME_LABEL]);
		draw_put(&l, b, theme_attr[THEME_HEADER]);
		draw_put(&l, " last ", theme_attr[THEME_LABEL]);
		draw_put(&l, label, theme_attr[THEME_HEADER]);
		draw_put(&l, "  ", theme_attr[THEME_NORMAL]);
	}
	if (up >= 3600)
		snprintf(b, sizeof b, "%ldh%02ldm", up / 3600, up / 60 % 60);
	else if (up >= 60)
		snprintf(b, sizeof b, "%ldm%02lds", up / 60, up % 60);
	else
		snprintf(b, sizeof b, "%lds", up);
	draw_pair(&l, "up ", b);
	if (t->a->o->gentle)
		draw_put(&l, "gentle", theme_attr[THEME_WARN]);
}

static void
draw_header_system(struct tui *t, int y)
{
	struct draw_line l = { y, 0, COLS };
	const struct sysmem *s = &t->a->m.sys;
	char b[FMT_SIZE];

	draw_put(&l, "System  ", theme_attr[THEME_HEADER]);
	draw_pair(&l, "MemTotal ", fmt_kb(b, s->mi.mem_total));
	draw_pair(&l, "MemAvailable ", fmt_kb(b, s->mi.mem_available));
	draw_pair(&l, "Cached ", fmt_kb(b, s->mi.cached));
	draw_pair(&l, "Shmem ", fmt_kb(b, s->mi.shmem));
	draw_pair(&l, "/dev/shm ", fmt_kb(b, s->dev_shm_used));
}

static void
draw_header_tree(struct tui *t, int y)
{
	struct draw_line l = { y, 0, COLS };
	long long rss = 0, pss = 0, delta = 0, d;
	size_t i, rss_unk = 0, pss_unk = 0, n = t->nrows;
	char b[FMT_SIZE], label[32];

	for (i = 0; i < n; i++) {
		const struct tui_row *r = &t->rows[i];

		if (r->now.rss >= 0)
			rss += r->now.rss;
		else
			rss_unk++;
		if (r->now.pss >= 0)
			pss += r->now.pss;
		else
			pss_unk++;
		d = kb_delta(r->now.rss, r->base.rss);
		if (d != KB_UNKNOWN)
			delta += d;
	}
	draw_put(&l, "Tree    ", theme_attr[THEME_HEADER]);
	draw_putf(&l, theme_attr[THEME_HEADER], "%zu", n);
	draw_put(&l, n == 1 ? " process  " : " processes  ",
		 theme_attr[THEME_LABEL]);
	snprintf(label, sizeof label, "%sRSS ", draw_sum_sign(t));
	draw_put(&l, label, theme_attr[THEME_LABEL]);
	draw_put(&l, n > 0 && rss_unk == n ? "-" : fmt_kb(b, rss),
		 theme_attr[THEME_HEADER]);
	if (rss_unk > 0 && rss_unk < n)
		draw_putf(&l, theme_attr[THEME_DIM], " (%zu unknown)", rss_unk);
	draw_put(&l, "  ", theme_attr[THEME_NORMAL]);
	snprintf(label, sizeof label, "%sPSS ", draw_sum_sign(t));
	draw_put(&l, label, theme_attr[THEME_LABEL]);
	draw_put(&l, n > 0 && pss_unk == n ? "-" : fmt_kb(b, pss),
		 theme_attr[THEME_HEADER]);
	if (pss_unk > 0 && pss_unk < n)
		draw_putf(&l, theme_attr[THEME_DIM], " (%zu unknown)", pss_unk);
	draw_put(&l, "  ", theme_attr[THEME_NORMAL]);
	snprintf(label, sizeof label, "%sRSS ", draw_delta_sign(t));
	draw_put(&l, label, theme_attr[THEME_LABEL]);
	fmt_delta(b, delta);
	draw_put(&l, b,
		 delta > 0   ? theme_attr[THEME_GROW]
		 : delta < 0 ? theme_attr[THEME_SHRINK]
			     : theme_attr[THEME_HEADER]);
	draw_put(&l, " since baseline", theme_attr[THEME_LABEL]);
}

void
draw_header(struct tui *t, int y, int h)
{
	if (h >= 3) {
		draw_header_top(t, y);
		draw_header_system(t, y + 1);
		draw_header_tree(t, y + 2);
		if (h > 3)
			draw_limits(t, y + 3, h - 3);
	} else if (h == 2) {
		draw_header_tree(t, y);
		draw_header_system(t, y + 1);
	} else if (h == 1) {
		draw_header_tree(t, y);
	}
}

void
draw_status(struct tui *t, int y)
{
	struct draw_line l = { y, 0, COLS };
	const char *log = tui_log_path();
	struct app *a = t->a;

	if (t->prompt_on) {
		draw_fill(y, 0, COLS, theme_attr[THEME_MESSAGE]);
		draw_putf(&l, theme_attr[THEME_MESSAGE],
			  "mark phase %zu, label (Enter: \"phase %zu\", Esc "
			  "cancels): ",
			  phase_count(&a->ph), phase_count(&a->ph));
		draw_put(&l, t->prompt, theme_attr[THEME_MESSAGE]);
		draw_put(&l, "_", theme_attr[THEME_MESSAGE]);
		return;
	}
	if (t->msg[0] != '\0') {
		draw_fill(y, 0, COLS, theme_attr[THEME_MESSAGE]);
		draw_put(&l, t->msg, theme_attr[THEME_MESSAGE]);
		return;
	}
	if (t->ended) {
		draw_fill(y, 0, COLS, theme_attr[THEME_WARN]);
		if (a->child > 0)
			draw_putf(&l, theme_attr[THEME_WARN],
				  "the command has exited (status %d); last "
				  "figures kept; q quits",
				  app_exit_code(a));
		else
			draw_put(&l,
				 "every target process has exited; last "
				 "figures kept; q quits",
				 theme_attr[THEME_WARN]);
		return;
	}
	if (a->child > 0 && log != NULL) {
		draw_put(&l, "command output: ", theme_attr[THEME_LABEL]);
		draw_put(&l, log, theme_attr[THEME_HEADER]);
		draw_put(&l, "  ", theme_attr[THEME_NORMAL]);
	}
	draw_put(&l, "?", theme_attr[THEME_KEY]);
	draw_put(&l, " help  ", theme_attr[THEME_LABEL]);
	draw_put(&l, "Tab", theme_attr[THEME_KEY]);
	draw_put(&l, " panel  ", theme_attr[THEME_LABEL]);
	draw_put(&l, "g", theme_attr[THEME_KEY]);
	draw_put(&l, " per-mapping  ", theme_attr[THEME_LABEL]);
	draw_put(&l, "t r d p z n", theme_attr[THEME_KEY]);
	draw_put(&l, " sort  ", theme_attr[THEME_LABEL]);
	draw_put(&l, "q", theme_attr[THEME_KEY]);
	draw_put(&l, " quit", theme_attr[THEME_LABEL]);
}

int
tui_list_move(size_t *cur, size_t n, size_t page, enum key_act act)
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
