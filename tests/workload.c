/*
 * workload.c - test helper: creates each region type (ramtop(1) "REGION
 * TYPES", src/region_classify.c) on cue, so tests can check ramtop's
 * figures against what was made.
 *
 * Why one file of ~2,200 lines: it is one program, built alone (no
 * libramtop, so it cannot share ramtop's bugs), whose commands share one
 * table of regions and children; each command is a short function.
 *
 * Commands come from argv, run in order; if argv holds none, or when the
 * `stdin` command runs, they are read one per line from stdin. Every command
 * prints exactly one line to stdout and flushes it: "ok CMD key=value ..." or
 * "err CMD: reason". A value that may hold spaces (a path, a name) is always
 * the last key of its line and runs to the end of it; control characters in
 * it are written as \n, \t, \\ or \ooo. `workload --help` lists the commands.
 *
 * For tests: a command that maps memory reports addr=, size_kb=, touched_kb=,
 * rss_kb= (read back from /proc/self/smaps) and idx=, which `touch` takes.
 * Private anonymous mappings get an unmapped page either side so they never
 * merge with a neighbour. A fork child inherits our mappings (copy-on-write,
 * so they count in its Rss); fork first for a clean child. `stop` prints its
 * line before it stops: wait for state T in /proc/PID/stat. SIGTERM, SIGINT
 * or SIGHUP end the program (exit 0) after the current command.
 *
 * For soak tests, `churn RATE SECONDS` forks RATE children a second that
 * each map, write and unmap memory for about 20 ms and exit; each is
 * reaped as soon as it has exited (they are not in the list `reap` and
 * `kill` use), and every tick we map a fresh anon region of our own and
 * unmap an old one. Its line says how many it made: churned=N.
 *
 * It may touch: its own memory, files at paths it is given (left in place),
 * the /dev/shm names and weird files it creates (removed at exit), and its
 * own children (killed at exit; they also die with it through
 * PR_SET_PDEATHSIG), and the command in $RAMTOP_MARK_CMD (`mark`). libc,
 * pthread and librt only.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#endif
#ifndef PR_SET_VMA_ANON_NAME
#define PR_SET_VMA_ANON_NAME 0
#endif

/* malloc(1016) takes a chunk of exactly 1 KiB (8-byte header, 16-aligned). */
#define WL_HEAP_CHUNK (1024 - sizeof(size_t))
#define WL_THREAD_TOUCH (64 * 1024)
#define WL_WRITE_CHUNK (1024 * 1024)
#define WL_FILL 0x5a
#define WL_MAX_SIZE (1ULL << 46) /* 64 TiB: far below any overflow */
#define WL_MAX_TOKENS 64
#define WL_LINE_MAX 8192
#define WL_WEIRD_NAME "wl\033[31mred\nline x.dat"

/* Parent-only commands: they would block a fork child before it is ready. */
#define WL_PARENT_ONLY 0x1

struct wl_reply {
	const char *cmd;
	bool failed;
	bool sent;
	size_t len;
	char buf[WL_LINE_MAX];
};

struct wl_cmd {
	const char *name;
	int min_args;
	int max_args; /* -1: any number */
	unsigned flags;
	int (*run)(struct wl_reply *, int, char **);
	const char *usage;
	const char *help;
};

/* A mapping made by a command; `touch` finds it by index or address. */
struct wl_region {
	const char *kind;
	char *addr;
	size_t size;
	size_t touched; /* bytes from addr, page multiple */
	int fd;		/* file regions keep theirs for fstat, else -1 */
	bool writable;
};

/* A name to remove at exit: a POSIX shm name or a file path. */
struct wl_name {
	char *name;
	bool shm;
};

/* A process we forked (via == 0) or one a child of ours forked. */
struct wl_kid {
	pid_t pid;
	pid_t via;
};

static struct {
	size_t page;
	pid_t main_pid;
	int child_fd; /* in a fork child before it is ready: pipe to parent */
	bool in_child;
	bool exit_requested;
	int exit_code;
	unsigned shm_seq;
	void *heap_head; /* heap chunks are chained through their first word */
	struct wl_region *regions;
	size_t nregions, cregions;
	struct wl_name *names;
	size_t nnames, cnames;
	struct wl_kid *kids;
	size_t nkids, ckids;
} wl = { .child_fd = -1 };

static struct {
	pthread_mutex_t lock;
	pthread_cond_t ready_cond;
	pthread_cond_t park; /* never signalled */
	unsigned ready;
	unsigned total;
} wl_thr = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
	PTHREAD_COND_INITIALIZER, 0, 0 };

static volatile sig_atomic_t wl_quit;
static volatile unsigned long wl_sink;

static int wl_dispatch(int, char **);

static void
wl_on_signal(int sig)
{
	wl_quit = sig;
}

static bool
wl_done(void)
{
	return wl_quit != 0 || wl.exit_requested;
}

