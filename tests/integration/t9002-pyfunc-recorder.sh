#!/usr/bin/env bash
# adapters/pytest/ftrace_pytest_funcs.py's Recorder on its own (no pytest),
# under every interpreter found: on 3.11 the frame evaluation hook
# (_ftrace_fframe), the C profile hook (_ftrace_fhook) when the build made
# them for that interpreter, and settrace (FTRACE_PYFUNC_HOOK=cprofile,
# =settrace), sys.monitoring on 3.12+ (the armed code's callback in C,
# _ftrace_mon, where built); on 3.9 and 3.10 settrace (and the C
# hook where built), with qualnames taken from the source.
# A code object counts once per target, and again in the next target (the
# monitoring hook re-arms the local events of what ran at each boundary,
# and what ran in one test and not the next is still armed for the one
# after); a generator
# resumed in a test counts for that test; code run by another thread goes
# to the test it began and ended in, else to the prelude (across a
# boundary, still running, started by _thread); code outside the project
# is left out; and a hook
# displaced by another tool makes the recording incomplete, never silently
# short (nor does a thread that settrace or the profile hook cannot reach).
# The frame evaluation hook reaches threads that were already running; it
# steps aside for another tool's evaluation function (a second copy of
# itself, loaded from another file, plays that tool).  A last script
# records every call shape under each hook of each interpreter and under a
# plain settrace function of its own, specialized call sites warmed up
# first: the sets must be equal.
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

want_hook = "monitoring" if sys.version_info >= (3, 12) else os.environ["WANT_HOOK"]
errors = []
rec = funcs.Recorder(errors.append)
rec.start()
# the build's adapters: the armed code's callback is _ftrace_mon's, in C
if want_hook == "monitoring" and any(n.startswith("_ftrace_mon.") for n in os.listdir(sys.argv[1])):
    assert rec._mstate is not None, "_ftrace_mon is built and its callback is not in place"
import shop                      # prelude: module bodies, build_table, register
from shop import prices, util, registry
with open("genmod.py", "w") as f:
    f.write("def counter(n):\n    for i in range(n):\n        yield i\n")
import genmod
# Two functions whose code objects compare equal (same name, line, bytecode
# and constants; co_filename is not compared) in two files: a recorder
# keeping code objects by value would keep one of them and lose the other
# file's function.
for n in ("twin_a", "twin_b"):
    with open(n + ".py", "w") as f:
        f.write("def helper():\n    return 1\n")
import twin_a, twin_b
assert twin_a.helper.__code__ == twin_b.helper.__code__
gen = genmod.counter(3)
next(gen)                        # started in the prelude
rec.set_target(("a", "call"))
prices.net(1.0)
util.slug("A b")
next(gen)                        # resumed in test a
registry.hello.__doc__           # a docstring read, the function not run
registry.bye.__annotations__     # an annotations read, the function not run
os.path.join.__annotations__     # not project code
os.path.join.__doc__             # not project code
rec.set_target(None)
prices.net(1.0)                  # again, in the prelude
rec.set_target(("b", "call"))
prices.net(1.0)                  # and again in test b: re-armed
t = threading.Thread(target=lambda: (registry.hello(), registry.bye.__doc__))
t.start(); t.join()              # another thread, joined in test b: b's
os.path.join("x", "y")           # not project code
if want_hook in ("fframe", "cprofile", "monitoring"):
    # the standard library is left out by the hook itself (its prefixes),
    # not only by result()
    assert id(os.path.join.__code__) not in rec.sets[("b", "call")]
    assert id(prices.net.__code__) in rec.sets[("b", "call")]
rec.set_target(("b", "teardown"))
rec.set_target(None)
rec.set_target(("g", "call"))
util.slug("c")                   # ran in a, not since: still armed
next(gen, None)
rec.set_target(("t", "call"))
twin_a.helper()
twin_b.helper()
# Threads: one joined within its test, a pool shut down within it, one
# that runs across a boundary, one started by _thread (not tracked), one
# still running at the end.
with open("thr.py", "w") as f:
    f.write("".join("def %s():\n    'doc'\n    return 1\n\n" % n for n in
                    ("joined", "pooled", "crossing", "raw", "live", "main_only")))
