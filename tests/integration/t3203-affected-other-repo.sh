#!/usr/bin/env bash
# A recording knows its repository (issue 24, "A recording that is not this
# checkout's").  The cases that broke: paths in the database are absolute,
# so in a copied checkout (`cp -a`, rsync, a CI cache restored at another
# path) `ftrace affected` compared the ORIGINAL tree's files, and said
# "nothing affected" (exit 0, empty) after an edit in the copy; two
# repositories sharing one FTRACE_DIR overwrote each other's tests.  Now
# the database keeps the resolved top (and its device:inode), and
# `affected` and `run` with another tree's database exit 2 (run before
# running anything); a fresh clone at the same path is the same tree.  A database written before the identity existed is adopted
# where its runs were recorded, and refused elsewhere.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || ft_skip "no sqlite3 CLI"
unset FTRACE_DIR

mkrepo() {
	mkdir -p "$1" && (cd "$1" && git init -q . && echo data >f && touch -d '2020-01-01 00:00:00' f)
}
# other_tree WHAT PATTERN: affected and run exit 2, naming the other tree;
# run runs nothing
other_tree() {
	local rc=0
	ft affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ $rc -eq 2 ] || ft_fail "$1: affected exited $rc, expected 2; out: $(cat "$FT_SCRATCH/out")"
	grep -q "$2" "$FT_SCRATCH/err" || ft_fail "$1: no reason: $(cat "$FT_SCRATCH/err")"
	rc=0
	ft run -q --name t -- touch "$FT_SCRATCH/ran" 2>"$FT_SCRATCH/err" || rc=$?
	[ $rc -eq 2 ] || ft_fail "$1: run exited $rc, expected 2: $(cat "$FT_SCRATCH/err")"
	[ ! -e "$FT_SCRATCH/ran" ] || ft_fail "$1: run ran the command"
	grep -q "$2" "$FT_SCRATCH/err" || ft_fail "$1: run gave no reason: $(cat "$FT_SCRATCH/err")"
}

A=$FT_SCRATCH/a
mkrepo "$A"
cd "$A"
ft run -q --name t -- cat f >/dev/null || ft_fail "recording failed"
assert_eq "$(cd "$A" && pwd -P)" "$(sqlite3 .ftrace/ftrace.db "SELECT value FROM meta WHERE key = 'repo_top'")" \
	"recorded top"
assert_set "" "$(ft affected)" "no change"

# A symlinked path to the same checkout is the same tree.
ln -s "$A" "$FT_SCRATCH/link"
(cd "$FT_SCRATCH/link" && assert_status 0 ft affected)

# --db from outside any repository: the recorded tree, which is still there
(cd / && assert_status 0 ft affected --db "$A/.ftrace/ftrace.db")

# cp -a: the copy's edit must not be answered from the original's files.
cp -a "$A" "$FT_SCRATCH/b"
cd "$FT_SCRATCH/b"
echo changed >f
other_tree "a copied checkout" "belongs to the repository at $A "
# --db of the original, in the copy: still not this tree's
assert_status 2 ft affected --db "$A/.ftrace/ftrace.db"
# ... nor the copy of a database written before the identity existed
sqlite3 .ftrace/ftrace.db "DELETE FROM meta WHERE key IN ('repo_top', 'repo_ident')"
other_tree "a copied pre-identity database" "recorded a run in $A, outside this repository"

# The same path, a fresh clone (a CI job restoring its .ftrace cache): the
# directory's identity differs, but every recorded path leads to this
# checkout's own files, so it is answered, soundly, from their content.
cd "$FT_SCRATCH"
mv "$A" "$FT_SCRATCH/a.old"
mkrepo "$A"
mv "$FT_SCRATCH/a.old/.ftrace" "$A/"
cd "$A"
assert_set "" "$(ft affected)" "a fresh clone at the same path, same content"
echo changed >f
assert_set "t" "$(ft affected)" "a fresh clone at the same path, f changed"
(cd / && assert_set "t" "$(ft affected --db "$A/.ftrace/ftrace.db")" "--db of a fresh clone at the same path")
echo data >f
ft run -q --name t -- cat f >/dev/null || ft_fail "run in a fresh clone at the same path failed"
assert_eq "$(cd "$A" && stat -c %d:%i .)" "$(sqlite3 .ftrace/ftrace.db "SELECT value FROM meta WHERE key = 'repo_ident'")" \
	"the identity refreshed by the run"

# A pre-identity database (schema 1 as today's main writes it) where it was
# recorded: read as before, and the next run adopts it.
sqlite3 .ftrace/ftrace.db "DELETE FROM meta WHERE key IN ('repo_top', 'repo_ident')"
assert_status 0 ft affected
ft run -q --name t -- cat f >/dev/null || ft_fail "run on a pre-identity database failed"
[ "$(sqlite3 .ftrace/ftrace.db "SELECT count(*) FROM meta WHERE key IN ('repo_top', 'repo_ident')")" = 2 ] ||
	ft_fail "run did not adopt the database"
assert_set "" "$(ft affected)" "adopted"

# Two repositories sharing one FTRACE_DIR.
mkrepo "$FT_SCRATCH/c"
mkrepo "$FT_SCRATCH/d"
export FTRACE_DIR=$FT_SCRATCH/shared
(cd "$FT_SCRATCH/c" && ft run -q --name t -- cat f >/dev/null) || ft_fail "recording c failed"
(cd "$FT_SCRATCH/c/" && assert_status 0 ft affected)
mkdir -p "$FT_SCRATCH/c/sub"
(cd "$FT_SCRATCH/c/sub" && assert_status 0 ft affected)
cd "$FT_SCRATCH/d"
other_tree "another repository sharing FTRACE_DIR" "belongs to the repository at $FT_SCRATCH/c "
