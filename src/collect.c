/*
 * collect.c - the collector: reads /proc.  The one file that enumerates
 * processes (each /proc/PID/stat, parsed by procfs.c's stat_parse); the
 * text files are read into one reusable buffer per kind and parsed by
 * smaps.c, region.c and procfs.c.
 * A process's files are opened relative to its /proc/PID directory, kept
 * open in a small cache, so the path is looked up once, not per file.
 * The cache takes at most a quarter of RLIMIT_NOFILE (none under 16), and
 * when descriptors run out (EMFILE, ENFILE) it is emptied and the file is
 * opened by its path: a low limit costs speed, not figures.
 * Enumeration is its own, not libproc2's: libproc2's reap stat()s every
 * /proc/PID, reads stat in two read()s and parses it with sscanf, which
 * was 61% of a steady all-processes sample (issue 13); the scan here
 * opens stat once by a path relative to /proc and reads it once.
 * smaps is parsed as it is read, a buffer at a time: its size (75 MB for
 * 100,000 mappings) never has to fit in memory.
 *
 * Why one file of ~1,000 lines: it is the one reader of the kernel (the
 * layering rule, tests/layers.sh), and its parts share the descriptor
 * cache and the reusable buffers; what it reads is parsed elsewhere.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "collect.h"

#define PF_KTHREAD 0x00200000UL

struct collect_buf {
	char *p;
	size_t len, cap;
};

/* smaps is read this much at a time (a line longer grows it). */
#ifndef COLLECT_CHUNK
#define COLLECT_CHUNK (64 * 1024)
#endif
/* A small file bigger than this (a huge cmdline) does not keep its
 * buffer: the next read starts small again. */
#define COLLECT_SMALL_KEEP (256 * 1024)
/* A recording (--replay) holds what its maker put there: only regular
 * files are read (a FIFO, /dev/zero or /dev/urandom is refused, opened
 * without blocking), smaps up to this size, every other file up to the
 * next (ramtop(1), "--replay"). */
#define COLLECT_REPLAY_SMAPS_MAX ((off_t)1 << 30)
#define COLLECT_REPLAY_SMALL_MAX ((off_t)16 << 20)
/* Open /proc/PID directories kept, by pid modulo this. */
#define COLLECT_NDIRS 128
/* The scan's entries are kept for the most processes seen.  Once that
 * is more than twice the current count plus this, the array is given
 * back, so a passing burst of processes elsewhere on the system does not
 * leave its memory with us for good. */
#define COLLECT_SHRINK_SLACK 512

struct collect_dir {
	int pid;
	int fd; /* O_PATH descriptor of /proc/PID, -1 if none */
};

struct collector {
	DIR *proc;	 /* /proc, kept open and rewound at each scan */
	size_t last;	 /* processes at the last scan */
	char *replay;	 /* the recorded /proc, or NULL */
	int frames;	 /* replay holds 0/, 1/, ... */
	long frame;	 /* the one being read */
	char root[4096]; /* "/proc", or the recorded one */
	struct scan_ent *ents;
	size_t cap;
	struct collect_buf small; /* status, rollup, cmdline, meminfo */
	struct collect_buf big;	  /* smaps, one chunk at a time */
	struct collect_dir dirs[COLLECT_NDIRS];
	int ndirs; /* slots in use: fewer under a low RLIMIT_NOFILE */
	unsigned int tmpfs_devs[64][2];
	size_t n_tmpfs_devs;
	int tmpfs_read;
};

/* Directory slots for this RLIMIT_NOFILE: a quarter of it, at most
 * COLLECT_NDIRS; none below 4 (16 descriptors). */
static int
collect_ndirs(void)
{
	struct rlimit rl;
	rlim_t q;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return COLLECT_NDIRS;
	q = rl.rlim_cur / 4;
	if (q < 4)
		return 0;
	return q < COLLECT_NDIRS ? (int)q : COLLECT_NDIRS;
}

static int
collect_out_of_fds(int err)
{
	return err == EMFILE || err == ENFILE;
}

