# tests/lib.sh - shared helpers for ramtop's shell tests (sourced).
# Tests run the real binary against real processes made by tests/workload.

set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
RAMTOP=$top_builddir/ramtop
WORKLOAD=$top_builddir/tests/workload
PY=${PYTHON:-python3}

T=$(mktemp -d "${TMPDIR:-/tmp}/ramtop-test.XXXXXX")
# The screen's settings file is the test's own, never the user's.
XDG_CONFIG_HOME=$T/config
export XDG_CONFIG_HOME
unset RAMTOP_NO_CONFIG
WL_PIDS=""

cleanup() {
	for p in $WL_PIDS; do
		kill -CONT "$p" 2>/dev/null
		kill -TERM "$p" 2>/dev/null
	done
	sleep 0.1
	for p in $WL_PIDS; do
		kill -KILL "$p" 2>/dev/null
	done
	wl_shm_sweep
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$T"
}

# wl_shm_sweep: a workload killed with SIGKILL cannot unlink its
# /dev/shm/ramtop-wl-PID-N segments; remove those whose PID is gone
# (568 MB of them had piled up on a machine after a day of test runs).
wl_shm_sweep() {
	local f p
	for f in /dev/shm/ramtop-wl-*; do
		[ -e "$f" ] || continue
		p=${f#/dev/shm/ramtop-wl-}
		p=${p%%-*}
		kill -0 "$p" 2>/dev/null || rm -f "$f"
	done
}
# A signal ends the test (the EXIT trap then cleans up); carrying on
# without $T would only fail later and less clearly.
trap cleanup EXIT
trap 'exit 143' INT TERM

# need_strace: skip the test (77) unless strace is here and may trace.
need_strace() {
	command -v strace >/dev/null 2>&1 ||
		{ echo "SKIP: strace is not installed (./bootstrap installs it)"; exit 77; }
	strace -f -o /dev/null true 2>/dev/null ||
		{ echo "SKIP: strace cannot trace here (ptrace not allowed)"; exit 77; }
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# use_runtime_dir [mark]: a runtime directory of the test's own, so its
# mark sockets (ramtop's, a `ramtop mark` client's) stay out of the
# user's.  With "mark": RAMTOP_MARK_CMD too, for the workload's `mark`.
use_runtime_dir() {
	XDG_RUNTIME_DIR=$T/run
	export XDG_RUNTIME_DIR
	mkdir -m 0700 "$XDG_RUNTIME_DIR" || fail "cannot make $XDG_RUNTIME_DIR"
	if [ "${1:-}" = mark ]; then
		RAMTOP_MARK_CMD="$RAMTOP mark"
		export RAMTOP_MARK_CMD
	fi
}

# wl_start NAME: start the workload reading commands from fifo $T/NAME.in,
# writing to $T/NAME.out; sets WL (its pid).
wl_start() {
	mkfifo "$T/$1.in"
	# The output exists before wl_cmd counts its lines: the workload's
	# own redirection waits for the fifo to open.
	: >"$T/$1.out"
	"$WORKLOAD" <"$T/$1.in" >"$T/$1.out" 2>"$T/$1.err" &
	WL=$!
	WL_PIDS="$WL_PIDS $WL"
	exec 9>"$T/$1.in"	# keep the fifo open for writing
}

# wl_cmd NAME 'cmd args': send a command and wait for its ok/err line.
wl_cmd() {
	local n before i
	n=$(wc -l <"$T/$1.out")
	echo "$2" >&9
	for i in $(seq 1 600); do
		if [ "$(wc -l <"$T/$1.out")" -gt "$n" ]; then
			tail -n +"$((n + 1))" "$T/$1.out" | head -1
			return 0
		fi
		sleep 0.05
	done
	fail "workload did not answer '$2'"
}

# wl_stopped PID: wait until the process is in state T (stopped).
wl_stopped() {
	local i
	for i in $(seq 1 200); do
		grep -q '^State:[[:space:]]*T' "/proc/$1/status" 2>/dev/null && return 0
		sleep 0.05
	done
	fail "process $1 did not stop"
}

# kv LINE KEY: the value of key=value in a workload line.
kv() {
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}

# tm_setup: a private tmux server for this test ($TM), killed at exit
# with everything in it.  Exits 77 (skip) when tmux is missing, unless
# given "optional": then it returns 1 and the test goes on without.
tm_setup() {
	if ! command -v tmux >/dev/null 2>&1; then
		echo "SKIP: tmux is not installed"
		[ "${1:-}" = optional ] && return 1
		exit 77
	fi
	# Its socket in $T: -L would leave one in /tmp/tmux-UID every run.
	TM="tmux -S $T/tmux.sock -f /dev/null"
	trap tm_cleanup EXIT
	trap 'exit 143' INT TERM
}
# tm_kill: end the tmux server and whatever ran in its panes.  A pane's
# process gets SIGHUP; one that has not gone 3 s later (an ASan build
# stuck in its exit-time leak check) is killed, so none outlives the
# test.
tm_kill() {
	local pids p="" i
	pids=$($TM list-panes -a -F '#{pane_pid}' 2>/dev/null)
	for p in $pids; do
		pids="$pids $(pgrep -P "$p" | tr '\n' ' ')"
	done
	$TM kill-server 2>/dev/null
	for i in $(seq 1 30); do
		for p in $pids; do
			kill -0 "$p" 2>/dev/null && break
			p=""
		done
		[ -z "$p" ] && return 0
		sleep 0.1
	done
	for p in $pids; do
		kill -KILL "$p" 2>/dev/null
	done
}
tm_cleanup() {
	tm_kill
	cleanup
}

# tm_poll SESSION CHECK [ARGS...]: capture SESSION's screen into
# $T/screen until `$T/check.py CHECK $T/screen ARGS...` passes (30 s at
# most: a loaded machine is slow, a passing check returns at once);
# else show the screen and why, and fail.
tm_poll() {
	local i s=$1 c=$2
	shift 2
	for i in $(seq 1 300); do
		$TM capture-pane -p -t "$s" >"$T/screen"
		$PY "$T/check.py" "$c" "$T/screen" "$@" >"$T/why" 2>&1 && return 0
		sleep 0.1
	done
	echo "--- screen ---" >&2
	cat "$T/screen" >&2
	echo "--- $c $* ---" >&2
	cat "$T/why" >&2
	fail "$s: $c: $(grep Error "$T/why" | tail -1)"
}
