#!/usr/bin/env bash
# `ftrace run` command line: no command, --help, unknown options, a command
# that cannot be started.  A usage error must never run anything or touch the
# state directory.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-exit

# --help: exit 0, usage on stdout.
out=$(ft run --help) || ft_fail "'ftrace run --help' exited $?"
case "$out" in *usage*|*Usage*) ;; *) ft_fail "'ftrace run --help' printed no usage: $out" ;; esac
out=$(ft run -h) || ft_fail "'ftrace run -h' exited $?"
[ -n "$out" ] || ft_fail "'ftrace run -h' printed nothing"

# No command at all, or nothing after "--": usage error, message on stderr.
for args in "" "--" "--name x" "--name x --"; do
	rc=0
	# shellcheck disable=SC2086 # splitting is the point
	ft run $args >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ "$rc" -eq 64 ] || ft_fail "'ftrace run $args' exited $rc, expected 64"
	[ -s "$FT_SCRATCH/err" ] || ft_fail "'ftrace run $args': no message on stderr"
	[ ! -s "$FT_SCRATCH/out" ] || ft_fail "'ftrace run $args' wrote to stdout: $(cat "$FT_SCRATCH/out")"
done

# Unknown option: usage error, and the command is not run.
rc=0
ft run --no-such-option -- touch ran >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
[ "$rc" -eq 64 ] || ft_fail "'ftrace run --no-such-option' exited $rc, expected 64"
[ -s "$FT_SCRATCH/err" ] || ft_fail "unknown option: no message on stderr"
[ ! -e ran ] || ft_fail "unknown option: the command ran anyway"

# --name without its value.
assert_status 64 ft run --name

# Nothing recorded by any of the above.
[ ! -e .ftrace/ftrace.db ] || ft_fail "a usage error created .ftrace/ftrace.db"

# A command that does not exist: 127, with a message naming it.
rc=0
ft run --name nocmd -- ./no-such-command >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
[ "$rc" -eq 127 ] || ft_fail "'ftrace run -- ./no-such-command' exited $rc, expected 127"
grep -q 'no-such-command' "$FT_SCRATCH/err" || ft_fail "no message naming the missing command: $(cat "$FT_SCRATCH/err")"
