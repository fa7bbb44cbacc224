/*
 * phase.h - phase marks: labelled points in time, each holding the
 * figures and grouped regions of every target process at that moment,
 * and what changed between two of them.
 *
 * A phase is kept in two forms: the JSON object of docs/snapshot-format.md
 * ("phase",
 * with "kind": "mark" and each process's "regions"), which is what the
 * snapshot file saves, and C structs built from that object, which the
 * phases panel, the region panel ("since last mark"), `ramtop show` and
 * `ramtop diff` read.  The same code builds the structs for a live mark
 * and for a phase read back from a file.
 *
 * Ownership: struct phases owns its phases; each phase owns its JSON
 * object, and every string in the structs points into that object (valid
 * as long as the phase is).  A struct phase_diff borrows from the two
 * phases it compares.  Touches: the model (read only) and, at a mark,
 * /proc/PID/smaps of each target process through the collector.
 */
#ifndef RAMTOP_PHASE_H
#define RAMTOP_PHASE_H

#include <stddef.h>

#include <jansson.h>

#include "model.h"
#include "phase_label.h"
#include "proc.h"
#include "region.h"

/* One region group (type, name) of one process in one phase. */
struct phase_strblk;

struct phase_region {
	enum region_type type;
	const char *name;  /* raw name ("" unnamed anon); sanitise to print */
	const char *flags; /* "", "L", "LD", ... */
	size_t count;	   /* mappings in the group */
	struct region_fig fig; /* KiB; KB_UNKNOWN unknown */
};

/* One process in one phase. */
struct phase_proc {
	int pid, ppid;
	unsigned long long start_time; /* with pid: the process's identity */
	const char *comm;	       /* raw */
	const char *cmdline;	       /* raw, or NULL */
	const char *error;	       /* why figures are unknown, or NULL */
	struct proc_figs figs;	       /* KiB; KB_UNKNOWN unknown (swap_pss
					 * is not saved: unknown) */
	long long rss_peak;	       /* highest RSS sampled; KB_UNKNOWN */
	long long rss_delta;	       /* vs the process's baseline */
	int has_regions;	       /* by_type and regions are known */
	/* REGION_NTYPES of each when has_regions, else NULL: one block,
	 * owned (most processes of an all-processes mark have none). */
	struct region_fig *by_type;
	size_t *by_type_count;
	struct phase_region *regions; /* sorted by (type, name); owned */
	size_t nregions;
};

struct phase {
	long index;
	const char *label;
	const char *time;	       /* ISO 8601 UTC, as saved */
	double elapsed_s;	       /* since ramtop started */
	long long rss, pss, uss, swap; /* tree totals; KB_UNKNOWN unknown */
	long long peak_rss; /* highest Σ RSS from this mark to the next
				 * ("peak"); KB_UNKNOWN unknown */
	double peak_elapsed_s;
	int has_by_type;
	struct region_fig by_type[REGION_NTYPES]; /* tree totals */
	size_t by_type_count[REGION_NTYPES];
	struct phase_proc *procs; /* in tree order; owned */
	size_t nprocs;
	json_t *json;		   /* the phase object as saved; owned; NULL
				 * once packed (phase_pack.c) */
	unsigned char *text;	   /* packed: that object as compact JSON,
				    * coded and deflated (phase_pack.c) */
	size_t text_n, text_len;   /* its bytes, and the coded text's */
	struct phase_strblk *strs; /* packed: the strings above point here */
};

struct phases {
	struct phase *v;
	size_t n, cap;
};

void phases_init(struct phases *ph);
void phases_free(struct phases *ph);
/* Remove the last phase (a mark that could not be completed). */
void phases_drop_last(struct phases *ph);
/* Free what one phase owns (its processes, regions and JSON). */
void phase_free(struct phase *p);
/* qsort order of a process's regions: by type, then name. */
int phase_region_cmp(const void *x, const void *y);

/*
 * Record a phase now, from the model's current sample (the caller takes
 * a fresh model_sample() first): the per-process figures of that sample,
 * plus a full smaps read of every target process (read here into the
 * phase only; the model's own regions are not touched).  Processes
 * whose pid is in skip[0..nskip) are left out: `ramtop mark` clients are
 * not part of the workload.  label NULL or empty (after cleaning) means
 * "phase N".  Returns the new phase's index, or -errno.
 */
long phase_mark(struct phases *ph, struct model *m, const char *label,
		const int *skip, size_t nskip);

/*
 * Keep phase p as compact JSON text, deflated, instead of a jansson tree
 * (a tree costs ~4 KiB per process, the text ~0.01-0.1; phase_pack.c).  The structs'
 * strings move into one block the phase owns.  Returns 0 or -ENOMEM
 * (p is then as it was).
 */
int phase_pack(struct phase *p);
/* The phase object of p as saved: phase_json() a new reference not to
 * be changed (the tree itself, or parsed from the packed text),
 * phase_json_copy() an object of the caller's own.  NULL when out of
 * memory. */
json_t *phase_json(const struct phase *p);
json_t *phase_json_copy(const struct phase *p);
/* Free a packed phase's strings (phase_free calls it). */
void phase_strs_free(struct phase_strblk *b);

/* Fill *pp from one process object o (borrowed: pp's strings point into
 * it); where names it in messages.  0 or -errno with err set. */
