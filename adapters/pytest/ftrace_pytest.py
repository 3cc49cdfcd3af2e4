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
   The import graph behind it lives in ftrace_pytest_imports.py;
   docs/pytest.md describes the format and the rules.

Contract with the user's run: this plugin never changes the outcome of a run.
Any internal failure becomes at most one PytestWarning, and the side file then
says "broken": true (ingest treats such a session conservatively).

3. Deselects the tests `ftrace test` found unaffected: FTRACE_DESELECT_FILE
   names a file with one node id per line (the known tests that are NOT
   affected; new tests are never in it, so they always run).  Only the first
   collection of this process uses it, and the variable is removed from the
   environment at import, so a pytest started by a test (pytester, a
   subprocess) never inherits it.  An unreadable file deselects nothing.
   `ftrace test --failed-first`: FTRACE_FIRST_FILE names a file of node ids
   (the selected tests that failed last time) that run first, in their
   collected order; the rest keep theirs.  The same rules: first
   collection only, hidden from the tests, unreadable means no reordering.
   It changes the order only, never which tests run.

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

import _thread
import json
import operator
import os
import sys
import warnings

import pytest

import ftrace_pysite
import ftrace_pytest_imports as graph


def _own_module(name):
    """The adapter's module `name`, loaded from this file's directory by
    its path: an import through sys.path would look for it first in the
    directories before this one (the rootdir under `python -m pytest`),
    and those look-ups of names no project has would be every test's
    dependencies (ftrace_pysite, "Lookups that miss")."""
    got = sys.modules.get(name)
    if got is not None:
        return got
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    try:
        spec.loader.exec_module(mod)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return mod


# (at start, not where it is first used: a module that comes into
# sys.modules while the tests run is news to libraries that watch it;
# hypothesis then writes one more file into its store, "Library stores")
ftrace_fpcache = _own_module("ftrace_fpcache")

SIDE_FILE_VERSION = 1

_OUTCOME = {"unknown": 0, "passed": 1, "failed": 2, "skipped": 3, "error": 4}


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
# `ftrace test`'s deselection (point 3 above), whether or not we record.
_DESELECT_FILE = os.environ.pop("FTRACE_DESELECT_FILE", None) or None
# `ftrace test --failed-first` (point 3 above)
_FIRST_FILE = os.environ.pop("FTRACE_FIRST_FILE", None) or None
# `ftrace run --granularity=function`: record which project functions each
# test executed (ftrace_pytest_funcs.py, docs/python-functions.md).  Hidden
# from the tests like FTRACE_DESELECT_FILE.  "auto", `ftrace run`'s default:
# only where a cheap hook records (sys.monitoring, the frame hook); else the
# session is recorded by file, and `ftrace affected` selects its tests so.
_GRANULARITY = os.environ.pop("FTRACE_GRANULARITY", None)


def _cheap_hook():
    if sys.implementation.name != "cpython" or sys.version_info < (3, 11):
        return False
    if sys.version_info >= (3, 12):
        return getattr(sys, "monitoring", None) is not None
    try:
        import _ftrace_fframe  # noqa: F401  (built for this interpreter)
    except ImportError:
        return False
    return not os.environ.get("FTRACE_PYFUNC_HOOK")


_FUNCS = _ENABLED and (_GRANULARITY == "function" or (_GRANULARITY == "auto" and _cheap_hook()))

# Files Python may import or load: never "looked at only".
_CODE_SUFFIXES = (".py", ".pyc", ".pyo", ".pyd", ".so", ".pth")


def _pyenv_new_context():
    # the names os.environ reported count again in the new context
    m = sys.modules.get("ftrace_pyenv")
    if m is not None:
        try:
            m.new_context(_S.ctx)
        except Exception as e:
            _S.fail("ftrace_pyenv: %r" % (e,))


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
        _pyenv_new_context()


class _State:
    def __init__(self):
        self.errors = []
        self.warned = False
        self.pm = None           # the plugin manager we serve
        self.config = None
        self.ctl = None
        self.current = None      # node id (bytes) of the running test
        self.current_id = None   # the same, as pytest's str
        self.ctx = None          # context we set last (bytes or None)
        self.loading = False     # an import in a test loading a module (_load_begin)
        self.main_thread = _thread.get_ident()   # the thread the plugin was loaded in
        self.reports = []
        self.tests = []
        self.roots = {}          # test module file -> module name
        self.item_files = set()  # the files of the items collected (before any deselection)
        self.conftests = {}      # conftest file -> importer key
        self.conftest_names = set()  # their real module names
        self.collect_files = set()  # files collection visited (no compiled code)
        self.scans = None        # modules whose scandir we wrapped (None: not)
        self.ignore_impls = []   # pytest's ignore-check hook implementations we wrapped
        self.glob_own = False    # pathlib.Path had its own glob before ours
        self.written = False
        self.funcs = None        # ftrace_pytest_funcs.Recorder, if enabled
        self.funcs_errors = []
        # The state guard's marks (ftrace_pyleak.Watch's interface): the
        # recorder at function granularity, else a Watch of our own; None
        # when it could not start.  Its leaky tests go to the side file.
        self.watch = None
        # ftrace_pycollect.Collect while pytest collects; None: no guard
        # (every module collection loads is every test's), or over
        self.collect = None
        self.collect_over = False
        self.early = None         # ftrace_fpcache.Early: fingerprints made while tests run
        self.inventory = None    # _Inventory, registered at configure
        self.coverage_data = set()  # coverage.py's data files (_coverage_note)

    def fail(self, msg):
        if len(self.errors) < 20:
            self.errors.append(msg)

    def fail_funcs(self, msg):
        # The function recorder's trouble: it makes the functions part
        # incomplete (file granularity), not the whole side file broken.
        if len(self.funcs_errors) < 20:
            self.funcs_errors.append(msg)


_S = _State()


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
            name = graph.importer_key(vars(plugin))
            _S.conftests[_abspath(f)] = name
            _S.conftest_names.add(plugin.__name__)
            graph.add_files(name, graph.module_files(plugin))
            for m in graph.new_modules():
                if m not in _S.conftest_names:
                    graph.add_edge(name, m)
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
    _initial_glob_remove()
    _collect_scans_install()
    ftrace_pysite.install_pytest()
    _wrap_package_setup()
    try:
        _S.inventory = _Inventory()
        config.pluginmanager.register(_S.inventory, "ftrace-inventory")
    except Exception as e:
        _S.inventory = None
        _S.fail("collection inventory: %r" % (e,))
    if _S.funcs is not None:
        try:
            rootdir = _abspath(str(getattr(config, "rootpath", None) or config.rootdir))
            project = graph._Project(rootdir)
            _S.funcs.check_root(project.owns, project.roots)
            _S.funcs.guard_state(project.owns)
            if _S.funcs._guard is not None:
                _S.watch = _S.funcs
        except Exception as e:
            _S.funcs.complete = False
            _S.fail_funcs("checking the rootdir: %r" % (e,))
    else:
        _watch_start(config)
    _collect_start()


def _collect_start():
    """The collection guard (ftrace_pycollect), on the state guard's
    Guard; without one, collection's modules are every test's at the
    end of collection (_collect_stop)."""
    w = _S.watch
    if w is None:
        return
    try:
        import ftrace_pycollect
        watch = w._guard if w is _S.funcs else w
        _S.collect = ftrace_pycollect.Collect(watch.guard, _S.fail)
        graph.set_around_any_import(_S.collect.before_import, _S.collect.after_import)
    except Exception as e:
        _S.collect = None
        _S.fail("collection state guard: %r" % (e,))


def _collect_stop():
    """Collection is over (or a test starts, or the session ends)."""
    if _S.collect_over:
        return
    _S.collect_over = True
    graph.set_around_any_import(None, None)
    if _S.collect is not None:
        _S.collect.stop()
    else:
        graph.note_leaky_collection(list(sys.modules))


def _watch_start(config):
    """File granularity: the state guard alone, so that what a test that
    leaves state behind saw is every test's (docs/pytest.md, "Limits").
    On failure no watch: the side file then names no leaky test, and
    ingest takes every test for leaky."""
    try:
        import ftrace_pyleak
        rootdir = _abspath(str(getattr(config, "rootpath", None) or config.rootdir))
        project = graph._Project(rootdir)
        try:
            import ftrace_pyclock
            versions = ftrace_pyclock.reader(instances=False)[0]
            dicts = ftrace_pyclock.reader()[0]
        except Exception:
            versions = dicts = None
        _S.watch = ftrace_pyleak.Watch(ftrace_pyleak.Guard(project.owns, versions=versions,
                                                           dicts=dicts),
                                       _S.fail)
    except Exception as e:
        _S.watch = None
        _S.fail("state guard: %r" % (e,))


