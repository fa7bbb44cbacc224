/*
 * phasefmt.c - print phases and diffs for people (sanitised, sizes like
 * "1.2G", deltas like "+64M") and for programs (JSON, KiB integers).
 * Writes only to the stream it is given.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "json.h"
#include "phasefmt.h"
#include "sanitize.h"

/* Σ and Δ when the terminal can show them. */
static const char *
phasefmt_sum(void)
{
	return fmt_sum_sign(fmt_locale_utf8());
}

static const char *
phasefmt_delta(void)
{
	return fmt_delta_sign(fmt_locale_utf8());
}

/* Right-align sym (Σ or Δ, or its ASCII stand-in) + txt in w columns. */
static void
phasefmt_col(FILE *fp, int w, const char *sym, const char *txt)
{
	int n = (fmt_locale_utf8() ? 1 : (int)strlen(sym)) + (int)strlen(txt);

	fprintf(fp, " %*s%s%s", w > n ? w - n : 0, "", sym, txt);
}

/* "14:25:00.120" out of "2026-11-22T14:25:00.120Z". */
static const char *
phasefmt_clock(char *buf, size_t len, const char *iso)
{
	const char *t = strchr(iso, 'T');

	snprintf(buf, len, "%.12s", t != NULL ? t + 1 : iso);
	if (buf[0] != '\0' && buf[strlen(buf) - 1] == 'Z')
		buf[strlen(buf) - 1] = '\0';
	return buf;
}

const char *
phasefmt_name(char *buf, size_t len, const struct phase *p)
{
	snprintf(buf, len, "phase %ld \"%s\" (+%.1fs)", p->index, p->label,
		 p->elapsed_s);
	return buf;
}

/* A phase's peak Σ RSS, KB_UNKNOWN unknown. */
static long long
phasefmt_peak(const struct phase *p)
{
	return p->peak_rss;
}

void
phasefmt_table(FILE *fp, const struct phases *ph)
{
	struct phase_summary s;
	char b[8][FMT_SIZE], clk[16];
	size_t i;
	int t;

	fprintf(fp, "%3s  %-20s %-12s %8s", "#", "LABEL", "TIME", "ELAPSED");
	phasefmt_col(fp, 7, phasefmt_sum(), "RSS");
	phasefmt_col(fp, 7, phasefmt_sum(), "PSS");
	fprintf(fp, " %7s", "PEAK");
	phasefmt_col(fp, 7, phasefmt_delta(), "PREV");
	phasefmt_col(fp, 7, phasefmt_delta(), "BASE");
	fputs("  RSS BY TYPE:", fp);
	for (t = 0; t < REGION_NTYPES; t++)
		fprintf(fp, " %7s", region_type_name(t));
	fputc('\n', fp);
	for (i = 0; i < ph->n; i++) {
		phase_summary(ph, i, &s);
		fprintf(fp, "%3ld  ", s.index);
		sanitize_fput(fp, s.label, 20, 1);
		/* PEAK: the highest Σ RSS from this mark to the next. */
		fputc(' ', fp);
		sanitize_fput(fp, phasefmt_clock(clk, sizeof clk, s.time), 12,
			      1);
		fprintf(fp, " %7.1fs %7s %7s %7s %7s %7s  %12s", s.elapsed_s,
			fmt_kb(b[0], s.rss), fmt_kb(b[1], s.pss),
			fmt_kb(b[5], phasefmt_peak(&ph->v[i])),
			fmt_delta(b[2], s.rss_prev),
			fmt_delta(b[3], s.rss_base), "");
		for (t = 0; t < REGION_NTYPES; t++)
			fprintf(fp, " %7s", fmt_kb(b[4], s.rss_by_type[t]));
		fputc('\n', fp);
	}
}

/* The tree's peaks and each process's (at the last phase), as JSON. */
json_t *
phasefmt_peaks_json(const struct phases *ph, const struct timeline *tl)
{
	const struct phase *last = phase_get(ph, ph->n - 1);
	json_t *procs = json_array(), *o;
	size_t i;

	for (i = 0; last != NULL && i < last->nprocs; i++) {
		const struct phase_proc *pp = &last->procs[i];

		json_array_append_new(
			procs, json_pack("{s:i, s:o, s:o, s:o}", "pid", pp->pid,
					 "comm", json_string(pp->comm),
					 "hwm_kb", json_kb(pp->figs.hwm),
					 "rss_peak_kb", json_kb(pp->rss_peak)));
	}
	o = json_pack(
		"{s:o, s:o, s:o, s:o, s:I, s:I, s:o}", "rss_kb",
		json_kb(tl->rss.kb), "rss_elapsed_s",
		tl->rss.kb < 0 ? json_null() : json_real(tl->rss.elapsed_s),
		"pss_kb", json_kb(tl->pss.kb), "pss_elapsed_s",
		tl->pss.kb < 0 ? json_null() : json_real(tl->pss.elapsed_s),
		"timeline_points", (json_int_t)tl->n, "timeline_samples",
		(json_int_t)tl->seen, "processes", procs);
	return o;
}

