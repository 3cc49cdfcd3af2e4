"""ftrace_pytest_funcs - which project functions each test executed.

Used by the pytest plugin (ftrace_pytest.py) only when `ftrace run
--granularity=function` sets FTRACE_GRANULARITY=function; otherwise never
imported.  Python, standard library only (its C helpers optional).  docs/python-functions.md
has the rules; in short:

- A code object counts once per *target*: the session prelude (None), or
  (test id, phase); the plugin uses one phase, "test", from a test's setup
  to the end of its teardown, and moves the target at each boundary.
- Hooks: on Python 3.12+ sys.monitoring PY_START/PY_RESUME, returning
  DISABLE after the first event of a code object; project code objects get
  local events of a second tool, re-armed at each boundary for the next
  target (see _start_monitoring).  On 3.11 the
  frame evaluation function of _ftrace_fframe ("fframe"; built by CMake for
  a 3.11 only; used from 3.11.4, see _start_fframe): no tracing mode, so
  the interpreter keeps its specialized fast path.  Otherwise (or if another evaluation function is installed)
  the C profile function of _ftrace_fhook (built when Python headers are
  found; "cprofile"), else a global sys.settrace function ("settrace");
  both handle 'call' events only (no line events) and see generator
  resumption.  FTRACE_PYFUNC_HOOK=cprofile or =settrace forces one of the
  slower hooks (tests and benchmarks compare them).
- Code run by a thread other than the one that started the recorder is kept
  apart, per thread, while the thread runs.  A thread that threading
  started after the recorder (Thread._bootstrap_inner, wrapped) and that
  ended within the target it started in gives what it ran to that target.
  Any other thread's code goes to the *shared* set: such a thread may run
  across test boundaries, so what it ran is treated like prelude code
  (sound: selects more, never less).
- A test that leaves the project's state changed (ftrace_pyleak's guard,
  marked before and after each test's protocol) shares what it ran: at
  result() its keys go to the prelude too, as if it had run at import
  (docs/python-functions.md, "State a test leaves behind").  When the
  state it left is in dicts only and the interpreter has a dict write
  clock (ftrace_pyclock), only the code it first ran before its last
  write to them: the monitoring and fframe hooks note the clock at each
  code object's first run in a target (`clocks`), the guard the clock of
  the last write (leak_rule(), _leak_codes()).
- The recording is *complete* only if our hook stayed in place for the
  whole session.  If another tool held the trace function at start
  (coverage, a debugger), or replaced ours later, `complete` is false and
  ftrace must use file granularity for the session.

Recorded keys are (absolute file, co_qualname, co_firstlineno), for files
the caller's `owns(path)` accepts (under rootdir, not site-packages).
Before 3.11 (no co_qualname) the qualname is the source's (ftrace_pyqual,
by co_name and co_firstlineno); a code object without one there makes
the recording incomplete.

What ran in a target is kept as {id(code): code}, never as a set of code
objects: code objects compare by value and co_filename is not part of it,
so two equal functions at the same line of two files would be one element,
and one file's function would go unrecorded (t9002's twins).  The value
keeps the code alive, so its id is not reused while it is a key.
"""

import builtins
import os
import sys
import threading
import types

# The monitoring hook's callback for re-armed code, in C where built
# (_ftrace_mon.c); imported here, when the plugin loads, before the
# project's directories are on sys.path (its lookup there would be every
# test's dependency)
try:
    from _ftrace_mon import Fired as _Fired
except Exception:
    _Fired = None

PRELUDE = None

# A class's own namespace, read with type's getter (a metaclass's
# `__dict__` property is not asked)
_type_dict = type.__dict__["__dict__"].__get__

# Modules of tools that save the trace function, set None and set it back
# (pytest-benchmark's PauseInstrumentation, around each benchmark): under
# the settrace hook, a session that loaded one is incomplete (the calls in
# between are nobody's, and our function, set back, cannot tell).  The
# other hooks are not the trace function.
_PAUSERS = frozenset(("pytest_benchmark.fixture",))


def _users_of(scoped, gets):
    """{id of scoped target t: the sorted ids of the targets u whose gets[u]
    holds t}: the side file's leak_scoped, one pass over gets."""
    users = {t: [] for t in scoped}
    for u, srcs in gets.items():
        for t in srcs:
            users[t].append(u[0])
    return {t[0]: sorted(users[t]) for t in sorted(scoped, key=repr)}


def _reach(edges):
    """node -> the nodes reachable from it by one edge or more, for the
    directed graph `edges` (node -> its successors, all of them nodes):
    (reach, comp), reach[c] for each strongly connected component c
    (comp[node]), a frozenset.  Tarjan's algorithm, iterative: a
    component is done after every component it reaches, so its reach is
    the union of theirs, once per edge between components."""
    index, low, comp = {}, {}, {}
    reach = []
    stack, on = [], set()
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(edges[w])))
                    break
                if w in on and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work and low[v] < low[work[-1][0]]:
                    low[work[-1][0]] = low[v]
                if low[v] != index[v]:
                    continue
                members = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    members.append(w)
                    if w == v:
                        break
                c = len(reach)
                for w in members:
                    comp[w] = c
                # one edge on: the members' successors (in a component of
                # two or more, every member is one of them); then what the
                # components they lead to reach
                succ = {x for w in members for x in edges[w]}
                r = set(succ)
                for d in {comp[x] for x in succ} - {c}:
                    r |= reach[d]
                reach.append(frozenset(r))
    return reach, comp


PHASES = ("setup", "call", "teardown")


class _Thread:
    """What one thread other than the main one ran and read: kept apart
    from every target until the thread ends (Recorder._thread_end).  `gen`
    is the Recorder's target generation when the thread began; -1 for the
    shared sink itself, whose dicts are the Recorder's shared ones."""
    __slots__ = ("gen", "codes", "docs", "names")

    def __init__(self, gen, codes, docs, names):
        self.gen = gen
        self.codes = codes      # {id(code): code}
        self.docs = docs        # {(id(code), tail): (code, tail)}
        self.names = names      # {(id(module), name)}

_MON_IDS = (5, 4, 3)   # tool ids tried on 3.12+ (0-2 are debugger, coverage, profiler)


def _foreign_prefixes():
    """Directories whose code is never project code, each ending in a
    separator: the standard library, every site-packages directory, and
    this adapter's.  Both as given and resolved (co_filename is the path
    the module was found by)."""
    # Nothing here reads the environment: sysconfig's paths and
    # site.getusersitepackages() read HOME and PYTHONUSERBASE the first
    # time (and keep what they made), which made HOME a dependency of
    # every test, ftrace's doing, not the program's.  The standard
    # library is where os and a lib-dynload module came from;
    # site-packages from the prefixes (getsitepackages reads no
    # variable); the user site as site.py found it at start-up.
    import site
    dirs = set()
    for mod in ("os", "_json", "_struct", "math"):
        f = getattr(sys.modules.get(mod), "__file__", None)
        if isinstance(f, str):
            dirs.add(os.path.dirname(f))
    try:
        dirs.update(site.getsitepackages())
    except Exception:
        pass
    user_site = getattr(site, "USER_SITE", None)
    if isinstance(user_site, str):
        dirs.add(user_site)
    dirs.update(p for p in sys.path
                if isinstance(p, str) and os.path.basename(p) in ("site-packages", "dist-packages"))
    dirs.add(os.path.dirname(os.path.abspath(__file__)))
    out = set()
    for d in dirs:
        if isinstance(d, str) and os.path.isabs(d) and d != os.sep:
            for v in (os.path.normpath(d), os.path.realpath(d)):
                out.add(v.rstrip(os.sep) + os.sep)
    return tuple(sorted(out))


# id(ClassDoc) -> (the ClassDoc, its class body's code object); the entry
# keeps both alive, so an id is never reused while it is a key.
_CLASS_CODE = {}


# Readers of a module's `__dict__` that only look up one name in it:
# {code qualname: (file name ending, local holding the name or the object
# holding it, attribute of that object or None)}.
_ONE_NAME = {
    "MonkeyPatch.setattr": (os.sep + os.path.join("_pytest", "monkeypatch.py"), "name", None),
    "_patch.get_original": (os.sep + os.path.join("unittest", "mock.py"), "self", "attribute"),
}


# Readers of every module's names that only list them and read each one
# to compare it, by identity, with objects of their own, known by their
# text: (module, qualname) -> the SHA-256s of the dedented source.
# freezegun's scan at each freeze_time start (1.2.2 to 1.4.0; 1.5.0 to
# 1.5.5) lists each loaded module's names (dir()) and getattr()s each, to
# find the datetime and time objects to patch with fakes while the
# clock is frozen.  A name the module gains, loses or binds otherwise
# changes what it patches only where the name's value is (or was) one of
# those objects, and a patch is seen only by code that reads that name,
# which its own reads and refs select.  So its reads count as reads of
# what decides what dir() and getattr() do beyond the names themselves,
# `__dir__` and `__getattr__`, not of the whole namespace or each name
# (docs/python-functions.md, "Namespace changes").
_NAME_SCANS = {
    ("freezegun.api", "_get_module_attributes"): frozenset((
        "1e23d3e79e8a373afe20ae26a44b325d29141de1bd9e9b891d7557354db65da5",
        "1f9a72da64b9bfcd7ce0b69c9ba4c96e48b4f7e384632a3dd1554afe03288bb7")),
    ("freezegun.api", "_get_module_attributes_hash"): frozenset((
        "bddbf508e1e3c926a0f79e4f5f0640b020e63ffbe4b45a9f6e04e75cd972d790",
        "07c01552b9491f713ba527eeef1992e615913357a063da6dc4fe31d06e1f01c2")),
}


