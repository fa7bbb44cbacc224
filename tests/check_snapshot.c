/*
 * check_snapshot.c - unit tests for the snapshot reader and validator,
 * the atomic writer (in a temporary directory it removes), phase labels,
 * phase lookup and the phase diff, on hand-written documents.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "json.h"
#include "phase.h"
#include "sanitize.h"
#include "snapshot.h"

/* Two phases of one process: phase 1 grew a file mapping and an anon
 * region, dropped the heap, and a child appeared. */
#define FIG(s, r) "\"size_kb\":" #s ",\"rss_kb\":" #r ",\"pss_kb\":" #r \
	",\"swap_kb\":0,\"locked_kb\":0,\"count\":1"
#define PROC(pid, st, regions, bt)                                             \
	"{\"pid\":" #pid ",\"ppid\":1,\"start_time\":" #st                     \
	",\"comm\":\"wl\",\"cmdline\":\"wl run\",\"rss_kb\":100,"             \
	"\"pss_kb\":90,\"error\":null,\"by_type\":" bt ",\"regions\":" regions "}"
#define BT "{\"anon\":{" FIG(10, 10) "}}"

static const char doc_ok[] =
	"{\"format\":\"ramtop-snapshot\",\"version\":1,\"ramtop_version\":"
	"\"0.1.0\",\"created\":\"2026-11-22T14:25:00Z\",\"future_key\":[1,2],"
	"\"host\":{\"hostname\":\"h\",\"kernel\":\"6.1\",\"page_size\":4096,"
	"\"mem_total_kb\":1000},\"target\":{\"pids\":[7],\"command\":\"wl\"},"
	"\"phases\":["
	"{\"index\":0,\"label\":\"baseline\",\"time\":\"2026-11-22T14:25:00."
	"100Z\",\"elapsed_s\":0.0,\"system\":{},\"totals\":{\"rss_kb\":100,"
	"\"pss_kb\":90,\"by_type\":" BT "},\"processes\":["
	PROC(7, 5, "[{\"type\":\"heap\",\"name\":\"[heap]\"," FIG(8, 8) "},"
		   "{\"type\":\"lib\",\"name\":\"/lib/libc.so\"," FIG(2000, 900) "}]",
	     BT)
	"]},"
	"{\"index\":1,\"label\":\"weights\",\"time\":\"2026-11-22T14:25:01."
	"100Z\",\"elapsed_s\":1,\"system\":{},\"totals\":{\"rss_kb\":300,"
	"\"pss_kb\":250,\"by_type\":" BT "},\"processes\":["
	PROC(7, 5, "[{\"type\":\"file\",\"name\":\"/m/w.bin\"," FIG(65536, 32768) "},"
		   "{\"type\":\"anon\",\"name\":\"\"," FIG(1024, 1024) "},"
		   "{\"type\":\"lib\",\"name\":\"/lib/libc.so\"," FIG(2000, 900) "}]",
	     BT) ","
	PROC(8, 9, "null", "null")
	"]},"
	"{\"index\":2,\"label\":\"weights\",\"time\":\"2026-11-22T14:25:02Z\","
	"\"elapsed_s\":2,\"system\":{},\"totals\":{\"rss_kb\":null,\"pss_kb\":"
	"null,\"by_type\":null},\"processes\":[]}"
	"]}";

static int
parse(const char *doc, struct snapshot *s, char *err, size_t len)
{
	return snapshot_parse(doc, strlen(doc), "t.json", s, err, len);
}

/* A copy of doc_ok with the first `from` replaced by `to`. */
static char *
edit(const char *from, const char *to)
{
	const char *p = strstr(doc_ok, from);
	char *out;

	ck_assert_ptr_nonnull(p);
	out = malloc(sizeof doc_ok + strlen(to));
	ck_assert_ptr_nonnull(out);
	sprintf(out, "%.*s%s%s", (int)(p - doc_ok), doc_ok, to,
		p + strlen(from));
	return out;
}

