/*
 * snapshot.c - the snapshot file: the document from the phase list, an
 * atomic write that never harms an earlier file nor follows a symbolic
 * link, and a reader that says in one line what is wrong with a file.
 *
 * Touches: the destination's directory (a temporary file there, the
 * rename, fsync; and the temporary files that killed ramtops of this
 * host and user left there, .ramtop-HOST-PID-N.tmp of a PID no longer
 * running, which it removes) and
 * the file it is asked to read.  Nothing else.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fmt.h"
#include "jcheck.h"
#include "json.h"
#include "sanitize.h"
#include "snapshot.h"

void
snapshot_host_get(struct snapshot_host *h)
{
	struct utsname u;

	memset(h, 0, sizeof *h);
	if (gethostname(h->hostname, sizeof h->hostname - 1) < 0)
		h->hostname[0] = '\0';
	if (uname(&u) == 0)
		snprintf(h->kernel, sizeof h->kernel, "%s", u.release);
	h->page_size = sysconf(_SC_PAGESIZE);
}

json_t *
snapshot_build(const struct snapshot_meta *meta, const struct phases *ph)
{
	json_t *root, *pids, *phases;
	size_t i;

	pids = json_array();
	phases = json_array();
	if (pids == NULL || phases == NULL) {
		json_decref(pids);
		json_decref(phases);
		return NULL;
	}
	for (i = 0; i < meta->npids; i++)
		json_array_append_new(pids, json_integer(meta->pids[i]));
	for (i = 0; i < ph->n; i++)
		json_array_append(phases, ph->v[i].json);
	root = json_pack(
		"{s:s, s:i, s:s, s:s, s:{s:o, s:s, s:I, s:o}, s:{s:o, s:o}, "
		"s:o}",
		"format", SNAPSHOT_FORMAT, "version", SNAPSHOT_VERSION,
		"ramtop_version", PACKAGE_VERSION, "created", meta->created,
		"host", "hostname", json_bytes(meta->host->hostname), "kernel",
		meta->host->kernel, "page_size",
		(json_int_t)meta->host->page_size, "mem_total_kb",
		json_kb(meta->mem_total_kb), "target", "pids", pids, "command",
		meta->command ? json_bytes(meta->command) : json_null(),
		"phases", phases);
	if (root != NULL && meta->oom != NULL)
		json_object_set(root, "oom", meta->oom);
	return root;
}

void
snapshot_default_name(char *buf, size_t len, int pid, time_t when)
{
	struct tm tm;

	localtime_r(&when, &tm);
	snprintf(buf, len, "ramtop-%d-%04d%02d%02d-%02d%02d%02d.json", pid,
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
}

/* ---- writing ---------------------------------------------------------- */

/* A path as it may be shown on a terminal. */
static const char *
snapshot_show(char *buf, size_t len, const char *path)
{
	sanitize_text(buf, len, path, strlen(path));
	return buf;
}

static int
snapshot_write_all(int fd, const char *buf, size_t len)
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
snapshot_write_err(char *err, size_t errlen, const char *path,
		   const char *dir, int e, const char *step, size_t len,
		   int existed)
{
	char p[PATH_MAX], d[PATH_MAX], why[PATH_MAX + 160];

	snapshot_show(p, sizeof p, path);
	snapshot_show(d, sizeof d, dir);
	switch (e) {
	case EACCES:
	case EPERM:
		snprintf(why, sizeof why,
			 "no permission to create files in %s (%s); choose "
			 "another place with -o",
			 d, strerror(e));
		break;
	case EROFS:
		snprintf(why, sizeof why,
			 "%s is on a read-only file system (%s); choose "
			 "another place with -o",
			 d, strerror(e));
		break;
	case ENOSPC:
	case EDQUOT:
		snprintf(why, sizeof why,
			 "%s while writing %zu KiB to %s (%s); free some space "
			 "or choose another place with -o",
			 e == ENOSPC ? "no space left on the device"
				     : "disk quota exceeded",
			 (len + 1023) / 1024, d, strerror(e));
		break;
	default:
		snprintf(why, sizeof why, "cannot %s in %s: %s", step, d,
			 strerror(e));
		break;
	}
	snprintf(err, errlen, "cannot save the snapshot to %s: %s%s", p, why,
		 existed ? "; the earlier file is unchanged" : "");
}

/* ".ramtop-HOST-": the start of our temporary names.  The host name
 * (letters, digits, '.', '-' and '_' kept, 40 at most) keeps two hosts
 * sharing a directory (NFS) from taking each other's files for stale. */
static void
snapshot_tmp_prefix(char *buf, size_t len)
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
snapshot_tmp_pid(const char *s)
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
 * the instant between naming a finished snapshot and renaming it:
 * .ramtop-HOST-PID-N.tmp of this host, owned by us, a plain file with
 * one link, whose PID is no longer running.  Once per directory and
 * run: a directory is read only at its first save.
 */