struct collector *
collect_new(void)
{
	struct collector *c;
	int r;

	c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	for (r = 0; r < COLLECT_NDIRS; r++)
		c->dirs[r].fd = -1;
	c->ndirs = collect_ndirs();
	snprintf(c->root, sizeof c->root, "/proc");
	c->proc = opendir("/proc");
	if (c->proc == NULL) {
		r = errno;
		free(c);
		errno = r;
		return NULL;
	}
	return c;
}

static void
collect_dirs_close(struct collector *c)
{
	int i;

	for (i = 0; i < COLLECT_NDIRS; i++) {
		if (c->dirs[i].fd >= 0)
			close(c->dirs[i].fd);
		c->dirs[i].fd = -1;
	}
}

void
collect_free(struct collector *c)
{
	if (c == NULL)
		return;
	collect_dirs_close(c);
	if (c->proc != NULL)
		closedir(c->proc);
	free(c->replay);
	free(c->ents);
	free(c->small.p);
	free(c->big.p);
	free(c);
}

/*
 * After a burst of processes: a fresh entry array, and the freed memory
 * handed back (it sits in the middle of the heap, which free() alone
 * does not return).
 */
static void
collect_shrink(struct collector *c)
{
	free(c->ents);
	c->ents = NULL;
	c->cap = 0;
#ifdef HAVE_MALLOC_TRIM
	malloc_trim(0);
#endif
}

/* Room for n scan entries, growing at least twofold (the replay scan
 * asks one entry at a time).  Returns 0 or -ENOMEM. */
static int
collect_ents(struct collector *c, size_t n)
{
	struct scan_ent *e;
	size_t cap;

	if (n <= c->cap)
		return 0;
	cap = n > 2 * c->cap ? n : 2 * c->cap;
	e = realloc(c->ents, cap * sizeof *e);
	if (e == NULL)
		return -ENOMEM;
	c->ents = e;
	c->cap = cap;
	return 0;
}

static int collect_read_pid(struct collector *c, int pid, const char *file,
			    struct collect_buf *b);

/*
 * A recorded /proc: DIR/PID/stat for every process, or DIR/0/, DIR/1/,
 * ... one frame per scan (the last one repeats).  Frames let a test show
 * ramtop what the kernel cannot be made to do on cue, such as a pid
 * taken by a new process between two samples.
 */
int
collect_replay(struct collector *c, const char *dir)
{
	struct stat st;
	char path[sizeof c->root];

	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (strlen(dir) + 24 >= sizeof c->root)
		return -ENAMETOOLONG;
	free(c->replay);
	c->replay = strdup(dir);
	if (c->replay == NULL)
		return -ENOMEM;
	snprintf(path, sizeof path, "%s/0", dir);
	c->frames = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	c->frame = -1;
	snprintf(c->root, sizeof c->root, "%s", dir);
	collect_dirs_close(c);
	c->tmpfs_read = 0;
	return 0;
}

/* Step to the next frame, if there is one; the cached directories
 * belong to the old one. */
static void
collect_replay_step(struct collector *c)
{
	struct stat st;
	char path[sizeof c->root];

	if (!c->frames)
		return;
	snprintf(path, sizeof path, "%s/%ld", c->replay, c->frame + 1);
	if (c->frame >= 0 && stat(path, &st) < 0)
		return;
	c->frame++;
	snprintf(c->root, sizeof c->root, "%s", path);
	collect_dirs_close(c);
}

/* Entry i from the stat line in c->small: 0, or -1 (not a process, or
 * out of memory: then -ENOMEM in *err). */
static int
collect_ent(struct collector *c, size_t i, long pid, int *err)
{
	struct stat_info si;
	struct scan_ent *e;

	if (stat_parse(c->small.p, c->small.len, &si) < 0 || si.pid != pid)
		return -1;
	if (collect_ents(c, i + 1) < 0) {
		*err = -ENOMEM;
		return -1;
	}
	e = &c->ents[i];
	e->pid = si.pid;
	e->ppid = si.ppid;
	e->start_time = si.start_time;
	e->state = si.state;
	e->kthread = (si.flags & PF_KTHREAD) != 0;
	memcpy(e->comm, si.comm, sizeof si.comm);
	/* A recording's frames change status without its stat saying so. */
	e->sig_known = c->replay == NULL && si.sig_known;
	e->rss_pages = si.rss_pages;
	e->vsize = si.vsize;
	e->faults = si.minflt;
	e->code_start = si.code_start;
	e->stack_start = si.stack_start;
	return 0;
}

