/*
 * tui_ask.c - questions on the status line that take the keys while
 * open: the incremental search (/), the filter (\ or F4), the user (u),
 * the signal to send and its confirmation (k or F9), the column chooser
 * (F2).  Enter keeps what was typed, Esc cancels.
 *
 * Touches: struct tui (its list settings and message); sends a signal
 * with kill(2) after the user confirmed it.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/errmsg.h"
#include "draw.h"
#include "theme.h"
#include "tui.h"

#define ASK_ESC 27

/* The signals the kill menu offers, in the order of their digit. */
static const struct {
	int sig;
	const char *name;
} ask_sigs[] = {
	{ SIGTERM, "TERM" }, { SIGKILL, "KILL" }, { SIGINT, "INT" },
	{ SIGHUP, "HUP" },   { SIGUSR1, "USR1" }, { SIGUSR2, "USR2" },
	{ SIGSTOP, "STOP" }, { SIGCONT, "CONT" }, { SIGQUIT, "QUIT" },
};
#define ASK_NSIGS (sizeof ask_sigs / sizeof ask_sigs[0])

/* The chooser's keys: 1..9 then a, b, c for the columns after PID. */
static const char ask_col_keys[] = "123456789abcd";

static const char *
ask_sig_name(int sig)
{
	size_t i;

	for (i = 0; i < ASK_NSIGS; i++)
		if (ask_sigs[i].sig == sig)
			return ask_sigs[i].name;
	return "?";
}

void
tui_ask_open(struct tui *t, enum tui_ask what)
{
	t->ask = what;
	t->ask_len = 0;
	t->ask_buf[0] = '\0';
	if (what == ASK_FILTER) {
		snprintf(t->ask_buf, sizeof t->ask_buf, "%s", t->list.filter);
		t->ask_len = strlen(t->ask_buf);
	}
}

/* Apply what is typed so far: the search moves, the filter filters. */
static void
ask_live(struct tui *t)
{
	if (t->ask == ASK_SEARCH) {
		snprintf(t->list.search, sizeof t->list.search, "%s",
			 t->ask_buf);
		tui_panel_key(t, ACT_SEARCH);
	} else if (t->ask == ASK_FILTER) {
		snprintf(t->list.filter, sizeof t->list.filter, "%s",
			 t->ask_buf);
		tui_views_sync(t);
	}
	t->need_reads = 1;
}

static void
ask_user(struct tui *t)
{
	if (t->ask_buf[0] == '\0') {
		t->list.uid = -1;
		t->list.user[0] = '\0';
		tui_message(t, "processes of every user");
	} else if (tui_list_user(&t->list, t->ask_buf) == 0) {
		tui_message(t,
			    "processes of %s (uid %ld) only; u then Enter "
			    "shows every user's",
			    t->list.user, t->list.uid);
	} else {
		tui_message(t,
			    "no user \"%s\" on this system: type a name "
			    "from /etc/passwd or a uid",
			    t->ask_buf);
		return;
	}
	tui_views_sync(t);
	t->need_reads = 1;
}

static void
ask_kill(struct tui *t)
{
	char why[128];
	int r = kill(t->kill_pid, t->kill_sig);

	if (r == 0) {
		tui_message(t, "sent SIG%s to %d (%s)",
			    ask_sig_name(t->kill_sig), t->kill_pid,
			    t->kill_name);
		return;
	}
	r = -errno;
	errmsg_why(r, why, sizeof why);
	if (r == -EPERM)
		tui_message(t,
			    "cannot send SIG%s to %d (%s): EPERM, %s: it "
			    "belongs to another user (run ramtop as that "
			    "user or as root)",
			    ask_sig_name(t->kill_sig), t->kill_pid,
			    t->kill_name, why);
	else if (r == -ESRCH)
		tui_message(t,
			    "cannot send SIG%s to %d (%s): ESRCH, the "
			    "process has already exited",
			    ask_sig_name(t->kill_sig), t->kill_pid,
			    t->kill_name);
	else
		tui_message(t, "cannot send SIG%s to %d (%s): %s",
			    ask_sig_name(t->kill_sig), t->kill_pid,
			    t->kill_name, why);
}

static void
ask_cols_key(struct tui *t, int ch)
{
	const char *k = ch > 0 && ch < 256 ? strchr(ask_col_keys, ch) : NULL;
	int col;

	if (k == NULL || ch == 0) {
		t->ask = ASK_NONE;
		return;
	}
	col = TC_RSS + (int)(k - ask_col_keys);
	if (col >= TC_CMD)
		return;
	t->list.cols ^= 1u << col;
	t->need_reads = 1;
}

