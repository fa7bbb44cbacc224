/*
 * check_metrics.c - unit tests for the exposition writer (src/metrics.c)
 * on frames built here, and the Accept negotiation of src/httpd.c: label
 * escaping, unknown figures absent, top N without a target, a root label
 * only with one, families once each with their series together, both
 * formats, timestamps, ISO times; the memory cgroups, pressure, tmpfs
 * and oom_score (absent when unknown or unlimited, never 0).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"
#include "metrics.h"

static struct metrics_proc
proc(int pid, int ppid, const char *comm, long long rss_kb)
{
	struct metrics_proc p;

	memset(&p, 0, sizeof p);
	proc_figs_unknown(&p.figs);
	p.pid = pid;
	p.ppid = ppid;
	p.comm = comm;
	p.figs.rss = rss_kb;
	p.rss_delta = KB_UNKNOWN;
	return p;
}

static char *
render(struct metrics_frame *f, size_t n, enum metrics_format fmt, int stamp,
       size_t top)
{
	char *buf;
	size_t len;

	ck_assert_int_eq(metrics_render(f, n, fmt, stamp, top, &buf, &len), 0);
	ck_assert_uint_eq(strlen(buf), len);
	return buf;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

START_TEST(test_escape_and_root)
{
	struct metrics_proc v[3];
	struct metrics_frame f;
	char *s;

	memset(&f, 0, sizeof f);
	v[0] = proc(10, 1, "a\"b\\c\nd\033", 100);
	v[1] = proc(11, 10, "child", 50);
	v[2] = proc(20, 1, "other", 7);
	f.procs = v;
	f.nprocs = 3;
	s = render(&f, 1, METRICS_PROMETHEUS, 0, 20);
	ck_assert_msg(strstr(s,
			     "ramtop_process_resident_bytes{pid=\"10\","
			     "comm=\"a\\\"b\\\\c?d?\",root=\"10\"} 102400\n"),
		      "%s", s);
	ck_assert_ptr_nonnull(strstr(s,
				     "{pid=\"11\",comm=\"child\",root=\"10\"} "
				     "51200\n"));
	ck_assert_ptr_nonnull(
		strstr(s, "{pid=\"20\",comm=\"other\",root=\"20\"}"));
	ck_assert_ptr_nonnull(
		strstr(s, "\nramtop_tree_resident_bytes 160768\n"));
	/* Unknown: PSS of every process, so no series at all. */
	ck_assert_ptr_null(strstr(s, "proportional_bytes"));
	ck_assert_ptr_nonnull(strstr(
		s,
		"ramtop_tree_unknown_processes{figure=\"proportional\"} 3\n"));
	ck_assert_ptr_nonnull(strstr(
		s, "ramtop_tree_unknown_processes{figure=\"resident\"} 0\n"));
	/* Nothing raw: no ESC, no newline inside a line. */
	ck_assert_ptr_null(strchr(s, '\033'));
	ck_assert_int_eq(count(s, "# TYPE ramtop_process_resident_bytes gauge"),
			 1);
	ck_assert_ptr_null(strstr(s, "# EOF"));
	free(s);
}
END_TEST

START_TEST(test_top_n)
{
	struct metrics_proc v[5];
	struct metrics_frame f;
	char *s;

	memset(&f, 0, sizeof f);
	v[0] = proc(1, 0, "init", 10);
	v[1] = proc(2, 0, "kthreadd", -1);
	v[1].nomem = 1;
	v[2] = proc(3, 1, "big", 900);
	v[3] = proc(4, 1, "mid", 500);
	v[4] = proc(5, 1, "unread", -1);
	f.procs = v;
	f.nprocs = 5;
	f.all = 1;
	s = render(&f, 1, METRICS_PROMETHEUS, 0, 2);
	ck_assert_int_eq(count(s, "ramtop_process_resident_bytes{"), 2);
	ck_assert_ptr_nonnull(strstr(s, "{pid=\"3\",comm=\"big\"} 921600"));
	ck_assert_ptr_nonnull(strstr(s, "{pid=\"4\",comm=\"mid\"} 512000"));
	ck_assert_ptr_null(strstr(s, "root="));
	/* The tree is every process; the kernel thread is not in it. */
	ck_assert_ptr_nonnull(strstr(s, "\nramtop_tree_processes 4\n"));
	ck_assert_ptr_nonnull(
		strstr(s, "\nramtop_tree_resident_bytes 1443840\n"));
	ck_assert_ptr_nonnull(strstr(
		s, "ramtop_tree_unknown_processes{figure=\"resident\"} 1\n"));
	free(s);
}
END_TEST

