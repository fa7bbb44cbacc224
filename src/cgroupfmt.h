/*
 * cgroupfmt.h - memory cgroups, pressure, /dev/shm headroom and OOM
 * kills as JSON (batch --json, the snapshot file) and as text (batch
 * text, `ramtop show`).  Text goes through the sanitiser; JSON
 * functions return a new reference, or NULL when out of memory.
 */
#ifndef RAMTOP_CGROUPFMT_H
#define RAMTOP_CGROUPFMT_H

#include <stdio.h>

#include <jansson.h>

#include "cgroup.h"
#include "model.h"
#include "shmfs.h"

/*
 * Add to a phase-shaped object o (json_phase, phase_mark) what the model
 * knows beyond the processes: "cgroups", "pressure", "shm" at the top,
 * and "cgroup", "cgroup_error", "oom_score", "oom_score_adj" to each
 * element of o's "processes" (by pid), which stays o's last member.
 * Nothing when m->cg is NULL.
 */
void cgroupfmt_phase_add(json_t *o, const struct model *m);

/* The same four members for one process object p (by its "pid"): for
 * phase_mark.c, which packs each process as it goes. */
void cgroupfmt_proc_add(json_t *p, const struct model *m);

/* One OOM event: {"pid", "start_time", "comm", "cgroup", "limit_kb",
 * "peak_kb", "usage_kb", "rss_kb", "oom_kill", "time", "elapsed_s",
 * "phase_index", "phase", "sigkill", "message"}. */
json_t *cgroupfmt_oom_json(const struct cg_oom *e);

/* Batch text: the Cgroup / Pressure / shm lines of a sample. */
void cgroupfmt_text(FILE *fp, const struct model *m);

/* `ramtop show`: the cgroups of the last phase and the OOM kills of a
 * snapshot document (nothing for a file without them). */
void cgroupfmt_show(FILE *fp, json_t *root);

#endif