static void
expect_bad(const char *doc, const char *want)
{
	struct snapshot s;
	char err[1024];
	int r;

	err[0] = '\0';
	r = parse(doc, &s, err, sizeof err);
	ck_assert_int_lt(r, 0);
	ck_assert_msg(strstr(err, want) != NULL, "error \"%s\" lacks \"%s\"",
		      err, want);
	ck_assert_msg(strchr(err, '\n') == NULL, "error is not one line: %s",
		      err);
}

START_TEST(parse_valid)
{
	struct snapshot s;
	const struct phase *p;
	const struct phase_proc *pp;
	const struct phase_region *g;
	char err[512];

	ck_assert_int_eq(parse(doc_ok, &s, err, sizeof err), 0);
	ck_assert_int_eq(s.version, 1);
	ck_assert_str_eq(s.hostname, "h");
	ck_assert_int_eq(s.page_size, 4096);
	ck_assert_int_eq(s.npids, 1);
	ck_assert_int_eq(s.pids[0], 7);
	ck_assert_uint_eq(phase_count(&s.ph), 3);
	p = phase_get(&s.ph, 1);
	ck_assert_str_eq(p->label, "weights");
	ck_assert_int_eq(p->rss, 300);
	ck_assert_uint_eq(p->nprocs, 2);
	pp = &p->procs[0];
	ck_assert_int_eq(pp->has_regions, 1);
	ck_assert_uint_eq(pp->nregions, 3);
	/* Sorted by (type, name): anon, file, lib. */
	ck_assert_int_eq(pp->regions[0].type, REGION_ANON);
	ck_assert_int_eq(pp->regions[1].type, REGION_FILE);
	g = phase_proc_region(pp, REGION_FILE, "/m/w.bin");
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(g->fig.rss, 32768);
	ck_assert_ptr_null(phase_proc_region(pp, REGION_FILE, "/nope"));
	ck_assert_int_eq(p->procs[1].has_regions, 0);
	/* Unknown totals stay unknown. */
	ck_assert(phase_get(&s.ph, 2)->rss == KB_UNKNOWN);
	ck_assert_int_eq(phase_get(&s.ph, 2)->has_by_type, 0);
	snapshot_free(&s);
}
END_TEST

START_TEST(parse_errors)
{
	char *d;
	char bin[64];
	struct snapshot s;
	char err[512];
	size_t i;

	expect_bad("", "is empty");
	expect_bad("{\"format\":\"ramtop-snapshot\",\"vers", "not valid JSON");
	expect_bad("{\"format\":\"ramtop-snapshot\",\n\"version\":1,\n  [",
		   "line 3");
	expect_bad("{}", "no \"format\" field");
	expect_bad("[1,2]", "top level is an array");
	expect_bad("{\"format\":\"other\"}", "format is \"other\"");
	expect_bad("{\"format\":7}", "format is an integer");
	d = edit("\"version\":1", "\"version\":2");
	expect_bad(d, "version 2");
	expect_bad(d, "use a newer ramtop");
	free(d);
	d = edit("\"version\":1", "\"version\":\"1\"");
	expect_bad(d, "version is a string, expected an integer");
	free(d);
	d = edit("\"version\":1", "\"version\":0");
	expect_bad(d, "does not exist");
	free(d);
	d = edit("\"version\":1,", "");
	expect_bad(d, "missing field \"version\"");
	free(d);
	d = edit("\"host\":{\"hostname\":\"h\",", "\"host\":{");
	expect_bad(d, "host: missing field \"hostname\"");
	free(d);
	d = edit("\"totals\":{\"rss_kb\":100,", "\"totals\":{");
	expect_bad(d, "phases[0].totals: missing field \"rss_kb\"");
	free(d);
	d = edit("\"label\":\"weights\"", "\"label\":null");
	expect_bad(d, "phases[1].label is null, expected a string");
	free(d);
	d = edit("\"type\":\"file\"", "\"type\":\"gpu\"");
	expect_bad(d, "unknown region type \"gpu\"");
	free(d);
	d = edit("\"rss_kb\":100", "\"rss_kb\":-5");
	expect_bad(d, "expected a size >= 0");
	free(d);
	d = edit("\"phases\":[", "\"phases\":[],\"x\":[");
	expect_bad(d, "no phases");
	free(d);
	/* Binary: NUL and high bytes; the message stays printable ASCII. */
	for (i = 0; i < sizeof bin; i++)
		bin[i] = (char)(i * 37 + 0x80);
	bin[3] = '\0';
	ck_assert_int_lt(snapshot_parse(bin, sizeof bin, "bin", &s, err,
					sizeof err),
			 0);
	ck_assert_msg(strstr(err, "not valid JSON") != NULL, "%s", err);
	for (i = 0; err[i] != '\0'; i++)
		ck_assert_msg(err[i] >= 0x20 && err[i] < 0x7f,
			      "raw byte in message: %s", err);
}
END_TEST

