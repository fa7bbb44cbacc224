/*
 * check_region.c - unit tests for region classification and grouping
 * (src/region.c, src/region_classify.c, src/region_set.c) over real
 * smaps captures in tests/fixtures.
 *
 * One suite of ~670 lines: every case builds region sets the same way
 * (build(), fixture_load()) and checks one rule or figure.
 */

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixture.h"
#include "region.h"

/* tmpfs mounted on /tmp/rt/tmpfs when smaps_regions was captured. */
static const unsigned int fixture_tmpfs[][2] = { { 0, 0x27 } };
static const struct region_ctx fixture_ctx = { fixture_tmpfs, 1, NULL, NULL };

static void
build(struct region_set *s, const char *fixture, const struct region_ctx *ctx,
    int opts, char **bufp, size_t *lenp)
{
	size_t len;
	char *buf = fixture_load(fixture, &len);

	ck_assert_int_eq(region_set_build(s, buf, len, ctx, opts), 0);
	if (bufp != NULL) {
		*bufp = buf;
		*lenp = len;
	} else
		free(buf);
}

static void
build_str(struct region_set *s, const char *str, int opts)
{
	ck_assert_int_eq(region_set_build(s, str, strlen(str), NULL, opts), 0);
}

static const struct region *
group(const struct region_set *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n_groups; i++) {
		if (strcmp(s->groups[i].name, name) == 0)
			return &s->groups[i];
	}
	ck_abort_msg("no group named %s", name);
	return NULL;
}

static void
expect(const struct region_set *s, const char *name, enum region_type t,
    const char *flags, size_t count)
{
	const struct region *r = group(s, name);
	char fb[4];

	ck_assert_msg(r->type == t, "%s: type %s, expected %s", name,
	    region_type_name(r->type), region_type_name(t));
	ck_assert_msg(strcmp(region_flags_str(r->flags, fb), flags) == 0,
	    "%s: flags '%s', expected '%s'", name, fb, flags);
	ck_assert_msg(r->count == count, "%s: count %zu, expected %zu", name,
	    r->count, count);
}

static size_t
count_headers(const char *buf, size_t len)
{
	size_t i = 0, n = 0, j;

	while (i < len) {
		for (j = i; j < len && buf[j] != '\0' &&
		     strchr("0123456789abcdef", buf[j]) != NULL; j++)
			;
		if (j > i && j < len && buf[j] == '-')
			n++;
		while (i < len && buf[i] != '\n')
			i++;
		i++;
	}
	return n;
}

