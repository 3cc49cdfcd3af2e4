#!/usr/bin/env bash
# t6131-verify-not-run.sh - a command that stops at its first failure (as
# cargo test stops at the first target that fails) runs no later test.
# verify judged only what ran and said "2 known, 1 selected, 1 run": an
# escape among the tests that did not run went unsaid (a probe of cargo
# crates).  A line now says how many known tests did not run, and that
# nothing is judged of them.  A run of every test says nothing of it.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q .
echo 1 >a.txt && echo 1 >b.txt
cat >suite.sh <<'SH'
#!/bin/sh
set -e
FTRACE_TEST_ID=first sh -c 'test "$(cat a.txt)" = 1'
FTRACE_TEST_ID=second sh -c 'test "$(cat b.txt)" = 1'
SH
chmod +x suite.sh
ft_old a.txt b.txt suite.sh .
git add -A && git -c user.email=t@t -c user.name=t commit -qm t6131

ft_record 0 -- ./suite.sh
rc=0
"$FTRACE_BIN" verify -- ./suite.sh 2>"$FT_SCRATCH/v0.err" || rc=$?
assert_eq 0 "$rc" "verify with nothing changed"
grep -q "did not run" "$FT_SCRATCH/v0.err" && ft_fail "a whole run said tests did not run: $(cat "$FT_SCRATCH/v0.err")"

# first fails (selected): the suite stops, and second does not run
echo 2 >a.txt
rc=0
"$FTRACE_BIN" verify -- ./suite.sh 2>"$FT_SCRATCH/v1.err" || rc=$?
assert_eq 1 "$rc" "verify: the command's own failure"
grep -q "^ftrace: verify: 2 known, 1 selected, 1 run, 1 failed, 0 escapes$" "$FT_SCRATCH/v1.err" ||
	ft_fail "summary: $(cat "$FT_SCRATCH/v1.err")"
grep -q "^ftrace: verify: 1 known test did not run (removed, or the command stopped before it" \
	"$FT_SCRATCH/v1.err" || ft_fail "not said that second did not run: $(cat "$FT_SCRATCH/v1.err")"
exit 0
