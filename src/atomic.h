/*
 * atomic.h - write a whole file so that a reader sees either the earlier
 * file or the new one, never a part (the snapshot, and this round's
 * ramtoprc, textfile and report writers).
 *
 * The data goes to an unnamed temporary file (O_TMPFILE, or a named
 * .ramtop-HOST-PID-N.tmp where that fails) in the destination's
 * directory, is fsync'd and renamed over the destination, then the
 * directory is fsync'd.  A symbolic link at the destination is refused
 * (-ELOOP), never written through or replaced.  Replacing a file keeps
 * its permissions; a new file is 0600.  The first write into a directory
 * also removes the temporary files that killed ramtops of this host and
 * user left there.
 *
 * Errors come back as -errno with one line in err; nothing here prints.
 */
#ifndef RAMTOP_ATOMIC_H
#define RAMTOP_ATOMIC_H

#include <stddef.h>

/*
 * Write len bytes of buf to path.  what names the file in messages
 * ("the snapshot"); elsewhere says how to choose another place ("choose
 * another place with -o").  Returns 0 or -errno: -EACCES, -EROFS,
 * -ENOSPC, -EDQUOT, -ELOOP (a symbolic link is in the way), -EISDIR (a
 * directory, or a name ending in '/'), -EINVAL (not a regular file), ...
 */
int atomic_write(const char *path, const char *buf, size_t len,
		 const char *what, const char *elsewhere, char *err,
		 size_t errlen);

#endif