START_TEST(test_types_regions)
{
	struct region_set s;

	build(&s, "smaps_regions", &fixture_ctx, 0, NULL, NULL);
	ck_assert_uint_eq(s.n_mappings, 44);
	ck_assert_uint_eq(s.stats.bad_lines, 0);
	expect(&s, "/tmp/rt/gen", REGION_LIB, "", 5);
	expect(&s, "[heap]", REGION_HEAP, "", 1);
	expect(&s, "", REGION_ANON, "LH", 6); /* mlock'd and THP anon */
	expect(&s, "/anon_hugepage (deleted)", REGION_ANON, "H", 1);
	expect(&s, "/tmp/rt/libfake.so", REGION_LIB, "", 3);
	expect(&s, "/tmp/rt/tmpfs/priv.bin", REGION_FILE, "", 1);
	expect(&s, "/tmp/rt/tmpfs/seg.bin", REGION_SHM, "", 1);
	expect(&s, "/dev/zero", REGION_DEVICE, "", 1);
	expect(&s, "/dev/zero (deleted)", REGION_SHM, "", 1);
	expect(&s, "/dev/shm/ramtop-fixture", REGION_SHM, "", 1);
	expect(&s, "/dev/shm/ramtop-fixture-gone (deleted)", REGION_SHM, "D", 1);
	expect(&s, "/SYSV00000000 (deleted)", REGION_SHM, "", 1);
	expect(&s, "/memfd:ramtop-test (deleted)", REGION_SHM, "", 1);
	expect(&s, "/tmp/rt/gone.bin (deleted)", REGION_FILE, "D", 1);
	expect(&s, "/tmp/rt/weights.bin", REGION_FILE, "", 1);
	expect(&s, "/usr/lib/x86_64-linux-gnu/libc.so.6", REGION_LIB, "", 5);
	expect(&s, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
	    REGION_LIB, "", 5);
	expect(&s, "/tmp/rt/esc\033]0;x\007\033[2J\ttab\177\233end.bin",
	    REGION_FILE, "", 1);
	expect(&s, "/tmp/rt/new\\012line.bin", REGION_FILE, "", 1);
	expect(&s, "/tmp/rt/my model file.bin", REGION_FILE, "", 1);
	expect(&s, "[vvar]", REGION_SPECIAL, "", 1);
	expect(&s, "[vvar_vclock]", REGION_SPECIAL, "", 1);
	expect(&s, "[vdso]", REGION_SPECIAL, "", 1);
	expect(&s, "[vsyscall]", REGION_SPECIAL, "", 1);
	expect(&s, "[stack]", REGION_STACK, "", 1);
	ck_assert_uint_eq(s.n_groups, 25);

	/* first-seen order */
	ck_assert_str_eq(s.groups[0].name, "/tmp/rt/gen");
	ck_assert_str_eq(s.groups[1].name, "[heap]");
	ck_assert_str_eq(s.groups[2].name, "");
	ck_assert_str_eq(s.groups[s.n_groups - 1].name, "[vsyscall]");
	ck_assert_ptr_null(s.maps);

	/* figures of one group: the mlock'd anon is 40 kB locked */
	ck_assert_int_eq(group(&s, "")->fig.locked, 40);
	ck_assert_int_eq(group(&s, "/SYSV00000000 (deleted)")->fig.size, 128);
	ck_assert_int_eq(group(&s, "/SYSV00000000 (deleted)")->fig.rss, 128);
	ck_assert_int_eq(group(&s, "/SYSV00000000 (deleted)")->fig.shared, 0);
	ck_assert_int_eq(group(&s, "/SYSV00000000 (deleted)")->fig.private_,
	    128);
	ck_assert_int_eq(s.by_type_count[REGION_SHM], 6);
	ck_assert_int_eq(s.by_type_count[REGION_LIB], 18);
	ck_assert_int_eq(s.by_type[REGION_ANON].locked, 40);
	region_set_free(&s);

	/* without the tmpfs list a shared tmpfs file is just a file */
	build(&s, "smaps_regions", NULL, 0, NULL, NULL);
	expect(&s, "/tmp/rt/tmpfs/seg.bin", REGION_FILE, "", 1);
	region_set_free(&s);
}
END_TEST

START_TEST(test_types_named)
{
	struct region_set s;

	build(&s, "smaps_named", &fixture_ctx, 0, NULL, NULL);
	expect(&s, "[anon:tensor pool]", REGION_ANON, "L", 1);
	expect(&s, "[anon_shmem:ipc ring]", REGION_SHM, "", 1);
	expect(&s, "/dev/nvidia0", REGION_DEVICE, "", 1);
	expect(&s, "[stack:4242]", REGION_STACK, "", 1);
	expect(&s, "[uprobes]", REGION_SPECIAL, "", 1);
	expect(&s, "", REGION_ANON, "H", 2);
	region_set_free(&s);

	/* a device node stays device even if devtmpfs is listed as tmpfs */
	{
		static const unsigned int devs[][2] = { { 0, 0x27 }, { 0, 6 } };
		struct region_ctx ctx = { devs, 2, NULL, NULL };

		build(&s, "smaps_named", &ctx, 0, NULL, NULL);
		expect(&s, "/dev/nvidia0", REGION_DEVICE, "", 1);
		expect(&s, "/tmp/rt/tmpfs/seg.bin", REGION_SHM, "", 1);
		region_set_free(&s);
	}
}
END_TEST

