/*
 * appbudget.c - `--budget FILE` for a running ramtop (batch, screen,
 * launch): parse the rules at start, evaluate each new phase and each
 * sample as they come, say at once which rule stopped holding, and at
 * the end which rules broke or could not be checked.
 *
 * Glue only: budget.c parses, budgeteval.c evaluates, budgetfmt.c
 * formats.  Touches: the budget file (once), the phases and the model
 * (read only).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "budget.h"
#include "budgetfmt.h"
#include "checkcmd.h"
#include "sanitize.h"

struct app_budget {
	struct budget b;
	struct budget_eval e;
	struct budget_frame *pf; /* a frame per phase evaluated */
	size_t npf, cap;
	int finished;
	long last_broken; /* rule index last newly broken, -1 */
};

int
app_budget_open(struct app *a)
{
	struct app_budget *ab;
	char err[1024];
	int r;

	if (a->o->budget_file == NULL)
		return 0;
	ab = calloc(1, sizeof *ab);
	if (ab == NULL) {
		fprintf(stderr, "ramtop: out of memory\n");
		return 1;
	}
	ab->last_broken = -1;
	a->budget = ab;
	r = budget_read(a->o->budget_file, &ab->b, err, sizeof err);
	if (r < 0) {
		fprintf(stderr, "ramtop: --budget: %s\n", err);
		return 2;
	}
	if (r > 0) {
		check_print_errors(stderr, &ab->b, a->o->budget_file);
		return 2;
	}
	if (ab->b.n == 0) {
		fprintf(stderr, "ramtop: --budget: %s holds no rule\n",
			a->o->budget_file);
		return 2;
	}
	if (budget_eval_init(&ab->e, &ab->b) < 0) {
		fprintf(stderr, "ramtop: out of memory\n");
		return 1;
	}
	return 0;
}

void
app_budget_close(struct app *a)
{
	struct app_budget *ab = a->budget;
	size_t i;

	if (ab == NULL)
		return;
	for (i = 0; i < ab->npf; i++)
		budget_frame_free(&ab->pf[i]);
	free(ab->pf);
	budget_eval_free(&ab->e);
	budget_free(&ab->b);
	free(ab);
	a->budget = NULL;
}

/* Evaluate the phases recorded since the last call. */
static size_t
app_budget_phases(struct app *a, size_t *newly, size_t max)
{
	struct app_budget *ab = a->budget;
	struct budget_frame *v;
	size_t n = 0, i;

	while (ab->npf < a->ph.n) {
		if (ab->npf == ab->cap) {
			v = realloc(ab->pf,
				    (ab->cap ? ab->cap * 2 : 8) * sizeof *v);
			if (v == NULL)
				return n;
			ab->pf = v;
			ab->cap = ab->cap ? ab->cap * 2 : 8;
		}
		i = ab->npf;
		if (budget_frame_from_phase(&ab->pf[i], &a->ph.v[i]) < 0)
			return n;
		ab->npf++;
		n += budget_eval_frame(&ab->e, &ab->pf[i],
				       i > 0 ? &ab->pf[i - 1] : NULL,
				       &ab->pf[0], newly + n, max - n);
	}
	return n;
}

size_t
app_budget_step(struct app *a, int sample, size_t *newly, size_t max)
{
	struct app_budget *ab = a->budget;
	struct budget_frame f;
	size_t n;

	if (ab == NULL || ab->finished)
		return 0;
	n = app_budget_phases(a, newly, max);
	if (sample && budget_frame_from_model(&f, &a->m) == 0) {
		n += budget_eval_frame(
			&ab->e, &f, ab->npf > 0 ? &ab->pf[ab->npf - 1] : NULL,
			ab->npf > 0 ? &ab->pf[0] : NULL, newly + n, max - n);
		budget_frame_free(&f);
	}
	if (n > 0)
		ab->last_broken = (long)newly[n - 1];
	return n;
}

int
app_budget_finish(struct app *a)
{
	struct app_budget *ab = a->budget;
	size_t newly[1];

	if (ab == NULL || ab->finished)
		return 0;
	app_budget_phases(a, newly, 0);
	budget_eval_finish(&ab->e, &a->ph);
	ab->finished = 1;
	return 1;
}

size_t
app_budget_count(const struct app *a)
{
	return a->budget != NULL ? a->budget->b.n : 0;
}

void
app_budget_get(const struct app *a, size_t k, const struct budget_rule **r,
	       const struct budget_result **res)
{
	*r = &a->budget->b.v[k];
	*res = &a->budget->e.res[k];
}

int
app_budget_failed(const struct app *a)
{
	size_t fail, unk, pass;

	if (a->budget == NULL)
		return 0;
	budget_eval_counts(&a->budget->e, &fail, &unk, &pass);
	return fail + unk > 0;
}

const char *
app_budget_status(const struct app *a, char *buf, size_t len)
{
	const struct app_budget *ab = a->budget;
	const struct budget_rule *r;
	char v[1200], raw[1600];
	size_t k, broken = 0;

	buf[0] = '\0';
	if (ab == NULL)
		return NULL;
	for (k = 0; k < ab->b.n; k++)
		if (ab->e.res[k].status == BUDGET_FAIL)
			broken++;
	if (broken == 0)
		return NULL;
	k = ab->last_broken >= 0 ? (size_t)ab->last_broken : 0;
	r = &ab->b.v[k];
	budgetfmt_verdict(v, sizeof v, r, &ab->e.res[k]);
	snprintf(raw, sizeof raw,
		 "budget: %zu of %zu rule%s broken; line %d \"%s\": %s", broken,
		 ab->b.n, ab->b.n == 1 ? "" : "s", r->line, r->text, v);
	sanitize_text(buf, len, raw, strlen(raw));
	return buf;
}

void
app_budget_summary(struct app *a, FILE *fp)
{
	const struct budget_rule *r;
	const struct budget_result *res;
	size_t k, fail, unk, pass;

	if (a->budget == NULL)
		return;
	app_budget_finish(a);
	budget_eval_counts(&a->budget->e, &fail, &unk, &pass);
	fputs("ramtop: budgets ", fp);
	sanitize_fput(fp, a->o->budget_file, 200, 0);
	fprintf(fp,
		": %zu rule%s, %zu held, %zu broke, %zu could not be "
		"checked\n",
		a->budget->b.n, a->budget->b.n == 1 ? "" : "s", pass, fail,
		unk);
	for (k = 0; k < a->budget->b.n; k++) {
		app_budget_get(a, k, &r, &res);
		if (res->status != BUDGET_PASS)
			budgetfmt_line(fp, r, res);
	}
}
