#!/bin/sh
# Snapshot files: saving never damages an earlier file - into a full file
# system, a read-only one, a directory we may not write, or through a
# symbolic link - and says exactly why; `ramtop show` and `ramtop diff`
# give one clear line and a non-zero exit on files that are not good
# snapshots (truncated, {}, version 2, binary, ...), never a crash.
. "${top_srcdir:-.}/tests/lib.sh"

use_runtime_dir

# A good snapshot to start from (and to break).
"$RAMTOP" -b -n 2 -d 0.1 -o "$T/good.json" -p $$ >/dev/null 2>"$T/err" ||
	fail "first save: $(cat "$T/err")"
grep -q "saved $T/good.json" "$T/err" || fail "save message: $(cat "$T/err")"
[ "$(stat -c %a "$T/good.json")" = 600 ] || fail "new file mode $(stat -c %a "$T/good.json")"
"$RAMTOP" show "$T/good.json" >/dev/null || fail "show good"

# save_fails DIR WHY: saving into DIR fails with WHY in one stderr line
# and exit 1; DIR/snap.json (if any) is unchanged; no temporary is left.
save_fails() {
	before=$(ls -A "$1" | sort | tr '\n' ' ')
	[ -e "$1/snap.json" ] && cp "$1/snap.json" "$T/before.json"
	"$RAMTOP" -b -n 1 -o "$1/snap.json" -p $$ >/dev/null 2>"$T/err"
	rc=$?
	[ "$rc" -eq 1 ] || fail "$2: exit $rc (stderr: $(cat "$T/err"))"
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "$2: want one line: $(cat "$T/err")"
	grep -q "cannot save the snapshot to $1/snap.json: .*$2" "$T/err" ||
		fail "$2: message: $(cat "$T/err")"
	if [ -e "$T/before.json" ]; then
		cmp -s "$1/snap.json" "$T/before.json" || fail "$2: earlier file changed"
		grep -q "the earlier file is unchanged" "$T/err" || fail "$2: not said"
		rm -f "$T/before.json"
	fi
	[ "$(ls -A "$1" | sort | tr '\n' ' ')" = "$before" ] ||
		fail "$2: left behind: $(ls -A "$1")"
}

# A full file system: a 64 KiB tmpfs holding an earlier file.
mkdir "$T/full"
if mount -t tmpfs -o size=64k,mode=0755 tmpfs "$T/full" 2>/dev/null; then
	MOUNTED="$T/full"
	trap 'umount "$T/full" 2>/dev/null; umount "$T/ro" 2>/dev/null; cleanup' EXIT INT TERM
	cp "$T/good.json" "$T/full/snap.json" 2>/dev/null ||
		head -c 8192 "$T/good.json" >"$T/full/snap.json"
	dd if=/dev/zero of="$T/full/filler" bs=4k 2>/dev/null
	save_fails "$T/full" "no space left on the device"
	# A mark's save fails too: said at once, the session goes on.
	RAMTOP_MARK_CMD="$RAMTOP mark" "$RAMTOP" -b -d 0.2 -o "$T/full/snap.json" \
		-- "$WORKLOAD" "mark one" "exit 3" >/dev/null 2>"$T/err"
	rc=$?
	[ "$rc" -eq 3 ] || fail "launch with full disk: exit $rc, want 3"
	[ "$(grep -c 'no space left' "$T/err")" -eq 2 ] ||
		fail "mark + exit saves: $(cat "$T/err")"
	grep -q 'marked phase 1 "one"' "$T/err" || fail "the mark itself failed"
	cmp -s "$T/full/snap.json" "$T/before.json" 2>/dev/null ||
		[ "$(ls -A "$T/full" | sort | tr '\n' ' ')" = "filler snap.json " ] ||
		fail "full: files $(ls -A "$T/full")"

	# A read-only file system with an earlier file.
	mkdir "$T/ro"
	mount -t tmpfs -o size=1m tmpfs "$T/ro" || fail "second tmpfs"
	cp "$T/good.json" "$T/ro/snap.json"
	mount -o remount,ro "$T/ro" || fail "remount ro"
	save_fails "$T/ro" "read-only file system"
	umount "$T/ro"
	umount "$T/full"
else
	echo "note: cannot mount a tmpfs here; full and read-only file systems not tested"
	[ "$(id -u)" -eq 0 ] && { echo "skip: root but mount failed"; exit 77; }
fi

# A directory we may not write to (as nobody).
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	install -m 0755 "$RAMTOP" "$T/ramtop"
	chmod 0755 "$T"
	mkdir -m 0755 "$T/noperm"
	cp "$T/good.json" "$T/noperm/snap.json"
	chmod 0644 "$T/noperm/snap.json"
	XDG_RUNTIME_DIR= setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$T/ramtop" -b -n 1 -o "$T/noperm/snap.json" -p $$ >/dev/null 2>"$T/err"
	rc=$?
	[ "$rc" -eq 1 ] || fail "EACCES: exit $rc: $(cat "$T/err")"
	grep -q "cannot save the snapshot to $T/noperm/snap.json: no permission to create files in $T/noperm (Permission denied)" "$T/err" ||
		fail "EACCES message: $(cat "$T/err")"
	cmp -s "$T/noperm/snap.json" "$T/good.json" || fail "EACCES: file changed"
fi