START_TEST(test_lib_rule)
{
	struct region_set s;
	size_t i, seen = 0;

	/* Real: cat's r--, r-x, r--, r--, rw- segments are all lib; locale
	 * archives and the gconv cache (no x mapping) are file. */
	build(&s, "smaps_cat", NULL, REGION_KEEP_MAPS, NULL, NULL);
	expect(&s, "/usr/bin/cat", REGION_LIB, "", 5);
	expect(&s, "/usr/lib/locale/C.utf8/LC_CTYPE", REGION_FILE, "", 1);
	expect(&s, "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache",
	    REGION_FILE, "", 1);
	ck_assert_uint_eq(s.n_maps, 38);
	for (i = 0; i < s.n_maps; i++) {
		if (strcmp(s.maps[i].name, "/usr/bin/cat") != 0)
			continue;
		/* the r-- segment comes before the r-x one: two phases */
		ck_assert_int_eq(s.maps[i].type, REGION_LIB);
		seen++;
	}
	ck_assert_uint_eq(seen, 5);
	ck_assert_str_eq(s.maps[0].perms, "r--p");
	ck_assert_int_eq(s.maps[0].type, REGION_LIB);
	region_set_free(&s);

	/*
	 * By inode, not by name: a hard link of a lib mapped r-- only is lib,
	 * the same name on another inode without x is file; a replaced
	 * library (deleted) with its code mapped is lib with D.
	 */
	build_str(&s,
	    "00400000-00401000 r--p 00000000 08:01 100 /opt/a/libx.so\n"
	    "00401000-00402000 r-xp 00001000 08:01 100 /opt/a/libx.so\n"
	    "00402000-00403000 r--p 00000000 08:01 100 /opt/b/libx-link.so\n"
	    "00403000-00404000 r--p 00000000 08:02 100 /opt/c/data.bin\n"
	    "00404000-00405000 r--p 00000000 08:01 200 /usr/lib/libold.so (deleted)\n"
	    "00405000-00406000 r-xp 00001000 08:01 200 /usr/lib/libold.so (deleted)\n"
	    "00406000-00407000 rw-p 00000000 08:01 300 /srv/model.bin\n",
	    REGION_KEEP_MAPS);
	expect(&s, "/opt/a/libx.so", REGION_LIB, "", 2);
	expect(&s, "/opt/b/libx-link.so", REGION_LIB, "", 1);
	expect(&s, "/opt/c/data.bin", REGION_FILE, "", 1);
	expect(&s, "/usr/lib/libold.so (deleted)", REGION_LIB, "D", 2);
	expect(&s, "/srv/model.bin", REGION_FILE, "", 1);
	ck_assert_int_eq(s.maps[2].type, REGION_LIB);
	ck_assert_int_eq(s.maps[3].type, REGION_FILE);
	ck_assert_int_eq(s.maps[4].flags, REGION_DELETED);
	region_set_free(&s);
}
END_TEST

START_TEST(test_merge)
{
	struct region_set s;

	/* One (type, name) from two inodes is one row; the same name as
	 * lib and as file stays two rows. */
	build_str(&s,
	    "00400000-00401000 r--p 00000000 08:01 1 /d/x.bin\n"
	    "Rss: 4 kB\n"
	    "00401000-00402000 r--p 00000000 08:01 2 /d/x.bin\n"
	    "Rss: 4 kB\n"
	    "00402000-00403000 r--p 00000000 08:01 3 /d/y.so\n"
	    "00403000-00404000 r-xp 00000000 08:01 3 /d/y.so\n"
	    "00404000-00405000 r--p 00000000 08:01 4 /d/y.so\n"
	    "00405000-00406000 rw-p 00000000 00:00 0 \n"
	    "00406000-00407000 rw-p 00000000 00:00 0 \n"
	    "Rss: 4 kB\n",
	    0);
	ck_assert_uint_eq(s.n_groups, 4);
	expect(&s, "/d/x.bin", REGION_FILE, "", 2);
	ck_assert_int_eq(group(&s, "/d/x.bin")->fig.rss, 8);
	ck_assert_str_eq(s.groups[0].name, "/d/x.bin");
	ck_assert_str_eq(s.groups[1].name, "/d/y.so");
	ck_assert_int_eq(s.groups[1].type, REGION_LIB);
	ck_assert_uint_eq(s.groups[1].count, 2);
	ck_assert_str_eq(s.groups[2].name, "/d/y.so");
	ck_assert_int_eq(s.groups[2].type, REGION_FILE);
	ck_assert_str_eq(s.groups[3].name, "");
	ck_assert_uint_eq(s.groups[3].count, 2);
	/* no figures printed at all: unknown, not zero */
	ck_assert_int_eq(group(&s, "/d/y.so")->fig.rss, KB_UNKNOWN);
	ck_assert_int_eq(s.by_type[REGION_LIB].rss, KB_UNKNOWN);
	ck_assert_int_eq(s.by_type[REGION_ANON].rss, 4);
	ck_assert_int_eq(s.by_type[REGION_HEAP].rss, 0); /* none: known 0 */
	ck_assert_int_eq(s.total.rss, 12);
	region_set_free(&s);
}
END_TEST

