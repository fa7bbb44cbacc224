/*
 * fuzz_replay.c - libFuzzer target for the --replay reader: the input is
 * a recorded /proc of one process, its files separated by the four bytes
 * "\0\377RT" in this order: stat, status, smaps_rollup, smaps, cmdline,
 * meminfo, self/mountinfo (a file not given is not in the recording).
 * They are written to a private directory and read back the way
 * `ramtop --replay DIR -p PID` does (collect_replay, a sample with rollup
 * and regions, the JSON of the sample).  The pid is the number stat
 * starts with (4242 when there is none).
 * Built and run by `make fuzz` (seeds: tests/fuzz/list-seeds.sh);
 * `make check` replays its seeds and tests/fuzz/regress (tests/fuzz.sh).
 *
 * Besides memory errors it aborts when a figure it reports was not in
 * the recording (RSS known without a status file).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect.h"
#include "json.h"
#include "model.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[PATH_MAX];
static const char *const fuzz_files[] = {
	"stat", "status", "smaps_rollup", "smaps", "cmdline", "meminfo",
	"self/mountinfo",
};
#define FUZZ_NFILES (sizeof fuzz_files / sizeof fuzz_files[0])

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "C.utf8");
	snprintf(fuzz_dir, sizeof fuzz_dir, "%s/ramtop-fuzz-replay.XXXXXX",
		 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(fuzz_dir) == NULL)
		abort();
	return 0;
}

/* Write one file of the recording (or remove it: not recorded). */
static void
fuzz_put(const char *dir, const char *name, const uint8_t *p, size_t n,
	 int have)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
	if (!have)
		return;
	f = fopen(path, "wb");
	if (f == NULL)
		abort();
	if (n > 0 && fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

static long last_pid = -1;

/* Remove the files of the recording of pid (and its directory). */
static void
fuzz_clear(long pid)
{
	char path[PATH_MAX + 64];
	size_t i;

	if (pid <= 0)
		return;
	for (i = 0; i < FUZZ_NFILES; i++) {
		if (i < 5)
			snprintf(path, sizeof path, "%s/%ld/%s", fuzz_dir, pid,
				 fuzz_files[i]);
		else
			snprintf(path, sizeof path, "%s/%s", fuzz_dir,
				 fuzz_files[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/%ld", fuzz_dir, pid);
	rmdir(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t sep[4] = { 0, 0xff, 'R', 'T' };
	const uint8_t *part[FUZZ_NFILES], *end = data + size, *q;
	size_t len[FUZZ_NFILES], k = 0, i;
	char piddir[PATH_MAX + 32], name[64], num[16];
	struct collector *c;
	struct model m;
	long pid = 4242;
	json_t *j;

	memset(part, 0, sizeof part);
	for (q = data; k < FUZZ_NFILES;) {
		const uint8_t *s = q;

		while (s + 4 <= end && memcmp(s, sep, 4) != 0)
			s++;
		part[k] = q;
		len[k++] = s + 4 <= end ? (size_t)(s - q) : (size_t)(end - q);
		if (s + 4 > end)
			break;
		q = s + 4;
	}
	if (len[0] > 0) {
		snprintf(num, sizeof num, "%.*s",
			 (int)(len[0] < 12 ? len[0] : 12), (const char *)part[0]);
		pid = strtol(num, NULL, 10);
		if (pid <= 0 || pid > INT_MAX)
			pid = 4242;
	}
	/* A fresh tree: the last input's pid directory goes. */
	fuzz_clear(last_pid);
	last_pid = pid;
	snprintf(piddir, sizeof piddir, "%s/%ld", fuzz_dir, pid);
	if (mkdir(piddir, 0700) < 0 && errno != EEXIST)
		abort();
	snprintf(piddir, sizeof piddir, "%s/self", fuzz_dir);
	if (mkdir(piddir, 0700) < 0 && errno != EEXIST)
		abort();
	for (i = 0; i < FUZZ_NFILES; i++) {
		if (i < 5)
			snprintf(name, sizeof name, "%ld/%s", pid, fuzz_files[i]);
		else
			snprintf(name, sizeof name, "%s", fuzz_files[i]);
		fuzz_put(fuzz_dir, name, part[i], part[i] ? len[i] : 0,
			 i < k);
	}
	c = collect_new();
	if (c == NULL)
		return 0;
	if (collect_replay(c, fuzz_dir) == 0 && model_init(&m, c) == 0) {
		if (model_add_root(&m, (int)pid) == 0 &&
		    model_sample(&m, MODEL_ROLLUP | MODEL_SMAPS) >= 0) {
			/* No status file: RSS cannot be known. */
			if (k < 2 && m.nprocs > 0 && m.procs[0]->now.rss >= 0)
				abort();
			j = json_phase(&m, "sample", 0, NULL, JSON_REGIONS);
			json_decref(j);
		}
		model_free(&m);
	}
	collect_free(c);
	return 0;
}
