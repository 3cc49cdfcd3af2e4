#!/usr/bin/env bash
# `ftrace affected --format json` is valid JSON that names the selected
# tests, each with reasons naming the changed path.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

record
printf '\n\ndef version():\n    return 2\n' >>calc/plugins.py
affected --format json >"$FT_SCRATCH/out.json"
"$FT_PYTHON" - "$FT_SCRATCH/out.json" "$PWD" <<'PY' || ft_fail "ftrace affected --format json: bad document"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["complete"] is True, doc
ids = sorted(t["id"] for t in doc["tests"])
assert ids == ["tests/test_plugins.py::test_discover", "tests/test_plugins.py::test_plugin_name"], ids
for t in doc["tests"]:
    paths = [r.get("path") for r in t["reasons"]]
    assert sys.argv[2] + "/calc/plugins.py" in paths, t
PY
got=$(affected --explain)
grep -q 'calc/plugins.py' <<<"$got" || ft_fail "--explain does not name calc/plugins.py: $got"
