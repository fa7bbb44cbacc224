/*
 * atomic.c - the one atomic file writer (atomic.h): never harms an
 * earlier file nor follows a symbolic link, and sweeps the temporary
 * files of killed ramtops.
 *
 * Touches: the destination's directory (a temporary file there, the
 * rename, fsync; and the temporary files that killed ramtops of this
 * host and user left there, .ramtop-HOST-PID-N.tmp of a PID no longer
 * running, which it removes).  Nothing else.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "atomic.h"
#include "sanitize.h"

/* One write: where it goes, the caller's words for messages, and what
 * is known of the file it replaces. */
struct atomic_dest {
	const char *path, *base; /* base: the name inside dir */
	char dir[PATH_MAX], shown[PATH_MAX], tmp[160];
	const char *what, *elsewhere;
	char *err;
	size_t errlen;
	int existed;	 /* replacing a regular file */
	int reap;	 /* sweep stale temporary files (not when checking) */
	mode_t mode;	 /* the new file's permissions (atomic_keep_mode) */
	struct stat old; /* the file replaced, when existed */
	struct stat dst; /* the directory */
};

/* A path as it may be shown on a terminal. */
static const char *
atomic_show(char *buf, size_t len, const char *path)
{
	sanitize_text(buf, len, path, strlen(path));
	return buf;
}

static int
atomic_write_all(int fd, const char *buf, size_t len)
{
	ssize_t w;

	while (len > 0) {
		w = write(fd, buf, len > (1u << 20) ? (1u << 20) : len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (w == 0)
			return -ENOSPC;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Why writing failed, in words, with what to do. */
static void
atomic_write_err(const struct atomic_dest *d, int e, const char *step,
		 size_t len, int existed)
{
	char p[PATH_MAX], dir[PATH_MAX], why[PATH_MAX + 160];

	atomic_show(p, sizeof p, d->path);
	atomic_show(dir, sizeof dir, d->dir);
	switch (e) {
	case EACCES:
	case EPERM:
		snprintf(why, sizeof why,
			 "no permission to create files in %s (%s); %s", dir,
			 strerror(e), d->elsewhere);
		break;
	case ENOENT:
		snprintf(why, sizeof why,
			 "the directory %s does not exist; create it or %s",
			 dir, d->elsewhere);
		break;
	case ENOTDIR:
		snprintf(why, sizeof why, "%s is not a directory; %s", dir,
			 d->elsewhere);
		break;
	case EROFS:
		snprintf(why, sizeof why,
			 "%s is on a read-only file system (%s); %s", dir,
			 strerror(e), d->elsewhere);
		break;
	case ENOSPC:
	case EDQUOT:
		snprintf(why, sizeof why,
			 "%s while writing %zu KiB to %s (%s); free some space "
			 "or %s",
			 e == ENOSPC ? "no space left on the device"
				     : "disk quota exceeded",
			 (len + 1023) / 1024, dir, strerror(e), d->elsewhere);
		break;
	default:
		snprintf(why, sizeof why, "cannot %s in %s: %s", step, dir,
			 strerror(e));
		break;
	}
	snprintf(d->err, d->errlen, "cannot save %s to %s: %s%s", d->what, p,
		 why, existed ? "; the earlier file is unchanged" : "");
}

/* ".ramtop-HOST-": the start of our temporary names.  The host name
 * (letters, digits, '.', '-' and '_' kept, 40 at most) keeps two hosts
 * sharing a directory (NFS) from taking each other's files for stale. */
static void
atomic_tmp_prefix(char *buf, size_t len)
{
	char host[64] = "", *h;

	if (gethostname(host, sizeof host - 1) < 0)
		host[0] = '\0';
	host[40] = '\0';
	for (h = host; *h != '\0'; h++)
		if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
		      (*h >= '0' && *h <= '9') || *h == '.' || *h == '-' ||
		      *h == '_'))
			*h = '_';
	snprintf(buf, len, ".ramtop-%s-", host);
}

/* Parse "PID-N.tmp" exactly (digits only); the pid, or -1. */
static long
atomic_tmp_pid(const char *s)
{
	long pid = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		pid = pid * 10 + (*s - '0');
		if (pid > INT_MAX)
			return -1;
	}
	if (*s++ != '-' || *s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9')
		s++;
	return strcmp(s, ".tmp") == 0 && pid > 0 ? pid : -1;
}

/*
 * Remove the temporary files of ramtops that were killed (SIGKILL) in
 * the instant between naming a finished file and renaming it:
 * .ramtop-HOST-PID-N.tmp of this host, owned by us, a plain file with
 * one link, whose PID is no longer running.  Once per directory and
 * run: a directory is read only at its first save.
 */
static void
atomic_reap_stale(int dfd, const char *dir)
{
	static char done[PATH_MAX];
	char prefix[80];
	struct dirent *de;
	struct stat st;
	size_t plen;
	long pid;
	DIR *d;
	int fd;

	if (strcmp(done, dir) == 0)
		return;
	snprintf(done, sizeof done, "%s", dir);
	atomic_tmp_prefix(prefix, sizeof prefix);
	plen = strlen(prefix);
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, plen) != 0)
			continue;
		pid = atomic_tmp_pid(de->d_name + plen);
		if (pid <= 0 || pid == (long)getpid())
			continue;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
		    st.st_nlink != 1)
			continue;
		if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
			(void)unlinkat(dfd, de->d_name, 0);
	}
	closedir(d);
}

