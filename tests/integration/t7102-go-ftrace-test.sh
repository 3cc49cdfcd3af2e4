#!/usr/bin/env bash
# t7102-go-ftrace-test.sh - `ftrace test -- go test ./...` (docs/go.md):
# every package with no recording, then only the affected and new packages
# (as go test's package arguments), nothing when nothing is affected, go
# test's exit status, a failed package run again; other shapes of the
# command run as given.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_need_go
ft_fixture go-mod
export RAN_LOG=$FT_SCRATCH/ran.log   # each fixture test appends its package name

# gtest STATUS "packages" WHAT [go test args]: ftrace test -- go test ARGS
gtest() {
	local want=$1 pkgs=$2 what=$3 rc=0
	shift 3
	ft_settle
	rm -f "$RAN_LOG"
	ft test -- go test "${@:-./...}" >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ "$rc" -eq "$want" ] || ft_fail "$what: ftrace test -- go test exited $rc, expected $want: $(cat "$FT_SCRATCH/err")"
	assert_set "$pkgs" "$(cat "$RAN_LOG" 2>/dev/null)" "$what: packages go test ran"
}

gtest 0 "calc report" "no recording"
gtest 0 "" "nothing changed"
grep -q "nothing affected" "$FT_SCRATCH/err" || ft_fail "nothing affected not said"

ft_go_edit report/report.go
gtest 0 "report" "report.go changed"
grep -q "1 affected test" "$FT_SCRATCH/err" || ft_fail "count not said: $(cat "$FT_SCRATCH/err")"
gtest 0 "" "report recorded"

# a failing package: go test's status, and it is run again next time
ft_go_edit calc/testdata/numbers.txt x
gtest 1 "calc" "calc's data broken"
gtest 1 "calc" "calc failed last time"
ft_revert calc/testdata/numbers.txt
gtest 0 "calc" "calc's data fixed"
gtest 0 "" "all passed"

# flags of the -name=value form are kept
ft_go_edit calc/calc.go
gtest 0 "calc report" "calc.go changed, with flags" -count=1 -v ./...
grep -q "=== RUN   TestSum" "$FT_SCRATCH/out" || ft_fail "-v not passed on"
ft_revert calc/calc.go
gtest 0 "calc report" "calc.go reverted"

# a new package with tests
mkdir report/extra
cat >report/extra/extra_test.go <<'GO'
package extra

import (
	"os"
	"testing"
)

func TestE(t *testing.T) {
	f, _ := os.OpenFile(os.Getenv("RAN_LOG"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	f.WriteString("extra\n")
	f.Close()
}
GO
gtest 0 "extra report" "a new package (and report's listing)"
gtest 0 "" "extra recorded"

# other shapes run as given, with the reason on stderr
gtest 0 "calc" "packages named" ./calc
grep -q "only \`go test \[FLAGS\] ./...\` is narrowed" "$FT_SCRATCH/err" ||
	ft_fail "packages named: no reason: $(cat "$FT_SCRATCH/err")"
# `-run X` (a separate value) is Go's flag grammar too: narrowed, and
# nothing is affected
gtest 0 "" "-run with a separate value" -run Test ./...

# a flag that changes which files build (-tags) is narrowed too, and go
# list is asked with it: a package whose files all carry the tag exists
# only with it, and is new (not listed without the tag, it was left out).
# First every package runs once with the tag: recorded without it, they
# do not answer for a command with it (t7107)
gtest 0 "calc extra report" "-tags: recorded without the tag" -tags=slow ./...
grep -q "tests recorded with other go options run too (recorded: none; this command: -tags=slow)" "$FT_SCRATCH/err" ||
	ft_fail "-tags: other options not said: $(cat "$FT_SCRATCH/err")"
mkdir report/tagged
cat >report/tagged/tagged_test.go <<'GO'
//go:build slow

package tagged

import (
	"os"
	"testing"
)

func TestT(t *testing.T) {
	f, _ := os.OpenFile(os.Getenv("RAN_LOG"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	f.WriteString("tagged\n")
	f.Close()
}
GO
# (and report, whose directory listing changed, as for extra above)
gtest 0 "report tagged" "-tags: the package that exists only with the tag is new" -tags=slow ./...
gtest 0 "" "-tags: tagged recorded" -tags slow ./...
ft_go_edit report/tagged/tagged_test.go
gtest 0 "tagged" "-tags: the tagged test edited" -tags=slow ./...
