#!/usr/bin/env bash
# t7100-go-test.sh - `ftrace run -- go test ./...` records one test per
# package, named by its import path (docs/go.md): the go command and its
# test binaries are traced with ptrace, each test binary's subtree is its
# package's test, and each package's sources (its own and those of the
# module packages it imports) are recorded for it from `go list`.  Exact
# sets for a data change in each package, a source change in the imported
# and in the importing package, a file of constants, an embedded file, a
# created absent file, a new source file, a package without tests, a
# rebuilt and then cached build, the go command itself, and no change; each
# fed to the real `go test` through --format go.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_go_mod_fixture

# A cold build cache: everything is compiled under the tracer.
ft_record 0 -- go test ./...
# calc, report, and tools/lonely as a build-only test (t7202)
grep -q "recorded 3 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 3 tests: $(cat "$FT_SCRATCH/run.err")"
grep -q "no test files" "$FT_SCRATCH/run.out" || ft_fail "tools/lonely should have no test files"
# The build cache (below the repository here) is written during the run:
# as a dependency it would be "modified during the run" and select all.
ft_affected_is "" "right after recording"
ft_go_ran "" "no change"

# data read by each test binary: that package only
ft_go_edit calc/testdata/numbers.txt 7
ft_affected_is "$C" "calc's testdata changed"
ft_go_ran "$C" "calc's testdata changed"
ft_revert calc/testdata/numbers.txt
ft_go_edit report/testdata/input.txt 7
ft_affected_is "$R" "report's testdata changed"
ft_revert report/testdata/input.txt
ft_affected_is "" "data reverted"

# sources: the imported package selects both, the importing one itself
ft_go_edit calc/calc.go
ft_affected_is "$C $R" "calc.go changed (report imports calc)"
ft_go_ran "$C $R" "calc.go changed"
ft_revert calc/calc.go
ft_go_edit report/report.go
ft_affected_is "$R" "report.go changed"
ft_go_ran "$R" "report.go changed"
ft_revert report/report.go
# a file of constants leaves no function in the binary: still a source
ft_go_edit calc/limits.go
ft_affected_is "$C $R" "calc/limits.go (constants only) changed"
ft_revert calc/limits.go
# a test file is its own package's source only
ft_go_edit calc/calc_test.go
ft_affected_is "$C" "calc_test.go changed"
ft_revert calc/calc_test.go
# an embedded file
echo 'REPORT v2' >report/header.txt.new && cp report/header.txt "$FT_SCRATCH/header.txt" &&
	mv report/header.txt.new report/header.txt
ft_affected_is "$R" "report's embedded header.txt changed"
cp "$FT_SCRATCH/header.txt" report/header.txt
# a package without tests that no package imports: its build-only test
ft_go_edit tools/lonely/lonely.go
ft_affected_is "$L" "tools/lonely (no tests, not imported) changed"
ft_revert tools/lonely/lonely.go
# a new source file in a package (its directory listing)
printf 'package calc\n\nconst Min = 0\n' >calc/min.go
ft_affected_is "$C $R" "a new file calc/min.go"
rm calc/min.go
# a file calc's test looked for and did not find
echo 5 >calc/testdata/extra.txt
ft_affected_is "$C" "calc/testdata/extra.txt created"
ft_go_ran "$C" "calc/testdata/extra.txt created"
rm calc/testdata/extra.txt
ft_affected_is "" "everything reverted"

# A rebuilt test binary: a real change compiles calc and report again and
# the recording still names their sources; reverting it, the next run takes
# both binaries from the build cache (compiles nothing) and must keep them.
sed -i 's/const Max = 100/const Max = 99/' calc/limits.go
ft_affected_is "$C $R" "Max changed"
ft_record 0 -- go test ./...
ft_affected_is "" "recorded after the rebuild"
sed -i 's/const Max = 99/const Max = 100/' calc/limits.go
ft_affected_is "$C $R" "Max changed back"
ft_record 0 -- go test ./...
grep -q "recorded 3 tests" "$FT_SCRATCH/run.err" || ft_fail "cached run: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "recorded from the build cache"
ft_go_edit calc/calc.go
ft_affected_is "$C $R" "calc.go changed after a cached run"
ft_revert calc/calc.go
ft_go_edit report/report.go
ft_affected_is "$R" "report.go changed after a cached run"
ft_revert report/report.go

# Only the package a partial run ran is re-recorded; the other keeps its
# recording (and the cached result of a package is never a first one:
# ftrace run passes GOFLAGS=-count=1).
ft_record 0 -- go test ./report
grep -q "recorded 1 test " "$FT_SCRATCH/run.err" || ft_fail "partial run: $(cat "$FT_SCRATCH/run.err")"
ft_go_edit calc/calc.go
ft_affected_is "$C $R" "calc.go changed after a partial run"
ft_revert calc/calc.go

# The go command is every test's dependency: another toolchain binary
# (here: the `go` found on PATH, a link in the repository, points to a
# different file) selects all.  (In the scratch dir, a link under /tmp
# would be a temporary path, which is no dependency.)
mkdir -p .tools
realgo=$(command -v go)
ln -s "$realgo" .tools/go
# (exported: the PATH the recording had is the one affected must see;
# GOROOT, which go.other below cannot find from its own place)
export PATH=$PWD/.tools:$PATH GOROOT=${GOROOT:-$(go env GOROOT)}
ft_record 0 -- go test ./...
ft_affected_is "" "recorded through the .tools/go link"
cp "$(readlink -f "$realgo")" .tools/go.other
printf 'x' >>.tools/go.other
ln -sfn "$PWD/.tools/go.other" .tools/go
ft_affected_is "$C $R $L" "the go binary changed"
ln -sfn "$realgo" .tools/go
ft_affected_is "" "the go binary back"

# go.mod is every package's
ft_go_edit go.mod
ft_affected_is "$C $R $L" "go.mod changed"
ft_revert go.mod
# a go.mod go cannot read: new packages cannot be listed, "cannot tell"
ft_go_edit go.mod 'not go.mod syntax'
assert_status 2 ft affected
ft_revert go.mod
