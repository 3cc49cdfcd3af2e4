#!/usr/bin/env bash
# A file that a reader recorded under its own code (pytest's config reader
# for pyproject.toml, its collector for the files it read) shares the plain
# FILE's stat-cache entry: `ftrace affected` with nothing changed trusts
# that entry, so it neither hashes the file again nor writes the stat cache
# back.  Before, every call rewrote those rows: slower, and every call a
# write, which also ended a watch daemon's whole answers.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
ft_fixture pytest-pyproject

ft run -q -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/out" 2>&1 ||
	{ cat "$FT_SCRATCH/out" >&2; ft_fail "recording failed"; }
readers=$(sqlite3 .ftrace/ftrace.db "SELECT count(*) FROM states WHERE kind & 15 = 1 AND kind > 15")
[ "$readers" -gt 0 ] || ft_fail "the recording has no FILE state of a reader's code"
snap() { sqlite3 .ftrace/ftrace.db "SELECT path_id, kind, taken_ns FROM statcache ORDER BY 1, 2"; }
ft affected >/dev/null || ft_fail "affected failed"
before=$(snap)
sleep 0.05
ft affected >/dev/null || ft_fail "affected failed"
assert_eq "$before" "$(snap)" "the stat cache after a second affected with nothing changed"
