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

install() wraps both.  Each wrapped call runs inside a window: a stat of
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
  have its listing taken for the import system's.  The prelude of a pytest
  session rarely has such threads.

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

_RUN_DIR = os.environ.get("FTRACE_RUN_DIR") or None
_ENDINGS = (".py", ".pyc", ".so")


def touch(what):
    """Stat the control path `$FTRACE_RUN_DIR/.ctl/<what>`
    (preload/control.c).  Only under `ftrace run`."""
    try:
        os.stat(os.path.join(_RUN_DIR, ".ctl", what))
    except OSError:
        pass


def _plain(finder):
    """Do all of this FileFinder's loader suffixes end as the selector
    expects (ft__newtests_importable)?"""
    try:
        return all(isinstance(s, str) and s.lower().endswith(_ENDINGS) for s, _ in finder._loaders)
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


def _window(cls, name, when=None):
    """Run the method `name` of `cls` in an import window, for the
    instances `when` accepts (all without it).  Once: a wrapped method is
    left as it is."""
    orig = getattr(cls, "__dict__", {}).get(name)
    if orig is None or getattr(orig, "_ftrace_orig", None) is not None:
        return

    def method(self):
        if when is not None and not when(self):
            return orig(self)
        touch("import")
        try:
            return orig(self)
        finally:
            touch("import-end")

    method._ftrace_orig = orig
    method.__wrapped__ = orig
    setattr(cls, name, method)


_STDLIB = os.path.dirname(os.__file__) + os.sep
_INSTALLED = ("site-packages", "dist-packages")


def _project_dir(path):
    """Is `path` a directory where the selector may take an added name
    for no change (not the standard library, not site-packages)?"""
    if not path or (path + os.sep).startswith(_STDLIB):
        return False
    parts = path.split(os.sep)
    return not any(p in parts for p in _INSTALLED)


def _note_miss(finder, fullname):
    """Stat the names `finder` would have taken for `fullname`."""
    base = finder.path or os.getcwd()
    if not _project_dir(base):
        return
    tail = fullname.rpartition(".")[2]
    seen = set()
    for name in [tail] + [tail + s for s, _ in finder._loaders]:
        if name in seen:
            continue
        seen.add(name)
        try:
            os.stat(os.path.join(base, name))
        except (OSError, ValueError):
            pass


def _wrap_find_spec(cls):
    orig = cls.__dict__.get("find_spec")
    if orig is None or getattr(orig, "_ftrace_orig", None) is not None:
        return

    def find_spec(self, fullname, target=None):
        spec = orig(self, fullname, target)
        if spec is None or getattr(spec, "loader", None) is None:
            try:
                _note_miss(self, fullname)
            except Exception:
                pass
        return spec

    find_spec._ftrace_orig = orig
    find_spec.__wrapped__ = orig
    cls.find_spec = find_spec


def _wrap_finder():
    cls = _bootstrap_external().FileFinder
    _window(cls, "_fill_cache", _plain)
    _wrap_find_spec(cls)


def _wrap_metadata(mod):
    _window(getattr(mod, "FastPath", None), "children")


class _MetadataWatch:
    """A meta path finder that finds nothing: when importlib.metadata is
    about to be loaded, it lets the next finder find it and wraps the
    loader's exec_module, to wrap FastPath.children once the module has
    run.  Then it leaves sys.meta_path."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name != "importlib.metadata":
            return None
        try:
            sys.meta_path.remove(cls)
        except ValueError:
            pass
        for finder in list(sys.meta_path):
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find is not None else None
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        run = getattr(loader, "exec_module", None)
        if run is None:
            return spec

        def exec_module(module):
            run(module)
            try:
                _wrap_metadata(module)
            except Exception:
                pass

        try:
            loader.exec_module = exec_module
        except Exception:
            pass
        return spec


def install():
    """Open windows around the import system's listings from now on.
    Only under `ftrace run` (FTRACE_RUN_DIR set); idempotent."""
    if not _RUN_DIR:
        return
    try:
        _wrap_finder()
        mod = sys.modules.get("importlib.metadata")
        if mod is not None:
            _wrap_metadata(mod)
        elif _MetadataWatch not in sys.meta_path:
            sys.meta_path.insert(0, _MetadataWatch)
    except Exception:
        pass
