#!/usr/bin/env bash
# t8030-cargo-options.sh - a recording answers only for cargo options like
# its own (selector/pipeline_options.c, docs/hooks.md "Options").
# `--release` builds without debug assertions and overflow checks, a
# feature turns code on: recorded with `cargo test`, `ftrace test -- cargo
# test --release` said "nothing affected" and exited 0, while plain `cargo
# test --release` fails.  Now the targets recorded with other options run
# (with a line on stderr), and once recorded with these, they narrow
# again.  Output and pace options (-q, -j, --offline) change nothing; the
# features are one set, whatever the spelling.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

ft_fixture cargo-ws
# a test that fails only without debug assertions (a release build)
cat >cfx/tests/c.rs <<'RS'
#[test]
fn c_debug_only() {
    assert!(cfg!(debug_assertions), "fails in a release build");
}
RS
printf '\n[features]\nextra = []\nmore = []\n' >>cfx/Cargo.toml
git add -A && git commit -qm "a debug-only test, features"

# ftest STATUS "ran" WHAT [ARGS]: ftrace test -- cargo test ARGS exits
# STATUS and cargo ran exactly the targets "ran"
ftest() {
	local rc=0 want=$1 ran=$2 what=$3
	shift 3
	ft_clock_past_ctime
	"$FTRACE_BIN" test -- cargo test "$@" >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ "$rc" -eq "$want" ] || ft_fail "$what: ftrace test -- cargo test $* exited $rc, expected $want: $(cat "$FT_SCRATCH/err")"
	assert_set "$ran" "$(cat "$FT_SCRATCH/out" "$FT_SCRATCH/err" | cargo_ran)" "$what: targets cargo ran"
}
said_other() {
	grep -q "recorded with other cargo options runs\? too (recorded: $1; this command: $2)" \
		"$FT_SCRATCH/err" || ft_fail "$3: the options not said: $(cat "$FT_SCRATCH/err")"
}
ALL="$CARGO_ALL cfx/test/c"

cargo_record 0 cargo test
ftest 0 "" "same options"

ftest 101 "$ALL" "recorded without --release" --release --no-fail-fast
said_other none "--release" "--release"
grep -q "fails in a release build" "$FT_SCRATCH/out" || ft_fail "c_debug_only did not run in release"
# recorded in release now: only the failed target, in any spelling (-q would hide cargo's "Running" lines)
ftest 101 "cfx/test/c" "recorded with --release" -r -j 2
! grep -q "other cargo options" "$FT_SCRATCH/err" || ft_fail "-r -j 2 called other options"
ftest 0 "$ALL" "recorded in release, run in debug"
said_other "--release" none "debug"
ftest 0 "" "recorded in debug again" -j 2 --offline

# features: one set, whatever the spelling or order (a command that names
# features runs as given: a feature need not exist in every package that
# narrowing would name)
ftest 0 "$ALL" "a feature" --features "more extra"
said_other none "--features=extra,more" "--features"
ftest 0 "$ALL" "the same features, spelled otherwise" -F extra --features=more
! grep -q "other cargo options" "$FT_SCRATCH/err" || ft_fail "-F extra --features=more called other options"
ftest 0 "$ALL" "one feature less" -F extra
said_other "--features=extra,more" "--features=extra" "one feature less"