int phase_proc_json(const json_t *o, const char *where, struct phase_proc *pp,
		    char *err, size_t errlen);

/*
 * A phase built one process at a time (phase_mark.c), packed as it goes:
 * the whole phase is never a jansson tree (5,000 processes: ~20 MB).
 * phase_build_add() takes a process object (borrowed); phase_build_end()
 * takes the phase object whose last member is an empty "processes"
 * array, adds the phase to ph and returns 0, or -errno with err set (b
 * is freed either way).
 */
struct phase_build {
	struct phase_proc *procs;
	size_t n, cap;
	char *txt; /* the processes' packed text, comma-joined */
	size_t len, tcap;
	struct phase_strblk *strs;
};
int phase_build_add(struct phase_build *b, const json_t *po, char *err,
		    size_t errlen);
int phase_build_end(struct phases *ph, struct phase_build *b, json_t *o,
		    char *err, size_t errlen);
void phase_build_free(struct phase_build *b);

/*
 * Append the phase object o (from a snapshot file, or a live mark) after
 * checking every field the structs need.  Takes a new reference to o on
 * success.  where names o in messages ("phases[2]").  Returns 0, or
 * -EINVAL with err set to one line ("phases[2].totals: missing field
 * \"rss_kb\""), or -ENOMEM.
 */
int phases_add_json(struct phases *ph, json_t *o, const char *where, char *err,
		    size_t errlen);

static inline size_t
phase_count(const struct phases *ph)
{
	return ph->n;
}

/* Phase i, or NULL. */
const struct phase *phase_get(const struct phases *ph, size_t i);

/* One row of the phases panel and of `ramtop show`. */
struct phase_summary {
	long index;
	const char *label;
	const char *time;
	double elapsed_s;
	long long rss, pss;	      /* Σ over the tree; KB_UNKNOWN */
	long long peak_rss;	      /* highest Σ RSS from this mark to
					 * the next; KB_UNKNOWN */
	long long rss_prev, pss_prev; /* Δ vs the previous phase (0 for
					 * phase 0); KB_UNKNOWN */
	long long rss_base, pss_base; /* Δ vs phase 0; KB_UNKNOWN */
	int has_by_type;
	long long rss_by_type[REGION_NTYPES]; /* KB_UNKNOWN unknown */
	size_t nprocs;
};

/* Fill *out for phase i; returns 0 or -ERANGE. */
int phase_summary(const struct phases *ph, size_t i, struct phase_summary *out);

/*
 * Find a phase by index ("3") or label ("weights"): a string of digits is
 * an index; "label:3" is the label "3" (a label of digits).  Returns the position in ph (0..n-1), or -ENOENT / -EINVAL
 * (a label several phases share) with err set.
 */
long phase_find(const struct phases *ph, const char *key, char *err,
		size_t errlen);

/*
 * "Since last mark" for the region panel: the last phase's record of the
 * process (pid, start_time), or NULL when there is no phase or the
 * process was not alive then (everything it has now is new since).
 */
const struct phase_proc *phase_last_proc(const struct phases *ph, int pid,
					 unsigned long long start_time);

/* The group (type, name) of pp, or NULL (not mapped then: all new). */
const struct phase_region *phase_proc_region(const struct phase_proc *pp,
					     enum region_type type,
					     const char *name);

/* What changed between two phases. */
struct phase_change {			  /* one region group */
	const struct phase_proc *pa, *pb; /* the process; one may be NULL */
	enum region_type type;
	const char *name;
	const char *flags;	/* of b if present, else a */
	struct region_fig a, b; /* 0 where absent */
	size_t count_a, count_b;
	int in_a, in_b;
	long long d_rss, d_size, d_pss; /* b - a; unknown -> 0 */
};

struct phase_proc_change {		  /* one process */
	const struct phase_proc *pa, *pb; /* NULL: not alive in that phase */
	long long d_rss, d_pss;		  /* KB_UNKNOWN unknown */
};

struct phase_type_change {
	enum region_type type;
	struct region_fig a, b;
	size_t count_a, count_b;
	long long d_rss, d_size, d_pss, d_swap, d_locked;
};

struct phase_diff {
	const struct phase *a, *b;
	long long d_rss, d_pss; /* tree totals; KB_UNKNOWN */
	int has_types;		/* both phases have by_type */
	struct phase_type_change types[REGION_NTYPES]; /* changed first,
							 * by |Δ RSS| */
	size_t ntypes;				       /* how many changed */
	struct phase_proc_change *procs; /* changed, by |Δ RSS| */
	size_t nprocs;
	struct phase_change *changes; /* changed groups, by |Δ RSS|,
						 * then |Δ size|, |Δ PSS| */
	size_t nchanges;
	size_t procs_unread; /* processes without regions on one side:
				 * their groups are not compared */
};

enum phase_diff_opt {
	/* Match processes by command line (then comm), in order, instead
	 * of (pid, start_time): for phases of two different runs. */
	PHASE_DIFF_BY_COMMAND = 1 << 0,
};

/* Compare a (before) and b (after).  Returns 0 or -ENOMEM. */
int phase_diff(const struct phase *a, const struct phase *b, int opts,
	       struct phase_diff *out);
void phase_diff_free(struct phase_diff *d);
/* Do a and b share a process (pid and start time)?  Then they are of
 * the same run.  O(n log n). */
int phase_same_run(const struct phase *a, const struct phase *b);

#endif
