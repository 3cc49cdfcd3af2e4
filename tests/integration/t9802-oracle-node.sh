#!/usr/bin/env bash
# t9802-oracle-node.sh - the soundness oracle (lib-oracle.sh) on
# fixtures/node-basic: after each real change, the whole suite runs under
# `node --test` with a reporter that prints each test file's verdict (a
# file fails when any of its tests, or its loading, fails), and every file
# that fails or changed outcome must be in `ftrace affected`.  Issue 24:
# selections were checked only against sets worked out by hand.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"

ft_need_node_test

ft_fixture node-basic
TOP=$PWD
# the reporter lives outside the repository: it is the oracle's, not the project's
cat >"$FT_SCRATCH/oracle-reporter.mjs" <<'JS'
export default async function* (source) {
	for await (const ev of source) {
		if ((ev.type === 'test:pass' || ev.type === 'test:fail') && ev.data.file)
			yield `${ev.data.file}\t${ev.type === 'test:pass' ? 'pass' : 'fail'}\n`;
	}
}
JS
oracle_suite() {
	node --test --test-reporter="$FT_SCRATCH/oracle-reporter.mjs" 2>/dev/null |
		sed "s#^$TOP/##"
}

ft_record 0 -- node --test
oracle_baseline

oracle_scenario "a module one test file requires" \
	'ft_edit lib/solo.js "x + y" "x - y"' 'ft_back lib/solo.js'
oracle_scenario "a module two test files require" \
	'ft_edit lib/shared.js "x * 2" "x * 3"' 'ft_back lib/shared.js'
oracle_scenario "a data file" \
	'echo 4 > data/b.txt' 'ft_back data/b.txt'
oracle_scenario "a data file, deleted" \
	'rm data/b.txt' 'ft_back data/b.txt'
oracle_scenario "a package.json node probes, created (type: module)" \
	'echo "{\"type\": \"module\"}" > package.json' 'rm package.json'
oracle_scenario "a new failing test file" \
	'printf "require(\"node:test\")(\"d\", () => { throw new Error(\"d\"); });\n" > test/d.test.js' \
	'rm test/d.test.js'
oracle_finish
