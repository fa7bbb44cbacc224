/*
 * check_procfs.c - unit tests for the status, meminfo and mountinfo
 * parsers on files captured from a real /proc (tests/fixtures/).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "fmt.h"
#include "proc.h"
#include "procfs.h"

START_TEST(status_user_process)
{
	struct status_info st;
	size_t len;
	char *b = fixture_load("status_self", &len);

	ck_assert_int_eq(status_parse(b, len, &st), 0);
	ck_assert_str_eq(st.name, "cp");
	ck_assert_int_eq(st.ppid, 6960);
	ck_assert_int_eq(st.uid, 0);
	ck_assert_int_eq(st.vm_rss, 2112);
	ck_assert_int_eq(st.vm_hwm, 2112);
	ck_assert_int_eq(st.rss_anon, 164);
	/* Every figure we read is known for a user process. */
	ck_assert_int_ge(st.rss_file, 0);
	ck_assert_int_ge(st.rss_shmem, 0);
	ck_assert_int_ge(st.vm_swap, 0);
	ck_assert_int_ge(st.vm_lck, 0);
	ck_assert_int_gt(st.vm_size, 0);
	ck_assert_int_eq(st.rss_anon + st.rss_file + st.rss_shmem, st.vm_rss);
	free(b);
}
END_TEST

START_TEST(status_kernel_thread_unknown)
{
	struct status_info st;
	size_t len;
	char *b = fixture_load("status_kthread", &len);

	ck_assert_int_eq(status_parse(b, len, &st), 0);
	ck_assert_str_eq(st.name, "kthreadd");
	/* No Vm lines: unknown, never 0. */
	ck_assert_int_eq(st.vm_rss, KB_UNKNOWN);
	ck_assert_int_eq(st.rss_anon, KB_UNKNOWN);
	ck_assert_int_eq(st.vm_swap, KB_UNKNOWN);
	free(b);
}
END_TEST

START_TEST(status_garbage)
{
	struct status_info st;
	const char junk[] = "VmRSS: lots\nnot a line\n\n:\n";

	ck_assert_int_eq(status_parse("", 0, &st), -EINVAL);
	ck_assert_int_eq(status_parse(junk, sizeof junk - 1, &st), -EINVAL);
	ck_assert_int_eq(st.vm_rss, KB_UNKNOWN);
}
END_TEST

START_TEST(status_truncated)
{
	struct status_info st;
	const char part[] = "Name:\tx\nVmRSS:\t  12";

	ck_assert_int_eq(status_parse(part, sizeof part - 1, &st), 0);
	ck_assert_int_eq(st.vm_rss, 12);
	ck_assert_int_eq(st.rss_anon, KB_UNKNOWN);
}
END_TEST

START_TEST(stat_user_process)
{
	struct stat_info si;
	size_t len;
	char *b = fixture_load("stat_self", &len);

	ck_assert_int_eq(stat_parse(b, len, &si), 0);
	ck_assert_int_eq(si.pid, 934);
	ck_assert_int_eq(si.ppid, 930);
	ck_assert_str_eq(si.comm, "cat");
	ck_assert_int_eq(si.state, 'R');
	ck_assert_uint_eq(si.flags, 4194304);
	ck_assert_uint_eq(si.start_time, 1052700);
	/* What tells a change: past rsslim, which overflows long long. */
	ck_assert_int_eq(si.sig_known, 1);
	ck_assert_uint_eq(si.minflt, 119);
	ck_assert_uint_eq(si.vsize, 3133440);
	ck_assert_uint_eq(si.rss_pages, 376);
	ck_assert_uint_eq(si.code_start, 94366847193088UL);
	ck_assert_uint_eq(si.stack_start, 140726824801984UL);
	free(b);
}
END_TEST

START_TEST(stat_kernel_thread)
{
	struct stat_info si;
	size_t len;
	char *b = fixture_load("stat_kthread", &len);

	ck_assert_int_eq(stat_parse(b, len, &si), 0);
	ck_assert_int_eq(si.pid, 2);
	ck_assert_int_eq(si.ppid, 0);
	ck_assert_str_eq(si.comm, "kthreadd");
	ck_assert_uint_ne(si.flags & 0x00200000UL, 0);	/* PF_KTHREAD */
	ck_assert_uint_eq(si.start_time, 13);
	free(b);
}
END_TEST

