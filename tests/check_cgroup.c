/*
 * check_cgroup.c - unit tests for the cgroup parsers (src/cgroup.c) and
 * the tmpfs mount list (src/shmfs.c): /proc/PID/cgroup of a hybrid host
 * (this machine's), of a v2 host and of a host without the memory
 * controller; mountinfo; "max" and v1's no-limit value; flat-keyed
 * files; PSI lines; the warning threshold; the OOM message.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "shmfs.h"

#define S(x) x, sizeof(x) - 1

START_TEST(proc_hybrid)
{
	/* Captured from /proc/self/cgroup on this machine (v1 memory,
	 * v2 unified without memory). */
	const char buf[] = "9:name=systemd:/\n8:pids:/\n4:memory:/process_api/"
			   "275cbe3f\n3:cpuset:/\n1:cpu:/\n0::/\n";
	char v1[256], v2[256];

	ck_assert_int_eq(
		cgroup_parse_proc(S(buf), v1, sizeof v1, v2, sizeof v2), 0);
	ck_assert_str_eq(v1, "/process_api/275cbe3f");
	ck_assert_str_eq(v2, "/");
}
END_TEST

START_TEST(proc_v2_and_none)
{
	char v1[256], v2[256];

	ck_assert_int_eq(cgroup_parse_proc(S("0::/app.slice/llm\n"), v1,
					   sizeof v1, v2, sizeof v2),
			 0);
	ck_assert_str_eq(v1, "");
	ck_assert_str_eq(v2, "/app.slice/llm");
	/* A combined controller list, and a path with a colon. */
	ck_assert_int_eq(cgroup_parse_proc(S("5:cpu,memory:/a:b\n"), v1,
					   sizeof v1, v2, sizeof v2),
			 0);
	ck_assert_str_eq(v1, "/a:b");
	/* memory only as part of another word is not memory. */
	ck_assert_int_eq(cgroup_parse_proc(S("5:memoryx:/a\n"), v1, sizeof v1,
					   v2, sizeof v2),
			 0);
	ck_assert_str_eq(v1, "");
	ck_assert_int_eq(
		cgroup_parse_proc(S("garbage\n"), v1, sizeof v1, v2, sizeof v2),
		-EINVAL);
	ck_assert_int_eq(cgroup_parse_proc(S(""), v1, sizeof v1, v2, sizeof v2),
			 -EINVAL);
}
END_TEST

START_TEST(mounts)
{
	/* This machine's lines, plus a container's sub-tree mount. */
	const char buf[] = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs "
			   "tmpfs rw,mode=755\n"
			   "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - "
			   "cgroup cgroup rw,cpu\n"
			   "35 31 0:32 /docker/abc /sys/fs/cgroup/mem\\040ory "
			   "rw,relatime - cgroup cgroup rw,memory\n"
			   "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - "
			   "cgroup2 cgroup2 rw\n";
	struct cg_mounts m;
	char mp[4][256];

	cgroup_parse_mounts(S(buf), &m);
	ck_assert_str_eq(m.v1, "/sys/fs/cgroup/mem ory");
	ck_assert_str_eq(m.v1_root, "/docker/abc");
	ck_assert_str_eq(m.v2, "/sys/fs/cgroup/unified");
	ck_assert_str_eq(m.v2_root, "/");
	ck_assert_uint_eq(shmfs_parse_mounts(S(buf), mp, 4), 1);
	ck_assert_str_eq(mp[0], "/sys/fs/cgroup");
}
END_TEST

START_TEST(values)
{
	ck_assert_int_eq(cgroup_parse_value(S("max\n")), CG_UNLIMITED);
	ck_assert_int_eq(cgroup_parse_value(S("67108864\n")), 67108864);
	ck_assert_int_eq(cgroup_parse_value(S("9223372036854771712\n")),
			 CG_UNLIMITED);
	ck_assert_int_eq(cgroup_parse_value(S("0\n")), 0);
	ck_assert_int_eq(cgroup_parse_value(S("")), CG_UNKNOWN);
	ck_assert_int_eq(cgroup_parse_value(S("12x\n")), CG_UNKNOWN);
	ck_assert_int_eq(cgroup_parse_value(S("-5\n")), CG_UNKNOWN);
	ck_assert_int_eq(cgroup_parse_value(S("99999999999999999999999\n")),
			 CG_UNKNOWN);
}
END_TEST

