/*
 * scan_floor.c - bench helper for figure (8): the kernel's floor for a
 * sample over every process, what any reader of these files pays.  One
 * pass lists /proc and, for each process, opens, reads (one read() of a
 * 64 KiB buffer) and closes the files named; no parsing, nothing kept.
 *
 * usage: scan_floor SLEEP FILES [FILES ...]
 *   Each FILES is one pass: comma-separated names under /proc/PID
 *   ("stat,status,cmdline,cgroup").  SLEEP seconds pass before each pass
 *   (the caches cool as they do between ramtop's samples).
 *
 * Prints "pass=I files=F procs=N cpu_ms=X" per pass and "total_cpu_ms=X".
 * CPU time is this process's (user + system).
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char buf[65536];

/* One pass: every process's files of the comma-separated list. */
static long
scan_pass(DIR *d, const char *files)
{
	char path[300], list[256], *save, *f;
	struct dirent *de;
	long n = 0;
	int fd;

	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		n++;
		snprintf(list, sizeof list, "%s", files);
		for (f = strtok_r(list, ",", &save); f != NULL;
		     f = strtok_r(NULL, ",", &save)) {
			snprintf(path, sizeof path, "%s/%s", de->d_name, f);
			fd = openat(dirfd(d), path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (read(fd, buf, sizeof buf) < 0)
				n += 0; /* gone: counted, as a reader would */
			close(fd);
		}
	}
	return n;
}

int
main(int argc, char **argv)
{
	double t0, t, total = 0;
	long n;
	DIR *d;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: scan_floor SLEEP FILES [FILES ...]\n");
		return 2;
	}
	d = opendir("/proc");
	if (d == NULL) {
		perror("scan_floor: /proc");
		return 1;
	}
	for (i = 2; i < argc; i++) {
		usleep((useconds_t)(atof(argv[1]) * 1e6));
		t0 = cpu_ms();
		n = scan_pass(d, argv[i]);
		t = cpu_ms() - t0;
		total += t;
		printf("pass=%d files=%s procs=%ld cpu_ms=%.3f\n", i - 1,
		       argv[i], n, t);
	}
	printf("total_cpu_ms=%.3f\n", total);
	closedir(d);
	return 0;
}
