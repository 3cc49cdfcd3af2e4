#!/usr/bin/env bash
# t7109-go-walk-gone.sh - the go command, expanding `./...`, lstats every
# entry of the module's directories.  Those stats are the runner's walk
# (reader "runner-scan", docs/go.md "The go command's walk"): an entry gone
# since is no change, and the type kept is what is there at ingest.  A
# probe of hcl (2026-11-29): its specsuite's TestMain rebuilds a binary in
# its own directory, and every package was "unknown at recording" after
# every run.  Here a test replaces specs/out.bin (a new inode, made
# executable) after the walk's lstat of the old one: only specs is
# selected (its own replacement), not every package; then a package's data
# file is removed, and a source edited.  (A file removed at the module
# root still selects every package: the root's listing, docs/go.md
# "Limits".)
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_go_mod_fixture
# specs: a package of test files only (as hcl's specsuite), whose test
# replaces specs/out.bin as `go build -o` does: a new file renamed over
# it, made executable
mkdir specs
printf 'old\n' >specs/out.bin
cat >specs/rewrite_test.go <<'EOF'
package specs

import (
	"os"
	"testing"
)

func TestRewrite(t *testing.T) {
	if err := os.WriteFile("out.bin.tmp", []byte("new\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename("out.bin.tmp", "out.bin"); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod("out.bin", 0o755); err != nil {
		t.Fatal(err)
	}
}
EOF
ft_old specs/out.bin specs/rewrite_test.go specs
git add -A && git -c user.email=t@t -c user.name=t commit -qm t7109
S=example.com/gomod/specs

ft_record 0 -- go test ./...
ft_record 0 -- go test ./...
grep -q "recorded 4 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 4 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "$S" "specs/out.bin replaced in the run (specs itself: its own replacement)"

rm calc/testdata/numbers.txt
ft_affected_is "$C $S" "calc's data file removed"
git checkout -q HEAD -- calc/testdata/numbers.txt

ft_go_edit calc/calc.go
ft_affected_is "$C $R $S" "calc.go changed (report imports calc)"
ft_revert calc/calc.go
