# tests/prom-lib.sh - for the tests that run a real Prometheus (sourced
# after tests/lib.sh): skip without it, prom_stop (the server started as
# $PROM_PID is stopped and $T/prom removed at exit, whatever happens), the
# metrics.py helper as $MX, and a private XDG_RUNTIME_DIR for the marks.
for c in prometheus promtool; do
	command -v $c >/dev/null 2>&1 ||
		{ echo "SKIP: $c is not installed (Debian package prometheus)"; exit 77; }
done

MX="$PY $top_srcdir/tests/metrics.py"
PROM_PID=""
prom_stop() {
	if [ -n "$PROM_PID" ]; then
		kill -TERM "$PROM_PID" 2>/dev/null
		for i in $(seq 1 50); do
			kill -0 "$PROM_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$PROM_PID" 2>/dev/null
		wait "$PROM_PID" 2>/dev/null
		PROM_PID=""
	fi
	rm -rf "$T/prom"
}
trap 'prom_stop; cleanup' EXIT INT TERM

use_runtime_dir
