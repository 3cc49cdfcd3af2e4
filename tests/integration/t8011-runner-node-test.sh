#!/usr/bin/env bash
# t8011-runner-node-test.sh - `ftrace test -- node --test`: everything with
# no recording, then only the affected and new test files (as node's file
# arguments), nothing when nothing is affected, node's exit status.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v node >/dev/null || ft_skip "node not installed"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || ft_skip "node older than 20"

ft_fixture node-basic
export RAN_LOG=$FT_SCRATCH/ran.log   # each fixture file appends its letter

# ftest STATUS "letters" WHAT
ftest() {
	local rc=0
	ft_settle
	rm -f "$RAN_LOG"
	# why, before the run records again (a failure once, under load 9,
	# ran every file with nothing changed)
	ft affected --explain >"$FT_SCRATCH/explain" 2>&1 || true
	ft test -- node --test >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ "$rc" -eq "$1" ] || ft_fail "$3: ftrace test -- node --test exited $rc, expected $1: $(cat "$FT_SCRATCH/err")"
	if [ "$(printf '%s\n' $2 | sed '/^$/d' | LC_ALL=C sort -u)" != \
	     "$(sed '/^$/d' "$RAN_LOG" 2>/dev/null | LC_ALL=C sort -u)" ]; then
		echo "--- before the run, ftrace affected --explain said:" >&2
		cat "$FT_SCRATCH/explain" >&2
	fi
	assert_set "$2" "$(cat "$RAN_LOG" 2>/dev/null)" "$3: files node ran"
}

ftest 0 "a b c" "no recording"
ftest 0 "" "nothing changed"
grep -q "nothing affected" "$FT_SCRATCH/err" || ft_fail "nothing affected not said"

ft_change lib/solo.js
ftest 1 "c" "lib/solo.js broken"
ftest 1 "c" "c failed last time"
ft_revert lib/solo.js
ftest 0 "c" "lib/solo.js fixed"
ftest 0 "" "all passed"

cp test/c.test.js test/e.test.js
sed -i "s/'c\\\\n'/'e\\\\n'/" test/e.test.js
ftest 0 "e" "a new test file"
ftest 0 "" "e recorded"

# every file changed: `ftrace test` runs them all as node's file
# arguments, and that run holds every test.  A file added after it is
# still found by the default format: the run's entry keeps node's own
# arguments, not the files of the narrowing (a command that names its
# files has no other tests: runners/ft_runner_meta.h)
for f in test/*.test.js; do echo '// changed' >>"$f"; done
ftest 0 "a b c e" "every file changed"
cp test/c.test.js test/f.test.js
sed -i "s/'c\\\\n'/'f\\\\n'/" test/f.test.js
out=$(ft affected) || ft_fail "affected after the narrowed run failed"
grep -qx "test/f.test.js" <<<"$out" || ft_fail "a file added after a narrowed run is not selected: $out"
ftest 0 "f" "new test file f"

# node's own file arguments: run as given
ft test -- node --test test/a.test.js >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || ft_fail "node --test test/a.test.js failed"
grep -q "names its own test files" "$FT_SCRATCH/err" || ft_fail "files given: no reason: $(cat "$FT_SCRATCH/err")"
