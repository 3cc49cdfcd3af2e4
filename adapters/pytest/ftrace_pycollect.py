"""ftrace_pycollect - did collecting a test module change state that
modules loaded before it hold?

pytest imports every test module while it collects, before any test
runs, and the prelude split gives the files of a test module's import
closure to that module's tests only (docs/pytest.md, "Closures").  That
holds while an import changes nothing but the modules it loads: what
another test sees of those then comes from their own code, and that
test's closure holds them.  An import that changes a module loaded
before it (`reg.register("foo", 42)`, `decimal.getcontext().prec = 5`,
a handler added to a logger, a list a base class keeps of its
subclasses) hands what it made to every later test, whose closure need
not hold the importer.

So, while pytest collects, the state guard (ftrace_pyleak.Guard) takes
each project module into its plan as the module's own import ends
(Guard.baseline after every import that may load a module, nested ones
too: ftrace_pytest_imports.set_around_any_import), with the state its
body made; a module whose body has not run or is still running waits
(Guard._modules; pytest runs the bodies of test modules and their
packages itself, without importlib's mark).  A mark at the end of each
test module's collection then finds only changes made to a module after
its import ended.  If it finds one, the tests that can read what changed
get what came since the last mark (the importer is among it): the guard
says which modules own the changed state (Guard.owners_changed, as for a
test that leaves state: docs/python-functions.md, "State a test leaves
behind"), and the closure of each test module that holds one gains the
collected module's closure (`scoped`; ftrace_pytest._widen_collected).
Where the owners are not known, or the change is in the standard
library's state, the modules that came are every test's
(ftrace_pytest_imports.note_leaky_collection, and build() adds what they
import).

The standard library's state (ftrace_pyleak._outside: warnings filters,
loggers, import hooks, the decimal context, ...) is the process's, not a
module's.  A third-party library changes it as it loads (a warnings
filter, a NullHandler on its logger, an import hook); its files are
every test's dependencies already (only the project's modules are split
by closures), so that is no change: an import that loaded modules, none
of them the project's, hands what it changed there to the guard's
baseline (Guard.absorb_outside), if nothing else had changed it since
the last mark.  Looked at: each import that may load a module, unless
the project has loaded the package it names (what it loads is the
project's) or it is made by a third-party module within an import
looked at already.

What is no change:
- a directory that pytest puts on sys.path to import the test module or
  a conftest (importmode=prepend or append): the collected file's
  directory or one above it (Guard.accept_path);
- a change in the project's lru_cache wrappers only (Guard.lru_changed):
  an import that called one (a theme module parsing its colors) left
  results of the wrapper's own code, which a later test that calls the
  wrapper would have computed alike.  That test reached the wrapper
  through an import of the module that made it, so its closure holds
  that module, and the code that computed the results (run in the
  prelude) is its dependency;
- pytest's importmode=importlib's empty parent packages (ftrace_pyleak's
  _is_fake).

Not seen: what the guard does not see (ftrace_pyleak's "Not seen"), and
a change made by code that a leaky import ran from a module outside
what the leaky modules import (a callback an earlier import registered).
On any failure of the guard, every module loaded during collection is
every test's (as `ftrace run --no-prelude-split` records).
"""

import itertools
import os
import sys


# the hooks' own modules, between the import statement and before_import
_IMPORT_MODULES = frozenset(("ftrace_pycollect", "ftrace_pytest_imports", "importlib",
                             "importlib._bootstrap", "_frozen_importlib"))


_LOADS = ("loads",)   # before_import(): a token with no look