/*
 * Give a temporary name (.ramtop-HOST-PID-N.tmp) in dfd: to the unnamed
 * file fd (linked through /proc/self/fd), or with fd -1 to a new empty
 * file.  The name is in tmp.  Returns the new file's descriptor (fd -1),
 * 0, or -errno.
 */
static int
atomic_tmp_name(int dfd, char *tmp, size_t len, int fd)
{
	static unsigned seq;
	char fdpath[64], prefix[80];
	int i, r = -EEXIST;

	atomic_tmp_prefix(prefix, sizeof prefix);
	snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
	for (i = 0; i < 1000 && r == -EEXIST; i++) {
		snprintf(tmp, len, "%s%ld-%u.tmp", prefix, (long)getpid(),
			 seq++);
		if (fd >= 0)
			r = linkat(AT_FDCWD, fdpath, dfd, tmp,
				   AT_SYMLINK_FOLLOW);
		else
			r = openat(dfd, tmp,
				   O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					   O_CLOEXEC,
				   0600);
		if (r < 0)
			r = -errno;
	}
	return r;
}

/*
 * The permissions of the file that replaces old: old's, only where they
 * cannot give anyone more than the earlier file did - old is ours (same
 * owner and group as the new file will have), it has one link (no hard
 * link to it elsewhere) and no ACL (its group bits would be the ACL's
 * mask).  Otherwise 0600: another user's 0666 file in /tmp must not make
 * our snapshot theirs to read and rewrite.
 */
