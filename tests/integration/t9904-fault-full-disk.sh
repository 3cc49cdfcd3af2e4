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

fault_full_disk_begin

# fill the filesystem (dd stops at ENOSPC)
dd if=/dev/zero of="$MNT/filler" bs=4k >/dev/null 2>&1 || true
rc=0
"$FTRACE_BIN" run --name t4 -- sh -c 'grep -qx ok in/4.txt && cat big/* && echo program-done' \
	>"$FT_SCRATCH/full.out" 2>"$FT_SCRATCH/full.err" || rc=$?
fault_full_disk_end "$rc"
