/*
 * tui_settings.c - the screen's settings to and from the settings file
 * (src/settings.c): sort column and order, columns, panel split, region
 * panel, kernel threads, tree or flat (for all processes and for a
 * target apart).  Read at start, written when ramtop quits; nothing with
 * --no-config or RAMTOP_NO_CONFIG.
 *
 * Touches: struct tui's list settings, the settings file through
 * settings.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/settings.h"
#include "tui.h"

static struct settings tui_set;

static int
set_bool(const char *v, int def)
{
	if (v == NULL)
		return def;
	if (strcmp(v, "1") == 0 || strcmp(v, "yes") == 0 ||
	    strcmp(v, "on") == 0)
		return 1;
	if (strcmp(v, "0") == 0 || strcmp(v, "no") == 0 ||
	    strcmp(v, "off") == 0)
		return 0;
	return def;
}

/* "RSS,DRSS,PSS": the columns named; unknown names are skipped. */
static unsigned
set_cols(const char *v, unsigned def)
{
	char buf[SETTINGS_VAL_MAX], *tok, *save = NULL;
	unsigned m = 1u << TC_CMD;
	int c;

	if (v == NULL)
		return def;
	snprintf(buf, sizeof buf, "%s", v);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save))
		if ((c = tree_col_find(tok)) >= 0)
			m |= 1u << c;
	return m;
}

static void
set_apply(struct tui *t)
{
	struct tui_list *l = &t->list;
	const char *v;
	int c;

	v = settings_get(&tui_set, "sort");
	if (v != NULL && (c = tree_col_find(v)) >= 0)
		tui_list_sort(t, c);
	v = settings_get(&tui_set, "order");
	if (v != NULL && (strcmp(v, "asc") == 0 || strcmp(v, "desc") == 0))
		l->desc = strcmp(v, "desc") == 0;
	l->cols = set_cols(settings_get(&tui_set, "columns"), l->cols);
	v = settings_get(&tui_set, "split");
	if (v != NULL && (c = atoi(v)) >= 20 && c <= 85)
		l->split = c;
	l->regions_off = !set_bool(settings_get(&tui_set, "regions"), 1);
	l->kthreads = set_bool(settings_get(&tui_set, "kthreads"), l->kthreads);
	v = settings_get(&tui_set, t->a->m.all ? "view_all" : "view_target");
	if (v != NULL && (strcmp(v, "flat") == 0 || strcmp(v, "tree") == 0))
		l->flat = strcmp(v, "flat") == 0;
}

void
tui_settings_load(struct tui *t)
{
	char path[4096], err[256];
	int r;

	if (t->a->o->no_config || settings_path(path, sizeof path) < 0)
		return;
	r = settings_load(path, &tui_set, err, sizeof err);
	if (r == -ENOENT)
		return;
	if (r < 0) {
		tui_message(t,
			    "ignored the settings file %s: %s; using the "
			    "defaults (it is rewritten when ramtop quits)",
			    path, err);
		return;
	}
	set_apply(t);
}

void
tui_settings_save(struct tui *t, char *err, size_t errlen)
{
	const struct tui_list *l = &t->list;
	char path[4096], cols[SETTINGS_VAL_MAX], b[16];
	size_t n = 0;
	int i;

	err[0] = '\0';
	if (t->a->o->no_config || settings_path(path, sizeof path) < 0)
		return;
	cols[0] = '\0';
	for (i = 0; i < TC_N; i++)
		if (i != TC_CMD && (l->cols & (1u << i)))
			n += (size_t)snprintf(cols + n, sizeof cols - n, "%s%s",
					      n ? "," : "", tree_cols[i].name);
	settings_set(&tui_set, "sort", tree_cols[l->sort].name);
	settings_set(&tui_set, "order", l->desc ? "desc" : "asc");
	settings_set(&tui_set, "columns", cols);
	snprintf(b, sizeof b, "%d", l->split);
	settings_set(&tui_set, "split", b);
	settings_set(&tui_set, "regions", l->regions_off ? "off" : "on");
	settings_set(&tui_set, "kthreads", l->kthreads ? "on" : "off");
	settings_set(&tui_set, t->a->m.all ? "view_all" : "view_target",
		     l->flat ? "flat" : "tree");
	(void)settings_save(path, &tui_set, err, errlen);
}
