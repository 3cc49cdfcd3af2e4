#!/usr/bin/env bash
# Honest failure: when the ptrace back end cannot trace a static program
# (ptrace refused: no CAP_SYS_PTRACE, yama ptrace_scope=3, already traced;
# here forced with FTRACE_PTRACE=0), the run says so once on stderr and the
# test is untraced, so it is selected every time, never recorded as a test
# that depends on nothing.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture static-c
. ./build.sh

FTRACE_PTRACE=0 ft_record 0 --name s -- ./prog-static
grep -q '^data: version 1$' "$FT_SCRATCH/run.out" || ft_fail "prog-static did not run"
[ "$(grep -c "warning: cannot trace './prog-static' with ptrace (FTRACE_PTRACE=0)" "$FT_SCRATCH/run.err")" -eq 1 ] ||
	ft_fail "expected one warning, got: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "s" "no change: an untraced test is always selected"

# The same when a real refusal happens: a process that is already being
# traced cannot be seized again.  strace -f traces ftrace and its child, so
# our PTRACE_SEIZE of the child fails with EPERM.
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
	ft_settle
	# (LeakSanitizer refuses to run under ptrace: a sanitized build must
	# not fail for that.)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -o /dev/null -e trace=none "$FTRACE_BIN" run --name t -- ./prog-static \
		>"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" || ft_fail "run under strace failed: $(cat "$FT_SCRATCH/run.err")"
	grep -q "warning: cannot trace './prog-static' with ptrace (PTRACE_SEIZE: " "$FT_SCRATCH/run.err" ||
		ft_fail "no warning under strace: $(cat "$FT_SCRATCH/run.err")"
	grep -q '^data: version 1$' "$FT_SCRATCH/run.out" || ft_fail "prog-static did not run under strace"
	ft_affected_is "s t" "no change: both untraced tests selected"
else
	ft_log "strace cannot run here: only the forced fallback was checked"
fi

# Traced again: the test depends on its files only.
ft_record 0 --name s -- ./prog-static
grep -q warning "$FT_SCRATCH/run.err" && ft_fail "warning when tracing works: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "$(command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null && echo t)" \
	"s traced again: no longer selected"
exit 0