int
collect_scan(struct collector *c, const struct scan_ent **ents, size_t *n,
	     collect_each_fn each, void *arg)
{
	struct dirent *de;
	char *end;
	long pid;
	DIR *d;
	int r = 0;

	*n = 0;
	*ents = c->ents;
	if (c->replay != NULL) {
		collect_replay_step(c);
		d = opendir(c->root);
		if (d == NULL)
			return -errno;
	} else {
		if (c->cap > 2 * c->last + COLLECT_SHRINK_SLACK)
			collect_shrink(c);
		d = c->proc;
		rewinddir(d);
	}
	while (r == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		pid = strtol(de->d_name, &end, 10);
		if (*end != '\0' || pid > INT_MAX)
			continue;
		if (collect_read_pid(c, (int)pid, "stat", &c->small) < 0)
			continue; /* gone */
		if (collect_ent(c, *n, pid, &r) == 0) {
			if (each != NULL)
				each(arg, &c->ents[*n]);
			(*n)++;
		}
	}
	if (d != c->proc)
		closedir(d);
	c->last = *n;
	*ents = c->ents;
	return r;
}

/*
 * Read the rest of fd into b (grown as needed), at most c_replay_cap
 * bytes when that is not 0 (a recording's file).  once: a short read is
 * the end (a file of /proc/PID the kernel writes whole at each read:
 * stat, status, cmdline, cgroup, oom_score, smaps_rollup), which saves
 * the read that would return 0.  Returns 0 or -errno.  The buffer is
 * NUL-terminated for convenience.  fd is closed.
 */
static int
collect_read_fd(int fd, struct collect_buf *b, size_t c_replay_cap, int once)
{
	size_t want;

	ssize_t r;
	size_t cap;
	char *np;
	int err;

	if (b->cap > COLLECT_SMALL_KEEP) {
		free(b->p);
		b->p = NULL;
		b->cap = 0;
	}
	b->len = 0;
	for (;;) {
		if (b->cap - b->len < 4096 + 1) {
			cap = b->cap ? b->cap * 2 : 65536;
			np = realloc(b->p, cap);
			if (np == NULL) {
				close(fd);
				return -ENOMEM;
			}
			b->p = np;
			b->cap = cap;
		}
		want = b->cap - b->len - 1;
		r = read(fd, b->p + b->len, want);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			close(fd);
			return -err;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
		if (c_replay_cap != 0 && b->len > c_replay_cap) {
			close(fd);
			return -EFBIG;
		}
		if (once && (size_t)r < want)
			break;
	}
	close(fd);
	b->p[b->len] = '\0';
	return 0;
}

/* The flags files are opened with: a recording's without blocking (a
 * FIFO there must not hang ramtop; collect_replay_fd refuses it). */
static int
collect_oflags(const struct collector *c)
{
	return O_RDONLY | O_CLOEXEC |
	       (c->replay != NULL ? O_NONBLOCK | O_NOCTTY : 0);
}

/* A file of a recording: a regular file within its size cap, or it is
 * closed and -EINVAL (not a regular file) / -EFBIG returned. */
static int
collect_replay_fd(const struct collector *c, int fd, const char *file)
{
	struct stat st;
	off_t max = strcmp(file, "smaps") == 0 ? COLLECT_REPLAY_SMAPS_MAX
					       : COLLECT_REPLAY_SMALL_MAX;

	if (c->replay == NULL || fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > max) {
		close(fd);
		return S_ISREG(st.st_mode) ? -EFBIG : -EINVAL;
	}
	return fd;
}

/* How much of a small file is read: a recording's is capped. */
static size_t
collect_small_cap(const struct collector *c)
{
	return c->replay != NULL ? (size_t)COLLECT_REPLAY_SMALL_MAX : 0;
}