START_TEST(stat_hostile_comm)
{
	/* A comm with ") S 1 " inside: fields count from the last ')'. */
	const char line[] = "77 (a) S 1 (b)) T 5 77 77 0 -1 64 0 0 0 0 0 0 "
			    "0 0 20 0 1 0 4242 0 0\n";
	struct stat_info si;

	ck_assert_int_eq(stat_parse(line, sizeof line - 1, &si), 0);
	ck_assert_int_eq(si.pid, 77);
	ck_assert_str_eq(si.comm, "a) S 1 (b)");
	ck_assert_int_eq(si.state, 'T');
	ck_assert_int_eq(si.ppid, 5);
	ck_assert_uint_eq(si.start_time, 4242);
	ck_assert_int_eq(si.sig_known, 0); /* the line ends at rss */
}
END_TEST

START_TEST(stat_negative_priority)
{
	/* A real-time kworker: priority -51, nice -20 (fields 18, 19). */
	const char line[] = "88 (kworker/0:1H) I 2 0 0 0 -1 69238880 0 0 0 0 "
			    "0 0 0 0 -51 -20 1 0 777 0 0\n";
	struct stat_info si;

	ck_assert_int_eq(stat_parse(line, sizeof line - 1, &si), 0);
	ck_assert_int_eq(si.pid, 88);
	ck_assert_int_eq(si.ppid, 2);
	ck_assert_uint_eq(si.start_time, 777);
}
END_TEST

START_TEST(stat_garbage)
{
	const char cut[] = "77 (a) S 1 77 77 0 -1 64 0 0";
	const char neg[] = "77 (a) S -1 77 77 0 -1 64 0 0 0 0 0 0 0 0 20 0 1 "
			   "0 4242 0";
	struct stat_info si;

	ck_assert_int_eq(stat_parse("", 0, &si), -EINVAL);
	ck_assert_int_eq(stat_parse("77 a) (", 7, &si), -EINVAL);
	ck_assert_int_eq(stat_parse(cut, sizeof cut - 1, &si), -EINVAL);
	/* A negative ppid is not a process. */
	ck_assert_int_eq(stat_parse(neg, sizeof neg - 1, &si), -EINVAL);
}
END_TEST

START_TEST(meminfo_real)
{
	struct meminfo mi;
	size_t len;
	char *b = fixture_load("meminfo", &len);

	ck_assert_int_eq(meminfo_parse(b, len, &mi), 0);
	ck_assert_int_eq(mi.mem_total, 24683656);
	ck_assert_int_eq(mi.mem_available, 24315112);
	ck_assert_int_eq(mi.cached, 263896);
	ck_assert_int_eq(mi.shmem, 9016);
	ck_assert_int_eq(meminfo_parse("", 0, &mi), -EINVAL);
	ck_assert_int_eq(mi.mem_available, KB_UNKNOWN);
	free(b);
}
END_TEST

START_TEST(mountinfo_tmpfs_devices)
{
	unsigned int devs[8][2];
	size_t len, n;
	char *b = fixture_load("mountinfo", &len);

	n = mountinfo_tmpfs(b, len, devs, 8);
	/* /dev/shm twice (0:23, 0:27), /sys/fs/cgroup, /tmp/rt/tmpfs;
	 * devtmpfs is not tmpfs. */
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(devs[0][0], 0);
	ck_assert_uint_eq(devs[0][1], 23);
	ck_assert_uint_eq(devs[3][1], 39);
	ck_assert_uint_eq(mountinfo_tmpfs(b, len, devs, 2), 2);
	free(b);
}
END_TEST

/* fmt.c's sizes as they were written with snprintf: the reference the
 * integer version must match, text for text. */
static const char *
ref_scaled(char *buf, unsigned long long kb)
{
	static const char units[] = "KMGTP";
	double v = (double)kb;
	int u = 0;

	if (kb == 0) {
		snprintf(buf, FMT_SIZE, "0");
		return buf;
	}
	while (v >= 1024.0 && u < 4) {
		v /= 1024.0;
		u++;
	}
	if (v < 9.95 && u > 0)
		snprintf(buf, FMT_SIZE, "%.1f%c", v, units[u]);
	else if (v < 1023.5 || u == 4)
		snprintf(buf, FMT_SIZE, "%.0f%c", v, units[u]);
	else
		snprintf(buf, FMT_SIZE, "1.0%c", units[u + 1]);
	return buf;
}

