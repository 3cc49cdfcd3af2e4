#!/usr/bin/env bash
# When the adapter fails inside (here: sabotaged from a conftest), the run is
# not broken: pytest's status and results are unchanged, stdout gains only
# pytest's warning, and the side file says "broken": true.  Ingest must then
# not split the prelude: an edit of any module imported during collection
# selects every test.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

cat >>tests/conftest.py <<'EOF'

import ftrace_pytest  # sabotage: the adapter fails while building its side file

ftrace_pytest._build = None
EOF
git -c user.email=t@t -c user.name=t commit -qam "sabotage the adapter"
settle tests/conftest.py

rc=0
# Without pytest's cache: a broken side file names no cache_dir, so pytest's
# own nodeids, looked up and then written by the session, would be unknown
# (docs/internals.md, "Outputs are not inputs"), every test selected, and
# the edit below would show nothing.
out=$(ft run --keep-records -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>"$FT_SCRATCH/run.err") || rc=$?
[ $rc -eq 0 ] || ft_fail "ftrace run with a failing adapter exited $rc: $out"
grep -q '^12 passed, 1 warning in' <<<"$out" || ft_fail "expected 12 passes and one warning: $out"
grep -q 'PytestWarning: ftrace: the pytest adapter failed' <<<"$out" ||
	ft_fail "the warning does not say that the adapter failed: $out"
set -- .ftrace/runs/*/adapter-pytest-*.json
[ -f "$1" ] || ft_fail "no side file kept in .ftrace/runs"
"$FT_PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if d["broken"] is True and d["errors"] else 1)' "$1" ||
	ft_fail "the side file does not say broken: $(cat "$1")"

assert_set "" "$(affected)" "no change"
printf '\n\ndef version():\n    return 2\n' >>calc/plugins.py
assert_set "$ALL" "$(affected)" "calc/plugins.py edited, and no closures to trust"
