#!/usr/bin/env bash
# Signals in a ptraced static program: a file call from a signal handler is
# recorded; a program that stops itself (SIGSTOP) stays stopped until
# SIGCONT (the tracer keeps the group-stop with PTRACE_LISTEN instead of
# resuming it) and is traced afterwards.  A tracer that swallowed the stop
# or the signal would change the program's behaviour (exit 1) or hang
# (the run is bounded by `timeout`).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture static-c
cc -O0 -static -o sigs "$FTRACE_SOURCE_DIR/tests/preload/ftp_static_signals.c" 2>/dev/null ||
	ft_skip "cc -static does not work here (no static libc)"
echo sig >sig.txt
echo after >after.txt

ft_settle
rc=0
timeout 60 "$FTRACE_BIN" run --name g -- ./sigs >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" || rc=$?
[ $rc -eq 0 ] || ft_fail "ftrace run exited $rc (124: hung): $(cat "$FT_SCRATCH/run.out" "$FT_SCRATCH/run.err")"
grep -q '^signals: ok' "$FT_SCRATCH/run.out" || ft_fail "sigs misbehaved: $(cat "$FT_SCRATCH/run.out")"
grep -q warning "$FT_SCRATCH/run.err" && ft_fail "unexpected warning: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "no change"

ft_change sig.txt
ft_affected_is "g" "sig.txt (stat'ed in a signal handler) changed"
ft_revert sig.txt
ft_change after.txt
ft_affected_is "g" "after.txt (read after the stop) changed"
ft_revert after.txt
exit 0
