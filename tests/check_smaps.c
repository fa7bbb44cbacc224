/*
 * check_smaps.c - unit tests for the smaps parser (src/smaps.c).
 * One suite of ~620 lines: every case parses a fixture and checks one
 * field or one kind of damaged input.
 *
 * Fixtures are real /proc captures under tests/fixtures (see its README),
 * found through $srcdir like automake's test driver sets it.
 */

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixture.h"
#include "smaps.h"

/* Independent count: lines that start like a header, "hex-hex ". */
static size_t
count_headers(const char *buf, size_t len)
{
	size_t i = 0, n = 0, j;

	while (i < len) {
		j = i;
		while (j < len && strchr("0123456789abcdef", buf[j]) && buf[j])
			j++;
		if (j > i && j < len && buf[j] == '-')
			n++;
		while (i < len && buf[i] != '\n')
			i++;
		i++;
	}
	return n;
}

#define MAXM 256
struct collect {
	size_t n;
	struct smaps_mapping m[MAXM];
	char names[MAXM][256];
	int stop_after;
};

static int
collect_cb(const struct smaps_mapping *m, void *ctx)
{
	struct collect *c = ctx;
	size_t k;

	if (c->n < MAXM) {
		c->m[c->n] = *m;
		k = m->name_len < 255 ? m->name_len : 255;
		memcpy(c->names[c->n], m->name != NULL ? m->name : "", k);
		c->names[c->n][k] = '\0';
		c->m[c->n].name = c->names[c->n];
	}
	c->n++;
	if (c->stop_after > 0 && c->n == (size_t)c->stop_after)
		return 7;
	return 0;
}

static struct collect *
parse_fixture(const char *name, struct smaps_stats *st, char **bufp,
    size_t *lenp)
{
	struct collect *c = calloc(1, sizeof *c);
	size_t len;
	char *buf = fixture_load(name, &len);

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(smaps_parse(buf, len, collect_cb, c, st), 0);
	ck_assert_uint_eq(st->mappings, c->n);
	*bufp = buf;
	*lenp = len;
	return c;
}

static const struct smaps_mapping *
find_name(const struct collect *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n && i < MAXM; i++) {
		if (strcmp(c->names[i], name) == 0)
			return &c->m[i];
	}
	ck_abort_msg("no mapping named %s", name);
	return NULL;
}

START_TEST(test_cat_fixture)
{
	struct smaps_stats st;
	struct collect *c;
	const struct smaps_mapping *m;
	size_t len, i;
	long long rss = 0;
	char *buf;

	c = parse_fixture("smaps_cat", &st, &buf, &len);
	ck_assert_uint_eq(st.mappings, 38);
	ck_assert_uint_eq(st.mappings, count_headers(buf, len));
	ck_assert_uint_eq(st.bad_lines, 0);	/* ProtectionKey: is unknown */
	ck_assert_uint_eq(st.first_bad_line, 0);
	ck_assert_int_eq(st.truncated, 0);

	m = &c->m[0];
	ck_assert_uint_eq(m->start, 0x557f0ec12000UL);
	ck_assert_uint_eq(m->end, 0x557f0ec14000UL);
	ck_assert_str_eq(m->perms, "r--p");
	ck_assert_uint_eq(m->offset, 0);
	ck_assert_uint_eq(m->dev_major, 0xfe);
	ck_assert_uint_eq(m->dev_minor, 0);
	ck_assert_uint_eq(m->inode, 247134);
	ck_assert_str_eq(c->names[0], "/usr/bin/cat");
	ck_assert_uint_eq(m->name_len, strlen("/usr/bin/cat"));
	ck_assert_int_eq(m->f[SMAPS_SIZE], 8);
	ck_assert_int_eq(m->f[SMAPS_KERNEL_PAGE_SIZE], 4);
	ck_assert_int_eq(m->f[SMAPS_MMU_PAGE_SIZE], 4);
	ck_assert_int_eq(m->f[SMAPS_RSS], 8);
	ck_assert_int_eq(m->f[SMAPS_PSS], 8);
	ck_assert_int_eq(m->f[SMAPS_PRIVATE_CLEAN], 8);
	ck_assert_int_eq(m->f[SMAPS_REFERENCED], 8);
	ck_assert_int_eq(m->f[SMAPS_LOCKED], 0);
	/* rollup-only fields are not printed in smaps */
	ck_assert_int_eq(m->f[SMAPS_PSS_ANON], KB_UNKNOWN);
	ck_assert_int_eq(m->f[SMAPS_PSS_FILE], KB_UNKNOWN);
	ck_assert_int_eq(m->f[SMAPS_PSS_SHMEM], KB_UNKNOWN);
	ck_assert_int_eq(m->thp_eligible, 0);
	ck_assert_str_eq(m->vmflags, "rd mr mw me");

	/* offset parsed as hex */
	ck_assert_uint_eq(c->m[4].offset, 0xa000);
	/* anonymous: header ends "0 " with no name */
	m = &c->m[6];
	ck_assert_uint_eq(m->name_len, 0);
	ck_assert_uint_eq(m->inode, 0);
	ck_assert_str_eq(m->perms, "rw-p");
	/* [vsyscall]: a 16-digit start */
	m = find_name(c, "[vsyscall]");
	ck_assert_uint_eq(m->start, 0xffffffffff600000UL);
	ck_assert_str_eq(m->perms, "--xp");
	ck_assert_str_eq(c->names[c->n - 1], "[vsyscall]");

	for (i = 0; i < c->n; i++)
		rss += c->m[i].f[SMAPS_RSS];
	ck_assert_int_eq(rss, fixture_sum_key(buf, len, "Rss"));
	free(buf);
	free(c);
}
END_TEST

