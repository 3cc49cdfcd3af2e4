#!/usr/bin/env bash
# t8034-cargo-ambiguous-name.sh - a workspace member whose name another
# package of the graph also has (a dependency of another version: insta
# pulls in similar 2.7.0 where the crate is similar 3.2.0, a probe of
# mitsuhiko/similar).  `cargo test -p foo` is then ambiguous: cargo refused
# `ftrace test`'s narrowed command and `--format cargo`'s lines, and no
# affected test ran.  `-p` now takes NAME@VERSION for such a member, where
# Cargo.lock holds the name twice (runners/ft_cargo_spec.h; docs/cargo.md).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

mkdir -p "$FT_SCRATCH/dep/foo-old/src" "$FT_SCRATCH/dep/bar/src" "$FT_SCRATCH/foo/src"
cd "$FT_SCRATCH/dep"
printf '[package]\nname = "foo"\nversion = "0.1.0"\nedition = "2021"\n' >foo-old/Cargo.toml
echo 'pub fn old() {}' >foo-old/src/lib.rs
printf '[package]\nname = "bar"\nversion = "0.1.0"\nedition = "2021"\n[dependencies]\nfoo = { path = "../foo-old" }\n' \
	>bar/Cargo.toml
echo 'pub fn b() { foo::old() }' >bar/src/lib.rs
cd "$FT_SCRATCH/foo"
printf '[package]\nname = "foo"\nversion = "0.2.0"\nedition = "2021"\n[dev-dependencies]\nbar = { path = "../dep/bar" }\n' \
	>Cargo.toml
printf 'pub fn two() -> u32 { 2 }\n#[test]\nfn t() { bar::b(); assert_eq!(two(), 2); }\n' >src/lib.rs
printf 'target/\n.ftrace/\n' >.gitignore
cargo generate-lockfile --offline >/dev/null 2>&1 || ft_fail "cargo generate-lockfile"
[ "$(grep -c '^name = "foo"$' Cargo.lock)" = 2 ] || ft_fail "Cargo.lock does not hold foo twice"
ft_old .
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm t8034

cargo_record 0 cargo test
ft_affected_is "" "right after recording"
sed -i 's/{ 2 }/{ 3 }/' src/lib.rs
out=$("$FTRACE_BIN" affected --format cargo) || ft_fail "affected --format cargo exited $?"
assert_eq "-p foo@0.2.0 --lib
-p foo@0.2.0 --doc" "$out" "--format cargo names the member by its version"
# each line is one that cargo takes: the library's test runs, and fails
rc=0
cargo test -p foo@0.2.0 --lib >"$FT_SCRATCH/line.out" 2>&1 || rc=$?
grep -q "test t \.\.\. FAILED" "$FT_SCRATCH/line.out" ||
	ft_fail "cargo test -p foo@0.2.0 --lib did not run t (exit $rc): $(tail -5 "$FT_SCRATCH/line.out")"
# ftrace test runs the affected test, which fails
rc=0
"$FTRACE_BIN" test -- cargo test >"$FT_SCRATCH/test.out" 2>"$FT_SCRATCH/test.err" || rc=$?
[ "$rc" -ne 0 ] || ft_fail "ftrace test passed: the changed test did not run"
grep -q "test t \.\.\. FAILED" "$FT_SCRATCH/test.out" ||
	ft_fail "ftrace test did not run t (exit $rc): $(tail -5 "$FT_SCRATCH/test.err")"
grep -q "is ambiguous" "$FT_SCRATCH/test.err" && ft_fail "cargo found -p ambiguous: $(cat "$FT_SCRATCH/test.err")"
exit 0
