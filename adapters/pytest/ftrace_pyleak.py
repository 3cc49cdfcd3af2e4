"""ftrace_pyleak - did a test leave state behind in the project's modules?

Used by the function recorder (ftrace_pytest_funcs.py), and at file
granularity by the plugin itself (ftrace_pytest.py), through Watch: the
marks at a test's boundaries and the tests found leaky.  Pure Python,
standard library only.  docs/python-functions.md, "State a test
leaves behind", has the rules; in short:

- Guard.mark() takes a *snapshot* and says whether it differs from the
  one the last mark() took.  The recorder marks before a test's protocol
  and after it (teardown included), and counts what a test that changed
  the snapshot ran as shared (every test's): a later test may read what it
  left, and so depend on code it never ran.
- A snapshot is the identity (id()) of every object reachable from the
  globals of the project's modules to a bounded depth, along the edges
  that hold state: a module's globals; the items of a list, dict, set or
  deque; the attributes (`__dict__`) of an instance of a project class;
  the namespace of a project class.  The values of the shared fixtures
  set up so far count as globals.  Plus os.environ and sys.path, by value,
  and the state of the standard library that code commonly changes for the
  whole process (_outside(): logging's loggers, warnings' filters, the
  import hooks, builtins, the working directory, the locale, ...).  The
  caller's `owns(path)` says which modules are the project's.
- When a mark finds a change in dict holders only (instances' and
  containers' dicts, the modules' globals), and the guard was given
  ftrace_pyclock's tag(), `last_write` is the clock value of the last
  write to them: the largest tag among those holders.  The recorder then
  shares only what the test first ran before it.  Any other change (or
  a holder of another kind reached since): None.
- When a mark finds a change in the project's lru_cache wrappers only,
  `lru_changed` names them; Watch then records which targets called them
  (`lru_used`), and the recorder shares the test's code with those only
  (docs/python-functions.md, "An lru_cache a test filled").
- What is not a change: a submodule bound in its package's namespace by
  an import (a lazy import is not state a test leaves: the module's own
  code runs for whoever imports it, see ftrace_pytest_imports), a module
  imported since the last mark, and the `__warningregistry__` the warnings
  module adds to a module.  A module whose import has not ended (its body
  has not run, or runs: _importing) joins the plan once it has: what its
  body binds in it is its definition (ftrace_pycollect marks while
  pytest imports test modules, between the imports of their modules).
  The empty parent packages pytest's importmode=importlib makes are no
  fake modules (_is_fake).
- Fast: a *plan*, the holders (namespaces and containers) found by a walk
  of the modules, is kept while nothing changes, and a snapshot of it is
  a digest per holder by _ftrace_snap (C, the stable ABI: CPython 3.10+),
  else C-level maps of id() over each kind of holder.  After a change or a
  new module, the walk goes on from what was added (_extend), or runs
  again when something was replaced or removed.  The plan holds references to the
  holders (modules, namespaces, containers), never to other objects.
- Never runs the project's code: namespaces are read through the
  descriptors of `type` and `object`, items through the methods of the
  built-in types, never through a method a subclass may define.

Not seen (a test counts as leaving nothing): a change deeper than the
bound (DEPTH), in an object with __slots__ or a C-level object (the cell
of a closure that is not a project function's; but a project function's
cells, defaults and keyword defaults are followed, and an lru_cache
wrapper that a module's globals or a project class hold is compared by
the results it computed),
in a container of more than BIG items but for its length, beyond the
first FANOUT items of a container, in a module outside the project but
for what _outside() reads (a third-party registry, the codec registry,
the random module's generator), and a value replaced by another object
that got the freed one's address.
"""

import _thread
import collections
import functools
import gc
import importlib.machinery
import itertools
import os
import sys
import types
import weakref

# Depth below a module's globals: 1, a global's items or attributes; 2,
# theirs.  A module-level instance's dict attribute (REG._items) is at 1,
# what that dict holds at 2.
DEPTH = 2
BIG = 10000          # larger containers: their length only
FANOUT = 64          # items of one container followed further

_Module = types.ModuleType
_ModuleSpec = importlib.machinery.ModuleSpec
_Proxy = types.MappingProxyType
_Function = types.FunctionType
_fclosure = types.FunctionType.__dict__["__closure__"].__get__
_fdefaults = types.FunctionType.__dict__["__defaults__"].__get__
_fkwdefaults = types.FunctionType.__dict__["__kwdefaults__"].__get__
_fmodule = types.FunctionType.__dict__["__module__"].__get__
_Cell = types.CellType
_mdict = types.ModuleType.__dict__["__dict__"].__get__
_tdict = type.__dict__["__dict__"].__get__
_mro = type.__dict__["__mro__"].__get__
_deque = collections.deque
_IGNORED = frozenset(("__warningregistry__",))
# builtins' namespace, which a module's `__builtins__` holds: its names and
# what each one is are _outside()'s to compare (_walk)
_BUILTINS_DICT = _mdict(sys.modules["builtins"])
_PER_TEST = (b"FTRACE_TEST_ID", b"FTRACE__OWNER", b"PYTEST_CURRENT_TEST")
_repeat = itertools.repeat
_referents = gc.get_referents
# functools.lru_cache's and functools.cache's wrapper (C), or None: its
# cache is C-level state, compared by the count of results it computed
_Lru = getattr(functools, "_lru_cache_wrapper", None)
_Lru = _Lru if type(_Lru) is type else None


_chain = itertools.chain.from_iterable

# The built-in containers followed: kind -> (its length, what it holds
# that is followed further, or None), read through the built-in type's
# own methods, whatever a subclass defines.
_CONTAINERS = {
    dict: (dict.__len__, dict.values),
    list: (list.__len__, list.__iter__),
    set: (set.__len__, None),
    _deque: (_deque.__len__, None),
}


def _container(tp):
    for kind in _CONTAINERS:
        if issubclass(tp, kind):
            return kind
    return None


def _length(v):
    return _CONTAINERS[_container(type(v))][0](v)


# The kinds whose _ids() is (the ids of all items, the lengths), flat.
_FLAT = (dict, _Proxy, list, _deque)

# _ftrace_snap (C, built once against the stable ABI: every CPython 3.10+
# loads it): a digest per holder instead of an id() per item, for these
# kinds; None: id()s.  Not asked in a build with Py_TRACE_REFS
# (sys.getobjects), whose object header is not the stable ABI's.
try:
    if hasattr(sys, "getobjects"):
        raise ImportError("Py_TRACE_REFS")
    import _ftrace_snap
    _NATIVE = {dict: _ftrace_snap.KIND_DICT, _Proxy: _ftrace_snap.KIND_PROXY,
               list: _ftrace_snap.KIND_LIST, set: _ftrace_snap.KIND_SET}
    if hasattr(_ftrace_snap, "KIND_CELL"):   # (its cells check passed)
        _NATIVE["cell"] = _ftrace_snap.KIND_CELL
    from ftrace_pyclock import _OFFSET as _CLOCK_OFFSET   # for tagged()
    _TAGGED = hasattr(_ftrace_snap, "tagged")
except Exception:   # not built, or refused here (an interpreter before 3.10)
    _ftrace_snap = _NATIVE = None
    _TAGGED = False


def _annotations_made(h, n):
    """Has the class namespace `h` (a mappingproxy) n + 1 items, the last
    `__annotations__`, an empty dict: what a read of the class's
    `__annotations__` makes (Guard._annotations_only)?"""
    if _Proxy.__len__(h) != n + 1:
        return False
    last = None
    for last in _Proxy.keys(h):
        pass
    if type(last) is not str or last != "__annotations__":
        return False
    v = _Proxy.__getitem__(h, last)
    return type(v) is dict and not dict.__len__(v)


def _ids(kind, holders, native=True):
    """_ids_of() the holders of one kind: by _ftrace_snap where it is
    built for this interpreter (and `native`), a bytes object of a length
    and a digest per holder; else in Python, by id()."""
    if native and _NATIVE is not None and kind in _NATIVE:
        return _ftrace_snap.digests(_NATIVE[kind], holders)
    return _ids_py(kind, holders)


def _concat(kind, part, more):
    """A snapshot's part for `kind` (_ids() of a plan's holders) followed
    by `more`, _ids() of holders the plan gained at its end."""
    if type(more) is tuple and kind in _FLAT:
        return (part[0] + more[0], part[1] + more[1])
    return part + more


def _ids_py(kind, holders):
    """The ids of what the holders of one kind hold, in one tuple, and
    their lengths, all at C level."""
    if kind is dict:
        return (tuple(map(id, _chain(map(dict.values, holders)))),
                tuple(map(dict.__len__, holders)))
    if kind is _Proxy:
        return (tuple(map(id, _chain(map(_Proxy.values, holders)))),
                tuple(map(_Proxy.__len__, holders)))
    if kind is list:
        return (tuple(map(id, _chain(map(list.__iter__, holders)))),
                tuple(map(list.__len__, holders)))
    if kind is set:
        return tuple(map(frozenset, map(map, _repeat(id), map(set.__iter__, holders))))
    if kind is _deque:
        return (tuple(map(id, _chain(map(_deque.__iter__, holders)))),
                tuple(map(_deque.__len__, holders)))
    if kind == "lru":
        return tuple(map(_lru_misses, holders))
    if kind == "weak":
        return tuple(map(_weak_ids, holders))
    if kind == "cell":
        # at C level: a cell's traversal visits what it holds and nothing
        # else, so one referent a cell unless one is empty (then by cell)
        got = _referents(*holders)
        if len(got) == len(holders):
            return tuple(map(id, got))
        return tuple(map(_cell_id, holders))
    return tuple(map(_length, holders))    # "big"