START_TEST(test_shm_and_deleted)
{
	struct region_set s;
	static const unsigned int devs[][2] = { { 0, 0x30 } };
	struct region_ctx ctx = { devs, 1, NULL, NULL };
	const char *buf =
	    "01000000-01001000 rw-s 00000000 00:01 1 /SYSV0000abcd (deleted)\n"
	    "01001000-01002000 rw-s 00000000 00:01 2 /memfd:x (deleted)\n"
	    "01002000-01003000 rw-s 00000000 00:01 3 /memfd:y\n"
	    "01003000-01004000 rw-s 00000000 00:01 4 /dev/zero (deleted)\n"
	    "01004000-01005000 rw-s 00000000 00:1b 5 /dev/shm/a b (deleted)\n"
	    "01005000-01006000 rw-s 00000000 00:00 6 [anon_shmem:q]\n"
	    "01006000-01007000 rw-s 00000000 00:30 7 /run/user/1/seg\n"
	    "01007000-01008000 r--p 00000000 00:30 8 /run/user/1/ro\n"
	    "01008000-01009000 rw-s 00000000 00:11 9 /anon_hugepage (deleted)\n"
	    "01009000-0100a000 rw-s 00000000 08:01 10 /tmp/x (deleted)\n"
	    "0100a000-0100b000 rw-s 00000000 00:01 11 /SYSVnothex (deleted)\n"
	    "0100b000-0100c000 rw-p 00000000 00:06 12 /dev/dri/renderD128\n"
	    "0100c000-0100d000 rw-p 00000000 00:0e 13 anon_inode:[io_uring]\n"
	    "0100d000-0100e000 r--p 00000000 00:00 0 [some_new_thing]\n";

	ck_assert_int_eq(region_set_build(&s, buf, strlen(buf), &ctx, 0), 0);
	expect(&s, "/SYSV0000abcd (deleted)", REGION_SHM, "", 1);
	expect(&s, "/memfd:x (deleted)", REGION_SHM, "", 1);
	expect(&s, "/memfd:y", REGION_SHM, "", 1);
	expect(&s, "/dev/zero (deleted)", REGION_SHM, "", 1);
	expect(&s, "/dev/shm/a b (deleted)", REGION_SHM, "D", 1);
	expect(&s, "[anon_shmem:q]", REGION_SHM, "", 1);
	expect(&s, "/run/user/1/seg", REGION_SHM, "", 1);
	expect(&s, "/run/user/1/ro", REGION_FILE, "", 1);
	expect(&s, "/anon_hugepage (deleted)", REGION_SHM, "", 1);
	expect(&s, "/tmp/x (deleted)", REGION_FILE, "D", 1);
	expect(&s, "/SYSVnothex (deleted)", REGION_FILE, "D", 1);
	expect(&s, "/dev/dri/renderD128", REGION_DEVICE, "", 1);
	expect(&s, "anon_inode:[io_uring]", REGION_SPECIAL, "", 1);
	expect(&s, "[some_new_thing]", REGION_SPECIAL, "", 1);
	ck_assert_uint_eq(s.by_type_count[REGION_SHM], 8);
	region_set_free(&s);
}
END_TEST

START_TEST(test_flags)
{
	static const char *keys[] = { "AnonHugePages", "ShmemPmdMapped",
		"FilePmdMapped", "Shared_Hugetlb", "Private_Hugetlb" };
	struct region_set s;
	char buf[512], fb[4];
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		snprintf(buf, sizeof buf,
		    "00400000-00600000 rw-p 00000000 00:00 0 \n"
		    "%s: 2048 kB\nLocked: 0 kB\n", keys[i]);
		build_str(&s, buf, 0);
		ck_assert_str_eq(region_flags_str(s.groups[0].flags, fb), "H");
		region_set_free(&s);
		snprintf(buf, sizeof buf,
		    "00400000-00600000 rw-p 00000000 00:00 0 \n"
		    "%s: 0 kB\nLocked: 4 kB\n", keys[i]);
		build_str(&s, buf, 0);
		ck_assert_str_eq(region_flags_str(s.groups[0].flags, fb), "L");
		region_set_free(&s);
	}
	/* group flags are the OR of its mappings' */
	build_str(&s,
	    "00400000-00401000 rw-s 00000000 08:01 5 /x (deleted)\n"
	    "Locked: 4 kB\n"
	    "00401000-00402000 rw-s 00000000 08:01 5 /x (deleted)\n"
	    "FilePmdMapped: 2048 kB\n",
	    REGION_KEEP_MAPS);
	ck_assert_str_eq(region_flags_str(s.groups[0].flags, fb), "LDH");
	ck_assert_uint_eq(s.maps[0].flags, REGION_LOCKED | REGION_DELETED);
	ck_assert_uint_eq(s.maps[1].flags, REGION_HUGE | REGION_DELETED);
	region_set_free(&s);

	ck_assert_str_eq(region_flags_str(0, fb), "");
	ck_assert_str_eq(region_flags_str(REGION_LOCKED | REGION_HUGE, fb),
	    "LH");
}
END_TEST