rec.set_target(None)
import thr, _thread
from concurrent.futures import ThreadPoolExecutor
rec.set_target(("j", "call"))
th = threading.Thread(target=lambda: (thr.joined(), thr.main_only.__doc__))
th.start(); th.join()
with ThreadPoolExecutor(2) as ex:
    list(ex.map(lambda _: thr.pooled(), range(4)))
go, raw_done, live_ran, live_go = (threading.Event() for _ in range(4))
crossing = threading.Thread(target=lambda: (go.wait(), thr.crossing()))
crossing.start()
_thread.start_new_thread(lambda: (thr.raw(), raw_done.set()), ())
raw_done.wait()
live = threading.Thread(target=lambda: (thr.live(), live_ran.set(), live_go.wait()), daemon=True)
live.start(); live_ran.wait()
rec.set_target(("k", "call"))
go.set(); crossing.join()        # began in j, ended in k: shared
rec.set_target(("m", "call"))
thr.joined()                     # run by j's thread: re-armed since
thr.pooled()
rec.set_target(None)
rec.stop()
res = rec.result(os.path.abspath, lambda p: p.startswith(root + "/"))

def names(keys):
    """What ran (names read, "@N", apart: t9000 and t9018 check them)."""
    return {"%s:%s" % (os.path.relpath(f, root), q) for f, q, line in keys if q[0] != "@"}

assert res["hook"] == want_hook, (res["hook"], want_hook)
assert res["complete"] is True and not errors, (res["complete"], errors)
a = names(res["tests"]["a"]["call"])
b = names(res["tests"]["b"]["call"])
assert a == {"shop/prices.py:net", "shop/util.py:slug", "genmod.py:counter",
             "shop/registry.py:hello#doc", "shop/registry.py:bye#ann"}, a
assert b == {"shop/prices.py:net", "shop/registry.py:hello", "shop/registry.py:bye#doc"}, b
assert names(res["tests"]["b"]["teardown"]) == set()
g = names(res["tests"]["g"]["call"])
assert g == {"shop/util.py:slug", "genmod.py:counter"}, g
t = names(res["tests"]["t"]["call"])
assert t == {"twin_a.py:helper", "twin_b.py:helper"}, t
j = names(res["tests"]["j"]["call"])
assert j == {"thr.py:joined", "thr.py:main_only#doc", "thr.py:pooled"}, j
k = names(res["tests"]["k"]["call"])
assert k == set(), k
m = names(res["tests"]["m"]["call"])
assert m == {"thr.py:joined", "thr.py:pooled"}, m
pre = names(res["prelude"])
for must in ("shop/prices.py:net", "shop/util.py:build_table",
             "shop/registry.py:register.<locals>.deco", "shop/__init__.py:<module>",
             "thr.py:crossing", "thr.py:live"):
    assert must in pre, (must, sorted(pre))
# (settrace and the profile hook never see a _thread thread: a limit)
if want_hook in ("fframe", "monitoring"):
    assert "thr.py:raw" in pre, sorted(pre)
for never in ("shop/registry.py:hello", "shop/registry.py:bye#doc", "thr.py:joined",
              "thr.py:pooled", "thr.py:main_only#doc"):
    assert never not in pre, (never, sorted(pre))
live_go.set(); live.join()
assert all(not n.startswith("..") for n in pre | a | b), pre | a | b

# The C hooks' and monitoring's prefixes must hold no project file: a
# rootdir that holds the standard library, or lies in site-packages, is incomplete.
if want_hook in ("fframe", "cprofile", "monitoring"):
    import site, sysconfig
    sys.path.insert(0, sys.argv[1])
    import ftrace_pytest_imports as graph
    for bad in (os.path.dirname(sysconfig.get_paths()["stdlib"]),
                os.path.join(site.getsitepackages()[0], "somepkg")):
        r = funcs.Recorder(errors.append)
        r.start()
        pr = graph._Project(bad)
        r.check_root(pr.owns, pr.roots)
        r.stop()
        assert r.complete is False, bad
    del errors[:]
    r = funcs.Recorder(errors.append)
    r.start()
    pr = graph._Project(root)
    r.check_root(pr.owns, pr.roots)
    r.stop()
    assert r.complete is True and not errors, (root, errors)