/* A stop signal waiting (they are blocked outside loop_wait()): a long
 * read of a recording gives up so that ramtop ends in bounded time. */
static int
collect_stop_pending(void)
{
	sigset_t p;

	return sigpending(&p) == 0 &&
	       (sigismember(&p, SIGTERM) == 1 || sigismember(&p, SIGINT) == 1 ||
		sigismember(&p, SIGHUP) == 1 || sigismember(&p, SIGQUIT) == 1);
}

/* Open path (relative to dfd, or AT_FDCWD) for reading; out of
 * descriptors, empty the directory cache and try once more.  Returns a
 * descriptor or -errno. */
static int
collect_open_at(struct collector *c, int dfd, const char *path)
{
	const char *base = strrchr(path, '/');
	int fd;

	fd = openat(dfd, path, collect_oflags(c));
	if (fd < 0 && collect_out_of_fds(errno)) {
		collect_dirs_close(c);
		fd = openat(dfd, path, collect_oflags(c));
	}
	if (fd < 0)
		return -errno;
	return collect_replay_fd(c, fd, base != NULL ? base + 1 : path);
}

/* Read a whole file by path into b.  Returns 0 or -errno. */
static int
collect_read(struct collector *c, const char *path, struct collect_buf *b)
{
	int fd;

	fd = collect_open_at(c, AT_FDCWD, path);
	if (fd < 0)
		return fd;
	return collect_read_fd(fd, b, collect_small_cap(c), 0);
}

/* The cached /proc/PID directory of pid, opened if need be (again if
 * fresh).  Returns a descriptor or -errno. */
static int
collect_pid_dir(struct collector *c, int pid, int fresh)
{
	struct collect_dir *d;
	char path[sizeof c->root + 16];

	if (c->ndirs == 0)
		return -EMFILE;
	d = &c->dirs[(unsigned)pid % (unsigned)c->ndirs];
	if (d->fd >= 0 && d->pid == pid && !fresh)
		return d->fd;
	if (d->fd >= 0)
		close(d->fd);
	snprintf(path, sizeof path, "%s/%d", c->root, pid);
	d->pid = pid;
	d->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return d->fd >= 0 ? d->fd : -errno;
}

/* /proc/PID/file by its path (relative to the kept /proc when live): no
 * cached directory, or no descriptor to spare for one.  Returns a
 * descriptor or -errno (-ESRCH: gone). */
static int
collect_open_pid_path(struct collector *c, int pid, const char *file)
{
	char path[sizeof c->root + 64];
	int fd;

	if (c->replay != NULL) {
		snprintf(path, sizeof path, "%s/%d/%s", c->root, pid, file);
		fd = collect_open_at(c, AT_FDCWD, path);
		return fd == -ENOENT ? -ENODATA : fd;
	}
	snprintf(path, sizeof path, "%d/%s", pid, file);
	fd = collect_open_at(c, dirfd(c->proc), path);
	return fd == -ENOENT ? -ESRCH : fd;
}

/*
 * Open /proc/PID/file for reading.  A cached directory whose process has
 * exited fails with ENOENT; the pid may belong to a new process now, so
 * the directory is opened again once, as a path lookup would.  Returns a
 * descriptor or -errno; a process that is gone gives -ESRCH.
 */
static int
collect_open_pid(struct collector *c, int pid, const char *file)
{
	int dfd, fd, fresh;

	for (fresh = 0; fresh < 2; fresh++) {
		dfd = collect_pid_dir(c, pid, fresh);
		if (dfd < 0 && collect_out_of_fds(-dfd))
			return collect_open_pid_path(c, pid, file);
		if (dfd < 0)
			return dfd == -ENOENT ? -ESRCH : dfd;
		fd = openat(dfd, file, collect_oflags(c));
		if (fd >= 0)
			return collect_replay_fd(c, fd, file);
		if (collect_out_of_fds(errno))
			return collect_open_pid_path(c, pid, file);
		/* A recording may lack a file; its process is there. */
		if (c->replay != NULL)
			return errno == ENOENT ? -ENODATA : -errno;
		if (errno != ENOENT && errno != ESRCH)
			return -errno;
	}
	return -ESRCH;
}

