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
#include "budgetfmt.h"
#include "cgroupfmt.h"
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

/* The budgeted rollups of this sample (docs/architecture.md): from the
 * second sample on.  A one-shot -b -n 1 over every process is top's job,
 * and a tenth of its cost would give PSS for a few processes in twenty. */
static void
batch_rollups(struct app *a, long i)
{
	if (a->o->gentle || !batch_budgeted(a) || i == 0 ||
	    i % a->o->pss_every != 0)
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

/* OOM kills not told yet: a text line, or {"kind": "oom", "oom": {...}},
 * through the in-memory output like every other piece. */
static void
batch_oom(struct app *a)
{
	struct batch_piece p;
	struct cg_oom *e;
	json_t *o;
	int r = 0;

	if (batch_piece_open(&p) == NULL)
		return;
	while ((e = app_oom_untold(a)) != NULL) {
		if (!a->o->json) {
			app_oom_text(e, p.fp);
			continue;
		}
		o = cgroupfmt_oom_json(e);
		o = o ? json_pack("{s:s, s:o}", "kind", "oom", "oom", o) : NULL;
		if (o != NULL && r == 0)
			r = batch_json_line(o, p.fp);
		else if (o != NULL)
			json_decref(o);
	}
	(void)batch_piece_write(&p, r);
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

	app_oom_child_end(a);
	batch_oom(a);
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
		if (idx > 0) /* the baseline has no block of its own */
			phasefmt_mark(piece.fp, &a->ph, (size_t)idx);
		(void)batch_piece_write(&piece, 0);
		return;
	}
	j = phase_json_copy(p); /* ours: regions are taken out below */
	if (j == NULL) {
		(void)batch_piece_write(&piece, -ENOMEM);
		return;
	}
	if (p->peak_rss >= 0) /* the phase's peak so far */
		json_object_set_new(j, "peak",
				    json_pack("{s:I, s:f}", "rss_kb",
					      (json_int_t)p->peak_rss,
					      "elapsed_s", p->peak_elapsed_s));
	/* Mark 0 carries the file's header: a recording reads as a
	 * snapshot (recording.c). */
	if (idx == 0)
		json_object_set_new(j, "session", app_session_json(a));
	procs = json_object_get(j, "processes");
	for (i = 0; !a->o->regions && i < json_array_size(procs); i++)
		json_object_del(json_array_get(procs, i), "regions");
	(void)batch_piece_write(&piece, batch_json_line(j, piece.fp));
}

/* Print the marks not printed yet, phase 0 (the baseline) included. */
static void
batch_print_marks(struct app *a)
{
	static size_t printed;

	while (printed < a->ph.n)
		batch_print_mark(a, (long)printed++);
}

/* One budget result: an NDJSON line ("final" false when it just broke,
 * true in the end-of-run record) or a text line. */
static void
batch_budget_print(struct app *a, size_t k, int final)
{
	const struct budget_rule *r;
	const struct budget_result *res;
	struct batch_piece piece;
	json_t *j;

	app_budget_get(a, k, &r, &res);
	if (batch_out_dead || batch_piece_open(&piece) == NULL)
		return;
	if (!a->o->json) {
		budgetfmt_line(piece.fp, r, res);
		(void)batch_piece_write(&piece, 0);
		return;
	}
	j = budgetfmt_json(r, res);
	if (j == NULL) {
		(void)batch_piece_write(&piece, -ENOMEM);
		return;
	}
	json_object_set_new(j, "final", json_boolean(final));
	(void)batch_piece_write(&piece, batch_json_line(j, piece.fp));
}

/* --budget: evaluate the new phases (and the sample), and print at once
 * each rule that stopped holding. */
static void
batch_budget(struct app *a, int sample)
{
	size_t newly[64], n, i;

	n = app_budget_step(a, sample, newly, 64);
	for (i = 0; i < n; i++)
		batch_budget_print(a, newly[i], 0);
}

/* At the end: every rule's final result in NDJSON; in text, the rules
 * that could not be checked (main() prints the summary on stderr). */
static void
batch_budget_end(struct app *a)
{
	const struct budget_rule *r;
	const struct budget_result *res;
	size_t k;

	if (app_budget_count(a) == 0)
		return;
	batch_budget(a, 0);
	if (!app_budget_finish(a))
		return; /* already done */
	for (k = 0; k < app_budget_count(a); k++) {
		app_budget_get(a, k, &r, &res);
		if (a->o->json || res->status == BUDGET_NOT_YET)
			batch_budget_print(a, k, 1);
	}
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
		if (idx >= 0) {
			batch_print_marks(a);
			batch_budget(a, 0);
		}
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

/* batch_emit: print sample I (and the hint); -1 to go on, or the exit
 * status when the output failed. */
static int
batch_emit(struct app *a, long i)
{
	int r;

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
		return 0; /* reader went away: quietly */
	if (r < 0) {
		fprintf(stderr, "ramtop: cannot write the report: %s\n",
			strerror(-r));
		return 1;
	}
	app_hint(a, stderr);
	return -1;
}

/* batch_wait: until NEXT, take marks and signals (a stop signal is
 * passed to the command); 0 to go on sampling, or 128 + the signal. */
static int
batch_wait(struct app *a, double next, int *forwarded)
{
	int sig;

	while (clock_now() < next) {
		loop_wait(app_mark_pending(a) ? 0 : next - clock_now(),
			  app_mark_fd(a));
		batch_marks(a, next);
		sig = loop_stop_signal();
		if (sig != 0 && a->child > 0)
			*forwarded = batch_child_stop(a, sig, *forwarded);
		else if (sig != 0)
			return 128 + sig;
		if (loop_sig_chld) {
			loop_sig_chld = 0;
			if (a->child > 0 && app_child_check(a))
				break;
		}
	}
	return 0;
}

static int
batch_loop(struct app *a)
{
	char why[160];
	double next;
	long i = 0;
	int r, forwarded = 0;

	for (;;) {
		if (a->child > 0 && app_child_check(a))
			break;
		r = model_sample(&a->m, batch_what(a, i));
		if (r < 0) {
			fprintf(stderr, "ramtop: cannot read /proc: %s\n",
				errmsg_why(r, why, sizeof why));
			return 1;
		}
		app_timeline_note(a);
		batch_oom(a);
		if (a->child == 0 && !model_alive(&a->m)) {
			fprintf(stderr,
				"ramtop: every target process has exited\n");
			return 0;
		}
		batch_rollups(a, i);
		if ((a->o->count < 0 || i < a->o->count) &&
		    (r = batch_emit(a, i)) >= 0)
			return r;
		i++;
		if (a->ph.n == 0 &&
		    (a->o->count < 0 || i < a->o->count || a->child > 0 ||
		     a->o->out_file != NULL || a->budget != NULL)) {
			app_phases_start(a); /* phase 0: the baseline */
			if (a->o->json)
				batch_print_marks(a);
		}
		batch_budget(a, 1);
		batch_metrics(a);
		if (a->o->count > 0 && i >= a->o->count && a->child == 0)
			return 0;
		/* With -n reached in launch mode, wait for the command. */
		next = clock_now() + a->o->delay;
		if ((r = batch_wait(a, next, &forwarded)) != 0)
			return r;
	}
	batch_budget_end(a);
	batch_exit_record(a);
	return app_exit_code(a);
}

int
batch_run(struct app *a)
{
	int r = batch_loop(a);

	batch_budget_end(a); /* once: not again after the exit record */
	return r;
}
