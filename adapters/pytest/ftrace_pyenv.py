"""ftrace_pyenv - tells ftrace which environment variables Python code reads.

CPython copies the environment into os.environ when it starts; a read of
os.environ['NAME'] (os.getenv, os.environ.get, `'NAME' in os.environ`,
setdefault, pop) is then a dict lookup that no C hook sees.  install()
gives os.environ and os.environb a subclass of their own class that
reports each name read, by a stat of the control path
`$FTRACE_RUN_DIR/.ctl/env/<name>` (preload/control.c), which the
interposer writes as FT_REC_ENV in the current test (or the prelude).
Ingest makes it a dependency on the variable's value in the environment
`ftrace run` was started in (common/ft_envdep.h).

Reading the environment as a whole (iterating it, len(), repr(),
os.environ.copy(), dict(os.environ), `{**os.environ}`, comparing it)
reports "=": a dependency on every variable.

Names are reported once per context: new_context() (the pytest adapter
calls it whenever it switches the test) forgets which were reported.
ftrace's own variables (FTRACE_...) are never reported.

A name read while an import is in progress in the thread (the probe
set_import_probe() installs: the import hooks' depth, ftrace_pytest_imports)
is also kept, per context, in import_reads(): a module body may keep what
it read, and a module a test imports is no change to the state guard
(docs/python-functions.md, "A variable a test set").

mute() and unmute() bracket a call whose reads are no dependency, in the
thread that makes them, at the C level too (the control path
`.ctl/env-copy`, preload/hook_env.c): pytest's own terminal set-up in
the prelude (ftrace_pysite.install_pytest, docs/pytest.md, "The
terminal's configuration").  A name read there is not remembered as
reported, so a later read of it outside the window is reported.

Not seen: what site.py read before this module was imported by
ftrace's sitecustomize (HOME and PYTHONUSERBASE, for the user site
directory: its absence or listing where site looked is a dependency, the
HOME it looked under is not, so that a recording answers under another
$HOME: docs/ci.md), and code that reads the C environment itself (a C
extension calling getenv is seen by the interposer; posix.environ, a
separate copy, is not).

Never changes what a program sees: the subclass returns what the class
returns, and a failed report is swallowed.  Where the subclass cannot be
put in place (os.environ is no os._Environ: something replaced it
before), "=" is reported at once.

An interpreter that imports no ftrace sitecustomize and no pytest
(`-S`, `-E`, `-I`) runs none of this: ingest makes it a reader of every
variable from its command line (ingest/ft_scriptenv.h,
ft_script_python_bare; docs/usage.md).  pytest started so imports
ftrace_pytest_startup, which installs it.
"""

import os
from _thread import get_ident as _get_ident

_RUN_DIR = os.environ.get("FTRACE_RUN_DIR") or None
_OWN = "FTRACE_"
_OWNB = b"FTRACE_"
_seen = set()
_installed = [False]
_CTL = None
_muted = {}   # thread ident -> how many mute() windows it has open
_probe = [None]          # () -> is an import in progress in this thread?
_during_import = set()   # names read during an import in the current context
_import_reads = {}       # context (test id bytes, None: the prelude) -> those names
_context = [None]        # the current context, as new_context() was told


def new_context(context=None):
    """The test changed (to `context`, a test id, None for the prelude):
    every name counts again."""
    if _during_import:
        _import_reads.setdefault(_context[0], set()).update(_during_import)
        _during_import.clear()
    _context[0] = context
    _seen.clear()


def set_import_probe(fn):
    """`fn()`: is an import in progress in the calling thread?"""
    _probe[0] = fn


def import_reads():
    """context -> the names (str or bytes; "=": all of them) read while an
    import was in progress, the current context's included."""
    new_context(_context[0])
    return _import_reads


def _window_ctl(what):
    try:
        os.stat(os.path.join(_RUN_DIR, ".ctl", what))
    except (OSError, ValueError, TypeError):
        pass


def mute():
    """Until the matching unmute(), no variable this thread reads counts
    (Python's os.environ here, getenv in the interposer).  Nests; only
    under `ftrace run`.  The caller makes sure that what runs inside is
    code whose reads cannot reach a test's outcome."""
    if not _RUN_DIR:
        return
    t = _get_ident()
    depth = _muted.get(t, 0)
    _muted[t] = depth + 1
    if depth == 0:
        _window_ctl("env-copy")


def unmute():
    if not _RUN_DIR:
        return
    t = _get_ident()
    depth = _muted.get(t, 0)
    if depth <= 0:
        return
    if depth == 1:
        del _muted[t]
        _window_ctl("env-copy-end")
    else:
        _muted[t] = depth - 1


def _note(name):
    probe = _probe[0]
    if probe is not None:
        try:
            if probe():
                _during_import.add(name)
        except Exception:
            _during_import.add("=")
    if name in _seen or "=" in _seen:   # (after "=", every name is in it)
        return
    if _muted and _get_ident() in _muted:
        return          # not remembered: a read after the window counts
    try:
        if isinstance(name, str):
            if name.startswith(_OWN):
                return
            raw = os.fsencode(name)
        elif isinstance(name, bytes):
            if name.startswith(_OWNB):
                return
            raw = name
        else:
            return
        _seen.add(name)
        os.stat(_CTL + raw)
    except (OSError, ValueError, TypeError, UnicodeError):
        pass


def note(name):
    """A read of variable `name` by this thread, now (for what reads a
    variable's value from memory that another read took in, unseen)."""
    _note(name)


def _whole():
    _note("=")


def _traced(cls):
    class TracedEnviron(cls):
        __slots__ = ()

        def __getitem__(self, key):
            _note(key)
            return cls.__getitem__(self, key)

        def __iter__(self):
            _whole()
            return cls.__iter__(self)

        def __len__(self):
            _whole()
            return cls.__len__(self)

        def __repr__(self):
            _whole()
            return cls.__repr__(self)

        def copy(self):
            _whole()
            return cls.copy(self)

    TracedEnviron.__name__ = cls.__name__
    TracedEnviron.__qualname__ = cls.__qualname__
    TracedEnviron.__module__ = cls.__module__
    return TracedEnviron


def install():
    """Trace os.environ and os.environb.  Only under `ftrace run`
    (FTRACE_RUN_DIR set); idempotent."""
    global _CTL
    if not _RUN_DIR or _installed[0]:
        return
    _installed[0] = True
    _CTL = os.fsencode(_RUN_DIR) + b"/.ctl/env/"
    for attr in ("environ", "environb"):
        env = getattr(os, attr, None)
        if env is None:
            continue
        try:
            if type(env).__name__ != "_Environ":
                raise TypeError(type(env).__name__)
            env.__class__ = _traced(type(env))
        except Exception:
            # reads of it cannot be reported one by one: all of it
            _whole()