/* The same as text, after the phase table. */
void
phasefmt_peaks(FILE *fp, const struct phases *ph, const struct timeline *tl)
{
	const struct phase *last = phase_get(ph, ph->n - 1);
	char b[2][FMT_SIZE];
	size_t i;

	if (tl->n == 0) {
		fputs("\nNo timeline (written by an older ramtop): peaks "
		      "unknown\n",
		      fp);
	} else {
		fprintf(fp, "\nPeaks: %sRSS %s at +%.1fs, %sPSS %s",
			phasefmt_sum(), fmt_kb(b[0], tl->rss.kb),
			tl->rss.elapsed_s, phasefmt_sum(),
			fmt_kb(b[1], tl->pss.kb));
		if (tl->pss.kb >= 0)
			fprintf(fp, " at +%.1fs", tl->pss.elapsed_s);
		fprintf(fp, "  (timeline: %zu points of %llu samples)\n", tl->n,
			tl->seen);
	}
	if (last == NULL || last->nprocs == 0)
		return;
	fprintf(fp, "Processes at phase %ld:\n  %7s  %-16s %8s %8s\n",
		last->index, "PID", "COMMAND", "VmHWM", "PEAK RSS");
	for (i = 0; i < last->nprocs; i++) {
		const struct phase_proc *pp = &last->procs[i];

		fprintf(fp, "  %7d  ", pp->pid);
		sanitize_fput(fp, pp->comm, 16, 1);
		fprintf(fp, " %8s %8s\n", fmt_kb(b[0], pp->figs.hwm),
			fmt_kb(b[1], pp->rss_peak));
	}
}

json_t *
phasefmt_table_json(const struct phases *ph)
{
	struct phase_summary s;
	json_t *a = json_array(), *o, *bt;
	size_t i;
	int t;

	if (a == NULL)
		return NULL;
	for (i = 0; i < ph->n; i++) {
		phase_summary(ph, i, &s);
		bt = json_object();
		for (t = 0; t < REGION_NTYPES; t++)
			json_object_set_new(bt, region_type_name(t),
					    json_kb(s.rss_by_type[t]));
		o = json_pack("{s:I, s:o, s:s, s:f, s:I, s:o, s:o, s:o, s:o, "
			      "s:o, s:o, s:o, s:o}",
			      "index", (json_int_t)s.index, "label",
			      json_string(s.label), "time", s.time, "elapsed_s",
			      s.elapsed_s, "processes", (json_int_t)s.nprocs,
			      "rss_kb", json_kb(s.rss), "pss_kb",
			      json_kb(s.pss), "rss_delta_prev_kb",
			      json_delta(s.rss_prev), "rss_delta_base_kb",
			      json_delta(s.rss_base), "pss_delta_prev_kb",
			      json_delta(s.pss_prev), "pss_delta_base_kb",
			      json_delta(s.pss_base), "rss_by_type_kb",
			      s.has_by_type ? bt : json_null(), "error",
			      json_null());
		if (!s.has_by_type)
			json_decref(bt);
		if (o != NULL) {
			json_object_del(o, "error");
			json_object_set_new(o, "peak_rss_kb",
					    json_kb(phasefmt_peak(&ph->v[i])));
			json_object_set_new(
				o, "peak_elapsed_s",
				phasefmt_peak(&ph->v[i]) < 0
					? json_null()
					: json_real(ph->v[i].peak_elapsed_s));
		}
		json_array_append_new(a, o);
	}
	return a;
}

/* ---- diffs ------------------------------------------------------------- */

static const struct phase_proc *
phasefmt_change_proc(const struct phase_change *c)
{
	return c->pb != NULL ? c->pb : c->pa;
}

