#!/usr/bin/env bash
# Hypothesis reads its codec table (.hypothesis/unicode_data/<unicode
# version>/codec-v2-utf-8.json.gz) at its first text strategy and then,
# every session, writes the table it returns to that file again.  The
# version the session read was gone at ingest ("modified during the
# run"), so the table was unknown at every recording: the test that drew
# text first was selected after every recording, and every test where
# the prelude did (python-attrs/attrs' strategies, bench/README.md).
# The adapter knows the text of the function that does it
# (ftrace_pytest.py, _HYPOTHESIS_CODEC_TEXT) and names the table to
# ingest, which keeps the state the session left: what it wrote is what
# it used (docs/pytest.md, "Caches written again").
#  1. recorded twice: nothing selected;
#  2. the table edited (a valid table of ASCII only, which hypothesis
#     would load and use): the test that read it;
#  3. another text of the function (an edited copy of the adapter's
#     digest): unknown at every recording, that test selected, as before.
# And the storage directory itself is a library store (docs/pytest.md,
# "Library stores"): hypothesis makes it, its tables and its example
# database when it looks for them and finds none, and these stay the
# session's output, so
#  0. the first recording, which made .hypothesis: nothing selected;
#  4. an adapter that names no store (an edited copy): after a recording
#     that made .hypothesis, the tests that made its files are selected
#     once (docs/internals.md, "Outputs are not inputs").
# hypothesis 6.170.15 from PyPI (lib-hypothesis.sh); skipped without it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
. "$(dirname "$0")/lib-hypothesis.sh"
ft_pytest_fixture pytest-hypo
ft_hypothesis

# test_text draws text first: it reads the table (test_greeting does not)
T=tests/test_words.py::test_text
[ ! -e .hypothesis ] || ft_fail "the fixture ships a .hypothesis"
record
[ -d .hypothesis ] || ft_fail "hypothesis made no .hypothesis"
assert_set "" "$(affected)" "the first recording, which made .hypothesis"
record
table=$(ls .hypothesis/unicode_data/*/codec-v2-utf-8.json.gz 2>/dev/null) ||
	ft_fail "hypothesis wrote no codec table: $(find .hypothesis -type f 2>&1)"
assert_set "" "$(affected)" "recorded again, the codec table written back"

# 2. an edit of the table: the next session would draw from it
cp "$table" "$FT_SCRATCH/table.gz"
"$FT_PYTHON" - "$table" <<'PY'
import gzip, json, sys
with gzip.GzipFile(sys.argv[1], "wb", mtime=1) as f:
    f.write(json.dumps([[[0, 127]], []]).encode())
PY
settle "$table"
assert_set "$T" "$(affected)" "the codec table edited"
cp "$FT_SCRATCH/table.gz" "$table"
settle "$table"
record
assert_set "" "$(affected)" "the table back, recorded again"

# 3. a function text the adapter was not checked against
[ -d "$FTRACE_BUILD_DIR/adapters/pytest" ] || ft_skip "no adapters in the build tree"
cp -a "$FTRACE_BUILD_DIR/adapters" "$FT_SCRATCH/adapters-other"
sed -i 's/^_HYPOTHESIS_CODEC_TEXT = .*/_HYPOTHESIS_CODEC_TEXT = "0"/' \
	"$FT_SCRATCH/adapters-other/pytest/ftrace_pytest.py"
grep -q '^_HYPOTHESIS_CODEC_TEXT = "0"' "$FT_SCRATCH/adapters-other/pytest/ftrace_pytest.py" ||
	ft_fail "no _HYPOTHESIS_CODEC_TEXT in the adapter"
export FTRACE_ADAPTERS_DIR=$FT_SCRATCH/adapters-other
record
record
assert_set "$T" "$(affected)" "another text of intervals_from_codec"
ft affected --explain >"$FT_SCRATCH/explain" 2>&1
grep -q 'codec-v2-utf-8.json.gz: unknown dependency' "$FT_SCRATCH/explain" ||
	ft_fail "explain names the table: $(cat "$FT_SCRATCH/explain")"

# 4. no library store named: the files hypothesis made after looking for
# them are unknown once
unset FTRACE_ADAPTERS_DIR
cp -a "$FTRACE_BUILD_DIR/adapters" "$FT_SCRATCH/adapters-nostore"
sed -i 's/^    mod = sys.modules.get("hypothesis.configuration")$/    mod = None/' \
	"$FT_SCRATCH/adapters-nostore/pytest/ftrace_pytest.py"
grep -q '^    mod = None$' "$FT_SCRATCH/adapters-nostore/pytest/ftrace_pytest.py" ||
	ft_fail "no library store lookup in the adapter"
export FTRACE_ADAPTERS_DIR=$FT_SCRATCH/adapters-nostore
rm -rf .hypothesis
settle .
record
got=$(affected)
[ -n "$got" ] || ft_fail "no store named, a fresh .hypothesis: nothing selected"
ft affected --explain >"$FT_SCRATCH/explain" 2>&1
grep -q '\.hypothesis.*: unknown dependency' "$FT_SCRATCH/explain" ||
	ft_fail "explain names .hypothesis: $(cat "$FT_SCRATCH/explain")"
