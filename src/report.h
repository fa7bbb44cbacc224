/*
 * report.h - the batch text report: one block per sample with the
 * system, tree totals, the process tree, the by-type table and, on
 * request, each process's grouped regions.
 */
#ifndef RAMTOP_REPORT_H
#define RAMTOP_REPORT_H

#include <stdio.h>

#include "model.h"

enum report_opt {
	REPORT_REGIONS = 1 << 0,
};

/* Writes one sample; returns 0 or -errno from the stream. */
int report_sample(FILE *fp, const struct model *m, long index, const char *kind,
		  const char *label, int opts);

#endif
