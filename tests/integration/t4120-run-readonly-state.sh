#!/usr/bin/env bash
# A state directory that cannot be written (read-only mount, no
# permission): `ftrace run` must fail loudly, naming the directory, and
# leave the existing map as it was; `ftrace affected` may still answer
# from it, correctly, or say it cannot tell (exit 2) - never a wrong set.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-partial
ft_record 0 --name a -- ./a.sh
cp .ftrace/ftrace.db "$FT_SCRATCH/db.copy"

# readonly CMD...: run CMD with .ftrace read-only.  As root, permissions do
# not stop writes, so .ftrace is bind-mounted read-only in a private mount
# namespace; otherwise chmod does it.
STATE=$PWD/.ftrace
readonly_run() {
	if [ "$(id -u)" -ne 0 ]; then
		chmod -R a-w "$STATE"
		local rc=0
		"$@" || rc=$?
		chmod -R u+w "$STATE"
		return $rc
	fi
	unshare -m --propagation private sh -c '
		d=$1; shift
		mount --bind "$d" "$d" && mount -o remount,bind,ro "$d" || exit 90
		exec "$@"' sh "$STATE" "$@"
}
rc=0
readonly_run sh -c ': >"$1/probe"' sh "$STATE" 2>/dev/null || rc=$?
[ "$rc" -ne 90 ] || ft_skip "cannot make a read-only bind mount here"
[ "$rc" -ne 0 ] || ft_fail "fixture: the state directory is still writable"

# run: non-zero exit, a message naming the state directory, map unchanged.
rc=0
readonly_run "$FTRACE_BIN" run --name b -- ./b.sh >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
[ "$rc" -ne 0 ] || ft_fail "'ftrace run' with a read-only state dir exited 0; stderr: $(cat "$FT_SCRATCH/err")"
grep -q '^ftrace: .*\.ftrace' "$FT_SCRATCH/err" ||
	ft_fail "no 'ftrace: ...' message naming the state directory; stderr: $(cat "$FT_SCRATCH/err")"
cmp .ftrace/ftrace.db "$FT_SCRATCH/db.copy" || ft_fail "the map changed although the state dir is read-only"

# affected: a correct set (exit 0) or "cannot tell" (exit 2, empty stdout).
check_affected() { # check_affected "ids" WHAT
	local rc=0
	readonly_run "$FTRACE_BIN" affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	case $rc in
	0) assert_set "$1" "$(cat "$FT_SCRATCH/out")" "$2 (read-only state dir)" ;;
	2) [ ! -s "$FT_SCRATCH/out" ] || ft_fail "$2: exit 2 with output: $(cat "$FT_SCRATCH/out")" ;;
	*) ft_fail "$2: 'ftrace affected' exited $rc; stderr: $(cat "$FT_SCRATCH/err")" ;;
	esac
}
check_affected "" "no change"
ft_change a.txt
check_affected "a" "a.txt changed"
ft_revert a.txt

# Writable again: everything works, and b was never recorded.
ft_affected_is "" "writable again"
ft_record 0 --name b -- ./b.sh
ft_change b.txt
ft_affected_is "b" "b recorded once the state dir is writable"
