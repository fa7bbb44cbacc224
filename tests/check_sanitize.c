/*
 * check_sanitize.c - unit tests for terminal-safe names and width-aware
 * clipping (src/sanitize.c).
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* wcwidth */
#endif

#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "sanitize.h"

static void
utf8_locale(void)
{
	ck_assert_msg(setlocale(LC_CTYPE, "C.UTF-8") != NULL ||
	    setlocale(LC_CTYPE, "C.utf8") != NULL ||
	    setlocale(LC_CTYPE, "en_US.UTF-8") != NULL,
	    "no UTF-8 locale available");
}

/* sanitize_text over len bytes must give exactly want. */
static void
san_eq(const char *in, size_t len, const char *want)
{
	char out[512];
	size_t n;

	n = sanitize_text(out, sizeof out, in, len);
	ck_assert_uint_eq(n, strlen(out));
	ck_assert_msg(strcmp(out, want) == 0, "sanitised to \"%s\", want \"%s\"",
	    out, want);
}
#define SAN_EQ(lit, want) san_eq(lit, sizeof lit - 1, want)

/*
 * Every byte printable ASCII, or part of a valid printable non-bidi
 * character of width >= 0.  Returns NULL or what is wrong: plain code,
 * not ck_assert, because each ck_assert is a message to the parent
 * process and this runs over many thousands of strings.
 */
static const char *
printable_problem(const char *s, size_t n)
{
	static char why[64];
	mbstate_t st;
	wchar_t wc;
	size_t i = 0, k;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f) {
			snprintf(why, sizeof why, "byte 0x%02x at %zu", c, i);
			return why;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		memset(&st, 0, sizeof st);
		k = mbrtowc(&wc, s + i, n - i, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			snprintf(why, sizeof why, "invalid sequence at %zu", i);
			return why;
		}
		if (wc < 0xa0 || !iswprint((wint_t)wc) || wcwidth(wc) < 0 ||
		    (wc >= 0x202a && wc <= 0x202e) ||
		    (wc >= 0x2066 && wc <= 0x2069) || wc == 0x200e ||
		    wc == 0x200f || wc == 0x061c) {
			snprintf(why, sizeof why, "U+%04X kept at %zu",
			    (unsigned)wc, i);
			return why;
		}
		i += k;
	}
	return NULL;
}

static void
assert_printable(const char *s, size_t n)
{
	const char *why = printable_problem(s, n);

	ck_assert_msg(why == NULL, "not printable: %s", why);
}

START_TEST(test_controls)
{
	utf8_locale();
	SAN_EQ("\033", "?");
	SAN_EQ("\033]0;x\007", "?]0;x?");
	SAN_EQ("\033[2J", "?[2J");
	SAN_EQ("a\nb", "a?b");
	SAN_EQ("a\tb", "a?b");
	SAN_EQ("a\rb", "a?b");
	SAN_EQ("del\177", "del?");
	SAN_EQ("nul\0x", "nul?x");
	SAN_EQ("\x01\x02\x1f", "???");
	/* C1 CSI: raw byte (invalid UTF-8) and as U+009B */
	SAN_EQ("\x9b" "2J", "?2J");
	SAN_EQ("\xc2\x9b" "2J", "?2J");
	SAN_EQ("\xc2\x80\xc2\x9f", "??");
	/* the kernel's own escape for '\n' stays as four characters */
	SAN_EQ("/tmp/new\\012line", "/tmp/new\\012line");
	SAN_EQ("plain name with spaces.bin", "plain name with spaces.bin");
	SAN_EQ("", "");
}
END_TEST

START_TEST(test_utf8)
{
	utf8_locale();
	SAN_EQ("caf\xc3\xa9", "caf\xc3\xa9");			/* é */
	SAN_EQ("\xe4\xb8\xad\xe6\x96\x87", "\xe4\xb8\xad\xe6\x96\x87"); /* 中文 */
	SAN_EQ("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");		/* 😀 */
	SAN_EQ("e\xcc\x81", "e\xcc\x81");			/* e + U+0301 */
	/* invalid: stray continuation, bad lead, cut sequence, overlong,
	 * surrogate, beyond U+10FFFF */
	SAN_EQ("a\x80z", "a?z");
	SAN_EQ("\xff\xfe", "??");
	SAN_EQ("\xe4\xb8", "??");
	SAN_EQ("\xe4\xb8z", "??z");
	SAN_EQ("\xc0\xaf", "??");
	SAN_EQ("\xed\xa0\x80", "???");
	{
		char out[16];

		sanitize_text(out, sizeof out, "\xf4\x90\x80\x80", 4);
		assert_printable(out, strlen(out));
		ck_assert_ptr_null(strchr(out, '\xf4'));
	}
	/* bidi controls */
	SAN_EQ("abc\xe2\x80\xae" "cba", "abc?cba");	/* U+202E RLO */
	SAN_EQ("\xe2\x80\xaa\xe2\x80\xac", "??");	/* U+202A, U+202C */
	SAN_EQ("\xe2\x81\xa6x\xe2\x81\xa9", "?x?");	/* U+2066, U+2069 */
	SAN_EQ("\xe2\x80\x8e\xe2\x80\x8f", "??");	/* U+200E, U+200F */
	SAN_EQ("\xd8\x9c", "?");			/* U+061C */
	/* U+FEFF (zero-width no-break space, BOM) hides text: not kept,
	 * like the label cleaner (phase_label.c) */
	SAN_EQ("a\xef\xbb\xbf" "b", "a?b");
	/* line/paragraph separators are not printable */
	SAN_EQ("a\xe2\x80\xa8" "b", "a?b");
}
END_TEST

