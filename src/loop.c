/*
 * loop.c - signal handlers only set flags; loop_wait() is the one place
 * they are delivered (ppoll unblocks them atomically), so a signal that
 * arrives between a check and the wait is never lost.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include "loop.h"

volatile sig_atomic_t loop_sig_chld, loop_sig_int, loop_sig_term, loop_sig_hup,
	loop_sig_usr1, loop_sig_winch, loop_sig_cont, loop_sig_quit,
	loop_sig_tty;
int loop_hangup;

static const int loop_sigs[] = { SIGCHLD, SIGINT,   SIGTERM, SIGHUP,
				 SIGUSR1, SIGWINCH, SIGCONT, SIGQUIT };
#define LOOP_NSIGS (sizeof loop_sigs / sizeof loop_sigs[0])

static int
loop_is_stop(int sig)
{
	return sig == SIGINT || sig == SIGTERM || sig == SIGHUP ||
	       sig == SIGQUIT;
}

static sigset_t loop_oldmask, loop_waitmask;

/* Is one of our signals in set? */
static int
loop_any(const sigset_t *set)
{
	size_t i;

	for (i = 0; i < LOOP_NSIGS; i++)
		if (sigismember(set, loop_sigs[i]) == 1)
			return 1;
	return 0;
}

/* A stop signal's origin: the terminal (the kernel sends it to the
 * whole foreground process group, a launched command included) or a
 * process's kill() (to ramtop alone). */
static void
loop_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (loop_is_stop(sig))
		loop_sig_tty = si != NULL && si->si_code == SI_KERNEL;
	switch (sig) {
	case SIGCHLD:
		loop_sig_chld = 1;
		break;
	case SIGINT:
		loop_sig_int = 1;
		break;
	case SIGTERM:
		loop_sig_term = 1;
		break;
	case SIGHUP:
		loop_sig_hup = 1;
		break;
	case SIGUSR1:
		loop_sig_usr1 = 1;
		break;
	case SIGWINCH:
		loop_sig_winch = 1;
		break;
	case SIGCONT:
		loop_sig_cont = 1;
		break;
	case SIGQUIT:
		loop_sig_quit = 1;
		break;
	}
}

int
loop_init(void)
{
	struct sigaction sa;
	sigset_t block;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = loop_handler;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	for (i = 0; i < LOOP_NSIGS; i++) {
		/* Stop signals interrupt a call that may block (a write to
		 * a stalled pipe, see loop_unblock()); the others restart
		 * it.  ppoll is interrupted by every one. */
		sa.sa_flags = SA_SIGINFO;
		if (!loop_is_stop(loop_sigs[i]))
			sa.sa_flags |= SA_RESTART;
		if (sigaction(loop_sigs[i], &sa, NULL) < 0)
			return -errno;
		sigaddset(&block, loop_sigs[i]);
	}
	if (sigprocmask(SIG_BLOCK, &block, &loop_oldmask) < 0)
		return -errno;
	loop_waitmask = loop_oldmask;
	for (i = 0; i < LOOP_NSIGS; i++)
		sigdelset(&loop_waitmask, loop_sigs[i]);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int
loop_wait(double timeout, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	sigset_t pending, saved;
	struct timespec ts;
	int r;

	if (timeout < 0)
		timeout = 0;
	ts.tv_sec = (time_t)timeout;
	ts.tv_nsec = (long)((timeout - (double)ts.tv_sec) * 1e9);
	r = ppoll(fd >= 0 ? &pfd : NULL, fd >= 0 ? 1 : 0, &ts, &loop_waitmask);
	/*
	 * ppoll delivers pending signals only when it fails with EINTR: with
	 * a ready fd they would stay pending for as long as it stays ready
	 * (a hung-up terminal always is).  Let them in now.
	 */
	if (r >= 0 && sigpending(&pending) == 0 && loop_any(&pending)) {
		sigprocmask(SIG_SETMASK, &loop_waitmask, &saved);
		sigprocmask(SIG_SETMASK, &saved, NULL);
	}
	if (r > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0)
		loop_hangup = 1;
	return r > 0 && (pfd.revents & (POLLIN | POLLHUP)) != 0;
}

int
loop_wait2(double timeout, int fd1, int fd2)
{
	struct pollfd pfd[2];
	sigset_t pending, saved;
	struct timespec ts;
	int r, n = 0, i1 = -1, i2 = -1, ret = 0;

	if (fd1 >= 0) {
		i1 = n;
		pfd[n].fd = fd1;
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	if (fd2 >= 0) {
		i2 = n;
		pfd[n].fd = fd2;
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	if (timeout < 0)
		timeout = 0;
	ts.tv_sec = (time_t)timeout;
	ts.tv_nsec = (long)((timeout - (double)ts.tv_sec) * 1e9);
	r = ppoll(n > 0 ? pfd : NULL, (nfds_t)n, &ts, &loop_waitmask);
	/* As in loop_wait(): let pending signals in even when an fd was
	 * ready at once. */
	if (r >= 0 && sigpending(&pending) == 0 && loop_any(&pending)) {
		sigprocmask(SIG_SETMASK, &loop_waitmask, &saved);
		sigprocmask(SIG_SETMASK, &saved, NULL);
	}
	if (r <= 0)
		return 0;
	if (i1 >= 0) {
		if ((pfd[i1].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0)
			loop_hangup = 1;
		if ((pfd[i1].revents & (POLLIN | POLLHUP)) != 0)
			ret |= 1;
	}
	if (i2 >= 0 && (pfd[i2].revents & (POLLIN | POLLHUP | POLLERR)) != 0)
		ret |= 2;
	return ret;
}

int
loop_stop_signal(void)
{
	int sig = 0;

	if (loop_sig_int)
		sig = SIGINT;
	else if (loop_sig_term)
		sig = SIGTERM;
	else if (loop_sig_hup)
		sig = SIGHUP;
	else if (loop_sig_quit)
		sig = SIGQUIT;
	loop_sig_int = loop_sig_term = loop_sig_hup = loop_sig_quit = 0;
	return sig;
}

int
loop_stop_pending(void)
{
	return loop_sig_int || loop_sig_term || loop_sig_hup || loop_sig_quit;
}

void
loop_unblock(sigset_t *saved)
{
	sigprocmask(SIG_SETMASK, &loop_waitmask, saved);
}

void
loop_reblock(const sigset_t *saved)
{
	sigprocmask(SIG_SETMASK, saved, NULL);
}

void
loop_restore_child(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sigprocmask(SIG_SETMASK, &loop_oldmask, NULL);
}