# function.__doc__ is the interpreter's own again, and works as before.
import types
assert type(types.FunctionType.__dict__["__doc__"]) is types.MemberDescriptorType
registry.bye.__doc__ = "bye"
assert registry.bye.__doc__ == "bye"
del registry.bye.__doc__
assert registry.bye.__doc__ is None
# Another tool replacing function.__doc__ during the session: incomplete.
import gc
rec7 = funcs.Recorder(errors.append)
rec7.start()
assert type(types.FunctionType.__dict__["__doc__"]) is not types.MemberDescriptorType
tdict, = gc.get_referents(types.FunctionType.__dict__)
mine = tdict["__doc__"]
(attr, orig, ours), _ = rec7._doc[1]
assert attr == "__doc__" and mine is ours
tdict["__doc__"] = orig
rec7.set_target(("h", "call"))
rec7.set_target(None)
rec7.stop()
assert rec7.result(os.path.abspath, lambda p: True)["complete"] is False
# So with function.__annotations__, which is the interpreter's own again
# after the session, and works as before.
rec8 = funcs.Recorder(errors.append)
rec8.start()
_, (attr, orig, ours) = rec8._doc[1]
assert attr == "__annotations__" and tdict["__annotations__"] is ours
tdict["__annotations__"] = orig
rec8.set_target(("h", "call"))
rec8.set_target(None)
rec8.stop()
assert rec8.result(os.path.abspath, lambda p: True)["complete"] is False
assert type(types.FunctionType.__dict__["__annotations__"]) is types.GetSetDescriptorType
registry.bye.__annotations__ = {"x": "int"}
assert registry.bye.__annotations__ == {"x": "int"}
del registry.bye.__annotations__
assert registry.bye.__annotations__ == {}

# A hook displaced by another tool: incomplete.
rec2 = funcs.Recorder(errors.append)
rec2.start()
if sys.version_info >= (3, 12):
    sys.monitoring.free_tool_id(rec2._tools[1])
elif want_hook == "cprofile":
    sys.setprofile(lambda *a: None)
elif want_hook == "fframe":
    # what another tool's _PyInterpreterState_SetEvalFrameFunc would do
    import ctypes
    api = ctypes.pythonapi
    api.PyInterpreterState_Get.restype = ctypes.c_void_p
    api._PyInterpreterState_SetEvalFrameFunc.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    api._PyInterpreterState_SetEvalFrameFunc(
        api.PyInterpreterState_Get(), ctypes.cast(api._PyEval_EvalFrameDefault, ctypes.c_void_p))
else:
    sys.settrace(lambda *a: None)
rec2.set_target(("c", "call"))
prices.gross(1.0)
rec2.set_target(None)
sys.settrace(None)
sys.setprofile(None)
rec2.stop()
assert rec2.result(os.path.abspath, lambda p: True)["complete"] is False

# Under settrace, a tool known to set the trace function aside and back
# (pytest-benchmark's fixture module loaded) makes the session incomplete:
# the calls in between would be nobody's.
if want_hook == "settrace":
    import types
    rec11 = funcs.Recorder(errors.append)
    rec11.start()
    rec11.set_target(("r", "call"))
    sys.modules["pytest_benchmark.fixture"] = types.ModuleType("pytest_benchmark.fixture")
    try:
        rec11.set_target(None)
        rec11.stop()
    finally:
        del sys.modules["pytest_benchmark.fixture"]
    assert rec11.result(os.path.abspath, lambda p: True)["complete"] is False
    assert any("pauses the trace function" in e for e in errors), errors
    del errors[:]

# A tool that puts the profile function aside and sets it back
# (pytest-benchmark's PauseInstrumentation, around each benchmark, when
# sys.getprofile() is not None): the C hook has no profile object, so
# sys.getprofile() says None and the tool leaves it alone (a token it set
# back as a profile function made the next event raise TypeError); the
# calls in between are recorded, complete.  A tool that sets its own and
# then None has displaced it: incomplete.
if want_hook == "cprofile":
    def pause_and_run(f):
        prev = sys.getprofile()
        if prev:
            sys.setprofile(None)
        try:
            return f()
        finally:
            if prev:
                sys.setprofile(prev)
    rec9 = funcs.Recorder(errors.append)
    rec9.start()
    rec9.set_target(("p", "call"))
    assert sys.getprofile() is None
    pause_and_run(lambda: prices.gross(3.0))
    prices.net(3.0)
    rec9.set_target(None)
    rec9.stop()
    r9 = rec9.result(os.path.abspath, lambda p: p.startswith(root + "/"))
    assert r9["complete"] is True, r9
    assert {"shop/prices.py:gross", "shop/prices.py:net"} <= names(r9["tests"]["p"]["call"]), r9
    rec10 = funcs.Recorder(errors.append)
    rec10.start()
    rec10.set_target(("q", "call"))
    sys.setprofile(lambda *a: None)
    sys.setprofile(None)
    prices.net(3.0)
    rec10.set_target(None)
    rec10.stop()
    assert rec10.result(os.path.abspath, lambda p: True)["complete"] is False