/* Write control characters and backslashes of in as escapes. */
static const char *
wl_esc(const char *in, char *out, size_t outlen)
{
	const unsigned char *p;
	size_t o = 0;

	for (p = (const unsigned char *)in; *p != '\0' && o + 5 < outlen; p++) {
		if (*p == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if (*p == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
		} else if (*p < 0x20 || *p == 0x7f) {
			snprintf(out + o, outlen - o, "\\%03o", *p);
			o += 4;
		} else
			out[o++] = (char)*p;
	}
	out[o] = '\0';
	return out;
}

static void
wl_vappend(struct wl_reply *r, const char *fmt, va_list ap)
{
	int n;

	if (r->len + 1 >= sizeof r->buf)
		return;
	n = vsnprintf(r->buf + r->len, sizeof r->buf - r->len, fmt, ap);
	if (n < 0)
		return;
	r->len += (size_t)n;
	if (r->len >= sizeof r->buf)
		r->len = sizeof r->buf - 1;
}

/* Append " key=value" to a successful reply. */
static void __attribute__((format(printf, 2, 3)))
wl_kv(struct wl_reply *r, const char *fmt, ...)
{
	va_list ap;

	if (r->failed)
		return;
	if (r->len + 1 < sizeof r->buf) {
		r->buf[r->len++] = ' ';
		r->buf[r->len] = '\0';
	}
	va_start(ap, fmt);
	wl_vappend(r, fmt, ap);
	va_end(ap);
}

/* Make the reply an error; returns -1 so handlers can `return wl_fail()`. */
static int __attribute__((format(printf, 2, 3)))
wl_fail(struct wl_reply *r, const char *fmt, ...)
{
	va_list ap;

	r->failed = true;
	r->len = 0;
	r->buf[0] = '\0';
	va_start(ap, fmt);
	wl_vappend(r, fmt, ap);
	va_end(ap);
	return -1;
}

static int
wl_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One record of the child-to-parent pipe: a type byte, text, a NUL. */
static void
wl_record(int fd, char type, const char *text)
{
	size_t len = strlen(text);
	char *rec = malloc(len + 2);

	if (rec == NULL)
		return;
	rec[0] = type;
	memcpy(rec + 1, text, len + 1);
	(void)wl_write_all(fd, rec, len + 2);
	free(rec);
}

static void
wl_emit(const char *line)
{
	if (wl.child_fd >= 0) {
		wl_record(wl.child_fd, 'L', line);
		return;
	}
	if (fputs(line, stdout) == EOF || fputc('\n', stdout) == EOF ||
	    fflush(stdout) == EOF) {
		if (errno == EPIPE)
			wl_quit = SIGPIPE;
		clearerr(stdout);
	}
}

static void
wl_send(struct wl_reply *r)
{
	static char line[WL_LINE_MAX + 128];

	if (r->sent)
		return;
	r->sent = true;
	if (r->failed)
		snprintf(line, sizeof line, "err %.64s: %s", r->cmd, r->buf);
	else
		snprintf(line, sizeof line, "ok %.64s%s", r->cmd, r->buf);
	wl_emit(line);
}

static void *
wl_grow(void *arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return arr;
	ncap = *cap != 0 ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	p = realloc(arr, ncap * elem);
	if (p == NULL)
		return NULL;
	*cap = ncap;
	return p;
}

static int
wl_name_add(const char *name, bool shm)
{
	struct wl_name *n;
	char *copy;

	n = wl_grow(wl.names, &wl.cnames, wl.nnames + 1, sizeof *n);
	if (n == NULL)
		return -ENOMEM;
	wl.names = n;
	if ((copy = strdup(name)) == NULL)
		return -ENOMEM;
	wl.names[wl.nnames].name = copy;
	wl.names[wl.nnames].shm = shm;
	wl.nnames++;
	return 0;
}

/* Remove the name added last, now (an error path). */
static void
wl_name_drop_last(void)
{
	struct wl_name *n;

	if (wl.nnames == 0)
		return;
	n = &wl.names[--wl.nnames];
	if (n->shm)
		(void)shm_unlink(n->name);
	else
		(void)unlink(n->name);
	free(n->name);
}

static int
wl_kid_add(pid_t pid, pid_t via)
{
	struct wl_kid *k;

	k = wl_grow(wl.kids, &wl.ckids, wl.nkids + 1, sizeof *k);
	if (k == NULL)
		return -ENOMEM;
	wl.kids = k;
	wl.kids[wl.nkids].pid = pid;
	wl.kids[wl.nkids].via = via;
	wl.nkids++;
	return 0;
}

static struct wl_kid *
wl_kid_find(pid_t pid)
{
	size_t i;

	for (i = 0; i < wl.nkids; i++)
		if (wl.kids[i].pid == pid && wl.kids[i].via == 0)
			return &wl.kids[i];
	return NULL;
}

/* Forget a direct child and every descendant it reported. */
static void
wl_kid_forget(pid_t pid)
{
	size_t i, o = 0;

	for (i = 0; i < wl.nkids; i++)
		if (wl.kids[i].pid != pid && wl.kids[i].via != pid)
			wl.kids[o++] = wl.kids[i];
	wl.nkids = o;
}

static void
wl_reap(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static void
wl_kid_kill(pid_t pid)
{
	(void)kill(pid, SIGKILL);
	wl_reap(pid);
	wl_kid_forget(pid);
}

static int
wl_region_add(const char *kind, char *addr, size_t size, int fd,
    bool writable)
{
	struct wl_region *g;

	g = wl_grow(wl.regions, &wl.cregions, wl.nregions + 1, sizeof *g);
	if (g == NULL)
		return -ENOMEM;
	wl.regions = g;
	g = &wl.regions[wl.nregions];
	g->kind = kind;
	g->addr = addr;
	g->size = size;
	g->touched = 0;
	g->fd = fd;
	g->writable = writable;
	return (int)wl.nregions++;
}

/* Parse N, NK, NM or NG (binary units; "KiB", "KB" also taken). */
static int
wl_parse_size(const char *s, size_t *out)
{
	unsigned long long v;
	unsigned shift = 0;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -ERANGE;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	case 't':
	case 'T':
		shift = 40;
		break;
	}
	if (shift != 0) {
		end++;
		if (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0)
			end += strlen(end);
	}
	if (*end != '\0' || v == 0)
		return -EINVAL;
	if (v > (WL_MAX_SIZE >> shift))
		return -ERANGE;
	*out = (size_t)(v << shift);
	return 0;
}

static size_t
wl_page_round(size_t size)
{
	return (size + wl.page - 1) / wl.page * wl.page;
}

/* Parse SIZE and round it up to whole pages. */
static int
wl_arg_size(struct wl_reply *r, const char *s, size_t *out)
{
	char e[128];
	int rc = wl_parse_size(s, out);

	if (rc == -ERANGE)
		return wl_fail(r, "size '%s' is too large (at most 64T)",
		    wl_esc(s, e, sizeof e));
	if (rc != 0)
		return wl_fail(r, "bad size '%s': want N, NK, NM or NG (> 0)",
		    wl_esc(s, e, sizeof e));
	*out = wl_page_round(*out);
	return 0;
}

static int
wl_arg_ulong(struct wl_reply *r, const char *what, const char *s,
    unsigned long lo, unsigned long hi, unsigned long *out)
{
	char e[128], *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end != '\0' || errno != 0 ||
	    v < lo || v > hi)
		return wl_fail(r, "bad %s '%s': want %lu..%lu", what,
		    wl_esc(s, e, sizeof e), lo, hi);
	*out = v;
	return 0;
}

static int
wl_arg_pct(struct wl_reply *r, const char *s, unsigned *pct)
{
	unsigned long v;

	if (wl_arg_ulong(r, "percentage", s, 0, 100, &v) != 0)
		return -1;
	*pct = (unsigned)v;
	return 0;
}

/* The first pct percent of size, in whole pages. */
static size_t
wl_pct_bytes(size_t size, unsigned pct)
{
	return size / wl.page * pct / 100 * wl.page;
}

/* Write one byte per page, or read one, of [addr+from, addr+to). */
static void
wl_touch(char *addr, size_t from, size_t to, bool write)
{
	unsigned long sum = 0;
	size_t off;

	for (off = from; off < to; off += wl.page) {
		if (write)
			((volatile char *)addr)[off] = WL_FILL;
		else
			sum += ((const volatile char *)addr)[off];
	}
	wl_sink += sum;
}

/*
 * A private anonymous mapping with an unmapped page either side, so the
 * kernel cannot merge it with a neighbour and smaps shows it on its own.
 */
static char *
wl_map_private(size_t size)
{
	char *p;

	p = mmap(NULL, size + 2 * wl.page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	(void)munmap(p, wl.page);
	(void)munmap(p + wl.page + size, wl.page);
	return p + wl.page;
}

struct wl_smaps {
	long size_kb;
	long rss_kb;
	long locked_kb;
	long anon_huge_kb;
};

static void
wl_field(const char *line, const char *key, long *val)
{
	size_t k = strlen(key);

	if (strncmp(line, key, k) == 0)
		*val = strtol(line + k, NULL, 10);
}

/* Figures of our mapping holding addr (or, with name, named so). */
static int
wl_smaps_find(uintptr_t addr, const char *name, struct wl_smaps *out)
{
	unsigned long lo, hi;
	bool bol = true, start, found = false;
	char line[4096], *path;
	size_t len;
	FILE *f;
	int n, pos;

	out->size_kb = out->rss_kb = out->locked_kb = out->anon_huge_kb = -1;
	if ((f = fopen("/proc/self/smaps", "re")) == NULL)
		return -errno;
	while (fgets(line, sizeof line, f) != NULL) {
		len = strlen(line);
		start = bol;
		bol = len > 0 && line[len - 1] == '\n';
		if (!start)
			continue; /* the rest of an over-long line */
		pos = -1;
		n = sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &lo, &hi, &pos);
		if (n == 2) {
			if (found)
				break;
			if (name != NULL) {
				if (pos < 0)
					continue;
				path = line + pos;
				path[strcspn(path, "\n")] = '\0';
				found = strcmp(path, name) == 0;
			} else
				found = addr >= lo && addr < hi;
			continue;
		}
		if (!found)
			continue;
		wl_field(line, "Size:", &out->size_kb);
		wl_field(line, "Rss:", &out->rss_kb);
		wl_field(line, "Locked:", &out->locked_kb);
		wl_field(line, "AnonHugePages:", &out->anon_huge_kb);
	}
	fclose(f);
	return found ? 0 : -ENOENT;
}

/* " addr=… size_kb=… touched_kb=… rss_kb=… idx=…" for region idx. */
static void
wl_kv_region(struct wl_reply *r, int idx)
{
	struct wl_region *g = &wl.regions[idx];
	struct wl_smaps s;

	wl_kv(r, "addr=0x%" PRIxPTR " size_kb=%zu touched_kb=%zu",
	    (uintptr_t)g->addr, g->size / 1024, g->touched / 1024);
	if (wl_smaps_find((uintptr_t)g->addr, NULL, &s) == 0)
		wl_kv(r, "rss_kb=%ld", s.rss_kb);
	else
		wl_kv(r, "rss_kb=unknown");
	wl_kv(r, "idx=%d", idx);
}

/*
 * A file region maps more than was read: fault-around maps the cached
 * neighbours of each faulting page (64 KiB window) and a large page-cache
 * folio is mapped whole; MADV_RANDOM stops neither. Unmap the pages past
 * the touched part again; they stay in page cache, so this is cheap.
 */
static void
wl_trim(struct wl_region *g)
{
	if (g->fd >= 0 && g->touched < g->size)
		(void)madvise(g->addr + g->touched, g->size - g->touched,
		    MADV_DONTNEED);
}

/* Register a mapping as a region and touch its first pct percent. */
static int
wl_region_finish(struct wl_reply *r, const char *kind, char *p, size_t size,
    int fd, bool writable, unsigned pct)
{
	int idx = wl_region_add(kind, p, size, fd, writable);

	if (idx < 0) {
		(void)munmap(p, size);
		if (fd >= 0)
			close(fd);
		return wl_fail(r, "out of memory for bookkeeping");
	}
	wl.regions[idx].touched = wl_pct_bytes(size, pct);
	wl_touch(p, 0, wl.regions[idx].touched, writable);
	wl_trim(&wl.regions[idx]);
	wl_kv_region(r, idx);
	return idx;
}

