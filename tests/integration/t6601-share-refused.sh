#!/usr/bin/env bash
# What `ftrace export`, `import` and `merge` refuse (issue 28): usage (64,
# --help 0), nothing to export (2), and a bundle that is corrupt (a flipped
# byte), truncated, not a bundle, of a newer format, of another repository
# (its git root commit differs; --force takes it), or checksummed right but
# holding what no export writes (an unknown dependency kind, an unknown
# outcome): exit 2 naming the file, and the local database unchanged:
# byte for byte where the import never opened it, row for row where it
# rolled back.  A FIFO named like a bundle is refused at once; a bundle is
# written owner-only.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || ft_skip "no sqlite3 CLI"
TOOL=$FTRACE_BUILD_DIR/tests/tools/ftt_bundle

gitrepo() {
	mkdir -p "$1" && (cd "$1" && git init -q . && echo "$2" >a.txt && echo b >b.txt &&
		git add -A && git -c user.email=t@t -c user.name=t commit -qm "$2")
}
gitrepo "$FT_SCRATCH/src" one
git clone -q "$FT_SCRATCH/src" "$FT_SCRATCH/here"

# usage
for c in export import merge; do
	assert_status 0 ft "$c" --help
	grep -q "^usage: ftrace $c" <<<"$(ft "$c" --help)" || ft_fail "$c --help: no usage"
	assert_status 64 ft "$c"
	assert_status 64 ft "$c" --no-such-option x y
done
assert_status 64 ft merge "$FT_SCRATCH/out.ftb"

# nothing to export
cd "$FT_SCRATCH/src"
rc=0
ft export "$FT_SCRATCH/x.ftb" 2>"$FT_SCRATCH/err" || rc=$?
[ $rc -eq 2 ] || ft_fail "export with no recording exited $rc, expected 2"
[ ! -e "$FT_SCRATCH/x.ftb" ] || ft_fail "export with no recording wrote a file"

ft run --name t-a -- cat a.txt >/dev/null 2>&1 || ft_fail "ftrace run exited $?"
ft export "$FT_SCRATCH/good.ftb" 2>/dev/null || ft_fail "export exited $?"
assert_eq 600 "$(stat -c %a "$FT_SCRATCH/good.ftb")" "the bundle is owner-only, as the database"

# the importing side has a recording of its own, to be kept as it is
cd "$FT_SCRATCH/here"
ft run --name t-b -- cat b.txt >/dev/null 2>&1 || ft_fail "ftrace run here exited $?"
# (the -wal's content, an absent one as an empty one: nothing to replay;
# not the -shm, SQLite's index of the -wal, which every connection, a
# reader's too, writes afresh; ftrace leaves both between runs)
snap() { (cd .ftrace && { sha256sum <ftrace.db; cat ftrace.db-wal 2>/dev/null | sha256sum; } | sha256sum); }
rows() { sqlite3 -readonly .ftrace/ftrace.db .dump | sha256sum; }
before=$(snap)
rows_before=$(rows)

# refused_bytes NAME FILE PATTERN: exit 2, FILE and PATTERN in the message,
# the database files byte for byte as before
refused_bytes() {
	local rc=0
	ft import "$2" 2>"$FT_SCRATCH/err" || rc=$?
	[ $rc -eq 2 ] || ft_fail "$1: import exited $rc, expected 2: $(cat "$FT_SCRATCH/err")"
	grep -qF "$2" "$FT_SCRATCH/err" || ft_fail "$1: the message does not name the file: $(cat "$FT_SCRATCH/err")"
	grep -q "$3" "$FT_SCRATCH/err" || ft_fail "$1: the message does not say '$3': $(cat "$FT_SCRATCH/err")"
	assert_eq "$before" "$(snap)" "$1: the database files are unchanged"
}
size=$(stat -c %s "$FT_SCRATCH/good.ftb")
# a flipped byte in the middle of the payload
cp "$FT_SCRATCH/good.ftb" "$FT_SCRATCH/flip.ftb"
off=$((32 + (size - 32) / 2))
byte=$(od -An -tu1 -j "$off" -N1 "$FT_SCRATCH/flip.ftb" | tr -d ' ')
printf "$(printf '\\%03o' $(((byte + 1) % 256)))" |
	dd of="$FT_SCRATCH/flip.ftb" bs=1 seek="$off" conv=notrunc status=none
