/*
 * check.c - `ramtop check [--junit FILE] BUDGETS FILE`: read the budget
 * file and a snapshot (through the one snapshot reader), evaluate every
 * rule over the phases and the timeline samples the file holds, print
 * the table, write JUnit XML on request (atomically), exit 0/1/2.
 * Touches: the two files named, and the JUnit file.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "budgetfmt.h"
#include "checkcmd.h"
#include "json.h"
#include "sanitize.h"

void
check_print_errors(FILE *fp, const struct budget *b, const char *name)
{
	char n[512];
	size_t i;

	sanitize_text(n, sizeof n, name, strlen(name));
	for (i = 0; i < b->nerr; i++)
		fprintf(fp, "ramtop: %s:%d:%d: %s\n", n, b->err[i].line,
			b->err[i].col, b->err[i].msg);
	if (b->nerr_total > b->nerr)
		fprintf(fp, "ramtop: %s: %zu more errors\n", n,
			b->nerr_total - b->nerr);
}

/* One timeline point (tree figures only), as issue 15's timeline.c
 * writes it: {"elapsed_s", "rss_kb", "pss_kb"?, "rss_by_type"?: {TYPE:
 * KiB} | null, "mark"?: INDEX}; also taken: "time", "uss_kb",
 * "swap_kb", "by_type": {TYPE: KiB or {"rss_kb", ...}}.  A point of a
 * mark is that phase, evaluated as one.  Returns 0, or 1 to skip it. */
static int
check_sample(const json_t *o, long long mem_total, struct budget_frame *f)
{
	const json_t *v, *bt, *t;
	int k;

	memset(f, 0, sizeof *f);
	v = json_object_get(o, "elapsed_s");
	if (!json_is_object(o) || !json_is_number(v))
		return 1;
	v = json_object_get(o, "kind");
	if (json_is_string(v) && strcmp(json_string_value(v), "mark") == 0)
		return 1; /* a mark is a phase: evaluated as one */
	v = json_object_get(o, "mark");
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		return 1;
	f->index = -1;
	f->elapsed_s = json_number_value(json_object_get(o, "elapsed_s"));
	v = json_object_get(o, "time");
	if (json_is_string(v))
		snprintf(f->time, sizeof f->time, "%s", json_string_value(v));
#define KB(field, key)                                                         \
	v = json_object_get(o, key);                                           \
	f->field = json_is_integer(v) && json_integer_value(v) >= 0            \
			   ? (long long)json_integer_value(v)                  \
			   : KB_UNKNOWN;
	KB(rss, "rss_kb")
	KB(pss, "pss_kb")
	KB(uss, "uss_kb")
	KB(swap, "swap_kb")
#undef KB
	f->mem_total = mem_total;
	f->swap_total = f->dev_shm_size = KB_UNKNOWN;
	bt = json_object_get(o, "rss_by_type");
	if (bt == NULL)
		bt = json_object_get(o, "by_type");
	f->has_types = json_is_object(bt);
	for (k = 0; k < REGION_NTYPES; k++) {
		struct region_fig *g = &f->by_type[k];

		g->size = g->rss = g->pss = g->private_ = g->shared =
			KB_UNKNOWN;
		g->swap = g->locked = KB_UNKNOWN;
		t = json_object_get(bt, region_type_name(k));
		if (json_is_object(t))
			t = json_object_get(t, "rss_kb");
		if (json_is_integer(t) && json_integer_value(t) >= 0)
			g->rss = (long long)json_integer_value(t);
	}
	return 0;
}

/* The points of s's timeline, or NULL: {"points": [...]} (issue 15),
 * or an array. */
static const json_t *
check_timeline(const struct snapshot *s)
{
	const json_t *t = json_object_get(s->root, "timeline");

	if (json_is_object(t))
		t = json_object_get(t, "points");
	return json_is_array(t) ? t : NULL;
}

int
check_eval(struct budget_eval *e, const struct snapshot *s)
{
	const json_t *tl = check_timeline(s);
	struct budget_frame *pf, sf;
	size_t i, n = s->ph.n, ti = 0, nt = tl ? json_array_size(tl) : 0;
	size_t newly[1];
	long last = -1; /* the last phase evaluated */
	int r = 0;

	pf = calloc(n + 1, sizeof *pf);
	if (pf == NULL)
		return -ENOMEM;
	for (i = 0; i < n && r == 0; i++)
		r = budget_frame_from_phase(&pf[i], &s->ph.v[i]);
	/* Phases and samples in time order; a sample counts against the
	 * last phase marked before it. */
	for (i = 0; r == 0 && (i < n || ti < nt);) {
		if (ti < nt && check_sample(json_array_get(tl, ti),
					    s->mem_total_kb, &sf) != 0) {
			ti++;
			continue;
		}
		if (ti < nt && (i >= n || sf.elapsed_s < pf[i].elapsed_s)) {
			budget_eval_frame(e, &sf, last >= 0 ? &pf[last] : NULL,
					  n > 0 ? &pf[0] : NULL, newly, 0);
			ti++;
			continue;
		}
		budget_eval_frame(e, &pf[i], i > 0 ? &pf[i - 1] : NULL, &pf[0],
				  newly, 0);
		last = (long)i++;
	}
	budget_eval_finish(e, &s->ph);
	for (i = 0; i < n; i++)
		budget_frame_free(&pf[i]);
	free(pf);
	return r;
}

static int
check_bad(const char *what)
{
	fprintf(stderr, "ramtop check: %s\nUsage: ramtop " CHECK_USAGE "\n",
		what);
	return 2;
}

