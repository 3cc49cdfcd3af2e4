#!/usr/bin/env bash
# t7111-go-embed-module.sh - a go.mod below a `//go:embed` directory is a
# module's boundary: the go command skips that directory when it expands
# the pattern.  Removed, its files are embedded and the package's test
# sees them.  The go command's walk keeps what it stat'ed as types, and
# an entry gone since was no change to it (a walk for which files exist:
# FT_POLICY_SCAN_GONE): nothing was selected (a probe of real modules).
# A go.mod that is gone is a change now: every package whose run's walk
# saw it (the walk is the prelude's).  Exact sets.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_need_go
mkdir -p "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo"
printf 'module example.com/t7111\n\ngo 1.21\n' >go.mod
mkdir -p emb/static/mod plain
echo a >emb/static/a.txt
echo m >emb/static/mod/x.txt
printf 'module example.com/inner\n\ngo 1.21\n' >emb/static/mod/go.mod
cat >emb/emb.go <<'GO'
package emb

import "embed"

//go:embed static
var FS embed.FS
GO
cat >emb/emb_test.go <<'GO'
package emb

import (
	"io/fs"
	"testing"
)

func TestCount(t *testing.T) {
	n := 0
	fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	if n != 1 {
		t.Fatalf("embedded files: %d, want 1", n)
	}
}
GO
cat >plain/plain_test.go <<'GO'
package plain

import "testing"

func TestPlain(t *testing.T) {}
GO
ft_go_repo t7111
P=example.com/t7111

ft_record 0 -- go test ./...
ft_affected_is "" "nothing changed"
mv emb/static/mod/go.mod "$FT_SCRATCH/go.mod.inner"
ft_affected_is "$P/emb $P/plain" "a go.mod below an embedded directory removed"
rc=0
go test -count=1 ./emb >"$FT_SCRATCH/emb.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || ft_fail "emb passed without the inner go.mod: the fixture no longer shows the case"
mv "$FT_SCRATCH/go.mod.inner" emb/static/mod/go.mod
ft_affected_is "" "the go.mod back"
