/*
 * kb.h - figures in KiB and the one "unknown" value.
 *
 * A figure that could not be read is KB_UNKNOWN: on screen "-", in JSON
 * null, as a metric absent; never 0.  Absolute figures are never
 * negative otherwise, so "v < 0" also tests them for unknown; a delta
 * may be negative and must be compared with KB_UNKNOWN.  Never do
 * arithmetic on a figure before testing it.
 */
#ifndef RAMTOP_KB_H
#define RAMTOP_KB_H

#include <limits.h>

#define KB_UNKNOWN LLONG_MIN

/* a - b for absolute figures; KB_UNKNOWN when either is unknown. */
static inline long long
kb_delta(long long a, long long b)
{
	return a < 0 || b < 0 ? KB_UNKNOWN : a - b;
}

#endif
