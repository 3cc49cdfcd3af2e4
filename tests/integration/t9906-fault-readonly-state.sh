#!/usr/bin/env bash
# t9906-fault-readonly-state.sh - the state directory is on a read-only
# mount (a read-only bind of .ftrace; as root, mode bits would not stop a
# write).  Issue 24: a read-only .ftrace made `affected` fail, though
# reading a database needs no write.  `affected` must answer (exit 0, a
# superset of what a change broke: the oracle), and `ftrace run` must run
# the program and say that it could not save, with a non-zero exit; the
# tests recorded before stay known.  Needs root (mount); skips otherwise.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"
. "$(dirname "$0")/lib-fault.sh"

ft_fixture cmd-kinds
fault_suite 4
fault_record_all
STATE=$PWD/.ftrace
mount --bind "$STATE" "$STATE" 2>/dev/null || ft_skip "cannot bind-mount (not root?)"
trap 'rc=$?; umount -l "$STATE" 2>/dev/null; (exit $rc); ft__cleanup' EXIT
mount -o remount,bind,ro "$STATE" 2>/dev/null || ft_skip "cannot remount read-only"
touch "$STATE/probe" 2>/dev/null && ft_skip "the read-only mount is writable"

rc=0
"$FTRACE_BIN" affected >"$FT_SCRATCH/aff.out" 2>"$FT_SCRATCH/aff.err" || rc=$?
[ "$rc" -eq 0 ] || ft_fail "affected on a read-only state dir exited $rc: $(cat "$FT_SCRATCH/aff.err")"
oracle_baseline
fault_check "a read-only state directory"

rc=0
"$FTRACE_BIN" run --name t1 -- sh -c 'grep -qx ok in/1.txt && echo program-done' \
	>"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" || rc=$?
grep -qx program-done "$FT_SCRATCH/run.out" ||
	ft_fail "the program did not run as without ftrace (exit $rc): $(cat "$FT_SCRATCH/run.err")"
[ "$rc" -ne 0 ] || ft_fail "ftrace run on a read-only state dir exited 0, as if it had saved"
grep -qi "read-only" "$FT_SCRATCH/run.err" ||
	ft_fail "the message does not name the cause: $(cat "$FT_SCRATCH/run.err")"
fault_check "after a run that could not save"
oracle_finish
