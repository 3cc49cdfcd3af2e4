#!/usr/bin/env bash
# Output formats over a real recording: lines, NUL-separated, JSON (valid
# per python3 -m json.tool, with reasons), --explain.  Test names with a
# space and a non-UTF-8 byte keep their bytes in lines/null and stay valid
# JSON.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-partial
ft_record 0 --name a -- ./a.sh
ft_record 0 --name "b test" -- ./b.sh
ft_record 0 --name $'odd\xff' -- ./a.sh
ft_affected_is "" "fresh recording"

ft affected --format json >"$FT_SCRATCH/empty.json"
"$FT_PYTHON" -m json.tool "$FT_SCRATCH/empty.json" >/dev/null || ft_fail "empty JSON invalid: $(cat "$FT_SCRATCH/empty.json")"
"$FT_PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d == {"complete": True, "tests": [], "args": []}, d' \
	"$FT_SCRATCH/empty.json" || ft_fail "empty JSON content"

ft_change a.txt
ft_change b.txt
lines=$(ft affected)
assert_eq "$(printf 'a\nb test\nodd\xff')" "$lines" "lines format (sorted, bytes kept)"
ft affected --format null >"$FT_SCRATCH/null.out"
assert_eq "$(printf 'a\0b test\0odd\xff\0' | od -c)" "$(od -c <"$FT_SCRATCH/null.out")" "null format"

ft affected --format json >"$FT_SCRATCH/out.json"
"$FT_PYTHON" -m json.tool "$FT_SCRATCH/out.json" >/dev/null || ft_fail "JSON invalid: $(cat "$FT_SCRATCH/out.json")"
"$FT_PYTHON" - "$FT_SCRATCH/out.json" "$PWD" <<'PY' || ft_fail "JSON content: $(cat "$FT_SCRATCH/out.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["complete"] is True
ids = [t["id"] for t in d["tests"]]
assert ids == ["a", "b test", "odd\ufffd"], ids
a = d["tests"][0]["reasons"]
assert {"path": sys.argv[2] + "/a.txt", "kind": "file", "change": "content changed"} in a, a
PY

explain=$(ft affected --explain)
grep -q "^a\$" <<<"$explain" || ft_fail "--explain lost the test id"
grep -q "^    $PWD/a.txt: file dependency: content changed\$" <<<"$explain" || ft_fail "--explain reason: $explain"

# --db points elsewhere: same answer from another cwd.
db=$PWD/.ftrace/ftrace.db
here=$PWD
cd /
assert_eq "$lines" "$(ft affected --db "$db")" "--db from another directory"
cd "$here"

# A state dir with a recording but no tests is "cannot tell".  (The tests'
# digest goes too, as in a database an older ftrace wrote: with it, the
# edit is corruption, also exit 2: t3204.)
sqlite3 .ftrace/ftrace.db "DELETE FROM test_sets; DELETE FROM tests; DELETE FROM meta WHERE key LIKE 'tests_digest%'"
rc=0
out=$(ft affected 2>"$FT_SCRATCH/err") || rc=$?
assert_eq 2 "$rc" "exit status with no tests"
assert_eq "" "$out" "stdout with no tests"
grep -q 'no tests' "$FT_SCRATCH/err" || ft_fail "message: $(cat "$FT_SCRATCH/err")"
