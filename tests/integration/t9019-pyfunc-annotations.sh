#!/usr/bin/env bash
# Postponed annotations at function granularity (fixtures/pytest-annotations;
# docs/python-functions.md, "Annotations").  Under `from __future__ import
# annotations` a function's parameter and return annotations are strings
# that only its __annotations__ gives out: an edit of them selects the tests
# that read them (inspect.signature, typing.get_type_hints), not the tests
# that ran the function, nor every importer.  Evaluated annotations stay
# skeleton.  An edit the parser takes but the compiler refuses breaks the
# module: every importer.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-annotations
ft_clock_past_ctime

S=tests/test_shapes.py
SHAPES="$S::test_area $S::test_box $S::test_plain $S::test_signature $S::test_hints $S::test_twice $S::test_measured $S::test_opened"

record() {
	rm -rf .ftrace
	ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
	grep -q '^9 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
}
record
fn() { ft affected --format ids --granularity=function; }

# What was recorded: the annotation reads, by the test that made them.
"$FT_PYTHON" - .ftrace/ftrace.db "$PWD" <<'PY' || ft_fail "the recorded annotation reads"
import json, sqlite3, sys
db, root = sqlite3.connect(sys.argv[1]), sys.argv[2]
shapes = root + "/pkg/shapes.py"
reads = {n: sorted(q for q in json.loads(f).get(shapes, []) if q.endswith("#ann"))
         for n, f in db.execute("SELECT name, funcs FROM pyfunc_tests")}
t = "tests/test_shapes.py::"
assert reads[t + "test_signature"] == ["scale#ann"], reads
assert reads[t + "test_hints"] == ["hinted#ann"], reads
assert reads[t + "test_area"] == [] and reads[t + "test_box"] == [], reads
(prelude,) = db.execute("SELECT prelude FROM pyfunc_runs").fetchone()
# only contextmanager's copy into its wrapper, at import
assert [q for q in json.loads(prelude).get(shapes, []) if q.endswith("#ann")] == ["opened#ann"], prelude
PY
assert_set "" "$(fn)" "nothing changed"

# Annotations of a function that two tests ran, and nobody read.
ft_edit pkg/shapes.py 'def area(w: int, h: int) -> int:' 'def area(w: float, h: float) -> float:'
assert_set "" "$(fn)" "annotations nobody read"
assert_set "$SHAPES" "$(ft affected --format ids --granularity=file)" "annotations, by file"
ft_back pkg/shapes.py

# Read by inspect.signature.
ft_edit pkg/shapes.py 'k: float = 2.0' 'k: int = 2.0'
assert_set "$S::test_signature" "$(fn)" "annotations read by inspect.signature"
ft affected --granularity=function --explain >"$FT_SCRATCH/explain" 2>&1
grep -q "the annotations of \`scale\` changed, and the test read it" "$FT_SCRATCH/explain" ||
	ft_fail "explain names the annotations: $(cat "$FT_SCRATCH/explain")"
ft_back pkg/shapes.py

# Read by typing.get_type_hints, and the first annotation of a function.
ft_edit pkg/shapes.py 'def hinted(x: Box) -> int:' 'def hinted(x: Box | None) -> int:'
assert_set "$S::test_hints" "$(fn)" "annotations read by get_type_hints"
ft_back pkg/shapes.py
ft_edit pkg/shapes.py 'def plain(x):' 'def plain(x: int):'
assert_set "" "$(fn)" "a first annotation"
ft_back pkg/shapes.py

# A name that only a postponed annotation mentions, re-signed:
# get_type_hints finds it in the globals, which no read of the module's
# names shows, but only when it reads the annotations, which the recorder
# notes: the name is a ref of the annotations key (measured#ann), not a
# mention of the def statement.  The test that read them, and no other.
ft_edit pkg/shapes.py 'def unit():' 'def unit(k=0):'
assert_set "$S::test_measured" "$(fn)" "a name an annotation mentions"
ft affected --granularity=function --explain >"$FT_SCRATCH/explain" 2>&1
grep -q "the annotations of \`measured\` changed or can see a changed name, and the test read it" \
	"$FT_SCRATCH/explain" || ft_fail "explain names the annotations that see unit: $(cat "$FT_SCRATCH/explain")"
ft_back pkg/shapes.py
# The same name in an evaluated default: the def statement reads it at
# import, skeleton: every importer.
ft_edit pkg/shapes.py 'def measured(x: unit) -> int:' 'def measured(x: unit = unit) -> int:'
record
ft_edit pkg/shapes.py 'def unit():' 'def unit(k=0):'
assert_set "$SHAPES" "$(fn)" "a name a default mentions"
ft_back pkg/shapes.py
record

# A method's: the class statement is unchanged.
ft_edit pkg/shapes.py 'def size(self) -> int:' 'def size(self) -> float:'
assert_set "" "$(fn)" "a method's annotations"
ft_back pkg/shapes.py

# With a default changed too, the class statement changed.  Box is a
# plain class ("Namespace changes"): the tests that read the name Box
# (test_hints through hinted's annotations too) or ran its methods.
ft_edit pkg/shapes.py 'class Box:
    def __init__(self, w: int, h: int) -> None:' 'class Box:
    def __init__(self, w: float, h: int = 1) -> None:'
assert_set "$S::test_box $S::test_hints" "$(fn)" "annotations and a default of a method"
ft_back pkg/shapes.py
# A default that is no literal: the class statement evaluates it at import:
# skeleton, every importer.
ft_edit pkg/shapes.py 'class Box:
    def __init__(self, w: int, h: int) -> None:' 'class Box:
    def __init__(self, w: float, h: int = len) -> None:'
assert_set "$SHAPES" "$(fn)" "a method's default that is no literal"
ft_back pkg/shapes.py

# contextlib.contextmanager copies the annotations into the wrapper at
# import (functools.wraps): such a function keeps them in the skeleton,
# where an edit of them is a change of the name opened, which covers that
# copy: whoever reads opened.
ft_edit pkg/shapes.py 'def opened(x: int):' 'def opened(x: float):'
assert_set "$S::test_opened" "$(fn)" "a context manager's annotations"
ft_back pkg/shapes.py
ft_edit pkg/shapes.py 'def opened(x: int):' 'def opened(x: int, y: int = 0):'
assert_set "$S::test_opened" "$(fn)" "a context manager re-signed"
ft_back pkg/shapes.py

# Evaluated annotations (no __future__ import) are skeleton.
ft_edit pkg/eager.py 'def twice(x: int) -> int:' 'def twice(x: float) -> int:'
assert_set "$SHAPES" "$(fn)" "evaluated annotations"
ft_back pkg/eager.py

# A body the parser takes and the compiler refuses: the module no longer
# imports, whoever ran later().  What its import does now cannot be told
# from a fingerprint, so the session's other test comes too
# (docs/python-functions.md, "Import-time effects").
ft_edit pkg/shapes.py 'def later():
    return 1' 'def later():
    nonlocal q
    return 1'
assert_set "$SHAPES tests/test_other.py::test_other" "$(fn)" "a body that does not compile"
ft_back pkg/shapes.py
ft_edit pkg/shapes.py 'def hinted(x: Box) -> int:' 'def hinted(x: (y := Box)) -> int:'
assert_set "$SHAPES tests/test_other.py::test_other" "$(fn)" "a postponed annotation that does not compile"
ft_back pkg/shapes.py
