#!/usr/bin/env bash
# `ftrace test --failed-first -- npx jest` (docs/hooks.md): jest takes no
# order from outside, but its default test sequencer starts the files that
# failed in its last run first (its cache), and ftrace's narrowing of the
# command (--runTestsByPath with the selected files) keeps that: ftrace says
# so, and the files' own start log ($RAN_LOG, in band) shows the failed
# file first although it ran last before it failed.
#
# fixtures/jest-basic, whose files a, b and c read lib/shared.js; each of
# them fails when $FT_SCRATCH/fail (which ftrace does not see) names it.  The
# file jest ran last of them is made to fail alone, then all three run
# again.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture
# (a file under a temporary directory outside the repository is scratch,
# never a dependency: docs/internals.md, "Not dependencies")
for f in a b c; do
	sed "s/@F@/$f/g; s#@S@#$FT_SCRATCH#g" >>"test/$f.test.js" <<'JS'
test('@F@ fails when asked', () => expect(require('child_process').spawnSync('sh', ['-c', 'test "$(cat @S@/fail 2>/dev/null)" != @F@']).status).toBe(0));
JS
done
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm jest
JEST=(npx jest --cacheDirectory="$JEST_CACHE" -i)

# order: the letters of $RAN_LOG in the order the files started
order() { cut -d' ' -f1 "$RAN_LOG" | tr -d '\n'; }

# jest_test STATUS ARGS...: ftrace test ARGS -- jest, with a fresh RAN_LOG
jest_test() {
	local want=$1 got=0
	shift
	rm -f "$RAN_LOG"
	ft_settle
	ft test "$@" -- "${JEST[@]}" >"$FT_SCRATCH/jest.out" 2>"$FT_SCRATCH/jest.err" || got=$?
	[ "$got" = "$want" ] ||
		ft_fail "ftrace test $* exited $got, expected $want: $(tail -20 "$FT_SCRATCH/jest.err")"
}

jest_test 0 -q
# the three files that read lib/shared.js, in jest's own order
echo '// touched' >>lib/shared.js
jest_test 0 -q
plain=$(order)
assert_eq 3 "${#plain}" "a, b and c ran ($plain)"
last=${plain:2:1}
# the last of them fails, alone (its own file changed)
echo '// touched' >>"test/$last.test.js"
echo "$last" >"$FT_SCRATCH/fail"
jest_test 1 -q
rm "$FT_SCRATCH/fail"
assert_eq "$last" "$(order)" "only $last.test.js ran, and failed"
# all three selected again: $last failed last time, the others for shared.js
echo '// touched again' >>lib/shared.js
jest_test 0 --failed-first
grep -q "^ftrace: test: --failed-first: jest's own test sequencer runs the test files that failed last time first" \
	"$FT_SCRATCH/jest.err" || ft_fail "not said: $(cat "$FT_SCRATCH/jest.err")"
got=$(order)
assert_eq 3 "${#got}" "three files ran ($got)"
assert_eq "$last" "${got:0:1}" "the file that failed last time first ($got; before: $plain)"
