/*
 * budgetfmt.c - budget results as text, JSON and JUnit XML (see
 * budgetfmt.h).  Rule texts, labels and names are foreign: they pass
 * sanitize_text() before text output and are escaped for XML.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "budgetfmt.h"
#include "fmt.h"
#include "json.h"
#include "sanitize.h"

const char *
budgetfmt_status(enum budget_status s)
{
	switch (s) {
	case BUDGET_PASS:
		return "pass";
	case BUDGET_FAIL:
		return "fail";
	case BUDGET_NOT_YET:
		break;
	}
	return "unknown";
}

const char *
budgetfmt_value(char *buf, size_t len, const struct budget_rule *r,
		long long kb)
{
	char b[FMT_SIZE];

	if (r->delta != BUDGET_ABS)
		snprintf(buf, len, "%s", fmt_delta(b, kb));
	else
		snprintf(buf, len, "%s", fmt_kb(b, kb));
	return buf;
}

const char *
budgetfmt_limit(char *buf, size_t len, const struct budget_rule *r,
		long long kb)
{
	char b[FMT_SIZE];

	if (r->pct) {
		if (kb == KB_UNKNOWN)
			snprintf(buf, len, "%g%%", r->pct_value);
		else
			snprintf(buf, len, "%g%% = %s", r->pct_value,
				 fmt_kb(b, kb));
		return buf;
	}
	return budgetfmt_value(buf, len, r, r->limit_kb);
}

const char *
budgetfmt_where(char *buf, size_t len, const struct budget_where *w)
{
	char raw[600], lab[PHASE_LABEL_MAX + 8], who[100];

	lab[0] = who[0] = '\0';
	if (w->phase_index >= 0)
		snprintf(lab, sizeof lab, " \"%s\"", w->phase_label);
	if (w->pid > 0)
		snprintf(who, sizeof who, "pid %d (%s)", w->pid, w->comm);
	else
		snprintf(who, sizeof who, "tree");
	if (w->phase_index < 0)
		snprintf(raw, sizeof raw, "sample, %s, %s (+%.1fs)", who,
			 w->time, w->elapsed_s);
	else
		snprintf(raw, sizeof raw, "%sphase %ld%s, %s, %s (+%.1fs)",
			 w->sample ? "sample in " : "", w->phase_index, lab,
			 who, w->time[0] ? w->time : "-", w->elapsed_s);
	sanitize_text(buf, len, raw, strlen(raw));
	return buf;
}

/* A name already in the JSON encoding (struct budget_where): kept as
 * it is, not encoded again. */
static json_t *
bf_name(const char *s)
{
	json_t *j = json_string(s);

	return j != NULL ? j : json_bytes(s); /* cut mid-character */
}

json_t *
budgetfmt_json(const struct budget_rule *r, const struct budget_result *res)
{
	const struct budget_where *w = &res->where;
	int known = res->status != BUDGET_NOT_YET;
	json_t *o, *ph = json_null(), *pr = json_null();

	if (known && w->phase_index >= 0)
		ph = json_pack("{s:I, s:o, s:b}", "index",
			       (json_int_t)w->phase_index, "label",
			       bf_name(w->phase_label), "sample", w->sample);
	if (known && w->pid > 0)
		pr = json_pack("{s:i, s:o}", "pid", w->pid, "comm",
			       bf_name(w->comm));
	o = json_pack("{s:s, s:i, s:o, s:s, s:o, s:o, s:o, s:o}", "kind",
		      "budget", "line", r->line, "rule", json_bytes(r->text),
		      "status", budgetfmt_status(res->status), "measured_kb",
		      json_delta(known ? res->measured : KB_UNKNOWN),
		      "limit_kb", json_delta(known ? res->limit : KB_UNKNOWN),
		      "phase", ph ? ph : json_null(), "process",
		      pr ? pr : json_null());
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "time",
			    known && w->time[0] ? json_string(w->time)
						: json_null());
	json_object_set_new(o, "elapsed_s",
			    known ? json_real(w->elapsed_s) : json_null());
	json_object_set_new(o, "why",
			    known ? json_null() : json_bytes(res->why));
	return o;
}

void
budgetfmt_verdict(char *buf, size_t len, const struct budget_rule *r,
		  const struct budget_result *res)
{
	char fig[64], v[64], l[64], wh[700];

	budget_fig_name(r, fig, sizeof fig);
	if (res->status == BUDGET_NOT_YET) {
		snprintf(buf, len, "%s: unknown, %s", fig, res->why);
		return;
	}
	snprintf(buf, len, "%s %s (%lld KiB) %s %s at %s", fig,
		 budgetfmt_value(v, sizeof v, r, res->measured), res->measured,
		 res->status == BUDGET_FAIL ? (r->op <= BUDGET_LT ? ">" : "<")
					    : budget_op_str(r->op),
		 budgetfmt_limit(l, sizeof l, r, res->limit),
		 budgetfmt_where(wh, sizeof wh, &res->where));
}

