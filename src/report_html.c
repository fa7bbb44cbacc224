/*
 * report_html.c - `ramtop report`: a snapshot or recording as one
 * self-contained HTML page (inline SVG chart and CSS; no script, no web
 * font, no URL), as the chart alone (--svg), or as Markdown.
 *
 * Touches: the file it reads (through snapshot_read) and the one it
 * writes (atomically), or stdout.  Every string from the file passes
 * the sanitiser, then HTML or Markdown escaping.
 *
 * Why one file of ~900 lines: the three outputs are one report drawn
 * from one reading of the file (the series, the phase table, the top
 * changes), and the HTML page embeds the SVG chart; split, they would
 * share that reading through a header of its own.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "fmt.h"
#include "report_html.h"
#include "sanitize.h"

/* The chart's geometry, in SVG user units. */
#define RH_W 960
#define RH_H 420
#define RH_L 72 /* left margin: the size axis */
#define RH_R 24
#define RH_T 28
#define RH_B 76 /* bottom: the time axis and the legend */
#define RH_PW (RH_W - RH_L - RH_R)
#define RH_PH (RH_H - RH_T - RH_B)
#define RH_TOP_CHANGES 5

/* Fill colours per region type, in canonical order. */
static const char *const rh_colour[REGION_NTYPES] = {
	"#e7b04c", "#d9534f", "#9b7fc9", "#3fa7a0",
	"#5b8fd6", "#8a8f98", "#c27ba0", "#b9b37a",
};

struct rh {
	FILE *fp;
	const struct snapshot *s;
	const struct report_html_opts *o;
	struct timeline tl; /* the file's, or one made of the phases */
	int present[REGION_NTYPES];
	double tmax;
	long long kbmax;
	long long kbstep;
};

/* ---- text -------------------------------------------------------------- */

/* Sanitised raw for a Markdown table cell or line. */
static void
rh_md(FILE *fp, const char *raw)
{
	char buf[4096];
	const char *p;

	sanitize_text(buf, sizeof buf, raw ? raw : "", strlen(raw ? raw : ""));
	for (p = buf; *p != '\0'; p++) {
		if (strchr("|\\`*_[]<>#", *p) != NULL)
			fputc('\\', fp);
		fputc(*p, fp);
	}
}

/* Sanitised raw inside a Markdown code span: no escapes work there, so
 * a backquote becomes a quote. */
static void
rh_code(FILE *fp, const char *raw)
{
	char buf[4096], *p;

	sanitize_text(buf, sizeof buf, raw ? raw : "", strlen(raw ? raw : ""));
	for (p = buf; *p != '\0'; p++)
		if (*p == '`')
			*p = '\'';
	fputs(buf, fp);
}

/* The command as it may be shown: with redact, only the program's name
 * (its first word, without the directory); arguments can hold tokens,
 * passwords, paths. */
static const char *
rh_command(char *buf, size_t len, const char *cmd, int redact)
{
	const char *sp, *sl;
	size_t n;

	if (cmd == NULL)
		return NULL;
	if (!redact)
		return cmd;
	sp = strchr(cmd, ' ');
	n = sp ? (size_t)(sp - cmd) : strlen(cmd);
	for (sl = cmd; (sp = memchr(sl, '/', n - (size_t)(sl - cmd))) != NULL;)
		sl = sp + 1;
	n -= (size_t)(sl - cmd);
	snprintf(buf, len, "%.*s [arguments redacted]", (int)n, sl);
	return buf;
}

static const char *
rh_elapsed(char *buf, size_t len, double s)
{
	if (s < 10 && s != (double)(long)s)
		snprintf(buf, len, "%.1fs", s);
	else if (s < 120)
		snprintf(buf, len, "%.0fs", s);
	else if (s < 7200)
		snprintf(buf, len, "%.0fm", s / 60);
	else
		snprintf(buf, len, "%.1fh", s / 3600);
	return buf;
}

/* ---- the series -------------------------------------------------------- */

