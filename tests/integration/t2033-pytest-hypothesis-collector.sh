#!/usr/bin/env bash
# hypothesis's pytest plugin (loaded by every pytest that can import it)
# implements pytest_ignore_collect: before, that alone made the collector
# "not plain", so a file added where only pytest's collection listed
# (tests/data/notes.txt) selected every test of every project that had
# hypothesis installed.  Its hook decides only for a `.hypothesis`
# directory, and nothing where a norecursedirs pattern matches that name
# (pytest's default `.*` does): the adapter knows that text of it
# (ftrace_pytest.py, _INERT_IGNORE; docs/selection.md), so with it the
# collection is pytest's own and such a name is no change.
#  1. the default norecursedirs: a data file added selects nothing;
#  2. norecursedirs that does not match `.hypothesis`: the hook can warn
#     (an error under -W error) for such a directory, so the collector is
#     not plain and the same file selects every test;
#  3. another text of the hook (an edited copy of the plugin): not known,
#     every test.
# Its pytest_collection_modifyitems (known text: it marks its own tests)
# leaves the session "pyplain"; 4. another text of it does not.
# hypothesis 6.170.15 is installed from PyPI (lib-hypothesis.sh); without
# the registry the test is skipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
. "$(dirname "$0")/lib-hypothesis.sh"
ft_pytest_fixture pytest-basic

ft_hypothesis
site=$HYPOTHESIS_SITE

commit() { git add -A && git -c user.email=t@t -c user.name=t commit -qm "$1" && ft_settle; }

# the plugin is loaded (its entry point) and collects as pytest does
grep -q "hypothesis-6.170.15" <<<"$("$FT_PYTHON" -m pytest --co tests/test_arith.py 2>&1)" ||
	ft_fail "hypothesis's plugin is not loaded by pytest"

# plain (run_pytest.plain) as the recording's side file said
plain() {
	"$FT_PYTHON" - .ftrace/ftrace.db "${1:-plain}" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT %s FROM run_pytest ORDER BY run_id DESC" % sys.argv[2]).fetchone()[0])
PY
}

# A data file added where only the collector listed: $1 is what must be
# selected, $2 the case.
adds_note() {
	echo 'more notes' >tests/data/notes.txt
	assert_set "$1" "$(affected)" "a data file added where only the collector listed ($2)"
	rm tests/data/notes.txt
}

# 1. pytest's default norecursedirs
echo 'what the table holds' >tests/data/README.md
commit 'a data README'
rm -rf .ftrace && record
[ "$(plain)" = 1 ] || ft_fail "with hypothesis's plugin, the collector is not plain"
# its pytest_collection_modifyitems (known text) touches its own tests only
[ "$(plain pyplain)" = 1 ] || ft_fail "with hypothesis's plugin, the session is not pyplain"
adds_note "" "hypothesis loaded"

# 2. norecursedirs that lets `.hypothesis` be collected: the hook decides
printf '[pytest]\nnorecursedirs = build\n' >pytest.ini
commit 'norecursedirs without .*'
rm -rf .ftrace && record
[ "$(plain)" = 0 ] || ft_fail "hypothesis's hook can decide (norecursedirs = build), yet plain"
adds_note "tests/data $ALL" "the collector not plain: its directory may hold a new test"
git rm -q pytest.ini
commit 'norecursedirs back to the default'

# 3. another text of the hook: a copy of the plugin with one more line in
# the function
cp -a "$site" "$FT_SCRATCH/site"
"$FT_PYTHON" - "$FT_SCRATCH/site/_hypothesis_pytestplugin.py" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
old = "            return None  # let other hooks decide\n"
assert s.count(old) == 1, "the hook's last line is not where it was"
open(p, "w").write(s.replace(old, "            pass\n" + old))
PY
export PYTHONPATH=$FT_SCRATCH/site
rm -rf .ftrace && record
[ "$(plain)" = 0 ] || ft_fail "an unknown text of the hook, yet plain"
[ "$(plain pyplain)" = 1 ] || ft_fail "the modifyitems hook unchanged, yet not pyplain"
adds_note "tests/data $ALL" "an unknown ignore hook"

# 4. another text of pytest_collection_modifyitems: not known, not pyplain
"$FT_PYTHON" - "$FT_SCRATCH/site/_hypothesis_pytestplugin.py" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
old = "        has_hypothesis_tests = False\n"
assert s.count(old) == 1, "the modifyitems hook is not as it was"
open(p, "w").write(s.replace(old, old + "        items.reverse()\n        items.reverse()\n"))
PY
rm -rf .ftrace && record
[ "$(plain pyplain)" = 0 ] || ft_fail "an unknown text of the modifyitems hook, yet pyplain"
