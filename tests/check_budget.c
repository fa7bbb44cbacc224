/*
 * check_budget.c - unit tests for the budget file parser (src/budget.c):
 * good rules give the right figure, scope, phase, delta, operator and
 * limit; each kind of error names its line and column.  And the
 * evaluator (src/budgeteval.c) over hand-made frames: unknown is never
 * a pass, deltas, process matching, percentages.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"

static struct budget b;

static void
parse_ok(const char *text, size_t nrules)
{
	int r = budget_parse(text, strlen(text), &b);

	ck_assert_msg(r == 0, "%s: %d errors, first %d:%d %s", text, r,
		      b.nerr ? b.err[0].line : 0, b.nerr ? b.err[0].col : 0,
		      b.nerr ? b.err[0].msg : "");
	ck_assert_uint_eq(b.n, nrules);
}

/* text must give exactly one error, at line:col, whose message holds
 * want. */
static void
parse_err(const char *text, int line, int col, const char *want)
{
	int r = budget_parse(text, strlen(text), &b);

	ck_assert_msg(r == 1, "%s: %d errors", text, r);
	ck_assert_msg(b.err[0].line == line && b.err[0].col == col,
		      "%s: error at %d:%d, not %d:%d (%s)", text, b.err[0].line,
		      b.err[0].col, line, col, b.err[0].msg);
	ck_assert_msg(strstr(b.err[0].msg, want) != NULL,
		      "%s: message '%s' lacks '%s'", text, b.err[0].msg, want);
	budget_free(&b);
}

START_TEST(test_issue_example)
{
	const char *text =
		"tree pss <= 1.5G                 # at every sample of the "
		"run\n"
		"phase weights: file rss <= 300M  # at the mark \"weights\"\n"
		"phase kv-cache: anon delta <= +600M\n"
		"process \"engine\" peak <= 2G      # matched on command line\n"
		"shm <= 80%                       # of /dev/shm's size\n";
	const struct budget_rule *r;

	parse_ok(text, 5);
	r = &b.v[0];
	ck_assert_int_eq(r->line, 1);
	ck_assert_str_eq(r->text, "tree pss <= 1.5G");
	ck_assert_ptr_null(r->phase);
	ck_assert_ptr_null(r->process);
	ck_assert_int_eq(r->fig, BUDGET_PSS);
	ck_assert_int_eq(r->op, BUDGET_LE);
	ck_assert_int_eq(r->limit_kb, 1572864); /* 1.5 GiB in KiB */
	r = &b.v[1];
	ck_assert_str_eq(r->phase, "weights");
	ck_assert_int_eq(r->fig, BUDGET_TYPE);
	ck_assert_int_eq(r->type, REGION_FILE);
	ck_assert_int_eq(r->metric, BUDGET_M_RSS);
	ck_assert_int_eq(r->limit_kb, 300 * 1024);
	r = &b.v[2];
	ck_assert_str_eq(r->phase, "kv-cache");
	ck_assert_int_eq(r->type, REGION_ANON);
	ck_assert_int_eq(r->delta, BUDGET_SINCE_PREV);
	ck_assert_int_eq(r->limit_kb, 600 * 1024);
	r = &b.v[3];
	ck_assert_str_eq(r->process, "engine");
	ck_assert_int_eq(r->fig, BUDGET_PEAK);
	ck_assert_int_eq(r->limit_kb, 2 * 1024 * 1024);
	r = &b.v[4];
	ck_assert_int_eq(r->fig, BUDGET_SHM);
	ck_assert_int_eq(r->pct, 1);
	ck_assert(r->pct_value == 80.0);
	ck_assert_int_eq(r->line, 5);
	budget_free(&b);
}
END_TEST