static void
phasefmt_proc_name(FILE *fp, const struct phase_proc *p, int cols)
{
	if (p->cmdline != NULL && p->cmdline[0] != '\0') {
		sanitize_fput(fp, p->cmdline, cols, 0);
	} else {
		fputc('[', fp);
		sanitize_fput(fp, p->comm, cols - 2, 0);
		fputc(']', fp);
	}
}

static void
phasefmt_regions(FILE *fp, const struct phase_diff *d, size_t limit)
{
	const struct phase_change *c;
	char b[6][FMT_SIZE];
	size_t i, n = d->nchanges;

	if (limit > 0 && n > limit)
		n = limit;
	fprintf(fp, "  %7s %-8s %-3s", "PID", "TYPE", "FL");
	phasefmt_col(fp, 7, phasefmt_delta(), "RSS");
	phasefmt_col(fp, 7, phasefmt_delta(), "SIZE");
	phasefmt_col(fp, 7, phasefmt_delta(), "PSS");
	fprintf(fp, " %7s %7s  %s\n", "RSS", "SIZE", "NAME");
	for (i = 0; i < n; i++) {
		c = &d->changes[i];
		fprintf(fp, "  %7d %-8s ", phasefmt_change_proc(c)->pid,
			region_type_name(c->type));
		sanitize_fput(fp, c->flags, 3, 1);
		fprintf(fp, " %7s %7s %7s %7s %7s  ", fmt_delta(b[0], c->d_rss),
			fmt_delta(b[1], c->d_size), fmt_delta(b[2], c->d_pss),
			fmt_kb(b[3], c->b.rss), fmt_kb(b[4], c->b.size));
		if (c->name[0] == '\0')
			fputs("[anonymous]", fp);
		else
			sanitize_fput(fp, c->name, 100, 0);
		if (!c->in_a)
			fputs("  (new)", fp);
		else if (!c->in_b)
			fputs("  (gone)", fp);
		fputc('\n', fp);
	}
	if (n < d->nchanges)
		fprintf(fp, "  ... and %zu more\n", d->nchanges - n);
}

/* The diff's "By type" table. */
static void
phasefmt_diff_types(FILE *fp, const struct phase_diff *d)
{
	const struct phase_type_change *tc;
	const char *D = phasefmt_delta();
	char b[8][FMT_SIZE];
	size_t i;

	fputc('\n', fp);
	if (!d->has_types) {
		fputs("By type: not known in both phases (no region data)\n",
		      fp);
	} else if (d->ntypes == 0) {
		fputs("By type: no change\n", fp);
	} else {
		fprintf(fp, "By type (changed, by |%sRSS|):\n", D);
		fprintf(fp, "  %-8s", "TYPE");
		phasefmt_col(fp, 8, D, "RSS");
		phasefmt_col(fp, 8, D, "SIZE");
		phasefmt_col(fp, 8, D, "PSS");
		phasefmt_col(fp, 8, D, "SWAP");
		phasefmt_col(fp, 8, D, "LOCKED");
		fprintf(fp, " %8s %8s\n", "RSS A", "RSS B");
		for (i = 0; i < d->ntypes; i++) {
			tc = &d->types[i];
			fprintf(fp, "  %-8s %8s %8s %8s %8s %8s %8s %8s\n",
				region_type_name(tc->type),
				fmt_delta(b[0], tc->d_rss),
				fmt_delta(b[1], tc->d_size),
				fmt_delta(b[2], tc->d_pss),
				fmt_delta(b[3], tc->d_swap),
				fmt_delta(b[4], tc->d_locked),
				fmt_kb(b[5], tc->a.rss),
				fmt_kb(b[6], tc->b.rss));
		}
	}
}

/* The diff's "Processes" table. */
static void
phasefmt_diff_procs(FILE *fp, const struct phase_diff *d)
{
	const struct phase_proc_change *pc;
	const struct phase_proc *p;
	const char *D = phasefmt_delta();
	char b[8][FMT_SIZE];
	size_t i;

	fputc('\n', fp);
	if (d->nprocs == 0) {
		fputs("Processes: no change\n", fp);
	} else {
		fprintf(fp, "Processes (changed, by |%sRSS|):\n", D);
		fprintf(fp, "  %7s", "PID");
		phasefmt_col(fp, 7, D, "RSS");
		phasefmt_col(fp, 7, D, "PSS");
		fprintf(fp, " %7s  %s\n", "RSS", "COMMAND");
		for (i = 0; i < d->nprocs; i++) {
			pc = &d->procs[i];
			p = pc->pb != NULL ? pc->pb : pc->pa;
			fprintf(fp, "  %7d %7s %7s %7s  ", p->pid,
				fmt_delta(b[0], pc->d_rss),
				fmt_delta(b[1], pc->d_pss),
				fmt_kb(b[2], pc->pb ? pc->pb->figs.rss : 0));
			phasefmt_proc_name(fp, p, 80);
			if (pc->pa == NULL)
				fputs("  (new)", fp);
			else if (pc->pb == NULL)
				fputs("  (exited)", fp);
			fputc('\n', fp);
		}
	}
}

