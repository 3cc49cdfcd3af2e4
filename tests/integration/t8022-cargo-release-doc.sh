#!/usr/bin/env bash
# t8022-cargo-release-doc.sh - doc-tests of a `--release` run, where no
# debug build exists: the doc-test links the libraries of rustdoc's own
# `-L dependency=target/release/deps`, so their sources (the path
# dependency's too) are found there, not in target/debug/deps.  (Were they
# not, cargo's freshness stat of them would stay in the prelude: still
# selected, so the records are checked as well.)
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

ft_fixture cargo-ws
rm -rf target

cargo_record 0 cargo test --release -p cfx --doc
grep -q "recorded 1 test" "$FT_SCRATCH/run.err" || ft_fail "expected 1 test: $(cat "$FT_SCRATCH/run.err")"
[ ! -d target/debug/deps ] || ft_fail "a debug build exists: the test would prove nothing"
ft_affected_is "" "right after recording"
ft_clock_past_ctime
"$FTRACE_BIN" run --keep-records -- cargo test --release -p cfx --doc >/dev/null 2>&1 || ft_fail "run failed"
run=$(ls -d .ftrace/runs/* | tail -1)
grep -q "^[0-9]* cfx/doc ACCESS open 0 r $PWD/helper/src/lib.rs$" <<<"$("$FTRACE_BIN" records "$run")" ||
	ft_fail "no dep-info read of helper/src/lib.rs in cfx/doc: $("$FTRACE_BIN" records "$run" | grep cfx/doc)"
rm -rf "$run"

echo "// edit" >> helper/src/lib.rs
ft_affected_is "cfx/doc" "the path dependency of the documented library"
cargo_record 0 cargo test --release -p cfx --doc
ft_affected_is "" "recorded again"
echo "// edit" >> cfx/src/arith.rs
ft_affected_is "cfx/doc" "a module of the documented library"