# Another tracer already in place (coverage, a debugger): not displaced.
if sys.version_info < (3, 12):
    other = lambda *a: None
    sys.settrace(other)
    rec3 = funcs.Recorder(errors.append)
    rec3.start()
    assert sys.gettrace() is other
    rec3.set_target(("f", "call"))
    prices.gross(2.0)
    rec3.set_target(None)
    rec3.stop()
    sys.settrace(None)
    r3 = rec3.result(os.path.abspath, lambda p: p.startswith(root + "/"))
    if want_hook == "fframe":
        # no trace or profile slot needed: it records beside the tracer
        assert r3["complete"] is True, r3
        assert names(r3["tests"]["f"]["call"]) == {"shop/prices.py:gross"}, r3
    else:
        assert r3["complete"] is False
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
    # Another tool's evaluation function in place: not displaced; the
    # profile hook records instead.
    if want_hook == "fframe":
        import _ftrace_fframe, importlib.machinery, importlib.util, shutil
        copy = os.path.join(os.getcwd(), "other" + os.path.basename(_ftrace_fframe.__file__))
        shutil.copy(_ftrace_fframe.__file__, copy)
        ld = importlib.machinery.ExtensionFileLoader("_ftrace_fframe", copy)
        other_ff = importlib.util.module_from_spec(importlib.util.spec_from_loader("_ftrace_fframe", ld))
        ld.exec_module(other_ff)
        assert other_ff is not _ftrace_fframe
        other_ff.start({}, {}, ())
        rec6 = funcs.Recorder(errors.append)
        rec6.start()
        assert not _ftrace_fframe.installed() and other_ff.installed()
        rec6.set_target(("e", "call"))
        prices.gross(1.0)
        rec6.set_target(None)
        rec6.stop()
        assert other_ff.installed()
        other_ff.stop()
        r6 = rec6.result(os.path.abspath, lambda p: p.startswith(root + "/"))
        assert r6["hook"] == "cprofile" and r6["complete"] is True, r6
        assert names(r6["tests"]["e"]["call"]) == {"shop/prices.py:gross"}, r6
# A thread already running is never traced by settrace or the profile
# hook: incomplete.  The frame evaluation hook and monitoring (per
# interpreter) see it: what it runs goes to the prelude.
ev = threading.Event()
th = threading.Thread(target=lambda: (ev.wait(), util.slug("late thread")))
th.start()
rec4 = funcs.Recorder(errors.append)
rec4.start()
rec4.set_target(("d", "call"))
ev.set(); th.join()
util.build_table()
rec4.set_target(None)
rec4.stop()
r4 = rec4.result(os.path.abspath, lambda p: p.startswith(root + "/"))
if want_hook in ("fframe", "monitoring"):
    assert r4["complete"] is True, r4
    assert "shop/util.py:slug" in names(r4["prelude"]), r4
    d = names(r4["tests"]["d"]["call"])   # (3.11: its comprehension too)
    assert "shop/util.py:build_table" in d and "shop/util.py:slug" not in d, r4
else:
    assert r4["complete"] is False
