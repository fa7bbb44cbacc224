/*
 * main.c - ramtop's entry: parse the command line, then run batch mode
 * or the interactive screen.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "cmd.h"
#include "opts.h"
#include "../ui/ui.h"

int
main(int argc, char **argv)
{
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
	/* The screen's command writes to a log, made only for a command. */
	r = app_init(&a, &o, o.batch || o.cmd == NULL ? -1 : ui_child_fd());
	if (r != 0 && !o.batch && o.cmd != NULL)
		ui_child_log_drop(); /* no empty log left behind */
	if (r == 0) {
		r = o.batch ? batch_run(&a) : ui_run(&a);
		/* With -o: the phases are saved whichever way ramtop ends
		 * (launch mode keeps the command's status). */
		if (app_exit_save(&a, stderr) != 0 && r == 0 && a.child == 0)
			r = 1;
	}
	app_free(&a);
	opts_free(&o);
	return r;
}