START_TEST(unknown_keys_ignored)
{
	struct snapshot s;
	char err[512], *d;

	d = edit("\"index\":0,", "\"index\":0,\"gpu\":{\"vram\":1},");
	ck_assert_int_eq(parse(d, &s, err, sizeof err), 0);
	snapshot_free(&s);
	free(d);
}
END_TEST

START_TEST(find_phases)
{
	struct snapshot s;
	char err[512];

	ck_assert_int_eq(parse(doc_ok, &s, err, sizeof err), 0);
	ck_assert_int_eq(phase_find(&s.ph, "0", err, sizeof err), 0);
	ck_assert_int_eq(phase_find(&s.ph, "2", err, sizeof err), 2);
	ck_assert_int_eq(phase_find(&s.ph, "baseline", err, sizeof err), 0);
	ck_assert_int_eq(phase_find(&s.ph, "9", err, sizeof err), -ENOENT);
	ck_assert_int_eq(phase_find(&s.ph, "nope", err, sizeof err), -ENOENT);
	ck_assert_int_eq(phase_find(&s.ph, "weights", err, sizeof err),
			 -EINVAL);
	ck_assert_msg(strstr(err, "give the index") != NULL, "%s", err);
	snapshot_free(&s);
}
END_TEST

START_TEST(diff_sorted)
{
	struct snapshot s;
	struct phase_diff d;
	struct phase_summary sum;
	char err[512];

	ck_assert_int_eq(parse(doc_ok, &s, err, sizeof err), 0);
	ck_assert_int_eq(phase_diff(phase_get(&s.ph, 0), phase_get(&s.ph, 1),
				    0, &d),
			 0);
	/* file +32768, anon +1024 (new), heap -8 (gone); libc unchanged. */
	ck_assert_uint_eq(d.nchanges, 3);
	ck_assert_int_eq(d.changes[0].type, REGION_FILE);
	ck_assert_int_eq(d.changes[0].d_rss, 32768);
	ck_assert_int_eq(d.changes[0].d_size, 65536);
	ck_assert_int_eq(d.changes[0].in_a, 0);
	ck_assert_int_eq(d.changes[1].type, REGION_ANON);
	ck_assert_int_eq(d.changes[2].type, REGION_HEAP);
	ck_assert_int_eq(d.changes[2].d_rss, -8);
	ck_assert_int_eq(d.changes[2].in_b, 0);
	ck_assert_int_eq(d.d_rss, 200);
	/* The new child has no regions: counted, not compared. */
	ck_assert_uint_eq(d.procs_unread, 1);
	ck_assert_uint_eq(d.nprocs, 1);
	ck_assert_ptr_null(d.procs[0].pa);
	phase_diff_free(&d);

	ck_assert_int_eq(phase_summary(&s.ph, 1, &sum), 0);
	ck_assert_int_eq(sum.rss_prev, 200);
	ck_assert_int_eq(sum.rss_base, 200);
	ck_assert_int_eq(sum.rss_by_type[REGION_ANON], 10);
	ck_assert_int_eq(phase_summary(&s.ph, 0, &sum), 0);
	ck_assert_int_eq(sum.rss_prev, 0);
	ck_assert_int_eq(phase_summary(&s.ph, 2, &sum), 0);
	ck_assert(sum.rss_prev == KB_UNKNOWN);
	ck_assert_int_eq(phase_summary(&s.ph, 3, &sum), -ERANGE);
	snapshot_free(&s);
}
END_TEST