_getrefcount = sys.getrefcount
_WeakKeys = weakref.WeakKeyDictionary


def _weak_public(w):
    """The keys and values of the WeakKeyDictionary `w` that a later test
    can look up: not an entry whose key is held by nothing but its own
    value (directly or through the value's own attribute dict), and whose
    value is held by nothing but the dictionary.  A later test holds no
    such key, so only iterating the dictionary would see the entry (click's
    _compat caches each stream CliRunner makes under itself, and every
    test that invoked a command was leaky: its entry lives on, as the value
    keeps its key).  Counted by reference counts, not by a walk of the
    heap: an object's holders besides this frame's names (k, v, r) and the
    argument of getrefcount."""
    out = []
    d = _idict_plain(w)
    data = d.get("data") if d is not None else None
    if type(data) is not dict:
        return None
    for wr in list(data):
        k = wr() if type(wr) is weakref.ref or isinstance(wr, weakref.ref) else None
        if k is None:
            continue
        v = dict.get(data, wr)
        if v is k:
            if _getrefcount(k) - 3 == 1:   # the value slot alone
                continue
        elif _getrefcount(v) - 2 == 1:     # the value slot alone
            m = 0
            for r in _referents(v):
                if r is k:
                    m += 1
                elif type(r) is dict and _getrefcount(r) <= 3:   # v's own dict
                    m += sum(1 for x in dict.values(r) if x is k)
            r = None
            if m and _getrefcount(k) - 2 == m:
                continue
        out.append(k)
        out.append(v)
    return out


def _weak_ids(w):
    got = _weak_public(w)
    return None if got is None else tuple(map(id, got))


def _method_func(tp, m):
    """The function a staticmethod or classmethod wraps, through the
    type's own descriptor; None if it cannot be read."""
    try:
        return tp.__dict__["__func__"].__get__(m)
    except Exception:
        return None


def _cell_id(c):
    """The identity of what a closure's cell holds; 0 when it is empty."""
    try:
        return id(_Cell.cell_contents.__get__(c))
    except ValueError:
        return 0


def _lru_info(w):
    """An lru_cache wrapper's (hits, misses, maxsize, currsize), read
    through the C type's own method; None if it cannot be read."""
    try:
        return _Lru.cache_info(w)
    except Exception:
        return None


def _lru_misses(w):
    """How many results an lru_cache wrapper computed (each one is stored,
    unless maxsize is 0), and its size: a test that made it compute one
    left it in the cache for the tests after it; cache_clear() shows as
    a smaller size."""
    info = _lru_info(w)
    return None if info is None else (info[1], info[3])


def _lru_calls(w):
    """How many calls an lru_cache wrapper answered, hits and misses: each
    call moves one of them (cache_clear() puts both back to 0).  None if
    it cannot be read."""
    info = _lru_info(w)
    return None if info is None else info[0] + info[1]


# Standard library containers that code changes for every later test:
# (module, attribute) -> compared by the identity of what they hold, when
# the module is loaded.  (The warnings filters pytest puts back after each
# test; the import hooks the project installs; copyreg's pickling table.
# Not mimetypes' tables: its first use replaces them, the same for anyone.)
_TABLES = (("warnings", "filters"), ("sys", "meta_path"), ("sys", "path_hooks"),
           ("copyreg", "dispatch_table"))
_UNLOADED = ("not loaded",)   # by identity: what _outside() says of a module not loaded
# builtins' names that running code sets as a side effect: `_`, the last
# expression's value (doctest examples, through sys.__displayhook__)
_BUILTINS_IGNORED = frozenset(("_",))
# The root logger as logging makes it (level WARNING, disabled, propagate,
# handlers, filters).
_ROOT_DEFAULT = (30, False, True, (), ())


def _dict_getter(tp):
    """The getter of tp's instances' __dict__, the standard descriptor's,
    or None (no dict, or a class that defines its own `__dict__`)."""
    for c in _mro(tp):
        ns = _tdict(c)
        if "__dict__" in ns:
            desc = ns["__dict__"]
            return desc.__get__ if type(desc).__name__ == "getset_descriptor" else None
    return None


# The standard library's plain attribute holders: a project module's
# `CONFIG = SimpleNamespace()`, `_local = threading.local()` (click's
# context stack), `ARGS = argparse.Namespace()`, a ChainMap, a Queue, a
# WeakKeyDictionary cache (click's `_compat` keeps its streams in one,
# under its `data` dict), a WeakValueDictionary, a WeakSet hold
# their state in their instance dict as a project class's instance does
# (docs/python-functions.md, "State a test leaves behind").  Exact types
# only: none runs code of its own when its dict is read.  The first two
# keep it behind a member, not the standard getset (_PLAIN_VARS: read
# with vars(); a local's is the calling thread's, the one the marks run in).
_PLAIN_VARS = frozenset((types.SimpleNamespace, _thread._local))


def _plain_holders():
    got = set(_PLAIN_VARS)
    got.add(collections.ChainMap)
    for mod, name in (("argparse", "Namespace"), ("queue", "Queue"), ("queue", "LifoQueue"),
                      ("queue", "PriorityQueue"), ("weakref", "WeakKeyDictionary"),
                      ("weakref", "WeakValueDictionary"), ("_weakrefset", "WeakSet")):
        m = sys.modules.get(mod)
        tp = getattr(m, name, None) if m is not None else None
        if isinstance(tp, type):   # (the weak containers' is ABCMeta)
            got.add(tp)
    return got


def _plain_vars(v):
    try:
        d = vars(v)
    except Exception:
        return None
    return d if type(d) is dict else None


def _idict_plain(v):
    """v's instance dict through the standard descriptor, or None: never a
    subclass's `__dict__` (a logger may be a project class)."""
    try:
        get = _dict_getter(type(v))
        d = get(v) if get is not None else None
    except Exception:
        return None
    return d if type(d) is dict else None


def _mods_now():
    """sys.modules' size and last name: an import adds a name at its end."""
    m = sys.modules
    try:
        return len(m), next(reversed(m), None)
    except Exception:
        return None


def _ids_of(seq):
    if type(seq) is list:
        return tuple(map(id, list.__iter__(seq)))
    if type(seq) is dict:
        return (tuple(map(id, dict.values(seq))), dict.__len__(seq))
    return None


def _loggers(mods):
    """{name: (level, disabled, propagate, handler ids, filter ids)} of
    every logger logging made (root: ""), plus the manager's disable
    level; {} without logging."""
    lg = mods.get("logging")
    if lg is None or not issubclass(type(lg), _Module):
        return {}
    try:
        d = _mdict(lg)
        logger_t = d.get("Logger")
        root = d.get("root")
        mgr = _tdict(logger_t).get("manager") if issubclass(type(logger_t), type) else None
        md = _idict_plain(mgr) if mgr is not None else None
        out = {}
        if md is not None:
            out[None] = md.get("_disable", md.get("disable"))   # a property since 3.7
            table = md.get("loggerDict")
            items = list(dict.items(table)) if type(table) is dict else []
        else:
            items = []
        for name, x in [("", root)] + items:
            if not isinstance(x, logger_t):
                continue        # a PlaceHolder
            xd = _idict_plain(x)
            if xd is None:
                continue
            out[name] = (xd.get("level"), xd.get("disabled"), xd.get("propagate"),
                         _ids_of(xd.get("handlers")), _ids_of(xd.get("filters")))
        return out
    except Exception:
        return {}


def _loggers_same(a, b):
    """Did no logger change?  A logger made since (or logging imported
    since) is no change while it has no handler and no filter: a
    getLogger() call leaves nothing another test sees, and a test's own
    logger (click's tests set levels on loggers named after the test) is
    that test's.  The root logger and the manager are compared to what
    logging makes."""
    if a == b:
        return True
    for name, st in b.items():
        if name in a:
            if st != a[name]:
                return False
        elif name is None:
            if st != 0:
                return False
        elif name == "":
            if st != _ROOT_DEFAULT:
                return False
        elif st[3] not in ((), None) or st[4] not in ((), None):
            return False
    return all(name in b for name in a)