static int
wl_heap(struct wl_reply *r, int argc, char **argv)
{
	size_t size, chunks, i;
	struct wl_smaps s;
	void **p;

	(void)argc;
	if (wl_parse_size(argv[1], &size) != 0) /* not page-rounded here */
		return wl_arg_size(r, argv[1], &size);
	chunks = (size + 1023) / 1024;
	for (i = 0; i < chunks; i++) {
		if ((p = malloc(WL_HEAP_CHUNK)) == NULL)
			return wl_fail(r, "malloc: %s after %zu of %zu chunks",
			    strerror(errno), i, chunks);
		memset(p, WL_FILL, WL_HEAP_CHUNK);
		*p = wl.heap_head;
		wl.heap_head = p;
	}
	wl_kv(r, "size_kb=%zu chunks=%zu", chunks, chunks);
	if (wl_smaps_find(0, "[heap]", &s) == 0)
		wl_kv(r, "heap_rss_kb=%ld", s.rss_kb);
	else
		wl_kv(r, "heap_rss_kb=unknown");
	return 0;
}

static int
wl_anon_make(struct wl_reply *r, const char *kind, const char *size_s,
    const char *pct_s, const char *name)
{
	char e[256];
	unsigned pct = 100;
	size_t size;
	char *p;
	int err;

	if (wl_arg_size(r, size_s, &size) != 0)
		return -1;
	if (pct_s != NULL && wl_arg_pct(r, pct_s, &pct) != 0)
		return -1;
	if ((p = wl_map_private(size)) == NULL)
		return wl_fail(r, "mmap %zu bytes: %s", size, strerror(errno));
	/* Exact Rss even where THP is "always"; EINVAL without THP. */
	(void)madvise(p, size, MADV_NOHUGEPAGE);
	if (name != NULL && prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME,
	    (unsigned long)p, (unsigned long)size, (unsigned long)name) != 0) {
		err = errno;
		(void)munmap(p, size);
		return wl_fail(r, "prctl(PR_SET_VMA_ANON_NAME, \"%s\"): %s%s",
		    wl_esc(name, e, sizeof e), strerror(err),
		    err != EINVAL ? "" : " (needs Linux 5.17+ with"
		    " CONFIG_ANON_VMA_NAME; at most 79 bytes, no [ ] \\ $ `"
		    " or control characters)");
	}
	if (wl_region_finish(r, kind, p, size, -1, true, pct) < 0)
		return -1;
	if (name != NULL)
		wl_kv(r, "name=%s", wl_esc(name, e, sizeof e));
	return 0;
}

static int
wl_anon(struct wl_reply *r, int argc, char **argv)
{
	return wl_anon_make(r, "anon", argv[1], argc > 2 ? argv[2] : NULL,
	    NULL);
}

static int
wl_anonname(struct wl_reply *r, int argc, char **argv)
{
	(void)argc;
	return wl_anon_make(r, "anonname", argv[1], NULL, argv[2]);
}

static size_t
wl_thp_size(void)
{
	unsigned long v = 0;
	FILE *f;

	f = fopen("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", "re");
	if (f != NULL) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v != 0 && v % wl.page == 0 ? (size_t)v : 2 * 1024 * 1024;
}

static int
wl_thp(struct wl_reply *r, int argc, char **argv)
{
	size_t size, huge = wl_thp_size(), total, head;
	struct wl_smaps s;
	char *p, *start;
	int idx, err;

	(void)argc;
	if (wl_arg_size(r, argv[1], &size) != 0)
		return -1;
	/* Huge-page aligned, with at least one unmapped page either side. */
	total = size + huge + 2 * wl.page;
	p = mmap(NULL, total, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return wl_fail(r, "mmap %zu bytes: %s", total, strerror(errno));
	start = (char *)(((uintptr_t)p + wl.page + huge - 1) &
	    ~(uintptr_t)(huge - 1));
	head = (size_t)(start - p);
	(void)munmap(p, head);
	(void)munmap(start + size, total - head - size);
	if (madvise(start, size, MADV_HUGEPAGE) != 0) {
		err = errno;
		(void)munmap(start, size);
		return wl_fail(r, "madvise(MADV_HUGEPAGE): %s%s", strerror(err),
		    err == EINVAL ? " (kernel without THP?)" : "");
	}
	if ((idx = wl_region_finish(r, "thp", start, size, -1, true, 100)) < 0)
		return -1;
	if (wl_smaps_find((uintptr_t)start, NULL, &s) == 0)
		wl_kv(r, "anon_huge_kb=%ld", s.anon_huge_kb);
	return 0;
}

static void *
wl_thread_main(void *arg)
{
	volatile char stack[WL_THREAD_TOUCH];
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof stack; i++)
		stack[i] = WL_FILL;
	pthread_mutex_lock(&wl_thr.lock);
	wl_thr.ready++;
	pthread_cond_broadcast(&wl_thr.ready_cond);
	for (;;)
		pthread_cond_wait(&wl_thr.park, &wl_thr.lock);
	return NULL;
}

