#!/usr/bin/env bash
# Recording must not change what tests observe: the pytest adapter's hooks
# on imports (builtins.__import__), class statements
# (builtins.__build_class__) and reads of a project module's attributes
# (the function recorder's module type) are _ftrace_around objects, which
# call the hooks before and after the real call with no Python frame of
# their own around it (adapters/pytest/_ftrace_around.c).  Code that looks
# at its caller (a PEP 562 __getattr__ or an __init_subclass__ warning
# with stacklevel=2, a metaclass reading sys._getframe(1), a module body
# warning at import) sees the test's frame, as without ftrace, at both
# granularities (fixtures/pytest-frames).  Each of the four tests failed
# under the function recording before, the import's at file granularity
# too.  The wrapper's own contract is checked directly too.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
"$FT_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
	ft_skip "_ftrace_around needs CPython 3.10+"
ls "$FTRACE_BUILD_DIR"/adapters/pytest/_ftrace_around*.so >/dev/null 2>&1 ||
	ft_skip "_ftrace_around is not built (no Python headers)"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
ft_fixture pytest-frames

"$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/plain.out" 2>&1 ||
	ft_fail "the fixture fails without ftrace: $(cat "$FT_SCRATCH/plain.out")"
for g in function file; do
	ft run --granularity=$g -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 ||
		ft_fail "recording at $g granularity changed what the tests saw: $(cat "$FT_SCRATCH/run.out")"
	grep -q '^4 passed' "$FT_SCRATCH/run.out" || ft_fail "$g: $(cat "$FT_SCRATCH/run.out")"
done
assert_set "" "$(ft affected --granularity=function)" "nothing changed after the recordings"

# The wrapper itself: pre's token and orig's result reach post, orig's
# exception goes through untouched after post ran, post's Exception is
# counted and dropped, post's KeyboardInterrupt goes on, pre's exception
# stops the call, a method binds and a plain one does not; the gate of
# the name reads' wrapper skips pre only when pre would add nothing.
"$FT_PYTHON" - "$FTRACE_BUILD_DIR/adapters/pytest" <<'PY' || ft_fail "_ftrace_around's contract"
import sys
sys.path.insert(0, sys.argv[1])
from _ftrace_around import around, failures
log = []
f = around(lambda *a, **k: ("tok", a, k), lambda *a, **k: ("res", a, k),
           lambda t, r, *a, **k: log.append((t, r, a, k)))
assert f(1, x=2) == ("res", (1,), {"x": 2})
assert log == [(("tok", (1,), {"x": 2}), ("res", (1,), {"x": 2}), (1,), {"x": 2})], log
def boom(*a):
    raise ValueError("orig")
log.clear()
g = around(None, boom, lambda t, r, *a: log.append((t, r, a)))
try:
    g(3)
except ValueError as e:
    assert str(e) == "orig"
else:
    raise AssertionError("orig's exception lost")
assert log == [(None, None, (3,))], log
n = failures()
h = around(None, lambda: 5, lambda t, r: 1 / 0)
assert h() == 5 and failures() == n + 1
def interrupt(t, r):
    raise KeyboardInterrupt
try:
    around(None, lambda: 5, interrupt)()
except KeyboardInterrupt:
    pass
else:
    raise AssertionError("KeyboardInterrupt swallowed")
def no(*a):
    raise RuntimeError("pre")
called = []
try:
    around(no, lambda: called.append(1), None)()
except RuntimeError:
    pass
assert not called
class C:
    m = around(None, lambda *a: a, None, True)
    p = around(None, lambda *a: a, None)
c = C()
assert c.m(1) == (c, 1) and c.p(1) == (1,) and C.m(1) == (1,)
# around's gate (the function recorder's module reads): pre is skipped
# only while gate[0] is a set already holding (id(obj), name), in the
# thread gate[1], for a name that is not a dunder, while no module of
# gate[3] is in gate[2]
import threading
seen, calls, mods = set(), [], {}
gate = [None, threading.get_ident(), mods, ("freezegun.api",)]
def pre(obj, name):
    calls.append(name)
    seen.add((id(obj), name))
class R:
    __getattribute__ = around(pre, object.__getattribute__, None, True, gate)
    a = 1
    __b__ = 2
r = R()
def reads(*names):
    del calls[:]
    for n in names:
        getattr(r, n)
    return list(calls)
assert reads("a", "a") == ["a", "a"], "gate closed: pre at each read"
gate[0] = seen
assert reads("a", "a") == [], "gate open, (id, name) seen: pre skipped"
seen.clear()
assert reads("a", "a") == ["a"], "gate open: pre at the first read only"
assert reads("__b__", "__b__") == ["__b__", "__b__"], "a dunder: pre each time"
mods["freezegun.api"] = object()
assert reads("a") == ["a"], "a name scanner loaded: pre each time"
del mods["freezegun.api"]
t = threading.Thread(target=lambda: calls.append(reads("a")))
t.start(); t.join()
assert calls[-1] == ["a"], "another thread: pre each time"
other = set()
gate[0] = other
assert reads("a") == ["a"], "the set moved: pre again"
try:
    around(pre, object.__getattribute__, lambda *a: None, True, gate)
except TypeError:
    pass
else:
    raise AssertionError("a gate beside a post hook accepted")
PY