class Collect:
    def __init__(self, guard, fail):
        self.guard = guard
        self._fail = fail
        self.on = True           # until stop()
        self.broken = False      # the guard failed: nothing can be told
        self._based = False      # has the guard a mark to compare with?
        self._busy = False       # in the guard (an import it causes: not ours)
        self._mods = None        # set(sys.modules) at the last mark
        self._open = 0           # before_import()'s looks not ended
        self._ok = lambda p: False   # accept_path()'s, for the module collected
        self.leaky = {}          # test module file -> the names that came
        self.scoped = {}         # ... of them: the modules that own what changed

    def begin(self, path):
        """pytest starts collecting the test module at `path` (absolute)."""
        if not self.on:
            return
        d = os.path.dirname(path)
        self._ok = lambda p: p == d or d.startswith(p.rstrip(os.sep) + os.sep)
        self._busy = True
        try:
            if not self._based:
                self.guard.mark()
                del self.guard.pending[:]
                self._mods = set(sys.modules)
                self._based = True
        except Exception as e:
            self._failed(e)
        finally:
            self._busy = False

    def before_import(self, names):
        """An import starts that may load the modules `names` (none: it
        loads nothing, and no import can end in it but those that are
        hooked themselves): None then, else a token for after_import():
        _LOADS, or the standard library's state now, to compare after
        it."""
        if not names or not self.on or not self._based or self._busy:
            return None
        self._busy = True
        try:
            g = self.guard
            mods = sys.modules
            # Only where it may tell: not what the project's package of a
            # module loaded already would hold (what it loads is the
            # project's: a change counts anyway), nor an import by a
            # third-party module within an import looked at already
            # (that look covers it)
            tops = {n.partition(".")[0] for n in names}
            if all(mods.get(t) is not None and g.owns_module(mods[t]) for t in tops):
                return _LOADS
            if self._open:
                f = sys._getframe(1)
                while f is not None and f.f_globals.get("__name__") in _IMPORT_MODULES:
                    f = f.f_back
                importer = mods.get(f.f_globals.get("__name__")) if f is not None else None
                if importer is not None and not g.owns_module(importer):
                    return _LOADS
            self._open += 1
            return g.outside_now(), len(mods), next(reversed(mods), None)
        except Exception as e:
            self._failed(e)
            return None
        finally:
            self._busy = False

    def after_import(self, tok):
        """An import ended (any depth): the modules whose import has ended
        join the plan with their state now.  If it loaded modules, none of
        them the project's, what it changed in the standard library's
        state is theirs (Guard.absorb_outside)."""
        if tok is not None and tok is not _LOADS:
            self._open -= 1
        if not self.on or not self._based or self._busy:
            return
        self._busy = True
        try:
            g = self.guard
            if tok is None:
                # it loaded nothing (an import of a module whose body is
                # running returns it as it is)
                return
            g.accept_path(self._ok)
            g.baseline()
            if tok is not _LOADS:
                pre, n, last = tok
                mods = sys.modules
                if (n > 0 and len(mods) > n
                        and next(itertools.islice(mods, n - 1, None), None) == last):
                    new = list(itertools.islice(mods.values(), n, None))
                    if not any(map(g.owns_module, new)):
                        g.absorb_outside(pre)
        except Exception as e:
            self._failed(e)
        finally:
            self._busy = False

    def end(self, path):
        """The collection of the test module at `path` ended: if state
        changed, the tests that can read it get what came since the last
        mark: those whose closure holds a module that owns the changed
        state (`scoped`: path -> owners, for ftrace_pytest's
        _widen_closures), or every test (the standard library's state, or
        owners not known: note_leaky_collection)."""
        if not self.on or not self._based:
            return
        g = self.guard
        self._busy = True
        try:
            g.accept_path(self._ok)
            g.baseline()
            g.accept_path(self._ok)
            # (an lru_cache filled: no change, see above)
            changes = []     # the owners of each change (None: not known)
            if g.mark() and g.lru_changed is None:
                changes.append(g.owners_changed)
            got = list(g.pending)
            del g.pending[:]
            changes.extend(x[5] for x in got if x[0] and x[2] is None)
            changed = bool(changes)
            owners = set()
            for o in changes:
                if not o:
                    owners = None
                    break
                owners |= o
            now = set(sys.modules)
            new, self._mods = now - self._mods, now
            if changed:
                self.leaky[path] = sorted(n for n in new if type(n) is str)
                if owners:
                    self.scoped[path] = owners
                else:
                    self._note(new)
        except Exception as e:
            self._failed(e)
        finally:
            self._busy = False

    def stop(self):
        """Collection is over.  After a failure, everything loaded so far
        is every test's."""
        if not self.on:
            return
        self.on = False
        if self.broken:
            self._note(set(sys.modules))

    def _note(self, names):
        import ftrace_pytest_imports
        ftrace_pytest_imports.note_leaky_collection(n for n in names if type(n) is str)

    def _failed(self, e):
        if not self.broken:
            self._fail("collection state guard: %r" % (e,))
        self.broken = True
        self.on = False
        self._note(set(sys.modules))
