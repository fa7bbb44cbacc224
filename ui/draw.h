/*
 * draw.h - width-aware, clipped printing on stdscr (draw_widgets.c), and
 * the header and status line (draw_header.c).  Every string that
 * came from the kernel (names, command lines) passes through
 * sanitize_text() here, so control bytes never reach the terminal; text
 * is clipped by display columns, never by bytes.
 */
#ifndef RAMTOP_DRAW_H
#define RAMTOP_DRAW_H

#include <curses.h>
#include <stddef.h>

#include "keys.h"

struct tui;

/* Print raw text at (y, x) in at most w columns; returns columns used. */
int draw_text(int y, int x, int w, const char *raw, attr_t a);
/* The same, but when too wide keep the end (file names are there):
 * the text is cut on the left behind an ellipsis. */
int draw_text_tail(int y, int x, int w, const char *raw, attr_t a, int utf8);
/* The same, right-aligned in exactly w columns (clipped on the left). */
void draw_rjust(int y, int x, int w, const char *raw, attr_t a);
/* Blank w columns from (y, x) with attribute a. */
void draw_fill(int y, int x, int w, attr_t a);

/* A line built piece by piece from (y, x) up to column end. */
struct draw_line {
	int y, x, end;
};
void draw_put(struct draw_line *l, const char *raw, attr_t a);
void draw_put_tail(struct draw_line *l, const char *raw, attr_t a, int utf8);
void draw_putf(struct draw_line *l, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Table columns.  Columns with the highest prio number are dropped first
 * when the screen is narrow (prio 0: never shown); the one flex column (width 0) takes what
 * is left, at least flexmin columns.  cols_layout() sets x and shown.
 */
struct draw_col {
	const char *title;
	int width; /* 0: the flex column */
	int prio;  /* 1: never dropped */
	int right; /* right-aligned */
	int x, shown, w;
};
void cols_layout(struct draw_col *c, size_t n, int cols, int flexmin);
/* The title row of a table, filling the line with attribute a. */
void cols_title(int y, const struct draw_col *c, size_t n, attr_t a);

/* A size ("1.2G", "-"), or a signed delta coloured by its sign unless
 * plain (the selection bar has its own colour). */
void draw_kb(int y, const struct draw_col *c, long long kb, attr_t a);
void draw_delta(int y, const struct draw_col *c, long long kb, attr_t a,
		int plain);

/* The header (system, tree totals, settings) in lines [y, y + h). */
void draw_header(struct tui *t, int y, int h);
/* The limits lines (ui/draw_limits.c): how many to show now (0-2), and
 * draw them in [y, y + h). */
int draw_limits_lines(const struct tui *t);
void draw_limits(struct tui *t, int y, int h);
/* The status line at y: a message, the end of the target, or hints. */
void draw_status(struct tui *t, int y);

/*
 * Move a list cursor for an Up/Down/PgUp/PgDn/Home/End action over n
 * rows, page rows at a time, clamped to the list.  Returns 1 if act was
 * a move, 0 if it is for the screen to handle.
 */
int draw_list_move(size_t *cur, size_t n, size_t page, enum key_act act);

#endif
