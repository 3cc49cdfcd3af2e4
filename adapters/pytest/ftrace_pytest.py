"""ftrace_pytest - the pytest adapter of ftrace (pure Python, stdlib only).

`ftrace run -- pytest ...` loads this module through PYTEST_PLUGINS=ftrace_pytest
(PYTHONPATH gets the directory of this file).  It does two things:

1. Marks test boundaries through the control API of the preload library
   (ftrace_test_begin / ftrace_test_end / ftrace_context, reached through
   ctypes.CDLL(None)), so that the file accesses of each test are attributed
   to its pytest node id.  Accesses before the first test (imports,
   collection, conftest files) and the setup of fixtures whose scope is not
   "function" belong to the session prelude, which every test depends on.

2. Writes a side file, $FTRACE_RUN_DIR/adapter-pytest-<pid>.json, at the end
   of the session.  It says, for each collected test module, which project
   files its import closure contains, so that ingest can give a prelude
   dependency on a project module only to the tests that can reach it.
   docs/pytest.md describes the format and the rules.

Contract with the user's run: this plugin never changes the outcome of a run.
Any internal failure becomes at most one PytestWarning, and the side file then
says "broken": true (ingest treats such a session conservatively).

PYTEST_DONT_REWRITE: the plugin has no assert worth rewriting.

Activation:
  - FTRACE_RUN_DIR unset: the plugin does nothing at all.
  - FTRACE_TEST_ID set (this pytest runs inside a test that ftrace already
    marks, e.g. `ftrace run --name X -- pytest` or a pytest started by a
    test): the plugin does nothing at all; everything belongs to that test.
  - FTRACE_RUN_DIR set but the control API is missing or ftrace_active()
    returns 0 (no LD_PRELOAD): no boundaries are marked, but import edges are
    still recorded and the side file is still written.  The adapter's own
    tests use this.
"""

import builtins
import functools
import importlib
import importlib.util
import json
import os
import re
import sys
import warnings

import pytest

SIDE_FILE_VERSION = 1

_OUTCOME = {"passed": 1, "failed": 2, "skipped": 3, "error": 4}

# Path components below rootdir that mark third-party code, not the project.
_NOT_PROJECT_DIRS = frozenset(
    ("site-packages", "dist-packages", ".venv", "venv", ".tox", ".nox"))

def _pytest_major():
    try:
        return int(pytest.__version__.split(".")[0])
    except Exception:
        return 0


_RUN_DIR = os.environ.get("FTRACE_RUN_DIR") or None
_NESTED = bool(os.environ.get("FTRACE_TEST_ID"))
# pytest 7 brought the pathlib API used here (Node.path, file_path).  With
# an older pytest the plugin stays out of the way: no test is marked and no
# side file written, so ingest records the whole command soundly.
_PYTEST_OK = _pytest_major() >= 7
_ENABLED = _RUN_DIR is not None and not _NESTED and _PYTEST_OK

# pytest modules that import test modules and conftests while collecting.
_COLLECTORS = frozenset(("_pytest.pathlib", "_pytest.python", "_pytest.doctest",
                         "_pytest.main", "_pytest.nodes"))

# Files Python may import or load: never "looked at only".
_CODE_SUFFIXES = (".py", ".pyc", ".pyo", ".pyd", ".so", ".pth")

_IDENT = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


def _is_framework(name):
    """Modules whose imports are not edges of the user's code: pytest itself,
    pluggy, the import system, and this plugin.  A project module that one of
    these imports (pytest_plugins, importorskip, -p) is used by every test."""
    if not name:
        return True
    top = name.partition(".")[0]
    return top in ("pytest", "_pytest", "pluggy", "importlib",
                   "_frozen_importlib", "_frozen_importlib_external",
                   "ftrace_pytest")


