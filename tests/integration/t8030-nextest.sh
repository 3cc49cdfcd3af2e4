#!/usr/bin/env bash
# t8030-nextest.sh - `ftrace run -- cargo nextest run`: nextest runs each
# test function in a process of its own, so a test is one function
# ("BINARY_ID NAME", as nextest names it) and a data file read by one
# function selects that function only (docs/cargo.md).  Exact sets for no
# change, a data file, one binary's source, a shared module, a new test
# function and a failing test; `--format nextest` fed back to `cargo
# nextest run -E` runs exactly those; `ftrace test -- cargo nextest run`;
# and "cannot tell" (2) when nextest's list cannot be had.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env
cargo nextest --version >/dev/null 2>&1 || ft_skip "cargo-nextest not installed (scripts/install-rust.sh)"

ft_fixture cargo-ws

ALL="cfx_tests::lib_add cfx::bin/cfx_tests::bin_greeting cfx::a_a_add cfx::a_a_data cfx::b_b_double cfx-helper_tests::helper_twice"
# ids hold a space: compare with '_' for ' '
ids() { tr ' ' '_'; }
affected_is() {
	local out rc=0
	out=$("$FTRACE_BIN" affected 2>"$FT_SCRATCH/aff.err") || rc=$?
	[ "$rc" -eq 0 ] || ft_fail "$2: affected exited $rc: $(cat "$FT_SCRATCH/aff.err")"
	assert_set "$1" "$(printf '%s\n' "$out" | ids)" "$2"
}
# nextest's result lines: "PASS [   0.004s] (1/6) cfx::a a_data"
nextest_ran() { sed -n 's/^ *\(PASS\|FAIL\|SIGSEGV\|SIGABRT\|TIMEOUT\) \[[^]]*\] \(([0-9]*\/[0-9]*) \)\{0,1\}\(.*\)$/\3/p' | sed 's/ *$//' | ids; }
ran_by_nextest() {
	local expr rc=0
	expr=$("$FTRACE_BIN" affected --format nextest 2>"$FT_SCRATCH/aff.err") || rc=$?
	[ "$rc" -eq 0 ] || ft_fail "$2: affected --format nextest exited $rc: $(cat "$FT_SCRATCH/aff.err")"
	if [ -z "$1" ]; then
		assert_eq "" "$expr" "$2: --format nextest prints nothing for an empty set"
		return
	fi
	assert_set "$1" "$({ cargo nextest run --no-fail-fast -E "$expr" 2>&1 || true; } | nextest_ran)" \
		"$2: tests nextest ran"
}
check() {
	eval "$1"
	affected_is "$2" "$3"
	ran_by_nextest "$2" "$3"
	cargo_record 0 cargo nextest run
	affected_is "" "$3: recorded again"
}

cargo_record 0 cargo nextest run
grep -q "recorded 6 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 6 tests: $(cat "$FT_SCRATCH/run.err")"
affected_is "" "right after recording"
ran_by_nextest "" "no change"

check 'echo " 42 " > cfx/data/input.txt' "cfx::a_a_data" "a data file read by one test function"
check 'echo "// edit" >> cfx/tests/b.rs' "cfx::b_b_double" "one binary's source"
check 'echo "// edit" >> cfx/tests/common/mod.rs' "cfx::a_a_add cfx::a_a_data cfx::b_b_double" \
	"a module shared by two binaries"
check 'echo "// edit" >> helper/src/lib.rs' "$ALL" "a path dependency"

# a new test function: its file changed, and only nextest's list knows it
printf '#[test]\nfn b_new() {}\n' >> cfx/tests/b.rs
ft_clock_past_ctime
# the plain format too: nextest list is asked where the recording ran
affected_is "cfx::b_b_double cfx::b_b_new" "plain format: the new test too"
ran_by_nextest "cfx::b_b_double cfx::b_b_new" "a new test function"
cargo_record 0 cargo nextest run
affected_is "" "b_new recorded"
ALL="$ALL cfx::b_b_new"

# a failing test: nextest runs each test in a process of its own, whose
# exit status (nextest reaps it with waitpid: FT_REC_EXIT) is the test's:
# after a failed run only the failed test is selected again
echo 41 > cfx/data/input.txt
cargo_record 100 cargo nextest run --no-fail-fast
affected_is "cfx::a_a_data" "a failed run: the failed test, by its own status"
echo 42 > cfx/data/input.txt
cargo_record 0 cargo nextest run
affected_is "" "fixed"

# ftrace test -- cargo nextest run: -E with the selection
echo "// edit" >> cfx/tests/b.rs
ft_clock_past_ctime
rc=0
"$FTRACE_BIN" test -- cargo nextest run >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
[ "$rc" -eq 0 ] || ft_fail "ftrace test -- cargo nextest run exited $rc: $(cat "$FT_SCRATCH/err")"
assert_set "cfx::b_b_double cfx::b_b_new" "$(cat "$FT_SCRATCH/out" "$FT_SCRATCH/err" | nextest_ran)" \
	"ftrace test: what nextest ran"
affected_is "" "ftrace test recorded them"
rc=0
"$FTRACE_BIN" test -- cargo nextest run >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
[ "$rc" -eq 0 ] || ft_fail "nothing affected: exit $rc"
grep -q "nothing affected" "$FT_SCRATCH/err" || ft_fail "nothing affected not said: $(cat "$FT_SCRATCH/err")"
[ -z "$(cat "$FT_SCRATCH/out" "$FT_SCRATCH/err" | nextest_ran)" ] || ft_fail "nothing affected, yet tests ran"

# without nextest's list, new tests cannot be known: 2, never less
db=$PWD/.ftrace/ftrace.db
(cd / && assert_status 2 "$FTRACE_BIN" affected --db "$db" --format nextest) 2>/dev/null
