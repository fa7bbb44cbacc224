/*
 * cmd.c - the subcommands `ramtop mark`, `ramtop show` and `ramtop diff`:
 * one table drives dispatch and the usage lines.  They print to stdout
 * and stderr and return an exit code; they read snapshot files, the mark
 * socket directory and /proc/PID/cmdline of sessions (for listing).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checkcmd.h"
#include "cgroupfmt.h"
#include "cmd.h"
#include "collect.h"
#include "export.h"
#include "json.h"
#include "marksock.h"
#include "phasefmt.h"
#include "report_html.h"
#include "sanitize.h"
#include "snapshot.h"

#define CMD_MARK_TIMEOUT_S 60.0

struct cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help;
};

static int cmd_mark(int, char **);
static int cmd_show(int, char **);
static int cmd_diff(int, char **);

static const struct cmd cmds[] = {
	{ "mark", cmd_mark,
	  "mark [--to RAMTOP_PID] [--timeout SECONDS] [LABEL...]",
	  "mark a phase in a running ramtop (LABEL empty: \"phase N\")" },
	{ "show", cmd_show, "show [--json] FILE",
	  "print the phase table of a snapshot file" },
	{ "diff", cmd_diff,
	  "diff [--json] FILE [A [B]] | diff [--json] FILE1 FILE2",
	  "what changed between phases A and B (index, label, or label:TEXT "
	  "for a label of digits; default the first and the last), or "
	  "between the last phases of two files" },
	{ "report", report_html_cmd,
	  "report [--svg|--markdown] [--redact] [-o OUT] FILE",
	  "a snapshot or recording as one self-contained HTML page (chart, "
	  "phases, peaks, top changes), the chart alone, or Markdown" },
	{ "check", check_main, CHECK_USAGE, CHECK_HELP },
	{ "export", export_run, "export FILE [--openmetrics] [--top N]",
	  "print a snapshot's phases as OpenMetrics with timestamps, for "
	  "promtool tsdb create-blocks-from openmetrics" },
};

/* The row of the command table for name (one of ours: never NULL). */
static const struct cmd *
cmd_named(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	abort();
}

static void
cmd_usage(FILE *fp, const struct cmd *c)
{
	fprintf(fp, "Usage: ramtop %s\n%s.\nSee ramtop(1).\n", c->usage,
		c->help);
}

static int
cmd_bad(const struct cmd *c, const char *what)
{
	sanitize_say(stderr, "ramtop %s: %s", c->name, what);
	fprintf(stderr, "Usage: ramtop %s\n", c->usage);
	return 2;
}

/* Options common to show and diff: --json, --help.  Returns -1 to go on,
 * else an exit code. */
static int
cmd_opts(const struct cmd *c, int argc, char **argv, int *json)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char msg[128];
	int ch;

	*json = 0;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		switch (ch) {
		case 'j':
			*json = 1;
			break;
		case 'h':
			cmd_usage(stdout, c);
			return 0;
		default:
			snprintf(msg, sizeof msg, "unknown option '%.40s'",
				 argv[optind - 1]);
			return cmd_bad(c, msg);
		}
	}
	return -1;
}

static int
cmd_json_out(json_t *j)
{
	char *text, *p;
	int r = 0;

	if (j == NULL) {
		fprintf(stderr, "ramtop: out of memory\n");
		return 1;
	}
	/* ASCII only: a foreign name's characters are \uXXXX escapes, so
	 * no byte of it can be a terminal control (C1 included); DEL, which
	 * JSON lets through, is escaped too. */
	text = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(10) |
				     JSON_ENSURE_ASCII);
	json_decref(j);
	if (text == NULL) {
		fprintf(stderr, "ramtop: out of memory\n");
		return 1;
	}
	for (p = text; *p != '\0' && r >= 0; p++)
		r = *p == 0x7f ? fputs("\\u007f", stdout) : fputc(*p, stdout);
	free(text);
	if (r < 0 || fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
		fprintf(stderr, "ramtop: cannot write the output\n");
		return 1;
	}
	return 0;
}

/*
 * Text output of show and diff: built in memory, then written through
 * sanitize_lines(), so no byte from a file reaches the terminal
 * unsanitised whatever printed it.
 */