# pytest's own directory scans (_pytest.pathlib.scandir, which Dir.collect,
# Package.collect and visit() call) run flagged FT_CONTEXT_COLLECT: ingest
# then records their listings as FT_DEP_CLIST, whose changes select nothing
# when only names the collector ignores came or went (docs/selection.md).
# Through the control path (preload/control.c): a stat of a reserved name.
# Only in the prelude; the preload library checks that too.

_SCANDIR_HOMES = ("_pytest.pathlib", "_pytest.main", "_pytest.python")


def _ctl_touch(what):
    ftrace_pysite.touch(what)


def _collect_scans_install():
    if _S.ctl is None or _S.ctl.lib is None or not _RUN_DIR:
        return
    try:
        import _pytest.pathlib
        orig = getattr(_pytest.pathlib, "scandir", None)
        if orig is None or getattr(orig, "_ftrace_orig", None) is not None:
            return

        def scandir(*args, **kwargs):
            if _S.current is not None or _S.ctx is not None or _S.scans is None:
                return orig(*args, **kwargs)
            _ctl_touch("collect")
            try:
                return orig(*args, **kwargs)
            finally:
                _ctl_touch("collect-end")

        scandir._ftrace_orig = orig
        scandir.__wrapped__ = orig
        _S.scans = []
        for name in _SCANDIR_HOMES:
            m = sys.modules.get(name)
            if m is not None and getattr(m, "scandir", None) is orig:
                m.scandir = scandir
                _S.scans.append(m)
        _ignore_check_install()
    except Exception as e:
        _S.scans = None
        _S.fail("collection scans: %r" % (e,))


# pytest's own ignore check (_pytest.main.pytest_ignore_collect) stats each
# entry of a directory its collector listed (`is_dir()`, and the venv
# probes).  Run in the same window, such a stat is a "collected-type"
# dependency, which an entry removed does not change: the directory's
# collected-list says whether that removal matters (docs/selection.md).
# Only when the conftests of the entry's directory are loaded already, so
# no conftest runs inside the window.  pluggy calls the hook
# implementation's `function`, so that is what is wrapped.

def _ignore_check_install():
    import _pytest.main
    caller = getattr(_S.config.pluginmanager.hook, "pytest_ignore_collect", None)
    confmods = getattr(_S.config.pluginmanager, "_dirpath2confmods", None)
    if caller is None or not isinstance(confmods, dict):
        return
    for impl in caller.get_hookimpls():
        orig = impl.function
        if impl.plugin is not _pytest.main or getattr(orig, "_ftrace_orig", None) is not None:
            continue

        def check(*args, _orig=orig):
            path = args[0] if args else None
            parent = getattr(path, "parent", None)
            if (_S.current is not None or _S.ctx is not None or _S.scans is None
                    or parent is None or parent not in confmods):
                return _orig(*args)
            _ctl_touch("collect")
            try:
                return _orig(*args)
            finally:
                _ctl_touch("collect-end")

        check._ftrace_orig = orig
        check.__wrapped__ = orig
        impl.function = check
        _S.ignore_impls.append(impl)


# pytest's start-up lists each initial anchor (a testpaths directory, or
# the invocation directory) for test* subdirectories, whose conftests it
# loads early (PytestPluginManager._set_initial_conftests; pytest 7's
# _try_load_conftest).  Outside a window that listing is a plain `list`
# of the directory, and any name added there counts (a helper module in
# tests/ selected every test).  Only the conftest.py files of test*
# directories come of it, and the collector's rule already counts a new
# directory with a conftest.py: so that glob, and only a call made by
# those methods themselves, is evaluated whole in a collect window; the
# conftests they then import run outside it, as every other caller of
# Path.glob.  Removed at pytest_configure, when the early conftests are
# loaded.

_INITIAL_CONFTESTS = ("_set_initial_conftests", "_try_load_conftest")


def _initial_glob_install():
    try:
        import pathlib
        import _pytest.config
        owners = set()
        for name in _INITIAL_CONFTESTS:
            code = getattr(getattr(_pytest.config.PytestPluginManager, name, None), "__code__", None)
            if code is not None:
                owners.add(code)
        orig = pathlib.Path.glob
        if not owners or getattr(orig, "_ftrace_orig", None) is not None:
            return

        def glob(self, pattern, *args, **kwargs):
            try:
                caller = sys._getframe(1).f_code
            except Exception:
                caller = None
            if caller not in owners or pattern != "test*" or _S.current is not None or _S.ctx is not None:
                return orig(self, pattern, *args, **kwargs)
            _ctl_touch("collect")
            try:
                return iter(list(orig(self, pattern, *args, **kwargs)))
            finally:
                _ctl_touch("collect-end")

        glob._ftrace_orig = orig
        glob.__wrapped__ = orig
        _S.glob_own = "glob" in pathlib.Path.__dict__
        pathlib.Path.glob = glob
    except Exception as e:
        _S.fail("initial conftest listing: %r" % (e,))


def _initial_glob_remove():
    try:
        import pathlib
        cur = pathlib.Path.__dict__.get("glob")
        orig = getattr(cur, "_ftrace_orig", None)
        if orig is None:
            return
        if _S.glob_own:
            pathlib.Path.glob = orig
        else:
            del pathlib.Path.glob
    except Exception as e:
        _S.fail("initial conftest listing: %r" % (e,))


def _collect_scans_remove():
    for m in _S.scans or ():
        cur = getattr(m, "scandir", None)
        orig = getattr(cur, "_ftrace_orig", None)
        if orig is not None:
            m.scandir = orig
    _S.scans = None
    for impl in _S.ignore_impls:
        orig = getattr(impl.function, "_ftrace_orig", None)
        if orig is not None:
            impl.function = orig
    _S.ignore_impls = []


# Other plugins' pytest_ignore_collect that leave every name's fate to
# pytest's own hook, as read (docs/selection.md, "Listings only pytest's
# collector read"): (module, qualname) -> (SHA-256 of the function's
# dedented source, the one name it decides itself).  Such a hook returns
# True (ignore, with a warning) only for that name, and only when
# `norecursedirs` does not match it; else None.  So where a norecursedirs
# pattern matches the name, it never decides anything, and the collection
# is pytest's own.  Another text of the function (another version) is not
# known, and makes the collector not plain.
_INERT_IGNORE = {
    # hypothesis's plugin (the same text in every release since it gained
    # the hook; checked against its repository's history)
    ("_hypothesis_pytestplugin", "pytest_ignore_collect"):
        ("4f86b933ed2e618b293a367c7a6ca3729f94c057e3c94a011cf7a24984b7fb71", ".hypothesis"),
}


# Other plugins' pytest_collection_modifyitems that neither reorder, drop
# nor add items, and change no item but a test of their own, or an item
# only by what it is itself, so that a test a module gains changes no
# other item (for
# "pyplain": what may see a test a module gains; docs/python-functions.md,
# "Test modules"): (module, qualname) -> the SHA-256s of the function's
# dedented source.  Another text is not known, and makes the session not
# pyplain.
_INERT_MODIFYITEMS = {
    # hypothesis's plugin (6.170.15): adds the "hypothesis" mark to its own
    # tests, and collects the project's literals (in an import window:
    # they reach hypothesis tests alone, which the recorder keeps whole)
    ("_hypothesis_pytestplugin", "pytest_collection_modifyitems"): frozenset((
        "95a3c5de732cb1ac223a3515499f565d3be4737f7342b527d995a99e61232455",)),
    # pytest-benchmark's (4.0.0; 5.0.1 to 5.2.3; 5.3.0 and 5.3.1): marks
    # each item skipped or not by the item's own fixture names and the
    # session's options (--benchmark-skip, --benchmark-only), and notes
    # for its own xdist warning that a benchmark exists
    ("pytest_benchmark.plugin", "pytest_collection_modifyitems"): frozenset((
        "bc6fc97bba42577b72c22718e5a1514795563fd579aedec0bed96db9180b7d2c",
        "e62b2f83d46604b9071b75ce0736e80c00dc0e4cbc5dc4f1d4026e2f8a1b98e8",
        "ee8702422e79f42f13c0e02564f59d384b7051b9a0c5813546bf56644f99f193")),
}


