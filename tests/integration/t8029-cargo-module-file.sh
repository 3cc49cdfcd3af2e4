#!/usr/bin/env bash
# `mod common;` is taken from tests/common.rs or tests/common/mod.rs, and
# rustc fails (E0761) when both exist; dep-info names only the one it
# found.  Recorded when nothing compiled (rustc's probe of the other name
# unseen), a new tests/common.rs next to tests/common/mod.rs selected none
# of the targets that use the module (a probe of a real crate: five
# integration tests failed, none selected).  Each workspace source now has
# its other name as an absence (runners/ft_runner_cargo.c,
# add_module_alternatives): X/mod.rs for X.rs, X.rs for X/mod.rs.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

ft_fixture cargo-ws
cargo build --tests -q >/dev/null 2>&1 || ft_fail "cargo build --tests failed"
cargo_record 0 cargo test
ft_affected_is "" "a recording that compiled nothing"

printf 'pub fn expected_sum() -> i32 { 5 }\n' > cfx/tests/common.rs
ft_affected_has "cfx/test/a cfx/test/b" "tests/common.rs next to tests/common/mod.rs"
rc=0
touch cfx/tests/a.rs # as a clean build (CI) would compile it
cargo test -q >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] || ft_fail "cargo test passed with both tests/common.rs and tests/common/mod.rs"
rm cfx/tests/common.rs
ft_affected_is "" "removed again"

mkdir -p cfx/src/arith
printf 'pub fn f() {}\n' > cfx/src/arith/mod.rs
ft_affected_has "cfx/lib cfx/test/a cfx/test/b" "src/arith/mod.rs next to src/arith.rs"