START_TEST(test_names)
{
	struct smaps_stats st;
	struct collect *c;
	const struct smaps_mapping *m;
	size_t len;
	char *buf;

	c = parse_fixture("smaps_regions", &st, &buf, &len);
	ck_assert_uint_eq(st.mappings, 44);
	ck_assert_uint_eq(st.bad_lines, 0);
	ck_assert_int_eq(st.truncated, 0);

	m = find_name(c, "/tmp/rt/my model file.bin");
	ck_assert_str_eq(m->perms, "rw-s");
	ck_assert_int_eq(m->f[SMAPS_SIZE], 16);
	find_name(c, "/tmp/rt/gone.bin (deleted)");
	find_name(c, "/tmp/rt/new\\012line.bin");
	m = find_name(c, "/tmp/rt/esc\033]0;x\007\033[2J\ttab\177\233end.bin");
	ck_assert_uint_eq(m->inode, 10953046);
	m = find_name(c, "/SYSV00000000 (deleted)");
	ck_assert_uint_eq(m->dev_major, 0);
	ck_assert_uint_eq(m->dev_minor, 1);
	ck_assert_int_eq(m->f[SMAPS_SIZE], 128);
	find_name(c, "/memfd:ramtop-test (deleted)");
	find_name(c, "/dev/shm/ramtop-fixture");
	find_name(c, "/dev/zero (deleted)");
	m = find_name(c, "/tmp/rt/tmpfs/seg.bin");
	ck_assert_uint_eq(m->dev_minor, 0x27);
	m = find_name(c, "/anon_hugepage (deleted)");
	ck_assert_int_eq(m->f[SMAPS_PRIVATE_HUGETLB], 2048);
	m = find_name(c, "[heap]");
	ck_assert_int_eq(m->f[SMAPS_SIZE], 132);
	free(buf);
	free(c);
}
END_TEST

START_TEST(test_named_fixture)
{
	struct smaps_stats st;
	struct collect *c;
	const struct smaps_mapping *m;
	size_t len;
	char *buf;

	c = parse_fixture("smaps_named", &st, &buf, &len);
	ck_assert_uint_eq(st.mappings, 44);
	ck_assert_uint_eq(st.bad_lines, 0);
	m = find_name(c, "[anon:tensor pool]");
	ck_assert_int_eq(m->f[SMAPS_LOCKED], 40);
	find_name(c, "[anon_shmem:ipc ring]");
	m = find_name(c, "/dev/nvidia0");
	ck_assert_str_eq(m->perms, "rw-s");
	find_name(c, "[stack:4242]");
	find_name(c, "[uprobes]");
	free(buf);
	free(c);
}
END_TEST

