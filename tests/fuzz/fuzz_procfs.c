/*
 * fuzz_procfs.c - libFuzzer target for the status, stat, meminfo,
 * mountinfo and smaps_rollup parsers.
 * Built and run by `make fuzz` (seeds: tests/fuzz/list-seeds.sh);
 * `make check` replays its seeds and tests/fuzz/regress (tests/fuzz.sh).
 *
 * Besides memory errors it aborts when a parser breaks its contract:
 * figures are -1 (unknown) or non-negative, names are NUL-terminated.
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

	if (status_parse(buf, size, &st) == 0) {
		if (memchr(st.name, '\0', sizeof st.name) == NULL)
			abort();
		if (st.vm_rss < -1 || st.rss_anon < -1 || st.rss_file < -1 ||
		    st.rss_shmem < -1 || st.vm_swap < -1 || st.vm_lck < -1 ||
		    st.vm_size < -1 || st.vm_hwm < -1 || st.ppid < -1)
			abort();
	}
	if (stat_parse(buf, size, &si) == 0) {
		if (memchr(si.comm, '\0', sizeof si.comm) == NULL ||
		    si.pid <= 0 || si.ppid < 0)
			abort();
	}
	meminfo_parse(buf, size, &mi);
	if (mi.mem_total < -1 || mi.mem_available < -1 || mi.cached < -1)
		abort();
	n = mountinfo_tmpfs(buf, size, devs, 8);
	if (n > 8)
		abort();
	if (smaps_parse_rollup(buf, size, &m) == 0) {
		for (i = 0; i < SMAPS_NFIELDS; i++)
			if (m.f[i] < -1)
				abort();
	}
	return 0;
}
