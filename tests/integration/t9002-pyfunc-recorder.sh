#!/usr/bin/env bash
# adapters/pytest/ftrace_pytest_funcs.py's Recorder on its own (no pytest),
# under every interpreter found: on 3.11 the C profile hook (_ftrace_fhook,
# when the build made it for that interpreter) and settrace
# (FTRACE_PYFUNC_HOOK=settrace), sys.monitoring on 3.12+.
# A code object counts once per target, and again in the next target (the
# monitoring hook re-arms with restart_events at each boundary); a generator
# resumed in a test counts for that test; code run by another thread goes
# to the prelude; code outside the project is left out; and a hook
# displaced by another tool makes the recording incomplete, never silently
# short (nor does a thread that settrace cannot reach on 3.11).
. "$(dirname "$0")/lib.sh"
ft_fixture pytest-funcs
# the build tree's copy: it has the C hook next to the Python files
ADAPTER=$FTRACE_BUILD_DIR/adapters/pytest
[ -f "$ADAPTER/ftrace_pytest_funcs.py" ] || ADAPTER=$FTRACE_SOURCE_DIR/adapters/pytest

cat >"$FT_SCRATCH/check.py" <<'PY'
import os, sys, threading
sys.path.insert(0, sys.argv[1])
root = os.getcwd()
sys.path.insert(0, root)
import ftrace_pytest_funcs as funcs

errors = []
rec = funcs.Recorder(errors.append)
rec.start()
import shop                      # prelude: module bodies, build_table, register
from shop import prices, util, registry
with open("genmod.py", "w") as f:
    f.write("def counter(n):\n    for i in range(n):\n        yield i\n")
import genmod
gen = genmod.counter(3)
next(gen)                        # started in the prelude
rec.set_target(("a", "call"))
prices.net(1.0)
util.slug("A b")
next(gen)                        # resumed in test a
rec.set_target(None)
prices.net(1.0)                  # again, in the prelude
rec.set_target(("b", "call"))
prices.net(1.0)                  # and again in test b: re-armed
t = threading.Thread(target=registry.hello)
t.start(); t.join()              # another thread: prelude
os.path.join("x", "y")           # not project code
rec.set_target(("b", "teardown"))
rec.set_target(None)
rec.stop()
res = rec.result(os.path.abspath, lambda p: p.startswith(root + "/"))

def names(keys):
    return {"%s:%s" % (os.path.relpath(f, root), q) for f, q, line in keys}

want_hook = "monitoring" if sys.version_info >= (3, 12) else os.environ["WANT_HOOK"]
assert res["hook"] == want_hook, (res["hook"], want_hook)
assert res["complete"] is True and not errors, (res["complete"], errors)
a = names(res["tests"]["a"]["call"])
b = names(res["tests"]["b"]["call"])
assert a == {"shop/prices.py:net", "shop/util.py:slug", "genmod.py:counter"}, a
assert b == {"shop/prices.py:net"}, b
assert names(res["tests"]["b"]["teardown"]) == set()
pre = names(res["prelude"])
for must in ("shop/prices.py:net", "shop/registry.py:hello", "shop/util.py:build_table",
             "shop/registry.py:register.<locals>.deco", "shop/__init__.py:<module>"):
    assert must in pre, (must, sorted(pre))
assert all(not n.startswith("..") for n in pre | a | b), pre | a | b

# A hook displaced by another tool: incomplete.
rec2 = funcs.Recorder(errors.append)
rec2.start()
if sys.version_info >= (3, 12):
    sys.monitoring.free_tool_id(rec2._tool)
elif want_hook == "cprofile":
    sys.setprofile(lambda *a: None)
else:
    sys.settrace(lambda *a: None)
rec2.set_target(("c", "call"))
prices.gross(1.0)
rec2.set_target(None)
sys.settrace(None)
sys.setprofile(None)
rec2.stop()
assert rec2.result(os.path.abspath, lambda p: True)["complete"] is False

# Another tracer already in place (coverage, a debugger): not displaced.
if sys.version_info < (3, 12):
    other = lambda *a: None
    sys.settrace(other)
    rec3 = funcs.Recorder(errors.append)
    rec3.start()
    assert sys.gettrace() is other
    rec3.stop()
    sys.settrace(None)
    assert rec3.result(os.path.abspath, lambda p: True)["complete"] is False
    # The C hook: a profiler already in place is not displaced either
    # (settrace does not need the profile slot).
    if want_hook == "cprofile":
        sys.setprofile(other)
        rec5 = funcs.Recorder(errors.append)
        rec5.start()
        assert sys.getprofile() is other
        rec5.stop()
        assert sys.getprofile() is other
        sys.setprofile(None)
        assert rec5.result(os.path.abspath, lambda p: True)["complete"] is False
    # A thread already running is never traced by settrace: incomplete.
    ev = threading.Event()
    th = threading.Thread(target=ev.wait)
    th.start()
    rec4 = funcs.Recorder(errors.append)
    rec4.start()
    rec4.stop()
    ev.set(); th.join()
    assert rec4.result(os.path.abspath, lambda p: True)["complete"] is False
print("ok", sys.version_info[:2])
PY

pythons=("$FT_PYTHON")
for p in /usr/bin/python3.1[2-9] "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3; do
	[ -x "$p" ] && pythons+=("$p")
done
for py in "${pythons[@]}"; do
	# the C hook is expected where the build made it for this interpreter
	suffix=$("$py" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
	want=settrace
	[ -f "$ADAPTER/_ftrace_fhook$suffix" ] && want=cprofile
	out=$(WANT_HOOK=$want PYTHONDONTWRITEBYTECODE=1 "$py" "$FT_SCRATCH/check.py" "$ADAPTER" 2>&1) ||
		ft_fail "recorder under $py ($want): $out"
	ft_log "$py ($want): $out"
	[ "$want" = settrace ] && continue
	out=$(WANT_HOOK=settrace FTRACE_PYFUNC_HOOK=settrace PYTHONDONTWRITEBYTECODE=1 "$py" \
		"$FT_SCRATCH/check.py" "$ADAPTER" 2>&1) || ft_fail "recorder under $py (settrace): $out"
	ft_log "$py (settrace): $out"
done
# The build made the C hook for the interpreter of the suite when it could.
if [ -f "$FTRACE_BUILD_DIR/CMakeCache.txt" ] &&
	grep -q '^Python3_Development.Module_FOUND\|_Python3_DEVELOPMENT_MODULE_SIGNATURE' "$FTRACE_BUILD_DIR/CMakeCache.txt"; then
	ls "$ADAPTER"/_ftrace_fhook*.so >/dev/null 2>&1 || ft_fail "Python headers were found, but no _ftrace_fhook was built"
fi
