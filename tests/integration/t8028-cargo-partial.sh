#!/usr/bin/env bash
# `cargo test NAME` (and `-- --skip X`, `-- --ignored`) runs only some of
# each target's tests, and a target is one test: stored untraced now
# (always selected) until a whole run, with a line on stderr; see t7106
# for why.  `cargo test -- --nocapture` and `-q` run every test.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

ft_fixture cargo-ws
cargo_record 0 cargo test
ft_affected_is "" "right after a whole run"

cargo_record 0 cargo test add
grep -q "tests ran only in part" "$FT_SCRATCH/run.err" ||
	ft_fail "cargo test add: no word of a run in part: $(cat "$FT_SCRATCH/run.err")"
ran=$(sqlite3 .ftrace/ftrace.db "SELECT name FROM tests WHERE untraced = 1")
[ -n "$ran" ] || ft_fail "cargo test add: nothing stored untraced"
ft_affected_is "$ran" "after cargo test add: the targets it ran, always"
cargo_record 0 cargo test
ft_affected_is "" "a whole run again"

for extra in "--skip add" "--ignored"; do
	cargo_record 0 cargo test -- $extra
	grep -q "ran only in part" "$FT_SCRATCH/run.err" ||
		ft_fail "cargo test -- $extra: no word of a run in part"
	cargo_record 0 cargo test
	ft_affected_is "" "a whole run after cargo test -- $extra"
done

cargo_record 0 cargo test -q -- --nocapture --test-threads 1
! grep -q "ran only in part" "$FT_SCRATCH/run.err" || ft_fail "--nocapture --test-threads 1 called a run in part"
ft_affected_is "" "cargo test -q -- --nocapture --test-threads 1 runs every test"
