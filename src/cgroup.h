/*
 * cgroup.h - the memory cgroups of the target tree: which cgroup each
 * target process is in (cgroup v2 unified, or v1's memory controller on
 * hybrid hosts), each distinct cgroup's usage, limits, peak, swap,
 * memory.stat breakdown, events and pressure, the system's memory
 * pressure, per-process oom_score, and OOM kills attributed to the
 * processes they ended.
 *
 * Every file is read through the collector (collect_file,
 * collect_pid_file), so a recorded /proc and /sys (--replay) gives the
 * same figures.  Parsers are pure functions over a buffer (tests, fuzz).
 *
 * Ownership: a struct cgroup_set owns its cgroups, members and events;
 * pointers into it are valid until the next cgroup_sample().
 */
#ifndef RAMTOP_CGROUP_H
#define RAMTOP_CGROUP_H

#include <stddef.h>

struct collector;
struct model;

/* A figure that is not limited: memory.max "max", or v1's
 * PAGE_COUNTER_MAX pages (9223372036854771712 with 4 KiB pages). */
#define CG_UNLIMITED (-2LL)
/* Unknown: see the figure's err. */
#define CG_UNKNOWN (-1LL)

/* Per-cgroup figures: bytes (sizes) or counts (events).  X(name, json
 * key, is_size). */
#define CG_FIGS                                                                \
	X(usage, "usage", 1)                                                   \
	X(limit, "limit", 1)                                                   \
	X(high, "high", 1)                                                     \
	X(peak, "peak", 1)                                                     \
	X(swap, "swap", 1)                                                     \
	X(swap_limit, "swap_limit", 1)                                         \
	X(anon, "anon", 1)                                                     \
	X(file, "file", 1)                                                     \
	X(shmem, "shmem", 1)                                                   \
	X(kernel, "kernel", 1)                                                 \
	X(slab, "slab", 1)                                                     \
	X(sock, "sock", 1)                                                     \
	X(file_mapped, "file_mapped", 1)                                       \
	X(ev_oom, "oom", 0)                                                    \
	X(ev_oom_kill, "oom_kill", 0)                                          \
	X(ev_max, "max", 0)

/* The list has no commas clang-format can see. */
/* clang-format off */
enum cg_fig {
#define X(f, key, sz) CG_##f,
	CG_FIGS
#undef X
	CG_NFIGS
};
/* clang-format on */

/* Name of figure i for JSON ("usage", ...) and whether it is a size. */
const char *cgroup_fig_name(int i);
int cgroup_fig_is_size(int i);

/* Memory pressure (PSI) of /proc/pressure/memory or memory.pressure. */
struct cg_psi {
	int err;		 /* 0 read, else -errno (-ENOENT: none) */
	double some[3], full[3]; /* avg10, avg60, avg300 (percent) */
	long long some_total, full_total; /* microseconds stalled */
};

/* One memory cgroup of the tree. */
struct cgroup {
	char *path;		 /* in its hierarchy, "/a/b" (raw: sanitise) */
	char *dir;		 /* its files: /sys/fs/cgroup/memory/a/b */
	int version;		 /* 1 or 2 */
	long long fig[CG_NFIGS]; /* CG_UNKNOWN, CG_UNLIMITED or >= 0 */
	int err[CG_NFIGS];	 /* why unknown: -errno (see cgroup_why) */
	struct cg_psi psi;	 /* memory.pressure, or -errno */
	/* v1 on a hybrid host: PSI lives in cgroup2, so memory.pressure is
	 * read from the cgroup2 group of its first process (not the root,
	 * which is the whole system); NULL: from dir. */
	char *psi_dir;
	/* The tightest memory limit on the way to the root: this cgroup's
	 * or an ancestor's.  CG_UNLIMITED when none, CG_UNKNOWN if none
	 * could be read. */
	long long tight_limit;
	char *tight_path;      /* whose limit that is, or NULL */
	long long tight_usage; /* that cgroup's usage */
	size_t nprocs;	       /* target processes in it this sample */
	int gone;	       /* its directory disappeared */
	/* OOM attribution (cgroup_oom.c). */
	long long oom_seen; /* oom_kill counter already accounted for */
	unsigned long long oom_pending; /* tick a rise was first seen, or 0 */
	unsigned long long tick;      /* last sample it was part of the tree */
	unsigned long long read_tick; /* last sample that read its files */
};

