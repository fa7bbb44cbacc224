/*
 * tui.c - the interactive screen's main loop: sample, read what is on
 * screen, draw, keys, signals, the end of the target.  The loop drives
 * screens through their view_ops only.  The terminal is tui_term.c, the
 * command's log tui_log.c, the rows tui_state.c, the panels
 * tui_layout.c, the label prompt tui_prompt.c, the keys keys.c.
 *
 * It may touch: the model (through model.h), the launched child
 * (through app.h).
 */
#include "config.h"

#if defined(HAVE_MALLOC_TRIM) || defined(HAVE_MALLOPT)
#include <malloc.h>
#endif

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/clock.h"
#include "../src/errmsg.h"
#include "../src/loop.h"
#include "draw.h"
#include "keys.h"
#include "tui.h"
#include "ui.h"

/* Seconds of socket marks at most between two looks at the keys. */
#define TUI_MARKS_SECS 0.1
/* Blocks from this size up are mapped apart (glibc's default start). */
#define TUI_MMAP_THRESHOLD (128 * 1024)

/* Seconds a launched command gets to end after SIGTERM when ramtop quits. */
#define TUI_CHILD_GRACE 3.0

/* What a tick reads after its sample (the rows in view, the focused
 * process's regions, PSS under the budget), then what uses those: the
 * timeline, phase 0 at the first tick, the budgets.  t0: when the tick
 * began. */
static void
tui_tick_reads(struct tui *t, double t0)
{
	struct app *a = t->a;
	int r;

	tui_reads(t, 1);
	app_timeline_note(a);
	strip_note(t);
	t->tick_ms = (clock_now() - t0) * 1000.0;
	if (phase_count(&a->ph) == 0) {
		/* Phase 0, "baseline", from the first sample. */
		r = app_phases_start(a);
		if (r < 0)
			tui_message(t, "cannot record the baseline phase: %s",
				    strerror(-r));
		tui_views_sync(t);
	}
	tui_budget(t, 1);
#ifdef HAVE_MALLOC_TRIM
	/* What this sample freed in the middle of the heap goes back. */
	malloc_trim(0);
#endif
}

/* One sample: status for all, then what is on screen (Cost control). */
static int
tui_tick(struct tui *t)
{
	struct app *a = t->a;
	double t0 = clock_now();
	int r;

	if (t->ended)
		return 0;
	if (t->replay) { /* nothing is watched */
		tui_rows_sync(t);
		tui_views_sync(t);
		return 0;
	}
	if (a->child > 0 && app_child_check(a)) {
		tui_set_ended(t);
		return 0;
	}
	if (!app_cgroup_scores_kept(a)) /* read while a column shows them */
		a->cg.scores =
			(t->list.cols & (1u << TC_OOM | 1u << TC_OOMADJ)) != 0;
	r = model_sample(&a->m, 0);
	if (r < 0)
		return r;
	tui_oom_tell(t);
	t->ticks++;
	t->nread = 0;
	if (a->child == 0 && !model_alive(&a->m)) {
		tui_set_ended(t);
		return 0;
	}
	tui_rows_sync(t);
	tui_views_sync(t);
	if (t->ticks == 1) {
		/* The first screen before the costly reads (the focused
		 * process may have 100,000 mappings): tui_loop reads once
		 * it is drawn. */
		t->reads_after_draw = 1;
		return 0;
	}
	tui_tick_reads(t, t0);
	return 0;
}

static void
tui_draw(struct tui *t)
{
	struct view *v;
	int hh, i;

	erase();
	if (LINES <= 0 || COLS <= 0)
		return;
	hh = tui_layout(t);
	if (t->replay)
		replay_header(t, 0, hh);
	else
		draw_header(t, 0, hh);
	if (t->strip_h > 0)
		strip_draw(t, t->strip_y, t->strip_h);
	if (t->help.visible) {
		t->help.ops->draw(t, t->help.data, t->help.y, t->help.h, 1);
	} else {
		for (i = 0; i < t->npanels; i++) {
			v = &t->panels[i];
			if (v->visible)
				v->ops->draw(t, v->data, v->y, v->h,
					     i == t->focus);
		}
	}
	if (LINES >= 2 || hh == 0)
		draw_status(t, LINES - 1);
	wnoutrefresh(stdscr);
	doupdate();
}

static int
tui_views_init(struct tui *t)
{
	static const struct view_ops *const panels[] = {
		&view_tree_ops,
		&view_regions_ops,
		&view_phases_ops,
	};
	size_t i;

	t->panel_regions = t->panel_phases = -1;
	for (i = 0; i < sizeof panels / sizeof panels[0]; i++) {
		if (panels[i] == &view_regions_ops)
			t->panel_regions = (int)i;
		if (panels[i] == &view_phases_ops)
			t->panel_phases = (int)i;
		t->panels[i].ops = panels[i];
		t->panels[i].data = panels[i]->init(t);
		if (t->panels[i].data == NULL)
			return -1;
		t->npanels++;
	}
	t->help.ops = &view_help_ops;
	t->help.data = view_help_ops.init(t);
	return t->help.data == NULL ? -1 : 0;
}

