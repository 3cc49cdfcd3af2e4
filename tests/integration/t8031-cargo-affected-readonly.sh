#!/usr/bin/env bash
# t8031-cargo-affected-readonly.sh - `ftrace affected` reads the tree, it
# never writes it.  It asks cargo for the workspace's targets (new tests);
# `cargo metadata` resolves the dependencies and writes Cargo.lock where
# there is none (a library that does not commit one), so the first
# `affected` after a fresh clone made the file, and the second answered
# otherwise.  It now asks `cargo metadata --no-deps`, which resolves
# nothing (runners/ft_cargo_meta.h, ft_cargo_meta_load_members).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

ft_fixture cargo-ws
cargo_record 0 cargo test
ft_affected_is "" "right after recording"

rm Cargo.lock
for format in lines cargo json; do
	out=$("$FTRACE_BIN" affected --format "$format" 2>"$FT_SCRATCH/err") ||
		ft_fail "affected --format $format exited $?: $(cat "$FT_SCRATCH/err")"
	[ ! -e Cargo.lock ] || ft_fail "affected --format $format wrote Cargo.lock"
done
# every test read Cargo.lock (cargo does): all are selected, every time
ft_affected_is "$CARGO_ALL" "Cargo.lock gone"
ft_affected_is "$CARGO_ALL" "Cargo.lock gone, asked again"
[ ! -e Cargo.lock ] || ft_fail "affected wrote Cargo.lock"
[ "$(git status --porcelain -- . ':!target' ':!.ftrace')" = " D Cargo.lock" ] ||
	ft_fail "affected changed the tree: $(git status --porcelain)"

# a new test target is still found without the lock file
mkdir -p cfx/tests && printf '#[test]\nfn d_new() {}\n' >cfx/tests/d.rs
out=$("$FTRACE_BIN" affected) || ft_fail "affected with a new target exited $?"
grep -qx "cfx/test/d" <<<"$out" || ft_fail "the new target is not selected: $out"
[ ! -e Cargo.lock ] || ft_fail "affected wrote Cargo.lock (a new target)"
