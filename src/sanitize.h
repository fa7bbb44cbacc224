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

/*
 * Copy in[0..len) to out (size outsz, always NUL-terminated) replacing
 * every C0/C1 control byte, DEL, invalid UTF-8 byte and Unicode bidi
 * control (U+202A..U+202E, U+2066..U+2069, U+200E/F, U+061C) by '?'.
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

#endif
