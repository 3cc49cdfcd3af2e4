#!/usr/bin/env bash
# t7105-go-env-file.sh - the flags `go env -w GOFLAGS=...` wrote still hold
# under `ftrace run` (docs/go.md, "GOFLAGS").  The launcher puts GOFLAGS
# in the environment (-count=1, -exec), and the environment's GOFLAGS
# replaces the go command's environment file's: a build tag set with `go
# env -w` was dropped, and the recorded run built other code than the
# user's own `go test` (a probe of a real module: a tagged file that
# panics failed plain `go test` and passed under ftrace).  Now the file's
# GOFLAGS goes into ours when the environment has none.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_need_go
ft_fixture go-mod
printf '.gocache/\n.ftrace/\n.goenv\n' >>.git/info/exclude
export GOCACHE=$PWD/.gocache GOENV=$PWD/.goenv
cat >calc/ftprobe.go <<'EOF2'
//go:build ftprobe

package calc

func init() { panic("built with the ftprobe tag") }
EOF2
git add calc/ftprobe.go && git -c user.email=t@t -c user.name=t commit -qm probe

go env -w GOFLAGS=-tags=ftprobe
[ "$(go env GOFLAGS)" = "-tags=ftprobe" ] || ft_fail "go env -w did not write $GOENV"
rc=0
go test -count=1 ./calc >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] || ft_fail "plain go test passed with the tag: this test proves nothing"

# under ftrace, the same outcome: the tag is there
ft_record 1 -- go test ./calc
grep -q "built with the ftprobe tag" "$FT_SCRATCH/run.out" "$FT_SCRATCH/run.err" ||
	ft_fail "the tagged file was not built under ftrace run"

# the environment's GOFLAGS wins over the file's, with ftrace as without
GOFLAGS=-v ft_record 0 -- go test ./calc

# GOENV=off: no file
GOENV=off ft_record 0 -- go test ./calc

# without the tag, as plain go test
go env -w GOFLAGS=
ft_record 0 -- go test ./calc

# the installation's own file, $GOROOT/go.env (Go 1.21+), is the layer
# below the user's: a GOFLAGS there held under plain go test and was
# dropped under ftrace (a probe: go.env's -tags).  A GOROOT of links to the
# real one, with a go.env of its own, stands for an installation.
root=$(go env GOROOT)
farm=$FT_SCRATCH/goroot
mkdir "$farm"
for e in $(ls -A "$root"); do ln -s "$root/$e" "$farm/$e"; done
rm -f "$farm/go.env"
{ [ ! -f "$root/go.env" ] || cat "$root/go.env"; echo 'GOFLAGS=-tags=ftprobe'; } >"$farm/go.env"
export GOROOT=$farm
[ "$(GOENV=off go env GOFLAGS)" = "-tags=ftprobe" ] || ft_fail "go does not read \$GOROOT/go.env: $(GOENV=off go env GOFLAGS)"
rc=0
GOENV=off go test -count=1 ./calc >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] || ft_fail "plain go test passed with go.env's tag: this part proves nothing"
GOENV=off ft_record 1 -- go test ./calc
grep -q "built with the ftprobe tag" "$FT_SCRATCH/run.out" "$FT_SCRATCH/run.err" ||
	ft_fail "\$GOROOT/go.env's tag was not built under ftrace run"
# the user's file, even an empty GOFLAGS there, hides go.env's
go env -w GOFLAGS=
[ -z "$(go env GOFLAGS)" ] || ft_fail "the user's empty GOFLAGS does not hide go.env's: $(go env GOFLAGS)"
ft_record 0 -- go test ./calc
unset GOROOT
