/*
 * phase_label.c - a phase's label as the user typed it, made safe to keep
 * and show: control and bidi characters and invalid UTF-8 replaced,
 * clipped to PHASE_LABEL_MAX bytes on a character boundary.
 *
 * Touches: nothing but its arguments.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "phase_label.h"
#include "sanitize.h"
#include "utf8.h"

/* Not to be kept in a label: C0 and C1 controls, DEL, and the format
 * characters that reorder or hide text (sanitize.c's one list). */
static int
phase_label_bad(unsigned c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
	       sanitize_is_format_control(c);
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
		k = utf8_decode(s + i, len - i, &cp);
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
