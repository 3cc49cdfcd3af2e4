# lib-go.sh - sourced by the tests/integration/t71NN-go-*.sh scripts (and
# the Go oracle scripts, t98NN-oracle-go-*.sh) after lib.sh and
# fixtures/cmd-common/helpers.sh.
#
# ft_need_go: put a Go toolchain first on PATH (the one on PATH, else
# /usr/local/go or Debian's /usr/lib/go), or skip: scripts/install-go.sh
# (run by scripts/install-deps.sh) installs one.  Go's build cache goes
# into the scratch copy's .gocache (below the repository, so that only the
# GOCACHE rule of docs/go.md keeps it out of the dependencies), and
# GOFLAGS/GOTOOLCHAIN cannot come from the caller.
ft_need_go() {
	local d
	if ! command -v go >/dev/null 2>&1; then
		for d in /usr/local/go/bin /usr/lib/go/bin; do
			if [ -x "$d/go" ]; then
				PATH=$d:$PATH
				break
			fi
		done
	fi
	command -v go >/dev/null 2>&1 || ft_skip "no Go toolchain (scripts/install-go.sh installs one)"
	export PATH GOTOOLCHAIN=local GOPROXY=off
	unset GOFLAGS
	# The module cache's directory ($GOPATH/pkg/mod, made by the first go
	# command that needs it): made now, before any recording.  On a fresh
	# machine another test's go created it while this one recorded, which
	# saw $GOPATH absent and then present: "unknown at recording" (CI's
	# t7100, run beside t7101).  scripts/test.sh makes it before ctest.
	mkdir -p "$(go env GOMODCACHE)" 2>/dev/null || :
}

# ft_go_repo NAME: the current directory, a module the test wrote, as a
# git repository with one commit (NAME), Go's build cache (.gocache) and
# the state directory ignored, and GOCACHE there.
ft_go_repo() {
	printf '.gocache/\n.ftrace/\n' >.gitignore
	git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm "$1"
	export GOCACHE=$PWD/.gocache
}

# ft_go_edit FILE [LINE]: append LINE (default: a Go comment, so that a
# source still compiles); ft_revert (helpers.sh) undoes it.
ft_go_edit() {
	local f=$1 keep
	keep="$FT_SCRATCH/orig.$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
	[ -e "$keep" ] || cp -p -- "$f" "$keep"
	printf '%s\n' "${2:-// changed by the test}" >>"$f"
}

# ft_go_ran "pkgs" WHAT: `go test` on `ftrace affected --format go`'s
# output prints exactly "pkgs", and exactly their test binaries ran (each
# fixture test appends its package name to $RAN_LOG).  Nothing affected:
# go test is not run at all (without packages it would test ".").
ft_go_ran() {
	local pkgs rc=0 names
	pkgs=$("$FTRACE_BIN" affected --format go 2>"$FT_SCRATCH/affected.stderr") || rc=$?
	[ "$rc" -eq 0 ] || ft_fail "$2: affected --format go exited $rc: $(cat "$FT_SCRATCH/affected.stderr")"
	assert_set "$1" "$pkgs" "$2: --format go"
	rm -f "$FT_SCRATCH/ran.log"
	if [ -n "$pkgs" ]; then
		# shellcheck disable=SC2086
		RAN_LOG=$FT_SCRATCH/ran.log go test -count=1 $pkgs >"$FT_SCRATCH/gotest.out" 2>&1 ||
			ft_fail "$2: go test $pkgs failed: $(cat "$FT_SCRATCH/gotest.out")"
	fi
	names=$(for p in $1; do printf '%s\n' "${p##*/}"; done)
	assert_set "$names" "$(cat "$FT_SCRATCH/ran.log" 2>/dev/null)" "$2: packages go test ran"
}

# ft_go_cgo_fixture: fixtures/go-mod with cgo on (skip without go or gcc),
# Go's cache ignored, and a committed package netpkg whose test binary is
# dynamically linked (it imports net) and reads netpkg/testdata/want.txt.
ft_go_cgo_fixture() {
	ft_need_go
	command -v gcc >/dev/null || ft_skip "no gcc: cgo is off, Go binaries are static"
	ft_fixture go-mod
	printf '.gocache/\n.ftrace/\n' >.gitignore
	export GOCACHE=$PWD/.gocache CGO_ENABLED=1
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
}

# ft_go_coin: in a Go module (here), a package `coin` whose TestCoin fails
# when the counter file $FLAKY_COUNTER (in a temp dir outside the
# repository: scratch for ingest, so no dependency) holds N with N % 10 ==
# 1, and counts it up each run; and a TestSteady that always passes (go's
# unit in ftrace is the package).  The flaky go tests t6114 and t6115.
ft_go_coin() {
	mkdir -p coin
	cat >coin/coin_test.go <<'GO'
package coin

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// a second test of the package: go's unit in ftrace is the package
func TestSteady(t *testing.T) {}

func TestCoin(t *testing.T) {
	p := os.Getenv("FLAKY_COUNTER")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(strconv.Itoa(n+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if n%10 == 1 {
		t.Fatalf("counter %d", n)
	}
}
GO
}

# ft_go_mod_fixture: fixtures/go-mod as a fresh repository (ft_fixture),
# with its build cache below it (ignored), and its packages' import paths
# in C (calc), R (report) and L (tools/lonely, no test files).
ft_go_mod_fixture() {
	ft_need_go
	ft_fixture go-mod
	printf '.gocache/\n.ftrace/\n' >.gitignore
	export GOCACHE=$PWD/.gocache
	C=example.com/gomod/calc R=example.com/gomod/report L=example.com/gomod/tools/lonely
}