def _outside(tag=None):
    """What the standard library holds for the whole process and code
    commonly changes, as one tuple (with _loggers()); _UNLOADED where a
    module is not loaded (see _outside_same).  `tag`: ftrace_pyclock's
    tag(dict), or None (see _fakes)."""
    mods = sys.modules
    out = []
    for mod, attr in _TABLES:
        m = mods.get(mod)
        out.append(_ids_of(_mdict(m).get(attr)) if m is not None and issubclass(type(m), _Module)
                   else _UNLOADED)
    b = mods.get("builtins")
    if b is not None:
        g = _mdict(b)
        if not _BUILTINS_IGNORED.isdisjoint(g):
            g = dict(g)
            for k in _BUILTINS_IGNORED:
                g.pop(k, None)
        # names and identities, at C level (a mark per test)
        out.append((tuple(g), tuple(map(id, dict.values(g)))))
    try:
        out.append(os.getcwd())
    except OSError as e:
        out.append(e.errno)
    loc = mods.get("_locale")
    try:
        out.append(loc.setlocale(loc.LC_ALL) if loc is not None else _UNLOADED)
    except Exception:
        out.append(_UNLOADED)
    out.append(sys.getrecursionlimit())
    sock = mods.get("_socket")
    try:
        out.append(sock.getdefaulttimeout() if sock is not None else _UNLOADED)
    except Exception:
        out.append(_UNLOADED)
    dec = mods.get("decimal")
    try:
        ctx = dec.getcontext() if dec is not None else None
        out.append(_UNLOADED if ctx is None else
                   (id(ctx), ctx.prec, ctx.rounding, ctx.Emin, ctx.Emax, ctx.capitals, ctx.clamp))
    except Exception:
        out.append(_UNLOADED)
    argv = sys.argv
    out.append(tuple(argv) if type(argv) is list else id(argv))
    out.append(_umask())
    out.append(_context_vars(mods))
    out.append(_fakes(tag))
    return tuple(out)


# [descriptor of /proc/self/status, the pid that opened it, its fstat's
#  (st_dev, st_ino)]: kept open, read again from offset 0 at each mark
_STATUS = [None, None, None]


def _status_fd():
    """_STATUS's descriptor, opened again where this is another process
    (a fork: the child's /proc/self is not the parent's) or where the
    number now names another file (a test closed it, and the number was
    given to its own file)."""
    fd, pid, key = _STATUS
    if fd is not None and pid == os.getpid():
        try:
            st = os.fstat(fd)
            if (st.st_dev, st.st_ino) == key:
                return fd
        except OSError:
            pass
    fd = os.open("/proc/self/status", os.O_RDONLY | os.O_CLOEXEC)
    st = os.fstat(fd)
    _STATUS[:] = [fd, os.getpid(), (st.st_dev, st.st_ino)]
    return fd


def _umask():
    """The process's umask, read where reading does not set it (Linux's
    /proc/self/status; os.umask() would change it for a moment under
    another thread's feet): a test that set it and left it (a probe's
    escape: a later test's file modes) changed the process.  The file is
    made afresh by each read from its start (a seq_file), so one
    descriptor is kept: a pread() at each mark, no open() and close()."""
    try:
        data = os.pread(_status_fd(), 1024, 0)
        i = data.find(b"\nUmask:")
        j = data.find(b"\n", i + 7) if i >= 0 else -1
        if j > i:
            return data[i + 7:j].strip()
        with open("/proc/self/status", "rb") as f:   # not in its first KB
            for line in f:
                if line.startswith(b"Umask:"):
                    return line[6:].strip()
    except OSError:
        pass
    return _UNLOADED


def _context_vars(mods):
    """The context variables set in this thread's current context, and
    their values, by identity: a `ContextVar.set()` a test made and never
    reset (a locale, a request, a tenant kept in a module-level variable)
    is seen by every later test in that context (a probe's escape)."""
    cv = mods.get("_contextvars")
    if cv is None:
        return _UNLOADED
    try:
        return tuple(sorted((id(k), id(v)) for k, v in cv.copy_context().items()))
    except Exception:
        return _UNLOADED


