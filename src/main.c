/*
 * main.c - ramtop's entry: parse the command line, then run batch mode
 * or the interactive screen.
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "cmd.h"
#include "httpd.h"
#include "metrics_out.h"
#include "opts.h"
#include "sanitize.h"
#include "launch.h"
#include "../ui/ui.h"

/* --listen and --textfile: checked before anything starts (a port in
 * use, a missing directory: one line, before a command is launched). */
static int
main_outputs_check(const struct opts *o, struct httpd **h)
{
	char err[4200];

	*h = NULL;
	if (o->textfile != NULL &&
	    metrics_out_check(o->textfile, err, sizeof err) < 0) {
		sanitize_say(stderr, "ramtop: --textfile: %s", err);
		return -1;
	}
	if (o->listen == NULL)
		return 0;
	*h = httpd_start(o->listen, err, sizeof err);
	if (*h == NULL) {
		sanitize_say(stderr, "ramtop: --listen: %s", err);
		return -1;
	}
	return 0;
}

/* After every sample, the exposition goes to --textfile and --listen
 * (the server thread starts now, after a launch).  Returns 0, or 1 if
 * the server could not start. */
static int
main_metrics(struct app *a, struct metrics_out *mo, struct httpd *h)
{
	char err[512];

	memset(mo, 0, sizeof *mo);
	if (h != NULL && httpd_serve(h, err, sizeof err) < 0) {
		sanitize_say(stderr, "ramtop: --listen: %s", err);
		return 1;
	}
	if (a->o->listen == NULL && a->o->textfile == NULL)
		return 0;
	mo->textfile = a->o->textfile;
	mo->top = (size_t)a->o->metrics_top;
	mo->serve = h != NULL ? httpd_publish : NULL;
	mo->serve_ctx = h;
	a->mx = mo;
	return 0;
}

int
main(int argc, char **argv)
{
	struct metrics_out mo;
	struct httpd *h;
	struct opts o;
	struct app a;
	int r;

	setlocale(LC_ALL, "");
	/* Hidden: the man page's KEYS section, from ui/keys.c's table. */
	if (argc == 2 && strcmp(argv[1], "--keys-man") == 0)
		return ui_keys_man();
	/* ramtop mark | show | diff */
	if ((r = cmd_run(argc, argv)) >= 0)
		return r;
	switch (opts_parse(&o, argc, argv)) {
	case OPTS_EXIT_OK:
		return 0;
	case OPTS_USAGE:
		opts_free(&o);
		return 2;
	case OPTS_RUN:
		break;
	}
	if (!o.batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "ramtop: the interactive screen needs a "
				"terminal; use -b for batch output\n");
		opts_free(&o);
		return 1;
	}
	/* Before anything starts (the socket, a launched command). */
	if (!o.batch && ui_term_check() < 0) {
		opts_free(&o);
		return 1;
	}
	if (main_outputs_check(&o, &h) < 0) {
		opts_free(&o);
		return 1;
	}
	/* Batch: the command's stdout goes to ramtop's stderr, so that
	 * `ramtop -b --json -- CMD > file` holds ramtop's lines only.  The
	 * screen's command writes to a log, made only for a command. */
	r = app_init(&a, &o,
		     o.batch	     ? LAUNCH_OUT_STDERR
		     : o.cmd == NULL ? -1
				     : ui_child_fd());
	if (r == 0 && main_metrics(&a, &mo, h) != 0) {
		app_child_forward(&a, SIGTERM);
		r = 1;
	} else if (r == 0) {
		r = o.batch ? batch_run(&a) : ui_run(&a);
		/* With -o: the phases are saved whichever way ramtop ends
		 * (launch mode keeps the command's status). */
		if (app_exit_save(&a, stderr) != 0 && r == 0 && a.child == 0)
			r = 1;
		/* --budget: what held; --fail-on-budget: a broken budget
		 * fails a run that otherwise succeeded. */
		app_budget_summary(&a, stderr);
		if (o.fail_on_budget && r == 0 && app_budget_failed(&a))
			r = 1;
	} else if (!o.batch && o.cmd != NULL) {
		ui_child_log_drop(); /* did not start: no empty log left */
	}
	app_free(&a);
	httpd_stop(h);
	opts_free(&o);
	return r;
}
