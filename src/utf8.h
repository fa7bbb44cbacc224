/*
 * utf8.h - the one UTF-8 decoder, independent of the locale: for what
 * ramtop writes (JSON, labels) whatever LC_CTYPE says.  Terminal output
 * goes through sanitize.c, which decodes by the locale.
 */
#ifndef RAMTOP_UTF8_H
#define RAMTOP_UTF8_H

#include <stddef.h>

/*
 * The code point of the UTF-8 sequence at s (n > 0 bytes available) in
 * *cp, and its length; 0 if it is not valid UTF-8 (overlong forms,
 * surrogates, beyond U+10FFFF, truncated), *cp then unchanged.
 */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

#endif