static int
wl_threads(struct wl_reply *r, int argc, char **argv)
{
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t t;
	unsigned long n, i;
	size_t stack = 0;
	int rc = 0;

	(void)argc;
	if (wl_arg_ulong(r, "thread count", argv[1], 1, 4096, &n) != 0)
		return -1;
	if ((rc = pthread_attr_init(&attr)) != 0)
		return wl_fail(r, "pthread_attr_init: %s", strerror(rc));
	(void)pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	(void)pthread_attr_getstacksize(&attr, &stack);
	/* Signals go to the main thread, whose blocking calls they end. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 0; i < n; i++) {
		if ((rc = pthread_create(&t, &attr, wl_thread_main, NULL)) != 0)
			break;
		pthread_mutex_lock(&wl_thr.lock);
		wl_thr.total++;
		pthread_mutex_unlock(&wl_thr.lock);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	pthread_mutex_lock(&wl_thr.lock);
	while (wl_thr.ready < wl_thr.total)
		pthread_cond_wait(&wl_thr.ready_cond, &wl_thr.lock);
	pthread_mutex_unlock(&wl_thr.lock);
	if (rc != 0)
		return wl_fail(r, "pthread_create: %s after %lu of %lu threads",
		    strerror(rc), i, n);
	wl_kv(r, "n=%lu total=%u stack_kb=%zu touched_kb=%d", n, wl_thr.total,
	    stack / 1024, WL_THREAD_TOUCH / 1024);
	return 0;
}

/* ftruncate and reserve a shared-memory fd, so a full tmpfs is an error
 * here instead of a SIGBUS when the pages are touched. */
static int
wl_shm_size(int fd, size_t size)
{
	if (ftruncate(fd, (off_t)size) != 0)
		return -errno;
	if (fallocate(fd, 0, 0, (off_t)size) != 0 && errno != EOPNOTSUPP)
		return -errno;
	return 0;
}

static int
wl_shared_fd(struct wl_reply *r, const char *kind, int fd, size_t size)
{
	char *p;
	int rc;

	if ((rc = wl_shm_size(fd, size)) != 0) {
		close(fd);
		return wl_fail(r, "reserving %zu bytes: %s", size,
		    strerror(-rc));
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	rc = errno;
	close(fd);
	if (p == MAP_FAILED)
		return wl_fail(r, "mmap: %s", strerror(rc));
	return wl_region_finish(r, kind, p, size, -1, true, 100);
}

static int
wl_shm_open(struct wl_reply *r, int argc, char **argv)
{
	char name[256], e[512];
	size_t size;
	int fd;

	if (wl_arg_size(r, argv[1], &size) != 0)
		return -1;
	if (argc > 2) {
		if (strlen(argv[2]) > 200)
			return wl_fail(r, "name too long");
		snprintf(name, sizeof name, "%s%s",
		    argv[2][0] == '/' ? "" : "/", argv[2]);
	} else
		snprintf(name, sizeof name, "/ramtop-wl-%ld-%u",
		    (long)getpid(), wl.shm_seq++);
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return wl_fail(r, "shm_open %s: %s", wl_esc(name, e, sizeof e),
		    strerror(errno));
	if (wl_name_add(name, true) != 0) {
		(void)shm_unlink(name);
		close(fd);
		return wl_fail(r, "out of memory for bookkeeping");
	}
	if (wl_shared_fd(r, "shm_open", fd, size) < 0) {
		wl_name_drop_last();
		return -1;
	}
	wl_kv(r, "path=/dev/shm%s", wl_esc(name, e, sizeof e));
	return 0;
}

static int
wl_memfd(struct wl_reply *r, int argc, char **argv)
{
	size_t size;
	int fd;

	(void)argc;
	if (wl_arg_size(r, argv[1], &size) != 0)
		return -1;
	if ((fd = memfd_create("ramtop-wl", MFD_CLOEXEC)) < 0)
		return wl_fail(r, "memfd_create: %s", strerror(errno));
	return wl_shared_fd(r, "memfd", fd, size) < 0 ? -1 : 0;
}

static int
wl_sysv(struct wl_reply *r, int argc, char **argv)
{
	size_t size;
	char *p;
	int id, err;

	(void)argc;
	if (wl_arg_size(r, argv[1], &size) != 0)
		return -1;
	if ((id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600)) < 0)
		return wl_fail(r, "shmget: %s (limits: /proc/sys/kernel/shmmax,"
		    " shmall)", strerror(errno));
	p = shmat(id, NULL, 0);
	err = errno;
	/* Removed now: it lives on while attached and goes when we exit. */
	(void)shmctl(id, IPC_RMID, NULL);
	if (p == (char *)-1)
		return wl_fail(r, "shmat: %s", strerror(err));
	if (wl_region_finish(r, "sysv", p, size, -1, true, 100) < 0) {
		(void)shmdt(p);
		return -1;
	}
	wl_kv(r, "shmid=%d", id);
	return 0;
}

static int
wl_shared_anon(struct wl_reply *r, int argc, char **argv)
{
	size_t size;
	char *p;

	(void)argc;
	if (wl_arg_size(r, argv[1], &size) != 0)
		return -1;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return wl_fail(r, "mmap: %s", strerror(errno));
	return wl_region_finish(r, "shared_anon", p, size, -1, true, 100) < 0 ?
	    -1 : 0;
}

/* Write size bytes of non-zero data, 1 MiB at a time: real page cache. */
static int
wl_fill_fd(int fd, size_t size)
{
	size_t done = 0, n;
	ssize_t w;
	char *buf;
	int rc = 0;

	/* A mapping of its own, unmapped after: no lasting anon residue. */
	buf = mmap(NULL, WL_WRITE_CHUNK, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return -errno;
	memset(buf, WL_FILL, WL_WRITE_CHUNK);
	while (done < size) {
		n = size - done < WL_WRITE_CHUNK ? size - done : WL_WRITE_CHUNK;
		w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rc = -errno;
			break;
		}
		if (w == 0) {
			rc = -EIO;
			break;
		}
		done += (size_t)w;
	}
	(void)munmap(buf, WL_WRITE_CHUNK);
	return rc;
}

/*
 * Create path with size bytes, map it read-only and private, and read one
 * byte per page of the first pct percent (see wl_trim).
 */
static int
wl_file_make(struct wl_reply *r, const char *kind, const char *path,
    size_t size, unsigned pct)
{
	char e[4 * 4096];
	size_t mapped = wl_page_round(size);
	char *p;
	int fd, rc;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return wl_fail(r, "open %s: %s", wl_esc(path, e, sizeof e),
		    strerror(errno));
	if ((rc = wl_fill_fd(fd, size)) != 0) {
		close(fd);
		(void)unlink(path);
		return wl_fail(r, "write %s: %s", wl_esc(path, e, sizeof e),
		    strerror(-rc));
	}
	p = mmap(NULL, mapped, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		rc = errno;
		close(fd);
		return wl_fail(r, "mmap %s: %s", wl_esc(path, e, sizeof e),
		    strerror(rc));
	}
	/* No readahead; no PMD mapping, which wl_trim could not split. */
	(void)madvise(p, mapped, MADV_RANDOM);
	(void)madvise(p, mapped, MADV_NOHUGEPAGE);
	if (wl_region_finish(r, kind, p, mapped, fd, false, pct) < 0)
		return -1;
	wl_kv(r, "path=%s", wl_esc(path, e, sizeof e));
	return 0;
}

static int
wl_file(struct wl_reply *r, int argc, char **argv)
{
	unsigned pct = 25;
	size_t size;
	char e[128];

	if (wl_parse_size(argv[2], &size) != 0)
		return wl_fail(r, "bad size '%s': want N, NK, NM or NG (> 0)",
		    wl_esc(argv[2], e, sizeof e));
	if (argc > 3 && wl_arg_pct(r, argv[3], &pct) != 0)
		return -1;
	return wl_file_make(r, "file", argv[1], size, pct);
}

static int
wl_weird(struct wl_reply *r, int argc, char **argv)
{
	char path[4096];
	int n;

	(void)argc;
	n = snprintf(path, sizeof path, "%s/%s", argv[1], WL_WEIRD_NAME);
	if (n < 0 || (size_t)n >= sizeof path)
		return wl_fail(r, "directory name too long");
	if (wl_name_add(path, false) != 0)
		return wl_fail(r, "out of memory for bookkeeping");
	if (wl_file_make(r, "weird", path, 1024 * 1024, 100) < 0) {
		wl_name_drop_last();
		return -1;
	}
	return 0;
}

static int
wl_mlock(struct wl_reply *r, int argc, char **argv)
{
	struct rlimit rl;
	struct wl_smaps s;
	char lim[32];
	size_t size;
	char *p;
	int idx, err;

	(void)argc;
	if (wl_arg_size(r, argv[1], &size) != 0)
		return -1;
	if ((p = wl_map_private(size)) == NULL)
		return wl_fail(r, "mmap %zu bytes: %s", size, strerror(errno));
	(void)madvise(p, size, MADV_NOHUGEPAGE);
	/* The raw call: ASan's mlock() interceptor does nothing. */
	if (syscall(SYS_mlock, p, size) != 0) {
		err = errno;
		(void)munmap(p, size);
		if (getrlimit(RLIMIT_MEMLOCK, &rl) != 0)
			snprintf(lim, sizeof lim, "unknown");
		else if (rl.rlim_cur == RLIM_INFINITY)
			snprintf(lim, sizeof lim, "unlimited");
		else
			snprintf(lim, sizeof lim, "%llu kB",
			    (unsigned long long)rl.rlim_cur / 1024);
		return wl_fail(r, "%s (RLIMIT_MEMLOCK is %s; raise it with"
		    " ulimit -l)", strerror(err), lim);
	}
	if ((idx = wl_region_finish(r, "mlock", p, size, -1, true, 100)) < 0)
		return -1;
	if (wl_smaps_find((uintptr_t)p, NULL, &s) == 0)
		wl_kv(r, "locked_kb=%ld", s.locked_kb);
	return 0;
}

static long
wl_max_map_count(void)
{
	long v = -1;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "re");

	if (f != NULL) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int
wl_maps(struct wl_reply *r, int argc, char **argv)
{
	unsigned long n, i;
	size_t size;
	char *p;
	int err;

	(void)argc;
	if (wl_arg_ulong(r, "count", argv[1], 1, 1UL << 24, &n) != 0)
		return -1;
	size = n * wl.page;
	if ((p = wl_map_private(size)) == NULL)
		return wl_fail(r, "mmap %zu bytes: %s", size, strerror(errno));
	(void)madvise(p, size, MADV_NOHUGEPAGE);
	wl_touch(p, 0, size, true);
	/* Every other page read-only: n mappings that cannot merge. */
	for (i = 1; i < n; i += 2) {
		if (mprotect(p + i * wl.page, wl.page, PROT_READ) != 0) {
			err = errno;
			(void)munmap(p, size);
			if (err == ENOMEM)
				return wl_fail(r, "mprotect at mapping %lu of"
				    " %lu: %s (vm.max_map_count is %ld; raise"
				    " it with sysctl -w vm.max_map_count=N)", i,
				    n, strerror(err), wl_max_map_count());
			return wl_fail(r, "mprotect: %s", strerror(err));
		}
	}
	wl_kv(r, "n=%lu addr=0x%" PRIxPTR " size_kb=%zu", n, (uintptr_t)p,
	    size / 1024);
	return 0;
}

static struct wl_region *
wl_region_lookup(const char *s)
{
	unsigned long long v;
	uintptr_t a;
	char *end;
	size_t i;

	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		v = strtoull(s + 2, &end, 16);
		if (*end != '\0' || errno != 0 || end == s + 2)
			return NULL;
		for (i = 0; i < wl.nregions; i++) {
			a = (uintptr_t)wl.regions[i].addr;
			if (v >= a && v < a + wl.regions[i].size)
				return &wl.regions[i];
		}
		return NULL;
	}
	if (!isdigit((unsigned char)*s))
		return NULL;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || errno != 0 || v >= wl.nregions)
		return NULL;
	return &wl.regions[v];
}