START_TEST(test_unknown_and_malformed)
{
	struct smaps_stats st;
	struct collect *c;
	const struct smaps_mapping *m;
	size_t len;
	char *buf;

	c = parse_fixture("smaps_unknown", &st, &buf, &len);
	ck_assert_uint_eq(st.mappings, 38);
	ck_assert_uint_eq(st.bad_lines, 2); /* garbage line, "Swap: 1x kB" */
	ck_assert_uint_eq(st.first_bad_line, 136);
	ck_assert_int_eq(st.truncated, 0);

	/* unknown keys after Rss do not disturb the fields that follow */
	m = &c->m[2];
	ck_assert_int_eq(m->f[SMAPS_RSS], 12);
	ck_assert_int_eq(m->f[SMAPS_PSS], 12);
	ck_assert_int_eq(m->f[SMAPS_LOCKED], 0);
	ck_assert_str_eq(m->vmflags, "rd mr mw me");

	/* the mapping with the bad lines keeps everything else */
	m = find_name(c, "[heap]");
	ck_assert_int_eq(m->f[SMAPS_SIZE], 132);
	ck_assert_int_eq(m->f[SMAPS_RSS], 16);
	ck_assert_int_eq(m->f[SMAPS_SWAP], KB_UNKNOWN);
	ck_assert_int_eq(m->f[SMAPS_SWAP_PSS], 0);
	ck_assert_str_eq(m->vmflags, "rd wr mr mw me ac");
	/* and the next mapping is whole */
	m = &c->m[6];
	ck_assert_uint_eq(m->name_len, 0);
	ck_assert_int_eq(m->f[SMAPS_SWAP], 0);
	ck_assert_int_eq(m->f[SMAPS_SIZE], 136);
	free(buf);
	free(c);
}
END_TEST

START_TEST(test_truncated_midline)
{
	struct smaps_stats st;
	struct collect *c;
	const struct smaps_mapping *m;
	size_t len;
	char *buf;

	c = parse_fixture("smaps_truncated", &st, &buf, &len);
	ck_assert_int_eq(st.truncated, 1);
	ck_assert_uint_eq(st.bad_lines, 0);
	ck_assert_uint_eq(st.mappings, count_headers(buf, len));
	m = &c->m[c->n - 1];
	ck_assert_str_eq(c->names[c->n - 1],
	    "/usr/lib/x86_64-linux-gnu/libc.so.6");
	ck_assert_str_eq(m->perms, "r-xp");
	ck_assert_int_eq(m->f[SMAPS_RSS], 736);
	ck_assert_int_eq(m->f[SMAPS_PRIVATE_CLEAN], 0);
	ck_assert_int_eq(m->f[SMAPS_PRIVATE_DIRTY], KB_UNKNOWN); /* the cut line */
	ck_assert_int_eq(m->f[SMAPS_LOCKED], KB_UNKNOWN);
	ck_assert_int_eq(m->thp_eligible, -1);
	ck_assert_str_eq(m->vmflags, "");
	free(buf);
	free(c);
}
END_TEST

START_TEST(test_truncated_boundary)
{
	struct smaps_stats st;
	struct collect *c;
	const struct smaps_mapping *m;
	size_t len;
	char *buf;

	c = parse_fixture("smaps_truncated_boundary", &st, &buf, &len);
	ck_assert_int_eq(st.truncated, 1);
	ck_assert_uint_eq(st.mappings, count_headers(buf, len));
	m = &c->m[c->n - 1];
	ck_assert_int_eq(m->f[SMAPS_RSS], 736);
	ck_assert_int_eq(m->f[SMAPS_PSS], KB_UNKNOWN);
	free(buf);
	free(c);
}
END_TEST

