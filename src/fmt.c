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

/* Write v in decimal at p; returns the end. */
static char *
fmt_ull(char *p, unsigned long long v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* a / d rounded to nearest, ties to even: what printf's "%.0f" does with
 * the exact binary value of a / d (d a power of two). */
static unsigned long long
fmt_round(unsigned long long a, unsigned long long d)
{
	unsigned long long q = a / d, r = a % d;

	if (r > d - r || (r == d - r && (q & 1)))
		q++;
	return q;
}

/*
 * kb with a unit, at most 3 significant figures: 3.1M, 64M, 640M, 1.2G.
 * Integer arithmetic giving the text snprintf("%.1f" or "%.0f") gives
 * for kb / 1024^u (tests/check_procfs.c compares the two): this runs for
 * ten figures of every row of every batch sample.
 */
static const char *
fmt_scaled(char *buf, unsigned long long kb, const char *sign)
{
	static const char units[] = "KMGTP";
	unsigned long long d = 1, t;
	char *p = buf;
	int u = 0;

	while (*sign != '\0')
		*p++ = *sign++;
	if (kb == 0) {
		*p++ = '0';
		*p = '\0';
		return buf;
	}
	while (u < 4 && kb / d >= 1024) {
		d *= 1024;
		u++;
	}
	/* Below 9.95 (then kb < 10 d < 2^45: no overflow below). */
	if (u > 0 && kb / d < 10 && kb * 20 < d * 199) {
		t = fmt_round(kb * 10, d);
		p = fmt_ull(p, t / 10);
		*p++ = '.';
		*p++ = (char)('0' + t % 10);
		*p++ = units[u];
	} else if (u == 4 || kb * 2 < d * 2047) { /* below 1023.5 */
		p = fmt_ull(p, fmt_round(kb, d));
		*p++ = units[u];
	} else {
		*p++ = '1';
		*p++ = '.';
		*p++ = '0';
		*p++ = units[u + 1];
	}
	*p = '\0';
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