START_TEST(test_forms)
{
	const char *text =
		"\n   # only a comment\n\t\n"
		"phase \"weights loaded\": process \"py\\\"x\" shm size < 1T\n"
		"phase 3: lib pss >= 10KiB\n"
		"anon delta since baseline > -5M\n"
		"uss delta since previous <= 0\n"
		"heap locked <= 4k\r\n"
		"swap <= 10%\n"
		"locked<=1MB";
	const struct budget_rule *r;

	parse_ok(text, 7);
	r = &b.v[0];
	ck_assert_int_eq(r->line, 4);
	ck_assert_str_eq(r->phase, "weights loaded");
	ck_assert_str_eq(r->process, "py\"x");
	ck_assert_int_eq(r->fig, BUDGET_TYPE);
	ck_assert_int_eq(r->type, REGION_SHM);
	ck_assert_int_eq(r->metric, BUDGET_M_SIZE);
	ck_assert_int_eq(r->op, BUDGET_LT);
	ck_assert_int_eq(r->limit_kb, 1024LL * 1024 * 1024);
	r = &b.v[1];
	ck_assert_str_eq(r->phase, "3");
	ck_assert_int_eq(r->type, REGION_LIB);
	ck_assert_int_eq(r->metric, BUDGET_M_PSS);
	ck_assert_int_eq(r->op, BUDGET_GE);
	ck_assert_int_eq(r->limit_kb, 10);
	r = &b.v[2];
	ck_assert_int_eq(r->delta, BUDGET_SINCE_BASE);
	ck_assert_int_eq(r->op, BUDGET_GT);
	ck_assert_int_eq(r->limit_kb, -5 * 1024);
	r = &b.v[3];
	ck_assert_int_eq(r->fig, BUDGET_USS);
	ck_assert_int_eq(r->delta, BUDGET_SINCE_PREV);
	ck_assert_int_eq(r->limit_kb, 0);
	r = &b.v[4];
	ck_assert_int_eq(r->type, REGION_HEAP);
	ck_assert_int_eq(r->metric, BUDGET_M_LOCKED);
	ck_assert_int_eq(r->limit_kb, 4);
	ck_assert_str_eq(r->text, "heap locked <= 4k");
	ck_assert_int_eq(b.v[5].fig, BUDGET_SWAP);
	ck_assert_int_eq(b.v[5].pct, 1);
	ck_assert_int_eq(b.v[6].fig, BUDGET_LOCKED);
	ck_assert_int_eq(b.v[6].limit_kb, 1024);
	budget_free(&b);
}
END_TEST

START_TEST(test_errors)
{
	/* Each kind of error, with its line and column. */
	parse_err("rsss <= 1G\n", 1, 1, "unknown figure \"rsss\"");
	parse_err("# c\ntree pss 1G\n", 2, 10, "expected a comparison");
	parse_err("pss <= \n", 1, 8, "expected a limit");
	parse_err("pss <= 300\n", 1, 11, "a size needs a unit");
	parse_err("pss <= 300X\n", 1, 11, "a size needs a unit");
	parse_err("pss <= -3M\n", 1, 8, "only a delta");
	parse_err("anon delta <= 5%\n", 1, 15,
		  "a delta cannot be a percentage");
	parse_err("peak delta <= 5M\n", 1, 6, "peak has no delta");
	parse_err("rss delta since yesterday <= 5M\n", 1, 17,
		  "expected 'previous' or 'baseline'");
	parse_err("phase weights rss <= 1G\n", 1, 7, "expected 'phase LABEL:'");
	parse_err("phase \"w\" rss <= 1G\n", 1, 11, "expected ':'");
	parse_err("phase   : rss <= 1G\n", 1, 9, "the phase label is empty");
	parse_err("process engine rss <= 1G\n", 1, 9,
		  "expected a quoted name after 'process'");
	parse_err("process \"engine rss <= 1G\n", 1, 9, "not closed");
	parse_err("process \"\" rss <= 1G\n", 1, 9,
		  "the process name is empty");
	parse_err("rss <= 1G and more\n", 1, 11, "unexpected \"and\"");
	parse_err("\n\n  pss <= 1G G\n", 3, 13, "unexpected \"G\"");
	parse_err("pss <= 2000%\n", 1, 8, "above 1000%");
	parse_err("pss <= 99999999999T\n", 1, 8, "too large");
	/* Columns count characters, not bytes. */
	parse_err("phase caf\xc3\xa9: rsz <= 1G\n", 1, 13, "unknown figure");
}
END_TEST

START_TEST(test_nul_and_many)
{
	static const char nul[] = "pss <= 1G\nr\0ss <= 1G\nrss <= 2G\n";
	char *many;
	size_t i;
	int r;

	r = budget_parse(nul, sizeof nul - 1, &b);
	ck_assert_int_eq(r, 1);
	ck_assert_int_eq(b.err[0].line, 2);
	ck_assert_int_eq(b.err[0].col, 2);
	ck_assert_uint_eq(b.n, 2); /* the good lines still parse */
	budget_free(&b);
	/* More errors than are kept: all are counted. */
	many = malloc(50 * 4 + 1);
	for (i = 0; i < 50; i++)
		memcpy(many + i * 4, "xx!\n", 4);
	r = budget_parse(many, 200, &b);
	ck_assert_int_eq(r, 50);
	ck_assert_uint_eq(b.nerr, BUDGET_MAX_ERRORS);
	ck_assert_int_eq(b.err[BUDGET_MAX_ERRORS - 1].line, BUDGET_MAX_ERRORS);
	budget_free(&b);
	free(many);
}
END_TEST

/* ---- evaluation -------------------------------------------------------- */

static void
frame(struct budget_frame *f, long index, const char *label, long long rss,
      long long anon_rss)
{
	int t;

	memset(f, 0, sizeof *f);
	f->is_phase = label != NULL;
	f->index = index;
	f->label = label;
	f->rss = rss;
	f->pss = f->uss = f->swap = -1;
	f->has_types = anon_rss >= 0;
	for (t = 0; t < REGION_NTYPES; t++)
		f->by_type[t].rss = 0;
	f->by_type[REGION_ANON].rss = anon_rss;
	f->mem_total = 1000000;
	f->swap_total = f->dev_shm_size = -1;
	f->has_procs = 1;
}

