/*
 * fuzz_procfs.c - libFuzzer target for the status, stat, meminfo,
 * mountinfo and smaps_rollup parsers.
 * Built and run by `make fuzz` (seeds: tests/fuzz/list-seeds.sh);
 * `make check` replays its seeds and tests/fuzz/regress (tests/fuzz.sh).
 *
 * Besides memory errors it aborts when a parser breaks its contract:
 * figures are KB_UNKNOWN or non-negative, names are NUL-terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"
#include "smaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct status_info st;
	struct stat_info si;
	struct meminfo mi;
	struct smaps_mapping m;
	unsigned int devs[8][2];
	size_t n, i;

#define FIG_BAD(v) ((v) < 0 && (v) != KB_UNKNOWN)
	if (status_parse(buf, size, &st) == 0) {
		if (memchr(st.name, '\0', sizeof st.name) == NULL)
			abort();
		if (FIG_BAD(st.vm_rss) || FIG_BAD(st.rss_anon) ||
		    FIG_BAD(st.rss_file) || FIG_BAD(st.rss_shmem) ||
		    FIG_BAD(st.vm_swap) || FIG_BAD(st.vm_lck) ||
		    FIG_BAD(st.vm_size) || FIG_BAD(st.vm_hwm) || st.ppid < -1)
			abort();
	}
	if (stat_parse(buf, size, &si) == 0) {
		if (memchr(si.comm, '\0', sizeof si.comm) == NULL ||
		    si.pid <= 0 || si.ppid < 0)
			abort();
	}
	meminfo_parse(buf, size, &mi);
	if (FIG_BAD(mi.mem_total) || FIG_BAD(mi.mem_available) ||
	    FIG_BAD(mi.cached))
		abort();
	n = mountinfo_tmpfs(buf, size, devs, 8);
	if (n > 8)
		abort();
	if (smaps_parse_rollup(buf, size, &m) == 0) {
		for (i = 0; i < SMAPS_NFIELDS; i++)
			if (FIG_BAD(m.f[i]))
				abort();
	}
	return 0;
}
