/*
 * app.h - one running ramtop: settings, the model, the launched child.
 * Shared by batch mode (batch.c) and the TUI (ui/).
 */
#ifndef RAMTOP_APP_H
#define RAMTOP_APP_H

#include <sys/types.h>

#include "model.h"
#include "opts.h"

struct app {
	struct opts *o;
	struct collector *coll;
	struct model m;
	pid_t child;		/* launch mode: the command; 0 otherwise */
	int child_done;
	int child_status;	/* waitpid status once child_done */
	int hinted;		/* permission hint already printed */
	int stop;		/* asked to stop (signal) */
};

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

/* Once per run: tell on stderr why some figures are unknown. */
void app_hint(struct app *a, FILE *fp);

int batch_run(struct app *a);

#endif