/* fmt_kb(k) is ref_scaled(k) (k past LLONG_MAX, a wrapped small one,
 * is no size). */
static void
same_as_printf(unsigned long long k)
{
	char a[FMT_SIZE], b[FMT_SIZE];

	if ((long long)k < 0)
		return;
	ck_assert_str_eq(fmt_kb(a, (long long)k), ref_scaled(b, k));
}

START_TEST(fmt_sizes_as_printf)
{
	unsigned long long d, k, x = 88172645463325252ULL;
	long long c[] = { 0, 1, 2, 5, 51, 52, 99, 100, 101, 511, 512, 513 };
	int u, i, j;

	/* Around every boundary of every unit: 9.95, 1023.5, the ties of
	 * one decimal (x.x5) and of none (x.5), and where a unit starts. */
	for (u = 0, d = 1; u < 5; u++, d *= 1024) {
		for (k = 9 * d; k < 11 * d && k < 9 * d + 3000; k++)
			same_as_printf(k);
		for (i = 0; i < (int)(sizeof c / sizeof c[0]); i++)
			for (j = -2; j <= 2; j++) {
				k = (unsigned long long)(9.95 * (double)d) + c[i] + j;
				same_as_printf(k);
				k = 1023 * d + d / 2 + c[i] + j;
				same_as_printf(k);
				k = d + d / 20 + c[i] + j;
				same_as_printf(k);
				k = 3 * d + d / 2 + c[i] + j;
				same_as_printf(k);
			}
	}
	/* Exact ties: x.25 and x.75 (one decimal), n.5 (none). */
	for (u = 1, d = 1024; u < 5; u++, d *= 1024) {
		for (k = 4; k < 40; k++)
			same_as_printf(k * d / 4);
		for (k = 19; k < 2047; k += 2)
			same_as_printf(k * d / 2);
	}
	for (i = 0; i < 200000; i++) { /* and any size (xorshift) */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		k = x >> (x % 40 + 1);
		same_as_printf(k);
	}
}
END_TEST

START_TEST(fmt_sizes)
{
	char b[FMT_SIZE];

	ck_assert_str_eq(fmt_kb(b, -1), "-");
	ck_assert_str_eq(fmt_kb(b, 0), "0");
	ck_assert_str_eq(fmt_kb(b, 512), "512K");
	ck_assert_str_eq(fmt_kb(b, 1023), "1023K");
	ck_assert_str_eq(fmt_kb(b, 1024), "1.0M");
	ck_assert_str_eq(fmt_kb(b, 3174), "3.1M");
	ck_assert_str_eq(fmt_kb(b, 655360), "640M");
	ck_assert_str_eq(fmt_kb(b, 1258291), "1.2G");
	ck_assert_str_eq(fmt_kb(b, 1048575), "1.0G");
	ck_assert_str_eq(fmt_delta(b, KB_UNKNOWN), "-");
	ck_assert_str_eq(fmt_delta(b, 0), "0");
	ck_assert_str_eq(fmt_delta(b, 524288), "+512M");
	ck_assert_str_eq(fmt_delta(b, -3174), "-3.1M");
	ck_assert_int_eq(kb_delta(-1, 5), KB_UNKNOWN);
	ck_assert_int_eq(kb_delta(5, 7), -2);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("procfs");
	TCase *tc = tcase_create("parsers");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, status_user_process);
	tcase_add_test(tc, status_kernel_thread_unknown);
	tcase_add_test(tc, status_garbage);
	tcase_add_test(tc, status_truncated);
	tcase_add_test(tc, fmt_sizes_as_printf);
	tcase_add_test(tc, stat_user_process);
	tcase_add_test(tc, stat_kernel_thread);
	tcase_add_test(tc, stat_hostile_comm);
	tcase_add_test(tc, stat_negative_priority);
	tcase_add_test(tc, stat_garbage);
	tcase_add_test(tc, meminfo_real);
	tcase_add_test(tc, mountinfo_tmpfs_devices);
	tcase_add_test(tc, fmt_sizes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