static int
wl_touch_cmd(struct wl_reply *r, int argc, char **argv)
{
	struct wl_region *g;
	struct stat st;
	size_t want, limit;
	unsigned pct;
	char e[128];

	(void)argc;
	if ((g = wl_region_lookup(argv[1])) == NULL)
		return wl_fail(r, "no region '%s' (give the idx= or an address"
		    " inside the addr= of an earlier command)",
		    wl_esc(argv[1], e, sizeof e));
	if (wl_arg_pct(r, argv[2], &pct) != 0)
		return -1;
	want = wl_pct_bytes(g->size, pct);
	if (g->fd >= 0) {
		/* Pages past the end of a truncated file would SIGBUS. */
		if (fstat(g->fd, &st) != 0)
			return wl_fail(r, "fstat: %s", strerror(errno));
		limit = wl_page_round((size_t)st.st_size);
		if (want > limit)
			want = limit;
	}
	if (want > g->touched) {
		wl_touch(g->addr, g->touched, want, g->writable);
		g->touched = want;
		wl_trim(g);
	}
	wl_kv(r, "kind=%s", g->kind);
	wl_kv_region(r, (int)(g - wl.regions));
	return 0;
}

/* Unmap an earlier region (its pages leave RSS; a file's mapping
 * leaves the process's regions). */
static int
wl_unmap_cmd(struct wl_reply *r, int argc, char **argv)
{
	struct wl_region *g;
	char e[128];

	(void)argc;
	if ((g = wl_region_lookup(argv[1])) == NULL || g->addr == NULL)
		return wl_fail(r, "no region '%s' (give the idx= or an address"
		    " inside the addr= of an earlier command)",
		    wl_esc(argv[1], e, sizeof e));
	if (munmap(g->addr, g->size) != 0)
		return wl_fail(r, "munmap: %s", strerror(errno));
	wl_kv(r, "size_kb=%zu", g->size / 1024);
	g->addr = NULL;
	g->size = g->touched = 0;
	return 0;
}

/* Split s in place into words; "..." and '...' quote, \" and \\ escape. */
static int
wl_tokenize(char *s, char **tok, int max)
{
	char *p = s, *out, q;
	bool more;
	int n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (n == max)
			return -E2BIG;
		out = p;
		tok[n++] = out;
		while (*p != '\0' && *p != ' ' && *p != '\t') {
			if (*p != '"' && *p != '\'') {
				*out++ = *p++;
				continue;
			}
			q = *p++;
			while (*p != '\0' && *p != q) {
				if (q == '"' && *p == '\\' &&
				    (p[1] == '"' || p[1] == '\\'))
					p++;
				*out++ = *p++;
			}
			if (*p == '\0')
				return -EINVAL;
			p++;
		}
		more = *p != '\0';
		*out = '\0';
		if (more)
			p++;
	}
	return n;
}

/* Run one command line; returns -1 if it failed. */
static int
wl_run_line(char *line)
{
	char *tok[WL_MAX_TOKENS];
	struct wl_reply r = { .cmd = "parse" };
	int n = wl_tokenize(line, tok, WL_MAX_TOKENS);

	if (n == 0)
		return 0;
	if (n < 0) {
		wl_fail(&r, "%s", n == -E2BIG ? "too many words" :
		    "unbalanced quote");
		wl_send(&r);
		return -1;
	}
	return wl_dispatch(n, tok);
}

/* In a fork child: run cmds (comma-separated), report, then idle. */
static void __attribute__((noreturn))
wl_child_main(int wfd, pid_t parent, char *cmds)
{
	char *save = NULL, *c, pid[24];
	size_t i;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(1);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (wl.child_fd >= 0)
		close(wl.child_fd); /* our parent's pipe to its own parent */
	wl.child_fd = wfd;
	wl.in_child = true;
	for (i = 0; i < wl.nnames; i++)
		free(wl.names[i].name);
	wl.nnames = 0;
	wl.nkids = 0;
	pthread_mutex_init(&wl_thr.lock, NULL);
	pthread_cond_init(&wl_thr.ready_cond, NULL);
	pthread_cond_init(&wl_thr.park, NULL);
	wl_thr.ready = wl_thr.total = 0;

	for (c = cmds != NULL ? strtok_r(cmds, ",", &save) : NULL; c != NULL;
	    c = strtok_r(NULL, ",", &save))
		if (wl_run_line(c) != 0)
			break;
	for (i = 0; i < wl.nnames; i++)
		wl_record(wfd, wl.names[i].shm ? 'S' : 'F', wl.names[i].name);
	for (i = 0; i < wl.nkids; i++) {
		snprintf(pid, sizeof pid, "%ld", (long)wl.kids[i].pid);
		wl_record(wfd, 'P', pid);
	}
	wl_record(wfd, 'R', "");
	close(wfd);
	wl.child_fd = -1;
	for (;;)
		pause();
}

/* Read fd to its end into *buf (malloc'd, *len bytes).  0 or an errno;
 * what was read is kept either way. */
static int
wl_read_all(int fd, char **buf, size_t *len)
{
	size_t cap = 0;
	char *nbuf;
	ssize_t n;

	for (;;) {
		if (*len + 4096 > cap) {
			if ((nbuf = realloc(*buf, cap + 65536)) == NULL)
				return ENOMEM;
			*buf = nbuf;
			cap += 65536;
		}
		n = read(fd, *buf + *len, cap - *len);
		if (n > 0) {
			*len += (size_t)n;
			continue;
		}
		if (n == 0)
			return 0;
		if (errno == EINTR && wl_quit == 0)
			continue;
		return errno;
	}
}

/*
 * Fork a child that runs cmds (NULL: none) and idles until killed. Waits
 * until it is ready; its output lines go to lines (if not NULL). A child
 * whose commands fail is killed and the first error reported.
 */
static int
wl_child_start(struct wl_reply *r, char *cmds, pid_t *out, char *lines,
    size_t lineslen)
{
	char *buf = NULL, *rec, *err = NULL, e[WL_LINE_MAX];
	size_t len = 0, off, rl, lo = 0;
	bool ready = false;
	int pfd[2], rerr = 0;
	pid_t parent = getpid(), pid;

	if (lines != NULL && lineslen > 0)
		lines[0] = '\0';
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return wl_fail(r, "pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		rerr = errno;
		close(pfd[0]);
		close(pfd[1]);
		return wl_fail(r, "fork: %s", strerror(rerr));
	}
	if (pid == 0) {
		close(pfd[0]);
		wl_child_main(pfd[1], parent, cmds);
	}
	close(pfd[1]);
	rerr = wl_read_all(pfd[0], &buf, &len);
	close(pfd[0]);
	for (off = 0; off < len; off += rl + 1) {
		rec = buf + off;
		rl = strnlen(rec, len - off);
		if (rl == len - off)
			break; /* unterminated */
		switch (rec[0]) {
		case 'L':
			if (err == NULL && strncmp(rec + 1, "err ", 4) == 0)
				err = rec + 1;
			if (lines != NULL && lo + rl + 1 < lineslen)
				lo += (size_t)snprintf(lines + lo,
				    lineslen - lo, "%s\n", rec + 1);
			break;
		case 'S':
		case 'F':
			(void)wl_name_add(rec + 1, rec[0] == 'S');
			break;
		case 'P':
			(void)wl_kid_add((pid_t)atol(rec + 1), pid);
			break;
		case 'R':
			ready = true;
			break;
		}
	}
	if (rerr == 0 && ready && err == NULL && wl_kid_add(pid, 0) != 0)
		rerr = ENOMEM;
	if (rerr != 0 || !ready || err != NULL) {
		(void)kill(pid, SIGKILL);
		wl_reap(pid);
		wl_kid_forget(pid);
		if (rerr != 0)
			wl_fail(r, "waiting for child %ld: %s", (long)pid,
			    strerror(rerr));
		else if (err != NULL)
			wl_fail(r, "child %ld failed, killed: %s", (long)pid,
			    wl_esc(err + 4, e, sizeof e));
		else
			wl_fail(r, "child %ld died before it was ready",
			    (long)pid);
		free(buf);
		return -1;
	}
	free(buf);
	*out = pid;
	return 0;
}

