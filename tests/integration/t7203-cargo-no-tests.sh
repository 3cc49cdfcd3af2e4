#!/usr/bin/env bash
# t7203-cargo-no-tests.sh - the cargo side of "a build step before the
# tests" (issue 24; the Go side is t7202): a workspace member without any
# #[test] still gets a test harness from `cargo test` ("running 0
# tests"), which ftrace records as a test (tool/bin/tool) depending on its
# sources, so a compile error in it selects it.  A member whose targets
# all say `test = false` is not built by `cargo test` at all: its compile
# error does not fail the command, and nothing needs selecting.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

ft_fixture cargo-ws
mkdir -p tool/src quiet/src
printf '[package]\nname = "tool"\nversion = "0.1.0"\nedition = "2021"\n' >tool/Cargo.toml
printf 'fn main() { println!("tool"); }\n' >tool/src/main.rs
printf '[package]\nname = "quiet"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\ntest = false\ndoctest = false\n' \
	>quiet/Cargo.toml
printf 'pub fn q() -> i32 { 1 }\n' >quiet/src/lib.rs
sed -i 's/members = \["cfx", "helper"\]/members = ["cfx", "helper", "tool", "quiet"]/' Cargo.toml
cargo metadata --format-version 1 --offline >/dev/null || ft_fail "cargo metadata" # Cargo.lock
ft_old Cargo.toml Cargo.lock tool tool/Cargo.toml tool/src tool/src/main.rs quiet quiet/Cargo.toml quiet/src quiet/src/lib.rs
git add -A && git -c user.email=t@t -c user.name=t commit -qm members

cargo_record 0 cargo test
grep -q "recorded 8 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 8 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "right after recording"

# a compile error in the member without tests: its harness is selected
printf 'fn broken() { undefined_name }\n' >>tool/src/main.rs
ft_affected_is "tool/bin/tool" "a compile error in tool"
assert_status 101 cargo test -q >/dev/null 2>&1
git checkout -q tool/src/main.rs

# test = false: cargo test does not build it, so its error changes nothing
printf 'pub fn broken() { undefined_name }\n' >>quiet/src/lib.rs
assert_status 0 cargo test -q >/dev/null 2>&1
git checkout -q quiet/src/lib.rs