/* The points to draw: the file's timeline, or (older file) its phases. */
static int
rh_points(struct rh *r)
{
	struct timeline_point pt;
	size_t i;
	int k;

	timeline_init(&r->tl);
	if (r->s->tl.n > 0) {
		r->tl.max = r->s->tl.n + 1;
		for (i = 0; i < r->s->tl.n; i++)
			if (timeline_add(&r->tl, &r->s->tl.v[i]) < 0)
				return -ENOMEM;
	} else {
		r->tl.max = r->s->ph.n + 1;
		for (i = 0; i < r->s->ph.n; i++) {
			timeline_point_phase(&pt, &r->s->ph.v[i]);
			if (timeline_add(&r->tl, &pt) < 0)
				return -ENOMEM;
		}
	}
	r->kbmax = 1;
	for (i = 0; i < r->tl.n; i++) {
		const struct timeline_point *p = &r->tl.v[i];
		long long cum = 0;

		if (p->rss > r->kbmax)
			r->kbmax = p->rss;
		if (p->pss > r->kbmax)
			r->kbmax = p->pss;
		for (k = 0; p->has_by_type && k < REGION_NTYPES; k++) {
			if (p->rss_by_type[k] > 0) {
				r->present[k] = 1;
				cum += p->rss_by_type[k];
			}
		}
		if (cum > r->kbmax)
			r->kbmax = cum;
		if (p->elapsed_s > r->tmax)
			r->tmax = p->elapsed_s;
	}
	if (r->tmax <= 0)
		r->tmax = 1;
	/* A round step (1, 2, 5, 10, ... 500 KiB, MiB, GiB, TiB: what
	 * the labels print), at most 8 of them; the top of the axis a
	 * whole number of steps above the highest figure. */
	{
		static const long long m[] = { 1,  2,	5,   10, 20,
					       50, 100, 200, 500 };
		long long unit = 1, step = 1;
		size_t j;

		while (unit < (1LL << 40) && r->kbmax / unit >= 1024)
			unit *= 1024;
		for (j = 0; j < sizeof m / sizeof m[0]; j++) {
			step = m[j] * unit;
			if (r->kbmax / step < 8)
				break;
		}
		r->kbstep = step;
		r->kbmax = (r->kbmax / step + 1) * step;
	}
	return 0;
}

static double
rh_x(const struct rh *r, double t)
{
	return RH_L + t / r->tmax * RH_PW;
}

static double
rh_y(const struct rh *r, long long kb)
{
	return RH_T + RH_PH - (double)kb / (double)r->kbmax * RH_PH;
}

/* Σ of the types below and including k at p. */
static long long
rh_cum(const struct timeline_point *p, int k)
{
	long long c = 0;
	int j;

	for (j = 0; j <= k; j++)
		if (p->rss_by_type[j] > 0)
			c += p->rss_by_type[j];
	return c;
}

/* ---- the chart --------------------------------------------------------- */

static void
rh_axes(struct rh *r)
{
	FILE *fp = r->fp;
	char b[FMT_SIZE], e[32];
	long long kb;
	double t, tstep;
	static const double steps[] = { 0.1,   0.2,   0.5,  1,	  2,	5,
					10,    15,    30,   60,	  120,	300,
					600,   900,   1800, 3600, 7200, 10800,
					21600, 43200, 86400 };
	size_t i;

	fprintf(fp, "<g class=\"axes\">\n");
	for (kb = 0; kb <= r->kbmax; kb += r->kbstep) {
		fprintf(fp,
			"<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
			"y2=\"%.1f\"/><text class=\"ylab\" x=\"%d\" y=\"%.1f\">"
			"%s</text>\n",
			RH_L, rh_y(r, kb), RH_L + RH_PW, rh_y(r, kb), RH_L - 6,
			rh_y(r, kb) + 4, fmt_kb(b, kb));
	}
	tstep = steps[sizeof steps / sizeof steps[0] - 1];
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (r->tmax / steps[i] <= 8) {
			tstep = steps[i];
			break;
		}
	for (t = 0; t <= r->tmax + 1e-9; t += tstep)
		fprintf(fp,
			"<line class=\"tick\" x1=\"%.1f\" y1=\"%d\" "
			"x2=\"%.1f\" "
			"y2=\"%d\"/><text class=\"xlab\" x=\"%.1f\" y=\"%d\">"
			"+%s</text>\n",
			rh_x(r, t), RH_T + RH_PH, rh_x(r, t), RH_T + RH_PH + 5,
			rh_x(r, t), RH_T + RH_PH + 18,
			rh_elapsed(e, sizeof e, t));
	fprintf(fp,
		"<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		"<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		"\n</g>\n",
		RH_L, RH_T, RH_L, RH_T + RH_PH, RH_L, RH_T + RH_PH,
		RH_L + RH_PW, RH_T + RH_PH);
}