static mode_t
atomic_keep_mode(const struct stat *old, const struct stat *dir, int dfd,
		 const char *base)
{
	gid_t gid = (dir->st_mode & S_ISGID) ? dir->st_gid : getegid();
	char fdpath[64];
	ssize_t n;
	int fd;

	if (old->st_uid != geteuid() || old->st_gid != gid ||
	    old->st_nlink != 1)
		return 0600;
	fd = openat(dfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0600;
	snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
	n = getxattr(fdpath, "system.posix_acl_access", NULL, 0);
	close(fd);
	if (n >= 0 || (errno != ENODATA && errno != ENOTSUP))
		return 0600; /* an ACL, or we cannot tell */
	return old->st_mode & 0777;
}

/* A replaced file that is not ours, in a sticky directory that is not
 * ours either: the kernel will refuse the rename (unless we are root). */
static int
atomic_sticky_refuses(const struct atomic_dest *d)
{
	return d->existed && (d->dst.st_mode & S_ISVTX) && geteuid() != 0 &&
	       d->old.st_uid != geteuid() && d->dst.st_uid != geteuid();
}

/* atomic_split_path: D's directory and base name from its path; 0, or
 * -EISDIR when the path names a directory. */
static int
atomic_split_path(struct atomic_dest *d)
{
	const char *slash = strrchr(d->path, '/');

	if (slash == NULL) {
		snprintf(d->dir, sizeof d->dir, ".");
		d->base = d->path;
	} else {
		snprintf(d->dir, sizeof d->dir, "%.*s",
			 slash == d->path ? 1 : (int)(slash - d->path),
			 d->path);
		d->base = slash + 1;
	}
	if (d->base[0] == '\0' || strcmp(d->base, ".") == 0 ||
	    strcmp(d->base, "..") == 0) {
		snprintf(d->err, d->errlen,
			 "cannot save %s to %s: that names a "
			 "directory; give a file name",
			 d->what, d->shown);
		return -EISDIR;
	}
	return 0;
}

/* atomic_refuse_kind: refuse to replace what is not a regular file (a
 * symbolic link, a directory, a device...); 0, or -errno with D's
 * message set. */
static int
atomic_refuse_kind(struct atomic_dest *d, const struct stat *st)
{
	if (S_ISLNK(st->st_mode)) {
		snprintf(d->err, d->errlen,
			 "cannot save %s to %s: it is a "
			 "symbolic link, and ramtop never writes "
			 "through one; remove it or choose another "
			 "name",
			 d->what, d->shown);
		return -ELOOP;
	}
	if (!S_ISREG(st->st_mode)) {
		snprintf(d->err, d->errlen,
			 "cannot save %s to %s: it exists and is %s, not a "
			 "regular file; %s",
			 d->what, d->shown,
			 S_ISDIR(st->st_mode)	 ? "a directory"
			 : S_ISCHR(st->st_mode)	 ? "a character device"
			 : S_ISBLK(st->st_mode)	 ? "a block device"
			 : S_ISFIFO(st->st_mode) ? "a FIFO"
			 : S_ISSOCK(st->st_mode) ? "a socket"
						 : "something else",
			 d->elsewhere);
		return S_ISDIR(st->st_mode) ? -EISDIR : -EINVAL;
	}
	return 0;
}

/*
 * Check the destination: a file name in a directory that opens, and no
 * symbolic link or non-file in the way.  d->base, d->existed and d->mode
 * are set; returns the directory's descriptor, or -errno (d->err says).
 */
static int
atomic_open_dir(struct atomic_dest *d, size_t len)
{
	struct stat st;
	int dfd, e;

	if ((e = atomic_split_path(d)) < 0)
		return e;
	dfd = open(d->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		e = errno;
		atomic_write_err(d, e, "open the directory", len, 0);
		return -e;
	}
	if (fstat(dfd, &d->dst) < 0) {
		e = errno;
		atomic_write_err(d, e, "look at the directory", len, 0);
		close(dfd);
		return -e;
	}
	if (d->reap)
		atomic_reap_stale(dfd, d->dir);
	if (fstatat(dfd, d->base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return dfd;
		e = errno;
		atomic_write_err(d, e, "look up the file", len, 0);
		close(dfd);
		return -e;
	}
	if ((e = atomic_refuse_kind(d, &st)) < 0) {
		close(dfd);
		return e;
	}
	d->existed = 1;
	d->old = st;
	d->mode = atomic_keep_mode(&st, &d->dst, dfd, d->base);
	if (atomic_sticky_refuses(d)) {
		snprintf(d->err, d->errlen,
			 "cannot save %s to %s: it belongs to another user "
			 "(uid %ld) and its directory is sticky, so ramtop may "
			 "not replace it; %s",
			 d->what, d->shown, (long)st.st_uid, d->elsewhere);
		close(dfd);
		return -EPERM;
	}
	return dfd;
}

/*
 * Write buf to a complete temporary file in dfd, named in d->tmp.  The
 * data goes to an unnamed file (O_TMPFILE): killed while writing, ramtop
 * leaves nothing behind.  It is given a temporary name (linkat through
 * /proc/self/fd) only once complete, just before the rename.  Where
 * either fails, the data is written again to a named temporary file.
 * Returns 0, or -errno with nothing left behind (d->err says).
 */
static int
atomic_write_temp(struct atomic_dest *d, int dfd, const char *buf, size_t len)
{
	int fd, e = 0, anon, named = 0;

	for (anon = 1; anon >= 0; anon--) {
		named = 0;
		if (anon)
			fd = openat(dfd, ".", O_WRONLY | O_TMPFILE | O_CLOEXEC,
				    0600);
		else
			fd = atomic_tmp_name(dfd, d->tmp, sizeof d->tmp, -1);
		if (fd < 0) {
			if (anon)
				continue;
			atomic_write_err(d, -fd, "create a temporary file", len,
					 d->existed);
			return fd;
		}
		named = !anon;
		/* Replacing a file of ours keeps its permissions; a new one
		 * is 0600 (it holds command lines). */
		if (d->existed && fchmod(fd, d->mode) < 0)
			(void)fchmod(fd, 0600);
		e = -atomic_write_all(fd, buf, len);
		if (e == 0 && fsync(fd) < 0)
			e = errno;
		if (e == 0 && anon) {
			if (atomic_tmp_name(dfd, d->tmp, sizeof d->tmp, fd) <
			    0) {
				close(fd);
				continue; /* no /proc: a named file */
			}
			named = 1;
		}
		if (close(fd) < 0 && e == 0)
			e = errno;
		break;
	}
	if (e != 0) {
		atomic_write_err(d, e, "write a temporary file", len,
				 d->existed);
		if (named)
			(void)unlinkat(dfd, d->tmp, 0);
		return -e;
	}
	return 0;
}

/* The destination of a save or a check: path named and not too long
 * (the error says so in err), its shown name.  0 or -errno. */
static int
atomic_dest_init(struct atomic_dest *d, const char *path, const char *what,
		 const char *elsewhere, char *err, size_t errlen)
{
	memset(d, 0, sizeof *d);
	d->path = path;
	d->what = what;
	d->elsewhere = elsewhere;
	d->err = err;
	d->errlen = errlen;
	if (path == NULL || path[0] == '\0') {
		snprintf(err, errlen, "cannot save %s: no file name", what);
		return -EINVAL;
	}
	atomic_show(d->shown, sizeof d->shown, path);
	if (strlen(path) >= sizeof d->dir) {
		snprintf(err, errlen, "cannot save %s to %s: %s", what,
			 d->shown, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	return 0;
}

int
atomic_write(const char *path, const char *buf, size_t len, const char *what,
	     const char *elsewhere, char *err, size_t errlen)
{
	struct atomic_dest d;
	int dfd, r, e;

	r = atomic_dest_init(&d, path, what, elsewhere, err, errlen);
	if (r < 0)
		return r;
	d.mode = 0600;
	d.reap = 1;
	dfd = atomic_open_dir(&d, len);
	if (dfd < 0)
		return dfd;
	r = atomic_write_temp(&d, dfd, buf, len);
	if (r < 0) {
		close(dfd);
		return r;
	}
	/* rename() replaces the name itself: it never follows a symbolic
	 * link that appeared there since the check above. */
	if (renameat(dfd, d.tmp, dfd, d.base) < 0) {
		e = errno;
		atomic_write_err(&d, e, "rename the temporary file", len,
				 d.existed);
		(void)unlinkat(dfd, d.tmp, 0);
		close(dfd);
		return -e;
	}
	if (fsync(dfd) < 0 && errno != EINVAL && errno != EROFS) {
		e = errno;
		snprintf(err, errlen,
			 "saved %s, but syncing its directory failed: %s",
			 d.shown, strerror(e));
		close(dfd);
		return -e;
	}
	close(dfd);
	err[0] = '\0';
	return 0;
}

int
atomic_check(const char *path, const char *what, const char *elsewhere,
	     char *err, size_t errlen)
{
	struct atomic_dest d;
	int dfd, e;

	e = atomic_dest_init(&d, path, what, elsewhere, err, errlen);
	if (e < 0)
		return e;
	dfd = atomic_open_dir(&d, 0);
	if (dfd < 0)
		return dfd;
	/* The temporary file and the rename need write and search
	 * permission on the directory, and a file system that is not
	 * read-only: ask the kernel, creating nothing. */
	if (faccessat(dfd, ".", W_OK | X_OK, AT_EACCESS) < 0) {
		e = errno;
		atomic_write_err(&d, e, "write", 0, d.existed);
		close(dfd);
		return -e;
	}
	close(dfd);
	err[0] = '\0';
	return 0;
}
