/*
 * errmsg.h - the words for an errno in a message to the user, with what
 * to do where there is something to do.
 */
#ifndef RAMTOP_ERRMSG_H
#define RAMTOP_ERRMSG_H

#include <stddef.h>

/* strerror(-err or err), and for EMFILE/ENFILE the limit and what to do
 * (ulimit -n, fs.file-max).  Returns buf. */
const char *errmsg_why(int err, char *buf, size_t len);

#endif
