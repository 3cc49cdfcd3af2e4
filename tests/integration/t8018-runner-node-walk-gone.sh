#!/usr/bin/env bash
# t8018-runner-node-walk-gone.sh - `node --test` walks the tree for test
# files in its own process and stats every entry; ingest keeps those stats
# as types of the runner's walk (reader "runner-scan", docs/runners.md).
# An entry gone since is no change to the walk: a deleted test file is
# selected by its own test's records (and left out of --format node), any
# other entry's going changes no file node runs.  A probe (2026-11-29,
# commander.js): `git rm` of a README selected all 109 test files, and a
# `git status` beside the recording made every test "unknown at recording"
# through .git/index.  Here: a README, a whole directory and a test file
# removed, and an entry of the tree replaced (a new inode) by a test while
# the walk's stat of it is kept; a content change still selects as before.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_need_node_test

ft_fixture node-basic
printf 'readme\n' >README.md
mkdir -p docs notes
printf 'x\n' >docs/x.md
printf '{"n": 0}\n' >notes/state.json
# d: while it runs, a process outside the recording replaces
# notes/state.json (write, then rename over it: a new inode, as `git
# status` does with .git/index), which the runner's walk had stat'ed
cat >test/d.test.js <<'EOF'
const fs = require('node:fs');
const test = require('node:test');
test('d waits for the outside change', () => {
	if (!process.env.FT_OUTSIDE)
		return;
	fs.writeFileSync('notes/go', '');
	const until = Date.now() + 30000;
	while (!fs.existsSync('notes/done') && Date.now() < until)
		Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
});
EOF
ft_old README.md docs docs/x.md notes notes/state.json test/d.test.js
git add -A && git -c user.email=t@t -c user.name=t commit -qm more

(
	for _ in $(seq 600); do [ -e notes/go ] && break; sleep 0.05; done
	printf '{"n": 1}\n' >notes/state.json.tmp && mv notes/state.json.tmp notes/state.json
	: >notes/done
) &
FT_OUTSIDE=1 ft_record 0 -- node --test
wait
grep -q "recorded 4 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 4 tests: $(cat "$FT_SCRATCH/run.err")"
[ -e notes/done ] || ft_fail "the outside change was not made"
# the walk's stat of notes/state.json, replaced by another process while
# the run went on, is what is there now (before: unknown at recording, for
# every test); d is selected by its own look-ups of notes/done
FT_OUTSIDE=1 ft_affected_is "test/d.test.js" "right after recording (notes/state.json replaced in the run)"
rm notes/go notes/done
ft_record 0 -- node --test
ft_affected_is "" "recorded again"

# a file no test reads, removed
git rm -q README.md
ft_affected_is "" "README.md removed"
git checkout -q HEAD -- README.md
ft_old README.md

# a directory no test reads, removed
git rm -rq docs
ft_affected_is "" "docs/ removed"
git checkout -q HEAD -- docs
ft_old docs docs/x.md

# a test file removed: its own test (left out of --format node), no other
ft_settle
git rm -q test/c.test.js
ft_affected_is "test/c.test.js" "test/c.test.js removed"
assert_set "" "$(ft affected --format node)" "--format node, test/c.test.js removed"
git checkout -q HEAD -- test/c.test.js
ft_old test/c.test.js

# still what tests read: a module's content
ft_change lib/solo.js
ft_affected_is "test/c.test.js" "lib/solo.js changed"
ft_revert lib/solo.js

# the kind is named in --explain and json when it is the reason: the walk
# saw README.md as a file, and a directory there now is a change
rm README.md && mkdir README.md
got=$(ft affected --explain)
grep -q "README.md: scanned-type dependency: type changed" <<<"$got" ||
	ft_fail "README.md made a directory: --explain: $got"
ft affected --format json >"$FT_SCRATCH/a.json" || ft_fail "--format json failed"
grep -q '"kind":"scanned-type"' "$FT_SCRATCH/a.json" || ft_fail "json: $(cat "$FT_SCRATCH/a.json")"