def _known_text(fn, shas):
    """Is the dedented source of function `fn` one of SHA-256s `shas`?"""
    import hashlib
    import inspect
    import textwrap
    try:
        src = textwrap.dedent(inspect.getsource(fn)).strip()
    except Exception:
        return False
    return hashlib.sha256(src.encode()).hexdigest() in shas


def _inert_modifyitems(impl):
    """Is `impl` a known pytest_collection_modifyitems (_INERT_MODIFYITEMS)?"""
    fn = getattr(impl, "function", None)
    known = _INERT_MODIFYITEMS.get((getattr(fn, "__module__", None), getattr(fn, "__qualname__", None)))
    if known is None or getattr(impl, "hookwrapper", False) or getattr(impl, "wrapper", False):
        return False
    return _known_text(fn, known)


def _inert_ignore(impl, config):
    """Is `impl` a known pytest_ignore_collect that decides nothing here?"""
    import fnmatch
    import hashlib
    import inspect
    import textwrap
    fn = getattr(impl, "function", None)
    known = _INERT_IGNORE.get((getattr(fn, "__module__", None), getattr(fn, "__qualname__", None)))
    if known is None or getattr(impl, "hookwrapper", False) or getattr(impl, "wrapper", False):
        return False
    try:
        src = textwrap.dedent(inspect.getsource(fn)).strip()
        pats = config.getini("norecursedirs")
    except Exception:
        return False
    if hashlib.sha256(src.encode()).hexdigest() != known[0]:
        return False
    return any(isinstance(p, str) and fnmatch.fnmatch(known[1], p) for p in pats)


def _collector(config):
    """The side file's "collector": whether only pytest's own plugins
    decide what a directory's names become ("plain"), and the doctests they
    collect.  Read at the end, when every conftest is loaded.  This module's
    own pytest_collect_file only watches (it returns None); a known other
    pytest_ignore_collect that decides nothing here (_INERT_IGNORE), or
    pytest_collection_modifyitems that touches only its own tests
    (_INERT_MODIFYITEMS), is none of them."""
    def own_only(names):
        for name in names:
            caller = getattr(config.pluginmanager.hook, name, None)
            for impl in (caller.get_hookimpls() if caller is not None else ()):
                p = impl.plugin
                mod = p.__name__ if isinstance(p, type(sys)) else type(p).__module__
                if not isinstance(mod, str) or not (mod == "_pytest" or mod.startswith("_pytest.")
                                                    or mod == __name__):
                    if name == "pytest_ignore_collect" and _inert_ignore(impl, config):
                        continue
                    if name == "pytest_collection_modifyitems" and _inert_modifyitems(impl):
                        continue
                    return False
        return True

    plain = _S.scans is not None and not _S.errors and own_only(
        ("pytest_collect_file", "pytest_collect_directory", "pytest_ignore_collect"))
    out = {
        "plain": plain,
        "doctest_modules": bool(config.getoption("doctestmodules", False)),
        "doctest_glob": list(config.getoption("doctestglob", None) or ["test*.txt"]),
        # what a test module's names become, and what may see a test the
        # module gains: pytest's own code only (docs/python-functions.md,
        # "Test modules")
        "pyplain": not _S.errors and own_only(
            ("pytest_pycollect_makemodule", "pytest_pycollect_makeitem",
             "pytest_generate_tests", "pytest_collection_modifyitems")),
        "python_functions": list(config.getini("python_functions")),
        "python_classes": list(config.getini("python_classes")),
    }
    # every import lookup noted, and a loaded module's again in the prelude
    # after each test (the selector then takes a module's name in an
    # import-system listing for no change: docs/selection.md)
    if ftrace_pysite.notes_lookups():
        out["noted"] = ["lookups"]
    # what pytest's start-up had loaded (ftrace_pytest_startup.LOADED), if
    # that plugin ran
    loaded = getattr(sys.modules.get("ftrace_pytest_startup"), "LOADED", None)
    if isinstance(loaded, list):
        out["loaded"] = loaded
    stdlib = getattr(sys.modules.get("ftrace_pytest_startup"), "STDLIB", None)
    if isinstance(stdlib, list):
        out["stdlib"] = stdlib
    # which standard library: a from-import's new name is checked against
    # the fingerprint tool's, if it is the same (ftrace_fingerprint._have)
    try:
        import ftrace_fingerprint
        out["std"] = ftrace_fingerprint.std_identity()
    except Exception:
        pass   # no "std": selection lets no from-import gain a name
    return out


class _Inventory:
    """Every test id each test file holds, where this session collected
    the file whole: ingest forgets a recorded test of such a file that is
    not among them (renamed or deleted), which `ftrace affected` would
    otherwise select for ever, by an id pytest no longer finds
    (docs/pytest.md, "Forgetting tests").  Only what a file's collection
    produced counts, before anything filters it: this wrapper is the
    innermost (trylast), so `--lf`'s trimming of a module's items, which
    runs after it, is not seen; a file whose report is empty (nothing, or
    skipped whole by `--lf`), failed, or has a class or other
    sub-collector that was never collected itself (a node id such as
    `file::Class::test` given on the command line collects only that
    class) is not complete, and none of its tests is forgotten."""

    def __init__(self):
        self.items = {}      # abs file -> set of node ids
        self.files = set()   # files whose own collector reported children
        self.pending = {}    # collector node id -> abs file: a child not yet collected
        self.bad = set()     # files with a failed or empty report
        self.ok = True

    @pytest.hookimpl(hookwrapper=True, trylast=True)
    def pytest_make_collect_report(self, collector):
        outcome = yield
        if not self.ok or not _ours(getattr(collector, "config", None)):
            return
        try:
            top = collector.getparent(pytest.File)
            if top is None:
                return   # the session, a directory, a package
            key = _abspath(str(top.path))
            self.pending.pop(collector.nodeid, None)
            rep = outcome.get_result()
            if rep.outcome != "passed" or (collector is top and not rep.result):
                self.bad.add(key)
                return
            if collector is top:
                self.files.add(key)
            for x in rep.result:
                if isinstance(x, pytest.Item):
                    self.items.setdefault(key, set()).add(x.nodeid)
                else:
                    self.pending[x.nodeid] = key
        except Exception as e:
            self.ok = False
            _S.fail("collection inventory: %r" % (e,))

    def complete(self):
        """{abs file: sorted node ids} of the files collected whole."""
        if not self.ok:
            return {}
        holes = set(self.pending.values()) | self.bad
        return {f: sorted(self.items[f]) for f in sorted(self.files)
                if f not in holes and self.items.get(f)}


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    if not (_ours(getattr(collector, "config", None)) and isinstance(collector, pytest.Module)):
        yield
        return
    try:
        graph.new_modules()
    except Exception as e:
        _S.fail("collect: %r" % (e,))
    path = None
    if _S.collect is not None and not _S.collect_over:
        try:
            path = _abspath(str(collector.path))
        except Exception as e:
            _S.fail("collect: %r" % (e,))
            _S.collect = None   # (_collect_stop: every module is every test's)
        else:
            _S.collect.begin(path)
    yield
    if path is not None and _S.collect is not None and not _S.collect_over:
        _S.collect.end(path)
    try:
        new = graph.new_modules()
        mod = collector.__dict__.get("_obj")
        path = _abspath(str(collector.path))
        if mod is None:  # import failed, or an unusual collector
            for m in new:
                if path in [_abspath(f) for f in graph.module_files(sys.modules.get(m))]:
                    mod = sys.modules[m]
        if mod is not None:
            name = mod.__name__
            _S.roots[path] = name
            graph.remember_files([name])
            for m in new:
                if m not in _S.conftest_names:
                    graph.add_edge(name, m)
    except Exception as e:
        _S.fail("collect: %r" % (e,))


if _PYTEST_OK:  # `file_path` is unknown to older pytest: it would refuse the plugin
    def pytest_collect_file(file_path, parent):
        # Every file below a collected directory passes here, after pytest
        # stat'ed it; most are data files that collection only looks at,
        # and test modules a partial run walks past (a .py counts as
        # looked at only when the run used no .pyc of it: ingest decides).
        if _ENABLED and _ours(getattr(parent, "config", None)):
            try:
                f = str(file_path)
                if f.endswith(".py") or not f.endswith(_CODE_SUFFIXES):
                    _S.collect_files.add(_abspath(f))
            except Exception as e:
                _S.fail("collect file: %r" % (e,))


