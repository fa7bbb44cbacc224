/*
 * fuzz_snapshot.c - libFuzzer target for the snapshot reader: parse and
 * check any bytes, then use what it accepted the way `ramtop show` and
 * `ramtop diff` do (summaries, lookups, the diff of every phase with the
 * next, both JSON outputs, and `ramtop export`'s OpenMetrics text).
 * Built and run by `make fuzz` (seeds: tests/fuzz/list-seeds.sh);
 * `make check` replays its seeds and tests/fuzz/regress (tests/fuzz.sh).
 *
 * Besides memory errors it aborts when an error message is not one line
 * of printable text, or when an accepted file breaks an invariant: among
 * them the documented size limits (SNAPSHOT_MAX_BYTES, one JSON value per
 * SNAPSHOT_MIN_VALUE_BYTES bytes), and the exposition (only printable
 * lines, ending with # EOF).
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "phasefmt.h"
#include "snapshot.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "C.utf8");
	return 0;
}

/* How many JSON values v holds, itself included. */
static size_t
fuzz_values(json_t *v)
{
	const char *k;
	json_t *x;
	size_t i, n = 1;

	if (json_is_object(v)) {
		json_object_foreach(v, k, x)
			n += fuzz_values(x);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			n += fuzz_values(x);
	}
	return n;
}

/* `ramtop export`: every byte printable or a newline, # EOF at the end. */
static void
fuzz_export(const struct snapshot *s)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&buf, &len);

	if (fp == NULL)
		return;
	if (export_write(fp, s, 3) < 0) {
		fclose(fp);
		free(buf);
		return;
	}
	fclose(fp);
	for (i = 0; i < len; i++)
		if (((unsigned char)buf[i] < 0x20 && buf[i] != '\n') ||
		    buf[i] == 0x7f)
			abort();
	if (len < 6 || strcmp(buf + len - 6, "# EOF\n") != 0)
		abort();
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot s;
	struct phase_summary sum;
	struct phase_diff d;
	char err[1024], *p;
	FILE *null;
	json_t *j;
	size_t i;

	if (snapshot_parse((const char *)data, size, "fuzz", &s, err,
			   sizeof err) < 0) {
		for (p = err; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort();
		return 0;
	}
	if (s.ph.n == 0)
		abort();
	/* The documented limits (ramtop(1), LIMITS): what is accepted is no
	 * bigger than a snapshot may be, and holds no more values than one
	 * per SNAPSHOT_MIN_VALUE_BYTES bytes (what bounds reading's cost). */
	if ((long long)size > SNAPSHOT_MAX_BYTES ||
	    fuzz_values(s.root) > size / SNAPSHOT_MIN_VALUE_BYTES + 4096)
		abort();
	null = fopen("/dev/null", "w");
	for (i = 0; i < s.ph.n; i++) {
		if (phase_summary(&s.ph, i, &sum) != 0)
			abort();
		(void)phase_find(&s.ph, sum.label, err, sizeof err);
		if (i + 1 < s.ph.n &&
		    phase_diff(phase_get(&s.ph, i), phase_get(&s.ph, i + 1),
			       (int)(i & 1), &d) == 0) {
			if (null != NULL)
				phasefmt_diff(null, &d, "a", "b", 0);
			j = phasefmt_diff_json(&d);
			json_decref(j);
			phase_diff_free(&d);
		}
	}
	if (null != NULL) {
		phasefmt_table(null, &s.ph);
		fclose(null);
	}
	json_decref(phasefmt_table_json(&s.ph));
	fuzz_export(&s);
	snapshot_free(&s);
	return 0;
}
