/*
 * model.h - the target process tree over time: which processes are in
 * it, their figures each sample, baselines and deltas, tree totals.
 *
 * The model owns its procs; pointers in procs[] are valid until the next
 * model_sample() (an exited process is freed then).
 */
#ifndef RAMTOP_MODEL_H
#define RAMTOP_MODEL_H

#include <regex.h>
#include <stddef.h>
#include <time.h>

#include "cgroup.h"
#include "collect.h"
#include "shmfs.h"
#include "proc.h"

/* What to read for each target process in one sample. */
enum model_read {
	MODEL_ROLLUP = 1 << 0,	  /* smaps_rollup: pss, uss, swap_pss */
	MODEL_SMAPS = 1 << 1,	  /* full smaps: regions */
	MODEL_KEEP_MAPS = 1 << 2, /* keep per-mapping rows too */
	MODEL_NOW = 1 << 3,	  /* model_read_more: read now, whatever the
				 * pacing (the user asked for fresh figures) */
	MODEL_BASE_MAPS = 1 << 4, /* with MODEL_KEEP_MAPS: the rows are
				   * for a baseline only; over all
				   * processes not beyond MODEL_BASE_MAPS_MAX
				   * mappings */
};

/* Over all processes, a region baseline keeps per-mapping rows only for
 * a process of at most this many mappings: the screen's memory must not
 * follow the mappings of whichever process is focused (100,000 of them
 * are ~10 MB).  Beyond, per-mapping changes are unknown ('-'). */
#define MODEL_BASE_MAPS_MAX 10000

/* When model_read_more() last read a costly file of a process, and what
 * it took: the pacing of docs/architecture.md "Cost control".  Private to
 * model.c. */
/* The status figures whose change says the process's memory moved. */
struct model_sig {
	long long rss, anon, file, shmem, swap, locked, vsz;
};

/* What one kind of paced read of a process last saw. */
struct model_pace_read {
	double at;	      /* CLOCK_MONOTONIC s at the end; 0: never */
	double cost;	      /* CPU seconds the read took */
	struct model_sig sig; /* status figures at the read */
};

struct model_pace {
	struct model_pace_read rollup, smaps;
};

struct model_target {
	int pid;
	unsigned long long start_time; /* 0 until first seen */
	int found;
};

struct model_totals {
	size_t nprocs;
	long long rss, pss, uss, swap; /* sums of known values */
	long long rss_delta;	       /* sum of known deltas */
	size_t rss_unknown, pss_unknown, uss_unknown, swap_unknown;
	struct region_fig by_type[REGION_NTYPES];
	size_t by_type_count[REGION_NTYPES];
	size_t with_regions; /* processes whose regions are in by_type */
};

/* Which processes a mark records region tables of
 * (docs/snapshot-format.md "What a snapshot holds"). */
enum model_mark_regions {
	MODEL_MARK_TREES = 0, /* target trees (-p, --); in all-processes
				 * mode only the focused process */
	MODEL_MARK_ALL,	      /* every target process (--regions=all) */
	MODEL_MARK_NONE,      /* none (--gentle's automatic phase 0) */
};

struct model {
	struct collector *coll;

	/* Targets: empty with all = 1 means every visible process. */
	struct model_target *roots;
	size_t nroots;
	int all;
	const regex_t *pgrep; /* --pgrep: roots are the processes whose
				 * name or command line matches, found
				 * again each sample (not owned) */
	int zero_baseline;    /* launch mode: every process starts at 0 */
	int keep_gone;	      /* keep a process that exited mid-read for
				 * this sample (status_err PROC_GONE), so
				 * the screen can show its last figures */

	int mark_regions; /* enum model_mark_regions */
	int focus_pid;	  /* the screen's focused process, 0: none */
	unsigned long long focus_start;

	struct proc **procs; /* alive targets, in tree order (DFS) */
	size_t nprocs;
	struct proc **table; /* every tracked proc, sorted by pid */
	size_t table_cap, table_n;
	struct model_pace **pace; /* parallel to table, NULL until a paced
				   * read (model.c only) */

	struct sysmem sys;
	struct model_totals tot;
	unsigned long long tick;
	struct timespec start_wall, now_wall; /* CLOCK_REALTIME */
	double start_mono, now_mono;	      /* CLOCK_MONOTONIC seconds */
	double sample_ms;		      /* what the last sample cost */
	double sample_cpu;		      /* its CPU seconds */
	double budget_debt; /* model_read_budget's overshoot, CPU s */
	int scan_err;	    /* -errno of the last scan */

