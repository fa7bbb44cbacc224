/*
 * phase_label.c - a phase's label as the user typed it, made safe to keep
 * and show: control and bidi characters and invalid UTF-8 replaced,
 * clipped to PHASE_LABEL_MAX bytes on a character boundary.
 *
 * Touches: nothing but its arguments.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "jcheck.h"
#include "json.h"
#include "phase_label.h"

/* Code point of the valid UTF-8 sequence at s (n bytes left); its length,
 * or 0 if invalid. */
static size_t
phase_utf8(const unsigned char *s, size_t n, unsigned *cp)
{
	size_t k, i;
	unsigned c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, c = s[0] & 0x07;
	else
		return 0;
	if (k > n)
		return 0;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((k == 3 && c < 0x800) || (k == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return k;
}

static int
phase_label_bad(unsigned c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0x200e || c == 0x200f || c == 0x061c || c == 0xfeff;
}

int
phase_label_clean(char out[PHASE_LABEL_MAX + 1], const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, k;
	unsigned cp;
	int toolong = 0;

	/* Skip leading spaces. */
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (i < len) {
		k = phase_utf8(s + i, len - i, &cp);
		if (k == 0 || phase_label_bad(cp)) {
			if (o + 1 > PHASE_LABEL_MAX) {
				toolong = 1;
				break;
			}
			out[o++] = cp == '\t' && k == 1 ? ' ' : '?';
			i += k ? k : 1;
			continue;
		}
		if (o + k > PHASE_LABEL_MAX) {
			toolong = 1;
			break;
		}
		memcpy(out + o, s + i, k);
		o += k;
		i += k;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	if (toolong) {
		/* Only spaces left over is not "too long". */
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < len)
			return -E2BIG;
	}
	return (int)o;
}
