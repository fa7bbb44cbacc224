/*
 * batch.c - `ramtop -b`: a text report or one JSON object per sample on
 * stdout, until -n samples, the target's end, or a signal.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "clock.h"
#include "errmsg.h"
#include "json.h"
#include "loop.h"
#include "metrics_out.h"
#include "phasefmt.h"
#include "report.h"
#include "sanitize.h"

/*
 * Output: each sample, mark or exit record is built in memory, then
 * written to fd 1 by batch_write() with the stop signals let in, so a
 * reader that stopped reading cannot keep ramtop from ending: a stop
 * signal ends the write (stdio would retry a partial write for ever).
 * Once stdout is gone (EPIPE) or abandoned, nothing more is written.
 */
static int batch_out_dead;

static int
batch_write(const char *buf, size_t len)
{
	sigset_t saved;
	ssize_t w;
	int r = 0;

	if (batch_out_dead)
		return 0;
	loop_unblock(&saved);
	while (len > 0 && !loop_stop_pending()) {
		w = write(STDOUT_FILENO, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			r = -errno;
			break;
		}
		buf += w;
		len -= (size_t)w;
	}
	loop_reblock(&saved);
	if (r == 0 && len > 0) {
		batch_out_dead = 1; /* a stop signal: the run ends */
		return 0;
	}
	return r;
}

/* Open a memory stream for one piece of output; NULL: out of memory. */
struct batch_piece {
	FILE *fp;
	char *buf;
	size_t len;
};

static FILE *
batch_piece_open(struct batch_piece *p)
{
	p->buf = NULL;
	p->len = 0;
	p->fp = open_memstream(&p->buf, &p->len);
	return p->fp;
}

/* Write the piece (r: what building it returned) and free it. */
static int
batch_piece_write(struct batch_piece *p, int r)
{
	if (fclose(p->fp) != 0 && r == 0)
		r = -ENOMEM;
	if (r == 0)
		r = batch_write(p->buf, p->len);
	free(p->buf);
	return r;
}

/* All processes and no --regions=all: smaps_rollup is read under a CPU
 * budget (model_read_budget), not for every process of the machine at
 * once; target trees (-p, --) are read whole. */
static int
batch_budgeted(const struct app *a)
{
	return a->m.all && !a->o->regions_all;
}

/* The budgeted rollups of this sample (docs/architecture.md). */
static void
batch_rollups(struct app *a, long i)
{
	if (a->o->gentle || !batch_budgeted(a) || i % a->o->pss_every != 0)
		return;
	model_read_budget(&a->m, model_budget(&a->m));
	model_totals_update(&a->m);
}

/* What to read this sample: see docs/architecture.md "Cost control". */
static unsigned
batch_what(const struct app *a, long i)
{
	unsigned what = 0;

	if (a->o->gentle)
		return 0;
	/* Watching every process: PSS under a budget (batch_rollups). */
	if (i % a->o->pss_every == 0 && !batch_budgeted(a))
		what |= MODEL_ROLLUP;
	/* smaps only when asked for (--regions): it holds each target's
	 * mmap lock for the whole read, and rollup already gives PSS/USS
	 * (docs/architecture.md, "Cost control").  Marks read it regardless. */
	if (a->o->regions)
		what |= MODEL_SMAPS;
	return what;
}

/* Print j on one line of fp (NDJSON) and release it.  0 or -errno. */
static int
batch_json_line(json_t *j, FILE *fp)
{
	int r = json_dumpf(j, fp, JSON_COMPACT);

	json_decref(j);
	if (r == 0 && fputc('\n', fp) != EOF)
		return 0;
	return -ENOMEM;
}

static int
batch_print_sample(struct app *a, long i, FILE *fp)
{
	json_t *j;

	if (!a->o->json)
		return report_sample(fp, &a->m, i, "sample", NULL,
				     a->o->regions ? REPORT_REGIONS : 0);
	j = json_phase(&a->m, "sample", i, NULL,
		       a->o->regions ? JSON_REGIONS : 0);
	if (j == NULL)
		return -ENOMEM;
	return batch_json_line(j, fp);
}