START_TEST(test_type_names)
{
	int t;

	for (t = 0; t < REGION_NTYPES; t++)
		ck_assert_int_eq(
		    region_type_parse(region_type_name((enum region_type)t)), t);
	ck_assert_str_eq(region_type_name(REGION_HEAP), "heap");
	ck_assert_str_eq(region_type_name(REGION_SPECIAL), "special");
	ck_assert_int_eq(region_type_parse("nope"), -1);
	ck_assert_int_eq(region_type_parse(NULL), -1);
	ck_assert_str_eq(region_type_name((enum region_type)99), "?");
}
END_TEST

START_TEST(test_fig_add)
{
	struct region_fig a = { KB_UNKNOWN, KB_UNKNOWN, 5, 5, KB_UNKNOWN, 0, 3 };
	struct region_fig b = { KB_UNKNOWN, 7, KB_UNKNOWN, 2, 0, 0, KB_UNKNOWN };

	region_fig_add(&a, &b);
	ck_assert_int_eq(a.size, KB_UNKNOWN);	 /* both unknown */
	ck_assert_int_eq(a.rss, 7);	 /* unknown + 7 */
	ck_assert_int_eq(a.pss, 5);	 /* 5 + unknown */
	ck_assert_int_eq(a.private_, 7);
	ck_assert_int_eq(a.shared, 0);
	ck_assert_int_eq(a.swap, 0);
	ck_assert_int_eq(a.locked, 3);
}
END_TEST

/* Plain sums, an unknown (-1) counting as nothing. */
static void
add_known(struct region_fig *a, const struct region_fig *b)
{
	a->size += b->size > 0 ? b->size : 0;
	a->rss += b->rss > 0 ? b->rss : 0;
	a->pss += b->pss > 0 ? b->pss : 0;
	a->private_ += b->private_ > 0 ? b->private_ : 0;
	a->shared += b->shared > 0 ? b->shared : 0;
	a->swap += b->swap > 0 ? b->swap : 0;
	a->locked += b->locked > 0 ? b->locked : 0;
}

