/*
 * proc.h - one process of the target as ramtop knows it: identity,
 * figures now and at its baseline, regions, and why a figure is unknown.
 *
 * A struct proc is owned by the model (model.h); the regions it points to
 * are owned by the proc.
 */
#ifndef RAMTOP_PROC_H
#define RAMTOP_PROC_H

#include <stddef.h>

#include "region.h"

#include "kb.h"

/* Why figures of a process are unknown. */
enum proc_err {
	PROC_OK = 0,
	PROC_EACCES,  /* permission denied */
	PROC_GONE,    /* the process exited during the read */
	PROC_KTHREAD, /* kernel threads have no user memory */
	PROC_ZOMBIE,  /* exited, not yet reaped: no memory left */
	PROC_ABSENT,  /* not in the recording (--replay) */
	PROC_EIO,     /* any other read error */
};

const char *proc_err_str(enum proc_err e);
enum proc_err proc_err_from_errno(int err);

/* Per-process figures in KiB; KB_UNKNOWN when not read or not readable. */
#define PROC_FIGS                                                              \
	X(rss, "rss")                                                          \
	X(pss, "pss")                                                          \
	X(uss, "uss")                                                          \
	X(anon, "anon")                                                        \
	X(file, "file")                                                        \
	X(shmem, "shmem")                                                      \
	X(swap, "swap")                                                        \
	X(swap_pss, "swap_pss")                                                \
	X(locked, "locked")                                                    \
	X(vsz, "vsz")                                                          \
	X(hwm, "hwm")

struct proc_figs {
#define X(f, name) long long f;
	PROC_FIGS
#undef X
};

void proc_figs_unknown(struct proc_figs *f);

struct proc {
	int pid, ppid;
	unsigned long long start_time; /* clock ticks after boot */
	long uid;		       /* -1 unknown */
	char state;
	char comm[64]; /* raw: sanitise before printing */
	char *cmdline; /* raw, args joined by ' '; owned */

	struct proc_figs now, base;
	long long rss_peak;	  /* highest RSS sampled; KB_UNKNOWN none yet
					 * (timeline.c) */
	enum proc_err status_err; /* status figures */
	enum proc_err rollup_err; /* pss/uss/swap_pss */
	enum proc_err smaps_err;  /* regions */

	struct region_set *regions;	 /* latest smaps read, or NULL */
	struct region_set *base_regions; /* first smaps read, or NULL */
	int base_regions_zero;		 /* baseline regions are "nothing" */
	double base_at;			 /* CLOCK_MONOTONIC s the baseline
					 * figures were taken; 0 unknown */
	double regions_base_at;		 /* CLOCK_MONOTONIC s the region
					 * baseline was read (its Δ counts
					 * from then); 0: none yet (taken
					 * when the table is first shown) */

	/* What the scan's stat line said when status was last read, and
	 * when (CLOCK_MONOTONIC s, 0: never): model.c reads status again
	 * only when these move, or MODEL_STATUS_MAX s later. */
	unsigned long stat_rss, stat_vsize, stat_faults;
	unsigned long code_start, stack_start; /* move at an exec */
	double status_at;

	int depth; /* in the displayed tree */
	int nchildren;
	int alive; /* seen in the last scan */
	unsigned long long seen_tick;
};

void proc_free(struct proc *p);

/* The first reason any figure of p is unknown, or NULL. */
const char *proc_error(const struct proc *p);

#endif
