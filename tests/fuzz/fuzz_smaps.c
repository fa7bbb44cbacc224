/*
 * fuzz_smaps.c - libFuzzer target for the smaps parser, region builder
 * and name sanitiser.
 * Built and run by `make fuzz` (seeds: tests/fuzz/list-seeds.sh);
 * `make check` replays its seeds and tests/fuzz/regress (tests/fuzz.sh).
 *
 * Besides memory errors it aborts when the set's own sums disagree.
 */

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "region.h"
#include "sanitize.h"
#include "smaps.h"

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

static void
check_name(const char *name)
{
	char out[512];
	size_t n, i, k;
	int used, w;

	n = sanitize_text(out, sizeof out, name, strlen(name));
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)out[i];

		if (c < 0x20 || c == 0x7f)
			abort();
	}
	w = sanitize_width(out);
	if (w < 0)
		abort();
	k = sanitize_clip(out, w / 2, &used);
	if (k > n || used > w / 2)
		abort();
}

static long long
known(long long v)
{
	return v > 0 ? v : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int devs[][2] = { { 0, 0x27 }, { 0, 1 } };
	const struct region_ctx ctx = { devs, 2, NULL, NULL };
	struct region_set s;
	struct smaps_mapping m;
	long long rss = 0, trss = 0;
	size_t i, count = 0;
	/* Copy so that reads past size are caught by ASan. */
	char *buf = malloc(size ? size : 1);

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);

	smaps_parse_rollup(buf, size, &m);
	if (region_set_build(&s, buf, size, &ctx, REGION_KEEP_MAPS) != 0)
		abort();
	if (s.n_maps != s.n_mappings)
		abort();
	for (i = 0; i < s.n_groups; i++) {
		if ((unsigned)s.groups[i].type >= REGION_NTYPES)
			abort();
		count += s.groups[i].count;
		rss += known(s.groups[i].fig.rss);
		check_name(s.groups[i].name);
	}
	for (i = 0; i < REGION_NTYPES; i++)
		trss += known(s.by_type[i].rss);
	if (count != s.n_mappings || rss != trss || known(s.total.rss) != rss)
		abort();
	for (i = 0; i < s.n_maps; i++) {
		if (s.maps[i].type == REGION_FILE || s.maps[i].type == REGION_LIB)
			if (s.maps[i].name[0] != '/')
				abort();
	}
	region_set_free(&s);
	free(buf);
	return 0;
}
