/*
 * tui.h - what the files of ui/ share: the screen state, the operations
 * table every screen fills in, and the process rows the screens draw.
 *
 * The rows are taken from the model after each sample; where the target
 * can exit they are copies, so a screen can keep showing the last
 * figures after it has (the model frees a process once it is gone).
 * Over all processes they point into the model (struct tui_row).
 * Pointers into the model (struct proc) are only used between a sample
 * and the next one.
 */
#ifndef RAMTOP_TUI_H
#define RAMTOP_TUI_H

#include <stddef.h>

#include "../src/app.h"
#include "keys.h"

struct tui;

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
	int visible; /* drawn in the last layout */
	int y, h;
};

extern const struct view_ops view_tree_ops;
extern const struct view_ops view_regions_ops;
extern const struct view_ops view_help_ops;
extern const struct view_ops view_phases_ops;

/* One process as shown, owned by struct tui.  Its figures and strings
 * are the model's in all-processes mode, where the rows are taken again
 * after every sample and the target never ends (ramtop itself is in it);
 * an exited row there, and every row elsewhere (the target's rows
 * outlive its processes), keeps copies in own.  A replay's point into
 * the phase. */
struct tui_row {
	int pid, ppid, depth, nchildren;
	unsigned long long start_time;
	const struct proc_figs *now; /* never NULL */
	long long base_rss; /* the RSS the change counts from; KB_UNKNOWN */
	enum proc_err status_err, rollup_err;
	int exited;	     /* gone or a zombie: last figures kept */
	int kthread;	     /* a kernel thread: no user memory */
	const char *comm;    /* raw; never NULL */
	const char *cmdline; /* raw; may be NULL */
	void *own;	     /* its figures, comm and cmdline, when it
			      * keeps copies (tui_row_keep) */
	long midx;	     /* index in m->procs this sample, -1 if none */
	long uid;	     /* -1 unknown */
	/* /proc/PID/oom_score and oom_score_adj (cgroup.c reads them);
	 * KB_UNKNOWN when unknown. */
	long long oom, oomadj;
};

/* The process the screens are about (tree selection). */
struct tui_focus {
	int valid;
	int pid;
	unsigned long long start_time;
};

enum { TUI_MAX_PANELS = 4 };

/* The process list's columns (tree_cols.c): the order they are drawn. */
enum tree_col {
	TC_PID,
	TC_RSS,
	TC_DRSS,
	TC_PSS,
	TC_USS,
	TC_SHM,
	TC_SWAP,
	TC_ANON,
	TC_FILE,
	TC_LOCK,
	TC_VSZ,
	TC_PEAK,
	TC_OOM,
	TC_OOMADJ,
	TC_CMD,
	TC_N
};

/* How the process list is shown: what the settings file keeps
 * (src/settings.c) and the list keys change. */
struct tui_list {
	int sort;	 /* enum tree_col sorted by */
	int desc;	 /* descending (|change| for the change) */
	int flat;	 /* a flat list, not the tree */
	int kthreads;	 /* kernel threads shown */
	unsigned cols;	 /* bit per enum tree_col shown */
	int split;	 /* percent of the body for the list; 0 auto */
	int regions_off; /* the region panel hidden */
	char filter[64]; /* keep matching command lines (and parents) */
	char search[64]; /* the last search */
	long uid;	 /* only this user's processes; -1 all */
	char user[64];	 /* its name, as given */
};

/* A question on the status line that takes the keys (tui_ask.c). */
enum tui_ask {
	ASK_NONE,
	ASK_SEARCH,
	ASK_FILTER,
	ASK_USER,
	ASK_SIGNAL,
	ASK_CONFIRM,
	ASK_COLS,
};

struct tui {
	struct app *a;

	struct view panels[TUI_MAX_PANELS]; /* Tab cycles through them */
	int npanels;
	int focus;	   /* index of the panel keys go to */
	int panel_regions; /* index of the regions panel, or -1 */
	int panel_phases;  /* index of the phases panel, or -1 */
	struct view help;  /* modal, over the panels */
	int help_on;

	struct tui_row *rows; /* the tree, in model order (depth first) */
	size_t nrows;
	struct tui_focus sel;

	int ended; /* every target exited: figures frozen */
	int utf8;  /* the terminal takes UTF-8 */
	int quit;
	int need_reads;	      /* a key moved a screen: read what it lacks */
	int reads_after_draw; /* the first tick's reads wait for its screen */
	unsigned long long ticks;
	double tick_ms; /* what the last sample (with reads) cost */

