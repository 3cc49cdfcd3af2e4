#!/usr/bin/env bash
# `ftrace verify -- go test ./...`: the three cases of t6100 with go, whose
# test is a package (docs/go.md).  go test says only the run's status, but
# each package's test binary is a process of its own, a child of the
# static go command, and the ptrace back end records how it ended (the
# EXIT record `self`, docs/ptrace.md): that is the package's outcome.
# fixtures/go-mod without its build-only package (tools/lonely has no test
# binary and takes the go command's status: t6114), plus a package
# `remote` whose test reads a file through an HTTP server started outside
# ftrace (lib-verify.sh), so that ftrace is blind to it.  Nothing changed:
# 0.  A data file of calc broken: go's own 1, a plain failure; report and
# remote passed, as their test binaries' exit statuses say, so they are
# judged exactly: no "cannot judge".  The served file changed: 99, remote
# named, and it alone.  Without the exit records (exit_is_outcome off for
# go), every package of a failed run is failed by the run's status: the
# passing packages cannot be judged, and in the escape every package is
# one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-verify.sh"
. "$(dirname "$0")/lib-go.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_need_go
ft_fixture go-mod
git rm -rq tools && git -c user.email=t@t -c user.name=t commit -qm 'no build-only package'
printf '.gocache/\n.ftrace/\n' >.gitignore
# pure Go: a static test binary, traced by ptrace alone (t7200 has cgo)
export GOCACHE=$PWD/.gocache CGO_ENABLED=0
ft_go_blind_remote
go test -count=1 ./... >"$FT_SCRATCH/go.out" 2>&1 || ft_fail "the suite does not pass before ftrace: $(cat "$FT_SCRATCH/go.out")"
C=example.com/gomod/calc R=example.com/gomod/report M=example.com/gomod/remote

# 0. No recording: everything runs and is recorded; no verdict: 2.
fverify 2 go test ./...
grep -q "no verdict: cannot tell" "$FT_SCRATCH/verify.err" || ft_fail "no 'no verdict': $(cat "$FT_SCRATCH/verify.err")"

# 1. Nothing changed.
fverify 0 go test ./...
verify_counts "3 known, 0 selected, 3 run, 0 failed, 0 escapes$"

# 2. A selected package broken: go's own 1, no escape; the others are
# judged by their own test binaries' statuses.
ft_change calc/testdata/numbers.txt
fverify 1 go test ./...
verify_counts "3 known, 1 selected, 3 run, 1 failed, 0 escapes$"
grep -qx "ftrace: verify: failed (selected): $C" "$FT_SCRATCH/verify.err" ||
	ft_fail "calc is not a plain failure: $(cat "$FT_SCRATCH/verify.err")"
grep -q "cannot judge" "$FT_SCRATCH/verify.err" &&
	ft_fail "a package that passed cannot be judged: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "[] False" \
	"$(report_get '"%s %s" % (sorted(u["id"] for u in r["unjudged"]), r["escapes_by_run_status"])')" "report: unjudged"
assert_eq "$C:failed $M:passed $R:passed" \
	"$(report_get '" ".join("%s:%s" % (t["id"], t["outcome"]) for t in sorted(r["tests"], key=lambda t: t["id"]))')" \
	"report: each package's own outcome"
verify_report_valid
ft_revert calc/testdata/numbers.txt
fverify 0 go test ./...

# 3. The blind dependency.  Nothing is selected and the run fails: the
# failure came from a package left out, an escape (99); remote's test
# binary failed, the others passed, so it is the one escape.
echo broken >"$FT_SCRATCH/served/flag"
fverify 99 go test ./...
verify_counts "3 known, 0 selected, 3 run, 1 failed, 1 escape"
grep -q "ESCAPE: test '$M' was not selected, but it fails now (recorded: passed, now: failed)" \
	"$FT_SCRATCH/verify.err" || ft_fail "the escape is not named: $(cat "$FT_SCRATCH/verify.err")"
grep -q "ESCAPE: test '\($C\|$R\)'" "$FT_SCRATCH/verify.err" &&
	ft_fail "a package that passed is an escape: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "False 1 0 $M" \
	"$(report_get '"%s %d %d %s" % (r["escapes_by_run_status"], len(r["escapes"]), len(r["unjudged"]), r["escapes"][0]["id"])')" \
	"report: one escape, judged by its own status"
verify_report_valid
