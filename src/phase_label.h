/*
 * phase_label.h - a phase's label: its longest length and the cleaning
 * every label (typed, from the socket, from a file) goes through.
 * Small on purpose: the mark socket needs it without the model.
 */
#ifndef RAMTOP_PHASE_LABEL_H
#define RAMTOP_PHASE_LABEL_H

#include <stddef.h>

/* Longest label, in bytes of UTF-8, after cleaning. */
#define PHASE_LABEL_MAX 128

/*
 * Clean a label: keep valid printable UTF-8 (whatever the locale), turn
 * control characters, bidi controls and invalid bytes into '?', trim
 * spaces at both ends, never split a character.  Returns -E2BIG (and
 * the cleaned prefix) if it does not fit in PHASE_LABEL_MAX bytes, else
 * its length.  out must hold PHASE_LABEL_MAX + 1 bytes.
 */
int phase_label_clean(char out[PHASE_LABEL_MAX + 1], const char *in,
		      size_t len);

#endif
