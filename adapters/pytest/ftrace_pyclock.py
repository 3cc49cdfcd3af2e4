"""ftrace_pyclock - when was a dict last written, on one process-wide clock.

Used by the function recorder (ftrace_pytest_funcs.py) and its state guard
(ftrace_pyleak.py) only.  Pure Python, standard library only (ctypes).
docs/python-functions.md, "State a test leaves behind", says what it is
for: a leaky test shares only the code it ran before its last write to the
state it left.

CPython 3.11 to 3.13 keep `ma_version_tag` in every dict: each
modification stores the next value of one interpreter-wide counter, which
only grows (3.12 and 3.13 keep watcher bits in the low bits, below the
counter: the integer order is still the order of the writes).  So a dict's
tag says when it was last written, as a point on that clock, and a dict
written later has a larger tag.

reader() returns (tag, why): `tag(d)` reads the tag of the dict `d`, or
None when the clock cannot be trusted here, with the reason in `why`: not
CPython 3.11-3.13 (3.14 renamed the field `_ma_watcher_tag` and it is no
longer a global version; PyPy has none), a free-threaded or debug build
(another object header), no ctypes, or a check at start that failed (a
write must grow the tag; a later write to another dict must give a larger
one; an attribute set on an instance must move its `__dict__`'s tag,
which 3.13 does not: it writes the instance's inline values).  Never raises.  tag() must only be given real dicts (type is dict or
a subclass): it reads memory at a fixed offset of the object.

Both readers check too that a write to a class's attribute through the
class moves the tag of its namespace (the guard keeps a class
namespace's digest while that tag stays).

reader(instances=False) is the same clock for a caller that reads the
tags of module dicts and class namespaces only (the guard's skip of
untouched modules and classes): the
instance check is left out, and a module's dict must move instead when
the module's attribute is set and when a function of it rebinds a global
(64 times, the interpreter's specialized stores too).  So 3.13 has it.
"""

import sys

# ob_refcnt, ob_type, ma_used: ma_version_tag follows, on a 64-bit
# release build of 3.11-3.13.
_OFFSET = 24


class _Probe:
    pass


def _why_not():
    if sys.implementation.name != "cpython":
        return "not CPython"
    if not (3, 11) <= sys.version_info[:2] <= (3, 13):
        return "CPython %d.%d: the dict clock is read on 3.11-3.13 only" % sys.version_info[:2]
    if hasattr(sys, "gettotalrefcount"):
        return "a debug build"
    gil = getattr(sys, "_is_gil_enabled", None)
    if gil is not None and not gil():
        return "a free-threaded build"
    # a free-threaded build's ABI flags hold "t" (3.13+).  Not sysconfig's
    # Py_GIL_DISABLED: its first get_config_var reads HOME and
    # PYTHONUSERBASE, a dependency of every test that ftrace itself made
    if "t" in getattr(sys, "abiflags", ""):
        return "a free-threaded build"
    if sys.maxsize != 2 ** 63 - 1:
        return "not a 64-bit build"
    return None


def reader(instances=True):
    """(tag, None), or (None, why): see the module's docstring."""
    why = _why_not()
    if why is not None:
        return None, why
    try:
        import ctypes
        u64 = ctypes.c_uint64.from_address
        used = ctypes.c_ssize_t.from_address

        def tag(d, u64=u64, id=id):
            return u64(id(d) + _OFFSET).value

        a, b = {}, {}
        t0 = tag(a)
        a[0] = 0
        t1 = tag(a)
        b[0] = 0
        t2 = tag(b)
        a[1] = 1
        t3 = tag(a)
        # ma_used, just before the tag, is the length: the layout is the
        # one assumed
        if used(id(a) + _OFFSET - 8).value != 2 or used(id(b) + _OFFSET - 8).value != 1:
            return None, "the dict layout is not the one expected"
        if not t0 < t1 < t2 < t3:
            return None, "dict versions do not grow with each write"
        if not _classes_move(tag, t3):
            return None, "a write to a class's namespace does not move its dict's version"
        if not instances:
            return _modules_move(tag, t3)
        # An instance's attribute set through the object, once its
        # __dict__ exists (the guard reads it): 3.13 writes the object's
        # inline values and leaves the tag of that dict alone.
        # (64 times: the interpreter's specialized stores too)
        last = t3
        for i in range(64):
            obj = _Probe()
            obj.y = i
            d = obj.__dict__
            t4 = tag(d)
            obj.x = i
            obj.y = -i - 1
            if not last < t4 < tag(d):
                return None, "an instance's attribute write does not move its __dict__'s version"
            last = tag(d)
        return tag, None
    except Exception as e:
        return None, "no ctypes: %r" % (e,)


class _Cls:
    pass


def _classes_move(tag, last):
    """Does every write to a class's attributes through the class (set,
    rebind, delete; 64 times: the interpreter's specialized stores too)
    move the tag of the class's namespace (the dict under its
    mappingproxy)?  The guard keeps a class namespace's digest while its
    tag stays (ftrace_pyleak, _tagged)."""
    import gc
    d = [x for x in gc.get_referents(_Cls.__dict__) if type(x) is dict]
    if len(d) != 1:
        return False
    d = d[0]
    last = max(last, tag(d))   # (the class was made before the probe's dicts)
    _Cls.w = 0
    for i in range(64):
        _Cls.x = i
        t2 = tag(d)
        setattr(_Cls, "y", i)
        t3 = tag(d)
        del _Cls.x
        t4 = tag(d)
        if not last < t2 < t3 < t4:
            return False
        last = t4
    del _Cls.y
    del _Cls.w
    return last < tag(d)


def _modules_move(tag, last):
    """(tag, None) if a module's dict moves on each write to its globals,
    through the module object and through a function's STORE_GLOBAL."""
    import types
    mod = types.ModuleType("_ftrace_pyclock_probe")
    d = mod.__dict__
    exec("def bump():\n    global n\n    n = n + 1\n", d)
    mod.n = 0
    if not last < tag(d):
        return None, "a write to a module's globals does not move its dict's version"
    for i in range(64):
        t = tag(d)
        d["bump"]()
        t2 = tag(d)
        mod.x = i
        if not t < t2 < tag(d) or d["n"] != i + 1:
            return None, "a write to a module's globals does not move its dict's version"
    return tag, None
