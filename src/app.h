/*
 * app.h - one running ramtop: settings, the model, the launched child.
 * Shared by batch mode (batch.c) and the TUI (ui/).
 */
#ifndef RAMTOP_APP_H
#define RAMTOP_APP_H

#include <regex.h>
#include <sys/types.h>

#include "model.h"
#include "opts.h"
#include "phase.h"

struct marksock;
struct metrics_out;

struct app {
	struct opts *o;
	struct collector *coll;
	struct model m;
	pid_t child;		/* launch mode: the command; 0 otherwise */
	int child_done;
	int child_status;	/* waitpid status once child_done */
	int hinted;		/* permission hint already printed */
	int hidden;		/* /proc hides other users' processes */
	int stop;		/* asked to stop (signal) */
	regex_t pgrep;		/* --pgrep, compiled when pgrep_on */
	int pgrep_on;

	/* Phases and marks (src/appmark.c). */
	struct phases ph;	/* phase 0 "baseline", then every mark */
	struct marksock *sock;	/* external marks; NULL if it could not open */
	int save_err;		/* last save: 0 ok (or none yet), or -errno */

	/* --listen / --textfile (src/metrics_out.c); NULL: neither. */
	struct metrics_out *mx;
};

/* Set up collector, targets and launch.  Prints its own errors;
 * returns 0 or the exit code to use. */
int app_init(struct app *a, struct opts *o, int child_out_fd);
void app_free(struct app *a);

/* Reap the launched child if it ended (non-blocking); 1 once it has. */
int app_child_check(struct app *a);

/* Pass a stop signal on to the launched command. */
void app_child_forward(struct app *a, int sig);

/* Exit code for ramtop: the child's status in launch mode, else 0. */
int app_exit_code(const struct app *a);

/* Once per run: tell on stderr why some figures are unknown, or that
 * /proc hides processes (app_hidden_msg). */
void app_hint(struct app *a, FILE *fp);
extern const char app_hidden_msg[];

int batch_run(struct app *a);

/*
 * Phases, marks and snapshots (src/appmark.c) - what batch mode and the
 * TUI share for issue 5.  Messages written into msg are one line, meant
 * for a status line (no "ramtop: " prefix), already sanitised (labels and
 * paths in them are safe to print as they are).
 *
 * Every function that takes a sample (app_mark, app_mark_poll) calls
 * model_sample(): proc pointers held from before are invalid after it.
 */

/* Open the mark socket (app_init does this before launching, so the
 * command gets RAMTOP_SOCKET).  On failure prints one warning line on
 * stderr and goes on without it.  Returns 0 or -errno. */
int app_marks_open(struct app *a);
/* Close the socket and remove its file; free the phases (app_free). */
void app_marks_close(struct app *a);

/* Record phase 0, "baseline", from the current sample: call once after
 * the first model_sample().  Returns 0 or -errno. */
int app_phases_start(struct app *a);

/*
 * Room for the one-line message app_mark, app_mark_poll and app_save
 * write (it names a file, which may be PATH_MAX long).
 */
#define APP_MSG_MAX 1200

/*
 * Mark a phase now (the `m` key; SIGUSR1 and socket requests come
 * through app_mark_poll): take a fresh sample, read full smaps of every
 * target process into the phase, and with -o save the file.  label NULL
 * or "" gives "phase N".  `ramtop mark` clients in the target tree are
 * left out of the phase.
 * Returns the phase's index, or -errno; msg says what happened
 * ("marked phase 3 "kv-cache"; saved out.json (120K)").
 */
long app_mark(struct app *a, const char *label, char *msg, size_t len);

/* The descriptor to pass to loop_wait() so socket marks wake the loop;
 * -1 when there is no socket. */
int app_mark_fd(const struct app *a);

/*
 * Handle one pending external mark: SIGUSR1 (loop_sig_usr1, unlabelled)
 * or one socket request (answered here).  Call after loop_wait() until
 * it returns 0 or the next sample is due: a flood of marks must not stop
 * the samples.  Returns 1 when it did something: *idx is then the new
 * phase (or -errno if the mark failed) and msg says what happened;
 * a->save_err tells whether the -o save after it failed.
 */
int app_mark_poll(struct app *a, long *idx, char *msg, size_t len);

/* A mark is ready to be taken (left over when the sample came first):
 * loop_wait() would not wake for it, so do not wait. */
int app_mark_pending(const struct app *a);

/*
 * Save the snapshot (the `s` key) to path; NULL means -o FILE, or else
 * the default name ramtop-<pid>-<YYYYmmdd-HHMMSS>.json in the current
 * directory (<pid>: the first target root, or ramtop's own pid).
 * Returns 0 or -errno (-EACCES, -EROFS, -ENOSPC, -ELOOP, ...); msg says
 * where and how big, or exactly why not.  Sets a->save_err.
 */
int app_save(struct app *a, const char *path, char *msg, size_t len);

/* At exit, with -o: save (recording phase 0 first if there is none) and
 * say so on fp.  Returns 0, or 1 if the save failed. */
int app_exit_save(struct app *a, FILE *fp);

#endif
