/*
 * termcheck.c - before the screen starts: can the terminal draw it?  A
 * TERM with no terminfo entry, or one that cannot move the cursor (dumb,
 * a hardcopy or generic type), gets one line on stderr and nothing on
 * the terminal.  Its own file: <term.h> defines macros (lines, columns)
 * that clash with ordinary names elsewhere.
 *
 * It may touch: the terminfo database (read), stderr.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <term.h>
#include <unistd.h>

#include "ui.h"

int
ui_term_check(void)
{
	const char *term = getenv("TERM"), *cup;
	int err = 0;

	if (term == NULL || term[0] == '\0') {
		fprintf(stderr, "ramtop: TERM is not set: set it to your "
				"terminal's type (e.g. TERM=xterm-256color) or "
				"use -b for batch output\n");
		return -1;
	}
	/* setupterm() reads the description only; newterm() would start
	 * writing to the terminal. */
	if (setupterm(term, STDOUT_FILENO, &err) != OK) {
		if (err == 0)
			fprintf(stderr,
				"ramtop: unknown terminal type '%s' (no "
				"terminfo entry): set TERM to your terminal's "
				"type (e.g. TERM=xterm-256color) or use -b for "
				"batch output\n",
				term);
		else
			fprintf(stderr,
				"ramtop: cannot use the terminal '%s': set "
				"TERM to your terminal's type (e.g. "
				"TERM=xterm-256color) or use -b for batch "
				"output\n",
				term);
		return -1;
	}
	cup = tigetstr("cup");
	err = cup == NULL || cup == (char *)-1 || tigetflag("hc") > 0 ||
	      tigetflag("gn") > 0;
	del_curterm(cur_term);
	if (err) {
		fprintf(stderr,
			"ramtop: the terminal '%s' cannot move the cursor, "
			"which the screen needs: set TERM to your terminal's "
			"type (e.g. TERM=xterm-256color) or use -b for batch "
			"output\n",
			term);
		return -1;
	}
	return 0;
}