	int *read_pids; /* read since the last sample (no rereads) */
	size_t nread, capread;

	char msg[256]; /* status line message, until msg_until */
	double msg_until;

	/* The `m` prompt on the status line: raw bytes typed, bounded. */
	int prompt_on;
	char prompt[PHASE_LABEL_MAX + 1];
	size_t prompt_len;

	int since_mark;	      /* region deltas: 0 baseline, 1 last mark */
	struct tui_list list; /* the process list's order and columns */
	enum tui_ask ask;     /* a question on the status line, or none */
	char ask_buf[64];     /* what is typed for it */
	size_t ask_len;
	int kill_pid, kill_sig; /* the process and signal being asked for */
	char kill_name[64];
	int mouse_x, mouse_y; /* the last click, for ACT_CLICK */
	const char *log_path; /* a launched command's output, or NULL */

	/* The timeline strip under the header (view_timeline.c). */
	int strip_on;	      /* the T key */
	int strip_y, strip_h; /* where the last layout put it; h 0: not */
	void *strip;	      /* its state, owned by view_timeline.c */

	/* --replay FILE (view_replay.c): no samples; a cursor over the
	 * file's timeline (a->tl). */
	int replay;
	size_t replay_pos;
	size_t oom_told; /* OOM kills told on the status line */
	int limits_on;	 /* the limits lines: -1 when they matter (a
				 * limit, a low tmpfs, an OOM kill), 0 off,
				 * 1 on (the `C` key) */
};

/* Why the model could not read a process's regions (PROC_OK if it
 * could).  Here, not in a .c file: the screens never name the
 * kernel file itself (tests/layers.sh looks for it). */
static inline enum proc_err
tui_regions_err(const struct proc *p)
{
	return p->smaps_err;
}

/* The same, set on a process a replay puts in the model. */
static inline void
tui_regions_set_err(struct proc *p, enum proc_err e)
{
	p->smaps_err = e;
}