START_TEST(test_regions_phases_openmetrics)
{
	struct region_fig bt[REGION_NTYPES];
	struct metrics_phase ph[2] = { { 0, "baseline", 1700000000.5 },
				       { 1, "kv \"cache\"", 1700000001.25 } };
	struct metrics_proc v[1];
	struct metrics_frame f;
	char *s;
	int t;

	memset(bt, 0, sizeof bt);
	for (t = 0; t < REGION_NTYPES; t++)
		bt[t].rss = t;
	bt[REGION_SHM].rss = 8192;
	bt[REGION_HEAP].swap = -1;
	memset(&f, 0, sizeof f);
	v[0] = proc(10, 1, "p", 9000);
	v[0].by_type = bt;
	f.procs = v;
	f.nprocs = 1;
	f.phases = ph;
	f.nphases = 2;
	f.has_self = 1;
	f.samples = 7;
	f.sample_seconds = 0.0025;
	f.time = 1700000002.0;
	s = render(&f, 1, METRICS_OPENMETRICS, 0, 20);
	ck_assert_ptr_nonnull(strstr(
		s, "ramtop_process_region_resident_bytes{pid=\"10\",comm=\"p\","
		   "root=\"10\",type=\"shm\"} 8388608\n"));
	ck_assert_int_eq(count(s, "ramtop_process_region_resident_bytes{"),
			 REGION_NTYPES);
	/* Heap swap unknown: the seven others only. */
	ck_assert_int_eq(count(s, "ramtop_process_region_swap_bytes{"),
			 REGION_NTYPES - 1);
	ck_assert_ptr_nonnull(strstr(s, "# TYPE ramtop_phase info\n"));
	ck_assert_ptr_nonnull(strstr(s, "ramtop_phase_info{index=\"1\",label="
					"\"kv \\\"cache\\\"\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(
		s,
		"ramtop_phase_timestamp_seconds{index=\"0\",label=\"baseline\"}"
		" 1700000000.500000\n"));
	ck_assert_ptr_nonnull(strstr(s, "# TYPE ramtop_samples counter\n"));
	ck_assert_ptr_nonnull(strstr(s, "\nramtop_samples_total 7\n"));
	ck_assert_ptr_nonnull(strstr(s, "# UNIT ramtop_sample_duration_seconds "
					"seconds\n"));
	ck_assert_str_eq(s + strlen(s) - 6, "# EOF\n");
	free(s);
	s = render(&f, 1, METRICS_PROMETHEUS, 0, 20);
	ck_assert_ptr_nonnull(strstr(s, "# TYPE ramtop_phase_info gauge\n"));
	ck_assert_ptr_nonnull(
		strstr(s, "# TYPE ramtop_samples_total counter\n"));
	ck_assert_ptr_null(strstr(s, "# UNIT"));
	free(s);
}
END_TEST

/* Several frames: each series' points together, in time order. */
START_TEST(test_frames_grouped)
{
	struct metrics_proc a[2], b[1];
	struct metrics_frame f[2];
	const char *p1, *p2, *q;
	char *s;

	memset(f, 0, sizeof f);
	a[0] = proc(10, 1, "x", 1);
	a[1] = proc(11, 10, "y", 2);
	b[0] = proc(10, 1, "x", 3);
	f[0].procs = a;
	f[0].nprocs = 2;
	f[0].time = 100.5;
	f[1].procs = b;
	f[1].nprocs = 1;
	f[1].time = 101.25;
	s = render(f, 2, METRICS_OPENMETRICS, 1, 20);
	p1 = strstr(s, "{pid=\"10\",comm=\"x\",root=\"10\"} 1024 100.500\n");
	p2 = strstr(s, "{pid=\"10\",comm=\"x\",root=\"10\"} 3072 101.250\n");
	q = strstr(s, "{pid=\"11\",comm=\"y\",root=\"10\"} 2048 100.500\n");
	ck_assert_msg(p1 && p2 && q && p1 < p2 && p2 < q, "%s", s);
	ck_assert_int_eq(count(s, "# TYPE ramtop_tree_resident_bytes gauge"),
			 1);
	free(s);
	s = render(f, 2, METRICS_PROMETHEUS, 1, 20);
	ck_assert_ptr_nonnull(strstr(s, "\nramtop_tree_resident_bytes 3072 "
					"100500\n"));
	free(s);
}
END_TEST

