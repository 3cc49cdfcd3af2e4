"""ftrace_pytest_imports - the import graph of a pytest session.

Part of the pytest adapter (ftrace_pytest.py; docs/pytest.md, "The prelude,
and how it is split").  install() replaces builtins.__import__ and
importlib.import_module (also where an early module bound it by a
from-import) with wrappers that record import edges (importer ->
imported module, even when the module is already loaded).  The files of
every module are remembered as modules appear.  At the end of the session,
build() computes, for each collected test module, the project files of its
import closure.

Lazy imports (function granularity only; docs/python-functions.md, "Lazy
imports"): while set_test() names a test, an import statement that runs
outside any other import (a function importing on demand, in the test's
thread) is a *lazy* edge: it joins the graph as any edge does, and the
test notes its targets.  Every other import is also an *eager* edge.
After build(), lazy_only() gives each test module the files it reaches
only over lazy edges, and each test the files its own lazy imports reach.

State is per process (one graph: the first pytest session's).  Nothing here
raises into the user's code: trouble is reported through the `fail`
callback given to install(), and the adapter then marks its side file
broken.

PYTEST_DONT_REWRITE
"""

import _thread
import builtins
import functools
import importlib
import importlib.util
import os
import re
import sys
import threading
import types

import ftrace_pysite

# Path components below rootdir that mark third-party code, not the project.
NOT_PROJECT_DIRS = frozenset(
    ("site-packages", "dist-packages", ".venv", "venv", ".tox", ".nox"))

# pytest modules that import test modules and conftests while collecting.
COLLECTORS = frozenset(("_pytest.pathlib", "_pytest.python", "_pytest.doctest",
                        "_pytest.main", "_pytest.nodes"))

_IDENT = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_IDENT_TEXT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _idents(data):
    """The identifiers in `data` (bytes), as str.  Decoded as latin-1, a
    byte per character, so the ASCII pattern matches exactly where it
    matches the bytes; the scan and the set are built in C, not a decode
    per match in Python (a profile of a real suite's session end had that
    as the larger part of _attribute_edges)."""
    return set(_IDENT_TEXT.findall(data.decode("latin-1")))


class _Graph:
    def __init__(self):
        self.edges = {}                # importer -> set of imported names
        self.eager = {}                # the same, eager edges only
        self.seen = set()              # (importer, name, level, fromlist) done
        self.test = None               # the test whose lazy imports count
        self.test_thread = None        # ... in this thread
        self.seen_lazy = set()         # keys done for self.test
        self.lazy = {}                 # test -> modules it imported lazily
        self.early = set(sys.modules)  # loaded before the hooks: edges unknown
        self.early_files = set()       # files of the code loaded before the hooks
        self.glob = set()              # build(): the modules every test uses
        self.glob_early = set()        # build(): the project's .py of early_files
        self.modfiles = {}             # module name -> file paths seen
        self.snap = set(sys.modules)   # sys.modules at the last new_modules()
        self.orig_import = None
        self.hook_import = None        # what builtins.__import__ is while installed
        self.native_import = False     # hook_import is _ftrace_around's
        self.orig_import_module = None
        self.rebound = []              # modules whose import_module install() replaced
        self.fail = lambda msg: None
        self.after = None              # set_after_import(): called after an
        self.after_thread = None       # outermost import in that thread
        self.span = None               # set_import_span(): (begin, end) around it
        self.after_any = None          # set_around_any_import(): (before, after)
        self.after_any_thread = None   # around every import in that thread
        self.leak_glob = set()         # note_leaky_collection(): every test's too
        self.hard = {}                 # note_widened(): test module file -> files


_G = _Graph()
_TL = threading.local()                # .depth: imports in progress here


