"""ftrace_pytest_startup - tells ftrace where pytest's start-up ends.

`ftrace run -- pytest` loads this module with `-p ftrace_pytest_startup`
at the front of PYTEST_ADDOPTS, so pytest imports it right after reading
its configuration files and before any other plugin: the entry-point
plugins and PYTEST_PLUGINS (ftrace_pytest itself) come after.

Why: pytest reads pyproject.toml, tox.ini and setup.cfg at start-up and
uses only its own part of each (`[tool.pytest]`, `[pytest]`,
`[tool:pytest]`).  If nothing but that start-up read the file, a test
depends on that part of it only, and an edit of `[project]`, `[testenv]`
or `[flake8]` need not select every test (docs/pytest.md, "Shared config
files").  This module

1. checks that nothing but pytest's own code has run inside pytest so far:
   every plugin registered before it is pytest's plugin manager, its
   Config, or one of the `_pytest.*` modules.  (Code that the interpreter
   runs at its own start, `.pth` files and sitecustomize, is not seen;
   docs/pytest.md says so.)  Otherwise it does nothing more;
2. writes `$FTRACE_RUN_DIR/startup-pytest-<pid>.json`, the view
   (ftrace_pyconf.py) of every such file that pytest may have read:
   the ones in the directories from the invocation directory, the rootdir,
   the config file's directory and each path argument up to /;
3. marks the end of the start-up with a stat of the control path
   `$FTRACE_RUN_DIR/.ctl/startup-end` (preload/control.c).  The
   interposer writes a CONTEXT("") record flagged FT_CONTEXT_STARTUP_END,
   only if this process is in the prelude, and starts a new dedup
   generation, so later reads of the same files are recorded again.

It also notes, in LOADED, the top-level modules loaded before it (pytest's
start-up and the interpreter's): ftrace_pytest writes them into the side
file's "collector" as "loaded", and an `import M` of one of them that a
project module gains only binds a name (docs/python-functions.md,
"Namespace changes").

Ingest then turns a prelude dependency on such a file that this
process's start-up alone used into a `pyconf` dependency: selected only
when the view changed.  Anything missing here (no marker, no view) keeps
the plain content dependency or selects: it never drops a test.

Never changes the outcome of a run: every failure is swallowed.
"""

import os
import sys

import ftrace_pysite

# The top-level modules loaded before this plugin: pytest's start-up and
# the interpreter's.  An `import M` of one of them that a project module
# adds only binds a name (docs/python-functions.md, "Namespace changes");
# ftrace_pytest writes this into the side file's "collector".
LOADED = sorted(m for m in sys.modules if "." not in m)


def _from_stdlib(name):
    """Is the loaded module `name` the standard library's (built in,
    frozen, or a file of the standard-library directory outside its
    site-packages), not a file of the project's of the same name?"""
    m = sys.modules.get(name)
    if name not in getattr(sys, "stdlib_module_names", ()) or m is None:
        return False
    if getattr(getattr(m, "__spec__", None), "origin", None) in ("built-in", "frozen"):
        return True
    f = getattr(m, "__file__", None)
    std = os.path.dirname(os.__file__) + os.sep
    return (isinstance(f, str) and f.startswith(std)
            and f[len(std):].split(os.sep)[0] not in ("site-packages", "dist-packages"))


# Those of LOADED that are the standard library's own: a `from M import a`
# that a project module gains binds the `a` of that very module
# (ftrace_fingerprint._have checks that it has one).
try:
    STDLIB = [m for m in LOADED if _from_stdlib(m)]
except Exception:   # (never fails the run: no list, no from-import grows)
    STDLIB = None

_RUN_DIR = os.environ.get("FTRACE_RUN_DIR") or None

# The import system's listings (ftrace_pysite): ftrace's sitecustomize has
# done this already, unless the interpreter started without site (-S).
ftrace_pysite.install()
ftrace_pysite.install_pytest()
# The environment's reads (ftrace_pyenv), likewise: what pytest read of it
# before this point (PYTEST_ADDOPTS, PYTEST_PLUGINS) without site is the
# C start-up's getenv only.
try:
    import ftrace_pyenv
    ftrace_pyenv.install()
except Exception:
    pass
_state = {"done": False, "foreign": False, "config": None}


def _pytest_major():
    try:
        import pytest
        return int(pytest.__version__.split(".")[0])
    except Exception:
        return 0