static int
wl_fork(struct wl_reply *r, int argc, char **argv)
{
	char *cmds = NULL;
	size_t len = 0;
	pid_t pid;
	int i, rc;

	/* Words are joined back with spaces; commas separate commands. */
	for (i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if (len > 0) {
		if ((cmds = malloc(len)) == NULL)
			return wl_fail(r, "out of memory");
		cmds[0] = '\0';
		for (i = 1; i < argc; i++) {
			if (i > 1)
				strcat(cmds, " ");
			strcat(cmds, argv[i]);
		}
	}
	rc = wl_child_start(r, cmds, &pid, NULL, 0);
	free(cmds);
	if (rc != 0)
		return -1;
	wl_kv(r, "pid=%ld", (long)pid);
	return 0;
}

static int
wl_spawn(struct wl_reply *r, int argc, char **argv)
{
	unsigned long n, i;
	char list[WL_LINE_MAX / 2];
	size_t lo = 0;
	pid_t pid;
	int rc = 0;

	(void)argc;
	if (wl_arg_ulong(r, "count", argv[1], 1, 512, &n) != 0)
		return -1;
	list[0] = '\0';
	for (i = 0; i < n; i++) {
		if ((rc = wl_child_start(r, NULL, &pid, NULL, 0)) != 0)
			break;
		lo += (size_t)snprintf(list + lo, sizeof list - lo, "%s%ld",
		    i > 0 ? "," : "", (long)pid);
	}
	if (rc != 0) {
		/* All or nothing: kill the ones already started. */
		while (i-- > 0)
			wl_kid_kill(wl.kids[wl.nkids - 1].pid);
		return -1;
	}
	wl_kv(r, "pids=%s", list);
	return 0;
}

static int
wl_tree(struct wl_reply *r, int argc, char **argv)
{
	char cmd1[] = "spawn 1", lines[512], *p;
	pid_t c1, c2;
	long g = 0;

	(void)argc;
	(void)argv;
	if (wl_child_start(r, cmd1, &c1, lines, sizeof lines) != 0)
		return -1;
	if ((p = strstr(lines, "pids=")) != NULL)
		g = atol(p + 5);
	if (g <= 0) {
		wl_kid_kill(c1);
		return wl_fail(r, "first child did not report its child");
	}
	if (wl_child_start(r, NULL, &c2, NULL, 0) != 0) {
		wl_kid_kill(c1);
		return -1;
	}
	wl_kv(r, "children=%ld,%ld grandchild=%ld", (long)c1, (long)c2, g);
	return 0;
}

static int
wl_forkexit(struct wl_reply *r, int argc, char **argv)
{
	siginfo_t si;
	pid_t pid;

	(void)argc;
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0)
		return wl_fail(r, "fork: %s", strerror(errno));
	if (pid == 0)
		_exit(0);
	/* Wait until it is a zombie, without reaping it. */
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) != 0)
		if (errno != EINTR)
			return wl_fail(r, "waitid: %s", strerror(errno));
	if (wl_kid_add(pid, 0) != 0) {
		wl_reap(pid);
		return wl_fail(r, "out of memory for bookkeeping");
	}
	wl_kv(r, "pid=%ld", (long)pid);
	(void)argv;
	return 0;
}

static int
wl_reap_cmd(struct wl_reply *r, int argc, char **argv)
{
	char list[WL_LINE_MAX / 2];
	size_t i = 0, lo = 0;
	pid_t pid;

	(void)argc;
	(void)argv;
	list[0] = '\0';
	while (i < wl.nkids) {
		pid = wl.kids[i].pid;
		if (wl.kids[i].via == 0 && waitpid(pid, NULL, WNOHANG) == pid) {
			wl_kid_forget(pid);
			if (lo + 24 < sizeof list)
				lo += (size_t)snprintf(list + lo,
				    sizeof list - lo, "%s%ld",
				    lo > 0 ? "," : "", (long)pid);
			i = 0;
			continue;
		}
		i++;
	}
	wl_kv(r, "pids=%s", list);
	return 0;
}

/*
 * churn: a child maps, touches, holds and unmaps a region this many times
 * (about 20 ms of life); the parent keeps a ring of its own regions and
 * remembers at most this many children not yet reaped.
 */
#define WL_CHURN_KID_ROUNDS 4
#define WL_CHURN_KID_MAP (256 * 1024)
#define WL_CHURN_KID_HOLD_NS (5 * 1000 * 1000L)
#define WL_CHURN_RING 8
#define WL_CHURN_PENDING 4096

/* A churn child: map, touch, hold, unmap a few times, then exit. */
static void __attribute__((noreturn))
wl_churn_child(pid_t parent, unsigned long seq)
{
	struct timespec hold = { 0, WL_CHURN_KID_HOLD_NS };
	size_t size;
	char *p;
	int i;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(1);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	for (i = 0; i < WL_CHURN_KID_ROUNDS; i++) {
		size = WL_CHURN_KID_MAP * (1 + (seq + (unsigned)i) % 4);
		p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(2);
		wl_touch(p, 0, size, true);
		(void)nanosleep(&hold, NULL);
		(void)munmap(p, size);
	}
	_exit(0);
}

static double
wl_ts_diff(const struct timespec *a, const struct timespec *b)
{
	return (double)(a->tv_sec - b->tv_sec) +
	    (double)(a->tv_nsec - b->tv_nsec) / 1e9;
}

/* Reap the pending children that have exited; count the failed ones. */
static void
wl_churn_reap(pid_t *pend, size_t *npend, unsigned long *reaped,
    unsigned long *failed)
{
	size_t i, o = 0;
	int st;

	for (i = 0; i < *npend; i++) {
		if (waitpid(pend[i], &st, WNOHANG) != pend[i]) {
			pend[o++] = pend[i];
			continue;
		}
		(*reaped)++;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			(*failed)++;
	}
	*npend = o;
}

/* Sleep until *next + step (the new *next); a schedule more than a
 * second behind drops its debt.  *now is the time after. */
static void
wl_pace(struct timespec *next, long step, struct timespec *now)
{
	next->tv_nsec += step;
	while (next->tv_nsec >= 1000000000L) {
		next->tv_nsec -= 1000000000L;
		next->tv_sec++;
	}
	clock_gettime(CLOCK_MONOTONIC, now);
	if (wl_ts_diff(now, next) > 1.0)
		*next = *now;
	(void)clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL);
	clock_gettime(CLOCK_MONOTONIC, now);
}

/* Reap the churn's children still pending (killed first if we were
 * interrupted), counting those that failed. */
static void
wl_churn_wait_all(pid_t *pend, size_t npend, unsigned long *reaped,
    unsigned long *failed)
{
	size_t i;
	int st;

	for (i = 0; i < npend; i++) {
		if (wl_quit != 0)
			(void)kill(pend[i], SIGKILL);
		while (waitpid(pend[i], &st, 0) < 0 && errno == EINTR)
			;
		(*reaped)++;
		if (wl_quit == 0 && (!WIFEXITED(st) || WEXITSTATUS(st) != 0))
			(*failed)++;
	}
}

/*
 * churn RATE SECONDS: fork RATE short-lived children a second, reaping
 * each as soon as it exits; every tick also map and write a fresh anon
 * region and unmap the oldest of a ring of eight, so our own region table
 * never stands still. Ticks follow a clock: a late tick is made up at
 * once, but never more than a second's worth.
 */
