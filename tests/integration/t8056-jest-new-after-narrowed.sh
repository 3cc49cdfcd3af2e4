#!/usr/bin/env bash
# t8056-jest-new-after-narrowed.sh - new test files after a run of files
# by path.  `ftrace test` narrows jest to `ARGS --runTestsByPath FILE...`,
# and that run's entry is what `ftrace affected` asks jest with for new
# test files (`jest --listTests ARGS`).  Asked with the files, jest listed
# only those, so a test file made after such a run was never selected
# once that run held every test (a change that selected them all): a
# silent miss in the default format.  The files and the switch are left
# out of the listing now.  A narrowed command line longer than a record
# keeps (4 KiB) keeps its words up to the narrowing's; a command line of
# the user's cut short lost options, and `affected` says it cannot tell.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture
ALL="test/a.test.js test/b.test.js test/c.test.js test/d.test.js"

# new_file WHAT: a new test file is selected by both formats
new_file() {
	cat >test/e.test.js <<'JS'
test('e', () => { expect(1).toBe(1); });
JS
	ft_affected_is "test/e.test.js" "$1: a new test file"
	assert_set "test/e.test.js" "$("$FTRACE_BIN" affected --format jest)" "$1: --format jest"
	rm test/e.test.js
}

# narrowed_all N: a change of package.json selects all N files, and
# `ftrace test` runs them by path: that run holds every test
narrowed_all() {
	local rc=0
	sed -i "s/\"version\": \"1\.0\.[0-9]*\"/\"version\": \"1.0.$1\"/" package.json
	ft_settle
	"$FTRACE_BIN" test -- npx jest --cacheDirectory="$JEST_CACHE" >"$FT_SCRATCH/test.out" 2>&1 || rc=$?
	assert_eq 0 "$rc" "ftrace test of $1 files ($(tail -3 "$FT_SCRATCH/test.out"))"
	grep -q "ftrace: $1 affected tests" "$FT_SCRATCH/test.out" ||
		ft_fail "ftrace test did not narrow to the $1 files: $(cat "$FT_SCRATCH/test.out")"
	ft_affected_is "" "after ftrace test of $1 files"
}

# 1. a whole run, then every file by path
ft_jest_record 0
narrowed_all 4
new_file "after ftrace test ran every file by path"

# 2. many files: the narrowed command line is longer than a record keeps
# (4 KiB), and is kept up to the narrowing's words
mkdir test/gen
for i in $(seq 1 120); do
	printf "test('g%s', () => { expect(1).toBe(1); });\n" "$i" >"test/gen/g$i.test.js"
done
ft_jest_record 0
grep -q "recorded 124 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 124 tests: $(cat "$FT_SCRATCH/run.err")"
narrowed_all 124
new_file "after ftrace test ran 124 files by path"
rm -r test/gen

# 3. a command line of the user's cut short: its options are not known
long=$(printf 'x%.0s' $(seq 1 5000))
ft_jest_record 0 --testPathIgnorePatterns "/no-such-dir-$long/"
rc=0
"$FTRACE_BIN" affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 2 "$rc" "a cut command line: cannot tell ($(cat "$FT_SCRATCH/err"))"
grep -q "longer than a record keeps" "$FT_SCRATCH/err" || ft_fail "the reason: $(cat "$FT_SCRATCH/err")"
printf 'test("e", () => {});\n' >test/e.test.js
assert_set "test/e.test.js" "$("$FTRACE_BIN" affected --format jest)" "a cut command line: --format jest asks jest here"
rm test/e.test.js
