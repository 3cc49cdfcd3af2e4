#!/usr/bin/env bash
# Sharing a recording (issue 28): a pytest suite recorded in one clone,
# exported, and imported into another clone at another path answers
# `ftrace affected` exactly as the recording clone does, for
# a set of edits (an edited module, an edited test, a new test file, a
# data file).  A dependency outside the repository that differs on the
# importing side selects its tests, with the reason.  A recording newer
# here is kept over the bundle's.  Another $HOME is an environment change
# for the test that read it, and only for it: neither pytest's terminal
# set-up (readline's ~/.inputrc) nor ftrace's own look at the
# interpreter's paths is a test's read (t2037; docs/ci.md, "Environment
# variables").  `ftrace import` of nothing to import,
# and the commands' usage, are checked in t6601.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
# The interpreter itself, not a pyenv shim: a shim is a shell script whose
# text names $HOME (pyenv's root), which makes HOME every test's
# dependency (docs/usage.md, "Environment variables"), rightly there.
FT_PYTHON=$("$FT_PYTHON" -c 'import sys; print(sys.executable)')
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
export FTRACE_GRANULARITY=file
ft_fixture pytest-basic src
# an outside file a test reads, in the recording side's $HOME (an anchor:
# a file in any other temp dir would be scratch, no dependency)
OUT_DIR=$FT_SCRATCH/home-a
mkdir -p "$OUT_DIR"
echo 1 >"$OUT_DIR/setting.txt"
cat >tests/test_outside.py <<PY
import os


def test_outside():
    assert os.path.expanduser("~")   # reads HOME
    with open("$OUT_DIR/setting.txt") as f:
        assert f.read().strip() == "1"
PY
git add -A && git -c user.email=t@t -c user.name=t commit -qm outside
cd "$FT_SCRATCH"
git clone -q src a
git clone -q src b
(cd a && ft_settle)
(cd b && ft_settle)

cd "$FT_SCRATCH/a"
export HOME=$FT_SCRATCH/home-a
record
assert_set "" "$(affected)" "a: nothing changed after the recording"
ft export "$FT_SCRATCH/golden.ftb" 2>"$FT_SCRATCH/export.err" || ft_fail "export exited $?"
grep -q "export: 13 tests" "$FT_SCRATCH/export.err" || ft_fail "export summary: $(cat "$FT_SCRATCH/export.err")"
# nothing of a's absolute path goes into the bundle
if grep -aqF "$FT_SCRATCH/a" "$FT_SCRATCH/golden.ftb"; then
	ft_fail "the bundle holds the exporting checkout's absolute path"
fi

cd "$FT_SCRATCH/b"
ft import "$FT_SCRATCH/golden.ftb" 2>"$FT_SCRATCH/import.err" ||
	{ cat "$FT_SCRATCH/import.err" >&2; ft_fail "import exited $?"; }
grep -q "import: 13 tests imported" "$FT_SCRATCH/import.err" || ft_fail "import summary: $(cat "$FT_SCRATCH/import.err")"
assert_set "" "$(affected)" "b: nothing changed after the import"

# each edit, made in both clones: the same selection
# shellcheck disable=SC2016
edits=(
	'printf "\nX = 1\n" >>calc/fmt.py && ft_settle'
	'printf "\nX = 1\n" >>tests/test_arith.py && ft_settle'
	'printf "def test_new():\n    pass\n" >tests/test_new.py && ft_settle'
	'echo 9,9 >>tests/data/table.csv && ft_settle'
	'touch plugins/gamma.txt && ft_settle'
	'rm tools/greeting.txt && ft_settle'
)
for e in "${edits[@]}"; do
	(cd "$FT_SCRATCH/a" && eval "$e")
	(cd "$FT_SCRATCH/b" && eval "$e")
	want=$(cd "$FT_SCRATCH/a" && affected)
	got=$(cd "$FT_SCRATCH/b" && affected)
	[ -n "$want" ] || ft_fail "edit '$e' selects nothing in the recording clone"
	assert_set "$want" "$got" "edit '$e': the importing clone selects what the recording one does"
	for d in a b; do
		(cd "$FT_SCRATCH/$d" && rm -f tests/test_new.py plugins/gamma.txt && git checkout -q -- . && ft_settle)
	done
done

# An outside dependency that differs here (another machine's file):
# its test is selected, with the path in the reason.
echo 2 >"$OUT_DIR/setting.txt"
assert_set "tests/test_outside.py::test_outside" "$(affected)" \
	"b: the outside file differs"
ft affected --format json >"$FT_SCRATCH/why.json" || ft_fail "affected --format json exited $?"
grep -qF "$OUT_DIR/setting.txt" "$FT_SCRATCH/why.json" ||
	ft_fail "the reason does not name the outside path: $(head -c 2000 "$FT_SCRATCH/why.json")"
# missing here: selected too
rm "$OUT_DIR/setting.txt"
assert_set "tests/test_outside.py::test_outside" "$(affected)" \
	"b: the outside file is missing"
echo 1 >"$OUT_DIR/setting.txt"

# Another $HOME: the test that read it is selected, with $HOME as the
# reason, and no other
mkdir -p "$FT_SCRATCH/home-b"
got=$(HOME=$FT_SCRATCH/home-b ft affected --format json) || ft_fail "affected under another HOME exited $?"
"$FT_PYTHON" - "$got" <<'PY' || ft_fail "another HOME: $got"
import json, sys
doc = json.loads(sys.argv[1])
ids = [t["id"] for t in doc["tests"]]
assert ids == ["tests/test_outside.py::test_outside"], ids
assert all(any(r["path"] == "$HOME" and r["kind"] == "env" for r in t["reasons"]) for t in doc["tests"])
PY

# A recording made here after the bundle's is kept: record one module in
# b with an edit, import the (older) bundle again: the edit stays seen.
printf "\nY = 1\n" >>calc/fmt.py && ft_settle
record tests/test_fmt.py
assert_set "" "$(affected)" "b: recorded again"
ft import "$FT_SCRATCH/golden.ftb" 2>"$FT_SCRATCH/import2.err" || ft_fail "second import exited $?"
grep -q "import: 11 tests imported from .*, 2 kept" "$FT_SCRATCH/import2.err" ||
	ft_fail "second import: $(cat "$FT_SCRATCH/import2.err")"
assert_set "" "$(affected)" "b: the newer local recording of test_fmt is kept"
