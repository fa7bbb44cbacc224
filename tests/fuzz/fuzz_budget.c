/*
 * fuzz_budget.c - libFuzzer target for the budget file parser,
 * budget_parse(), and the evaluation of what it accepted over two
 * made-up phases (so every rule kind is also computed and formatted).
 * Built and run by `make fuzz`; replayed over its seeds and
 * tests/fuzz/regress by `make check` (tests/fuzz.sh).
 *
 * Besides memory errors it aborts when the parser breaks its contract:
 * an error outside the input's lines or columns, an error message that
 * is not one printable line, a rule whose text is empty, holds a newline
 * or a comment, or a rule and an error on the same line.
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "budgetfmt.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "C.utf8");
	return 0;
}

static void
check_msg(const char *m)
{
	const unsigned char *s = (const unsigned char *)m;

	if (*s == '\0')
		abort();
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s == 0x7f)
			abort();
}

/* Two phases with a process each, to evaluate the rules on. */
static void
evaluate(const struct budget *b)
{
	struct budget_proc p[2];
	struct budget_frame f[2];
	struct budget_eval e;
	size_t newly[4], i;
	char buf[8192];
	FILE *fp;
	json_t *j;
	int k, t;

	memset(f, 0, sizeof f);
	memset(p, 0, sizeof p);
	for (k = 0; k < 2; k++) {
		f[k].is_phase = 1;
		f[k].index = k;
		f[k].label = k ? "kv-cache" : "baseline";
		snprintf(f[k].time, sizeof f[k].time, "2026-11-30T00:00:0%dZ",
			 k);
		f[k].rss = 1000 * (k + 1);
		f[k].pss = k ? -1 : 500;
		f[k].uss = f[k].swap = 0;
		f[k].has_types = k;
		for (t = 0; t < REGION_NTYPES; t++)
			f[k].by_type[t].rss = f[k].by_type[t].size = 100 * t;
		f[k].mem_total = 100000;
		f[k].swap_total = f[k].dev_shm_size = k ? 5000 : -1;
		f[k].has_procs = 1;
		p[k].pid = 7;
		p[k].start_time = 1;
		p[k].comm = "engine";
		p[k].cmdline = k ? "python3 engine.py" : NULL;
		proc_figs_unknown(&p[k].figs);
		p[k].figs.rss = 900 * (k + 1);
		p[k].figs.hwm = 2000;
		f[k].procs = &p[k];
		f[k].nprocs = 1;
	}
	if (budget_eval_init(&e, b) < 0)
		return;
	budget_eval_frame(&e, &f[0], NULL, &f[0], newly, 4);
	budget_eval_frame(&e, &f[1], &f[0], &f[0], newly, 4);
	budget_eval_finish(&e, NULL);
	fp = fmemopen(buf, sizeof buf, "w");
	if (fp != NULL) {
		budgetfmt_table(fp, &e);
		budgetfmt_junit(fp, &e, "fuzz", "b");
		for (i = 0; i < b->n; i++)
			budgetfmt_line(fp, &b->v[i], &e.res[i]);
		fclose(fp);
	}
	for (i = 0; i < b->n; i++) {
		j = budgetfmt_json(&b->v[i], &e.res[i]);
		if (j == NULL)
			abort();
		json_decref(j);
	}
	budget_eval_free(&e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct budget b;
	size_t i, k, lines = 1;
	int r;

	for (i = 0; i < size; i++)
		if (data[i] == '\n')
			lines++;
	r = budget_parse((const char *)data, size, &b);
	if (r < 0 || (size_t)r != b.nerr_total || b.nerr > BUDGET_MAX_ERRORS)
		abort();
	for (i = 0; i < b.nerr; i++) {
		if (b.err[i].line < 1 || (size_t)b.err[i].line > lines ||
		    b.err[i].col < 1 || (size_t)b.err[i].col > size + 1)
			abort();
		check_msg(b.err[i].msg);
		for (k = 0; k < b.n; k++)
			if (b.v[k].line == b.err[i].line)
				abort();
	}
	for (k = 0; k < b.n; k++) {
		if (b.v[k].text == NULL || b.v[k].text[0] == '\0' ||
		    strchr(b.v[k].text, '\n') != NULL || b.v[k].line < 1 ||
		    (size_t)b.v[k].line > lines)
			abort();
		if (b.v[k].phase != NULL && b.v[k].phase[0] == '\0')
			abort();
	}
	if (r == 0)
		evaluate(&b);
	budget_free(&b);
	return 0;
}
