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
#include "sanitize.h"
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

/* The start of the run (Unix s), which timeline points count from. */
static double
export_start(const struct snapshot *s)
{
	const struct phase *p = phase_get(&s->ph, 0);
	double t;

	if (p != NULL && (t = metrics_iso_time(p->time)) >= 0)
		return t - p->elapsed_s;
	return metrics_iso_time(s->created);
}

static long long
export_kb(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) && json_integer_value(v) >= 0
		       ? (long long)json_integer_value(v)
		       : -1;
}

/* A frame for each point of the file's timeline (samples between the
 * marks: the tree's Σ RSS, Σ PSS, RSS by type) that is not a mark
 * itself.  A file without one (older, or not a recording) has none. */
static int
export_timeline(const struct snapshot *s, struct metrics_frame *fr, size_t *n,
		size_t cap)
{
	json_t *pts, *pt, *bt;
	long long by_type[REGION_NTYPES];
	double start = export_start(s);
	size_t i;
	int t, r;

	pts = json_object_get(json_object_get(s->root, "timeline"), "points");
	for (i = 0; start >= 0 && i < json_array_size(pts) && *n < cap; i++) {
		pt = json_array_get(pts, i);
		if (!json_is_number(json_object_get(pt, "elapsed_s")) ||
		    json_is_integer(json_object_get(pt, "mark")))
			continue;
		/* A type missing from rss_by_type had none; null: unknown. */
		bt = json_object_get(pt, "rss_by_type");
		for (t = 0; t < REGION_NTYPES; t++)
			by_type[t] =
				json_object_get(bt, region_type_name(t))
					? export_kb(bt, region_type_name(t))
					: 0;
		r = metrics_frame_point(
			&fr[*n], &s->ph,
			start + json_number_value(
					json_object_get(pt, "elapsed_s")),
			export_kb(pt, "rss_kb"), export_kb(pt, "pss_kb"),
			json_is_object(bt) ? by_type : NULL);
		if (r < 0)
			return r;
		(*n)++;
	}
	return 0;
}

static int
export_cmp_time(const void *a, const void *b)
{
	const struct metrics_frame *fa = a, *fb = b;

	if (fa->time != fb->time)
		return fa->time < fb->time ? -1 : 1;
	return fa->tree_only - fb->tree_only;
}

/* One frame per phase and per timeline point, in time order (a frame at
 * or before the one kept last is left out: a series' samples must
 * increase; at the same time a phase wins over a point). */
static int
export_frames(const struct snapshot *s, struct metrics_frame **out, size_t *n)
{
	struct metrics_frame *fr;
	json_t *pts;
	double last = -1;
	size_t i, k, cap;
	int r = 0;

	*n = 0;
	pts = json_object_get(json_object_get(s->root, "timeline"), "points");
	cap = phase_count(&s->ph) + json_array_size(pts) + 1;
	fr = calloc(cap, sizeof *fr);
	if (fr == NULL)
		return -ENOMEM;
	for (i = 0; i < phase_count(&s->ph) && r == 0; i++) {
		r = metrics_frame_phase(&fr[*n], &s->ph, i, s->npids == 0);
		if (r == 0)
			(*n)++;
	}
	if (r == 0)
		r = export_timeline(s, fr, n, cap);
	if (r < 0) {
		while ((*n)-- > 0)
			metrics_frame_free(&fr[*n]);
		free(fr);
		return r;
	}
	qsort(fr, *n, sizeof *fr, export_cmp_time);
	for (i = 0, k = 0; i < *n; i++) {
		if (fr[i].time <= last || fr[i].time < 0) {
			metrics_frame_free(&fr[i]);
			continue;
		}
		last = fr[i].time;
		fr[k++] = fr[i];
	}
	*n = k;
	*out = fr;
	return 0;
}

int
export_write(FILE *fp, const struct snapshot *s, size_t top)
{
	struct metrics_frame *fr = NULL;
	size_t n = 0, i;
	int r;

	r = export_frames(s, &fr, &n);
	if (r == 0)
		r = metrics_write(fp, fr, n, METRICS_OPENMETRICS, 1, top);
	for (i = 0; i < n; i++)
		metrics_frame_free(&fr[i]);
	free(fr);
	return r;
}

int
export_run(int argc, char **argv)
{
	struct snapshot s;
	size_t top = METRICS_TOP_DEFAULT;
	char err[1024];
	int r;

	r = export_opts(argc, argv, &top);
	if (r >= 0)
		return r;
	if (snapshot_read(argv[optind], &s, err, sizeof err) < 0) {
		sanitize_say(stderr, "ramtop: %s", err);
		return 1;
	}
	r = export_write(stdout, &s, top);
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