def is_framework(name):
    """Modules whose imports are not edges of the user's code: pytest itself,
    pluggy, the import system, and the adapter.  A project module that one
    of these imports (pytest_plugins, importorskip, -p) is used by every
    test."""
    if not name:
        return True
    top = name.partition(".")[0]
    return top in ("pytest", "_pytest", "pluggy", "importlib",
                   "_frozen_importlib", "_frozen_importlib_external",
                   "ftrace_pytest", "ftrace_pytest_imports")


def importer_key(g):
    """Name under which the module owning globals `g` records its imports.
    Every conftest.py of a tree without __init__.py files is named
    "conftest" (pytest drops the previous one from sys.modules), so each is
    told apart by its file."""
    name = g.get("__name__")
    if type(name) is not str:
        return None
    if name == "conftest" or name.endswith(".conftest"):
        return "conftest:%s" % (g.get("__file__"),)
    return name


def _add_to(edges, importer, target):
    """In `edges`, `importer` depends on module `target` and every parent
    package."""
    s = edges.get(importer)
    if s is None:
        s = edges.setdefault(importer, set())  # atomic: imports in threads
    while target:
        s.add(target)
        target = target.rpartition(".")[0]


def add_edge(importer, target, eager=True):
    """An edge of the graph, and of its eager part unless `eager` is
    false."""
    _add_to(_G.edges, importer, target)
    if eager:
        _add_to(_G.eager, importer, target)


def set_test(test):
    """From now on, lazy imports in this thread are `test`'s (None: none
    are, every import is eager)."""
    if test != _G.test:
        _G.seen_lazy = set()
    _G.test_thread = _thread.get_ident()
    _G.test = test


def set_after_import(fn):
    """From now on, call fn() after each outermost import statement (or
    importlib.import_module) that ends in the calling thread, whether it
    raised or not (None: stop).  The state guard's baseline of modules a
    test imports (ftrace_pyleak.Guard.baseline)."""
    _G.after_thread = _thread.get_ident()
    _G.after = fn


def set_around_any_import(before, after):
    """From now on, around every import statement (or
    importlib.import_module) in the calling thread, nested ones too:
    token = before(names) before it, where `names` are the modules it may
    load (its target, and the submodules its fromlist may name) that are
    not loaded yet; after(token) after it, raised or not (None, None:
    stop).  An import that can load none is not reported: for the
    collection guard (ftrace_pycollect), whose hooks these are, it is
    nothing (its before(()) is None, its after(None) does nothing)."""
    _G.after_any_thread = _thread.get_ident()
    _G.after_any = (before, after) if before is not None else None


_mdict = types.ModuleType.__dict__["__dict__"].__get__


def _before_any(name, g, fromlist, level):
    hooks = _G.after_any
    if hooks is None or _thread.get_ident() != _G.after_any_thread:
        return None
    try:
        names = ()
        if type(name) is str and type(level) is int:
            target = _resolve(name, g if type(g) is dict else None, level)
            mods = sys.modules
            if target is not None:
                if target not in mods:
                    names = (target,)
                elif fromlist:
                    m = mods.get(target)
                    # (through the descriptor: a read that no module's
                    # __getattribute__ sees, the function recorder's)
                    have = _mdict(m) if issubclass(type(m), types.ModuleType) else None
                    names = tuple(target + "." + f for f in fromlist
                                  if type(f) is str and f != "*"
                                  and (target + "." + f) not in mods
                                  and (type(have) is not dict or f not in have))
        if not names:
            # it loads nothing: the collection guard's before(()) is None,
            # after(None) does nothing (ftrace_pycollect), and pytest's
            # collection makes ~25 such imports a test (`from
            # _pytest.outcomes import TEST_OUTCOME` in safe_getattr)
            return None
        return (hooks[1], hooks[0](names))
    except Exception as e:
        _G.fail("before import: %r" % (e,))
        return None


def _after_any(tok):
    if tok is not None:
        try:
            tok[0](tok[1])
        except Exception as e:
            _G.fail("after import: %r" % (e,))


