/*
 * tui_layout.c - the panels: which screens are on, where, and which one
 * has the keys; passing them keys and samples.  It knows the screens only
 * through view_ops and the panel indices struct tui holds.
 *
 * Touches: struct tui and the screens' data, through view_ops.
 */
#include "config.h"

#include <curses.h>

#include "draw.h"
#include "tui.h"

/* Lines a panel needs to be worth showing beside another one. */
#define TUI_MIN_PANEL 5

void
tui_focus_panel(struct tui *t, int i)
{
	if (i < 0 || i >= t->npanels)
		return;
	t->focus = i;
	t->need_reads = 1;
}

int
tui_panel_key(struct tui *t, enum key_act act)
{
	struct view *v = &t->panels[t->focus];
	int i;

	if (v->ops->key != NULL && v->ops->key(t, v->data, act))
		return 1;
	for (i = 0; i < t->npanels; i++) {
		v = &t->panels[i];
		if (i != t->focus && v->ops->key != NULL &&
		    v->ops->key(t, v->data, act))
			return 1;
	}
	return 0;
}

void
tui_views_sync(struct tui *t)
{
	int i;

	for (i = 0; i < t->npanels; i++)
		if (t->panels[i].ops->sync != NULL)
			t->panels[i].ops->sync(t, t->panels[i].data);
}

/* Is panel i laid out?  The phases panel takes the region panel's
 * place while it has the keys, and is hidden otherwise, so the tree and
 * the regions keep their room. */
static int
tui_panel_shown(const struct tui *t, int i)
{
	int ph = t->panel_phases, rg = t->panel_regions;

	if (i == ph)
		return t->focus == ph;
	if (i == rg && ph >= 0 && t->focus == ph)
		return 0;
	/* Hidden with =, unless Enter or Tab gave it the keys. */
	if (i == rg && t->list.regions_off && t->focus != rg)
		return 0;
	return 1;
}

void
tui_focus_at(struct tui *t, int y)
{
	int i;

	for (i = 0; i < t->npanels; i++)
		if (t->panels[i].visible && y >= t->panels[i].y &&
		    y < t->panels[i].y + t->panels[i].h) {
			t->focus = i;
			return;
		}
}

/* Decide which screens are on and where; returns the header height. */
int
tui_layout(struct tui *t)
{
	int lines = LINES, hh, body, y, i, n = 0, h, want, cap, rest, k,
	    idx[TUI_MAX_PANELS];

	hh = lines >= 16 ? 3 : lines >= 12 ? 2 : lines >= 6 ? 1 : 0;
	if (hh == 3)
		hh += draw_limits_lines(t);
	body = lines - hh - (lines >= 2 ? 1 : 0);
	/* The timeline strip, under the header, when there is room. */
	t->strip_h = 0;
	if (t->strip_on && !t->help_on && body >= STRIP_H + TUI_MIN_PANEL) {
		t->strip_y = hh;
		t->strip_h = STRIP_H;
		body -= STRIP_H;
	}
	for (i = 0; i < t->npanels; i++) {
		t->panels[i].visible = 0;
		if (tui_panel_shown(t, i))
			idx[n++] = i;
	}
	t->help.visible = 0;
	if (body <= 0)
		return hh;
	if (t->help_on) {
		t->help.visible = 1;
		t->help.y = hh;
		t->help.h = body;
		return hh;
	}
	if (n <= 1 || body < TUI_MIN_PANEL * n) {
		t->panels[t->focus].visible = 1;
		t->panels[t->focus].y = hh + t->strip_h;
		t->panels[t->focus].h = body;
		return hh;
	}
	y = hh + t->strip_h;
	for (k = 0; k < n; k++) {
		i = idx[k];
		rest = n - k;
		if (rest == 1) {
			h = body;
		} else {
			want = t->panels[i].ops->want != NULL
				       ? t->panels[i].ops->want(
						 t, t->panels[i].data)
				       : 0;
			cap = body / rest;
			h = want <= 0 || want > cap ? cap : want;
			/* The split the user chose ([ and ]). */
			if (k == 0 && t->list.split > 0)
				h = body * t->list.split / 100;
			if (h < 2)
				h = 2; /* a title and one row */
		}
		t->panels[i].visible = 1;
		t->panels[i].y = y;
		t->panels[i].h = h;
		y += h;
		body -= h;
	}
	return hh;
}