refused_bytes "a flipped byte" "$FT_SCRATCH/flip.ftb" "checksum mismatch"
head -c $((size - 7)) "$FT_SCRATCH/good.ftb" >"$FT_SCRATCH/short.ftb"
refused_bytes "truncated" "$FT_SCRATCH/short.ftb" "truncated"
head -c 20 "$FT_SCRATCH/good.ftb" >"$FT_SCRATCH/header.ftb"
refused_bytes "a header only" "$FT_SCRATCH/header.ftb" "not an ftrace bundle"
echo 'hello' >"$FT_SCRATCH/text.ftb"
refused_bytes "not a bundle" "$FT_SCRATCH/text.ftb" "not an ftrace bundle"
cp "$FT_SCRATCH/good.ftb" "$FT_SCRATCH/newer.ftb"
printf '\006' | dd of="$FT_SCRATCH/newer.ftb" bs=1 seek=8 conv=notrunc status=none
refused_bytes "a newer format" "$FT_SCRATCH/newer.ftb" "format version 6"
refused_bytes "no such file" "$FT_SCRATCH/none.ftb" "cannot read"
# a FIFO named like a bundle: refused at once, never waited on
mkfifo "$FT_SCRATCH/fifo.ftb"
rc=0
timeout 20 "$FTRACE_BIN" import "$FT_SCRATCH/fifo.ftb" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 2 "$rc" "a FIFO: exit 2, not a hang (124)"
grep -qF "$FT_SCRATCH/fifo.ftb" "$FT_SCRATCH/err" || ft_fail "a FIFO: the message does not name it"
assert_eq "$before" "$(snap)" "a FIFO: the database files are unchanged"

# another repository: its root commit differs
gitrepo "$FT_SCRATCH/other" two
(cd "$FT_SCRATCH/other" && ft run --name t-o -- cat a.txt >/dev/null 2>&1 &&
	ft export "$FT_SCRATCH/other.ftb" 2>/dev/null) || ft_fail "recording the other repository"
refused_bytes "another repository" "$FT_SCRATCH/other.ftb" "another repository"
assert_status 2 ft merge "$FT_SCRATCH/m.ftb" "$FT_SCRATCH/good.ftb" "$FT_SCRATCH/other.ftb"
[ ! -e "$FT_SCRATCH/m.ftb" ] || ft_fail "merge of two repositories wrote its output"
assert_status 2 ft merge "$FT_SCRATCH/m.ftb" "$FT_SCRATCH/good.ftb" "$FT_SCRATCH/flip.ftb"
[ ! -e "$FT_SCRATCH/m.ftb" ] || ft_fail "merge with a corrupt bundle wrote its output"

# checksummed right, content no export writes: rolled back, rows unchanged
"$TOOL" badkind "$FT_SCRATCH/good.ftb" "$FT_SCRATCH/badkind.ftb" || ft_fail "ftt_bundle badkind"
"$TOOL" badoutcome "$FT_SCRATCH/good.ftb" "$FT_SCRATCH/badout.ftb" || ft_fail "ftt_bundle badoutcome"
for f in badkind badout; do
	rc=0
	ft import "$FT_SCRATCH/$f.ftb" 2>"$FT_SCRATCH/err" || rc=$?
	[ $rc -eq 2 ] || ft_fail "$f: import exited $rc, expected 2: $(cat "$FT_SCRATCH/err")"
	grep -q "$f.ftb was not imported .*unchanged.*: the bundle has" "$FT_SCRATCH/err" ||
		ft_fail "$f: $(cat "$FT_SCRATCH/err")"
	assert_eq "$rows_before" "$(rows)" "$f: the database's rows are unchanged"
done

# the good one is taken, and --force takes the other repository's
ft import "$FT_SCRATCH/good.ftb" 2>/dev/null || ft_fail "import of the good bundle exited $?"
ft import --force "$FT_SCRATCH/other.ftb" 2>/dev/null || ft_fail "import --force exited $?"
sqlite3 .ftrace/ftrace.db "SELECT name FROM tests ORDER BY name" >"$FT_SCRATCH/names"
assert_eq "$(printf 't-a\nt-b\nt-o')" "$(cat "$FT_SCRATCH/names")" "tests after the imports"
