/*
 * budget.c - the budget file parser: one rule a line, '#' comments,
 *
 *   [phase LABEL:] [tree | process "NAME"] FIGURE [delta [since
 *   previous|baseline]] OP LIMIT
 *
 * e.g. "phase kv-cache: anon delta <= +600M".  Pure: a buffer in, rules
 * and errors (line, column, what) out; nothing printed, nothing read
 * but budget_read()'s file.  The evaluation is in budgeteval.c.
 *
 * Why one file of ~650 lines: it is one grammar, read by one recursive
 * descent whose small functions share the cursor (line, column) and the
 * error list; the figures' and units' tables are part of that grammar.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "sanitize.h"

#define BUDGET_FILE_MAX (1024 * 1024)

/* The line being parsed. */
struct bp {
	const char *s; /* the line (no newline) */
	size_t len, i; /* i: next byte */
	int line;
	struct budget *b;
};

static const char budget_figs_help[] =
	"rss, pss, uss, swap, shm, locked, peak or a region type (heap, "
	"anon, stack, shm, file, lib, device, special)";

/* Column of byte offset i: characters before it, plus one. */
static int
bp_col(const struct bp *p, size_t i)
{
	size_t k;
	int col = 1;

	for (k = 0; k < i && k < p->len; k++)
		if (((unsigned char)p->s[k] & 0xc0) != 0x80)
			col++;
	return col;
}

