/*
 * appmark.c - phases for a running ramtop: phase 0 at start, marks from
 * the `m` key, SIGUSR1 and the mark socket, and saving the snapshot file
 * (after every mark and at exit with -o, or on the `s` key).
 *
 * Glue only: phase.c records, marksock.c listens, snapshot.c writes.
 * Touches: the model (a fresh sample per mark), the socket, the file.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "errmsg.h"
#include "fmt.h"
#include "loop.h"
#include "marksock.h"
#include "sanitize.h"
#include "recording.h"
#include "snapshot.h"

/* Messages quote labels and paths: make them safe to print as they are. */
static void
app_msg_clean(char *msg, size_t len)
{
	char tmp[2048];

	snprintf(tmp, sizeof tmp, "%s", msg);
	sanitize_text(msg, len, tmp, strlen(tmp));
}

int
app_marks_open(struct app *a)
{
	char err[512];
	int r;

	phases_init(&a->ph);
	r = marksock_open(&a->sock, err, sizeof err);
	if (r < 0) {
		sanitize_say(stderr,
			     "ramtop: warning: marks from other programs are "
			     "off: %s",
			     err);
		a->sock = NULL;
	}
	return r;
}

void
app_marks_close(struct app *a)
{
	marksock_close(a->sock);
	a->sock = NULL;
	phases_free(&a->ph);
}

/* Is p a `ramtop mark` client (our executable, first argument "mark")?
 * It waits for the answer while the mark is taken: not the workload. */
static int
app_is_mark_client(const struct proc *p)
{
	const char *sp;

	if (p->cmdline == NULL || (sp = strchr(p->cmdline, ' ')) == NULL ||
	    strncmp(sp + 1, "mark", 4) != 0 || (sp[5] != ' ' && sp[5] != '\0'))
		return 0;
	return marksock_peer_is_self(p->pid);
}

/* Record a phase, leaving out mark clients in the target. */
static long
app_phase_record(struct app *a, const char *label)
{
	int *skip;
	size_t i, n = 0;
	long r;

	skip = calloc(a->m.nprocs + 1, sizeof *skip);
	if (skip == NULL)
		return -ENOMEM;
	for (i = 0; i < a->m.nprocs; i++)
		if (app_is_mark_client(a->m.procs[i]))
			skip[n++] = a->m.procs[i]->pid;
	r = phase_mark(&a->ph, &a->m, label, skip, n);
	free(skip);
	if (r >= 0) { /* the mark on the timeline; its phase's first peak */
		struct timeline_point pt;

		timeline_point_phase(&pt, &a->ph.v[r]);
		if (timeline_add(&a->tl, &pt) == 0)
			timeline_phase_note(&a->ph, &pt);
		cgroup_set_phase(&a->cg, r,
				 phase_get(&a->ph, (size_t)r)->label);
	}
	return r;
}

int
app_phases_start(struct app *a)
{
	int policy = a->m.mark_regions;
	long r;

	if (a->ph.n > 0)
		return 0;
	/* --gentle reads no smaps the user did not ask for: phase 0 is
	 * recorded by ramtop, not asked for, so it keeps figures only. */
	if (a->o->gentle)
		a->m.mark_regions = MODEL_MARK_NONE;
	r = app_phase_record(a, "baseline");
	a->m.mark_regions = policy;
	return r < 0 ? (int)r : 0;
}

int
app_mark_fd(const struct app *a)
{
	return marksock_fd(a->sock);
}

/* The command the target runs, for the file's "target" object. */
static char *
app_command(const struct app *a)
{
	const struct phase *p0;
	size_t len = 0, i;
	char *s;

	if (a->o->cmd != NULL) {
		for (i = 0; a->o->cmd[i] != NULL; i++)
			len += strlen(a->o->cmd[i]) + 1;
		s = malloc(len + 1);
		if (s == NULL)
			return NULL;
		s[0] = '\0';
		for (i = 0; a->o->cmd[i] != NULL; i++) {
			if (i > 0)
				strcat(s, " ");
			strcat(s, a->o->cmd[i]);
		}
		return s;
	}
	if (a->m.all || a->m.nroots == 0)
		return NULL;
	p0 = phase_get(&a->ph, 0);
	for (i = 0; p0 != NULL && i < p0->nprocs; i++)
		if (p0->procs[i].pid == a->m.roots[0].pid)
			return p0->procs[i].cmdline
				       ? strdup(p0->procs[i].cmdline)
				       : strdup(p0->procs[i].comm);
	return NULL;
}

/* What the file says besides the phases; app_meta_free() after. */
static void
app_meta_get(struct app *a, struct snapshot_meta *meta,
	     struct snapshot_host *host, char created[40])
{
	int *pids;
	size_t i;

	snapshot_host_get(host);
	fmt_time(created, 40, (long)a->m.start_wall.tv_sec,
		 a->m.start_wall.tv_nsec);
	memset(meta, 0, sizeof *meta);
	meta->created = created;
	meta->host = host;
	meta->mem_total_kb = a->m.sys.mi.mem_total;
	if (a->m.nroots > 0) {
		pids = calloc(a->m.nroots, sizeof *pids);
		if (pids != NULL) {
			for (i = 0; i < a->m.nroots; i++)
				pids[i] = a->m.roots[i].pid;
			meta->pids = pids;
			meta->npids = a->m.nroots;
		}
	}
	meta->command = app_command(a);
	meta->timeline = &a->tl;
}

static void
app_meta_free(struct snapshot_meta *meta)
{
	free((char *)meta->command);
	free((int *)meta->pids);
}

