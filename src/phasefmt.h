/*
 * phasefmt.h - phases and phase diffs as text (`ramtop show`, `ramtop
 * diff`, the mark block of batch mode) and as JSON (their --json).
 *
 * Text goes through the terminal sanitiser (labels, names and command
 * lines come from other programs or from files).  JSON functions return a
 * new reference, or NULL when out of memory.
 */
#ifndef RAMTOP_PHASEFMT_H
#define RAMTOP_PHASEFMT_H

#include <stdio.h>

#include <jansson.h>

#include "phase.h"
#include "timeline.h"

/* The phase table: index, label, time, elapsed, Σ RSS, Σ PSS, Δ vs
 * previous, Δ vs baseline, RSS by type. */
void phasefmt_table(FILE *fp, const struct phases *ph);

/* After the table (`ramtop show`): the tree's peak Σ RSS and Σ PSS from
 * the timeline, and each process's VmHWM and highest sampled RSS at the
 * last phase.  The same as JSON (a new reference). */
void phasefmt_peaks(FILE *fp, const struct phases *ph,
		    const struct timeline *tl);
json_t *phasefmt_peaks_json(const struct phases *ph, const struct timeline *tl);

/* One array element per phase with the same columns (sizes in KiB). */
json_t *phasefmt_table_json(const struct phases *ph);

/*
 * What changed: tree totals, types, processes, region groups, each
 * sorted by |Δ RSS|.  what_a / what_b describe the two sides (raw; they
 * are sanitised here).  limit > 0 prints at most that many region groups.
 */
void phasefmt_diff(FILE *fp, const struct phase_diff *d, const char *what_a,
		   const char *what_b, size_t limit);
json_t *phasefmt_diff_json(const struct phase_diff *d);

/* "phase 2 "kv-cache" (+3.1s)" into buf (raw label: print sanitised). */
const char *phasefmt_name(char *buf, size_t len, const struct phase *p);

/* Batch text mode: the block printed when phase i is marked. */
void phasefmt_mark(FILE *fp, const struct phases *ph, size_t i);

#endif
