/*
 * fmt.h - figures as text: human-readable sizes ("1.2G", "640M"),
 * signed deltas ("+512M", "-3.1M"), unknown as "-".
 */
#ifndef RAMTOP_FMT_H
#define RAMTOP_FMT_H

#include <stddef.h>

/* Writes into buf (at least FMT_SIZE bytes) and returns it. */
#define FMT_SIZE 16

/* kb < 0: "-".  Otherwise K/M/G/T with one decimal below 10. */
const char *fmt_kb(char *buf, long long kb);
/* KB_UNKNOWN: "-"; 0: "0"; else signed. */
const char *fmt_delta(char *buf, long long kb);
/* Does the locale's character set say UTF-8 (nl_langinfo(CODESET))?
 * The one check: the screen, the report and the phase tables use it. */
int fmt_locale_utf8(void);
/* "\u03a3" (sigma) and "\u0394" (delta) in UTF-8, or their ASCII
 * stand-ins "sum " and "d". */
const char *fmt_sum_sign(int utf8);
const char *fmt_delta_sign(int utf8);

/* ISO 8601 UTC with milliseconds: "2026-11-22T14:25:00.120Z" (32 bytes). */
const char *fmt_time(char *buf, size_t len, long sec, long nsec);

#endif
