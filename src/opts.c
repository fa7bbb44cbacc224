/*
 * opts.c - parse ramtop's command line.  Errors are printed here, one
 * line each, with what to do about them.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "opts.h"

enum {
	OPT_JSON = 256,
	OPT_REGIONS,
	OPT_GENTLE,
	OPT_NO_COLOR,
	OPT_PSS_EVERY,
	OPT_REPLAY,
	OPT_BUDGET,
	OPT_FAIL_ON_BUDGET,
	OPT_NO_CGROUP,
	OPT_NO_CONFIG,
	OPT_KEEP_LOG,
	OPT_LISTEN,
	OPT_TEXTFILE,
	OPT_METRICS_TOP,
};

static const struct option opts_long[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "delay", required_argument, NULL, 'd' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "batch", no_argument, NULL, 'b' },
	{ "output", required_argument, NULL, 'o' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "regions", optional_argument, NULL, OPT_REGIONS },
	{ "gentle", no_argument, NULL, OPT_GENTLE },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "pss-every", required_argument, NULL, OPT_PSS_EVERY },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "budget", required_argument, NULL, OPT_BUDGET },
	{ "fail-on-budget", no_argument, NULL, OPT_FAIL_ON_BUDGET },
	{ "no-cgroup", no_argument, NULL, OPT_NO_CGROUP },
	{ "pgrep", required_argument, NULL, 'P' },
	{ "user", required_argument, NULL, 'u' },
	{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
	{ "keep-log", no_argument, NULL, OPT_KEEP_LOG },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "textfile", required_argument, NULL, OPT_TEXTFILE },
	{ "metrics-top", required_argument, NULL, OPT_METRICS_TOP },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* The help text's lines stay laid out as they print. */
/* clang-format off */
void
opts_usage(FILE *fp)
{
	fprintf(fp,
"Usage: ramtop [options] [-p PID[,PID...]]... [-- CMD [ARGS...]]\n"
"Where did this process tree's RAM go, and when?\n"
"\n"
"Targets (default: every process you can see):\n"
"  -p, --pid PID[,PID...]  watch these processes and all their descendants\n"
"                          (repeatable)\n"
"  -P, --pgrep PATTERN     watch the processes whose name or command line\n"
"                          matches PATTERN (an extended regular expression)\n"
"                          and their descendants; looked for again every\n"
"                          sample, so later ones join\n"
"  -- CMD [ARGS...]        start CMD and watch it from its first page\n"
"                          (baseline 0); ramtop exits with CMD's status.\n"
"                          Its output goes to a log file on the screen\n"
"                          (removed at exit unless --keep-log), to ramtop's\n"
"                          stderr with -b: stdout is ramtop's alone\n"
"\n"
"Options:\n"
"  -d, --delay SEC         seconds between samples (default 1)\n"
"  -b, --batch             print reports instead of the interactive screen\n"
"  -n, --iterations N      batch: stop after N samples\n"
"      --json              batch: one JSON object per sample (NDJSON)\n"
"      --regions           batch: add each process's region table\n"
"      --regions=all       marks (and phase 0) keep the region table of every\n"
"                          process, not only the target trees or, watching\n"
"                          all processes, the focused one; with -b: as\n"
"                          --regions\n"
"      --gentle            read no smaps or smaps_rollup (they take the\n"
"                          target's mmap lock) unless a mark or a region\n"
"                          table asks; PSS/USS stay unknown\n"
"      --pss-every N       read smaps_rollup every N samples (default 1)\n"
"  -o, --output FILE       save the phases to this snapshot file after every\n"
"                          mark and at exit\n"
"      --budget FILE       check the memory budgets in FILE as samples and\n"
"                          marks come; a rule that breaks is shown at once\n"
"      --fail-on-budget    exit 1 when a budget broke or could not be\n"
"                          checked (a failing command's status wins)\n"
"      --no-color          no colours (also when NO_COLOR is set)\n"
"      --no-cgroup         do not read memory cgroups, oom_score, pressure\n"
"                          or /dev/shm (they are read every sample)\n"
"      --replay DIR        read a recorded /proc from DIR instead of the\n"
"                          kernel's (see ramtop(1), REPLAY)\n"
"      --replay FILE       browse a snapshot file or batch recording on the\n"
"                          screen: ( ) step a sample, { } jump to marks\n"
"  -u, --user USER         the screen lists only USER's processes (u changes)\n"
"      --keep-log          keep the launched command's log file at exit\n"
"      --no-config         neither read nor write the settings file\n"
"                          ($XDG_CONFIG_HOME/ramtop/ramtoprc; also when\n"
"                          RAMTOP_NO_CONFIG is set)\n"
"      --listen [ADDR:]PORT\n"
"                          serve Prometheus metrics at http://ADDR:PORT/metrics\n"
"                          (ADDR default 127.0.0.1; [::1]:PORT for IPv6)\n"
"      --textfile PATH     write the same metrics to PATH after every sample\n"
"                          (node_exporter's textfile collector)\n"
"      --metrics-top N     without a target: per-process metrics for the N\n"
"                          largest by RSS (default 20)\n"
"  -h, --help              show this help\n"
"  -V, --version           show the version\n"
"\n"
"Phases and snapshot files:\n"
"  ramtop mark [--to RAMTOP_PID] [--timeout S] [LABEL...]\n"
"                                            mark a phase in a running ramtop\n"
"                                            (waits at most S s, default 60)\n"
"  ramtop show [--json] FILE                 the phase table of a snapshot\n"
"  ramtop diff [--json] FILE [A [B]]         what changed between two phases\n"
"                                            (A, B: index, label, label:TEXT)\n"
"  ramtop diff [--json] FILE1 FILE2          ... between two snapshots\n"
"  ramtop report [--svg|--markdown] [--redact] [-o OUT] FILE\n"
"                                            the run as an HTML page (chart)\n"
"  ramtop check [--json] [--junit FILE] BUDGETS FILE\n"
"                                            memory budgets as a CI gate:\n"
"                                            exit 0 held, 1 broke, 2 bad input\n"
"  ramtop export FILE [--openmetrics]        phases as OpenMetrics, for backfill\n"
"FILE: a snapshot file (-o) or a batch recording (-b --json).\n"
"\n"
"Figures are KiB in JSON, human-readable in text; '-' (JSON null) means\n"
"the kernel would not tell (the reason is shown), never zero.\n"
"See ramtop(1).\n");
}
/* clang-format on */

