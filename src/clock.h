/*
 * clock.h - the program's clock: seconds on CLOCK_MONOTONIC, for
 * deadlines, pacing and durations.  Wall-clock times (for files and
 * screens) are taken where they are shown.
 */
#ifndef RAMTOP_CLOCK_H
#define RAMTOP_CLOCK_H

/* Seconds since the CLOCK_MONOTONIC epoch. */
double clock_now(void);

#endif