static struct budget_proc *
proc(struct budget_frame *f, int pid, const char *cmd, long long rss)
{
	struct budget_proc *p;

	f->procs = realloc(f->procs, (f->nprocs + 1) * sizeof *f->procs);
	p = &f->procs[f->nprocs++];
	memset(p, 0, sizeof *p);
	p->pid = pid;
	p->start_time = 100;
	p->comm = "x";
	p->cmdline = cmd;
	proc_figs_unknown(&p->figs);
	p->figs.rss = rss;
	return p;
}

START_TEST(test_eval)
{
	const char *text = "phase kv: anon delta <= +100M\n"  /* 0 breaks */
			   "rss <= 50%\n"		      /* 1 holds */
			   "process \"engine\" rss <= 200M\n" /* 2 breaks */
			   "phase never: rss <= 1G\n"	      /* 3 unknown */
			   "phase kv: pss <= 1G\n"	      /* 4 unknown */
			   "process \"nobody\" rss <= 1G\n";  /* 5 unknown */
	struct budget_frame f0, f1, s;
	struct budget_eval e;
	struct phases ph;
	struct phase pv[2];
	size_t newly[8], n, fail, unk, pass;

	parse_ok(text, 6);
	ck_assert_int_eq(budget_eval_init(&e, &b), 0);
	frame(&f0, 0, "baseline", 100000, 1000);
	proc(&f0, 10, "python3 engine.py", 150 * 1024);
	frame(&f1, 1, "kv", 400000, 1000 + 150 * 1024);
	proc(&f1, 10, "python3 engine.py", 250 * 1024);
	proc(&f1, 11, "helper", 10);
	n = budget_eval_frame(&e, &f0, NULL, &f0, newly, 8);
	ck_assert_uint_eq(n, 0);
	n = budget_eval_frame(&e, &f1, &f0, &f0, newly, 8);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(newly[0], 0);
	ck_assert_uint_eq(newly[1], 2);
	/* A sample after the mark: the engine is still over; not "newly". */
	frame(&s, -1, NULL, 300000, -1);
	proc(&s, 10, "python3 engine.py", 260 * 1024);
	n = budget_eval_frame(&e, &s, &f1, &f0, newly, 8);
	ck_assert_uint_eq(n, 0);

	memset(&ph, 0, sizeof ph);
	memset(pv, 0, sizeof pv);
	pv[0].index = 0, pv[0].label = "baseline";
	pv[1].index = 1, pv[1].label = "kv";
	ph.v = pv;
	ph.n = 2;
	budget_eval_finish(&e, &ph);

	ck_assert_int_eq(e.res[0].status, BUDGET_FAIL);
	ck_assert_int_eq(e.res[0].measured, 150 * 1024);
	ck_assert_int_eq(e.res[0].limit, 100 * 1024);
	ck_assert_int_eq(e.res[0].where.phase_index, 1);
	ck_assert_str_eq(e.res[0].where.phase_label, "kv");
	ck_assert_int_eq(e.res[1].status, BUDGET_PASS);
	ck_assert_int_eq(e.res[1].measured, 400000); /* the worst */
	ck_assert_int_eq(e.res[1].limit, 500000);
	ck_assert_uint_eq(e.res[1].evaluated, 3);
	ck_assert_int_eq(e.res[2].status, BUDGET_FAIL);
	ck_assert_int_eq(e.res[2].measured, 260 * 1024); /* the sample */
	ck_assert_int_eq(e.res[2].where.pid, 10);
	ck_assert_int_eq(e.res[2].where.sample, 1);
	ck_assert_int_eq(e.res[2].where.phase_index, 1);
	ck_assert_uint_eq(e.res[2].broke, 2);
	/* Unknown is never a pass. */
	ck_assert_int_eq(e.res[3].status, BUDGET_NOT_YET);
	ck_assert_ptr_nonnull(strstr(e.res[3].why, "never marked"));
	ck_assert_int_eq(e.res[4].status, BUDGET_NOT_YET);
	ck_assert_ptr_nonnull(strstr(e.res[4].why, "pss is unknown"));
	ck_assert_int_eq(e.res[5].status, BUDGET_NOT_YET);
	ck_assert_ptr_nonnull(strstr(e.res[5].why, "no process matched"));
	budget_eval_counts(&e, &fail, &unk, &pass);
	ck_assert_uint_eq(fail, 2);
	ck_assert_uint_eq(unk, 3);
	ck_assert_uint_eq(pass, 1);
	budget_eval_free(&e);
	budget_frame_free(&f0);
	budget_frame_free(&f1);
	budget_frame_free(&s);
	budget_free(&b);
}
END_TEST

static Suite *
budget_suite(void)
{
	Suite *s = suite_create("budget");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_issue_example);
	tcase_add_test(tc, test_forms);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_nul_and_many);
	tcase_add_test(tc, test_eval);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(budget_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
