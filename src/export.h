/*
 * export.h - `ramtop export FILE [--openmetrics] [--top N]`: the phases of
 * a snapshot file (or a recording the snapshot reader accepts) as
 * OpenMetrics text with timestamps on stdout, for `promtool tsdb
 * create-blocks-from openmetrics`.
 */
#ifndef RAMTOP_EXPORT_H
#define RAMTOP_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "snapshot.h"

/* argv[0] is "export".  Returns ramtop's exit code (0, 1, 2 usage). */
int export_run(int argc, char **argv);

/* The OpenMetrics text of s (its phases, and its timeline's points) to
 * fp; top as --top.  Returns 0 or -errno. */
int export_write(FILE *fp, const struct snapshot *s, size_t top);

#endif
