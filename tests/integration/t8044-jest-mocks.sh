#!/usr/bin/env bash
# t8044-jest-mocks.sh - jest's manual mocks of node modules (docs/jest.md,
# "The haste map scan"): any `__mocks__/NAME.js` under the roots, at the
# top or deeper (lib/__mocks__), stands in for the node module NAME in
# every test file that requires it, with no jest.mock() call: jest takes
# it from its scan's map, and no test file looks it up on disk.  Every
# test depends on each scanned directory's `__mocks__` entry (absent, or
# its listing), so a new mock anywhere selects every test (before: none,
# and the test files requiring NAME failed in a full run, found on a
# probe of dayjs).  A new plain file is still no change; a mock file
# edited selects the tests that used it (they read it).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture
mkdir -p node_modules/tinydep
echo 'module.exports = () => 1;' >node_modules/tinydep/index.js
printf '{"name": "tinydep", "version": "1.0.0", "main": "index.js"}\n' >node_modules/tinydep/package.json
cat >test/f.test.js <<'JS'
if (process.env.RAN_LOG) require('fs').appendFileSync(process.env.RAN_LOG, 'f ' + process.pid + '\n');
const dep = require('tinydep');
test('dep', () => {
  expect(dep()).toBe(1);
});
JS
git add test/f.test.js && git -c user.email=t@t -c user.name=t commit -qm f
ft_settle
ALL="test/a.test.js test/b.test.js test/c.test.js test/d.test.js test/f.test.js"

ft_jest_record 0 -i
grep -q "recorded 5 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 5 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "right after recording"

touch lib/new.js
ft_affected_is "" "a new plain file under the roots"
rm lib/new.js

for dir in __mocks__ lib/__mocks__; do
	mkdir -p $dir
	echo 'module.exports = () => 2;' >$dir/tinydep.js
	ft_affected_is "$ALL" "a new manual mock, $dir/tinydep.js"
	# (the mock is real: f fails with it)
	if npx jest --cacheDirectory="$JEST_CACHE" --runTestsByPath test/f.test.js >/dev/null 2>&1; then
		ft_fail "$dir/tinydep.js did not mock tinydep for f: the case shows nothing"
	fi
	rm -rf $dir
	ft_affected_is "" "$dir removed again"
done

# recorded with a mock that keeps f passing: a second mock file, and an
# edit of the mock f used
mkdir lib/__mocks__
echo 'module.exports = () => 1;' >lib/__mocks__/tinydep.js
ft_settle
ft_jest_record 0 -i
ft_affected_is "" "recorded with lib/__mocks__/tinydep.js"
echo 'module.exports = {};' >lib/__mocks__/other.js
ft_affected_is "$ALL" "another file in lib/__mocks__"
rm lib/__mocks__/other.js
echo 'module.exports = () => 1; // edited' >lib/__mocks__/tinydep.js
ft_affected_is "test/f.test.js" "the mock edited: the test file that used it (it read it)"
