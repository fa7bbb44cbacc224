/*
 * fixture.c - the unit tests' one file loader (fixture.h).
 *
 * Touches: the files it is asked to read.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

long long
fixture_sum_key(const char *buf, size_t len, const char *key)
{
	size_t klen = strlen(key), i = 0, e;
	long long sum = 0, v;
	char line[256];
	int used;

	while (i < len) {
		for (e = i; e < len && buf[e] != '\n'; e++)
			;
		if (e - i < sizeof line && e - i > klen &&
		    memcmp(buf + i, key, klen) == 0 && buf[i + klen] == ':' &&
		    e < len) {
			memcpy(line, buf + i, e - i);
			line[e - i] = '\0';
			used = 0;
			if (sscanf(line + klen + 1, " %lld kB%n", &v, &used) ==
				    1 &&
			    used == (int)strlen(line + klen + 1))
				sum += v;
		}
		i = e + 1;
	}
	return sum;
}