START_TEST(keys)
{
	const char ev[] = "low 0\nhigh 3\nmax 12\noom 2\noom_kill 1\n"
			  "oom_group_kill 0\n";
	const char oc[] = "oom_kill_disable 0\nunder_oom 0\noom_kill 7\n";

	ck_assert_int_eq(cgroup_parse_key(S(ev), "oom"), 2);
	ck_assert_int_eq(cgroup_parse_key(S(ev), "oom_kill"), 1);
	ck_assert_int_eq(cgroup_parse_key(S(ev), "max"), 12);
	ck_assert_int_eq(cgroup_parse_key(S(ev), "missing"), CG_UNKNOWN);
	ck_assert_int_eq(cgroup_parse_key(S(oc), "oom_kill"), 7);
	/* A key that is a prefix of another is not that one. */
	ck_assert_int_eq(cgroup_parse_key(S("file_mapped 5\nfile 9\n"), "file"),
			 9);
}
END_TEST

START_TEST(psi)
{
	const char buf[] =
		"some avg10=1.50 avg60=0.75 avg300=0.20 total=123456\n"
		"full avg10=0.50 avg60=0.25 avg300=0.05 total=45678\n";
	struct cg_psi p;

	ck_assert_int_eq(cgroup_parse_psi(S(buf), &p), 0);
	ck_assert(p.some[0] == 1.5 && p.some[1] == 0.75 && p.some[2] == 0.2);
	ck_assert_int_eq(p.some_total, 123456);
	ck_assert(p.full[0] == 0.5);
	ck_assert_int_eq(p.full_total, 45678);
	ck_assert_int_eq(cgroup_parse_psi(S("nonsense\n"), &p), -EINVAL);
	ck_assert_int_eq(cgroup_parse_psi(S("some avg10=1\n"), &p), -EINVAL);
}
END_TEST

START_TEST(warn_and_msg)
{
	struct cg_oom e;
	char msg[512];

	/* Under 20% left warns. */
	ck_assert_int_eq(cgroup_warn(64 << 20, 56 << 20), 1); /* 12.5% */
	ck_assert_int_eq(cgroup_warn(64 << 20, 48 << 20), 0); /* 25% */
	ck_assert_int_eq(cgroup_warn(CG_UNLIMITED, 1), -1);
	ck_assert_int_eq(cgroup_warn(64 << 20, CG_UNKNOWN), -1);
	memset(&e, 0, sizeof e);
	e.pid = 1234;
	e.cgroup = "/x";
	e.limit = 64 << 20;
	e.peak = 64 << 20;
	e.phase = "kv-cache";
	cgroup_oom_msg(&e, msg, sizeof msg);
	ck_assert_str_eq(msg, "pid 1234 killed by the OOM killer (cgroup /x: "
			      "limit 64M, peak 64M) during phase 'kv-cache'");
	e.limit = CG_UNLIMITED;
	e.peak = CG_UNKNOWN;
	e.phase = NULL;
	cgroup_oom_msg(&e, msg, sizeof msg);
	ck_assert_str_eq(msg, "pid 1234 killed by the OOM killer (cgroup /x: "
			      "limit no limit, peak -)");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cgroup");
	TCase *tc = tcase_create("parsers");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, proc_hybrid);
	tcase_add_test(tc, proc_v2_and_none);
	tcase_add_test(tc, mounts);
	tcase_add_test(tc, values);
	tcase_add_test(tc, keys);
	tcase_add_test(tc, psi);
	tcase_add_test(tc, warn_and_msg);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