def _interrupted(excinfo):
    """Did the test's protocol end by an interruption of the session
    (KeyboardInterrupt, pytest's Exit), not by anything of the test's?"""
    if not excinfo:
        return False
    tp = excinfo[0] if isinstance(excinfo, tuple) else type(excinfo)
    if not isinstance(tp, type):
        return False
    return issubclass(tp, KeyboardInterrupt) or (
        tp.__name__ == "Exit" and tp.__module__ == "_pytest.outcomes")


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
    _collect_stop()
    if _S.early is not None:
        _S.early.reap()   # before any test can wait for a child (ftrace_fpcache.Early)
    try:
        graph.new_modules()
        _S.current = nodeid
        _S.current_id = item.nodeid
        _S.ctx = nodeid
        _S.reports = []
        ftrace_pysite.lookups_flush(False)   # the prelude's own
        if _S.ctl is not None:
            _S.ctl.call("ftrace_test_begin", nodeid)
    except Exception as e:
        _S.fail("test begin: %r" % (e,))
    if _S.watch is not None:
        _S.watch.test_begin()
        # a module the test imports joins the guard's baseline as its
        # import ends (ftrace_pyleak.Guard.baseline)
        graph.set_after_import(_S.watch.baseline)
    if _S.funcs is not None:
        graph.set_import_span(_S.funcs.import_begin, _S.funcs.import_end)
    outcome = yield
    graph.set_after_import(None)
    graph.set_import_span(None, None)
    if _S.funcs is not None and _S.funcs.target is not None:
        _funcs_target(None)   # a teardown that never ran: back to the prelude
    if _S.watch is not None:
        _S.watch.test_end((item.nodeid, _TEST))
    if _S.funcs is not None:
        _S.funcs.note_whole(item)
    # End the test whatever happens here: a test left open would swallow the
    # accesses of everything after it.  If the outcome cannot be worked out,
    # "error" keeps the test selected.
    result = "error"
    try:
        result = _outcome(_S.reports, getattr(outcome, "excinfo", None))
        if _interrupted(getattr(outcome, "excinfo", None)):
            # Ctrl-C or pytest.exit() in the middle of it: no outcome of
            # its own.  Unknown is selected next time as a failure is, and
            # is no flip for the flaky rule (a probe: an interrupted run's
            # "error", then "passed", taught ftrace the test was flaky).
            result = "unknown"
    except Exception as e:
        _S.fail("test outcome: %r" % (e,))
    reports = _S.reports
    _S.current = None
    _S.ctx = None
    try:
        if _S.ctl is not None:
            _S.ctl.call("ftrace_test_end", nodeid, _OUTCOME[result])
    except Exception as e:
        _S.fail("test end: %r" % (e,))
    try:
        # the test's import lookups, again in the prelude: the modules it
        # loaded are every later test's (ftrace_pysite.lookups_flush)
        ftrace_pysite.lookups_flush(True)
    except Exception as e:
        _S.fail("import lookups: %r" % (e,))
    try:
        module = item.getparent(pytest.Module)
        path = module.path if module is not None else getattr(item, "path", None)
        _S.tests.append({
            "id": item.nodeid,
            "file": _abspath(str(path)) if path is not None else None,
            "outcome": result,
            # pytest's own timing of the test (setup, call, teardown), in
            # seconds: what `ftrace stats` and --shard use as its duration
            "duration": sum(getattr(r, "duration", 0) or 0 for r in reports),
        })
    except Exception as e:
        _S.fail("test record: %r" % (e,))


def _funcs_target(target):
    if _S.funcs is not None:
        try:
            _S.funcs.set_target(target)
            # the test's own imports on demand are its lazy imports
            # (ftrace_pytest_imports.set_test)
            graph.set_test(target[0] if target is not None else None)
        except Exception as e:
            _S.funcs.complete = False
            _S.fail_funcs("function target: %r" % (e,))


# One function target per test, from its setup to the end of its teardown:
# what pytest and conftest hooks run between the phases (making and logging
# its reports) runs on the test's behalf.  Each target change costs: on
# 3.12+ it re-arms what the last target ran, and every hook starts a new
# set (six changes per test had cost 1.5x when 3.12+ re-armed every code
# object; docs/python-functions.md).
_TEST = "test"


def _phase(item):
    if _S.funcs is None or _S.current_id is None or item.nodeid != _S.current_id:
        return False
    _funcs_target((_S.current_id, _TEST))   # no change if already there
    return True


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_setup(item):
    _phase(item)
    yield


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_call(item):
    _phase(item)
    yield


def _teardown_shared(item, nextitem):
    """May this teardown finalize fixtures other tests share?  Yes when it
    is the last test, when the next test has another parent (a module,
    class or package scope ends), or when the test is parametrized (a
    parametrized shared fixture may be torn down at a parameter change).
    Shared teardown code then goes to the prelude."""
    return (nextitem is None or getattr(nextitem, "parent", None) is not item.parent
            or getattr(item, "callspec", None) is not None)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    ok = False
    try:
        if _S.funcs is not None and _teardown_shared(item, nextitem):
            ok = _S.current_id is not None and item.nodeid == _S.current_id
            if ok:
                _funcs_target(None)
                _guard_before_shared(item)
        elif (_S.funcs is None and _S.watch is not None and _teardown_shared(item, nextitem)
              and item.nodeid == _S.current_id):
            _guard_before_shared(item)
        else:
            ok = _phase(item)
    except Exception as e:
        _S.fail_funcs("teardown: %r" % (e,))
    yield
    if ok:
        _funcs_target(None)


def _guard_before_shared(item):
    """The state guard's end of the test comes before the teardown of
    shared fixtures, which may change state of their own (unittest's
    doClassCleanups sets a class attribute): a finalizer on the item's
    parent, added last, runs first of the parent's, once the item's own
    (function-scoped fixtures, monkeypatch's undo) have run."""
    parent = getattr(item, "parent", None)
    if parent is None or _S.watch is None:
        return
    target = (item.nodeid, _TEST)
    watch = _S.watch

    def end_of_test():
        # (a parent torn down in a later test's teardown: not this test's end)
        if _S.current_id == target[0]:
            watch.test_end_early(target)

    try:
        parent.addfinalizer(end_of_test)
    except Exception:
        pass            # then the end of the protocol: sound, coarser


def pytest_runtest_logreport(report):
    # The node id check keeps out the reports of an inline pytester session
    # run by the current test (its failures are not the test's).
    if _ENABLED and _S.current is not None and report.nodeid == _S.current_id:
        _S.reports.append(report)


def _shared_begin():
    """A shared setup starts inside a test: the state guard's mark (what
    changed until now is the test's), and the prelude as the target of
    what runs and is read.  A token for _shared_end."""
    prev = _S.ctx
    prev_target = _S.funcs.target if _S.funcs is not None else None
    if _S.watch is not None:
        _S.watch.fixture_begin(prev_target if _S.funcs is not None else
                               (_S.current_id, _TEST) if _S.current_id is not None else None)
    _funcs_target(None)
    _switch_context(None)
    return prev, prev_target


def _shared_end(token, fixturedef=None):
    """The shared setup of _shared_begin ended: what it changed is every
    test's state from now on (a fixture's value with it), not the test's."""
    prev, prev_target = token
    if _S.watch is not None:
        _S.watch.fixture_end(fixturedef)
    _funcs_target(prev_target)
    _switch_context(prev)


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # The setup of a fixture shared between tests is shared state: what it
    # reads belongs to the prelude, which every test depends on.
    scope = getattr(fixturedef, "scope", "function")
    if (not _ENABLED or _S.current is None or scope == "function" or
            not _ours(getattr(request, "config", None))):
        yield
        return
    token = _shared_begin()
    yield
    _shared_end(token, fixturedef)