def _differ(a, b, flat):
    """The indices of the holders whose parts differ between two parts of
    snapshots of one plan (_ids(): 16 bytes a holder; else, `flat`, the
    ids of all items and each holder's count; else a value a holder), or
    None if they are not of one plan."""
    if type(a) is bytes and type(b) is bytes:
        if len(a) != len(b):
            return None
        return [i for i in range(len(a) // 16) if a[16 * i:16 * i + 16] != b[16 * i:16 * i + 16]]
    if type(a) is not tuple or type(b) is not tuple:
        return None
    if not flat:
        return [i for i, (x, y) in enumerate(zip(a, b)) if x != y] if len(a) == len(b) else None
    if len(a) != 2 or len(b) != 2 or len(a[1]) != len(b[1]):
        return None
    (ia, la), (ib, lb) = a, b
    out = []
    oa = ob = 0
    for i, (na, nb) in enumerate(zip(la, lb)):
        if na != nb or ia[oa:oa + na] != ib[ob:ob + nb]:
            out.append(i)
        oa += na
        ob += nb
    return out


def _running():
    """The ids of the globals of the module bodies running in this thread:
    the frames of code named "<module>" on its stack."""
    out = set()
    f = sys._getframe(1)
    while f is not None:
        if f.f_code.co_name == "<module>":
            out.add(id(f.f_globals))
        f = f.f_back
    return out


def _importing(m, running):
    """Is module m's import in progress?  Its body has not run yet (no
    `__builtins__` in its namespace: the module is made and in sys.modules
    before its code is read), or is running now (`running`: _running()),
    or importlib marks its spec so (another thread's import).  pytest
    runs the body of a test module and of its packages itself, without
    importlib's mark.  Read without running code of the module's."""
    try:
        d = _mdict(m)
        if "__builtins__" not in d or id(d) in running:
            return True
        spec = d.get("__spec__")
        if type(spec) is not _ModuleSpec:
            return False
        sd = _idict_plain(spec)
        return sd is not None and sd.get("_initializing") is True
    except Exception:
        return False


def _is_fake(name, v):
    """Is sys.modules[name] = v no module an import found: None (an import
    of it raises), an object of another type (a Mock), or a module made by
    hand (no __spec__)?  A later import of `name` gets it.  Not the empty
    parent package that pytest's importmode=importlib makes for a test
    module in a directory no import finds (_pytest.pathlib's
    insert_missing_modules): pytest makes the same for every session
    that collects the module."""
    if v is None or not issubclass(type(v), _Module):
        return True
    try:
        d = _mdict(v)
        if d.get("__spec__") is not None or name == "__main__":
            return False
        doc = d.get("__doc__")
        return not (type(doc) is str and doc.startswith(_PYTEST_EMPTY))
    except Exception:
        return True


_PYTEST_EMPTY = "Empty module created by pytest's importmode=importlib"


# [the last digest of sys.modules' values, its fakes, {name: id(value)} then]
_FAKES = [None, (), {}]


def _fakes(tag=None):
    """The names in sys.modules that are no module an import found
    (_is_fake), with their identities: a test that left one (a module
    faked or blocked without putting it back) hands it to every later
    import.  Worked out again only when sys.modules' values changed, and
    then only for the names whose value is new since the last look
    (importlib moves each module it finishes to the end of sys.modules,
    so what changed is found by name, not by position).  With `tag`
    (ftrace_pyclock: every write to a dict moves its tag), a dict whose
    tag has not moved holds the same values: the tag is the key."""
    mods = sys.modules
    try:
        if tag is not None and type(mods) is dict:
            key = ("tag", id(mods), tag(mods))
        else:
            key = _ids(dict, [mods]) if _NATIVE is not None else (len(mods), tuple(map(id, mods.values())))
    except Exception:
        key = None
    if key is not None and key == _FAKES[0]:
        return _FAKES[1]
    try:
        cur = dict(zip(list(mods), map(id, list(mods.values()))))
        if len(cur) != len(mods):
            raise RuntimeError("sys.modules changed while read")
    except Exception:
        cur = None
    if cur is None:
        out = tuple(sorted((n, id(v)) for n, v in list(mods.items())
                           if type(n) is str and _is_fake(n, v)))
        seen = {}
    else:
        # a fake whose name still holds the same object stays one; each
        # name bound to another object (or new) is judged again
        kept = [(n, i) for n, i in _FAKES[1] if cur.get(n) == i]
        new = cur.items() - _FAKES[2].items()
        got = []
        for n, i in new:
            v = mods.get(n, _UNLOADED) if type(n) is str else _UNLOADED
            if v is not _UNLOADED and id(v) == i and _is_fake(n, v):
                got.append((n, i))
        out = tuple(sorted(kept + got)) if got else tuple(kept)
        seen = cur
    _FAKES[0], _FAKES[1], _FAKES[2] = key, out, seen
    return out


def _outside_same(a, b):
    """Two _outside() tuples: the same, but for a module loaded since
    (_UNLOADED before), which had no state to change."""
    return a == b or all(x is _UNLOADED or x == y for x, y in zip(a, b))


class Guard:
    def __init__(self, owns, tag=None, versions=None, native=True, dicts=None):
        self._owns = owns             # owns(absolute path): a project file?
        self._native = native and _NATIVE is not None   # _ftrace_snap's digests
        # ftrace_pyclock's tag(dict) with its instance check (reader()):
        # a dict holder whose tag has not moved since the last snapshot
        # keeps its digest (_tagged); None: every dict is digested at
        # every snapshot
        self._dclock = dicts if self._native else None
        self._tag = tag               # ftrace_pyclock's tag(dict), or None
        # ftrace_pyclock's tag(dict) too, only to skip the modules' globals
        # that no write touched (_mods_ids); None: map them every time
        self._versions = versions if versions is not None else tag
        self._mods_tags = None        # their tags at the last _mods_ids()
        self._mods_last = None        # and what it returned
        # _ftrace_snap.tagged()'s last answer per list of holders (_tagged):
        # key -> (the list, (digests, tags))
        self._tlast = {}
        self.last_write = None        # see mark()
        self.lru_changed = None       # see mark()
        self._nmods = -1              # len(sys.modules) when the plan was made
        self._partial = ()            # the plan's: (name, module) left out as still importing
        self._scan = None             # the plan's: the names in sys.modules at its last look
        self._found = ()              # the last _modules() call's
        self._found_at = None         # ... and its names
        self._mods = []               # [(name, module)] of the project
        self._names = frozenset()     # their names
        self._idict = {}              # type -> its instances' __dict__ getter, or None
        self._plan = None             # {kind: [holder]}
        self._others = set()          # ids of its holders but dicts (a class's, not its proxy's)
        self._globals = []            # [(name, names, ids)] of the modules' globals, at the plan
        self._gtags = []              # ... and the _versions tag of each then (None: no clock)
        self._snap = None             # the last snapshot of the plan
        self._fixtures = []           # pytest FixtureDefs of shared fixtures set up
        self._values = ()             # ids of their values, at the plan
        self._held = frozenset()      # ... of those whose walk added a holder to it
        self._depth = {}              # id(holder of the plan) -> the depth it was walked at
        self._parents = {}            # id(holder of the plan) -> what reached it (_walk)
        self._shown = {}              # id(a class's dict) -> id(the plan's proxy of it)
        self.owners_changed = None    # see mark()
        self._skipped = set()         # __module__ of what the walks left out as foreign
        self._full = 0                # holders of the plan at its last whole walk
        self._grown = 0               # holders _extend() added since
        self._owned = {}              # a module's __file__ -> owns() of it
        self._plain = frozenset()     # _plain_holders(), at each walk's start
        self.pending = []             # baseline()'s marks: (changed, last_write,
                                      # lru_changed, env_changed, process_changed)

    # ------------------------------------------------------------- plan

    def _modules(self, items=None):
        """The project's modules in sys.modules (or among `items`, (name,
        module) pairs), sorted by name, but those whose import has not
        ended (_importing); those are in `_found` ((name, module) pairs),
        the plan keeps them as `_partial`, and they join it once their
        import has ended (_came): what a body binds in its own module is
        its definition, not state left.  `_found_at`: the names in
        sys.modules when the look began (_since)."""
        mods = []
        partial = []
        owned = self._owned
        running = _running()
        found_at = set(sys.modules)
        for name, m in (list(sys.modules.items()) if items is None else items):
            if not issubclass(type(m), _Module):
                continue
            try:
                f = _mdict(m).get("__file__")
            except Exception:
                continue
            if type(f) is not str or not f.endswith(".py"):
                continue
            own = owned.get(f)
            if own is None:
                own = bool(self._owns(os.path.abspath(f)))
                if os.path.isabs(f):   # (a relative one depends on the directory)
                    owned[f] = own
            if own:
                if _importing(m, running):
                    partial.append((name, m))
                else:
                    mods.append((name, m))
        mods.sort(key=lambda e: e[0])
        self._found = tuple(partial)
        self._found_at = found_at
        return mods

    def _since(self):
        """The (name, module) pairs of the names that came into sys.modules
        since the plan's last look (_scan), or None if it has had none.
        (A name that went and came back under it is the caller's to
        check.)"""
        known = self._scan
        if known is None:
            return None
        mods = sys.modules
        return [(n, mods[n]) for n in mods.keys() - known if n in mods]

    def _came(self):
        """Has a module come or gone since the plan's modules were found,
        or has the import of one left out as partial ended?"""
        if len(sys.modules) != self._nmods:
            return True
        if not self._partial:
            return False
        running = _running()
        return any(not _importing(m, running) for _, m in self._partial)

    def _project_type(self, tp):
        try:
            m = _tdict(tp).get("__module__")
        except Exception:
            return False
        if m in self._names:
            return True
        if type(m) is str:
            self._skipped.add(m)
        return False

    def _instance_dict(self, v, tp):
        """v's __dict__ through the standard descriptor, or None (no dict,
        or a class that defines its own `__dict__`)."""
        get = self._idict.get(tp, False)
        if get is False:
            get = self._idict[tp] = _dict_getter(tp)
        if get is None:
            return None
        d = get(v)
        return d if type(d) is dict else None

    def _walk(self, v, depth, plan, seen, parent=None):
        """Add v's holders to `plan`, and theirs to `depth` more levels.
        `parent`: what reached v, for owners(): the id() of a holder of
        the plan, a module's name (its globals), or None (a shared
        fixture's value)."""
        if id(v) in seen:
            got = self._parents.get(id(v))
            if got is not None and parent not in got:
                got.append(parent)
            return
        if v is _BUILTINS_DICT:
            # Not a holder of the plan: _outside() compares its names and
            # what each is, but for `_` (the last expression's value,
            # which doctest's displayhook sets in every example: each
            # doctest left state behind, and everything it ran was
            # shared, t9061).  What they hold is followed as a dict's.
            seen.add(id(v))
            if depth:
                kids = [(x, parent) for k, x in list(dict.items(v)) if k not in _BUILTINS_IGNORED]
                for x, p in itertools.islice(kids, FANOUT):
                    self._walk(x, depth - 1, plan, seen, p)
            return
        tp = type(v)
        kind = _container(tp)
        if kind is not None:
            seen.add(id(v))
            length, items = _CONTAINERS[kind]
            self._parents[id(v)] = [parent]
            if length(v) > BIG:
                plan["big"].append(v)
                self._others.add(id(v))
                return
            plan[kind].append(v)
            self._depth[id(v)] = depth
            if kind is not dict:
                self._others.add(id(v))
            if items is None:
                return
            kids = zip(items(v), _repeat(id(v)))
        elif tp is staticmethod or tp is classmethod:
            # a method in a class: what it wraps
            f = _method_func(tp, v)
            if f is not None:
                self._walk(f, depth, plan, seen, parent)
            return
        elif tp is _Lru and _Lru is not None:
            # a cached function of the project's namespaces (a module's
            # global, a method in a class): its results are state
            seen.add(id(v))
            plan["lru"].append(v)
            self._parents[id(v)] = [parent]
            self._others.add(id(v))
            return
        elif tp is _Function:
            # a function of the project's: what its closure's cells and its
            # default values hold is state (a memoizing decorator's dict,
            # `def load(_cache={})`); a cell is compared by what it holds
            # (`nonlocal x; x = ...` replaces it)
            m = _fmodule(v)
            if type(m) is not str or m not in self._names:
                if type(m) is str:
                    self._skipped.add(m)
                return
            seen.add(id(v))
            kids = []
            for c in _fclosure(v) or ():
                if id(c) not in seen:
                    seen.add(id(c))
                    plan["cell"].append(c)
                    self._parents[id(c)] = [parent]
                    self._depth[id(c)] = depth
                    self._others.add(id(c))
                    try:
                        kids.append((_Cell.cell_contents.__get__(c), id(c)))
                    except ValueError:
                        pass
                else:
                    got = self._parents.get(id(c))
                    if got is not None and parent not in got:
                        got.append(parent)
            kids.extend((x, parent) for x in _fdefaults(v) or ())
            kw = _fkwdefaults(v)
            if type(kw) is dict:
                kids.extend((x, parent) for x in dict.values(kw))
            if not depth:
                return
        elif issubclass(tp, type):
            if not self._project_type(v):
                return
            seen.add(id(v))
            ns = _tdict(v)
            # (each _tdict() is a new proxy: the dict it shows, which the
            # plan's proxy keeps alive, says which class it is)
            shown = id((_referents(ns) or [v])[0])
            if shown in seen:
                got = self._parents.get(self._shown.get(shown))
                if got is not None and parent not in got:
                    got.append(parent)
                return
            seen.add(shown)
            plan[_Proxy].append(ns)
            self._parents[id(ns)] = [parent]
            self._shown[shown] = id(ns)
            self._depth[id(ns)] = depth
            self._others.add(shown)
            kids = [(x, id(ns)) for k, x in ns.items() if k[:2] != "__"]
        elif tp is _WeakKeys:
            # a cache by object: its entries a later test can look up
            # (_weak_public), compared by identity, and followed
            seen.add(id(v))
            plan["weak"].append(v)
            self._parents[id(v)] = [parent]
            self._depth[id(v)] = depth
            self._others.add(id(v))
            got = _weak_public(v)
            kids = zip(got[1::2] if got else (), _repeat(id(v)))
        elif self._project_type(tp) or tp in self._plain:
            d = self._instance_dict(v, tp) if tp not in _PLAIN_VARS else _plain_vars(v)
            if d is None:
                return
            if id(d) in seen:
                got = self._parents.get(id(d))
                if got is not None and parent not in got:
                    got.append(parent)
                return
            seen.add(id(v))
            seen.add(id(d))
            plan[dict].append(d)
            # (the instance stands for its dict: reached again, by id)
            self._parents[id(d)] = self._parents[id(v)] = [parent]
            self._depth[id(d)] = depth
            kids = zip(dict.values(d), _repeat(id(d)))
        else:
            return
        if depth:
            for x, p in itertools.islice(kids, FANOUT):
                self._walk(x, depth - 1, plan, seen, p)

    def owners(self, holders, mods):
        """The names of the project's modules from whose globals one of
        `holders` (of the plan) is reached, or whose globals are among
        `mods` (indices into the plan's modules), along the walks' ways;
        None when one is reached from a shared fixture's value, or its
        ways are not known (a test reaches those other than through a
        module)."""
        out = {self._mods[i][0] for i in mods}
        todo = [id(h) for h in holders]
        done = set()
        parents = self._parents
        while todo:
            h = todo.pop()
            if h in done:
                continue
            done.add(h)
            ps = parents.get(h)
            if not ps:
                return None
            for p in ps:
                if p is None:
                    return None
                if type(p) is str:
                    out.add(p)
                else:
                    todo.append(p)
        return out

    def _changed_all(self, kind, a, b):
        """The holders of `kind` whose snapshot parts differ between `a`
        and `b` (of one plan), whatever changed in them; None if that
        cannot be told."""
        idx = _differ(a, b, kind in _FLAT)
        if idx is None:
            return None
        holders = self._plan[kind]
        return [holders[i] for i in idx]

    def _owners_of_change(self, a, b):
        """owners() of what differs between two snapshots of the plan's
        project part, or None."""
        holders = []
        for kind in self._plan:
            if a[kind] != b[kind]:
                got = self._changed_all(kind, a[kind], b[kind])
                if got is None:
                    return None
                holders.extend(got)
        mods = []
        if a["mods"] != b["mods"]:
            mods = self._changed_mods(a["mods"], b["mods"])
            if mods is None:
                return None
            # (a submodule an import bound in its package: no change)
            mods = [i for i in mods if not self._same_module(i)]
        if not holders and not mods:
            return None
        return self.owners(holders, mods)

    def _changed_mods(self, a, b):
        """Indices of the plan's modules whose globals differ between the
        "mods" parts of two snapshots of one plan, or None."""
        return _differ(a, b, True)

    def fixture(self, fixturedef):
        """A fixture shared between tests (session, package, module or
        class scope) was set up: its value is state like a module's
        globals, from the next mark on."""
        if fixturedef not in self._fixtures:
            self._fixtures.append(fixturedef)

    def _fixture_values(self):
        return [v for v, _ in self._fixture_items()]

    def _fixture_items(self):
        """(value, owner) of each shared fixture set up: owner, the name
        of the module that defines its function (a test that can use the
        fixture has that module in its closure: a conftest that applies,
        its own module, a plugin every test has), or None."""
        out = []
        for fd in self._fixtures:
            r = getattr(fd, "cached_result", None)
            if r is not None:
                m = getattr(getattr(fd, "func", None), "__module__", None)
                out.append((r[0], m if type(m) is str else None))
        return out

    def _make_plan(self):
        self._plain = _plain_holders()
        self._mods = self._modules()
        self._partial, self._scan = self._found, self._found_at
        self._names = frozenset(n for n, _ in self._mods)
        self._nmods = len(sys.modules)
        plan = {dict: [], _Proxy: [], list: [], set: [], _deque: [], "big": [], "lru": [],
                "cell": [], "weak": []}
        seen = set()
        self._others = set()
        self._depth = {}
        self._parents = {}
        self._shown = {}
        self._skipped = set()
        self._globals = [(name, tuple(_mdict(m)), tuple(map(id, dict.values(_mdict(m)))))
                         for name, m in self._mods]
        self._gtags = self._tags_of(m for _, m in self._mods)
        for name, m in self._mods:
            g = _mdict(m)
            seen.add(id(g))
            for k, v in list(dict.items(g)):
                if k not in _IGNORED and not issubclass(type(v), _Module):
                    self._walk(v, DEPTH, plan, seen, name)
        values = self._fixture_items()
        self._held = self._walk_values(values, plan, seen)
        self._values = tuple(id(v) for v, _ in values)
        self._plan = plan
        self._gdicts = [_mdict(m) for _, m in self._mods]
        self._mods_tags = self._mods_last = None
        self._full = sum(map(len, plan.values()))
        self._grown = 0

    def _walk_values(self, items, plan, seen):
        """Walk the shared fixtures' values (_fixture_items()) into the
        plan: the ids of those whose walk added a holder to it."""
        held = set()
        for v, owner in items:
            n = sum(map(len, plan.values()))
            self._walk(v, DEPTH, plan, seen, owner)
            if sum(map(len, plan.values())) != n:
                held.add(id(v))
        return frozenset(held)

    # --------------------------------------------------------- snapshots

    def _snapshot(self):
        s = self._snapshot_project()
        s["outside"] = _outside(self._versions)
        s["loggers"] = _loggers(sys.modules)
        return s

    def _snapshot_project(self):
        s = {kind: self._part(kind, holders) for kind, holders in self._plan.items()}
        s["mods"] = self._mods_ids()
        # by value: monkeypatch.setenv puts back an equal value, not the
        # same object (and a deleted key comes back at the end); without
        # what ftrace and pytest set for each test
        env = getattr(os.environ, "_data", None)
        env = dict(env) if type(env) is dict else {os.fsencode(k): v for k, v in os.environ.items()}
        for k in _PER_TEST:
            env.pop(k, None)
        s["environ"] = env
        s["path"] = list(sys.path)
        return s

    def _part(self, kind, holders):
        """_ids() of the plan's holders of one kind; for dicts and class
        namespaces, digests kept by version tag where the clock is read
        (_tagged): the same bytes as _ids()."""
        if kind is dict and self._dclock is not None and _TAGGED:
            return self._tagged(dict, holders)
        if kind is _Proxy and self._native and self._versions is not None and _TAGGED:
            return self._tagged(_Proxy, holders)
        return _ids(kind, holders, self._native)

    def _tagged(self, kind, holders, key=None):
        """_ftrace_snap.tagged() of `holders` (of `kind`, dict or
        _Proxy): each holder's digest is taken again only where its dict's
        version tag moved since the last call for this same list (every
        write to a dict moves it: ftrace_pyclock, checked at start for
        instances' dicts, modules' globals and class namespaces)."""
        key = kind if key is None else key
        old = self._tlast.get(key)
        last = old[1] if old is not None and old[0] is holders else None
        got = _ftrace_snap.tagged(_NATIVE[kind], holders, _CLOCK_OFFSET, last)
        self._tlast[key] = (holders, got)
        return got[0]

    def _mods_ids(self):
        """_ids() of the modules' globals.  Every write to a dict moves its
        version (ftrace_pyclock), so while no module's dict has moved since
        the last call, its values are the same objects: the last answer
        stands, without the identity map over every global (a mark at
        every test's end)."""
        tag = self._versions
        if tag is None:
            return _ids(dict, self._gdicts, self._native)
        if self._native and _TAGGED:
            return self._tagged(dict, self._gdicts, "mods")
        tags = tuple(map(tag, self._gdicts))
        if tags != self._mods_tags or self._mods_last is None:
            self._mods_last = _ids(dict, self._gdicts, self._native)
            self._mods_tags = tags
        return self._mods_last

    def _same_globals(self):
        """Are the modules' globals what they were at the plan, but for
        what an import binds there?"""
        return all(self._same_module(i) for i in range(len(self._globals)))

    def _tags_of(self, mods):
        """The _versions tag of each module's globals (None: no clock)."""
        tag = self._versions
        return [tag(_mdict(m)) if tag is not None else None for m in mods]

    def _unmoved(self, i):
        """Has no write touched the globals of the plan's module at index
        i since they were taken into _globals (its dict's version tag,
        ftrace_pyclock, is the same)?"""
        t = self._gtags[i] if i < len(self._gtags) else None
        return t is not None and self._versions(self._gdicts[i]) == t

    def _same_module(self, i):
        """_same_globals() for the plan's module at index i."""
        if self._unmoved(i):
            return True
        (name, ka, ia), g = self._globals[i], self._gdicts[i]
        if len(g) == len(ka) and tuple(map(id, dict.values(g))) == ia and tuple(g) == ka:
            return True
        old = dict(zip(ka, ia))
        for k, v in list(dict.items(g)):
            if old.pop(k, None) == id(v) or k in _IGNORED:
                continue
            if k not in ka and issubclass(type(v), _Module):
                continue
            if k == "__annotations__" and k not in ka and type(v) is dict and not dict.__len__(v):
                continue   # made by a read of the module's (_annotations_only)
            return False
        return not any(k not in _IGNORED for k in old)    # (a name deleted)

    def mark(self, project=True, outside=True, based=False):
        """Snapshot the state: True if it differs from the last mark's
        (the first mark: False).  Two parts: the project's (its modules,
        the shared fixtures' values, os.environ, sys.path) and the standard
        library's (_outside(), _loggers()).  project=False: the project's
        part is taken but not compared.  outside=False: the standard
        library's is neither compared nor taken (the next comparison is
        with the last mark that took it): within a test's phases, pytest's
        own per-phase log handlers and warning filters are in place.

        After it, `last_write` is the clock value (ftrace_pyclock) of the
        last write to the state when the change was in dicts only and the
        guard has a clock (docs/python-functions.md, "State a test leaves
        behind"); else None: the change cannot be placed in time.  And
        `lru_changed` is the set of id()s of the lru_cache wrappers that
        changed when the project's change was in them only; else None.
        And `env_changed`, the names (bytes) of the variables of os.environ
        whose value changed, came or went, when the project's change was
        there only; else None.  `process_changed`: whether the change was
        (also) in what every test reaches without importing a project
        module: os.environ, sys.path, the standard library's state.  And
        `owners_changed`, when it was not: the names of the project's
        modules from whose globals a holder that changed is reached, or
        whose globals changed (owners()); None if that cannot be told."""
        self.last_write = None
        self.lru_changed = None
        self.env_changed = None
        self.owners_changed = None
        self.process_changed = True
        if self._plan is None:
            self._make_plan()
            self._snap = self._snapshot()
            return False
        unbased = project and not based and self._unbased()
        a = self._snap
        b = self._snapshot_project()
        changed = False
        if outside:
            b["outside"], b["loggers"] = _outside(self._versions), _loggers(sys.modules)
            changed = (not _outside_same(a["outside"], b["outside"])
                       or not _loggers_same(a["loggers"], b["loggers"]))
        else:
            b["outside"], b["loggers"] = a["outside"], a["loggers"]
        self.process_changed = changed
        dicts_only = False
        if project and not changed:
            changed = self._project_changed(a, b)
            self.process_changed = a["environ"] != b["environ"] or a["path"] != b["path"]
            dicts_only = changed and self._tag is not None and self._dicts_only(a, b)
            if changed and not dicts_only:
                self.lru_changed = self._lru_only(a, b)
                if self.lru_changed is None:
                    self.env_changed = self._env_only(a, b)
            if changed and not self.process_changed and not unbased:
                self.owners_changed = self._owners_of_change(a, b)
        if unbased:
            # what the target did to a module that came without a baseline
            # cannot be told from its import: all of it counts
            changed, dicts_only = True, False
            self.lru_changed = self.env_changed = None
        old_plan, old_gdicts, old_others = self._plan, self._gdicts, self._others
        self._remake(a, b)
        self._snap = b
        if dicts_only:
            self.last_write = self._last_write(old_plan, old_gdicts, old_others)
        return changed

    def baseline(self):
        """An import finished while a test ran (ftrace_pytest_imports'
        after-import hook, in the test's thread): the project's modules
        that came with it join the plan now, with the state of their
        holders as it is now added to the last mark's snapshot.  The next
        mark then compares what the test did to them after their import:
        a module first imported during a test (`from pkg import lazy` in a
        test's body) whose cache, registry or lru_cache the test then
        filled hands that state on to later tests like any other, where
        before the mark took the filled state for its baseline and the
        test was not leaky (a test hitting the cache escaped).  What the
        import did to the modules there were before is compared as usual
        (a registration into an old module is a change).  A module that
        came and was not taken in here (an import in another thread, by a
        way the hook does not see) makes the next mark a change
        (_unbased); where the plan cannot grow by what came, the project's
        part is marked here instead, its result kept in `pending`."""
        if self._plan is None or self._snap is None or not self._came():
            return
        a = self._snap
        had = {kind: len(holders) for kind, holders in self._plan.items()}
        nmods = len(self._mods)
        if not self._extend([], a, a, self._fixture_values()):
            # The plan cannot grow by them here (a module replaced, a name
            # an earlier walk left out as foreign): a mark of the
            # project's part now, its result kept for the test's end
            # (`pending`), with the modules there are now as its baseline.
            changed = self.mark(outside=False, based=True)
            self.pending.append((changed, self.last_write, self.lru_changed,
                                 self.env_changed, self.process_changed,
                                 self.owners_changed))
            return
        for kind, holders in self._plan.items():
            a[kind] = _concat(kind, a[kind], _ids(kind, holders[had[kind]:], self._native))
        new = self._gdicts[nmods:]
        if new:
            a["mods"] = _concat(dict, a["mods"], _ids(dict, new, self._native))

    def owns_module(self, m):
        """Is module m the project's (its file, of any kind)?"""
        try:
            f = _mdict(m).get("__file__") if issubclass(type(m), _Module) else None
        except Exception:
            return True
        if type(f) is not str:
            return False
        own = self._owned.get(f)
        if own is None:
            own = bool(self._owns(os.path.abspath(f)))
            if os.path.isabs(f):
                self._owned[f] = own
        return own

    def outside_now(self):
        """The standard library's part of a snapshot, as it is now (for
        absorb_outside)."""
        return _outside(self._versions), _loggers(sys.modules)

    def absorb_outside(self, pre):
        """What changed in the standard library's part since `pre`
        (outside_now()) is no change, if the last mark's snapshot of it
        was still `pre` then: ftrace_pycollect, for an import that loaded
        no project module (a third-party library that adds a warnings
        filter, a handler, an import hook when it loads)."""
        s = self._snap
        if s is None or s.get("outside") != pre[0] or s.get("loggers") != pre[1]:
            return
        s["outside"], s["loggers"] = _outside(self._versions), _loggers(sys.modules)

    def accept_path(self, ok):
        """Take sys.path now as the last snapshot's where it differs from
        it only by entries added that ok(entry) accepts (a str): those are
        no change (ftrace_pycollect: what pytest puts there to import a
        test module)."""
        if self._snap is None:
            return
        old = self._snap.get("path")
        now = list(sys.path)
        if type(old) is not list or old == now:
            return
        i = 0
        for p in now:
            if i < len(old) and p == old[i]:
                i += 1
            elif type(p) is not str or not ok(p):
                return
        if i == len(old):
            self._snap["path"] = now

    def _unbased(self):
        """Is there a project module in sys.modules that the plan lacks,
        or one replaced under its name: one that came since the last
        snapshot without baseline()?"""
        if any(sys.modules.get(n) is not m for n, m in self._mods):
            return True
        if not self._came():
            return False
        old = {id(m) for _, m in self._mods}
        return any(id(m) not in old for _, m in self._modules())

    def _dicts_only(self, a, b):
        """Did only dicts change, between two snapshots of one plan: dict
        holders (instances' attributes, dict containers) and the modules'
        globals?  Not a list, set, deque, class namespace or big
        container, nor os.environ or sys.path."""
        for kind in self._plan:
            if kind is not dict and a[kind] != b[kind]:
                return False
        return a["environ"] == b["environ"] and a["path"] == b["path"]

    def _lru_only(self, a, b):
        """After a change in the project's part: the id()s of the lru_cache
        wrappers that changed, if they are all that changed (no other
        holder, neither os.environ nor sys.path, no module's global but
        what an import binds); else None."""
        for kind in self._plan:
            if kind != "lru" and a[kind] != b[kind]:
                return None
        if a["environ"] != b["environ"] or a["path"] != b["path"]:
            return None
        if a["mods"] != b["mods"] and not self._same_globals():
            return None
        ids = {id(w) for w, x, y in zip(self._plan["lru"], a["lru"], b["lru"]) if x != y}
        return ids or None

    def _env_only(self, a, b):
        """After a change in the project's part: the names of the variables
        of os.environ that changed, if that is all that changed (no
        holder, not sys.path, no module's global but what an import
        binds); else None."""
        for kind in self._plan:
            if a[kind] != b[kind]:
                return None
        if a["path"] != b["path"] or (a["mods"] != b["mods"] and not self._same_globals()):
            return None
        ea, eb = a["environ"], b["environ"]
        names = {k for k in ea.keys() | eb.keys() if ea.get(k) != eb.get(k)}
        return names or None

    def lru_calls(self):
        """id() of each lru_cache wrapper of the plan -> the calls it
        answered so far (_lru_calls)."""
        if self._plan is None:
            return {}
        return {id(w): _lru_calls(w) for w in self._plan["lru"]}

    def _last_write(self, old_plan, old_gdicts, old_others):
        """After a change in dicts only (_dicts_only), the clock value of
        the last write to them: the largest tag among the dict holders of
        the plan before the change and of the plan after it, and the
        modules' globals (but a module imported since: not a change).
        None if the plan after it holds a holder of another kind that the
        plan before did not (a list made and filled after the last write
        to the dict that holds it: what fills it is not bounded by that
        write)."""
        if not self._others <= old_others:
            return None
        tag = self._tag
        try:
            return max(map(tag, _chain((old_plan[dict], old_gdicts, self._plan[dict]))))
        except ValueError:
            return None

    def _project_changed(self, a, b):
        for kind in self._plan:
            if a[kind] != b[kind] and not (kind is _Proxy and self._annotations_only(a[kind], b[kind])):
                return True
        if a["environ"] != b["environ"] or a["path"] != b["path"]:
            return True
        if a["mods"] != b["mods"]:
            return not self._same_globals()
        return False

    def _annotations_only(self, pa, pb):
        """Do the class namespaces of the plan differ between the snapshot
        parts `pa` and `pb` only by an empty `__annotations__` dict that
        each one that changed gained at its end, its other items as they
        were?  On CPython 3.10 to 3.13 a read of `C.__annotations__` of a
        class that has none makes one and keeps it there (pytest's
        collection reads it of each unittest TestCase it collects, after
        the module's own collection ended): what any code reads of the
        class is the same as before, so it is no state handed on."""
        holders = self._plan[_Proxy]
        if type(pa) is bytes and type(pb) is bytes:   # _ftrace_snap's digests
            if len(pa) != len(pb) or len(pa) != 16 * len(holders) or _ftrace_snap is None:
                return False
            order = sys.byteorder
            for i in range(0, len(pa), 16):
                if pa[i:i + 16] == pb[i:i + 16]:
                    continue
                h = holders[i // 16]
                n = int.from_bytes(pa[i:i + 8], order)
                if (int.from_bytes(pb[i:i + 8], order) != n + 1 or not _annotations_made(h, n)
                        or _ftrace_snap.prefix(_ftrace_snap.KIND_PROXY, h, n)
                        != int.from_bytes(pa[i + 8:i + 16], order)):
                    return False
            return True
        if type(pa) is tuple and type(pb) is tuple and len(pa) == len(pb) == 2:  # (ids, lengths)
            (ia, la), (ib, lb) = pa, pb
            if len(la) != len(lb) or len(la) != len(holders):
                return False
            oa = ob = 0
            for h, na, nb in zip(holders, la, lb):
                if ia[oa:oa + na] != ib[ob:ob + na] or not (
                        nb == na or (nb == na + 1 and _annotations_made(h, na))):
                    return False
                oa, ob = oa + na, ob + nb
            return True
        return False

    def _remake(self, a, b):
        """The plan grown (and b taken of it again) when the last one may no
        longer reach everything: a holder changed, a module came, a global
        was bound, a shared fixture's value came or went.  _extend() walks
        from what changed only; a whole walk (_make_plan) when it cannot,
        or when it has added more holders than the last whole walk found
        (the holders no longer reachable, which the plan still holds and
        compares, are dropped then)."""
        changed = [kind for kind in self._plan if a[kind] != b[kind]]
        values = self._fixture_values()
        if (changed or a["mods"] != b["mods"] or self._came()
                or tuple(map(id, values)) != self._values):
            had = {kind: len(holders) for kind, holders in self._plan.items()}
            if self._grown <= self._full and self._extend(changed, a, b, values):
                # the plan's lists only grew at their ends: b, taken of
                # the old plan, and the new holders' part, in the same order
                for kind, holders in self._plan.items():
                    b[kind] = _concat(kind, b[kind], _ids(kind, holders[had[kind]:],
                                                          self._native))
                b["mods"] = self._mods_ids()
            else:
                self._make_plan()
                b.update(self._snapshot_project())

    def _extend(self, changed, a, b, values):
        """Grow the plan by what the walk reaches from what was added
        between snapshots `a` and `b` of it: the items now of the holders
        of the kinds `changed` that gained some (walked at the depth the
        holder was), the globals the project's modules gained, the modules
        that came (all their globals), and the shared fixtures' values
        that came (`values`: all of them now).  What was reached before
        stays (the plan's holders are skipped as seen).

        Only additions: when a holder of the plan may have become
        unreachable (a value, item, attribute, global or cell content
        replaced or removed, a shared fixture's value gone that reached a
        holder (_held), a module gone or replaced), the plan would keep
        it, and what it holds, alive and compared; so False, with nothing
        changed, and a whole walk does it.  False too when a new module's name is the __module__ of a
        class or function a walk left out as foreign (what it reached then
        would be the project's now), or a big container's length changed
        (it may be followed now)."""
        if "big" in changed or "cell" in changed:
            return False
        # a value gone that reached a holder of the plan: the plan may hold
        # what nothing reaches now (a value that added none, pytest's None
        # of each unittest class's setUpClass fixture, leaves none behind)
        gone = set(self._values).difference(map(id, values))
        if not gone.isdisjoint(self._held):
            return False
        grown = []
        for kind in changed:
            hs = self._changed_holders(kind, a[kind], b[kind])
            if hs is None:
                return False
            grown.extend((h, kind) for h in hs)
        bound = a["mods"] != b["mods"]   # a global of the old modules bound
        if bound and not all(
                self._unmoved(i) or (
                    len(g) >= len(ka) and tuple(itertools.islice(g, len(ka))) == ka
                    and tuple(map(id, itertools.islice(dict.values(g), len(ia)))) == ia)
                for i, ((_, ka, ia), g) in enumerate(zip(self._globals, self._gdicts))):
            return False
        if not self._came():
            # no module came or left (as _remake tells it): the same ones,
            # unless one was replaced under its name
            if any(sys.modules.get(n) is not m for n, m in self._mods):
                return False
            new = []
            partial, scan = self._partial, self._scan
        else:
            tail = self._since()
            if tail is None:
                mods = self._modules()
                old = {id(m) for _, m in self._mods}
                if not old <= {id(m) for _, m in mods}:
                    return False
                new = [(n, m) for n, m in mods if id(m) not in old]
            else:
                # only what came since, and what was importing then (by
                # its name: whatever module holds it now)
                mods = sys.modules
                if any(mods.get(n) is not m for n, m in self._mods):
                    return False
                old = {id(m) for _, m in self._mods}
                new = [(n, m) for n, m in self._modules(
                    [(n, mods[n]) for n, _ in self._partial if n in mods] + tail)
                       if id(m) not in old]
            partial, scan = self._found, self._found_at
        if any(n in self._skipped for n, _ in new):
            return False
        self._plain = _plain_holders()
        plan = {kind: list(holders) for kind, holders in self._plan.items()}
        self._others = set(self._others)
        before = sum(map(len, plan.values()))
        # seen: the plan's holders (alive: the plan holds them) and the
        # modules' dicts; other objects only for this walk
        seen = set(map(id, _chain(plan[k] for k in plan if k is not _Proxy)))
        seen |= self._others
        self._mods = self._mods + new
        self._names = frozenset(n for n, _ in self._mods)
        self._gdicts = [_mdict(m) for _, m in self._mods]
        seen.update(map(id, self._gdicts))
        for h, kind in grown:
            self._expand(h, kind, plan, seen)
        moved = [not self._unmoved(i) for i in range(len(self._globals))] if bound else ()
        if bound:
            for (name, ka, ia), g, mv in zip(self._globals, self._gdicts, moved):
                if not mv:
                    continue
                for k, v in list(itertools.islice(dict.items(g), len(ka), None)):
                    if k not in _IGNORED and not issubclass(type(v), _Module):
                        self._walk(v, DEPTH, plan, seen, name)
        for name, m in new:
            for k, v in list(dict.items(_mdict(m))):
                if k not in _IGNORED and not issubclass(type(v), _Module):
                    self._walk(v, DEPTH, plan, seen, name)
        held = self._walk_values(self._fixture_items(), plan, seen)
        self._held = self._held.difference(gone) | held
        self._values = tuple(map(id, values))
        globs = lambda mods: [(name, tuple(_mdict(m)), tuple(map(id, dict.values(_mdict(m)))))  # noqa: E731
                              for name, m in mods]
        if bound:
            # (those no write touched keep their entry and tag)
            n = len(moved)
            fresh = globs([e for e, mv in zip(self._mods[:n], moved) if mv])
            it = iter(fresh)
            self._globals = [next(it) if mv else e for e, mv in zip(self._globals, moved)]
            tags = self._tags_of(m for (_, m), mv in zip(self._mods[:n], moved) if mv)
            it = iter(tags)
            self._gtags = [next(it) if mv else t for t, mv in zip(self._gtags, moved)]
        self._globals = self._globals + globs(new)
        self._gtags = self._gtags + self._tags_of(m for _, m in new)
        self._nmods = len(sys.modules)
        self._partial, self._scan = partial, scan
        self._plan = plan
        self._grown += sum(map(len, plan.values())) - before
        self._mods_tags = self._mods_last = None
        return True

    def _changed_holders(self, kind, a, b):
        """The holders of `kind` whose items differ between the snapshot
        parts `a` and `b` (_ids() of one plan's holders), or None if one
        of them lost or replaced an item that may be a holder of the plan
        (a dict's value, a list's item, a class's attribute, a cell's
        content): only additions keep every holder of the plan reachable.
        Sets, deques and lru_cache wrappers hold no holder of the plan."""
        holders = self._plan[kind]
        out = []
        if kind in (set, _deque, "lru"):
            return out
        if type(a) is bytes and kind in (dict, _Proxy, list):
            # _ftrace_snap's: (length, digest) per holder; grown only if
            # the first items now have the digest all had before
            code = _NATIVE[kind]
            for i, h in enumerate(holders):
                x, y = a[16 * i:16 * i + 16], b[16 * i:16 * i + 16]
                if x == y:
                    continue
                na, nb = int.from_bytes(x[:8], sys.byteorder), int.from_bytes(y[:8], sys.byteorder)
                if nb < na or _ftrace_snap.prefix(code, h, na) != int.from_bytes(x[8:], sys.byteorder):
                    return None
                out.append(h)
            return out
        if kind in (dict, _Proxy, list):
            (ia, la), (ib, lb) = a, b
            oa = ob = 0
            for h, na, nb in zip(holders, la, lb):
                if na != nb or ia[oa:oa + na] != ib[ob:ob + nb]:
                    if nb < na or ia[oa:oa + na] != ib[ob:ob + na]:
                        return None
                    out.append(h)
                oa += na
                ob += nb
            return out
        return None

    def _expand(self, h, kind, plan, seen):
        """Walk the items of holder `h` of the plan again, as _walk() did at
        the depth it walked `h` at: what they reach that the plan lacks is
        added.  Sets, deques, lru_cache wrappers and big containers have
        no items followed."""
        depth = self._depth.get(id(h), 0)
        if not depth:
            return
        if kind is dict:
            kids = list(dict.values(h))
        elif kind is _Proxy:
            kids = [x for k, x in h.items() if k[:2] != "__"]
        elif kind is list:
            kids = list(list.__iter__(h))
        elif kind == "cell":
            try:
                kids = [_Cell.cell_contents.__get__(h)]
            except ValueError:
                return
        else:
            return
        for x in itertools.islice(kids, FANOUT):
            self._walk(x, depth - 1, plan, seen, id(h))


class Watch:
    """Which tests leave state behind: marks a Guard at the boundaries of
    each test's protocol (docs/python-functions.md, "State a test leaves
    behind", "When").  Targets are the recorder's ((node id, kind) of a
    test; None for the prelude).  Used at both granularities: the function
    recorder (ftrace_pytest_funcs) shares a leaky test's code, ingest
    shares what a leaky test's process saw (docs/pytest.md, "Limits").

    `leaky`: the targets that left state behind; `leak_v`: target -> the
    clock value of its last write, where the guard placed it; `leak_all`:
    the targets it could not place (they share all they ran).

    `leak_lru`: target -> id()s of the lru_cache wrappers a change of its
    was in, where that change was in them only; `leak_wide`: the targets
    with any other change.  `lru_used`: target (None: the prelude, a
    shared fixture's setup) -> id()s of the wrappers that answered a call
    while it ran; the prelude's only after some test left entries in the
    wrapper.  The recorder shares what a target only in leak_lru ran with
    the targets that used one of its wrappers (docs/python-functions.md,
    "An lru_cache a test filled").

    `leak_env`: target -> names (bytes) of the os.environ variables a
    change of its was in, where that change was there only; ingest shares
    what such a target ran and saw with the tests that read one of them
    ("A variable a test set").  `importers` (used where ftrace_pyenv
    cannot tell which variables a module body read): the targets during whose
    protocol a module was imported (sys.modules grew or got a new last
    entry): what a module's body read at its import may be held in the
    module for later tests.  `leak_process`: the targets with a change
    in what every test reaches without importing a project module
    (os.environ, sys.path, the standard library's state), or one whose
    owners the guard could not tell: ingest hands what they ran to every
    test, not only to those whose module's closure holds it.
    `leak_owners`: target -> the modules that own the state the others
    left (Guard.owners_changed): ftrace_pytest widens the closures of
    the test modules that hold one by the target's module's."""

    def __init__(self, guard, fail):
        self.guard = guard
        self._fail = fail
        self.leaky = set()
        self.leak_v = {}
        self.leak_all = set()
        self.leak_lru = {}
        self.leak_wide = set()
        self.lru_used = {}
        self.leak_env = {}
        self.leak_process = set()
        self.leak_owners = {}
        self.importers = set()
        self._mods_at = None     # sys.modules' (size, last name) at test_begin
        self._calls = {}         # the wrappers' calls at the last mark
        self._base = False       # has the guard a mark to compare with?
        self._ended = None       # the target test_end_early() ended
        self._said = False       # has a guard failure been reported?
        self._baselining = False # in baseline() (an import it caused)

    def test_begin(self):
        """A test's protocol starts (before its setup).  The last mark, at
        the end of the test before, stands for now: nothing runs between
        two tests' protocols (if something did and changed the state, this
        test counts as having changed it: sound)."""
        self._mods_at = _mods_now()
        if self._base is False:
            self._used(None)
            try:
                self.guard.mark()
                self._base = True
            except Exception as e:
                self._failed(e)
            self._calls_now()
            self._take_pending(None)

    def test_end(self, target):
        """The test of `target` ended (its teardown too, shared fixtures'
        included): if the state is not what it was at test_begin(), it is
        leaky.  From end to end, so that what a test changes and its
        teardown puts back is no state left; a change made meanwhile by a
        shared fixture's setup or teardown counts as the test's (sound).
        After test_end_early(), only the standard library's part is
        compared here (Guard.mark)."""
        early, self._ended = self._ended, None
        now = _mods_now()
        if now is None or now != self._mods_at:
            self.importers.add(target)
        self._mark(target, project=early != target)

    def baseline(self):
        """Guard.baseline(), after an import during a test.  On failure
        the next mark takes a fresh baseline, and the test counts as
        leaving state behind."""
        if not self._base or self._baselining:
            return              # (an import the walk itself caused: no)
        self._baselining = True
        try:
            self.guard.baseline()
        except Exception as e:
            self._base = False
            self._failed(e)
        finally:
            self._baselining = False

    def test_end_early(self, target):
        """test_end() before the teardown of shared fixtures ends the
        test's protocol: what those change in the project is theirs, not
        the test's.  It runs within the teardown phase, where pytest's own
        handlers and filters are in place: the standard library's part
        waits for test_end()."""
        if self._ended == target or target in self.leaky:
            return
        self._mark(target, outside=False)
        self._ended = target

    def _used(self, target):
        """The wrappers that answered calls since the last mark were used
        by `target`.  By the prelude (None) only where a test has left
        entries (leak_lru) already: before that, what it got was its own."""
        try:
            now = self.guard.lru_calls()
        except Exception as e:
            self._failed(e)
            return
        old = self._calls
        used = {i for i, n in now.items() if n is None or n != old.get(i, 0)}
        if target is None and used:
            left = set()
            for ws in self.leak_lru.values():
                left |= ws
            used &= left
        if used:
            self.lru_used.setdefault(target, set()).update(used)

    def _calls_now(self):
        try:
            self._calls = self.guard.lru_calls()
        except Exception as e:
            self._calls = {}
            self._failed(e)

    def _mark(self, target, project=True, outside=True):
        v = None
        lru = env = owners = None
        process = True
        self._used(target)
        try:
            left = self.guard.mark(project, outside)
            if left and self._base:
                v = self.guard.last_write
                lru = self.guard.lru_changed
                env = self.guard.env_changed
                process = self.guard.process_changed
                owners = self.guard.owners_changed
            left = left or not self._base
            self._base = True
        except Exception as e:
            left = True
            self._base = False
            self._failed(e)
        self._calls_now()
        if left:
            self.leaked(target, v, lru, env, process, owners)
        self._take_pending(target)

    def _take_pending(self, target):
        """What the guard's own marks in baseline() found since the last
        mark (an import during the test the plan could not grow by) is
        the target's, as a mark's own (None: the prelude's, dropped)."""
        got = list(self.guard.pending)
        del self.guard.pending[:]
        for left, v, lru, env, process, owners in got:
            if left and target is not None:
                self.leaked(target, v, lru, env, process, owners)

    def leaked(self, target, v, lru=None, env=None, process=True, owners=None):
        """`target` left state behind: the guard placed its last write at
        clock value `v` (None: not placed, it shares all it ran).  Of
        several, the latest counts.  `lru`: the wrappers the change was in,
        where it was in them only (Guard.lru_changed); `env`: the names of
        the variables, where it was in os.environ only
        (Guard.env_changed); `process`: Guard.process_changed; `owners`:
        Guard.owners_changed.

        What the target ran goes to the tests that can read the state it
        left: those whose module's closure holds a module in `owners`
        (`leak_owners`: ftrace_pytest's build widens their closures by
        the target's module's), not only those whose closure holds the
        files of its code.  The state may be in a module that a test
        reads without importing the code that changed it (bar.register()
        stores into core.REG; a test that imports core alone reads REG;
        t9053).  Where owners are not known, and for a process-wide
        change: every test (`leak_process`).  A change in lru_cache
        wrappers only goes to the targets that called one of them
        (lru_used), whatever their closures."""
        self.leaky.add(target)
        if process or (not lru and owners is None):
            self.leak_process.add(target)
        elif not lru:
            self.leak_owners.setdefault(target, set()).update(owners)
        if lru:
            self.leak_lru.setdefault(target, set()).update(lru)
        elif env:
            self.leak_env.setdefault(target, set()).update(env)
        else:
            self.leak_wide.add(target)
        if v is None:
            self.leak_all.add(target)
        elif v > self.leak_v.get(target, -1):
            self.leak_v[target] = v

    def fixture_begin(self, target):
        """A shared fixture's setup starts, in the test of `target`: what
        changed since the test began is the test's; what the setup changes
        is not (it is prelude code)."""
        if target is None:
            return
        self._used(target)
        try:
            if self.guard.mark(outside=False):    # within the setup phase
                self.leaked(target, self.guard.last_write if self._base else None,
                            self.guard.lru_changed if self._base else None,
                            self.guard.env_changed if self._base else None,
                            self.guard.process_changed if self._base else True)
        except Exception as e:
            self.leaked(target, None)
            self._base = False
            self._failed(e)
        self._calls_now()
        self._take_pending(target)

    def fixture_end(self, fixturedef):
        """The setup of a shared fixture ended: its value is state from now
        on (Guard.fixture).  None: a shared setup that is no fixture
        (pytest's Package.setup)."""
        self._used(None)     # the setup's calls: the fixture's value is every test's
        try:
            if fixturedef is not None:
                self.guard.fixture(fixturedef)
            self.guard.mark(outside=False)
        except Exception as e:
            self._base = False
            self._failed(e)
        self._calls_now()
        self._take_pending(None)     # (the setup's imports: prelude code's)

    def _failed(self, e):
        if not self._said:
            self._said = True
            self._fail("state guard (the test counts as leaving state): %r" % (e,))