/* Why a process has no cgroup figures. */
enum cg_none {
	CGN_OK = 0,
	CGN_NO_MEMCG, /* in no memory cgroup (no controller line) */
	CGN_READ,     /* /proc/PID/cgroup unreadable: see err */
};

/* One target process as cgroup.c tracks it. */
struct cg_member {
	int pid;
	unsigned long long start_time;
	char comm[64]; /* raw */
	long cg;       /* index in the set's cgroups, -1 none */
	enum cg_none none;
	int err;		 /* -errno of /proc/PID/cgroup when CGN_READ */
	long long rss_kb;	 /* last known, for attribution */
	long oom_score;		 /* -1 unknown */
	long oom_score_adj;	 /* LONG_MIN unknown */
	int oom_err, adj_err;	 /* -errno when unknown */
	unsigned long long tick; /* last sample it was seen in */
	unsigned long long read_tick;	/* last read of /proc/PID/cgroup */
	unsigned long long scores_tick; /* last read of oom_score(_adj) */
	int ended;     /* seen ending: a zombie, or its memory released */
	int ended_now; /* ... first in this sample */
	int killed;    /* an OOM event names it */
};

/* A process ended by the OOM killer. */
struct cg_oom {
	int pid;
	unsigned long long start_time;
	char comm[64]; /* raw */
	char *cgroup;  /* its cgroup path (raw), owned */
	int version;
	long long limit, peak, usage; /* bytes; CG_UNKNOWN, CG_UNLIMITED */
	long long rss_kb;	      /* its last RSS seen, KiB; -1 unknown */
	long long oom_kill;	      /* the cgroup's counter after the kill */
	double elapsed_s;	      /* since ramtop started */
	char time[40];		      /* ISO 8601 UTC */
	long phase_index;	      /* the phase it happened in, -1 none */
	char *phase;		      /* its label (raw), owned, or NULL */
	/* 1: ended by SIGKILL (known for the launched command); 0: not
	 * known. */
	int sigkill;
	int reported; /* told already (batch as it happens, or at exit) */
};

/* Where the memory controller's hierarchies are mounted. */
struct cg_mounts {
	char v1[1024], v1_root[1024]; /* "" when not mounted */
	char v2[1024], v2_root[1024];
	/* v2 has the memory controller: 1 yes, 0 no, -1 unknown. */
	int v2_memory;
	int read; /* mountinfo was read */
};

struct proc;

struct cgroup_set {
	struct cgroup *v;
	size_t n, cap;
	struct cg_member *mem;
	size_t nmem;
	struct cg_oom *oom;
	size_t noom, capoom;
	struct cg_psi sys_psi; /* /proc/pressure/memory */
	struct cg_mounts mnt;
	unsigned long long tick;
	/* Read each process's oom_score and oom_score_adj with its cgroup
	 * (1 after cgroup_set_init).  0: only at cgroup_scores_read(), as
	 * when the screen over every process does not show them: two files
	 * a process the first sample. */
	int scores;
	long phase_index; /* the phase marked last (cgroup_set_phase) */
	char *phase;	  /* its label, owned */
	/* What cgroup_take read ahead in the model's sample pre_tick (its
	 * m->tick), by pid; let go by cgroup_sample(). */
	struct cg_pre *pre;
	size_t npre, cappre;
	unsigned long long pre_tick;
};

/* ---- pure parsers ------------------------------------------------- */

/*
 * /proc/PID/cgroup: the v1 memory line ("N:...memory...:/path") into v1
 * and the v2 line ("0::/path") into v2 (each "" when absent).  Returns
 * 0, or -EINVAL when no line parses.
 */
int cgroup_parse_proc(const char *buf, size_t len, char *v1, size_t v1len,
		      char *v2, size_t v2len);

/* mountinfo: where cgroup (with memory) and cgroup2 are mounted. */
void cgroup_parse_mounts(const char *buf, size_t len, struct cg_mounts *out);

/* A single-value file: a number of bytes, or "max" (CG_UNLIMITED); v1's
 * "no limit" value (>= 2^62) is CG_UNLIMITED too.  Returns the value, or
 * CG_UNKNOWN when it does not parse. */
