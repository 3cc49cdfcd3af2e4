#!/usr/bin/env bash
# Regular expressions compiled at import are derived values
# (docs/python-functions.md, "Derived values"; fixtures/pytest-regex):
# `W = re.compile(_WORD, flags=re.I)` binds a pattern fixed by the string,
# the flags and the standard library, as does one joined from a table by a
# comprehension.  An edit of one pattern's text or
# flags selects the tests whose code read it (directly, or through a
# value derived from it), not every importer, as long as the tests ran
# with the standard library the fingerprint tool compiled it under.  A
# pattern that no longer compiles, or warns, still selects every test, as
# do a recording made under another standard library and a module that
# rebinds `re`.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYFUNC_HOOK
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-regex
ft_clock_past_ctime

P=tests/test_pats.py C=tests/test_core.py
ALL="$P::test_words $P::test_pair $P::test_nums $P::test_table $P::test_alt $C::test_core $C::test_split"

record() {
	ft run -q --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
	grep -q '^7 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
}
fn() { ft affected --format ids --granularity=function; }
# fails WHAT ID...: a plain full run fails each ID (the edit is seen)
fails() {
	local what=$1 out
	shift
	out=$("$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) && ft_fail "$what: no test fails: $out"
	for id; do
		grep -qF "FAILED $id" <<<"$out" || ft_fail "$what: $id passes: $out"
	done
}

record
assert_set "" "$(fn)" "nothing changed"

# The annotated pattern string: the two patterns built of it.
ft_edit pkg/pats.py '_WORD: Final = r"[a-z]+"' '_WORD: Final = r"[0-9]+"'
fails "the word pattern" "$P::test_words" "$P::test_pair"
assert_set "$P::test_words $P::test_pair" "$(fn)" "the pattern string of two patterns"
ft affected --granularity=function --explain >"$FT_SCRATCH/explain" 2>&1
grep -qF 'function `words` changed or can see a changed name' "$FT_SCRATCH/explain" ||
	ft_fail "explain names the reader: $(cat "$FT_SCRATCH/explain")"
ft_back pkg/pats.py
# One pattern's text, its flags, one entry of a list of patterns.
ft_edit pkg/pats.py 'r"\d+"' 'r"\d"'
fails "the number pattern" "$P::test_nums"
assert_set "$P::test_nums" "$(fn)" "a pattern's text"
ft_back pkg/pats.py
ft_edit pkg/pats.py 'flags=re.IGNORECASE' 'flags=re.ASCII'
fails "the word flags" "$P::test_words"
assert_set "$P::test_words" "$(fn)" "a pattern's flags"
ft_back pkg/pats.py
ft_edit pkg/pats.py 're.M | re.S' 're.S'
fails "the table's flags" "$P::test_table"
assert_set "$P::test_table" "$(fn)" "an entry of a list of patterns"
ft_back pkg/pats.py
# One entry of a table a comprehension joins into a pattern.
ft_edit pkg/pats.py 'r"b+",' 'r"c+",'
fails "the joined pattern" "$P::test_alt"
assert_set "$P::test_alt" "$(fn)" "an entry of a table joined by a comprehension"
ft_back pkg/pats.py
# In a module without annotations.
ft_edit pkg/plain.py 'r"\s+"' 'r"\s"'
fails "the space pattern" "$C::test_split"
assert_set "$C::test_split" "$(fn)" "a pattern in a module without annotations"
ft_back pkg/plain.py

# Every test: a pattern that does not compile (the import fails) ...
ft_edit pkg/pats.py 'r"\d+"' 'r"\d+("'
fails "a pattern that does not compile (collection errors)"
assert_set "$ALL" "$(fn)" "a pattern that does not compile"
ft_back pkg/pats.py
# ... one that compiles with a warning (an error under -W error) ...
ft_edit pkg/pats.py 'r"\d+"' 'r"[[d]"'
assert_set "$ALL" "$(fn)" "a pattern that warns"
ft_back pkg/pats.py
# ... a comprehension over a call the tool does not run (sorted) ...
ft_edit pkg/pats.py 'for _alt in (' 'for _alt in sorted('
assert_set "$ALL" "$(fn)" "a comprehension over an expression not derived"
ft_back pkg/pats.py
ft_edit pkg/pats.py ')))' ') if _alt))'
assert_set "$ALL" "$(fn)" "a comprehension with a condition"
ft_back pkg/pats.py
# ... one compiled through a name the module also binds otherwise ...
printf '\n\ndef reset():\n    global re\n    re = None\n' >>pkg/plain.py
ft_settle
record
ft_edit pkg/plain.py 'r"\s+"' 'r"\s"'
assert_set "$ALL" "$(fn)" "a pattern compiled through a rebound re"
ft_back pkg/plain.py
record
# ... and tests recorded under another standard library than the one the
# tool compiles with (a session's std edited; the row's checksum is
# written again, or the edit is corruption: t3206).
"$FT_PYTHON" - .ftrace/ftrace.db <<'PY' || ft_fail "the recorded standard library"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT run_id, std FROM run_pytest WHERE collector ORDER BY run_id").fetchall()
assert rows and all(std.startswith(sys.version) for _, std in rows), rows
db.execute("UPDATE run_pytest SET std = ? WHERE run_id = ?", ("3.0.0 (another)\n/elsewhere", rows[-1][0]))
db.commit()
PY
"$FTRACE_BUILD_DIR/tests/tools/ftt_plantset" --redigest .ftrace/ftrace.db || ft_fail "redigest"
ft_edit pkg/pats.py 'r"\d+"' 'r"\d"'
assert_set "$ALL" "$(fn)" "a pattern, another standard library recorded"
ft_back pkg/pats.py
ft_edit pkg/pats.py '_WORD: Final = r"[a-z]+"' '_WORD: Final = r"[0-9]+"'
assert_set "$ALL" "$(fn)" "a pattern's string, another standard library recorded"
ft_back pkg/pats.py
