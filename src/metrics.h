/*
 * metrics.h - ramtop's figures as a Prometheus text exposition (format
 * 0.0.4) or OpenMetrics 1.0 text: the live last sample (--listen,
 * --textfile) and, with timestamps, the phases of a recording (`ramtop
 * export`).
 *
 * Names: ramtop_ prefix, base units (_bytes, _seconds), one metric per
 * kind of memory so that sum() means something; region types as the
 * bounded label `type`; pid/comm/root labels only for target trees, and
 * in all-processes mode only the top N processes by RSS.  An unknown
 * figure is an absent series, never 0.  Every label value passes the
 * sanitiser, then is escaped.
 *
 * A frame is one sample (or one phase): raw figures, no formatting.
 * metrics_frame_* fill one (they own what they allocate: free with
 * metrics_frame_free; strings are borrowed from the model or phase, so
 * write before those change).  Nothing here reads /proc or prints.
 */
#ifndef RAMTOP_METRICS_H
#define RAMTOP_METRICS_H

#include <stddef.h>
#include <stdio.h>

#include "cgroup.h"
#include "model.h"
#include "phase.h"
#include "proc.h"
#include "region.h"
#include "shmfs.h"

/* All-processes mode: per-process series for this many (by RSS). */
#define METRICS_TOP_DEFAULT 20
#define METRICS_TOP_MAX 10000
/* ramtop_phase_info and ramtop_phase_timestamp_seconds: the last ones. */
#define METRICS_PHASES_MAX 100

#define METRICS_CT_PROMETHEUS "text/plain; version=0.0.4; charset=utf-8"
#define METRICS_CT_OPENMETRICS                                                 \
	"application/openmetrics-text; version=1.0.0; charset=utf-8"

enum metrics_format {
	METRICS_PROMETHEUS = 0,
	METRICS_OPENMETRICS,
};

struct metrics_proc {
	int pid, ppid;
	const char *comm;		  /* raw; borrowed */
	struct proc_figs figs;		  /* KiB; negative: unknown */
	long long rss_delta;		  /* KiB vs baseline; KB_UNKNOWN */
	int nomem;			  /* kernel thread or zombie: no user
					   * memory (not unknown) */
	const struct region_fig *by_type; /* [REGION_NTYPES]; NULL: regions
					   * not read; borrowed */
	/* /proc/PID/oom_score and oom_score_adj, when has_oom and
	 * has_oom_adj (a zeroed entry: unknown). */
	long oom_score, oom_score_adj;
	int has_oom, has_oom_adj;
};

struct metrics_phase {
	long index;
	const char *label; /* raw; borrowed */
	double time;	   /* Unix seconds; < 0 unknown */
};

struct metrics_frame {
	double time;		    /* Unix seconds of the sample */
	int all;		    /* all-processes mode */
	struct metrics_proc *procs; /* every target process; owned */
	size_t nprocs;
	const struct region_fig *tree_by_type; /* [REGION_NTYPES] or NULL */
	const size_t *tree_by_type_count;      /* mappings; may be NULL */
	size_t tree_with_regions;	       /* processes in tree_by_type */
	long long sys_available, sys_cached, sys_shmem, sys_dev_shm; /* KiB,
								      * -1 */
	/* The tree's memory cgroups, pressure and tmpfs headroom (live
	 * sample only; NULL: none, the series are absent).  Borrowed. */
	const struct cgroup_set *cg;
	const struct shmfs *shm;
	struct metrics_phase *phases; /* owned array */
	size_t nphases;
	int has_self;		    /* ramtop's own figures below */
	double sample_seconds;	    /* what the last sample cost */
	unsigned long long samples; /* samples taken */
	double start_time;	    /* Unix seconds ramtop started */

	/* A point of a recording's timeline: no processes, only the tree
	 * totals below (the frame may be moved: nothing points into it). */
	int tree_only;
	long long tree_rss, tree_pss; /* KiB; -1 unknown */
	int point_has_by_type;
	struct region_fig point_by_type[REGION_NTYPES];
};

/* The model's current sample, with the phases recorded so far. */
int metrics_frame_model(struct metrics_frame *f, const struct model *m,
			const struct phases *ph);

/* Phase i of ph as a frame (its processes; phases 0..i as marks).
 * all: the recording watched every process. */
int metrics_frame_phase(struct metrics_frame *f, const struct phases *ph,
			size_t i, int all);

/*
 * A timeline point at Unix time `time`: Σ RSS and Σ PSS of the tree
 * (KiB, -1 unknown) and its RSS by region type (rss_by_type, KiB, -1
 * unknown; NULL: not known), with the phases of ph marked by then.
 */
int metrics_frame_point(struct metrics_frame *f, const struct phases *ph,
			double time, long long rss, long long pss,
			const long long *rss_by_type);

void metrics_frame_free(struct metrics_frame *f);

/*
 * Write the exposition of frames fr[0..n) (in time order) to fp, each
 * metric family once, its series one after another.  With n > 1 or
 * stamp, every sample carries its frame's time (OpenMetrics: seconds
 * with milliseconds; Prometheus: milliseconds).  top: per-process series
 * in all-processes mode.  Returns 0 or -errno (a write error).
 */
int metrics_write(FILE *fp, const struct metrics_frame *fr, size_t n,
		  enum metrics_format fmt, int stamp, size_t top);

/* The same into a malloc'd buffer (*buf, NUL-terminated; caller frees). */
int metrics_render(const struct metrics_frame *fr, size_t n,
		   enum metrics_format fmt, int stamp, size_t top, char **buf,
		   size_t *len);

/* "2026-11-22T14:25:00.120Z" as Unix seconds, or -1. */
double metrics_iso_time(const char *iso);

#endif
