/*
 * appcg.c - memory cgroups and OOM kills for a running ramtop: set-up,
 * the OOM messages of batch mode and of the launched command's end, and
 * the events for the snapshot file.  Glue only: cgroup.c reads and
 * attributes, cgroupfmt.c formats.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "app.h"
#include "cgroupfmt.h"
#include "sanitize.h"

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

static void
app_oom_print(struct cg_oom *e, FILE *fp, int json)
{
	char msg[1024], safe[1024];
	json_t *j, *o;

	if (fp == NULL)
		return;
	e->reported = 1;
	if (json) {
		o = cgroupfmt_oom_json(e);
		j = o ? json_pack("{s:s, s:o}", "kind", "oom", "oom", o) : NULL;
		if (j == NULL)
			return;
		json_dumpf(j, fp, JSON_COMPACT);
		json_decref(j);
		fputc('\n', fp);
	} else {
		cgroup_oom_msg(e, msg, sizeof msg);
		sanitize_text(safe, sizeof safe, msg, strlen(msg));
		fprintf(fp, "ramtop: %s\n", safe);
	}
	fflush(fp);
}

void
app_oom_report(struct app *a, FILE *fp, int json)
{
	size_t i;

	for (i = 0; i < a->cg.noom; i++)
		if (!a->cg.oom[i].reported)
			app_oom_print(&a->cg.oom[i], fp, json);
}

void
app_oom_exit(struct app *a, FILE *fp, int json)
{
	int st = a->child_status;
	struct cg_oom *e = NULL;

	if (a->m.cg != NULL && a->child > 0 && a->child_done)
		e = cgroup_child_ended(&a->cg, &a->m, (int)a->child, 0,
				       WIFSIGNALED(st) &&
					       WTERMSIG(st) == SIGKILL);
	/* The launched command's kill is told at exit, even if it was
	 * told when it happened. */
	if (e != NULL && fp != NULL)
		e->reported = 0;
	app_oom_report(a, fp, json);
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