int
app_replay_open(struct app *a, const char *path)
{
	char err[1200];

	if (a->o->batch || a->o->out_file != NULL || a->o->npids > 0) {
		fprintf(stderr, "ramtop: --replay FILE opens the file in the "
				"interactive screen; -b, -o and -p do not "
				"apply (ramtop "
				"show, diff and report read it in batch)\n");
		return 1;
	}
	a->rec = calloc(1, sizeof *a->rec);
	if (a->rec == NULL) {
		fprintf(stderr, "ramtop: out of memory\n");
		return 1;
	}
	if (snapshot_read(path, a->rec, err, sizeof err) < 0) {
		fprintf(stderr, "ramtop: --replay: %s\n", err);
		free(a->rec);
		a->rec = NULL;
		return 1;
	}
	phases_free(&a->ph);
	a->ph = a->rec->ph;
	phases_init(&a->rec->ph);
	timeline_free(&a->tl);
	a->tl = a->rec->tl;
	timeline_init(&a->rec->tl);
	return 0;
}

json_t *
app_session_json(struct app *a)
{
	struct snapshot_host host;
	struct snapshot_meta meta;
	char created[40];
	json_t *o;

	app_meta_get(a, &meta, &host, created);
	o = recording_session(&meta);
	app_meta_free(&meta);
	return o;
}

void
app_timeline_note(struct app *a)
{
	struct timeline_point pt;

	timeline_point_model(&pt, &a->m);
	if (timeline_add(&a->tl, &pt) == 0)
		timeline_phase_note(&a->ph, &pt);
}

int
app_save(struct app *a, const char *path, char *msg, size_t len)
{
	struct snapshot_host host;
	struct snapshot_meta meta;
	char created[40], def[128], err[1024], sz[FMT_SIZE];
	size_t bytes = 0;
	int r;

	if (path == NULL)
		path = a->o->out_file;
	if (path == NULL) {
		snapshot_default_name(def, sizeof def,
				      a->m.nroots > 0 ? a->m.roots[0].pid
						      : (int)getpid(),
				      time(NULL));
		path = def;
	}
	app_meta_get(a, &meta, &host, created);
	/* OOM kills watched for: the array, even empty (--no-cgroup: none). */
	meta.oom = a->m.cg != NULL ? app_oom_json(a) : NULL;
	r = snapshot_write(path, &meta, &a->ph, &bytes, err, sizeof err);
	json_decref(meta.oom);
	app_meta_free(&meta);
	a->save_err = r;
	if (r < 0)
		snprintf(msg, len, "%s", err);
	else
		snprintf(msg, len, "saved %s (%s, %zu phase%s)", path,
			 fmt_kb(sz, (long long)((bytes + 1023) / 1024)),
			 a->ph.n, a->ph.n == 1 ? "" : "s");
	app_msg_clean(msg, len);
	return r;
}

long
app_mark(struct app *a, const char *label, char *msg, size_t len)
{
	const struct phase *p;
	char save[1024], why[160];
	long idx;
	int r;

	r = model_sample(&a->m, 0);
	if (r < 0) {
		snprintf(msg, len, "cannot mark: cannot read /proc: %s",
			 errmsg_why(r, why, sizeof why));
		return r;
	}
	if (a->ph.n == 0 && (r = app_phases_start(a)) < 0) {
		snprintf(msg, len, "cannot record the baseline: %s",
			 strerror(-r));
		return r;
	}
	/* A mark keeps each process's OOM scores, read now when the
	 * samples leave them out (cgroup_set.scores). */
	if (a->m.cg != NULL && !a->cg.scores)
		cgroup_scores_read(&a->cg, &a->m);
	idx = app_phase_record(a, label);
	if (idx < 0) {
		snprintf(msg, len, "cannot mark: %s", strerror((int)-idx));
		return idx;
	}
	p = phase_get(&a->ph, (size_t)idx);
	if (a->o->out_file == NULL) {
		snprintf(msg, len, "marked phase %ld \"%s\"", idx, p->label);
		app_msg_clean(msg, len);
		return idx;
	}
	app_save(a, NULL, save, sizeof save);
	snprintf(msg, len, "marked phase %ld \"%s\"; %s", idx, p->label, save);
	app_msg_clean(msg, len);
	return idx;
}

int
app_mark_poll(struct app *a, long *idx, char *msg, size_t len)
{
	struct marksock_req req;
	char line[64];

	if (loop_sig_usr1) {
		loop_sig_usr1 = 0;
		*idx = app_mark(a, NULL, msg, len);
		return 1;
	}
	if (a->sock == NULL || marksock_next(a->sock, &req) == 0)
		return 0;
	*idx = app_mark(a, req.label, msg, len);
	if (*idx >= 0)
		snprintf(line, sizeof line, "ok %ld\n", *idx);
	else
		snprintf(line, sizeof line, "err %s\n", strerror((int)-*idx));
	marksock_reply(a->sock, &req, line);
	return 1;
}

int
app_mark_pending(const struct app *a)
{
	return loop_sig_usr1 || marksock_pending(a->sock);
}

int
app_exit_save(struct app *a, FILE *fp)
{
	char msg[APP_MSG_MAX];

	if (a->o == NULL || a->o->out_file == NULL)
		return 0;
	if (a->ph.n == 0)
		app_phases_start(a);
	if (app_save(a, NULL, msg, sizeof msg) < 0) {
		fprintf(fp, "ramtop: %s\n", msg);
		return 1;
	}
	fprintf(fp, "ramtop: %s\n", msg);
	return 0;
}