void
budgetfmt_line(FILE *fp, const struct budget_rule *r,
	       const struct budget_result *res)
{
	char buf[1200];

	fprintf(fp, "ramtop: budget %s: line %d \"",
		res->status == BUDGET_FAIL ? "broken" : "not checked", r->line);
	sanitize_fput(fp, r->text, 120, 0);
	budgetfmt_verdict(buf, sizeof buf, r, res);
	fputs("\": ", fp);
	sanitize_fput(fp, buf, 400, 0);
	fputc('\n', fp);
}

void
budgetfmt_table(FILE *fp, const struct budget_eval *e)
{
	const struct budget_rule *r;
	const struct budget_result *res;
	char v[64], l[64], wh[700], buf[1200], ln[16];
	size_t k, fail, unk, pass;

	fprintf(fp, "%-4s %-44s %9s %14s %-7s  %s\n", "LINE", "RULE",
		"MEASURED", "LIMIT", "RESULT", "WHERE");
	for (k = 0; k < e->b->n; k++) {
		r = &e->b->v[k];
		res = &e->res[k];
		snprintf(ln, sizeof ln, "%d", r->line);
		fprintf(fp, "%-4s ", ln);
		sanitize_fput(fp, r->text, 44, 1);
		fprintf(fp, " %9s %14s %-7s  ",
			res->status == BUDGET_NOT_YET
				? "-"
				: budgetfmt_value(v, sizeof v, r,
						  res->measured),
			budgetfmt_limit(l, sizeof l, r,
					res->status == BUDGET_NOT_YET
						? KB_UNKNOWN
						: res->limit),
			res->status == BUDGET_FAIL
				? "FAIL"
				: budgetfmt_status(res->status));
		if (res->status == BUDGET_NOT_YET)
			sanitize_fput(fp, res->why, 200, 0);
		else
			fputs(budgetfmt_where(wh, sizeof wh, &res->where), fp);
		fputc('\n', fp);
	}
	budget_eval_counts(e, &fail, &unk, &pass);
	fprintf(fp,
		"\n%zu rule%s: %zu held, %zu broke, %zu could not be "
		"checked\n",
		e->b->n, e->b->n == 1 ? "" : "s", pass, fail, unk);
	for (k = 0; k < e->b->n; k++) {
		r = &e->b->v[k];
		res = &e->res[k];
		if (res->status == BUDGET_PASS)
			continue;
		budgetfmt_verdict(buf, sizeof buf, r, res);
		fprintf(fp, "%s line %d: ",
			res->status == BUDGET_FAIL ? "broke:" : "unknown:",
			r->line);
		sanitize_fput(fp, buf, 400, 0);
		fputc('\n', fp);
	}
}

void
budgetfmt_junit(FILE *fp, const struct budget_eval *e, const char *suite,
		const char *budget_name)
{
	const struct budget_rule *r;
	const struct budget_result *res;
	char buf[1200], name[700], wh[700];
	size_t k, fail, unk, pass;

	budget_eval_counts(e, &fail, &unk, &pass);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", fp);
	fprintf(fp,
		"<testsuites name=\"ramtop budgets\" tests=\"%zu\" "
		"failures=\"%zu\" errors=\"%zu\">\n",
		e->b->n, fail, unk);
	fputs("  <testsuite name=\"", fp);
	sanitize_fput_markup(fp, suite);
	fprintf(fp,
		"\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		"skipped=\"0\">\n",
		e->b->n, fail, unk);
	for (k = 0; k < e->b->n; k++) {
		r = &e->b->v[k];
		res = &e->res[k];
		snprintf(name, sizeof name, "line %d: %s", r->line, r->text);
		fputs("    <testcase classname=\"ramtop.budget.", fp);
		sanitize_fput_markup(fp, budget_name);
		fputs("\" name=\"", fp);
		sanitize_fput_markup(fp, name);
		fputs("\" time=\"0\">\n", fp);
		budgetfmt_verdict(buf, sizeof buf, r, res);
		if (res->status == BUDGET_FAIL) {
			fputs("      <failure type=\"budget\" message=\"", fp);
			sanitize_fput_markup(fp, buf);
			fputs("\"/>\n", fp);
		} else if (res->status == BUDGET_NOT_YET) {
			fputs("      <error type=\"unknown\" message=\"", fp);
			sanitize_fput_markup(fp, buf);
			fputs("\"/>\n", fp);
		}
		if (res->status != BUDGET_NOT_YET) {
			fputs("      <system-out>", fp);
			sanitize_fput_markup(fp, budgetfmt_where(wh, sizeof wh,
								 &res->where));
			fputs("</system-out>\n", fp);
		}
		fputs("    </testcase>\n", fp);
	}
	fputs("  </testsuite>\n</testsuites>\n", fp);
}
