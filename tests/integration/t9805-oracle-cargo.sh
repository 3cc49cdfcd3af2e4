#!/usr/bin/env bash
# t9805-oracle-cargo.sh - the soundness oracle (lib-oracle.sh) on
# fixtures/cargo-ws: after each real change, the whole workspace is tested
# with `cargo test --no-fail-fast`, each target's verdict taken from its
# "Running ..." header and "test result:" line, and every target that
# fails or changed outcome must be in `ftrace affected`.  Issue 24:
# selections were checked only against sets worked out by hand.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"
ft_cargo_env

ft_fixture cargo-ws

# each target's header names it (cargo_ran's patterns), its summary line
# gives the verdict
oracle_suite() {
	cargo test --no-fail-fast 2>&1 | awk '
		/^ *(Running|Doc-tests) / { cur = $0; next }
		/^test result: / && cur != "" {
			print cur "\t" ($3 == "ok." ? "pass" : "fail"); cur = "" }' |
		while IFS=$'\t' read -r head verdict; do
			printf '%s\t%s\n' "$(printf '%s\n' "$head" | cargo_ran)" "$verdict"
		done
}
# edit FILE OLD NEW: a real edit, with a real new mtime (cargo rebuilds
# only sources newer than their dep-info)
edit() {
	cp -p "$1" "$FT_SCRATCH/keep.$(basename "$1")"
	sed -i "s/$2/$3/" "$1"
	ft_clock_past_ctime
}
unedit() { cp "$FT_SCRATCH/keep.$(basename "$1")" "$1"; ft_clock_past_ctime; }

cargo_record 0 cargo test
oracle_baseline

oracle_scenario "a data file one test reads" \
	'echo 41 > cfx/data/input.txt' 'echo 42 > cfx/data/input.txt'
oracle_scenario "a data file, deleted" \
	'rm cfx/data/input.txt' 'echo 42 > cfx/data/input.txt'
oracle_scenario "a module two integration tests share" \
	'edit cfx/tests/common/mod.rs "^    5" "    6"' 'unedit cfx/tests/common/mod.rs'
oracle_scenario "a library module" \
	'edit cfx/src/arith.rs "a + b" "a - b"' 'unedit cfx/src/arith.rs'
oracle_scenario "a path dependency" \
	'edit helper/src/lib.rs "x \* 2" "x * 3"' 'unedit helper/src/lib.rs'
oracle_scenario "the binary's source" \
	'edit cfx/src/main.rs "\"hello\"$" "\"bye\""' 'unedit cfx/src/main.rs'
oracle_scenario "a new failing integration test" \
	'printf "#[test]\nfn c_new() { panic!() }\n" > cfx/tests/c.rs' 'rm cfx/tests/c.rs'
oracle_finish
