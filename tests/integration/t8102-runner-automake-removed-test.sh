#!/usr/bin/env bash
# t8102-runner-automake-removed-test.sh - an entry removed from Automake's
# TESTS (docs/selection.md, "A ctest test whose add_test was removed").
# Its recording stays in the database and its files (the Makefile) differ
# from it, so every `ftrace affected` selected it from then on, also
# right after a full recording; `make check TESTS=...` of it fails.
# Automake's TESTS list every test it has: one no list names cannot run,
# and is left out, with a note on stderr (t8005 is ctest's).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-automake.sh"

ft_am_fixture automake-basic
ft_am_settle
ft run -- make check >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" ||
	ft_fail "ftrace run -- make check failed: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "recorded"

sed -i 's| tests/gamma.sh$||' Makefile.am
grep -q '^TESTS = t_alpha tests/beta.sh$' Makefile.am || ft_fail "the fixture's TESTS line moved"
make >/dev/null 2>&1 || ft_fail "make after removing gamma failed"
ft_affected_is "t_alpha tests/beta.sh" "gamma removed (the Makefile changed for the others)"
grep -q "left out 1 recorded automake test that automake does not list (removed from the build): tests/gamma.sh" \
	"$FT_SCRATCH/affected.stderr" ||
	ft_fail "affected should say that it left gamma out: $(cat "$FT_SCRATCH/affected.stderr")"
ft_am_settle
ft run -- make check >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" ||
	ft_fail "ftrace run -- make check failed: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "recorded again without gamma"
