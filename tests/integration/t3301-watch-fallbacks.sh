#!/usr/bin/env bash
# When the watch daemon cannot answer soundly, `ftrace affected` checks
# every path itself, says why on stderr (except when no daemon was ever
# started: nothing to say), and prints exactly the cold walk's selection.
# The cases: no daemon; a stale socket (the daemon killed with SIGKILL),
# then a restart; a second start refused; a socket file that is not a
# socket, or a link; a database replaced behind the daemon's back; a
# queue overflow (FTRACE_WATCH_TEST_OVERFLOW: a test-only switch, since the
# system's inotify limits cannot be changed on a shared machine); running
# out of watches (FTRACE_WATCH_TEST_MAX_WATCHES, the same); two
# repositories, each with its own daemon.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-watch.sh"

# make_repo DIR: two tests, ta reads a.txt, tb reads b.txt; cd there
make_repo() {
	mkdir -p "$1/src"
	cd "$1"
	git init -q .
	echo a >src/a.txt
	echo b >src/b.txt
	printf '#!/bin/sh\ncat src/a.txt\n' >ta.sh
	printf '#!/bin/sh\ncat src/b.txt\n' >tb.sh
	chmod +x ta.sh tb.sh
	find . -exec touch -h -d '2020-01-01 00:00:00' {} +
	ft_record 0 --name ta -- ./ta.sh
	ft_record 0 --name tb -- ./tb.sh
}

# same_cold WHAT: the selection equals --no-watch's, stderr to $FT_SCRATCH/err
same_cold() {
	local with without
	with=$(ft affected 2>"$FT_SCRATCH/err")
	without=$(ft affected --no-watch 2>/dev/null)
	assert_eq "$without" "$with" "$1: affected vs --no-watch"
}

make_repo "$FT_SCRATCH/one"
echo more >>src/a.txt

# no daemon: silent, and the json says nothing of one
same_cold "no daemon"
[ ! -s "$FT_SCRATCH/err" ] || ft_fail "no daemon: stderr: $(cat "$FT_SCRATCH/err")"
case "$(ft affected --format json)" in *'"watch"'*) ft_fail "no daemon: json names a watch" ;; esac

ft_watch_start
ft_watch_same "started"
ft affected --format json >"$FT_SCRATCH/used.json"
"$FT_PYTHON" "$FTRACE_SOURCE_DIR/tests/tools/ftt_jsonschema.py" --strict \
	"$FTRACE_SOURCE_DIR/docs/schema/affected.schema.json" "$FT_SCRATCH/used.json" ||
	ft_fail "the json of a daemon used against its schema"
rc=0
ft watch start 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 1 "$rc" "a second start"
grep -q "already runs" "$FT_SCRATCH/err" || ft_fail "second start: $(cat "$FT_SCRATCH/err")"
ft_watch_same "after the refused second start"

# killed with SIGKILL: its socket stays behind
pid=$(ft_watch_pid)
kill -9 "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
[ -S .ftrace/watch.sock ] || ft_fail "the killed daemon left no socket to test with"
same_cold "a stale socket"
grep -q "stale socket, removed" "$FT_SCRATCH/err" || ft_fail "stale socket: $(cat "$FT_SCRATCH/err")"
[ ! -e .ftrace/watch.sock ] || ft_fail "the stale socket was not removed"
same_cold "after the stale socket was removed"
[ ! -s "$FT_SCRATCH/err" ] || ft_fail "no socket: stderr: $(cat "$FT_SCRATCH/err")"
rc=0
ft watch status >/dev/null || rc=$?
assert_eq 1 "$rc" "status with no daemon"
ft_watch_start
ft_watch_same "restarted after SIGKILL"
echo more >>src/b.txt
ft_watch_same "an edit after the restart"

# two repositories, each with its own daemon, neither sees the other's edits
make_repo "$FT_SCRATCH/two"
ft_watch_start
ft_watch_same "second repository"
assert_eq "" "$(ft affected)" "second repository: nothing changed"
case "$(ft_watch_field 'state dir')" in "$FT_SCRATCH/two/.ftrace") ;;
	*) ft_fail "the second daemon watches $(ft_watch_field 'state dir')" ;; esac