/* One stacked area per region type present, over the points that have
 * figures per type (marks always do). */
static void
rh_areas(struct rh *r)
{
	FILE *fp = r->fp;
	const struct timeline_point *p;
	size_t i, n;
	int k;

	for (k = 0; k < REGION_NTYPES; k++) {
		if (!r->present[k])
			continue;
		fprintf(fp,
			"<path class=\"area t-%s\" data-series=\"%s\" "
			"fill=\"%s\" d=\"",
			region_type_name(k), region_type_name(k), rh_colour[k]);
		n = 0;
		for (i = 0; i < r->tl.n; i++) {
			p = &r->tl.v[i];
			if (!p->has_by_type)
				continue;
			fprintf(fp, "%s%.1f,%.1f", n++ ? " L" : "M",
				rh_x(r, p->elapsed_s), rh_y(r, rh_cum(p, k)));
		}
		for (i = r->tl.n; i-- > 0;) {
			p = &r->tl.v[i];
			if (p->has_by_type)
				fprintf(fp, " L%.1f,%.1f",
					rh_x(r, p->elapsed_s),
					rh_y(r, rh_cum(p, k - 1)));
		}
		fputs(" Z\"/>\n", fp);
	}
}

static void
rh_line(struct rh *r, const char *series, int pss)
{
	FILE *fp = r->fp;
	const struct timeline_point *p;
	long long v;
	size_t i, n = 0;

	fprintf(fp, "<polyline class=\"line %s\" data-series=\"%s\" points=\"",
		series, series);
	for (i = 0; i < r->tl.n; i++) {
		p = &r->tl.v[i];
		v = pss ? p->pss : p->rss;
		if (v < 0)
			continue;
		fprintf(fp, "%s%.1f,%.1f", n++ ? " " : "",
			rh_x(r, p->elapsed_s), rh_y(r, v));
	}
	fputs("\"/>\n", fp);
}

/* The point of the timeline for phase ph (marks are always kept), or
 * one made of the phase. */
static void
rh_mark_point(const struct rh *r, const struct phase *ph,
	      struct timeline_point *out)
{
	size_t i;

	for (i = 0; i < r->tl.n; i++)
		if (r->tl.v[i].mark == ph->index) {
			*out = r->tl.v[i];
			return;
		}
	timeline_point_phase(out, ph);
}

static void
rh_dot(FILE *fp, const char *series, long long kb, long long cum, double x,
       double y)
{
	fprintf(fp,
		"<circle class=\"dot\" data-series=\"%s\" data-kb=\"%lld\" "
		"data-cum-kb=\"%lld\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/>\n",
		series, kb, cum, x, y);
}

/* Each phase: a line with its label, and a dot with data-kb for each
 * figure plotted there. */
static void
rh_marks(struct rh *r)
{
	FILE *fp = r->fp;
	struct timeline_point pt;
	const struct phase *ph;
	char b[FMT_SIZE];
	double x;
	size_t i;
	int k;

	for (i = 0; i < r->s->ph.n; i++) {
		ph = &r->s->ph.v[i];
		rh_mark_point(r, ph, &pt);
		x = rh_x(r, pt.elapsed_s);
		fprintf(fp,
			"<g class=\"mark\" data-index=\"%ld\" data-label=\"",
			ph->index);
		sanitize_fput_markup(fp, ph->label);
		fprintf(fp,
			"\" data-elapsed-s=\"%.3f\" data-rss-kb=\"%lld\" "
			"data-pss-kb=\"%lld\">\n<line class=\"markline\" "
			"x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n"
			"<text class=\"marklab\" "
			"transform=\"translate(%.1f,%d) "
			"rotate(-90)\">%ld ",
			pt.elapsed_s, pt.rss, pt.pss, x, RH_T, x, RH_T + RH_PH,
			x + 11, RH_T + RH_PH - 4, ph->index);
		sanitize_fput_markup(fp, ph->label);
		fprintf(fp, " (%s)</text>\n", fmt_kb(b, pt.rss));
		if (pt.rss >= 0)
			rh_dot(fp, "rss", pt.rss, pt.rss, x, rh_y(r, pt.rss));
		if (pt.pss >= 0)
			rh_dot(fp, "pss", pt.pss, pt.pss, x, rh_y(r, pt.pss));
		for (k = 0; pt.has_by_type && k < REGION_NTYPES; k++)
			if (r->present[k])
				rh_dot(fp, region_type_name(k),
				       pt.rss_by_type[k] > 0 ? pt.rss_by_type[k]
							     : 0,
				       rh_cum(&pt, k), x,
				       rh_y(r, rh_cum(&pt, k)));
		fputs("</g>\n", fp);
	}
}

