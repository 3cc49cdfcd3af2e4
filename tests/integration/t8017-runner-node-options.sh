#!/usr/bin/env bash
# t8017-runner-node-options.sh - a recording answers only for `node --test`
# options like its own (docs/hooks.md "Options"; runners/runner_node.c,
# config).  `--env-file`, `--import`, `--conditions` change what each test
# file runs, and what they read was never read by the recording: recorded
# with `node --test`, `ftrace test -- node --test --env-file=.env.test`
# said "nothing affected" and exited 0, while plain node fails.  Now every
# file recorded with other options runs, once; reporters and the
# concurrency change nothing.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
ft_need_node_test

ft_fixture node-basic
export RAN_LOG=$FT_SCRATCH/ran.log   # each fixture file appends its letter
cat >test/d.test.js <<'JS'
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
test('d', () => {
	fs.appendFileSync(process.env.RAN_LOG, 'd\n');
	assert.ok(Number(process.env.LIMIT ?? 10) > 5, 'LIMIT is too small');
});
JS
echo "LIMIT=1" >.env.test
git add -A && git commit -qm "a test that an env file fails"

# ftest STATUS "letters" WHAT ARGS...: ftrace test -- node ARGS
ftest() {
	local rc=0 want=$1 ran=$2 what=$3
	shift 3
	ft_settle
	rm -f "$RAN_LOG"
	ft test -- node "$@" >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ "$rc" -eq "$want" ] || ft_fail "$what: ftrace test -- node $* exited $rc, expected $want: $(cat "$FT_SCRATCH/err")"
	assert_set "$ran" "$(cat "$RAN_LOG" 2>/dev/null)" "$what: files node ran"
}

node --test --env-file=.env.test >/dev/null 2>&1 && ft_fail "the env file fails nothing: this test would prove nothing"
ft_record 0 -- node --test
ftest 0 "" "same options" --test

ftest 1 "a b c d" "recorded without the env file" --test --env-file=.env.test
grep -q "4 tests recorded with other node options run too (recorded: none; this command: --env-file=.env.test)" \
	"$FT_SCRATCH/err" || ft_fail "the options not said: $(cat "$FT_SCRATCH/err")"
ftest 1 "d" "recorded with it: the failed file only" --env-file=.env.test --test
ftest 0 "a b c d" "recorded with it, run without" --test
ftest 0 "" "reporters and concurrency" --test --test-reporter=tap --test-concurrency=1
