#!/usr/bin/env bash
# t7101-go-format.sh - `ftrace affected --format go` (docs/go.md): import
# paths for `go test`, new packages with tests found through `go list`,
# "cannot tell" (exit 2) where go list finds no package; outcomes of a failing
# go test; and the ptrace back end's PROC records (argv and cwd of every
# image) that the runner rule reads.  Go's build cache is the user's own
# here (GOCACHE left as it is), outside any temporary directory.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_need_go
ft_fixture go-mod
C=example.com/gomod/calc R=example.com/gomod/report L=example.com/gomod/tools/lonely

ft_record 0 --keep-records -- go test ./...
ft_affected_is "" "right after recording"

# every traced image has its argv, and the ptrace back end adds its cwd:
# the test binaries run in their package directories
run=$(ls -d .ftrace/runs/*/ | head -1)
ft records "$run" >"$FT_SCRATCH/records" || ft_fail "ftrace records failed"
grep -q " ARGV - 0 - \[go test \./\.\.\.\]$" "$FT_SCRATCH/records" ||
	ft_fail "no ARGV line for go test: $(grep ARGV "$FT_SCRATCH/records" | head -3)"
for p in calc report; do
	pid=$(grep " ARGV - 0 - \[[^ ]*/$p\.test " "$FT_SCRATCH/records" | head -1 | cut -d' ' -f1)
	[ -n "$pid" ] || ft_fail "no ARGV line for $p.test"
	grep -qx "$pid - CWD - 0 - $PWD/$p" "$FT_SCRATCH/records" ||
		ft_fail "$p.test: no CWD $PWD/$p: $(grep "^$pid .*CWD" "$FT_SCRATCH/records")"
done
rm -rf .ftrace/runs

# --format go: import paths; nothing affected prints nothing (exit 0)
assert_eq "" "$(ft affected --format go)" "--format go, nothing affected"
ft_go_edit calc/calc.go
assert_set "$C $R" "$(ft affected --format go)" "--format go after calc.go changed"
# the same from a subdirectory: go list ./... there sees calc only, and
# import paths do not depend on where they are printed
assert_set "$C $R" "$(cd calc && ft affected --format go)" "--format go from calc/"
ft_revert calc/calc.go

# a new package with tests: never recorded, go test would run it
mkdir extra
printf 'package extra\n\nimport "testing"\n\nfunc TestE(t *testing.T) {}\n' >extra/extra_test.go
# (calc, report and tools/lonely too: a new entry in the module root
# changes a listing the go command read before any test, in the prelude;
# coarse, docs/go.md)
assert_set "example.com/gomod/extra $C $R $L" "$(ft affected --format go)" "a new package"
# the default format too: go list ./... where go test ran (runs.meta_json)
ft_affected_is "example.com/gomod/extra $C $R $L" "a new package, default format"
rm -rf extra
# nested below a package, only that package's importers (its listing)
mkdir report/extra
cat >report/extra/extra_test.go <<'GO'
package extra

import (
	"os"
	"testing"
)

func TestE(t *testing.T) {
	if log := os.Getenv("RAN_LOG"); log != "" {
		f, _ := os.OpenFile(log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		f.WriteString("extra\n")
		f.Close()
	}
}
GO
assert_set "example.com/gomod/report/extra $R" "$(ft affected --format go)" "a new package below report"
ft_go_ran "example.com/gomod/report/extra $R" "a new package below report"
rm -rf report/extra
ft_affected_is "" "the new packages removed"

# where go list finds no package, new ones cannot be found (testdata/ is
# no package to go; tools/lonely is one, a build-only test: t7202)
assert_status 2 sh -c 'cd calc/testdata && "$FTRACE_BIN" affected --format go'
assert_status 0 sh -c 'cd tools/lonely && "$FTRACE_BIN" affected --format go'
mkdir "$FT_SCRATCH/elsewhere"
assert_status 2 sh -c 'cd "$0" && "$FTRACE_BIN" affected --format go --db "$1"' \
	"$FT_SCRATCH/elsewhere" "$PWD/.ftrace/ftrace.db"

# a failing run: each package's test binary's exit status (the ptrace
# back end's EXIT record) is its outcome: report failed, calc passed;
# lonely, a package without a test binary, keeps the run's status (failed)
cp report/testdata/golden.txt "$FT_SCRATCH/golden.txt"
echo wrong >report/testdata/golden.txt
ft_record 1 -- go test ./...
cp "$FT_SCRATCH/golden.txt" report/testdata/golden.txt
ft_affected_is "$R $L" "after a failing run"
ft_record 0 -- go test ./...
ft_affected_is "" "after a passing run"

# go test started by a preloaded shell runs under ptrace through `ftrace
# __ptrace-exec` (docs/ptrace.md): the same per-package tests, passed (the
# shell and __ptrace-exec pass go test's status on)
ft_record 0 -- sh -c 'go test ./...'
grep -q "recorded 3 tests" "$FT_SCRATCH/run.err" || ft_fail "sh -c: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "after sh -c 'go test ./...'"
ft_go_edit report/report.go
ft_affected_is "$R" "report.go changed after sh -c 'go test ./...'"
ft_revert report/report.go

# --name: the whole command is one test, which keeps every source the build
# read (no package tests are made up from go list)
ft_record 0 --name all -- go test ./...
grep -q "recorded 1 test " "$FT_SCRATCH/run.err" || ft_fail "--name: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "after the --name run"
ft_go_edit report/report.go
ft_affected_is "all $R" "report.go changed (all and report)"
ft_revert report/report.go
ft_go_edit tools/lonely/lonely.go
ft_affected_is "all $L" "tools/lonely changed: the build read it in test all (and its own)"
ft_revert tools/lonely/lonely.go

# ptrace refused: the command is one untraced test, always selected, which
# go test's syntax cannot name: --format go cannot tell (2), and `ftrace
# test` runs everything
FTRACE_PTRACE=0 ft_record 0 -- go test ./...
grep -q "cannot trace 'go' with ptrace" "$FT_SCRATCH/run.err" || ft_fail "no warning: $(cat "$FT_SCRATCH/run.err")"
assert_status 2 ft affected --format go
rm -f "$FT_SCRATCH/ran.log"
RAN_LOG=$FT_SCRATCH/ran.log ft test -- go test ./... >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" ||
	ft_fail "ftrace test failed: $(cat "$FT_SCRATCH/err")"
grep -q "the command as a whole is selected" "$FT_SCRATCH/err" || ft_fail "no reason: $(cat "$FT_SCRATCH/err")"
assert_set "calc report" "$(cat "$FT_SCRATCH/ran.log")" "ftrace test after an untraced run"

# A recorded package that was removed since: `go test` given its import
# path stops ("no required module provides package") and runs nothing, so
# --format go leaves it out, as --format node leaves out a removed file.
# A package go still finds is printed even if it does not build.
rm -rf .ftrace
mkdir gone
printf 'package gone\n\nimport "testing"\n\nfunc TestG(t *testing.T) {}\n' >gone/gone_test.go
ft_record 0 -- go test ./...
grep -q "recorded 4 tests" "$FT_SCRATCH/run.err" || ft_fail "gone: $(cat "$FT_SCRATCH/run.err")"
rm -rf gone
assert_set "$C $R $L" "$(ft affected --format go)" "a recorded package removed"
go test $(ft affected --format go) >"$FT_SCRATCH/out" 2>&1 ||
	ft_fail "go test of what --format go printed: $(cat "$FT_SCRATCH/out")"
printf 'package calc\n\nfunc Broken() int { return 1 x }\n' >calc/broken.go
assert_set "$C $R $L" "$(ft affected --format go)" "a package that does not build is printed"
rm -f calc/broken.go
# The next recording forgets the removed package (go cannot find it any
# more), and says so; the others stay.
ft_record 0 -- go test ./...
grep -q "forgot 1 recorded test" "$FT_SCRATCH/run.err" || ft_fail "not forgotten: $(cat "$FT_SCRATCH/run.err")"
assert_set "$C $R $L" "$(sqlite3 .ftrace/ftrace.db "SELECT name FROM tests WHERE runner = 'go'")" \
	"the removed package's test forgotten"
ft_affected_is "" "after the recording that forgot it"
# A package of another module in the same database is not this module's
# to forget, found or not.
# (Its row's digest written again, as ftrace's own commit would: a row
# added by hand is corruption, which a run refuses to write over: t3204.)
sqlite3 .ftrace/ftrace.db "INSERT INTO tests(name, runner, outcome, untraced) VALUES
	('example.com/other/pkg', 'go', 1, 0)" || ft_fail sqlite3
"$FTRACE_BUILD_DIR/tests/tools/ftt_plantset" --redigest .ftrace/ftrace.db || ft_fail "redigest"
ft_record 0 -- go test ./...
assert_set "$C $R $L example.com/other/pkg" "$(sqlite3 .ftrace/ftrace.db "SELECT name FROM tests WHERE runner = 'go'")" \
	"another module's package kept"