def note_widened(path, files):
    """The closure of the test module at `path` was widened by `files`
    (ftrace_pytest._widen_closures): they hold code that changed state
    its tests can read, which lazy_only() must not make soft."""
    _G.hard.setdefault(path, set()).update(files)


def note_leaky_collection(names):
    """Modules whose import, while pytest collected a test module, changed
    state that modules loaded before them hold: build() makes the
    project's among them (and what they import) every test's."""
    _G.leak_glob.update(names)


def set_import_span(begin, end):
    """From now on, around each outermost import statement (or
    importlib.import_module) in the calling thread: token = begin() before
    it, end(token, targets) after it, raised or not, `targets` the names
    of the modules the statement names (None, None: stop).  The
    function recorder's: what an import runs is the import's, not the
    test's (Recorder.import_begin)."""
    _G.after_thread = _thread.get_ident()
    _G.span = (begin, end) if begin is not None else None


def _span_begin():
    span = _G.span
    if span is None or _thread.get_ident() != _G.after_thread:
        return None
    try:
        return (span[1], span[0]())
    except Exception as e:
        _G.fail("import span: %r" % (e,))
        return None


def _after_import(tok=None, targets=()):
    if tok is not None:
        try:
            tok[0](tok[1], targets)
        except Exception as e:
            _G.fail("import span: %r" % (e,))
    fn = _G.after
    if fn is not None and _thread.get_ident() == _G.after_thread:
        try:
            fn()
        except Exception as e:
            _G.fail("after import: %r" % (e,))


def _lazy_test(importer, outermost):
    """The test an import by `importer` is a lazy import of, or None: a
    test is the target, the import runs in its thread, and no other import
    is in progress there (`outermost`)."""
    test = _G.test
    if (test is not None and outermost and importer is not None and
            _thread.get_ident() == _G.test_thread):
        return test
    return None


def _note_lazy(test, importer, targets):
    for t in targets:
        add_edge(importer, t, eager=False)
    got = _G.lazy.get(test)
    if got is None:
        got = _G.lazy.setdefault(test, set())
    got.update(targets)


def add_files(name, files):
    _G.modfiles.setdefault(name, set()).update(files)


# ---------------------------------------------------------------- the hooks

def _resolve(name, g, level):
    """Absolute name of an import statement's target, like importlib does."""
    if level == 0:
        return name
    if not g:
        return None
    pkg = g.get("__package__")
    if pkg is None:
        spec = g.get("__spec__")
        if spec is not None:
            pkg = spec.parent
        else:
            pkg = g.get("__name__") or ""
            if "__path__" not in g:
                pkg = pkg.rpartition(".")[0]
    if type(pkg) is not str:
        return None
    bits = pkg.rsplit(".", level - 1)
    if len(bits) < level or not bits[0]:
        return None
    return "%s.%s" % (bits[0], name) if name else bits[0]


def importing():
    """Is an import statement (or importlib.import_module) in progress in
    the calling thread?"""
    return getattr(_TL, "depth", 0) > 0


def _note_import(name, g, fromlist, level, depth, outermost):
    if type(name) is not str or type(level) is not int:
        return  # the real __import__ has raised TypeError already
    if type(g) is not dict:  # __import__("x") called without globals
        g = sys._getframe(depth).f_globals
    importer = g.get("__name__")
    if type(importer) is not str:
        importer = None
    elif importer == "conftest" or importer.endswith(".conftest"):
        importer = importer_key(g)
    fromlist = tuple(fromlist) if fromlist else None
    key = (importer, name, level, fromlist)
    test = _lazy_test(importer, outermost)
    if test is not None:
        if key in _G.seen_lazy:
            return
        targets = _targets(name, g, level, fromlist)
        if targets:
            _note_lazy(test, importer, targets)
        _G.seen_lazy.add(key)
        return
    if key in _G.seen:  # the common case: one set lookup
        return
    for t in _targets(name, g, level, fromlist):
        add_edge(importer, t)
    _G.seen.add(key)


