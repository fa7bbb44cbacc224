/*
 * draw_header.c - the header (the run's settings, the system's memory, the
 * tree's totals) and the status line (a message, the prompt, the end of
 * the target, or hints).  Draws what struct tui holds; calls nothing back
 * in the screen.
 *
 * Touches: stdscr only.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../src/fmt.h"
#include "draw.h"
#include "theme.h"
#include "tui.h"

/* Label then value, the value in the header colour. */
static void
draw_pair(struct draw_line *l, const char *label, const char *value)
{
	draw_put(l, label, theme_attr[THEME_LABEL]);
	draw_put(l, value, theme_attr[THEME_HEADER]);
	draw_put(l, "  ", theme_attr[THEME_NORMAL]);
}

static void
draw_header_target(struct tui *t, struct draw_line *l)
{
	const struct opts *o = t->a->o;
	size_t i;

	if (o->cmd != NULL) {
		draw_put(l, "cmd ", theme_attr[THEME_LABEL]);
		for (i = 0; o->cmd[i] != NULL && l->x < l->end - 2; i++) {
			if (i > 0)
				draw_put(l, " ", theme_attr[THEME_HEADER]);
			draw_put(l, o->cmd[i], theme_attr[THEME_HEADER]);
		}
	} else if (o->npids > 0) {
		draw_put(l, "-p ", theme_attr[THEME_LABEL]);
		for (i = 0; i < o->npids; i++)
			draw_putf(l, theme_attr[THEME_HEADER], "%s%d",
				  i ? "," : "", o->pids[i]);
	} else {
		draw_put(l, "all processes", theme_attr[THEME_HEADER]);
	}
	draw_put(l, "  ", theme_attr[THEME_NORMAL]);
}

static void
draw_header_top(struct tui *t, int y)
{
	struct draw_line l = { y, 0, COLS };
	const struct model *m = &t->a->m;
	size_t nph = phase_count(&t->a->ph);
	const struct phase *last =
		nph > 0 ? phase_get(&t->a->ph, nph - 1) : NULL;
	const char *label = last != NULL ? last->label : NULL;
	char b[64];
	long up = (long)(m->now_mono - m->start_mono);

	draw_put(&l, "ramtop ", theme_attr[THEME_HEADER]);
	draw_put(&l, PACKAGE_VERSION "  ", theme_attr[THEME_LABEL]);
	draw_header_target(t, &l);
	snprintf(b, sizeof b, "%gs", t->a->o->delay);
	draw_pair(&l, "every ", b);
	snprintf(b, sizeof b, "%.1fms", t->tick_ms);
	draw_pair(&l, "sample ", b);
	snprintf(b, sizeof b, "%zu", nph);
	if (label == NULL) {
		draw_pair(&l, "phases ", b);
	} else {
		draw_put(&l, "phases ", theme_attr[THEME_LABEL]);
		draw_put(&l, b, theme_attr[THEME_HEADER]);
		draw_put(&l, " last ", theme_attr[THEME_LABEL]);
		draw_put(&l, label, theme_attr[THEME_HEADER]);
		draw_put(&l, "  ", theme_attr[THEME_NORMAL]);
	}
	if (up >= 3600)
		snprintf(b, sizeof b, "%ldh%02ldm", up / 3600, up / 60 % 60);
	else if (up >= 60)
		snprintf(b, sizeof b, "%ldm%02lds", up / 60, up % 60);
	else
		snprintf(b, sizeof b, "%lds", up);
	draw_pair(&l, "up ", b);
	if (t->a->o->gentle)
		draw_put(&l, "gentle", theme_attr[THEME_WARN]);
}

static void
draw_header_system(struct tui *t, int y)
{
	struct draw_line l = { y, 0, COLS };
	const struct sysmem *s = &t->a->m.sys;
	char b[FMT_SIZE];

	draw_put(&l, "System  ", theme_attr[THEME_HEADER]);
	draw_pair(&l, "MemTotal ", fmt_kb(b, s->mi.mem_total));
	draw_pair(&l, "MemAvailable ", fmt_kb(b, s->mi.mem_available));
	draw_pair(&l, "Cached ", fmt_kb(b, s->mi.cached));
	draw_pair(&l, "Shmem ", fmt_kb(b, s->mi.shmem));
	draw_pair(&l, "/dev/shm ", fmt_kb(b, s->dev_shm_used));
}

/* "ΣRSS 149M (2 unknown)": a tree sum of n processes, unknown ones
 * counted apart ("-" when none is known). */
static void
draw_header_sum(struct draw_line *l, int utf8, const char *what, long long sum,
		size_t unknown, size_t n)
{
	char b[FMT_SIZE], label[32];

	snprintf(label, sizeof label, "%s%s ", fmt_sum_sign(utf8), what);
	draw_put(l, label, theme_attr[THEME_LABEL]);
	draw_put(l, n > 0 && unknown == n ? "-" : fmt_kb(b, sum),
		 theme_attr[THEME_HEADER]);
	if (unknown > 0 && unknown < n)
		draw_putf(l, theme_attr[THEME_DIM], " (%zu unknown)", unknown);
	draw_put(l, "  ", theme_attr[THEME_NORMAL]);
}

