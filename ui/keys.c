/*
 * keys.c - the key table and its handlers.  Handlers change the screen
 * state through tui.h; what a key means to a screen (moving, sorting) is
 * that screen's business, reached through tui_panel_key().
 */
#include "config.h"

#include <curses.h>

#include "keys.h"
#include "tui.h"
#include "ui.h"

#define CTRL_KEY(c) ((c) & 0x1f)

static void
key_mark(struct tui *t, int arg)
{
	tui_mark_prompt(t);
}

static void
key_save(struct tui *t, int arg)
{
	tui_save(t);
}

static void
key_since(struct tui *t, int arg)
{
	tui_toggle_since(t);
}

static void
key_limits(struct tui *t, int arg)
{
	tui_toggle_limits(t);
}

static void
key_oom_col(struct tui *t, int arg)
{
	tui_toggle_oom_col(t);
}

static void
key_rebaseline(struct tui *t, int arg)
{
	tui_rebaseline(t);
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

const struct key_def keys_table[] = {
	{ { 'm' }, "m", "mark a phase (prompts for a label; Enter takes \"phase N\")",
	  key_mark, 0 },
	{ { 's' }, "s", "save a snapshot file", key_save, 0 },
	{ { 'b' }, "b", "re-baseline: every process's figures now become its baseline",
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
	{ { 'd' }, "d", "sort regions by RSS change since the baseline", key_act,
	  ACT_SORT_DELTA },
	{ { 'p' }, "p", "sort regions by PSS", key_act, ACT_SORT_PSS },
	{ { 'z' }, "z", "sort regions by mapped size", key_act, ACT_SORT_SIZE },
	{ { 'n' }, "n", "sort regions by name", key_act, ACT_SORT_NAME },
	{ { 'g' }, "g", "regions grouped by (type, name) / one row per mapping",
	  key_act, ACT_GROUP },
	{ { 'c' }, "c", "deltas since the baseline / since the last phase mark",
	  key_since, 0 },
	{ { 'C' }, "C",
	  "show/hide the limits lines: cgroup limit and headroom, page cache, "
	  "/dev/shm, OOM kills",
	  key_limits, 0 },
	{ { 'O' }, "O",
	  "show/hide the OOM(ADJ) column: each process's oom_score "
	  "(oom_score_adj)",
	  key_oom_col, 0 },
	{ { KEY_F(1), 'h', '?' }, "F1, h, ?", "this help", key_help, 0 },
	{ { CTRL_KEY('l') }, "Ctrl-L", "redraw the screen", key_redraw, 0 },
	{ { 'q', KEY_F(10) }, "q, F10", "quit", key_quit, 0 },
};

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