def _targets(name, g, level, fromlist):
    """The modules an import statement reaches: its target and, from its
    fromlist, the loaded submodules it names (all of them for "*")."""
    target = _resolve(name, g, level)
    if target is None:
        return ()
    out = [target]
    if fromlist:
        mods = sys.modules
        for f in fromlist:
            if f == "*":
                prefix = target + "."
                out.extend(m for m in list(mods)
                           if m.startswith(prefix) and "." not in m[len(prefix):])
            elif isinstance(f, str):
                sub = target + "." + f
                if sub in mods:
                    out.append(sub)
    return out


def _import_pre(name, globals=None, locals=None, fromlist=(), level=0):
    """Before an import statement: (its depth, the import span's token)."""
    depth = getattr(_TL, "depth", 0)
    tok = _span_begin() if depth == 0 and _G.span is not None else None
    any_tok = (_before_any(name, globals, fromlist, level)
               if _G.after_any is not None else None)
    _TL.depth = depth + 1
    return depth, tok, any_tok


def _import_post(state, result, name, globals=None, locals=None, fromlist=(), level=0):
    """After it, raised or not: its edges, and the hooks of its end."""
    depth, tok, any_tok = state
    _TL.depth = depth
    try:
        # (the statement's frame: 2 above here through the C wrapper, 3
        # through _ft_import)
        _note_import(name, globals, fromlist, level, 3 - _G.native_import, depth == 0)
    except Exception as e:
        _G.fail("import hook: %r" % (e,))
    if any_tok is not None:
        _after_any(any_tok)
    if depth == 0 and (tok is not None or _G.after is not None):
        try:
            targets = _targets(name, globals, level, fromlist) if tok is not None else ()
        except Exception:
            targets = ()
        _after_import(tok, targets)


def _ft_import(name, globals=None, locals=None, fromlist=(), level=0):
    """builtins.__import__ where _ftrace_around is not built: the same
    hooks, with this function's frame around the import."""
    __tracebackhide__ = True  # keep pytest's tracebacks free of this frame
    state = _import_pre(name, globals, locals, fromlist, level)
    result = None
    try:
        result = _G.orig_import(name, globals, locals, fromlist, level)
        return result
    finally:
        _import_post(state, result, name, globals, locals, fromlist, level)


def _ft_import_module(name, package=None):
    __tracebackhide__ = True
    depth = getattr(_TL, "depth", 0)
    tok = _span_begin() if depth == 0 and _G.span is not None else None
    target = None
    any_tok = None
    if _G.after_any is not None:
        try:
            rel = type(name) is str and name.startswith(".")
            any_tok = _before_any(name.lstrip(".") if rel else name,
                                  {"__package__": package} if rel else None,
                                  None, len(name) - len(name.lstrip(".")) if rel else 0)
        except Exception:
            any_tok = None
    _TL.depth = depth + 1
    try:
        return _G.orig_import_module(name, package)
    finally:
        _TL.depth = depth
        try:
            caller = importer_key(sys._getframe(1).f_globals)
            target = name
            if name.startswith("."):
                target = importlib.util.resolve_name(name, package)
            test = _lazy_test(caller, depth == 0)
            if test is not None:
                _note_lazy(test, caller, (target,))
            else:
                add_edge(caller, target)
        except Exception:
            pass  # a bad relative name raised in the real call already
        if any_tok is not None:
            _after_any(any_tok)
        if depth == 0 and (tok is not None or _G.after is not None):
            _after_import(tok, (target,) if target is not None else ())


