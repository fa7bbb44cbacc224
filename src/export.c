/*
 * export.c - `ramtop export` (export.h): read the file through the one
 * snapshot reader, turn each phase into a frame of metrics.h and write
 * them all, timestamped, as one OpenMetrics exposition.  Touches: the
 * file it reads, stdout.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "metrics.h"
#include "snapshot.h"

static const char export_usage[] =
	"Usage: ramtop export FILE [--openmetrics] [--top N]\n"
	"Print the phases of a snapshot file as OpenMetrics text with\n"
	"timestamps, for `promtool tsdb create-blocks-from openmetrics`.\n"
	"  --openmetrics  the format (the only one; the default)\n"
	"  --top N        all-processes recordings: per-process series for "
	"the\n"
	"                 N largest by RSS in each phase (default 20)\n"
	"See ramtop(1).\n";

static int
export_bad(const char *what)
{
	fprintf(stderr,
		"ramtop export: %s\nUsage: ramtop export FILE "
		"[--openmetrics] [--top N]\n",
		what);
	return 2;
}

/* Options; returns -1 to go on, else an exit code. */
static int
export_opts(int argc, char **argv, size_t *top)
{
	static const struct option lo[] = {
		{ "openmetrics", no_argument, NULL, 'm' },
		{ "top", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char msg[160], *end;
	long v;
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (ch) {
		case 'm':
			break;
		case 't':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || errno != 0 ||
			    v < 1 || v > METRICS_TOP_MAX) {
				snprintf(msg, sizeof msg,
					 "--top: '%.40s' is not a number from "
					 "1 to %d",
					 optarg, METRICS_TOP_MAX);
				return export_bad(msg);
			}
			*top = (size_t)v;
			break;
		case 'h':
			fputs(export_usage, stdout);
			return 0;
		default:
			snprintf(msg, sizeof msg, "unknown option '%.40s'",
				 argv[optind - 1]);
			return export_bad(msg);
		}
	}
	if (optind != argc - 1)
		return export_bad(optind >= argc ? "no file given"
						 : "one file only");
	return -1;
}

/* One frame per phase with a time, in time order (a phase at or before
 * the one kept last is left out: a series' samples must increase). */
static int
export_frames(const struct snapshot *s, struct metrics_frame **out, size_t *n)
{
	struct metrics_frame *fr;
	double last = -1;
	size_t i;
	int r;

	*n = 0;
	fr = calloc(phase_count(&s->ph) + 1, sizeof *fr);
	if (fr == NULL)
		return -ENOMEM;
	for (i = 0; i < phase_count(&s->ph); i++) {
		r = metrics_frame_phase(&fr[*n], &s->ph, i, s->npids == 0);
		if (r < 0) {
			while ((*n)-- > 0)
				metrics_frame_free(&fr[*n]);
			free(fr);
			return r;
		}
		if (fr[*n].time <= last || fr[*n].time < 0) {
			metrics_frame_free(&fr[*n]);
			continue;
		}
		last = fr[*n].time;
		(*n)++;
	}
	*out = fr;
	return 0;
}

int
export_run(int argc, char **argv)
{
	struct metrics_frame *fr = NULL;
	struct snapshot s;
	size_t top = METRICS_TOP_DEFAULT, n = 0, i;
	char err[1024];
	int r;

	r = export_opts(argc, argv, &top);
	if (r >= 0)
		return r;
	if (snapshot_read(argv[optind], &s, err, sizeof err) < 0) {
		fprintf(stderr, "ramtop: %s\n", err);
		return 1;
	}
	r = export_frames(&s, &fr, &n);
	if (r == 0)
		r = metrics_write(stdout, fr, n, METRICS_OPENMETRICS, 1, top);
	for (i = 0; i < n; i++)
		metrics_frame_free(&fr[i]);
	free(fr);
	snapshot_free(&s);
	if (r == -EPIPE)
		return 0;
	if (r < 0) {
		fprintf(stderr, "ramtop export: cannot write the output: %s\n",
			strerror(-r));
		return 1;
	}
	return 0;
}