START_TEST(test_fixture_name)
{
	/* The name as the kernel printed it in tests/fixtures/smaps_regions */
	static const char raw[] =
	    "/tmp/rt/esc\033]0;x\007\033[2J\ttab\177\233end.bin";

	utf8_locale();
	SAN_EQ(raw, "/tmp/rt/esc?]0;x??[2J?tab??end.bin");
}
END_TEST

START_TEST(test_outsz)
{
	char out[8];
	size_t n;

	utf8_locale();
	/* always NUL-terminated, never a split character */
	n = sanitize_text(out, sizeof out, "abcdefghij", 10);
	ck_assert_uint_eq(n, 7);
	ck_assert_str_eq(out, "abcdefg");
	n = sanitize_text(out, 5, "ab\xe4\xb8\xad", 5);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(out, "ab");
	n = sanitize_text(out, 6, "ab\xe4\xb8\xad", 5);
	ck_assert_uint_eq(n, 5);
	n = sanitize_text(out, 1, "abc", 3);
	ck_assert_uint_eq(n, 0);
	ck_assert_str_eq(out, "");
	out[0] = 'x';
	ck_assert_uint_eq(sanitize_text(out, 0, "abc", 3), 0);
	ck_assert_int_eq(out[0], 'x');
}
END_TEST

START_TEST(test_only_printable)
{
	char in[64], out[256];
	unsigned int seed = 12345;
	const char *why = NULL;
	size_t n = 0, i, k;

	utf8_locale();
	/* every single byte */
	for (i = 0; i < 256; i++) {
		in[0] = (char)i;
		n = sanitize_text(out, sizeof out, in, 1);
		if (n != 1 || (why = printable_problem(out, n)) != NULL)
			break;
	}
	ck_assert_msg(i == 256, "byte 0x%02zx: %zu bytes out, %s", i, n,
	    why != NULL ? why : "");
	/* random bytes, biased towards UTF-8 continuation bytes */
	for (k = 0; k < 20000 && why == NULL; k++) {
		for (i = 0; i < sizeof in; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (char)(seed >> 16);
			if ((seed >> 8) % 4 == 0)
				in[i] = (char)(0x80 | (in[i] & 0x3f));
		}
		n = sanitize_text(out, sizeof out, in, sizeof in);
		why = printable_problem(out, n);
		if (why == NULL && sanitize_width(out) < 0)
			why = "negative width";
	}
	ck_assert_msg(why == NULL, "random input %zu: %s", k, why);
}
END_TEST

START_TEST(test_c_locale)
{
	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C"));
	/* no UTF-8 terminal assumed: non-ASCII bytes become '?' */
	SAN_EQ("caf\xc3\xa9", "caf??");
	SAN_EQ("\xc2\x9b", "??");
	SAN_EQ("ok\033", "ok?");
}
END_TEST

START_TEST(test_width)
{
	utf8_locale();
	ck_assert_int_eq(sanitize_width(""), 0);
	ck_assert_int_eq(sanitize_width("abc"), 3);
	ck_assert_int_eq(sanitize_width("caf\xc3\xa9"), 4);
	ck_assert_int_eq(sanitize_width("\xe4\xb8\xad\xe6\x96\x87"), 4);
	ck_assert_int_eq(sanitize_width("e\xcc\x81"), 1);
	ck_assert_int_eq(sanitize_width("\xf0\x9f\x98\x80!"), 3);
}
END_TEST

/* The tail of a long name: the longest suffix that fits, at a character
 * boundary, the same as dropping characters one at a time from the front
 * (the old quadratic way, kept here as the reference); and a 64 KiB name
 * is clipped with one linear pass (the answer checked, not the time). */
