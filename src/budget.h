/*
 * budget.h - memory budgets: a plain-text file of rules ("phase weights:
 * file rss <= 300M"), parsed here, and their evaluation over moments of
 * a run ("frames": a phase from a snapshot or a live mark, a live
 * sample, a timeline sample of a file).
 *
 * The parser is pure (a buffer in, rules and errors out) so tests and
 * the fuzzer can feed it.  The evaluator touches only the frames it is
 * given.  docs/budgets.md describes the language.
 *
 * Ownership: struct budget owns its rules and their strings; a frame
 * built by budget_frame_from_*() owns its process array, and borrows
 * its strings from the phase or model it was built from.
 */
#ifndef RAMTOP_BUDGET_H
#define RAMTOP_BUDGET_H

#include <stddef.h>

#include "phase.h"
#include "proc.h"
#include "region.h"

struct model;

/* What a rule measures. */
enum budget_fig {
	BUDGET_RSS,
	BUDGET_PSS,
	BUDGET_USS,
	BUDGET_SWAP,
	BUDGET_SHM, /* resident shared memory (RssShmem) */
	BUDGET_LOCKED,
	BUDGET_PEAK, /* process: VmHWM; tree: highest Σ RSS seen */
	BUDGET_TYPE, /* one region type's rss/size/pss/swap/locked */
};

enum budget_metric {
	BUDGET_M_RSS,
	BUDGET_M_SIZE,
	BUDGET_M_PSS,
	BUDGET_M_SWAP,
	BUDGET_M_LOCKED
};

enum budget_delta {
	BUDGET_ABS = 0,	   /* the figure itself */
	BUDGET_SINCE_PREV, /* change since the previous phase */
	BUDGET_SINCE_BASE, /* change since phase 0 (baseline) */
};

enum budget_op { BUDGET_LE, BUDGET_LT, BUDGET_GE, BUDGET_GT };

struct budget_rule {
	int line;      /* 1-based, in the budget file */
	char *text;    /* the rule as written, without its comment */
	char *phase;   /* cleaned label (or index), or NULL: at
				 * every phase and sample */
	char *process; /* command-line match, or NULL: the tree */
	enum budget_fig fig;
	enum region_type type;	   /* BUDGET_TYPE */
	enum budget_metric metric; /* BUDGET_TYPE */
	enum budget_delta delta;
	enum budget_op op;
	int pct; /* limit is a percentage (of MemTotal,
				 * SwapTotal or /dev/shm's size) */
	double pct_value;
	long long limit_kb; /* when !pct; may be negative for deltas */
};

/* One parse error: where, and what. */
struct budget_error {
	int line, col; /* 1-based; col counts characters */
	char msg[200];
};

#define BUDGET_MAX_ERRORS 20

struct budget {
	struct budget_rule *v;
	size_t n;
	struct budget_error err[BUDGET_MAX_ERRORS];
	size_t nerr;	   /* errors kept (at most BUDGET_MAX_ERRORS) */
	size_t nerr_total; /* errors found */
};

/*
 * Parse a budget file held in buf (len bytes; need not be
 * NUL-terminated).  Every line is parsed; good lines become rules, bad
 * ones errors (line and column).  Returns the number of errors (0: the
 * file is good), or -ENOMEM.  budget_free() in every case.
 */
int budget_parse(const char *buf, size_t len, struct budget *out);
void budget_free(struct budget *b);

/* Read path (at most 1 MiB) and parse it.  Returns as budget_parse, or
 * -errno of open/read with err set. */
int budget_read(const char *path, struct budget *out, char *err, size_t errlen);

/* "rss", "file rss", "anon delta since baseline", ... into buf. */
const char *budget_fig_name(const struct budget_rule *r, char *buf, size_t len);
const char *budget_op_str(enum budget_op op);

/* ---- frames: the figures of one moment -------------------------------- */