def _wrap_package_setup():
    """pytest's Package.setup, in the setup of the first test of a package
    (a directory with __init__.py), imports that __init__.py as a test
    module, which puts the rootdir in front of sys.path again when a
    test directory without one was collected after it (--doctest-modules
    collects the package, then tests/), and runs its setUpModule: shared
    setup, as a shared fixture's is.  Inside the test, the state guard
    took sys.path's change for the test's: it left state behind, and all
    it ran was every test's (t9061: an edit of a function that only a
    doctest ran selected every test)."""
    try:
        from _pytest.python import Package
    except Exception:
        return
    orig = Package.__dict__.get("setup")
    if orig is None or getattr(orig, "_ftrace_orig", None) is not None:
        return

    def setup(self, *args, **kwargs):
        if not _ENABLED or _S.current is None or not _ours(getattr(self, "config", None)):
            return orig(self, *args, **kwargs)
        token = _shared_begin()
        try:
            return orig(self, *args, **kwargs)
        finally:
            _shared_end(token)

    setup._ftrace_orig = orig
    try:
        Package.setup = setup
    except Exception:
        pass


def _load_begin(spec=None):
    """Before the import system loads a module (importlib's
    _load_unlocked: the module made and its body run, after its finder
    found it) in a test, or in its function-scoped fixtures: what the
    load reads until it ends goes to the prelude, as what a module's body
    reads at collection does.  The module stays loaded for every later
    test, and so does what its body made of a data file (`TABLE =
    json.load(...)` in a module a test imports on demand, which a later
    test reads without importing it: a probe's escape).  The lookups
    before it (a name that finds nothing) stay the test's own; those of
    the modules it loaded are every later test's anyway (lookups_flush).
    Only the outermost load switches; a token to put the test's context
    back, or None.  Main thread only: the context is the process's."""
    if _S.loading or _S.ctx is None or _S.current is None or \
            _thread.get_ident() != _S.main_thread:
        return None
    prev = _S.ctx
    _S.loading = True
    _switch_context(None)
    return prev


def _load_end(prev, result=None, spec=None):
    if prev is not None:
        _S.loading = False
        _switch_context(prev)


def _install_load_hook():
    """Wrap importlib's _load_unlocked (looked up by its global name by
    _find_and_load_unlocked and _load) with _load_begin/_load_end, with no
    frame of ours around the call where _ftrace_around is built (a module
    body's warnings.warn(stacklevel=2) names its importer, as without
    ftrace)."""
    import _frozen_importlib as bootstrap
    orig = bootstrap._load_unlocked
    around = ftrace_pysite.around()
    if around is not None:
        hooked = around(_load_begin, orig, _load_end)
    else:
        def hooked(spec):
            prev = _load_begin(spec)
            try:
                return orig(spec)
            finally:
                _load_end(prev)
    bootstrap._load_unlocked = hooked


def _switch_context(ctx):
    """Make `ctx` (None: the prelude) the context of what follows."""
    try:
        _S.ctx = ctx
        if _S.ctl is not None:
            _S.ctl.call("ftrace_context", ctx)
    except Exception as e:
        _S.fail("fixture context: %r" % (e,))


def _coverage_note():
    """coverage.py's data file, while coverage measures this process
    (pytest-cov, `coverage run -m pytest`): coverage removes it at the
    start and writes it, its parallel siblings (<file>.<suffix>) and their
    -journal files at the end.  They are coverage's own, never a test's
    input; ingest leaves them out (docs/pytest.md, "Coverage").  Never
    imports coverage; never raises."""
    mod = sys.modules.get("coverage")
    try:
        cov = mod.Coverage.current() if mod is not None else None
        if cov is None:
            return
        # Not get_data(), which flushes what coverage measured so far.
        # Its data object's base file name, absolute since coverage made
        # it; before that, the configured name from here.
        data = getattr(cov, "_data", None)
        base = data.base_filename() if data is not None else cov.config.data_file
        _S.coverage_data.add(_abspath(str(base)))
    except Exception:
        pass


# The text of hypothesis.internal.charmap.intervals_from_codec (6.170.15 to
# 6.170.17 at least), sha256 of inspect.getsource(): it loads its table
# file, or computes the table when the file is missing or unreadable, and
# then always writes the table it returns to the same file again (a
# temporary file renamed over it).  So the file it leaves holds exactly
# what the session used.
_HYPOTHESIS_CODEC_TEXT = "f629989fbbe400203cc459d832ad36885ded4fcaa1483210ed06c0b68b53d816"


def _rewritten_caches():
    """Files a library reads and then writes again, in the same call, with
    what it used (docs/pytest.md, "Caches written again"): [[prefix,
    suffix], ...], absolute, for ingest to keep the state the session left
    (ft_adapter_is_rewritten_cache).  Only where the library's code is
    the text it was checked against: Hypothesis's codec tables, read at
    collection and written back every session, which otherwise made every
    test unknown at every recording.  Never imports a module that is not
    loaded; never raises."""
    out = []
    mod = sys.modules.get("hypothesis.internal.charmap")
    if mod is None:
        return out
    try:
        import hashlib
        import inspect
        f = getattr(mod, "intervals_from_codec", None)
        if f is None or hashlib.sha256(inspect.getsource(f).encode()).hexdigest() != _HYPOTHESIS_CODEC_TEXT:
            return out
        # where its charmap_file("codec-v2-" + name) puts a codec's table
        path = str(mod.charmap_file("codec-v2-"))
        if path.endswith(".json.gz") and os.path.isabs(path):
            out.append([path[:-len(".json.gz")], ".json.gz"])
    except Exception:
        pass
    return out


def _library_stores():
    """Directories where a library of the session keeps files it makes
    when it looks for them and does not find them (docs/pytest.md,
    "Library stores"): [dir, ...], absolute.  Hypothesis's storage
    directory (`.hypothesis`, or HYPOTHESIS_STORAGE_DIRECTORY): its
    example database, constants and tables.  Ingest keeps the rule it had
    for them before the one for paths found absent and then made
    (docs/internals.md, "Outputs are not inputs").  Never imports a
    module that is not loaded; never raises."""
    out = []
    mod = sys.modules.get("hypothesis.configuration")
    if mod is None:
        return out
    try:
        home = getattr(mod.storage_directory(intent_to_write=False), "home_directory", None)
        if home is not None and os.path.isabs(str(home)):
            out.append(str(home))
    except Exception:
        pass
    return out


# The text of _pytest.config.filename_arg (the same in pytest 6.2.5, 7.0.0,
# 7.4.4, 8.0.0, 8.3.5, 8.4.2, 9.0.0 and 9.2.0),
# sha256 of inspect.getsource(): the argparse type of an option that names
# a file the session writes (--junitxml); it asks only whether the path is
# a directory (a usage error if so) and returns it.
_FILENAME_ARG_TEXT = "50cff9cba8dbfd79af12a10c147920c551aab00331ab47eff34879114f9e9e9e"


def _runner_outputs(config):
    """Files the runner writes that the session looked up only to ask
    whether each is a directory (docs/pytest.md, "Reports the session
    writes"): [path, ...], absolute, the values of the options whose
    argparse type is pytest's filename_arg (--junitxml), where its text is
    the one checked.  Absent or a file, the answer is the same, so the
    absence the lookup found is no dependency when the session then makes
    the file.  Never raises."""
    out = []
    try:
        import functools
        import hashlib
        import inspect
        from _pytest import config as cfg
        fa = getattr(cfg, "filename_arg", None)
        if fa is None or hashlib.sha256(inspect.getsource(fa).encode()).hexdigest() != _FILENAME_ARG_TEXT:
            return out
        parser = getattr(config, "_parser", None)
        opts = list(getattr(getattr(parser, "_anonymous", None), "options", ()))
        for g in getattr(parser, "_groups", ()):
            opts += list(getattr(g, "options", ()))
        for o in opts:
            t = getattr(o, "type", None)
            if t is None:
                t = (getattr(o, "_attrs", None) or {}).get("type")
            dest = getattr(o, "dest", None)
            if type(t) is not functools.partial or t.func is not fa or type(dest) is not str:
                continue
            v = config.getoption(dest, None)
            if type(v) is str and v:
                out.append(_abspath(v))
    except Exception:
        return []
    return sorted(set(out))


