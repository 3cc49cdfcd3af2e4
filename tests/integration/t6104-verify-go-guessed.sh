#!/usr/bin/env bash
# `ftrace verify -- go test ./...` with a build-only package (fixtures/
# go-mod's tools/lonely: no test binary, so its outcome is the go
# command's status, a guess) and a package `remote` whose test reads a
# file through an HTTP server outside ftrace (lib-verify.sh).  The served
# file broken: remote's own test binary fails, an escape (99).  That
# failure explains the run's status, so lonely's guessed failure cannot
# be judged: it is not named an escape (an escape report must name what
# failed, not what the run's status painted).  With no own failure to
# explain the status, a guessed one still counts as an escape (when in
# doubt, flag: t6114 has the selected case, docs/usage.md).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-verify.sh"
. "$(dirname "$0")/lib-go.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_need_go
ft_fixture go-mod
printf '.gocache/\n.ftrace/\n' >.gitignore
export GOCACHE=$PWD/.gocache CGO_ENABLED=0
ft_go_blind_remote
go test -count=1 ./... >"$FT_SCRATCH/go.out" 2>&1 || ft_fail "the suite does not pass before ftrace: $(cat "$FT_SCRATCH/go.out")"
L=example.com/gomod/tools/lonely M=example.com/gomod/remote

fverify 2 go test ./...
fverify 0 go test ./...
verify_counts "4 known, 0 selected, 4 run, 0 failed, 0 escapes$"

echo broken >"$FT_SCRATCH/served/flag"
fverify 99 go test ./...
grep -q "ESCAPE: test '$M' was not selected, but it fails now" "$FT_SCRATCH/verify.err" ||
	ft_fail "the escape is not named: $(cat "$FT_SCRATCH/verify.err")"
grep -q "ESCAPE: test '$L'" "$FT_SCRATCH/verify.err" &&
	ft_fail "the build-only package, failed only by the run's status, is named an escape: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "False $M $L" \
	"$(report_get '"%s %s %s" % (r["escapes_by_run_status"], " ".join(e["id"] for e in r["escapes"]), " ".join(u["id"] for u in r["unjudged"]))')" \
	"report: remote the one escape, lonely unjudged"
verify_report_valid
