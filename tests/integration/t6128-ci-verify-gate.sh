#!/usr/bin/env bash
# docs/ci.md's pull-request pipeline, run with its own commands
# (scripts/ftrace-ci.sh) and a local directory standing in for the
# artifact store: main records and publishes; a pull request restores,
# runs the selected stage (`select`: ftrace test --report) and the verify
# stage (`verify`: the whole suite under recording, its recording
# published under the pull request's commit), which passes the escape
# gate.  Then an escape, provoked as t6100 does (test_remote reads a flag
# through an HTTP server ftrace does not trace, and the flag changes): the
# selected stage still passes (test_remote is not selected), the verify
# stage fails the gate with 99, says so and names the test in its report.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
. "$(dirname "$0")/lib-verify.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
export FTRACE_GRANULARITY=file
CI=$FTRACE_SOURCE_DIR/scripts/ftrace-ci.sh
STORE=$FT_SCRATCH/artifacts
export FTRACE=$FTRACE_BIN
PYTEST=("$FT_PYTHON" -m pytest -q)
REMOTE=tests/test_remote.py::test_remote

mkdir "$FT_SCRATCH/served"
echo ok >"$FT_SCRATCH/served/flag"
ft_blind_server "$FT_SCRATCH/served"
ft_fixture pytest-basic origin
cat >tests/test_remote.py <<PY
import urllib.request


def test_remote():
    url = "http://127.0.0.1:$BLIND_PORT/flag"
    assert urllib.request.urlopen(url, timeout=30).read() == b"ok\n"
PY
git add tests/test_remote.py && git -c user.email=t@t -c user.name=t commit -qm remote
git checkout -q -b main
git checkout -q -b pr
printf "\nX = 1\n" >>calc/fmt.py
git -c user.email=t@t -c user.name=t commit -qam "pr: fmt"
git checkout -q main

# job: CI on main (the golden recording)
cd "$FT_SCRATCH" && git clone -q -b main origin main-ci && cd main-ci && ft_settle
ft run -q -- "${PYTEST[@]}" >/dev/null || ft_fail "main's recording failed"
bash "$CI" publish "$STORE" 2>/dev/null || ft_fail "publish exited $?"

# pr_stage NAME STATUS STAGE ARGS...: in a fresh clone of the pull request,
# restore, then `ftrace-ci.sh STAGE ARGS...`, which exits STATUS
pr_stage() {
	local name=$1 want=$2 rc=0
	shift 2
	cd "$FT_SCRATCH" && rm -rf "$name" && git clone -q -b pr origin "$name" && cd "$name" && ft_settle
	bash "$CI" restore "$STORE" 2>/dev/null || ft_fail "$name: restore exited $?"
	bash "$CI" "$@" >"$FT_SCRATCH/$name.out" 2>"$FT_SCRATCH/$name.err" || rc=$?
	[ "$rc" -eq "$want" ] || { cat "$FT_SCRATCH/$name.out" "$FT_SCRATCH/$name.err" >&2;
		ft_fail "$name: ftrace-ci.sh $1 exited $rc, expected $want"; }
}
json() {
	"$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# 1. The pull request: the selected stage runs test_fmt's 2 tests; the
# verify stage runs all 13, no escape, and publishes.
pr_stage selected 0 select "$FT_SCRATCH/selected.json" "${PYTEST[@]}"
grep -q "^2 passed" "$FT_SCRATCH/selected.out" || ft_fail "selected: $(cat "$FT_SCRATCH/selected.out")"
assert_eq "test 2 2" "$(json "$FT_SCRATCH/selected.json" '"%s %d %d" % (r["report"], r["counts"]["selected"], r["counts"]["run"])')" \
	"the selected stage's report"
pr_stage verify 0 verify "$STORE" "$FT_SCRATCH/verify.json" "${PYTEST[@]}"
assert_eq "verify True [] 13" "$(json "$FT_SCRATCH/verify.json" '"%s %s %s %d" % (r["report"], r["verdict"], r["escapes"], r["counts"]["run"])')" \
	"the verify stage's report: no escape"
[ -f "$STORE/$(git rev-parse HEAD).ftb" ] || ft_fail "verify did not publish under the pull request's commit: $(ls "$STORE")"

# 2. The escape: the served flag changes; ftrace cannot see it.
echo bad >"$FT_SCRATCH/served/flag"
pr_stage selected2 0 select "$FT_SCRATCH/selected2.json" "${PYTEST[@]}"
assert_eq "[]" "$(json "$FT_SCRATCH/selected2.json" '[t["id"] for t in r["tests"]]')" \
	"the selected stage runs nothing (and passes): test_remote is not selected"
pr_stage verify2 99 verify "$STORE" "$FT_SCRATCH/verify2.json" "${PYTEST[@]}"
grep -q "ftrace-ci: ESCAPE GATE: ftrace left out a test that this change affects" "$FT_SCRATCH/verify2.err" ||
	ft_fail "the gate is not said: $(cat "$FT_SCRATCH/verify2.err")"
grep -q "ESCAPE: test '$REMOTE' was not selected" "$FT_SCRATCH/verify2.err" ||
	ft_fail "the escape is not described: $(cat "$FT_SCRATCH/verify2.err")"
assert_eq "$REMOTE 99" "$(json "$FT_SCRATCH/verify2.json" '"%s %d" % (r["escapes"][0]["id"], r["exit_status"])')" \
	"the verify stage's report names the escape"
