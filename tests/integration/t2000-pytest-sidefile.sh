#!/usr/bin/env bash
# The pytest plugin on its own, without the preload library: with
# FTRACE_RUN_DIR set it still writes adapter-pytest-<pid>.json, whose
# closures for fixtures/pytest-basic must be exactly the project files each
# test module can reach (a closure too small is a missed test; too large
# loses precision).  Also: outcomes as the plugin reports them, and the
# plugin stays out of the way when it must (no FTRACE_RUN_DIR, a pytest run
# inside a test, an unwritable run dir).
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
# Python's default: .pyc files are written, so later runs only stat sources.
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
ft_fixture pytest-basic

ADAPTER=$FTRACE_SOURCE_DIR/adapters/pytest
RUN=$FT_SCRATCH/run
mkdir "$RUN"

# plugin_pytest [ENV ASSIGNMENTS / env -u NAME...] [-- PYTEST ARGS...]
plugin_pytest() {
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	env -u LD_PRELOAD -u FTRACE_TEST_ID "${envs[@]}" PYTHONPATH="$ADAPTER" PYTEST_PLUGINS=ftrace_pytest \
		"$FT_PYTHON" -m pytest -q -p no:cacheprovider "$@"
}

out=$(plugin_pytest FTRACE_RUN_DIR="$RUN") || ft_fail "pytest with the plugin failed: $out"
grep -q '^12 passed in' <<<"$out" || ft_fail "unexpected pytest output: $out"
grep -qi 'warning' <<<"$out" && ft_fail "the plugin warned: $out"
set -- "$RUN"/adapter-pytest-*.json
[ $# -eq 1 ] && [ -f "$1" ] || ft_fail "expected one side file in $RUN, got: $*"
grep -q '\.tmp$' <<<"$(ls "$RUN")" && ft_fail "a temporary side file was left behind"

"$FT_PYTHON" - "$1" "$PWD" <<'PY' || ft_fail "side file content (see above)"
import json, os, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
root = sys.argv[2]
def rel(p):
    assert p.startswith(root + "/"), p
    return p[len(root) + 1:]
bad = []
def check(what, want, got):
    if want != got:
        bad.append("%s:\n  want %r\n  got  %r" % (what, want, got))

check("adapter", "pytest", doc["adapter"])
check("version", 1, doc["version"])
check("broken", False, doc["broken"])
check("active", False, doc["active"])
check("rootdir", root, doc["rootdir"])
check("invocation_dir", root, doc["invocation_dir"])
check("python_files", ["test_*.py", "*_test.py"], doc["python_files"])
check("pid in file name", "adapter-pytest-%d.json" % doc["pid"], os.path.basename(sys.argv[1]))

conf = ["tests/conftest.py"]
calc = ["calc/__init__.py"]
want = {
    "tests/test_arith.py": calc + ["calc/arith.py"] + conf,
    "tests/test_fmt.py": calc + ["calc/constants.py", "calc/fmt.py"] + conf,
    "tests/test_table.py": calc + ["calc/arith.py", "calc/table.py"] + conf,
    "tests/test_config.py": calc + ["calc/config.py", "calc/constants.py"] + conf,
    "tests/test_plugins.py": calc + ["calc/plugins.py"] + conf,
    "tests/tools/test_greet.py": conf + ["tests/tools/conftest.py"],
}
closures = {rel(k): v for k, v in doc["closures"].items()}
check("closure keys", sorted(want), sorted(closures))
for mod, files in want.items():
    got = closures.get(mod, [])
    check("sources in the closure of " + mod, sorted(files + [mod]),
          sorted(rel(p) for p in got if p.endswith(".py")))
    # Every source comes with its compiled files: Python's and pytest's.
    for src in files + [mod]:
        d, b = os.path.split(src)
        pyc = "%s/__pycache__/%s.%s.pyc" % (d, b[:-3], sys.implementation.cache_tag)
        if pyc not in [rel(p) for p in got]:
            bad.append("%s: %s missing from the closure of %s" % (src, pyc, mod))
    for p in got:
        if not (p.endswith(".py") or p.endswith(".pyc")):
            bad.append("closure of %s holds %s" % (mod, p))
pf = set(rel(p) for p in doc["project_files"])
for files in closures.values():
    for p in files:
        if rel(p) not in pf:
            bad.append("%s is in a closure but not in project_files" % p)
for p in pf:
    if not (p.startswith("calc/") or p.startswith("tests/")):
        bad.append("project_files holds %s" % p)

# Files collection only stat'ed: data files, never code or project files.
csf = [rel(p) for p in doc["collect_stat_files"]]
if "tests/data/table.csv" not in csf:
    bad.append("tests/data/table.csv missing from collect_stat_files %r" % csf)
for p in csf:
    if p.endswith(".py") or p.endswith(".pyc") or p in pf:
        bad.append("collect_stat_files holds code: %s" % p)

tests = {t["id"]: t for t in doc["tests"]}
check("number of tests", 12, len(tests))
for t in tests.values():
    check("outcome of " + t["id"], "passed", t["outcome"])
    check("file of " + t["id"], t["id"].split("::")[0], rel(t["file"]))
if bad:
    print("\n".join(bad), file=sys.stderr)
    sys.exit(1)
PY

# Outcomes: what ftrace_test_end() would be told, for each kind of result.
cat >tests/test_outcomes.py <<'EOF'
import pytest

@pytest.fixture
def broken_setup():
    raise RuntimeError("setup")

@pytest.fixture
def broken_teardown():
    yield
    raise RuntimeError("teardown")

def test_pass(): pass
def test_fail(): assert False
def test_skip(): pytest.skip("no")
@pytest.mark.skip
def test_skip_mark(): pass
@pytest.mark.xfail
def test_xfail(): assert False
@pytest.mark.xfail
def test_xpass(): pass
@pytest.mark.xfail(strict=True)
def test_xpass_strict(): pass
def test_setup_error(broken_setup): pass
def test_teardown_error(broken_teardown): pass
def test_fail_and_teardown_error(broken_teardown): assert False
EOF
rm -f "$RUN"/*
rc=0
plugin_pytest FTRACE_RUN_DIR="$RUN" -- tests/test_outcomes.py >/dev/null || rc=$?
[ $rc -eq 1 ] || ft_fail "pytest over test_outcomes.py exited $rc, expected 1"
"$FT_PYTHON" - "$RUN"/adapter-pytest-*.json <<'PY' || ft_fail "outcomes"
import json, sys
doc = json.load(open(sys.argv[1]))
got = {t["id"].split("::")[1]: t["outcome"] for t in doc["tests"]}
want = {"test_pass": "passed", "test_fail": "failed", "test_skip": "skipped",
        "test_skip_mark": "skipped", "test_xfail": "passed", "test_xpass": "passed",
        "test_xpass_strict": "failed", "test_setup_error": "error",
        "test_teardown_error": "error", "test_fail_and_teardown_error": "failed"}
if got != want:
    print("want %r\ngot  %r" % (want, got), file=sys.stderr)
    sys.exit(1)
PY
rm tests/test_outcomes.py

# No FTRACE_RUN_DIR: the plugin does nothing (no file anywhere, no warning).
rm -f "$RUN"/*
out=$(plugin_pytest -u FTRACE_RUN_DIR) || ft_fail "pytest without FTRACE_RUN_DIR failed: $out"
grep -q '^12 passed in' <<<"$out" || ft_fail "unexpected pytest output: $out"
[ -z "$(find . "$RUN" -name 'adapter-pytest-*')" ] || ft_fail "side file written without FTRACE_RUN_DIR"

# Inside a test that ftrace already marks (FTRACE_TEST_ID set): nothing.
out=$(plugin_pytest FTRACE_RUN_DIR="$RUN" FTRACE_TEST_ID=outer) || ft_fail "nested pytest failed: $out"
[ -z "$(ls "$RUN")" ] || ft_fail "side file written by a pytest nested in test 'outer'"

# An unwritable run dir never breaks the user's run: pytest's status and
# results are unchanged, and the plugin says so with one warning at most.
out=$(plugin_pytest FTRACE_RUN_DIR="$FT_SCRATCH/no/such/dir") || ft_fail "pytest with a bad run dir failed: $out"
grep -q '^12 passed, 1 warning in' <<<"$out" || ft_fail "expected 12 passes and one warning: $out"
grep -q 'ftrace: the pytest adapter failed' <<<"$out" || ft_fail "the warning does not say what failed: $out"
