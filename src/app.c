/*
 * app.c - start-up shared by batch and TUI: the collector, the -p roots
 * (checked to exist), the launched command, and the permission hint.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "snapshot.h"
#include "launch.h"
#include "loop.h"
#include "marksock.h"
#include "sanitize.h"
#include "snapshot.h"

const char app_hidden_msg[] =
	"/proc is mounted with hidepid: other users' processes are hidden "
	"and not in the totals; run as root to see them";

/* --replay names a file (a snapshot or recording), not a recorded
 * /proc directory. */
static int
app_replay_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* app_roots_add: check each -p pid (a thread becomes its process) and
 * make it a root; 0, or 1 after saying why not. */
static int
app_roots_add(struct app *a, struct opts *o)
{
	size_t i;
	int r;

	for (i = 0; i < o->npids; i++) {
		r = collect_visible(a->coll, o->pids[i]);
		if (r == 1 && (r = collect_tgid(a->coll, o->pids[i])) > 0 &&
		    r != o->pids[i]) {
			fprintf(stderr,
				"ramtop: -p %d is a thread of process %d: "
				"watching process %d\n",
				o->pids[i], r, r);
			o->pids[i] = r;
		}
		r = collect_visible(a->coll, o->pids[i]);
		if (r == -ESRCH) {
			fprintf(stderr, "ramtop: no such process: %d\n",
				o->pids[i]);
			return 1;
		}
		if (r == 0) {
			fprintf(stderr,
				"ramtop: process %d is hidden from you: "
				"/proc is mounted with hidepid; run ramtop as "
				"its owner or as root\n",
				o->pids[i]);
			return 1;
		}
		if (model_add_root(&a->m, o->pids[i]) < 0)
			return 1;
	}
	return 0;
}

/* app_pgrep_compile: compile --pgrep and watch what matches it; 0, or
 * 2 after saying why the expression is bad. */
static int
app_pgrep_compile(struct app *a, struct opts *o)
{
	int r;

	if (o->pgrep != NULL) {
		char why[160];

		r = regcomp(&a->pgrep, o->pgrep, REG_EXTENDED | REG_NOSUB);
		if (r != 0) {
			regerror(r, &a->pgrep, why, sizeof why);
			fprintf(stderr,
				"ramtop: --pgrep: '%s' is not a regular "
				"expression: %s\n",
				o->pgrep, why);
			return 2;
		}
		a->pgrep_on = 1;
		a->m.pgrep = &a->pgrep;
		a->m.all = 0;
	}
	return 0;
}

/* app_launch: start -- CMD and make it a root; 0, or the exit status
 * after saying why it could not run. */
static int
app_launch(struct app *a, struct opts *o, int child_out_fd)
{
	int r;

	if (o->cmd != NULL) {
		a->m.zero_baseline = 1;
		r = launch_start(o->cmd, child_out_fd,
				 a->sock ? marksock_path(a->sock) : NULL,
				 &a->child);
		if (r < 0) {
			sanitize_say(stderr, "ramtop: cannot run '%s': %s",
				     o->cmd[0], strerror(-r));
			return r == -ENOENT ? 127 : 126;
		}
		model_add_root(&a->m, a->child);
	}
	return 0;
}