struct cmd_text {
	FILE *fp;
	char *buf;
	size_t len;
};

static FILE *
cmd_text_open(struct cmd_text *t)
{
	t->buf = NULL;
	t->len = 0;
	t->fp = open_memstream(&t->buf, &t->len);
	return t->fp;
}

/* Write what was built to stdout; an exit code. */
static int
cmd_text_close(struct cmd_text *t)
{
	int r = 0;

	if (fclose(t->fp) != 0) {
		fprintf(stderr, "ramtop: out of memory\n");
		free(t->buf);
		return 1;
	}
	if (sanitize_lines(stdout, t->buf, t->len) < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "ramtop: cannot write the output\n");
		r = 1;
	}
	free(t->buf);
	return r;
}

static int
cmd_load(const char *path, struct snapshot *s)
{
	char err[1024];

	if (snapshot_read(path, s, err, sizeof err) < 0) {
		sanitize_say(stderr, "ramtop: %s", err);
		return 1;
	}
	return 0;
}

/* ---- show ---------------------------------------------------------- */

/* cmd_show_json: print S (read from FILE) as one JSON object; frees S;
 * the exit status. */
static int
cmd_show_json(const char *file, struct snapshot *s)
{
	json_t *j, *pids;
	size_t i;
	int r;

	pids = json_array();
	for (i = 0; i < s->npids; i++)
		json_array_append_new(pids, json_integer(s->pids[i]));
	j = json_pack("{s:o, s:s, s:I, s:s, s:s, s:{s:s, s:s, s:I, "
		      "s:o}, s:{s:o, s:o}, s:o}",
		      "file", json_bytes(file), "format", SNAPSHOT_FORMAT,
		      "version", (json_int_t)s->version, "ramtop_version",
		      s->ramtop_version, "created", s->created, "host",
		      "hostname", s->hostname, "kernel", s->kernel, "page_size",
		      (json_int_t)s->page_size, "mem_total_kb",
		      json_kb(s->mem_total_kb), "target", "pids", pids,
		      "command",
		      s->command ? json_string(s->command) : json_null(),
		      "phases", phasefmt_table_json(&s->ph));
	if (j != NULL) {
		json_object_set_new(j, "peaks",
				    phasefmt_peaks_json(&s->ph, &s->tl));
		json_object_set_new(
			j, "source",
			json_string(s->recording ? "recording" : "snapshot"));
	}
	/* OOM kills, as the file has them (none: absent). */
	if (j != NULL && json_is_array(json_object_get(s->root, "oom")))
		json_object_set(j, "oom", json_object_get(s->root, "oom"));
	r = cmd_json_out(j);
	snapshot_free(s);
	return r;
}

/* cmd_show_header: print where S (read from FILE) comes from: format,
 * writer, creation, host and target. */
static void
cmd_show_header(FILE *fp, const char *file, const struct snapshot *s)
{
	size_t i;

	sanitize_fput(fp, file, 200, 0);
	if (s->recording)
		fputs(": ramtop batch recording (NDJSON), written by ramtop ",
		      fp);
	else
		fprintf(fp, ": ramtop snapshot version %ld, written by ramtop ",
			s->version);
	sanitize_fput(fp, s->ramtop_version, 20, 0);
	fputs("\nCreated ", fp);
	sanitize_fput(fp, s->created, 40, 0);
	fputs(" on ", fp);
	if (s->hostname[0] == '\0') {
		fputs("an unknown host", fp);
	} else {
		sanitize_fput(fp, s->hostname, 64, 0);
		fputs(" (kernel ", fp);
		sanitize_fput(fp, s->kernel, 64, 0);
		fprintf(fp, ", page size %ld)", s->page_size);
	}
	fputs("\nTarget: ", fp);
	if (s->npids == 0) {
		fputs("every process", fp);
	} else {
		fprintf(fp, "pid%s", s->npids == 1 ? "" : "s");
		for (i = 0; i < s->npids; i++)
			fprintf(fp, "%s%d", i ? "," : " ", s->pids[i]);
	}
	if (s->command != NULL) {
		fputs(": ", fp);
		sanitize_fput(fp, s->command, 100, 0);
	}
}

