#!/usr/bin/env bash
# The watch daemon's answer equals a cold `ftrace affected` after every
# kind of change a developer makes between two runs: edits, creates,
# deletes, renames (of a file and of a directory above it), an editor's
# atomic replace (write a temp file, rename it over), a file appearing
# where a recorded lookup found nothing (its directory too), a change
# outside the repository, a symlink retargeted, a file written through a
# hard link in a directory nobody watches, a chmod, and a new
# recording.  After each step the daemon must have been used, and the
# selection must be exactly the cold walk's: the daemon may only save
# stats, never change an answer.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-watch.sh"

repo=$FT_SCRATCH/repo
ext=$FT_SCRATCH/ext
mkdir -p "$repo/src/deep" "$repo/real" "$ext"
cd "$repo"
git init -q .
echo a >src/a.txt
echo b >src/b.txt
echo d >src/deep/d.txt
echo r >real/r.txt
ln -s real link
echo x >"$ext/x.txt"
# h.txt has a second name in a directory no watch covers
echo h >src/h.txt
mkdir -p "$FT_SCRATCH/elsewhere/deeper"
ln src/h.txt "$FT_SCRATCH/elsewhere/deeper/h-link"
# ta: a.txt, an optional config in a directory that does not exist yet,
#     the listing of src
# tb: b.txt and a file outside the repository
# tc: through a symlinked directory, and a file two levels down
cat >ta.sh <<'SH'
#!/bin/sh
cat src/a.txt
[ -e conf/opt.conf ] && cat conf/opt.conf
ls src >/dev/null
true
SH
cat >tb.sh <<SH
#!/bin/sh
cat src/b.txt "$ext/x.txt"
SH
cat >tc.sh <<'SH'
#!/bin/sh
cat link/r.txt src/deep/d.txt src/h.txt
SH
chmod +x ta.sh tb.sh tc.sh
find . "$ext" -exec touch -h -d '2020-01-01 00:00:00' {} +
record_all() {
	ft_record 0 --name ta -- ./ta.sh
	ft_record 0 --name tb -- ./tb.sh
	ft_record 0 --name tc -- ./tc.sh
}
record_all
ft_affected_is "" "right after recording"

ft_watch_start
ft_watch_same "nothing changed"
assert_eq "" "$(ft affected)" "nothing changed: nothing selected"

echo more >>src/a.txt
ft_watch_same "a.txt edited"
assert_set "ta" "$(ft affected)" "a.txt edited"

mkdir conf
ft_watch_same "conf/ created (empty)"
echo opt >conf/opt.conf
ft_watch_same "conf/opt.conf created where the lookup found nothing"
assert_set "ta" "$(ft affected)" "opt.conf created"

rm src/b.txt
ft_watch_same "b.txt deleted"
assert_set "ta tb" "$(ft affected)" "b.txt deleted"
echo b >src/b.txt
ft_watch_same "b.txt back, same content"

# an editor's save: write a temporary file, rename it over the original
printf 'b2\n' >src/.b.txt.swp
mv src/.b.txt.swp src/b.txt
ft_watch_same "b.txt atomically replaced"

echo y >>"$ext/x.txt"
ft_watch_same "a file outside the repository edited"

mv src/deep src/deep.old
ft_watch_same "a directory above d.txt renamed away"
mv src/deep.old src/deep
ft_watch_same "and back"

mkdir real2
echo other >real2/r.txt
ln -sfn real2 link
ft_watch_same "the symlinked directory retargeted"
ln -sfn real link
ft_watch_same "and back"

echo through-the-other-name >>"$FT_SCRATCH/elsewhere/deeper/h-link"
ft_watch_same "a hard-linked file written through its other name"
assert_set "ta tb tc" "$(ft affected)" "h.txt written through its other name"

chmod 000 real/r.txt
ft_watch_same "r.txt unreadable (chmod 000)"
chmod 644 real/r.txt

# the whole repository renamed and a copy put in its place (its state
# directory moved over, daemon and all): only the watch on the parent of
# the repository sees it
cd "$FT_SCRATCH"
mv repo repo.moved
cp -a repo.moved repo
rm -rf repo/.ftrace
mv repo.moved/.ftrace repo/.ftrace
cd repo
echo changed >src/deep/d.txt
ft_watch_same "the repository replaced by a copy, then edited"
assert_set "ta tb tc" "$(ft affected)" "in the copy"
cd "$FT_SCRATCH"
mv repo/.ftrace repo.moved/.ftrace
rm -rf repo
mv repo.moved repo
cd repo

# a new recording: the daemon builds a new baseline for it
based=$(ft_watch_field baseline)
record_all
ft_watch_same "a new recording"
assert_eq "" "$(ft affected)" "after the new recording"
[ "$(ft_watch_field baseline)" != "$based" ] || ft_fail "no new baseline after the new recording"
echo again >>src/a.txt
ft_watch_same "an edit after the new recording"

# `ftrace test` asks the daemon too (and not with --no-watch)
q0=$(ft_watch_field queries)
ft test -q --name ta -- ./ta.sh >/dev/null 2>"$FT_SCRATCH/test.err" || ft_fail "ftrace test: $(cat "$FT_SCRATCH/test.err")"
q1=$(ft_watch_field queries)
[ "$q1" -gt "$q0" ] || ft_fail "ftrace test did not ask the daemon"
ft test -q --no-watch --name ta -- ./ta.sh >/dev/null 2>&1
assert_eq "$q1" "$(ft_watch_field queries)" "ftrace test --no-watch asked the daemon"
FTRACE_NO_WATCH=1 ft affected >/dev/null
assert_eq "$q1" "$(ft_watch_field queries)" "FTRACE_NO_WATCH=1 affected asked the daemon"
ft_watch_same "after ftrace test recorded ta again"

answered=$(ft_watch_field answered)
[ "$answered" -ge 15 ] || ft_fail "the daemon answered only $answered queries"