/* A timeline point between two samples: only the tree's Σ RSS, Σ PSS
 * and RSS by type, at its own time. */
START_TEST(test_timeline_point)
{
	long long by_type[REGION_NTYPES];
	struct metrics_proc a[1];
	struct metrics_frame f[2];
	const char *p1, *p2;
	char *s;
	int t;

	for (t = 0; t < REGION_NTYPES; t++)
		by_type[t] = t == REGION_ANON ? 300 : -1;
	memset(f, 0, sizeof f);
	a[0] = proc(10, 1, "x", 100);
	f[0].procs = a;
	f[0].nprocs = 1;
	f[0].time = 100.0;
	ck_assert_int_eq(
		metrics_frame_point(&f[1], NULL, 101.5, 400, -1, by_type), 0);
	s = render(f, 2, METRICS_OPENMETRICS, 1, 20);
	p1 = strstr(s, "\nramtop_tree_resident_bytes 102400 100.000\n");
	p2 = strstr(s, "\nramtop_tree_resident_bytes 409600 101.500\n");
	ck_assert_msg(p1 && p2 && p1 < p2, "%s", s);
	ck_assert_ptr_nonnull(strstr(
		s, "ramtop_tree_region_resident_bytes{type=\"anon\"} 307200 "
		   "101.500\n"));
	ck_assert_int_eq(count(s, "ramtop_tree_region_resident_bytes{"), 1);
	ck_assert_int_eq(count(s, "ramtop_tree_region_mapped_bytes"), 0);
	ck_assert_int_eq(count(s, "ramtop_process_resident_bytes{"), 1);
	ck_assert_int_eq(count(s, " 101.500\n"), 2);
	metrics_frame_free(&f[1]);
	free(s);
}
END_TEST