static int
cmd_show(int argc, char **argv)
{
	const struct cmd *c = cmd_named("show");
	struct cmd_text text;
	struct snapshot s;
	FILE *fp;
	int json, r;

	if ((r = cmd_opts(c, argc, argv, &json)) >= 0)
		return r;
	if (argc - optind != 1)
		return cmd_bad(c, argc - optind < 1 ? "no snapshot file given"
						    : "one file only");
	if (cmd_load(argv[optind], &s) != 0)
		return 1;
	if (json)
		return cmd_show_json(argv[optind], &s);
	if (cmd_text_open(&text) == NULL) {
		snapshot_free(&s);
		fprintf(stderr, "ramtop: out of memory\n");
		return 1;
	}
	fp = text.fp;
	cmd_show_header(fp, argv[optind], &s);
	fprintf(fp, "\n%zu phase%s\n\n", s.ph.n, s.ph.n == 1 ? "" : "s");
	phasefmt_table(fp, &s.ph);
	phasefmt_peaks(fp, &s.ph, &s.tl);
	cgroupfmt_show(fp, s.root);
	snapshot_free(&s);
	return cmd_text_close(&text);
}

/* ---- diff ---------------------------------------------------------- */

static int
cmd_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

static int
cmd_find(const struct snapshot *s, const char *file, const char *key, long *out)
{
	char err[256], f[PATH_MAX];

	*out = phase_find(&s->ph, key, err, sizeof err);
	if (*out >= 0)
		return 0;
	snprintf(f, sizeof f, "%s", file);
	sanitize_say(stderr, "ramtop diff: %s: %.200s", f, err);
	return 1;
}

/* How a side of the diff is named: the phase, after its file's name
 * when two files are compared. */
static void
cmd_diff_name(char *buf, size_t len, const char *file, const struct phase *p)
{
	char name[PHASE_LABEL_MAX + 64];

	phasefmt_name(name, sizeof name, p);
	if (file != NULL)
		snprintf(buf, len, "%s %s", file, name);
	else
		snprintf(buf, len, "%s", name);
}

/* `diff --json`: the diff, with the files it came from and how
 * processes were matched. */
static int
cmd_diff_json(const struct phase_diff *d, const char *fa, const char *fb,
	      int opts)
{
	json_t *j = phasefmt_diff_json(d);

	if (j != NULL) {
		json_object_set_new(json_object_get(j, "a"), "file",
				    json_bytes(fa));
		json_object_set_new(json_object_get(j, "b"), "file",
				    json_bytes(fb));
		json_object_set_new(j, "matched_by",
				    json_string(opts & PHASE_DIFF_BY_COMMAND
							? "command"
							: "pid"));
	}
	return cmd_json_out(j);
}

/* cmd_diff_print: diff PA and PB (named WA and WB, from the files FA
 * and FB) and print it as text or JSON; the exit status. */
static int
cmd_diff_print(const struct phase *pa, const struct phase *pb, int opts,
	       int json, const char *wa, const char *wb, const char *fa,
	       const char *fb)
{
	struct phase_diff d;
	struct cmd_text text;
	int r;

	if (phase_diff(pa, pb, opts, &d) < 0) {
		fprintf(stderr, "ramtop: out of memory\n");
		r = 1;
	} else if (json) {
		r = cmd_diff_json(&d, fa, fb, opts);
		phase_diff_free(&d);
	} else if (cmd_text_open(&text) == NULL) {
		fprintf(stderr, "ramtop: out of memory\n");
		phase_diff_free(&d);
		r = 1;
	} else {
		phasefmt_diff(text.fp, &d, wa, wb, 0);
		if (opts & PHASE_DIFF_BY_COMMAND)
			fputs("(two runs: processes matched by command line)\n",
			      text.fp);
		phase_diff_free(&d);
		r = cmd_text_close(&text);
	}
	return r;
}

