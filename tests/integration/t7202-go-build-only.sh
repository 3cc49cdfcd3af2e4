#!/usr/bin/env bash
# t7202-go-build-only.sh - a package without test files that `go test`
# builds is a build-only test: a change to its sources selects it, and
# `go test PKG` builds it (docs/go.md, "Packages without tests").
#
# The case that broke: a compile error in a Go package without tests
# (tools/lonely) fails `go test ./...`, yet its sources went to no test,
# so nothing was selected, `ftrace test -- go test ./...` ran nothing and
# exited 0, and the pre-commit hook accepted a commit that does not build.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_go_mod_fixture

ft_record 0 -- go test ./...
grep -q "recorded 3 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 3 tests: $(cat "$FT_SCRATCH/run.err")"
grep -q "no test files" "$FT_SCRATCH/run.out" || ft_fail "tools/lonely should have no test files"
assert_eq go "$(sqlite3 .ftrace/ftrace.db "SELECT runner FROM tests WHERE name = '$L'")" "lonely's runner"
ft_affected_is "" "right after recording"

# a comment: its source changed, it is built again (and passes)
ft_go_edit tools/lonely/lonely.go
ft_affected_is "$L" "tools/lonely changed"
ft_revert tools/lonely/lonely.go
ft_affected_is "" "tools/lonely reverted"

# a compile error: selected, and `ftrace test` builds it and fails as go test does
ft_go_edit tools/lonely/lonely.go 'func broken() { undefinedName }'
ft_affected_is "$L" "a compile error in tools/lonely"
assert_set "$L" "$(ft affected --format go)" "--format go"
assert_status 1 go test ./... >/dev/null 2>&1
rc=0
ft test -- go test ./... >"$FT_SCRATCH/t.out" 2>"$FT_SCRATCH/t.err" || rc=$?
assert_eq 1 "$rc" "ftrace test -- go test ./... with a compile error"
grep -q "tools/lonely.*build failed" "$FT_SCRATCH/t.out" || ft_fail "lonely was not built: $(cat "$FT_SCRATCH/t.out")"
grep -q "gomod/calc" "$FT_SCRATCH/t.out" && ft_fail "calc ran: $(cat "$FT_SCRATCH/t.out")"
# it failed: selected until it builds again, even reverted
ft_revert tools/lonely/lonely.go
ft_affected_is "$L" "tools/lonely failed to build last time"
ft test -- go test ./... >"$FT_SCRATCH/t.out" 2>&1 || ft_fail "ftrace test after the fix: $(cat "$FT_SCRATCH/t.out")"
ft_affected_is "" "built again"

# a new package without tests that does not compile: new, so selected
# (below tools/lonely, whose listing is lonely's: a new directory in a
# directory only the go command lists selects every test, docs/go.md)
F=$L/fresh
mkdir -p tools/lonely/fresh
printf 'package fresh\n\nfunc F() int { return missing }\n' >tools/lonely/fresh/fresh.go
assert_set "$L $F" "$(ft affected --format go)" "a new package without tests"
ft_affected_is "$L $F" "a new package without tests, default format"
rm -rf tools/lonely/fresh
ft_affected_is "" "the new package removed"

# a package that the command does not build is no test of its run
ft_record 0 -- go test ./report
grep -q "recorded 1 test " "$FT_SCRATCH/run.err" || ft_fail "go test ./report: $(cat "$FT_SCRATCH/run.err")"

# `go -C DIR test ./...` matches packages in DIR, not where it started
cd calc
ft_record 0 -- go -C .. test ./...
cd ..
grep -q "recorded 3 tests" "$FT_SCRATCH/run.err" || ft_fail "go -C .. test: $(cat "$FT_SCRATCH/run.err")"
ft_go_edit tools/lonely/lonely.go
ft_affected_is "$L" "tools/lonely changed, recorded through go -C"
ft_revert tools/lonely/lonely.go
