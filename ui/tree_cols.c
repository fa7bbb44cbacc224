/*
 * tree_cols.c - the process list's columns: title, width, which figure,
 * what the column chooser (F2) says about it; the default list.
 *
 * Touches: nothing but its tables.
 */
#include "config.h"

#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "tui.h"

#define FIG(f) offsetof(struct proc_figs, f)
#define NOFIG ((size_t)-1)

/* The change column's title is drawn with the delta sign; "DRSS" is its
 * name in the settings file and the chooser. */
const struct tree_col_def tree_cols[TC_N] = {
	[TC_PID] = { "PID", 7, 1, NOFIG, "process id" },
	[TC_RSS] = { "RSS", 6, 1, FIG(rss), "resident memory" },
	[TC_DRSS] = { "DRSS", 7, 2, FIG(rss),
		      "RSS change since the baseline (or the last mark)" },
	[TC_PSS] = { "PSS", 6, 3, FIG(pss), "proportional set size" },
	[TC_USS] = { "USS", 6, 5, FIG(uss), "unique set size" },
	[TC_SHM] = { "SHM", 6, 6, FIG(shmem), "shared memory (RssShmem)" },
	[TC_SWAP] = { "SWAP", 6, 4, FIG(swap), "swapped out" },
	[TC_ANON] = { "ANON", 6, 6, FIG(anon), "anonymous resident (RssAnon)" },
	[TC_FILE] = { "FILE", 6, 6, FIG(file),
		      "file-backed resident (RssFile)" },
	[TC_LOCK] = { "LOCK", 6, 7, FIG(locked), "locked in memory (VmLck)" },
	[TC_VSZ] = { "VSZ", 6, 7, FIG(vsz), "virtual size (VmSize)" },
	[TC_PEAK] = { "PEAK", 6, 6, FIG(hwm), "peak RSS (VmHWM)" },
	[TC_OOM] = { "OOM", 5, 7, NOFIG,
		     "OOM killer's score (oom_score: highest killed first)" },
	[TC_OOMADJ] = { "OOMADJ", 6, 7, NOFIG,
			"oom_score_adj (-1000: never killed)" },
	[TC_CMD] = { "COMMAND", 0, 1, NOFIG, "command line" },
};

int
tree_col_is_size(int col)
{
	return col != TC_PID && col != TC_CMD && col != TC_OOM &&
	       col != TC_OOMADJ;
}

long long
tree_col_fig(const struct tui_row *r, int col)
{
	if (col == TC_OOM)
		return r->oom;
	if (col == TC_OOMADJ)
		return r->oomadj;
	if (tree_cols[col].off == NOFIG)
		return KB_UNKNOWN;
	return *(const long long *)((const char *)r->now + tree_cols[col].off);
}

int
tree_col_find(const char *s)
{
	int i;

	for (i = 0; i < TC_N; i++)
		if (strcasecmp(s, tree_cols[i].name) == 0)
			return i;
	return -1;
}

void
tui_list_defaults(struct tui_list *l, int all)
{
	l->sort = all ? TC_RSS : TC_PID;
	l->desc = all;
	l->flat = all;
	l->kthreads = 0;
	l->cols = TREE_COLS_DEFAULT;
	l->split = 0;
	l->regions_off = 0;
	l->filter[0] = l->search[0] = l->user[0] = '\0';
	l->uid = -1;
}

void
tui_list_sort(struct tui *t, int col)
{
	if (col < 0 || col >= TC_N)
		return;
	t->list.sort = col;
	t->list.desc = col != TC_PID && col != TC_CMD;
}

int
tui_list_user(struct tui_list *l, const char *name)
{
	struct passwd *pw = getpwnam(name);
	char *end;
	long uid;

	if (pw == NULL) {
		uid = strtol(name, &end, 10);
		if (end != name && *end == '\0' && uid >= 0)
			pw = getpwuid((uid_t)uid);
	}
	if (pw == NULL)
		return -1;
	l->uid = (long)pw->pw_uid;
	snprintf(l->user, sizeof l->user, "%s", pw->pw_name);
	return 0;
}
