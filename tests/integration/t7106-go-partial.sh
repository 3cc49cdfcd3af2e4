#!/usr/bin/env bash
# A package recorded in part must not answer for a whole run.  `go test
# -run X` (or -skip, -list, -short) runs only some of a package's tests,
# and the package is one test: its recording held what those read.  A
# later `go test ./...` (or `ftrace test` over it) then missed an edit
# that only the other tests of the package see: a data file, another
# test's helper.  Such a package is stored untraced now (always selected),
# with a line on stderr, until a run of the whole package records it
# again.  Flags that run every test (-v, -count, -json) change nothing.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_go_mod_fixture

ft_record 0 -- go test ./...
ft_affected_is "" "right after a whole run"

for flags in "-run TestSum" "-run=TestSum" "-skip TestSum" "-short" "-list ."; do
	ft_record 0 -- go test $flags ./calc
	grep -q "1 test ran only in part" "$FT_SCRATCH/run.err" ||
		ft_fail "go test $flags: no word of a run in part: $(cat "$FT_SCRATCH/run.err")"
	ft_affected_is "$C" "after go test $flags ./calc: calc always, until a whole run"
	[ "$(ft_untraced "$C")" = 1 ] || ft_fail "go test $flags: calc not stored untraced"
	ft_record 0 -- go test ./...
	ft_affected_is "" "a whole run after go test $flags"
done

for flags in "-v" "-count=2" "-json" "-run=" "-short=false"; do
	ft_record 0 -- go test $flags ./calc
	! grep -q "ran only in part" "$FT_SCRATCH/run.err" ||
		ft_fail "go test $flags: called a run in part"
	ft_affected_is "" "go test $flags runs every test"
done

# an import that cannot be found makes plain `go list ./...` fail for every
# package; --format go asks `go list -e`, which still lists them all (the
# broken one is tested, and fails, as go test ./... would)
ft_record 0 -- go test ./...
sed -i 's#^import (#import (\n\t_ "example.com/gomod/nosuch"#' report/report.go
out=$(ft affected --format go) || ft_fail "affected --format go with a broken import exited $?"
assert_set "$R" "$out" "--format go with a package whose import cannot be found"