void
phasefmt_diff(FILE *fp, const struct phase_diff *d, const char *what_a,
	      const char *what_b, size_t limit)
{
	char b[8][FMT_SIZE];
	const char *S = phasefmt_sum(), *D = phasefmt_delta();

	fputs("From ", fp);
	sanitize_fput(fp, what_a, 200, 0);
	fputs("\n  to ", fp);
	sanitize_fput(fp, what_b, 200, 0);
	fputc('\n', fp);
	fprintf(fp, "Tree  %sRSS %s -> %s (%s)   %sPSS %s -> %s (%s)\n", S,
		fmt_kb(b[0], d->a->rss), fmt_kb(b[1], d->b->rss),
		fmt_delta(b[2], d->d_rss), S, fmt_kb(b[3], d->a->pss),
		fmt_kb(b[4], d->b->pss), fmt_delta(b[5], d->d_pss));

	phasefmt_diff_types(fp, d);
	phasefmt_diff_procs(fp, d);
	fputc('\n', fp);
	if (d->nchanges == 0) {
		fputs("Region groups: no change\n", fp);
	} else {
		fprintf(fp, "Region groups (changed, by |%sRSS|):\n", D);
		phasefmt_regions(fp, d, limit);
	}
	if (d->procs_unread > 0)
		fprintf(fp,
			"(%zu process%s had no region data in one of the "
			"phases: %s not compared)\n",
			d->procs_unread, d->procs_unread == 1 ? "" : "es",
			d->procs_unread == 1 ? "its regions are"
					     : "their regions are");
}

static json_t *
phasefmt_delta_json(const struct region_fig *a, const struct region_fig *b,
		    size_t ca, size_t cb)
{
#define D(x) (json_int_t)((b->x < 0 ? 0 : b->x) - (a->x < 0 ? 0 : a->x))
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "size_kb",
			 D(size), "rss_kb", D(rss), "pss_kb", D(pss),
			 "private_kb", D(private_), "shared_kb", D(shared),
			 "swap_kb", D(swap), "locked_kb", D(locked), "count",
			 (json_int_t)cb - (json_int_t)ca);
#undef D
}

static json_t *
phasefmt_side_json(const struct phase *p)
{
	return json_pack("{s:I, s:s, s:s, s:f}", "index", (json_int_t)p->index,
			 "label", p->label, "time", p->time, "elapsed_s",
			 p->elapsed_s);
}

static const char *
phasefmt_status_str(int in_a, int in_b)
{
	return in_a && in_b ? "changed" : in_a ? "gone" : "new";
}