def _name_scan(code, cache):
    """Is `code` the code of a known _NAME_SCANS function?  Decided once
    per code object (`cache`: id(code) -> (code, answer))."""
    hit = cache.get(id(code))
    if hit is not None and hit[0] is code:
        return hit[1]
    ok = False
    try:
        for (mod, qual), shas in _NAME_SCANS.items():
            if getattr(code, "co_qualname", code.co_name) != qual:
                continue
            fn = getattr(sys.modules.get(mod), qual, None)
            if getattr(fn, "__code__", None) is code:
                # inspect.getsource's text, from the function's own file
                # alone (getsource would stat every loaded module's file,
                # in whatever test this is)
                import hashlib
                import inspect
                import linecache
                import textwrap
                lines = linecache.getlines(code.co_filename)
                block = inspect.getblock(lines[code.co_firstlineno - 1:])
                src = textwrap.dedent("".join(block)).strip()
                ok = hashlib.sha256(src.encode()).hexdigest() in shas
            break
    except Exception:
        ok = False
    cache[id(code)] = (code, ok)
    return ok


def draws_local_constants(item):
    """Does test `item` depend on the constants of every local module, not
    only on the code it runs?  A hypothesis test does, with a hypothesis
    that draws data from them (`_get_local_constants`, 6.131 and later:
    it parses the source of each project module loaded, tests excluded,
    and mixes its literals into the values it generates), so an edit of a
    literal in a function the test never ran can change what it sees.
    True too when hypothesis is loaded and the question cannot be asked."""
    hyp = sys.modules.get("hypothesis")
    if hyp is None:
        return False
    try:
        prov = sys.modules.get("hypothesis.internal.conjecture.providers")
        if prov is not None and not hasattr(prov, "_get_local_constants"):
            return False   # a hypothesis without the feature
        obj = getattr(item, "obj", None)
        return obj is not None and bool(hyp.is_hypothesis_test(obj))
    except Exception:
        return True


