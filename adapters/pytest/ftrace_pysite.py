"""ftrace_pysite - tells ftrace which directory listings are the import system's.

Python's import system lists the directories on sys.path, and the rootdir
is one of them under `python -m pytest`.  Such a listing is in the prelude,
so without more to go on, adding any file to the rootdir (a `.pre-commit
config.yaml`, a `notes.txt`) would select every test.  Yet the import
system looks at only some of the names it lists:

- FileFinder._fill_cache lists a directory for FileFinder.find_spec, which
  looks up `<module>` and `<module><suffix>` only, where <module> holds no
  dot and the suffixes are its loaders' (.py, .pyc, and the extension
  modules' .so ones);
- importlib.metadata's FastPath.children lists it for Lookup, which looks
  at `*.dist-info` and `*.egg-info` names only (and `egg-info` inside an
  `*.egg` directory).

install() wraps both, and SourceLoader.get_code, the import system
reading (and compiling) a module's source, so that a read of a project
source's bytes in the prelude outside any window is known to be a read of
it as data (window_reads; ingest's ft_acc.data_read).  Each wrapped call
runs inside a window: a stat of
the control path `$FTRACE_RUN_DIR/.ctl/import` before, `.ctl/import-end`
after (preload/control.c).  In the prelude the interposer flags the
records in between FT_CONTEXT_IMPORT, and ingest records their listings as
FT_DEP_ILIST.  `ftrace affected` then counts such a listing as changed only
if a name that the import system can use came or went
(ft__newtests_importable in selector/newtests.c; docs/selection.md).

Soundness:
- Any other reader of the same directory (a conftest's os.listdir,
  pkgutil.iter_modules, pkg_resources, the importlib_metadata backport)
  lists it outside a window: a plain listing state, whole.
- A FileFinder with a loader suffix that ends in anything but .py, .pyc or
  .so (an import hook's own loaders) gets no window.
- The interposer opens windows only in the prelude; in a test the listing
  stays the test's plain listing.
- NEEDSWORK: the window is the process's, not the thread's.  Another
  thread listing a directory while one thread is inside a window would
  have its listing taken for the import system's, and its read of a
  source for no read as data.  The prelude of a pytest session rarely has
  such threads.

Lookups that miss: FileFinder.find_spec answers from that cached listing,
so a name it does not find leaves no system call behind, and the listing
alone says nothing of which test asked.  The selector lets some names
come to a listing without a change (a new test file, a new directory of
test files: docs/selection.md), and a test doing `try: import test_x`
would then miss the change.  install() also wraps find_spec: when it
finds no module (None, or only a namespace portion), it stats each name
the finder would have taken, `<dir>/<name>` and `<dir>/<name><suffix>`, so
that the looking process has recorded their absence, in the test or
prelude that asked.  Skipped in installation directories (the standard
library's, site-packages, dist-packages), where an added importable name
always counts.

ftrace's sitecustomize calls install() at the interpreter's start, so the
first imports are seen too (the rootdir, listed for `import pytest` under
`python -m pytest`).  ftrace_pytest_startup calls it again, for an
interpreter started without site (`-S`): a second call changes nothing.

Never changes the outcome of a program: every failure is swallowed, and the
wrapped calls return what they returned.
"""

import os
import sys
from stat import S_ISDIR as _S_ISDIR

_RUN_DIR = os.environ.get("FTRACE_RUN_DIR") or None
_ENDINGS = (".py", ".pyc", ".so")


def around():
    """_ftrace_around.around (_ftrace_around.c: a call between two hooks
    with no Python frame of its own), or None where it is not built for
    this interpreter (before 3.10, a build without Python headers)."""
    try:
        import _ftrace_around
        return _ftrace_around.around
    except Exception:  # ImportError, an ABI it was not built for
        return None


def around_failures():
    """How many exceptions _ftrace_around's hooks raised (0 without it)."""
    try:
        import _ftrace_around
        return _ftrace_around.failures()
    except Exception:
        return 0


def touch(what):
    """Stat the control path `$FTRACE_RUN_DIR/.ctl/<what>`
    (preload/control.c).  Only under `ftrace run`."""
    try:
        os.stat(os.path.join(_RUN_DIR, ".ctl", what))
    except OSError:
        pass


_depth = [0]   # windows open (window_open): the interposer's does not nest


