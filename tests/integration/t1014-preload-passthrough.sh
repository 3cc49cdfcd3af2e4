#!/usr/bin/env bash
# t1014-preload-passthrough.sh - without FTRACE_RUN_DIR the library is loaded
# but records nothing, creates no file, and every call behaves as without it
# (ftp_hooks checks results and errno).  The control API then reports
# "not recording".
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
"$P/ftp_hooks" setup "$FT_SCRATCH/base"
LD_PRELOAD=$LIB FTRACE__PRELOAD=$LIB "$P/ftp_hooks" direct "$FT_SCRATCH/base" > /dev/null 2> "$FT_SCRATCH/stderr" ||
	ft_fail "ftp_hooks failed with a pass-through interposer: $(cat "$FT_SCRATCH/stderr")"
[ ! -s "$FT_SCRATCH/stderr" ] || ft_fail "output on stderr"
assert_eq "" "$(find "$FT_SCRATCH" -name 'r-*.rec')" "region files without FTRACE_RUN_DIR"
# the control API is there, and says it is not recording
rc=0
LD_PRELOAD=$LIB "$P/ftp_control" "$FT_SCRATCH" "$P/ftp_probe" > /dev/null 2> "$FT_SCRATCH/stderr" || rc=$?
[ $rc -ne 0 ] && grep -q 'ftrace_active() != 1' "$FT_SCRATCH/stderr" ||
	ft_fail "ftp_control did not see ftrace_active() == 0 (rc $rc)"