class _Control:
    """The preload library's control API, or nothing."""

    def __init__(self):
        self.lib = None
        try:
            import ctypes
            lib = ctypes.CDLL(None)
            active = getattr(lib, "ftrace_active", None)
            if active is None:
                return
            active.restype = ctypes.c_int
            active.argtypes = []
            for name in ("ftrace_test_begin", "ftrace_context"):
                fn = getattr(lib, name)
                fn.restype = ctypes.c_int
                fn.argtypes = [ctypes.c_char_p]
            lib.ftrace_test_end.restype = ctypes.c_int
            lib.ftrace_test_end.argtypes = [ctypes.c_char_p, ctypes.c_int]
            lib.getenv.restype = ctypes.c_char_p
            lib.getenv.argtypes = [ctypes.c_char_p]
            if active() == 1:
                self.lib = lib
        except Exception as e:  # no ctypes, odd libc: record nothing
            _S.fail("control API unavailable: %r" % (e,))
            self.lib = None

    def _sync_env(self):
        # The library updates FTRACE_TEST_ID (and its owner mark) in the C
        # environment.  os.environ is a copy taken at startup, and tests often
        # start children with env=dict(os.environ, ...): mirror the two
        # variables so those children are attributed to the test as well.
        for key in ("FTRACE_TEST_ID", "FTRACE__OWNER"):
            val = self.lib.getenv(key.encode())
            if val is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = os.fsdecode(val)

    def call(self, what, *args):
        if self.lib is None:
            return
        rc = getattr(self.lib, what)(*args)
        if rc != 0:
            _S.fail("%s%r returned %d" % (what, args, rc))
        self._sync_env()


class _State:
    def __init__(self):
        self.edges = {}          # importer name -> set of imported names
        self.seen = set()        # (importer, name, level, fromlist) done
        self.early = set(sys.modules)  # present before the import hook
        self.errors = []
        self.warned = False
        self.pm = None           # the plugin manager we serve
        self.config = None
        self.ctl = None
        self.current = None      # node id (bytes) of the running test
        self.current_id = None   # the same, as pytest's str
        self.ctx = None          # context we set last (bytes or None)
        self.reports = []
        self.tests = []
        self.roots = {}          # test module file -> module name
        self.conftests = {}      # conftest file -> importer key
        self.conftest_names = set()  # their real module names
        self.modfiles = {}       # module name -> set of file paths seen
        self.snap = set(sys.modules)
        self.collect_files = set()  # non-code files collection visited
        self.written = False
        self.orig_import = None
        self.orig_import_module = None

    def fail(self, msg):
        if len(self.errors) < 20:
            self.errors.append(msg)


_S = _State()


# ---------------------------------------------------------------- import edges

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


def _add_edge(importer, target):
    s = _S.edges.get(importer)
    if s is None:
        s = _S.edges.setdefault(importer, set())  # atomic: imports in threads
    while target:  # the module and every parent package
        s.add(target)
        target = target.rpartition(".")[0]


def _importer_key(g):
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


def _note_import(name, g, fromlist, level, depth):
    if type(name) is not str or type(level) is not int:
        return  # the real __import__ has raised TypeError already
    if type(g) is not dict:  # __import__("x") called without globals
        g = sys._getframe(depth).f_globals
    importer = g.get("__name__")
    if type(importer) is not str:
        importer = None
    elif importer == "conftest" or importer.endswith(".conftest"):
        importer = _importer_key(g)
    fromlist = tuple(fromlist) if fromlist else None
    key = (importer, name, level, fromlist)
    if key in _S.seen:
        return
    target = _resolve(name, g, level)
    if target is None:
        return
    _add_edge(importer, target)
    if fromlist:
        mods = sys.modules
        for f in fromlist:
            if f == "*":
                prefix = target + "."
                for m in list(mods):
                    if m.startswith(prefix) and "." not in m[len(prefix):]:
                        _add_edge(importer, m)
            elif isinstance(f, str):
                sub = target + "." + f
                if sub in mods:
                    _add_edge(importer, sub)
    _S.seen.add(key)


def _ft_import(name, globals=None, locals=None, fromlist=(), level=0):
    __tracebackhide__ = True  # keep pytest's tracebacks free of this frame
    try:
        return _S.orig_import(name, globals, locals, fromlist, level)
    finally:
        try:
            _note_import(name, globals, fromlist, level, 2)
        except Exception as e:
            _S.fail("import hook: %r" % (e,))


