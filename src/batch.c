/*
 * batch.c - `ramtop -b`: a text report or one JSON object per sample on
 * stdout, until -n samples, the target's end, or a signal.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "clock.h"
#include "errmsg.h"
#include "json.h"
#include "loop.h"
#include "phasefmt.h"
#include "report.h"
#include "sanitize.h"

/* What to read this sample: see docs/architecture.md "Cost control". */
static unsigned
batch_what(const struct app *a, long i)
{
	unsigned what = 0;

	if (a->o->gentle)
		return 0;
	if (i % a->o->pss_every == 0)
		what |= MODEL_ROLLUP;
	/* smaps only when asked for (--regions): it holds each target's
	 * mmap lock for the whole read, and rollup already gives PSS/USS
	 * (docs/architecture.md, "Cost control").  Marks read it regardless. */
	if (a->o->regions)
		what |= MODEL_SMAPS;
	return what;
}

/* Print j on one line of stdout (NDJSON) and release it.  0 or -errno
 * of the stream. */
static int
batch_json_line(json_t *j)
{
	int r = json_dumpf(j, stdout, JSON_COMPACT);

	json_decref(j);
	if (r == 0 && fputc('\n', stdout) != EOF && fflush(stdout) == 0)
		return 0;
	return errno ? -errno : -EIO;
}

static int
batch_print(struct app *a, long i)
{
	json_t *j;

	if (!a->o->json)
		return report_sample(stdout, &a->m, i, "sample", NULL,
				     a->o->regions ? REPORT_REGIONS : 0);
	j = json_phase(&a->m, "sample", i, NULL,
		       a->o->regions ? JSON_REGIONS : 0);
	if (j == NULL)
		return -ENOMEM;
	return batch_json_line(j);
}

static void
batch_exit_record(struct app *a)
{
	json_t *j;
	int code = app_exit_code(a);

	if (!a->o->json) {
		printf("ramtop: command exited with status %d\n", code);
		fflush(stdout);
		return;
	}
	j = json_pack("{s:s, s:i, s:f}", "kind", "exit", "exit_code", code,
		      "elapsed_s", clock_now() - a->m.start_mono);
	if (j != NULL)
		(void)batch_json_line(j);
}

/* A mark: the phase object with "kind": "mark" (regions with --regions),
 * or a text block. */
static void
batch_print_mark(struct app *a, long idx)
{
	const struct phase *p = phase_get(&a->ph, (size_t)idx);
	json_t *j, *procs;
	size_t i;

	if (p == NULL)
		return;
	if (!a->o->json) {
		phasefmt_mark(stdout, &a->ph, (size_t)idx);
		return;
	}
	j = json_deep_copy(p->json);
	if (j == NULL)
		return;
	procs = json_object_get(j, "processes");
	for (i = 0; !a->o->regions && i < json_array_size(procs); i++)
		json_object_del(json_array_get(procs, i), "regions");
	(void)batch_json_line(j);
}

/* Marks that came in (SIGUSR1, the socket): record, print, answer;
 * one at least (the socket's time-outs are checked then too), more
 * until the next sample is due at `until`. */
static void
batch_marks(struct app *a, double until)
{
	char msg[APP_MSG_MAX];
	long idx;

	while (app_mark_poll(a, &idx, msg, sizeof msg)) {
		if (idx >= 0)
			batch_print_mark(a, idx);
		if (idx < 0 || a->save_err < 0)
			sanitize_say(stderr, "ramtop: %s", msg);
		if (clock_now() >= until)
			break;
	}
}

int
batch_run(struct app *a)
{
	char why[160];
	double next;
	long i = 0;
	int r, sig, forwarded = 0;

	for (;;) {
		if (a->child > 0 && app_child_check(a))
			break;
		r = model_sample(&a->m, batch_what(a, i));
		if (r < 0) {
			fprintf(stderr, "ramtop: cannot read /proc: %s\n",
				errmsg_why(r, why, sizeof why));
			return 1;
		}
		if (a->child == 0 && !model_alive(&a->m)) {
			fprintf(stderr,
				"ramtop: every target process has exited\n");
			return 0;
		}
		if (a->o->count < 0 || i < a->o->count) {
			r = batch_print(a, i);
			if (r == -EPIPE)
				return 0;	/* reader went away: quietly */
			if (r < 0) {
				fprintf(stderr,
					"ramtop: cannot write the report: %s\n",
					strerror(-r));
				return 1;
			}
			app_hint(a, stderr);
		}
		i++;
		if (a->ph.n == 0 && (a->o->count < 0 || i < a->o->count ||
				     a->child > 0 || a->o->out_file != NULL))
			app_phases_start(a);	/* phase 0: the baseline */
		if (a->o->count > 0 && i >= a->o->count && a->child == 0)
			return 0;
		/* With -n reached in launch mode, wait for the command. */
		next = clock_now() + a->o->delay;
		while (clock_now() < next) {
			loop_wait(app_mark_pending(a) ? 0 : next - clock_now(),
				  app_mark_fd(a));
			batch_marks(a, next);
			sig = loop_stop_signal();
			if (sig != 0 && a->child > 0 && !forwarded) {
				app_child_forward(a, sig);
				forwarded = 1;
			} else if (sig != 0) {
				return a->child > 0 ? app_exit_code(a)
						    : 128 + sig;
			}
			if (loop_sig_chld) {
				loop_sig_chld = 0;
				if (a->child > 0 && app_child_check(a))
					break;
			}
		}
	}
	batch_exit_record(a);
	return app_exit_code(a);
}