static int
batch_print(struct app *a, long i)
{
	struct batch_piece p;

	if (batch_out_dead)
		return 0;
	if (batch_piece_open(&p) == NULL)
		return -ENOMEM;
	return batch_piece_write(&p, batch_print_sample(a, i, p.fp));
}

static void
batch_exit_record(struct app *a)
{
	struct batch_piece p;
	json_t *j;
	int code = app_exit_code(a), r = 0;

	if (batch_out_dead || batch_piece_open(&p) == NULL)
		return;
	if (!a->o->json) {
		fprintf(p.fp, "ramtop: command exited with status %d\n", code);
	} else {
		j = json_pack("{s:s, s:i, s:f}", "kind", "exit", "exit_code",
			      code, "elapsed_s", clock_now() - a->m.start_mono);
		r = j != NULL ? batch_json_line(j, p.fp) : -ENOMEM;
	}
	(void)batch_piece_write(&p, r);
}

/* A mark: the phase object with "kind": "mark" (regions with --regions),
 * or a text block. */
static void
batch_print_mark(struct app *a, long idx)
{
	const struct phase *p = phase_get(&a->ph, (size_t)idx);
	struct batch_piece piece;
	json_t *j, *procs;
	size_t i;

	if (p == NULL || batch_out_dead || batch_piece_open(&piece) == NULL)
		return;
	if (!a->o->json) {
		phasefmt_mark(piece.fp, &a->ph, (size_t)idx);
		(void)batch_piece_write(&piece, 0);
		return;
	}
	j = phase_json_copy(p);
	if (j == NULL) {
		(void)batch_piece_write(&piece, -ENOMEM);
		return;
	}
	procs = json_object_get(j, "processes");
	for (i = 0; !a->o->regions && i < json_array_size(procs); i++)
		json_object_del(json_array_get(procs, i), "regions");
	(void)batch_piece_write(&piece, batch_json_line(j, piece.fp));
}

/* --listen, --textfile: the sample just taken (and the phases). */
static void
batch_metrics(struct app *a)
{
	char msg[APP_MSG_MAX];

	if (metrics_publish(a, msg, sizeof msg))
		sanitize_say(stderr, "ramtop: %s", msg);
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
		batch_metrics(a);
		if (idx < 0 || a->save_err < 0)
			sanitize_say(stderr, "ramtop: %s", msg);
		if (clock_now() >= until)
			break;
	}
}

/*
 * A stop signal in launch mode.  The first goes to the command once (not
 * again when the terminal sent it to the whole group, the command
 * included) and ramtop watches on until the command ends; a second one
 * kills the command (SIGKILL) and waits for it.  ramtop never reports
 * the status of a command that has not ended.  Returns the new count.
 */
static int
batch_child_stop(struct app *a, int sig, int stops)
{
	if (stops == 0) {
		if (!loop_sig_tty)
			app_child_forward(a, sig);
		return 1;
	}
	fprintf(stderr,
		"ramtop: %s again: killing the command (pid %ld) with "
		"SIGKILL\n",
		strsignal(sig), (long)a->child);
	app_child_forward(a, SIGKILL);
	while (!app_child_check(a))
		loop_wait(0.05, -1);
	return stops + 1;
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
		batch_rollups(a, i);
		if (a->o->count < 0 || i < a->o->count) {
			r = batch_print(a, i);
			if (r == -EPIPE && a->child > 0) {
				/* The reader went away; the command has not
				 * ended: watch it to its end (marks, -o)
				 * and report its status then. */
				batch_out_dead = 1;
				fprintf(stderr,
					"ramtop: the output was closed; "
					"watching the command (pid %ld) until "
					"it ends\n",
					(long)a->child);
				r = 0;
			}
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
		batch_metrics(a);
		if (a->o->count > 0 && i >= a->o->count && a->child == 0)
			return 0;
		/* With -n reached in launch mode, wait for the command. */
		next = clock_now() + a->o->delay;
		while (clock_now() < next) {
			loop_wait(app_mark_pending(a) ? 0 : next - clock_now(),
				  app_mark_fd(a));
			batch_marks(a, next);
			sig = loop_stop_signal();
			if (sig != 0 && a->child > 0)
				forwarded = batch_child_stop(a, sig, forwarded);
			else if (sig != 0)
				return 128 + sig;
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
