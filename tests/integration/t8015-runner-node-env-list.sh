#!/usr/bin/env bash
# t8015-runner-node-env-list.sh - a process that lists the environment
# (docs/usage.md, "Environment variables").  Node's Object.keys(process.env)
# takes the names from memory and then reads each with getenv: every
# variable set when recording was a dependency, but a variable set since,
# which the list now holds, was none, and a test that filters the list by
# prefix escaped.  A test process that read every variable of the
# environment `ftrace run` started in now depends on all of it ("$=").
# A runner's listing (node --test passes its environment on to each test
# file's process) and a launcher's (npm, sh between ftrace and the runner)
# do not count: what the tests read of it is seen in their own processes.
# npm's own configuration (npm_config_*) is every test's under npm.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v node >/dev/null && command -v npm >/dev/null || ft_skip "node/npm not installed"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || ft_skip "node older than 20"
unset T8015_NEW npm_config_t8015 NPM_CONFIG_T8015

ft_fixture node-basic
cat >test/d.test.js <<'EOF'
const test = require('node:test');
const assert = require('node:assert');
test('no T8015_ variable', () => {
  assert.deepStrictEqual(Object.keys(process.env).filter((k) => k.startsWith('T8015_')), []);
});
EOF
printf '{"name":"node-basic","version":"1.0.0","private":true,"scripts":{"test":"node --test"}}\n' > package.json
ft_old test/d.test.js package.json
git add -A && git -c user.email=t@t -c user.name=t commit -qm t8015
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

# the precondition: the listing test fails under a new variable
rc=0
T8015_NEW=1 node --test test/d.test.js >"$FT_SCRATCH/d.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || ft_fail "d.test.js passed with T8015_NEW set: $(cat "$FT_SCRATCH/d.out")"

for how in "node --test" "npm test"; do
	# shellcheck disable=SC2086
	ft_record 0 -- $how
	grep -q "recorded 4 tests" "$FT_SCRATCH/run.err" || ft_fail "$how: expected 4 tests: $(cat "$FT_SCRATCH/run.err")"
	ft_affected_is "" "$how: same environment"
	T8015_NEW=1 ft_affected_is "test/d.test.js" "$how: a new variable selects the file that lists them"
	out=$(T8015_NEW=1 "$FTRACE_BIN" affected --explain 2>&1)
	case $out in
	*'$=: env dependency: environment variable changed'*) ;;
	*) ft_fail "$how: --explain does not name the whole environment: $out" ;;
	esac
done

# under npm, its configuration by prefix: every test
npm_config_t8015=1 ft_affected_is "test/a.test.js test/b.test.js test/c.test.js test/d.test.js" \
	"npm test: an npm_config_ variable"
NPM_CONFIG_T8015=1 ft_affected_has "test/a.test.js test/b.test.js test/c.test.js" \
	"npm test: an NPM_CONFIG_ variable"
ft_record 0 -- node --test
npm_config_t8015=1 ft_affected_is "test/d.test.js" "node --test: npm_config_ is nothing to node"