/* Is the cached directory of pid open (a read through it costs one
 * open, by path two more: the directory's and its close)? */
static int
collect_pid_cached(const struct collector *c, int pid)
{
	const struct collect_dir *d;

	if (c->ndirs == 0)
		return 0;
	d = &c->dirs[(unsigned)pid % (unsigned)c->ndirs];
	return d->fd >= 0 && d->pid == pid;
}

/*
 * Read /proc/PID/file into b.  The small files read for every process
 * (status, cmdline, cgroup, oom_score...) are opened by path unless the
 * process's directory is already cached: with more processes than the
 * cache holds, caching each one's directory would cost two more system
 * calls per process per scan (the scan itself has just checked the pid's
 * start time).  smaps_rollup, read again and again for the processes in
 * view, goes through the cache.
 */
static int
collect_read_pid(struct collector *c, int pid, const char *file,
		 struct collect_buf *b)
{
	int fd, r;

	if (c->replay == NULL && b == &c->small &&
	    strcmp(file, "smaps_rollup") != 0 && !collect_pid_cached(c, pid))
		fd = collect_open_pid_path(c, pid, file);
	else
		fd = collect_open_pid(c, pid, file);
	if (fd < 0)
		return fd;
	r = collect_read_fd(fd, b, collect_small_cap(c), c->replay == NULL);
	/* A process that exited mid-read: ESRCH on read. */
	if (r == -ENOENT)
		r = -ESRCH;
	return r;
}

int
collect_status(struct collector *c, int pid, struct status_info *out)
{
	int r;

	r = collect_read_pid(c, pid, "status", &c->small);
	if (r < 0)
		return r;
	if (status_parse(c->small.p, c->small.len, out) < 0)
		return -ESRCH; /* empty status: the process is gone */
	return 0;
}

int
collect_rollup(struct collector *c, int pid, struct smaps_mapping *out)
{
	int r;

	r = collect_read_pid(c, pid, "smaps_rollup", &c->small);
	if (r < 0)
		return r;
	/* An exited (zombie) or kernel thread's rollup is empty. */
	if (c->small.len == 0)
		return -ESRCH;
	if (smaps_parse_rollup(c->small.p, c->small.len, out) < 0)
		return -EIO;
	return 0;
}

static void
collect_tmpfs(struct collector *c)
{
	char path[sizeof c->root + 16];

	if (c->tmpfs_read)
		return;
	c->tmpfs_read = 1;
	snprintf(path, sizeof path, "%s/self/mountinfo",
		 c->replay ? c->replay : "/proc");
	if (collect_read(c, path, &c->small) < 0)
		return;
	c->n_tmpfs_devs =
		mountinfo_tmpfs(c->small.p, c->small.len, c->tmpfs_devs, 64);
}

/*
 * Read smaps from fd into the builder a chunk at a time; fd is closed.
 * An empty smaps is -ESRCH: a process whose memory is gone (it exited
 * after its status was read) has no mappings to show, not zero of each.
 */