/* The run's peak Σ RSS, labelled; each phase's peak as a small mark. */
static void
rh_peaks(struct rh *r)
{
	FILE *fp = r->fp;
	const struct timeline_peak *pk = &r->s->tl.rss;
	const struct phase *ph;
	char b[FMT_SIZE], e[32];
	double x, y;
	size_t i;

	for (i = 0; i < r->s->ph.n; i++) {
		ph = &r->s->ph.v[i];
		if (ph->peak_rss == KB_UNKNOWN || ph->peak_rss < 0)
			continue;
		x = rh_x(r, ph->peak_elapsed_s);
		y = rh_y(r, ph->peak_rss);
		fprintf(fp,
			"<path class=\"phasepeak\" data-index=\"%ld\" "
			"data-kb=\"%lld\" d=\"M%.1f,%.1f l-4,-7 h8 Z\">"
			"<title>phase %ld peak %s</title></path>\n",
			ph->index, ph->peak_rss, x, y, ph->index,
			fmt_kb(b, ph->peak_rss));
	}
	if (pk->kb < 0)
		return;
	x = rh_x(r, pk->elapsed_s);
	y = rh_y(r, pk->kb);
	fprintf(fp,
		"<g class=\"peak\" data-series=\"rss\" data-kb=\"%lld\" "
		"data-elapsed-s=\"%.3f\"><circle cx=\"%.1f\" cy=\"%.1f\" "
		"r=\"4\"/><text class=\"peaklab\" x=\"%.1f\" y=\"%.1f\" "
		"text-anchor=\"%s\">peak &#931;RSS %s at +%s</text></g>\n",
		pk->kb, pk->elapsed_s, x, y,
		x + (x > RH_L + RH_PW / 2 ? -8 : 8),
		y > RH_T + 14 ? y - 8 : y + 16,
		x > RH_L + RH_PW / 2 ? "end" : "start", fmt_kb(b, pk->kb),
		rh_elapsed(e, sizeof e, pk->elapsed_s));
}

static void
rh_legend(struct rh *r)
{
	FILE *fp = r->fp;
	int k, x = RH_L, y = RH_H - 22;

	fprintf(fp, "<g class=\"legend\">\n");
	for (k = 0; k < REGION_NTYPES; k++) {
		if (!r->present[k])
			continue;
		fprintf(fp,
			"<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
			"fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>\n",
			x, y - 10, rh_colour[k], x + 16, y,
			region_type_name(k));
		x += 30 + 8 * (int)strlen(region_type_name(k));
	}
	fprintf(fp,
		"<line class=\"line rss\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
		"y2=\"%d\"/><text x=\"%d\" y=\"%d\">&#931;RSS</text>\n"
		"<line class=\"line pss\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
		"y2=\"%d\"/><text x=\"%d\" y=\"%d\">&#931;PSS (the honest "
		"total)</text>\n</g>\n",
		x, y - 4, x + 18, y - 4, x + 22, y, x + 76, y - 4, x + 94,
		y - 4, x + 98, y);
}