static int
wl_churn(struct wl_reply *r, int argc, char **argv)
{
	struct {
		char *p;
		size_t size;
	} ring[WL_CHURN_RING];
	unsigned long rate, sec, forked = 0, reaped = 0, failed = 0;
	unsigned long forkerr = 0, maps = 0, live_max = 0;
	struct timespec start, next, now;
	pid_t *pend, pid, parent = getpid();
	size_t npend = 0, slot, size, i;
	long step;
	int st;

	(void)argc;
	if (wl_arg_ulong(r, "rate", argv[1], 1, 10000, &rate) != 0 ||
	    wl_arg_ulong(r, "seconds", argv[2], 1, 7 * 86400, &sec) != 0)
		return -1;
	if ((pend = malloc(WL_CHURN_PENDING * sizeof *pend)) == NULL)
		return wl_fail(r, "out of memory");
	memset(ring, 0, sizeof ring);
	step = (long)(1000000000L / rate);
	fflush(stdout);
	fflush(stderr);
	clock_gettime(CLOCK_MONOTONIC, &start);
	next = now = start;
	while (wl_quit == 0 && wl_ts_diff(&now, &start) < (double)sec) {
		slot = maps % WL_CHURN_RING;
		if (ring[slot].p != NULL)
			(void)munmap(ring[slot].p, ring[slot].size);
		size = (1 + maps % 16) * 64 * 1024;
		ring[slot].p = wl_map_private(size);
		ring[slot].size = size;
		if (ring[slot].p != NULL) {
			wl_touch(ring[slot].p, 0, size, true);
			maps++;
		}

		if (npend == WL_CHURN_PENDING) {
			/* Children are not exiting: wait for the oldest. */
			while (waitpid(pend[0], &st, 0) < 0 && errno == EINTR)
				;
			reaped++;
			memmove(pend, pend + 1, --npend * sizeof *pend);
		}
		if ((pid = fork()) == 0)
			wl_churn_child(parent, forked);
		if (pid < 0)
			forkerr++;
		else {
			pend[npend++] = pid;
			forked++;
		}
		wl_churn_reap(pend, &npend, &reaped, &failed);
		if (npend > live_max)
			live_max = npend;

		wl_pace(&next, step, &now);
	}
	wl_churn_wait_all(pend, npend, &reaped, &failed);
	free(pend);
	for (i = 0; i < WL_CHURN_RING; i++)
		if (ring[i].p != NULL)
			(void)munmap(ring[i].p, ring[i].size);
	if (wl_quit != 0)
		return wl_fail(r, "interrupted by signal %d after %lu children",
		    (int)wl_quit, forked);
	if (forked == 0)
		return wl_fail(r, "no child could be forked (%lu fork errors)",
		    forkerr);
	wl_kv(r, "rate=%lu sec=%lu churned=%lu reaped=%lu failed=%lu"
	    " fork_errors=%lu maps=%lu live_max=%lu elapsed_s=%.2f", rate, sec,
	    forked, reaped, failed, forkerr, maps, live_max,
	    wl_ts_diff(&now, &start));
	return 0;
}

static int
wl_kill(struct wl_reply *r, int argc, char **argv)
{
	unsigned long pid;

	(void)argc;
	if (wl_arg_ulong(r, "pid", argv[1], 1, INT32_MAX, &pid) != 0)
		return -1;
	if (wl_kid_find((pid_t)pid) == NULL)
		return wl_fail(r, "%lu is not a child of this workload", pid);
	if (kill((pid_t)pid, SIGKILL) != 0 && errno != ESRCH)
		return wl_fail(r, "kill %lu: %s", pid, strerror(errno));
	wl_reap((pid_t)pid);
	wl_kid_forget((pid_t)pid);
	wl_kv(r, "pid=%lu", pid);
	return 0;
}

static int
wl_stop(struct wl_reply *r, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	wl_kv(r, "pid=%ld", (long)getpid());
	wl_send(r);
	raise(SIGSTOP);
	return 0;
}

static int
wl_stopall(struct wl_reply *r, int argc, char **argv)
{
	char list[WL_LINE_MAX / 2];
	size_t i, lo = 0;

	(void)argc;
	(void)argv;
	list[0] = '\0';
	for (i = 0; i < wl.nkids; i++) {
		if (kill(wl.kids[i].pid, SIGSTOP) != 0)
			continue;
		if (lo + 24 < sizeof list)
			lo += (size_t)snprintf(list + lo, sizeof list - lo,
			    "%s%ld", lo > 0 ? "," : "", (long)wl.kids[i].pid);
	}
	wl_kv(r, "pid=%ld stopped=%s", (long)getpid(), list);
	wl_send(r);
	raise(SIGSTOP);
	/* Continued: let the children go on too. */
	for (i = 0; i < wl.nkids; i++)
		(void)kill(wl.kids[i].pid, SIGCONT);
	return 0;
}