START_TEST(test_tail)
{
	static const char *const in[] = {
		"abc", "\xe4\xb8\xad\xe6\x96\x87x", "a\xc3\xa9z\xe4\xb8\xad",
		"e\xcc\x81x/\xe4\xb8\xad\xe6\x96\x87/weights.bin", "", "??a",
	};
	char big[65537];
	size_t i, j, k, n, want;
	int cols, used;

	utf8_locale();
	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		n = strlen(in[i]);
		for (cols = 0; cols <= sanitize_width(in[i]) + 1; cols++) {
			for (j = 0; j < n; j += k) {
				if (sanitize_width(in[i] + j) <= cols)
					break;
				k = (size_t)mblen(in[i] + j, n - j);
				if (k == 0 || k > n - j)
					k = 1;
			}
			want = j;
			ck_assert_uint_eq(sanitize_tail(in[i], cols, &used),
					  want);
			ck_assert_int_eq(used, sanitize_width(in[i] + want));
		}
	}
	for (i = 0; i + 3 <= sizeof big - 1; i += 3)
		memcpy(big + i, "\xe4\xb8\xad", 3);
	big[i] = '\0';
	ck_assert_uint_eq(sanitize_tail(big, 10, &used), i - 15);
	ck_assert_int_eq(used, 10);
	ck_assert_uint_eq(sanitize_tail(big, 11, &used), i - 15);
}
END_TEST

START_TEST(test_clip)
{
	const char *wide = "\xe4\xb8\xad\xe6\x96\x87"; /* 中文: 2+2 columns */
	int used;

	utf8_locale();
	/* a 1-column budget and a double-width character: nothing */
	ck_assert_uint_eq(sanitize_clip(wide, 1, &used), 0);
	ck_assert_int_eq(used, 0);
	ck_assert_uint_eq(sanitize_clip(wide, 2, &used), 3);
	ck_assert_int_eq(used, 2);
	ck_assert_uint_eq(sanitize_clip(wide, 3, &used), 3);
	ck_assert_int_eq(used, 2);
	ck_assert_uint_eq(sanitize_clip(wide, 4, &used), 6);
	ck_assert_int_eq(used, 4);
	ck_assert_uint_eq(sanitize_clip(wide, 80, &used), 6);
	ck_assert_uint_eq(sanitize_clip("ab\xe4\xb8\xad", 3, &used), 2);
	ck_assert_int_eq(used, 2);
	/* never inside a 2-byte sequence */
	ck_assert_uint_eq(sanitize_clip("a\xc3\xa9z", 2, &used), 3);
	ck_assert_int_eq(used, 2);
	ck_assert_uint_eq(sanitize_clip("a\xc3\xa9z", 1, &used), 1);
	/* a combining mark stays with its base */
	ck_assert_uint_eq(sanitize_clip("e\xcc\x81x", 1, &used), 3);
	ck_assert_int_eq(used, 1);
	ck_assert_uint_eq(sanitize_clip("abc", 0, &used), 0);
	ck_assert_int_eq(used, 0);
	ck_assert_uint_eq(sanitize_clip("abc", -3, NULL), 0);
	ck_assert_uint_eq(sanitize_clip("", 10, &used), 0);
	ck_assert_uint_eq(sanitize_clip("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 3,
	    &used), 4);
	ck_assert_int_eq(used, 2);
}
END_TEST

START_TEST(test_clip_never_splits)
{
	/* Over a sanitised mixed string, every clip ends on a character
	 * boundary and its width is what was reported. */
	static const char raw[] = "a\xe4\xb8\xad" "b\xc3\xa9\xf0\x9f\x98\x80"
				  "e\xcc\x81\033[1m\xe2\x80\xae" "z";
	char s[128], cut[128];
	size_t n;
	int cols, used;

	utf8_locale();
	sanitize_text(s, sizeof s, raw, sizeof raw - 1);
	for (cols = 0; cols <= sanitize_width(s) + 1; cols++) {
		n = sanitize_clip(s, cols, &used);
		ck_assert_int_le(used, cols);
		memcpy(cut, s, n);
		cut[n] = '\0';
		assert_printable(cut, n);
		ck_assert_int_eq(sanitize_width(cut), used);
		ck_assert(mbstowcs(NULL, cut, 0) != (size_t)-1);
	}
	ck_assert_uint_eq(sanitize_clip(s, 1000, &used), strlen(s));
	ck_assert_int_eq(used, sanitize_width(s));
}
END_TEST

static Suite *
sanitize_suite(void)
{
	Suite *s = suite_create("sanitize");
	TCase *tc = tcase_create("text");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_controls);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_fixture_name);
	tcase_add_test(tc, test_outsz);
	tcase_add_test(tc, test_only_printable);
	tcase_add_test(tc, test_c_locale);
	tcase_add_test(tc, test_width);
	tcase_add_test(tc, test_clip);
	tcase_add_test(tc, test_tail);
	tcase_add_test(tc, test_clip_never_splits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sanitize_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