static void
snapshot_reap_stale(int dfd, const char *dir)
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
	snapshot_tmp_prefix(prefix, sizeof prefix);
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
		pid = snapshot_tmp_pid(de->d_name + plen);
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
snapshot_tmp_name(int dfd, char *tmp, size_t len, int fd)
{
	static unsigned seq;
	char fdpath[64], prefix[80];
	int i, r = -EEXIST;

	snapshot_tmp_prefix(prefix, sizeof prefix);
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

int
snapshot_write_buf(const char *path, const char *buf, size_t len, char *err,
		   size_t errlen)
{
	char dir[PATH_MAX], tmp[160], p[PATH_MAX];
	const char *slash, *base;
	struct stat st;
	mode_t mode = 0600;
	int dfd, fd = -1, e = 0, existed = 0, anon, named = 0, r;

	if (path == NULL || path[0] == '\0') {
		snprintf(err, errlen, "cannot save the snapshot: no file name");
		return -EINVAL;
	}
	snapshot_show(p, sizeof p, path);
	if (strlen(path) >= sizeof dir) {
		snprintf(err, errlen, "cannot save the snapshot to %s: %s", p,
			 strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	slash = strrchr(path, '/');
	if (slash == NULL) {
		snprintf(dir, sizeof dir, ".");
		base = path;
	} else {
		snprintf(dir, sizeof dir, "%.*s",
			 slash == path ? 1 : (int)(slash - path), path);
		base = slash + 1;
	}
	if (base[0] == '\0' || strcmp(base, ".") == 0 ||
	    strcmp(base, "..") == 0) {
		snprintf(err, errlen,
			 "cannot save the snapshot to %s: that names a "
			 "directory; give a file name",
			 p);
		return -EISDIR;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		e = errno;
		snapshot_write_err(err, errlen, path, dir, e,
				   "open the directory", len, 0);
		return -e;
	}
	snapshot_reap_stale(dfd, dir);
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			snprintf(err, errlen,
				 "cannot save the snapshot to %s: it is a "
				 "symbolic link, and ramtop never writes "
				 "through one; remove it or choose another "
				 "name",
				 p);
			close(dfd);
			return -ELOOP;
		}
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, errlen,
				 "cannot save the snapshot to %s: it exists "
				 "and is not a regular file",
				 p);
			close(dfd);
			return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		}
		existed = 1;
		mode = st.st_mode & 0777;
	} else if (errno != ENOENT) {
		e = errno;
		snapshot_write_err(err, errlen, path, dir, e, "look up the file",
				   len, 0);
		close(dfd);
		return -e;
	}

	/* The data goes to an unnamed file (O_TMPFILE): killed while
	 * writing, ramtop leaves nothing behind.  It is given a temporary
	 * name (linkat through /proc/self/fd) only once complete, just
	 * before the rename.  Where either fails, the data is written
	 * again to a named temporary file. */
	for (anon = 1; anon >= 0; anon--) {
		named = 0;
		fd = -1;
		if (anon)
			fd = openat(dfd, ".", O_WRONLY | O_TMPFILE | O_CLOEXEC,
				    0600);
		else
			fd = snapshot_tmp_name(dfd, tmp, sizeof tmp, -1);
		if (fd < 0) {
			if (anon)
				continue;
			e = -fd;
			snapshot_write_err(err, errlen, path, dir, e,
					   "create a temporary file", len,
					   existed);
			close(dfd);
			return -e;
		}
		named = !anon;
		/* Replacing a file keeps its permissions; a new one is
		 * 0600 (it holds command lines). */
		if (existed)
			(void)fchmod(fd, mode);
		e = -snapshot_write_all(fd, buf, len);
		if (e == 0 && fsync(fd) < 0)
			e = errno;
		if (e == 0 && anon) {
			r = snapshot_tmp_name(dfd, tmp, sizeof tmp, fd);
			if (r < 0) {
				close(fd);
				continue;	/* no /proc: a named file */
			}
			named = 1;
		}
		if (close(fd) < 0 && e == 0)
			e = errno;
		break;
	}
	if (e != 0) {
		snapshot_write_err(err, errlen, path, dir, e,
				   "write a temporary file", len, existed);
		if (named)
			(void)unlinkat(dfd, tmp, 0);
		close(dfd);
		return -e;
	}
	/* rename() replaces the name itself: it never follows a symbolic
	 * link that appeared there since the check above. */
	if (renameat(dfd, tmp, dfd, base) < 0) {
		e = errno;
		snapshot_write_err(err, errlen, path, dir, e,
				   "rename the temporary file", len, existed);
		(void)unlinkat(dfd, tmp, 0);
		close(dfd);
		return -e;
	}
	if (fsync(dfd) < 0 && errno != EINVAL && errno != EROFS) {
		e = errno;
		snprintf(err, errlen,
			 "saved %s, but syncing its directory failed: %s", p,
			 strerror(e));
		close(dfd);
		return -e;
	}
	close(dfd);
	err[0] = '\0';
	return 0;
}