def _ft_import_module(name, package=None):
    __tracebackhide__ = True
    try:
        return _S.orig_import_module(name, package)
    finally:
        try:
            caller = _importer_key(sys._getframe(1).f_globals)
            target = name
            if name.startswith("."):
                target = importlib.util.resolve_name(name, package)
            _add_edge(caller, target)
        except Exception:
            pass  # a bad relative name raised in the real call already


def _install_import_hooks():
    _S.orig_import = builtins.__import__
    builtins.__import__ = _ft_import
    _S.orig_import_module = importlib.import_module
    importlib.import_module = functools.wraps(_S.orig_import_module)(_ft_import_module)


def _uninstall_import_hooks():
    if _S.orig_import is not None and builtins.__import__ is _ft_import:
        builtins.__import__ = _S.orig_import
    if (_S.orig_import_module is not None and
            getattr(importlib.import_module, "__wrapped__", None) is _S.orig_import_module):
        importlib.import_module = _S.orig_import_module


def _new_modules():
    """Names that appeared in sys.modules since the last call."""
    now = set(sys.modules)
    new = now - _S.snap
    _S.snap = now
    _remember_files(new)
    return new


def _remember_files(names):
    # Keep the files of modules as they appear: a module removed from
    # sys.modules later (two conftest.py files are both named "conftest")
    # must still be found by name.
    mods = sys.modules
    for name in names:
        mod = mods.get(name)
        if mod is None:
            continue
        for f in _module_files(mod):
            _S.modfiles.setdefault(name, set()).add(f)


def _module_files(mod):
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


# ------------------------------------------------------------------ pytest hooks

def _ours(config):
    return _ENABLED and config is not None and config is _S.config


@pytest.hookimpl(tryfirst=True)
def pytest_plugin_registered(plugin, manager):
    if not _ENABLED:
        return
    if _S.pm is None:
        _S.pm = manager
    if manager is not _S.pm:
        return  # an inner session (pytester): not ours
    try:
        f = getattr(plugin, "__file__", None)
        if isinstance(f, str) and os.path.basename(f) == "conftest.py":
            name = _importer_key(vars(plugin))
            _S.conftests[_abspath(f)] = name
            _S.conftest_names.add(plugin.__name__)
            _S.modfiles.setdefault(name, set()).update(_module_files(plugin))
            for m in _new_modules():
                if m not in _S.conftest_names:
                    _add_edge(name, m)
    except Exception as e:
        _S.fail("conftest tracking: %r" % (e,))


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    if not _ENABLED or _S.config is not None:
        return
    if _S.pm is not None and config.pluginmanager is not _S.pm:
        return
    _S.config = config
    _S.ctl = _Control()


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    if not (_ours(getattr(collector, "config", None)) and isinstance(collector, pytest.Module)):
        yield
        return
    try:
        _new_modules()
    except Exception as e:
        _S.fail("collect: %r" % (e,))
    yield
    try:
        new = _new_modules()
        mod = collector.__dict__.get("_obj")
        path = _abspath(str(collector.path))
        if mod is None:  # import failed, or an unusual collector
            for m in new:
                if path in [_abspath(f) for f in _module_files(sys.modules.get(m))]:
                    mod = sys.modules[m]
        if mod is not None:
            name = mod.__name__
            _S.roots[path] = name
            _remember_files([name])
            for m in new:
                if m not in _S.conftest_names:
                    _add_edge(name, m)
    except Exception as e:
        _S.fail("collect: %r" % (e,))


if _PYTEST_OK:  # `file_path` is unknown to older pytest: it would refuse the plugin
    def pytest_collect_file(file_path, parent):
        # Every file below a collected directory passes here, after pytest
        # stat'ed it; most are data files that collection only looks at.
        if _ENABLED and _ours(getattr(parent, "config", None)):
            try:
                f = str(file_path)
                if not f.endswith(_CODE_SUFFIXES):
                    _S.collect_files.add(_abspath(f))
            except Exception as e:
                _S.fail("collect file: %r" % (e,))


