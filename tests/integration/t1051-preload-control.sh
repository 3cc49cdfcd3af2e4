#!/usr/bin/env bash
# t1051-preload-control.sh - the control API (ftrace.h) as an in-process
# runner uses it, found with dlsym like the pytest plugin finds it through
# ctypes: begin/end with outcomes, context switches, and a subprocess
# started during a test belongs to that test without starting one.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
traced "$P/ftp_control" "$FT_SCRATCH" "$P/ftp_probe" > "$FT_SCRATCH/expect" || ft_fail "ftp_control failed"
expect_records "$FT_SCRATCH/expect"
assert_eq 2 "$(ft records "$RUN" | awk '$3 == "BEGIN"' | wc -l)" "TEST_BEGIN records (the child starts none)"
