#!/usr/bin/env bash
# Two things the state guard took for state a test or a collection left
# behind, found on Python-Markdown (issue 26; fixtures/pytest-entrypoint):
# a module imported by importlib.metadata's EntryPoint.load(), whose
# import_module the plugin's hook did not wrap (the module came with no
# baseline: the test was leaky, and an edit of the module selected every
# test), and the empty __annotations__ a read of a unittest TestCase's
# makes in its namespace as pytest collects it (the next module's
# collection was taken for changing the previous one: a test added to one
# module selected the tests of the module collected before it).  Both
# granularities: neither is in the side file's leaky lists.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-entrypoint
ft_clock_past_ctime

A=tests/test_a.py::TestA::test_render
B=tests/test_b.py::TestB::test_entry
C=tests/test_c.py::TestC::test_c
# every CPython 3.11 or later found with pytest (pytest reads a class's
# __annotations__ as it collects on 3.12, not on 3.11)
seen=" "
pys=()
for p in "$FT_PYTHON" "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[1-9]*/bin/python3; do
	[ -x "$p" ] || continue
	"$p" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || continue
	"$p" -m pytest --version >/dev/null 2>&1 || continue
	r=$("$p" -c 'import os, sys; print(os.path.realpath(sys.executable))') || continue
	case $seen in *" $r "*) continue ;; esac
	seen="$seen$r "
	pys+=("$p")
done
for py in "${pys[@]}"; do
for g in function file; do
	rm -rf .ftrace
	ft run --keep-records --granularity=$g -- "$py" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
	grep -q '^3 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
	side=$(ls -t .ftrace/runs/*/adapter-pytest-*.json | head -1)
	"$py" - "$side" <<'PY' || ft_fail "$py, $g: the side file says a test or a collection left state"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["leaky"] == [] and d["collect_leaky"] == {}, (d["leaky"], d["collect_leaky"])
PY
	rm -rf .ftrace/runs/*
	affected() { FTRACE_PYTHON=$py ft affected --format ids --granularity=$g; }
	assert_set "" "$(affected)" "$g: nothing changed"
	# the module an entry point loads: the test that ran its function (by
	# file, every test: the import's importer is importlib.metadata, which
	# every session loads at its start, so every closure holds the edge)
	ft_edit pkg/ext.py '"ext"' '"ext!"'
	if [ $g = function ]; then
		assert_set "$B" "$(affected)" "$g: the module an entry point loaded"
	else
		assert_set "$A $B $C" "$(affected)" "$g: the module an entry point loaded"
	fi
	ft_back pkg/ext.py
	# a module both other tests import: theirs
	ft_edit pkg/core.py 'text.upper()' 'text.upper() + ""'
	assert_set "$A $C" "$(affected)" "$g: a module two test modules import"
	ft_back pkg/core.py
	# a test added to the test module collected last: its own
	ft_edit tests/test_c.py '    def test_c(self):' '    def test_c2(self):
        self.assertEqual(render("d"), "D")

    def test_c(self):'
	assert_set "$C" "$(affected)" "$g: a test added to a unittest class"
	ft_back tests/test_c.py
done
ft_log "$py: both granularities"
done