/* A name that looks like coded member names, with control bytes. */
#define NASTY "/m/\\\",\\\"pid\\\":\\u0001{\\\"comm\\\":\\u001f,x\\\\"

/* Packed (phase_pack.c), a phase gives back the same object, and its
 * structs keep their strings; built process by process, too. */
START_TEST(pack_round_trip)
{
	struct snapshot s, s2;
	struct phase_build b;
	struct phases ph;
	json_t *orig, *back, *procs, *hdr;
	const struct phase *p;
	char err[512], *doc, *plain;
	size_t i, k;

	doc = edit("/m/w.bin", NASTY);
	ck_assert_int_eq(parse(doc, &s, err, sizeof err), 0);
	ck_assert_int_eq(parse(doc, &s2, err, sizeof err), 0);
	for (i = 0; i < s.ph.n; i++) {
		orig = json_deep_copy(s.ph.v[i].json);
		ck_assert_int_eq(phase_pack(&s.ph.v[i]), 0);
		ck_assert_ptr_null(s.ph.v[i].json);
		ck_assert_ptr_nonnull(s.ph.v[i].text);
		/* Coded (member names in a byte each), then deflated. */
		plain = json_dumps(orig, JSON_COMPACT);
		ck_assert_uint_lt(s.ph.v[i].text_len, strlen(plain));
		ck_assert_uint_gt(s.ph.v[i].text_n, 0);
		free(plain);
		back = phase_json(&s.ph.v[i]);
		ck_assert_msg(json_equal(orig, back), "phase %zu differs", i);
		json_decref(back);
		json_decref(orig);
	}
	p = phase_get(&s.ph, 1);
	ck_assert_str_eq(p->label, "weights");
	ck_assert_str_eq(p->procs[0].comm, "wl");
	ck_assert_str_eq(p->procs[0].cmdline, "wl run");
	ck_assert_int_eq(p->procs[0].has_regions, 1);
	ck_assert_int_eq(p->procs[0].by_type[REGION_ANON].rss, 10);
	ck_assert_int_eq(p->procs[1].has_regions, 0);
	ck_assert_ptr_null(p->procs[1].by_type);
	for (k = 0; k < p->procs[0].nregions; k++)
		if (p->procs[0].regions[k].type == REGION_FILE)
			ck_assert_str_eq(p->procs[0].regions[k].name,
					 "/m/\",\"pid\":\001{\"comm\":\037,x\\");

	/* The same phases built one process at a time. */
	phases_init(&ph);
	for (i = 0; i < s2.ph.n; i++) {
		orig = s2.ph.v[i].json;
		memset(&b, 0, sizeof b);
		procs = json_object_get(orig, "processes");
		for (k = 0; k < json_array_size(procs); k++)
			ck_assert_int_eq(phase_build_add(&b, json_array_get(procs,
									 k),
							 err, sizeof err),
					 0);
		hdr = json_deep_copy(orig);
		json_object_del(hdr, "processes");
		json_object_set_new(hdr, "processes", json_array());
		ck_assert_int_eq(phase_build_end(&ph, &b, hdr, err, sizeof err),
				 0);
		json_decref(hdr);
		back = phase_json(&ph.v[i]);
		ck_assert_msg(json_equal(orig, back), "built phase %zu differs",
			      i);
		json_decref(back);
		ck_assert_uint_eq(ph.v[i].nprocs, s2.ph.v[i].nprocs);
	}
	ck_assert_str_eq(ph.v[1].procs[1].comm, "wl");
	phases_free(&ph);
	snapshot_free(&s2);
	snapshot_free(&s);
	free(doc);
}
END_TEST