def install(fail):
    """Start recording edges; `fail(msg)` hears of internal trouble."""
    _G.fail = fail
    try:
        _G.early_files = loaded_code_files()
    except Exception as e:
        # not knowing them, no closure may be trusted: the side file is broken
        fail("the code loaded before the plugin: %r" % (e,))
    _G.orig_import = builtins.__import__
    # With no frame of ours around the import (_ftrace_around.c), code
    # that looks at its importer (warnings.warn(stacklevel=2) in a module's
    # body) sees the importer, as without ftrace
    around = ftrace_pysite.around()
    _G.native_import = around is not None
    _G.hook_import = around(_import_pre, _G.orig_import, _import_post) if around else _ft_import
    builtins.__import__ = _G.hook_import
    _G.orig_import_module = importlib.import_module
    importlib.import_module = functools.wraps(_G.orig_import_module)(_ft_import_module)
    # A module loaded before now that bound it by `from importlib import
    # import_module` (importlib.metadata, whose EntryPoint.load() imports
    # Markdown's extensions) calls the function it holds: it gets the
    # wrapper too, else what it imports comes unseen (no edge, and a
    # module the state guard finds without a baseline makes the test
    # leaky)
    _G.rebound = []
    for m in list(sys.modules.values()):
        try:
            d = object.__getattribute__(m, "__dict__")
        except Exception:
            continue
        if type(d) is dict and d.get("import_module") is _G.orig_import_module:
            d["import_module"] = importlib.import_module
            _G.rebound.append(d)


def loaded_code_files():
    """The files of all code that may have run before this plugin's hooks
    (the import graph's and the function recorder's): each module's in
    sys.modules, and each live function's (a module dropped from
    sys.modules, a file exec'd under its own name).
    Module dicts are read directly: a module's __getattr__ may import."""
    import gc
    import types
    out = set()
    for m in list(sys.modules.values()):
        try:
            d = object.__getattribute__(m, "__dict__")
            f = d.get("__file__") if type(d) is dict else None
        except Exception:
            continue
        if type(f) is str:
            out.add(f)
    ftype = types.FunctionType
    for o in gc.get_objects():
        if type(o) is ftype:
            out.add(o.__code__.co_filename)
    return out


def early_py_files():
    """After build(): the project's .py files among what
    loaded_code_files() found when install() ran."""
    return sorted(_G.glob_early)


def uninstall():
    if _G.orig_import is not None and builtins.__import__ is _G.hook_import:
        builtins.__import__ = _G.orig_import
    if (_G.orig_import_module is not None and
            getattr(importlib.import_module, "__wrapped__", None) is _G.orig_import_module):
        for d in _G.rebound:
            if d.get("import_module") is importlib.import_module:
                d["import_module"] = _G.orig_import_module
        _G.rebound = []
        importlib.import_module = _G.orig_import_module


# ------------------------------------------------------- modules and files

def new_modules():
    """Names that appeared in sys.modules since the last call."""
    now = set(sys.modules)
    new = now - _G.snap
    _G.snap = now
    remember_files(new)
    return new


def remember_files(names):
    # Keep the files of modules as they appear: a module removed from
    # sys.modules later (two conftest.py files are both named "conftest")
    # must still be found by name.
    mods = sys.modules
    for name in names:
        mod = mods.get(name)
        if mod is not None:
            files = module_files(mod)
            if files:
                add_files(name, files)


def module_files(mod):
    """The source (or extension) and the cached file of a module object."""
    out = []
    try:
        f = getattr(mod, "__file__", None)
        if not f:
            spec = getattr(mod, "__spec__", None)
            if spec is not None and getattr(spec, "has_location", False):
                f = spec.origin
        if isinstance(f, str) and f:
            out.append(f)
        c = getattr(mod, "__cached__", None)
        if isinstance(c, str) and c:
            out.append(c)
    except Exception:
        pass
    return out


class _Project:
    """Which files belong to the project: under rootdir, not third-party."""

    def __init__(self, rootdir):
        self.roots = {rootdir, os.path.realpath(rootdir)}

    def owns(self, path):
        return owned(self.roots, path)


def owned(roots, path):
    """Is `path` under one of the directories `roots`, in no directory of
    NOT_PROJECT_DIRS below it?  (No file is looked at.)"""
    for root in roots:
        if path.startswith(root + os.sep):
            parts = path[len(root) + 1:].split(os.sep)
            return not any(p in NOT_PROJECT_DIRS for p in parts)
    return False


