#!/usr/bin/env bash
# t8100-runner-automake-subdirs.sh - Automake with tests in SUBDIRS.
# The case that broke: in a recursive build (`SUBDIRS = one two`, each with
# its own TESTS), `ftrace test -- make check` passed TESTS="..." on make's
# command line, which reaches every sub-make: each subdirectory was asked
# to run the top's entries and `make check` failed (exit 2) where plain
# `make check` passes, so the pre-commit hook refused every commit.  And
# `ftrace affected` selected every test with no change at all: the .trs and
# the harness's own .log/.trs were looked up where `ftrace run` ran, not in
# the driver's directory, and one/a.sh and two/a.sh were both "a.sh".
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-automake.sh"

ft_am_fixture automake-subdirs

ft_am_settle
ft run -- make check >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" ||
	ft_fail "ftrace run -- make check failed: $(cat "$FT_SCRATCH/run.err")"
grep -q "recorded 5 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 5 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "no change right after recording"

# each subdirectory's test is named by its directory: no collision
echo bad > two/a.txt
ft_affected_is "two/a.sh" "two/a.txt changed"
echo ok > two/a.txt
ft_affected_is "" "two/a.txt reverted"

# nothing affected: ftrace test runs nothing and passes
ft_am_settle
out=$(ft test -- make check 2>&1) || ft_fail "ftrace test with nothing affected exited $?: $out"
grep -q "nothing affected" <<<"$out" || ft_fail "ftrace test did not say nothing is affected: $out"

# something affected: the command runs whole (a TESTS= list cannot name
# the tests of several directories) and passes as plain make check does
ft_change one/b.txt
rm -f ./*.trs one/*.trs two/*.trs
ft_am_settle
out=$(ft test -- make check 2>&1) || ft_fail "ftrace test -- make check exited $? where make check passes: $out"
grep -q "SUBDIRS" <<<"$out" || ft_fail "ftrace test did not say why it runs everything: $out"
assert_set "top.sh one/a.sh one/b.sh two/a.sh two/b.sh" "$(ft_am_trs_ran)" "ftrace test ran the whole check"
ft_affected_is "" "ftrace test recorded what it ran"

# a new entry in a subdirectory is a new test, listed from the top
cp one/a.sh one/c.sh
sed -i 's/^TESTS = .*/& c.sh/' one/Makefile.am
assert_status 2 ft affected
make >/dev/null 2>&1 || ft_fail "make (regenerating the Makefiles) failed"
out=$(ft affected) || ft_fail "affected after make exited $?"
grep -qx "one/c.sh" <<<"$out" || ft_fail "the new subdirectory test is not selected: $out"