def _outcome(reports, excinfo):
    failed = error = skipped = False
    phases = set()
    for r in reports:
        phases.add(r.when)
        if r.failed:
            if r.when == "call":
                failed = True
            else:
                error = True
        elif r.skipped and not hasattr(r, "wasxfail"):
            skipped = True
    if failed:
        return "failed"
    if error or excinfo is not None:
        return "error"
    if skipped:
        return "skipped"
    if "call" not in phases:  # interrupted before the call
        return "error"
    return "passed"


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    if not _ours(getattr(item, "config", None)) or _S.current is not None:
        yield
        return
    nodeid = item.nodeid.encode("utf-8", "surrogateescape")
    try:
        _new_modules()
        _S.current = nodeid
        _S.current_id = item.nodeid
        _S.ctx = nodeid
        _S.reports = []
        if _S.ctl is not None:
            _S.ctl.call("ftrace_test_begin", nodeid)
    except Exception as e:
        _S.fail("test begin: %r" % (e,))
    outcome = yield
    # End the test whatever happens here: a test left open would swallow the
    # accesses of everything after it.  If the outcome cannot be worked out,
    # "error" keeps the test selected.
    result = "error"
    try:
        result = _outcome(_S.reports, getattr(outcome, "excinfo", None))
    except Exception as e:
        _S.fail("test outcome: %r" % (e,))
    _S.current = None
    _S.ctx = None
    try:
        if _S.ctl is not None:
            _S.ctl.call("ftrace_test_end", nodeid, _OUTCOME[result])
    except Exception as e:
        _S.fail("test end: %r" % (e,))
    try:
        module = item.getparent(pytest.Module)
        path = module.path if module is not None else getattr(item, "path", None)
        _S.tests.append({
            "id": item.nodeid,
            "file": _abspath(str(path)) if path is not None else None,
            "outcome": result,
        })
    except Exception as e:
        _S.fail("test record: %r" % (e,))


