/*
 * fmt.c - sizes and times as text for the batch report, the TUI and the
 * snapshot file.
 */
#include "config.h"

#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fmt.h"
#include "kb.h"

static const char *
fmt_scaled(char *buf, unsigned long long kb, const char *sign)
{
	static const char units[] = "KMGTP";
	double v = (double)kb;
	int u = 0;

	if (kb == 0) {
		snprintf(buf, FMT_SIZE, "%s0", sign);
		return buf;
	}
	while (v >= 1024.0 && u < 4) {
		v /= 1024.0;
		u++;
	}
	/* Keep at most 3 significant figures: 3.1M, 64M, 640M, 1.2G. */
	if (v < 9.95 && u > 0)
		snprintf(buf, FMT_SIZE, "%s%.1f%c", sign, v, units[u]);
	else if (v < 1023.5 || u == 4)
		snprintf(buf, FMT_SIZE, "%s%.0f%c", sign, v, units[u]);
	else
		snprintf(buf, FMT_SIZE, "%s1.0%c", sign, units[u + 1]);
	return buf;
}

const char *
fmt_kb(char *buf, long long kb)
{
	if (kb < 0) {
		snprintf(buf, FMT_SIZE, "-");
		return buf;
	}
	return fmt_scaled(buf, (unsigned long long)kb, "");
}

const char *
fmt_delta(char *buf, long long kb)
{
	if (kb == KB_UNKNOWN) {
		snprintf(buf, FMT_SIZE, "-");
		return buf;
	}
	if (kb == 0)
		return fmt_scaled(buf, 0, "");
	if (kb < 0)
		return fmt_scaled(buf, (unsigned long long)-kb, "-");
	return fmt_scaled(buf, (unsigned long long)kb, "+");
}

const char *
fmt_time(char *buf, size_t len, long sec, long nsec)
{
	struct tm tm;
	time_t t = (time_t)sec;

	gmtime_r(&t, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, nsec / 1000000);
	return buf;
}

int
fmt_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && strcmp(cs, "UTF-8") == 0;
}

const char *
fmt_sum_sign(int utf8)
{
	return utf8 ? "\xce\xa3" : "sum ";
}

const char *
fmt_delta_sign(int utf8)
{
	return utf8 ? "\xce\x94" : "d";
}
