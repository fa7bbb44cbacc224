/*
 * fixture.c - the unit tests' one file loader (fixture.h).
 *
 * Touches: the files it is asked to read.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"

char *
fixture_read(const char *path, size_t *len)
{
	FILE *fp;
	char *buf;
	long n;

	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	ck_assert_int_ge(n, 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

char *
fixture_load(const char *name, size_t *len)
{
	const char *srcdir = getenv("srcdir");
	char path[4096];

	snprintf(path, sizeof path, "%s/tests/fixtures/%s",
		 srcdir != NULL ? srcdir : ".", name);
	return fixture_read(path, len);
}
