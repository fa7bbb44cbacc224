/*
 * checkcmd.h - `ramtop check [--junit FILE] BUDGETS FILE`: a run's
 * memory budgets as a CI gate, over a snapshot file (or anything the
 * snapshot reader takes).  Not "check.h": that is the Check library's.
 */
#ifndef RAMTOP_CHECKCMD_H
#define RAMTOP_CHECKCMD_H

#include "budget.h"
#include "snapshot.h"

#define CHECK_USAGE "check [--json] [--junit FILE] BUDGETS FILE"
#define CHECK_HELP                                                             \
	"check the memory budgets in BUDGETS against a snapshot file: a "      \
	"table of rules; exit 0 all held, 1 one broke or could not be "        \
	"checked, 2 bad input"

/* argv[0] is "check".  Returns ramtop's exit code. */
int check_main(int argc, char **argv);

/*
 * Evaluate every rule over what s holds: each phase, in order, and the
 * points of its "timeline" member when there is one (rules without a
 * phase only; tree figures only).  e must be fresh from
 * budget_eval_init().  Returns 0 or -ENOMEM.
 */
int check_eval(struct budget_eval *e, const struct snapshot *s);

/* Print every parse error of b as "NAME:LINE:COL: what" on fp. */
void check_print_errors(FILE *fp, const struct budget *b, const char *name);

#endif
