/*
 * sanitize.c - make names from /proc safe to print, and measure them.
 *
 * Pure: reads the strings it is given, writes only the caller's buffer
 * (or, sanitize_fput, the caller's stream).
 * Decoding follows the LC_CTYPE locale (mbrtowc), so in a non-UTF-8
 * locale every non-ASCII byte becomes '?' rather than mojibake.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* wcwidth */
#endif

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "sanitize.h"

int
sanitize_is_format_control(unsigned long cp)
{
	return (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
	       cp == 0x061c || cp == 0xfeff;
}

/*
 * Decode one character at s (n > 0 bytes available).  Returns how many
 * bytes it takes (1 for an invalid byte) and whether it may be printed as
 * it is; one that may not is shown as a single '?' of width 1.
 */
static size_t
sanitize_next(const char *s, size_t n, wchar_t *wc, int *ok)
{
	mbstate_t st;
	size_t k, i;

	*ok = 0;
	if ((unsigned char)*s < 0x80) {
		*wc = (unsigned char)*s;
		*ok = *wc >= 0x20 && *wc != 0x7f;
		return 1;
	}
	memset(&st, 0, sizeof st);
	k = mbrtowc(wc, s, n, &st);
	if (k == 0 || k == (size_t)-1 || k == (size_t)-2 || k > n)
		return 1;
	/* No byte of a kept sequence may be a C0 control or DEL, whatever
	 * the locale's encoding claims. */
	for (i = 0; i < k; i++) {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
			return 1;
	}
	*ok = *wc >= 0xa0 && !sanitize_is_format_control((unsigned long)*wc) &&
	      iswprint((wint_t)*wc) && wcwidth(*wc) >= 0;
	return k;
}

size_t
sanitize_text(char *out, size_t outsz, const char *in, size_t len)
{
	size_t o = 0, i = 0, k;
	wchar_t wc;
	int ok;

	if (outsz == 0)
		return 0;
	while (i < len) {
		k = sanitize_next(in + i, len - i, &wc, &ok);
		if (!ok) {
			if (o + 1 >= outsz)
				break;
			out[o++] = '?';
		} else {
			if (o + k >= outsz)
				break; /* never split a character */
			memcpy(out + o, in + i, k);
			o += k;
		}
		i += k;
	}
	out[o] = '\0';
	return o;
}

/* Columns of the character at s; see sanitize_next. */
static int
sanitize_cols(wchar_t wc, int ok)
{
	return ok ? wcwidth(wc) : 1;
}

int
sanitize_width(const char *s)
{
	size_t n = strlen(s), i = 0;
	wchar_t wc;
	int w = 0, ok;

	while (i < n) {
		i += sanitize_next(s + i, n - i, &wc, &ok);
		w += sanitize_cols(wc, ok);
	}
	return w;
}

size_t
sanitize_clip(const char *s, int cols, int *used)
{
	size_t n = strlen(s), i = 0, k;
	wchar_t wc;
	int w = 0, cw, ok;

	while (i < n) {
		k = sanitize_next(s + i, n - i, &wc, &ok);
		cw = sanitize_cols(wc, ok);
		if (w + cw > cols)
			break;
		w += cw;
		i += k;
	}
	if (used != NULL)
		*used = w;
	return i;
}

size_t
sanitize_tail(const char *s, int cols, int *used)
{
	size_t n = strlen(s), i = 0;
	wchar_t wc;
	int total = 0, ok;

	/* Two passes, linear: the whole width, then drop characters from
	 * the front until the rest fits. */
	while (i < n) {
		i += sanitize_next(s + i, n - i, &wc, &ok);
		total += sanitize_cols(wc, ok);
	}
	for (i = 0; i < n && total > cols;) {
		size_t k = sanitize_next(s + i, n - i, &wc, &ok);

		total -= sanitize_cols(wc, ok);
		i += k;
	}
	if (used != NULL)
		*used = total;
	return i;
}

void
sanitize_fput(FILE *fp, const char *raw, int cols, int pad)
{
	char buf[4096 * 4 + 1];
	size_t n;
	int used;

	sanitize_text(buf, sizeof buf, raw, strlen(raw));
	n = sanitize_clip(buf, cols, &used);
	fwrite(buf, 1, n, fp);
	if (pad)
		for (; used < cols; used++)
			fputc(' ', fp);
}

void
sanitize_fput_markup(FILE *fp, const char *raw)
{
	char buf[4096];
	const char *p;

	sanitize_text(buf, sizeof buf, raw ? raw : "", raw ? strlen(raw) : 0);
	for (p = buf; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			fputc(*p, fp);
		}
	}
}

void
sanitize_say(FILE *fp, const char *fmt, ...)
{
	char raw[2048], out[sizeof raw];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sanitize_text(out, sizeof out, raw, strlen(raw));
	fputs(out, fp);
	fputc('\n', fp);
}

int
sanitize_lines(FILE *fp, const char *buf, size_t len)
{
	const char *nl;
	size_t k, cap = 0;
	char *out = NULL, *nb;

	while (len > 0) {
		nl = memchr(buf, '\n', len);
		k = nl != NULL ? (size_t)(nl - buf) : len;
		if (k + 1 > cap) {
			nb = realloc(out, k + 1);
			if (nb == NULL) {
				free(out);
				return -1;
			}
			out = nb;
			cap = k + 1;
		}
		fwrite(out, 1, sanitize_text(out, cap, buf, k), fp);
		if (nl != NULL)
			fputc('\n', fp);
		k += nl != NULL;
		buf += k;
		len -= k;
	}
	free(out);
	return ferror(fp) ? -1 : 0;
}