static void
tui_views_free(struct tui *t)
{
	int i;

	for (i = 0; i < t->npanels; i++)
		t->panels[i].ops->free(t->panels[i].data);
	if (t->help.ops != NULL)
		t->help.ops->free(t->help.data);
}

/* Keys waiting: handle them all before drawing.  Returns 1 if any. */
static int
tui_input(struct tui *t)
{
	int ch, any = 0;

	while ((ch = getch()) != ERR) {
		any = 1;
		if (ch == KEY_RESIZE)
			continue;
		if (t->prompt_on) {
			tui_prompt_key(t, ch);
			continue;
		}
		if (t->ask != ASK_NONE) {
			tui_ask_key(t, ch);
			continue;
		}
		if (t->help_on && t->help.ops->input != NULL &&
		    t->help.ops->input(t, t->help.data, ch))
			continue;
		if (keys_dispatch(t, ch))
			;
		else if (ch < 127 && ch > ' ')
			tui_message(t,
				    "the key '%c' does nothing here: ? "
				    "lists the keys",
				    ch);
		else if (ch >= KEY_F(1) && ch <= KEY_F(63))
			tui_message(t,
				    "the key F%d does nothing here: ? "
				    "lists the keys",
				    ch - KEY_F(0));
		else if (ch > 255)
			tui_message(t,
				    "the key %s does nothing here: ? lists "
				    "the keys",
				    keyname(ch) ? keyname(ch) : "pressed");
		if (t->quit)
			break;
	}
	return any;
}

/* ramtop leaves while its command runs: ask it to end, then insist. */
static void
tui_child_stop(struct app *a, int sig)
{
	double until;

	if (a->child <= 0 || app_child_check(a))
		return;
	fprintf(stderr, "ramtop: stopping the command (pid %ld) with %s\n",
		(long)a->child, strsignal(sig));
	app_child_forward(a, sig);
	until = clock_now() + TUI_CHILD_GRACE;
	while (!app_child_check(a) && clock_now() < until)
		loop_wait(0.05, -1);
	if (!app_child_check(a)) {
		app_child_forward(a, SIGKILL);
		while (!app_child_check(a))
			loop_wait(0.05, -1);
	}
}

/* Wait for a key, a socket mark, a signal or the next sample. */
static void
tui_wait(struct tui *t, double next)
{
	struct app *a = t->a;
	double now = clock_now(), wait;

	wait = t->ended ? 3600.0 : next - now;
	if (t->msg[0] != '\0' && t->msg_until - now < wait)
		wait = t->msg_until - now;
	if (app_mark_pending(a))
		wait = 0;
	if (loop_wait2(wait, STDIN_FILENO, app_mark_fd(a)) & 1) {
		/* ppoll delivers a signal only when it interrupts the
		 * wait: with input ready at once, take any pending
		 * signal now (and see a terminal that went away). */
		loop_wait(0, -1);
		if (tui_hungup())
			loop_sig_hup = 1;
	}
}

/* Marks from outside: SIGUSR1 and the socket; a flood of them leaves
 * time for samples, keys and drawing.  Returns 1 if any was taken. */
static int
tui_outside_marks(struct tui *t, double next)
{
	char msg[APP_MSG_MAX];
	double until = clock_now() + TUI_MARKS_SECS;
	long idx;
	int any = 0;

	if (!t->ended && next < until)
		until = next;
	while (app_mark_poll(t->a, &idx, msg, sizeof msg)) {
		tui_resampled(t);
		tui_message(t, "%s", msg);
		tui_budget(t, 0);
		any = 1;
		if (clock_now() >= until)
			break;
	}
	return any;
}

/* Ctrl-Z, a resize, a continue, the command's end.  Returns 1 if the
 * screen must be drawn again. */
static int
tui_signals(struct tui *t)
{
	struct app *a = t->a;
	int dirty = 0;

	if (tui_tstp_take()) {
		tui_suspend();
		dirty = 1;
	}
	if (loop_sig_winch || loop_sig_cont) {
		loop_sig_winch = loop_sig_cont = 0;
		tui_resize();
		dirty = 1;
	}
	if (loop_sig_chld) {
		loop_sig_chld = 0;
		if (a->child > 0 && !t->ended && app_child_check(a)) {
			tui_set_ended(t);
			dirty = 1;
		}
	}
	return dirty;
}

