#!/bin/sh
# docs/screen.sh - remake docs/screen.txt, the README's picture of the
# main screen: the real binary in tmux (120x40) watching tests/workload
# while it maps a 1 GiB "model" file (12% read), a 512 MiB "KV cache",
# 128 MiB of /dev/shm and locked memory, and its worker grows, after a
# baseline taken when they held only their heap and anonymous memory.
#
#   sh docs/screen.sh [BUILDDIR]     (default: the source tree)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
dir=${TMPDIR:-/var/tmp}/ramtop-demo
tm="tmux -L ramtop-screen-$$ -f /dev/null"

mkdir -p "$dir"
rm -f "$dir/in" "$dir/out"
mkfifo "$dir/in"
(cd "$build" && exec ./tests/workload) <"$dir/in" >"$dir/out" 2>&1 &
wl=$!
exec 9>"$dir/in"
trap '$tm kill-server 2>/dev/null || :; kill -TERM $wl 2>/dev/null || :; rm -rf "$dir"' EXIT INT TERM

cmd() {	# one workload command; wait for its answer
	n=$(wc -l <"$dir/out")
	echo "$1" >&9
	while [ "$(wc -l <"$dir/out")" -le "$n" ]; do sleep 0.05; done
}

cmd "heap 24M"
cmd "anon 96M"
cmd "fork sleep 3,heap 8M,anon 64M"
$tm new-session -d -s rt -x 120 -y 40 \
	"cd '$dir' && env -u NO_COLOR LC_ALL=C.UTF-8 '$build/ramtop' --no-config -p $wl"
sleep 2
cmd "file $dir/model.safetensors 1G 12"
cmd "anon 512M"
cmd "shm_open 128M"
cmd "mlock 16M"
sleep 3
$tm capture-pane -p -t rt >"$top/docs/screen.txt"
$tm send-keys -t rt q
cat "$top/docs/screen.txt"