/* A typed line: printable bytes, Backspace; 1 if ch was taken. */
static int
ask_edit(struct tui *t, int ch)
{
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (t->ask_len > 0)
			t->ask_buf[--t->ask_len] = '\0';
		return 1;
	}
	if (ch >= ' ' && ch < 256 && ch != 127 &&
	    t->ask_len + 1 < sizeof t->ask_buf) {
		t->ask_buf[t->ask_len++] = (char)ch;
		t->ask_buf[t->ask_len] = '\0';
		return 1;
	}
	return 0;
}

static void
ask_line_key(struct tui *t, int ch)
{
	int enter = ch == '\r' || ch == '\n' || ch == KEY_ENTER;

	if (ch == ASK_ESC) {
		if (t->ask == ASK_FILTER) {
			t->list.filter[0] = '\0';
			tui_views_sync(t);
		}
		t->ask = ASK_NONE;
		return;
	}
	if (ch == KEY_F(3) && t->ask == ASK_SEARCH) {
		tui_panel_key(t, ACT_SEARCH_NEXT);
		return;
	}
	if (enter) {
		if (t->ask == ASK_USER)
			ask_user(t);
		t->ask = ASK_NONE;
		return;
	}
	if (ask_edit(t, ch) && t->ask != ASK_USER)
		ask_live(t);
}

void
tui_ask_key(struct tui *t, int ch)
{
	size_t i;

	switch (t->ask) {
	case ASK_SEARCH:
	case ASK_FILTER:
	case ASK_USER:
		ask_line_key(t, ch);
		return;
	case ASK_SIGNAL:
		t->ask = ASK_NONE;
		if (ch == '\r' || ch == '\n' || ch == KEY_ENTER)
			ch = '1';
		i = ch >= '1' && ch <= '9' ? (size_t)(ch - '1') : ASK_NSIGS;
		if (i < ASK_NSIGS) {
			t->kill_sig = ask_sigs[i].sig;
			t->ask = ASK_CONFIRM;
		}
		return;
	case ASK_CONFIRM:
		t->ask = ASK_NONE;
		if (ch == 'y' || ch == 'Y')
			ask_kill(t);
		else
			tui_message(t, "no signal sent");
		return;
	case ASK_COLS:
		ask_cols_key(t, ch == ASK_ESC || ch == KEY_F(2) || ch == '\r' ||
						ch == '\n'
					? 0
					: ch);
		return;
	case ASK_NONE:
		return;
	}
}

static void
ask_draw_cols(struct tui *t, struct draw_line *l, attr_t a)
{
	int col;

	draw_put(l, "columns (key toggles, Enter/Esc done): ", a);
	for (col = TC_RSS; col < TC_CMD; col++)
		draw_putf(l, a, "%c %s%s  ", ask_col_keys[col - TC_RSS],
			  tree_cols[col].name,
			  t->list.cols & (1u << col) ? "*" : "");
}

void
tui_ask_draw(struct tui *t, int y)
{
	struct draw_line l = { y, 0, COLS };
	attr_t a = theme_attr[THEME_MESSAGE];
	size_t i;

	draw_fill(y, 0, COLS, a);
	switch (t->ask) {
	case ASK_SEARCH:
		draw_put(&l, "search (F3 next, Enter/Esc done): ", a);
		break;
	case ASK_FILTER:
		draw_put(&l, "filter (Enter keeps, Esc clears): ", a);
		break;
	case ASK_USER:
		draw_put(&l, "only the processes of user (empty: all): ", a);
		break;
	case ASK_SIGNAL:
		draw_putf(&l, a,
			  "signal to %d (%s), Esc cancels: ", t->kill_pid,
			  t->kill_name);
		for (i = 0; i < ASK_NSIGS; i++)
			draw_putf(&l, a, "%zu %s  ", i + 1, ask_sigs[i].name);
		return;
	case ASK_CONFIRM:
		draw_putf(&l, a,
			  "send SIG%s to %d (%s)? y sends, any other key "
			  "cancels",
			  ask_sig_name(t->kill_sig), t->kill_pid, t->kill_name);
		return;
	case ASK_COLS:
		ask_draw_cols(t, &l, a);
		return;
	case ASK_NONE:
		return;
	}
	draw_put(&l, t->ask_buf, a);
	draw_put(&l, "_", a);
}
