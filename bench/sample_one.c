/*
 * sample_one.c - bench helper for figure (1): the cost of ramtop's full
 * sample of one process (read + parse + classify + group, exactly what
 * collect_smaps() does) beside the kernel floor (open and read() the same
 * /proc/PID/smaps into a buffer, what `cat > /dev/null` costs minus the
 * exec).  The two alternate in one process, REPS times each, so load on
 * the machine falls on both alike.
 *
 * usage: sample_one PID REPS [keep]
 *   keep: build per-mapping rows too (REGION_KEEP_MAPS, as the TUI does)
 *
 * Prints key=value lines: one per repetition ("rep=I floor_cpu_ms=..
 * full_cpu_ms=.. floor_wall_ms=.. full_wall_ms=.."), then each figure as
 * median/min/max, the median and spread of the per-pair ratio full/floor,
 * and the mapping count.  CPU time is this thread's (user + system).
 *
 * It touches only /proc/PID/smaps of the target and its own memory.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collect.h"
#include "region.h"

static double
now_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median, min and max of v (sorted in place). */
static void
stats(const char *key, double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	printf("%s=%.4f %s_min=%.4f %s_max=%.4f\n", key,
	       n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, key, v[0],
	       key, v[n - 1]);
}

/* The kernel floor: read the whole file, discard it. */
static long
read_floor(const char *path, char *buf, size_t cap)
{
	ssize_t r;
	long total = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((r = read(fd, buf, cap)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			total = -errno;
			break;
		}
		total += r;
	}
	close(fd);
	return total;
}

/* The floor: read the smaps file and nothing else.  Its CPU and wall
 * milliseconds in *cpu and *wall; the bytes read, or -1. */
static long
time_floor(const char *path, char *buf, size_t cap, double *cpu,
	   double *wall)
{
	double c0 = now_ms(CLOCK_THREAD_CPUTIME_ID), w0 = now_ms(CLOCK_MONOTONIC);
	long bytes = read_floor(path, buf, cap);

	*wall = now_ms(CLOCK_MONOTONIC) - w0;
	*cpu = now_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
	return bytes;
}

/* What ramtop does: read, parse and group the smaps of pid.  Its CPU
 * and wall milliseconds, and the mappings it saw; 0 or -errno. */
static int
time_full(struct collector *c, int pid, int opts, double *cpu, double *wall,
	  size_t *nmaps)
{
	double c0 = now_ms(CLOCK_THREAD_CPUTIME_ID), w0 = now_ms(CLOCK_MONOTONIC);
	struct region_set set;
	int r = collect_smaps(c, pid, &set, opts);

	*wall = now_ms(CLOCK_MONOTONIC) - w0;
	*cpu = now_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
	if (r < 0)
		return r;
	*nmaps = set.n_mappings;
	region_set_free(&set);
	return 0;
}

int
main(int argc, char **argv)
{
	struct collector *c;
	struct region_set set;
	double *fc, *fw, *sc, *sw, *rc, *rw;
	char path[64], *buf;
	size_t cap = 1 << 20, nmaps = 0;
	int pid, reps, i, opts = 0;
	long bytes = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: sample_one PID REPS [keep]\n");
		return 2;
	}
	pid = atoi(argv[1]);
	reps = atoi(argv[2]);
	if (argc > 3 && strcmp(argv[3], "keep") == 0)
		opts = REGION_KEEP_MAPS;
	if (pid <= 0 || reps < 1) {
		fprintf(stderr, "sample_one: bad PID or REPS\n");
		return 2;
	}
	snprintf(path, sizeof path, "/proc/%d/smaps", pid);
	c = collect_new();
	buf = malloc(cap);
	fc = calloc((size_t)reps, sizeof *fc);
	fw = calloc((size_t)reps, sizeof *fw);
	sc = calloc((size_t)reps, sizeof *sc);
	sw = calloc((size_t)reps, sizeof *sw);
	rc = calloc((size_t)reps, sizeof *rc);
	rw = calloc((size_t)reps, sizeof *rw);
	if (c == NULL || buf == NULL || !fc || !fw || !sc || !sw || !rc ||
	    !rw) {
		fprintf(stderr, "sample_one: out of memory\n");
		return 1;
	}
	/* One untimed round of each: buffers grown, caches warm. */
	if (read_floor(path, buf, cap) < 0 ||
	    collect_smaps(c, pid, &set, opts) < 0) {
		fprintf(stderr, "sample_one: cannot read %s\n", path);
		return 1;
	}
	region_set_free(&set);
	for (i = 0; i < reps; i++) {
		/* Alternate which goes first so neither always follows. */
		int k;

		for (k = 0; k < 2; k++) {
			if ((k == 0) == (i % 2 == 0)) {
				bytes = time_floor(path, buf, cap, &fc[i],
						   &fw[i]);
				if (bytes < 0)
					return 1;
			} else if (time_full(c, pid, opts, &sc[i], &sw[i],
					     &nmaps) < 0) {
				return 1;
			}
		}
		rc[i] = fc[i] > 0 ? sc[i] / fc[i] : 0;
		rw[i] = fw[i] > 0 ? sw[i] / fw[i] : 0;
	}
	for (i = 0; i < reps; i++)
		printf("rep=%d floor_cpu_ms=%.4f full_cpu_ms=%.4f "
		       "floor_wall_ms=%.4f full_wall_ms=%.4f\n",
		       i, fc[i], sc[i], fw[i], sw[i]);
	printf("mappings=%zu\nbytes=%ld\nreps=%d\n", nmaps, bytes, reps);
	stats("floor_cpu_ms", fc, reps);
	stats("floor_wall_ms", fw, reps);
	stats("full_cpu_ms", sc, reps);
	stats("full_wall_ms", sw, reps);
	stats("ratio_cpu", rc, reps);
	stats("ratio_wall", rw, reps);
	collect_free(c);
	free(buf);
	free(fc);
	free(fw);
	free(sc);
	free(sw);
	free(rc);
	free(rw);
	return 0;
}
