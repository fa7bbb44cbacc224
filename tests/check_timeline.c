/*
 * check_timeline.c - unit tests for the timeline (src/timeline.c): a
 * generated 10-hour recording at 1 Hz stays under the documented bound,
 * every injected spike and dip and every mark survives downsampling, the
 * phase peaks are exact, and the JSON form reads back the same (also
 * through a whole snapshot file).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "timeline.h"

#define HOURS 10
#define N (HOURS * 3600)
#define NSPIKES 40
#define NMARKS 12
/* docs/snapshot-format.md: a point takes at most this much of the file
 * (all eight types, written as the snapshot writer does). */
#define BYTES_PER_POINT 320

static long long rss_of[N];
static long spike_at[NSPIKES], dip_at[NSPIKES / 4];
static long mark_at[NMARKS];

/* A slow saw with a little noise, spikes up and dips down at fixed
 * pseudo-random seconds, a mark every 50 minutes. */
static void
gen(void)
{
	unsigned s = 12345;
	long i, k;

	for (i = 0; i < N; i++) {
		s = s * 1103515245u + 12345u;
		rss_of[i] =
			2000000 + (i % 7200) * 50 + (long long)(s >> 20) % 64;
	}
	for (k = 0; k < NSPIKES; k++) {
		spike_at[k] = 500 + k * (N / NSPIKES) + (k * 37) % 300;
		rss_of[spike_at[k]] += 400000 + k * 1000;
	}
	for (k = 0; k < NSPIKES / 4; k++) {
		dip_at[k] = 900 + k * (N / (NSPIKES / 4)) + 11;
		rss_of[dip_at[k]] = 1000 + k;
	}
	for (k = 0; k < NMARKS; k++)
		mark_at[k] = k * 3000;
}

static void
point(struct timeline_point *p, long i)
{
	int t;

	memset(p, 0, sizeof *p);
	p->elapsed_s = (double)i;
	p->rss = rss_of[i];
	p->pss = rss_of[i] * 9 / 10;
	p->has_by_type = 1;
	for (t = 0; t < REGION_NTYPES; t++)
		p->rss_by_type[t] = rss_of[i] / REGION_NTYPES + t;
	p->mark = -1;
	for (t = 0; t < NMARKS; t++)
		if (mark_at[t] == i)
			p->mark = t;
}

static void
fill(struct timeline *tl)
{
	struct timeline_point p;
	long i;

	gen();
	timeline_init(tl);
	for (i = 0; i < N; i++) {
		point(&p, i);
		ck_assert_int_eq(timeline_add(tl, &p), 0);
		ck_assert_uint_le(tl->n, TIMELINE_MAX + 4 * NMARKS);
	}
}

static const struct timeline_point *
find(const struct timeline *tl, double at)
{
	size_t i;

	for (i = 0; i < tl->n; i++)
		if (tl->v[i].elapsed_s == at)
			return &tl->v[i];
	return NULL;
}

START_TEST(ten_hours_bounded)
{
	struct timeline tl;
	const struct timeline_point *p;
	long long top = 0;
	json_t *j;
	char *s;
	long i;
	int k;

	fill(&tl);
	ck_assert_uint_eq(tl.seen, N);
	ck_assert_uint_le(tl.n, TIMELINE_MAX + 4 * NMARKS);
	ck_assert_uint_ge(tl.n, TIMELINE_MAX / 4);
	for (k = 0; k < NSPIKES; k++) {
		p = find(&tl, (double)spike_at[k]);
		ck_assert_msg(p != NULL, "spike %d at %lds dropped", k,
			      spike_at[k]);
		ck_assert_int_eq(p->rss, rss_of[spike_at[k]]);
	}
	for (k = 0; k < NSPIKES / 4; k++) {
		p = find(&tl, (double)dip_at[k]);
		ck_assert_msg(p != NULL, "dip %d at %lds dropped", k,
			      dip_at[k]);
		ck_assert_int_eq(p->rss, rss_of[dip_at[k]]);
	}
	for (k = 0; k < NMARKS; k++) {
		p = find(&tl, (double)mark_at[k]);
		ck_assert_msg(p != NULL && p->mark == k, "mark %d dropped", k);
	}
	for (i = 0; i < N; i++)
		if (rss_of[i] > top)
			top = rss_of[i];
	ck_assert_int_eq(tl.rss.kb, top);
	/* In time order. */
	for (i = 1; i < (long)tl.n; i++)
		ck_assert(tl.v[i].elapsed_s > tl.v[i - 1].elapsed_s);
	/* The documented size bound, at its worst: just before the next
	 * downsampling, at TIMELINE_MAX points. */
	for (i = N; tl.n < TIMELINE_MAX; i++) {
		struct timeline_point q;

		point(&q, i % N);
		q.elapsed_s = (double)i;
		q.mark = -1;
		ck_assert_int_eq(timeline_add(&tl, &q), 0);
	}
	j = timeline_json(&tl);
	s = json_dumps(j, JSON_INDENT(1) | JSON_REAL_PRECISION(10));
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_lt(strlen(s),
			  (TIMELINE_MAX + 4 * NMARKS) * BYTES_PER_POINT);
	free(s);
	json_decref(j);
	timeline_free(&tl);
}
END_TEST