static int
collect_smaps_fd(struct collector *c, int fd, struct region_build *rb)
{
	struct collect_buf *b = &c->big;
	size_t used, total = 0;
	ssize_t r;
	char *np;
	int err = 0;

	if (b->cap < COLLECT_CHUNK) {
		np = realloc(b->p, COLLECT_CHUNK);
		if (np == NULL) {
			close(fd);
			return -ENOMEM;
		}
		b->p = np;
		b->cap = COLLECT_CHUNK;
	}
	b->len = 0;
	for (;;) {
		r = read(fd, b->p + b->len, b->cap - b->len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		b->len += (size_t)r;
		total += (size_t)r;
		if (c->replay != NULL &&
		    (total > (size_t)COLLECT_REPLAY_SMAPS_MAX ||
		     collect_stop_pending())) {
			err = total > (size_t)COLLECT_REPLAY_SMAPS_MAX ? -EFBIG
								       : -EINTR;
			break;
		}
		/* Parse when the buffer is nearly full (the kernel hands
		 * smaps out about a page per read) or at the end. */
		if (r > 0 && b->cap - b->len >= 8192)
			continue;
		if (region_build_feed(rb, b->p, b->len, &used) < 0) {
			err = -ENOMEM;
			break;
		}
		memmove(b->p, b->p + used, b->len - used);
		b->len -= used;
		if (r == 0) {
			if (total == 0)
				err = -ESRCH;
			break;
		}
		if (b->len == b->cap) {
			/* One line longer than the buffer: make room. */
			if (b->cap >= ((size_t)64 << 20)) {
				err = -EIO;
				break;
			}
			np = realloc(b->p, b->cap * 2);
			if (np == NULL) {
				err = -ENOMEM;
				break;
			}
			b->p = np;
			b->cap *= 2;
		}
	}
	close(fd);
	return err;
}

/* region_ctx.same_file: the file at path, seen from the process's own
 * root (its mount namespace), is the mapping's (dev, inode)? */
struct collect_same {
	struct collector *c;
	int pid;
};

static int
collect_same_file(void *arg, const char *path, unsigned major, unsigned minor,
		  unsigned long inode)
{
	const struct collect_same *cs = arg;
	char full[sizeof cs->c->root + 4096 + 32];
	struct stat st;

	snprintf(full, sizeof full, "%s/%d/root%s", cs->c->root, cs->pid, path);
	if (stat(full, &st) < 0)
		return 0;
	return st.st_ino == inode && major(st.st_dev) == major &&
	       minor(st.st_dev) == minor;
}

int
collect_smaps(struct collector *c, int pid, struct region_set *out, int opts)
{
	struct collect_same same = { c, pid };
	struct region_build *rb;
	struct region_ctx ctx;
	struct timespec t0, t1;
	int fd, r;

	memset(out, 0, sizeof *out);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	collect_tmpfs(c);
	fd = collect_open_pid(c, pid, "smaps");
	if (fd < 0)
		return fd;
	ctx.tmpfs_devs = (const unsigned int(*)[2])c->tmpfs_devs;
	ctx.n_tmpfs_devs = c->n_tmpfs_devs;
	/* A recording has no files to ask: the name decides there. */
	ctx.same_file = c->replay == NULL ? collect_same_file : NULL;
	ctx.same_file_arg = &same;
	rb = region_build_begin(&ctx, opts);
	if (rb == NULL) {
		close(fd);
		return -ENOMEM;
	}
	r = collect_smaps_fd(c, fd, rb);
	if (r < 0) {
		region_build_abort(rb);
		/* A process that exited mid-read: ESRCH on read. */
		return r == -ENOENT ? -ESRCH : r;
	}
	r = region_build_end(rb, c->big.p, c->big.len, out);
	/* What was parsed is done with: keep one chunk, no more. */
	if (c->big.cap > COLLECT_CHUNK) {
		free(c->big.p);
		c->big.p = NULL;
		c->big.cap = 0;
	}
	if (r < 0)
		return r;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
	out->read_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out->read_at = (double)t1.tv_sec + (double)t1.tv_nsec / 1e9;
	return 0;
}

int
collect_cmdline(struct collector *c, int pid, char **out)
{
	size_t i, n;
	int r;

	*out = NULL;
	r = collect_read_pid(c, pid, "cmdline", &c->small);
	if (r < 0)
		return r;
	n = c->small.len;
	while (n > 0 && c->small.p[n - 1] == '\0')
		n--;
	*out = malloc(n + 1);
	if (*out == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		(*out)[i] = c->small.p[i] ? c->small.p[i] : ' ';
	(*out)[n] = '\0';
	return 0;
}

int
collect_system(struct collector *c, struct sysmem *out)
{
	char path[sizeof c->root + 16];
	struct statvfs sv;
	int r;

	/* A recording has no /dev/shm of its own: unknown. */
	out->dev_shm_used = out->dev_shm_size = KB_UNKNOWN;
	if (c->replay == NULL && statvfs("/dev/shm", &sv) == 0) {
		out->dev_shm_used =
			(long long)((sv.f_blocks - sv.f_bfree) *
				    (unsigned long long)sv.f_frsize / 1024);
		out->dev_shm_size =
			(long long)(sv.f_blocks *
				    (unsigned long long)sv.f_frsize / 1024);
	}
	snprintf(path, sizeof path, "%s/meminfo", c->root);
	r = collect_read(c, path, &c->small);
	if (r < 0) {
		meminfo_parse("", 0, &out->mi);
		return r;
	}
	return meminfo_parse(c->small.p, c->small.len, &out->mi);
}

int
collect_visible(struct collector *c, int pid)
{
	char path[sizeof c->root + 16];
	int fd;

	if (c->replay != NULL)
		return 1;
	/* kill(0) finds any process; /proc/PID/stat opens only for one we
	 * may see (hidepid=invisible hides the directory, hidepid=noaccess
	 * refuses its files). */
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return -ESRCH;
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	if (errno != ENOENT && errno != EACCES && errno != EPERM)
		return -errno;
	/* Gone in between, or hidden. */
	return kill(pid, 0) < 0 && errno == ESRCH ? -ESRCH : 0;
}

int
collect_tgid(struct collector *c, int pid)
{
	struct status_info si;
	int r;

	r = collect_status(c, pid, &si);
	if (r < 0)
		return r;
	return si.tgid > 0 ? si.tgid : pid;
}

int
collect_pidns_ok(struct collector *c)
{
	char buf[32];
	ssize_t n;

	if (c->replay != NULL)
		return 1;
	/* /proc/self names ramtop by its pid in /proc's namespace. */
	n = readlink("/proc/self", buf, sizeof buf - 1);
	if (n <= 0)
		return -errno;
	buf[n] = '\0';
	return strtol(buf, NULL, 10) == (long)getpid() ? 1 : 0;
}

/* ---- files outside /proc/PID (cgroups, pressure, /dev/shm) -------- */

/* The path to open for path: itself, or under the recording (frame
 * first when top is 0, the recording's top directory when 1). */
static void
collect_map(const struct collector *c, const char *path, int top, char *out,
	    size_t len)
{
	const char *root = top ? c->replay : c->root;

	if (c->replay == NULL)
		snprintf(out, len, "%s", path);
	else if (strncmp(path, "/proc/", 6) == 0)
		snprintf(out, len, "%s/%s", root, path + 6);
	else
		snprintf(out, len, "%s%s", root, path);
}

int
collect_file(struct collector *c, const char *path, const char **buf,
	     size_t *len)
{
	char p[sizeof c->root + 4096];
	int r;

	collect_map(c, path, 0, p, sizeof p);
	r = collect_read(c, p, &c->small);
	if (r == -ENOENT && c->replay != NULL && c->frames) {
		collect_map(c, path, 1, p, sizeof p);
		r = collect_read(c, p, &c->small);
	}
	if (r < 0)
		return r;
	*buf = c->small.p;
	*len = c->small.len;
	return 0;
}

int
collect_dir_exists(struct collector *c, const char *path)
{
	char p[sizeof c->root + 4096];
	struct stat st;
	int r;

	collect_map(c, path, 0, p, sizeof p);
	r = stat(p, &st) < 0 ? -errno : 0;
	if (r == -ENOENT && c->replay != NULL && c->frames) {
		collect_map(c, path, 1, p, sizeof p);
		r = stat(p, &st) < 0 ? -errno : 0;
	}
	if (r < 0)
		return r;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int
collect_pid_file(struct collector *c, int pid, const char *file,
		 const char **buf, size_t *len)
{
	int r;

	r = collect_read_pid(c, pid, file, &c->small);
	if (r < 0)
		return r;
	*buf = c->small.p;
	*len = c->small.len;
	return 0;
}

int
collect_fs(struct collector *c, const char *path, struct statvfs *out)
{
	if (c->replay != NULL)
		return -ENODATA;
	return statvfs(path, out) < 0 ? -errno : 0;
}

int
collect_replaying(const struct collector *c)
{
	return c->replay != NULL;
}