if want_hook == "monitoring":
    mon = sys.monitoring
    # Another tool beside ours (coverage takes id 1), with its own global
    # events that it disables, and calling restart_events(): ours records
    # the same, and what the restart re-armed is recorded (more, not less).
    seen = []
    def other(code, offset):
        seen.append(code.co_name)
        return mon.DISABLE
    mon.use_tool_id(1, "other")
    mon.register_callback(1, mon.events.PY_START, other)
    mon.set_events(1, mon.events.PY_START)
    rec7 = funcs.Recorder(errors.append)
    rec7.start()
    rec7.set_target(("h", "call"))
    prices.net(1.0)
    mon.restart_events()
    prices.net(1.0)
    rec7.set_target(("i", "call"))
    prices.gross(1.0)
    rec7.set_target(("j", "call"))
    prices.net(1.0)
    rec7.set_target(None)
    rec7.stop()
    mon.set_events(1, 0)
    mon.register_callback(1, mon.events.PY_START, None)
    mon.free_tool_id(1)
    r7 = rec7.result(os.path.abspath, lambda p: p.startswith(root + "/"))
    assert r7["complete"] is True, r7
    assert "net" in seen and "gross" in seen, seen
    assert names(r7["tests"]["h"]["call"]) == {"shop/prices.py:net"}, r7
    assert "shop/prices.py:gross" in names(r7["tests"]["i"]["call"]), r7
    assert names(r7["tests"]["j"]["call"]) == {"shop/prices.py:net"}, r7
    # Fewer than two free tool ids: nothing recorded, incomplete.
    held = [t for t in funcs._MON_IDS[1:] if mon.get_tool(t) is None]
    for t in held:
        mon.use_tool_id(t, "other")
    rec8 = funcs.Recorder(errors.append)
    rec8.start()
    rec8.stop()
    for t in held:
        mon.free_tool_id(t)
    assert rec8.result(os.path.abspath, lambda p: True)["complete"] is False
print("ok", sys.version_info[:2])
PY

cat >shapes.py <<'PY'
import asyncio, contextlib, functools
class Seq:
    def __getitem__(self, i): return i
    def __len__(self): return 3
    def __iter__(self): return iter([1])
    def __eq__(self, o): return True
    __hash__ = object.__hash__
    def __enter__(self): return self
    def __exit__(self, *a): return False
    def __getattr__(self, n): return n
    @property
    def prop(self): return 1
    def __call__(self): return 2
    def __init_subclass__(cls, **k): pass
    def __repr__(self): return "S"
    def __add__(self, o): return 1
    def __contains__(self, x): return True
class Sub(Seq):
    def __init__(self): super().__init__()
    def __set_name__(self, owner, name): pass
def gen():
    yield 1
    yield 2
async def coro(): return 3
async def outer(): return await coro()
def deco(f):
    @functools.wraps(f)
    def w(*a): return f(*a)
    return w
@deco
def decorated(x): return x
@contextlib.contextmanager
def cm(): yield 5
def kw(a, b=2, *c, d, **e): return a
def thrower():
    try:
        yield 1
    except KeyError:
        yield 2
def hot():
    s, t = Sub(), 0
    for i in range(50):
        t += s[i] + len(s) + s.prop + decorated(i) + kw(i, d=1)
        for g in gen(): t += g
    return t
def run():
    s = Sub()
    s[1]; len(s); list(iter(s)); s == s; hash(s)
    with s: pass
    s.missing; s.prop; s(); repr(s); s + s; 1 in s
    list(gen()); sum(x for x in [1, 2]); [y for y in (1,)]; {k: k for k in (1,)}
    asyncio.run(outer())
    decorated(1)
    with cm(): pass
    (lambda q: q)(1)
    kw(1, d=2)
    sorted([3, 1], key=lambda v: v)
    class Owner: attr = Sub()
    t = thrower(); next(t); t.throw(KeyError)
    list(map(lambda z: z, [1]))
    hot()
    exec(compile("def ex(): return 1\nex()", os.path.abspath("shapes_exec.py"), "exec"), {})
import os
PY
cat >"$FT_SCRATCH/shapes_check.py" <<'PY'
# shapes_check.py ADAPTER HOOK: the shapes code run by shapes.run() after
# warm-up, one line per code object, recorded by the Recorder with HOOK
# (asserted; the same in a later test), or with HOOK "reference" by a plain settrace function of its
# own, independent of the Recorder.
import os, sys
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, os.getcwd())
import ftrace_pytest_funcs as funcs
import shapes
hook = sys.argv[2]
for _ in range(300):      # specialize every call site first
    shapes.run()
if hook == "reference":
    seen = {}   # by identity: equal code objects of two files are two
    def tr(frame, event, arg):
        if event == "call":
            seen[id(frame.f_code)] = frame.f_code
    sys.settrace(tr)
    shapes.run()
    sys.settrace(None)
    keys = {(os.path.basename(c.co_filename), c.co_qualname, c.co_firstlineno) for c in seen.values()
            if os.path.basename(c.co_filename).startswith("shapes")}
