/*
 * fuzz_cgroup.c - libFuzzer target for the cgroup parsers (src/cgroup.c:
 * /proc/PID/cgroup, mountinfo, single values, flat-keyed files, PSI) and
 * the tmpfs mount list (src/shmfs.c).
 * Built and run by `make fuzz` (seeds: tests/fuzz/list-seeds.sh);
 * `make check` replays its seeds and tests/fuzz/regress (tests/fuzz.sh).
 *
 * Besides memory errors it aborts when a parser breaks its contract:
 * strings are NUL-terminated, paths start with '/', values are unknown,
 * "no limit" or non-negative.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "shmfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_value(long long v)
{
	if (v < 0 && v != CG_UNKNOWN && v != CG_UNLIMITED)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	char v1[64], v2[64], mp[4][256];
	struct cg_mounts m;
	struct cg_psi p;
	size_t n, i;

	if (cgroup_parse_proc(buf, size, v1, sizeof v1, v2, sizeof v2) == 0) {
		if (memchr(v1, '\0', sizeof v1) == NULL ||
		    memchr(v2, '\0', sizeof v2) == NULL)
			abort();
		if ((v1[0] != '\0' && v1[0] != '/') ||
		    (v2[0] != '\0' && v2[0] != '/'))
			abort();
	}
	cgroup_parse_mounts(buf, size, &m);
	if (memchr(m.v1, '\0', sizeof m.v1) == NULL ||
	    memchr(m.v2_root, '\0', sizeof m.v2_root) == NULL)
		abort();
	fuzz_value(cgroup_parse_value(buf, size));
	fuzz_value(cgroup_parse_key(buf, size, "anon"));
	fuzz_value(cgroup_parse_key(buf, size, "oom_kill"));
	if (cgroup_parse_psi(buf, size, &p) == 0 &&
	    (p.some_total < 0 || p.some[0] < 0))
		abort();
	n = shmfs_parse_mounts(buf, size, mp, 4);
	if (n > 4)
		abort();
	for (i = 0; i < n; i++)
		if (memchr(mp[i], '\0', sizeof mp[i]) == NULL)
			abort();
	return 0;
}
