/*
 * keys.h - the one key table: key codes, the name shown for them, help
 * text, handler.  It drives dispatch, the help screen and the KEYS
 * section of the man page (ramtop --keys-man prints it; tests/keys.sh
 * checks that the man page and the help screen agree).
 */
#ifndef RAMTOP_KEYS_H
#define RAMTOP_KEYS_H

#include <stddef.h>
#include <stdio.h>

struct tui;

/* What a key asks a screen to do (see keys.c); screens interpret them. */
enum key_act {
	ACT_UP,
	ACT_DOWN,
	ACT_PGUP,
	ACT_PGDN,
	ACT_HOME,
	ACT_END,
	ACT_COLLAPSE,
	ACT_EXPAND,
	ACT_ENTER,
	ACT_SORT_TYPE,
	ACT_SORT_RSS,
	ACT_SORT_DELTA,
	ACT_SORT_PSS,
	ACT_SORT_SIZE,
	ACT_SORT_NAME,
	ACT_GROUP,
	ACT_SEARCH,	 /* the list: go to the first match of the search */
	ACT_SEARCH_NEXT, /* the list: the next match after the selection */
	ACT_CLICK,	 /* a click at (t->mouse_y, t->mouse_x) */
	ACT_WHEEL_UP,
	ACT_WHEEL_DOWN,
};

struct key_def {
	int codes[4];	  /* curses key codes, 0-terminated */
	const char *name; /* as the help screen and man page show it */
	const char *help;
	void (*fn)(struct tui *t, int arg);
	int arg;
};

extern const struct key_def keys_table[];
extern const size_t keys_count;

/* Run the handler of key ch: 1, or 0 if no key of the table is ch. */
int keys_dispatch(struct tui *t, int ch);

/* The KEYS section of the man page, in roff. */
void keys_man(FILE *fp);

#endif
