#!/usr/bin/env bash
# t8027-cargo-default-members.sh - `cargo test` with no package chosen
# tests the workspace's default members only (`default-members`, or the
# root package of a workspace that has one).  The other members' targets
# are no new tests of that command: they were named "new" after every
# recording, for ever (a probe of a real workspace), and `ftrace test --
# cargo test` ran them (walkdir's walkdir-list, 2026-11-29).  With
# --workspace, -p or --exclude, every member's targets count as before.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

ft_fixture cargo-ws
sed -i 's/^members = \(.*\)$/members = \1\ndefault-members = ["cfx"]/' Cargo.toml
grep -q '^default-members' Cargo.toml || ft_fail "could not set default-members"
grep -q workspace_default_members <<<"$(cargo metadata --format-version 1 --offline 2>/dev/null)" ||
	ft_skip "this cargo ($(cargo --version)) names no default members"
git -c user.email=t@t -c user.name=t commit -qam "default members"

CFX="cfx/lib cfx/bin/cfx cfx/test/a cfx/test/b cfx/doc"
cargo_record 0 cargo test
cargo_record 0 cargo test
grep -q "recorded 5 tests" "$FT_SCRATCH/run.err" || ft_fail "expected cfx's 5 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "recorded; cfx-helper's targets are no new tests of \`cargo test\`"
# nor of `ftrace test -- cargo test`, which ran them as new ones
out=$("$FTRACE_BIN" test -- cargo test 2>&1) || ft_fail "ftrace test -- cargo test failed: $out"
if grep -q "cfx.helper" <<<"$out"; then
	ft_fail "ftrace test -- cargo test ran cfx-helper's targets: $out"
fi

# a new integration test of cfx is one
cp cfx/tests/b.rs cfx/tests/c.rs
ft_affected_is "cfx/test/c" "a new test target of a default member"
rm cfx/tests/c.rs

# the whole workspace: cfx-helper's targets are its tests, new until run
rm -rf .ftrace
cargo_record 0 cargo test --workspace
ft_affected_is "" "recorded with --workspace"
cargo_record 0 cargo test -p cfx
ft_affected_is "" "-p cfx after --workspace: both recordings' tests are known"