static int
cmd_diff(int argc, char **argv)
{
	const struct cmd *c = cmd_named("diff");
	struct snapshot s1, s2;
	const struct phase *pa, *pb;
	char wa[PATH_MAX + PHASE_LABEL_MAX + 64], wb[sizeof wa];
	long ia, ib;
	int json, r, two = 0, n, opts = 0;

	if ((r = cmd_opts(c, argc, argv, &json)) >= 0)
		return r;
	n = argc - optind;
	if (n < 1)
		return cmd_bad(c, "no snapshot file given");
	if (n > 3)
		return cmd_bad(c, "too many arguments");
	if (cmd_load(argv[optind], &s1) != 0)
		return 1;
	memset(&s2, 0, sizeof s2);
	ia = 0;
	ib = (long)s1.ph.n - 1;
	if (n == 2) {
		char err[256];

		if (phase_find(&s1.ph, argv[optind + 1], err, sizeof err) < 0 &&
		    cmd_is_file(argv[optind + 1]))
			two = 1;
		else if (cmd_find(&s1, argv[optind], argv[optind + 1], &ia)) {
			snapshot_free(&s1);
			return 1;
		}
	} else if (n == 3) {
		if (cmd_find(&s1, argv[optind], argv[optind + 1], &ia) ||
		    cmd_find(&s1, argv[optind], argv[optind + 2], &ib)) {
			snapshot_free(&s1);
			return 1;
		}
	}
	if (two) {
		if (cmd_load(argv[optind + 1], &s2) != 0) {
			snapshot_free(&s1);
			return 1;
		}
		/* Two files: their last phases; two runs are matched by
		 * command line, not pid. */
		pa = phase_get(&s1.ph, s1.ph.n - 1);
		pb = phase_get(&s2.ph, s2.ph.n - 1);
		if (!phase_same_run(phase_get(&s1.ph, 0), phase_get(&s2.ph, 0)))
			opts |= PHASE_DIFF_BY_COMMAND;
		cmd_diff_name(wa, sizeof wa, argv[optind], pa);
		cmd_diff_name(wb, sizeof wb, argv[optind + 1], pb);
	} else {
		pa = phase_get(&s1.ph, (size_t)ia);
		pb = phase_get(&s1.ph, (size_t)ib);
		cmd_diff_name(wa, sizeof wa, NULL, pa);
		cmd_diff_name(wb, sizeof wb, NULL, pb);
	}
	r = cmd_diff_print(pa, pb, opts, json, wa, wb, argv[optind],
			   argv[optind + (two ? 1 : 0)]);
	snapshot_free(&s2);
	snapshot_free(&s1);
	return r;
}

/* ---- mark ------------------------------------------------------------ */

static void
cmd_list_sessions(const struct marksock_session *v, size_t n)
{
	struct collector *coll = collect_new();
	char *cl;
	size_t i;

	fprintf(stderr, "  %7s  %s\n", "PID", "COMMAND");
	for (i = 0; i < n; i++) {
		fprintf(stderr, "  %7d  ", v[i].pid);
		if (coll != NULL && collect_cmdline(coll, v[i].pid, &cl) == 0) {
			sanitize_fput(stderr, cl, 100, 0);
			free(cl);
		} else {
			fputs("?", stderr);
		}
		fputc('\n', stderr);
	}
	if (coll != NULL)
		collect_free(coll);
}

/* Which session: --to, RAMTOP_SOCKET, or the only one running. */
static int
cmd_mark_path(const char *to, char *path, size_t len)
{
	struct marksock_session *v;
	char dir[256], err[512];
	const char *env = getenv("RAMTOP_SOCKET");
	size_t n;
	int r;

	if (to == NULL && env != NULL && env[0] != '\0') {
		snprintf(path, len, "%s", env);
		return 0;
	}
	r = marksock_dir(dir, sizeof dir, 0, err, sizeof err);
	if (r == -ENOENT) {
		fprintf(stderr,
			"ramtop mark: no ramtop session is running for you "
			"(%s does not exist); start ramtop first\n",
			dir);
		return 1;
	}
	if (r < 0) {
		sanitize_say(stderr, "ramtop mark: %s", err);
		return 1;
	}
	if (to != NULL) {
		snprintf(path, len, "%s/%s.sock", dir, to);
		if (access(path, F_OK) != 0) {
			fprintf(stderr,
				"ramtop mark: no ramtop session with pid %s "
				"(no %s)\n",
				to, path);
			return 1;
		}
		return 0;
	}
	r = marksock_sessions(dir, &v, &n);
	if (r < 0) {
		fprintf(stderr, "ramtop mark: cannot list %s: %s\n", dir,
			strerror(-r));
		return 1;
	}
	if (n == 1) {
		snprintf(path, len, "%s", v[0].path);
		free(v);
		return 0;
	}
	if (n == 0)
		fprintf(stderr,
			"ramtop mark: no ramtop session is running for you "
			"(none in %s); start ramtop first\n",
			dir);
	else {
		fprintf(stderr,
			"ramtop mark: %zu ramtop sessions are running; choose "
			"one with --to PID:\n",
			n);
		cmd_list_sessions(v, n);
	}
	free(v);
	return 1;
}