/* --json: {"budgets", "file", "held", "broke", "unknown", "rules": [the
 * "kind": "budget" object of each rule]} on stdout. */
static int
check_json(const struct budget_eval *e, const char *bname, const char *fname)
{
	size_t k, fail, unk, pass;
	json_t *j, *a;
	int r;

	budget_eval_counts(e, &fail, &unk, &pass);
	a = json_array();
	for (k = 0; a != NULL && k < e->b->n; k++)
		json_array_append_new(a,
				      budgetfmt_json(&e->b->v[k], &e->res[k]));
	j = json_pack("{s:o, s:o, s:I, s:I, s:I, s:o}", "budgets",
		      json_bytes(bname), "file", json_bytes(fname), "held",
		      (json_int_t)pass, "broke", (json_int_t)fail, "unknown",
		      (json_int_t)unk, "rules", a);
	if (j == NULL) {
		fprintf(stderr, "ramtop check: out of memory\n");
		return -ENOMEM;
	}
	r = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	json_decref(j);
	if (r < 0 || fputc('\n', stdout) == EOF)
		return -EIO;
	return 0;
}

/* Write the JUnit file atomically. */
static int
check_junit(const char *path, const struct budget_eval *e, const char *bname,
	    const char *fname)
{
	char *buf = NULL, err[1024], suite[2048];
	size_t len = 0;
	FILE *fp;
	int r;

	fp = open_memstream(&buf, &len);
	if (fp == NULL) {
		fprintf(stderr, "ramtop check: out of memory\n");
		return -ENOMEM;
	}
	snprintf(suite, sizeof suite, "ramtop check %s %s", bname, fname);
	budgetfmt_junit(fp, e, suite, bname);
	if (fclose(fp) != 0) {
		free(buf);
		fprintf(stderr, "ramtop check: out of memory\n");
		return -ENOMEM;
	}
	r = atomic_write(path, buf, len, "the JUnit file",
			 "choose another place with --junit", err, sizeof err);
	free(buf);
	if (r < 0) {
		fputs("ramtop check: --junit: ", stderr);
		sanitize_fput(stderr, err, 400, 0);
		fputc('\n', stderr);
	}
	return r;
}

/* check_budget_load: read the budget file BPATH into B; 0, or 2 after
 * saying what is wrong with it (B then freed). */
static int
check_budget_load(const char *bpath, struct budget *b)
{
	char err[1024];
	int r;

	r = budget_read(bpath, b, err, sizeof err);
	if (r < 0) {
		fprintf(stderr, "ramtop check: %s\n", err);
		return 2;
	}
	if (r > 0 || b->n == 0) {
		if (r > 0)
			check_print_errors(stderr, b, bpath);
		else
			fprintf(stderr, "ramtop check: %s holds no rule\n",
				bpath);
		budget_free(b);
		return 2;
	}
	return 0;
}

/* check_report: print the evaluation E (a table, or JSON) and the JUnit
 * file; the exit status: 0 all pass, 1 a rule failed or is unknown, 2
 * an error. */
static int
check_report(const struct budget_eval *e, int json, const char *junit,
	     const char *bname, const char *fname)
{
	size_t fail, unk, pass;
	int r = 0;

	if (json)
		r = check_json(e, bname, fname);
	else
		budgetfmt_table(stdout, e);
	budget_eval_counts(e, &fail, &unk, &pass);
	r = r < 0 ? 2 : fail + unk > 0 ? 1 : 0;
	if (junit != NULL && check_junit(junit, e, bname, fname) < 0)
		r = 2;
	if (fflush(stdout) != 0) {
		fprintf(stderr, "ramtop check: cannot write the "
				"output\n");
		r = 2;
	}
	return r;
}

int
check_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "junit", required_argument, NULL, 'j' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *junit = NULL;
	int json = 0;
	struct budget b;
	struct budget_eval e;
	struct snapshot s;
	char err[1024], msg[128];
	int ch, r;

	optind = 0; /* glibc: start afresh, permuting */
	opterr = 0;
	/* Options may also follow the files (DESIGN.md: check BUDGETS FILE
	 * [--junit F]): let getopt permute. */
	while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (ch) {
		case 'j':
			junit = optarg;
			break;
		case 'J':
			json = 1;
			break;
		case 'h':
			printf("Usage: ramtop " CHECK_USAGE "\n" CHECK_HELP
			       ".\nThe budget language is in ramtop(1), "
			       "BUDGETS.\n");
			return 0;
		default:
			if (optopt == 'j')
				return check_bad("--junit needs a file name");
			snprintf(msg, sizeof msg, "unknown option '%.40s'",
				 argv[optind - 1]);
			return check_bad(msg);
		}
	}
	if (argc - optind != 2)
		return check_bad(argc - optind < 2
					 ? "give a budget file and a snapshot "
					   "file"
					 : "too many arguments");
	if (check_budget_load(argv[optind], &b) != 0)
		return 2;
	if (snapshot_read(argv[optind + 1], &s, err, sizeof err) < 0) {
		fputs("ramtop check: ", stderr);
		sanitize_fput(stderr, err, 400, 0);
		fputc('\n', stderr);
		budget_free(&b);
		return 2;
	}
	r = budget_eval_init(&e, &b);
	if (r == 0)
		r = check_eval(&e, &s);
	if (r < 0) {
		fprintf(stderr, "ramtop check: out of memory\n");
		r = 2;
	} else
		r = check_report(&e, json, junit, argv[optind],
				 argv[optind + 1]);
	budget_eval_free(&e);
	snapshot_free(&s);
	budget_free(&b);
	return r;
}