static const char rh_svg_style[] =
	"text{font:11px sans-serif;fill:#333}"
	".ylab{text-anchor:end}.xlab{text-anchor:middle}"
	".grid{stroke:#e4e4e4}.axis,.tick{stroke:#666}"
	".area{stroke:none;opacity:.85}"
	".line{fill:none;stroke-width:1.6}"
	".line.rss{stroke:#222;stroke-dasharray:4 3}"
	".line.pss{stroke:#0b5}"
	".markline{stroke:#444;stroke-dasharray:2 3}"
	".marklab{font-size:10px}"
	".dot{fill:#fff;stroke:#222;stroke-width:1}"
	".phasepeak{fill:#b00}"
	".peak circle{fill:#b00}.peaklab{fill:#b00;font-weight:bold}";

static void
rh_chart(struct rh *r, int standalone)
{
	FILE *fp = r->fp;

	fprintf(fp,
		"<svg %sclass=\"chart\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" role=\"img\" data-x0=\"%d\" "
		"data-y0=\"%d\" data-px-per-s=\"%.9g\" data-px-per-kb=\"%.9g\" "
		"data-points=\"%zu\">\n",
		standalone ? "xmlns=\"http://www.w3.org/2000/svg\" " : "", RH_W,
		RH_H, RH_W, RH_H, RH_L, RH_T + RH_PH, RH_PW / r->tmax,
		(double)RH_PH / (double)r->kbmax, r->tl.n);
	if (standalone)
		fprintf(fp, "<style>%s</style>\n", rh_svg_style);
	fprintf(fp, "<title>RSS by region type over time</title>\n");
	rh_axes(r);
	rh_areas(r);
	rh_line(r, "rss", 0);
	rh_line(r, "pss", 1);
	rh_marks(r);
	rh_peaks(r);
	rh_legend(r);
	fputs("</svg>\n", fp);
}

/* ---- the page ---------------------------------------------------------- */

static void
rh_header(struct rh *r)
{
	const struct snapshot *s = r->s;
	FILE *fp = r->fp;
	char cmd[512], b[FMT_SIZE];
	const char *c;
	size_t i;

	fputs("<h1>ramtop report: ", fp);
	sanitize_fput_markup(fp, r->o->file);
	fputs("</h1>\n<table class=\"meta\">\n<tr><th>host</th><td>", fp);
	if (s->hostname[0] == '\0') {
		fputs("unknown", fp);
	} else {
		sanitize_fput_markup(fp, s->hostname);
		fputs(" (kernel ", fp);
		sanitize_fput_markup(fp, s->kernel);
		fprintf(fp, ", memory %s)", fmt_kb(b, s->mem_total_kb));
	}
	fputs("</td></tr>\n<tr><th>command</th><td><code>", fp);
	c = rh_command(cmd, sizeof cmd, s->command, r->o->redact);
	sanitize_fput_markup(fp, c ? c : "(every process)");
	fputs("</code></td></tr>\n<tr><th>target</th><td>", fp);
	if (s->npids == 0)
		fputs("every process", fp);
	for (i = 0; i < s->npids; i++)
		fprintf(fp, "%spid %d", i ? ", " : "", s->pids[i]);
	fputs("</td></tr>\n<tr><th>started</th><td>", fp);
	sanitize_fput_markup(fp, s->created);
	fprintf(fp, "</td></tr>\n<tr><th>source</th><td>%s, %zu phase%s, ",
		s->recording ? "batch recording (NDJSON)" : "snapshot file",
		s->ph.n, s->ph.n == 1 ? "" : "s");
	if (s->tl.n == 0)
		fputs("no timeline (an older file): the chart joins the "
		      "phases",
		      fp);
	else
		fprintf(fp, "%llu sample%s (%zu on the chart)", s->tl.seen,
			s->tl.seen == 1 ? "" : "s", r->tl.n);
	fputs("</td></tr>\n</table>\n", fp);
}