# A symbolic link at the destination is not followed (nor replaced).
echo precious >"$T/victim"
ln -s "$T/victim" "$T/link.json"
"$RAMTOP" -b -n 1 -o "$T/link.json" -p $$ >/dev/null 2>"$T/err"
[ $? -eq 1 ] || fail "symlink: exit status"
grep -q "it is a symbolic link, and ramtop never writes through one" "$T/err" ||
	fail "symlink message: $(cat "$T/err")"
[ "$(cat "$T/victim")" = precious ] || fail "wrote through the symlink"
[ -L "$T/link.json" ] || fail "the symlink was replaced"
ln -s "$T/nowhere" "$T/dangling.json"
"$RAMTOP" -b -n 1 -o "$T/dangling.json" -p $$ >/dev/null 2>&1
[ $? -eq 1 ] && [ ! -e "$T/nowhere" ] || fail "dangling symlink followed"

# With -o the file is saved however ramtop ends: SIGINT, SIGTERM, SIGHUP.
for sig in INT TERM HUP; do
	"$RAMTOP" -b -d 0.2 -o "$T/sig-$sig.json" -p $$ >/dev/null 2>"$T/err" &
	pid=$!
	for i in $(seq 1 100); do
		[ -S "$XDG_RUNTIME_DIR/ramtop/$pid.sock" ] && break
		sleep 0.05
	done
	sleep 0.3
	kill -"$sig" "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" -eq $((128 + $(kill -l "$sig"))) ] || fail "SIG$sig: exit $rc"
	"$RAMTOP" show "$T/sig-$sig.json" >/dev/null 2>&1 ||
		fail "SIG$sig: no snapshot saved: $(cat "$T/err")"
done

# Replacing a file keeps its mode.
cp "$T/good.json" "$T/keep.json"
chmod 0640 "$T/keep.json"
"$RAMTOP" -b -n 1 -o "$T/keep.json" -p $$ >/dev/null 2>&1 || fail "replace"
[ "$(stat -c %a "$T/keep.json")" = 640 ] || fail "mode not kept"
! cmp -s "$T/keep.json" "$T/good.json" || fail "not replaced"

# Bad input: one clear line, exit 1, no crash; for show and diff.
head -c 700 "$T/good.json" >"$T/truncated.json"
echo '{}' >"$T/empty-object.json"
sed 's/"version": 1,/"version": 2,/' "$T/good.json" >"$T/v2.json"
grep -q '"version": 2,' "$T/v2.json" || fail "could not make a version 2 file"
head -c 4096 /dev/urandom >"$T/binary.bin"
printf '\177ELF\002\001\001\000\000' >>"$T/binary.bin"
: >"$T/zero.json"
$PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
del d["phases"][0]["totals"]
json.dump(d, open(sys.argv[2], "w"))
' "$T/good.json" "$T/missing.json"
echo '{"format": "something-else", "version": 1}' >"$T/other.json"

bad() {	# FILE WANT
	for cmd in show "show --json" diff "diff --json"; do
		# shellcheck disable=SC2086
		"$RAMTOP" $cmd "$1" >"$T/o" 2>"$T/e"
		rc=$?
		[ "$rc" -eq 1 ] || fail "$cmd $1: exit $rc, want 1 ($(cat "$T/e"))"
		[ ! -s "$T/o" ] || fail "$cmd $1: printed output"
		[ "$(wc -l <"$T/e")" -eq 1 ] || fail "$cmd $1: want one line: $(cat "$T/e")"
		grep -q "$2" "$T/e" || fail "$cmd $1: '$(cat "$T/e")' lacks '$2'"
		LC_ALL=C grep -q '[^ -~]' "$T/e" && fail "$cmd $1: raw bytes in the message"
	done
	return 0
}
bad "$T/truncated.json" "truncated.json is not valid JSON (line [0-9]*, column [0-9]*: "
bad "$T/empty-object.json" "is not a ramtop snapshot: it has no \"format\" field"
bad "$T/v2.json" "is a version 2 ramtop snapshot, newer than this ramtop (.*) reads (version 1); use a newer ramtop"
bad "$T/binary.bin" "binary.bin is not valid JSON (line 1, column "
bad "$T/zero.json" "zero.json is empty, not a ramtop snapshot"
bad "$T/missing.json" "not a valid ramtop snapshot: phases\[0\]: missing field \"totals\""
bad "$T/other.json" "its format is \"something-else\""
bad "$T/nonexistent.json" "cannot open .*nonexistent.json: No such file"
bad "$T" "is a directory"

# Phases that do not exist; usage errors.
"$RAMTOP" diff "$T/good.json" 0 7 >/dev/null 2>"$T/e"
[ $? -eq 1 ] && grep -q "there is no phase 7" "$T/e" || fail "missing phase: $(cat "$T/e")"
"$RAMTOP" diff "$T/good.json" nosuchlabel >/dev/null 2>"$T/e"
[ $? -eq 1 ] && grep -q 'no phase labelled "nosuchlabel"' "$T/e" || fail "missing label: $(cat "$T/e")"
"$RAMTOP" show >/dev/null 2>&1; [ $? -eq 2 ] || fail "show without a file"
"$RAMTOP" diff a b c d >/dev/null 2>&1; [ $? -eq 2 ] || fail "diff with 4 args"
"$RAMTOP" show --bogus x >/dev/null 2>&1; [ $? -eq 2 ] || fail "show --bogus"
"$RAMTOP" diff "$T/good.json" 0 baseline >"$T/o" || fail "diff 0 baseline"
grep -q '^From phase 0 "baseline"' "$T/o" || fail "diff text: $(cat "$T/o")"
echo "ok: snapshot"
