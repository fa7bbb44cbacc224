/*
 * tui.c - the interactive screen: curses set-up and teardown, the main
 * loop (sample, read what is on screen, draw, keys, signals), resize,
 * Ctrl-Z, the end of the target, and where a launched command's output
 * goes.  The loop drives screens through their view_ops only.
 *
 * It may touch: the terminal, the model (through model.h), the launched
 * child (through app.h), and one log file for the child's output.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "../src/loop.h"
#include "draw.h"
#include "keys.h"
#include "theme.h"
#include "tui.h"
#include "ui.h"

/* Lines a panel needs to be worth showing beside another one. */
#define TUI_MIN_PANEL 5
/* Seconds of socket marks at most between two looks at the keys. */
#define TUI_MARKS_SECS 0.1
/* Seconds a status message stays. */
#define TUI_MSG_SECS 3.0
/* Seconds a launched command gets to end after SIGTERM when ramtop quits. */
#define TUI_CHILD_GRACE 3.0

static volatile sig_atomic_t tui_sig_tstp;
static int tui_curses_on;
static SCREEN *tui_screen;
static char tui_log[PATH_MAX];
static int tui_log_fd = -1;

static void
tui_tstp_handler(int sig)
{
	tui_sig_tstp = 1;
}

/* Whatever happens, leave the terminal as we found it. */
static void
tui_end_curses(void)
{
	if (!tui_curses_on)
		return;
	tui_curses_on = 0;
	endwin();
	if (tui_screen != NULL) {
		delscreen(tui_screen);
		tui_screen = NULL;
	}
}

static void
tui_atexit(void)
{
	tui_end_curses();
}