START_TEST(last_proc)
{
	struct snapshot s;
	char err[512];

	ck_assert_int_eq(parse(doc_ok, &s, err, sizeof err), 0);
	/* The last phase (2) has no processes. */
	ck_assert_ptr_null(phase_last_proc(&s.ph, 7, 5));
	s.ph.n = 2;
	ck_assert_ptr_nonnull(phase_last_proc(&s.ph, 7, 5));
	ck_assert_ptr_null(phase_last_proc(&s.ph, 7, 6)); /* pid reused */
	s.ph.n = 3;
	snapshot_free(&s);
}
END_TEST

START_TEST(labels)
{
	char out[PHASE_LABEL_MAX + 1], in[400];

	ck_assert_int_eq(phase_label_clean(out, "  load weights ", 15), 12);
	ck_assert_str_eq(out, "load weights");
	phase_label_clean(out, "a\033[31mb\nc", 9);
	ck_assert_str_eq(out, "a?[31mb?c");
	phase_label_clean(out, "x\xff\xfey", 4);
	ck_assert_str_eq(out, "x??y");
	/* Chinese stays (whatever the locale); a bidi override does not. */
	phase_label_clean(out, "\xe5\x8a\xa0\xe8\xbd\xbd \xe2\x80\xaeok", 12);
	ck_assert_str_eq(out, "\xe5\x8a\xa0\xe8\xbd\xbd ?ok");
	/* U+FEFF hides itself: "a<FEFF>b" must not pass for "ab".  The
	 * label cleaner and the sanitiser agree (one list). */
	phase_label_clean(out, "a\xef\xbb\xbf" "b", 5);
	ck_assert_str_eq(out, "a?b");
	ck_assert(sanitize_is_format_control(0xfeff));
	ck_assert(sanitize_is_format_control(0x202e));
	ck_assert(!sanitize_is_format_control(0x200b - 1));
	memset(in, 'a', sizeof in);
	ck_assert_int_eq(phase_label_clean(out, in, PHASE_LABEL_MAX),
			 PHASE_LABEL_MAX);
	ck_assert_int_eq(phase_label_clean(out, in, PHASE_LABEL_MAX + 1),
			 -E2BIG);
	/* Never split a character at the limit. */
	memcpy(in + PHASE_LABEL_MAX - 1, "\xe5\x8a\xa0", 3);
	ck_assert_int_eq(phase_label_clean(out, in, PHASE_LABEL_MAX + 2),
			 -E2BIG);
	ck_assert_uint_eq(strlen(out), PHASE_LABEL_MAX - 1);
	ck_assert_int_eq(phase_label_clean(out, "   ", 3), 0);
}
END_TEST

static char tmpdir[] = "/tmp/check_snapshot.XXXXXX";

/* The file at path; valid until the next call. */
static char *
slurp(const char *path)
{
	static char *buf;

	free(buf);
	buf = fixture_read(path, NULL);
	return buf;
}

