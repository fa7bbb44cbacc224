/*
 * tui_term.c - the terminal: curses set up and torn down (whatever
 * happens, the terminal is left as it was found), Ctrl-Z, resizing, and
 * noticing a terminal that went away.
 *
 * Touches: the terminal on stdin/stdout, SIGTSTP's disposition.
 */
#include "config.h"

#include <curses.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../src/fmt.h"
#include "../src/loop.h"
#include "../src/opts.h"
#include "theme.h"
#include "tui.h"
#include "../src/sanitize.h"

static volatile sig_atomic_t tui_sig_tstp;
static int tui_curses_on;
static SCREEN *tui_screen;

static void
tui_tstp_handler(int sig)
{
	tui_sig_tstp = 1;
}

/* Whatever happens, leave the terminal as we found it. */
void
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

void
tui_catch_tstp(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_tstp_handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	atexit(tui_atexit);
}

int
tui_tstp_take(void)
{
	if (!tui_sig_tstp)
		return 0;
	tui_sig_tstp = 0;
	return 1;
}

void
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
void
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
	raise(SIGTSTP);			      /* pending: it is blocked */
	sigprocmask(SIG_UNBLOCK, &set, NULL); /* stops here */
	/* Continued. */
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigaction(SIGTSTP, &old, NULL);
	loop_sig_cont = 0;
	tui_resize();
}

int
tui_start_curses(const struct opts *o)
{
	tui_screen = newterm(NULL, stdout, stdin);
	if (tui_screen == NULL) {
		sanitize_say(
			stderr,
			"ramtop: cannot use the terminal '%.64s': set TERM "
			"to your terminal's type (e.g. TERM=xterm-256color) "
			"or use -b",
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
	/* Clicks and the wheel (Shift still selects text in most
	 * terminals). */
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  | BUTTON5_PRESSED
#endif
		  ,
		  NULL);
	mouseinterval(0);
	theme_init(!o->no_color);
	return fmt_locale_utf8();
}

/* The terminal is gone (hangup, or closed): nothing will come from it,
 * and ppoll would report it ready forever. */
int
tui_hungup(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1 &&
	       (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}