def _cache_names(src, rewrite_tag):
    """The compiled files Python and pytest keep for source file `src`; listed
    whether or not they exist, since looking would itself be recorded."""
    out = []
    if not src.endswith(".py"):
        return out
    try:
        out.append(importlib.util.cache_from_source(src))
        if sys.flags.optimize:
            out.append(importlib.util.cache_from_source(src, optimization=sys.flags.optimize))
        d, base = os.path.split(src)
        out.append(os.path.join(d, "__pycache__", "%s.%s.pyc" % (base[:-3], rewrite_tag)))
    except Exception:
        pass
    return out


def _names_in(path, cache):
    """Identifiers in a source file (a generous over-approximation of the
    attributes its code can name)."""
    got = cache.get(path)
    if got is None:
        try:
            with ftrace_pysite.window_reads(), open(path, "rb") as fh:
                got = _idents(fh.read())
        except Exception:
            got = set()
        cache[path] = got
    return got


def _code_names(path, cache, store=None):
    """Identifiers a source file's code can name an attribute with, outside
    comments and outside the module paths of import statements: those
    imports are edges when they run, and a lazy one must not become an
    eager edge for being written down.  Names in strings count (getattr).
    A file that does not tokenize: all its identifiers.  `store` (an
    ftrace_fpcache.NameCache) gives the names of bytes seen at an earlier
    recording: they are a function of the bytes (code_names_of)."""
    got = cache.get(path)
    if got is not None:
        return got
    try:
        with ftrace_pysite.window_reads(), open(path, "rb") as fh:
            data = fh.read()
    except Exception:
        got = set()
    else:
        got = store.get(data, code_names_of) if store is not None else code_names_of(data)
    cache[path] = got
    return got


def code_names_of(data):
    """_code_names() of a file whose bytes are `data`: a function of the
    bytes, this code and the interpreter's tokenize alone."""
    import io
    import tokenize
    got = set()
    try:
        skip = None        # "from": until `import`; "import": to the line's end
        first = True       # at the start of a logical line
        for tok in tokenize.tokenize(io.BytesIO(data).readline):
            kind, text = tok.type, tok.string
            if kind in (tokenize.NEWLINE, tokenize.ENDMARKER) or (kind == tokenize.OP and text == ";"):
                skip, first = None, True
                continue
            if kind in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT,
                        tokenize.ENCODING):
                continue
            if first and kind == tokenize.NAME and text in ("from", "import"):
                skip, first = text, False
                continue
            first = False
            if skip == "from":
                if kind == tokenize.NAME and text == "import":
                    skip = None
                continue
            if skip == "import":
                continue
            if kind == tokenize.NAME:
                got.add(text)
            else:  # strings (getattr), f-string parts, anything else
                got.update(m.decode() for m in _IDENT.findall(text.encode("utf-8", "surrogatepass")))
    except Exception:
        got = _idents(data)
    return got


# ------------------------------------------------------------- the closures

def _project_modules(project, abspath, rewrite_tag):
    """Module name -> its project files.  Only sources go through realpath:
    its lstat is a prelude access, and a .pyc written during the run (by the
    test that first imported the module) would then be an input changed
    during the run, "unknown" for ever."""
    out = {}
    for name in list(_G.modfiles):
        files = set()
        for f in _G.modfiles.get(name, ()):
            f = abspath(f)
            if f.endswith(".pyc"):
                if project.owns(f):
                    files.add(f)
                continue
            for g in set((f, os.path.realpath(f))):
                if project.owns(g):
                    files.add(g)
                    files.update(_cache_names(g, rewrite_tag))
        if files:
            out[name] = files
    return out