long long cgroup_parse_value(const char *buf, size_t len);

/* The value of key in a flat-keyed file ("key value" lines: memory.stat,
 * memory.events, memory.oom_control), or CG_UNKNOWN when absent. */
long long cgroup_parse_key(const char *buf, size_t len, const char *key);

/* PSI lines "some avg10=.. avg60=.. avg300=.. total=.." and "full ...".
 * Returns 0, or -EINVAL when no "some" line parses. */
int cgroup_parse_psi(const char *buf, size_t len, struct cg_psi *out);

/* ---- the set ------------------------------------------------------- */

void cgroup_set_init(struct cgroup_set *s);
void cgroup_set_free(struct cgroup_set *s);

/*
 * While a model sample takes p, watching all processes (model.c): read
 * now the files of p that the coming cgroup_sample() will read (its
 * /proc/PID/cgroup, oom_score and oom_score_adj when due), while its
 * /proc entries are warm (collect.h); cgroup_sample() uses them and lets
 * them go.  A guess that misses costs only a read.
 */
void cgroup_take(struct cgroup_set *s, struct collector *c,
		 const struct model *m, const struct proc *p);

/*
 * After a model sample: find each target process's memory cgroup, read
 * every distinct cgroup's files and the system's pressure, oom_score and
 * oom_score_adj of each process; attribute OOM kills to processes that
 * ended (left the target, or a zombie).  Returns the number of new OOM
 * events (>= 0).
 */
int cgroup_sample(struct cgroup_set *s, struct model *m);

/* The phase new events happen in (after a mark). */
void cgroup_set_phase(struct cgroup_set *s, long index, const char *label);

/*
 * The launched command ended (status known): if it was SIGKILLed and the
 * counter of the cgroup it was in rose, record the event (once).
 * sigkill: it ended by SIGKILL.  Returns the event, or NULL.
 */
struct cg_oom *cgroup_child_ended(struct cgroup_set *s, struct model *m,
				  int pid, unsigned long long start_time,
				  int sigkill);

/* Read every member's oom_score and oom_score_adj now (a mark, when
 * s->scores is 0). */
void cgroup_scores_read(struct cgroup_set *s, struct model *m);
/* The member entry of pid, or NULL. */
const struct cg_member *cgroup_member(const struct cgroup_set *s, int pid);

/* The cgroup with the least headroom (tight_limit - tight_usage) among
 * those with a limit, or NULL if no limit applies. */
const struct cgroup *cgroup_tightest(const struct cgroup_set *s);

/* Why figure i of g is unknown, for a message: "cgroup removed",
 * "permission denied", "not in cgroup v1", ... */
const char *cgroup_why(const struct cgroup *g, int i);
const char *cgroup_member_why(const struct cg_member *mb);

/* The message of an event: "pid 1234 killed by the OOM killer (cgroup
 * /x: limit 64M, peak 64M) during phase 'kv-cache'" (raw: sanitise). */
void cgroup_oom_msg(const struct cg_oom *e, char *buf, size_t len);

/* ---- between the cgroup_*.c files (not for other callers) -------- */

/* cgroup_read.c: read g's files and its tightest limit now. */
void cgroup_read_one(struct cgroup *g, struct collector *c,
		     const struct cg_mounts *mt);
/* cgroup_oom.c: a new event for member mb of cgroup g (NULL: out of
 * memory); attribute a rise of cgroup gi's oom_kill counter to the
 * members in gone[] (ended this sample: left, or a zombie).  Returns the
 * number of events made. */
struct cg_oom *cgroup_oom_add(struct cgroup_set *s, const struct model *m,
			      const struct cg_member *mb,
			      const struct cgroup *g);
int cgroup_attribute(struct cgroup_set *s, const struct model *m, long gi,
		     struct cg_member **gone, size_t ngone);

/* Headroom under which a limit (a cgroup's, or a tmpfs's size) is shown
 * as a warning: less than CGROUP_WARN_PCT percent of the limit left.
 * 1 warn, 0 not, -1 unknown (either figure unknown, or no limit). */
#define CGROUP_WARN_PCT 20
int cgroup_warn(long long limit, long long usage);

#endif
