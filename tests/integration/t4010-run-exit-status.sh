#!/usr/bin/env bash
# `ftrace run` returns the command's own exit status (128+N when killed by
# signal N), and passes stdin, stdout and stderr through byte for byte: a CI
# job that wraps its tests in ftrace must see exactly what it saw before.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-exit

for st in 0 1 3 KILL TERM; do
	bare=0 traced=0
	./emit.sh $st >"$FT_SCRATCH/bare.out" 2>"$FT_SCRATCH/bare.err" || bare=$?
	ft run --name "emit-$st" -- ./emit.sh $st >"$FT_SCRATCH/ft.out" 2>"$FT_SCRATCH/ft.err" || traced=$?
	case $st in KILL) want=137 ;; TERM) want=143 ;; *) want=$st ;; esac
	[ "$bare" -eq "$want" ] || ft_fail "fixture: bare emit.sh $st exited $bare, expected $want"
	[ "$traced" -eq "$want" ] || ft_fail "'ftrace run -- ./emit.sh $st' exited $traced, expected $want"
	cmp "$FT_SCRATCH/bare.out" "$FT_SCRATCH/ft.out" || ft_fail "emit.sh $st: stdout differs under ftrace"
	cmp "$FT_SCRATCH/bare.err" "$FT_SCRATCH/ft.err" || ft_fail "emit.sh $st: stderr differs under ftrace"
done

# stdin reaches the command.
got=$(printf 'in\000put' | ft run --name cat -- cat | od -An -c | tr -s ' ')
want=$(printf 'in\000put' | od -An -c | tr -s ' ')
assert_eq "$want" "$got" "stdin passed through to the command"

# Failed and killed tests are selected with no change; passing ones are not.
ft_affected_is "emit-1 emit-3 emit-KILL emit-TERM" "non-zero exits are failed tests"
