/*
 * theme.h - the colours of the screen, one X-macro list: item, colour
 * foreground and background (-1 = the terminal's default), attribute
 * with colour, attribute without.  NO_COLOR / --no-color is one switch:
 * theme_init(0) and every item takes its attribute without colour.
 */
#ifndef RAMTOP_THEME_H
#define RAMTOP_THEME_H

#include <curses.h>

#define THEME_ITEMS                                                            \
	X(NORMAL, -1, -1, A_NORMAL, A_NORMAL)                                  \
	X(HEADER, COLOR_CYAN, -1, A_BOLD, A_BOLD)                              \
	X(LABEL, -1, -1, A_NORMAL, A_NORMAL)                                   \
	X(TITLE, COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE)                 \
	X(TITLE_DIM, COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_UNDERLINE)          \
	X(SELECT, COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD)         \
	X(SELECT_DIM, -1, -1, A_REVERSE, A_UNDERLINE)                          \
	X(GROW, COLOR_RED, -1, A_BOLD, A_BOLD)                                 \
	X(SHRINK, COLOR_GREEN, -1, A_NORMAL, A_NORMAL)                         \
	X(SUBTOTAL, COLOR_YELLOW, -1, A_BOLD, A_BOLD)                          \
	X(DIM, -1, -1, A_DIM, A_DIM)                                           \
	X(KEY, COLOR_CYAN, -1, A_BOLD, A_BOLD)                                 \
	X(MESSAGE, COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_REVERSE)              \
	X(WARN, COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD)

enum theme_item {
#define X(id, fg, bg, cattr, mattr) THEME_##id,
	THEME_ITEMS
#undef X
		THEME_N
};

/* The attribute to draw an item with, valid after theme_init(). */
extern attr_t theme_attr[THEME_N];

/* After initscr: use colours if color and the terminal has them. */
void theme_init(int color);

#endif
