#!/usr/bin/env bash
# t9904-fault-full-disk.sh - the state directory's filesystem is full (a
# 2 MB tmpfs, filled up) while `ftrace run` records.  Issue 24: region
# files are sparse and memory-mapped, and with no free block the first
# store to a new page raised SIGBUS in the traced program ("Bus error"
# x35, exit 135); the message was "cannot rollback - no transaction is
# active".  The program must behave as without ftrace (its exit status
# and output), the run must say the disk is full and exit 0 or 70, and
# the tests recorded before must stay known.  Needs root (mount); skips
# otherwise.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"
. "$(dirname "$0")/lib-fault.sh"

MNT=$FT_SCRATCH/state
mkdir "$MNT"
mount -t tmpfs -o size=2m,mode=0700 tmpfs "$MNT" 2>/dev/null || ft_skip "cannot mount a tmpfs (not root?)"
trap 'rc=$?; umount -l "$MNT" 2>/dev/null; (exit $rc); ft__cleanup' EXIT
export FTRACE_DIR=$MNT/ftrace

ft_fixture cmd-kinds
mkdir big
(cd big && seq 1 3000 | sed 's/$/.txt/' | xargs touch)
fault_suite 4
fault_record_all

# fill the filesystem (dd stops at ENOSPC)
dd if=/dev/zero of="$MNT/filler" bs=4k >/dev/null 2>&1 || true
rc=0
"$FTRACE_BIN" run --name t4 -- sh -c 'grep -qx ok in/4.txt && cat big/* && echo program-done' \
	>"$FT_SCRATCH/full.out" 2>"$FT_SCRATCH/full.err" || rc=$?
grep -qx program-done "$FT_SCRATCH/full.out" ||
	ft_fail "the program did not finish as it would without ftrace (exit $rc): $(cat "$FT_SCRATCH/full.err")"
! grep -qi "bus error" "$FT_SCRATCH/full.err" || ft_fail "the program got SIGBUS: $(cat "$FT_SCRATCH/full.err")"
case $rc in
0|70) ;;
*) ft_fail "ftrace run on a full disk exited $rc (0 or 70 expected): $(cat "$FT_SCRATCH/full.err")" ;;
esac
if [ "$rc" -eq 70 ] || grep -q . "$FT_SCRATCH/full.err"; then
	grep -qi "space\|full" "$FT_SCRATCH/full.err" ||
		ft_fail "the message does not say the disk is full: $(cat "$FT_SCRATCH/full.err")"
fi
! grep -qi "no transaction is active" "$FT_SCRATCH/full.err" ||
	ft_fail "a misleading message: $(cat "$FT_SCRATCH/full.err")"

# space again: nothing recorded before is lost
rm -f "$MNT/filler"
oracle_baseline
fault_check "a run on a full disk"
oracle_finish
