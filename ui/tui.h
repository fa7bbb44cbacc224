/*
 * tui.h - what the files of ui/ share: the screen state, the operations
 * table every screen fills in, and the process rows the screens draw.
 *
 * The rows are copies taken from the model after each sample, so a
 * screen can keep showing the last figures after the target has exited
 * (the model frees a process once it is gone).  Pointers into the model
 * (struct proc) are only used between a sample and the next one.
 */
#ifndef RAMTOP_TUI_H
#define RAMTOP_TUI_H

#include <stddef.h>

#include "../src/app.h"

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
};

/*
 * Move a list cursor for an Up/Down/PgUp/PgDn/Home/End action over n
 * rows, page rows at a time, clamped to the list.  Returns 1 if act was
 * a move, 0 if it is for the screen to handle.
 */
int tui_list_move(size_t *cur, size_t n, size_t page, enum key_act act);

/*
 * One screen, tmux window_mode style.  data is what init returned.  The
 * main loop calls these without knowing which screen it drives:
 *  sync   after a sample (or a re-read): take what it shows from t->rows
 *         and the model;
 *  reads  ask the model for the costly figures it shows (full: a tick;
 *         else only what it lacks, after a key moved it);
 *  want   lines it would like (0: as many as it gets);
 *  draw   into lines [y, y + h) of stdscr;
 *  key    an action from the key table: 1 if it was for this screen;
 *  input  a modal screen sees raw keys first: 1 if consumed.
 */
struct view_ops {
	const char *name;
	void *(*init)(struct tui *t);
	void (*free)(void *data);
	void (*sync)(struct tui *t, void *data);
	void (*reads)(struct tui *t, void *data, int full);
	int (*want)(struct tui *t, void *data);
	void (*draw)(struct tui *t, void *data, int y, int h, int focused);
	int (*key)(struct tui *t, void *data, enum key_act act);
	int (*input)(struct tui *t, void *data, int ch);
};

struct view {
	const struct view_ops *ops;
	void *data;
	int visible;	/* drawn in the last layout */
	int y, h;
};

extern const struct view_ops view_tree_ops;
extern const struct view_ops view_regions_ops;
extern const struct view_ops view_help_ops;
extern const struct view_ops view_phases_ops;

/* One process as shown: a copy, owned by struct tui. */
struct tui_row {
	int pid, ppid, depth, nchildren;
	unsigned long long start_time;
	struct proc_figs now, base;
	enum proc_err status_err, rollup_err;
	int exited;		/* gone or a zombie: last figures kept */
	char comm[64];		/* raw */
	char *cmdline;		/* raw, owned; may be NULL */
	long midx;		/* index in m->procs this sample, -1 if none */
};

/* The process the screens are about (tree selection). */
struct tui_focus {
	int valid;
	int pid;
	unsigned long long start_time;
};

enum { TUI_MAX_PANELS = 4 };

struct tui {
	struct app *a;

	struct view panels[TUI_MAX_PANELS]; /* Tab cycles through them */
	int npanels;
	int focus;		/* index of the panel keys go to */
	struct view help;	/* modal, over the panels */
	int help_on;

	struct tui_row *rows;	/* the tree, in model order (depth first) */
	size_t nrows;
	struct tui_focus sel;

	int ended;		/* every target exited: figures frozen */
	int utf8;		/* the terminal takes UTF-8 */
	int quit;
	int need_reads;		/* a key moved a screen: read what it lacks */
	unsigned long long ticks;
	double tick_ms;		/* what the last sample (with reads) cost */

	int *read_pids;		/* read since the last sample (no rereads) */
	size_t nread, capread;

	char msg[256];		/* status line message, until msg_until */
	double msg_until;

	/* The `m` prompt on the status line: raw bytes typed, bounded. */
	int prompt_on;
	char prompt[PHASE_LABEL_MAX + 1];
	size_t prompt_len;

	int since_mark;		/* region deltas: 0 baseline, 1 last mark */
	size_t oom_told;	/* OOM kills told on the status line */
	int oom_col;		/* the tree's OOM(ADJ) column (`O`) */
	int limits_on;		/* the limits lines: -1 when they matter (a
				 * limit, a low tmpfs, an OOM kill), 0 off,
				 * 1 on (the `C` key) */
};

/* Why the model could not read a process's regions (PROC_OK if it
 * could).  Here, not in a .c file: the screens never name the
 * kernel file itself (a house check looks for it). */
static inline enum proc_err
tui_regions_err(const struct proc *p)
{
	return p->smaps_err;
}

/* tui.c */
void tui_message(struct tui *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The alive model process of a row, or NULL (ended, or gone). */
struct proc *tui_row_proc(struct tui *t, const struct tui_row *r);
/* The row of the focused process, or NULL. */
const struct tui_row *tui_focus_row(const struct tui *t);
/* Ask the model for more of one process (no-op with --gentle).  A
 * rollup already read since the last sample is not read again. */
void tui_read_more(struct tui *t, struct proc *p, unsigned what);
/* Give the keyboard to panel i (its index in t->panels). */
void tui_focus_panel(struct tui *t, int i);
/* Index of the panel with these ops, or -1. */
int tui_panel_index(const struct tui *t, const struct view_ops *ops);
/* Pass an action to the focused panel, then to the others: 1 if taken. */
int tui_panel_key(struct tui *t, enum key_act act);
void tui_rebaseline(struct tui *t);
/* The file a launched command writes to, or NULL. */
const char *tui_log_path(void);
/* Phase marks: how many, and the last label or NULL. */
int tui_phase_count(const struct tui *t);
const char *tui_phase_label(const struct tui *t);
/* The `m` key: open the label prompt (the mark is taken on Enter). */
void tui_mark_prompt(struct tui *t);
/* The `s` key: save the snapshot file; the status line says how. */
void tui_save(struct tui *t);
/* The `c` key: region deltas since the baseline / since the last mark. */
void tui_toggle_since(struct tui *t);
/* `C`: show or hide the limits lines. */
void tui_toggle_limits(struct tui *t);
/* `O`: show or hide the tree's oom_score column. */
void tui_toggle_oom_col(struct tui *t);

#endif
