#!/usr/bin/env bash
# t7108-go-modcache.sh - a third-party module's sources in Go's module
# cache are dependencies (docs/go.md, "The module cache").  The cache's
# extracted trees (GOMODCACHE/MODULE@VERSION) are read-only only by
# convention (`chmod`, `-modcacherw`), and go's own test cache hashes
# them: an edit there changes what `go test` builds.  Before this, the
# whole module cache was left out, and such an edit selected nothing.
# Only its download part (GOMODCACHE/cache), which the go command writes
# as it runs and checks against go.sum, stays out.
#
# fixtures/go-modcache requires example.com/moddep (fixtures/go-modcache-dep),
# served from a local file proxy: `hello` imports its `greet`, `tally` its
# `count`, `plain` neither.  Exact sets for: the first recording, which
# downloads the module (its files are new while the run reads them); a
# second; an edit of each package in the cache; the download cache
# rewritten; the module cache removed; a variable greet reads at init
# (before the test log: nothing selected it until 2026-11-30, a probe of
# real modules), and a variable nobody names (count names os.Environ, as
# golang.org/x/sys/unix does: no read of every variable for a versioned
# module).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_need_go
ft_fixture go-modcache
printf '.gocache/\n.gopath/\n.proxy/\n.ftrace/\n' >.gitignore
# The module cache below the repository (paths under the temporary
# directories are never dependencies, and the scratch copy is in one);
# -modcacherw lets the test edit it and remove it, as a user with that
# flag can.
export GOCACHE=$PWD/.gocache GOPATH=$PWD/.gopath GOFLAGS=-modcacherw GOSUMDB=off
unset MODDEP_LOUD T7108_NOBODY
H=example.com/gomodcache/hello T=example.com/gomodcache/tally P=example.com/gomodcache/plain

# The proxy: example.com/moddep v1.0.0 as a module zip.
"$FT_PYTHON" - "$FTRACE_SOURCE_DIR/fixtures/go-modcache-dep" "$PWD/.proxy" <<'PY' ||
import json, os, sys, zipfile
src, proxy = sys.argv[1], sys.argv[2]
mod, ver = "example.com/moddep", "v1.0.0"
d = os.path.join(proxy, mod, "@v")
os.makedirs(d)
with zipfile.ZipFile(os.path.join(d, ver + ".zip"), "w") as z:
    for rel in ("go.mod", "greet/greet.go", "count/count.go"):
        z.write(os.path.join(src, rel), f"{mod}@{ver}/{rel}")
with open(os.path.join(src, "go.mod")) as f, open(os.path.join(d, ver + ".mod"), "w") as o:
    o.write(f.read())
with open(os.path.join(d, ver + ".info"), "w") as o:
    json.dump({"Version": ver, "Time": "2020-01-01T00:00:00Z"}, o)
with open(os.path.join(d, "list"), "w") as o:
    o.write(ver + "\n")
PY
	ft_fail "could not write the module proxy"
GOPROXY=file://$PWD/.proxy go mod download example.com/moddep >"$FT_SCRATCH/dl.out" 2>&1 &&
	GOPROXY=file://$PWD/.proxy go mod tidy >>"$FT_SCRATCH/dl.out" 2>&1 ||
	ft_fail "go mod tidy: $(cat "$FT_SCRATCH/dl.out")"
git add -A && git -c user.email=t@t -c user.name=t commit -qm go.sum
MC=$(go env GOMODCACHE)
[ -f "$MC/example.com/moddep@v1.0.0/greet/greet.go" ] || ft_fail "no module cache at $MC"

# The first recording downloads the module: its files are made while the
# run reads them, so the packages that read them are selected once.
go clean -modcache
export GOPROXY=file://$PWD/.proxy
ft_record 0 -- go test ./...
grep -q "recorded 3 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 3 tests: $(cat "$FT_SCRATCH/run.err")"
out=$("$FTRACE_BIN" affected 2>&1) || ft_fail "affected after the download: $out"
for p in $H $T; do
	grep -qx "$p" <<<"$out" || ft_fail "after the download, $p should be selected: $out"
done
export GOPROXY=off
ft_record 0 -- go test ./...
ft_affected_is "" "nothing changed (the module cache warm)"

G=$MC/example.com/moddep@v1.0.0/greet/greet.go C=$MC/example.com/moddep@v1.0.0/count/count.go
ft_change "$G"
ft_affected_is "$H" "a comment added to greet in the module cache"
ft_revert "$G"
sed -i 's/"hello"/"bye"/' "$G"
ft_affected_is "$H" "greet's result changed in the module cache"
go test -count=1 ./hello >/dev/null 2>&1 && ft_fail "the edit should fail hello's test"
sed -i 's/"bye"/"hello"/' "$G"
ft_affected_is "" "greet put back"
sed -i 's/return 3/return 4/' "$C"
ft_affected_is "$T" "count changed in the module cache"
sed -i 's/return 4/return 3/' "$C"
ft_affected_is "" "count put back"
MODDEP_LOUD=1 ft_affected_is "$H" "a variable greet reads at init, in the module cache"
MODDEP_LOUD=1 go test -count=1 ./hello >/dev/null 2>&1 && ft_fail "MODDEP_LOUD should fail hello's test"
T7108_NOBODY=1 ft_affected_is "" "a variable nobody names (count names os.Environ)"

# The download cache is the go command's own, checked against go.sum.
find "$MC/cache" -type f -exec touch -d '2021-06-01 12:00:00' {} +
printf 'x' >>"$MC/cache/download/example.com/moddep/@v/v1.0.0.info"
ft_affected_is "" "the download cache touched and rewritten"

# The module cache removed: the packages that read it are selected.
go clean -modcache
out=$("$FTRACE_BIN" affected 2>&1) || ft_fail "affected with the module cache gone: $out"
for p in $H $T; do
	grep -qx "$p" <<<"$out" || ft_fail "with the module cache gone, $p should be selected: $out"
done
