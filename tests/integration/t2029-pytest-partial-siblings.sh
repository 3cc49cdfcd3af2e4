#!/usr/bin/env bash
# A partial run (pytest tests/test_arith.py, as `ftrace test` runs a
# selection) stats the test modules it walks past without importing them:
# tests/test_fmt.py.  No module was made from it in the session (the run
# used no bytecode file of it, and never read it), so that stat keeps only
# the file's type, as a data file's does (docs/pytest.md): an edit of
# test_fmt.py selects its own tests, not test_arith's.  When a conftest
# imports a module of that directory (from its cached .pyc, which is what
# the .py's stat decides on) and drops it from sys.modules again, the stat
# is content: every test of that run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

record
record tests/test_arith.py
printf '\n# edited\n' >>tests/test_fmt.py
settle tests/test_fmt.py
assert_set "$FMT" "$(affected)" "a test module the partial run walked past, edited"
revert tests/test_fmt.py
assert_set "" "$(affected)" "test_fmt.py reverted"

# A module made from a file there through its .pyc (the file only
# stat'ed, the .pyc read) and forgotten in the session: a conftest imports
# tests/helper_mod.py and drops it from sys.modules.  (pytest's own import
# of a test module reads the source too.)
printf 'LIMIT = 3\n' >tests/helper_mod.py
cat >>tests/conftest.py <<'PY'

import importlib
import sys

importlib.import_module("helper_mod")
del sys.modules["helper_mod"]
PY
settle tests/helper_mod.py tests/conftest.py
record
ls tests/__pycache__/helper_mod.*.pyc >/dev/null 2>&1 || ft_fail "no .pyc of helper_mod.py: $(ls tests/__pycache__)"
record tests/test_arith.py
printf 'LIMIT = 4\n' >tests/helper_mod.py
settle tests/helper_mod.py
got=$(affected)
for t in $ARITH; do
	grep -qxF "$t" <<<"$got" || ft_fail "$t not selected after helper_mod.py, imported by conftest, changed: $got"
done
