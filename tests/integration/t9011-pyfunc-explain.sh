#!/usr/bin/env bash
# `ftrace affected --granularity=function --explain` names, under each
# changed .py file of a selected test, what changed in it (issue 5): the
# function that changed and ran in the test, a function that ran outside
# any test (skeleton), the skeleton itself, a body the test did not run, an
# edit that changed no fingerprint, and a test that was not recorded by
# function.  Exact output blocks, on fixtures/pytest-funcs.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYTHON
ft_fixture pytest-funcs
# Docstrings: test_help reads slug's without running slug; test_usage
# reads it and runs slug.
ft_edit shop/util.py 'def slug(text):' 'def slug(text):
    """Make a slug of text."""'
cat >tests/test_help.py <<'PY'
from shop import util


def test_help():
    assert "slug" in util.slug.__doc__


def test_usage():
    assert util.slug.__doc__ and util.slug("A") == "a"
PY
git add shop/util.py tests/test_help.py && git -c user.email=t@t -c user.name=t commit -qm help

"$FT_PYTHON" -m pytest -q -p no:cacheprovider >/dev/null 2>&1 || ft_fail "pytest failed"
ft_settle
ft run -q --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/out" 2>&1 ||
	{ cat "$FT_SCRATCH/out" >&2; ft_fail "recording failed"; }

# block ID: the --explain lines of test ID (the id line and those under it)
explain() { ft affected --granularity=function --explain >"$FT_SCRATCH/explain" || ft_fail "affected failed"; }
block() { awk -v id="$1" '/^[^ ]/ { on = ($0 == id) } on' "$FT_SCRATCH/explain"; }

P=$PWD/shop/prices.py
R=$PWD/shop/registry.py
U=$PWD/shop/util.py
NET=tests/test_prices.py::test_net
KIND=tests/test_catalog.py::test_kind

