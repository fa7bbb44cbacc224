/*
 * metrics.c - the exposition text of metrics.h (the frames it writes
 * come from metrics_frame.c): one table of metric families and the writer
 * that walks it (each family's points gathered over all frames, then
 * printed series by series).  Pure formatting: no /proc, no files but the
 * FILE given.  It is over 600 lines because it is one job: the family
 * table is a third of it, and every other part (label sets, the collectors
 * per kind of family, the printer) exists only to serve that table.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics.h"
#include "sanitize.h"

/* --- a small string builder ----------------------------------------- */

struct mx_sb {
	char *s;
	size_t n, cap;
	int oom;
};

static void
mx_sb_add(struct mx_sb *b, const char *s, size_t len)
{
	char *ns;
	size_t cap;

	if (b->oom)
		return;
	if (b->n + len + 1 > b->cap) {
		cap = b->cap ? b->cap * 2 : 64;
		while (cap < b->n + len + 1)
			cap *= 2;
		ns = realloc(b->s, cap);
		if (ns == NULL) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
}

static void
mx_sb_str(struct mx_sb *b, const char *s)
{
	mx_sb_add(b, s, strlen(s));
}

/* A label value: through the sanitiser (valid printable UTF-8 only),
 * then \\, \" and \n escaped as the text formats require. */
static void
mx_sb_value(struct mx_sb *b, const char *s)
{
	size_t len = strlen(s), i, n;
	char *clean = malloc(len + 1);

	if (clean == NULL) {
		b->oom = 1;
		return;
	}
	n = sanitize_text(clean, len + 1, s, len);
	for (i = 0; i < n; i++) {
		if (clean[i] == '\\' || clean[i] == '"')
			mx_sb_add(b, "\\", 1);
		if (clean[i] == '\n')
			mx_sb_add(b, "\\n", 2);
		else
			mx_sb_add(b, &clean[i], 1);
	}
	free(clean);
}

/* name="value" (value raw: sanitised and escaped here), comma first
 * unless the builder is empty. */
static void
mx_sb_label(struct mx_sb *b, const char *name, const char *value)
{
	if (b->n > 0)
		mx_sb_add(b, ",", 1);
	mx_sb_str(b, name);
	mx_sb_add(b, "=\"", 2);
	mx_sb_value(b, value);
	mx_sb_add(b, "\"", 1);
}

/* --- the families ------------------------------------------------------ */

enum mx_type { MX_GAUGE, MX_COUNTER, MX_INFO };

enum mx_src {
	MX_PROC_FIG, /* arg: offset in struct proc_figs */
	MX_PROC_DELTA,
	MX_PROC_REGION, /* arg: offset in struct region_fig */
	MX_TREE_PROCS,
	MX_TREE_FIG, /* arg: offset in struct proc_figs */
	MX_TREE_DELTA,
	MX_TREE_UNKNOWN,
	MX_TREE_REGION, /* arg: offset in struct region_fig */
	MX_TREE_REGION_PROCS,
	MX_TREE_REGION_MAPS,
	MX_SYS, /* arg: offset in struct metrics_frame */
	MX_PHASE_INFO,
	MX_PHASE_TIME,
	MX_SELF_DURATION,
	MX_SELF_SAMPLES,
	MX_SELF_LAST,
	MX_SELF_START,
	MX_BUILD,
	MX_PROC_OOM,	 /* arg: 0 oom_score, 1 oom_score_adj */
	MX_CG_PROCS,	 /* the tree's cgroups (mx_collect_cg) */
	MX_CG_FIG,	 /* arg: enum cg_fig */
	MX_CG_UNLIMITED, /* limit, high, swap limit that are "max" */
	MX_CG_TIGHT,	 /* arg: 0 the tightest limit, 1 its headroom */
	MX_CG_PSI_AVG,	 /* arg: 0 system, 1 per cgroup */
	MX_CG_PSI_TOTAL, /* arg: 0 system, 1 per cgroup */
	MX_SHM,		 /* arg: 0 size, 1 used, 2 the tree's */
};

struct mx_family {
	const char *name; /* family name (OpenMetrics); the sample name
			   * adds _total (counter) or _info (info) */
	enum mx_type type;
	const char *unit; /* "bytes", "seconds" or NULL */
	enum mx_src src;
	size_t arg;
	const char *help;
};

#define FIG(f) offsetof(struct proc_figs, f)
#define REG(f) offsetof(struct region_fig, f)
#define SYS(f) offsetof(struct metrics_frame, f)

static const struct mx_family mx_families[] = {
	{ "ramtop_process_resident_bytes", MX_GAUGE, "bytes", MX_PROC_FIG,
	  FIG(rss), "Resident set size (VmRSS) of a process." },
	{ "ramtop_process_proportional_bytes", MX_GAUGE, "bytes", MX_PROC_FIG,
	  FIG(pss),
	  "Proportional set size (PSS, smaps_rollup): shared pages divided "
	  "among their users; sum() over processes is honest." },
	{ "ramtop_process_unique_bytes", MX_GAUGE, "bytes", MX_PROC_FIG,
	  FIG(uss), "Unique set size (USS): private clean + private dirty." },
	{ "ramtop_process_swap_bytes", MX_GAUGE, "bytes", MX_PROC_FIG,
	  FIG(swap), "Swapped-out anonymous memory (VmSwap)." },
	{ "ramtop_process_anon_bytes", MX_GAUGE, "bytes", MX_PROC_FIG,
	  FIG(anon), "Resident anonymous memory (RssAnon)." },
	{ "ramtop_process_file_bytes", MX_GAUGE, "bytes", MX_PROC_FIG,
	  FIG(file), "Resident file-backed memory (RssFile)." },
	{ "ramtop_process_shmem_bytes", MX_GAUGE, "bytes", MX_PROC_FIG,
	  FIG(shmem), "Resident shared memory (RssShmem)." },
	{ "ramtop_process_locked_bytes", MX_GAUGE, "bytes", MX_PROC_FIG,
	  FIG(locked), "Locked memory (VmLck)." },
	{ "ramtop_process_peak_resident_bytes", MX_GAUGE, "bytes", MX_PROC_FIG,
	  FIG(hwm), "Peak resident set size (VmHWM)." },
	{ "ramtop_process_resident_delta_bytes", MX_GAUGE, "bytes",
	  MX_PROC_DELTA, 0,
	  "Change of resident bytes since the process's baseline." },
	{ "ramtop_process_region_mapped_bytes", MX_GAUGE, "bytes",
	  MX_PROC_REGION, REG(size),
	  "Mapped size of a process's regions of one type (only where smaps "
	  "was read)." },
	{ "ramtop_process_region_resident_bytes", MX_GAUGE, "bytes",
	  MX_PROC_REGION, REG(rss),
	  "Resident bytes of a process's regions of one type." },
	{ "ramtop_process_region_proportional_bytes", MX_GAUGE, "bytes",
	  MX_PROC_REGION, REG(pss),
	  "Proportional bytes (PSS) of a process's regions of one type." },
	{ "ramtop_process_region_swap_bytes", MX_GAUGE, "bytes", MX_PROC_REGION,
	  REG(swap), "Swapped-out bytes of a process's regions of one type." },
	{ "ramtop_process_region_locked_bytes", MX_GAUGE, "bytes",
	  MX_PROC_REGION, REG(locked),
	  "Locked bytes of a process's regions of one type." },
	{ "ramtop_tree_processes", MX_GAUGE, NULL, MX_TREE_PROCS, 0,
	  "Processes in the target (all processes without a target), kernel "
	  "threads and zombies left out." },
	{ "ramtop_tree_resident_bytes", MX_GAUGE, "bytes", MX_TREE_FIG,
	  FIG(rss),
	  "Sum of resident bytes over the target (counts shared pages once "
	  "per process)." },
	{ "ramtop_tree_proportional_bytes", MX_GAUGE, "bytes", MX_TREE_FIG,
	  FIG(pss), "Sum of PSS over the target: its honest total." },
	{ "ramtop_tree_unique_bytes", MX_GAUGE, "bytes", MX_TREE_FIG, FIG(uss),
	  "Sum of USS over the target." },
	{ "ramtop_tree_swap_bytes", MX_GAUGE, "bytes", MX_TREE_FIG, FIG(swap),
	  "Sum of swapped-out bytes over the target." },
	{ "ramtop_tree_anon_bytes", MX_GAUGE, "bytes", MX_TREE_FIG, FIG(anon),
	  "Sum of resident anonymous bytes over the target." },
	{ "ramtop_tree_file_bytes", MX_GAUGE, "bytes", MX_TREE_FIG, FIG(file),
	  "Sum of resident file-backed bytes over the target." },
	{ "ramtop_tree_shmem_bytes", MX_GAUGE, "bytes", MX_TREE_FIG, FIG(shmem),
	  "Sum of resident shared-memory bytes over the target." },
	{ "ramtop_tree_locked_bytes", MX_GAUGE, "bytes", MX_TREE_FIG,
	  FIG(locked), "Sum of locked bytes over the target." },
	{ "ramtop_tree_resident_delta_bytes", MX_GAUGE, "bytes", MX_TREE_DELTA,
	  0, "Sum of the processes' resident change since their baseline." },
	{ "ramtop_tree_unknown_processes", MX_GAUGE, NULL, MX_TREE_UNKNOWN, 0,
	  "Processes whose figure could not be read (not in the tree sums)." },
	{ "ramtop_tree_region_mapped_bytes", MX_GAUGE, "bytes", MX_TREE_REGION,
	  REG(size),
	  "Mapped size of the target's regions of one type (processes whose "
	  "smaps was read)." },
	{ "ramtop_tree_region_resident_bytes", MX_GAUGE, "bytes",
	  MX_TREE_REGION, REG(rss),
	  "Resident bytes of the target's regions of one type." },
	{ "ramtop_tree_region_proportional_bytes", MX_GAUGE, "bytes",
	  MX_TREE_REGION, REG(pss),
	  "Proportional bytes (PSS) of the target's regions of one type." },
	{ "ramtop_tree_region_swap_bytes", MX_GAUGE, "bytes", MX_TREE_REGION,
	  REG(swap), "Swapped-out bytes of the target's regions of one type." },
	{ "ramtop_tree_region_locked_bytes", MX_GAUGE, "bytes", MX_TREE_REGION,
	  REG(locked), "Locked bytes of the target's regions of one type." },
	{ "ramtop_tree_region_mappings", MX_GAUGE, NULL, MX_TREE_REGION_MAPS, 0,
	  "Mappings of one region type in the target." },
	{ "ramtop_tree_region_processes", MX_GAUGE, NULL, MX_TREE_REGION_PROCS,
	  0, "Processes whose regions are in the ramtop_tree_region_* sums." },
	{ "ramtop_system_available_bytes", MX_GAUGE, "bytes", MX_SYS,
	  SYS(sys_available), "MemAvailable of /proc/meminfo." },
	{ "ramtop_system_cached_bytes", MX_GAUGE, "bytes", MX_SYS,
	  SYS(sys_cached), "Cached of /proc/meminfo." },
	{ "ramtop_system_shmem_bytes", MX_GAUGE, "bytes", MX_SYS,
	  SYS(sys_shmem), "Shmem of /proc/meminfo." },
	{ "ramtop_system_dev_shm_used_bytes", MX_GAUGE, "bytes", MX_SYS,
	  SYS(sys_dev_shm), "Bytes used in /dev/shm." },
	{ "ramtop_process_oom_score", MX_GAUGE, NULL, MX_PROC_OOM, 0,
	  "The OOM killer's badness score of a process (/proc/PID/oom_score, "
	  "0..2000); higher is killed first." },
	{ "ramtop_process_oom_score_adj", MX_GAUGE, NULL, MX_PROC_OOM, 1,
	  "A process's oom_score_adj (-1000..1000; -1000: never killed)." },
	{ "ramtop_cgroup_processes", MX_GAUGE, NULL, MX_CG_PROCS, 0,
	  "Target processes in a memory cgroup (one series per distinct "
	  "cgroup of the target; label version: 1 or 2)." },
	{ "ramtop_cgroup_usage_bytes", MX_GAUGE, "bytes", MX_CG_FIG, CG_usage,
	  "Memory charged to the cgroup (memory.current, "
	  "memory.usage_in_bytes)." },
	{ "ramtop_cgroup_limit_bytes", MX_GAUGE, "bytes", MX_CG_FIG, CG_limit,
	  "The cgroup's hard limit (memory.max, memory.limit_in_bytes); "
	  "absent when none (see ramtop_cgroup_unlimited)." },
	{ "ramtop_cgroup_high_bytes", MX_GAUGE, "bytes", MX_CG_FIG, CG_high,
	  "The cgroup's throttling limit (memory.high, v2 only); absent when "
	  "none." },
	{ "ramtop_cgroup_peak_bytes", MX_GAUGE, "bytes", MX_CG_FIG, CG_peak,
	  "The cgroup's highest usage (memory.peak, "
	  "memory.max_usage_in_bytes)." },
	{ "ramtop_cgroup_swap_bytes", MX_GAUGE, "bytes", MX_CG_FIG, CG_swap,
	  "Swap used by the cgroup (memory.swap.current; v1: memsw usage "
	  "less usage)." },
	{ "ramtop_cgroup_swap_limit_bytes", MX_GAUGE, "bytes", MX_CG_FIG,
	  CG_swap_limit, "The cgroup's swap limit; absent when none." },
	{ "ramtop_cgroup_unlimited", MX_GAUGE, NULL, MX_CG_UNLIMITED, 0,
	  "1 for each limit (label limit: limit, high, swap_limit) the cgroup "
	  "sets to none (\"max\"): its _bytes series is absent." },
	{ "ramtop_cgroup_anon_bytes", MX_GAUGE, "bytes", MX_CG_FIG, CG_anon,
	  "Anonymous memory of the cgroup (memory.stat anon, v1 rss)." },
	{ "ramtop_cgroup_file_bytes", MX_GAUGE, "bytes", MX_CG_FIG, CG_file,
	  "Page cache of the cgroup (memory.stat file, v1 cache); includes "
	  "shmem and file_mapped." },
	{ "ramtop_cgroup_shmem_bytes", MX_GAUGE, "bytes", MX_CG_FIG, CG_shmem,
	  "Shared memory and tmpfs of the cgroup (memory.stat shmem; part of "
	  "file)." },
	{ "ramtop_cgroup_file_mapped_bytes", MX_GAUGE, "bytes", MX_CG_FIG,
	  CG_file_mapped,
	  "Page cache mapped by the cgroup's processes (memory.stat "
	  "file_mapped, v1 mapped_file; part of file)." },
	{ "ramtop_cgroup_kernel_bytes", MX_GAUGE, "bytes", MX_CG_FIG, CG_kernel,
	  "Kernel memory of the cgroup (memory.stat kernel, v1 "
	  "kmem.usage_in_bytes); includes slab." },
	{ "ramtop_cgroup_slab_bytes", MX_GAUGE, "bytes", MX_CG_FIG, CG_slab,
	  "Slab memory of the cgroup (memory.stat slab; part of kernel)." },
	{ "ramtop_cgroup_sock_bytes", MX_GAUGE, "bytes", MX_CG_FIG, CG_sock,
	  "Network buffers of the cgroup (memory.stat sock)." },
	{ "ramtop_cgroup_oom_events", MX_COUNTER, NULL, MX_CG_FIG, CG_ev_oom,
	  "Times the cgroup hit its limit and the OOM killer was invoked "
	  "(memory.events oom; v1 under_oom is not a count: absent)." },
	{ "ramtop_cgroup_oom_kill_events", MX_COUNTER, NULL, MX_CG_FIG,
	  CG_ev_oom_kill,
	  "Processes of the cgroup killed by the OOM killer (memory.events "
	  "oom_kill, v1 memory.oom_control oom_kill)." },
	{ "ramtop_cgroup_max_events", MX_COUNTER, NULL, MX_CG_FIG, CG_ev_max,
	  "Times usage reached the limit (memory.events max, v1 "
	  "memory.failcnt)." },
	{ "ramtop_cgroup_tightest_limit_bytes", MX_GAUGE, "bytes", MX_CG_TIGHT,
	  0,
	  "The tightest memory limit on the cgroup's way to the root (label "
	  "limit_cgroup: whose); absent when none applies." },
	{ "ramtop_cgroup_headroom_bytes", MX_GAUGE, "bytes", MX_CG_TIGHT, 1,
	  "The tightest limit less the usage of the cgroup that sets it." },
	{ "ramtop_cgroup_memory_pressure_ratio", MX_GAUGE, NULL, MX_CG_PSI_AVG,
	  1,
	  "Share of time the cgroup's tasks stalled on memory "
	  "(memory.pressure; "
	  "label stall: some or full; window: 10s or 60s), 0..1." },
	{ "ramtop_cgroup_memory_pressure_stalled_seconds", MX_COUNTER,
	  "seconds", MX_CG_PSI_TOTAL, 1,
	  "Time the cgroup's tasks stalled on memory (memory.pressure "
	  "total)." },
	{ "ramtop_system_memory_pressure_ratio", MX_GAUGE, NULL, MX_CG_PSI_AVG,
	  0,
	  "Share of time tasks stalled on memory system-wide "
	  "(/proc/pressure/memory; labels stall, window), 0..1." },
	{ "ramtop_system_memory_pressure_stalled_seconds", MX_COUNTER,
	  "seconds", MX_CG_PSI_TOTAL, 0,
	  "Time tasks stalled on memory system-wide (/proc/pressure/memory "
	  "total)." },
	{ "ramtop_tmpfs_size_bytes", MX_GAUGE, "bytes", MX_SHM, 0,
	  "Size limit of /dev/shm or a tmpfs the target maps (statvfs; label "
	  "path)." },
	{ "ramtop_tmpfs_used_bytes", MX_GAUGE, "bytes", MX_SHM, 1,
	  "Bytes used in the tmpfs (statvfs)." },
	{ "ramtop_tmpfs_tree_bytes", MX_GAUGE, "bytes", MX_SHM, 2,
	  "Resident bytes the target maps from the tmpfs (from the region "
	  "tables read)." },
	{ "ramtop_phase", MX_INFO, NULL, MX_PHASE_INFO, 0,
	  "A phase mark (index and label); 1 while the phase is recorded." },
	{ "ramtop_phase_timestamp_seconds", MX_GAUGE, "seconds", MX_PHASE_TIME,
	  0, "When the phase was marked (Unix time)." },
	{ "ramtop_sample_duration_seconds", MX_GAUGE, "seconds",
	  MX_SELF_DURATION, 0, "What ramtop's last sample took it (wall)." },
	{ "ramtop_samples", MX_COUNTER, NULL, MX_SELF_SAMPLES, 0,
	  "Samples ramtop has taken." },
	{ "ramtop_last_sample_timestamp_seconds", MX_GAUGE, "seconds",
	  MX_SELF_LAST, 0, "When ramtop took the sample shown (Unix time)." },
	{ "ramtop_start_time_seconds", MX_GAUGE, "seconds", MX_SELF_START, 0,
	  "When ramtop started (Unix time)." },
	{ "ramtop_build", MX_INFO, NULL, MX_BUILD, 0, "ramtop's version." },
};
#define MX_NFAMILIES (sizeof mx_families / sizeof mx_families[0])

/* The kinds summed for the tree (and counted when unknown). */
static const struct {
	const char *name;
	size_t off;
} mx_kinds[] = {
	{ "resident", FIG(rss) }, { "proportional", FIG(pss) },
	{ "unique", FIG(uss) },	  { "swap", FIG(swap) },
	{ "anon", FIG(anon) },	  { "file", FIG(file) },
	{ "shmem", FIG(shmem) },  { "locked", FIG(locked) },
};
#define MX_NKINDS (sizeof mx_kinds / sizeof mx_kinds[0])

#undef FIG
#undef REG
#undef SYS

/* --- the writer -------------------------------------------------------- */

/* Per frame: which processes get series, their label sets, tree sums. */
struct mx_aux {
	size_t *sel; /* indexes into procs */
	size_t nsel;
	char **plabels;	 /* per selected process */
	char **phlabels; /* per phase: index="..",label=".." */
	long long sum[MX_NKINDS];
	size_t known[MX_NKINDS], unknown[MX_NKINDS];
	size_t nprocs; /* with user memory */
	long long delta;
	size_t delta_known;
	char **cglabels; /* per cgroup of f->cg in the tree, else NULL */
};

struct mx_point {
	const char *labels; /* escaped label set, or "" */
	const char *type;   /* region type or kind label value, or NULL */
	const char *tname;  /* its label name ("type", "figure") */
	size_t frame;
	int isint;
	long long iv;
	double dv;
};

struct mx_ctx {
	const struct metrics_frame *fr;
	struct mx_aux *aux;
	struct mx_point *pts;
	size_t npts, cap;
	int oom;
	char **keep; /* label sets built while collecting, freed at the end */
	size_t nkeep, capkeep;
};

static long long
mx_fig(const void *base, size_t off)
{
	return *(const long long *)((const char *)base + off);
}

static int
mx_cmp_rss(const void *a, const void *b, void *frame)
{
	const struct metrics_frame *f = frame;
	const struct metrics_proc *pa = &f->procs[*(const size_t *)a];
	const struct metrics_proc *pb = &f->procs[*(const size_t *)b];

	if (pa->figs.rss != pb->figs.rss)
		return pa->figs.rss > pb->figs.rss ? -1 : 1;
	return pa->pid - pb->pid;
}

static int
mx_cmp_pid(const void *a, const void *b)
{
	const struct metrics_proc *pa = *(const struct metrics_proc *const *)a;
	const struct metrics_proc *pb = *(const struct metrics_proc *const *)b;

	return (pa->pid > pb->pid) - (pa->pid < pb->pid);
}

/* The root of each process: its farthest ancestor in the frame. */
static int
mx_roots(const struct metrics_frame *f, int *root)
{
	const struct metrics_proc **bypid, **hit, *kp;
	struct metrics_proc key;
	size_t i, steps;
	int pid;

	bypid = malloc((f->nprocs ? f->nprocs : 1) * sizeof *bypid);
	if (bypid == NULL)
		return -ENOMEM;
	for (i = 0; i < f->nprocs; i++)
		bypid[i] = &f->procs[i];
	qsort(bypid, f->nprocs, sizeof *bypid, mx_cmp_pid);
	memset(&key, 0, sizeof key);
	kp = &key;
	for (i = 0; i < f->nprocs; i++) {
		pid = f->procs[i].pid;
		key.ppid = f->procs[i].ppid;
		for (steps = 0; steps < f->nprocs; steps++) {
			key.pid = key.ppid;
			hit = bsearch(&kp, bypid, f->nprocs, sizeof *bypid,
				      mx_cmp_pid);
			if (hit == NULL || (*hit)->pid == pid)
				break;
			pid = (*hit)->pid;
			key.ppid = (*hit)->ppid;
		}
		root[i] = pid;
	}
	free(bypid);
	return 0;
}

static char *
mx_proc_labels(const struct metrics_proc *p, int all, int root)
{
	struct mx_sb b = { 0 };
	char num[24];

	snprintf(num, sizeof num, "%d", p->pid);
	mx_sb_label(&b, "pid", num);
	mx_sb_label(&b, "comm", p->comm);
	if (!all) {
		snprintf(num, sizeof num, "%d", root);
		mx_sb_label(&b, "root", num);
	}
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

static void
mx_aux_free(struct mx_aux *x, const struct metrics_frame *f)
{
	size_t i;

	for (i = 0; x->plabels && i < x->nsel; i++)
		free(x->plabels[i]);
	for (i = 0; x->phlabels && i < f->nphases; i++)
		free(x->phlabels[i]);
	for (i = 0; x->cglabels && f->cg && i < f->cg->n; i++)
		free(x->cglabels[i]);
	free(x->cglabels);
	free(x->plabels);
	free(x->phlabels);
	free(x->sel);
}

static void
mx_aux_sums(struct mx_aux *x, const struct metrics_frame *f)
{
	const struct metrics_proc *p;
	long long v;
	size_t i, k;

	for (i = 0; i < f->nprocs; i++) {
		p = &f->procs[i];
		if (p->nomem)
			continue;
		x->nprocs++;
		for (k = 0; k < MX_NKINDS; k++) {
			v = mx_fig(&p->figs, mx_kinds[k].off);
			if (v >= 0) {
				x->sum[k] += v;
				x->known[k]++;
			} else {
				x->unknown[k]++;
			}
		}
		if (p->rss_delta != KB_UNKNOWN) {
			x->delta += p->rss_delta;
			x->delta_known++;
		}
	}
}

/* The label set of each memory cgroup of the tree: cgroup, version. */
static int
mx_aux_cg(struct mx_aux *x, const struct metrics_frame *f)
{
	const struct cgroup *g;
	struct mx_sb b;
	size_t i;

	if (f->cg == NULL)
		return 0;
	x->cglabels = calloc(f->cg->n + 1, sizeof *x->cglabels);
	if (x->cglabels == NULL)
		return -ENOMEM;
	for (i = 0; i < f->cg->n; i++) {
		g = &f->cg->v[i];
		if (g->tick != f->cg->tick)
			continue;
		memset(&b, 0, sizeof b);
		mx_sb_label(&b, "cgroup", g->path);
		mx_sb_label(&b, "version", g->version == 1 ? "1" : "2");
		if (b.oom) {
			free(b.s);
			return -ENOMEM;
		}
		x->cglabels[i] = b.s;
	}
	return 0;
}

static int
mx_aux_build(struct mx_aux *x, const struct metrics_frame *f, size_t top)
{
	struct mx_sb b;
	int *root = NULL;
	size_t i, n = 0;
	char num[24];

	memset(x, 0, sizeof *x);
	mx_aux_sums(x, f);
	x->sel = malloc((f->nprocs ? f->nprocs : 1) * sizeof *x->sel);
	root = malloc((f->nprocs ? f->nprocs : 1) * sizeof *root);
	x->phlabels = calloc(f->nphases + 1, sizeof *x->phlabels);
	if (x->sel == NULL || root == NULL || x->phlabels == NULL ||
	    mx_roots(f, root) < 0)
		goto oom;
	for (i = 0; i < f->nprocs; i++)
		if (!f->procs[i].nomem &&
		    (!f->all || f->procs[i].figs.rss >= 0))
			x->sel[n++] = i;
	if (f->all) {
		qsort_r(x->sel, n, sizeof *x->sel, mx_cmp_rss, (void *)f);
		if (n > top)
			n = top;
	}
	x->plabels = calloc(n + 1, sizeof *x->plabels);
	if (x->plabels == NULL)
		goto oom;
	x->nsel = n;
	for (i = 0; i < n; i++) {
		x->plabels[i] = mx_proc_labels(&f->procs[x->sel[i]], f->all,
					       root[x->sel[i]]);
		if (x->plabels[i] == NULL)
			goto oom;
	}
	for (i = 0; i < f->nphases; i++) {
		memset(&b, 0, sizeof b);
		snprintf(num, sizeof num, "%ld", f->phases[i].index);
		mx_sb_label(&b, "index", num);
		mx_sb_label(&b, "label", f->phases[i].label);
		if (b.oom) {
			free(b.s);
			goto oom;
		}
		x->phlabels[i] = b.s;
	}
	free(root);
	if (mx_aux_cg(x, f) < 0)
		goto oom;
	return 0;
oom:
	free(root);
	mx_aux_free(x, f);
	memset(x, 0, sizeof *x);
	return -ENOMEM;
}

static void
mx_put(struct mx_ctx *c, size_t frame, const char *labels, const char *tname,
       const char *type, int isint, long long iv, double dv)
{
	struct mx_point *np;
	size_t cap;

	if (c->oom)
		return;
	if (c->npts == c->cap) {
		cap = c->cap ? c->cap * 2 : 256;
		np = realloc(c->pts, cap * sizeof *np);
		if (np == NULL) {
			c->oom = 1;
			return;
		}
		c->pts = np;
		c->cap = cap;
	}
	c->pts[c->npts++] = (struct mx_point){
		labels ? labels : "", type, tname, frame, isint, iv, dv
	};
}

/* A KiB figure as bytes; unknown (negative) gives no point. */
static void
mx_put_kb(struct mx_ctx *c, size_t fi, const char *labels, const char *tname,
	  const char *type, long long kb)
{
	if (kb >= 0)
		mx_put(c, fi, labels, tname, type, 1, kb * 1024, 0);
}

static void
mx_collect_proc(struct mx_ctx *c, const struct mx_family *fam, size_t fi)
{
	const struct metrics_frame *f = &c->fr[fi];
	const struct mx_aux *x = &c->aux[fi];
	const struct metrics_proc *p;
	size_t i;
	int t;

	for (i = 0; i < x->nsel; i++) {
		p = &f->procs[x->sel[i]];
		if (fam->src == MX_PROC_FIG)
			mx_put_kb(c, fi, x->plabels[i], NULL, NULL,
				  mx_fig(&p->figs, fam->arg));
		else if (fam->src == MX_PROC_DELTA &&
			 p->rss_delta != KB_UNKNOWN)
			mx_put(c, fi, x->plabels[i], NULL, NULL, 1,
			       p->rss_delta * 1024, 0);
		else if (fam->src == MX_PROC_REGION && p->by_type != NULL)
			for (t = 0; t < REGION_NTYPES; t++)
				mx_put_kb(c, fi, x->plabels[i], "type",
					  region_type_name(t),
					  mx_fig(&p->by_type[t], fam->arg));
	}
}

/* A timeline point: Σ RSS, Σ PSS and RSS by type; the rest unknown. */
static void
mx_collect_point(struct mx_ctx *c, const struct mx_family *fam, size_t fi)
{
	const struct metrics_frame *f = &c->fr[fi];
	int t;

	if (fam->src == MX_TREE_FIG &&
	    fam->arg == offsetof(struct proc_figs, rss))
		mx_put_kb(c, fi, NULL, NULL, NULL, f->tree_rss);
	else if (fam->src == MX_TREE_FIG &&
		 fam->arg == offsetof(struct proc_figs, pss))
		mx_put_kb(c, fi, NULL, NULL, NULL, f->tree_pss);
	else if (fam->src == MX_TREE_REGION)
		for (t = 0; f->point_has_by_type && t < REGION_NTYPES; t++)
			mx_put_kb(c, fi, NULL, "type", region_type_name(t),
				  mx_fig(&f->point_by_type[t], fam->arg));
}

static void
mx_collect_tree(struct mx_ctx *c, const struct mx_family *fam, size_t fi)
{
	const struct metrics_frame *f = &c->fr[fi];
	const struct mx_aux *x = &c->aux[fi];
	size_t k;
	int t;

	if (f->tree_only) {
		mx_collect_point(c, fam, fi);
		return;
	}
	switch (fam->src) {
	case MX_TREE_PROCS:
		mx_put(c, fi, NULL, NULL, NULL, 1, (long long)x->nprocs, 0);
		break;
	case MX_TREE_FIG:
		for (k = 0; k < MX_NKINDS; k++)
			if (mx_kinds[k].off == fam->arg && x->known[k] > 0)
				mx_put(c, fi, NULL, NULL, NULL, 1,
				       x->sum[k] * 1024, 0);
		break;
	case MX_TREE_DELTA:
		if (x->delta_known > 0)
			mx_put(c, fi, NULL, NULL, NULL, 1, x->delta * 1024, 0);
		break;
	case MX_TREE_UNKNOWN:
		for (k = 0; k < MX_NKINDS; k++)
			mx_put(c, fi, NULL, "figure", mx_kinds[k].name, 1,
			       (long long)x->unknown[k], 0);
		break;
	case MX_TREE_REGION:
		for (t = 0; f->tree_by_type != NULL && t < REGION_NTYPES; t++)
			mx_put_kb(c, fi, NULL, "type", region_type_name(t),
				  mx_fig(&f->tree_by_type[t], fam->arg));
		break;
	case MX_TREE_REGION_MAPS:
		for (t = 0; f->tree_by_type_count != NULL &&
			    f->tree_by_type != NULL && t < REGION_NTYPES;
		     t++)
			mx_put(c, fi, NULL, "type", region_type_name(t), 1,
			       (long long)f->tree_by_type_count[t], 0);
		break;
	case MX_TREE_REGION_PROCS:
		if (f->tree_by_type != NULL && f->tree_with_regions > 0)
			mx_put(c, fi, NULL, NULL, NULL, 1,
			       (long long)f->tree_with_regions, 0);
		break;
	default:
		break;
	}
}

static void
mx_collect_other(struct mx_ctx *c, const struct mx_family *fam, size_t fi)
{
	const struct metrics_frame *f = &c->fr[fi];
	const struct mx_aux *x = &c->aux[fi];
	size_t i;

	switch (fam->src) {
	case MX_SYS:
		mx_put_kb(c, fi, NULL, NULL, NULL, mx_fig(f, fam->arg));
		break;
	case MX_PHASE_INFO:
		for (i = 0; i < f->nphases; i++)
			mx_put(c, fi, x->phlabels[i], NULL, NULL, 1, 1, 0);
		break;
	case MX_PHASE_TIME:
		for (i = 0; i < f->nphases; i++)
			if (f->phases[i].time >= 0)
				mx_put(c, fi, x->phlabels[i], NULL, NULL, 0, 0,
				       f->phases[i].time);
		break;
	case MX_SELF_DURATION:
		if (f->has_self && f->sample_seconds >= 0)
			mx_put(c, fi, NULL, NULL, NULL, 0, 0,
			       f->sample_seconds);
		break;
	case MX_SELF_SAMPLES:
		if (f->has_self)
			mx_put(c, fi, NULL, NULL, NULL, 1,
			       (long long)f->samples, 0);
		break;
	case MX_SELF_LAST:
		if (f->has_self && f->time > 0)
			mx_put(c, fi, NULL, NULL, NULL, 0, 0, f->time);
		break;
	case MX_SELF_START:
		if (f->has_self && f->start_time > 0)
			mx_put(c, fi, NULL, NULL, NULL, 0, 0, f->start_time);
		break;
	case MX_BUILD:
		if (f->has_self)
			mx_put(c, fi, "version=\"" PACKAGE_VERSION "\"", NULL,
			       NULL, 1, 1, 0);
		break;
	default:
		break;
	}
}

/* A label set base + name="value" (value raw), kept until the end. */
static const char *
mx_keep(struct mx_ctx *c, const char *base, const char *name, const char *value)
{
	struct mx_sb b = { 0 };
	char **nk;
	size_t cap;

	if (c->oom)
		return NULL;
	if (c->nkeep == c->capkeep) {
		cap = c->capkeep ? c->capkeep * 2 : 32;
		nk = realloc(c->keep, cap * sizeof *nk);
		if (nk == NULL) {
			c->oom = 1;
			return NULL;
		}
		c->keep = nk;
		c->capkeep = cap;
	}
	if (base != NULL && base[0] != '\0')
		mx_sb_str(&b, base);
	mx_sb_label(&b, name, value);
	if (b.oom) {
		free(b.s);
		c->oom = 1;
		return NULL;
	}
	c->keep[c->nkeep++] = b.s;
	return b.s;
}

static void
mx_collect_oom(struct mx_ctx *c, const struct mx_family *fam, size_t fi)
{
	const struct metrics_frame *f = &c->fr[fi];
	const struct mx_aux *x = &c->aux[fi];
	const struct metrics_proc *p;
	size_t i;

	for (i = 0; i < x->nsel; i++) {
		p = &f->procs[x->sel[i]];
		if (fam->arg == 0 && p->has_oom)
			mx_put(c, fi, x->plabels[i], NULL, NULL, 1,
			       p->oom_score, 0);
		else if (fam->arg == 1 && p->has_oom_adj)
			mx_put(c, fi, x->plabels[i], NULL, NULL, 1,
			       p->oom_score_adj, 0);
	}
}

/* Pressure: avg10 and avg60 as ratios, or the totals in seconds.
 * Unknown parts (no "full" line) are absent. */
static void
mx_collect_psi(struct mx_ctx *c, const struct mx_family *fam, size_t fi,
	       const char *labels, const struct cg_psi *ps)
{
	static const char *const win[2] = { "10s", "60s" };
	const char *l;
	int k, full;

	if (ps->err != 0)
		return;
	for (full = 0; full < 2; full++) {
		if (fam->src == MX_CG_PSI_TOTAL) {
			long long t = full ? ps->full_total : ps->some_total;

			if (t >= 0)
				mx_put(c, fi, labels, "stall",
				       full ? "full" : "some", 0, 0, t / 1e6);
			continue;
		}
		l = mx_keep(c, labels, "stall", full ? "full" : "some");
		for (k = 0; l != NULL && k < 2; k++) {
			double v = full ? ps->full[k] : ps->some[k];

			if (v >= 0)
				mx_put(c, fi, l, "window", win[k], 0, 0,
				       v / 100.0);
		}
	}
}

static void
mx_collect_cg_one(struct mx_ctx *c, const struct mx_family *fam, size_t fi,
		  const struct cgroup *g, const char *labels)
{
	static const int lim[3] = { CG_limit, CG_high, CG_swap_limit };
	const char *l;
	long long v;
	int k;

	switch (fam->src) {
	case MX_CG_PROCS:
		mx_put(c, fi, labels, NULL, NULL, 1, (long long)g->nprocs, 0);
		break;
	case MX_CG_FIG:
		v = g->fig[fam->arg];
		if (v >= 0 && g->err[fam->arg] == 0)
			mx_put(c, fi, labels, NULL, NULL, 1, v, 0);
		break;
	case MX_CG_UNLIMITED:
		for (k = 0; k < 3; k++)
			if (g->fig[lim[k]] == CG_UNLIMITED)
				mx_put(c, fi, labels, "limit",
				       cgroup_fig_name(lim[k]), 1, 1, 0);
		break;
	case MX_CG_TIGHT:
		if (g->tight_limit < 0 || g->tight_path == NULL ||
		    (fam->arg == 1 && g->tight_usage < 0))
			break;
		l = mx_keep(c, labels, "limit_cgroup", g->tight_path);
		v = fam->arg == 0 ? g->tight_limit
				  : g->tight_limit - g->tight_usage;
		if (l != NULL)
			mx_put(c, fi, l, NULL, NULL, 1, v, 0);
		break;
	default:
		mx_collect_psi(c, fam, fi, labels, &g->psi);
		break;
	}
}

/* The memory cgroups of the tree, the pressure, the tmpfs mounts. */
static void
mx_collect_cg(struct mx_ctx *c, const struct mx_family *fam, size_t fi)
{
	const struct metrics_frame *f = &c->fr[fi];
	const struct mx_aux *x = &c->aux[fi];
	const struct shmfs_mount *mt;
	long long v;
	size_t i;

	if (fam->src == MX_SHM) {
		for (i = 0; f->shm != NULL && i < f->shm->n; i++) {
			mt = &f->shm->v[i];
			v = fam->arg == 0   ? mt->size_kb
			    : fam->arg == 1 ? mt->used_kb
					    : mt->tree_kb;
			if (v >= 0)
				mx_put_kb(c, fi,
					  mx_keep(c, NULL, "path", mt->path),
					  NULL, NULL, v);
		}
		return;
	}
	if (f->cg == NULL)
		return;
	if ((fam->src == MX_CG_PSI_AVG || fam->src == MX_CG_PSI_TOTAL) &&
	    fam->arg == 0) {
		mx_collect_psi(c, fam, fi, NULL, &f->cg->sys_psi);
		return;
	}
	for (i = 0; x->cglabels != NULL && i < f->cg->n; i++)
		if (x->cglabels[i] != NULL)
			mx_collect_cg_one(c, fam, fi, &f->cg->v[i],
					  x->cglabels[i]);
}

static void
mx_collect(struct mx_ctx *c, const struct mx_family *fam, size_t fi)
{
	if (fam->src == MX_PROC_OOM)
		mx_collect_oom(c, fam, fi);
	else if (fam->src >= MX_CG_PROCS)
		mx_collect_cg(c, fam, fi);
	else if (fam->src <= MX_PROC_REGION)
		mx_collect_proc(c, fam, fi);
	else if (fam->src <= MX_TREE_REGION_MAPS)
		mx_collect_tree(c, fam, fi);
	else
		mx_collect_other(c, fam, fi);
}

/* Series by series, each in time order (the frames are). */
static int
mx_cmp_point(const void *a, const void *b)
{
	const struct mx_point *pa = a, *pb = b;
	int r = strcmp(pa->labels, pb->labels);

	if (r == 0 && (pa->type != NULL || pb->type != NULL))
		r = strcmp(pa->type ? pa->type : "", pb->type ? pb->type : "");
	if (r == 0)
		r = (pa->frame > pb->frame) - (pa->frame < pb->frame);
	return r;
}

static void
mx_print_head(FILE *fp, const struct mx_family *fam, enum metrics_format fmt)
{
	static const char *const tn[] = { "gauge", "counter", "info" };

	if (fmt == METRICS_OPENMETRICS) {
		fprintf(fp, "# TYPE %s %s\n", fam->name, tn[fam->type]);
		if (fam->unit != NULL)
			fprintf(fp, "# UNIT %s %s\n", fam->name, fam->unit);
		fprintf(fp, "# HELP %s %s\n", fam->name, fam->help);
		return;
	}
	fprintf(fp, "# HELP %s%s %s\n", fam->name,
		fam->type == MX_COUNTER ? "_total"
		: fam->type == MX_INFO	? "_info"
					: "",
		fam->help);
	fprintf(fp, "# TYPE %s%s %s\n", fam->name,
		fam->type == MX_COUNTER ? "_total"
		: fam->type == MX_INFO	? "_info"
					: "",
		fam->type == MX_COUNTER ? "counter" : "gauge");
}

static void
mx_print_point(FILE *fp, const struct mx_family *fam, const struct mx_point *p,
	       const struct metrics_frame *f, enum metrics_format fmt,
	       int stamp)
{
	fputs(fam->name, fp);
	if (fam->type == MX_COUNTER)
		fputs("_total", fp);
	else if (fam->type == MX_INFO)
		fputs("_info", fp);
	if (p->labels[0] != '\0' || p->type != NULL) {
		fputc('{', fp);
		fputs(p->labels, fp);
		if (p->type != NULL)
			fprintf(fp, "%s%s=\"%s\"", p->labels[0] ? "," : "",
				p->tname, p->type);
		fputc('}', fp);
	}
	if (p->isint)
		fprintf(fp, " %lld", p->iv);
	else
		fprintf(fp, " %.6f", p->dv);
	if (stamp && f->time > 0) {
		if (fmt == METRICS_OPENMETRICS)
			fprintf(fp, " %.3f", f->time);
		else
			fprintf(fp, " %lld",
				(long long)(f->time * 1000.0 + 0.5));
	}
	fputc('\n', fp);
}

int
metrics_write(FILE *fp, const struct metrics_frame *fr, size_t n,
	      enum metrics_format fmt, int stamp, size_t top)
{
	struct mx_ctx c = { fr, NULL, NULL, 0, 0, 0, NULL, 0, 0 };
	size_t i, k, built = 0;
	int r = 0;

	if (n > 1)
		stamp = 1;
	c.aux = calloc(n ? n : 1, sizeof *c.aux);
	if (c.aux == NULL)
		return -ENOMEM;
	for (built = 0; built < n; built++)
		if (mx_aux_build(&c.aux[built], &fr[built], top) < 0) {
			r = -ENOMEM;
			goto out;
		}
	for (k = 0; k < MX_NFAMILIES; k++) {
		c.npts = 0;
		for (i = 0; i < n; i++)
			mx_collect(&c, &mx_families[k], i);
		if (c.oom) {
			r = -ENOMEM;
			goto out;
		}
		if (c.npts == 0)
			continue; /* unknown everywhere: absent */
		if (n > 1)
			qsort(c.pts, c.npts, sizeof *c.pts, mx_cmp_point);
		mx_print_head(fp, &mx_families[k], fmt);
		for (i = 0; i < c.npts; i++)
			mx_print_point(fp, &mx_families[k], &c.pts[i],
				       &fr[c.pts[i].frame], fmt, stamp);
	}
	if (fmt == METRICS_OPENMETRICS)
		fputs("# EOF\n", fp);
	if (fflush(fp) != 0 || ferror(fp))
		r = errno ? -errno : -EIO;
out:
	for (i = 0; i < built; i++)
		mx_aux_free(&c.aux[i], &fr[i]);
	free(c.aux);
	free(c.pts);
	for (i = 0; i < c.nkeep; i++)
		free(c.keep[i]);
	free(c.keep);
	return r;
}

int
metrics_render(const struct metrics_frame *fr, size_t n,
	       enum metrics_format fmt, int stamp, size_t top, char **buf,
	       size_t *len)
{
	FILE *fp;
	int r;

	*buf = NULL;
	*len = 0;
	fp = open_memstream(buf, len);
	if (fp == NULL)
		return -errno;
	r = metrics_write(fp, fr, n, fmt, stamp, top);
	if (fclose(fp) != 0 && r == 0)
		r = -ENOMEM;
	if (r < 0) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return r;
}
