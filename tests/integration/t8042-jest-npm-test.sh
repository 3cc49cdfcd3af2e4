#!/usr/bin/env bash
# t8042-jest-npm-test.sh - `npm test` whose script is jest works as calling
# jest directly, to record (`ftrace run -- npm test`) and to run only what is
# affected (`ftrace test -- npm test`, `ftrace test -- npx jest`): the
# selection goes to jest as --runTestsByPath FILE... (after `--` for npm);
# nothing affected runs nothing and exits 0; jest's exit status is passed
# on; a failed file runs again until it passes (docs/jest.md).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
# the test's own jest cache, through the script: "jest --cacheDirectory=..."
sed -i 's#"test": "jest"#"test": "jest --cacheDirectory='"$JEST_CACHE"'"#' package.json
grep -q "cacheDirectory" package.json || ft_fail "fixture: script not changed"

# ftest STATUS "letters" WHAT CMD...: ftrace test CMD exits STATUS and jest
# ran exactly the files "letters"
ftest() {
	local want=$1 letters=$2 what=$3 rc=0
	shift 3
	ft_settle
	rm -f "$RAN_LOG"
	ft test -- "$@" >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ "$rc" -eq "$want" ] || ft_fail "$what: ftrace test -- $* exited $rc, expected $want: $(cat "$FT_SCRATCH/err")"
	assert_set "$letters" "$(ran_files)" "$what: files jest ran"
}

# recording through npm: one test per file, passed
ft_record 0 -- npm test
grep -q "recorded 4 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 4 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "a passing npm test run"
ft_change lib/shared.js
ft_affected_is "test/a.test.js test/b.test.js test/c.test.js" "lib/shared.js changed"
ft_revert lib/shared.js

# ftrace test -- npm test
ftest 0 "" "nothing changed" npm test
grep -q "nothing affected" "$FT_SCRATCH/err" || ft_fail "nothing affected not said: $(cat "$FT_SCRATCH/err")"
ft_js_change lib/other.js
ftest 0 "d" "lib/other.js changed" npm test
grep -q -- "--runTestsByPath" "$FT_SCRATCH/out" || ft_fail "npm's script line shows no --runTestsByPath: $(cat "$FT_SCRATCH/out")"
ftest 0 "" "d recorded again" npm test
ft_revert lib/other.js
ftest 0 "d" "lib/other.js reverted" npm test

# a failing file: jest's status is passed on, and it runs until it passes
echo 41 > data/expected.txt
ftest 1 "c" "data/expected.txt broken" npm test
ftest 1 "c" "c failed last time" npm test
echo 42 > data/expected.txt
ftest 0 "c" "data/expected.txt fixed" npm test
ftest 0 "" "all passed" npm test

# ftrace test -- npx jest ARGS (in band), and arguments after npm's --
ft_js_change lib/only_a.js
ftest 0 "a" "lib/only_a.js changed, npx jest -i" npx jest --cacheDirectory="$JEST_CACHE" -i
ft_js_change lib/only_a.js
ftest 0 "a" "lib/only_a.js changed, npm test -- -i" npm test -- -i
ft_revert lib/only_a.js

# a new test file runs through npm too
cp test/d.test.js test/e.test.js
sed -i "s/'d '/'e '/" test/e.test.js
ftest 0 "a e" "a new test file (and a, changed back)" npm test
ftest 0 "" "e recorded" npm test

# jest choosing its own files: run as given (everything matching)
ftest 0 "a" "a path pattern" npx jest --cacheDirectory="$JEST_CACHE" test/a
grep -q "chooses its own test files" "$FT_SCRATCH/err" || ft_fail "reason not said: $(cat "$FT_SCRATCH/err")"

# no recording at all: everything runs
rm -rf .ftrace
ftest 0 "a b c d e" "no recording" npm test