static int
wl_sleep(struct wl_reply *r, int argc, char **argv)
{
	struct timespec ts;
	char *end, e[128];
	double sec;

	(void)argc;
	errno = 0;
	sec = strtod(argv[1], &end);
	if (end == argv[1] || *end != '\0' || errno != 0 || !isfinite(sec) ||
	    sec < 0 || sec > 1e9)
		return wl_fail(r, "bad seconds '%s'",
		    wl_esc(argv[1], e, sizeof e));
	ts.tv_sec = (time_t)sec;
	ts.tv_nsec = (long)((sec - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0) {
		if (errno != EINTR)
			return wl_fail(r, "nanosleep: %s", strerror(errno));
		if (wl_quit != 0)
			return wl_fail(r, "interrupted by signal %d",
			    (int)wl_quit);
	}
	wl_kv(r, "sec=%g", sec);
	return 0;
}

static int
wl_wait(struct wl_reply *r, int argc, char **argv)
{
	sigset_t block, old;

	(void)argc;
	(void)argv;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	wl_kv(r, "pid=%ld", (long)getpid());
	wl_send(r);
	while (wl_quit == 0)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;
}

static int
wl_exit(struct wl_reply *r, int argc, char **argv)
{
	unsigned long code = 0;

	if (argc > 1 && wl_arg_ulong(r, "exit code", argv[1], 0, 255, &code))
		return -1;
	wl.exit_code = (int)code;
	wl.exit_requested = true;
	wl_kv(r, "code=%lu", code);
	return 0;
}

/*
 * mark LABEL...: run $RAMTOP_MARK_CMD LABEL (its words split on spaces,
 * the label one argument; e.g. "ramtop mark") and wait for it; its stdout
 * goes to our stderr so our stdout keeps one line per command.
 */
static int
wl_mark(struct wl_reply *r, int argc, char **argv)
{
	extern char **environ;
	const char *env = getenv("RAMTOP_MARK_CMD");
	char *words[WL_MAX_TOKENS + 2], *cmd, *w, *save = NULL;
	char label[1024], e[4 * 1024];
	posix_spawn_file_actions_t fa;
	size_t n = 0, o = 0;
	pid_t pid;
	int i, st, rc;

	label[0] = '\0';
	for (i = 1; i < argc; i++)
		o += (size_t)snprintf(label + o, o < sizeof label ?
		    sizeof label - o : 0, "%s%s", i > 1 ? " " : "", argv[i]);
	if (o >= sizeof label)
		return wl_fail(r, "label too long");
	if (env == NULL || env[0] == '\0')
		return wl_fail(r, "RAMTOP_MARK_CMD is not set");
	if ((cmd = strdup(env)) == NULL)
		return wl_fail(r, "strdup: %s", strerror(errno));
	for (w = strtok_r(cmd, " ", &save); w != NULL && n < WL_MAX_TOKENS;
	    w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	words[n++] = label;
	words[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, 2, 1);
	rc = posix_spawnp(&pid, words[0], &fa, NULL, words, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		wl_fail(r, "spawn %s: %s", wl_esc(words[0], e, sizeof e),
		    strerror(rc));
		free(cmd);
		return -1;
	}
	free(cmd);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return wl_fail(r, "waitpid: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return wl_fail(r, "the mark command failed (status %d)",
		    WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	wl_kv(r, "label=%s", wl_esc(label, e, sizeof e));
	return 0;
}

static int
wl_info(struct wl_reply *r, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	wl_kv(r, "pid=%ld ppid=%ld page_size=%zu regions=%zu", (long)getpid(),
	    (long)getppid(), wl.page, wl.nregions);
	return 0;
}

/* Read commands from stdin until EOF (or exit, or a signal). */
static int
wl_read_stdin(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	while (!wl_done()) {
		errno = 0;
		n = getline(&line, &cap, stdin);
		if (n < 0) {
			if (errno == EINTR && wl_quit == 0) {
				clearerr(stdin);
				continue;
			}
			if (ferror(stdin) && errno != EINTR)
				rc = -errno;
			break;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (line[strspn(line, " \t")] == '#')
			continue;
		(void)wl_run_line(line);
	}
	free(line);
	return rc;
}

static int
wl_stdin(struct wl_reply *r, int argc, char **argv)
{
	int rc;

	(void)argc;
	(void)argv;
	rc = wl_read_stdin();
	if (wl_done()) {
		r->sent = true; /* exit or a signal ended it: nothing to say */
		return 0;
	}
	if (rc != 0)
		return wl_fail(r, "reading stdin: %s", strerror(-rc));
	wl_kv(r, "eof=1");
	return 0;
}

static const struct wl_cmd wl_cmds[] = {
	{ "heap", 1, 1, 0, wl_heap, "heap SIZE",
	    "brk heap: 1 KiB mallocs totalling SIZE, all written" },
	{ "anon", 1, 2, 0, wl_anon, "anon SIZE [TOUCH_PCT]",
	    "private anonymous mmap, first TOUCH_PCT% (100) of pages written" },
	{ "anonname", 2, 2, 0, wl_anonname, "anonname SIZE NAME",
	    "anon, all written, named [anon:NAME] with PR_SET_VMA" },
	{ "thp", 1, 1, 0, wl_thp, "thp SIZE",
	    "anon, huge-page aligned, MADV_HUGEPAGE, all written" },
	{ "threads", 1, 1, 0, wl_threads, "threads N",
	    "N threads, each writes 64 KiB of its stack and blocks" },
	{ "shm_open", 1, 2, 0, wl_shm_open, "shm_open SIZE [NAME]",
	    "/dev/shm/NAME (ramtop-wl-PID-N) mapped shared, all written" },
	{ "memfd", 1, 1, 0, wl_memfd, "memfd SIZE",
	    "memfd ramtop-wl mapped shared, all written" },
	{ "sysv", 1, 1, 0, wl_sysv, "sysv SIZE",
	    "SysV segment attached, all written, IPC_RMID at once" },
	{ "shared_anon", 1, 1, 0, wl_shared_anon, "shared_anon SIZE",
	    "MAP_SHARED|MAP_ANONYMOUS (/dev/zero (deleted)), all written" },
	{ "file", 2, 3, 0, wl_file, "file PATH SIZE [TOUCH_PCT]",
	    "write PATH, map it read-only, read first TOUCH_PCT% (25)" },
	{ "weird", 1, 1, 0, wl_weird, "weird DIR",
	    "1 MiB file with ESC, newline, space in its name, mapped, read" },
	{ "mlock", 1, 1, 0, wl_mlock, "mlock SIZE",
	    "anon, all written and mlock()ed" },
	{ "maps", 1, 1, 0, wl_maps, "maps N",
	    "N one-page anon mappings (alternating rw/r), all written" },
	{ "touch", 2, 2, 0, wl_touch_cmd, "touch IDX|ADDR PCT",
	    "touch the first PCT% of an earlier region" },
	{ "unmap", 1, 1, 0, wl_unmap_cmd, "unmap IDX|ADDR",
	    "unmap an earlier region" },
	{ "fork", 0, -1, 0, wl_fork, "fork [CMD ARGS,CMD ARGS...]",
	    "child runs the commands, then idles; dies with us" },
	{ "spawn", 1, 1, 0, wl_spawn, "spawn N", "N idle children" },
	{ "tree", 0, 0, 0, wl_tree, "tree",
	    "two idle children, the first with an idle child" },
	{ "forkexit", 0, 0, 0, wl_forkexit, "forkexit",
	    "a child that exits at once and stays a zombie until reap" },
	{ "reap", 0, 0, 0, wl_reap_cmd, "reap", "reap children that exited" },
	{ "kill", 1, 1, 0, wl_kill, "kill PID", "SIGKILL a child and reap it" },
	{ "churn", 2, 2, 0, wl_churn, "churn RATE SECONDS",
	    "RATE children/s for SECONDS, each maps memory ~20 ms; we"
	    " map/unmap too" },
	{ "stop", 0, 0, WL_PARENT_ONLY, wl_stop, "stop",
	    "print, then SIGSTOP ourselves" },
	{ "stopall", 0, 0, WL_PARENT_ONLY, wl_stopall, "stopall",
	    "SIGSTOP children, print, SIGSTOP ourselves; SIGCONT them after" },
	{ "sleep", 1, 1, 0, wl_sleep, "sleep SEC", "sleep (fractions ok)" },
	{ "wait", 0, 0, WL_PARENT_ONLY, wl_wait, "wait",
	    "print, then block until SIGTERM/SIGINT/SIGHUP" },
	{ "exit", 0, 1, WL_PARENT_ONLY, wl_exit, "exit [CODE]",
	    "clean up and exit with CODE (0)" },
	{ "info", 0, 0, 0, wl_info, "info", "our pid" },
	{ "mark", 0, -1, 0, wl_mark, "mark [LABEL...]",
	    "run $RAMTOP_MARK_CMD LABEL (e.g. ramtop mark) and wait for it" },
	{ "stdin", 0, 0, WL_PARENT_ONLY, wl_stdin, "stdin",
	    "read commands from stdin until EOF" },
};

static const struct wl_cmd *
wl_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof wl_cmds / sizeof wl_cmds[0]; i++)
		if (strcmp(wl_cmds[i].name, name) == 0)
			return &wl_cmds[i];
	return NULL;
}

static int
wl_dispatch(int argc, char **argv)
{
	const struct wl_cmd *c = wl_find(argv[0]);
	char ename[80];
	struct wl_reply r;
	int nargs = argc - 1;

	r.failed = r.sent = false;
	r.len = 0;
	r.buf[0] = '\0';
	if (c == NULL) {
		r.cmd = wl_esc(argv[0], ename, sizeof ename);
		wl_fail(&r, "unknown command (workload --help lists them)");
	} else {
		r.cmd = c->name;
		if (nargs < c->min_args ||
		    (c->max_args >= 0 && nargs > c->max_args))
			wl_fail(&r, "usage: %s", c->usage);
		else if (wl.in_child && (c->flags & WL_PARENT_ONLY))
			wl_fail(&r, "not allowed inside fork");
		else
			(void)c->run(&r, argc, argv);
	}
	wl_send(&r);
	return r.failed ? -1 : 0;
}

/*
 * Run the command starting at argv[i]; returns the index after it. A word
 * holding blanks is a whole command line; otherwise a command takes its
 * required words, then optional ones up to the next command name or word
 * with blanks. fork takes one optional word, its list, blanks and all.
 */
static int
wl_run_argv(int argc, char **argv, int i)
{
	const struct wl_cmd *c;
	char *copy;
	int j, max, n = 0;

	if (strpbrk(argv[i], " \t") != NULL) {
		if ((copy = strdup(argv[i])) != NULL) {
			(void)wl_run_line(copy);
			free(copy);
		}
		return i + 1;
	}
	if ((c = wl_find(argv[i])) == NULL) {
		(void)wl_dispatch(1, &argv[i]);
		return i + 1;
	}
	max = c->max_args >= 0 ? c->max_args : c->min_args + 1;
	for (j = i + 1; j < argc; j++, n++) {
		if (n < c->min_args)
			continue;
		if (n >= max || wl_find(argv[j]) != NULL ||
		    (c->max_args >= 0 && strpbrk(argv[j], " \t") != NULL))
			break;
	}
	(void)wl_dispatch(j - i, &argv[i]);
	return j;
}

static void
wl_usage(void)
{
	size_t i;

	printf("usage: workload [CMD [ARG...]]...\n"
	    "Runs the commands in order; with none, reads them from stdin, one"
	    " a line.\nEach prints one line: \"ok CMD key=value...\" or"
	    " \"err CMD: reason\".\nSIZE: N, NK, NM, NG (binary units)."
	    " In argv, give fork's list as one word.\n\n");
	for (i = 0; i < sizeof wl_cmds / sizeof wl_cmds[0]; i++)
		printf("  %-28s %s\n", wl_cmds[i].usage, wl_cmds[i].help);
}

/* At exit of the first process: remove our names, kill our children. */
static void
wl_cleanup(void)
{
	size_t i;

	if (getpid() != wl.main_pid)
		return;
	for (i = 0; i < wl.nnames; i++) {
		if (wl.names[i].shm)
			(void)shm_unlink(wl.names[i].name);
		else
			(void)unlink(wl.names[i].name);
	}
	for (i = 0; i < wl.nkids; i++)
		if (wl.kids[i].via == 0) {
			(void)kill(wl.kids[i].pid, SIGKILL);
			wl_reap(wl.kids[i].pid);
		}
	wl.nkids = 0;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	long page;
	int i;

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		wl_usage();
		return 0;
	}
	page = sysconf(_SC_PAGESIZE);
	wl.page = page > 0 ? (size_t)page : 4096;
	wl.main_pid = getpid();
	/* A fixed threshold: 1 KiB chunks always come from the brk heap. */
	(void)mallopt(M_MMAP_THRESHOLD, 128 * 1024);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = wl_on_signal; /* no SA_RESTART: blocking calls end */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (atexit(wl_cleanup) != 0) {
		fprintf(stderr, "workload: atexit failed\n");
		return 1;
	}

	for (i = 1; i < argc && !wl_done();)
		i = wl_run_argv(argc, argv, i);
	if (argc == 1)
		(void)wl_read_stdin();
	exit(wl.exit_code);
}
