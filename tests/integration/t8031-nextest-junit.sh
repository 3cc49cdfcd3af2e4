#!/usr/bin/env bash
# t8031-nextest-junit.sh - nextest's own per-test durations and outcomes
# from the JUnit report its profile writes (issue 27, docs/cargo.md).
# A test that sleeps after its last file access: ftrace's records end at
# that access, nextest's `time` covers the sleep.  Without junit.path the
# duration is ftrace's own; with `[profile.default.junit] path` it is
# nextest's (source runner, at least the sleep); `--profile ci` with a
# report in a subdirectory; a stale report (the config dropped, the file
# left from the last run) is not read, nor one behind a symlink (a
# warning names it).  Outcomes: a test that fails, then
# passes on retry (`--retries 1`) in a run that fails (another test
# fails) has processes that disagree: without the report its outcome is
# the run's guess, with it nextest's own "passed"; the failing test stays
# failed either way.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env
cargo nextest --version >/dev/null 2>&1 || ft_skip "cargo-nextest not installed (scripts/install-rust.sh)"

ft_fixture cargo-ws
cat >>cfx/tests/b.rs <<'RS'

#[test]
fn b_slow() {
    let text = std::fs::read_to_string("data/input.txt").unwrap();
    assert_eq!(text.trim(), "42");
    std::thread::sleep(std::time::Duration::from_millis(700));
}
RS
git add -A && git -c user.email=t@t -c user.name=t commit -qm slow

SLOW="cfx::b b_slow"
# newest recorded (source, ns >= 0.7 s, outcome) of test $1
times_of() {
	"$FT_PYTHON" - "$1" <<'PY'
import sqlite3, sys
row = sqlite3.connect(".ftrace/ftrace.db").execute(
    "SELECT source, ns >= 700000000, outcome FROM test_times WHERE name = ? "
    "ORDER BY run_id DESC LIMIT 1", (sys.argv[1],)).fetchone()
print("%s %d %d" % row if row else "none")
PY
}
source_of() { times_of "$1" | cut -d' ' -f1,2; }
outcome_of() { times_of "$1" | cut -d' ' -f3; }

# no junit.path: nextest writes no report, the duration is ftrace's
cargo_record 0 cargo nextest run
assert_eq "ftrace" "$(source_of "$SLOW" | cut -d' ' -f1)" "no report: ftrace's own duration"
[ ! -e target/nextest/default/junit.xml ] || ft_fail "nextest wrote a report without junit.path"

# the default profile writes target/nextest/default/junit.xml
mkdir -p .config
printf '[profile.default.junit]\npath = "junit.xml"  # nextest writes it\n' >.config/nextest.toml
cargo_record 0 cargo nextest run
[ -f target/nextest/default/junit.xml ] || ft_fail "nextest wrote no report"
assert_eq "runner 1" "$(source_of "$SLOW")" "the report: nextest's own time, with the sleep"
assert_eq "runner" "$(source_of "cfx::a a_data" | cut -d' ' -f1)" "every test of the report"
grep -q "JUnit" "$FT_SCRATCH/run.err" && ft_fail "a warning for a good report: $(cat "$FT_SCRATCH/run.err")"

# the config dropped: the report left there is the last run's, not read
rm .config/nextest.toml
cargo_record 0 cargo nextest run
assert_eq "ftrace" "$(source_of "$SLOW" | cut -d' ' -f1)" "a stale report is not read"

# --profile ci, a report in a subdirectory; -P ci the same
cat >.config/nextest.toml <<'TOML'
[profile.default]
retries = 0

[profile.ci]
junit = { path = "reports/ci.xml", store-success-output = false }
TOML
cargo_record 0 cargo nextest run --profile ci
[ -f target/nextest/ci/reports/ci.xml ] || ft_fail "nextest wrote no ci report"
assert_eq "runner 1" "$(source_of "$SLOW")" "--profile ci: its report"
cargo_record 0 cargo nextest run
assert_eq "ftrace" "$(source_of "$SLOW" | cut -d' ' -f1)" "the default profile has no report"
cargo_record 0 cargo nextest run -P ci
assert_eq "runner" "$(source_of "$SLOW" | cut -d' ' -f1)" "-P ci: its report"

# the report a symlink (nextest writes through it): never followed, a
# warning naming it, ftrace's own durations
printf '[profile.default.junit]\npath = "junit.xml"\n' >.config/nextest.toml
rm -f target/nextest/default/junit.xml
ln -s "$FT_SCRATCH/elsewhere.xml" target/nextest/default/junit.xml
cargo_record 0 cargo nextest run
[ -s "$FT_SCRATCH/elsewhere.xml" ] || ft_fail "nextest did not write through the symlink"
grep -q "warning: .*/target/nextest/default/junit.xml: nextest's JUnit report not used (not a regular file" \
	"$FT_SCRATCH/run.err" || ft_fail "no warning for a symlinked report: $(cat "$FT_SCRATCH/run.err")"
assert_eq "ftrace" "$(source_of "$SLOW" | cut -d' ' -f1)" "a symlinked report is not read"
rm target/nextest/default/junit.xml

# a retried test that passed the second time, in a failed run
MARK=$(mktemp -u "${TMPDIR:-/tmp}/ft-flaky.XXXXXX")
cat >>cfx/tests/a.rs <<RS

#[test]
fn a_flaky() {
    let mark = std::path::Path::new("$MARK");
    if !mark.exists() {
        std::fs::write(mark, "1").unwrap();
        panic!("the first attempt fails");
    }
}

#[test]
fn a_fails() {
    panic!("always");
}
RS
cargo_record 100 cargo nextest run --no-fail-fast --retries 1
assert_eq "1" "$(outcome_of "cfx::a a_flaky")" "a retried test: nextest's own 'passed'"
assert_eq "2" "$(outcome_of "cfx::a a_fails")" "the failing test: failed"
rm -f "$MARK"
mv .config/nextest.toml .config/off.toml
cargo_record 100 cargo nextest run --no-fail-fast --retries 1
assert_eq "0" "$(outcome_of "cfx::a a_flaky")" "no report: the run's guess (failed, unknown)"
assert_eq "2" "$(outcome_of "cfx::a a_fails")" "no report: the failing test, by its own status"
rm -f "$MARK"
