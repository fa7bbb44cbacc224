/*
 * app.h - one running ramtop: settings, the model, the launched child.
 * Shared by batch mode (batch.c) and the TUI (ui/).
 */
#ifndef RAMTOP_APP_H
#define RAMTOP_APP_H

#include <regex.h>
#include <sys/types.h>

#include "cgroup.h"
#include "model.h"
#include "opts.h"
#include "phase.h"
#include "timeline.h"

struct marksock;
struct app_budget;
struct budget_rule;
struct budget_result;
struct metrics_out;

struct app {
	struct opts *o;
	struct collector *coll;
	struct model m;
	pid_t child; /* launch mode: the command; 0 otherwise */
	int child_done;
	int child_status; /* waitpid status once child_done */
	int hinted;	  /* permission hint already printed */
	int hidden;	  /* /proc hides other users' processes */
	int stop;	  /* asked to stop (signal) */
	regex_t pgrep;	  /* --pgrep, compiled when pgrep_on */
	int pgrep_on;

	/* Phases and marks (src/appmark.c). */
	struct phases ph;      /* phase 0 "baseline", then every mark */
	struct marksock *sock; /* external marks; NULL if it could not open */
	int save_err;	       /* last save: 0 ok (or none yet), or -errno */
	struct timeline tl;    /* every sample and mark (bounded) */

	/* --replay FILE: a snapshot file or batch recording, browsed in the
	 * TUI.  Its phases and timeline are moved into ph and tl; rec keeps
	 * the header (host, command).  NULL when live. */
	struct snapshot *rec;

	struct app_budget *budget; /* --budget (src/appbudget.c), or NULL */
	/* Memory cgroups and /dev/shm (src/appcg.c); the model reads them
	 * each sample unless --no-cgroup. */
	struct cgroup_set cg;
	struct shmfs shm;
	unsigned long long child_start; /* launched command's start time */
	/* --listen / --textfile (src/metrics_out.c); NULL: neither. */
	struct metrics_out *mx;
};

/*
 * Memory cgroups and OOM kills (src/appcg.c).  app_cgroup_init: the
 * model reads cgroups each sample unless --no-cgroup.  app_oom_untold:
 * the next kill not told yet (then marked told), or NULL.
 * app_oom_child_end: once the launched command has ended, record its
 * kill if it was one (and have it told again at exit).  app_oom_text:
 * "ramtop: pid N killed by the OOM killer ..." on fp, sanitised.
 * app_oom_json: every kill, for the snapshot file (a new reference).
 */
void app_cgroup_init(struct app *a);
/* Do the outputs keep every process's OOM scores each sample? */
int app_cgroup_scores_kept(const struct app *a);
struct cg_oom *app_oom_untold(struct app *a);
void app_oom_child_end(struct app *a);
void app_oom_text(const struct cg_oom *e, FILE *fp);
json_t *app_oom_json(const struct app *a);

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

/* --replay FILE: read the file into a->rec, a->ph and a->tl.  Prints
 * its own error; returns 0 or 1. */
int app_replay_open(struct app *a, const char *path);

/* After each model_sample() of the watch loop: the sample's point on
 * the timeline, and the last phase's peak. */
void app_timeline_note(struct app *a);

/* The "session" object (header of the file: host, target, created) for
 * mark 0 of a batch recording; a new reference or NULL. */
json_t *app_session_json(struct app *a);
/*
 * Budgets (src/appbudget.c): --budget FILE evaluated live.
 */

/* Read and parse --budget FILE (app_init does this); parse errors are
 * printed as FILE:LINE:COL.  Returns 0 or the exit code to use. */
int app_budget_open(struct app *a);
void app_budget_close(struct app *a);
/* Evaluate the phases recorded since the last call and, if sample, the
 * model's current sample.  Returns how many rules stopped holding; their
 * indexes are in newly[] (at most max). */
size_t app_budget_step(struct app *a, int sample, size_t *newly, size_t max);
/* End of the run: rules still without a value get their reason.
 * Returns 1 the first time, then 0. */
int app_budget_finish(struct app *a);
size_t app_budget_count(const struct app *a);
void app_budget_get(const struct app *a, size_t k, const struct budget_rule **r,
		    const struct budget_result **res);
/* A rule broke, or (after finish) could not be checked. */
int app_budget_failed(const struct app *a);
/* For the status line while a rule is broken (sanitised), or NULL. */
const char *app_budget_status(const struct app *a, char *buf, size_t len);
/* finish, then one line of counts and a line per rule that did not hold
 * on fp. */
void app_budget_summary(struct app *a, FILE *fp);

/* At exit, with -o: save (recording phase 0 first if there is none) and
 * say so on fp.  Returns 0, or 1 if the save failed. */
int app_exit_save(struct app *a, FILE *fp);

#endif