int
app_init(struct app *a, struct opts *o, int child_out_fd)
{
	int r;

	memset(a, 0, sizeof *a);
	a->o = o;
	timeline_init(&a->tl);
	if (loop_init() < 0) {
		fprintf(stderr, "ramtop: cannot set up signal handlers: %s\n",
			strerror(errno));
		return 1;
	}
	if (o->out_file != NULL) {
		char err[PATH_MAX + 512];

		/* -o problems now, not at the first save when the run is
		 * over. */
		if (snapshot_check_path(o->out_file, err, sizeof err) < 0) {
			sanitize_say(stderr, "ramtop: %s", err);
			return 1;
		}
	}
	a->coll = collect_new();
	if (a->coll == NULL) {
		fprintf(stderr,
			"ramtop: cannot read the process list in /proc: %s "
			"(is /proc mounted?)\n",
			strerror(errno));
		return 1;
	}
	if (o->replay != NULL && app_replay_is_file(o->replay)) {
		/* Nothing is watched: no socket, no samples. */
		r = app_replay_open(a, o->replay);
		if (r == 0)
			model_init(&a->m, a->coll);
		return r;
	}
	if (o->replay != NULL) {
		r = collect_replay(a->coll, o->replay);
		if (r < 0) {
			sanitize_say(stderr, "ramtop: --replay: %s: %s",
				     o->replay, strerror(-r));
			return 1;
		}
	}
	if ((o->npids > 0 || o->cmd != NULL) &&
	    collect_pidns_ok(a->coll) == 0) {
		fprintf(stderr,
			"ramtop: /proc belongs to another pid namespace than "
			"ramtop's (it does not show ramtop as pid %ld): pids "
			"would name other processes; mount a /proc for this "
			"namespace (unshare -p -f --mount-proc)\n",
			(long)getpid());
		return 1;
	}
	model_init(&a->m, a->coll);
	app_cgroup_init(a);
	if (o->regions_all)
		a->m.mark_regions = MODEL_MARK_ALL;
	if ((r = app_roots_add(a, o)) != 0)
		return r;
	if ((r = app_pgrep_compile(a, o)) != 0)
		return r;
	a->cg.scores = app_cgroup_scores_kept(a); /* once the target is known */
	/* Watching everything: say if /proc hides other users' processes
	 * (pid 1 is always there, and anyone may read its stat unless
	 * /proc is mounted with hidepid). */
	if (a->m.all && o->replay == NULL && collect_visible(a->coll, 1) == 0)
		a->hidden = 1;
	if ((r = app_budget_open(a)) != 0)
		return r;
	app_marks_open(a); /* before launch: the command gets its path */
	if ((r = app_launch(a, o, child_out_fd)) != 0)
		return r;
	return 0;
}

void
app_free(struct app *a)
{
	app_marks_close(a);
	timeline_free(&a->tl);
	if (a->rec != NULL) {
		snapshot_free(a->rec);
		free(a->rec);
		a->rec = NULL;
	}
	app_budget_close(a);
	model_free(&a->m);
	cgroup_set_free(&a->cg);
	if (a->pgrep_on)
		regfree(&a->pgrep);
	a->pgrep_on = 0;
	collect_free(a->coll);
	a->coll = NULL;
}

int
app_child_check(struct app *a)
{
	pid_t r;
	int st;

	if (a->child <= 0 || a->child_done)
		return a->child_done;
	do
		r = waitpid(a->child, &st, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == a->child) {
		a->child_done = 1;
		a->child_status = st;
	} else if (r < 0 && errno == ECHILD) {
		a->child_done = 1;
		a->child_status = 0;
	}
	return a->child_done;
}

void
app_child_forward(struct app *a, int sig)
{
	if (a->child > 0 && !a->child_done)
		kill(a->child, sig);
}

int
app_exit_code(const struct app *a)
{
	if (a->child > 0 && a->child_done)
		return launch_exit_code(a->child_status);
	return 0;
}

void
app_hint(struct app *a, FILE *fp)
{
	const struct proc *p, *first = NULL;
	size_t i, n = 0;

	if (a->hinted)
		return;
	if (a->hidden) {
		a->hinted = 1;
		fprintf(fp, "ramtop: %s\n", app_hidden_msg);
		return;
	}
	for (i = 0; i < a->m.nprocs; i++) {
		p = a->m.procs[i];
		if (p->rollup_err == PROC_EACCES ||
		    p->smaps_err == PROC_EACCES) {
			if (first == NULL)
				first = p;
			n++;
		}
	}
	if (first == NULL)
		return;
	a->hinted = 1;
	/* Root already has CAP_SYS_PTRACE: telling it to get it is wrong. */
	if (geteuid() == 0)
		fprintf(fp,
			"ramtop: PSS, USS and regions of %zu process%s (e.g. "
			"pid %d) are unknown: permission denied even to root "
			"(the kernel's ptrace rules refuse it: another user "
			"namespace, or a security module)\n",
			n, n == 1 ? "" : "es", first->pid);
	else
		fprintf(fp,
			"ramtop: PSS, USS and regions of %zu process%s (e.g. "
			"pid %d) are unknown: permission denied; run as the "
			"same user or with CAP_SYS_PTRACE\n",
			n, n == 1 ? "" : "es", first->pid);
}