START_TEST(test_truncated_in_header)
{
	const char *s = "00400000-00401000 r-xp 00000000 08:01 12 /bin/a\n"
			"Rss: 4 kB\nVmFlags: rd ex\n"
			"00401000-00402000 rw-p 00000000 08:01 12 /bi";
	struct collect c = { 0 };
	struct smaps_stats st;

	ck_assert_int_eq(smaps_parse(s, strlen(s), collect_cb, &c, &st), 0);
	ck_assert_uint_eq(st.mappings, 1);
	ck_assert_int_eq(st.truncated, 1);
	ck_assert_str_eq(c.names[0], "/bin/a");
}
END_TEST

START_TEST(test_rollup)
{
	struct smaps_mapping m;
	size_t len;
	char *buf;

	buf = fixture_load("smaps_rollup_regions", &len);
	ck_assert_int_eq(smaps_parse_rollup(buf, len, &m), 0);
	ck_assert_uint_eq(m.name_len, strlen("[rollup]"));
	ck_assert_int_eq(memcmp(m.name, "[rollup]", m.name_len), 0);
	ck_assert_uint_eq(m.start, 0x557c8f9f4000UL);
	ck_assert_uint_eq(m.end, 0x7ffe72a38000UL);
	ck_assert_str_eq(m.perms, "---p");
	ck_assert_int_eq(m.f[SMAPS_SIZE], KB_UNKNOWN);	/* not in rollup */
	ck_assert_int_eq(m.f[SMAPS_RSS], 13008);
	ck_assert_int_eq(m.f[SMAPS_PSS], 12106);
	ck_assert_int_eq(m.f[SMAPS_PSS_DIRTY], 11772);
	ck_assert_int_eq(m.f[SMAPS_PSS_ANON], 11424);
	ck_assert_int_eq(m.f[SMAPS_PSS_FILE], 386);
	ck_assert_int_eq(m.f[SMAPS_PSS_SHMEM], 296);
	ck_assert_int_eq(m.f[SMAPS_SHARED_CLEAN], 1148);
	ck_assert_int_eq(m.f[SMAPS_PRIVATE_CLEAN], 88);
	ck_assert_int_eq(m.f[SMAPS_PRIVATE_DIRTY], 11772);
	ck_assert_int_eq(m.f[SMAPS_ANON_HUGE], 8192);
	ck_assert_int_eq(m.f[SMAPS_PRIVATE_HUGETLB], 2048);
	ck_assert_int_eq(m.f[SMAPS_SWAP_PSS], 0);
	ck_assert_int_eq(m.f[SMAPS_LOCKED], 40);
	ck_assert_int_eq(m.thp_eligible, -1);
	ck_assert_str_eq(m.vmflags, "");
	free(buf);

	buf = fixture_load("smaps_rollup_cat", &len);
	ck_assert_int_eq(smaps_parse_rollup(buf, len, &m), 0);
	ck_assert_int_eq(m.f[SMAPS_RSS], fixture_sum_key(buf, len, "Rss"));
	free(buf);

	/* a kernel thread's smaps_rollup is empty */
	ck_assert_int_eq(smaps_parse_rollup("", 0, &m), -EINVAL);
	ck_assert_int_eq(smaps_parse_rollup("Rss: 4 kB\n", 10, &m), -EINVAL);
	ck_assert_int_eq(m.f[SMAPS_RSS], KB_UNKNOWN);
}
END_TEST

