/*
 * fmt.c (tests) - print figures the way ramtop does, for the screen
 * tests: `fmt kb N...` and `fmt delta N...` write fmt_kb() or
 * fmt_delta() of each KiB figure on a line (N "-" is unknown).  The
 * tests compare the screen with this, so the rounding is ramtop's own
 * (src/fmt.c), not a copy of it.
 *
 * Touches: stdout only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "kb.h"

int
main(int argc, char **argv)
{
	char buf[FMT_SIZE];
	long long kb;
	int i, delta;

	if (argc < 2 ||
	    (strcmp(argv[1], "kb") != 0 && strcmp(argv[1], "delta") != 0)) {
		fprintf(stderr, "usage: fmt kb|delta N...\n");
		return 2;
	}
	delta = strcmp(argv[1], "delta") == 0;
	for (i = 2; i < argc; i++) {
		kb = strcmp(argv[i], "-") == 0 ? KB_UNKNOWN
					       : strtoll(argv[i], NULL, 10);
		puts(delta ? fmt_delta(buf, kb) : fmt_kb(buf, kb));
	}
	return 0;
}
