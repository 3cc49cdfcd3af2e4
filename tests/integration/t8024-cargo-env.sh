#!/usr/bin/env bash
# t8024-cargo-env.sh - the environment a cargo build reads (docs/cargo.md,
# "Environment variables").  cargo copies its environment once and looks
# its variables up in the copy, so no hook sees it read RUSTFLAGS or a
# CARGO_<KEY> config key; rustc's `option_env!` is read only while the
# crate compiles; a build script's variables only when it runs.  Before,
# none of them was a dependency: RUSTFLAGS or a profile set by variable
# selected nothing, and a test that `option_env!` made fail escaped.
# Now: cargo's variables (a CARGO_ prefix and the named ones) select every
# test of the run, a dep-info's `env-dep` the tests that link what names
# it, a build script's `rerun-if-env-changed` every test, a test whose own
# source iterates the environment (std::env::vars) any variable.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env
unset CFX_MODE CFX_FLAVOR CFX_UNRELATED CFX_EXTRA_ONE RUSTDOCFLAGS CARGO_PROFILE_TEST_OVERFLOW_CHECKS \
	CARGO_PROFILE_DEV_DEBUG_ASSERTIONS

ft_fixture cargo-ws
# b reads CFX_MODE at compile time; the helper's build script declares
# CFX_FLAVOR
cat >cfx/tests/b.rs <<'EOF'
mod common;

#[test]
fn b_double() {
    assert_eq!(cfx::double(2) + 1, common::expected_sum());
}

#[test]
fn b_mode() {
    assert_eq!(option_env!("CFX_MODE").unwrap_or("plain"), "plain");
}
EOF
# e, a test of its own, counts the variables of a prefix by iterating the
# environment
cat >cfx/tests/e.rs <<'EOF'
#[test]
fn e_no_cfx_extra() {
    use std::env::{self as e, vars};
    let _ = e::current_dir();
    assert_eq!(vars().filter(|(k, _)| k.starts_with("CFX_EXTRA_")).count(), 0);
}
EOF
cat >helper/build.rs <<'EOF'
fn main() {
    println!("cargo:rerun-if-env-changed=CFX_FLAVOR");
}
EOF
ft_old cfx/tests/e.rs cfx/tests/b.rs helper/build.rs
git add -A && git -c user.email=t@t -c user.name=t commit -qm env

cargo_record 0 cargo test
grep -q "recorded 8 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 8 tests: $(cat "$FT_SCRATCH/run.err")"
ALL="$CARGO_ALL cfx/test/e"
ft_affected_is "" "right after recording"
# the same with nothing compiled: the dependencies come from files cargo
# keeps, not from what ran
cargo_record 0 cargo test
ft_affected_is "" "after a run that compiled nothing"

# with_env "NAME=VALUE" "ids" WHAT: in an environment with NAME=VALUE,
# exactly ids are affected
with_env() {
	local out rc=0
	out=$(env "$1" "$FTRACE_BIN" affected 2>"$FT_SCRATCH/affected.stderr") || rc=$?
	[ "$rc" -eq 0 ] || ft_fail "$3: affected exited $rc: $(cat "$FT_SCRATCH/affected.stderr")"
	assert_set "$2" "$out" "$3"
}

with_env CFX_UNRELATED=1 "cfx/test/e" "a variable only a test that iterates the environment sees"
with_env CFX_EXTRA_ONE=1 "cfx/test/e" "a variable a test finds by iterating the environment"
out=$(env CFX_EXTRA_ONE=1 "$FTRACE_BIN" affected --explain 2>&1)
case $out in
*'$=: env dependency: environment variable changed'*) ;;
*) ft_fail "--explain does not name the whole environment: $out" ;;
esac
rc=0
CFX_EXTRA_ONE=1 cargo test --test e >"$FT_SCRATCH/e.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || ft_fail "e passed with CFX_EXTRA_ONE set: the fixture no longer iterates the environment"
with_env RUSTFLAGS="-C debug-assertions=off" "$ALL" "RUSTFLAGS"
with_env RUSTDOCFLAGS="--cfg x" "$ALL" "RUSTDOCFLAGS"
with_env CARGO_PROFILE_TEST_OVERFLOW_CHECKS=false "$ALL" "a profile key set by variable"
with_env CARGO_PROFILE_DEV_DEBUG_ASSERTIONS=false "$ALL" "another config key"
with_env CFX_FLAVOR=sweet "$ALL" "a build script's rerun-if-env-changed"
with_env CFX_MODE=fancy "cfx/test/b cfx/test/e" "option_env! in one test's source (and e sees every variable)"
out=$(env CFX_MODE=fancy "$FTRACE_BIN" affected --explain 2>&1)
case $out in
*'$CFX_MODE: env dependency: environment variable now set'*) ;;
*) ft_fail "--explain does not name CFX_MODE: $out" ;;
esac
out=$(env CARGO_PROFILE_TEST_OVERFLOW_CHECKS=false "$FTRACE_BIN" affected --explain 2>&1)
case $out in
*'$CARGO_=: env dependency: environment variable changed'*) ;;
*) ft_fail "--explain does not name the CARGO_ prefix: $out" ;;
esac

# the selection holds every test the change fails: under CFX_MODE=fancy
# cargo rebuilds b, and b_mode fails
rc=0
CFX_MODE=fancy cargo test --no-fail-fast >"$FT_SCRATCH/full.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || ft_fail "cargo test under CFX_MODE=fancy passed: the fixture no longer reads it"
grep -q "test b_mode ... FAILED" "$FT_SCRATCH/full.out" || ft_fail "b_mode did not fail: $(cat "$FT_SCRATCH/full.out")"
[ "$(grep -c ' FAILED$' "$FT_SCRATCH/full.out")" -eq 1 ] ||
	ft_fail "more than b_mode failed: $(grep FAILED "$FT_SCRATCH/full.out")"

# recorded in that environment, the same variable unset is the change
export CFX_MODE=fancy
cargo_record 101 cargo test --no-fail-fast
unset CFX_MODE
ft_affected_is "cfx/test/b cfx/test/e" "CFX_MODE unset again (b failed, and its variable changed)"