static int
tui_loop(struct tui *t)
{
	struct app *a = t->a;
	char why[160];
	double now, next;
	int r, dirty = 1, sig = 0;

	next = clock_now();
	for (;;) {
		now = clock_now();
		if (!t->ended && now >= next) {
			r = tui_tick(t);
			if (r < 0) {
				tui_end_curses();
				fprintf(stderr,
					"ramtop: cannot read the process list: "
					"%s\n",
					errmsg_why(r, why, sizeof why));
				tui_child_stop(a, SIGTERM);
				return 1;
			}
			next = now + a->o->delay;
			if (next < clock_now())
				next = clock_now() + a->o->delay;
			tui_metrics(t);
			dirty = 1;
		}
		if (tui_input(t))
			dirty = 1;
		if (t->quit)
			break;
		if (t->need_reads) {
			t->need_reads = 0;
			tui_reads(t, 0);
			dirty = 1;
		}
		if (t->msg[0] != '\0' && clock_now() >= t->msg_until) {
			t->msg[0] = '\0';
			dirty = 1;
		}
		if (dirty) {
			tui_draw(t);
			dirty = 0;
		}
		if (t->reads_after_draw) { /* the first tick's reads */
			t->reads_after_draw = 0;
			tui_tick_reads(t, clock_now());
			tui_draw(t);
		}
		tui_wait(t, next);
		if (tui_outside_marks(t, next))
			dirty = 1;
		sig = loop_stop_signal();
		if (sig != 0)
			break;
		if (tui_signals(t))
			dirty = 1;
	}
	tui_end_curses();
	if (a->child > 0) {
		/* Ctrl-\ ends the screen as q does: the command is asked to
		 * end with SIGTERM (not left to dump core). */
		tui_child_stop(a, sig != 0 && sig != SIGQUIT ? sig : SIGTERM);
		return app_exit_code(a);
	}
	return sig != 0 ? 128 + sig : 0;
}

int
ui_run(struct app *a)
{
	struct cg_oom *e;
	struct tui t;
	char why[512];
	int r, utf8;

#ifdef HAVE_MALLOPT
	/* Each tick takes and frees arrays of every process (the rows, the
	 * scan, the model's tables).  glibc would raise its mmap threshold
	 * to the biggest block freed, and those arrays would then come from
	 * the heap and leave holes in it: a fixed threshold gives them back
	 * whole. */
	mallopt(M_MMAP_THRESHOLD, TUI_MMAP_THRESHOLD);
#endif
	memset(&t, 0, sizeof t);
	t.a = a;
	t.replay = a->rec != NULL;
	t.limits_on = -1;
	/* A row that vanishes mid-read keeps its figures, marked exited:
	 * when the whole target ends, every row it had stays on screen. */
	a->m.keep_gone = 1;
	/* No command: the log main.c asked for is not needed. */
	if (a->child <= 0)
		tui_log_discard();
	t.log_path = tui_log_path();
	tui_list_defaults(&t.list, a->m.all);
	tui_settings_load(&t);
	if (a->o->user != NULL && tui_list_user(&t.list, a->o->user) < 0) {
		fprintf(stderr,
			"ramtop: -u: no user \"%s\" on this system: give a "
			"name from /etc/passwd or a uid\n",
			a->o->user);
		tui_child_stop(a, SIGTERM);
		tui_log_finish(a);
		return 2;
	}

	/* Ctrl-Z is ours (before curses, so it does not take it), and is
	 * delivered only while waiting, like the other signals. */
	tui_catch_tstp();
	utf8 = tui_start_curses(a->o);
	if (utf8 < 0) {
		tui_log_finish(a);
		tui_child_stop(a, SIGTERM);
		return 1;
	}
	t.utf8 = utf8;
	if (tui_views_init(&t) < 0) {
		tui_end_curses();
		fprintf(stderr, "ramtop: out of memory\n");
		tui_views_free(&t);
		tui_child_stop(a, SIGTERM);
		tui_log_finish(a);
		return 1;
	}
	if (a->hidden)
		tui_message(&t, "%s", app_hidden_msg);
	r = tui_loop(&t);
	tui_end_curses();
	/* OOM kills are told again once the screen is gone. */
	while ((e = app_oom_untold(a)) != NULL)
		app_oom_text(e, stderr);
	tui_settings_save(&t, why, sizeof why);
	if (why[0] != '\0')
		fprintf(stderr, "ramtop: %s\n", why);
	tui_views_free(&t);
	tui_rows_free(t.rows, t.nrows);
	free(t.read_pids);
	strip_free(&t);
	replay_free(&t);
	tui_log_finish(a);
	if (!a->m.all || a->hidden)
		app_hint(a, stderr);
	return r;
}
