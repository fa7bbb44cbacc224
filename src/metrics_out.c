/*
 * metrics_out.c - publish the exposition after a sample (metrics_out.h):
 * render, write the textfile with the one atomic writer, hand the texts
 * to the HTTP server.  Touches: the textfile only.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "atomic.h"
#include "metrics.h"
#include "metrics_out.h"
#include "sanitize.h"

/* A textfile we created is for node_exporter, which runs as another
 * user: readable by all (0644 less the umask), like any .prom file.
 * One we replace keeps its mode (atomic.h). */
static void
metrics_out_mode(const char *path)
{
	struct stat st;
	mode_t mask = umask(0);
	int fd;

	umask(mask);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		(void)fchmod(fd, 0644 & ~mask);
	close(fd);
}

static int
metrics_out_textfile(struct metrics_out *mo, const char *buf, size_t len,
		     char *msg, size_t msglen)
{
	char err[1024];
	int existed, r;

	existed = access(mo->textfile, F_OK) == 0;
	r = atomic_write(mo->textfile, buf, len, "the metrics textfile",
			 "choose another place with --textfile", err,
			 sizeof err);
	if (r == 0 && !existed && !mo->created) {
		metrics_out_mode(mo->textfile);
		mo->created = 1;
	}
	if (r == mo->err)
		return 0;
	if (r < 0)
		snprintf(msg, msglen, "%s", err);
	else
		snprintf(msg, msglen, "the metrics textfile is written again");
	mo->err = r;
	return 1;
}

int
metrics_out_check(const char *path, char *err, size_t len)
{
	char dir[4096], shown[4096];
	const char *slash = strrchr(path, '/');
	struct stat st;
	int e = 0;

	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (path[0] == '\0' || slash == path + strlen(path) - 1 ||
	    (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
		e = EISDIR;
	else if (stat(dir, &st) < 0)
		e = errno;
	else if (!S_ISDIR(st.st_mode))
		e = ENOTDIR;
	else if (access(dir, W_OK | X_OK) < 0)
		e = errno;
	if (e == 0)
		return 0;
	if (e == EISDIR)
		sanitize_text(shown, sizeof shown, path, strlen(path));
	else
		sanitize_text(shown, sizeof shown, dir, strlen(dir));
	if (e == EISDIR)
		snprintf(err, len,
			 "'%s' is a directory: give a file name "
			 "(e.g. ramtop.prom) in it",
			 shown);
	else
		snprintf(err, len,
			 "cannot write in %s: %s (the directory must exist and "
			 "be writable)",
			 shown, strerror(e));
	return -e;
}

int
metrics_publish(struct app *a, char *msg, size_t len)
{
	struct metrics_out *mo = a->mx;
	struct metrics_frame f;
	char *prom = NULL, *om = NULL;
	size_t plen = 0, olen = 0;
	int r, ret = 0;

	if (mo == NULL)
		return 0;
	r = metrics_frame_model(&f, &a->m, &a->ph);
	if (r == 0)
		r = metrics_render(&f, 1, METRICS_PROMETHEUS, 0, mo->top, &prom,
				   &plen);
	if (r == 0 && mo->serve != NULL)
		r = metrics_render(&f, 1, METRICS_OPENMETRICS, 0, mo->top, &om,
				   &olen);
	metrics_frame_free(&f);
	if (r < 0) {
		snprintf(msg, len, "cannot build the metrics: %s",
			 strerror(-r));
		free(prom);
		free(om);
		return 1;
	}
	if (mo->textfile != NULL)
		ret = metrics_out_textfile(mo, prom, plen, msg, len);
	if (mo->serve != NULL)
		mo->serve(mo->serve_ctx, prom, plen, om, olen);
	free(prom);
	free(om);
	return ret;
}
