/*
 * fixture.h - the unit tests' one file loader: a captured /proc file
 * from tests/fixtures (found through $srcdir), or any file.  A file that
 * cannot be read fails the test that asked for it.
 */
#ifndef RAMTOP_TESTS_FIXTURE_H
#define RAMTOP_TESTS_FIXTURE_H

#include <stddef.h>

/* The whole of path, NUL-terminated (malloc'd; the caller frees it); its
 * length in *len if len is not NULL. */
char *fixture_read(const char *path, size_t *len);

/* fixture_read() of $srcdir/tests/fixtures/name. */
char *fixture_load(const char *name, size_t *len);

/* The sum of every "KEY: N kB" line of an smaps text (buf, len): the
 * tests' own reading of a fixture, to check the parser against. */
long long fixture_sum_key(const char *buf, size_t len, const char *key);

#endif