else:
    os.environ["FTRACE_PYFUNC_HOOK"] = hook
    rec = funcs.Recorder(print)
    rec.start()
    assert rec.hook == hook, (rec.hook, hook)
    # the same shapes in a second test, after the prelude ran them and a
    # test ran nothing: everything re-armed
    rec.set_target(("t", "test"))
    shapes.run()
    rec.set_target(None)
    shapes.run()
    rec.set_target(("u", "test"))
    rec.set_target(("v", "test"))
    shapes.run()
    rec.set_target(None)
    rec.stop()
    res = rec.result(os.path.abspath, lambda p: os.path.basename(p).startswith("shapes"))
    assert res["complete"] is True, res
    # what ran; docstring reads ("#doc": a classmethod made in run() reads
    # its function's) are not the reference's business
    keys = {(os.path.basename(f), q, line) for f, q, line in res["tests"]["t"]["test"]
            if not q.endswith("#doc")}
    again = {(os.path.basename(f), q, line) for f, q, line in res["tests"]["v"]["test"]
             if not q.endswith("#doc")}
    assert keys == again, sorted(keys ^ again)
    # the frame hook on 3.11.0-3.11.3: a __getitem__ that a subscript may
    # run unseen counts as run by every test (in the prelude), never as
    # not run; from 3.11.4 there is none
    inlined = {(os.path.basename(f), q, line) for f, q, line in res["inlined"]}
    if hook == "fframe" and sys.version_info[:3] < (3, 11, 4):
        assert ("shapes.py", "Seq.__getitem__", 3) in inlined, sorted(inlined)
    else:
        assert not inlined, sorted(inlined)
    assert all([f, q, line] in res["prelude"] for f, q, line in res["inlined"]), res["inlined"]
    keys |= inlined
for k in sorted(keys):
    print(*k)
PY

# Before 3.11 code objects have no co_qualname: the recorder takes each
# one's from its source (ftrace_pyqual), so two methods `m` of two classes,
# a nested `g` and a module-level `g`, are keys of their own, and the
# session is complete.  check.py as above under the settrace hook (and the
# C profile hook where the build made it for that interpreter), then the
# same-name shapes.
for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.9*/bin/python3 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3; do
	[ -x "$p" ] || continue
	suffix=$("$p" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
	old_hooks=(settrace)
	[ -f "$ADAPTER/_ftrace_fhook$suffix" ] && old_hooks=(cprofile settrace)
	for want in "${old_hooks[@]}"; do
		out=$(WANT_HOOK=$want FTRACE_PYFUNC_HOOK=$want PYTHONDONTWRITEBYTECODE=1 "$p" \
			"$FT_SCRATCH/check.py" "$ADAPTER" 2>&1) || ft_fail "recorder under $p ($want): $out"
		ft_log "$p ($want): $out"
	done
	cat >same_names.py <<'PY'
class A:
    def m(self):
        return 1


class B:
    def m(self):
        return 2


def g():
    return 3


def outer():
    def g():
        return 4
    return g() + (lambda: 5)() + sum(x for x in (6,))
PY
	out=$(PYTHONDONTWRITEBYTECODE=1 "$p" - "$ADAPTER" <<'PY' 2>&1
import os, sys
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, os.getcwd())
import ftrace_pytest_funcs as funcs
errors = []
rec = funcs.Recorder(errors.append)
rec.start()
import same_names as sn
rec.set_target(("a", "call"))
sn.A().m()
rec.set_target(("b", "call"))
sn.B().m()
rec.set_target(("c", "call"))
sn.outer()
rec.set_target(("d", "call"))
sn.g()
rec.set_target(None)
rec.stop()
res = rec.result(os.path.abspath, lambda p: os.path.basename(p) == "same_names.py")
assert res["complete"] is True and not errors, (res["complete"], errors)
def q(t):
    return sorted(k[1] for k in res["tests"][t]["call"])
assert q("a") == ["A.m"], q("a")
assert q("b") == ["B.m"], q("b")
assert q("c") == ["outer", "outer.<locals>.<genexpr>", "outer.<locals>.<lambda>", "outer.<locals>.g"], q("c")
assert q("d") == ["g"], q("d")
# a source that no longer matches what ran: incomplete, never a wrong key
with open("same_names.py", "a") as f:
    f.write("\n")
rec2 = funcs.Recorder(errors.append)
rec2.start()
rec2.set_target(("e", "call"))
exec(compile("def h():\n    return 7\nh()", os.path.abspath("same_names.py"), "exec"), {})
rec2.set_target(None)
rec2.stop()
res2 = rec2.result(os.path.abspath, lambda p: os.path.basename(p) == "same_names.py")
assert res2["complete"] is False, res2
print("ok", sys.version_info[:2])
PY
	) || ft_fail "recorder's qualnames under $p: $out"
	ft_log "$p: $out"
