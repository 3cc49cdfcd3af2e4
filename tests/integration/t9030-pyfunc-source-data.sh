#!/usr/bin/env bash
# A project source read as data at collection (fixtures/pytest-srcread;
# docs/python-functions.md, "Sources read as data").  A test module copies
# pkg/words.py's text when pytest imports it, without importing it; a
# literal edited in a function no test ran changes what its test sees.
# No import closure holds the file for the reader's module: the read goes
# to every test (docs/pytest.md, "Closures"), at file granularity too.
# The import system's own reads of a source (and pytest's, and ftrace's) are in import
# windows; a read outside them in the prelude keeps every test for any
# change of the file, while a file nothing read as data is still narrowed.
# With bytecode written (pytest's cached rewrite, which hashes the
# source), without, and with --doctest-modules (doctest's finder reads
# each module for its examples' lines, through linecache: a later
# inspect.getsource must still read the file).
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY PYTHONDONTWRITEBYTECODE
ft_fixture pytest-srcread
ft_clock_past_ctime

S=tests/test_src.py::test_no_plugh
D=tests/test_plain.py::test_double
G=tests/test_plain.py::test_greeting
L=tests/test_lines.py::test_no_panic
Q=tests/test_lines.py::TestQuiet::test_quiet
T=tests/test_src.py::test_no_shout
ALL="$S $T $D $G $L $Q"
fn() { ft affected --format ids --granularity=function; }

for mode in pyc nopyc doctest; do
	args=()
	[ "$mode" != doctest ] || args=(--doctest-modules)   # doctest's finder reads every module
	if [ "$mode" = nopyc ]; then
		export PYTHONDONTWRITEBYTECODE=1
		find . -name __pycache__ -prune -exec rm -rf {} +
		ft_settle
	fi
	# twice with bytecode: the second run reads the cached code
	for _ in 1 2; do
		rm -rf .ftrace
		ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider "${args[@]}" \
			>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed ($mode): $(cat "$FT_SCRATCH/run.out")"
		grep -q '^6 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
		[ "$mode" = pyc ] || break
	done
	assert_set "" "$(fn)" "nothing changed ($mode)"

	# The file read as data: every test, the reader among them, which a
	# full run fails.
	ft_edit pkg/words.py '"== xyzzy banner =="' '"== plugh banner =="'
	assert_set "$ALL" "$(fn)" "a literal of a source read as data ($mode)"
	assert_set "$ALL" "$(ft affected --format ids --granularity=file)" "a source read as data, by file ($mode)"
	ft affected --granularity=function --explain >"$FT_SCRATCH/explain" 2>&1
	grep -q "read outside any test, and not by an import" "$FT_SCRATCH/explain" ||
		ft_fail "explain says why ($mode): $(cat "$FT_SCRATCH/explain")"
	if "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$S" >/dev/null 2>&1; then
		ft_fail "the reader passes with the edit: the fixture proves nothing"
	fi
	ft_back pkg/words.py
	# The same through linecache (inspect.getsource at collection).
	ft_edit pkg/lines.py '"keep calm"' '"panic"'
	assert_set "$ALL" "$(fn)" "a literal of a source read through linecache ($mode)"
	# (no bytecode written for the edited file, which ft_back's size would
	# leave stale, and changed since the recording)
	if PYTHONDONTWRITEBYTECODE=1 "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$L" >/dev/null 2>&1; then
		ft_fail "the linecache reader passes with the edit: the fixture proves nothing"
	fi
	ft_back pkg/lines.py
	# A test module read by a collection hook, through linecache.
	ft_edit tests/test_lines.py '"hush"' '"shout"'
	assert_set "$ALL" "$(fn)" "a test module read through linecache ($mode)"
	if PYTHONDONTWRITEBYTECODE=1 "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$T" >/dev/null 2>&1; then
		ft_fail "the test module's reader passes with the edit: the fixture proves nothing"
	fi
	ft_back tests/test_lines.py

	# A file only imported: narrowed as before.  (The conftest's
	# pytest_sessionfinish reads it too, but after every test: no test
	# can see what it read.)
	ft_edit pkg/other.py 'return 3 * x' 'return 3 * x + 0'
	assert_set "" "$(fn)" "a function no test ran, in a file only imported ($mode)"
	ft_back pkg/other.py
	ft_edit pkg/other.py 'return 2 * x' 'return x + x'
	assert_set "$D" "$(fn)" "a function one test ran, in a file only imported ($mode)"
	ft_back pkg/other.py
	# A test module, which pytest's rewriter reads (and hashes, to check
	# its cached code): narrowed to the test whose body changed.
	ft_edit tests/test_plain.py 'other.double(2) == 4' 'other.double(3) == 6'
	assert_set "$D" "$(fn)" "a test's body ($mode)"
	ft_back tests/test_plain.py
done
