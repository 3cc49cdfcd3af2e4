#!/usr/bin/env bash
# t7112-go-run-child.sh - a Go program a test builds and runs (`go run
# ./cmd/child`): Go reads its environment from memory, and the program
# has no test log, so no read of it was seen: a variable it reads changed,
# the test failed, and nothing was selected (a probe of real modules).
# Its sources are read by Go's compiler, or by the go command hashing
# them when the build cache has the program, in the test's context: the
# names in them are the test's (ingest/ft_scriptenv.h, FT_SCRIPT_GOC).
# Recorded twice: the second run takes the child from the build cache.
# Exact sets; a variable nobody names selects nothing (the standard
# library's sources are not scanned).  A Go program built before the run
# (`go build -o bin/pre`, then a test runs it) reads every variable: no
# source of it is read in the run (tracer/ptrace_goenv.c; before, a
# variable it read changed and nothing was selected).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_need_go
mkdir -p "$FT_SCRATCH/repo/cmd/child" "$FT_SCRATCH/repo/cmd/pre" "$FT_SCRATCH/repo/plain" \
	"$FT_SCRATCH/repo/prebuilt" && cd "$FT_SCRATCH/repo"
printf 'module example.com/t7112\n\ngo 1.21\n' >go.mod
cat >cmd/child/main.go <<'GO'
package main

import "os"

func main() {
	if os.Getenv("T7112_CHILD") != "" {
		os.Exit(3)
	}
}
GO
cat >cmd/pre/main.go <<'GO'
package main

import "os"

func main() {
	if os.Getenv("T7112_PRE") != "" {
		os.Exit(4)
	}
}
GO
cat >prebuilt/pre_test.go <<'GO'
package prebuilt

import (
	"os/exec"
	"testing"
)

func TestPre(t *testing.T) {
	out, err := exec.Command("../bin/pre").CombinedOutput()
	if err != nil {
		t.Fatal(err, string(out))
	}
}
GO
cat >run_test.go <<'GO'
package t7112

import (
	"os/exec"
	"testing"
)

func TestChild(t *testing.T) {
	out, err := exec.Command("go", "run", "./cmd/child").CombinedOutput()
	if err != nil {
		t.Fatal(err, string(out))
	}
}
GO
cat >plain/plain_test.go <<'GO'
package plain

import "testing"

func TestPlain(t *testing.T) {}
GO
ft_go_repo t7112
go build -o bin/pre ./cmd/pre
mkdir -p .gocache  # (made during a recording, the repository's listing changes under it)
P=example.com/t7112
unset T7112_CHILD T7112_NOBODY T7112_PRE

for run in cold warm; do
	ft_record 0 -- go test -count=1 ./...
	ft_affected_is "" "$run: nothing changed"
	T7112_CHILD=1 ft_affected_is "$P $P/prebuilt" "$run: a variable the child the test runs reads"
	T7112_NOBODY=1 ft_affected_is "$P/prebuilt" "$run: a variable nobody names: the prebuilt program's"
	T7112_PRE=1 ft_affected_is "$P/prebuilt" "$run: a variable the prebuilt program reads"
done
rc=0
T7112_PRE=1 go test -count=1 ./prebuilt >"$FT_SCRATCH/pre.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || ft_fail "TestPre passed with T7112_PRE set: the fixture no longer shows the case"
rc=0
T7112_CHILD=1 go test -count=1 . >"$FT_SCRATCH/child.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || ft_fail "the test passed with T7112_CHILD set: the fixture no longer shows the case"