/* tui_state.c: the status message, the rows, reads. */
void tui_message(struct tui *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* --budget: evaluate the new phases (and, if sample, the sample); a
 * rule that just broke clears the message so the status line shows it
 * at once. */
void tui_budget(struct tui *t, int sample);
/* The alive model process of a row, or NULL (ended, or gone). */
struct proc *tui_row_proc(struct tui *t, const struct tui_row *r);
/* The row of the focused process, or NULL. */
const struct tui_row *tui_focus_row(const struct tui *t);
/* Ask the model for more of one process (no-op with --gentle).  A
 * rollup already read since the last sample is not read again. */
void tui_read_more(struct tui *t, struct proc *p, unsigned what);
void tui_rows_free(struct tui_row *rows, size_t n);
/* Point r's figures and strings at now, comm and cmdline (NULL: none),
 * or with copy at copies of them in r->own: 0, or -ENOMEM (then the
 * figures are unknown and comm is ""). */
int tui_row_keep(struct tui_row *r, const struct proc_figs *now,
		 const char *comm, const char *cmdline, int copy);
/* Copy the model's processes into t->rows. */
void tui_rows_sync(struct tui *t);
/* Ask the screens on view for their costly figures (full: a tick),
 * then refresh the rows and the screens. */
void tui_reads(struct tui *t, int full);
/* Every target has exited: freeze the rows (and record the launched
 * command's OOM kill, if it was one). */
void tui_set_ended(struct tui *t);
/* A new OOM kill goes on the status line (it stays in the limits
 * lines). */
void tui_oom_tell(struct tui *t);
/* The model sampled outside a tick (a mark): take everything again. */
void tui_resampled(struct tui *t);
/* --listen, --textfile: publish the sample (after a tick, and from
 * tui_resampled); a --textfile that fails is said on the status line. */
void tui_metrics(struct tui *t);

/* tui_layout.c: the panels. */
/* Give the keyboard to panel i (its index in t->panels). */
void tui_focus_panel(struct tui *t, int i);
/* Give the keyboard to the panel drawn at line y, if any. */
void tui_focus_at(struct tui *t, int y);
/* Pass an action to the focused panel, then to the others: 1 if taken. */
int tui_panel_key(struct tui *t, enum key_act act);
/* Every panel takes what it shows from the rows and the model. */
void tui_views_sync(struct tui *t);
/* Decide which screens are on and where; returns the header height. */
int tui_layout(struct tui *t);

/* tui_ask.c: the status-line questions (search, filter, user, kill,
 * columns): open one, a key while it is open, its line. */
void tui_ask_open(struct tui *t, enum tui_ask what);
void tui_ask_key(struct tui *t, int ch);
void tui_ask_draw(struct tui *t, int y);

/* tree_cols.c: the process list's columns. */
struct tree_col_def {
	const char *name; /* title, settings and chooser name */
	int width;	  /* 0: the flex column */
	int prio;	  /* dropped first when narrow: highest */
	size_t off;	  /* offsetof(struct proc_figs, f), or -1 */
	const char *help; /* for the chooser */
};
extern const struct tree_col_def tree_cols[TC_N];
/* The columns shown by default. */
#define TREE_COLS_DEFAULT                                                      \
	((1u << TC_PID) | (1u << TC_RSS) | (1u << TC_DRSS) | (1u << TC_PSS) |  \
	 (1u << TC_USS) | (1u << TC_SHM) | (1u << TC_SWAP) | (1u << TC_PEAK) | \
	 (1u << TC_CMD))
/* Row r's figure of column col: KiB for the sizes, a score for OOM and
 * OOMADJ (tree_col_is_size(col) 0); unknown: < 0 for sizes, KB_UNKNOWN
 * for scores. */
long long tree_col_fig(const struct tui_row *r, int col);
int tree_col_is_size(int col);
/* The column named s (any case), or -1. */
int tree_col_find(const char *s);
/* The default list: a flat list by RSS in all-processes mode, the tree
 * by pid for -p and --. */
void tui_list_defaults(struct tui_list *l, int all);
/* Only the processes of user name (a name or a uid): 0, or -1 if
 * there is no such user. */
int tui_list_user(struct tui_list *l, const char *name);
/* Sort by column col, in its usual direction: the biggest figure (or
 * change, either way) first; pid and command A to Z. */
void tui_list_sort(struct tui *t, int col);

/* tree_order.c: the rows in the order shown: sorted siblings under their
 * parent (or a flat list), kernel threads, the filter and the user
 * applied.  Fills ord (row indices) and depth; returns how many. */
size_t tree_order(const struct tui *t, size_t *ord, int *depth);
/* Does row r match text s (its command line, any case)? */
int tree_row_matches(const struct tui_row *r, const char *s);

/* tui_settings.c: the list's settings from the settings file (a
 * warning on the status line if it is corrupt), and back at quit (err:
 * one line if that failed, else ""). */
void tui_settings_load(struct tui *t);
void tui_settings_save(struct tui *t, char *err, size_t errlen);

/* tui_prompt.c: the `m` key's label prompt (the mark is taken on
 * Enter); a key while it is open. */
void tui_prompt_open(struct tui *t);
void tui_prompt_key(struct tui *t, int ch);

/* tui_log.c: the file a launched command writes to, or NULL; remove it
 * when no command runs; at the end, say where it is or remove it. */
const char *tui_log_path(void);
void tui_log_discard(void);
void tui_log_finish(struct app *a);

/* tui_term.c: the terminal.  tui_start_curses returns 1 if it takes
 * UTF-8, 0 if not, -1 (after a message) if curses cannot start. */
void tui_catch_tstp(void);
int tui_tstp_take(void);
int tui_start_curses(const struct opts *o);
void tui_end_curses(void);
void tui_resize(void);
void tui_suspend(void);
int tui_hungup(void);

/* view_timeline.c: the timeline strip (T key), STRIP_H lines tall. */
#define STRIP_H 7
/* After each sample: the focused process's figures for its strip. */
void strip_note(struct tui *t);
void strip_draw(struct tui *t, int y, int h);
void strip_free(struct tui *t);

/* view_replay.c: --replay FILE. */
/* The rows: the processes of the last mark at or before the cursor. */
void replay_rows(struct tui *t);
/* Move the cursor: -1/+1 a point, -2/+2 the previous/next mark. */
void replay_step(struct tui *t, int how);
/* The header (instead of the live one) in lines [y, y + h). */
void replay_header(struct tui *t, int y, int h);
/* Free the processes the replay put in the model (at the end). */
void replay_free(struct tui *t);

#endif
