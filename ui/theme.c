/*
 * theme.c - turn the colour list of theme.h into curses attributes.
 * Touches only curses colour pairs.
 */
#include "config.h"

#include "theme.h"

attr_t theme_attr[THEME_N];

void
theme_init(int color)
{
	static const struct {
		short fg, bg;
		attr_t cattr, mattr;
	} items[THEME_N] = {
#define X(id, fg, bg, cattr, mattr) { fg, bg, cattr, mattr },
		THEME_ITEMS
#undef X
	};
	int i, pairs, dflt = 0;
	short fg, bg;

	pairs = color && has_colors() && start_color() == OK;
	if (pairs)
		dflt = use_default_colors() == OK;
	for (i = 0; i < THEME_N; i++) {
		theme_attr[i] = items[i].mattr;
		if (!pairs || (items[i].fg < 0 && items[i].bg < 0))
			continue;
		/* Without default colours, -1 means white on black. */
		fg = items[i].fg < 0 && !dflt ? COLOR_WHITE : items[i].fg;
		bg = items[i].bg < 0 && !dflt ? COLOR_BLACK : items[i].bg;
		if (i + 1 >= COLOR_PAIRS ||
		    init_pair((short)(i + 1), fg, bg) != OK)
			continue;
		theme_attr[i] = items[i].cattr | (attr_t)COLOR_PAIR(i + 1);
	}
	/* Attributes without a colour pair keep their colour-mode form. */
	if (pairs) {
		for (i = 0; i < THEME_N; i++)
			if (items[i].fg < 0 && items[i].bg < 0)
				theme_attr[i] = items[i].cattr;
	}
}