START_TEST(test_bad_headers)
{
	const char *s =
	    "00400000-00401000 r-xp 00000000 08:01 12 /bin/a\n"
	    "Rss: 4 kB\n"
	    "00401000-00402000 rw 00000000 08:01 12 /bin/a\n" /* bad perms */
	    "Rss: 8 kB\n"
	    "Pss: 8 kB\n"
	    "00402000-00403000 rw-p 0000zz00 08:01 12 /bin/a\n" /* bad off */
	    "Rss: 16 kB\n"
	    "00403000-00404000 rw-p 00000000 08:01 12x /bin/a\n" /* inode */
	    "00404000-00405000 rw-p 00000000 08:01 12 /bin/b\n"
	    "Rss: 32 kB\n"
	    "Rss: 99999999999999999999 kB\n" /* too long: bad, keeps 32 */
	    "Pss 5 kB\n"
	    "Pss: -5 kB\n"
	    "Pss: 5 MB\n"
	    "THPeligible: 7\n"
	    "\n";
	struct collect c = { 0 };
	struct smaps_stats st;

	ck_assert_int_eq(smaps_parse(s, strlen(s), collect_cb, &c, &st), 0);
	ck_assert_uint_eq(st.mappings, 2);
	ck_assert_uint_eq(st.bad_lines, 3 + 1 + 1 + 1 + 1 + 1 + 1);
	ck_assert_uint_eq(st.first_bad_line, 3);
	ck_assert_int_eq(c.m[0].f[SMAPS_RSS], 4);
	ck_assert_str_eq(c.names[1], "/bin/b");
	ck_assert_int_eq(c.m[1].f[SMAPS_RSS], 32);
	ck_assert_int_eq(c.m[1].f[SMAPS_PSS], KB_UNKNOWN);
	ck_assert_int_eq(c.m[1].thp_eligible, -1);
}
END_TEST

START_TEST(test_edges)
{
	struct collect c = { 0 };
	struct smaps_stats st;
	const char *s;
	char vm[400];
	int i;

	ck_assert_int_eq(smaps_parse("", 0, collect_cb, &c, &st), 0);
	ck_assert_uint_eq(st.mappings, 0);
	ck_assert_int_eq(st.truncated, 0);
	ck_assert_int_eq(smaps_parse(NULL, 0, NULL, NULL, NULL), 0);

	/* keys before any header are bad; NULL stats and callback are fine */
	s = "Rss: 4 kB\nPss: 4 kB\n";
	ck_assert_int_eq(smaps_parse(s, strlen(s), NULL, NULL, &st), 0);
	ck_assert_uint_eq(st.bad_lines, 2);
	ck_assert_uint_eq(st.first_bad_line, 1);

	/* a name keeps trailing spaces and inner runs of spaces */
	memset(&c, 0, sizeof c);
	s = "7f0000000000-7f0000001000 r--p 00000000 08:01 77"
	    "                         /tmp/a  b \n"
	    "Rss:   4 kB\n";
	ck_assert_int_eq(smaps_parse(s, strlen(s), collect_cb, &c, &st), 0);
	ck_assert_str_eq(c.names[0], "/tmp/a  b ");
	ck_assert_int_eq(st.truncated, 0);

	/* a 3-digit minor, uppercase hex, no padding before the name */
	memset(&c, 0, sizeof c);
	s = "7F0000000000-7F0000001000 r--s 0000ABCD 103:1a2 5 /x\n";
	ck_assert_int_eq(smaps_parse(s, strlen(s), collect_cb, &c, &st), 0);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_uint_eq(c.m[0].start, 0x7f0000000000UL);
	ck_assert_uint_eq(c.m[0].offset, 0xabcd);
	ck_assert_uint_eq(c.m[0].dev_major, 0x103);
	ck_assert_uint_eq(c.m[0].dev_minor, 0x1a2);
	ck_assert_str_eq(c.names[0], "/x");

	/* VmFlags longer than the field is cut at a whole flag */
	strcpy(vm, "00400000-00401000 r-xp 00000000 08:01 12 /bin/a\nVmFlags:");
	for (i = 0; i < 60; i++)
		strcat(vm, " ab");
	strcat(vm, " \n");
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(smaps_parse(vm, strlen(vm), collect_cb, &c, &st), 0);
	ck_assert_uint_le(strlen(c.m[0].vmflags), 95);
	ck_assert_uint_eq(strlen(c.m[0].vmflags) % 3, 2);
	ck_assert_int_eq(strncmp(c.m[0].vmflags, "ab ab", 5), 0);
}
END_TEST

START_TEST(test_callback_stop)
{
	struct collect *c = calloc(1, sizeof *c);
	struct smaps_stats st;
	size_t len;
	char *buf = fixture_load("smaps_cat", &len);

	c->stop_after = 3;
	ck_assert_int_eq(smaps_parse(buf, len, collect_cb, c, &st), 7);
	ck_assert_uint_eq(st.mappings, 3);
	ck_assert_uint_eq(c->n, 3);
	free(buf);
	free(c);
}
END_TEST