/* cmd_mark_label: join ARGV[FIRST..] with spaces into the clean LABEL
 * (PHASE_LABEL_MAX + 1 bytes); 0, or -1 when it is too long. */
static int
cmd_mark_label(char *label, int argc, char **argv, int first)
{
	char raw[4096];
	size_t o = 0;
	int i, r;

	raw[0] = '\0';
	for (i = first; i < argc; i++) {
		r = snprintf(raw + o, sizeof raw - o, "%s%s",
			     i > first ? " " : "", argv[i]);
		if (r < 0 || (size_t)r >= sizeof raw - o)
			return -1;
		o += (size_t)r;
	}
	return phase_label_clean(label, raw, o) < 0 ? -1 : 0;
}

/* cmd_mark_reply: say what the session's REPLY to a mark labelled LABEL
 * was; the exit status. */
static int
cmd_mark_reply(const char *reply, const char *label)
{
	long idx;

	if (strncmp(reply, "ok ", 3) == 0) {
		idx = strtol(reply + 3, NULL, 10);
		printf("marked phase %ld", idx);
		if (label[0] != '\0') {
			fputs(" \"", stdout);
			sanitize_fput(stdout, label, 128, 0);
			fputc('"', stdout);
		}
		fputc('\n', stdout);
		return fflush(stdout) != 0;
	}
	fputs("ramtop mark: the session refused: ", stderr);
	sanitize_fput(stderr,
		      strncmp(reply, "err ", 4) == 0 ? reply + 4 : reply, 200,
		      0);
	fputc('\n', stderr);
	return 1;
}

static int
cmd_mark(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "to", required_argument, NULL, 't' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cmd *c = cmd_named("mark");
	double timeout = CMD_MARK_TIMEOUT_S;
	char label[PHASE_LABEL_MAX + 1], path[512], err[768], reply[300];
	char line[MARKSOCK_MSG_MAX + 8], msg[128];
	const char *to = NULL;
	char *end;
	int ch, r;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (strtol(optarg, &end, 10) <= 0 || *end != '\0')
				return cmd_bad(c, "--to takes the pid of a "
						  "running ramtop");
			to = optarg;
			break;
		case 'T':
			timeout = strtod(optarg, &end);
			if (end == optarg || *end != '\0' || !(timeout > 0) ||
			    timeout > 86400)
				return cmd_bad(c, "--timeout takes seconds "
						  "between 0 and 86400");
			break;
		case 'h':
			cmd_usage(stdout, c);
			return 0;
		default:
			if (optopt == 't')
				return cmd_bad(c, "--to needs a pid");
			if (optopt == 'T')
				return cmd_bad(c, "--timeout needs seconds");
			snprintf(msg, sizeof msg, "unknown option '%.40s'",
				 argv[optind - 1]);
			return cmd_bad(c, msg);
		}
	}
	if (cmd_mark_label(label, argc, argv, optind) < 0)
		return cmd_bad(c, "the label is too long (at most 128 "
				  "bytes)");
	if ((r = cmd_mark_path(to, path, sizeof path)) != 0)
		return r;
	snprintf(line, sizeof line, "mark%s%s\n", label[0] ? " " : "", label);
	if (marksock_send(path, line, reply, sizeof reply, timeout, err,
			  sizeof err) < 0) {
		sanitize_say(stderr, "ramtop mark: %.300s", err);
		return 1;
	}
	return cmd_mark_reply(reply, label);
}

int
cmd_run(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return -1;
	for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].run(argc - 1, argv + 1);
	return -1;
}