static void
draw_header_tree(struct tui *t, int y)
{
	struct draw_line l = { y, 0, COLS };
	struct model_totals tot;
	struct proc_figs base;
	size_t i, n = 0, nk = 0;
	char b[FMT_SIZE], label[32];

	/* Over the row copies, not the model: after the target's end the
	 * rows keep the last figures.  Kernel threads have no user
	 * memory: not in the sums, not unknown, counted apart. */
	memset(&tot, 0, sizeof tot);
	for (i = 0; i < t->nrows; i++) {
		if (t->rows[i].kthread) {
			nk++;
			continue;
		}
		proc_figs_unknown(&base);
		base.rss = t->rows[i].base_rss;
		model_totals_add(&tot, t->rows[i].now, &base,
				 t->rows[i].now->pss, t->rows[i].now->uss,
				 NULL);
		n++;
	}
	draw_put(&l, "Tree    ", theme_attr[THEME_HEADER]);
	draw_putf(&l, theme_attr[THEME_HEADER], "%zu", n);
	draw_put(&l, n == 1 ? " process  " : " processes  ",
		 theme_attr[THEME_LABEL]);
	draw_header_sum(&l, t->utf8, "RSS", tot.rss, tot.rss_unknown, n);
	draw_header_sum(&l, t->utf8, "PSS", tot.pss, tot.pss_unknown, n);
	snprintf(label, sizeof label, "%sRSS ", fmt_delta_sign(t->utf8));
	draw_put(&l, label, theme_attr[THEME_LABEL]);
	fmt_delta(b, tot.rss_delta);
	draw_put(&l, b,
		 tot.rss_delta > 0   ? theme_attr[THEME_GROW]
		 : tot.rss_delta < 0 ? theme_attr[THEME_SHRINK]
				     : theme_attr[THEME_HEADER]);
	draw_put(&l,
		 t->since_mark ? " since the last mark  " : " since baseline  ",
		 theme_attr[THEME_LABEL]);
	if (nk > 0)
		draw_putf(&l, theme_attr[THEME_DIM],
			  "+%zu kernel threads (%s, K)", nk,
			  t->list.kthreads ? "shown" : "hidden");
}

void
draw_header(struct tui *t, int y, int h)
{
	if (h >= 3) {
		draw_header_top(t, y);
		draw_header_system(t, y + 1);
		draw_header_tree(t, y + 2);
		if (h > 3)
			draw_limits(t, y + 3, h - 3);
	} else if (h == 2) {
		draw_header_tree(t, y);
		draw_header_system(t, y + 1);
	} else if (h == 1) {
		draw_header_tree(t, y);
	}
}

/* The keys a user needs first, most useful first (clipped at the
 * right edge). */
static void
draw_hints(struct draw_line *l, int utf8)
{
	static const char *const hints[][2] = {
		{ "?", "help" },	{ "m", "mark" },    { "s", "save" },
		{ "b", "re-baseline" }, { "c", "" },	    { ">", "sort" },
		{ "/", "search" },	{ "\\", "filter" }, { "k", "kill" },
		{ "Tab", "panel" },	{ "q", "quit" },
	};
	char b[32];
	size_t i;

	for (i = 0; i < sizeof hints / sizeof hints[0]; i++) {
		draw_put(l, hints[i][0], theme_attr[THEME_KEY]);
		if (hints[i][1][0] == '\0') {
			/* c: what the changes count from. */
			snprintf(b, sizeof b, " %s since mark  ",
				 fmt_delta_sign(utf8));
			draw_put(l, b, theme_attr[THEME_LABEL]);
			continue;
		}
		draw_put(l, " ", theme_attr[THEME_LABEL]);
		draw_put(l, hints[i][1], theme_attr[THEME_LABEL]);
		draw_put(l, "  ", theme_attr[THEME_LABEL]);
	}
}

void
draw_status(struct tui *t, int y)
{
	struct draw_line l = { y, 0, COLS };
	const char *log = t->log_path;
	struct app *a = t->a;
	char bud[600];

	if (t->prompt_on) {
		draw_fill(y, 0, COLS, theme_attr[THEME_MESSAGE]);
		draw_putf(&l, theme_attr[THEME_MESSAGE],
			  "mark phase %zu, label (Enter: \"phase %zu\", Esc "
			  "cancels): ",
			  phase_count(&a->ph), phase_count(&a->ph));
		draw_put(&l, t->prompt, theme_attr[THEME_MESSAGE]);
		draw_put(&l, "_", theme_attr[THEME_MESSAGE]);
		return;
	}
	if (t->ask != ASK_NONE) {
		tui_ask_draw(t, y);
		return;
	}
	if (t->msg[0] != '\0') {
		draw_fill(y, 0, COLS, theme_attr[THEME_MESSAGE]);
		draw_put(&l, t->msg, theme_attr[THEME_MESSAGE]);
		return;
	}
	/* --budget: a broken rule stays on the status line. */
	if (app_budget_status(a, bud, sizeof bud) != NULL) {
		draw_fill(y, 0, COLS, theme_attr[THEME_WARN]);
		draw_put(&l, bud, theme_attr[THEME_WARN]);
		return;
	}
	if (t->ended) {
		draw_fill(y, 0, COLS, theme_attr[THEME_WARN]);
		if (a->child > 0)
			draw_putf(&l, theme_attr[THEME_WARN],
				  "the command has exited (status %d); last "
				  "figures kept; q quits",
				  app_exit_code(a));
		else
			draw_put(&l,
				 "every target process has exited; last "
				 "figures kept; q quits",
				 theme_attr[THEME_WARN]);
		return;
	}
	if (a->child > 0 && log != NULL) {
		draw_put(&l, "command output: ", theme_attr[THEME_LABEL]);
		draw_put(&l, log, theme_attr[THEME_HEADER]);
		draw_put(&l, "  ", theme_attr[THEME_NORMAL]);
	}
	draw_hints(&l, t->utf8);
}
