#!/usr/bin/env bash
# t7110-go-env-source.sh - the environment variables Go code reads where
# no test log holds the read (docs/go.md, "Environment variables"), one
# package each, exact sets:
#  - a package-level variable reading a lower-case name (os.Getenv);
#  - os.ExpandEnv with a ${NAME} template before the tests start;
#  - syscall.Getenv in a test (the test log holds os.Getenv and
#    os.LookupEnv only), lower case;
#  - TestMain reading a variable after m.Run has returned;
#  - a name only in a struct tag (`env:"T7110_TAG"`), read by reflection
#    at package init, and a name holding '-' read there (a probe of real
#    modules: both were selected by nothing until 2026-11-30);
#  - TMPDIR, read at package init by os.TempDir, a function of the
#    standard library that reads it inside (a probe: a long TMPDIR broke a
#    unix socket's path and selected nothing until 2026-11-30);
#  - ZONEINFO, which the time package reads with syscall.Getenv: every
#    package's, as are XDG_CONFIG_HOME and HOME, which say where the go
#    command's environment file is (one whose GOFLAGS adds a build tag
#    makes another program of every package).
# Each of these was selected by nothing before: the source scan took
# upper-case literals only, and none of those variables was the go
# command's.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_need_go
mkdir -p "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo"
printf 'module example.com/t7110\n\ngo 1.21\n' >go.mod
mkdir lower expand sys post plain tag tmpd
cat >tag/tag.go <<'GO'
package tag

import (
	"os"
	"reflect"
)

type Config struct {
	Mode string `env:"T7110_TAG,required" json:"mode"`
}

func load(c any) {
	v := reflect.ValueOf(c).Elem()
	for i := 0; i < v.NumField(); i++ {
		if n, _, _ := cut(v.Type().Field(i).Tag.Get("env"), ','); n != "" {
			v.Field(i).SetString(os.Getenv(n))
		}
	}
}

func cut(s string, c byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

var Cfg = func() Config { var c Config; load(&c); return c }()

var Dash = os.Getenv("t7110-dash")
GO
cat >tag/tag_test.go <<'GO'
package tag

import "testing"

func TestTag(t *testing.T) {
	if Cfg.Mode != "" || Dash != "" {
		t.Fatal("set")
	}
}
GO
cat >lower/lower.go <<'GO'
package lower

import "os"

var Debug = os.Getenv("t7110_debug") != ""
GO
cat >lower/lower_test.go <<'GO'
package lower

import "testing"

func TestDebugOff(t *testing.T) {
	if Debug {
		t.Fatal("debug on")
	}
}
GO
cat >expand/expand_test.go <<'GO'
package expand

import (
	"os"
	"testing"
)

var dir = os.ExpandEnv("${T7110_DIR}/x")

func TestDir(t *testing.T) {
	if dir != "/x" {
		t.Fatal(dir)
	}
}
GO
cat >sys/sys_test.go <<'GO'
package sys

import (
	"syscall"
	"testing"
)

func TestSys(t *testing.T) {
	if _, ok := syscall.Getenv("t7110_sys"); ok {
		t.Fatal("set")
	}
}
GO
cat >post/post_test.go <<'GO'
package post

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if os.Getenv("t7110_post") != "" {
		code = 1
	}
	os.Exit(code)
}

func TestNothing(t *testing.T) {}
GO
cat >tmpd/tmpd.go <<'GO'
package tmpd

import (
	"os"
	"path/filepath"
)

// read at package init, before the test log starts
var Sock = filepath.Join(os.TempDir(), "t7110.sock")
GO
cat >tmpd/tmpd_test.go <<'GO'
package tmpd

import "testing"

func TestSock(t *testing.T) {
	if len(Sock) > 60 {
		t.Fatal("socket path too long: " + Sock)
	}
}
GO
cat >plain/plain_test.go <<'GO'
package plain

import "testing"

func TestPlain(t *testing.T) {}
GO
ft_go_repo t7110
P=example.com/t7110
ALL="$P/expand $P/lower $P/plain $P/post $P/sys $P/tag $P/tmpd"
unset t7110_debug T7110_DIR t7110_sys t7110_post ZONEINFO XDG_CONFIG_HOME GOENV

ft_record 0 -- go test ./...
grep -q "recorded 7 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 7 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "nothing changed"
t7110_debug=1 ft_affected_is "$P/lower" "a lower-case name read by a package-level variable"
T7110_DIR=/d ft_affected_is "$P/expand" "os.ExpandEnv's \${T7110_DIR} before the tests"
t7110_sys=1 ft_affected_is "$P/sys" "syscall.Getenv in a test"
t7110_post=1 ft_affected_is "$P/post" "TestMain's read after m.Run"
T7110_TAG=1 ft_affected_is "$P/tag" "a name in a struct tag, read at init by reflection"
TMPDIR=$FT_SCRATCH/tmp-dir-whose-name-is-long-enough-to-break-the-socket-path \
	ft_affected_is "$P/tmpd" "TMPDIR, which os.TempDir reads, at package init"
env t7110-dash=1 "$FTRACE_BIN" affected >"$FT_SCRATCH/dash.out" 2>&1 ||
	ft_fail "affected with t7110-dash set failed: $(cat "$FT_SCRATCH/dash.out")"
assert_set "$P/tag" "$(cat "$FT_SCRATCH/dash.out")" "a name holding '-', read at init"
ZONEINFO=/nonexistent.zip ft_affected_is "$ALL" "ZONEINFO: the time package's"
XDG_CONFIG_HOME=$FT_SCRATCH/xdg ft_affected_is "$ALL" "XDG_CONFIG_HOME: where go's env file is"
HOME=$FT_SCRATCH/home ft_affected_is "$ALL" "HOME: where go's env file is"
