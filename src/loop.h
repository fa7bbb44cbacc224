/*
 * loop.h - signals as flags and one race-free wait (ppoll with the
 * signals unblocked only while waiting), shared by batch and TUI.
 */
#ifndef RAMTOP_LOOP_H
#define RAMTOP_LOOP_H

#include <signal.h>

extern volatile sig_atomic_t loop_sig_chld, loop_sig_int, loop_sig_term,
	loop_sig_hup, loop_sig_usr1, loop_sig_winch, loop_sig_cont,
	loop_sig_quit;
/* Did the last stop signal come from the terminal (sent by the kernel
 * to the foreground process group, so a launched command in ramtop's
 * group got it too)?  Then ramtop does not forward it. */
extern volatile sig_atomic_t loop_sig_tty;

/* Set once the fd given to loop_wait() hung up (a terminal that went
 * away): the screen should end as on SIGHUP. */
extern int loop_hangup;

/* Install the flag-setting handlers and block those signals outside
 * loop_wait().  Returns 0 or -errno. */
int loop_init(void);

/*
 * Wait up to timeout seconds for fd (if >= 0) to become readable or a
 * signal to arrive.  Returns 1 if fd is readable, 0 otherwise.
 */
int loop_wait(double timeout, int fd);

/*
 * The same for two descriptors (either may be < 0): returns a bitmask,
 * bit 0 set if fd1 is readable (or hung up), bit 1 if fd2 is.  A hang-up
 * of fd1 sets loop_hangup (fd1 is the terminal); fd2 hanging up only
 * reports it readable.
 */
int loop_wait2(double timeout, int fd1, int fd2);

/* A stop signal that arrived (SIGINT, SIGTERM, SIGHUP, SIGQUIT;
 * cleared), or 0. */
int loop_stop_signal(void);
/* Has a stop signal arrived (not cleared)? */
int loop_stop_pending(void);
/* Let the signals in around a call that can block for ever (a write to
 * a stalled pipe): a stop signal interrupts it (EINTR), the others
 * restart it.  loop_reblock() with what loop_unblock() saved. */
void loop_unblock(sigset_t *saved);
void loop_reblock(const sigset_t *saved);

/* The signal mask before loop_init(), for a child about to exec. */
void loop_restore_child(void);

#endif