int
ui_child_fd(void)
{
	const char *dir = getenv("TMPDIR");
	int fd = -1, i;

	if (dir == NULL || dir[0] != '/')
		dir = "/tmp";
	for (i = 0; i < 100; i++) {
		if (i == 0)
			snprintf(tui_log, sizeof tui_log, "%s/ramtop-cmd-%ld.log",
				 dir, (long)getpid());
		else
			snprintf(tui_log, sizeof tui_log,
				 "%s/ramtop-cmd-%ld.%d.log", dir, (long)getpid(),
				 i);
		fd = open(tui_log,
			  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			  0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		/* Never let the command write over the screen. */
		fprintf(stderr,
			"ramtop: cannot create a log for the command's output "
			"in %s: %s; it is discarded (set TMPDIR to a writable "
			"directory to keep it)\n",
			dir, strerror(errno));
		snprintf(tui_log, sizeof tui_log, "/dev/null");
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			tui_log[0] = '\0';
	}
	tui_log_fd = fd;
	return fd;
}

const char *
tui_log_path(void)
{
	return tui_log[0] != '\0' ? tui_log : NULL;
}

/* After the run: say where the command's output is, or remove the log. */
static void
tui_log_finish(struct app *a)
{
	struct stat st;

	if (tui_log_fd >= 0)
		close(tui_log_fd);
	tui_log_fd = -1;
	if (tui_log[0] == '\0' || strcmp(tui_log, "/dev/null") == 0)
		return;
	if (a->child > 0 && stat(tui_log, &st) == 0 && st.st_size > 0)
		fprintf(stderr, "ramtop: the command's output is in %s\n",
			tui_log);
	else
		unlink(tui_log);
}

void
tui_message(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_until = model_now() + TUI_MSG_SECS;
}

struct proc *
tui_row_proc(struct tui *t, const struct tui_row *r)
{
	struct model *m = &t->a->m;
	struct proc *p;

	if (t->ended || r->midx < 0 || (size_t)r->midx >= m->nprocs)
		return NULL;
	p = m->procs[r->midx];
	if (p->pid != r->pid || p->start_time != r->start_time)
		return NULL;
	return p;
}

const struct tui_row *
tui_focus_row(const struct tui *t)
{
	size_t i;

	if (!t->sel.valid)
		return NULL;
	for (i = 0; i < t->nrows; i++)
		if (t->rows[i].pid == t->sel.pid &&
		    t->rows[i].start_time == t->sel.start_time)
			return &t->rows[i];
	return NULL;
}

void
tui_read_more(struct tui *t, struct proc *p, unsigned what)
{
	size_t i;
	int *np;

	if (t->a->o->gentle || t->ended)
		return;
	if (!(what & MODEL_SMAPS)) {
		for (i = 0; i < t->nread; i++)
			if (t->read_pids[i] == p->pid)
				return;
	}
	model_read_more(&t->a->m, p, what);
	if (t->nread == t->capread) {
		np = realloc(t->read_pids, (t->capread * 2 + 16) * sizeof *np);
		if (np == NULL)
			return;
		t->read_pids = np;
		t->capread = t->capread * 2 + 16;
	}
	t->read_pids[t->nread++] = p->pid;
}

int
tui_panel_index(const struct tui *t, const struct view_ops *ops)
{
	int i;

	for (i = 0; i < t->npanels; i++)
		if (t->panels[i].ops == ops)
			return i;
	return -1;
}

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

int
tui_phase_count(const struct tui *t)
{
	return (int)phase_count(&t->a->ph);
}

const char *
tui_phase_label(const struct tui *t)
{
	size_t n = phase_count(&t->a->ph);
	const struct phase *p = n > 0 ? phase_get(&t->a->ph, n - 1) : NULL;

	return p != NULL ? p->label : NULL;
}

static void
tui_rows_free(struct tui_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(rows[i].cmdline);
	free(rows);
}

/* Copy the model's processes into t->rows.  A process that has become a
 * zombie or vanished mid-read keeps the figures it had. */
static void
tui_rows_sync(struct tui *t)
{
	struct model *m = &t->a->m;
	struct tui_row *nr, *r;
	const struct tui_row *old;
	const struct proc *p;
	size_t i, k;

	nr = calloc(m->nprocs ? m->nprocs : 1, sizeof *nr);
	if (nr == NULL)
		return;
	for (i = 0; i < m->nprocs; i++) {
		p = m->procs[i];
		r = &nr[i];
		r->pid = p->pid;
		r->ppid = p->ppid;
		r->depth = p->depth;
		r->nchildren = p->nchildren;
		r->start_time = p->start_time;
		r->now = p->now;
		r->base = p->base;
		r->status_err = p->status_err;
		r->rollup_err = p->rollup_err;
		memcpy(r->comm, p->comm, sizeof r->comm);
		r->comm[sizeof r->comm - 1] = '\0';
		r->cmdline = p->cmdline != NULL ? strdup(p->cmdline) : NULL;
		r->midx = (long)i;
		if (p->status_err != PROC_ZOMBIE && p->status_err != PROC_GONE)
			continue;
		for (k = 0; k < t->nrows; k++) {
			old = &t->rows[k];
			if (old->pid == p->pid &&
			    old->start_time == p->start_time &&
			    (old->now.rss >= 0 || old->exited)) {
				r->now = old->now;
				r->base = old->base;
				r->exited = 1;
				break;
			}
		}
	}
	tui_rows_free(t->rows, t->nrows);
	t->rows = nr;
	t->nrows = m->nprocs;
}

static void
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
	int ph = tui_panel_index(t, &view_phases_ops),
	    rg = tui_panel_index(t, &view_regions_ops);

	if (i == ph)
		return t->focus == ph;
	if (i == rg && ph >= 0 && t->focus == ph)
		return 0;
	return 1;
}