struct budget_proc {
	int pid;
	unsigned long long start_time;
	const char *comm, *cmdline; /* raw; borrowed */
	struct proc_figs figs;	    /* KiB; KB_UNKNOWN unknown */
	int has_types;
	struct region_fig by_type[REGION_NTYPES];
};

struct budget_frame {
	int is_phase;
	long index;	   /* phase index; -1 for a sample */
	const char *label; /* phase label, or NULL */
	char time[40];	   /* ISO 8601 UTC, or "" unknown */
	double elapsed_s;
	long long rss, pss, uss, swap; /* tree totals; KB_UNKNOWN */
	int has_types;
	struct region_fig by_type[REGION_NTYPES];
	long long mem_total, swap_total, dev_shm_size; /* KB_UNKNOWN unknown */
	int has_procs;		   /* procs are known (not a timeline sample) */
	struct budget_proc *procs; /* owned */
	size_t nprocs;
};

/* A phase (live or from a file).  Returns 0 or -ENOMEM. */
int budget_frame_from_phase(struct budget_frame *f, const struct phase *p);
/* The model's current sample.  Returns 0 or -ENOMEM. */
int budget_frame_from_model(struct budget_frame *f, const struct model *m);
void budget_frame_free(struct budget_frame *f);

/* ---- evaluation ---------------------------------------------------------- */

enum budget_status {
	BUDGET_NOT_YET = 0, /* no value yet: at the end, "unknown" */
	BUDGET_PASS,
	BUDGET_FAIL,
};

/* Where a value was measured. */
struct budget_where {
	int sample;	  /* a sample taken after that phase's mark,
				 * not the mark itself */
	long phase_index; /* the phase (of the sample); -1 none */
	/* Names as the JSON encodes them (json_bytes), as a phase holds
	 * them: a backslash doubled, invalid bytes \xNN. */
	char phase_label[PHASE_LABEL_MAX + 1]; /* or "" */
	int pid;			       /* 0: the tree */
	char comm[64];
	char time[40];
	double elapsed_s;
};

struct budget_result {
	enum budget_status status;
	long long measured; /* KiB at the worst moment; KB_UNKNOWN */
	long long limit;    /* KiB there; KB_UNKNOWN */
	struct budget_where where;
	long long margin; /* how far past the limit (worst moment) */
	size_t applied;	  /* moments the rule applied at */
	size_t matched;	  /* ... at which its process was there */
	size_t evaluated; /* ... with a known value */
	size_t broke;	  /* moments at which it did not hold */
	int broken_now;	  /* it did not hold at the last moment
				 * evaluated (live: report only changes) */
	char why[200];	  /* NOT_YET: why there is no value */
};

struct budget_eval {
	const struct budget *b;
	struct budget_result *res; /* one per rule; owned */
	long long tree_peak;	   /* highest Σ RSS so far, or KB_UNKNOWN */
};

/* Returns 0 or -ENOMEM. */
int budget_eval_init(struct budget_eval *e, const struct budget *b);
void budget_eval_free(struct budget_eval *e);

/*
 * Evaluate the rules that apply at frame f: rules of its phase (a
 * phase frame), rules without a phase (any frame).  prev is the
 * previous phase (for a sample: the last phase before it), base phase
 * 0; either may be NULL (deltas are then unknown).  Frames must come in
 * time order.  newly[] gets the indexes of the rules that stopped
 * holding at f (at most max); returns how many.
 */
size_t budget_eval_frame(struct budget_eval *e, const struct budget_frame *f,
			 const struct budget_frame *prev,
			 const struct budget_frame *base, size_t *newly,
			 size_t max);

/* At the end: say why each rule still without a value has none
 * (phase never marked, no process matched, figure unknown). */
void budget_eval_finish(struct budget_eval *e, const struct phases *ph);

/* Counts of rules by final status: fail, unknown (NOT_YET), pass. */
void budget_eval_counts(const struct budget_eval *e, size_t *fail,
			size_t *unknown, size_t *pass);

#endif
