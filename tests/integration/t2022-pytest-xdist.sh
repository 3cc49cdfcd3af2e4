#!/usr/bin/env bash
# pytest-xdist: every worker is its own pytest session, with its own pid and
# side file, and the controller runs no test.  Selection must be the same as
# without -n.  Skipped when pytest-xdist is not installed for $FT_PYTHON
# (checked by hand with pytest-xdist 3.8.0 in a venv).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -c "import xdist" 2>/dev/null || ft_skip "no pytest-xdist for $FT_PYTHON"
ft_pytest_fixture pytest-basic


out=$(ft run --keep-records -- "$FT_PYTHON" -m pytest -q -n 2 2>"$FT_SCRATCH/run.err") ||
	ft_fail "ftrace run -- pytest -n 2 failed: $out $(cat "$FT_SCRATCH/run.err")"
grep -q '^12 passed in' <<<"$out" || ft_fail "unexpected pytest output: $out"
"$FT_PYTHON" - .ftrace/runs/*/adapter-pytest-*.json <<'PY' || ft_fail "side files of the xdist session"
import json, sys
docs = [json.load(open(f)) for f in sys.argv[1:]]
ids = sorted(t["id"] for d in docs for t in d["tests"])
assert len(docs) >= 3, "want a side file per worker and one for the controller: %d" % len(docs)
assert len(ids) == 12 and len(set(ids)) == 12, ids
assert not any(d["broken"] for d in docs), [d["errors"] for d in docs]
PY
assert_set "" "$(affected)" "no change"
printf 'plum,4,1.25\n' >>tests/data/table.csv
assert_set "tests/test_table.py::test_table_sum" "$(affected)" "tests/data/table.csv changed"
rm -f tests/data/table.csv && git checkout -q -- tests/data/table.csv
printf '\n\ndef version():\n    return 2\n' >>calc/plugins.py
assert_set "$PLUGINS" "$(affected)" "calc/plugins.py edited"
