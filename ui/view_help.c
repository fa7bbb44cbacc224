/*
 * view_help.c - the help screen, drawn from the key table (keys.c) so it
 * always lists the keys that work.  Modal: it sees keys first; the
 * movement keys scroll it, any other key closes it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "../src/fmt.h"
#include "draw.h"
#include "keys.h"
#include "theme.h"
#include "tui.h"

#define HELP_NAME_COLS 10

struct help {
	int top;
	int h;
};

/* Below the keys.  Lines HELP_DELTA_LINE and HELP_SUM_LINE get the
 * terminal's delta or sum sign in front. */
static const char *const help_legend[] = {
	"",
	"Figures: RSS resident; PSS shared pages split among the processes "
	"that map them; USS private to the process;",
	"SHM resident shared memory; SWAP swapped out; - the kernel would not "
	"tell (the reason is shown), never 0.",
	"RSS: change since the baseline (the first sample of the process; "
	"0 for a command ramtop started).",
	"RSS counts a shared page once per process; summed, PSS counts it "
	"once: the honest tree total.",
	"Regions: SIZE is mapped address space, not memory. Flags: L locked, "
	"D deleted file, H huge pages.",
	"Types: heap anon stack shm file lib device special (sort t keeps "
	"this order).",
};

#define HELP_NLEGEND (sizeof help_legend / sizeof help_legend[0])
#define HELP_DELTA_LINE 3
#define HELP_SUM_LINE 4

static void *
help_init(struct tui *t)
{
	return calloc(1, sizeof(struct help));
}

static void
help_free(void *data)
{
	free(data);
}

static int
help_lines(void)
{
	return 1 + (int)keys_count + (int)HELP_NLEGEND;
}

static void
help_clamp(struct help *d)
{
	int max = help_lines() - (d->h > 0 ? d->h : 1);

	if (d->top > max)
		d->top = max;
	if (d->top < 0)
		d->top = 0;
}

static void
help_draw(struct tui *t, void *data, int y, int h, int focused)
{
	struct help *d = data;
	char buf[256];
	int i, line, yy;

	d->h = h;
	help_clamp(d);
	for (line = d->top, yy = y; yy < y + h && line < help_lines();
	     line++, yy++) {
		if (line == 0) {
			draw_fill(yy, 0, COLS, theme_attr[THEME_TITLE]);
			draw_text(yy, 0, COLS,
				  "ramtop keys (Up/Down scroll; any other key "
				  "goes back)",
				  theme_attr[THEME_TITLE]);
			continue;
		}
		i = line - 1;
		if (i < (int)keys_count) {
			draw_text(yy, 2, HELP_NAME_COLS, keys_table[i].name,
				  theme_attr[THEME_KEY]);
			draw_text(yy, 2 + HELP_NAME_COLS + 2,
				  COLS - 4 - HELP_NAME_COLS, keys_table[i].help,
				  theme_attr[THEME_NORMAL]);
			continue;
		}
		i -= (int)keys_count;
		/* Two lines start with this terminal's delta or sum sign
		 * (Greek letters, or "d" and "sum "). */
		snprintf(buf, sizeof buf, "%s%s",
			 i == HELP_DELTA_LINE ? fmt_delta_sign(t->utf8)
			 : i == HELP_SUM_LINE ? fmt_sum_sign(t->utf8)
					      : "",
			 help_legend[i]);
		draw_text(yy, 0, COLS, buf, theme_attr[THEME_DIM]);
	}
}

static int
help_input(struct tui *t, void *data, int ch)
{
	struct help *d = data;

	switch (ch) {
	case KEY_UP:
		d->top--;
		break;
	case KEY_DOWN:
		d->top++;
		break;
	case KEY_PPAGE:
		d->top -= d->h > 1 ? d->h - 1 : 1;
		break;
	case KEY_NPAGE:
		d->top += d->h > 1 ? d->h - 1 : 1;
		break;
	case KEY_HOME:
		d->top = 0;
		break;
	case KEY_END:
		d->top = help_lines();
		break;
	case KEY_RESIZE:
	case ERR:
		return 1;
	default:
		t->help_on = 0;
		d->top = 0;
		return 1;
	}
	help_clamp(d);
	return 1;
}

const struct view_ops view_help_ops = {
	.name = "help",
	.init = help_init,
	.free = help_free,
	.sync = NULL,
	.reads = NULL,
	.want = NULL,
	.draw = help_draw,
	.key = NULL,
	.input = help_input,
};
