#!/usr/bin/env bash
# `ftrace run` returns the command's own exit status (128+N when killed by
# signal N), and passes stdin, stdout and stderr through byte for byte: a CI
# job that wraps its tests in ftrace must see exactly what it saw before.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-exit

# With -q, ftrace adds nothing: stdout and stderr are the command's, byte
# for byte.  Without -q, stdout is still the command's alone, and stderr is
# the command's bytes followed only by ftrace's own "ftrace: ..." summary.
for st in 0 1 3 KILL TERM; do
	bare=0
	./emit.sh $st >"$FT_SCRATCH/bare.out" 2>"$FT_SCRATCH/bare.err" || bare=$?
	case $st in KILL) want=137 ;; TERM) want=143 ;; *) want=$st ;; esac
	[ "$bare" -eq "$want" ] || ft_fail "fixture: bare emit.sh $st exited $bare, expected $want"
	for q in -q ""; do
		traced=0
		# shellcheck disable=SC2086 # $q is one option or none
		ft run $q --name "emit-$st" -- ./emit.sh $st >"$FT_SCRATCH/ft.out" 2>"$FT_SCRATCH/ft.err" || traced=$?
		[ "$traced" -eq "$want" ] || ft_fail "'ftrace run $q -- ./emit.sh $st' exited $traced, expected $want"
		cmp "$FT_SCRATCH/bare.out" "$FT_SCRATCH/ft.out" || ft_fail "emit.sh $st ($q): stdout differs under ftrace"
		if [ "$q" = -q ]; then
			cmp "$FT_SCRATCH/bare.err" "$FT_SCRATCH/ft.err" || ft_fail "emit.sh $st (-q): stderr differs under ftrace"
		else
			n=$(wc -c <"$FT_SCRATCH/bare.err")
			head -c "$n" "$FT_SCRATCH/ft.err" | cmp - "$FT_SCRATCH/bare.err" ||
				ft_fail "emit.sh $st: the command's stderr is not intact under ftrace"
			rest=$(tail -c +"$((n + 1))" "$FT_SCRATCH/ft.err" | grep -v '^ftrace: ' || true)
			[ -z "$rest" ] || ft_fail "emit.sh $st: stderr has more than ftrace's summary: $rest"
		fi
	done
done

# stdin reaches the command.
got=$(printf 'in\000put' | ft run --name cat -- cat | od -An -c | tr -s ' ')
want=$(printf 'in\000put' | od -An -c | tr -s ' ')
assert_eq "$want" "$got" "stdin passed through to the command"

# Failed and killed tests are selected with no change; passing ones are not.
ft_affected_is "emit-1 emit-3 emit-KILL emit-TERM" "non-zero exits are failed tests"
