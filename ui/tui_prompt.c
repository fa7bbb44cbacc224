/*
 * tui_prompt.c - the `m` key's label prompt on the status line: raw bytes
 * typed (bounded, UTF-8 erased a character at a time), the mark taken on
 * Enter.
 *
 * Touches: struct tui, the phase list through app_mark().
 */
#include "config.h"

#include <curses.h>

#include "../src/app.h"
#include "tui.h"

void
tui_prompt_open(struct tui *t)
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
	char msg[APP_MSG_MAX];

	app_mark(t->a, label, msg, sizeof msg);
	tui_resampled(t);
	tui_views_sync(t);
	tui_message(t, "%s", msg);
	tui_budget(t, 0);
}

/* A key while the label prompt is open. */
void
tui_prompt_key(struct tui *t, int ch)
{
	switch (ch) {
	case 27: /* Esc */
		t->prompt_on = 0;
		tui_message(t, "mark cancelled");
		return;
	case '\r':
	case '\n':
	case KEY_ENTER:
		t->prompt_on = 0;
		t->prompt[t->prompt_len] = '\0';
		tui_mark(t, t->prompt);
		/* Text pasted with a newline in it: what followed the
		 * newline is not keys (a 'q' in it would quit). */
		flushinp();
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
