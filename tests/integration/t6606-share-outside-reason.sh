#!/usr/bin/env bash
# An imported recording's dependency outside the repository that differs
# here (issue 28): `ftrace affected --explain` and `--format json` say
# "recorded on another machine (<os> <machine>): PATH differs here" for
# it, and only for it: not for a path in the repository, not for a test
# recorded here (its own machine's file changed: an ordinary change).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
export FTRACE_GRANULARITY=file
ft_fixture pytest-basic src
OUT_DIR=$FT_SCRATCH/home-a
mkdir -p "$OUT_DIR" "$FT_SCRATCH/home-b"
echo 1 >"$OUT_DIR/setting.txt"
cat >tests/test_outside.py <<PY
def test_outside():
    with open("$OUT_DIR/setting.txt") as f:
        assert f.read().strip() == "1"
PY
git add -A && git -c user.email=t@t -c user.name=t commit -qm outside
cd "$FT_SCRATCH"
git clone -q src a
git clone -q src b
(cd a && ft_settle)
(cd b && ft_settle)

cd "$FT_SCRATCH/a"
# (one $HOME for both clones: another one is an environment change, t6600)
export HOME=$FT_SCRATCH/home-a
record
ft export "$FT_SCRATCH/golden.ftb" 2>/dev/null || ft_fail "export exited $?"
cd "$FT_SCRATCH/b"
ft import "$FT_SCRATCH/golden.ftb" 2>/dev/null || ft_fail "import exited $?"
assert_set "" "$(affected)" "b: nothing changed after the import"

# the outside file differs here, and a repository file is edited
echo 2 >"$OUT_DIR/setting.txt"
printf "\nX = 1\n" >>calc/fmt.py && ft_settle
WHY="recorded on another machine ($(uname -s) $(uname -r) $(uname -m)): $OUT_DIR/setting.txt differs here"
ft affected --explain >"$FT_SCRATCH/explain" || ft_fail "affected --explain exited $?"
grep -qF "      $WHY" "$FT_SCRATCH/explain" ||
	ft_fail "--explain does not say it: $(cat "$FT_SCRATCH/explain")"
[ "$(grep -c "recorded on another machine" "$FT_SCRATCH/explain")" -eq 1 ] ||
	ft_fail "the note is given for another path too: $(cat "$FT_SCRATCH/explain")"
ft affected --format json >"$FT_SCRATCH/why.json" || ft_fail "affected --format json exited $?"
"$FT_PYTHON" - "$FT_SCRATCH/why.json" "$OUT_DIR/setting.txt" "$WHY" <<'PY' || ft_fail "json (see above)"
import json, sys
doc, path, why = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
notes = [(t["id"], r) for t in doc["tests"] for r in t["reasons"] if "note" in r]
assert len(notes) == 1, notes
tid, r = notes[0]
assert tid == "tests/test_outside.py::test_outside" and r["path"] == path, notes
assert r["recorded_elsewhere"] is True and r["note"] == why and r["change"] == "content changed", r
PY

# recorded here: the same change is an ordinary one, without the note
echo 1 >"$OUT_DIR/setting.txt"
# (HOME=home-a: a file under $HOME is a dependency, elsewhere in /tmp scratch)
record tests/test_outside.py
echo 3 >"$OUT_DIR/setting.txt"
ft affected --explain >"$FT_SCRATCH/explain2" || ft_fail "affected --explain exited $?"
grep -qF "$OUT_DIR/setting.txt" "$FT_SCRATCH/explain2" ||
	ft_fail "the outside file's change is not selected: $(cat "$FT_SCRATCH/explain2")"
if grep -q "recorded on another machine" "$FT_SCRATCH/explain2"; then
	ft_fail "a test recorded here gets the note: $(cat "$FT_SCRATCH/explain2")"
fi