int
snapshot_write(const char *path, const struct snapshot_meta *meta,
	       const struct phases *ph, size_t *bytes, char *err,
	       size_t errlen)
{
	json_t *root;
	char *s;
	size_t len;
	int r;

	root = snapshot_build(meta, ph);
	s = root ? json_dumps(root, JSON_INDENT(1) | JSON_REAL_PRECISION(10))
		 : NULL;
	json_decref(root);
	if (s == NULL) {
		snprintf(err, errlen,
			 "cannot save the snapshot: out of memory");
		return -ENOMEM;
	}
	len = strlen(s);
	s[len] = '\0';
	/* json_dumps leaves no final newline: add one. */
	{
		char *t = realloc(s, len + 2);

		if (t == NULL) {
			free(s);
			snprintf(err, errlen,
				 "cannot save the snapshot: out of memory");
			return -ENOMEM;
		}
		s = t;
		s[len++] = '\n';
		s[len] = '\0';
	}
	r = snapshot_write_buf(path, s, len, err, errlen);
	free(s);
	if (r == 0 && bytes != NULL)
		*bytes = len;
	return r;
}

/* ---- reading ---------------------------------------------------------- */

/* Printable ASCII only: jansson quotes raw bytes of the input. */
static void
snapshot_ascii(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}

void
snapshot_free(struct snapshot *s)
{
	phases_free(&s->ph);
	free(s->pids);
	json_decref(s->root);
	memset(s, 0, sizeof *s);
}

static int
snapshot_bad(char *err, size_t errlen, const char *name, const char *what)
{
	snprintf(err, errlen, "%s is not a valid ramtop snapshot: %s", name,
		 what);
	return -EINVAL;
}

static int
snapshot_header(struct snapshot *s, const char *name, char *err,
		size_t errlen)
{
	char e[512], w[64];
	json_t *v, *host, *target, *a;
	long long x;
	size_t i;

#define CHECK(call)                                                            \
	if ((call) < 0)                                                        \
		return snapshot_bad(err, errlen, name, e);
	CHECK(jcheck(s->root, "", "ramtop_version", JC_STR, &v, e, sizeof e))
	s->ramtop_version = json_string_value(v);
	CHECK(jcheck(s->root, "", "created", JC_STR, &v, e, sizeof e))
	s->created = json_string_value(v);
	CHECK(jcheck(s->root, "", "host", JC_OBJ, &host, e, sizeof e))
	CHECK(jcheck(host, "host", "hostname", JC_STR, &v, e, sizeof e))
	s->hostname = json_string_value(v);
	CHECK(jcheck(host, "host", "kernel", JC_STR, &v, e, sizeof e))
	s->kernel = json_string_value(v);
	CHECK(jcheck_kb(host, "host", "page_size", 0, -1, &x, e, sizeof e))
	s->page_size = (long)x;
	CHECK(jcheck_kb(host, "host", "mem_total_kb", 0, -1, &s->mem_total_kb,
			e, sizeof e))
	CHECK(jcheck(s->root, "", "target", JC_OBJ, &target, e, sizeof e))
	CHECK(jcheck(target, "target", "pids", JC_ARR, &a, e, sizeof e))
	s->pids = calloc(json_array_size(a) + 1, sizeof *s->pids);
	if (s->pids == NULL) {
		snprintf(err, errlen, "cannot read %s: out of memory", name);
		return -ENOMEM;
	}
	for (i = 0; i < json_array_size(a); i++) {
		v = json_array_get(a, i);
		if (!json_is_integer(v)) {
			snprintf(w, sizeof w, "target.pids[%zu] is %s, expected "
					      "an integer",
				 i, jcheck_what(v));
			return snapshot_bad(err, errlen, name, w);
		}
		s->pids[s->npids++] = (int)json_integer_value(v);
	}
	CHECK(jcheck(target, "target", "command", JC_STR | JC_NULL, &v, e,
		     sizeof e))
	s->command = json_is_string(v) ? json_string_value(v) : NULL;
#undef CHECK
	return 0;
}

int
snapshot_parse(const char *buf, size_t len, const char *name,
	       struct snapshot *s, char *err, size_t errlen)
{
	char e[512], w[32], shown[PATH_MAX];
	json_error_t je;
	json_t *v, *phases;
	size_t i;
	int r;