def window_open():
    """Open an import window (none outside `ftrace run`): the records up to
    the matching window_close() are the import system's or ftrace's own
    (listings: FT_DEP_ILIST; a read of a file's bytes: not data, see
    window_reads).  Nested windows make one."""
    if not _RUN_DIR:
        return
    _depth[0] += 1
    if _depth[0] == 1:
        touch("import")


def window_close():
    if not _RUN_DIR or _depth[0] <= 0:
        return
    _depth[0] -= 1
    if not _depth[0]:
        touch("import-end")


class window_reads:
    """`with window_reads():` around a read of a project source that is
    ftrace's own or the import system's, in the prelude: ingest counts a
    read of a .py file's bytes in the prelude outside any window as a read
    of it as data, and Python function granularity then keeps every test
    for any change of the file (docs/python-functions.md, "Sources read as
    data").  The read is still a dependency on the file's content."""

    def __enter__(self):
        window_open()
        return self

    def __exit__(self, *exc):
        window_close()
        return False


def _plain(finder, *rest):
    """Do all of this FileFinder's loader suffixes end as the selector
    expects (runners/runner_pytest_readers.c, importable), and are its
    lookups noted (its class's find_spec is FileFinder's, wrapped)?"""
    try:
        return (getattr(type(finder).find_spec, "_ftrace_orig", None) is not None and
                all(isinstance(s, str) and s.lower().endswith(_ENDINGS) for s, _ in finder._loaders))
    except Exception:
        return False


def _bootstrap_external():
    # importlib.machinery's classes, without importing the importlib
    # package at every interpreter's start (it costs a third of a
    # millisecond)
    mod = sys.modules.get("_frozen_importlib_external")
    if mod is None:
        import importlib.machinery as mod
    return mod


def _own(owner, name):
    """The callable `name` as `owner` (a class, a module) itself defines
    it, or None (a missing owner or name)."""
    return getattr(owner, "__dict__", {}).get(name) if owner is not None else None


def _bracket(orig, enter, leave, when=None, after=None):
    """`orig` run between enter() and leave(), for the calls whose
    arguments `when` accepts (all without it); then `after` with the same
    arguments once it returns (it may raise; that is ignored).  The
    wrapper returns and raises what `orig` does, and is marked
    (`_ftrace_orig`), so that nothing is wrapped twice."""
    def fn(*args, **kw):
        if when is not None and not when(*args, **kw):
            return orig(*args, **kw)
        enter()
        try:
            return orig(*args, **kw)
        finally:
            leave()
            if after is not None:
                try:
                    after(*args, **kw)
                except Exception:
                    pass

    fn._ftrace_orig = orig
    fn.__wrapped__ = orig
    return fn


def _window(owner, name, when=None, after=None):
    """Run the callable `name` of `owner` (a class's method, a module's
    function) in an import window (_bracket).  Once: a wrapped callable
    is left as it is, and a missing owner or name is no error."""
    orig = _own(owner, name)
    if orig is None or getattr(orig, "_ftrace_orig", None) is not None:
        return
    fn = _bracket(orig, window_open, window_close, when, after)
    setattr(owner, name, fn)
    return fn


_INSTALLED = frozenset(("site-packages", "dist-packages", "lib-dynload", "lib-python", "lib_pypy"))


def _noted_dir(path):
    """Are the lookups in directory `path` noted (_note_lookup)?  Not in
    an installation's: no component in _INSTALLED, none that starts with
    "python" and a digit (lib/python3.12, the standard library) or with
    "pypy".  The selector takes an added module's name there for no change
    to the import system's listing, by the same rule
    (runners/runner_pytest_readers.c, noted_dir): the two must agree."""
    if not path or not os.path.isabs(path):
        return False
    for p in path.split(os.sep):
        if p in _INSTALLED or p.startswith("pypy") or (
                len(p) > 6 and p.startswith("python") and "0" <= p[6] <= "9"):
            return False
    return True


def _stat_names(base, tail, suffixes):
    """Stat what FileFinder looks at for module `tail` in `base`: the
    directory `tail` (and, if it is one, its `__init__` with each suffix:
    a regular package, or a namespace portion without one), and `tail`
    with each suffix."""
    names = [os.path.join(base, tail)]
    try:
        if _S_ISDIR(os.stat(names[0]).st_mode):
            names += [os.path.join(base, tail, "__init__" + s) for s in suffixes]
    except (OSError, ValueError):
        pass
    names += [os.path.join(base, tail + s) for s in suffixes]
    seen = set()
    for name in names[1:]:
        if name in seen:
            continue
        seen.add(name)
        try:
            os.stat(name)
        except (OSError, ValueError):
            pass


