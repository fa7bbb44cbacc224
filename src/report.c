/*
 * report.c - batch text output.  Everything read from /proc goes through
 * sanitize_text() before it is printed; names are clipped by display
 * width, never by bytes.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "cgroupfmt.h"
#include "fmt.h"
#include "report.h"
#include "sanitize.h"

#define REPORT_NAME_COLS 100

static void
report_proc(FILE *fp, const struct proc *p)
{
	char b[10][FMT_SIZE];
	const char *err;
	int i, cols = REPORT_NAME_COLS;

	fprintf(fp, "%7d %7s %7s %7s %7s %7s %7s %7s %7s %7s  ", p->pid,
		fmt_kb(b[0], p->now.rss),
		fmt_delta(b[1], kb_delta(p->now.rss, p->base.rss)),
		fmt_kb(b[2], p->now.pss), fmt_kb(b[3], p->now.uss),
		fmt_kb(b[4], p->now.anon), fmt_kb(b[5], p->now.file),
		fmt_kb(b[6], p->now.shmem), fmt_kb(b[7], p->now.swap),
		fmt_kb(b[8], p->now.locked));
	for (i = 0; i < p->depth && i < 20; i++) {
		fputs(i + 1 == p->depth ? "`- " : "   ", fp);
		cols -= 3;
	}
	if (p->cmdline != NULL && p->cmdline[0] != '\0')
		sanitize_fput(fp, p->cmdline, cols, 0);
	else {
		fputc('[', fp);
		sanitize_fput(fp, p->comm, cols - 2, 0);
		fputc(']', fp);
	}
	err = proc_error(p);
	if (err != NULL)
		fprintf(fp, "  (%s)", err);
	fputc('\n', fp);
}

static void
report_fig_row(FILE *fp, const char *label, const struct region_fig *f,
	       size_t count)
{
	char b[6][FMT_SIZE];

	fprintf(fp, "  %-8s %7s %7s %7s %7s %7s %6zu\n", label,
		fmt_kb(b[0], f->size), fmt_kb(b[1], f->rss),
		fmt_kb(b[2], f->pss), fmt_kb(b[3], f->swap),
		fmt_kb(b[4], f->locked), count);
}

static void
report_by_type(FILE *fp, const struct region_fig *by_type, const size_t *count)
{
	int t;

	fprintf(fp, "  %-8s %7s %7s %7s %7s %7s %6s\n", "TYPE", "SIZE", "RSS",
		"PSS", "SWAP", "LOCKED", "COUNT");
	for (t = 0; t < REGION_NTYPES; t++)
		report_fig_row(fp, region_type_name(t), &by_type[t], count[t]);
}

static int
report_cmp_rss(const void *a, const void *b)
{
	const struct region *x = *(const struct region *const *)a;
	const struct region *y = *(const struct region *const *)b;

	if (x->type != y->type)
		return (int)x->type - (int)y->type;
	return (x->fig.rss < y->fig.rss) - (x->fig.rss > y->fig.rss);
}

static void
report_regions(FILE *fp, const struct proc *p)
{
	const struct region_set *s = p->regions;
	const struct region **v;
	const struct region *r;
	char b[7][FMT_SIZE], fl[4];
	size_t i;

	fprintf(fp, "Regions of %d (", p->pid);
	sanitize_fput(fp, p->comm, 32, 0);
	fprintf(fp, "), grouped by type and name:\n");
	fprintf(fp, "  %-8s %-3s %7s %7s %7s %7s %7s %7s %7s %6s  %s\n", "TYPE",
		"FL", "SIZE", "RSS", "PSS", "PRIVATE", "SHARED", "SWAP",
		"LOCKED", "COUNT", "NAME");
	v = malloc((s->n_groups ? s->n_groups : 1) * sizeof *v);
	if (v == NULL)
		return;
	for (i = 0; i < s->n_groups; i++)
		v[i] = &s->groups[i];
	qsort(v, s->n_groups, sizeof *v, report_cmp_rss);
	for (i = 0; i < s->n_groups; i++) {
		r = v[i];
		fprintf(fp, "  %-8s %-3s %7s %7s %7s %7s %7s %7s %7s %6zu  ",
			region_type_name(r->type),
			region_flags_str(r->flags, fl),
			fmt_kb(b[0], r->fig.size), fmt_kb(b[1], r->fig.rss),
			fmt_kb(b[2], r->fig.pss), fmt_kb(b[3], r->fig.private_),
			fmt_kb(b[4], r->fig.shared), fmt_kb(b[5], r->fig.swap),
			fmt_kb(b[6], r->fig.locked), r->count);
		if (r->name[0] == '\0')
			fputs("[anonymous]", fp);
		else
			sanitize_fput(fp, r->name, REPORT_NAME_COLS, 0);
		fputc('\n', fp);
	}
	free(v);
}

static void
report_total(FILE *fp, const char *label, long long v, size_t unknown, size_t n,
	     const char *note)
{
	char b[FMT_SIZE];

	fprintf(fp, "  %s %s (%s", label,
		n > 0 && unknown == n ? "-" : fmt_kb(b, v), note);
	if (unknown > 0)
		fprintf(fp, "; %zu unknown", unknown);
	fputc(')', fp);
}

int
report_sample(FILE *fp, const struct model *m, long index, const char *kind,
	      const char *label, int opts)
{
	const struct model_totals *t = &m->tot;
	const struct sysmem *s = &m->sys;
	int utf8 = fmt_locale_utf8();
	char b[6][FMT_SIZE], tbuf[40];
	size_t i;

	fmt_time(tbuf, sizeof tbuf, (long)m->now_wall.tv_sec,
		 m->now_wall.tv_nsec);
	fprintf(fp, "ramtop %s  %s %ld", PACKAGE_VERSION, kind, index);
	if (label != NULL) {
		fputs(" \"", fp);
		sanitize_fput(fp, label, 64, 0);
		fputc('"', fp);
	}
	fprintf(fp, "  %s  +%.1fs  (sample took %.1f ms)\n", tbuf,
		m->now_mono - m->start_mono, m->sample_ms);
	fprintf(fp,
		"System  MemTotal %s  MemAvailable %s  Cached %s  Shmem %s  "
		"/dev/shm %s\n",
		fmt_kb(b[0], s->mi.mem_total),
		fmt_kb(b[1], s->mi.mem_available), fmt_kb(b[2], s->mi.cached),
		fmt_kb(b[3], s->mi.shmem), fmt_kb(b[4], s->dev_shm_used));
	fprintf(fp, "Tree    %zu process%s", t->nprocs,
		t->nprocs == 1 ? "" : "es");
	report_total(fp, utf8 ? "\xce\xa3RSS" : "sum RSS", t->rss,
		     t->rss_unknown, t->nprocs,
		     "shared pages counted in every process");
	report_total(fp, utf8 ? "\xce\xa3PSS" : "sum PSS", t->pss,
		     t->pss_unknown, t->nprocs,
		     "shared pages split: the honest total");
	fprintf(fp, "  %s %s\n", utf8 ? "\xce\x94RSS" : "dRSS",
		fmt_delta(b[5], t->rss_delta));
	cgroupfmt_text(fp, m);
	fprintf(fp, "%7s %7s %7s %7s %7s %7s %7s %7s %7s %7s  %s\n", "PID",
		"RSS", utf8 ? "\xce\x94RSS" : "dRSS", "PSS", "USS", "ANON",
		"FILE", "SHM", "SWAP", "LOCK", "COMMAND");
	for (i = 0; i < m->nprocs; i++)
		report_proc(fp, m->procs[i]);
	if (t->with_regions > 0) {
		fprintf(fp, "By type (%zu of %zu processes):\n",
			t->with_regions, t->nprocs);
		report_by_type(fp, t->by_type, t->by_type_count);
	}
	if (opts & REPORT_REGIONS) {
		for (i = 0; i < m->nprocs; i++) {
			if (m->procs[i]->regions == NULL ||
			    m->procs[i]->smaps_err != PROC_OK)
				continue;
			report_regions(fp, m->procs[i]);
		}
	}
	fputc('\n', fp);
	if (fflush(fp) != 0 || ferror(fp))
		return errno ? -errno : -EIO;
	return 0;
}