def _scratch_dirs(config):
    """Directories the session emptied before its first use of them
    (docs/pytest.md, "A base temporary directory in the checkout"):
    [dir, ...], absolute.  pytest's --basetemp DIR: the first tmp_path (or
    tmp_path_factory) of the session removes DIR with all it holds and
    makes it again, so what a test finds under it was made in the same
    session, as under the default base in the temporary directory.  Named
    only when the session did that (the factory's base is set).  Never
    raises."""
    out = []
    try:
        f = getattr(config, "_tmp_path_factory", None)
        given, made = getattr(f, "_given_basetemp", None), getattr(f, "_basetemp", None)
        if given is not None and made is not None:
            for d in (str(given), str(made)):
                if os.path.isabs(d):
                    out.append(os.path.normpath(d))
    except Exception:
        return []
    return sorted(set(out))


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """A partial side file: the collected tests and their files, so that a
    session killed mid-test (SIGKILL, a CI timeout) still leaves ingest
    the runner and file of each test it ran: without them its tests were
    stored as no runner's, never forgotten when renamed, and printed by
    an id that pytest no longer knows.  _finish() replaces it."""
    if not _ours(session.config) or _S.written:
        return
    _collect_stop()
    _coverage_note()
    _early_fingerprints(session.config)
    try:
        tests = []
        for item in session.items:
            module = item.getparent(pytest.Module)
            path = module.path if module is not None else getattr(item, "path", None)
            tests.append({"id": item.nodeid,
                          "file": _abspath(str(path)) if path is not None else None})
        doc = {"adapter": "pytest", "version": SIDE_FILE_VERSION, "pid": os.getpid(),
               "partial": True, "tests": tests,
               "coverage_data": sorted(_S.coverage_data)}
        path = os.path.join(_RUN_DIR, "adapter-pytest-%d.json" % os.getpid())
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(_json_text(doc))
            fh.write("\n")
        os.replace(tmp, path)
    except Exception as e:
        _S.fail("writing the partial side file: %r" % (e,))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if _DESELECTED_ALL and exitstatus == 5:
        session.exitstatus = 0
    if _ours(session.config):
        _finish()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    if _ours(config):
        _finish()
        _collect_scans_remove()
        graph.uninstall()


def _read_ids(path, what):
    """The node ids in `path`, or None (warned) when it cannot be read."""
    try:
        with open(path, "rb") as f:
            return {os.fsdecode(line.rstrip(b"\n")) for line in f if line.strip()}
    except OSError as e:
        warnings.warn(pytest.PytestWarning("ftrace: cannot read %s (%s): %s" % (path, e, what)))
        return None


# Options that change only the output, the pace, the order or which tests
# run (a run in part is pytest's own: every test it ran is recorded).  Any
# other option whose value is not its default can change what a test does
# or whether it is skipped (a conftest's --runslow, -W error, -p, an
# ini override), so a recording made without it does not answer for a
# command with it, nor the other way (docs/pytest.md, "Options").
_NEUTRAL_OPTIONS = frozenset((
    "capture", "quiet", "verbose", "reportchars", "tbstyle", "showlocals", "color",
    "code_highlight", "durations", "durations_min", "fulltrace", "maxfail", "exitfirst",
    "stepwise", "stepwise_skip", "sw", "sw_skip", "lf", "failedfirst", "newfirst",
    "last_failed_no_failures", "cacheclear", "cacheshow", "keyword", "markexpr",
    "deselect", "ignore", "ignore_glob", "file_or_dir", "continue_on_collection_errors",
    "xmlpath", "junitprefix", "junitxml", "basetemp", "debug", "traceconfig", "usepdb",
    "usepdb_cls", "trace", "no_header", "no_summary", "no_fold_skipped", "force_short_summary",
    "verbosity_assertions", "verbosity_test_cases", "log_file", "log_file_mode",
    "log_cli_format", "log_cli_date_format", "log_file_format", "log_file_date_format",
    # pytest-xdist: where and how many
    "dist", "numprocesses", "tx", "maxprocesses", "maxworkerrestart", "looponfail",
    "rsyncdir", "rsyncignore", "distload", "testrunuid", "maxschedchunk", "loadgroup",
    # pytest-cov: what it reports
    "cov_source", "cov_report", "cov_config", "no_cov", "no_cov_on_fail", "cov_fail_under",
    "cov_append", "cov_branch", "cov_context", "cov_precision",
    # pytest-timeout, pytest-randomly's order, pytest-testmon's own selection
    "timeout", "timeout_method", "timeout_func_only", "randomly_seed", "randomly_reorganize",
    "randomly_dont_reset_seed", "testmon", "testmon_noselect", "testmon_nocollect",
    "testmon_forceselect", "no-testmon", "testmon_env", "tlf",
))


def _options(config):
    """The session's options that are not at their defaults and not in
    _NEUTRAL_OPTIONS, as sorted "dest=repr(value)" strings, the rootdir in
    a value written "{rootdir}" (a recording made in another checkout
    answers too).  ftrace's own -p plugins are left out.  None when they
    cannot be had (then no recording answers for this session's, and this
    session's for none)."""
    try:
        # the parser's defaults; where they cannot be had, every value is
        # kept (both sides of a comparison keep them alike)
        try:
            defaults = vars(config._parser.parse_known_args([]))
        except Exception:
            defaults = {}
        root = str(getattr(config, "rootpath", None) or config.rootdir)
        out = []
        for dest, value in vars(config.option).items():
            if dest in _NEUTRAL_OPTIONS or (dest in defaults and defaults[dest] == value):
                continue
            if dest == "plugins" and isinstance(value, (list, tuple)):
                value = [v for v in value if not str(v).startswith("ftrace")]
                if not value:
                    continue
            text = repr(value)
            if root and root != "/":
                text = text.replace(root, "{rootdir}")
            out.append("%s=%s" % (dest, text))
        return sorted(out)
    except Exception:
        return None


def _read_deselect(path, config):
    """The node ids `ftrace test` deselects (None, warned, when the file
    cannot be read), and how many known tests run because a command line
    with other options recorded them.  The file: a line "\x1e" + a JSON
    list of options starts a group, the ids after it were recorded with
    those options (runners/ft_pytest_deselect.h); an id is deselected
    only where its group's options are this session's, or under "\x1e*"
    (any options: a rerun of one test)."""
    mine = _options(config)
    skip, other, match = set(), 0, False
    try:
        with open(path, "rb") as f:
            for line in f:
                line = line.rstrip(b"\n")
                if line == b"\x1e*":
                    match = True  # whatever the options (a rerun of one test)
                elif line.startswith(b"\x1e"):
                    try:
                        match = mine is not None and json.loads(line[1:]) == mine
                    except ValueError:
                        match = False
                elif not line.strip():
                    continue
                elif match:
                    skip.add(os.fsdecode(line))
                else:
                    other += 1
    except OSError as e:
        warnings.warn(pytest.PytestWarning("ftrace: cannot read %s (%s): no test deselected"
                                           % (path, e)))
        return None, 0
    return skip, other


@pytest.hookimpl(trylast=True)
def pytest_itemcollected(item):
    """Which test modules yield a test at all: one pytest imported at
    collection that yields none (a --doctest-modules module without
    doctests) is held by no test's closure, yet its import ran in the
    session (ftrace_pytest_imports._global_modules)."""
    try:
        path = getattr(item, "path", None)
        if path is not None:
            _S.item_files.add(_abspath(str(path)))
    except Exception as e:
        _S.fail("itemcollected: %r" % (e,))


