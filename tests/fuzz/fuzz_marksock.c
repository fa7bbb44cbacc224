/*
 * fuzz_marksock.c - libFuzzer target for the mark socket's request
 * parser, marksock_parse().  It is given the input the way the server
 * sees it: growing, a few bytes per read (the first byte says how many),
 * then once more as if the peer had finished writing.  Built and run by
 * `make fuzz`; replayed over tests/fuzz/regress by `make check`.
 *
 * Besides memory errors it aborts when a verdict breaks its contract:
 * MORE only for an unfinished line that still fits, a refusal is one
 * "err ..." line with a known counter, a label is cleaned (printable,
 * at most PHASE_LABEL_MAX bytes), and the same bytes give the same
 * verdict however they arrived.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "marksock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const char *buf, size_t len, int eof, const struct marksock_msg *m)
{
	size_t i, n;

	switch (m->kind) {
	case MARKSOCK_MORE:
		if (eof || len >= MARKSOCK_MSG_MAX || memchr(buf, '\n', len))
			abort();
		break;
	case MARKSOCK_PROBE:
		if (!eof || len != 0)
			abort();
		break;
	case MARKSOCK_PING:
		break;
	case MARKSOCK_MARK:
		n = strnlen(m->label, sizeof m->label);
		if (n > PHASE_LABEL_MAX)
			abort();
		for (i = 0; i < n; i++)
			if ((unsigned char)m->label[i] < 0x20 ||
			    m->label[i] == 0x7f)
				abort();
		if (n > 0 && (m->label[0] == ' ' || m->label[n - 1] == ' '))
			abort();
		break;
	case MARKSOCK_REFUSED:
		if (m->counter != MARKSOCK_MALFORMED &&
		    m->counter != MARKSOCK_OVERSIZED)
			abort();
		if (m->reply == NULL || strncmp(m->reply, "err ", 4) != 0)
			abort();
		n = strlen(m->reply);
		if (strchr(m->reply, '\n') != m->reply + n - 1)
			abort();
		break;
	default:
		abort();
	}
}

static int
same(const struct marksock_msg *a, const struct marksock_msg *b)
{
	if (a->kind != b->kind)
		return 0;
	if (a->kind == MARKSOCK_MARK)
		return strcmp(a->label, b->label) == 0;
	if (a->kind == MARKSOCK_REFUSED)
		return a->counter == b->counter &&
		       strcmp(a->reply, b->reply) == 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct marksock_msg m, whole;
	size_t step, len = 0;
	char *buf;

	if (size == 0)
		return 0;
	step = 1 + data[0] % 64;
	data++;
	size--;
	/* A copy of exactly size bytes, so that reading past it is caught. */
	buf = malloc(size ? size : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);

	/* Growing, as reads arrive: stop at the first verdict. */
	m.kind = MARKSOCK_MORE;
	while (len < size) {
		len = size - len > step ? len + step : size;
		marksock_parse(buf, len, 0, &m);
		check(buf, len, 0, &m);
		if (m.kind != MARKSOCK_MORE)
			break;
	}
	if (m.kind == MARKSOCK_MORE) {
		marksock_parse(buf, len, 1, &m);
		check(buf, len, 1, &m);
	}
	/* All of it at once, finished: the same verdict, unless the bytes
	 * after the first verdict changed it (a second line, too long). */
	marksock_parse(buf, size, 1, &whole);
	check(buf, size, 1, &whole);
	if (len == size && !same(&m, &whole))
		abort();
	free(buf);
	return 0;
}