def _attribute_edges(proj_mods, edges, names_in):
    """Attribute access to a submodule that the module never imported
    itself (`import calc` then `calc.ops.f()`, working because someone else
    imported calc.ops): add an edge to `edges` when the submodule's name is
    among `names_in(file, cache)` of a module that imports its package
    there."""
    children = {}  # package -> {last name component: submodule}
    for name in proj_mods:
        parent, _, last = name.rpartition(".")
        if parent:
            children.setdefault(parent, {})[last] = name
    idents = {}
    for name, files in proj_mods.items():
        targets = edges.get(name)
        if not targets:
            continue
        pkgs = [t for t in targets if t in children]
        if not pkgs:
            continue
        names = set()
        for f in files:
            if f.endswith(".py") and os.path.isfile(f):
                names |= names_in(f, idents)
        extra = []
        for pkg in pkgs:
            kids = children[pkg]
            extra.extend(kids[last] for last in names & kids.keys())
        for child in extra:
            _add_to(edges, name, child)


def _closure(starts, edges=None):
    edges = _G.edges if edges is None else edges
    seen = set()
    todo = list(starts)
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        if is_framework(m) and m not in starts:
            continue  # not expanded: see is_framework
        todo.extend(edges.get(m, ()))
    return seen


def _global_modules(proj_mods, roots, conftests, conftest_names, item_files=None):
    """Project modules used by every test: loaded before the import hook was
    installed, loaded with no importer we saw, or imported by code that no
    test module reaches: pytest itself (pytest_plugins, importorskip, -p),
    a third-party plugin importing the project's settings.  This holds for
    test modules too (--doctest-modules collects calc/helpers.py, which a
    conftest may also load as a plugin), except that pytest's collection
    importing a test module, a conftest or their packages is expected.
    A test module is one that yielded a test (`item_files`: the files of
    the items collected, before any deselection; None: every root): one
    that yielded none (a module --doctest-modules imports, with no
    doctest) starts no closure, and what its import did is every test's
    (a probe of glom, 2026-11-28: `glom/test/perf_report.py` gained a
    store into `glom.core`, 15 tests failed, none was selected)."""
    conftest_keys = set(conftests.values())
    root_keys = set(roots.values()) | conftest_keys
    reach = _closure(root_keys)
    collected = set(n for p, n in roots.items()
                    if item_files is None or p in item_files) | set(conftest_names)
    parents = set()
    for r in collected:
        while r:
            r = r.rpartition(".")[0]
            if r:
                parents.add(r)
    imported_by = {}
    for importer, targets in _G.edges.items():
        for t in targets:
            imported_by.setdefault(t, set()).add(importer)
    glob = set()
    for name in proj_mods:
        if name in conftest_keys and name not in collected:
            continue  # a "conftest:<file>" key: its real name is checked
        if name in _G.early:
            glob.add(name)
            continue
        expected = name in collected or name in parents
        importers = imported_by.get(name)
        if not importers:
            if not expected:
                glob.add(name)
            continue
        for i in importers:
            # reach holds framework modules a test imports (from
            # _pytest.config import ...) but never expands them: an import
            # by pytest is not an import by that test.
            if i is not None and i in reach and not is_framework(i):
                continue
            if expected and i in COLLECTORS:
                continue
            glob.add(name)
            break
    return glob


def _applying(path, conftests):
    """(directory, importer key) of each conftest that applies to the test
    module at `path`: in its directory or an ancestor."""
    d = os.path.dirname(path)
    out = []
    for f, n in conftests.items():
        cdir = os.path.dirname(f)
        if d == cdir or d.startswith(cdir + os.sep):
            out.append((cdir, n))
    return out


