#!/usr/bin/env bash
# The JSON that ftrace prints, validated against its schemas in
# docs/schema/ (draft 2020-12) by tests/tools/ftt_jsonschema.py (the
# standard library only: python3-jsonschema is not on every test machine).
# Real outputs of pytest-basic plus test_env, whose outcome depends on an
# environment variable ftrace does not record: `affected --format json`
# after an edit; `verify --report` with an escape (test_env, learned flaky
# by that run), a plain failure (test_add, selected) and its flaky list;
# `flaky --json`; `stats --json`; `test --report` with failures, with
# nothing affected, and with no recording.  --strict: each required key the output
# has, dropped, makes it invalid (the schemas are strict enough to notice).
# A key no schema knows is refused too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

SCHEMAS=$FTRACE_SOURCE_DIR/docs/schema
CHECK=("$FT_PYTHON" "$FTRACE_SOURCE_DIR/tests/tools/ftt_jsonschema.py")
# (an escape: a file that is there, below a directory of a temporary
# directory outside the repository: scratch, never a dependency;
# docs/internals.md, "Not dependencies".  A name looked up there and not
# found would be one, its absence: t4345)
sed "s#@S@#$FT_SCRATCH#" >tests/test_env.py <<'PY'
import subprocess


def test_env():
    script = 'test "$(cat @S@/fail-me 2>/dev/null)" != 1'
    assert subprocess.run(["sh", "-c", script]).returncode == 0
PY
echo 0 >"$FT_SCRATCH/fail-me"
ft_settle
PYTEST="$FT_PYTHON -m pytest -q -p no:cacheprovider"
# valid SCHEMA DOC: valid, and strictly so
valid() {
	"${CHECK[@]}" --strict "$SCHEMAS/$1" "$2" || ft_fail "$2 against $1: $(cat "$2")"
}

ft test -- $PYTEST >/dev/null 2>&1 || ft_fail "the first recording failed"

# affected, after an edit that breaks test_add
ft_edit calc/arith.py "return a + b" "return a + b + 1"
ft affected --format json >"$FT_SCRATCH/affected.json" || ft_fail "affected exited $?"
valid affected.schema.json "$FT_SCRATCH/affected.json"
# environment variables' reasons: another time zone is every test's
TZ=T6123/Nowhere ft affected --format json >"$FT_SCRATCH/affected-env.json" ||
	ft_fail "affected (another time zone) exited $?"
grep -q '"kind":"env"' "$FT_SCRATCH/affected-env.json" || ft_fail "no env reason: $(cat "$FT_SCRATCH/affected-env.json")"
valid affected.schema.json "$FT_SCRATCH/affected-env.json"

# every reason a selection can give is one the schema allows: the labels
# of selector/select.c's table, read from the source (a label changed in
# the code and not in the schema made valid output invalid: 2026-11-27)
"$FT_PYTHON" - "$FTRACE_SOURCE_DIR/selector/select.c" "$SCHEMAS/affected.schema.json" <<'PY' ||
import json, re, sys
src = open(sys.argv[1]).read()
labels = re.findall(r'\[FT_CHANGE_[A-Z_]+\] = "([^"]+)"', src)
assert len(labels) >= 19, labels
def enums(node, out):
    if isinstance(node, dict):
        if "change" in node and isinstance(node["change"], dict) and "enum" in node["change"]:
            out.extend(node["change"]["enum"])
        for v in node.values():
            enums(v, out)
    elif isinstance(node, list):
        for v in node:
            enums(v, out)
    return out
allowed = enums(json.load(open(sys.argv[2])), [])
missing = [l for l in labels + ["changed"] if l not in allowed]
assert not missing, "labels the schema does not allow: %r" % missing
PY
	ft_fail "affected.schema.json does not allow every reason label of selector/select.c"

# verify: test_env fails unselected (an escape, learned flaky), test_add
# (and test_table_sum, which adds) fail selected
rc=0
echo 1 >"$FT_SCRATCH/fail-me"
ft verify --report "$FT_SCRATCH/report.json" -- $PYTEST >/dev/null 2>&1 || rc=$?
echo 0 >"$FT_SCRATCH/fail-me"
assert_eq 99 "$rc" "verify finds the escape"
assert_eq "tests/test_env.py::test_env True tests/test_env.py::test_env" \
	"$("$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["escapes"][0]["id"], "tests/test_arith.py::test_add" in [f["id"] for f in r["failures"]], r["flaky"][0]["id"])' "$FT_SCRATCH/report.json")" \
	"the report has an escape, failures and a flaky test"
valid verify-report.schema.json "$FT_SCRATCH/report.json"

ft flaky --json >"$FT_SCRATCH/flaky.json" || ft_fail "flaky exited $?"
grep -q test_env "$FT_SCRATCH/flaky.json" || ft_fail "test_env not learned: $(cat "$FT_SCRATCH/flaky.json")"
valid flaky.schema.json "$FT_SCRATCH/flaky.json"

# test --report: after verify, only the failed tests are selected (test_add
# and test_table_sum fail again, test_env passes: a flip of a test known
# flaky); then nothing affected; then no recording at all (cannot tell)
assert_status 1 ft test --report "$FT_SCRATCH/test.json" -- $PYTEST
valid test-report.schema.json "$FT_SCRATCH/test.json"
assert_eq "test [] True True" \
	"$("$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["report"], r["escapes"], "tests/test_arith.py::test_add" in [f["id"] for f in r["failures"]], all(t["duration_source"] == "runner" for t in r["tests"]))' "$FT_SCRATCH/test.json")" \
	"the test report: no escape, the failure, pytest's own durations"
ft_back calc/arith.py
ft test -q -- $PYTEST >/dev/null 2>&1 || ft_fail "the tests failed after the fix"
ft test --report "$FT_SCRATCH/test0.json" -- $PYTEST >/dev/null 2>&1 || ft_fail "nothing affected: exit $?"
valid test-report.schema.json "$FT_SCRATCH/test0.json"
mv .ftrace "$FT_SCRATCH/ftrace.away"
ft test --report "$FT_SCRATCH/test-all.json" -- $PYTEST >/dev/null 2>&1 || ft_fail "no recording: exit $?"
valid test-report.schema.json "$FT_SCRATCH/test-all.json"
rm -rf .ftrace && mv "$FT_SCRATCH/ftrace.away" .ftrace

ft stats --json >"$FT_SCRATCH/stats.json" || ft_fail "stats exited $?"
valid stats.schema.json "$FT_SCRATCH/stats.json"

# the checker itself: a key no schema has, and a dropped required key, fail
"$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); r["surprise"]=1; json.dump(r, open(sys.argv[2], "w"))' \
	"$FT_SCRATCH/stats.json" "$FT_SCRATCH/extra.json"
assert_status 1 "${CHECK[@]}" "$SCHEMAS/stats.schema.json" "$FT_SCRATCH/extra.json"
"$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); del r["counts"]["escapes"]; json.dump(r, open(sys.argv[2], "w"))' \
	"$FT_SCRATCH/report.json" "$FT_SCRATCH/dropped.json"
assert_status 1 "${CHECK[@]}" "$SCHEMAS/verify-report.schema.json" "$FT_SCRATCH/dropped.json"
