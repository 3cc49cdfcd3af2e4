#!/usr/bin/env bash
# pytest's own terminal set-up is no dependency of any test: the import of
# readline at start-up (libreadline reads TERM, TERMINFO, INPUTRC, HOME for
# ~/.inputrc, COLUMNS, LINES), the terminal writer's colour and width
# checks (PY_COLORS, NO_COLOR, FORCE_COLOR, COLUMNS, LINES) and ftrace's
# own look at the interpreter's paths (HOME, PYTHONUSERBASE) made every
# pytest test depend on them, so another terminal, a hook run from an
# editor or another $HOME selected every test.  What a test or a conftest
# reads of the same variables, and what pytest's terminal code reads
# inside a test (a pytester run), stay dependencies; so do the variables
# behind pytest's terminal writer when a test asks for it (its hasmarkup:
# a probe) (docs/pytest.md, "The terminal's configuration").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -c 'import readline' 2>/dev/null || ft_skip "no readline module for $FT_PYTHON"
# The interpreter itself, not a pyenv shim: a shim is a shell script whose
# text names $HOME (pyenv's root), which makes HOME every test's
# dependency (docs/usage.md, "Environment variables"), rightly there.
FT_PYTHON=$("$FT_PYTHON" -c 'import sys; print(sys.executable)')
ft_pytest_fixture pytest-basic
cat >tests/test_term.py <<'PY'
import os
import shutil
import sys


def test_cols():
    assert shutil.get_terminal_size().columns > 0      # reads COLUMNS and LINES


def test_term():
    assert os.environ.get("TERM", "") != "t2037-bad"


def test_markup():
    from _pytest._io.terminalwriter import should_do_markup
    assert should_do_markup(sys.stdout) in (True, False)   # PY_COLORS, NO_COLOR, FORCE_COLOR


def test_home():
    assert os.path.expanduser("~")


def test_writer(pytestconfig):
    # what pytest's terminal set-up made of the variables, read in a test
    assert pytestconfig.get_terminal_writer().hasmarkup in (True, False)
PY
cat >>tests/conftest.py <<'PY'


import os as _t2037_os
T2037_INPUTRC = _t2037_os.environ.get("INPUTRC")
PY
T="tests/test_term.py::"
git add -A && git -c user.email=t@t -c user.name=t commit -qm t2037
settle tests/test_term.py tests/conftest.py
unset INPUTRC TERMINFO COLUMNS LINES PY_COLORS NO_COLOR FORCE_COLOR PYTHONUSERBASE
export TERM=xterm HOME=$FT_SCRATCH/home-a
mkdir -p "$HOME"

record
assert_set "" "$(affected)" "same environment: nothing"
assert_set "${T}test_term ${T}test_writer" "$(TERM=vt100 affected)" "TERM: only the tests that read it"
assert_set "${T}test_home" "$(HOME=$FT_SCRATCH affected)" "HOME: only the test that read it"
assert_set "" "$(TERMINFO=/nonexistent affected)" "TERMINFO: read by readline only"
assert_set "" "$(PYTHONUSERBASE=$FT_SCRATCH/ub affected)" "PYTHONUSERBASE: read by ftrace's look at the paths only"
assert_set "${T}test_cols ${T}test_writer" "$(COLUMNS=33 affected)" "COLUMNS: only the tests that read it"
assert_set "${T}test_cols ${T}test_writer" "$(LINES=9 affected)" "LINES: only the tests that read it"
assert_set "${T}test_markup ${T}test_writer" "$(NO_COLOR=1 affected)" \
	"NO_COLOR: the terminal writer's read inside a test, and pytest's writer asked for in one"
assert_set "${T}test_markup ${T}test_writer" "$(PY_COLORS=1 affected)" "PY_COLORS: likewise"
assert_set "${T}test_markup ${T}test_writer" "$(FORCE_COLOR=1 affected)" "FORCE_COLOR: likewise"
assert_set "$ALL ${T}test_cols ${T}test_term ${T}test_markup ${T}test_home ${T}test_writer" \
	"$(INPUTRC=$FT_SCRATCH/inputrc affected)" "INPUTRC: the conftest read it at import, every test's"

# On a terminal (script(1) gives pytest a pty): the terminal writer reads
# TERM too, and so does pytest 9's opt-in terminal progress plugin, whose
# pytest_configure hook ftrace_pytest_startup wraps.
if command -v script >/dev/null 2>&1; then
	rm -rf .ftrace
	script -qec "'$FTRACE_BIN' run -q -- '$FT_PYTHON' -m pytest -q -p terminalprogress" /dev/null \
		>"$FT_SCRATCH/pty.out" 2>&1 || ft_fail "recording on a pty: $(cat "$FT_SCRATCH/pty.out")"
	assert_set "${T}test_term ${T}test_writer" "$(TERM=vt100 affected)" \
		"TERM, recorded on a terminal: only the tests that read it"
	assert_set "" "$(TERM=xterm affected)" "recorded on a terminal, the same TERM: nothing"
fi

# The windows per thread, in ftrace_pyenv alone: a read of another thread
# while one thread's window is open counts; the window's own reads are not
# remembered as reported, so they count after it.
"$FT_PYTHON" - "$FTRACE_BUILD_DIR/adapters/pytest" <<'PY' || ft_fail "ftrace_pyenv's windows (see above)"
import os, sys, threading
sys.path.insert(0, sys.argv[1])
os.environ["FTRACE_RUN_DIR"] = "/nonexistent-t2037"
seen = []
real_stat = os.stat
def stat(p, *a, **k):
    s = os.fsdecode(p)
    if "/.ctl/" in s:
        seen.append(s.split("/.ctl/", 1)[1])
        raise FileNotFoundError(p)
    return real_stat(p, *a, **k)
os.stat = stat
import ftrace_pyenv
ftrace_pyenv.install()
ftrace_pyenv.mute()
ftrace_pyenv.mute()                       # nested: one window
os.environ.get("T2037_IN")
t = threading.Thread(target=lambda: os.environ.get("T2037_OTHER"))
t.start(); t.join()
ftrace_pyenv.unmute()
os.environ.get("T2037_IN2")
ftrace_pyenv.unmute()
os.environ.get("T2037_IN")
assert seen == ["env-copy", "env/T2037_OTHER", "env-copy-end", "env/T2037_IN"], seen
PY