static void
check_sums(const char *fixture)
{
	struct region_set s;
	struct region_fig g = { 0 }, t = { 0 };
	size_t len, i, gc = 0, tc = 0;
	char *buf;

	build(&s, fixture, &fixture_ctx, REGION_KEEP_MAPS, &buf, &len);
	for (i = 0; i < s.n_groups; i++) {
		add_known(&g, &s.groups[i].fig);
		gc += s.groups[i].count;
	}
	for (i = 0; i < REGION_NTYPES; i++) {
		add_known(&t, &s.by_type[i]);
		tc += s.by_type_count[i];
	}
	ck_assert_uint_eq(s.n_mappings, count_headers(buf, len));
	ck_assert_uint_eq(gc, s.n_mappings);
	ck_assert_uint_eq(tc, s.n_mappings);
	ck_assert_uint_eq(s.n_maps, s.n_mappings);

	ck_assert_int_eq(g.rss, fixture_sum_key(buf, len, "Rss"));
	ck_assert_int_eq(t.rss, g.rss);
	ck_assert_int_eq(s.total.rss, g.rss);
	ck_assert_int_eq(g.size, fixture_sum_key(buf, len, "Size"));
	ck_assert_int_eq(s.total.size, g.size);
	ck_assert_int_eq(g.pss, fixture_sum_key(buf, len, "Pss"));
	ck_assert_int_eq(t.pss, g.pss);
	ck_assert_int_eq(s.total.pss, g.pss);
	ck_assert_int_eq(g.swap, fixture_sum_key(buf, len, "Swap"));
	ck_assert_int_eq(t.swap, g.swap);
	ck_assert_int_eq(s.total.swap, g.swap);
	ck_assert_int_eq(g.locked, fixture_sum_key(buf, len, "Locked"));
	ck_assert_int_eq(t.locked, g.locked);
	ck_assert_int_eq(s.total.locked, g.locked);
	ck_assert_int_eq(t.size, g.size);
	ck_assert_int_eq(g.private_, fixture_sum_key(buf, len, "Private_Clean") +
	    fixture_sum_key(buf, len, "Private_Dirty"));
	ck_assert_int_eq(g.shared, fixture_sum_key(buf, len, "Shared_Clean") +
	    fixture_sum_key(buf, len, "Shared_Dirty"));
	ck_assert_int_eq(s.total.private_ + s.total.shared, s.total.rss);

	/* per-mapping rows: address order, and each row's type is its
	 * group's */
	for (i = 0; i < s.n_maps; i++) {
		const struct region *m = &s.maps[i], *gr;
		size_t k;

		if (i > 0)
			ck_assert_uint_gt(m->start, s.maps[i - 1].start);
		ck_assert_uint_eq(m->count, 1);
		for (k = 0, gr = NULL; k < s.n_groups; k++) {
			if (s.groups[k].type == m->type &&
			    strcmp(s.groups[k].name, m->name) == 0)
				gr = &s.groups[k];
		}
		ck_assert_msg(gr != NULL, "row %zu (%s) has no group", i,
		    m->name);
		ck_assert_uint_eq(m->flags & ~gr->flags, 0);
		ck_assert_uint_eq(m->fig.size * 1024,
		    (long long)(m->end - m->start));
	}
	region_set_free(&s);
	free(buf);
}

START_TEST(test_sums)
{
	check_sums("smaps_regions");
	check_sums("smaps_named");
	check_sums("smaps_cat");
	check_sums("smaps_unknown"); /* one Swap unparsable: skipped by both */
}
END_TEST

START_TEST(test_truncated)
{
	struct region_set s;

	build(&s, "smaps_truncated", NULL, 0, NULL, NULL);
	ck_assert_int_eq(s.stats.truncated, 1);
	expect(&s, "/usr/lib/x86_64-linux-gnu/libc.so.6", REGION_LIB, "", 2);
	ck_assert_int_eq(
	    group(&s, "/usr/lib/x86_64-linux-gnu/libc.so.6")->fig.rss, 148 + 736);
	region_set_free(&s);
}
END_TEST

START_TEST(test_empty)
{
	struct region_set s;
	int t;

	build_str(&s, "", REGION_KEEP_MAPS);
	ck_assert_uint_eq(s.n_groups, 0);
	ck_assert_uint_eq(s.n_maps, 0);
	ck_assert_uint_eq(s.n_mappings, 0);
	ck_assert_int_eq(s.total.rss, 0);
	for (t = 0; t < REGION_NTYPES; t++)
		ck_assert_int_eq(s.by_type[t].size, 0);
	region_set_free(&s);
	region_set_free(&s); /* freeing twice is harmless */

	build_str(&s, "garbage\n\n\x01\x02\n", 0);
	ck_assert_uint_eq(s.n_groups, 0);
	ck_assert_uint_eq(s.stats.bad_lines, 3);
	region_set_free(&s);
}
END_TEST

/* 100,000 mappings from a real block; distinct names when distinct. */
static char *
make_100k(size_t n, int distinct, size_t *lenp, long long *rss_block)
{
	size_t flen, blen, off = 0, cap, i;
	char *fix = fixture_load("smaps_cat", &flen), *block, *buf;

	block = strchr(fix, '\n') + 1;
	blen = (size_t)(strstr(block, "\n557f0ec14000-") + 1 - block);
	*rss_block = fixture_sum_key(block, blen, "Rss");
	cap = n * (blen + 128);
	buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < n; i++) {
		off += (size_t)snprintf(buf + off, cap - off,
		    "%012lx-%012lx %s 00000000 fe:00 %zu"
		    "                     /usr/lib/mod/part-%06zu.so\n",
		    0x557f00000000UL + i * 0x2000, 0x557f00002000UL + i * 0x2000,
		    i % 3 == 1 ? "r-xp" : "r--p", distinct ? i / 3 + 1 : 1,
		    distinct ? i / 3 : 0);
		memcpy(buf + off, block, blen);
		off += blen;
	}
	free(fix);
	*lenp = off;
	return buf;
}

