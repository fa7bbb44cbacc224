/*
 * ui.h - the interactive screen.  The only header main.c needs from
 * ui/; it includes no curses.
 */
#ifndef RAMTOP_UI_H
#define RAMTOP_UI_H

struct app;

/* Run the screen until q, a stop signal, or (launch mode) the command
 * ends and the user quits.  Returns ramtop's exit code. */
int ui_run(struct app *a);

/* Can the terminal on stdout draw the screen (a known TERM with cursor
 * addressing)?  Writes nothing to it.  Returns 0, or -1 after one line
 * on stderr naming the problem and pointing to -b. */
int ui_term_check(void);

/* Where a launched command's stdout/stderr go while the screen owns the
 * terminal (a log file), or -1 to inherit. */
int ui_child_fd(void);
/* ramtop did not start: remove that log (it is empty). */
void ui_child_log_drop(void);

/* Print the KEYS section of the man page (roff) from the key table, for
 * `ramtop --keys-man`; returns the exit code. */
int ui_keys_man(void);

#endif