done

# Other interpreters: 3.12+ (sys.monitoring), and another 3.11 install (the
# distribution's beside pyenv's: another patch release loads the same
# frame hook, built against the first one's headers).
realexe() { "$1" -c 'import os, sys; print(os.path.realpath(sys.executable))'; }
pythons=("$FT_PYTHON")
seen=" $(realexe "$FT_PYTHON") "
for p in /usr/bin/python3.1[1-9] "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[1-9]*/bin/python3; do
	[ -x "$p" ] || continue
	r=$(realexe "$p") || continue
	case $seen in *" $r "*) continue ;; esac
	seen="$seen$r "
	pythons+=("$p")
done
for py in "${pythons[@]}"; do
	# the C hook is expected where the build made it for this interpreter
	suffix=$("$py" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
	hooks=(settrace)
	"$py" -c 'import sys; sys.exit(sys.version_info < (3, 12))' && hooks=(monitoring)
	[ -f "$ADAPTER/_ftrace_fhook$suffix" ] && hooks=(cprofile "${hooks[@]}")
	# the frame hook (before 3.11.4 with the __getitem__ rule, CPython
	# gh-104405: _start_fframe)
	[ -f "$ADAPTER/_ftrace_fframe$suffix" ] && hooks=(fframe "${hooks[@]}")
	for want in "${hooks[@]}"; do
		force=$want
		[ "$want" = "${hooks[0]}" ] && force=   # the default
		rm -f other_ftrace_fframe*
		out=$(WANT_HOOK=$want FTRACE_PYFUNC_HOOK=$force PYTHONDONTWRITEBYTECODE=1 "$py" \
			"$FT_SCRATCH/check.py" "$ADAPTER" 2>&1) || ft_fail "recorder under $py ($want): $out"
		ft_log "$py ($want): $out"
		[ "$py" = "$FT_PYTHON" ] || break   # 3.12+: sys.monitoring only
	done
	# Every call shape: each hook this interpreter uses records what a plain
	# settrace function does (3.11: fframe, cprofile, settrace; 3.12+:
	# monitoring), call sites specialized first.
	PYTHONDONTWRITEBYTECODE=1 "$py" "$FT_SCRATCH/shapes_check.py" "$ADAPTER" reference \
		>"$FT_SCRATCH/shapes-ref" 2>&1 || ft_fail "shapes, reference: $(cat "$FT_SCRATCH/shapes-ref")"
	[ "$(wc -l <"$FT_SCRATCH/shapes-ref")" -ge 30 ] || ft_fail "call shapes: too few: $(cat "$FT_SCRATCH/shapes-ref")"
	for h in "${hooks[@]}"; do
		PYTHONDONTWRITEBYTECODE=1 "$py" "$FT_SCRATCH/shapes_check.py" "$ADAPTER" "$h" \
			>"$FT_SCRATCH/shapes-$h" 2>&1 || ft_fail "shapes under $py ($h): $(cat "$FT_SCRATCH/shapes-$h")"
		cmp -s "$FT_SCRATCH/shapes-$h" "$FT_SCRATCH/shapes-ref" ||
			ft_fail "call shapes under $py: $h and settrace differ: $(diff "$FT_SCRATCH/shapes-$h" "$FT_SCRATCH/shapes-ref")"
		ft_log "$py ($h): $(wc -l <"$FT_SCRATCH/shapes-$h") call shapes as settrace"
	done
done
# The build made the C hook for the interpreter of the suite when it could.
if [ -f "$FTRACE_BUILD_DIR/CMakeCache.txt" ] &&
	grep -q '^Python3_Development.Module_FOUND\|_Python3_DEVELOPMENT_MODULE_SIGNATURE' "$FTRACE_BUILD_DIR/CMakeCache.txt"; then
	ls "$ADAPTER"/_ftrace_fhook*.so >/dev/null 2>&1 || ft_fail "Python headers were found, but no _ftrace_fhook was built"
fi
