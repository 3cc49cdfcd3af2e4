#!/usr/bin/env bash
# t9804-oracle-jest.sh - the soundness oracle (lib-oracle.sh) on
# fixtures/jest-basic: after each real change, the whole suite runs with
# jest's JSON report (--json: each test file's status), and every file
# that fails or changed outcome must be in `ftrace affected --format
# jest`.  Issue 24: selections were checked only against sets worked out
# by hand.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"
. "$(dirname "$0")/lib-oracle.sh"

ft_jest_fixture
TOP=$PWD

oracle_suite() {
	rm -f "$FT_SCRATCH/jest.json"
	npx jest --cacheDirectory="$FT_SCRATCH/jest-cache-oracle" --json \
		--outputFile="$FT_SCRATCH/jest.json" >/dev/null 2>&1 || true
	"$FT_PYTHON" - "$FT_SCRATCH/jest.json" "$TOP" <<'PY'
import json, os, sys
for r in json.load(open(sys.argv[1]))["testResults"]:
    print("%s\t%s" % (os.path.relpath(r["name"], sys.argv[2]),
                      "pass" if r["status"] == "passed" else "fail"))
PY
}
oracle_selected() { "$FTRACE_BIN" affected --format jest; }

ft_jest_record 0
oracle_baseline

oracle_scenario "a module one test file requires" \
	'ft_edit lib/only_a.js "add(x, x)" "add(x, 1)"' 'ft_back lib/only_a.js'
oracle_scenario "a module three test files require" \
	'ft_edit lib/shared.js "a + b" "a - b"' 'ft_back lib/shared.js'
oracle_scenario "a data file" \
	'echo 41 > data/expected.txt' 'ft_back data/expected.txt'
oracle_scenario "a data file, deleted" \
	'rm data/expected.txt' 'ft_back data/expected.txt'
oracle_scenario "a jest config jest probes for, created" \
	'echo "module.exports = { setupFiles: [\"<rootDir>/boom.js\"] };" > jest.config.js; echo "throw new Error(\"boom\");" > boom.js' \
	'rm jest.config.js boom.js'
oracle_scenario "a new failing test file" \
	'echo "test(\"e\", () => { expect(1).toBe(2); });" > test/e.test.js' 'rm test/e.test.js'
oracle_finish