/* Decide which screens are on and where; returns the header height. */
static int
tui_layout(struct tui *t)
{
	int lines = LINES, hh, body, y, i, n = 0, h, want, cap, rest, k,
	    idx[TUI_MAX_PANELS];

	hh = lines >= 16 ? 3 : lines >= 12 ? 2 : lines >= 6 ? 1 : 0;
	if (hh == 3)
		hh += draw_limits_lines(t);
	body = lines - hh - (lines >= 2 ? 1 : 0);
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
		t->panels[t->focus].y = hh;
		t->panels[t->focus].h = body;
		return hh;
	}
	y = hh;
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
			if (h < 2)
				h = 2;	/* a title and one row */
		}
		t->panels[i].visible = 1;
		t->panels[i].y = y;
		t->panels[i].h = h;
		y += h;
		body -= h;
	}
	return hh;
}

/* Ask the screens on view for their costly figures, then refresh the
 * copies they draw from. */
static void
tui_reads(struct tui *t, int full)
{
	struct view *v;
	int i;

	if (t->ended)
		return;
	tui_layout(t);
	if (!t->a->o->gentle) {
		/* Last panel first: the focused process's full read includes
		 * its rollup, which the tree then need not read again. */
		for (i = t->npanels; i-- > 0;) {
			v = &t->panels[i];
			if (v->visible && v->ops->reads != NULL)
				v->ops->reads(t, v->data, full);
		}
		model_totals_update(&t->a->m);
	}
	tui_rows_sync(t);
	tui_views_sync(t);
}

/* A new OOM kill goes on the status line (and stays in the limits
 * lines). */
static void
tui_oom_tell(struct tui *t)
{
	char msg[1024];

	if (t->a->cg.noom <= t->oom_told)
		return;
	t->oom_told = t->a->cg.noom;
	cgroup_oom_msg(&t->a->cg.oom[t->oom_told - 1], msg, sizeof msg);
	tui_message(t, "%s", msg);
}

void
tui_toggle_limits(struct tui *t)
{
	int shown = draw_limits_lines(t) > 0;

	t->limits_on = !shown;
	tui_message(t, "limits lines %s", shown ? "hidden" : "shown");
}

void
tui_toggle_oom_col(struct tui *t)
{
	t->oom_col = !t->oom_col;
	if (t->a->m.cg == NULL)
		tui_message(t, "oom_score is not read (--no-cgroup)");
	else
		tui_message(t, "OOM(ADJ) column %s: oom_score (oom_score_adj)",
			    t->oom_col ? "shown" : "hidden");
}

static void
tui_set_ended(struct tui *t)
{
	size_t i;

	t->ended = 1;
	app_oom_exit(t->a, NULL, 0);	/* the command's kill, if it was */
	tui_oom_tell(t);
	for (i = 0; i < t->nrows; i++) {
		t->rows[i].exited = 1;
		t->rows[i].midx = -1;
	}
	tui_views_sync(t);
}

/* One sample: status for all, then what is on screen (Cost control). */
static int
tui_tick(struct tui *t)
{
	struct app *a = t->a;
	double t0 = model_now();
	int r;

	if (t->ended)
		return 0;
	if (a->child > 0 && app_child_check(a)) {
		tui_set_ended(t);
		return 0;
	}
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
	tui_reads(t, 1);
	t->tick_ms = (model_now() - t0) * 1000.0;
	if (phase_count(&a->ph) == 0) {
		/* Phase 0, "baseline", from the first sample. */
		r = app_phases_start(a);
		if (r < 0)
			tui_message(t, "cannot record the baseline phase: %s",
				    strerror(-r));
		tui_views_sync(t);
	}
	return 0;
}

/* The model took a sample outside a tick (a mark): proc pointers held
 * before are stale, so take the rows and the screens' figures again. */
static void
tui_resampled(struct tui *t)
{
	struct app *a = t->a;

	if (t->ended)
		return;
	t->ticks++;
	t->nread = 0;
	if (a->child == 0 && !model_alive(&a->m)) {
		tui_set_ended(t);
		return;
	}
	tui_rows_sync(t);
	tui_views_sync(t);
	tui_reads(t, 1);
}

