#!/usr/bin/env bash
# t4344-run-py-source-in-tmp.sh - Python code imported from a temporary
# directory (a dependency at /tmp/dep on `pythonpath`, a `.pth` or an
# editable install pointing there).  Temporary directories are scratch
# but for what no scratch can hold (ingest/ft_ingest.c, set_tmpdirs): a
# program or library the run exec'd or mapped, and now a Python source it
# read and did not write.  Before, the module's reads were dropped as
# scratch, and its edit selected nothing while the test failed (a probe of
# a real setup).  A module the test itself writes there and imports stays
# scratch.  Exact sets.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

dep=$FT_SCRATCH/dep
mkdir -p "$dep/depmod" "$FT_SCRATCH/repo"
printf 'def value():\n    return 1\n' >"$dep/depmod/__init__.py"
cd "$FT_SCRATCH/repo"
git init -q .
cat >uses_dep.py <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import depmod
assert depmod.value() == 1, depmod.value()
PY
cat >own_scratch.py <<'PY'
import os, sys, tempfile
d = tempfile.mkdtemp(prefix="t4344-")
with open(os.path.join(d, "made.py"), "w") as f:
    f.write("X = 1\n")
sys.path.insert(0, d)
import made
assert made.X == 1
print(d)
PY
ft_old uses_dep.py own_scratch.py .
git add -A && git -c user.email=t@t -c user.name=t commit -qm t4344

ft_record 0 --name dep -- "$FT_PYTHON" uses_dep.py "$dep"
ft_record 0 --name own -- "$FT_PYTHON" own_scratch.py
made=$(cat "$FT_SCRATCH/run.out")/made.py
[ -f "$made" ] || ft_fail "own_scratch.py made no module: $(cat "$FT_SCRATCH/run.out")"
ft_affected_is "" "right after recording"

sed -i 's/return 1/return 2/' "$dep/depmod/__init__.py"
ft_affected_is "dep" "the module imported from a temporary directory edited"
"$FT_PYTHON" uses_dep.py "$dep" 2>/dev/null && ft_fail "uses_dep.py passed with the edit: the fixture no longer shows the case"
sed -i 's/return 2/return 1/' "$dep/depmod/__init__.py"
ft_affected_is "" "the module put back"

echo 'X = 2' >"$made"
ft_affected_is "" "a module the test wrote in a temporary directory: scratch"
rm -rf "$(dirname "$made")"
