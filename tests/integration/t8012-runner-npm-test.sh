#!/usr/bin/env bash
# t8012-runner-npm-test.sh - `ftrace run -- npm test` whose script is
# `node --test` works as calling node --test directly: one test per file,
# and a passing run is passed (npm and `sh -c 'node --test'` pass a failure
# on, so the run's 0 is node's); a failing run selects its files again.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v node >/dev/null && command -v npm >/dev/null || ft_skip "node/npm not installed"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || ft_skip "node older than 20"

ft_fixture node-basic
printf '{"name":"node-basic","version":"1.0.0","private":true,"scripts":{"test":"node --test"}}\n' > package.json
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

ft_record 0 -- npm test
grep -q "recorded 3 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 3 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "a passing npm test run"

ft_change lib/shared.js
ft_affected_is "test/a.test.js test/b.test.js" "lib/shared.js changed"
ft_record 1 -- npm test
ft_revert lib/shared.js
ft_affected_is "test/a.test.js test/b.test.js" "the failed files of a failed run, by their own status"
ft_record 0 -- npm test
ft_affected_is "" "passing again"

# `sh -c 'npm test; true'` hides npm's status, but not each file's own
# (its process's exit status, as node reaped it): all passed
ft_record 0 -- sh -c 'npm test; true'
ft_affected_is "" "status hidden by the shell: each file's own status says passed"

# recorded from a subdirectory: npm runs the script at the package root, so
# a new test file anywhere in the package is new for `ftrace affected` too
ft_record 0 -- npm test
(cd lib && ft_settle && "$FTRACE_BIN" run -q -- npm test >/dev/null 2>&1) || ft_fail "npm test from lib/ failed"
ft_affected_is "" "recorded from lib/"
cp test/c.test.js test/e.test.js
ft_affected_is "test/e.test.js" "a new test file after recording from lib/"
assert_set "test/e.test.js" "$(cd lib && ft affected)" "the same from lib/"