# Lookups noted since the last lookups_flush(): (directory, name, the
# module's full name) -> the loaders' suffixes; and the (directory, name)
# pairs stat'ed again in the prelude already.
_PENDING = {}
_FLUSHED = set()
# The full names some lookup since the last lookups_flush() found (a
# module, a package, a namespace portion).
_FOUND = set()


def _note_lookup(finder, fullname):
    """Stat the names `finder` could take for `fullname` (a package or
    namespace directory, and the name with each loader's suffix), found or
    not: the context that looked the name up then depends on each of them,
    and an entry added later under one of them (a module that now shadows
    another, one that a failed import would now find) is its change, not
    the listing's.  Kept for lookups_flush()."""
    base = finder.path or os.getcwd()
    if not _noted_dir(os.path.abspath(base)):
        return
    tail = fullname.rpartition(".")[2]
    suffixes = tuple(s for s, _ in finder._loaders)
    _stat_names(base, tail, suffixes)
    if (base, tail) not in _FLUSHED:
        _PENDING[(base, tail, fullname)] = suffixes


def notes_lookups():
    """Does this process note every import lookup (FileFinder.find_spec
    wrapped), so that lookups_flush() has them all?"""
    try:
        return getattr(_bootstrap_external().FileFinder.find_spec, "_ftrace_orig", None) is not None
    except Exception:
        return False


def lookups_flush(again):
    """Forget the lookups noted so far; with `again`, stat their names once
    more first, in what is then the context (the pytest adapter calls it
    in the prelude: before a test begins, without, since what came before
    was the prelude's own; after a test ends, with).  A module that one
    test imported on demand is in sys.modules for every later test, which
    takes it from there with no lookup of its own: the names its lookup
    could take are every test's, so that an entry added under one of them
    (a module that would now win) is a change for every test, as it is for
    a fresh run.  Only the lookups of a module that some lookup found (in
    that directory, or in a later one of its path: each earlier one could
    shadow it), or that is loaded now: a failed import is no module later
    tests reuse, and each import that fails looks again.  (Found, not only
    loaded now: a test that drops the module from sys.modules again leaves
    it bound in its package.)  Once per (directory, name) in a process."""
    pending = list(_PENDING.items())
    found = set(_FOUND)
    _PENDING.clear()
    _FOUND.clear()
    if not again:
        return
    for (base, tail, fullname), suffixes in pending:
        if (fullname not in found and sys.modules.get(fullname) is None) or (base, tail) in _FLUSHED:
            continue
        _FLUSHED.add((base, tail))
        _stat_names(base, tail, suffixes)


def _wrap_find_spec(cls):
    orig = cls.__dict__.get("find_spec")
    if orig is None or getattr(orig, "_ftrace_orig", None) is not None:
        return

    def find_spec(self, fullname, target=None):
        spec = orig(self, fullname, target)
        try:
            _note_lookup(self, fullname)
            if spec is not None:
                _FOUND.add(fullname)
        except Exception:
            pass
        return spec

    find_spec._ftrace_orig = orig
    find_spec.__wrapped__ = orig
    cls.find_spec = find_spec


def _wrap_finder():
    cls = _bootstrap_external().FileFinder
    # lookups noted before any listing is taken for the import system's
    _wrap_find_spec(cls)
    _window(cls, "_fill_cache", _plain)
    # the import system reading a module's source (or its cached
    # bytecode) and compiling it; it runs none of the module's code
    # (exec_module does, after get_code returns)
    _window(_bootstrap_external().SourceLoader, "get_code")


def _wrap_metadata(mod):
    _window(getattr(mod, "FastPath", None), "children")


def _forget_lines(obj, *rest):
    """Drop the source file of `obj` from linecache: a later reader (a
    module's inspect.getsource at collection) reads it again, outside the
    window, where it is seen."""
    import inspect
    import linecache
    try:
        f = inspect.getsourcefile(obj) or inspect.getfile(obj)
    except Exception:
        return
    linecache.cache.pop(f, None)


class _ModuleWatch:
    """A meta path finder that finds nothing: when module `name` is about
    to be loaded, it lets the next finder find it and wraps the loader's
    exec_module, to call `then(module)` once the module has run.  Then it
    leaves sys.meta_path."""

    def __init__(self, name, then):
        self.name = name
        self.then = then

    def find_spec(self, name, path=None, target=None):
        if name != self.name:
            return None
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass
        for finder in list(sys.meta_path):
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find is not None else None
            if spec is not None:
                break
        else:
            return None
        run = getattr(spec.loader, "exec_module", None)
        if run is None:
            return spec
        then = self.then

        def exec_module(module):
            run(module)
            try:
                then(module)
            except Exception:
                pass

        try:
            spec.loader.exec_module = exec_module
        except Exception:
            pass
        return spec


