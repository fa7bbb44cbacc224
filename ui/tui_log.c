/*
 * tui_log.c - the log file a launched command writes to while the screen
 * owns the terminal: created before the launch, named on the status line,
 * removed at the end unless --keep-log (then ramtop says where it is).
 *
 * Touches: its own file in $TMPDIR (or /tmp).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/app.h"
#include "tui.h"
#include "ui.h"
#include "../src/sanitize.h"

static char tui_log[PATH_MAX];
static int tui_log_fd = -1;

int
ui_child_fd(void)
{
	const char *dir = getenv("TMPDIR");
	int fd = -1, i;

	if (dir == NULL || dir[0] != '/')
		dir = "/tmp";
	for (i = 0; i < 100; i++) {
		if (i == 0)
			snprintf(tui_log, sizeof tui_log,
				 "%s/ramtop-cmd-%ld.log", dir, (long)getpid());
		else
			snprintf(tui_log, sizeof tui_log,
				 "%s/ramtop-cmd-%ld.%d.log", dir,
				 (long)getpid(), i);
		fd = open(tui_log,
			  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			  0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		/* Never let the command write over the screen. */
		sanitize_say(stderr,
			     "ramtop: cannot create a log for the command's "
			     "output in %s: %s; it is discarded (set TMPDIR to "
			     "a writable directory to keep it)",
			     dir, strerror(errno));
		snprintf(tui_log, sizeof tui_log, "/dev/null");
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			tui_log[0] = '\0';
	}
	tui_log_fd = fd;
	return fd;
}

const char *
tui_log_path(void)
{
	return tui_log[0] != '\0' ? tui_log : NULL;
}

/* After the run: say where the command's output is, or remove the log. */
void
tui_log_finish(struct app *a)
{
	struct stat st;

	if (tui_log_fd >= 0)
		close(tui_log_fd);
	tui_log_fd = -1;
	if (tui_log[0] == '\0' || strcmp(tui_log, "/dev/null") == 0)
		return;
	if (a->child > 0 && stat(tui_log, &st) == 0 && st.st_size > 0 &&
	    a->o->keep_log) {
		sanitize_say(stderr, "ramtop: the command's output is in %s",
			     tui_log);
		return;
	}
	if (a->child > 0 && stat(tui_log, &st) == 0 && st.st_size > 0)
		sanitize_say(stderr,
			     "ramtop: the command's output (%lld bytes) was in "
			     "%s, now removed; --keep-log keeps it",
			     (long long)st.st_size, tui_log);
	unlink(tui_log);
}

void
tui_log_discard(void)
{
	if (tui_log[0] == '\0')
		return;
	if (tui_log_fd >= 0)
		close(tui_log_fd);
	tui_log_fd = -1;
	if (strcmp(tui_log, "/dev/null") != 0)
		unlink(tui_log);
	tui_log[0] = '\0';
}

void
ui_child_log_drop(void)
{
	tui_log_discard();
}
