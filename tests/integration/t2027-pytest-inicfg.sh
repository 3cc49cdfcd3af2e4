#!/usr/bin/env bash
# setup.cfg and tox.ini that only pytest's start-up read
# (fixtures/pytest-inicfg): pytest takes its configuration from setup.cfg's
# [tool:pytest] after finding no [pytest] in tox.ini.  An edit outside
# those sections (or a comment inside) selects only the tests that read the
# file themselves; an edit of pytest's section, a [pytest] section where
# pytest looks for one, or a file iniconfig cannot parse is "cannot tell"
# (exit 2: pytest may now collect tests no run recorded).  Without the
# iniconfig a run used, every edit is, and `affected` says why.  docs/pytest.md, "Shared config files".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-inicfg

SHAPES="tests/test_shapes.py::test_area tests/test_shapes.py::test_square"
META="tests/test_meta.py::test_version_is_semver"
ALL="$META $SHAPES"

record
assert_set "" "$(affected)" "no change"
"$FT_PYTHON" - .ftrace/ftrace.db "$PWD" <<'PY' || ft_fail "the recorded views"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
def kinds(name):
    return sorted(k for (k,) in db.execute(
        "SELECT s.kind FROM states s JOIN paths p ON p.id = s.path_id WHERE p.path = ?",
        ((sys.argv[2] + "/" + name).encode(),)))
assert 1 | 3 << 4 in kinds("setup.cfg") and 1 in kinds("setup.cfg"), kinds("setup.cfg")  # the prelude's view (a file of reader 3, pytest-config), test_meta's content
assert kinds("tox.ini") == [2 | 1 << 4, 1 | 3 << 4], kinds("tox.ini")   # collection's stat (a type of reader 1, collected-type), the prelude's view
for name in ("setup.cfg", "tox.ini"):
    views = db.execute("SELECT view FROM pyconf_views WHERE path = ?",
                       ((sys.argv[2] + "/" + name).encode(),)).fetchall()
    assert len(views) == 1 and views[0][0].startswith("v1:"), (name, views)
(where,) = db.execute("SELECT value FROM meta WHERE key = 'pyconf_iniconfig'").fetchone()
sys.path.insert(0, where)
import iniconfig
assert iniconfig.__file__.startswith(where), (where, iniconfig.__file__)
PY

# setup.cfg: [metadata], [flake8], a comment in [tool:pytest]
ft_edit setup.cfg 'version = 1.0.0' 'version = 1.0.1'
assert_set "$META" "$(affected)" "setup.cfg [metadata] version edited"
ft_back setup.cfg
assert_set "" "$(affected)" "version reverted"

ft_edit setup.cfg 'max-line-length = 100' $'max-line-length = 120\n# wider'
assert_set "$META" "$(affected)" "setup.cfg [flake8] edited, a comment added"
ft_back setup.cfg

ft_edit setup.cfg 'testpaths = tests' $'# where the tests are\ntestpaths = tests'
assert_set "$META" "$(affected)" "a comment in [tool:pytest]"
ft_back setup.cfg

# setup.cfg: pytest's own section, and a file pytest stops on
ft_edit setup.cfg '    slow: a slow test' $'    slow: a slow test\n    fast: quick'
cannot_tell "setup.cfg [tool:pytest] edited" setup.cfg
ft_back setup.cfg

ft_edit setup.cfg 'max-line-length = 100' $'max-line-length = 100\nnot a setting'
cannot_tell "setup.cfg that iniconfig cannot parse" setup.cfg
ft_back setup.cfg

# tox.ini: no test reads it; pytest only looks for [pytest] there
ft_edit tox.ini 'deps = pytest' 'deps = pytest>=7'
assert_set "" "$(affected)" "tox.ini [testenv] edited"
ft_back tox.ini

ft_edit tox.ini '[testenv]' $'[pytest]\naddopts = -x\n\n[testenv]'
cannot_tell "a [pytest] section added to tox.ini" tox.ini
ft_back tox.ini

ft_edit tox.ini 'commands = pytest' $'commands = pytest\ndeps = twice'
cannot_tell "tox.ini with a duplicate name in [testenv]" tox.ini
ft_back tox.ini

# No iniconfig to compute the views with (an interpreter without it in
# its own site-packages; the recording's note of where pytest found it is
# never imported from: t3200): whether pytest's part changed cannot be
# told, said on stderr, exit 2.
mkdir -p "$FT_SCRATCH/bare"
cat >"$FT_SCRATCH/bare/python" <<SH
#!/bin/sh
# $FT_PYTHON -I -S -c CODE ARGS..., with no site-packages to look in
[ "\$1 \$2 \$3" = "-I -S -c" ] || exit 99
code=\$4
shift 4
exec "$FT_PYTHON" -I -S -c "import site; site.getsitepackages = lambda: []
\$code" "\$@"
SH
chmod +x "$FT_SCRATCH/bare/python"
ft_edit tox.ini 'deps = pytest' 'deps = pytest>=7'
FTRACE_PYTHON=$FT_SCRATCH/bare/python cannot_tell "tox.ini [testenv] edited, no iniconfig" tox.ini
grep -q "could not be read.*every edit of it counts" "$FT_SCRATCH/err" ||
	ft_fail "no message: $(cat "$FT_SCRATCH/err")"
ft_back tox.ini

# A conftest that reads setup.cfg at import: the prelude reads it after the
# start-up, so all of it counts, for every test.
cat >tests/conftest.py <<'PY'
import configparser
import os
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CFG = configparser.ConfigParser()
CFG.read(os.path.join(ROOT, "setup.cfg"), encoding="utf-8")
PY
ft_settle
record
ft_edit setup.cfg 'max-line-length = 100' 'max-line-length = 120'
assert_set "$ALL" "$(affected)" "setup.cfg [flake8] edited, read by a conftest"
ft_back setup.cfg
ft_edit tox.ini 'deps = pytest' 'deps = pytest>=7'
assert_set "" "$(affected)" "tox.ini [testenv] edited, the conftest reads setup.cfg only"
ft_back tox.ini

# A venv's own iniconfig: ftrace runs its helpers with -I -S, which keep
# site from reading the venv's pyvenv.cfg (sys.prefix stays the base
# interpreter's), so the venv's lib/pythonX.Y/site-packages is looked up
# beside the interpreter's bin/ (Debian's 3.11 in a venv found no
# iniconfig, and every tox.ini edit counted).  A venv of links: its
# iniconfig, a stand-in, must be the one imported.
V=$FT_SCRATCH/venv
VER=$("$FT_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
mkdir -p "$V/bin" "$V/lib/python$VER/site-packages/iniconfig"
EXE=$("$FT_PYTHON" -c 'import os, sys; print(os.path.realpath(sys.executable))')
ln -s "$EXE" "$V/bin/python"
printf 'home = %s\n' "$(dirname "$EXE")" >"$V/pyvenv.cfg"
printf 'OURS = True\n' >"$V/lib/python$VER/site-packages/iniconfig/__init__.py"
out=$("$V/bin/python" -I -S - "$FTRACE_SOURCE_DIR/adapters/pytest" <<'PY' 2>&1
import os, sys
sys.path.insert(0, sys.argv[1])
import ftrace_pyconf
m = ftrace_pyconf._import_iniconfig()
assert getattr(m, "OURS", False), (m, sys.prefix, ftrace_pyconf._site_dirs())
print(m.__file__)
PY
) || ft_fail "a venv's own iniconfig: $out"
ft_log "$out"