START_TEST(test_100k)
{
	const size_t N = 100000;
	struct region *copy, r;
	struct region_set s;
	long long v;
	size_t i;
	struct timespec t0, t1;
	long long rb;
	size_t len;
	char *buf;
	double ms;

	buf = make_100k(N, 1, &len, &rb);
	ck_assert_int_eq(rb, 8);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(region_set_build(&s, buf, len, NULL, REGION_KEEP_MAPS),
	    0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	fprintf(stderr, "check_region: 100000 mappings, %zu groups in %.1f ms\n",
	    s.n_groups, ms);
	ck_assert_uint_eq(s.n_mappings, N);
	ck_assert_uint_eq(s.n_maps, N);
	ck_assert_uint_eq(s.n_groups, (N + 2) / 3);
	ck_assert_uint_eq(s.by_type_count[REGION_LIB], N - 1);
	ck_assert_uint_eq(s.by_type_count[REGION_FILE], 1);
	ck_assert_int_eq(s.total.rss, (long long)N * 8);
	ck_assert_int_eq(s.by_type[REGION_LIB].rss, (long long)(N - 1) * 8);
	ck_assert_int_eq(s.by_type[REGION_FILE].rss, 8);
	ck_assert_int_eq(s.total.size, (long long)N * 8);
	ck_assert_int_eq(s.total.rss, fixture_sum_key(buf, len, "Rss"));
	ck_assert_str_eq(s.groups[0].name, "/usr/lib/mod/part-000000.so");
	ck_assert_uint_eq(s.groups[0].count, 3);
	ck_assert_str_eq(s.groups[s.n_groups - 1].name,
	    "/usr/lib/mod/part-033333.so");
	ck_assert_uint_eq(s.groups[s.n_groups - 1].count, 1);
	/* the last group has only an r-- mapping: its inode has no x */
	ck_assert_int_eq(s.groups[s.n_groups - 1].type, REGION_FILE);

	/* Compacted to keys (a baseline), every mapping is found again by
	 * address, type and name, with its RSS; anything else is new. */
	copy = malloc(N * sizeof *copy);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, s.maps, N * sizeof *copy);
	ck_assert_int_eq(region_base_rss(&s, &copy[7], &v), 1);
	ck_assert_int_eq(region_set_compact(&s), 0);
	ck_assert_ptr_null(s.maps);
	ck_assert_uint_eq(s.n_keys, N);
	for (i = 0; i < N; i++) {
		v = -2;
		ck_assert_int_eq(region_base_rss(&s, &copy[i], &v), 1);
		ck_assert_int_eq(v, copy[i].fig.rss);
	}
	r = copy[5];
	r.start += 4096 / 2;
	ck_assert_int_eq(region_base_rss(&s, &r, &v), 0);
	r = copy[5];
	r.name = "/usr/lib/other.so";
	ck_assert_int_eq(region_base_rss(&s, &r, &v), 0);
	r = copy[5];
	r.type = REGION_ANON;
	ck_assert_int_eq(region_base_rss(&s, &r, &v), 0);
	free(copy);
	region_set_free(&s);
	free(buf);

	/* one name, one inode: one group */
	buf = make_100k(N, 0, &len, &rb);
	ck_assert_int_eq(region_set_build(&s, buf, len, NULL, 0), 0);
	ck_assert_uint_eq(s.n_groups, 1);
	ck_assert_uint_eq(s.groups[0].count, N);
	ck_assert_int_eq(s.groups[0].type, REGION_LIB);
	ck_assert_int_eq(s.groups[0].fig.rss, (long long)N * 8);
	region_set_free(&s);
	free(buf);
}
END_TEST

static Suite *
region_suite(void)
{
	Suite *s = suite_create("region");
	TCase *tc = tcase_create("classify");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_types_regions);
	tcase_add_test(tc, test_types_named);
	tcase_add_test(tc, test_lib_rule);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_shm_and_deleted);
	tcase_add_test(tc, test_flags);
	tcase_add_test(tc, test_type_names);
	tcase_add_test(tc, test_fig_add);
	tcase_add_test(tc, test_sums);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_100k);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(region_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