	/* Memory cgroups, OOM kills, /dev/shm (src/cgroup.c, shmfs.c):
	 * read after every sample when set; owned by the caller. */
	struct cgroup_set *cg;
	struct shmfs *shm;
};

int model_init(struct model *m, struct collector *coll);
void model_free(struct model *m);

/* Add a root pid (with its descendants) to the target. */
int model_add_root(struct model *m, int pid);

/*
 * Take one sample: scan, select targets, read status for each, and what
 * `what` asks for.  Returns 0 or -errno (scan failed).
 */
int model_sample(struct model *m, unsigned what);

/* Read (or re-read) the regions of one process now. */
int model_read_smaps(struct model *m, struct proc *p, int keep_maps);

/*
 * Read more of one process after a sample (the TUI reads smaps_rollup
 * only for rows in view, smaps only for the focused process): what is
 * MODEL_ROLLUP and/or MODEL_SMAPS (| MODEL_KEEP_MAPS, | MODEL_NOW).  Call
 * model_totals_update() after a batch of these.
 *
 * These reads are paced by their cost (docs/architecture.md "Cost
 * control"): a read
 * of a process is repeated only once MODEL_PACE_DUTY times what it took
 * (CPU) has passed, so it costs ramtop at most 1% of a core, and the
 * watched process's mmap lock as little; while the process's status
 * figures show no change, MODEL_PACE_IDLE times later still, and not
 * before MODEL_PACE_IDLE_MIN s (an idle process's PSS moves only when
 * the sharers of its pages change; at 1 Hz a read of a few hundred
 * microseconds was otherwise repeated every tick for every row in view),
 * at most MODEL_PACE_IDLE_MAX s.  Until then the figures and regions of the
 * last read stay (p->regions->read_at says when that was).  MODEL_NOW,
 * a first read, or rows per mapping asked for and not held, read at once.
 */
#define MODEL_PACE_DUTY 100.0
#define MODEL_PACE_IDLE 10.0
#define MODEL_PACE_IDLE_MIN 5.0
#define MODEL_PACE_IDLE_MAX 60.0
void model_read_more(struct model *m, struct proc *p, unsigned what);

/*
 * smaps_rollup (PSS, USS) for the target processes not in view, under a
 * CPU budget: processes never read first, smallest RSS first, then the
 * longest unread (round-robin), each paced as model_read_more(); stops
 * once the reads have cost `budget` CPU seconds.  First reads may spend
 * at least MODEL_BUDGET_MIN s, so a small tree's PSS comes in within a
 * few samples; reading again what was read keeps to `budget` alone, so
 * on a small machine the refresh costs a tenth of the sample, not a
 * millisecond a tick (at +100 idle processes that was a fifth of the
 * screen's CPU).  A read is not cut: a process of 100,000 mappings can
 * overshoot, and what it overshot is owed (m->budget_debt), paid at
 * max(budget, MODEL_BUDGET_MIN) a sample: the next samples read nothing
 * until it is paid.  So PSS comes in over a few samples, never all at
 * start-up.  Returns the CPU seconds spent.
 */
double model_read_budget(struct model *m, double budget);
/* The budget per sample: this fraction of what the sample itself cost
 * (CPU).  First reads: at least MODEL_BUDGET_MIN s. */
#define MODEL_BUDGET_SHARE 0.1
#define MODEL_BUDGET_MIN 0.001
double model_budget(const struct model *m);
void model_totals_update(struct model *m);
/* Add one process to t (zeroed to start): its RSS and swap (now), its
 * RSS change (now - base), pss and uss as given (the sample's, or a
 * fresh smaps read's), and the by-type figures of regions (NULL: none
 * known).  The one tree-totals loop body: the model's totals, a phase's
 * and the screen's header (over its row copies) use it. */
void model_totals_add(struct model_totals *t, const struct proc_figs *now,
		      const struct proc_figs *base, long long pss,
		      long long uss, const struct region_set *regions);

/* Does a mark record p's region table (m->mark_regions)? */
int model_mark_wants(const struct model *m, const struct proc *p);

/*
 * status is read again only when the scan's stat line shows the
 * process's RSS, size or page-fault count moved (any change of its
 * memory does one of these, but mlock of pages already resident), its
 * program changed (comm, code or stack address: an exec), or this many
 * seconds after the last read.  RSS itself comes with the scan.
 */
#define MODEL_STATUS_MAX 10.0

/* Make every process's current figures its baseline. */
void model_rebaseline(struct model *m);

/* True while at least one root is alive (all-processes mode: always). */
int model_alive(const struct model *m);

#endif
