/*
 * mmap_loop.c - bench helper for figure (6), the observer effect: a
 * process that holds N separate one-page mappings (so reading its smaps
 * costs what it costs on a big process) and has a thread that maps and
 * unmaps 64 KiB in a loop.  Each map+unmap pair takes the process's mmap
 * lock for writing twice, so any reader holding it (smaps, smaps_rollup,
 * pmap) shows up as lower ops/s and a longer tail.
 *
 * usage: mmap_loop N
 * Commands on stdin, one a line; each answers one line on stdout:
 *   run SEC   run the loop SEC seconds, then
 *             "ok run ops=N ops_per_s=X p50_us=X p99_us=X p999_us=X
 *             max_us=X over2ms=N" (over2ms: pairs that took 2 ms or
 *             more, a stall the observer row counts)
 *   quit      exit
 * It prints "ok ready pid=PID maps=N" once the mappings are made.
 *
 * Latencies go into a log-linear histogram (1/32 of a power of two per
 * bucket, so a percentile is within 3%), not a list: the loop allocates
 * nothing while it runs.  It touches only its own memory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define LOOP_SIZE (64 * 1024)
#define SUB_BITS 5	/* 32 buckets per power of two */
#define NBUCKETS (64 << SUB_BITS)

static uint64_t hist[NBUCKETS];
static volatile int running;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static unsigned
bucket_of(uint64_t v)
{
	unsigned e;

	if (v < (1u << SUB_BITS))
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);	/* v >= 2^e */
	return ((e - SUB_BITS + 1) << SUB_BITS) +
	       (unsigned)((v >> (e - SUB_BITS)) & ((1u << SUB_BITS) - 1));
}

/* The lower bound of bucket b, in ns. */
static double
bucket_low(unsigned b)
{
	unsigned e, sub;

	if (b < (1u << SUB_BITS))
		return b;
	e = (b >> SUB_BITS) + SUB_BITS - 1;
	sub = b & ((1u << SUB_BITS) - 1);
	return (double)(((uint64_t)1 << e) +
			((uint64_t)sub << (e - SUB_BITS)));
}

static double
percentile(uint64_t total, double q)
{
	uint64_t want = (uint64_t)((double)total * q), seen = 0;
	unsigned b;

	for (b = 0; b < NBUCKETS; b++) {
		seen += hist[b];
		if (seen > want)
			return bucket_low(b);
	}
	return 0;
}

static void *
loop(void *arg)
{
	uint64_t t0, t1;
	void *p;

	(void)arg;
	while (running) {
		t0 = now_ns();
		p = mmap(NULL, LOOP_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("mmap_loop: mmap");
			exit(1);
		}
		munmap(p, LOOP_SIZE);
		t1 = now_ns();
		hist[bucket_of(t1 - t0)]++;
	}
	return NULL;
}

/* N one-page mappings that cannot merge: every other page read-only. */
static int
make_maps(unsigned long n)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long i;
	char *p;

	p = mmap(NULL, n * (size_t)page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	memset(p, 0x5a, n * (size_t)page);
	for (i = 1; i < n; i += 2)
		if (mprotect(p + i * (size_t)page, (size_t)page, PROT_READ) != 0)
			return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	char line[256];
	unsigned long n;
	pthread_t th;
	double sec, el;
	uint64_t t0, total, max, over;
	unsigned b;

	if (argc != 2) {
		fprintf(stderr, "usage: mmap_loop N\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 10);
	if (n > 0 && make_maps(n) != 0) {
		fprintf(stderr,
			"mmap_loop: cannot make %lu mappings: %s (raise "
			"vm.max_map_count)\n",
			n, strerror(errno));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ok ready pid=%d maps=%lu\n", (int)getpid(), n);
	while (fgets(line, sizeof line, stdin) != NULL) {
		if (strncmp(line, "quit", 4) == 0)
			break;
		if (sscanf(line, "run %lf", &sec) != 1 || sec <= 0) {
			printf("err %s", line);
			continue;
		}
		memset(hist, 0, sizeof hist);
		running = 1;
		t0 = now_ns();
		if (pthread_create(&th, NULL, loop, NULL) != 0) {
			printf("err run: cannot start the thread\n");
			continue;
		}
		usleep((useconds_t)(sec * 1e6));
		running = 0;
		pthread_join(th, NULL);
		el = (double)(now_ns() - t0) / 1e9;
		total = max = over = 0;
		for (b = 0; b < NBUCKETS; b++) {
			total += hist[b];
			if (hist[b] != 0)
				max = b;
			if (bucket_low(b) >= 2e6)
				over += hist[b];
		}
		printf("ok run ops=%llu ops_per_s=%.0f p50_us=%.2f "
		       "p99_us=%.2f p999_us=%.2f max_us=%.1f over2ms=%llu\n",
		       (unsigned long long)total, (double)total / el,
		       percentile(total, 0.50) / 1e3,
		       percentile(total, 0.99) / 1e3,
		       percentile(total, 0.999) / 1e3,
		       total ? bucket_low((unsigned)max) / 1e3 : 0.0,
		       (unsigned long long)over);
	}
	return 0;
}