class Recorder:
    def __init__(self, fail):
        self.fail = fail
        self.sets = {PRELUDE: {}}      # target -> {id(code): code}
        self.shared = {}               # code run by other threads, the same
        self.target = PRELUDE
        self.complete = True
        self._forks_on = False         # _start_forks's hook counts
        self.whole = set()             # tests never narrowed: draws_local_constants
        self.hook = None               # what is in place now
        self.used = None               # the hook this session used
        self._main = threading.get_ident()
        self._tools = ()
        self._fired = set()
        self._mstate = None            # _ftrace_mon.Fired's state (_start_monitoring)
        self._cur = self.sets[PRELUDE]
        self.docs = {PRELUDE: {}}      # target -> {(id(code), tail): (code, tail)}: a
                                       # __doc__ ("#doc") or __annotations__ ("#ann") read
        self.docs_shared = {}          # read by other threads
        self._dcur = self.docs[PRELUDE]
        self._doc = None               # (type dict, [(attr, original, ours)], modified) while in place
        self._bc = None                # (original __build_class__, ours) while in place
        self._codes = {}               # monitoring: id(code) -> code, every target
        self.names = {PRELUDE: set()}  # target -> {(id(module), name)} read
        self.names_shared = set()      # read by other threads
        self._ncur = self.names[PRELUDE]
        self._gate = None              # around's cache of note() (_start_names)
        self._col = [None, {}]
        self.names_ok = True           # module namespace reads seen throughout
        # Threads: what code run by other threads went to.  `_lock` orders a
        # thread's end against a target change (set_target bumps `_gen`).
        self._lock = threading.Lock()
        self._gen = 0
        self._threads = {}             # ident -> _Thread, threads begun and not ended
        self._shared_t = _Thread(-1, self.shared, self.docs_shared, self.names_shared)
        self._bi = None                # (original Thread._bootstrap_inner, ours) while in place
        self._fft = None               # _ftrace_fframe's thread(dict) while it is the hook
        # The frame hook on 3.11.0-3.11.3, where a Python __getitem__ can
        # run inlined, unseen (_start_fframe): id(code) -> code of every
        # function found as a class's __getitem__; else None
        self._getitems = None
        self._mods = {}                # id(module) -> (module, path): tracked modules
        self._mfs = None               # (_bootstrap, original, ours) while in place
        self._mcol = []                # [(node class, original collect, ours)] while in place
        self.collected = set()         # id(module) of tracked modules Module.collect collected
        self._guard = None             # ftrace_pyleak.Watch, once the project is known
        self.leaky = set()             # targets that left state behind (their code is shared)
        self.leak_process = set()      # of them, those that changed process state (Watch)
        self.leak_owners = {}          # ... and the modules the others' state was in (Watch)
        # The leak rule (docs/python-functions.md, "State a test leaves
        # behind"): a leaky target in `_leak_v` shares only the code it
        # first ran before its last write to the state (its clock value);
        # one in `_leak_all`, or without a clock, shares all it ran.
        self._tag = None               # ftrace_pyclock's tag(dict), or None
        self._tag_why = "not started"  # why there is no clock
        self.clocks = {PRELUDE: {}}    # target -> {id(code): clock when first added}
        self._ccur = self.clocks[PRELUDE]
        self._leak_v = {}              # target -> clock value of its last write
        self._leak_all = set()         # targets that share all they ran
        # A leaky target whose change was in lru_cache wrappers only shares
        # what it ran with the targets that used them (_lru_shares)
        self._leak_lru = {}            # target -> id()s of those wrappers
        self._leak_wide = set()        # targets with any other change
        self._lru_used = {}            # target (PRELUDE too) -> id()s of wrappers it called
        # One whose change was in os.environ only is ingest's to place
        # (_env_scoped): it knows every read of a variable
        self._leak_env = {}            # target -> names (bytes) of those variables
        self._importers = set()        # targets during which a module was imported

    # -------------------------------------------------------------- hooks

    def start(self):
        """Install the hooks.  Code run before now is not seen: the plugin
        counts the files of all code loaded by then as run whole
        (ftrace_pytest_imports.early_py_files())."""
        mon = getattr(sys, "monitoring", None)
        try:
            import ftrace_pyclock
            self._tag, self._tag_why = ftrace_pyclock.reader()
        except Exception as e:
            self._tag, self._tag_why = None, "ftrace_pyclock: %r" % (e,)
        try:
            if mon is not None:
                self._start_monitoring(mon)
            elif not self._start_fframe() and not self._start_cprofile():
                self._start_settrace()
        except Exception as e:
            self.fail("function recorder: %r" % (e,))
            self.complete = False
        try:
            self._start_docs()
        except Exception as e:
            self.fail("docstring and annotation reads: %r" % (e,))
            self.complete = False
        try:
            self._start_classdocs()
        except Exception as e:
            self.fail("class docstring reads: %r" % (e,))
            self.complete = False
        try:
            self._start_names()
        except Exception:
            self.names_ok = False   # no namespace narrowing: files count whole
        try:
            self._start_threads()
        except Exception:
            pass                    # no thread is tracked: all their code is shared
        try:
            self._start_forks()
        except Exception as e:
            self.fail("fork hook: %r" % (e,))
            self.complete = False

    def _start_forks(self):
        """A process forked from this one (multiprocessing's "fork"
        context, ProcessPoolExecutor's default on Linux, os.fork) runs
        code already loaded: the child reads no file, and what the
        recorder notes in it stays in the child's memory.  So the test
        during which a fork happens is kept whole (file granularity:
        every file of its closure counts), and a fork outside any test (a
        session fixture's server process, which answers the tests later)
        leaves the session's recording incomplete.  subprocess's
        fork-and-exec calls no fork hook: the program it runs is recorded
        by the preload, as any program."""
        rec = self

        def before():
            if not rec._forks_on:
                return
            target = rec.target
            if target is PRELUDE:
                if rec.complete:
                    rec.fail("a process was forked outside any test: the code it runs is "
                             "not seen; this session is recorded by file")
                rec.complete = False
            else:
                rec.whole.add(target[0])

        self._forks_on = True
        os.register_at_fork(before=before)

    def _start_threads(self):
        """Track the threads that threading starts from now on: our
        Thread._bootstrap_inner gives each its own _Thread, and at its end
        (_thread_end) hands what it ran to the target it began in, if no
        target change came in between, else to the shared set.  A join()
        returns only after _bootstrap_inner has returned (the thread's
        state lock is released after it), so a thread a test joins gives
        its code to that test.  Threads made any other way
        (_thread.start_new_thread, C) and threads running now are not
        tracked: their code is shared."""
        cls = threading.Thread
        orig = cls.__dict__.get("_bootstrap_inner")
        if not callable(orig):
            return
        rec = self

        def _bootstrap_inner(thread):
            t = rec._thread_begin()
            try:
                return orig(thread)
            finally:
                rec._thread_end(t)

        cls._bootstrap_inner = _bootstrap_inner
        self._bi = (orig, _bootstrap_inner)

    def _stop_threads(self):
        """Put Thread._bootstrap_inner back if ours is still in place.
        Threads still running keep their _Thread; result() counts it as
        shared."""
        if self._bi is None:
            return
        orig, ours = self._bi
        self._bi = None
        if threading.Thread.__dict__.get("_bootstrap_inner") is ours:
            threading.Thread._bootstrap_inner = orig

    def _thread_begin(self):
        """In a thread that is starting: its own _Thread, from now on."""
        with self._lock:
            t = _Thread(self._gen, {}, {}, set())
            self._threads[threading.get_ident()] = t
        if self._fft is not None:
            self._fft(t.codes)
        return t

    def _thread_end(self, t):
        """In a thread that is ending: what it ran goes to the current
        target if that is still the one it began in, else to the shared
        set.  Code the thread runs after this (a finalizer) is shared."""
        if self._fft is not None:
            try:
                self._fft(None)
            except Exception:
                self.complete = False
        with self._lock:
            ident = threading.get_ident()
            if self._threads.get(ident) is t:
                del self._threads[ident]
            if t.gen == self._gen:
                codes, docs, names = self._cur, self._dcur, self._ncur
            else:
                codes, docs, names = self.shared, self.docs_shared, self.names_shared
            codes.update(t.codes)
            docs.update(t.docs)
            names.update(t.names)

    def _start_names(self):
        """Record which names of project modules each target reads
        (docs/python-functions.md, "Namespace changes").  Every module the
        import system makes from then on (importlib._bootstrap's
        module_from_spec, which _load_unlocked calls by its global name)
        of a project .py file, before its code runs, becomes a
        TrackedModule: a ModuleType subclass (the `__class__` assignment
        modules allow) whose __getattribute__ notes (module, name) into
        the current target, as a function's code is noted, then reads as
        before.  `M.name`, getattr(), hasattr(), `from M import name`,
        mock.patch("M.name") all read through it, found or not.  Reading
        `__dict__` (vars(), dir(), `from M import *` without __all__,
        inspect.getmembers) notes "*", the whole namespace.  Other dunder
        reads are noted but those of ftrace_fingerprint.UNNOTED_DUNDERS
        (the import system's, pytest's, the interpreter's own: no plain
        assignment binds one), up to DUNDERS_CHECKED ("@+__" in
        name_markers); past it, none.  Not seen: the module's own code reading
        its globals (LOAD_GLOBAL: the fingerprint's "refs" cover it) and a
        module made any other way, which then counts as untracked
        ("@-").  Two readers of `__dict__` only look one name up in it,
        and count as reads of that name (_ONE_NAME): pytest's
        monkeypatch.setattr and unittest.mock's patch.

        Test modules and conftests (pytest's assertion-rewriting loader)
        are tracked too.  While pytest's Module.collect collects a test
        module in the prelude, a read of that module's names by pytest's
        own code (a frame of the _pytest package: its collector, its
        fixture parser, its setup_module lookup) is noted as "%" + name,
        a *collector read*: ingest keeps it as "@%name" ("@%*"), and the
        module's file gets the marker "@%" instead of "@+"
        (docs/python-functions.md, "Test modules")."""
        import _frozen_importlib as bootstrap
        import types
        from importlib.machinery import SourceFileLoader
        foreign = getattr(self, "_foreign", None) or _foreign_prefixes()
        self._foreign = foreign
        rec = self
        main = self._main
        get_ident = threading.get_ident
        mget = types.ModuleType.__getattribute__
        on = [True]
        self._names_on = on
        # made, not yet run: SourceFileLoader.exec_module reads the new
        # module's __dict__ once, to run its code in it (not a read of
        # names: the code that runs is the module's own)
        fresh = set()
        getframe = sys._getframe
        # [path of the test module Module.collect is collecting, or None;
        #  {id(module): is it that module}]
        col = [None, {}]
        import _pytest
        pytest_dir = os.path.dirname(os.path.abspath(_pytest.__file__)) + os.sep

        def collector_read(m):
            """Is this read one of pytest's collector, of the module it
            is collecting (in the prelude)?"""
            hit = col[1].get(id(m))
            if hit is None:
                e = mods.get(id(m))
                hit = col[1][id(m)] = (e is not None and os.path.normcase(
                    os.path.abspath(e[1])) == col[0])
            return hit and rec._ncur is rec.names[PRELUDE] and \
                getframe(2).f_code.co_filename.startswith(pytest_dir)

        def one_name(frame):
            """The name a _ONE_NAME reader looks up in `__dict__`, or None."""
            co = frame.f_code
            want = _ONE_NAME.get(getattr(co, "co_qualname", None))
            if want is None or not co.co_filename.endswith(want[0]):
                return None
            v = frame.f_locals.get(want[1])
            if want[2]:
                v = getattr(v, want[2], None)
            return v if type(v) is str else None

        prelude_names = rec.names[PRELUDE]
        scans = {}    # _name_scan's answers
        # (a C-level test on every read: no generator made per read)
        scan_mods = frozenset(m for m, _ in _NAME_SCANS)
        sys_keys = sys.modules.keys()
        import dis
        import_from, store_name = dis.opmap["IMPORT_FROM"], dis.opmap["STORE_NAME"]

        def forward(frame, name):
            """A read by `from M import name [as alias]` in a module's own
            top-level code (IMPORT_FROM, then STORE_NAME): ">name\talias\t
            file", the importer's file, which keys() checks; else name.
            (docs/python-functions.md, "Re-exports".)"""
            co = frame.f_code
            if co.co_name != "<module>":
                return name
            raw, i = co.co_code, frame.f_lasti
            if raw[i] != import_from or raw[i + 2] != store_name:
                return name
            return ">%s\t%s\t%s" % (name, co.co_names[raw[i + 3]], co.co_filename)

        # Dunders: noted but those of UNNOTED_DUNDERS (the import system's,
        # pytest's, the interpreter's own), on interpreters the list was
        # checked against ("@+__" in name_markers); elsewhere none
        # (the tool needs 3.8+: before, no dunder read is noted, as before)
        try:
            from ftrace_fingerprint import UNNOTED_DUNDERS, DUNDERS_CHECKED
            self.dunders = sys.version_info[:2] <= DUNDERS_CHECKED
        except Exception:
            UNNOTED_DUNDERS, self.dunders = frozenset(), False
        unnoted = (UNNOTED_DUNDERS - {"__dict__"}) if self.dunders else None

        own_codes = set()   # note()'s code, and our __getattribute__'s

        try:
            from _ftrace_around import around
        except Exception:  # not built for this interpreter: our frame shows
            around = None

        # the reader's frame, seen from note(): called by around's C code,
        # or by our __getattribute__ where it is not built
        up = 1 if around is not None else 2
        # around's cache of note()'s outcome (_ftrace_around.c): [the set
        # a read goes to while note() would add nothing but (id, name) to
        # it, else None; main; what decides scans' reads]
        gate = [None, main, sys.modules, tuple(scan_mods)]
        self._gate = gate
        self._col = col

        def note(self, name):
            """A read of `name` from tracked module `self`, noted in the
            current target (the attribute itself is then got by mget)."""
            if on[0] and (name[:2] != "__" or name[-2:] != "__" or name == "__dict__"
                          or (unnoted is not None and name not in unnoted)):
                read = name
                also = None
                if name == "__dict__":
                    if fresh and id(self) in fresh:
                        fresh.discard(id(self))
                        return
                    try:
                        read = one_name(getframe(up)) or name
                    except Exception:
                        pass
                if read is name and not sys_keys.isdisjoint(scan_mods):
                    # a _NAME_SCANS reader (past a read of ours that
                    # made this one): what decides dir() and getattr()
                    try:
                        f1 = getframe(up)
                        while f1 is not None and f1.f_code in own_codes:
                            f1 = f1.f_back
                        if f1 is not None and _name_scan(f1.f_code, scans):
                            read, also = "__dir__", "__getattr__"
                    except Exception:
                        pass
                if get_ident() == main:
                    if col[0] is not None:
                        try:
                            if collector_read(self):
                                read = "%" + read
                        except Exception:
                            pass
                    if read is name and rec._ncur is prelude_names:
                        try:
                            read = forward(getframe(up), name)
                        except Exception:
                            pass
                    rec._ncur.add((id(self), read))
                    if also:
                        rec._ncur.add((id(self), also))
                else:
                    got = rec._threads.get(get_ident(), rec._shared_t).names
                    got.add((id(self), read))
                    if also:
                        got.add((id(self), also))

        class TrackedModule(types.ModuleType):
            __slots__ = ()

            # With _ftrace_around, no frame of ours is around the read: a
            # module's __getattr__ (PEP 562) that warns with stacklevel=2
            # names the reader, as without ftrace
            if around is not None:
                __getattribute__ = around(note, mget, None, True, gate)
            else:
                def __getattribute__(self, name):
                    note(self, name)
                    return mget(self, name)

            def __reduce_ex__(self, proto):
                # pickled and copied as a plain module (ftrace_pyreduce)
                return reduce_ex(self, proto, getframe(1), TrackedModule)

            def __reduce__(self):
                return reduce_plain()

        # named as the plain module's type: type(m).__name__, reprs and
        # errors ("cannot pickle 'module' object") read as before
        TrackedModule.__name__ = TrackedModule.__qualname__ = "module"
        TrackedModule.__module__ = "builtins"
        from ftrace_pyreduce import reduce_ex, reduce_plain
        own_codes.add(note.__code__)
        if around is None:
            own_codes.add(TrackedModule.__getattribute__.__code__)
        orig = bootstrap.module_from_spec
        mods = self._mods

        def standard(loader):
            """The standard source loader, or pytest's assertion-rewriting
            one (test modules, conftests): each runs the module's code in
            its `__dict__`, read once ("fresh"), and reads nothing else
            of it but dunders."""
            t = type(loader)
            return t is SourceFileLoader or (t.__name__ == "AssertionRewritingHook" and
                                             t.__module__ == "_pytest.assertion.rewrite")

        def module_from_spec(spec):
            m = orig(spec)
            try:
                fn = spec.origin
                if (type(m) is types.ModuleType and type(fn) is str and fn.endswith(".py")
                        and not fn.startswith(foreign) and standard(spec.loader)):
                    m.__class__ = TrackedModule
                    mods[id(m)] = (m, fn)
                    fresh.add(id(m))
            except Exception:
                rec.names_ok = False
            return m

        self.TrackedModule = TrackedModule
        bootstrap.module_from_spec = module_from_spec
        self._mfs = (bootstrap, orig, module_from_spec)
        try:
            self._start_collect(col)
        except Exception:
            self._stop_collect()   # no collector reads: a test module's reads are all "@"

    def _regate(self):
        """Open around's cache of note()'s outcome to the current set
        while note() adds a plain (id(module), name) there and nothing
        else: names noted, no collector window, not the prelude (whose
        reads may be re-exports).  Called wherever one of these moves."""
        g = self._gate
        if g is not None:
            n = self._ncur
            g[0] = n if (self._names_on[0] and self._col[0] is None
                         and n is not self.names[PRELUDE]) else None

    def _start_collect(self, col):
        """Wrap the collect() of _pytest.python's Module and Class and of
        _pytest.unittest's UnitTestCase: while one runs, `col[0]` is the
        path of the test module it collects (a class's node has its
        module's path), see _start_names.  pytest collects a class after
        its module's collect() has returned; what it reads of the module
        then (the class itself, by name) makes that class's items only."""
        from _pytest.python import Class, Module
        import inspect
        kinds = [Module, Class]
        try:
            from _pytest.unittest import UnitTestCase
            kinds.append(UnitTestCase)
        except ImportError:
            pass
        collected = self.collected
        mods = self._mods
        rec = self

        def step(node, run, *args):
            """run(*args) inside the window of `node`'s module."""
            saved = col[0], col[1]
            try:
                col[0] = os.path.normcase(os.path.abspath(str(node.path)))
            except Exception:
                col[0] = None
            col[1] = {}
            rec._regate()
            try:
                out = run(*args)
                m = node.__dict__.get("_obj")
                if m is not None and id(m) in mods:
                    collected.add(id(m))
                return out
            finally:
                col[0], col[1] = saved
                rec._regate()

        def wrap(orig):
            def collect(node):
                return step(node, orig, node)
            return collect

        def wrap_generator(orig):
            # (UnitTestCase.collect yields: each step runs in the window;
            # pytest only iterates a collector's result)
            def collect(node):
                it = orig(node)
                while True:
                    try:
                        item = step(node, next, it)
                    except StopIteration:
                        return
                    yield item
            return collect

        for cls in kinds:
            orig = cls.__dict__.get("collect")
            if orig is None:
                continue
            ours = (wrap_generator if inspect.isgeneratorfunction(orig) else wrap)(orig)
            cls.collect = ours
            self._mcol.append((cls, orig, ours))

    def _stop_collect(self):
        """Put the wrapped collect() methods back; if one was wrapped again
        meanwhile, no module counts as collected (no "@%")."""
        while self._mcol:
            cls, orig, ours = self._mcol.pop()
            if cls.__dict__.get("collect") is ours:
                cls.collect = orig
            else:
                self.collected.clear()   # another wrapper on top: no "@%"

    def _stop_names(self):
        """Put module_from_spec back and stop noting reads (modules stay
        TrackedModule: it reads as a module)."""
        if self._mfs is None:
            return
        bootstrap, orig, ours = self._mfs
        self._mfs = None
        self._names_on[0] = False
        self._regate()
        if bootstrap.module_from_spec is ours:
            bootstrap.module_from_spec = orig
        else:
            self.names_ok = False
        self._stop_collect()

    def name_markers(self, abspath, owns):
        """[file, "@+", "@%" or "@-", 0] per project .py file with a
        module: "@+" if every module of it was tracked from its creation
        to now, "@%" if so and Module.collect collected one of them (its
        collector reads are "@%" keys), "@-" if some module of it (in
        sys.modules now) was not; beside "@+" or "@%", [file, "@+__", 0]
        if reads of dunders were noted (but UNNOTED_DUNDERS')."""
        marks = {}
        ok = self.names_ok
        tracked = getattr(self, "TrackedModule", None)
        for mid, (m, fn) in list(self._mods.items()):
            p = abspath(fn)
            if owns(p) and marks.get(p) != "@-":
                if not ok:
                    marks[p] = "@-"
                elif mid in self.collected or marks.get(p) == "@%":
                    marks[p] = "@%"
                else:
                    marks[p] = "@+"
        for m in list(sys.modules.values()):
            fn = getattr(m, "__file__", None)
            if type(fn) is not str or not fn.endswith(".py"):
                continue
            p = abspath(fn)
            if not owns(p):
                continue
            if tracked is None or type(m) is not tracked or not ok:
                marks[p] = "@-"
            else:
                marks.setdefault(p, "@+")
        out = [[p, mark, 0] for p, mark in sorted(marks.items())]
        if getattr(self, "dunders", False):
            out += [[p, d, 0] for p, mark in sorted(marks.items()) if mark != "@-"
                    for d in ("@+__", "@+__2")]
        return out

    def _start_docs(self):
        """Record reads of project functions' __doc__ and __annotations__.
        A function's __doc__ is a member descriptor of the function type,
        which holds the docstring the def statement took from the code's
        constants; its __annotations__ a getset descriptor, over the dict
        the def statement made (of strings, under PEP 563).  Ours take
        their places in the type's dict (reached through the mappingproxy's
        referent; PyType_Modified drops the attribute caches and
        specializations) and record the function's code object, by
        identity as what ran, with the tail "#doc" or "#ann", into the
        current target: the main thread's, else the shared one.  Writes
        and deletes go to the originals.  Read by C code through the
        attribute protocol too (classmethod, property and functools.wraps
        copy them that way; inspect.signature and typing.get_type_hints
        read __annotations__); what is never seen: a read of
        code.co_consts[0], PyFunction_GetAnnotations() from C, or a
        function whose __code__ was replaced (docs/python-functions.md,
        "Limits")."""
        import ctypes
        import gc
        import types
        ftype = types.FunctionType
        refs = gc.get_referents(ftype.__dict__)
        if len(refs) != 1 or type(refs[0]) is not dict:
            raise RuntimeError("the function type's dict cannot be reached")
        tdict = refs[0]
        foreign = getattr(self, "_foreign", None) or _foreign_prefixes()
        rec = self
        placed = []

        def place(attr, want, tail):
            orig = tdict.get(attr)
            if type(orig) is not want:
                raise RuntimeError("function.%s is %r, not the interpreter's own: "
                                   "another tool replaced it" % (attr, orig))
            oget, oset, odel = orig.__get__, orig.__set__, orig.__delete__

            class FunctionRead:
                __slots__ = ()

                def __get__(self, obj, owner=None):
                    if obj is not None:
                        try:
                            co = obj.__code__
                            fn = co.co_filename
                            if fn and not fn.startswith("<") and not fn.startswith(foreign):
                                rec._note_doc(co, tail)
                        except Exception:
                            rec.complete = False
                    return oget(obj, owner)

                def __set__(self, obj, value):
                    oset(obj, value)

                def __delete__(self, obj):
                    odel(obj)

            placed.append((attr, orig, FunctionRead()))

        place("__doc__", types.MemberDescriptorType, "#doc")
        place("__annotations__", types.GetSetDescriptorType, "#ann")
        modified = ctypes.pythonapi.PyType_Modified
        modified.argtypes = [ctypes.py_object]
        modified.restype = None
        for attr, orig, ours in placed:
            tdict[attr] = ours
        modified(ftype)
        self._doc = (tdict, placed, lambda: modified(ftype))

    def _note_doc(self, co, tail="#doc"):
        """A docstring (tail "#doc") of `co`'s function or class, or the
        annotations ("#ann") of its function, was read: into the current
        target in the main thread, else into the thread's own (_Thread)."""
        ident = threading.get_ident()
        if ident == self._main:
            self._dcur[(id(co), tail)] = (co, tail)
        else:
            self._threads.get(ident, self._shared_t).docs[(id(co), tail)] = (co, tail)

    def _start_classdocs(self):
        """Record reads of project classes' __doc__.  A class statement's
        docstring is a str in the class's dict, read by `C.__doc__`
        (type's getter, which calls a __get__ the value has) and by
        `obj.__doc__` (found in the class's dict, a non-data descriptor).
        Our builtins.__build_class__ runs the class statement as before,
        then puts in the class's dict a str subclass of the same value
        whose __get__ notes the class body's code object (qualname: the
        class's) into the current target, like FunctionDoc, and returns a
        plain str.  What the class's creation itself may read (a
        metaclass other than type and ABCMeta, an __init_subclass__ of a
        base, a __set_name__ of its namespace, a metaclass __doc__
        descriptor) is noted as a read at creation, in the current target.
        Not seen: a read of the class's dict itself (`vars(C)["__doc__"]`,
        inspect.getattr_static), which gives the str subclass.  (Putting
        our own getter in place of type's `__dict__` would see it, but
        inspect.getattr_static then takes every metaclass's `__dict__` for
        shadowed, and pluggy no longer registers plugins.)"""
        import abc
        import functools
        foreign = getattr(self, "_foreign", None) or _foreign_prefixes()
        rec = self
        note = self._note_doc
        orig = builtins.__build_class__
        abcmeta = abc.ABCMeta
        # their __set_name__ notes the name and reads nothing of the class
        quiet = (property, functools.cached_property)
        set_doc = type.__dict__["__doc__"].__set__

        class ClassDoc(str):
            __slots__ = ()

            def __get__(self, obj, owner=None):
                co = _CLASS_CODE.get(id(self))
                if co is None or co[0] is not self:
                    rec.complete = False
                else:
                    note(co[1])
                return str.__str__(self)

        def plain(cls):
            meta = type(cls)
            if meta is not type and meta is not abcmeta:
                return False
            for b in cls.__mro__[1:-1]:
                if "__init_subclass__" in b.__dict__:
                    return False
            for v in cls.__dict__.values():
                if type(v) not in quiet and hasattr(type(v), "__set_name__"):
                    return False
            return True

        def after(tok, cls, func, name, *bases, **kwds):
            """After the class statement's class is made: its docstring
            noted where it is read.  Called with no frame of ours around
            the creation (_ftrace_around), so that a metaclass or an
            __init_subclass__ that looks at its caller sees the class
            statement's frame, as without ftrace."""
            if cls is None:
                return
            if rec._getitems is not None:
                rec._note_getitem(cls)
            try:
                co = func.__code__
                fn = co.co_filename
                if (isinstance(cls, type) and fn and not fn.startswith("<")
                        and not fn.startswith(foreign)):
                    doc = cls.__dict__.get("__doc__")
                    if type(doc) is str:
                        if not plain(cls):
                            note(co)
                        ours = ClassDoc(doc)
                        _CLASS_CODE[id(ours)] = (ours, co)
                        set_doc(cls, ours)
            except Exception:
                rec.complete = False

        try:
            from _ftrace_around import around as wrap
        except Exception:  # not built for this interpreter: our frame shows
            wrap = None
        if wrap is not None:
            build_class = wrap(None, orig, after)
        else:
            def build_class(func, name, *bases, **kwds):
                cls = orig(func, name, *bases, **kwds)
                after(None, cls, func, name, *bases, **kwds)
                return cls

        builtins.__build_class__ = build_class
        self._bc = (orig, build_class)

    def _note_getitem(self, cls):
        """Note the code of cls's own __getitem__ if it is a Python
        function: a subscript can run it inlined (_start_fframe)."""
        try:
            g = _type_dict(cls).get("__getitem__")
            if type(g) is types.FunctionType:
                co = g.__code__
                self._getitems[id(co)] = co
        except Exception:
            self.complete = False

    def _inlinable(self):
        """The code of every function that a class has as its own
        __getitem__ (the only ones a specialized subscript runs without
        the frame hook), as {id(code): code}: those noted as each class
        was made (a class gone by now), and those of every class alive
        now (made before the recorder, by type(), or given its
        __getitem__ later).  Read without running any code of the
        classes' (type's own __subclasses__ and __dict__)."""
        out = self._getitems
        subclasses = type.__subclasses__
        seen = {id(object)}
        stack = [object]
        while stack:
            try:
                subs = subclasses(stack.pop())
            except Exception:
                self.complete = False
                continue
            for c in subs:
                if id(c) not in seen:
                    seen.add(id(c))
                    stack.append(c)
                    self._note_getitem(c)
        return out

    def _start_fframe(self):
        """The frame evaluation hook (CPython 3.11), unless turned off or
        not built.  Returns False to fall back to the profile hooks."""
        if os.environ.get("FTRACE_PYFUNC_HOOK") in ("cprofile", "settrace"):
            return False
        if sys.version_info[:2] != (3, 11) or sys.implementation.name != "cpython":
            return False
        try:
            import _ftrace_fframe as ff
        except ImportError:
            return False
        self._foreign = _foreign_prefixes()
        try:
            ff.start(self._cur, self.shared, self._foreign)
            if self._tag is not None:
                ff.target(self._cur, self._ccur)
        except RuntimeError:
            # A debugger's evaluation function is in place: not displaced.
            return False
        self._ff = ff
        self._fft = ff.thread
        self.hook = self.used = "fframe"
        # 3.11.0-3.11.3 run a Python __getitem__ called by a specialized
        # subscript (BINARY_SUBSCR_GETITEM) without asking the evaluation
        # function (CPython gh-104405, fixed in 3.11.4): its frame goes
        # unrecorded (the calls it makes do not).  Every function that a
        # class has as __getitem__ counts as run by every test instead
        # (_inlinable; t9002 compares each call shape with settrace's).
        if sys.version_info[:3] < (3, 11, 4):
            self._getitems = {}
        return True

    def _start_cprofile(self):
        """The C hook, if it is built for this interpreter and not turned
        off.  Returns False to fall back to settrace."""
        if os.environ.get("FTRACE_PYFUNC_HOOK") == "settrace":
            return False
        try:
            import _ftrace_fhook as fh
        except ImportError:
            return False
        if sys.gettrace() is not None or sys.getprofile() is not None:
            # Another tool holds a hook: as for settrace, not displaced,
            # and the session falls back to file granularity.
            self.complete = False
            self.hook = "none"
            return True
        threads, shared_t, get_ident = self._threads, self._shared_t, threading.get_ident

        def profile_thread(frame, event, arg):
            if event == "call":
                co = frame.f_code
                threads.get(get_ident(), shared_t).codes[id(co)] = co

        if threading.active_count() > 1:
            # profile functions are per thread too
            self.complete = False
        self._fh = fh
        self._token = object()   # (started; sys.getprofile() says None while ours)
        self._foreign = _foreign_prefixes()
        fh.start(self._cur, self._token, self._foreign)
        threading.setprofile(profile_thread)
        self.hook = self.used = "cprofile"
        return True

    def _start_settrace(self):
        if sys.gettrace() is not None:
            # Coverage or a debugger holds the trace function: we do not
            # displace it, and the session falls back to file granularity.
            self.complete = False
            self.hook = "none"
            return
        sets = self  # one attribute lookup per event below
        threads, shared_t, get_ident = self._threads, self._shared_t, threading.get_ident

        def trace(frame, event, arg, id=id):
            if event == "call":
                co = frame.f_code
                sets._cur[id(co)] = co
            return None

        def trace_thread(frame, event, arg):
            if event == "call":
                co = frame.f_code
                threads.get(get_ident(), shared_t).codes[id(co)] = co
            return None

        self._trace = trace
        if threading.active_count() > 1:
            # settrace is per thread: threads already running are never
            # traced, and what they run would be missed.
            self.complete = False
        sys.settrace(trace)
        threading.settrace(trace_thread)
        self.hook = self.used = "settrace"

    def _start_monitoring(self, mon):
        """Two sys.monitoring tools.  `find` has global PY_START and
        PY_RESUME events: it sees each code location once per session
        and always returns DISABLE, so pytest's and the standard library's
        code costs one callback each, never again.  For code that is not
        foreign (as for fframe: not under _foreign_prefixes(), not "<...>")
        it records the code and arms `rec`, a tool with local events on
        that code object only.  `rec` records and returns DISABLE; at each
        target boundary the code objects it fired for are re-armed by
        setting their local events off and on again.  So a boundary costs
        a few calls per project function the last test ran, not a re-arm
        of every code object in the process (restart_events(), which the
        hook used before: 1.35x on the benchmark against 1.17x on 3.11).

        Code a thread other than the main one ran goes to that thread's
        _Thread and is re-armed at the next boundary like the main
        thread's (it may end up in one target); code run by a thread that
        is not tracked goes to `shared` and is never re-armed: being
        shared, it already counts for every test."""
        free = [t for t in _MON_IDS if mon.get_tool(t) is None]
        if len(free) < 2:
            self.complete = False
            self.hook = "none"
            return
        find_id, rec_id = free[:2]
        mon.use_tool_id(find_id, "ftrace")
        try:
            mon.use_tool_id(rec_id, "ftrace")
        except Exception:
            mon.free_tool_id(find_id)
            raise
        self._tools = (find_id, rec_id)
        self._foreign = foreign = _foreign_prefixes()
        main = self._main
        get_ident = threading.get_ident
        shared = self.shared
        threads, lock = self._threads, self._lock
        disable = mon.DISABLE
        set_local = mon.set_local_events
        ev = mon.events
        local = ev.PY_START | ev.PY_RESUME
        rec = self
        # Keyed by id(code), as the other hooks' dicts; `codes` holds every
        # code object seen, for re-arming.  (Hashing a code object would
        # walk its constants and names, besides comparing by value.)
        codes = self._codes

        tag = self._tag

        def note(code):
            k = id(code)
            if k not in codes:
                codes[k] = code
            ident = get_ident()
            if ident == main:
                cur = rec._cur
                if k not in cur:
                    cur[k] = code
                    if tag is not None:
                        # the clock at the insertion, which wrote `cur`
                        rec._ccur[k] = tag(cur)
                rec._fired.add(k)
                return
            # (under the lock: set_target swaps `_fired` from the main thread)
            with lock:
                t = threads.get(ident)
                if t is None:
                    shared[k] = code
                else:
                    t.codes[k] = code
                    rec._fired.add(k)

        def found(code, offset):
            fn = code.co_filename
            if fn and not fn.startswith("<") and not fn.startswith(foreign):
                note(code)
                try:
                    set_local(rec_id, code, local)
                except Exception:
                    # the tool id was freed or taken by another tool: a
                    # hole from now on, which must never reach user code
                    rec.complete = False
            return disable

        def fired(code, offset):
            note(code)
            return disable

        def throw(code, offset, exc):
            # PY_THROW cannot be disabled; it is rare (gen.throw()).
            fn = code.co_filename
            if fn and not fn.startswith("<") and not fn.startswith(foreign):
                note(code)

        self._fired = set()
        # the same callback in C for the main thread (_ftrace_mon.c):
        # `_mstate` follows the target's dicts and `_fired` (_set_target)
        fired_cb = fired
        try:
            from ftrace_pyclock import _OFFSET
            self._mstate = [codes, main, self._cur, self._ccur if tag is not None else None,
                            self._fired, _OFFSET]
            fired_cb = _Fired(self._mstate, fired, disable)
        except Exception:   # not built for this interpreter (_Fired None)
            self._mstate = None

        mon.register_callback(find_id, ev.PY_START, found)
        mon.register_callback(find_id, ev.PY_RESUME, found)
        mon.register_callback(find_id, ev.PY_THROW, throw)
        mon.register_callback(rec_id, ev.PY_START, fired_cb)
        mon.register_callback(rec_id, ev.PY_RESUME, fired_cb)
        mon.set_events(find_id, ev.PY_START | ev.PY_RESUME | ev.PY_THROW)
        self._rearm = lambda code: (set_local(rec_id, code, 0), set_local(rec_id, code, local))
        self.hook = self.used = "monitoring"

    def check_root(self, owns, roots):
        """The frame evaluation, C profile and monitoring hooks never record code under its foreign
        prefixes (the standard library, site-packages, this adapter).
        That is right only if `owns` (the project's rule) rejects every
        file there: a project that is, or contains, one of them (a rootdir
        of / or of a Python's own tree) makes the recording incomplete."""
        if self.used not in ("fframe", "cprofile", "monitoring"):
            return
        for p in self._foreign:
            d = p.rstrip(os.sep)
            if owns(os.path.join(d, "x.py")) or any(
                    (r.rstrip(os.sep) + os.sep).startswith(p) for r in roots):
                self.complete = False
                self.fail("the project %s holds %s, which the frame hook leaves out"
                          % (sorted(roots)[0], d))
                return

    def _check(self):
        """Is our hook still the one in place?  If not, the recording has a
        hole: say so (complete = False), never guess."""
        if self._doc is not None and any(self._doc[0].get(attr) is not ours
                                         for attr, _, ours in self._doc[1]):
            self.complete = False
        if self._bc is not None:
            if builtins.__build_class__ is not self._bc[1]:
                self.complete = False
        if self._mfs is not None and self._mfs[0].module_from_spec is not self._mfs[2]:
            self.names_ok = False
        if self.hook == "settrace" and sys.gettrace() is not self._trace:
            self.complete = False
        elif self.hook == "settrace" and any(m in sys.modules for m in _PAUSERS):
            # a tool known to set the trace function aside and back (its
            # calls meanwhile are nobody's), which our function cannot see
            # (any(): one lookup per known tool, not a walk of sys.modules)
            if self.complete:
                self.fail("%s pauses the trace function: this session is recorded by file"
                          % min(m for m in _PAUSERS if m in sys.modules))
            self.complete = False
        elif self.hook == "cprofile" and (not self._fh.installed() or self._fh.failed()):
            self.complete = False
        elif self.hook == "fframe" and (not self._ff.installed() or self._ff.failed()):
            self.complete = False
        elif self.hook == "monitoring":
            try:
                if any(sys.monitoring.get_tool(t) != "ftrace" for t in self._tools):
                    self.complete = False
            except Exception:
                self.complete = False

    def stop(self):
        self._forks_on = False
        if self.hook is None:
            self._stop_docs()
            self._stop_names()
            self._stop_threads()
            return
        self._check()
        try:
            if self.hook == "settrace":
                if sys.gettrace() is self._trace:
                    sys.settrace(None)
                threading.settrace(None)
            elif self.hook == "cprofile":
                self._fh.stop()
                threading.setprofile(None)
            elif self.hook == "fframe":
                self._ff.stop()
            elif self.hook == "monitoring":
                mon = sys.monitoring
                for t in self._tools:
                    mon.set_events(t, 0)
                    for e in (mon.events.PY_START, mon.events.PY_RESUME, mon.events.PY_THROW):
                        mon.register_callback(t, e, None)
                for code in self._codes.values():
                    mon.set_local_events(self._tools[1], code, 0)
                for t in self._tools:
                    mon.free_tool_id(t)
        except Exception as e:
            self.fail("function recorder stop: %r" % (e,))
            self.complete = False
        self.hook = "stopped"
        self._stop_docs()
        self._stop_names()
        self._stop_threads()

    def _stop_docs(self):
        """Put the interpreter's function.__doc__, function.__annotations__
        and __build_class__ back, if ours are still in place (else someone
        replaced them: incomplete).  Classes keep their ClassDoc: it reads
        as their docstring."""
        if self._bc is not None:
            orig, ours = self._bc
            self._bc = None
            if builtins.__build_class__ is ours:
                builtins.__build_class__ = orig
            else:
                self.complete = False
        if self._doc is None:
            return
        tdict, placed, modified = self._doc
        self._doc = None
        try:
            for attr, orig, ours in placed:
                if tdict.get(attr) is ours:
                    tdict[attr] = orig
                else:
                    self.complete = False
            modified()
        except Exception as e:
            self.fail("docstring and annotation reads, stop: %r" % (e,))
            self.complete = False

    # ---------------------------------------------------------- targets

    def set_target(self, target):
        """Code run from now on belongs to `target`: PRELUDE, or
        (test id, phase).  The same target again is no change (nothing
        to re-arm: what ran since is in its set already)."""
        self._check()
        if target == self.target:
            return
        # (under the lock: a thread ending now sees either the old target
        # and generation or the new ones, never a mix)
        with self._lock:
            self._set_target(target)

    # ------------------------------------------------------ state guard

    def guard_state(self, owns):
        """From now on, a test that leaves state behind in the project's
        modules (ftrace_pyleak) shares what it ran with every test.
        Without the guard the recording is incomplete: function
        granularity would assume that no test hands state to another."""
        try:
            import ftrace_pyleak
            try:
                # the module skip's clock, under every hook and on 3.13
                import ftrace_pyclock
                versions = ftrace_pyclock.reader(instances=False)[0]
            except Exception:
                versions = None
            # the dict skip's clock: the recorder's own (reader(), with the
            # instance check: not 3.13), whichever leak rule runs
            self._guard = ftrace_pyleak.Watch(
                ftrace_pyleak.Guard(owns, self._tag if self.leak_rule() != "all" else None,
                                    versions=versions, dicts=self._tag),
                self.fail)
            # (the watch's own sets: the result reads them)
            self.leaky, self._leak_v, self._leak_all = (self._guard.leaky, self._guard.leak_v,
                                                        self._guard.leak_all)
            self._leak_lru, self._leak_wide, self._lru_used = (
                self._guard.leak_lru, self._guard.leak_wide, self._guard.lru_used)
            self._leak_env, self._importers = self._guard.leak_env, self._guard.importers
            self.leak_process = self._guard.leak_process
            self.leak_owners = self._guard.leak_owners
        except Exception as e:
            self._guard = None
            self.complete = False
            self.fail("state guard: %r" % (e,))

    # The state guard's marks (ftrace_pyleak.Watch has their rules).

    def test_begin(self):
        if self._guard is not None:
            self._guard.test_begin()

    def test_end(self, target):
        if self._guard is not None:
            self._guard.test_end(target)

    def baseline(self):
        if self._guard is not None:
            self._guard.baseline()

    # Imports during a test (ftrace_pytest_imports.set_import_span).  A
    # module first imported while a test runs (`from pkg import lazy` in
    # its body) runs its body and what that calls there: what they leave
    # in the module (`X = compute()`) is there for every later test that
    # reads the module, which runs none of that code (t9048).  So the
    # functions, docstrings and names first recorded during an import
    # that brought a module are shared (every test's, as import-time code
    # in the prelude is), not the test's.  Not seen: a body's read, during
    # the import, of a name of the module the statement itself names (a
    # submodule reading its package's attribute): it stays the test's.

    def import_begin(self):
        """Before an outermost import in the main thread during a test:
        where the test's sets stand (names are kept apart meanwhile)."""
        if self.target is PRELUDE:
            return None
        names = self._ncur
        self._ncur = set()
        self._regate()
        return (len(sys.modules), len(self._cur), len(self._dcur), names, self.target)

    def import_end(self, tok, targets=()):
        """After it (`targets`: the modules the statement names).  Names
        read on those are the statement's own (its from-list, `import *`)
        and stay the test's only; names read on other modules are the
        bodies' that ran, and are shared too."""
        if tok is None:
            return
        nmods, ncodes, ndocs, names, target = tok
        during, self._ncur = self._ncur, names
        self._regate()
        names |= during
        if target != self.target:      # (no target switch within an import)
            return
        if len(sys.modules) <= nmods:   # no module came: the test's own
            return
        cur, dcur = self._cur, self._dcur
        if len(cur) > ncodes:
            for k, v in list(cur.items())[ncodes:]:
                del cur[k]
                self.shared[k] = v
        if len(dcur) > ndocs:
            for k, v in list(dcur.items())[ndocs:]:
                del dcur[k]
                self.docs_shared[k] = v
        mods = sys.modules
        own = {id(mods.get(t)) for t in targets if mods.get(t) is not None}
        self.names_shared.update(n for n in during if n[0] not in own)

    def test_end_early(self, target):
        if self._guard is not None:
            self._guard.test_end_early(target)

    def fixture_begin(self, target):
        if self._guard is not None:
            self._guard.fixture_begin(target)

    def fixture_end(self, fixturedef):
        if self._guard is not None:
            self._guard.fixture_end(fixturedef)

    def leak_rule(self):
        """"last-write" if a leaky test may share only what it ran before
        its last write to the state it left: the clock works here
        (ftrace_pyclock) and the hook notes it at each code object's
        first run in a target (sys.monitoring, fframe).  Else "all"."""
        if self._tag is not None and self.used in ("monitoring", "fframe"):
            return "last-write"
        return "all"

    def _leak_codes(self, target, rule):
        """What the leaky `target` shares of the code it ran: all of it, or
        under the "last-write" rule, what was first added before its last
        write to the state (a smaller clock value; never equal: each write
        takes a value of its own), and what has no clock value (a thread's
        code, merged at its end)."""
        codes = self.sets.get(target, {})
        v = self._leak_v.get(target)
        if rule == "all" or v is None or target in self._leak_all:
            return codes
        clock = self.clocks.get(target, {})
        return {k: co for k, co in list(codes.items()) if clock.get(k, -1) < v}

    def _env_scoped(self):
        """The leaky targets whose every change was in os.environ only
        (docs/python-functions.md, "A variable a test set"), as {test id:
        sorted names}: their code stays their own, and ingest shares it
        (with what they saw) with the tests that read one of the names,
        or with every test (python/ft_pyfunc_rec.c).  None of a session
        run in several processes (an xdist worker knows its own readers
        only), a name that is no UTF-8, or a test of which some target
        changed anything else."""
        if not self._leak_env or os.environ.get("PYTEST_XDIST_WORKER"):
            return {}
        out, bad = {}, set()
        for t, names in list(self._leak_env.items()):
            if t is PRELUDE or t in self._leak_wide or t in self._leak_lru:
                bad.add(t[0] if t is not PRELUDE else None)
                continue
            try:
                out.setdefault(t[0], set()).update(n.decode("utf-8") for n in names)
            except (UnicodeError, AttributeError):
                bad.add(t[0])
        for t in self.leaky:
            if t is not PRELUDE and t not in self._leak_env:
                bad.add(t[0])
        return {tid: sorted(ns) for tid, ns in out.items() if tid not in bad}

    def _env_importers(self, env):
        """The tests that read one of the variables of `env` (or all of
        them) while an import was in progress: what a module body made of
        it may stay in the module, which the state guard does not compare.
        Without the reads (ftrace_pyenv not loaded or older), every test
        that imported a module during its protocol."""
        pyenv = sys.modules.get("ftrace_pyenv")
        reads = getattr(pyenv, "import_reads", None)
        if reads is None:
            return sorted({t[0] for t in self._importers if t is not PRELUDE})
        names = {"="}
        for ns in env.values():
            names.update(ns)
        out = set()
        for ctx, got in list(reads().items()):
            if ctx is None:
                continue
            for n in got:
                if isinstance(n, bytes):
                    n = n.decode("utf-8", "surrogateescape")
                if n in names:
                    out.add(ctx.decode("utf-8", "surrogateescape") if isinstance(ctx, bytes) else ctx)
                    break
        return sorted(out)

    def _lru_shares(self):
        """Where what a leaky target whose change was in lru_cache wrappers
        only goes (docs/python-functions.md, "An lru_cache a test
        filled"): (scoped, extra, gets).  `scoped`: those targets, whose code is
        not the prelude's; `extra`: target -> (codes, docs, names), what
        the scoped targets it may have got a cached result of ran (it
        called one of their wrappers, or its code names cache_info or
        cache_parameters, which read every wrapper's counts), closed over
        chains (a user that is itself scoped hands on what it got),
        merged: one object for the users with the same sources, read
        only.  A
        scoped target whose wrapper the prelude called after it (a shared
        fixture's setup) is every test's: not scoped."""
        cand = {t: ws for t, ws in self._leak_lru.items()
                if t not in self._leak_wide and t not in self._leak_env and t is not PRELUDE}
        # One process must run every test: an xdist worker's callers are
        # its own, and the next run may place a test that called the
        # wrapper in another worker in L's (ingest checks the same)
        if not cand or os.environ.get("PYTEST_XDIST_WORKER"):
            return set(), {}, {}
        prelude_ws = self._lru_used.get(PRELUDE, set())
        readers = set()
        for t, codes in list(self.sets.items()):
            for co in list(codes.values()):
                names = getattr(co, "co_names", ())
                if "cache_info" in names or "cache_parameters" in names:
                    readers.add(t)
                    break
        if PRELUDE in readers:
            return set(), {}, {}
        scoped = {t: ws for t, ws in cand.items() if not (ws & prelude_ws)}
        users = {}     # wrapper id -> targets that called it
        for t, ws in self._lru_used.items():
            if t is PRELUDE:
                continue
            for w in ws:
                users.setdefault(w, set()).add(t)
        # who gets whose: the users of a scoped target's wrappers, and
        # every reader; then chains, until nothing is added
        gets = {}
        for t, ws in scoped.items():
            for u in set().union(readers, *(users.get(w, ()) for w in ws)):
                if u != t:
                    gets.setdefault(u, set()).add(t)
        # chains: every source is a scoped target, so what a user gets is
        # what its sources reach among the scoped ones, but itself: the
        # reach of each strongly connected component of "t got from s",
        # in one pass (_reach), then one union per distinct set of sources
        reach, comp = _reach({t: gets.get(t, ()) for t in scoped})
        closed = {}
        for u, srcs in list(gets.items()):
            key = frozenset(srcs)
            full = closed.get(key)
            if full is None:
                full = set(key)
                for c in {comp[t] for t in key}:
                    full |= reach[c]
                full = closed[key] = frozenset(full)
            gets[u] = set(full)
            gets[u].discard(u)
        # what a user gets, merged once per distinct set of sources: the
        # code, docstring and name reads of each (a wide leaky target that
        # got from a scoped one shares that too: it goes to the prelude
        # with its own, result()).  A scoped user's own code is in its own
        # set already: merged with it, "every scoped target but me" is one
        # set for all of them.
        merged, extra = {}, {}
        for u, srcs in gets.items():
            key = frozenset(srcs | {u}) if u in scoped else frozenset(srcs)
            m = merged.get(key)
            if m is None:
                codes, docs, names = {}, {}, set()
                for t in sorted(key, key=repr):
                    codes.update(self.sets.get(t, {}))
                    docs.update(self.docs.get(t, {}))
                    names |= self.names.get(t, set())
                m = merged[key] = (codes, docs, names)
            extra[u] = m
        return set(scoped), extra, gets

    def _set_target(self, target):
        s = self.sets.get(target)
        if s is None:
            s = self.sets[target] = {}
        self.target = target
        self._gen += 1
        self._cur = s
        d = self.docs.get(target)
        if d is None:
            d = self.docs[target] = {}
        self._dcur = d
        n = self.names.get(target)
        if n is None:
            n = self.names[target] = set()
        self._ncur = n
        self._regate()
        c = self.clocks.get(target)
        if c is None:
            c = self.clocks[target] = {}
        self._ccur = c
        if self.hook == "cprofile":
            self._fh.target(s)
        elif self.hook == "fframe":
            if self._tag is not None:
                self._ff.target(s, c)
            else:
                self._ff.target(s)
        if self.hook == "monitoring":
            fired, self._fired = self._fired, set()
            ms = self._mstate
            if ms is not None:
                ms[2], ms[3], ms[4] = s, (c if ms[3] is not None else None), self._fired
            codes, rearm = self._codes, self._rearm
            try:
                for k in fired:
                    rearm(codes[k])
            except Exception as e:
                self.fail("re-arming sys.monitoring events: %r" % (e,))
                self.complete = False

    def note_whole(self, item):
        """After test `item`: keep it whole (at file granularity) if it
        depends on more than the code it ran (draws_local_constants)."""
        if draws_local_constants(item):
            self.whole.add(item.nodeid)

    # ----------------------------------------------------------- result

    @staticmethod
    def _qualnames(path):
        """ftrace_pyqual.qualnames() of the source file `path` (before
        3.11, whose code objects have no co_qualname), or None if it
        cannot be read or parsed."""
        try:
            import ftrace_pyqual
            with open(path, "rb") as f:
                return ftrace_pyqual.qualnames(f.read())
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
            return None

    def result(self, abspath, owns):
        """The side file's "functions" object:
        {"hook", "complete", "prelude": [keys], "tests": {id: {phase: [keys]}}}
        with keys [file, qualname, firstlineno] of project code only; a
        read of a function's __doc__ is the key [file, qualname + "#doc",
        firstlineno] (ftrace_fingerprint.DOC); a read of a module's name
        N is [file, "@N", 0] ("@*": its whole namespace), and the prelude
        says per file whether such reads were seen ("@+") or not ("@-").
        Code run by other threads is in "prelude" (it is shared), but for
        a tracked thread that ended within the target it began in (in
        that target's keys); a tracked thread still running counts as
        shared."""
        files = {}
        mods = self._mods

        def keys(codes, docs, names=(), more=frozenset(), shape=list):
            """The sorted keys of codes, docs and names, and the keys `more`
            (a set of them, keyset()), each a `shape` (a list: the
            prelude's are edited in place later)."""
            got = keyset(codes, docs, names)
            if more:
                # `more` is shared by many tests: sorted once, and merged
                # with the rest (two sorted runs, which sort() merges)
                ordered = more_sorted.get(id(more))
                if ordered is None:
                    ordered = more_sorted[id(more)] = (more, sorted(more))
                got = sorted(got - more)
                got += ordered[1]
                got.sort()
            else:
                got = sorted(got)
            return [shape(k) for k in got] if shape is not tuple else got

        more_sorted = {}    # id() of a `more` -> (it, its keys sorted)

        # a code object's key by id(code): every set keeps its code
        # objects alive until here, so no two of them share an id
        # (None: not the project's)
        code_keys = {}
        # a module's project path by its id, or None (mods keeps them
        # alive: no two share an id)
        mod_paths = {}

        def keyset(codes, docs, names=()):
            out = set()
            # (list() first: a thread may add to these meanwhile; a C-level
            # copy runs without letting another thread in)
            for mid, name in list(names):
                p = mod_paths.get(mid, 0)
                if p == 0:
                    m = mods.get(mid)
                    p = abspath(m[1]) if m is not None else None
                    p = mod_paths[mid] = p if p is not None and owns(p) else None
                if p is None:
                    continue
                if name == "__dict__":
                    name = "*"
                elif name == "%__dict__":
                    name = "%*"
                elif name[:1] == ">":
                    # a re-export into another project module, or
                    # else a plain read
                    n, alias, g = name[1:].split("\t", 2)
                    g = abspath(g) if g and not g.startswith("<") else ""
                    name = ">%s\t%s\t%s" % (n, alias, g) if g and g != p and owns(g) else n
                out.add((p, "@" + name, 0))
            for k, co in list(codes.items()):
                keys = code_keys.get(k)
                if keys is None:
                    keys = code_keys[k] = code_key(co, "")
                out.update(keys)
            for co, tail in list(docs.values()):
                out.update(code_key(co, tail))
            return out

        quals = {}   # file -> ftrace_pyqual.qualnames() of it, or None

        def code_key(co, tail):
            """The keys (file, qualname + tail, line) of a project code
            object: one, or none if it is not the project's.  Before 3.11
            the qualname is the source's (ftrace_pyqual: two code objects
            of one name on one line give both theirs); a code object the
            source has no entry for makes the recording incomplete."""
            fn = co.co_filename
            f = files.get(fn)
            if f is None:
                f = ""
                if fn and not fn.startswith("<"):
                    p = abspath(fn)
                    if owns(p):
                        f = p
                files[fn] = f
            if not f:
                return ()
            q = getattr(co, "co_qualname", None)
            if q is not None:
                return ((f, q + tail, co.co_firstlineno),)
            m = quals.get(f, 0)
            if m == 0:
                m = quals[f] = self._qualnames(f)
            got = m.get((co.co_name, 0 if co.co_name == "<module>" else co.co_firstlineno)) \
                if m is not None else None
            if not got:
                if self.complete:
                    self.fail("no qualname for %s:%s (line %d) in its source: the session is "
                              "recorded by file" % (f, co.co_name, co.co_firstlineno))
                self.complete = False
                return ((f, co.co_name + tail, co.co_firstlineno),)
            return tuple((f, q + tail, co.co_firstlineno) for q in sorted(got))

        # The prelude's keys, and what counts as shared: code run by other
        # threads (and by tracked ones still running), and what a test that
        # left state behind ran (a later test may read that state without
        # running the code that made it).
        with self._lock:
            live = list(self._threads.values())
        prelude = dict(self.sets[PRELUDE])
        docs_prelude = dict(self.docs[PRELUDE])
        inlined = self._inlinable() if self._getitems is not None else {}
        prelude.update(inlined)
        names_prelude = set(self.names[PRELUDE])
        # (docstring and annotation reads and name reads: all of them, as
        # they have no clock value)
        rule = self.leak_rule()
        scoped, extra, gets = self._lru_shares()
        env = self._env_scoped()
        wide = [t for t in self.leaky if t not in scoped and (t is PRELUDE or t[0] not in env)]
        for codes, docs, names in ([(self.shared, self.docs_shared, self.names_shared)]
                                   + [(t.codes, t.docs, t.names) for t in live]
                                   + [(self._leak_codes(t, rule), self.docs.get(t, {}),
                                       self.names.get(t, set())) for t in wide]
                                   + [extra[t] for t in wide if t in extra]):
            prelude.update(codes)
            docs_prelude.update(docs)
            names_prelude |= names
        tests = {}
        got = {}        # id() of an extra -> its keys, made once
        for target, codes in self.sets.items():
            if target is PRELUDE:
                continue
            tid, phase = target
            more = frozenset()
            m = extra.get(target)
            if m is not None:
                more = got.get(id(m))
                if more is None:
                    more = got[id(m)] = keyset(*m)
            # (tuples: nothing edits a test's keys, and _compact indexes
            # them as they are)
            tests.setdefault(tid, {})[phase] = keys(codes, self.docs.get(target, {}),
                                                    self.names.get(target, set()), more,
                                                    tuple)
        return {
            "hook": self.used or "none",
            "python": "%d.%d" % sys.version_info[:2],
            # `ftrace affected` fingerprints changed files with this same
            # interpreter (the AST differs between versions), started
            # directly rather than through a shim on PATH.
            "executable": sys.executable or "",
            "complete": bool(self.complete),
            # docstring reads are recorded (ingest counts a recording
            # without them as incomplete)
            "docs": True,
            "prelude": keys(prelude, docs_prelude, names_prelude)
            + self.name_markers(abspath, owns),
            "tests": tests,
            # (information: ingest does not read it)
            "leaky": sorted(t[0] for t in self.leaky),
            # which leak rule ran ("last-write" or "all"), why not the
            # narrower one, and the leaky tests it narrowed
            "leak_rule": rule,
            "leak_rule_why": (None if rule != "all" else self._tag_why
                              or "the %s hook notes no clock" % (self.used or "none")),
            # the leaky tests whose change was in lru_cache wrappers only,
            # and the tests that got what they ran
            "leak_scoped": _users_of(scoped, gets),
            # the leaky tests whose change was in os.environ only, the
            # names, and the tests during which a module was imported:
            # ingest places their code (ft_pyfunc_rec.c) and what they saw
            "leak_env": {"tests": env, "importers": self._env_importers(env)} if env else {},
            "leak_narrowed": sorted(t[0] for t in self.leaky
                                    if t in self._leak_v and t not in self._leak_all),
            # tests that depend on more than the code they ran: selection
            # keeps them at file granularity (ingest marks their rows)
            "whole": sorted(self.whole),
            # the frame hook on 3.11.0-3.11.3: the functions counted as
            # run by every test because a subscript may run them unseen
            # (_start_fframe); in "prelude" too
            "inlined": keys(inlined, {}),
        }