void
tui_mark_prompt(struct tui *t)
{
	if (t->ended) {
		tui_message(t, "every target process has exited: nothing to "
			       "mark");
		return;
	}
	t->prompt_on = 1;
	t->prompt_len = 0;
	t->prompt[0] = '\0';
}

static void
tui_mark(struct tui *t, const char *label)
{
	char msg[1200];

	app_mark(t->a, label, msg, sizeof msg);
	tui_resampled(t);
	tui_views_sync(t);
	tui_message(t, "%s", msg);
}

/* A key while the label prompt is open. */
static void
tui_prompt_key(struct tui *t, int ch)
{
	switch (ch) {
	case 27:	/* Esc */
		t->prompt_on = 0;
		tui_message(t, "mark cancelled");
		return;
	case '\r':
	case '\n':
	case KEY_ENTER:
		t->prompt_on = 0;
		t->prompt[t->prompt_len] = '\0';
		tui_mark(t, t->prompt);
		return;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		/* Drop one character: UTF-8 continuation bytes with it. */
		while (t->prompt_len > 0 &&
		       ((unsigned char)t->prompt[--t->prompt_len] & 0xc0) ==
			       0x80)
			;
		t->prompt[t->prompt_len] = '\0';
		return;
	default:
		break;
	}
	/* Printable bytes only (UTF-8 ones are checked when the label is
	 * cleaned); function keys and control characters are ignored. */
	if (ch < ' ' || ch == 127 || ch > 255)
		return;
	if (t->prompt_len + 1 > PHASE_LABEL_MAX) {
		beep();
		return;
	}
	t->prompt[t->prompt_len++] = (char)ch;
	t->prompt[t->prompt_len] = '\0';
}

void
tui_save(struct tui *t)
{
	char msg[1200];

	app_save(t->a, NULL, msg, sizeof msg);
	tui_message(t, "%s", msg);
}

void
tui_toggle_since(struct tui *t)
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

void
tui_rebaseline(struct tui *t)
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
tui_draw(struct tui *t)
{
	struct view *v;
	int hh, i;

	erase();
	if (LINES <= 0 || COLS <= 0)
		return;
	hh = tui_layout(t);
	draw_header(t, 0, hh);
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

static void
tui_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}

/* Ctrl-Z: give the terminal back, stop the way the shell expects (a
 * default SIGTSTP), and take the terminal again once continued. */
static void
tui_suspend(void)
{
	struct sigaction sa, old;
	sigset_t set, ttou;

	/* If a wrapper (sh -c) stopped first, the shell has taken the
	 * terminal back already: restore it from the background anyway
	 * (SIGTTOU blocked) rather than stop with it left raw. */
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, NULL);
	endwin();
	fflush(stdout);
	sigprocmask(SIG_UNBLOCK, &ttou, NULL);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, &old);
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	raise(SIGTSTP);				/* pending: it is blocked */
	sigprocmask(SIG_UNBLOCK, &set, NULL);	/* stops here */
	/* Continued. */
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigaction(SIGTSTP, &old, NULL);
	loop_sig_cont = 0;
	tui_resize();
}

