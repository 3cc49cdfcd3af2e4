#!/usr/bin/env bash
# t8020-cargo-test.sh - `ftrace run -- cargo test`: one test per test target
# (docs/cargo.md), each depending on the sources its dep-info and its
# packages' libraries name, even when cargo compiles nothing during the
# recording.  Exact sets for: no change, one integration test's source, a
# module shared by two integration tests, a library module (every target
# linking the library), a path dependency, a data file, the workspace
# manifest, a new integration test (and the same removed) and a failed
# target; each fed back to
# `cargo test` through `--format cargo`, which runs exactly those.  A test
# binary's measured duration is not stretched to ingest.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

ft_fixture cargo-ws

# the first recording compiles everything: rustc's reads of the sources
# are build work, not every test's
cargo_record 0 cargo test
grep -q "recorded 7 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 7 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "right after recording (which compiled)"
ran_by_cargo "" "no change"

# again, with nothing to compile: the same tests, still nothing affected
cargo_record 0 cargo test
grep -q "recorded 7 tests" "$FT_SCRATCH/run.err" || ft_fail "fresh run: expected 7 tests"
ft_affected_is "" "after a run that compiled nothing"
# Durations (source ftrace): a test binary's span is its own records'.
# The dep-info sources ingest records for it (r-cargo-deps-N.rec) carry
# ingest's time and do not count: with them, cfx/test/a (a binary that
# ran before rustdoc compiled and ran the doc-tests) lasted until ingest,
# longer than cfx/doc.
durs=$("$FT_PYTHON" -c 'import sqlite3; db=sqlite3.connect(".ftrace/ftrace.db")
d=dict(db.execute("SELECT name, ns FROM test_times WHERE run_id = (SELECT max(run_id) FROM test_times)"))
print(d["cfx/test/a"], d["cfx/doc"])')
read -r a_ns doc_ns <<<"$durs"
[ "$a_ns" -lt "$doc_ns" ] || ft_fail "cfx/test/a lasted $a_ns ns, cfx/doc $doc_ns: a's span runs until ingest"

# check EDIT_CMD "ids" WHAT: after the edit, without building, exactly ids
# are affected and `cargo test` with --format cargo runs exactly them; then
# the recording is brought up to date
check() {
	eval "$1"
	ft_affected_is "$2" "$3"
	ran_by_cargo "$2" "$3"
	cargo_record 0 cargo test
	ft_affected_is "" "$3: recorded again"
}

check 'echo "// edit" >> cfx/tests/b.rs' "cfx/test/b" "one integration test's source"
check 'echo "// edit" >> cfx/tests/common/mod.rs' "cfx/test/a cfx/test/b" "a module shared by two tests"
check 'echo "// edit" >> cfx/src/arith.rs' "cfx/lib cfx/bin/cfx cfx/test/a cfx/test/b cfx/doc" \
	"a library module: every target that links the library"
# integration tests may run the package's binary (CARGO_BIN_EXE_cfx):
# cargo builds it for them, so they depend on its sources too
check 'echo "// edit" >> cfx/src/main.rs' "cfx/bin/cfx cfx/test/a cfx/test/b" "the binary's source"
check 'echo "// edit" >> helper/src/lib.rs' "$CARGO_ALL" "a path dependency: its tests and its dependents'"
check 'echo " 42 " > cfx/data/input.txt' "cfx/test/a" "a data file read by one test"
check 'echo "# edit" >> Cargo.toml' "$CARGO_ALL" "the workspace manifest"

# a module declared with `mod`: the declaring file changes, and the new
# file is a dependency from the next recording on
check 'echo "pub mod extra;" >> cfx/src/lib.rs; echo "pub const X: i32 = 1;" > cfx/src/extra.rs' \
	"cfx/lib cfx/bin/cfx cfx/test/a cfx/test/b cfx/doc" "a new module"
check 'echo "// edit" >> cfx/src/extra.rs' "cfx/lib cfx/bin/cfx cfx/test/a cfx/test/b cfx/doc" \
	"the new module's source"

# a new integration test: only it (cargo metadata lists it, the database
# does not hold it); cargo's listing of tests/ is target discovery
printf '#[test]\nfn c_new() {}\n' > cfx/tests/c.rs
# the plain format too: cargo metadata is asked where the recording ran
ft_affected_is "cfx/test/c" "the plain format lists the new target too"
ran_by_cargo "cfx/test/c" "a new integration test"
cargo_record 0 cargo test
ft_affected_is "" "the new test recorded"
# ... and removed again: a target that no longer exists is nothing to run,
# and named to cargo it fails the whole command ("no test target named
# c"): --format cargo leaves it out (found by hand, a tests/common.rs made
# a module).  The plain format names it until a recording forgets it: the
# next `cargo test` recording asks cargo metadata which targets are gone.
rm cfx/tests/c.rs
ft_affected_is "cfx/test/c" "a recorded target removed: the plain format"
ran_by_cargo "" "a recorded target removed: --format cargo"
cargo_record 0 cargo test
grep -q "forgot 1 recorded test" "$FT_SCRATCH/run.err" ||
	ft_fail "the removed target was not forgotten: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "the removed target forgotten"

# a failing target: cargo stops at the first failure; the targets that
# ran before it passed, the failing one is selected until it passes
echo 41 > cfx/data/input.txt
ft_affected_is "cfx/test/a" "data file broken"
cargo_record 101 cargo test
ft_affected_is "cfx/test/a" "a failed: selected again"
cargo_record 101 cargo test
ft_affected_is "cfx/test/a" "a still failing"
echo 42 > cfx/data/input.txt
cargo_record 0 cargo test
ft_affected_is "" "a fixed and recorded"

# --no-fail-fast: cargo's status says nothing about which target failed,
# but each test binary's own exit status does (cargo reaps it with
# waitpid: FT_REC_EXIT): only the failed target is selected again
echo 41 > cfx/data/input.txt
cargo_record 101 cargo test --no-fail-fast
ft_affected_is "cfx/test/a" "--no-fail-fast and a failure: the failed target, by its own status"
echo 42 > cfx/data/input.txt
cargo_record 0 cargo test
ft_affected_is "" "fixed"

# the toolchain: every test depends on the rustc that built it
rustc_path=$(rustup which rustc 2>/dev/null || command -v rustc)
sqlite3 .ftrace/ftrace.db "select count(distinct t.id) from tests t join test_sets ts on ts.test_id = t.id
	join depset_states ds on ds.set_id = ts.set_id join states s on s.id = ds.state_id
	join paths p on p.id = s.path_id where cast(p.path as text) = '$rustc_path'" >"$FT_SCRATCH/n"
assert_eq "$(sqlite3 .ftrace/ftrace.db "select count(*) from tests")" "$(cat "$FT_SCRATCH/n")" \
	"every test depends on $rustc_path"
assert_eq 7 "$(cat "$FT_SCRATCH/n")" "the 7 targets (test/c forgotten)"

# outside the workspace `cargo metadata` fails: cannot tell, never less
db=$PWD/.ftrace/ftrace.db
(cd / && assert_status 2 "$FTRACE_BIN" affected --db "$db" --format cargo) 2>/dev/null
