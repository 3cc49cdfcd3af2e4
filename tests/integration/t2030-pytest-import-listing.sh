#!/usr/bin/env bash
# Under `python -m pytest` the rootdir is on sys.path, so the import system
# lists it, and that listing is in every test's prelude.  ftrace's
# sitecustomize wraps the import system's two listers (FileFinder's cache,
# importlib.metadata's search) from the interpreter's start, and ingest
# records what they listed as "import-list": only a name the import system
# can use (a module, a package, a namespace directory, a .dist-info) added
# or removed counts.  Any other reader of the directory still counts
# whole.  The user's own sitecustomize still runs.
# docs/selection.md, "Import-system listings".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

commit() { git add -A && git -c user.email=t@t -c user.name=t commit -qm "$1" && ft_settle; }

echo 'old notes' >calc/NOTES.txt
commit "calc/NOTES.txt"
record
printf 'repos: []\n' >.pre-commit-config.yaml
echo 'notes' >notes.txt
assert_set "" "$(affected)" "files no import can name, added at the rootdir"
rm .pre-commit-config.yaml notes.txt
git rm -q -- README.md
assert_set "" "$(affected)" "README.md removed from the rootdir"
git checkout -q HEAD -- README.md
rm calc/NOTES.txt
echo 'x' >calc/table.csv
assert_set "" "$(affected)" "a file that is no module, removed from a package, another added"
git checkout -q -- calc/NOTES.txt
rm calc/table.csv
ft_settle
printf 'X = 1\n' >calc/extra.py
assert_set "$ALL" "$(affected)" "a module added to the package"
rm calc/extra.py

# each of these is a name the import system can use
for name in helper.py helper.pyc fast.abi3.so extra-1.0.dist-info/METADATA newpkg/ Makefile; do
	case $name in
	*/) mkdir "$name" ;;
	*/*) mkdir -p "$(dirname "$name")" && echo x >"$name" ;;
	*) echo x >"$name" ;;
	esac
	assert_set "$ALL" "$(affected)" "$name added at the rootdir"
	rm -r "${name%%/*}"
done
printf 'X = 1\n' >helper.py
ft affected --explain | grep -q "$PWD: import-list dependency: listing changed" ||
	ft_fail "--explain does not name the import system's listing of the rootdir"
rm helper.py
assert_set "" "$(affected)" "back as recorded"

# a conftest that lists the rootdir itself: its listing counts whole
cat >>tests/conftest.py <<'PY'

ROOT_FILES = sorted(os.listdir(ROOT))
PY
commit "conftest lists the rootdir"
record
echo 'notes' >notes.txt
assert_set "$ALL" "$(affected)" "a file added to a directory a conftest listed"
rm notes.txt
git checkout -q HEAD~1 -- tests/conftest.py
commit "conftest no longer lists the rootdir"
record
echo 'notes' >notes.txt
assert_set "" "$(affected)" "the same file, once the conftest no longer lists it"
rm notes.txt

# the sitecustomize that would run without ftrace runs under it, as
# sitecustomize, after ftrace's own
mkdir -p "$FT_SCRATCH/site"
cat >"$FT_SCRATCH/site/sitecustomize.py" <<'PY'
import os
with open(os.environ["SITE_MARK"], "w") as f:
    f.write(__name__ + "\n")
PY
out=$(SITE_MARK="$FT_SCRATCH/site.mark" PYTHONPATH="$FT_SCRATCH/site" ft run --name site -- \
	"$FT_PYTHON" -c 'import sitecustomize, sys; print(sitecustomize.__file__); print("ftrace_pysite" in sys.modules)')
[ "$(cat "$FT_SCRATCH/site.mark" 2>/dev/null)" = sitecustomize ] ||
	ft_fail "the user's sitecustomize did not run under ftrace run"
[ "$out" = "$FT_SCRATCH/site/sitecustomize.py
True" ] || ft_fail "sitecustomize under ftrace run: $out"
# one that fails shows the error site shows, and the program still runs
printf 'raise RuntimeError("boom")\n' >"$FT_SCRATCH/site/sitecustomize.py"
out=$(PYTHONPATH="$FT_SCRATCH/site" ft run --name site -- "$FT_PYTHON" -c 'print("ran")' 2>"$FT_SCRATCH/site.err")
[ "$out" = ran ] || ft_fail "a failing sitecustomize stopped the program: $out"
grep -q 'Error in sitecustomize' "$FT_SCRATCH/site.err" && grep -q boom "$FT_SCRATCH/site.err" ||
	ft_fail "a failing sitecustomize's error is not shown: $(cat "$FT_SCRATCH/site.err")"
