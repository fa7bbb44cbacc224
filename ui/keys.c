/*
 * keys.c - the key table and its handlers: the bodies of the keys that
 * act on the whole screen (save, re-baseline, deltas since, help, quit)
 * live here, with their row.  What a key means to a screen (moving,
 * sorting) is that screen's business, reached through tui_panel_key().
 *
 * Touches: struct tui, the model and the phase list through app.h.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>

#include "draw.h"
#include "keys.h"
#include "tui.h"
#include "ui.h"

#define CTRL_KEY(c) ((c)&0x1f)

/* m, s and b change the session: not in a replay. */
static int
key_read_only(struct tui *t, const char *what)
{
	if (t->replay)
		tui_message(t, "a replay is read-only: %s", what);
	return t->replay;
}

static void
key_mark(struct tui *t, int arg)
{
	if (!key_read_only(t, "no marks"))
		tui_prompt_open(t);
}

static void
key_save(struct tui *t, int arg)
{
	char msg[APP_MSG_MAX];

	if (key_read_only(t, "nothing to save"))
		return;
	app_save(t->a, NULL, msg, sizeof msg);
	tui_message(t, "%s", msg);
}

/* Region deltas since the baseline / since the last mark. */
static void
key_since(struct tui *t, int arg)
{
	const struct phase *p;
	size_t n = phase_count(&t->a->ph);

	if (t->replay) { /* "the last mark" would be the file's last */
		tui_message(t, "in a replay the changes count from the "
			       "baseline (phase 0)");
		return;
	}
	t->since_mark = !t->since_mark;
	if (!t->ended)
		tui_rows_sync(t);
	tui_views_sync(t);
	if (!t->since_mark) {
		tui_message(t, "changes (list and regions) since the baseline");
		return;
	}
	p = n > 0 ? phase_get(&t->a->ph, n - 1) : NULL;
	if (p == NULL)
		tui_message(t, "changes (list and regions) since the last mark "
			       "(none yet)");
	else
		tui_message(t,
			    "changes (list and regions) since the last "
			    "mark: phase %ld \"%s\"",
			    p->index, p->label);
}

/* The limits lines: shown by themselves when they matter; `C` turns
 * them on or off from whatever they are now. */
static void
key_limits(struct tui *t, int arg)
{
	int shown = draw_limits_lines(t) > 0;

	t->limits_on = !shown;
	tui_message(t, "limits lines %s", shown ? "hidden" : "shown");
}

static void
key_rebaseline(struct tui *t, int arg)
{
	const struct tui_row *f;
	struct proc *p;

	if (key_read_only(t, "no new baseline"))
		return;
	if (t->ended) {
		tui_message(t, "every target process has exited: nothing to "
			       "re-baseline");
		return;
	}
	/* Figures and regions of this moment, not of the last sample: the
	 * list's change and the region panel's count from the same one. */
	if (model_sample(&t->a->m, 0) == 0)
		tui_resampled(t);
	if (t->ended)
		return;
	/* The focused process's regions as they are now, with a row per
	 * mapping, so that `g` can give each mapping's change from here. */
	f = tui_focus_row(t);
	p = f != NULL ? tui_row_proc(t, f) : NULL;
	if (p != NULL && p->regions != NULL)
		tui_read_more(t, p, MODEL_SMAPS | MODEL_KEEP_MAPS | MODEL_NOW);
	model_rebaseline(&t->a->m);
	t->since_mark = 0;
	tui_rows_sync(t);
	tui_views_sync(t);
	tui_message(t, "new baseline: changes (list and regions) count from "
		       "now");
}

static void
key_tab(struct tui *t, int arg)
{
	tui_focus_panel(t, (t->focus + 1) % t->npanels);
}

static void
key_act(struct tui *t, int arg)
{
	tui_panel_key(t, (enum key_act)arg);
}

static void
key_strip(struct tui *t, int arg)
{
	t->strip_on = !t->strip_on;
}

static void
key_replay(struct tui *t, int arg)
{
	replay_step(t, arg);
}

static void
key_help(struct tui *t, int arg)
{
	t->help_on = 1;
}

static void
key_quit(struct tui *t, int arg)
{
	t->quit = 1;
}

static void
key_redraw(struct tui *t, int arg)
{
	clearok(curscr, TRUE);
}

/* The list's columns in the order < and > step through: the shown ones. */
static void
key_sort_step(struct tui *t, int arg)
{
	int c = t->list.sort, n;

	for (n = 0; n < TC_N; n++) {
		c = (c + arg + TC_N) % TC_N;
		if (c == TC_CMD || (t->list.cols & (1u << c)))
			break;
	}
	tui_list_sort(t, c);
	tui_views_sync(t);
	t->need_reads = 1;
	tui_message(t, "sorted by %s%s (< > F6 change, I inverts)",
		    tree_cols[c].name,
		    c == TC_DRSS ? ", biggest change either way first" : "");
}

