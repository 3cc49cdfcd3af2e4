#!/usr/bin/env bash
# t8032-cargo-build-reruns.sh - what a build script watches, and what an
# example a test runs reads (docs/cargo.md, "Dependencies"), exact sets:
#  - a file a build script names with `cargo:rerun-if-changed`, which an
#    integration test also `include_str!`s: every test that reaches the
#    script's package (its generated source is in the library), not only
#    the test that includes it (before: only that one, and the library's
#    test, which the change fails, escaped);
#  - a directory the script names, a file in it that a test includes: the
#    same;
#  - a package that does not reach the script: never;
#  - `option_env!` in an example that an integration test runs: the
#    package's integration tests, any of which may run it (before:
#    nothing; the example's dep-info is not in deps/); and `ftrace test`
#    and `--format cargo` run that package whole, which builds the
#    examples (before: `--test ex`, which ran the stale example and
#    passed).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env
unset MINI_GREETING

mkdir -p "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo"
cat >Cargo.toml <<'EOF2'
[workspace]
members = ["mini", "other"]
resolver = "2"
EOF2
mkdir -p mini/src mini/tests mini/examples mini/data mini/gen other/src
cat >mini/Cargo.toml <<'EOF2'
[package]
name = "mini"
version = "0.1.0"
edition = "2021"
EOF2
cat >mini/build.rs <<'EOF2'
fn main() {
    println!("cargo:rerun-if-changed=data/n.txt");
    println!("cargo:rerun-if-changed=gen");
    let n = std::fs::read_to_string("data/n.txt").unwrap();
    let bytes: u64 = std::fs::read_dir("gen").unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len()).sum();
    let out = std::env::var("OUT_DIR").unwrap();
    std::fs::write(format!("{out}/gen.rs"),
                   format!("pub const N: u32 = {};\npub const BYTES: u64 = {};\n", n.trim(), bytes))
        .unwrap();
}
EOF2
cat >mini/src/lib.rs <<'EOF2'
include!(concat!(env!("OUT_DIR"), "/gen.rs"));

#[test]
fn n_is_3() {
    assert_eq!(N, 3);
    assert_eq!(BYTES, 2);
}
EOF2
echo 3 >mini/data/n.txt
echo a >mini/gen/a.txt
cat >mini/tests/t.rs <<'EOF2'
const D: &str = include_str!("../data/n.txt");
const A: &str = include_str!("../gen/a.txt");

#[test]
fn d() {
    assert!(!D.is_empty() && !A.is_empty());
}
EOF2
cat >mini/examples/hello.rs <<'EOF2'
fn main() {
    println!("{}", option_env!("MINI_GREETING").unwrap_or("hello"));
}
EOF2
cat >mini/tests/ex.rs <<'EOF2'
#[test]
fn example_says_hello() {
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("examples/hello");
    let out = std::process::Command::new(bin).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "hello");
}
EOF2
cat >other/Cargo.toml <<'EOF2'
[package]
name = "other"
version = "0.1.0"
edition = "2021"
EOF2
cat >other/src/lib.rs <<'EOF2'
#[test]
fn other() {}
EOF2
printf 'target/\n.ftrace/\n' >.gitignore
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm t8032
cargo generate-lockfile --offline >/dev/null 2>&1 || :
git add -A && git -c user.email=t@t -c user.name=t commit -qm lock >/dev/null 2>&1 || :

# (recorded twice: the first recording runs the build script, whose own
# read of the file is the prelude's, every test's; the second compiles
# nothing, as a developer's next run, and the dependencies come from the
# files cargo keeps)
cargo_record 0 cargo test
cargo_record 0 cargo test
MINI="mini/lib mini/doc mini/test/t mini/test/ex"
grep -q "recorded 6 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 6 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "right after recording"

echo 4 >mini/data/n.txt
ft_affected_is "$MINI" "a file the build script watches and a test includes"
rc=0
cargo test -p mini --lib >"$FT_SCRATCH/lib.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || ft_fail "mini's library test passed: the fixture no longer uses the watched file"
echo 3 >mini/data/n.txt
ft_old mini/data/n.txt
ft_affected_is "" "the watched file back"

echo ab >mini/gen/a.txt
ft_affected_is "$MINI" "a file in a directory the build script watches, which a test includes"
echo a >mini/gen/a.txt
ft_old mini/gen/a.txt
ft_affected_is "" "that file back"

# (every integration test of the package: any of them may run the example)
MINI_GREETING=bye ft_affected_is "mini/test/ex mini/test/t" "option_env! in an example a test runs"
# (a whole `cargo test` builds the examples; `--test ex` alone would
# not, and ran the example built before: ex passed.  So the package runs
# whole, in cargo's syntax and under `ftrace test`)
lines=$(MINI_GREETING=bye "$FTRACE_BIN" affected --format cargo) ||
	ft_fail "affected --format cargo failed"
assert_eq "-p mini" "$lines" "--format cargo: a test that may run an example runs its whole package"
rc=0
MINI_GREETING=bye "$FTRACE_BIN" test -- cargo test --no-fail-fast >"$FT_SCRATCH/ft.out" 2>&1 || rc=$?
grep -q "example_says_hello ... FAILED" "$FT_SCRATCH/ft.out" && [ "$rc" -ne 0 ] ||
	ft_fail "ftrace test ran ex against the example built before the change (exit $rc): $(cat "$FT_SCRATCH/ft.out")"
rc=0
MINI_GREETING=bye cargo test -p mini --no-fail-fast >"$FT_SCRATCH/ex.out" 2>&1 || rc=$?
grep -q "example_says_hello ... FAILED" "$FT_SCRATCH/ex.out" ||
	ft_fail "ex passed with MINI_GREETING set: the fixture no longer reads it: $(cat "$FT_SCRATCH/ex.out")"
