/*
 * errmsg.c - the words for an errno (errmsg.h).
 *
 * Touches: nothing but getrlimit().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "errmsg.h"

const char *
errmsg_why(int err, char *buf, size_t len)
{
	struct rlimit rl;

	if (err < 0)
		err = -err;
	if (err == EMFILE && getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY)
		snprintf(buf, len,
			 "%s (the limit is %llu open files: raise it with "
			 "ulimit -n)",
			 strerror(err), (unsigned long long)rl.rlim_cur);
	else if (err == ENFILE)
		snprintf(buf, len,
			 "%s (the system's file table is full: see "
			 "fs.file-max)",
			 strerror(err));
	else
		snprintf(buf, len, "%s", strerror(err));
	return buf;
}