START_TEST(phase_peaks_exact)
{
	struct timeline tl;
	struct timeline_peak pk;
	long long want;
	long i, end;
	int k;

	fill(&tl);
	for (k = 0; k < NMARKS; k++) {
		end = k + 1 < NMARKS ? mark_at[k + 1] : N;
		want = 0;
		for (i = mark_at[k]; i < end; i++)
			if (rss_of[i] > want)
				want = rss_of[i];
		ck_assert_int_eq(timeline_phase_peak(&tl, k, &pk), 0);
		ck_assert_int_eq(pk.kb, want);
	}
	ck_assert_int_eq(timeline_phase_peak(&tl, 99, &pk), -ENOENT);
	timeline_free(&tl);
}
END_TEST

START_TEST(json_round_trip)
{
	struct timeline a, b;
	char err[256];
	json_t *j;
	size_t i;
	int t;

	fill(&a);
	j = timeline_json(&a);
	ck_assert_int_eq(timeline_from_json(&b, j, err, sizeof err), 0);
	ck_assert_uint_eq(a.n, b.n);
	ck_assert_uint_eq(a.seen, b.seen);
	ck_assert_int_eq(a.rss.kb, b.rss.kb);
	for (i = 0; i < a.n; i++) {
		ck_assert(a.v[i].elapsed_s == b.v[i].elapsed_s);
		ck_assert_int_eq(a.v[i].rss, b.v[i].rss);
		ck_assert_int_eq(a.v[i].pss, b.v[i].pss);
		ck_assert_int_eq(a.v[i].mark, b.v[i].mark);
		for (t = 0; t < REGION_NTYPES; t++)
			ck_assert_int_eq(a.v[i].rss_by_type[t],
					 b.v[i].rss_by_type[t]);
	}
	json_decref(j);
	timeline_free(&a);
	timeline_free(&b);
}
END_TEST

/* A snapshot written with a timeline reads it back; one without (an
 * older file) reads with an empty timeline. */
START_TEST(through_snapshot)
{
	static const char old[] =
		"{\"format\":\"ramtop-snapshot\",\"version\":1,"
		"\"ramtop_version\":\"0.1.0\",\"created\":\"x\",\"host\":{"
		"\"hostname\":\"h\",\"kernel\":\"k\",\"page_size\":4096,"
		"\"mem_total_kb\":null},\"target\":{\"pids\":[],\"command\":"
		"null},\"phases\":[{\"index\":0,\"label\":\"baseline\","
		"\"time\":\"t\",\"elapsed_s\":0,\"system\":{},\"totals\":{"
		"\"rss_kb\":5,\"pss_kb\":4,\"by_type\":null},\"processes\":[]}]"
		"}";
	struct snapshot s;
	struct timeline tl;
	char err[512], *buf;
	json_t *doc, *tj;

	ck_assert_int_eq(
		snapshot_parse(old, strlen(old), "old", &s, err, sizeof err),
		0);
	ck_assert_uint_eq(s.tl.n, 0);
	ck_assert_int_eq(s.ph.v[0].peak_rss, KB_UNKNOWN);
	snapshot_free(&s);

	fill(&tl);
	doc = json_loads(old, 0, NULL);
	tj = timeline_json(&tl);
	json_object_set_new(doc, "timeline", tj);
	buf = json_dumps(doc, 0);
	ck_assert_int_eq(
		snapshot_parse(buf, strlen(buf), "new", &s, err, sizeof err),
		0);
	ck_assert_uint_eq(s.tl.n, tl.n);
	ck_assert_int_eq(s.tl.rss.kb, tl.rss.kb);
	snapshot_free(&s);
	/* A bad point: one line naming it. */
	json_object_set_new(json_array_get(json_object_get(tj, "points"), 3),
			    "rss_kb", json_string("x"));
	free(buf);
	buf = json_dumps(doc, 0);
	ck_assert_int_eq(
		snapshot_parse(buf, strlen(buf), "bad", &s, err, sizeof err),
		-EINVAL);
	ck_assert_msg(strstr(err, "timeline.points[3]") != NULL, "%s", err);
	free(buf);
	json_decref(doc);
	timeline_free(&tl);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ten_hours_bounded);
	tcase_add_test(tc, phase_peaks_exact);
	tcase_add_test(tc, json_round_trip);
	tcase_add_test(tc, through_snapshot);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