def build(rootdir, abspath, roots, conftests, conftest_names, test_files, rewrite_tag,
          item_files=None):
    """Compute the side file's project files and closures.

    rootdir: absolute; abspath: makes a path absolute and normal;
    roots: test module file -> module name; conftests: conftest file ->
    importer key; conftest_names: their real module names; test_files: the
    files of the tests that ran; rewrite_tag: pytest's .pyc tag;
    item_files: the files of the items collected (_global_modules).
    Returns (project_files, closures, owns) where owns(path) says whether a
    path belongs to the project."""
    project = _Project(rootdir)
    new_modules()
    remember_files(list(sys.modules))
    proj_mods = _project_modules(project, abspath, rewrite_tag)
    _attribute_edges(proj_mods, _G.edges, _names_in)
    _G.built = (proj_mods, roots, conftests)

    def files_for(names):
        out = set()
        for m in names:
            out |= proj_mods.get(m, set())
        return out

    glob = _global_modules(proj_mods, roots, conftests, conftest_names, item_files)
    glob |= _G.leak_glob & set(proj_mods)
    early = _early_project_files(project, abspath)
    glob_files = files_for(_closure(glob)) | files_for(glob) | early
    all_files = files_for(proj_mods)
    closures = {}
    for path, name in roots.items():
        applying = _applying(path, conftests)
        files = files_for(_closure({name} | {c for _, c in applying})) | glob_files
        files.add(path)
        files.update(_cache_names(path, rewrite_tag))
        for cdir, _ in applying:
            cf = os.path.join(cdir, "conftest.py")
            files.add(cf)
            files.update(_cache_names(cf, rewrite_tag))
        closures[path] = sorted(files)
    # A test file that is not a Python module pytest collected (a custom
    # collector's item, a doctest text file): no split, it gets everything.
    for f in test_files:
        if f and f not in closures:
            closures[f] = sorted(all_files | {f})
    project_files = set(all_files)
    for files in closures.values():
        project_files.update(files)
    _G.glob = glob
    _G.glob_early = {f for f in early if f.endswith(".py")}
    return project_files, closures, project.owns


def _early_project_files(project, abspath):
    """The project's files among early_files(): code loaded before the
    hooks, whose import may have fed any module's state (a module loaded
    and dropped from sys.modules again is in no other set): every test's."""
    out = set()
    for f in _G.early_files:
        if f and not f.startswith("<"):
            p = abspath(f)
            if project.owns(p):
                out.add(p)
    return out


def lazy_only(closures, store=None):
    """After build(): per test module, the .py files of its closure that it
    reaches only over lazy edges ({path: set}), and per test that imported
    lazily, the .py files of those imports' eager closures ({test: set}).  A test
    depends on the skeleton of a file in the first set only if it ran code
    of the file, touched it, or is in the second set for it
    (docs/python-functions.md, "Lazy imports").  `store`: as for
    _code_names()."""
    proj_mods, roots, conftests = _G.built

    def py_files(names):
        out = set()
        for m in names:
            out.update(f for f in proj_mods.get(m, ()) if f.endswith(".py"))
        return out

    eager = {k: set(v) for k, v in _G.eager.items()}
    _attribute_edges(proj_mods, eager, lambda f, c: _code_names(f, c, store))
    # the modules every test uses, and what they import eagerly
    glob = py_files(_closure(_G.glob, eager) | _G.glob) | _G.glob_early
    soft = {}
    for path, name in roots.items():
        starts = {name} | {c for _, c in _applying(path, conftests)}
        reach = py_files(_closure(starts, eager)) | glob | _G.hard.get(path, set())
        # a conftest.py is the test's whatever the edges say
        only = {f for f in closures.get(path, ())
                if f.endswith(".py") and os.path.basename(f) != "conftest.py"} - reach - {path}
        if only:
            soft[path] = only
    # What a module imports on demand in its functions is the test's only
    # if the test ran that import too: then it is among its own targets.
    # (the tests of one module mostly import the same: one closure per set,
    # shared, read only by the caller)
    reached, memo = {}, {}
    for t, mods in _G.lazy.items():
        key = frozenset(mods)
        got = memo.get(key)
        if got is None:
            got = memo[key] = py_files(_closure(key, eager))
        reached[t] = got
    return soft, reached
