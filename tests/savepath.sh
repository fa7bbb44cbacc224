#!/bin/sh
# tests/savepath.sh - the -o save path: checked at start with one line
# naming the real cause (creating nothing), and a replaced file's
# permissions copied only from a file of our own (same owner and group,
# one link, no ACL); otherwise 0600.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

# refuse PATH WORDS: ramtop -o PATH ends at once (a 100-sample run would
# take 10 s), exit 1, one line on stderr holding WORDS, nothing created.
refuse() {
	timeout 5 "$RAMTOP" -b -n 100 -d 0.1 -o "$1" -p $$ >/dev/null 2>"$T/err"
	rc=$?
	[ "$rc" -eq 1 ] || fail "-o $1: exit $rc, want 1 at start: $(cat "$T/err")"
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "-o $1: want one line: $(cat "$T/err")"
	grep -q -- "$2" "$T/err" || fail "-o $1: want '$2' in: $(cat "$T/err")"
}
refuse "$T/no/such/dir/x.json" "the directory .*/no/such/dir does not exist"
[ ! -e "$T/no" ] || fail "the check created something"
mkdir "$T/adir"
refuse "$T/adir" "it exists and is a directory"
refuse /dev/full "it exists and is a character device"
echo "ok: -o problems refused at start"

# A file of ours keeps its mode; a hard-linked one does not.
"$RAMTOP" -b -n 1 -o "$T/own.json" -p $$ >/dev/null 2>&1 || fail "save own"
[ "$(stat -c %a "$T/own.json")" = 600 ] || fail "new file not 0600"
chmod 0640 "$T/own.json"
"$RAMTOP" -b -n 1 -o "$T/own.json" -p $$ >/dev/null 2>&1 || fail "resave own"
[ "$(stat -c %a "$T/own.json")" = 640 ] || fail "own file's mode not kept: $(stat -c %a "$T/own.json")"
chmod 0644 "$T/own.json"
ln "$T/own.json" "$T/other-link.json"
"$RAMTOP" -b -n 1 -o "$T/own.json" -p $$ >/dev/null 2>&1 || fail "resave linked"
[ "$(stat -c %a "$T/own.json")" = 600 ] || fail "hard-linked file's mode copied: $(stat -c %a "$T/own.json")"
# An access ACL (written as the kernel's xattr: what setfacl -m u:nobody:rw
# does), so the group bits are the ACL's mask: 0600.
: >"$T/acl.json"
chmod 0660 "$T/acl.json"
if $PY - "$T/acl.json" <<'PYEOF'; then
import os, struct, sys
U = 0xffffffff
ents = [(1, 6, U), (2, 6, 65534), (4, 6, U), (0x10, 6, U), (0x20, 0, U)]
blob = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *e) for e in ents)
os.setxattr(sys.argv[1], "system.posix_acl_access", blob)
PYEOF
	"$RAMTOP" -b -n 1 -o "$T/acl.json" -p $$ >/dev/null 2>&1 || fail "save over ACL"
	[ "$(stat -c %a "$T/acl.json")" = 600 ] || fail "ACL file's mode copied: $(stat -c %a "$T/acl.json")"
	echo "ok: a file with an ACL gives 0600"
else
	echo "note: this file system has no ACLs: the ACL case is not run"
fi
echo "ok: own file keeps its mode, hard-linked gets 0600"

# Another user's files: needs root and setpriv.
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
	echo "SKIP (rest): needs root and setpriv to act as another user"
	exit 0
fi
install -m 0755 "$RAMTOP" "$T/ramtop"
chmod 0755 "$T"
mkdir -m 1777 "$T/sticky"
setpriv --reuid=nobody --regid=nogroup --clear-groups \
	sh -c "umask 0; : >'$T/sticky/x.json'; chmod 0666 '$T/sticky/x.json'"
[ "$(stat -c %U:%a "$T/sticky/x.json")" = nobody:666 ] || fail "setup"
"$T/ramtop" -b -n 1 -o "$T/sticky/x.json" -p $$ >/dev/null 2>"$T/err" ||
	fail "root save over nobody's file: $(cat "$T/err")"
got=$(stat -c %U:%a "$T/sticky/x.json")
[ "$got" = root:600 ] || fail "root's snapshot over another user's 0666 file is $got, want root:600"
echo "ok: another user's 0666 file is not a model: root:600"

# nobody asked to replace root's file in a sticky directory: refused at
# start, and the message says why (not "no permission to create").
"$T/ramtop" -b -n 1 -o "$T/sticky/r.json" -p $$ >/dev/null 2>&1 || fail "root save r"
setpriv --reuid=nobody --regid=nogroup --clear-groups \
	timeout 5 "$T/ramtop" -b -n 100 -d 0.1 -o "$T/sticky/r.json" -p $$ >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] || fail "nobody over root's file: exit $rc: $(cat "$T/err")"
grep -q "it belongs to another user (uid 0) and its directory is sticky" "$T/err" ||
	fail "wrong cause: $(cat "$T/err")"
echo "ok: another user's file in a sticky directory refused at start"
