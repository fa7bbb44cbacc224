/*
 * report_html.h - `ramtop report FILE`: a snapshot file or a batch
 * recording as one self-contained HTML page (inline SVG and CSS; no
 * script, no font, nothing fetched), as the SVG chart alone, or as a
 * Markdown summary for an issue tracker.
 *
 * The chart: RSS by region type stacked over time, Σ RSS and Σ PSS as
 * lines, each phase mark as a labelled line, the peaks.  Every plotted
 * figure is also in a data-* attribute (data-kb, data-series, data-index,
 * ...) so a test can check what is drawn against the file.  Foreign
 * strings (labels, names, command lines) are sanitised and escaped;
 * redacting leaves out command lines and arguments.
 */
#ifndef RAMTOP_REPORT_HTML_H
#define RAMTOP_REPORT_HTML_H

#include <stdio.h>

#include "snapshot.h"

enum report_html_kind {
	REPORT_HTML_PAGE,
	REPORT_HTML_SVG,
	REPORT_HTML_MARKDOWN,
};

struct report_html_opts {
	enum report_html_kind kind;
	int redact;	  /* no command lines, no arguments */
	const char *file; /* the input's name, for the title (raw) */
};

/* Write the report of s to fp.  Returns 0 or -errno of the stream, or
 * -ENOMEM. */
int report_html_write(FILE *fp, const struct snapshot *s,
		      const struct report_html_opts *o);

/* `ramtop report [--svg|--markdown] [--redact] [-o OUT] FILE`: the
 * subcommand (cmd.c's table calls it); returns the exit code. */
int report_html_cmd(int argc, char **argv);

#endif