/* Record an error at byte i of the line; returns -EINVAL. */
static int __attribute__((format(printf, 3, 4)))
bp_err(struct bp *p, size_t i, const char *fmt, ...)
{
	struct budget_error *e;
	va_list ap;

	p->b->nerr_total++;
	if (p->b->nerr >= BUDGET_MAX_ERRORS)
		return -EINVAL;
	e = &p->b->err[p->b->nerr++];
	e->line = p->line;
	e->col = bp_col(p, i);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int
bp_end(const struct bp *p)
{
	return p->i >= p->len || p->s[p->i] == '#';
}

static void
bp_ws(struct bp *p)
{
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
		p->i++;
}

static int
bp_wordch(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* The word at i (letters, digits, '_', '-'), its length; 0 if none. */
static size_t
bp_word(const struct bp *p, size_t i)
{
	size_t k = i;

	while (k < p->len && bp_wordch(p->s[k]))
		k++;
	return k - i;
}

/* Is the next word w (then consume it)? */
static int
bp_take(struct bp *p, const char *w)
{
	size_t n = bp_word(p, p->i);

	if (n != strlen(w) || strncmp(p->s + p->i, w, n) != 0)
		return 0;
	p->i += n;
	bp_ws(p);
	return 1;
}

/* What is at i, for a message: the word, or the character, sanitised. */
static const char *
bp_what(const struct bp *p, size_t i, char *buf, size_t len)
{
	size_t n;

	if (i >= p->len || p->s[i] == '#')
		return "the end of the line";
	n = bp_word(p, i);
	if (n == 0)
		n = 1;
	if (n > 40)
		n = 40;
	buf[0] = '"';
	sanitize_text(buf + 1, len - 2, p->s + i, n);
	strncat(buf, "\"", len - strlen(buf) - 1);
	return buf;
}

/* A "quoted string" (\" and \\ escape) into a new string. */
static int
bp_quoted(struct bp *p, char **out)
{
	size_t start = p->i, o = 0;
	char *s;

	if (p->i >= p->len || p->s[p->i] != '"')
		return 1; /* not a quoted string */
	s = malloc(p->len - p->i + 1);
	if (s == NULL)
		return -ENOMEM;
	for (p->i++; p->i < p->len && p->s[p->i] != '"'; p->i++) {
		if (p->s[p->i] == '\\' && p->i + 1 < p->len &&
		    (p->s[p->i + 1] == '"' || p->s[p->i + 1] == '\\'))
			p->i++;
		s[o++] = p->s[p->i];
	}
	s[o] = '\0';
	if (p->i >= p->len) {
		free(s);
		return bp_err(p, start,
			      "this quoted string is not closed: "
			      "add a '\"' at its end");
	}
	p->i++;
	*out = s;
	return 0;
}

/* "phase LABEL:" or "phase "LABEL":" (after the word phase). */
static int
bp_phase(struct bp *p, struct budget_rule *r)
{
	char clean[PHASE_LABEL_MAX + 1], *raw = NULL;
	size_t start = p->i, k;
	int q;

	q = bp_quoted(p, &raw);
	if (q < 0)
		return q;
	if (q == 1) {
		for (k = p->i; k < p->len && p->s[k] != ':' && p->s[k] != '#';
		     k++)
			;
		if (k >= p->len || p->s[k] != ':')
			return bp_err(p, start,
				      "expected 'phase LABEL:' (a ':' after "
				      "the label; quote a label with '#' in "
				      "it)");
		raw = strndup(p->s + p->i, k - p->i);
		if (raw == NULL)
			return -ENOMEM;
		p->i = k;
	} else {
		bp_ws(p);
		if (p->i >= p->len || p->s[p->i] != ':') {
			free(raw);
			return bp_err(p, p->i,
				      "expected ':' after the phase label");
		}
	}
	p->i++; /* ':' */
	if (phase_label_clean(clean, raw, strlen(raw)) < 0) {
		free(raw);
		return bp_err(p, start,
			      "this phase label is longer than %d "
			      "bytes, the longest a label can be",
			      PHASE_LABEL_MAX);
	}
	free(raw);
	if (clean[0] == '\0')
		return bp_err(p, start, "the phase label is empty");
	r->phase = strdup(clean);
	if (r->phase == NULL)
		return -ENOMEM;
	bp_ws(p);
	return 0;
}

/* tree | process "NAME" | nothing (the tree). */
static int
bp_scope(struct bp *p, struct budget_rule *r)
{
	char w[48];
	int q;

	if (bp_take(p, "tree"))
		return 0;
	if (!bp_take(p, "process"))
		return 0;
	q = bp_quoted(p, &r->process);
	if (q < 0)
		return q;
	if (q == 1)
		return bp_err(p, p->i,
			      "expected a quoted name after 'process', e.g. "
			      "process \"engine\"; found %s",
			      bp_what(p, p->i, w, sizeof w));
	if (r->process[0] == '\0')
		return bp_err(p, p->i - 2, "the process name is empty");
	bp_ws(p);
	return 0;
}

static const struct {
	const char *name;
	enum budget_fig fig;
} budget_fig_words[] = {
	{ "rss", BUDGET_RSS },	 { "pss", BUDGET_PSS },
	{ "uss", BUDGET_USS },	 { "swap", BUDGET_SWAP },
	{ "shm", BUDGET_SHM },	 { "locked", BUDGET_LOCKED },
	{ "peak", BUDGET_PEAK },
};

static const char *const budget_metric_words[] = {
	[BUDGET_M_RSS] = "rss",	      [BUDGET_M_SIZE] = "size",
	[BUDGET_M_PSS] = "pss",	      [BUDGET_M_SWAP] = "swap",
	[BUDGET_M_LOCKED] = "locked",
};

/* The region type metric after a type word, if one is there. */
static int
bp_metric(struct bp *p)
{
	size_t m;

	for (m = 0;
	     m < sizeof budget_metric_words / sizeof budget_metric_words[0];
	     m++)
		if (bp_take(p, budget_metric_words[m]))
			return (int)m;
	return -1;
}

static int
bp_figure(struct bp *p, struct budget_rule *r)
{
	size_t start = p->i, n = bp_word(p, p->i), k;
	char word[32], w[48];
	int t, m;

	if (n == 0 || n >= sizeof word)
		return bp_err(p, start, "expected a figure (%s); found %s",
			      budget_figs_help, bp_what(p, start, w, sizeof w));
	memcpy(word, p->s + p->i, n);
	word[n] = '\0';
	p->i += n;
	bp_ws(p);
	t = region_type_parse(word);
	if (t >= 0) {
		m = bp_metric(p);
		if (t == REGION_SHM && m < 0) {
			r->fig = BUDGET_SHM; /* "shm" alone */
			return 0;
		}
		r->fig = BUDGET_TYPE;
		r->type = (enum region_type)t;
		r->metric = m < 0 ? BUDGET_M_RSS : (enum budget_metric)m;
		return 0;
	}
	for (k = 0; k < sizeof budget_fig_words / sizeof budget_fig_words[0];
	     k++)
		if (strcmp(word, budget_fig_words[k].name) == 0) {
			r->fig = budget_fig_words[k].fig;
			return 0;
		}
	return bp_err(p, start, "unknown figure %s: expected %s",
		      bp_what(p, start, w, sizeof w), budget_figs_help);
}

/* delta [since previous|baseline] */
static int
bp_delta(struct bp *p, struct budget_rule *r)
{
	size_t at = p->i;
	char w[48];

	if (!bp_take(p, "delta"))
		return 0;
	if (r->fig == BUDGET_PEAK)
		return bp_err(p, at,
			      "peak has no delta: give a limit for the "
			      "peak itself");
	r->delta = BUDGET_SINCE_PREV;
	if (!bp_take(p, "since"))
		return 0;
	if (bp_take(p, "previous"))
		return 0;
	if (bp_take(p, "baseline")) {
		r->delta = BUDGET_SINCE_BASE;
		return 0;
	}
	return bp_err(p, p->i,
		      "expected 'previous' or 'baseline' after 'since'; "
		      "found %s",
		      bp_what(p, p->i, w, sizeof w));
}

static int
bp_op(struct bp *p, struct budget_rule *r)
{
	const char *s = p->s + p->i;
	size_t left = p->len - p->i;
	char w[48];

	if (left >= 2 && s[0] == '<' && s[1] == '=')
		r->op = BUDGET_LE, p->i += 2;
	else if (left >= 2 && s[0] == '>' && s[1] == '=')
		r->op = BUDGET_GE, p->i += 2;
	else if (left >= 1 && s[0] == '<')
		r->op = BUDGET_LT, p->i += 1;
	else if (left >= 1 && s[0] == '>')
		r->op = BUDGET_GT, p->i += 1;
	else
		return bp_err(p, p->i,
			      "expected a comparison (<=, <, >= or >); found "
			      "%s",
			      bp_what(p, p->i, w, sizeof w));
	bp_ws(p);
	return 0;
}

/* May this figure be given as a percentage? */
static const char *
bp_pct_bad(const struct budget_rule *r)
{
	if (r->delta != BUDGET_ABS)
		return "a delta cannot be a percentage: give a size such as "
		       "+600M";
	return NULL;
}

/* [+|-]NUMBER(K|M|G|T[i][B] | %) */
static int
bp_limit(struct bp *p, struct budget_rule *r)
{
	size_t start = p->i, k;
	double v = 0, scale = 1, mul;
	int sign = 1, digits = 0;
	char w[48];
	const char *bad;

	if (p->i < p->len && (p->s[p->i] == '+' || p->s[p->i] == '-'))
		sign = p->s[p->i++] == '-' ? -1 : 1;
	for (; p->i < p->len && isdigit((unsigned char)p->s[p->i]); p->i++) {
		if (digits++ < 18)
			v = v * 10 + (p->s[p->i] - '0');
		else
			v *= 10;
	}
	if (p->i < p->len && p->s[p->i] == '.') {
		for (p->i++;
		     p->i < p->len && isdigit((unsigned char)p->s[p->i]);
		     p->i++, digits++)
			v += (p->s[p->i] - '0') * (scale /= 10);
	}
	if (digits == 0)
		return bp_err(p, start,
			      "expected a limit such as 300M, 1.5G, "
			      "+600M or 80%%; found %s",
			      bp_what(p, start, w, sizeof w));
	if (sign < 0 && r->delta == BUDGET_ABS)
		return bp_err(p, start,
			      "only a delta can have a negative "
			      "limit");
	k = p->i;
	if (k < p->len && p->s[k] == '%') {
		if ((bad = bp_pct_bad(r)) != NULL)
			return bp_err(p, start, "%s", bad);
		if (v > 1000)
			return bp_err(p, start,
				      "a percentage above 1000%% is "
				      "surely a mistake");
		r->pct = 1;
		r->pct_value = v;
		p->i++;
		return 0;
	}
	mul = 0;
	if (k < p->len) {
		switch (toupper((unsigned char)p->s[k])) {
		case 'K':
			mul = 1;
			break;
		case 'M':
			mul = 1024;
			break;
		case 'G':
			mul = 1024.0 * 1024;
			break;
		case 'T':
			mul = 1024.0 * 1024 * 1024;
			break;
		}
	}
	if (mul == 0) {
		if (v == 0 && (k >= p->len || !bp_wordch(p->s[k]))) {
			r->limit_kb = 0;
			return 0;
		}
		return bp_err(p, k,
			      "a size needs a unit: K, M, G or T (KiB, "
			      "MiB, ...; e.g. 300M) or %%");
	}
	p->i++;
	if (p->i + 1 < p->len && p->s[p->i] == 'i' && p->s[p->i + 1] == 'B')
		p->i += 2;
	else if (p->i < p->len && p->s[p->i] == 'B')
		p->i++;
	if (v * mul > 9.0e15)
		return bp_err(p, start, "this limit is too large");
	r->limit_kb = (long long)llround(v * mul) * sign;
	return 0;
}

static void
rule_free(struct budget_rule *r)
{
	free(r->text);
	free(r->phase);
	free(r->process);
	memset(r, 0, sizeof *r);
}

/* Parse one line; 0 (a rule or nothing), -EINVAL (an error recorded) or
 * -ENOMEM. */
static int
bp_line(struct bp *p, struct budget_rule *r)
{
	char w[48];
	size_t end, b0;
	int e;

	bp_ws(p);
	b0 = p->i;
	if (bp_end(p))
		return 1; /* blank or comment */
	if (bp_take(p, "phase") && (e = bp_phase(p, r)) < 0)
		return e;
	if ((e = bp_scope(p, r)) < 0 || (e = bp_figure(p, r)) < 0 ||
	    (e = bp_delta(p, r)) < 0 || (e = bp_op(p, r)) < 0 ||
	    (e = bp_limit(p, r)) < 0)
		return e;
	bp_ws(p);
	if (!bp_end(p))
		return bp_err(p, p->i,
			      "unexpected %s after the limit (a "
			      "comment starts with '#')",
			      bp_what(p, p->i, w, sizeof w));
	/* The text: the line up to its comment, trimmed. */
	for (end = p->i;
	     end > 0 && (p->s[end - 1] == ' ' || p->s[end - 1] == '\t'); end--)
		;
	r->text = strndup(p->s + b0, end - b0);
	r->line = p->line;
	return r->text == NULL ? -ENOMEM : 0;
}

static int
budget_add(struct budget *b, struct budget_rule *r, size_t *cap)
{
	struct budget_rule *v;

	if (b->n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		v = realloc(b->v, *cap * sizeof *v);
		if (v == NULL)
			return -ENOMEM;
		b->v = v;
	}
	b->v[b->n++] = *r;
	return 0;
}

int
budget_parse(const char *buf, size_t len, struct budget *out)
{
	struct budget_rule r;
	struct bp p;
	size_t pos = 0, cap = 0, eol;
	const char *nl;
	int e;

	memset(out, 0, sizeof *out);
	memset(&p, 0, sizeof p);
	p.b = out;
	while (pos < len) {
		nl = memchr(buf + pos, '\n', len - pos);
		eol = nl != NULL ? (size_t)(nl - buf) : len;
		p.s = buf + pos;
		p.len = eol - pos;
		if (p.len > 0 && p.s[p.len - 1] == '\r')
			p.len--;
		p.i = 0;
		p.line++;
		memset(&r, 0, sizeof r);
		if ((nl = memchr(p.s, '\0', p.len)) != NULL) {
			bp_err(&p, (size_t)(nl - p.s),
			       "a NUL byte: this is "
			       "not a text file");
			e = -EINVAL;
		} else {
			e = bp_line(&p, &r);
		}
		if (e == 0 && (e = budget_add(out, &r, &cap)) == 0)
			memset(&r, 0, sizeof r);
		rule_free(&r);
		if (e == -ENOMEM)
			return -ENOMEM;
		pos = eol + 1;
	}
	return (int)(out->nerr_total > 1000000 ? 1000000 : out->nerr_total);
}

void
budget_free(struct budget *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		rule_free(&b->v[i]);
	free(b->v);
	memset(b, 0, sizeof *b);
}

int
budget_read(const char *path, struct budget *out, char *err, size_t errlen)
{
	char *buf, name[512];
	size_t len = 0;
	ssize_t n;
	int fd, r;

	memset(out, 0, sizeof *out);
	sanitize_text(name, sizeof name, path, strlen(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errlen, "cannot open the budget file %s: %s",
			 name, strerror(-r));
		return r;
	}
	buf = malloc(BUDGET_FILE_MAX + 1);
	if (buf == NULL) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (;;) {
		n = read(fd, buf + len, BUDGET_FILE_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len > BUDGET_FILE_MAX)
			break;
	}
	r = n < 0 ? -errno : 0;
	close(fd);
	if (r < 0 || len > BUDGET_FILE_MAX) {
		if (r == 0)
			r = -EFBIG;
		snprintf(err, errlen, "cannot read the budget file %s: %s",
			 name,
			 r == -EFBIG ? "larger than 1 MiB" : strerror(-r));
		free(buf);
		return r;
	}
	r = budget_parse(buf, len, out);
	free(buf);
	if (r == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	return r;
}

const char *
budget_op_str(enum budget_op op)
{
	switch (op) {
	case BUDGET_LE:
		return "<=";
	case BUDGET_LT:
		return "<";
	case BUDGET_GE:
		return ">=";
	case BUDGET_GT:
		return ">";
	}
	return "?";
}

const char *
budget_fig_name(const struct budget_rule *r, char *buf, size_t len)
{
	const char *f = "?";
	size_t k;

	for (k = 0; k < sizeof budget_fig_words / sizeof budget_fig_words[0];
	     k++)
		if (budget_fig_words[k].fig == r->fig)
			f = budget_fig_words[k].name;
	if (r->fig == BUDGET_TYPE)
		snprintf(buf, len, "%s %s", region_type_name(r->type),
			 budget_metric_words[r->metric]);
	else
		snprintf(buf, len, "%s", f);
	if (r->delta == BUDGET_SINCE_PREV)
		strncat(buf, " delta", len - strlen(buf) - 1);
	else if (r->delta == BUDGET_SINCE_BASE)
		strncat(buf, " delta since baseline", len - strlen(buf) - 1);
	return buf;
}