static void
key_invert(struct tui *t, int arg)
{
	t->list.desc = !t->list.desc;
	tui_views_sync(t);
	t->need_reads = 1;
}

static void
key_flat(struct tui *t, int arg)
{
	t->list.flat = !t->list.flat;
	tui_views_sync(t);
	t->need_reads = 1;
	tui_message(t, t->list.flat ? "a flat list, every row sorted"
				    : "the tree, children sorted under their "
				      "parent");
}

static void
key_kthreads(struct tui *t, int arg)
{
	t->list.kthreads = !t->list.kthreads;
	tui_views_sync(t);
	tui_message(t, t->list.kthreads
			       ? "kernel threads shown (they have no user "
				 "memory: not in the sums)"
			       : "kernel threads hidden");
}

static void
key_ask(struct tui *t, int arg)
{
	tui_ask_open(t, (enum tui_ask)arg);
}

static void
key_kill(struct tui *t, int arg)
{
	const struct tui_row *r = tui_focus_row(t);

	if (r == NULL || r->exited) {
		tui_message(t, "no process selected to send a signal to");
		return;
	}
	t->kill_pid = r->pid;
	snprintf(t->kill_name, sizeof t->kill_name, "%s", r->comm);
	tui_ask_open(t, ASK_SIGNAL);
}

/* Esc: the keys go back to the list, the help closes. */
static void
key_esc(struct tui *t, int arg)
{
	t->help_on = 0;
	tui_focus_panel(t, 0);
}

static void
key_regions_panel(struct tui *t, int arg)
{
	const struct view *l = &t->panels[0];
	const struct view *r =
		t->panel_regions >= 0 ? &t->panels[t->panel_regions] : NULL;
	int s = t->list.split;

	/* From the split on screen now, the first time. */
	if (s == 0 && r != NULL && l->visible && r->visible && l->h + r->h > 0)
		s = l->h * 100 / (l->h + r->h);
	if (s == 0)
		s = 50;

	if (arg == 0) {
		t->list.regions_off = !t->list.regions_off;
		if (t->list.regions_off && t->focus == t->panel_regions)
			tui_focus_panel(t, 0);
		tui_message(t, t->list.regions_off ? "region panel hidden (= "
						     "shows it)"
						   : "region panel shown");
		return;
	}
	s += arg;
	t->list.split = s < 20 ? 20 : s > 85 ? 85 : s;
	t->list.regions_off = 0;
	t->need_reads = 1;
}

static void
key_mouse(struct tui *t, int arg)
{
	MEVENT ev;
	enum key_act act;

	if (getmouse(&ev) != OK)
		return;
	t->mouse_x = ev.x;
	t->mouse_y = ev.y;
	if (ev.bstate & BUTTON4_PRESSED)
		act = ACT_WHEEL_UP;
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & BUTTON5_PRESSED)
		act = ACT_WHEEL_DOWN;
#endif
	else if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
		act = ACT_CLICK;
	else
		return;
	tui_focus_at(t, ev.y);
	tui_panel_key(t, act);
}

