/*
 * sanitize.h - make names from /proc safe to print on a terminal.
 *
 * File names and command lines are chosen by other users: they may hold
 * ESC sequences, newlines, invalid UTF-8 or bidi overrides.  Nothing read
 * from /proc reaches the terminal without passing through here.
 */
#ifndef RAMTOP_SANITIZE_H
#define RAMTOP_SANITIZE_H

#include <stddef.h>
#include <stdio.h>

/*
 * The format characters that reorder text on screen (the Unicode
 * Bidi_Control set: U+202A..U+202E, U+2066..U+2069, U+200E/F, U+061C;
 * "Trojan Source") or hide it (U+FEFF, the zero-width no-break space or
 * byte order mark: invisible, it makes two labels or names that look
 * the same differ).  The one list: the sanitiser and the label cleaner
 * (phase_label.c) both use it.
 */
int sanitize_is_format_control(unsigned long cp);

/*
 * Copy in[0..len) to out (size outsz, always NUL-terminated) replacing
 * every C0/C1 control byte, DEL, invalid UTF-8 byte and format control
 * (sanitize_is_format_control) by '?'.
 * The kernel's "\012" escape for a newline in a path is kept as the
 * four printable characters it is.  Valid printable UTF-8 is kept.
 * Returns the number of bytes written (excluding the NUL).
 */
size_t sanitize_text(char *out, size_t outsz, const char *in, size_t len);

/*
 * Display width (columns) of a sanitised UTF-8 string, and the byte
 * length of its longest prefix that fits in cols columns.  Uses wcwidth;
 * the caller must have called setlocale(LC_CTYPE, "").
 */
int sanitize_width(const char *s);
size_t sanitize_clip(const char *s, int cols, int *used);
/* The byte offset of the longest suffix of s that fits in cols columns
 * (its width in *used): the tail of a long path.  Linear in strlen(s). */
size_t sanitize_tail(const char *s, int cols, int *used);

/*
 * The one safe printer for text output: raw (a foreign string) is
 * sanitised, then clipped to cols display columns, and padded with
 * spaces to exactly cols when pad is set.  Writes only to fp.
 */
void sanitize_fput(FILE *fp, const char *raw, int cols, int pad);

/*
 * raw (a foreign string, or NULL for "") sanitised, then escaped for
 * XML and HTML text and attribute values (& < > " '): the JUnit file and
 * the HTML report.  Writes only to fp.
 */
void sanitize_fput_markup(FILE *fp, const char *raw);

/*
 * The one output path for text that holds foreign strings as a whole:
 * sanitize_say() formats one message (printf-style), sanitises all of it
 * and writes it with a newline; sanitize_lines() writes buf[0..len),
 * each line sanitised (the newlines are kept).  `show`, `diff` and the
 * messages that quote a file, a peer or the kernel print only through
 * these (or sanitize_fput), on stdout and stderr alike.
 * sanitize_lines returns 0, or -1 when fp reports an error.
 */
void sanitize_say(FILE *fp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sanitize_lines(FILE *fp, const char *buf, size_t len);

#endif