START_TEST(write_atomic)
{
	char path[256], link[256], victim[256], err[1024];
	struct snapshot s, back;
	struct snapshot_host host;
	struct snapshot_meta meta;
	struct stat st;
	int pids[1] = { 7 };
	size_t bytes;

	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(path, sizeof path, "%s/snap.json", tmpdir);
	ck_assert_int_eq(snapshot_write_buf(path, "old\n", 4, err, sizeof err),
			 0);
	chmod(path, 0640);
	/* Replace it: the new content, the old mode, no temporary left. */
	ck_assert_int_eq(parse(doc_ok, &s, err, sizeof err), 0);
	snapshot_host_get(&host);
	memset(&meta, 0, sizeof meta);
	meta.created = "2026-11-22T14:25:00Z";
	meta.host = &host;
	meta.mem_total_kb = -1;
	meta.pids = pids;
	meta.npids = 1;
	ck_assert_int_eq(snapshot_write(path, &meta, &s.ph, &bytes, err,
					sizeof err),
			 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
	ck_assert_uint_eq((size_t)st.st_size, bytes);
	ck_assert_int_eq(snapshot_read(path, &back, err, sizeof err), 0);
	ck_assert_uint_eq(phase_count(&back.ph), 3);
	ck_assert_str_eq(phase_get(&back.ph, 1)->label, "weights");
	ck_assert(back.mem_total_kb == KB_UNKNOWN);
	ck_assert_ptr_null(back.command);
	snapshot_free(&back);

	/* A symbolic link at the destination: refused, target untouched. */
	snprintf(victim, sizeof victim, "%s/victim", tmpdir);
	snprintf(link, sizeof link, "%s/link.json", tmpdir);
	ck_assert_int_eq(snapshot_write_buf(victim, "precious", 8, err,
					    sizeof err),
			 0);
	ck_assert_int_eq(symlink(victim, link), 0);
	ck_assert_int_eq(snapshot_write(link, &meta, &s.ph, NULL, err,
					sizeof err),
			 -ELOOP);
	ck_assert_msg(strstr(err, "symbolic link") != NULL, "%s", err);
	ck_assert_str_eq(slurp(victim), "precious");
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));

	/* A directory, a missing directory. */
	ck_assert_int_eq(snapshot_write_buf(tmpdir, "x", 1, err, sizeof err),
			 -EISDIR);
	snprintf(path, sizeof path, "%s/", tmpdir);
	ck_assert_int_eq(snapshot_write_buf(path, "x", 1, err, sizeof err),
			 -EISDIR);
	snprintf(path, sizeof path, "%s/no/such/x.json", tmpdir);
	ck_assert_int_eq(snapshot_write_buf(path, "x", 1, err, sizeof err),
			 -ENOENT);
	ck_assert_msg(strstr(err, "cannot save the snapshot to") != NULL, "%s",
		      err);

	/* Reading: a directory, a missing file. */
	ck_assert_int_eq(snapshot_read(tmpdir, &back, err, sizeof err),
			 -EISDIR);
	ck_assert_int_eq(snapshot_read(path, &back, err, sizeof err), -ENOENT);
	snapshot_free(&s);

	unlink(link);
	unlink(victim);
	snprintf(path, sizeof path, "%s/snap.json", tmpdir);
	unlink(path);
	ck_assert_int_eq(rmdir(tmpdir), 0); /* nothing else was left */
}
END_TEST

/* Names in JSON: a literal "\xff" and the byte 0xff must not encode
 * the same; a backslash is doubled; valid UTF-8 is kept. */
START_TEST(json_names_unambiguous)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "n\\xffm", "n\\\\xffm" },
		{ "n\xffm", "n\\xffm" },
		{ "a\\b", "a\\\\b" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "\xc3", "\\xc3" },
	};
	json_t *a, *b;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		a = json_bytes(cases[i].in);
		ck_assert_ptr_nonnull(a);
		ck_assert_str_eq(json_string_value(a), cases[i].want);
		json_decref(a);
	}
	a = json_bytes("n\\xffm");
	b = json_bytes("n\xffm");
	ck_assert_str_ne(json_string_value(a), json_string_value(b));
	json_decref(a);
	json_decref(b);
}
END_TEST

START_TEST(default_name)
{
	char buf[128];
	int pid, y, mo, d, h, mi, sec;
	char tail[16];

	snapshot_default_name(buf, sizeof buf, 1234, (time_t)1700000000);
	ck_assert_int_eq(sscanf(buf, "ramtop-%d-%4d%2d%2d-%2d%2d%2d%15s", &pid,
				&y, &mo, &d, &h, &mi, &sec, tail),
			 8);
	ck_assert_int_eq(pid, 1234);
	ck_assert_str_eq(tail, ".json");
	ck_assert_uint_eq(strlen(buf), strlen("ramtop-1234-20231114-221320.json"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("snapshot");
	TCase *tc = tcase_create("reader");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, parse_valid);
	tcase_add_test(tc, parse_errors);
	tcase_add_test(tc, unknown_keys_ignored);
	tcase_add_test(tc, find_phases);
	tcase_add_test(tc, diff_sorted);
	tcase_add_test(tc, last_proc);
	tcase_add_test(tc, pack_round_trip);
	tcase_add_test(tc, labels);
	tcase_add_test(tc, write_atomic);
	tcase_add_test(tc, default_name);
	tcase_add_test(tc, json_names_unambiguous);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