static void
rh_phase_table(struct rh *r)
{
	FILE *fp = r->fp;
	struct phase_summary ps;
	char b[6][FMT_SIZE];
	size_t i;
	int k;

	fputs("<h2>Phases</h2>\n<table class=\"phases\">\n<tr><th>#</th>"
	      "<th>label</th><th>elapsed</th><th>&#931;RSS</th>"
	      "<th>&#931;PSS</th><th>peak &#931;RSS</th><th>&#916;prev</th>"
	      "<th>&#916;base</th>",
	      fp);
	for (k = 0; k < REGION_NTYPES; k++)
		fprintf(fp, "<th>%s</th>", region_type_name(k));
	fputs("</tr>\n", fp);
	for (i = 0; i < r->s->ph.n; i++) {
		phase_summary(&r->s->ph, i, &ps);
		fprintf(fp, "<tr data-index=\"%ld\"><td>%ld</td><td>", ps.index,
			ps.index);
		sanitize_fput_markup(fp, ps.label);
		fprintf(fp,
			"</td><td>+%.1fs</td><td>%s</td><td>%s</td><td>%s</td>"
			"<td>%s</td><td>%s</td>",
			ps.elapsed_s, fmt_kb(b[0], ps.rss),
			fmt_kb(b[1], ps.pss), fmt_kb(b[2], ps.peak_rss),
			fmt_delta(b[3], ps.rss_prev),
			fmt_delta(b[4], ps.rss_base));
		for (k = 0; k < REGION_NTYPES; k++)
			fprintf(fp, "<td>%s</td>",
				fmt_kb(b[5], ps.rss_by_type[k]));
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

/* What changed most in each phase since the one before. */
static int
rh_changes(struct rh *r, int md)
{
	FILE *fp = r->fp;
	const struct phase_change *c;
	struct phase_diff d;
	char b[2][FMT_SIZE];
	size_t i, j, shown;

	fputs(md ? "\n## Top region changes per phase\n"
		 : "<h2>Top region changes per phase</h2>\n",
	      fp);
	for (i = 1; i < r->s->ph.n; i++) {
		const struct phase *a = &r->s->ph.v[i - 1], *p = &r->s->ph.v[i];

		if (phase_diff(a, p, 0, &d) < 0)
			return -ENOMEM;
		if (md) {
			fprintf(fp, "\n**%ld ", p->index);
			rh_md(fp, p->label);
			fprintf(fp, "** (%s ΣRSS)\n\n",
				fmt_delta(b[0], d.d_rss));
		} else {
			fprintf(fp, "<h3>%ld ", p->index);
			sanitize_fput_markup(fp, p->label);
			fprintf(fp,
				" <small>(%s &#931;RSS)</small></h3>\n<table "
				"class=\"changes\"><tr><th>pid</th><th>type</"
				"th>"
				"<th>&#916;RSS</th><th>RSS</th><th>name</th>"
				"</tr>\n",
				fmt_delta(b[0], d.d_rss));
		}
		for (j = 0, shown = 0; j < d.nchanges && shown < RH_TOP_CHANGES;
		     j++) {
			c = &d.changes[j];
			if (c->d_rss == 0)
				continue; /* only size or PSS moved */
			shown++;
			if (md) {
				fprintf(fp, "- %s %s in pid %d: `",
					fmt_delta(b[0], c->d_rss),
					region_type_name(c->type),
					(c->pb ? c->pb : c->pa)->pid);
				rh_code(fp,
					c->name[0] ? c->name : "(anonymous)");
				fputs("`\n", fp);
				continue;
			}
			fprintf(fp,
				"<tr><td>%d</td><td>%s</td><td>%s</td>"
				"<td>%s</td><td>",
				(c->pb ? c->pb : c->pa)->pid,
				region_type_name(c->type),
				fmt_delta(b[0], c->d_rss),
				fmt_kb(b[1], c->b.rss));
			sanitize_fput_markup(fp, c->name[0] ? c->name
							    : "(anonymous)");
			fputs("</td></tr>\n", fp);
		}
		if (shown == 0)
			fputs(md ? "- no region changed (or regions were not "
				   "recorded)\n"
				 : "<tr><td colspan=\"5\">no region changed "
				   "(or "
				   "regions were not recorded)</td></tr>\n",
			      fp);
		if (!md)
			fputs("</table>\n", fp);
		phase_diff_free(&d);
	}
	return 0;
}

static void
rh_procs(struct rh *r)
{
	const struct phase *last = phase_get(&r->s->ph, r->s->ph.n - 1);
	FILE *fp = r->fp;
	char b[3][FMT_SIZE], cmd[512];
	size_t i;

	if (last == NULL || last->nprocs == 0)
		return;
	fprintf(fp,
		"<h2>Processes at phase %ld</h2>\n<table class=\"procs\">"
		"<tr><th>pid</th><th>RSS</th><th>VmHWM (kernel peak)</th>"
		"<th>highest sampled RSS</th><th>command</th></tr>\n",
		last->index);
	for (i = 0; i < last->nprocs; i++) {
		const struct phase_proc *pp = &last->procs[i];

		fprintf(fp,
			"<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td>"
			"<td><code>",
			pp->pid, fmt_kb(b[0], pp->figs.rss),
			fmt_kb(b[1], pp->figs.hwm), fmt_kb(b[2], pp->rss_peak));
		if (pp->cmdline != NULL && !r->o->redact)
			sanitize_fput_markup(fp, pp->cmdline);
		else if (pp->cmdline != NULL)
			sanitize_fput_markup(fp, rh_command(cmd, sizeof cmd,
							    pp->cmdline, 1));
		else
			sanitize_fput_markup(fp, pp->comm);
		fputs("</code></td></tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

static const char rh_page_style[] =
	"body{font:14px sans-serif;margin:24px;color:#222;max-width:1100px}"
	"h1{font-size:20px}h2{font-size:16px;margin-top:28px}"
	"h3{font-size:14px;margin:16px 0 4px}"
	"table{border-collapse:collapse}"
	"td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #eee}"
	"th{background:#f4f4f4}.meta th,.meta td{text-align:left}"
	"td:nth-child(2),.changes td:last-child,.procs td:last-child"
	"{text-align:left}"
	"code{font:12px monospace}small{color:#666;font-weight:normal}";

static int
rh_page(struct rh *r)
{
	FILE *fp = r->fp;
	int e;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" "
	      "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
	      "<title>ramtop report: ",
	      fp);
	sanitize_fput_markup(fp, r->o->file);
	fprintf(fp, "</title>\n<style>%s%s</style>\n</head>\n<body>\n",
		rh_page_style, rh_svg_style);
	rh_header(r);
	fputs("<h2>Memory over time</h2>\n", fp);
	rh_chart(r, 0);
	rh_phase_table(r);
	rh_procs(r);
	e = rh_changes(r, 0);
	fprintf(fp,
		"<p><small>Written by ramtop %s. &#931;RSS counts a "
		"shared page once in each process; &#931;PSS once in "
		"all.</small></p>\n</body>\n</html>\n",
		PACKAGE_VERSION);
	return e;
}

/* ---- Markdown ---------------------------------------------------------- */

static int
rh_markdown(struct rh *r)
{
	const struct snapshot *s = r->s;
	FILE *fp = r->fp;
	struct phase_summary ps;
	char b[5][FMT_SIZE], cmd[512], e[32];
	const char *c;
	size_t i;

	fputs("## ramtop report: ", fp);
	rh_md(fp, r->o->file);
	fputs("\n\n- host: ", fp);
	rh_md(fp, s->hostname[0] ? s->hostname : "unknown");
	c = rh_command(cmd, sizeof cmd, s->command, r->o->redact);
	fputs("\n- command: `", fp);
	rh_code(fp, c ? c : "(every process)");
	fprintf(fp, "`\n- %zu phases", s->ph.n);
	if (s->tl.n > 0)
		fprintf(fp, ", %llu samples", s->tl.seen);
	if (s->tl.rss.kb >= 0)
		fprintf(fp, "; peak ΣRSS %s at +%s", fmt_kb(b[0], s->tl.rss.kb),
			rh_elapsed(e, sizeof e, s->tl.rss.elapsed_s));
	if (s->tl.pss.kb >= 0)
		fprintf(fp, ", peak ΣPSS %s", fmt_kb(b[0], s->tl.pss.kb));
	fputs("\n\n| # | phase | elapsed | ΣRSS | ΣPSS | peak ΣRSS | Δprev | "
	      "Δbase |\n|--:|---|--:|--:|--:|--:|--:|--:|\n",
	      fp);
	for (i = 0; i < s->ph.n; i++) {
		phase_summary(&s->ph, i, &ps);
		fprintf(fp, "| %ld | ", ps.index);
		rh_md(fp, ps.label);
		fprintf(fp, " | +%.1fs | %s | %s | %s | %s | %s |\n",
			ps.elapsed_s, fmt_kb(b[0], ps.rss),
			fmt_kb(b[1], ps.pss), fmt_kb(b[2], ps.peak_rss),
			fmt_delta(b[3], ps.rss_prev),
			fmt_delta(b[4], ps.rss_base));
	}
	return rh_changes(r, 1);
}

int
report_html_write(FILE *fp, const struct snapshot *s,
		  const struct report_html_opts *o)
{
	struct rh r;
	int e;

	memset(&r, 0, sizeof r);
	r.fp = fp;
	r.s = s;
	r.o = o;
	e = rh_points(&r);
	if (e == 0) {
		if (o->kind == REPORT_HTML_SVG)
			rh_chart(&r, 1);
		else if (o->kind == REPORT_HTML_MARKDOWN)
			e = rh_markdown(&r);
		else
			e = rh_page(&r);
	}
	timeline_free(&r.tl);
	if (e == 0 && (ferror(fp) || fflush(fp) != 0))
		e = -EIO;
	return e;
}

/* ---- the subcommand ----------------------------------------------------- */

static const char rh_usage[] =
	"Usage: ramtop report [--svg|--markdown] [--redact] [-o OUT] FILE\n"
	"The snapshot file or batch recording FILE as one self-contained HTML\n"
	"page (inline SVG chart and CSS; no script, nothing fetched), or as\n"
	"the chart alone (--svg) or a Markdown summary (--markdown).  OUT is\n"
	"written atomically; without -o (or with -o -) to standard output.\n"
	"--redact leaves out command lines and arguments.  See ramtop(1).\n";

static int
rh_bad(const char *what)
{
	/* The usage line: the first of rh_usage. */
	fprintf(stderr, "ramtop report: %s\n%.*s\n", what,
		(int)strcspn(rh_usage, "\n"), rh_usage);
	return 2;
}

int
report_html_cmd(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "svg", no_argument, NULL, 's' },
		{ "markdown", no_argument, NULL, 'm' },
		{ "redact", no_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_html_opts o = { REPORT_HTML_PAGE, 0, NULL };
	const char *out = NULL;
	char err[1200], msg[128];
	struct snapshot s;
	char *buf = NULL;
	size_t len = 0;
	FILE *mf;
	int ch, r;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
		switch (ch) {
		case 's':
			o.kind = REPORT_HTML_SVG;
			break;
		case 'm':
			o.kind = REPORT_HTML_MARKDOWN;
			break;
		case 'r':
			o.redact = 1;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			fputs(rh_usage, stdout);
			return 0;
		default:
			if (optopt == 'o')
				return rh_bad("-o needs a file name");
			snprintf(msg, sizeof msg, "unknown option '%.40s'",
				 argv[optind - 1]);
			return rh_bad(msg);
		}
	}
	if (argc - optind != 1)
		return rh_bad(argc - optind < 1 ? "no file given"
						: "one file only");
	o.file = argv[optind];
	if (snapshot_read(o.file, &s, err, sizeof err) < 0) {
		fprintf(stderr, "ramtop: %s\n", err);
		return 1;
	}
	mf = open_memstream(&buf, &len);
	r = mf ? report_html_write(mf, &s, &o) : -ENOMEM;
	if (mf != NULL && fclose(mf) != 0 && r == 0)
		r = -ENOMEM;
	snapshot_free(&s);
	if (r < 0) {
		fprintf(stderr, "ramtop report: %s\n", strerror(-r));
		free(buf);
		return 1;
	}
	if (out == NULL || strcmp(out, "-") == 0) {
		r = fwrite(buf, 1, len, stdout) == len && fflush(stdout) == 0
			    ? 0
			    : -EIO;
		if (r < 0)
			fprintf(stderr, "ramtop report: cannot write the "
					"output\n");
	} else {
		r = atomic_write(out, buf, len, "the report",
				 "choose another place with -o", err,
				 sizeof err);
		if (r < 0)
			fprintf(stderr, "ramtop report: %s\n", err);
	}
	free(buf);
	return r < 0 ? 1 : 0;
}