def _pytests_own(plugin, name, manager):
    if plugin is manager:
        return True
    mod = getattr(plugin, "__name__", None)
    if isinstance(mod, str) and type(plugin).__name__ == "module":
        return mod.startswith("_pytest.")
    return name == "pytestconfig" and type(plugin).__module__ == "_pytest.config"


def _ancestors(path, out, stop, names):
    """The files called `names` in `path` and its parents, up to `stop`
    (pytest stops there: its config file's directory) or /."""
    path = os.path.abspath(path)
    if not os.path.isdir(path):
        path = os.path.dirname(path)
    while True:
        for n in names:
            out.add(os.path.join(path, n))
        parent = os.path.dirname(path)
        if path == stop or parent == path:
            return
        path = parent


def _candidates(config, names):
    """The shared config files pytest may have read: from the invocation
    directory and each path argument up to the config file's directory.
    A file pytest read and this misses has no view: selection then counts
    any edit of it (ingest still makes it a view dependency)."""
    found = set()
    try:
        ini = getattr(config, "inipath", None)
        stop = os.path.dirname(os.path.abspath(str(ini))) if ini is not None else None
        if ini is not None:
            found.add(os.path.abspath(str(ini)))
        params = getattr(config, "invocation_params", None)
        base = str(params.dir) if params is not None else os.getcwd()
        starts = [base]
        # the positional arguments, as pytest's own search takes them
        ns = getattr(config, "known_args_namespace", None)
        for a in getattr(ns, "file_or_dir", None) or ():
            a = str(a).split("::", 1)[0]
            if a:
                starts.append(os.path.join(base, a))
        for s in starts:
            if os.path.exists(s):
                _ancestors(s, found, stop, names)
    except Exception:
        pass
    return sorted(p for p in found if os.path.basename(p) in names and os.path.isfile(p))


def _iniconfig():
    """pytest's iniconfig, already imported by its start-up, and the
    sys.path entry it came from (selection imports it from there)."""
    mod = sys.modules.get("iniconfig")
    f = getattr(mod, "__file__", None)
    if not isinstance(f, str) or os.path.basename(f) != "__init__.py":
        return None, None
    return mod, os.path.dirname(os.path.dirname(os.path.abspath(f)))


def _write(views, where):
    import json
    path = os.path.join(_RUN_DIR, "startup-pytest-%d.json" % os.getpid())
    tmp = path + ".tmp"
    doc = {"adapter": "pytest-startup", "version": 1,
           "executable": sys.executable, "views": views}
    if where:
        doc["iniconfig"] = where
    with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(json.dumps(doc))   # (json.dump: the pure-Python encoder)
    os.replace(tmp, path)


def _mark():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        import ftrace_pyconf
    finally:
        del sys.path[0]
    iniconfig, where = _iniconfig()
    views = []
    for p in _candidates(_state["config"], ftrace_pyconf.NAMES):
        v = ftrace_pyconf.view_file(p, iniconfig)
        if v is not None:
            v["path"] = p
            views.append(v)
    _write(views, where)
    ftrace_pysite.touch("startup-end")  # never exists: the interposer only notes the call


def _terminal_hooks(plugin, manager):
    """pytest 9's terminal progress plugin reads TERM in its
    pytest_configure hook, registered before this module: that hook
    implementation's function gets the terminal set-up's window
    (ftrace_pysite.env_muted)."""
    mod = sys.modules.get("_pytest.terminalprogress")
    if mod is None or plugin is not mod:
        return
    for impl in manager.hook.pytest_configure.get_hookimpls():
        if getattr(impl, "plugin", None) is mod and callable(getattr(impl, "function", None)):
            impl.function = ftrace_pysite.env_muted(impl.function)


def pytest_plugin_registered(plugin, manager):
    # historic: called for every plugin registered before this one first,
    # then for this module itself.  (No plugin_name argument: pytest 7's
    # hook has none.)
    if _RUN_DIR is not None:
        try:
            _terminal_hooks(plugin, manager)
        except Exception:
            pass    # its reads stay dependencies
    if _state["done"]:
        return
    try:
        plugin_name = manager.get_name(plugin)
    except Exception:
        plugin_name = None
    if plugin is sys.modules.get(__name__):
        _state["done"] = True
        if _RUN_DIR is None or _state["foreign"] or _pytest_major() < 7:
            return
        try:
            _mark()
        except Exception:
            pass  # no marker: the start-up's reads stay plain dependencies
        return
    if plugin_name == "pytestconfig":
        _state["config"] = plugin
    if not _pytests_own(plugin, plugin_name, manager):
        _state["foreign"] = True
