#!/usr/bin/env bash
# t8048-jest-options.sh - a recording answers only for jest options like
# its own (docs/hooks.md "Options"; runners/runner_jest.c, config).  A
# `--setupFiles` given on the command line runs before every test file,
# and the recording never read it: recorded with `npx jest`, `ftrace test
# -- npx jest --setupFiles ./setup-bad.js` said "nothing affected" and
# exited 0, while plain jest fails.  Now every file recorded with other
# options runs once; output and pace options (-i, -w, --silent) change
# nothing; through npm, the script's options count as the command's.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
echo "global.LIMIT = 1;" >setup-bad.js
cat >>test/d.test.js <<'JS'
test('limit', () => {
  expect(global.LIMIT ?? 10).toBeGreaterThan(5);
});
JS
git add -A && git commit -qm "a setup file that fails d"

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
J="npx jest --cacheDirectory=$JEST_CACHE"

npx jest --cacheDirectory="$JEST_CACHE" --setupFiles ./setup-bad.js >/dev/null 2>&1 &&
	ft_fail "the setup file fails nothing: this test would prove nothing"
ft_jest_record 0
ftest 0 "" "same options" $J -w 2

ftest 1 "a b c d" "recorded without the setup file" $J --setupFiles=./setup-bad.js
grep -q "4 tests recorded with other jest options run too (recorded: none; this command: --setupFiles=./setup-bad.js)" \
	"$FT_SCRATCH/err" || ft_fail "the options not said: $(cat "$FT_SCRATCH/err")"
ftest 1 "d" "recorded with it: the failed file only" $J -i --setup-files=./setup-bad.js
ftest 0 "a b c d" "recorded with it, run without" $J
ftest 0 "" "output and pace" $J -i --silent

# through npm: the script's words are the command's options, on both sides
sed -i 's#"test": "jest"#"test": "jest --cacheDirectory='"$JEST_CACHE"' --setupFiles=./setup-bad.js"#' package.json
git commit -qam "the script sets the setup file"
ftest 1 "a b c d" "the script changed (package.json is every file's)" npm test
ftest 1 "d" "npm test again: the script's options are the recording's" npm test
! grep -q "other jest options" "$FT_SCRATCH/err" || ft_fail "npm test: the script's options not read: $(cat "$FT_SCRATCH/err")"
ftest 0 "a b c d" "npx jest without the setup file, after npm test with it (d failed)" $J -i
grep -q "3 tests recorded with other jest options run too (recorded: --setupFiles=./setup-bad.js; this command: none)" \
	"$FT_SCRATCH/err" || ft_fail "npx jest after npm test: $(cat "$FT_SCRATCH/err")"