def pytest_collection_modifyitems(session, config, items):
    global _DESELECT_FILE, _FIRST_FILE
    path, _DESELECT_FILE = _DESELECT_FILE, None  # the first session only
    first, _FIRST_FILE = _FIRST_FILE, None
    if first is not None:
        ids = _read_ids(first, "the order is pytest's")
        if ids:
            # sorted() is stable: the others keep their order
            items[:] = sorted(items, key=lambda item: item.nodeid not in ids)
    if path is None:
        return
    skip, other = _read_deselect(path, config)
    if skip is None:
        return
    if other:
        tr = config.pluginmanager.get_plugin("terminalreporter")
        if tr is not None:
            tr.write_line("ftrace: %d known test%s recorded with other pytest options "
                          "than this command's run%s too" % (other, "" if other == 1 else "s",
                                                             "s" if other == 1 else ""))
    keep, drop = [], []
    for item in items:
        (drop if item.nodeid in skip else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
        global _DESELECTED_ALL
        _DESELECTED_ALL = not keep


# ftrace deselected every test of the session (its options are the
# recording's, and nothing was affected): pytest's "no tests collected"
# (5) is ftrace test's "nothing affected" (0); pytest_sessionfinish
_DESELECTED_ALL = False


# -------------------------------------------------------------- the side file


def _json_text(doc):
    """`doc` as one line of JSON, by the json module's C encoder: json.dump()
    to a file, or any `indent`, takes the pure-Python encoder, which cost
    seconds on a side file of a few thousand tests (ingest parses either).
    Keys sorted, so that two runs of one suite write the same text."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _compact(doc):
    """The side file's two big parts in a smaller shape, which ingest gives
    back its full one (ingest/ft_adapter.c, expand_keys and expand_users):
    each test's keys ([file, qualname, line], a real suite's ~150 a test
    over a few hundred distinct ones) as indices into functions["keys"],
    under "tests_keyed" instead of "tests"; each leaky test's users in
    "leaky_scoped" as indices into doc["tests"] where the id is there.
    A tenth of the text to write and to parse.  An older ftrace reading
    it finds no "tests" (no function rows: by file) and numbers among the
    users (the leaky test shared with every test): sound either way.
    Builds the new parts first and swaps them in, so that a failure
    leaves the document as it was."""
    fn = doc.get("functions")
    if isinstance(fn, dict) and isinstance(fn.get("tests"), dict):
        tests = {tid: {name: [tuple(k) for k in ks] if ks and type(ks[0]) is not tuple else ks
                       for name, ks in phases.items()}
                 for tid, phases in fn["tests"].items()}
        distinct = set()
        for phases in tests.values():
            for ks in phases.values():
                distinct.update(ks)
        keys = sorted(distinct)
        at = {k: i for i, k in enumerate(keys)}.__getitem__
        keyed = {tid: {name: list(map(at, ks)) for name, ks in phases.items()}
                 for tid, phases in tests.items()}
        fn["keys"] = keys
        fn["tests_keyed"] = keyed
        del fn["tests"]
    scoped = doc.get("leaky_scoped")
    if isinstance(scoped, dict):
        pos = {}
        for i, t in enumerate(doc.get("tests") or ()):
            if isinstance(t, dict) and isinstance(t.get("id"), str):
                pos.setdefault(t["id"], i)
        doc["leaky_scoped"] = {lid: [pos.get(u, u) for u in users]
                               for lid, users in scoped.items()}


def _abspath(p):
    if not os.path.isabs(p):
        base = None
        if _S.config is not None:
            base = str(_S.config.invocation_params.dir)
        p = os.path.join(base or os.getcwd(), p)
    return os.path.normpath(p)


def _widen_closures(closures, owners, process):
    """What a leaky test ran goes to the tests that can read the state it
    left (ftrace_pyleak.Watch.leaked): the closure of each test module
    that holds a module among the test's `owners` (target -> module
    names) gains the closure of the leaky test's own module, so that the
    split hands it what that test ran (graph.note_widened: files it
    holds whole, skeletons too).  Returns the node ids of the leaky
    tests this cannot place (no closure of their own, an owner with no
    file): every test's (leaky_process)."""
    out = set()
    if not owners:
        return out
    file_of = {t.get("id"): t.get("file") for t in _S.tests}
    for target, names in owners.items():
        if target is None or target in process:
            continue
        own = file_of.get(target[0])
        if own is None or not _widen(closures, own, names):
            out.add(target[0])
    return out


def _widen(closures, own, names):
    """The closure of each test module that holds a file of the modules
    `names` gains the closure of the test module at `own`; False (and
    nothing done) if `own` has no closure or a module no file."""
    mine = closures.get(own)
    proj_mods = graph._G.built[0]
    files = set()
    for n in names:
        got = proj_mods.get(n)
        if not got:
            return False
        files.update(got)
    if mine is None:
        return False
    _add_to_closures(closures, mine, holding=files, skip=own)
    return True


def _add_to_closures(closures, files, holding=None, skip=None):
    """Add `files` to the closure of each test module but `skip` that
    holds one of `holding` (None: each), held whole
    (graph.note_widened)."""
    for path, cl in list(closures.items()):
        if path == skip:
            continue
        have = set(cl)
        if holding is not None and have.isdisjoint(holding):
            continue
        more = set(files) - have
        if more:
            closures[path] = sorted(have | more)
            graph.note_widened(path, more)


def _widen_collected(closures):
    """A test module whose collection changed state that modules it did
    not load hold (ftrace_pycollect's `scoped`): the tests whose closure
    holds one of those modules get its closure (_widen); where that
    cannot be done, every test does."""
    c = _S.collect
    if c is None or not c.scoped:
        return
    proj_mods = graph._G.built[0]
    for path, owners in sorted(c.scoped.items()):
        if _widen(closures, path, owners):
            continue
        files = set(closures.get(path, ()))
        for n in c.leaky.get(path, ()):
            files.update(proj_mods.get(n, ()))
        _add_to_closures(closures, files)


def _build():
    _collect_stop()
    config = _S.config
    rootdir = _abspath(str(getattr(config, "rootpath", None) or config.rootdir))
    tag = "%s-pytest-%s" % (sys.implementation.cache_tag, pytest.__version__)
    project_files, closures, owns = graph.build(
        rootdir, _abspath, _S.roots, _S.conftests, _S.conftest_names,
        [t.get("file") for t in _S.tests], tag, _S.item_files)
    _widen_collected(closures)
    cache_dir = None
    try:
        cache = getattr(config, "cache", None)
        if cache is not None:
            cache_dir = _abspath(str(getattr(cache, "_cachedir")))
    except Exception:
        cache_dir = None
    doc = {
        "adapter": "pytest",
        "version": SIDE_FILE_VERSION,
        "pid": os.getpid(),
        "broken": bool(_S.errors),
        "errors": list(_S.errors),
        "active": _S.ctl is not None and _S.ctl.lib is not None,
        "rootdir": rootdir,
        "invocation_dir": _abspath(str(config.invocation_params.dir)),
        "python_files": list(config.getini("python_files")),
        "norecursedirs": list(config.getini("norecursedirs")),
        "options": _options(config),
        # the command line's, for `ftrace test`'s "nothing affected"
        # (runners/runner_pytest.c); an xdist worker's are its controller's
        # business
        "invocation_args": (None if hasattr(config, "workerinput") else
                            [str(a) for a in config.invocation_params.args]),
        "collector": _collector(config),
        "cache_dir": cache_dir,
        "project_files": sorted(project_files),
        "collect_stat_files": sorted(f for f in _S.collect_files
                                     if owns(f) and f not in project_files),
        "closures": closures,
        "tests": list(_S.tests),
        "coverage_data": sorted(_S.coverage_data),
        "rewritten_caches": _rewritten_caches(),
        "library_stores": _library_stores(),
        "runner_outputs": _runner_outputs(config),
        "scratch_dirs": _scratch_dirs(config),
        "collected": _S.inventory.complete() if _S.inventory is not None else {},
    }
    # the tests the state guard found leaving state behind; without a
    # guard, no key: ingest then takes every test for leaky
    if _S.watch is not None:
        doc["leaky"] = sorted({t[0] for t in _S.watch.leaky if t is not None})
        # of them, those with a change every test reaches without importing
        # a project module (the environment, sys.path, the standard
        # library's state): ingest hands what they ran to every test
        process = {t[0] for t in _S.watch.leak_process if t is not None}
        process |= _widen_closures(closures, getattr(_S.watch, "leak_owners", {}),
                                   _S.watch.leak_process)
        doc["leaky_process"] = sorted(process)
    # for the reader only: the test modules whose collection changed
    # state older modules hold, and the modules that came with it, which
    # build() made every test's (ftrace_pycollect)
    if _S.collect is not None:
        doc["collect_leaky"] = {f: names for f, names in sorted(_S.collect.leaky.items())}
    if _S.funcs is not None:
        try:
            _build_funcs(doc, owns)
        except Exception as e:
            # Not "broken": the import split stays valid; the functions
            # part is dropped, which means file granularity for the session.
            doc.pop("functions", None)
            doc.pop("fingerprints", None)
            _S.fail_funcs("building functions: %r" % (e,))
            doc["functions"] = {"complete": False, "errors": list(_S.funcs_errors)}
    else:
        _file_fingerprints(doc)
    # the leaky tests whose change was in lru_cache wrappers only, and who
    # got their code: ingest gives those tests what they saw too, not every
    # test (docs/python-functions.md, "An lru_cache a test filled").  Only
    # from a complete recording: who called a wrapper, and whose code
    # names cache_info, rests on every test's code.  Moved out of
    # "functions", not copied: it names test ids a thousand times over on
    # a real suite (one copy to write and parse)
    # The same for the leaky tests whose change was in os.environ only
    # (a copy: "functions" keeps it, so that ingest puts their code in the
    # prelude when it may not scope them; "A variable a test set")
    fn = doc.get("functions")
    scoped = fn.pop("leak_scoped", None) if isinstance(fn, dict) else None
    env = fn.get("leak_env") if isinstance(fn, dict) else None
    if "leaky" in doc and not _S.errors and isinstance(fn, dict) and fn.get("complete") is True:
        if isinstance(scoped, dict):
            doc["leaky_scoped"] = scoped
        if env:
            doc["leaky_env"] = env
    return doc