/* One row a key, as the table reads best. */
/* clang-format off */
const struct key_def keys_table[] = {
	{ { 'm' }, "m", "mark a phase (prompts for a label; Enter takes \"phase N\")",
	  key_mark, 0 },
	{ { 's' }, "s", "save a snapshot file", key_save, 0 },
	{ { 'b' }, "b",
	  "re-baseline: every process's figures and regions now are where "
	  "changes count from",
	  key_rebaseline, 0 },
	{ { '\t' }, "Tab", "switch panel (tree / regions / phases)", key_tab, 0 },
	{ { KEY_UP }, "Up", "move up", key_act, ACT_UP },
	{ { KEY_DOWN }, "Down", "move down", key_act, ACT_DOWN },
	{ { KEY_PPAGE }, "PgUp", "move up a page", key_act, ACT_PGUP },
	{ { KEY_NPAGE }, "PgDn", "move down a page", key_act, ACT_PGDN },
	{ { KEY_HOME }, "Home", "move to the first row", key_act, ACT_HOME },
	{ { KEY_END }, "End", "move to the last row", key_act, ACT_END },
	{ { KEY_LEFT, '-' }, "Left, -",
	  "collapse the process's subtree (its row shows subtree totals)",
	  key_act, ACT_COLLAPSE },
	{ { KEY_RIGHT, '+' }, "Right, +", "expand a collapsed subtree", key_act,
	  ACT_EXPAND },
	{ { '\r', '\n', KEY_ENTER }, "Enter",
	  "show the selected process's regions and move the keys there", key_act,
	  ACT_ENTER },
	{ { 't' }, "t",
	  "sort regions by type (heap anon stack shm file lib device special), "
	  "then RSS; subtotal per type",
	  key_act, ACT_SORT_TYPE },
	{ { 'r' }, "r", "sort regions by RSS", key_act, ACT_SORT_RSS },
	{ { 'd' }, "d", "sort regions by the size of their change, growth or loss", key_act,
	  ACT_SORT_DELTA },
	{ { 'p' }, "p", "sort regions by PSS", key_act, ACT_SORT_PSS },
	{ { 'z' }, "z", "sort regions by mapped size", key_act, ACT_SORT_SIZE },
	{ { 'n' }, "n", "sort regions by name", key_act, ACT_SORT_NAME },
	{ { 'g' }, "g", "regions grouped by (type, name) / one row per mapping",
	  key_act, ACT_GROUP },
	{ { 'c' }, "c",
	  "changes (the list's and the regions') since the baseline / since "
	  "the last phase mark",
	  key_since, 0 },
	{ { 'C' }, "C",
	  "show/hide the limits lines: cgroup limit and headroom, page cache, "
	  "/dev/shm, OOM kills",
	  key_limits, 0 },
	{ { '>', '.', KEY_F(6) }, ">, F6",
	  "sort the process list by the next column", key_sort_step, 1 },
	{ { '<', ',' }, "<", "sort the process list by the previous column",
	  key_sort_step, -1 },
	{ { 'I' }, "I", "invert the sort order of the process list", key_invert,
	  0 },
	{ { KEY_F(5) }, "F5", "the tree (children sorted) / a flat sorted list",
	  key_flat, 0 },
	{ { 'K' }, "K", "show / hide kernel threads", key_kthreads, 0 },
	{ { '/' }, "/", "search the command lines as you type", key_ask,
	  ASK_SEARCH },
	{ { KEY_F(3) }, "F3", "the next process matching the search", key_act,
	  ACT_SEARCH_NEXT },
	{ { '\\', KEY_F(4) }, "\\, F4",
	  "filter: only processes whose command line matches (and their "
	  "parents)",
	  key_ask, ASK_FILTER },
	{ { 'u' }, "u", "only the processes of one user", key_ask, ASK_USER },
	{ { 'k', KEY_F(9) }, "k, F9",
	  "send a signal to the selected process (menu, then y to confirm)",
	  key_kill, 0 },
	{ { KEY_F(2) }, "F2", "choose the process list's columns", key_ask,
	  ASK_COLS },
	{ { '=' }, "=", "hide / show the region panel", key_regions_panel, 0 },
	{ { '[' }, "[", "give the region panel more room", key_regions_panel,
	  -10 },
	{ { ']' }, "]", "give the process list more room", key_regions_panel,
	  10 },
	{ { 27 }, "Esc", "give the keys back to the process list", key_esc, 0 },
	{ { KEY_MOUSE }, "mouse",
	  "click a row to select it, a column title to sort by it; the wheel "
	  "scrolls",
	  key_mouse, 0 },
	{ { 'T' }, "T",
	  "timeline strip: total RSS and PSS over time, marks as ticks; per "
	  "process after Enter",
	  key_strip, 0 },
	{ { '(' }, "(", "--replay FILE: one sample back", key_replay, -1 },
	{ { ')' }, ")", "--replay FILE: one sample on", key_replay, 1 },
	{ { '{' }, "{", "--replay FILE: the previous phase mark", key_replay,
	  -2 },
	{ { '}' }, "}", "--replay FILE: the next phase mark", key_replay, 2 },
	{ { KEY_F(1), 'h', '?' }, "F1, h, ?", "this help", key_help, 0 },
	{ { CTRL_KEY('l') }, "Ctrl-L", "redraw the screen", key_redraw, 0 },
	{ { 'q', KEY_F(10) }, "q, F10", "quit", key_quit, 0 },
};
/* clang-format on */

const size_t keys_count = sizeof keys_table / sizeof keys_table[0];

int
keys_dispatch(struct tui *t, int ch)
{
	size_t i, k;

	for (i = 0; i < keys_count; i++) {
		for (k = 0; k < 4 && keys_table[i].codes[k] != 0; k++) {
			if (keys_table[i].codes[k] == ch) {
				keys_table[i].fn(t, keys_table[i].arg);
				return 1;
			}
		}
	}
	return 0;
}

/* Text for roff: escape backslashes and minus signs, guard a leading dot. */
static void
keys_roff(FILE *fp, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", fp);
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\e", fp);
		else if (*s == '-')
			fputs("\\-", fp);
		else
			fputc(*s, fp);
	}
}

void
keys_man(FILE *fp)
{
	size_t i;

	for (i = 0; i < keys_count; i++) {
		fputs(".TP\n.B ", fp);
		keys_roff(fp, keys_table[i].name);
		fputc('\n', fp);
		keys_roff(fp, keys_table[i].help);
		fputc('\n', fp);
	}
}

int
ui_keys_man(void)
{
	keys_man(stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}
