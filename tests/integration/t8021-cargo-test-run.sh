#!/usr/bin/env bash
# t8021-cargo-test-run.sh - `ftrace test -- cargo test`: with no recording
# everything runs and is recorded; then only the affected and new targets
# run (`cargo test -p PKG --lib --test T ...` in cargo's own syntax),
# nothing runs when nothing is affected (exit 0), cargo's exit status
# passes through, and a command that chooses its own targets runs as given.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

ft_fixture cargo-ws

# ftest STATUS "ran" WHAT [ARGS]: ftrace test -- cargo test ARGS exits
# STATUS and cargo ran exactly the targets "ran"
ftest() {
	local rc=0 want=$1 ran=$2 what=$3
	shift 3
	ft_clock_past_ctime
	"$FTRACE_BIN" test -- cargo test "$@" >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ "$rc" -eq "$want" ] || ft_fail "$what: ftrace test -- cargo test exited $rc, expected $want: $(cat "$FT_SCRATCH/err")"
	assert_set "$ran" "$(cat "$FT_SCRATCH/out" "$FT_SCRATCH/err" | cargo_ran)" "$what: targets cargo ran"
}

ftest 0 "$CARGO_ALL" "no recording"
ftest 0 "" "nothing changed"
grep -q "nothing affected" "$FT_SCRATCH/err" || ft_fail "nothing affected not said: $(cat "$FT_SCRATCH/err")"
grep -q "Compiling\|Running" "$FT_SCRATCH/err" && ft_fail "nothing affected, yet cargo ran"

echo "// edit" >> cfx/tests/b.rs
ftest 0 "cfx/test/b" "one test's source"
ftest 0 "" "b recorded again"

echo "// edit" >> cfx/src/lib.rs
ftest 0 "cfx/lib cfx/bin/cfx cfx/test/a cfx/test/b cfx-helper/lib" "the library's source, doc-tests apart" --lib --bins --tests
grep -q "chooses its own tests" "$FT_SCRATCH/err" || ft_fail "--lib: no reason given"
ftest 0 "cfx/doc" "the doc-tests left"
echo "// edit" >> cfx/src/main.rs
ftest 0 "cfx/bin/cfx cfx/test/a cfx/test/b" "the binary's source"

# doc-tests need an invocation of their own: with other targets of the
# same package, the package runs whole (a superset, said on stderr)
echo "// edit" >> cfx/src/arith.rs
ftest 0 "cfx/lib cfx/bin/cfx cfx/test/a cfx/test/b cfx/doc" "a library module"
grep -q "more than one cargo invocation" "$FT_SCRATCH/err" || ft_fail "superset not said: $(cat "$FT_SCRATCH/err")"
ftest 0 "" "recorded again"

# a failing target: cargo's status, and it runs again until it passes
echo 41 > cfx/data/input.txt
ftest 101 "cfx/test/a" "a broken"
ftest 101 "cfx/test/a" "a failed last time"
echo 42 > cfx/data/input.txt
ftest 0 "cfx/test/a" "a fixed"
ftest 0 "" "all passed"

# a new integration test runs, though never recorded
printf '#[test]\nfn c_new() {}\n' > cfx/tests/c.rs
ftest 0 "cfx/test/c" "new test target"
ftest 0 "" "c recorded"

# a command that chooses its own targets runs as given
echo "// edit" >> cfx/tests/b.rs
ftest 0 "cfx/test/a" "--test a chosen by the user" --test a
grep -q "chooses its own tests" "$FT_SCRATCH/err" || ft_fail "--test: no reason given: $(cat "$FT_SCRATCH/err")"
ftest 0 "cfx/test/b" "b still affected"