def _early_fingerprints(config):
    """Start fingerprinting the project's .py files loaded by now (the
    test modules and what they import) in a worker process, while the
    tests run (ftrace_fpcache.Early): fingerprints() at the session's end
    then finds them done.  Only the modules' dicts are read, through the
    descriptor (no module's __getattribute__, no file: nothing is
    recorded but the worker's spawn); the project is the rootdir as
    given (no realpath: that would stat its ancestors)."""
    if _S.early is not None or not _RUN_DIR:
        return
    try:
        roots = (_abspath(str(getattr(config, "rootpath", None) or config.rootdir)).rstrip(os.sep),)
        files = set()
        for m in list(sys.modules.values()):
            if not isinstance(m, type(sys)):   # (types.ModuleType)
                continue
            d = graph._mdict(m)
            f = d.get("__file__") if type(d) is dict else None
            if type(f) is str and f.endswith(".py") and graph.owned(roots, f):
                files.add(f)
        _S.early = ftrace_fpcache.Early.start(sorted(files), _RUN_DIR)
    except Exception:
        _S.early = None   # fingerprints() does it all then


def _file_fingerprints(doc):
    """File granularity: the fingerprints of the session's project .py
    files (the modules it loaded), for selection's import-time rule
    (docs/python-functions.md, "Import-time effects"): an edit of one of
    them that makes its top level act on other modules reaches every
    test of the session, not only its importers.  Ingest keeps them by
    content value, as at function granularity; a file missing here has
    none, and any change of it then selects the session.  Reused by
    content from the last recording (ftrace_fpcache), so a session pays
    only for the files that changed."""
    files = sorted({f for f in doc.get("project_files", ()) if f.endswith(".py")})
    if not files:
        return
    try:
        with ftrace_pysite.window_reads():   # ftrace's own reads, no data
            doc["fingerprints"] = ftrace_fpcache.fingerprints(files, _RUN_DIR, _S.early)
    except Exception:
        doc.pop("fingerprints", None)   # sound: no fingerprints, see above


def _build_funcs(doc, owns):
    """The "functions" and "fingerprints" of the side file (function
    granularity only; docs/python-functions.md)."""
    rec = _S.funcs
    rec.stop()
    funcs = rec.result(_abspath, owns)
    _collector_reads(funcs["prelude"], doc.get("collector", {}).get("pyplain") is True)
    funcs["errors"] = list(_S.funcs_errors)
    if _S.funcs_errors:
        funcs["complete"] = False
    files = {f for f in doc.get("project_files", []) if f.endswith(".py")}
    files.update(k[0] for k in funcs["prelude"] if k[0].endswith(".py"))
    early = graph.early_py_files()
    files.update(early)
    distinct = set()    # (each test names ~150 keys of a few hundred)
    for phases in funcs["tests"].values():
        for keys in phases.values():
            distinct.update(map(tuple, keys))
    files.update(k[0] for k in distinct if k[0].endswith(".py"))
    doc["functions"] = funcs
    with ftrace_pysite.window_reads():   # ftrace's own reads, no data
        # (reused by content from the last recording: ftrace_fpcache)
        doc["fingerprints"] = ftrace_fpcache.fingerprints(sorted(files), _RUN_DIR, _S.early)
    # Code loaded before the recorder may have run any function of its
    # files, or read any docstring, unseen: all of them count as run in
    # the prelude.  A file that cannot be fingerprinted counts whole anyway.
    for f in early:
        fpr = doc["fingerprints"].get(f)
        for q in sorted((fpr or {}).get("bodies", {})):
            funcs["prelude"].append([f, q, 0])
    funcs["early"] = early
    # Per test, the .py files its module reaches only through imports on
    # demand that this test never ran (docs/python-functions.md, "Lazy
    # imports").  Left out on any trouble: then every file counts.
    try:
        # (the names each file's code holds, reused by content from the
        # last recording: ftrace_fpcache.NameCache; its file is in the
        # state directory, which the interposer does not record, and the
        # tool's source it reads is no test's)
        with ftrace_pysite.window_reads():
            store = ftrace_fpcache.NameCache(_RUN_DIR, graph.__file__)
        soft, reached = graph.lazy_only(doc.get("closures", {}), store)
        store.save()
        files_of = {t.get("id"): t.get("file") for t in _S.tests}
        lazy = {}
        for tid in funcs["tests"]:
            only = soft.get(files_of.get(tid)) or set()
            only = only - reached.get(tid, set())
            if only:
                lazy[tid] = sorted(only)
        funcs["lazy_only"] = lazy
    except Exception as e:
        funcs.pop("lazy_only", None)
        _S.fail_funcs("lazy imports: %r" % (e,))
    _code_files(doc, funcs)


def _code_files(doc, funcs):
    """The side file's "code_files": per test, the project files whose code
    (or docstrings, or names) it ran that its module's closure does not
    hold, and for a leaky test all of them.  Ingest makes each a
    dependency of the test (docs/python-functions.md, "Code a test ran
    outside its closure"): a test can run a module's code without
    importing it, through an object that another test or an import left
    in a registry it reads, and the closures alone leave it out when that
    code changes.  On trouble, the recording is incomplete."""
    try:
        closures = doc.get("closures", {})
        files_of = {t.get("id"): t.get("file") for t in _S.tests}
        leaky = set(doc.get("leaky", ()))
        out = {}
        first = operator.itemgetter(0)
        for tid, phases in funcs["tests"].items():
            files = set()
            for keys in phases.values():
                files.update(map(first, keys))
            if tid not in leaky:
                mod = files_of.get(tid)
                files.difference_update(closures.get(mod, ()))
                files.discard(mod)
            if files:
                out[tid] = sorted(files)
        doc["code_files"] = out
    except Exception as e:
        doc.pop("code_files", None)
        funcs["complete"] = False
        _S.fail_funcs("code files: %r" % (e,))


def _collector_reads(prelude, pyplain):
    """Collector reads ("@%name", "@%*") stay such only in a file marked
    "@%" of a session whose collection was pytest's own ("pyplain");
    elsewhere they are plain reads ("@name"), and "@%" becomes "@+"."""
    marked = {k[0] for k in prelude if k[1] == "@%"} if pyplain else set()
    for k in prelude:
        if k[1] == "@%":
            if not pyplain:
                k[1] = "@+"
        elif k[1].startswith("@%") and k[0] not in marked:
            k[1] = "@" + k[1][2:]
    prelude[:] = [list(k) for k in sorted({tuple(k) for k in prelude})]


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
    with ftrace_pysite.window_reads():   # a dependency, not a read as data
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
    if _S.early is not None:
        _S.early.stop()   # (its work was used, or is not needed now)
    try:
        _compact(doc)
    except Exception:
        pass  # the full shape, which ingest reads as well
    # a hook that _ftrace_around called raised past its own handlers: an
    # import's edges or a class's docstring may be missing
    n = ftrace_pysite.around_failures()
    if n:
        _S.fail("%d import or class hooks failed (_ftrace_around)" % n)
    doc["broken"] = bool(_S.errors)
    doc["errors"] = list(_S.errors)
    path = os.path.join(_RUN_DIR, "adapter-pytest-%d.json" % os.getpid())
    tmp = path + ".tmp"
    try:
        with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(_json_text(doc))
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
    graph.install(_S.fail)
    try:
        _install_load_hook()
    except Exception as e:
        _S.fail("module load hook: %r" % (e,))
    _initial_glob_install()
    # which variables a module body read (docs/python-functions.md, "A
    # variable a test set")
    _pyenv = sys.modules.get("ftrace_pyenv")
    if _pyenv is not None and hasattr(_pyenv, "set_import_probe"):
        _pyenv.set_import_probe(graph.importing)

if _FUNCS:
    try:
        import ftrace_pytest_funcs
        _S.funcs = ftrace_pytest_funcs.Recorder(_S.fail_funcs)
        _S.funcs.start()
    except Exception as e:
        _S.funcs = None
        _S.fail_funcs("function recorder: %r" % (e,))
