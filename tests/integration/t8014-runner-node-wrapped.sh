#!/usr/bin/env bash
# `ftrace run -- c8 node --test`: a coverage reporter wrapped around the
# runner (docs/runners.md, "After every test").  c8 points NODE_V8_COVERAGE
# at coverage/tmp, starts `node --test`, and once it has exited reads every
# source file to write its report.  With NODE_V8_COVERAGE set, the runner
# image stats the sources while the tests run (a type: it only asks what
# exists), and the reporter's reads after them were the same prelude
# dependency: content, so an edit of any source selected every test.
# When every process of every process-tree test has ended (its exit
# known), what the prelude first read after that reaches no test, as for
# pytest's end-marked tests; a path it had only stat'ed before keeps that
# type.  The wrapper here is c8's shape in a few lines of node (no
# registry); coverage/ is named in .ftrace.json's ignore, as c8's own
# users would (its directory is emptied and made again by every run).
# A file the wrapper reads before the tests start stays every test's.
# Without the ignore, every test is selected after every recording, and
# `ftrace run` says why and names the way out.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_need_node_test

ft_fixture node-basic
cat >wrap.js <<'JS'
// c8's shape: settings read first, the runner with NODE_V8_COVERAGE set,
// then every source read for the report, which goes to coverage/
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const settings = fs.readFileSync('wrap.json', 'utf8');
fs.rmSync('coverage/tmp', { recursive: true, force: true });
fs.mkdirSync('coverage/tmp', { recursive: true });
const env = { ...process.env, NODE_V8_COVERAGE: path.resolve('coverage/tmp') };
const r = spawnSync(process.execPath, ['--test'], { env, stdio: 'inherit' });
let lines = 0;
for (const f of fs.readdirSync('lib')) lines += fs.readFileSync(path.join('lib', f), 'utf8').split('\n').length;
fs.writeFileSync('coverage/report.txt', `${settings.trim()} ${lines}\n`);
process.exit(r.status === null ? 1 : r.status);
JS
echo '{"reporter": "text"}' >wrap.json
printf '{"ignore": ["coverage"]}\n' >.ftrace.json
printf 'coverage/\n' >.gitignore
git add -A && git -c user.email=t@t -c user.name=t commit -qm wrap
ft_settle

A=test/a.test.js B=test/b.test.js C=test/c.test.js
rec() {
	ft run -- node wrap.js >"$FT_SCRATCH/run.out" 2>&1 || ft_fail "the wrapped run failed: $(cat "$FT_SCRATCH/run.out")"
	[ -s coverage/report.txt ] || ft_fail "the wrapper wrote no report"
}
rec
assert_set "" "$(ft affected --format ids)" "no change"
rec
assert_set "" "$(ft affected --format ids)" "no change, recorded again"

# a source one test module requires: that test, not every test
ft_edit lib/solo.js 'x + y' 'y + x'
assert_set "$C" "$(ft affected --format ids)" "lib/solo.js edited"
ft_back lib/solo.js
ft_edit lib/shared.js 'x * 2' '2 * x'
assert_set "$A $B" "$(ft affected --format ids)" "lib/shared.js edited"
ft_back lib/shared.js

# what the wrapper read before the tests is every test's
echo '{"reporter": "html"}' >wrap.json
ft_settle
assert_set "$A $B $C" "$(ft affected --format ids)" "the wrapper's settings edited"
ft_back wrap.json

git rm -q .ftrace.json && git -c user.email=t@t -c user.name=t commit -qm noignore
ft_settle
rec
assert_set "$A $B $C" "$(ft affected --format ids)" "coverage/ not ignored"
grep -q 'note: coverage/tmp.* changed during the run, or was made after a lookup found it absent.*"ignore"' \
	"$FT_SCRATCH/run.out" || ft_fail "no note naming coverage/tmp: $(cat "$FT_SCRATCH/run.out")"
