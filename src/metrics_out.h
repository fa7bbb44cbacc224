/*
 * metrics_out.h - after every sample: the exposition of metrics.h
 * rendered once per format, written to --textfile (atomically) and
 * handed to the --listen server (src/httpd.c, through serve).
 *
 * The caller (main.c) owns the struct and sets struct app's mx to it;
 * mx NULL means neither option was given.
 */
#ifndef RAMTOP_METRICS_OUT_H
#define RAMTOP_METRICS_OUT_H

#include <stddef.h>

struct app;

struct metrics_out {
	const char *textfile; /* --textfile PATH, or NULL */
	size_t top;	      /* per-process series in all-processes mode */
	/* Takes copies of both texts (Prometheus, OpenMetrics). */
	void (*serve)(void *ctx, const char *prom, size_t plen, const char *om,
		      size_t olen);
	void *serve_ctx;
	int err;     /* the last --textfile error (-errno), 0 */
	int created; /* the textfile was made by us (mode set) */
};

/*
 * Before anything starts: can a --textfile go to path's directory (it
 * exists, is a directory, is writable)?  Returns 0, or -errno with one
 * line in err.  A later failure (a full disk) is said by
 * metrics_publish() and sampling goes on.
 */
int metrics_out_check(const char *path, char *err, size_t len);

/*
 * Publish the model's current sample and phases.  Returns 1 with one
 * line in msg when writing the textfile failed in a new way (or works
 * again after failing), else 0.  Never blocks on the server.
 */
int metrics_publish(struct app *a, char *msg, size_t len);

#endif
