#!/usr/bin/env bash
# t8040-jest-inband.sh - `ftrace run -- npx jest -i`: jest runs every test
# file in its own process, one after the other; the adapter (adapters/jest,
# loaded through NODE_OPTIONS) marks each file's boundaries, and each file
# is one test named by its path from the repository top (docs/jest.md).
#
# Exact sets for a module of one test, a module shared by three (each test
# file after the first requires it again from jest's caches: it must still
# depend on it), a data file, the test file itself, no change, jest config
# (every test), a new test file; each fed to the real jest with
# --runTestsByPath.  Then everything again after a second recording, with
# jest's transform cache warm: cached transforms must not hide a read, nor
# its in-memory one a nested .babelrc (a lookup of babel's).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture

ALL="test/a.test.js test/b.test.js test/c.test.js test/d.test.js"

# matrix WHEN: the per-change sets of the fixture
matrix() {
	ft_jest_matrix_common "$1"

	# -i: jest's own process runs the tests; its listings inside a test
	# file stay the test's (only its crawl in the prelude counts as types)
	touch data/new.txt
	ft_affected_is "test/c.test.js" "$1: a new file in data/"
	rm data/new.txt

	ft_change test/b.test.js
	ft_affected_is "test/b.test.js" "$1: the test file itself changed"
	ft_revert test/b.test.js

	ft_touch_all
	ft_affected_is "" "$1: mtimes only"

	# a nested babel configuration: every test file that loads a module
	# of lib/ (jest's in-memory transform cache had hidden babel's lookups
	# of it from every test file but the first to load each module: only
	# that one was selected, found on a probe of dayjs)
	printf '{"plugins": ["./no-such-plugin"]}\n' >lib/.babelrc
	ft_affected_is "$(ls test/*.test.js)" "$1: a new lib/.babelrc"
	rm lib/.babelrc
}

ft_jest_record 0 -i
grep -q "recorded 4 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 4 tests: $(cat "$FT_SCRATCH/run.err")"
assert_eq 1 "$(ran_pids)" "-i: every file in one process"
matrix "cold cache"

# jest's config selects every test: a new jest.config.js, package.json
echo 'module.exports = { testTimeout: 9000 };' > jest.config.js
ft_affected_is "$ALL" "jest.config.js created"
rm jest.config.js
ft_affected_is "" "jest.config.js removed"
cp package.json "$FT_SCRATCH/package.json"
sed -i 's/"version": "1.0.0"/"version": "1.0.1"/' package.json
ft_affected_is "$ALL" "package.json changed"
# broken, jest cannot list its tests: new ones cannot be found, cannot tell
echo garbage >> package.json
assert_status 2 "$FTRACE_BIN" affected
cp "$FT_SCRATCH/package.json" package.json
echo 'module.exports = {};' > babel.config.js
ft_affected_is "$ALL" "babel.config.js created"
rm babel.config.js

# a new test file: selected by --format jest (jest --listTests lists it)
cat > test/e.test.js <<'EOF'
if (process.env.RAN_LOG) require('fs').appendFileSync(process.env.RAN_LOG, 'e ' + process.pid + '\n');
const { lower } = require('../lib/lower');
test('lower', () => {
  expect(lower('X')).toBe('x');
});
EOF
cat > lib/lower.js <<'EOF'
module.exports = { lower: (s) => s.toLowerCase() };
EOF
ran_by_jest "test/e.test.js" "a new test file"
# the plain format too: jest is asked where the recording ran it
ft_affected_is "test/e.test.js" "plain format: the new test file too"

# where jest cannot list its tests, new ones cannot be found: cannot tell
mv node_modules/.bin/jest node_modules/.bin/jest.off
assert_status 2 "$FTRACE_BIN" affected --format jest
assert_status 2 "$FTRACE_BIN" affected
mv node_modules/.bin/jest.off node_modules/.bin/jest

# second recording: transforms come from jest's cache now
ft_jest_record 0 -i
grep -q "recorded 5 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 5 tests: $(cat "$FT_SCRATCH/run.err")"
ls "$JEST_CACHE"/jest-transform-cache-* >/dev/null 2>&1 || ft_fail "no jest transform cache in $JEST_CACHE"
ran_by_jest "" "the new file recorded"
ft_change lib/lower.js
ft_affected_is "test/e.test.js" "warm cache: lib/lower.js changed"
ft_revert lib/lower.js
matrix "warm cache"

# a failing test file is selected until it passes; the others are not
echo 41 > data/expected.txt
ft_jest_record 1 -i
echo 42 > data/expected.txt
ft_affected_is "test/c.test.js" "after c failed"
ft_jest_record 0 -i
ft_affected_is "" "after c passed again"

# a removed test file: its own test (its read of it), no other: jest's
# crawl saw it exist, and an entry gone is no change to the crawl (reader
# "runner-scan", docs/jest.md); --format jest leaves the removed file out,
# as jest would fail on a path that does not exist
rm test/d.test.js
ft_affected_is "test/d.test.js" "d removed: lines format"
ran_by_jest "" "d removed"