START_TEST(test_live_self)
{
	struct smaps_stats st;
	char *buf = NULL;
	size_t cap = 0, len = 0;
	FILE *f = fopen("/proc/self/smaps", "r");
	size_t n;

	if (f == NULL)
		return; /* no procfs here: nothing to compare with */
	for (;;) {
		if (cap - len < 65536) {
			cap = cap * 2 + 65536;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	ck_assert_int_eq(smaps_parse(buf, len, NULL, NULL, &st), 0);
	ck_assert_uint_eq(st.mappings, count_headers(buf, len));
	ck_assert_uint_gt(st.mappings, 5);
	ck_assert_uint_eq(st.bad_lines, 0);
	ck_assert_int_eq(st.truncated, 0);
	free(buf);
}
END_TEST

struct sum {
	size_t n;
	long long rss, size, swap;
	unsigned long last_start;
	int ordered;
};

static int
sum_cb(const struct smaps_mapping *m, void *ctx)
{
	struct sum *s = ctx;

	if (s->n > 0 && m->start <= s->last_start)
		s->ordered = 0;
	s->last_start = m->start;
	s->n++;
	s->rss += m->f[SMAPS_RSS];
	s->size += m->f[SMAPS_SIZE];
	s->swap += m->f[SMAPS_SWAP];
	return 0;
}

START_TEST(test_100k)
{
	const size_t N = 100000;
	struct smaps_stats st;
	struct sum s = { .ordered = 1 };
	size_t flen, blen, hlen, i, off = 0, cap;
	char *fix = fixture_load("smaps_cat", &flen), *block, *buf, *nl;
	struct timespec t0, t1;
	double ms;

	/* The first mapping block of a real smaps, header line dropped. */
	nl = strchr(fix, '\n');
	block = nl + 1;
	blen = (size_t)(strstr(block, "\n557f0ec14000-") + 1 - block);
	cap = N * (blen + 128);
	buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < N; i++) {
		hlen = (size_t)snprintf(buf + off, cap - off,
		    "%012lx-%012lx r--p 00000000 fe:00 247134"
		    "                     /usr/bin/cat\n",
		    0x557f00000000UL + i * 0x2000, 0x557f00002000UL + i * 0x2000);
		off += hlen;
		memcpy(buf + off, block, blen);
		off += blen;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(smaps_parse(buf, off, sum_cb, &s, &st), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	fprintf(stderr, "check_smaps: 100000 mappings (%zu bytes) in %.1f ms\n",
	    off, ms);
	ck_assert_uint_eq(st.mappings, N);
	ck_assert_uint_eq(s.n, N);
	ck_assert_uint_eq(st.bad_lines, 0);
	ck_assert_int_eq(st.truncated, 0);
	ck_assert_int_eq(s.ordered, 1);
	ck_assert_int_eq(s.rss, (long long)N * 8);
	ck_assert_int_eq(s.size, (long long)N * 8);
	ck_assert_int_eq(s.swap, 0);
	ck_assert_int_eq(s.rss, fixture_sum_key(buf, off, "Rss"));
	ck_assert_uint_eq(s.last_start, 0x557f00000000UL + (N - 1) * 0x2000);
	free(buf);
	free(fix);
}
END_TEST

static Suite *
smaps_suite(void)
{
	Suite *s = suite_create("smaps");
	TCase *tc = tcase_create("parse");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_cat_fixture);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_named_fixture);
	tcase_add_test(tc, test_unknown_and_malformed);
	tcase_add_test(tc, test_truncated_midline);
	tcase_add_test(tc, test_truncated_boundary);
	tcase_add_test(tc, test_truncated_in_header);
	tcase_add_test(tc, test_rollup);
	tcase_add_test(tc, test_bad_headers);
	tcase_add_test(tc, test_edges);
	tcase_add_test(tc, test_callback_stop);
	tcase_add_test(tc, test_live_self);
	tcase_add_test(tc, test_100k);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(smaps_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
