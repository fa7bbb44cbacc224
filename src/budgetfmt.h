/*
 * budgetfmt.h - budget results as text (the `ramtop check` table, the
 * line batch mode prints when a rule breaks), as JSON (the "kind":
 * "budget" NDJSON line) and as JUnit XML.
 *
 * Everything that came from a file or the kernel (rule text, labels,
 * process names) is sanitised for text and escaped for XML here.  JSON
 * functions return a new reference, or NULL when out of memory.
 */
#ifndef RAMTOP_BUDGETFMT_H
#define RAMTOP_BUDGETFMT_H

#include <stdio.h>

#include <jansson.h>

#include "budget.h"

/* "fail", "pass" or "unknown". */
const char *budgetfmt_status(enum budget_status s);

/* The measured value ("640M", "+12M") and the limit ("600M",
 * "80% = 12G") in buf (at least 64 bytes). */
const char *budgetfmt_value(char *buf, size_t len, const struct budget_rule *r,
			    long long kb);
const char *budgetfmt_limit(char *buf, size_t len, const struct budget_rule *r,
			    long long kb);

/* 'phase 3 "kv-cache", pid 812 (engine), 2026-..Z (+2.1s)', sanitised. */
const char *budgetfmt_where(char *buf, size_t len,
			    const struct budget_where *w);

/* {"kind": "budget", "line", "rule", "status", "measured_kb",
 *  "limit_kb", "phase": {index, label, sample} | null, "process":
 *  {pid, comm} | null, "time", "elapsed_s", "why"} */
json_t *budgetfmt_json(const struct budget_rule *r,
		       const struct budget_result *res);

/* "anon rss delta +640M (655360 KiB) > +600M at phase 2 ..." or
 * "pss: unknown, WHY" into buf (raw: print sanitised). */
void budgetfmt_verdict(char *buf, size_t len, const struct budget_rule *r,
		       const struct budget_result *res);

/* One line for batch text mode and stderr: "budget broken: line 3
 * (...): anon delta +640M > +600M at phase 3 ...". */
void budgetfmt_line(FILE *fp, const struct budget_rule *r,
		    const struct budget_result *res);

/* The `ramtop check` table, then a line per rule that did not hold. */
void budgetfmt_table(FILE *fp, const struct budget_eval *e);

/* JUnit XML: one testsuite, one testcase per rule (failure: broke;
 * error: could not be evaluated).  suite names it (raw). */
void budgetfmt_junit(FILE *fp, const struct budget_eval *e, const char *suite,
		     const char *budget_name);

#endif