static int
tui_start_curses(const struct opts *o)
{
	const char *cs;

	tui_screen = newterm(NULL, stdout, stdin);
	if (tui_screen == NULL) {
		fprintf(stderr,
			"ramtop: cannot use the terminal '%s': set TERM to your "
			"terminal's type (e.g. TERM=xterm-256color) or use -b\n",
			getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	tui_curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	theme_init(!o->no_color);
	cs = nl_langinfo(CODESET);
	return cs != NULL && strcmp(cs, "UTF-8") == 0;
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

	for (i = 0; i < sizeof panels / sizeof panels[0]; i++) {
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
		if (t->help_on && t->help.ops->input != NULL &&
		    t->help.ops->input(t, t->help.data, ch))
			continue;
		if (!keys_dispatch(t, ch) && ch < 127 && ch > ' ')
			tui_message(t, "the key '%c' does nothing here: ? "
				       "lists the keys",
				    ch);
		if (t->quit)
			break;
	}
	return any;
}

/* The terminal is gone (hangup, or closed): nothing will come from it,
 * and ppoll would report it ready forever. */
static int
tui_hungup(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1 &&
	       (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
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
	until = model_now() + TUI_CHILD_GRACE;
	while (!app_child_check(a) && model_now() < until)
		loop_wait(0.05, -1);
	if (!app_child_check(a)) {
		app_child_forward(a, SIGKILL);
		while (!app_child_check(a))
			loop_wait(0.05, -1);
	}
}

static int
tui_loop(struct tui *t)
{
	struct app *a = t->a;
	char why[160];
	double now, next, wait;
	int r, dirty = 1, sig = 0;

	next = model_now();
	for (;;) {
		now = model_now();
		if (!t->ended && now >= next) {
			r = tui_tick(t);
			if (r < 0) {
				tui_end_curses();
				fprintf(stderr,
					"ramtop: cannot read the process list: "
					"%s\n",
					app_read_error(r, why, sizeof why));
				tui_child_stop(a, SIGTERM);
				return 1;
			}
			next = now + a->o->delay;
			if (next < model_now())
				next = model_now() + a->o->delay;
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
		if (t->msg[0] != '\0' && model_now() >= t->msg_until) {
			t->msg[0] = '\0';
			dirty = 1;
		}
		if (dirty) {
			tui_draw(t);
			dirty = 0;
		}

		now = model_now();
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

		/* Marks from outside: SIGUSR1 and the socket; a flood of
		 * them leaves time for samples, keys and drawing. */
		{
			char msg[1200];
			double until = model_now() + TUI_MARKS_SECS;
			long idx;

			if (!t->ended && next < until)
				until = next;
			while (app_mark_poll(a, &idx, msg, sizeof msg)) {
				tui_resampled(t);
				tui_message(t, "%s", msg);
				dirty = 1;
				if (model_now() >= until)
					break;
			}
		}

		sig = loop_stop_signal();
		if (sig != 0)
			break;
		if (tui_sig_tstp) {
			tui_sig_tstp = 0;
			tui_suspend();
			dirty = 1;
		}
		if (loop_sig_winch) {
			loop_sig_winch = 0;
			tui_resize();
			dirty = 1;
		}
		if (loop_sig_cont) {
			loop_sig_cont = 0;
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
	}
	tui_end_curses();
	if (a->child > 0) {
		tui_child_stop(a, sig != 0 ? sig : SIGTERM);
		return app_exit_code(a);
	}
	return sig != 0 ? 128 + sig : 0;
}

int
ui_run(struct app *a)
{
	struct tui t;
	struct sigaction sa;
	sigset_t set;
	int r, utf8;

	memset(&t, 0, sizeof t);
	t.a = a;
	t.limits_on = -1;
	/* A row that vanishes mid-read keeps its figures, marked exited:
	 * when the whole target ends, every row it had stays on screen. */
	a->m.keep_gone = 1;
	if (a->child <= 0 && tui_log[0] != '\0') {
		/* No command: the log main.c asked for is not needed. */
		if (tui_log_fd >= 0)
			close(tui_log_fd);
		tui_log_fd = -1;
		if (strcmp(tui_log, "/dev/null") != 0)
			unlink(tui_log);
		tui_log[0] = '\0';
	}

	/* Ctrl-Z is ours (before curses, so it does not take it), and is
	 * delivered only while waiting, like the other signals. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_tstp_handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_BLOCK, &set, NULL);

	atexit(tui_atexit);
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
	app_oom_exit(a, stderr, 0);
	tui_views_free(&t);
	tui_rows_free(t.rows, t.nrows);
	free(t.read_pids);
	tui_log_finish(a);
	if (!a->m.all || a->hidden)
		app_hint(a, stderr);
	return r;
}