_HYPOTHESIS_PROVIDERS = "hypothesis.internal.conjecture.providers"


def _wrap_doctest(mod):
    """doctest's DocTestFinder.find in a window: it reads the module's
    source for the line numbers of its examples (the examples are the
    docstrings, whose reads the recorder notes); then linecache forgets
    the file."""
    _window(getattr(mod, "DocTestFinder", None), "find",
            after=lambda finder, obj, *rest, **kw: _forget_lines(obj))


def _watch(name, then):
    """then(module) once module `name` is loaded (now, if it is)."""
    mod = sys.modules.get(name)
    if mod is not None:
        then(mod)
    elif not any(isinstance(f, _ModuleWatch) and f.name == name for f in sys.meta_path):
        sys.meta_path.insert(0, _ModuleWatch(name, then))


def _wrap_hypothesis(mod):
    """hypothesis's reads of the project's sources for their literals
    (constants_from_module, as _get_local_constants calls it) in windows:
    what it makes of them reaches only hypothesis tests, which the
    recorder keeps whole (ftrace_pytest_funcs.draws_local_constants)."""
    orig = getattr(mod, "constants_from_module", None)
    fn = _window(mod, "constants_from_module")
    if fn is not None:
        for attr in ("cache_clear", "cache_info"):
            if hasattr(orig, attr):
                setattr(fn, attr, getattr(orig, attr))


def _forget_warning(message, *rest):
    """Drop the file a warning points at from linecache (_forget_lines)."""
    import linecache
    linecache.cache.pop(getattr(message, "filename", None), None)


def _outside_tests(*args, **kw):
    """No test is running (a `when` of _bracket: the arguments are the
    call's, unused): pytest's start-up (ftrace_pytest not loaded yet) or
    the prelude between tests.  Inside a test (a pytester run of
    pytest, say), what pytest's terminal code reads is the test's."""
    plugin = sys.modules.get("ftrace_pytest")
    state = getattr(plugin, "_S", None)
    return state is None or getattr(state, "current", None) is None


def _pyenv_mute():
    pyenv = sys.modules.get("ftrace_pyenv")
    if pyenv is not None:
        pyenv.mute()


def _pyenv_unmute():
    pyenv = sys.modules.get("ftrace_pyenv")
    if pyenv is not None:
        pyenv.unmute()


def env_muted(fn):
    """fn wrapped so that its calls made outside any test read the
    environment without a dependency (ftrace_pyenv.mute): for pytest's
    own terminal set-up only (install_pytest).  The wrapper returns and
    raises what fn does."""
    if getattr(fn, "_ftrace_orig", None) is not None:
        return fn
    wrapped = _bracket(fn, _pyenv_mute, _pyenv_unmute, when=_outside_tests)
    _named_as(wrapped, fn)
    return wrapped


def _named_as(wrapper, fn):
    """wrapper takes fn's name, qualified name, doc and module."""
    for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
        try:
            setattr(wrapper, attr, getattr(fn, attr))
        except (AttributeError, TypeError):
            pass


def _env_window(owner, name):
    """Module `owner`'s function `name` wrapped by env_muted, once; a
    missing owner or name is no error (less precision, never less
    safety)."""
    fn = _own(owner, name)
    if fn is not None and callable(fn):
        setattr(owner, name, env_muted(fn))


# pytest's own terminal set-up at start-up and in the prelude: the
# variables these read (TERM, TERMINFO, INPUTRC, HOME for ~/.inputrc,
# COLUMNS, LINES, PY_COLORS, NO_COLOR, FORCE_COLOR) decide how readline
# edits a line typed at a terminal and how pytest colours and wraps its
# report, never what a test computes; every file they lead to is still
# read under the interposer and stays a dependency.  docs/pytest.md,
# "The terminal's configuration".
_TERMINAL_SETUP = (
    ("_pytest.capture", ("_readline_workaround",)),   # import readline: libreadline's getenv
    ("_pytest._io.terminalwriter", ("should_do_markup", "get_terminal_width")),
    ("_pytest._io", ("get_terminal_width",)),   # re-exported: argparse's formatter calls it
)


