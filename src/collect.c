/*
 * collect.c - the collector: reads /proc.  The only file that includes
 * libproc2 (enumeration and stat fields); the text files are read into one
 * reusable buffer per kind and parsed by smaps.c, region.c and procfs.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "collect.h"

/* PIDS_VAL lost its 4th argument in libproc2 4.0.5. */
#ifdef PIDS_VAL_3ARGS
#define COLLECT_VAL(i, type, stack) PIDS_VAL(i, type, stack)
#else
#define COLLECT_VAL(i, type, stack) PIDS_VAL(i, type, stack, c->info)
#endif

#define PF_KTHREAD 0x00200000UL

enum collect_item { CI_PID, CI_PPID, CI_START, CI_STATE, CI_FLAGS, CI_CMD };

static enum pids_item collect_items[] = {
	PIDS_ID_PID, PIDS_ID_PPID, PIDS_TICS_BEGAN,
	PIDS_STATE, PIDS_FLAGS, PIDS_CMD,
};

struct collect_buf {
	char *p;
	size_t len, cap;
};

struct collector {
	struct pids_info *info;
	struct scan_ent *ents;
	size_t cap;
	struct collect_buf small;	/* status, rollup, cmdline, meminfo */
	struct collect_buf big;		/* smaps */
	unsigned int tmpfs_devs[64][2];
	size_t n_tmpfs_devs;
	int tmpfs_read;
};

struct collector *
collect_new(void)
{
	struct collector *c;
	int r;

	c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	r = procps_pids_new(&c->info, collect_items,
			    sizeof collect_items / sizeof collect_items[0]);
	if (r < 0) {
		free(c);
		errno = -r;
		return NULL;
	}
	return c;
}

void
collect_free(struct collector *c)
{
	if (c == NULL)
		return;
	procps_pids_unref(&c->info);
	free(c->ents);
	free(c->small.p);
	free(c->big.p);
	free(c);
}

int
collect_scan(struct collector *c, const struct scan_ent **ents, size_t *n)
{
	struct pids_fetch *f;
	struct pids_stack *s;
	struct scan_ent *e;
	const char *cmd;
	int i, total;

	f = procps_pids_reap(c->info, PIDS_FETCH_TASKS_ONLY);
	if (f == NULL)
		return errno ? -errno : -EIO;
	total = f->counts->total;
	if ((size_t)total > c->cap) {
		e = realloc(c->ents, (size_t)total * sizeof *e);
		if (e == NULL)
			return -ENOMEM;
		c->ents = e;
		c->cap = (size_t)total;
	}
	for (i = 0; i < total; i++) {
		s = f->stacks[i];
		e = &c->ents[i];
		e->pid = COLLECT_VAL(CI_PID, s_int, s);
		e->ppid = COLLECT_VAL(CI_PPID, s_int, s);
		e->start_time = COLLECT_VAL(CI_START, ull_int, s);
		e->state = COLLECT_VAL(CI_STATE, s_ch, s);
		e->kthread =
			(COLLECT_VAL(CI_FLAGS, ul_int, s) & PF_KTHREAD) != 0;
		cmd = COLLECT_VAL(CI_CMD, str, s);
		snprintf(e->comm, sizeof e->comm, "%s", cmd ? cmd : "");
	}
	*ents = c->ents;
	*n = (size_t)total;
	return 0;
}

/*
 * Read a whole file into b (grown as needed; never shrunk).  Returns 0
 * or -errno.  The buffer is NUL-terminated for convenience.
 */
static int
collect_read(const char *path, struct collect_buf *b)
{
	ssize_t r;
	size_t cap;
	char *np;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
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
		r = read(fd, b->p + b->len, b->cap - b->len - 1);
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
	}
	close(fd);
	b->p[b->len] = '\0';
	return 0;
}

static int
collect_read_pid(int pid, const char *file, struct collect_buf *b)
{
	char path[64];
	int r;

	snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
	r = collect_read(path, b);
	/* A process that exited mid-read: ENOENT on open, ESRCH on read. */
	if (r == -ENOENT)
		r = -ESRCH;
	return r;
}

int
collect_status(struct collector *c, int pid, struct status_info *out)
{
	int r;

	r = collect_read_pid(pid, "status", &c->small);
	if (r < 0)
		return r;
	if (status_parse(c->small.p, c->small.len, out) < 0)
		return -ESRCH;	/* empty status: the process is gone */
	return 0;
}

int
collect_rollup(struct collector *c, int pid, struct smaps_mapping *out)
{
	int r;

	r = collect_read_pid(pid, "smaps_rollup", &c->small);
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
	if (c->tmpfs_read)
		return;
	c->tmpfs_read = 1;
	if (collect_read("/proc/self/mountinfo", &c->small) < 0)
		return;
	c->n_tmpfs_devs = mountinfo_tmpfs(c->small.p, c->small.len,
					  c->tmpfs_devs, 64);
}

int
collect_smaps(struct collector *c, int pid, struct region_set *out, int opts)
{
	struct region_ctx ctx;
	int r;

	collect_tmpfs(c);
	r = collect_read_pid(pid, "smaps", &c->big);
	if (r < 0)
		return r;
	ctx.tmpfs_devs = (const unsigned int(*)[2])c->tmpfs_devs;
	ctx.n_tmpfs_devs = c->n_tmpfs_devs;
	return region_set_build(out, c->big.p, c->big.len, &ctx, opts);
}

int
collect_cmdline(struct collector *c, int pid, char **out)
{
	size_t i, n;
	int r;

	*out = NULL;
	r = collect_read_pid(pid, "cmdline", &c->small);
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
	struct statvfs sv;
	int r;

	out->dev_shm_used = -1;
	if (statvfs("/dev/shm", &sv) == 0)
		out->dev_shm_used = (long long)((sv.f_blocks - sv.f_bfree) *
						(unsigned long long)sv.f_frsize /
						1024);
	r = collect_read("/proc/meminfo", &c->small);
	if (r < 0) {
		meminfo_parse("", 0, &out->mi);
		return r;
	}
	return meminfo_parse(c->small.p, c->small.len, &out->mi);
}

int
collect_start_time(struct collector *c, int pid, unsigned long long *out)
{
	const char *p;
	int r, field;

	r = collect_read_pid(pid, "stat", &c->small);
	if (r < 0)
		return r;
	/* comm may hold spaces and ')': fields restart after the last ')'. */
	p = strrchr(c->small.p, ')');
	if (p == NULL)
		return -EIO;
	/* After ')' come: state(3) ppid(4) ... starttime(22). */
	for (field = 2; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	*out = strtoull(p, NULL, 10);
	return 0;
}