json_t *
phasefmt_diff_json(const struct phase_diff *d)
{
	json_t *o, *types, *procs, *regions, *x;
	const struct phase_type_change *tc;
	const struct phase_proc_change *pc;
	const struct phase_change *c;
	const struct phase_proc *p;
	size_t i;

	types = json_array();
	procs = json_array();
	regions = json_array();
	for (i = 0; i < d->ntypes; i++) {
		tc = &d->types[i];
		x = json_pack("{s:s, s:o, s:o, s:o}", "type",
			      region_type_name(tc->type), "a",
			      json_fig(&tc->a, tc->count_a), "b",
			      json_fig(&tc->b, tc->count_b), "delta",
			      phasefmt_delta_json(&tc->a, &tc->b, tc->count_a,
						  tc->count_b));
		json_array_append_new(types, x);
	}
	for (i = 0; i < d->nprocs; i++) {
		pc = &d->procs[i];
		p = pc->pb != NULL ? pc->pb : pc->pa;
		x = json_pack(
			"{s:i, s:I, s:o, s:o, s:s, s:o, s:o, s:o, s:o}", "pid",
			p->pid, "start_time", (json_int_t)p->start_time, "comm",
			json_string(p->comm), "cmdline",
			p->cmdline ? json_string(p->cmdline) : json_null(),
			"status",
			phasefmt_status_str(pc->pa != NULL, pc->pb != NULL),
			"rss_a_kb",
			pc->pa ? json_kb(pc->pa->figs.rss) : json_integer(0),
			"rss_b_kb",
			pc->pb ? json_kb(pc->pb->figs.rss) : json_integer(0),
			"rss_delta_kb", json_delta(pc->d_rss), "pss_delta_kb",
			json_delta(pc->d_pss));
		json_array_append_new(procs, x);
	}
	for (i = 0; i < d->nchanges; i++) {
		c = &d->changes[i];
		p = phasefmt_change_proc(c);
		x = json_pack(
			"{s:i, s:I, s:o, s:s, s:o, s:s, s:s, s:o, s:o, "
			"s:o}",
			"pid", p->pid, "start_time", (json_int_t)p->start_time,
			"comm", json_string(p->comm), "type",
			region_type_name(c->type), "name", json_string(c->name),
			"flags", c->flags, "status",
			phasefmt_status_str(c->in_a, c->in_b), "a",
			c->in_a ? json_fig(&c->a, c->count_a) : json_null(),
			"b",
			c->in_b ? json_fig(&c->b, c->count_b) : json_null(),
			"delta",
			phasefmt_delta_json(&c->a, &c->b, c->count_a,
					    c->count_b));
		json_array_append_new(regions, x);
	}
	o = json_pack("{s:o, s:o, s:{s:{s:o, s:o, s:o}, s:{s:o, s:o, s:o}}, "
		      "s:o, s:o, s:o, s:I}",
		      "a", phasefmt_side_json(d->a), "b",
		      phasefmt_side_json(d->b), "totals", "rss_kb", "a",
		      json_kb(d->a->rss), "b", json_kb(d->b->rss), "delta",
		      json_delta(d->d_rss), "pss_kb", "a", json_kb(d->a->pss),
		      "b", json_kb(d->b->pss), "delta", json_delta(d->d_pss),
		      "by_type", d->has_types ? types : json_null(),
		      "processes", procs, "regions", regions,
		      "processes_unread", (json_int_t)d->procs_unread);
	if (!d->has_types)
		json_decref(types);
	return o;
}

void
phasefmt_mark(FILE *fp, const struct phases *ph, size_t i)
{
	const struct phase *p = phase_get(ph, i);
	struct phase_summary s;
	struct phase_diff d;
	char b[8][FMT_SIZE], name[PHASE_LABEL_MAX + 64];
	const char *S = phasefmt_sum(), *D = phasefmt_delta();
	int t;

	if (p == NULL)
		return;
	phase_summary(ph, i, &s);
	fprintf(fp, "ramtop %s  mark %ld \"", PACKAGE_VERSION, p->index);
	sanitize_fput(fp, p->label, 64, 0);
	fputs("\"  ", fp);
	sanitize_fput(fp, p->time, 40, 0);
	fprintf(fp, "  +%.1fs\n", p->elapsed_s);
	fprintf(fp,
		"Phase   %sRSS %s (%sprev %s, %sbaseline %s)  %sPSS %s "
		"(%sprev %s, %sbaseline %s)  %zu process%s\n",
		S, fmt_kb(b[0], s.rss), D, fmt_delta(b[1], s.rss_prev), D,
		fmt_delta(b[2], s.rss_base), S, fmt_kb(b[3], s.pss), D,
		fmt_delta(b[4], s.pss_prev), D, fmt_delta(b[5], s.pss_base),
		s.nprocs, s.nprocs == 1 ? "" : "es");
	if (s.has_by_type) {
		fputs("RSS by type:", fp);
		for (t = 0; t < REGION_NTYPES; t++)
			fprintf(fp, "  %s %s", region_type_name(t),
				fmt_kb(b[0], s.rss_by_type[t]));
		fputc('\n', fp);
	}
	if (i > 0 && phase_diff(phase_get(ph, i - 1), p, 0, &d) == 0) {
		phasefmt_name(name, sizeof name, phase_get(ph, i - 1));
		fputs("Changed since ", fp);
		sanitize_fput(fp, name, 100, 0);
		if (d.nchanges == 0) {
			fputs(": nothing\n", fp);
		} else {
			fprintf(fp, " (top region groups by |%sRSS|):\n", D);
			phasefmt_regions(fp, &d, 10);
		}
		phase_diff_free(&d);
	}
	fputc('\n', fp);
	fflush(fp);
}
