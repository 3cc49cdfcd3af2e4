#!/usr/bin/env bash
# t8050-runner-automake.sh - `ftrace run -- make check` with Automake's
# parallel harness: each TESTS entry is one test, found by its test-driver
# process (docs/runners.md).  Exact sets for no change, a data file of one
# test, a helper two tests source, a test script and a program source (make
# itself checks those: every test, the documented precision limit), a
# failing test, and a new TESTS entry; then `make check TESTS=...` with the
# selection runs exactly those.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

for tool in autoreconf automake make cc; do
	command -v $tool >/dev/null || ft_skip "$tool not installed (scripts/install-deps.sh installs it)"
done

ft_fixture automake-basic
autoreconf -fi >/dev/null 2>&1 || ft_fail "autoreconf failed"
./configure >/dev/null || ft_fail "configure failed"
# check_PROGRAMS are built by `make check` only.  A program the recording
# itself builds and a test then runs was modified during the run: that test
# is selected once more (DESIGN.md), so build them first.
make check >/dev/null 2>&1 || ft_fail "make check failed before recording"

# ft_record settles mtimes to 2020, older than the system headers the
# objects depend on, and make would rebuild everything in every run.  Here
# files the build wrote are set an hour back instead (sources stay older).
am_record() {
	local want=$1 rc=0 past
	past=@$(($(date +%s) - 3600))
	find . \( -path ./.git -o -path ./.ftrace \) -prune -o -newermt "$past" \
		-exec touch -h -d "$past" {} +
	ft_clock_past_ctime
	"$FTRACE_BIN" run -- make check >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" || rc=$?
	[ "$rc" -eq "$want" ] || ft_fail "ftrace run -- make check exited $rc, expected $want: $(cat "$FT_SCRATCH/run.err")"
}

# ran_by_make "ids" WHAT: make check TESTS="<selection>" runs exactly ids
ran_by_make() {
	local sel rc=0
	sel=$(ft affected) || rc=$?
	[ "$rc" -eq 0 ] || ft_fail "$2: affected exited $rc"
	rm -f ./*.log ./*.trs tests/*.log tests/*.trs
	make check TESTS="$(printf '%s\n' $sel | tr '\n' ' ')" >/dev/null 2>&1 || true
	assert_set "$1" "$(find . -name '*.trs' | sed 's#^\./##; s#\.trs$##')" "$2: tests make check ran"
}

am_record 0
grep -q "recorded 3 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 3 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "right after recording"
ran_by_make "" "no change"

# the harness's own .log/.trs/test-suite.log are not dependencies: a second
# recording (which deletes and rewrites them) still selects nothing
am_record 0
ft_affected_is "" "after a second recording"

ft_change data/beta.txt
ft_affected_is "tests/beta.sh" "data/beta.txt changed"
ran_by_make "tests/beta.sh" "data/beta.txt changed"
ft_revert data/beta.txt

ft_change data/alpha.txt
ft_affected_is "t_alpha" "data/alpha.txt (read by the compiled test) changed"
ft_revert data/alpha.txt

ft_change tests/lib.sh
ft_affected_is "tests/beta.sh tests/gamma.sh" "tests/lib.sh, sourced by two tests, changed"
ran_by_make "tests/beta.sh tests/gamma.sh" "tests/lib.sh changed"
ft_revert tests/lib.sh
ft_affected_is "" "all reverted"

# make compares the mtimes of every prerequisite before running anything:
# a program source or a test script is in the prelude (docs/runners.md)
ft_change src/t_alpha.c
ft_affected_is "t_alpha tests/beta.sh tests/gamma.sh" "src/t_alpha.c changed: make's prelude"
ft_revert src/t_alpha.c
# the reverted source is newer than the program: build it now, or the next
# recording builds it and its test is "modified during the run" once more
make t_alpha >/dev/null || ft_fail "make t_alpha failed"

# a failing test: its .trs says FAIL; the others passed and stay unselected
echo bad > data/gamma.txt
am_record 2
ft_affected_is "tests/gamma.sh" "gamma failed last time"
echo ok > data/gamma.txt
am_record 0
ft_affected_is "" "gamma passes again"

# a new TESTS entry: listed by make where the recording ran, from any format
cp tests/beta.sh tests/delta.sh
sed -i 's#^TESTS = .*#& tests/delta.sh#' Makefile.am
# Makefile.am newer than the Makefile: its TESTS may be stale, cannot tell
assert_status 2 ft affected
make >/dev/null 2>&1 || ft_fail "make (regenerating the Makefile) failed"
out=$(ft affected) || ft_fail "affected after make exited $?"
grep -qx "tests/delta.sh" <<<"$out" || ft_fail "the new test is not selected: $out"
grep -q '"id":"tests/delta.sh"' <<<"$(ft affected --format json)" || ft_fail "new test missing from json"
am_record 0
grep -q "recorded 4 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 4 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "the new test recorded"
ft_change data/beta.txt
ft_affected_is "tests/beta.sh tests/delta.sh" "data/beta.txt read by beta and delta"
ft_revert data/beta.txt

# `ftrace test -- make check` narrows TESTS to the affected and new entries
# (checked by the .trs files make wrote), and runs nothing when nothing is
ft_settle_am() { local past=@$(($(date +%s) - 3600)); find . \( -path ./.git -o -path ./.ftrace \) -prune -o -newermt "$past" -exec touch -h -d "$past" {} +; ft_clock_past_ctime; }
ft_settle_am
out=$(ft test -- make check 2>&1) || ft_fail "ftrace test with nothing affected exited $?: $out"
grep -q "nothing affected" <<<"$out" || ft_fail "ftrace test did not say nothing is affected: $out"
# trs_ran "ids" WHAT: `ftrace test -- make check` ran exactly ids
trs_ran() {
	rm -f ./*.trs tests/*.trs
	ft_settle_am
	ft test -- make check >/dev/null 2>&1 || ft_fail "$2: ftrace test -- make check exited $?"
	assert_set "$1" "$(find . -name '*.trs' | sed 's#^\./##; s#\.trs$##')" "$2: the tests make ran"
}
ft_change data/gamma.txt
trs_ran "tests/gamma.sh" "a data file of one test"
ft_affected_is "" "ftrace test recorded what it ran"
# a new entry regenerates the Makefile, which make reads first: every test,
# and the new one (in TESTS=)
cp tests/beta.sh tests/epsilon.sh
sed -i 's#^TESTS = .*#& tests/epsilon.sh#' Makefile.am
make >/dev/null 2>&1 || ft_fail "make (regenerating the Makefile) failed"
trs_ran "t_alpha tests/beta.sh tests/delta.sh tests/epsilon.sh tests/gamma.sh" "a new TESTS entry"
ft_affected_is "" "after the new entry ran"