START_TEST(test_cgroups)
{
	struct metrics_proc v[2];
	struct metrics_frame f;
	struct cgroup_set cs;
	struct cgroup g[2];
	struct shmfs sh;
	char *s;
	int i;

	memset(&f, 0, sizeof f);
	memset(g, 0, sizeof g);
	memset(&sh, 0, sizeof sh);
	cgroup_set_init(&cs);
	cs.tick = 5;
	cs.v = g;
	cs.n = 2;
	for (i = 0; i < CG_NFIGS; i++)
		g[0].fig[i] = g[1].fig[i] = CG_UNKNOWN;
	g[0].path = "/a\"b\nc";
	g[0].version = 2;
	g[0].tick = 5;
	g[0].nprocs = 1;
	g[0].fig[CG_usage] = 1000;
	g[0].fig[CG_limit] = CG_UNLIMITED;
	g[0].fig[CG_file] = 0;
	g[0].fig[CG_ev_oom_kill] = 3;
	g[0].err[CG_peak] = -EACCES;
	g[0].tight_limit = 4096;
	g[0].tight_usage = 1024;
	g[0].tight_path = "/";
	g[0].psi.some_total = 2500000;
	g[0].psi.full_total = -1;
	g[0].psi.some[0] = 12.5;
	g[0].psi.some[1] = 1;
	g[0].psi.full[0] = g[0].psi.full[1] = -1;
	g[1].path = "/left";
	g[1].tick = 4; /* not in the tree this sample */
	g[1].fig[CG_usage] = 7;
	cs.sys_psi.err = -ENOENT;
	sh.n = 1;
	snprintf(sh.v[0].path, sizeof sh.v[0].path, "/dev/shm");
	sh.v[0].size_kb = 64;
	sh.v[0].used_kb = -1;
	sh.v[0].tree_kb = 0;
	v[0] = proc(10, 1, "w", 100);
	v[0].oom_score = 667;
	v[0].has_oom = 1;
	v[0].oom_score_adj = -500;
	v[0].has_oom_adj = 1;
	v[1] = proc(11, 10, "x", 100); /* oom_score unknown */
	f.procs = v;
	f.nprocs = 2;
	f.cg = &cs;
	f.shm = &sh;
	s = render(&f, 1, METRICS_PROMETHEUS, 0, 20);
#define CGL "{cgroup=\"/a\\\"b?c\",version=\"2\""
	/* The path sanitised (a newline is '?'), then escaped. */
	ck_assert_ptr_nonnull(
		strstr(s, "\nramtop_cgroup_usage_bytes" CGL "} 1000\n"));
	/* No limit: no _bytes series, never 0; unlimited says so. */
	ck_assert_ptr_null(strstr(s, "ramtop_cgroup_limit_bytes{"));
	ck_assert_ptr_nonnull(strstr(s, "ramtop_cgroup_unlimited" CGL
					",limit=\"limit\"} 1\n"));
	ck_assert_ptr_null(strstr(s, "limit=\"high\""));
	/* Unknown (and a figure with an error): absent; a known 0 is 0. */
	ck_assert_ptr_null(strstr(s, "ramtop_cgroup_peak_bytes{"));
	ck_assert_ptr_null(strstr(s, "ramtop_cgroup_anon_bytes{"));
	ck_assert_ptr_nonnull(
		strstr(s, "ramtop_cgroup_file_bytes" CGL "} 0\n"));
	ck_assert_ptr_nonnull(
		strstr(s, "# TYPE ramtop_cgroup_oom_kill_events_total counter\n"
			  "ramtop_cgroup_oom_kill_events_total" CGL "} 3\n"));
	ck_assert_ptr_nonnull(strstr(s, "ramtop_cgroup_headroom_bytes" CGL
					",limit_cgroup=\"/\"} 3072\n"));
	ck_assert_ptr_nonnull(
		strstr(s, "ramtop_cgroup_memory_pressure_ratio" CGL
			  ",stall=\"some\",window=\"10s\"} 0.125000\n"));
	ck_assert_ptr_null(strstr(s, "stall=\"full\""));
	ck_assert_ptr_nonnull(strstr(
		s, "ramtop_cgroup_memory_pressure_stalled_seconds_total" CGL
		   ",stall=\"some\"} 2.500000\n"));
#undef CGL
	/* The cgroup that left the tree and the unreadable system PSI. */
	ck_assert_ptr_null(strstr(s, "/left"));
	ck_assert_ptr_null(strstr(s, "ramtop_system_memory_pressure"));
	ck_assert_ptr_nonnull(strstr(
		s, "ramtop_tmpfs_size_bytes{path=\"/dev/shm\"} 65536\n"));
	ck_assert_ptr_null(strstr(s, "ramtop_tmpfs_used_bytes{"));
	ck_assert_ptr_nonnull(
		strstr(s, "ramtop_tmpfs_tree_bytes{path=\"/dev/shm\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(s, "ramtop_process_oom_score{pid=\"10\","
					"comm=\"w\",root=\"10\"} 667\n"));
	ck_assert_ptr_nonnull(strstr(s,
				     "ramtop_process_oom_score_adj{pid="
				     "\"10\",comm=\"w\",root=\"10\"} -500\n"));
	ck_assert_int_eq(count(s, "ramtop_process_oom_score{"), 1);
	free(s);
}
END_TEST

START_TEST(test_iso_time)
{
	ck_assert(metrics_iso_time("1970-01-01T00:00:01.250Z") == 1.25);
	ck_assert(metrics_iso_time("2026-11-22T14:25:00Z") == 1795357500.0);
	ck_assert(metrics_iso_time("2026-11-22 14:25:00") < 0);
	ck_assert(metrics_iso_time("nonsense") < 0);
	ck_assert(metrics_iso_time(NULL) < 0);
}
END_TEST

START_TEST(test_accept)
{
	ck_assert_int_eq(httpd_wants_openmetrics(NULL), 0);
	ck_assert_int_eq(httpd_wants_openmetrics("*/*"), 0);
	ck_assert_int_eq(httpd_wants_openmetrics("text/plain"), 0);
	ck_assert_int_eq(httpd_wants_openmetrics(
				 "application/openmetrics-text;version=1.0.0,"
				 "application/openmetrics-text;version=0.0.1;"
				 "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;"
				 "q=0.1"),
			 1);
	ck_assert_int_eq(
		httpd_wants_openmetrics("text/plain;version=0.0.4;q=1,"
					"application/openmetrics-text;q=0.5"),
		0);
	ck_assert_int_eq(
		httpd_wants_openmetrics("Application/OpenMetrics-Text; q=0"),
		0);
	ck_assert_int_eq(
		httpd_wants_openmetrics(
			" application/openmetrics-text ; version=1.0.0"),
		1);
}
END_TEST

static Suite *
metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("exposition");

	tcase_add_test(tc, test_escape_and_root);
	tcase_add_test(tc, test_top_n);
	tcase_add_test(tc, test_regions_phases_openmetrics);
	tcase_add_test(tc, test_frames_grouped);
	tcase_add_test(tc, test_timeline_point);
	tcase_add_test(tc, test_iso_time);
	tcase_add_test(tc, test_cgroups);
	tcase_add_test(tc, test_accept);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(metrics_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
