#!/usr/bin/env bash
# `ftrace run --granularity=function -- pytest`: the plugin records, per test
# and phase, which project functions ran (the session prelude apart), and
# the skeleton and body fingerprints of every project .py file, in its side
# file (docs/python-functions.md).  Checked on fixtures/pytest-funcs, whose
# shop/__init__.py imports every module: the functions run at import
# (build_table, the decorator register) and by the session fixture
# (session_label) must be in the prelude, never only in one test.  Without
# the switch the side file has neither part, and the switch's variable is
# never visible to the tests.  The default (auto) records functions only
# where the interpreter has a cheap hook (ft_cheap_hook), and filters by
# them at selection.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
ft_fixture pytest-funcs
ft_clock_past_ctime

side_file() {
	set -- .ftrace/runs/*/adapter-pytest-*.json
	[ $# -eq 1 ] && [ -f "$1" ] || ft_fail "expected one kept side file, got: $*"
	printf '%s\n' "$1"
}

# 1. Bad values are refused before anything runs, from the option, the
# variable or .ftrace.json.
assert_status 64 ft run --granularity=line -- "$FT_PYTHON" -c 'raise SystemExit(3)'
FTRACE_GRANULARITY=line ft run -- "$FT_PYTHON" -c 'raise SystemExit(3)' 2>"$FT_SCRATCH/err" &&
	ft_fail "FTRACE_GRANULARITY=line ran"
grep -q "FTRACE_GRANULARITY must be 'file', 'function' or 'auto', not 'line'" "$FT_SCRATCH/err" ||
	ft_fail "no message for FTRACE_GRANULARITY=line: $(cat "$FT_SCRATCH/err")"
for cmd in "run --" "test --" "affected"; do
	rc=0
	FTRACE_GRANULARITY=line ft $cmd true >/dev/null 2>&1 || rc=$?
	assert_eq 64 "$rc" "ftrace $cmd with FTRACE_GRANULARITY=line"
done
[ ! -e .ftrace/ftrace.db ] || ft_fail "a refused granularity recorded"

# 2. Which sessions record functions: side_file_has yes|no|cheap [RUN
# ARGS...] (cheap: yes, with the monitoring or frame hook); the recording
# must pass.
side_file_has() {
	local want=$1
	shift
	ft run -q --keep-records "$@" -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/out" 2>&1 ||
		{ cat "$FT_SCRATCH/out" >&2; ft_fail "recording ($*) failed"; }
	"$FT_PYTHON" - "$(side_file)" "$want" <<'PY' || ft_fail "side file ($*, FTRACE_GRANULARITY=${FTRACE_GRANULARITY-}): functions $want"
import json, sys
doc = json.load(open(sys.argv[1]))
assert not doc["broken"], doc["errors"]
has = "functions" in doc and "fingerprints" in doc
assert has == (sys.argv[2] != "no"), sorted(doc)
if has:
    assert doc["functions"]["complete"] is True, doc["functions"]["errors"]
if sys.argv[2] == "cheap":
    assert doc["functions"]["hook"] in ("monitoring", "fframe"), doc["functions"]["hook"]
PY
	rm -rf .ftrace/runs
}
if ft_cheap_hook; then cheap=cheap; else cheap=no; fi
ft_log "the default records functions for $FT_PYTHON: $cheap"
side_file_has $cheap
side_file_has $cheap --granularity=auto
FTRACE_GRANULARITY=auto side_file_has $cheap
side_file_has no --granularity=file
FTRACE_GRANULARITY=file side_file_has no
FTRACE_GRANULARITY=file side_file_has yes --granularity=function
if [ $cheap = cheap ] && "$FT_PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
	# A slower hook forced: the default does not pay for it.
	FTRACE_PYFUNC_HOOK=cprofile side_file_has no
fi
printf '{"granularity": "auto"}\n' >.ftrace.json
FTRACE_GRANULARITY=file side_file_has $cheap
printf '{"granularity": "file"}\n' >.ftrace.json
side_file_has no
rm .ftrace.json

# 3. --granularity=function.
ft run -q --keep-records --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/out" 2>&1 || { cat "$FT_SCRATCH/out" >&2; ft_fail "function recording failed"; }
grep -q '^10 passed' "$FT_SCRATCH/out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/out")"
grep -qi warning "$FT_SCRATCH/out" && ft_fail "the plugin warned: $(cat "$FT_SCRATCH/out")"
f=$(side_file)
"$FT_PYTHON" - "$f" "$PWD" "$FTRACE_SOURCE_DIR/adapters/pytest" <<'PY' || ft_fail "function side file (see above)"
import importlib, json, os, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["FTRACE_SOURCE_DIR"], "tests", "integration"))
doc = importlib.import_module("lib-sidefile").load(sys.argv[1])
root, adapters = sys.argv[2], sys.argv[3]
assert not doc["broken"], doc["errors"]
fn = doc["functions"]
assert fn["complete"] is True, fn
assert fn["errors"] == [], fn["errors"]
import sysconfig
# ftrace run puts the build tree's adapters on PYTHONPATH: a C hook is
# used on 3.11 when the build made it for this interpreter, the frame
# evaluation one first
def built(name):
    return os.path.exists(os.path.join(os.environ["FTRACE_BUILD_DIR"], "adapters", "pytest",
                                       name + sysconfig.get_config_var("EXT_SUFFIX")))
want_hook = ("monitoring" if sys.version_info >= (3, 12) else
             "fframe" if built("_ftrace_fframe") else
             "cprofile" if built("_ftrace_fhook") else "settrace")
assert fn["hook"] == want_hook, (fn["hook"], want_hook)

def rel(p):
    assert p.startswith(root + "/"), p
    return p[len(root) + 1:]

def shop(keys, reads=False):
    """Functions run ("util:slug"), or with reads=True, names read and
    the prelude's markers ("util:@TABLE", "util:@+")."""
    return {"%s:%s" % (rel(f)[5:-3], q) for f, q, line in keys
            if rel(f).startswith("shop/") and (q[0] == "@") == reads}

# Only project code, never the standard library, pytest or the plugin.
every = list(fn["prelude"])
for phases in fn["tests"].values():
    for keys in phases.values():
        every += keys
for f, q, line in every:
    rel(f)
    assert isinstance(line, int) and line >= (0 if q[0] == "@" else 1), (f, q, line)

ran = {tid: shop(k for keys in phases.values() for k in keys)
       for tid, phases in fn["tests"].items()}
want = {
    "tests/test_prices.py::test_net": {"prices:net"},
    "tests/test_prices.py::test_gross": {"prices:gross"},
    "tests/test_util.py::test_slug": {"util:slug"},
    "tests/test_util.py::test_table": set(),
    "tests/test_util.py::test_session": set(),
    "tests/test_catalog.py::test_label": {"catalog:Item.__init__", "catalog:Item.label"},
    "tests/test_catalog.py::test_kind": set(),
    "tests/test_registry.py::test_hello": {"registry:hello"},
    "tests/test_registry.py::test_names": set(),
    "tests/test_env.py::test_env_hidden": set(),
}
assert ran == want, json.dumps({k: sorted(v) for k, v in ran.items()}, indent=1)
# One target per test, from its setup to the end of its teardown.
assert list(fn["tests"]["tests/test_prices.py::test_net"]) == ["test"], fn["tests"]
assert shop(fn["tests"]["tests/test_prices.py::test_net"]["test"]) == {"prices:net"}
# Names of project modules each test read (docs/python-functions.md,
# "Namespace changes"): `prices.net(...)` reads prices' name net.
reads = {tid: shop((k for keys in phases.values() for k in keys), reads=True)
         for tid, phases in fn["tests"].items()}
assert reads["tests/test_prices.py::test_net"] == {"prices:@net"}, reads
assert reads["tests/test_util.py::test_table"] == {"util:@TABLE"}, reads
assert reads["tests/test_env.py::test_env_hidden"] == set(), reads
# Every shop module was made by the import system after the recorder
# started: their reads were all seen.  pytest's own loader runs the test
# modules and the conftest, tracked too; the test modules, which pytest's
# collector read, are marked "@%" (docs/python-functions.md, "Test modules").
marks = {"%s:%s" % (rel(f), q) for f, q, line in fn["prelude"] if q in ("@+", "@-", "@%")}
for m in ("__init__", "catalog", "prices", "registry", "util"):
    assert "shop/%s.py:@+" % m in marks and "shop/%s.py:@-" % m not in marks, (m, marks)
assert "tests/conftest.py:@+" in marks and "tests/test_util.py:@%" in marks, marks
assert "tests/test_util.py:@+" not in marks and "tests/test_util.py:@-" not in marks, marks

prelude = shop(fn["prelude"])
for must in ("util:build_table", "util:build_table.<locals>.<dictcomp>", "util:<module>",
             "registry:register", "registry:register.<locals>.deco", "catalog:Item",
             "util:session_label", "__init__:<module>"):
    assert must in prelude, (must, sorted(prelude))
for never in ("prices:net", "prices:gross", "util:slug", "registry:hello", "catalog:Item.label"):
    assert never not in prelude, never
conftest = {q for f, q, line in fn["prelude"] if rel(f) == "tests/conftest.py"}
# (pytest's fixture decorator may copy the fixture's __doc__ and
# __annotations__ at import: reads in the prelude, "label#doc" and
# "label#ann", with some pytest versions); the conftest is tracked, and
# pluggy read its whole namespace registering it
assert {q for q in conftest if q[0] != "@"} - {"label#doc", "label#ann"} == {"<module>", "label"}, conftest
assert "@+" in conftest and "@*" in conftest, conftest

# Fingerprints: every project .py file, as the standalone tool computes them.
fps = doc["fingerprints"]
files = sorted(rel(f) for f in fps)
assert files == ["shop/__init__.py", "shop/catalog.py", "shop/prices.py", "shop/registry.py",
                 "shop/util.py", "tests/conftest.py", "tests/test_catalog.py", "tests/test_env.py",
                 "tests/test_prices.py", "tests/test_registry.py", "tests/test_util.py"], files
bodies = {rel(f)[5:-3]: sorted(v["bodies"]) for f, v in fps.items() if rel(f).startswith("shop/")}
assert bodies == {"__init__": [], "catalog": ["Item.__init__", "Item.label"],
                  "prices": ["gross", "net"], "registry": ["bye", "hello", "register"],
                  "util": ["build_table", "session_label", "slug"]}, bodies
out = subprocess.run([sys.executable, os.path.join(adapters, "ftrace_fingerprint.py")] + sorted(fps),
                     check=True, capture_output=True, text=True).stdout
tool = json.loads(out)
for v in tool.values():   # what the tool adds at selection only (t9001)
    if v is not None:
        assert v["names"].pop("std") == sys.version + "\n" + sys.base_prefix, v
        for st in v["names"]["stmts"]:   # no --stdlib: no names checked
            assert len(st) == (5 if st[1].startswith("from:") else 4), st
assert tool == fps, "the plugin and the tool disagree"
PY

# 4. Selection.  File granularity selects every test for a body-only edit
# in shop/ (tests/conftest.py imports shop, so even test_env's closure
# holds it); function granularity, also the default for tests recorded
# with functions, only those that ran the function.
sed -i 's/return round(amount, 2)/return round(amount, 3)/' shop/prices.py
ft_settle
assert_set "$(printf '%s\n' tests/test_prices.py::test_net tests/test_prices.py::test_gross \
	tests/test_util.py::test_slug tests/test_util.py::test_table tests/test_util.py::test_session \
	tests/test_catalog.py::test_label tests/test_catalog.py::test_kind \
	tests/test_registry.py::test_hello tests/test_registry.py::test_names \
	tests/test_env.py::test_env_hidden)" \
	"$(ft affected --format ids --granularity=file)" "file granularity: a body edit in shop/ selects every importer"
fn=$(ft affected --format ids --granularity=function)
[ -n "$fn" ] && [ "$(printf '%s\n' "$fn" | wc -l)" -lt 10 ] ||
	ft_fail "function granularity did not narrow the body edit: $fn"
assert_set "$fn" "$(ft affected --format ids)" "the default filters by function"
assert_set "$fn" "$(ft affected --format ids --granularity=auto)" "--granularity=auto"
assert_set "$fn" "$(FTRACE_GRANULARITY=auto ft affected --format ids)" "FTRACE_GRANULARITY=auto"
assert_set "$(ft affected --format ids --granularity=file)" "$(FTRACE_GRANULARITY=file ft affected --format ids)" \
	"FTRACE_GRANULARITY=file"
