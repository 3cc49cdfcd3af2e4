#!/usr/bin/env bash
# t8033-cargo-failed-build.sh - a recording whose build failed stores the
# whole command as one test, named after it and failed (ft_ingest.h,
# fallback_name); once the build works again, the command's own tests
# replace it:
#  - `ftrace run -- cargo test` that records the tests forgets it, and says
#    so; `affected` is then empty (before: "cargo test" stayed "failed last
#    time", printed by every `affected`, and `--format cargo` exited 2);
#  - a build that fails under `ftrace test` (narrowed to `-p PKG --test T`)
#    names it after the command as given, and the next `ftrace test` runs
#    that command whole, since no runner's syntax names it (before: it was
#    named after the narrowed command, and `ftrace test` said "nothing
#    affected" while it stayed for good).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

mkdir -p "$FT_SCRATCH/repo/src" "$FT_SCRATCH/repo/tests" && cd "$FT_SCRATCH/repo"
cat >Cargo.toml <<'EOF2'
[package]
name = "fb"
version = "0.1.0"
edition = "2021"
EOF2
cat >src/lib.rs <<'EOF2'
pub fn one() -> u32 { 1 }

#[test]
fn lib_one() { assert_eq!(one(), 1); }
EOF2
cat >tests/i.rs <<'EOF2'
#[test]
fn i_one() { assert_eq!(fb::one(), 1); }
EOF2
printf 'target/\n.ftrace/\n' >.gitignore
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm t8033
cargo generate-lockfile --offline >/dev/null 2>&1 || :
git add -A && git -c user.email=t@t -c user.name=t commit -qm lock >/dev/null 2>&1 || :

# the command's test: exactly the line "cargo test", or not
whole_is() {
	local out
	out=$("$FTRACE_BIN" affected) || ft_fail "$2: affected failed"
	if [ "$1" = yes ]; then
		grep -qx "cargo test" <<<"$out" || ft_fail "$2: 'cargo test' not selected: $out"
	else
		grep -qx "cargo test" <<<"$out" && ft_fail "$2: 'cargo test' still selected: $out"
	fi
	return 0
}

cargo_record 0 cargo test
ft_affected_is "" "right after recording"

cp src/lib.rs "$FT_SCRATCH/lib.rs"
echo 'pub fn broken() -> u32 { nope }' >>src/lib.rs
cargo_record 101 cargo test
whole_is yes "a failed build: the command is its one test"
cp "$FT_SCRATCH/lib.rs" src/lib.rs
ft_old src/lib.rs
cargo_record 0 cargo test
grep -q "forgot the test named after the command" "$FT_SCRATCH/run.err" ||
	ft_fail "the recording did not say it forgot the command's test: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "the build works again and its tests are recorded"
rc=0
"$FTRACE_BIN" affected --format cargo >"$FT_SCRATCH/fmt.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] && [ ! -s "$FT_SCRATCH/fmt.out" ] ||
	ft_fail "--format cargo exited $rc: $(cat "$FT_SCRATCH/fmt.out")"

# the same under `ftrace test`, which narrows to the changed target
cp tests/i.rs "$FT_SCRATCH/i.rs"
echo 'fn broken() -> u32 { nope }' >>tests/i.rs
ft_clock_past_ctime
rc=0
"$FTRACE_BIN" test -- cargo test >"$FT_SCRATCH/t1.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || ft_fail "ftrace test passed with a test that does not compile"
grep -q -- "--test i" "$FT_SCRATCH/t1.out" || grep -q "1 affected test" "$FT_SCRATCH/t1.out" ||
	ft_fail "ftrace test did not narrow: $(cat "$FT_SCRATCH/t1.out")"
whole_is yes "a failed build under ftrace test: named after the command as given"
cp "$FT_SCRATCH/i.rs" tests/i.rs
ft_old tests/i.rs
ft_clock_past_ctime
rc=0
"$FTRACE_BIN" test -- cargo test >"$FT_SCRATCH/t2.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || ft_fail "ftrace test exited $rc: $(cat "$FT_SCRATCH/t2.out")"
grep -q "the command as a whole is selected" "$FT_SCRATCH/t2.out" ||
	ft_fail "ftrace test did not run the command whole: $(cat "$FT_SCRATCH/t2.out")"
grep -q "i_one ... ok" "$FT_SCRATCH/t2.out" && grep -q "lib_one ... ok" "$FT_SCRATCH/t2.out" ||
	ft_fail "the whole command did not run every test: $(cat "$FT_SCRATCH/t2.out")"
whole_is no "the whole run recorded its tests"
ft_affected_is "" "the tree as recorded"
rc=0
"$FTRACE_BIN" test -- cargo test >"$FT_SCRATCH/t3.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] && grep -q "nothing affected" "$FT_SCRATCH/t3.out" ||
	ft_fail "ftrace test after that: exit $rc: $(cat "$FT_SCRATCH/t3.out")"
