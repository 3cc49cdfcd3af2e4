# lib-watch.sh - shared by the t33NN-watch-*.sh scripts (the watch daemon,
# docs/watch.md), sourced after lib.sh and fixtures/cmd-common/helpers.sh.

# Every daemon a script starts is stopped when it ends, pass or fail.
FT_WATCH_DIRS=()
ft__watch_cleanup() {
	local rc=$? d pid
	for d in "${FT_WATCH_DIRS[@]}"; do
		(cd "$d" && "$FTRACE_BIN" watch stop >/dev/null 2>&1) || true
		pid=$(cat "$d/.ftrace/watch.lock" 2>/dev/null || true)
		[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	done
	(exit $rc)
	ft__cleanup
}
trap ft__watch_cleanup EXIT

# ft_watch_start: start the daemon of the current repository.
ft_watch_start() {
	FT_WATCH_DIRS+=("$PWD")
	"$FTRACE_BIN" watch start || ft_fail "ftrace watch start exited $?"
}

# ft_watch_pid: the running daemon's pid.
ft_watch_pid() { tr -d '\n' <.ftrace/watch.lock; }

# ft_watch_field NAME: a line of `ftrace watch status`, its value.
ft_watch_field() {
	"$FTRACE_BIN" watch status | sed -n "s/^$1: //p"
}

# ft_watch_same WHAT: `ftrace affected` with the daemon prints exactly what
# `ftrace affected --no-watch` prints (same exit status, same stdout), and
# the daemon answered (its json says "used": true).  Every step of a
# script ends with it: the daemon may only make the stat phase cheaper.
ft_watch_same() {
	local with without rc1=0 rc2=0 json
	with=$("$FTRACE_BIN" affected 2>"$FT_SCRATCH/with.err") || rc1=$?
	without=$("$FTRACE_BIN" affected --no-watch 2>"$FT_SCRATCH/without.err") || rc2=$?
	assert_eq "$rc2" "$rc1" "$1: exit status with the daemon"
	assert_eq "$without" "$with" "$1: affected with the daemon vs --no-watch"
	[ ! -s "$FT_SCRATCH/with.err" ] || ft_fail "$1: stderr with the daemon: $(cat "$FT_SCRATCH/with.err")"
	json=$("$FTRACE_BIN" affected --format json 2>&1 || true)
	case "$json" in
	*'"watch":{"used":true'*) ;;
	*) ft_fail "$1: the daemon was not used: $json" ;;
	esac
}

# ft_watch_whole WHAT true|false: the daemon's answer to `ftrace affected`
# was (or was not) a whole answer (docs/watch.md, "A whole answer").
ft_watch_whole() {
	local json
	json=$("$FTRACE_BIN" affected --format json 2>&1 || true)
	case "$json" in
	*"\"whole\":$2"*) ;;
	*) ft_fail "$1: expected a watch answer with \"whole\":$2: $json" ;;
	esac
}

# ft_watch_wait_whole WHAT: the daemon gives whole answers again within a
# few seconds (it verifies once the database has been quiet for 200 ms).
ft_watch_wait_whole() {
	local i
	for i in $(seq 50); do
		[ "$(ft_watch_field 'whole answers')" = yes ] && return 0
		sleep 0.1
	done
	ft_fail "$1: no whole answers again: $("$FTRACE_BIN" watch status | grep whole)"
}