echo two >>src/a.txt
ft_watch_same "an edit in the second repository"
cd "$FT_SCRATCH/one"
ft_watch_same "the first repository after the second's edit"
assert_set "ta tb" "$(ft affected)" "the first repository's own edits"
ft watch stop || ft_fail "stop exited $?"
[ ! -e .ftrace/watch.sock ] || ft_fail "stop left the socket"
cd "$FT_SCRATCH/two"
ft_watch_same "the second daemon after the first stopped"
ft watch stop

# a socket path that is not a socket, or a link to one elsewhere: refused
cd "$FT_SCRATCH/one"
echo junk >.ftrace/watch.sock
same_cold "watch.sock a regular file"
grep -q "not a socket of this user" "$FT_SCRATCH/err" || ft_fail "regular file: $(cat "$FT_SCRATCH/err")"
rm .ftrace/watch.sock
(cd "$FT_SCRATCH/two" && ft_watch_start)
FT_WATCH_DIRS+=("$FT_SCRATCH/two")
ln -s "$FT_SCRATCH/two/.ftrace/watch.sock" .ftrace/watch.sock
same_cold "watch.sock a link to another repository's socket"
grep -q "not a socket of this user" "$FT_SCRATCH/err" || ft_fail "link: $(cat "$FT_SCRATCH/err")"
rm .ftrace/watch.sock

# the database file replaced (same content, a new file): a new baseline
ft_watch_start
based=$(ft_watch_field baseline)
cp .ftrace/ftrace.db .ftrace/ftrace.db.new
mv .ftrace/ftrace.db.new .ftrace/ftrace.db
ft_watch_same "the database file replaced"
[ "$(ft_watch_field baseline)" != "$based" ] || ft_fail "no new baseline for the replaced database"
ft watch stop

# a queue overflow: events were lost, so the daemon builds a new baseline
# (until then it answers "fall back")
FTRACE_WATCH_TEST_OVERFLOW=trigger ft_watch_start
ft_watch_same "before the overflow"
touch src/trigger
echo more >>src/b.txt
same_cold "after the overflow"
n=$(ft_watch_field overflows)
[ "$n" -ge 1 ] || ft_fail "no overflow counted"
ft_watch_same "after the new baseline"
built=$(ft_watch_field baseline | sed -n 's/.*(\([0-9]*\) built)/\1/p')
[ "$built" -ge 2 ] || ft_fail "no new baseline after the overflow: $(ft_watch_field baseline)"
ft watch stop

# out of watches: every query falls back, saying so
FTRACE_WATCH_TEST_MAX_WATCHES=2 ft_watch_start
same_cold "out of watches"
grep -q "out of inotify watches" "$FT_SCRATCH/err" || ft_fail "watch limit: $(cat "$FT_SCRATCH/err")"
ft affected --format json >"$FT_SCRATCH/limit.json" 2>/dev/null
case "$(cat "$FT_SCRATCH/limit.json")" in *'"watch":{"used":false'*) ;;
	*) ft_fail "watch limit: json does not say the daemon was not used" ;; esac
"$FT_PYTHON" "$FTRACE_SOURCE_DIR/tests/tools/ftt_jsonschema.py" --strict \
	"$FTRACE_SOURCE_DIR/docs/schema/affected.schema.json" "$FT_SCRATCH/limit.json" ||
	ft_fail "the json of a daemon not used against its schema"
grep -q '^# watch daemon: not used (watch daemon: out of inotify watches' <<<"$(ft affected --explain 2>/dev/null)" ||
	ft_fail "watch limit: --explain does not say: $(ft affected --explain 2>&1)"
ft watch stop

# the state directory removed: its daemon ends (no client can reach it)
ft_watch_start
pid=$(ft_watch_pid)
rm -rf .ftrace
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$pid" 2>/dev/null; then kill "$pid"; ft_fail "the daemon outlived its state directory"; fi
