/*
 * procfs.h - pure parsers for small /proc text files: status, stat,
 * meminfo, mountinfo (tmpfs devices).  No I/O: the collector reads, these parse.
 */
#ifndef RAMTOP_PROCFS_H
#define RAMTOP_PROCFS_H

#include <stddef.h>

#include "kb.h"

/* Figures from /proc/PID/status, in KiB; KB_UNKNOWN when the line is absent
 * (kernel threads have no Vm* lines). */
struct status_info {
	char name[64]; /* Name:, raw bytes, NUL-terminated */
	char state;    /* first letter of State:, 0 if absent */
	int ppid;      /* -1 if absent */
	int tgid;      /* the process of this thread; -1 if absent */
	long uid;      /* real uid, -1 if absent */
	long long vm_size, vm_lck, vm_hwm, vm_rss, rss_anon, rss_file,
		rss_shmem, vm_swap;
};

/* Returns 0, or -EINVAL when the buffer has no Name: line. */
int status_parse(const char *buf, size_t len, struct status_info *out);

/* Fields of /proc/PID/stat that identify a process and place it in the
 * tree, and those that tell whether its memory or program changed. */
struct stat_info {
	int pid, ppid;
	char comm[64]; /* raw bytes between the parentheses */
	char state;
	unsigned long flags;
	unsigned long long start_time; /* clock ticks after boot */
	/* Fields 23 to 28; sig_known is 0 when the line ends before them
	 * (an old recording). */
	int sig_known;
	unsigned long minflt;		       /* field 10 */
	unsigned long vsize, rss_pages;	       /* bytes; pages */
	unsigned long code_start, stack_start; /* 0 without ptrace access */
};

/*
 * comm may hold spaces and ')', so the fields after it are counted from
 * the last ')'.  Returns 0, or -EINVAL when the line is cut short before
 * field 22 or a field is not a number.
 */
int stat_parse(const char *buf, size_t len, struct stat_info *out);

struct meminfo {
	long long mem_total, mem_free, mem_available, buffers, cached, shmem,
		swap_total, swap_free; /* KiB, KB_UNKNOWN if absent */
};

int meminfo_parse(const char *buf, size_t len, struct meminfo *out);

/*
 * Collect the device numbers of tmpfs mounts from a mountinfo buffer into
 * devs (up to max entries).  Returns the number found.
 */
size_t mountinfo_tmpfs(const char *buf, size_t len, unsigned int (*devs)[2],
		       size_t max);

/*
 * One mountinfo line split into the fields cgroups and tmpfs need:
 * [x, x_end) ranges in the caller's buffer, not NUL-terminated (mount
 * points keep the kernel's \ooo escapes: see mountinfo_unescape).
 * Returns 0, or -EINVAL when the line lacks them.
 */
struct mountinfo_line {
	const char *root, *root_end;	 /* field 4: the mount's root */
	const char *point, *point_end;	 /* field 5: the mount point */
	const char *fstype, *fstype_end; /* after " - " */
	const char *opts, *opts_end;	 /* super options; may be empty */
};
int mountinfo_split(const char *p, const char *nl, struct mountinfo_line *out);
/* Copy [p, end) into out (len, always NUL-terminated) with each \ooo
 * escape turned back into its byte. */
void mountinfo_unescape(char *out, size_t len, const char *p, const char *end);

#endif