# A body the test ran, next to a comment-only edit in another file.
ft_edit shop/prices.py "return round(amount, 2)" "return round(amount, 3)"
ft_edit shop/registry.py 'return "hello"' 'return "hello"  # greet'
explain
assert_eq "$NET
    $P: file dependency: content changed
      function \`net\` changed, and the test ran it
    $R: file dependency: content changed
      no fingerprint changed (comments or layout only)" "$(block $NET)" "explain: body run by the test"
assert_set "$NET" "$(grep -v '^ ' "$FT_SCRATCH/explain")" "explain: the selected set"
ft_back shop/registry.py

# A body run only at import (build_table), with the body edit above: a
# test that did not run `net` is kept for util.py alone.
ft_edit shop/util.py "range(4)" "range(5)"
explain
assert_eq "$KIND
    $P: file dependency: content changed
      function \`net\` changed, not run by the test
    $U: file dependency: content changed
      function \`build_table\` changed, and ran outside any test (import, collection or a shared fixture): skeleton" \
	"$(block $KIND)" "explain: body run at import"
ft_back shop/util.py shop/prices.py

# A docstring: read by one test, read and run by another (with a body
# edit), run only by a third.
HELP=tests/test_help.py::test_help
USAGE=tests/test_help.py::test_usage
SLUG=tests/test_util.py::test_slug
ft_edit shop/util.py '"""Make a slug of text."""' '"""Make a slug of any text."""'
ft_edit shop/util.py '"-".join(' '"-" .join('
explain
assert_eq "$HELP
    $U: file dependency: content changed
      the docstring of \`slug\` changed, and the test read it" "$(block $HELP)" "explain: docstring read"
ft_edit shop/util.py '"-" .join(' '"_".join('
explain
assert_eq "$USAGE
    $U: file dependency: content changed
      function \`slug\` and the docstring of \`slug\` changed, and the test ran or read them" \
	"$(block $USAGE)" "explain: body run and docstring read"
assert_eq "$SLUG
    $U: file dependency: content changed
      function \`slug\` changed, and the test ran it" "$(block $SLUG)" "explain: body run, docstring not read"
assert_set "$HELP $USAGE $SLUG" "$(grep -v '^ ' "$FT_SCRATCH/explain")" "explain: the docstring's and slug's tests"
ft_back shop/util.py

# The skeleton: a module constant made by a call (a plain one is a name
# change, t9027).
ft_edit shop/prices.py "TAX = 0.25" "TAX = float(0.5)"
explain
assert_eq "$KIND
    $P: file dependency: content changed
      skeleton changed (code outside function bodies: module statements, class bodies, decorators, signatures or docstrings)" \
	"$(block $KIND)" "explain: skeleton"
ft_back shop/prices.py

# A test whose last recording was at file granularity.
ft run -q --granularity=file -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$KIND" >"$FT_SCRATCH/out" 2>&1 ||
	{ cat "$FT_SCRATCH/out" >&2; ft_fail "file-granularity recording failed"; }
ft_edit shop/prices.py "return round(amount, 2)" "return round(amount, 3)"
explain
assert_eq "$KIND
    $P: file dependency: content changed
    function granularity: the test's last recording was at file granularity" \
	"$(block $KIND)" "explain: recorded by file"
assert_set "$NET $KIND" "$(grep -v '^ ' "$FT_SCRATCH/explain")" "explain: the set with a test recorded by file"

# A row recorded before docstring reads were (complete = 1): by file.
# (each edit's row checksum written again, or it is corruption: t3206)
sqlite3 .ftrace/ftrace.db "UPDATE pyfunc_tests SET complete = 1 WHERE name = '$NET'" ||
	ft_fail "sqlite3"
"$FTRACE_BUILD_DIR/tests/tools/ftt_plantset" --redigest .ftrace/ftrace.db || ft_fail "redigest"
explain
assert_eq "$NET
    $P: file dependency: content changed
    function granularity: the test's function recording predates docstring reads: record it again with --granularity=function" \
	"$(block $NET)" "explain: recorded before docstring reads"
sqlite3 .ftrace/ftrace.db "UPDATE pyfunc_tests SET complete = 2 WHERE name = '$NET'" ||
	ft_fail "sqlite3"
"$FTRACE_BUILD_DIR/tests/tools/ftt_plantset" --redigest .ftrace/ftrace.db || ft_fail "redigest"

# A test that recorded two versions of prices.py (another content value
# beside the first, in a set of its own): which one it ran is unknown, so it
# is selected by file.  The values of every test are read in one query per
# file: the second value must count for NET alone.
# (Planted as ftrace stores a set, checksums included: rows edited with the
# sqlite3 CLI would be corruption, t3204.)
"$FTRACE_BUILD_DIR/tests/tools/ftt_plantset" .ftrace/ftrace.db "$NET" "$P" 1 4242 ||
	ft_fail "no second version for $NET"
explain
assert_eq "$NET
    $P: file dependency: content changed
      function granularity: the test recorded more than one version of the file
    $P: file dependency: content changed
      function granularity: the test recorded more than one version of the file" \
	"$(block $NET)" "explain: two versions of the file (a reason for each)"
# Which version the session imported is then unknown too, and the second
# has no fingerprints: what its import did may differ, so every test of the
# session is added (docs/python-functions.md, "Import-time effects").
SESSION=$(sqlite3 .ftrace/ftrace.db "SELECT name FROM tests") || ft_fail "sqlite3"
assert_set "$SESSION" "$(grep -v '^ ' "$FT_SCRATCH/explain")" "explain: two versions, the session's tests"
grep -q "import-time code: no fingerprints of the version the test saw" "$FT_SCRATCH/explain" ||
	ft_fail "explain: the session's tests without why: $(cat "$FT_SCRATCH/explain")"

# Without --explain, the same set and no notes.
assert_set "$SESSION" "$(ft affected --granularity=function --format ids)" "the same set without --explain"
