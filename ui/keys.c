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

#define CTRL_KEY(c) ((c) & 0x1f)

static void
key_mark(struct tui *t, int arg)
{
	tui_prompt_open(t);
}

static void
key_save(struct tui *t, int arg)
{
	char msg[APP_MSG_MAX];

	app_save(t->a, NULL, msg, sizeof msg);
	tui_message(t, "%s", msg);
}

/* Region deltas since the baseline / since the last mark. */
static void
key_since(struct tui *t, int arg)
{
	const struct phase *p;
	size_t n = phase_count(&t->a->ph);

	t->since_mark = !t->since_mark;
	tui_views_sync(t);
	if (!t->since_mark) {
		tui_message(t, "region changes since the baseline");
		return;
	}
	p = n > 0 ? phase_get(&t->a->ph, n - 1) : NULL;
	if (p == NULL)
		tui_message(t, "region changes since the last mark (none yet)");
	else
		tui_message(t, "region changes since the last mark: phase %ld "
			       "\"%s\"",
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
key_oom_col(struct tui *t, int arg)
{
	t->oom_col = !t->oom_col;
	if (t->a->m.cg == NULL)
		tui_message(t, "oom_score is not read (--no-cgroup)");
	else
		tui_message(t, "OOM(ADJ) column %s: oom_score (oom_score_adj)",
			    t->oom_col ? "shown" : "hidden");
}

static void
key_rebaseline(struct tui *t, int arg)
{
	const struct tui_row *f;
	struct proc *p;

	if (t->ended) {
		tui_message(t, "every target process has exited: nothing to "
			       "re-baseline");
		return;
	}
	/* The focused process's regions as they are now, with a row per
	 * mapping, so that `g` can give each mapping's change from here. */
	f = tui_focus_row(t);
	p = f != NULL ? tui_row_proc(t, f) : NULL;
	if (p != NULL && p->regions != NULL && p->regions->maps == NULL)
		tui_read_more(t, p, MODEL_SMAPS | MODEL_KEEP_MAPS | MODEL_NOW);
	model_rebaseline(&t->a->m);
	tui_rows_sync(t);
	tui_views_sync(t);
	tui_message(t, "new baseline: changes count from now");
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