	memset(s, 0, sizeof *s);
	phases_init(&s->ph);
	name = snapshot_show(shown, sizeof shown, name);
	if (len == 0) {
		snprintf(err, errlen, "%s is empty, not a ramtop snapshot", name);
		return -EINVAL;
	}
	s->root = json_loadb(buf, len, 0, &je);
	if (s->root == NULL) {
		snapshot_ascii(je.text);
		snprintf(err, errlen,
			 "%s is not valid JSON (line %d, column %d: %s); "
			 "a ramtop snapshot is a JSON file",
			 name, je.line, je.column, je.text);
		return -EINVAL;
	}
	if (!json_is_object(s->root)) {
		snprintf(err, errlen,
			 "%s is not a ramtop snapshot: its top level is %s, "
			 "not an object",
			 name, jcheck_what(s->root));
		goto bad;
	}
	v = json_object_get(s->root, "format");
	if (v == NULL) {
		snprintf(err, errlen,
			 "%s is not a ramtop snapshot: it has no \"format\" "
			 "field",
			 name);
		goto bad;
	}
	if (!json_is_string(v) ||
	    strcmp(json_string_value(v), SNAPSHOT_FORMAT) != 0) {
		if (json_is_string(v)) {
			snprintf(e, sizeof e, "%.64s", json_string_value(v));
			snapshot_ascii(e);
		} else {
			snprintf(e, sizeof e, "%s", jcheck_what(v));
		}
		snprintf(err, errlen,
			 "%s is not a ramtop snapshot: its format is %s%s%s, "
			 "not \"%s\"",
			 name, json_is_string(v) ? "\"" : "", e,
			 json_is_string(v) ? "\"" : "", SNAPSHOT_FORMAT);
		goto bad;
	}
	if (jcheck(s->root, "", "version", JC_INT, &v, e, sizeof e) < 0) {
		snapshot_bad(err, errlen, name, e);
		goto bad;
	}
	s->version = (long)json_integer_value(v);
	if (s->version > SNAPSHOT_VERSION) {
		snprintf(err, errlen,
			 "%s is a version %ld ramtop snapshot, newer than this "
			 "ramtop (%s) reads (version %d); use a newer ramtop",
			 name, s->version, PACKAGE_VERSION, SNAPSHOT_VERSION);
		goto bad;
	}
	if (s->version < 1) {
		snprintf(e, sizeof e, "version %ld does not exist (the first "
				      "is 1)",
			 s->version);
		snapshot_bad(err, errlen, name, e);
		goto bad;
	}
	r = snapshot_header(s, name, err, errlen);
	if (r < 0) {
		snapshot_free(s);
		return r;
	}
	if (jcheck(s->root, "", "phases", JC_ARR, &phases, e, sizeof e) < 0) {
		snapshot_bad(err, errlen, name, e);
		goto bad;
	}
	if (json_array_size(phases) == 0) {
		snapshot_bad(err, errlen, name,
			     "it has no phases (there is always phase 0)");
		goto bad;
	}
	for (i = 0; i < json_array_size(phases); i++) {
		snprintf(w, sizeof w, "phases[%zu]", i);
		r = phases_add_json(&s->ph, json_array_get(phases, i), w, e,
				    sizeof e);
		if (r == -ENOMEM) {
			snprintf(err, errlen, "cannot read %s: out of memory",
				 name);
			snapshot_free(s);
			return r;
		}
		if (r < 0) {
			snapshot_bad(err, errlen, name, e);
			goto bad;
		}
	}
	return 0;
bad:
	snapshot_free(s);
	return -EINVAL;
}

int
snapshot_read(const char *path, struct snapshot *s, char *err, size_t errlen)
{
	char shown[PATH_MAX], *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	struct stat st;
	ssize_t n;
	int fd, e, r;

	memset(s, 0, sizeof *s);
	snapshot_show(shown, sizeof shown, path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "cannot open %s: %s", shown, strerror(e));
		return -e;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		snprintf(err, errlen, "%s is a directory, not a snapshot file",
			 shown);
		return -EISDIR;
	}
	for (;;) {
		if (len == cap) {
			if ((long long)cap >= SNAPSHOT_MAX_BYTES) {
				snprintf(err, errlen,
					 "%s is larger than a snapshot can be "
					 "(%lld MiB)",
					 shown, SNAPSHOT_MAX_BYTES >> 20);
				free(buf);
				close(fd);
				return -EFBIG;
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				close(fd);
				snprintf(err, errlen, "cannot read %s: out of "
						      "memory",
					 shown);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			free(buf);
			close(fd);
			snprintf(err, errlen, "cannot read %s: %s", shown,
				 strerror(e));
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	r = snapshot_parse(buf, len, path, s, err, errlen);
	free(buf);
	return r;
}
