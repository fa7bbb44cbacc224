/*
 * collect.h - the collector: the one place that reads the kernel.
 *
 * Enumeration and stat fields come from each /proc/PID/stat (of the
 * recording when replaying one); status, smaps_rollup,
 * smaps, cmdline, meminfo and mountinfo are read here with reusable
 * buffers and handed to the pure parsers.  Every read returns 0 or
 * -errno so the caller can keep the reason a figure is unknown.
 */
#ifndef RAMTOP_COLLECT_H
#define RAMTOP_COLLECT_H

#include <stddef.h>

#include "procfs.h"
#include "region.h"
#include "smaps.h"

struct collector;

/* One process from the scan. */
struct scan_ent {
	int pid, ppid;
	unsigned long long start_time; /* clock ticks after boot */
	char state;
	int kthread;
	char comm[64];
	/* From the same stat line, free with the scan: what says whether
	 * the process's memory or program changed since the last look
	 * (model.c reads status and cmdline again only then).  sig_known
	 * is 0 when the scan could not give them (--replay). */
	int sig_known;
	unsigned long rss_pages, vsize, faults; /* minor faults (a major
						 * one moves rss) */
	unsigned long code_start, stack_start;	/* move at an exec (ASLR);
						 * 0 without ptrace access */
};

/* System-wide figures, KiB; KB_UNKNOWN unknown. */
struct sysmem {
	struct meminfo mi;
	long long dev_shm_used;
	long long dev_shm_size; /* what /dev/shm can hold */
};

/* Returns a collector, or NULL with errno set. */
struct collector *collect_new(void);
void collect_free(struct collector *c);

/*
 * Enumerate every process the user can see.  *ents is owned by the
 * collector and valid until the next scan.  Returns 0 or -errno.
 * each, when not NULL, is called with every entry as soon as its stat
 * is read (e valid only during the call): the process's other files,
 * read then, cost the kernel less than in a pass of their own (its
 * /proc entries are still warm: ~12% of a first sample's system time
 * at 5,000 processes).  each may read through c (not scan).
 */
typedef void (*collect_each_fn)(void *arg, const struct scan_ent *e);
int collect_scan(struct collector *c, const struct scan_ent **ents, size_t *n,
		 collect_each_fn each, void *arg);

int collect_status(struct collector *c, int pid, struct status_info *out);
int collect_rollup(struct collector *c, int pid, struct smaps_mapping *out);
/* Build the region set of pid; opts as for region_set_build.  smaps is
 * parsed as it is read, a 64 KiB buffer at a time; out->read_at and
 * out->read_ms say when it was read and what that cost (CPU). */
int collect_smaps(struct collector *c, int pid, struct region_set *out,
		  int opts);
/* Command line with NULs turned into spaces; *out is malloc'd (caller
 * frees), "" for kernel threads.  Returns 0 or -errno. */
int collect_cmdline(struct collector *c, int pid, char **out);
int collect_system(struct collector *c, struct sysmem *out);

/*
 * Whether pid can be seen in /proc: 1 yes, 0 it exists but /proc hides
 * it (mounted with hidepid: the directory hidden, or its files refused),
 * -ESRCH no such process.  Always 1 when replaying.
 */
int collect_visible(struct collector *c, int pid);

/* The process (thread group) that pid belongs to: pid itself for a
 * process, its process for a thread id; or -errno. */
int collect_tgid(struct collector *c, int pid);

/* Is /proc of ramtop's own pid namespace?  1 yes; 0 no (inside
 * `unshare -p -f` without a /proc of its own: every pid would name
 * another process); -errno when it cannot tell. */
int collect_pidns_ok(struct collector *c);

/*
 * Read a recorded /proc instead of the kernel's: DIR/PID/{stat, status,
 * smaps_rollup, smaps, cmdline} and DIR/meminfo, or frames DIR/0/,
 * DIR/1/, ... of that shape, one per scan, the last one repeating.
 * DIR/self/mountinfo, if present, says which devices are tmpfs.  A file
 * missing from a process's directory reads as -ENODATA: its figures are
 * unknown ("not in the recording"), the process is still there.
 * Returns 0 or -errno.
 */
int collect_replay(struct collector *c, const char *dir);

/*
 * Files outside /proc/PID for cgroups and /dev/shm (src/cgroup.c,
 * src/shmfs.c): path is absolute, such as /sys/fs/cgroup/memory/x/
 * memory.stat or /proc/pressure/memory.  When replaying, /proc/X is read
 * from the recording's X and any other path P from P under it (the
 * current frame first, then the recording's top).  *buf is the
 * collector's, NUL-terminated, valid until its next read.  Returns 0 or
 * -errno (-ENOENT: no such file, live or recorded).
 */
int collect_file(struct collector *c, const char *path, const char **buf,
		 size_t *len);
/* Whether the directory path exists (mapped as above): 0 or -errno. */
int collect_dir_exists(struct collector *c, const char *path);
/* A file of /proc/PID ("cgroup", "oom_score", ...), as collect_status
 * reads: -ESRCH gone, -ENODATA not in the recording. */
int collect_pid_file(struct collector *c, int pid, const char *file,
		     const char **buf, size_t *len);
/* statvfs(path); a recording has no file systems: -ENODATA. */
struct statvfs;
int collect_fs(struct collector *c, const char *path, struct statvfs *out);
/* 1 when reading a recording. */
int collect_replaying(const struct collector *c);

#endif
