/*
 * appcg.c - memory cgroups and OOM kills for a running ramtop: set-up,
 * which kills are still to be told (batch mode as they happen, the
 * screen and launch mode at exit), their text line, and the events for
 * the snapshot file.  Glue only: cgroup*.c read and attribute,
 * cgroupfmt.c formats, batch.c writes its NDJSON lines.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "app.h"
#include "cgroupfmt.h"
#include "sanitize.h"

/* Over every process, oom_score and oom_score_adj are two files a
 * process: read each sample only for the outputs that carry them (JSON,
 * the file, /metrics) or a tree; otherwise at marks, and on screen while
 * a column shows them. */
int
app_cgroup_scores_kept(const struct app *a)
{
	return !a->m.all || a->o->cmd != NULL || a->o->json ||
	       a->o->out_file != NULL || a->o->listen != NULL ||
	       a->o->textfile != NULL;
}

void
app_cgroup_init(struct app *a)
{
	cgroup_set_init(&a->cg);
	shmfs_init(&a->shm);
	if (a->o->no_cgroup)
		return;
	a->m.cg = &a->cg;
	a->m.shm = &a->shm;
}

struct cg_oom *
app_oom_untold(struct app *a)
{
	size_t i;

	for (i = 0; i < a->cg.noom; i++) {
		if (!a->cg.oom[i].reported) {
			a->cg.oom[i].reported = 1;
			return &a->cg.oom[i];
		}
	}
	return NULL;
}

void
app_oom_child_end(struct app *a)
{
	int st = a->child_status;
	struct cg_oom *e;

	if (a->m.cg == NULL || a->child <= 0 || !a->child_done)
		return;
	e = cgroup_child_ended(&a->cg, &a->m, (int)a->child, 0,
			       WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* The launched command's kill is told at exit, even if it was
	 * told when it happened. */
	if (e != NULL)
		e->reported = 0;
}

void
app_oom_text(const struct cg_oom *e, FILE *fp)
{
	char msg[1024], safe[1024];

	cgroup_oom_msg(e, msg, sizeof msg);
	sanitize_text(safe, sizeof safe, msg, strlen(msg));
	fprintf(fp, "ramtop: %s\n", safe);
	fflush(fp);
}

json_t *
app_oom_json(const struct app *a)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr != NULL && i < a->cg.noom; i++)
		json_array_append_new(arr, cgroupfmt_oom_json(&a->cg.oom[i]));
	return arr;
}