def pytest_runtest_logreport(report):
    # The node id check keeps out the reports of an inline pytester session
    # run by the current test (its failures are not the test's).
    if _ENABLED and _S.current is not None and report.nodeid == _S.current_id:
        _S.reports.append(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # The setup of a fixture shared between tests is shared state: what it
    # reads belongs to the prelude, which every test depends on.
    scope = getattr(fixturedef, "scope", "function")
    if (not _ENABLED or _S.current is None or scope == "function" or
            not _ours(getattr(request, "config", None))):
        yield
        return
    prev = _S.ctx
    try:
        _S.ctx = None
        if _S.ctl is not None:
            _S.ctl.call("ftrace_context", None)
    except Exception as e:
        _S.fail("fixture context: %r" % (e,))
    yield
    try:
        _S.ctx = prev
        if _S.ctl is not None:
            _S.ctl.call("ftrace_context", prev)
    except Exception as e:
        _S.fail("fixture context: %r" % (e,))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if _ours(session.config):
        _finish()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    if _ours(config):
        _finish()
        _uninstall_import_hooks()


# -------------------------------------------------------------- the side file

def _abspath(p):
    if not os.path.isabs(p):
        base = None
        if _S.config is not None:
            base = str(_S.config.invocation_params.dir)
        p = os.path.join(base or os.getcwd(), p)
    return os.path.normpath(p)


class _Project:
    """Which files belong to the project: under rootdir, not third-party."""

    def __init__(self, rootdir):
        self.roots = {rootdir, os.path.realpath(rootdir)}

    def owns(self, path):
        for root in self.roots:
            if path.startswith(root + os.sep):
                parts = path[len(root) + 1:].split(os.sep)
                return not any(p in _NOT_PROJECT_DIRS for p in parts)
        return False


def _cache_names(src):
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
        tag = "%s-pytest-%s" % (sys.implementation.cache_tag, pytest.__version__)
        out.append(os.path.join(d, "__pycache__", "%s.%s.pyc" % (base[:-3], tag)))
    except Exception:
        pass
    return out


def _files_of(name, project):
    """Project files (sources and compiled) of module `name`.  Only sources
    are resolved with realpath: its lstat is a prelude access, and a .pyc
    written during the run (by the test that first imported the module)
    would then be an input changed during the run, "unknown" for ever."""
    files = set()
    for f in _S.modfiles.get(name, ()):
        f = _abspath(f)
        if f.endswith(".pyc"):
            if project.owns(f):
                files.add(f)
            continue
        for g in set((f, os.path.realpath(f))):
            if project.owns(g):
                files.add(g)
                files.update(_cache_names(g))
    return files


def _names_in(path, cache):
    """Identifiers in a source file (a generous over-approximation of the
    attributes its code can name)."""
    got = cache.get(path)
    if got is None:
        try:
            with open(path, "rb") as fh:
                got = set(m.decode() for m in _IDENT.findall(fh.read()))
        except Exception:
            got = set()
        cache[path] = got
    return got


def _build():
    config = _S.config
    rootdir = str(getattr(config, "rootpath", None) or config.rootdir)
    rootdir = _abspath(rootdir)
    project = _Project(rootdir)
    _new_modules()
    _remember_files(list(sys.modules))

    proj_mods = {}  # module name -> project files
    for name in list(_S.modfiles):
        files = _files_of(name, project)
        if files:
            proj_mods[name] = files

    # Attribute access to a submodule that the module never imported itself
    # (`import calc` then `calc.ops.f()`, working because someone else
    # imported calc.ops): add an edge when the submodule's name appears in
    # the source of a module that imports its package.
    children = {}  # package -> {last name component: submodule}
    for name in proj_mods:
        parent, _, last = name.rpartition(".")
        if parent:
            children.setdefault(parent, {})[last] = name
    idents = {}
    for name, files in proj_mods.items():
        targets = _S.edges.get(name)
        if not targets:
            continue
        pkgs = [t for t in targets if t in children]
        if not pkgs:
            continue
        names = set()
        for f in files:
            if f.endswith(".py") and os.path.isfile(f):
                names |= _names_in(f, idents)
        extra = []
        for pkg in pkgs:
            kids = children[pkg]
            for last in (names & kids.keys()) if len(kids) > 8 else [k for k in kids if k in names]:
                extra.append(kids[last])
        for child in extra:
            _add_edge(name, child)

    def closure(starts):
        seen = set()
        todo = list(starts)
        while todo:
            m = todo.pop()
            if m in seen:
                continue
            seen.add(m)
            if _is_framework(m) and m not in starts:
                continue  # not expanded: see _is_framework
            todo.extend(_S.edges.get(m, ()))
        return seen

    root_names = set(_S.roots.values()) | set(_S.conftests.values())
    reach = closure(root_names)
    root_parents = set()
    for r in list(_S.roots.values()) + list(_S.conftest_names):
        while r:
            r = r.rpartition(".")[0]
            if r:
                root_parents.add(r)
    imported_by = {}
    for importer, targets in _S.edges.items():
        for t in targets:
            imported_by.setdefault(t, set()).add(importer)

    # Project modules used by every test: loaded before the import hook was
    # installed, loaded with no importer we saw, or imported by code that no
    # test module reaches: pytest itself (pytest_plugins, importorskip, -p),
    # a third-party plugin importing the project's settings.  This holds for
    # test modules too (--doctest-modules collects calc/helpers.py, which a
    # conftest may also load as a plugin), except that pytest's collection
    # importing a test module, a conftest or their packages is expected.
    collected = set(_S.roots.values()) | _S.conftest_names
    glob = set()
    for name in proj_mods:
        if name in root_names and name not in collected:
            continue  # a "conftest:<file>" key: its real name is checked
        if name in _S.early:
            glob.add(name)
            continue
        expected = name in collected or name in root_parents
        importers = imported_by.get(name)
        if not importers:
            if not expected:
                glob.add(name)
            continue
        for i in importers:
            # reach holds framework modules a test imports (from
            # _pytest.config import ...) but never expands them: an import
            # by pytest is not an import by that test.
            if i is not None and i in reach and not _is_framework(i):
                continue
            if expected and i in _COLLECTORS:
                continue
            glob.add(name)
            break
    glob_files = set()
    for m in closure(glob):
        glob_files |= proj_mods.get(m, set())
    for name in glob:
        glob_files |= proj_mods.get(name, set())

    def files_for(names):
        out = set()
        for m in names:
            out |= proj_mods.get(m, set())
        return out

    conftest_dirs = [(os.path.dirname(f), n) for f, n in _S.conftests.items()]
    all_files = set()
    for files in proj_mods.values():
        all_files |= files
    closures = {}
    for path, name in _S.roots.items():
        starts = {name}
        d = os.path.dirname(path)
        for cdir, cname in conftest_dirs:
            if d == cdir or d.startswith(cdir + os.sep):
                starts.add(cname)
        files = files_for(closure(starts)) | glob_files
        files.add(path)
        files.update(_cache_names(path))
        for cdir, cname in conftest_dirs:
            if d == cdir or d.startswith(cdir + os.sep):
                cf = os.path.join(cdir, "conftest.py")
                files.add(cf)
                files.update(_cache_names(cf))
        closures[path] = sorted(files)
    # A test file that is not a Python module pytest collected (a custom
    # collector's item, a doctest text file): no split, it gets everything.
    for t in _S.tests:
        f = t.get("file")
        if f and f not in closures:
            closures[f] = sorted(all_files | {f})

    project_files = set(all_files)
    for files in closures.values():
        project_files.update(files)

    cache_dir = None
    try:
        cache = getattr(config, "cache", None)
        if cache is not None:
            cache_dir = _abspath(str(getattr(cache, "_cachedir")))
    except Exception:
        cache_dir = None

    return {
        "adapter": "pytest",
        "version": SIDE_FILE_VERSION,
        "pid": os.getpid(),
        "broken": bool(_S.errors),
        "errors": list(_S.errors),
        "active": _S.ctl is not None and _S.ctl.lib is not None,
        "rootdir": rootdir,
        "invocation_dir": _abspath(str(config.invocation_params.dir)),
        "python_files": list(config.getini("python_files")),
        "cache_dir": cache_dir,
        "project_files": sorted(project_files),
        "collect_stat_files": sorted(f for f in _S.collect_files
                                     if project.owns(f) and f not in project_files),
        "closures": closures,
        "tests": list(_S.tests),
    }


def _touch_sources(doc):
    """Open every project source file once, in the prelude.  Python opens a
    .py only when its .pyc is stale, and a module imported during one test
    is not read again by the next: these opens give ingest a content
    dependency on each source, which the closures then hand to exactly the
    tests that reach it."""
    ctl = _S.ctl
    if ctl is None or ctl.lib is None:
        return
    ctl.call("ftrace_context", None)
    for f in doc["project_files"]:
        if f.endswith(".py"):
            try:
                with open(f, "rb"):
                    pass
            except OSError:
                pass


def _finish():
    if _S.written:
        return
    _S.written = True
    doc = None
    try:
        doc = _build()
        _touch_sources(doc)
    except Exception as e:
        _S.fail("building the side file: %r" % (e,))
    if doc is None:
        doc = {"adapter": "pytest", "version": SIDE_FILE_VERSION, "pid": os.getpid(),
               "tests": list(_S.tests), "closures": {}, "project_files": []}
    doc["broken"] = bool(_S.errors)
    doc["errors"] = list(_S.errors)
    path = os.path.join(_RUN_DIR, "adapter-pytest-%d.json" % os.getpid())
    tmp = path + ".tmp"
    try:
        with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as fh:
            json.dump(doc, fh, indent=1, sort_keys=True, ensure_ascii=False)
            fh.write("\n")
        os.replace(tmp, path)
    except Exception as e:
        _S.fail("writing %s: %r" % (path, e))
    if _S.errors and not _S.warned:
        _S.warned = True
        try:
            warnings.warn(pytest.PytestWarning(
                "ftrace: the pytest adapter failed (%s); this session will be "
                "treated conservatively" % (_S.errors[0],)))
        except Exception:
            pass  # -W error must not turn our trouble into the user's


if _ENABLED:
    _install_import_hooks()
