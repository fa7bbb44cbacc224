/*
 * timeline.h - the tree's figures over time (one point per sample and
 * per mark), kept to a bound for long runs, and the peaks: per tree, per
 * phase (between its mark and the next) and per process.
 *
 * The bound: at most TIMELINE_MAX points plus four per mark.  When a
 * timeline reaches TIMELINE_MAX points it is downsampled: the time it
 * covers is cut into TIMELINE_MAX / 4 buckets of equal length (a bucket
 * never spans a mark), and each bucket keeps only its points of lowest
 * Σ RSS, highest Σ RSS and highest Σ PSS (in time order); marks are
 * always kept.  So no peak and no mark is ever dropped, and a phase's
 * peak is exactly the highest Σ RSS sampled between its mark and the
 * next.
 *
 * A struct timeline owns its points.  Nothing here reads /proc or
 * prints; timeline_json() returns a new reference.
 */
#ifndef RAMTOP_TIMELINE_H
#define RAMTOP_TIMELINE_H

#include <stddef.h>

#include <jansson.h>

#include "model.h"
#include "phase.h"
#include "region.h"

#define TIMELINE_MAX 2000

struct timeline_point {
	double elapsed_s;
	long long rss, pss; /* Σ over the tree, KiB; KB_UNKNOWN unknown */
	int has_by_type;    /* every process's regions were read */
	long long rss_by_type[REGION_NTYPES]; /* KiB; KB_UNKNOWN unknown */
	long mark; /* the phase index marked here, or -1 */
};

struct timeline_peak {
	long long kb; /* KB_UNKNOWN: none yet */
	double elapsed_s;
};

struct timeline {
	struct timeline_point *v;
	size_t n, cap;
	size_t max;		       /* TIMELINE_MAX (tests set less) */
	unsigned long long seen;       /* points ever added */
	struct timeline_peak rss, pss; /* the tree's highest Σ RSS, Σ PSS */
};

void timeline_init(struct timeline *t);
void timeline_free(struct timeline *t);

/* Append p (elapsed_s not before the last point's), downsampling when
 * the bound is reached.  Returns 0 or -ENOMEM. */
int timeline_add(struct timeline *t, const struct timeline_point *p);

/* The point for the model's current sample (mark -1). */
void timeline_point_model(struct timeline_point *p, const struct model *m);
/* The point for phase p (mark = its index). */
void timeline_point_phase(struct timeline_point *pt, const struct phase *p);

/* Downsample now to at most max points (plus marks). */
void timeline_compact(struct timeline *t, size_t max);

/*
 * Highest Σ RSS from the mark of phase index `index` up to (not
 * including) the next mark; the phase's own figure if the timeline has
 * no point for it.  Returns 0, or -ENOENT (no such mark and no figure).
 */
int timeline_phase_peak(const struct timeline *t, long index,
			struct timeline_peak *out);

/* Each process's highest sampled RSS (proc->rss_peak) after a sample. */
void timeline_procs_note(struct model *m);

/* The phase object of p as saved (phase_json()) with its "peak" member:
 * a new reference, or NULL. */
json_t *timeline_phase_json(const struct phase *p);

/* A live sample or mark: raise the last phase's peak to pt if higher. */
void timeline_phase_note(struct phases *ph, const struct timeline_point *pt);

/*
 * Set each phase's peak (struct phase.peak_rss, peak_elapsed_s) from t;
 * timeline_phase_json() writes it as the phase's "peak" member.
 */
void timeline_phases_peaks(const struct timeline *t, struct phases *ph);

/* {"max_points", "samples", "peak": {...}, "points": [...]}; NULL on
 * allocation failure. */
json_t *timeline_json(const struct timeline *t);

/* Read the "timeline" object o (NULL: none, t stays empty).  Returns 0,
 * or -EINVAL with err set ("timeline.points[3]: ..."), or -ENOMEM. */
int timeline_from_json(struct timeline *t, const json_t *o, char *err,
		       size_t errlen);

#endif