def _wrap_terminal(mod):
    for owner, names in _TERMINAL_SETUP:
        if getattr(mod, "__name__", None) == owner:
            for name in names:
                _env_window(mod, name)


# What the windows above read is still what a test sees when it asks
# pytest for its terminal writer (`pytestconfig.get_terminal_writer()`:
# its `hasmarkup`, `fullwidth`), which pytest made at start-up from those
# variables: such a call inside a test reads them for that test.  Before,
# a test asserting `not hasmarkup` failed under PY_COLORS=1 and selected
# nothing (a probe).
_TERMINAL_VARS = ("PY_COLORS", "NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS", "LINES")


def _terminal_reader(fn):
    """fn (Config.get_terminal_writer) noting _TERMINAL_VARS as read when
    called inside a test; it returns and raises what fn does."""
    if getattr(fn, "_ftrace_orig", None) is not None:
        return fn

    def get_terminal_writer(*args, **kw):
        if not _outside_tests():
            pyenv = sys.modules.get("ftrace_pyenv")
            note = getattr(pyenv, "note", None)
            if note is not None:
                for name in _TERMINAL_VARS:
                    note(name)
        return fn(*args, **kw)

    get_terminal_writer._ftrace_orig = fn
    _named_as(get_terminal_writer, fn)
    return get_terminal_writer


def _wrap_config(mod):
    cls = getattr(mod, "Config", None)
    fn = getattr(cls, "__dict__", {}).get("get_terminal_writer")
    if callable(fn):
        try:
            cls.get_terminal_writer = _terminal_reader(fn)
        except (AttributeError, TypeError):
            pass    # then a test's use of it reads nothing (as before)


def install_pytest_terminal():
    """The windows of _TERMINAL_SETUP: now for the modules pytest has
    loaded, and for the others once loaded (from ftrace's sitecustomize,
    before pytest's Config sizes its help text); and Config's
    get_terminal_writer, whose use in a test reads what they read."""
    for owner, _ in _TERMINAL_SETUP:
        _watch(owner, _wrap_terminal)
    _watch("_pytest.config", _wrap_config)


def install_pytest():
    """pytest's own reads of a test module's or conftest's source in
    windows, when pytest is loaded: its assertion rewriter's
    (_rewrite_test: read, rewrite, compile; _read_pyc: its cached code,
    checked against a hash of the source) and the location of a class
    (getfslineno's findsource), after which linecache forgets the file,
    and the text of a warning it records (the line it shows); and, once
    loaded, hypothesis's (_wrap_hypothesis) and doctest's
    finder's, which --doctest-modules uses (_wrap_doctest); and pytest's
    terminal set-up, whose environment reads outside tests are no
    dependency (install_pytest_terminal).
    Only under `ftrace run`; idempotent."""
    if not _RUN_DIR:
        return
    try:
        rewrite = sys.modules.get("_pytest.assertion.rewrite")
        _window(rewrite, "_rewrite_test")
        _window(rewrite, "_read_pyc")   # pytest 9.2 hashes the source in it
        _window(sys.modules.get("_pytest._code.code"), "findsource", after=_forget_lines)
        # a warning's text shows its source line (an import-time warning
        # is formatted in the prelude)
        _window(sys.modules.get("_pytest.warnings"), "warning_record_to_str",
                after=_forget_warning)
        _watch(_HYPOTHESIS_PROVIDERS, _wrap_hypothesis)
        _watch("doctest", _wrap_doctest)
        install_pytest_terminal()
    except Exception:
        pass


def install():
    """Open windows around the import system's listings from now on.
    Only under `ftrace run` (FTRACE_RUN_DIR set); idempotent."""
    if not _RUN_DIR:
        return
    try:
        _wrap_finder()
        _watch("importlib.metadata", _wrap_metadata)
        install_pytest_terminal()
    except Exception:
        pass
    _import_natives()


def _import_natives():
    """Import the function recorder's C callback (_ftrace_mon, 3.12+)
    now, before the interpreter puts the script's or the working
    directory on sys.path: imported when the recorder starts, its
    look-ups of `_ftrace_mon*` there were every test's dependencies
    (_ftrace_around and _ftrace_snap are imported here too, by around()
    and ftrace_pyleak).  Not at file granularity, which never records
    functions."""
    if sys.version_info < (3, 12) or os.environ.get("FTRACE_GRANULARITY") == "file":
        return
    try:
        import _ftrace_mon  # noqa: F401
    except Exception:
        pass
