/*
 * atomic.h - write a whole file so that a reader sees either the earlier
 * file or the new one, never a part (the snapshot, and this round's
 * ramtoprc, textfile and report writers).
 *
 * The data goes to an unnamed temporary file (O_TMPFILE, or a named
 * .ramtop-HOST-PID-N.tmp where that fails) in the destination's
 * directory, is fsync'd and renamed over the destination, then the
 * directory is fsync'd.  A symbolic link at the destination is refused
 * (-ELOOP), never written through or replaced.  Replacing a file of
 * ours (same owner and group, one link, no ACL) keeps its permissions;
 * otherwise, and for a new file, 0600.  The first write into a directory
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

/*
 * Would atomic_write(path, ...) be able to save there?  Checked at start
 * (-o), creating nothing: the directory exists and is writable, the name
 * is not a directory, a symbolic link or a device, and an existing file
 * is one ramtop may replace (not another user's in a sticky directory).
 * Returns 0, or -errno with one line in err naming the real cause.
 */
int atomic_check(const char *path, const char *what, const char *elsewhere,
		 char *err, size_t errlen);

#endif
