#!/usr/bin/env bash
# t9810-oracle-go-cgo.sh - the soundness oracle (lib-oracle.sh) on
# fixtures/go-mod, for what the Go toolchain does besides running test
# binaries.  Issue 24: a compile error in a Go package without tests fails
# `go test ./...`, yet nothing was selected (the pre-commit hook accepted a
# commit that does not build); and a cgo-linked test binary (it imports
# net) read its testdata through raw syscalls that the preload never saw
# (BurntSushi/toml's TestDecodeParallel), so breaking that file selected
# nothing.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"
. "$(dirname "$0")/lib-oracle.sh"

ft_need_go
command -v gcc >/dev/null || ft_skip "no gcc: cgo is off, Go binaries are static"
ft_fixture go-mod
printf '.gocache/\n.ftrace/\n' >.gitignore
export GOCACHE=$PWD/.gocache CGO_ENABLED=1
# a package whose test binary is dynamically linked (net with cgo)
mkdir -p netpkg/testdata
echo ok >netpkg/testdata/want.txt
cat >netpkg/netpkg_test.go <<'GO'
package netpkg

import (
	"net"
	"os"
	"testing"
)

var _ = net.ParseIP

func TestData(t *testing.T) {
	b, err := os.ReadFile("testdata/want.txt")
	if err != nil || string(b) != "ok\n" {
		t.Fatalf("%q %v", b, err)
	}
}
GO
git add -A && git -c user.email=t@t -c user.name=t commit -qm netpkg
ft_settle

oracle_suite() {
	go test -count=1 -json ./... 2>/dev/null | "$FT_PYTHON" -c '
import json, sys
for line in sys.stdin:
    try:
        ev = json.loads(line)
    except ValueError:
        continue
    if "Test" not in ev and ev.get("Package") and ev.get("Action") in ("pass", "fail", "skip"):
        print("%s\t%s" % (ev["Package"], ev["Action"]))'
}
oracle_selected() { "$FTRACE_BIN" affected --format go; }

ft_record 0 -- go test ./...
oracle_baseline

oracle_scenario "testdata of a dynamically linked (cgo) test binary" \
	'echo broken > netpkg/testdata/want.txt' 'ft_back netpkg/testdata/want.txt'
oracle_finish
