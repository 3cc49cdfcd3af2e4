#!/usr/bin/env bash
# t8043-jest-env.sh - environment variables under jest (docs/jest.md,
# "Environment variables"): jest copies the whole environment into each
# test file's sandboxed process.env, whose reads no hook sees: a variable
# unset when recording, read there, was missed.  The adapter reports what
# each test file reads of its copy: such a variable selects the files
# that read it, a new variable nobody reads selects nothing, and a file
# that lists the environment depends on all of it.  With -w 2 (workers)
# and in band.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture
cat >test/e.test.js <<'JS'
test('mode', () => {
  expect(process.env.T8043_MODE || 'slow').toBe('slow');
  expect('T8043_FLAG' in process.env).toBe(false);
});
JS
cat >test/f.test.js <<'JS'
test('whole', () => {
  expect(Object.keys(process.env)).not.toContain('T8043_NEVER');
});
JS
ft_old test/e.test.js test/f.test.js test
git add -A && git -c user.email=t@t -c user.name=t commit -qm t8043
unset T8043_MODE T8043_FLAG T8043_OTHER T8043_NEVER
export T8043_PRESENT=1   # set when recording, read by no test file by name

# sel_is "ids" WHAT: exactly ids; but with workers (-w 2) a test file a
# worker ran first may be selected too, for the whole environment ("$=")
# alone: a module the worker loaded while it ran that file (debug, which
# @babel/core requires, lists process.env for its DEBUG_* options) read
# every variable, and a variable set since would be in its list
# (docs/usage.md, "Environment variables")
sel_is() {
	local out
	if [ "$how" = "-i" ]; then
		ft_affected_is "$1" "$2"
		return
	fi
	ft_affected_has "$1" "$2"
	out=$("$FTRACE_BIN" affected --format json) || ft_fail "$2: affected --format json"
	"$FT_PYTHON" -c 'import json, sys
want = set(sys.argv[1].split())
for t in json.loads(sys.stdin.read())["tests"]:
    if t["id"] not in want and {r["path"] for r in t["reasons"]} != {"$="}:
        sys.exit("%s: %r" % (t["id"], t["reasons"]))' "$1" <<<"$out" ||
		ft_fail "$2: a test beyond '$1' selected for another reason than \$="
}

for how in "-w 2" "-i"; do
	rm -rf .ftrace
	rm -f "$JEST_CACHE"/perf-cache-*
	ft_jest_record 0 $how
	grep -q "recorded 6 tests" "$FT_SCRATCH/run.err" || ft_fail "$how: expected 6 tests: $(cat "$FT_SCRATCH/run.err")"
	ft_affected_is "" "$how: same environment"
	T8043_MODE=fast sel_is "test/e.test.js test/f.test.js" "$how: a variable e.test.js reads"
	T8043_FLAG=1 sel_is "test/e.test.js test/f.test.js" "$how: a variable e.test.js tests with 'in'"
	T8043_OTHER=1 sel_is "test/f.test.js" "$how: a variable only the listing sees"
	# (npx and jest's own start-up list the environment here, so every
	# test file may depend on each variable set when recording)
	T8043_PRESENT=2 ft_affected_has "test/f.test.js" "$how: a variable set when recording"
	# RAN_LOG: read by the fixture's files by name (with workers, jest
	# hands its whole environment to them, so each file may be selected)
	(unset RAN_LOG; ft_affected_has "test/a.test.js test/b.test.js test/c.test.js test/d.test.js test/f.test.js" \
		"$how: RAN_LOG, which a, b, c and d read")
done
