#!/usr/bin/env bash
# t8101-runner-automake-tests-below.sh - Automake's most common layout:
# `SUBDIRS = src tests`, every test in tests/, and a top Makefile with no
# test harness of its own (fixtures/automake-below).  The case that broke
# (libconfuse): `ftrace test -- make check` at the top was taken for no
# runner's command, a single test that no recording ever named, so it ran
# every test every time, even with nothing affected, and said nothing.
# Now it is Automake's: with nothing affected it runs nothing; otherwise
# TESTS="..." names the affected entries of the one directory that has
# tests (the list reaches that directory's make through MAKEFLAGS).  With
# tests in several directories it still runs whole (t8100).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-automake.sh"

ft_am_fixture automake-below
ftest() { # ftest "ran" WHAT: ftrace test -- make check passes and runs exactly "ran"
	rm -f tests/*.trs
	ft_am_settle
	out=$(ft test -- make check 2>&1) || ft_fail "$2: ftrace test -- make check exited $?: $out"
	assert_set "$1" "$(ft_am_trs_ran)" "$2: the tests ftrace test ran"
}

ft_am_settle
ft run -- make check >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" ||
	ft_fail "ftrace run -- make check failed: $(cat "$FT_SCRATCH/run.err")"
grep -q "recorded 3 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 3 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "no change right after recording"

ftest "" "nothing affected"
grep -q "nothing affected" <<<"$out" || ft_fail "ftrace test did not say nothing is affected: $out"

ft_change tests/b.txt
ft_affected_is "tests/b.sh" "tests/b.txt changed"
ftest "tests/b.sh" "tests/b.txt changed"
ft_affected_is "" "ftrace test recorded what it ran"

ft_change src/lib.txt
ftest "tests/c.sh" "src/lib.txt changed"

# a failing test: make check's status, and it stays selected
echo bad >tests/a.txt
rm -f tests/*.trs
ft_am_settle
rc=0
out=$(ft test -- make check 2>&1) || rc=$?
[ "$rc" -ne 0 ] || ft_fail "a failing test: ftrace test -- make check exited 0: $out"
assert_set "tests/a.sh" "$(ft_am_trs_ran)" "a failing test: the tests ftrace test ran"
ft_affected_is "tests/a.sh" "the failed test"
echo ok >tests/a.txt
ftest "tests/a.sh" "fixed"

# a new entry is a new test
cp tests/a.sh tests/d.sh
sed -i 's/^TESTS = .*/& d.sh/' tests/Makefile.am
make >/dev/null 2>&1 || ft_fail "make (regenerating the Makefiles) failed"
# (the regenerated tests/Makefile is every test's: docs/runners.md)
ft_affected_is "tests/a.sh tests/b.sh tests/c.sh tests/d.sh" "a new entry"
ftest "tests/a.sh tests/b.sh tests/c.sh tests/d.sh" "a new entry"
ftest "" "all recorded"