/* Parse a positive pid list "12,34"; returns 0 or -EINVAL. */
static int
opts_pids(struct opts *o, const char *arg)
{
	const char *p = arg;
	char *end;
	long v;
	int *np;

	while (*p != '\0') {
		errno = 0;
		v = strtol(p, &end, 10);
		if (end == p || errno != 0 || v <= 0 || v > INT_MAX ||
		    (*end != ',' && *end != '\0'))
			return -EINVAL;
		np = realloc(o->pids, (o->npids + 1) * sizeof *np);
		if (np == NULL)
			return -ENOMEM;
		o->pids = np;
		o->pids[o->npids++] = (int)v;
		p = *end == ',' ? end + 1 : end;
	}
	return o->npids > 0 ? 0 : -EINVAL;
}

enum opts_result
opts_parse(struct opts *o, int argc, char **argv)
{
	const char *nc;
	char *end;
	int c;

	memset(o, 0, sizeof *o);
	o->delay = 1.0;
	o->count = -1;
	o->pss_every = 1;
	o->metrics_top = METRICS_TOP_DEFAULT;
	nc = getenv("NO_COLOR");
	o->no_color = nc != NULL && nc[0] != '\0';
	nc = getenv("RAMTOP_NO_CONFIG");
	o->no_config = nc != NULL && nc[0] != '\0';

	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:d:n:bo:P:u:hV", opts_long,
				NULL)) != -1) {
		switch (c) {
		case 'p':
			if (opts_pids(o, optarg) < 0) {
				fprintf(stderr,
					"ramtop: -p: '%s' is not a process id "
					"list (e.g. -p 1234,5678)\n",
					optarg);
				return OPTS_USAGE;
			}
			break;
		case 'd':
			errno = 0;
			o->delay = strtod(optarg, &end);
			if (end == optarg || *end != '\0' || errno != 0 ||
			    !(o->delay >= 0.05 && o->delay <= 86400)) {
				fprintf(stderr,
					"ramtop: -d: '%s' is not a delay in "
					"seconds between 0.05 and 86400\n",
					optarg);
				return OPTS_USAGE;
			}
			break;
		case 'n':
			errno = 0;
			o->count = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || errno != 0 ||
			    o->count < 1) {
				fprintf(stderr,
					"ramtop: -n: '%s' is not a positive "
					"number of samples\n",
					optarg);
				return OPTS_USAGE;
			}
			break;
		case 'b':
			o->batch = 1;
			break;
		case 'o':
			o->out_file = optarg;
			break;
		case OPT_JSON:
			o->json = 1;
			break;
		case OPT_REGIONS:
			if (optarg != NULL && strcmp(optarg, "all") != 0) {
				fprintf(stderr,
					"ramtop: --regions=%s: the only value "
					"is 'all' (--regions=all)\n",
					optarg);
				return OPTS_USAGE;
			}
			if (optarg != NULL)
				o->regions_all = 1;
			else
				o->regions = 1;
			break;
		case OPT_GENTLE:
			o->gentle = 1;
			break;
		case OPT_NO_COLOR:
			o->no_color = 1;
			break;
		case OPT_REPLAY:
			o->replay = optarg;
			break;
		case OPT_BUDGET:
			o->budget_file = optarg;
			break;
		case OPT_FAIL_ON_BUDGET:
			o->fail_on_budget = 1;
			break;
		case OPT_NO_CGROUP:
			o->no_cgroup = 1;
			break;
		case 'P':
			o->pgrep = optarg;
			break;
		case 'u':
			o->user = optarg;
			break;
		case OPT_NO_CONFIG:
			o->no_config = 1;
			break;
		case OPT_KEEP_LOG:
			o->keep_log = 1;
			break;
		case OPT_LISTEN:
			o->listen = optarg;
			break;
		case OPT_TEXTFILE:
			o->textfile = optarg;
			break;
		case OPT_METRICS_TOP:
			errno = 0;
			o->metrics_top = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || errno != 0 ||
			    o->metrics_top < 1 ||
			    o->metrics_top > METRICS_TOP_MAX) {
				fprintf(stderr,
					"ramtop: --metrics-top: '%s' is not a "
					"number from 1 to %d\n",
					optarg, METRICS_TOP_MAX);
				return OPTS_USAGE;
			}
			break;
		case OPT_PSS_EVERY:
			errno = 0;
			o->pss_every = (int)strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || errno != 0 ||
			    o->pss_every < 1 || o->pss_every > 1000000) {
				fprintf(stderr,
					"ramtop: --pss-every: '%s' is not a "
					"positive number of samples\n",
					optarg);
				return OPTS_USAGE;
			}
			break;
		case 'h':
			opts_usage(stdout);
			return OPTS_EXIT_OK;
		case 'V':
			printf("ramtop %s\n", PACKAGE_VERSION);
			return OPTS_EXIT_OK;
		default:
			fprintf(stderr,
				"Try 'ramtop --help' for more information.\n");
			return OPTS_USAGE;
		}
	}
	if (optind < argc) {
		/* getopt stops at "--" (consumed) or the first non-option. */
		if (strcmp(argv[optind - 1], "--") != 0) {
			fprintf(stderr,
				"ramtop: unexpected argument '%s' (to start a "
				"command, put it after --)\n",
				argv[optind]);
			return OPTS_USAGE;
		}
		o->cmd = &argv[optind];
	}
	if (o->cmd != NULL && o->replay != NULL) {
		fprintf(stderr, "ramtop: --replay reads a recording; it cannot "
				"start a command\n");
		return OPTS_USAGE;
	}
	if (o->pgrep != NULL && (o->cmd != NULL || o->npids > 0)) {
		fprintf(stderr, "ramtop: use one of -p PID, --pgrep PATTERN or "
				"-- CMD\n");
		return OPTS_USAGE;
	}
	if (o->cmd != NULL && o->npids > 0) {
		fprintf(stderr,
			"ramtop: use either -p PID or -- CMD, not both\n");
		return OPTS_USAGE;
	}
	if (o->fail_on_budget && o->budget_file == NULL) {
		fprintf(stderr,
			"ramtop: --fail-on-budget needs --budget FILE\n");
		return OPTS_USAGE;
	}
	if (o->regions_all && o->batch)
		o->regions = 1;
	if (!o->batch && (o->json || o->count > 0 || o->regions)) {
		fprintf(stderr, "ramtop: --json, --regions and -n need -b "
				"(batch mode)\n");
		return OPTS_USAGE;
	}
	return OPTS_RUN;
}

void
opts_free(struct opts *o)
{
	free(o->pids);
	o->pids = NULL;
	o->npids = 0;
}
