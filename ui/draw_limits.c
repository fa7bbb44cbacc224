/*
 * draw_limits.c - the limits lines of the header: the tightest memory
 * cgroup limit over the tree and the headroom left, the cgroup's page
 * cache apart from process memory, /dev/shm (and other tmpfs the tree
 * maps) size and free space, memory pressure; and the last OOM kill.
 * A warning colour when less than CGROUP_WARN_PCT percent is left.
 * Shown by itself when it matters (a limit applies, a tmpfs is low, a
 * kill happened), or toggled with `C`.  Draws from the model only.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "fmt.h"
#include "theme.h"
#include "tui.h"

static void
dl_pair(struct draw_line *l, const char *label, const char *value, int warn)
{
	draw_put(l, label, theme_attr[THEME_LABEL]);
	draw_put(l, value, theme_attr[warn ? THEME_WARN : THEME_HEADER]);
	draw_put(l, "  ", theme_attr[THEME_NORMAL]);
}

static const char *
dl_kb(char *b, long long bytes)
{
	if (bytes == CG_UNLIMITED)
		return "no limit";
	return fmt_kb(b, bytes < 0 ? -1 : bytes / 1024);
}

/* Is anything worth a line by itself? */
static int
dl_matters(const struct app *a)
{
	size_t i;

	if (a->m.cg == NULL)
		return 0;
	if (a->cg.noom > 0 || cgroup_tightest(&a->cg) != NULL)
		return 1;
	for (i = 0; i < a->shm.n; i++)
		if (cgroup_warn(a->shm.v[i].size_kb, a->shm.v[i].used_kb) == 1)
			return 1;
	return 0;
}

int
draw_limits_lines(const struct tui *t)
{
	int on = t->limits_on < 0 ? dl_matters(t->a) : t->limits_on;

	if (!on)
		return 0;
	return 1 + (t->a->cg.noom > 0);
}

/* The cgroup part: the one with the least headroom, or the first; its
 * memory pressure (returns 1 if it drew it). */
static int
dl_cgroup(struct draw_line *l, const struct app *a)
{
	const struct cgroup *g = cgroup_tightest(&a->cg), *first = NULL;
	const struct cg_member *mb;
	char b[FMT_SIZE];
	size_t i;
	int w;

	if (a->m.cg == NULL) {
		dl_pair(l, "cgroup ", "- (--no-cgroup)", 0);
		return 0;
	}
	for (i = 0; g == NULL && i < a->cg.n; i++)
		if (a->cg.v[i].tick == a->cg.tick && a->cg.v[i].nprocs > 0) {
			first = &a->cg.v[i];
			break;
		}
	if (g == NULL && first == NULL) {
		mb = a->m.nprocs ? cgroup_member(&a->cg, a->m.procs[0]->pid)
				 : NULL;
		draw_put(l, "cgroup ", theme_attr[THEME_LABEL]);
		draw_put(l, "- ", theme_attr[THEME_HEADER]);
		draw_putf(l, theme_attr[THEME_DIM], "(%s)  ",
			  cgroup_member_why(mb) ? cgroup_member_why(mb)
						: "none");
		return 0;
	}
	if (g == NULL)
		g = first;
	draw_put(l, "cgroup ", theme_attr[THEME_LABEL]);
	draw_put_tail(l, g->path, theme_attr[THEME_HEADER], 1);
	draw_put(l, "  ", theme_attr[THEME_NORMAL]);
	if (g->tight_limit >= 0) {
		w = cgroup_warn(g->tight_limit, g->tight_usage) == 1;
		dl_pair(l, "limit ", dl_kb(b, g->tight_limit), 0);
		/* Set on a parent: its usage and headroom are the ones. */
		if (g->tight_path != NULL && strcmp(g->tight_path, g->path)) {
			draw_put(l, "of ", theme_attr[THEME_LABEL]);
			draw_put_tail(l, g->tight_path,
				      theme_attr[THEME_HEADER], 1);
			draw_put(l, "  ", theme_attr[THEME_NORMAL]);
		}
		dl_pair(l, "used ", dl_kb(b, g->tight_usage), w);
		dl_pair(l, "headroom ",
			g->tight_usage >= 0
				? dl_kb(b, g->tight_limit - g->tight_usage)
				: "-",
			w);
	} else {
		dl_pair(l, "limit ",
			g->tight_limit == CG_UNLIMITED ? "none" : "-", 0);
		dl_pair(l, "used ", dl_kb(b, g->fig[CG_usage]), 0);
	}
	dl_pair(l, "page cache ", dl_kb(b, g->fig[CG_file]), 0);
	dl_pair(l, "anon ", dl_kb(b, g->fig[CG_anon]), 0);
	if (g->fig[CG_ev_oom_kill] >= 0)
		draw_putf(l,
			  theme_attr[g->fig[CG_ev_oom_kill] > 0 ? THEME_WARN
								: THEME_HEADER],
			  "oom_kill %lld  ", g->fig[CG_ev_oom_kill]);
	if (g->psi.err != 0)
		return 0;
	snprintf(b, sizeof b, "%.2f", g->psi.some[0]);
	dl_pair(l, "psi some ", b, 0);
	return 1;
}

/* The tmpfs part, and the system's pressure unless the cgroup's was
 * drawn. */
static void
dl_shm(struct draw_line *l, const struct app *a, int psi_drawn)
{
	const struct shmfs_mount *mt;
	char b[FMT_SIZE], lab[300];
	size_t i;
	int w;

	for (i = 0; i < a->shm.n; i++) {
		mt = &a->shm.v[i];
		w = cgroup_warn(mt->size_kb, mt->used_kb) == 1;
		snprintf(lab, sizeof lab, "%s ", mt->path);
		draw_put(l, lab, theme_attr[THEME_LABEL]);
		draw_put(l, fmt_kb(b, mt->size_kb), theme_attr[THEME_HEADER]);
		draw_put(l, " free ", theme_attr[THEME_LABEL]);
		draw_put(l,
			 mt->size_kb >= 0 && mt->used_kb >= 0
				 ? fmt_kb(b, mt->size_kb - mt->used_kb)
				 : "-",
			 theme_attr[w ? THEME_WARN : THEME_HEADER]);
		draw_put(l, "  ", theme_attr[THEME_NORMAL]);
	}
	if (!psi_drawn && a->cg.sys_psi.err == 0) {
		snprintf(b, sizeof b, "%.2f", a->cg.sys_psi.some[0]);
		dl_pair(l, "system psi some ", b, 0);
	}
}

void
draw_limits(struct tui *t, int y, int h)
{
	const struct app *a = t->a;
	struct draw_line l = { y, 0, COLS };
	char msg[1024];

	draw_put(&l, "Limits  ", theme_attr[THEME_HEADER]);
	dl_shm(&l, a, dl_cgroup(&l, a));
	if (h < 2 || a->cg.noom == 0)
		return;
	cgroup_oom_msg(&a->cg.oom[a->cg.noom - 1], msg, sizeof msg);
	l.y = y + 1;
	l.x = 0;
	draw_put(&l, "OOM     ", theme_attr[THEME_HEADER]);
	draw_put(&l, msg, theme_attr[THEME_WARN]);
}
