#!/usr/bin/env bash
# adapters/pytest/ftrace_pyleak.py's Guard on its own (fixtures/pyleak),
# under every interpreter of 3.11 or later found.  Each shape of state a
# test can leave in the project's modules makes mark() say "changed":
# module globals set, added or deleted; containers (and subclasses of the
# built-in ones) at a global, in a class, in an instance, one level down;
# an instance's or a class's attributes; a shared fixture's value; what a
# project function's closure cell holds (an empty cell among them);
# os.environ and sys.path; the standard library's process-wide state
# (loggers, warning filters, import hooks, builtins, the working directory,
# the locale, the recursion limit, socket's timeout, decimal's context,
# copyreg).  What is not a change: a change put back with the same object
# (monkeypatch), an equal environment value, a submodule bound by an
# import, a new module, a __warningregistry__, a logger made, a decimal
# local context, an empty __annotations__ a read of a class or a module
# made (filled, it is a change).  mark(outside=False) and mark(project=False) compare one
# part each and defer the other correctly.  The guard never
# runs the project's code (classes whose __getattribute__, __dict__,
# values() or __iter__ raise), and keeps no object alive (a weak reference
# to a dropped global dies).  All of it three times: with the guard's
# skip of modules that no write touched (ftrace_pyclock's module clock,
# which 3.11-3.13 have), with that and the skip of dicts of 64 items or
# more whose tag did not move (the clock with its instance check: 3.11,
# 3.12; big dicts, a big instance's __dict__ and a dict subclass are
# written, reordered, and set to the value they hold), and without.
. "$(dirname "$0")/lib.sh"
ft_fixture pyleak
ADAPTER=$FTRACE_SOURCE_DIR/adapters/pytest

cat >"$FT_SCRATCH/check.py" <<'PY'
import builtins, copyreg, decimal, gc, json, locale, logging, os, socket, sys, warnings, weakref
sys.path.insert(0, sys.argv[1])
root = os.path.join(os.getcwd(), "proj")
sys.path.insert(0, root)
import ftrace_pyleak
import app.state as st
import app.holders as ho

errors = []
# argv[3] "native": the adapters of the build tree, whose _ftrace_snap
# (the snapshot in C, built once against the stable ABI) must load in
# every interpreter that loads abi3 modules (CPython 3.10+ with the GIL)
native = sys.argv[3] == "native"
if native:
    import glob, importlib.machinery
    built = [p for s in importlib.machinery.EXTENSION_SUFFIXES
             for p in glob.glob(os.path.join(sys.argv[1], "_ftrace_snap" + s))]
    if built and ftrace_pyleak._NATIVE is None:
        errors.append("_ftrace_snap is built (%s), and not loaded" % built)
    native = ftrace_pyleak._NATIVE is not None
# argv[2] "modclock": the guard skips the modules that no write touched
# (versions: ftrace_pyclock's module clock); it must see the same changes
# "dictclock": that, and the skip of big dicts whose tag did not move
# (dicts: the clock with its instance check, which 3.11 and 3.12 have)
import ftrace_pyclock
versions = dicts = None
if sys.argv[2] in ("modclock", "dictclock"):
    versions, why = ftrace_pyclock.reader(instances=False)
    if versions is None:
        if (3, 11) <= sys.version_info[:2] <= (3, 13):
            errors.append("no module clock on %s: %s" % (sys.version, why))
        print("\n".join(errors) or "no module clock: " + why)
        sys.exit(1 if errors else 0)
if sys.argv[2] == "dictclock":
    dicts, why = ftrace_pyclock.reader()
    if dicts is None and (3, 11) <= sys.version_info[:2] <= (3, 12):
        errors.append("no dict clock on %s: %s" % (sys.version, why))
g = ftrace_pyleak.Guard(lambda p: p.startswith(root + os.sep), versions=versions, native=native,
                        dicts=dicts)
if g._native != native:
    errors.append("the guard's snapshot is not the one asked for")
if (g._dclock is not None) != (native and dicts is not None):
    errors.append("the guard's dict skip is not the one asked for")
if g.mark() is not False or g.mark() is not False:
    errors.append("a first mark, or a mark with nothing done, says changed")


class FixtureDef:                # what the guard reads of pytest's
    def __init__(self, value):
        self.cached_result = (value, None, None)


fixture_value = st.Registry()
fd = FixtureDef(fixture_value)
g.fixture(fd)
g.mark()
big = list(range(ftrace_pyleak.BIG + 1))
st.BIG = big
g.mark()


class NoFinder:
    def find_spec(self, *a):
        return None


def other_locale():
    now = locale.setlocale(locale.LC_NUMERIC)
    for name in ("C.UTF-8", "C.utf8", "POSIX", "C"):
        try:
            if locale.setlocale(locale.LC_NUMERIC, name) != now:
                return
        except locale.Error:
            pass
    raise SystemExit("no second locale for LC_NUMERIC")


kept = []


def umask_behind_fake_status():
    # the guard keeps /proc/self/status open (_STATUS); a test that closed
    # that descriptor, and whose own file got its number, must not be read
    # as the status: here a file that says the old umask
    fd = ftrace_pyleak._STATUS[0]
    if fd is None:
        raise SystemExit("the umask was read without the kept descriptor")
    now = os.umask(0o022)
    os.umask(now)
    fake = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake-status")
    with open(fake, "w") as f:
        f.write("Name:\tpython3\nUmask:\t%04o\nState:\tR\n" % now)
    os.close(fd)
    got = os.open(fake, os.O_RDONLY)
    kept.append(got)
    if got != fd:
        errors.append("the fake status did not get the descriptor's number")
    os.umask(now ^ 0o002)


def put_back(obj, name, value):
    old = getattr(obj, name)
    setattr(obj, name, value)
    setattr(obj, name, old)


changes = [
    ("a module global set", lambda: setattr(st, "COUNT", st.COUNT + 1)),
    ("a module global added", lambda: setattr(st, "NEW", 1)),
    ("a module global deleted", lambda: delattr(st, "REF")),
    ("a list appended to", lambda: st.NAMES.append("x")),
    ("a set added to", lambda: st.SEEN.add(1)),
    ("a dict in a dict", lambda: st.TABLE["a"].__setitem__("k", 1)),
    ("a list in a dict in a dict", lambda: st.TABLE["a"]["inner"].append(1)),
    ("an instance's attribute added", lambda: setattr(st.REG, "extra", 1)),
    ("an instance's dict attribute", lambda: st.REG.items.__setitem__("k", 1)),
    ("a class attribute added", lambda: setattr(st.Registry, "flag", True)),
    ("a class's list", lambda: st.Registry.kinds.append(1)),
    ("a class with a metaclass", lambda: setattr(st.WithMeta, "level", 2)),
    ("a dict subclass", lambda: st.TD.__setitem__("z", 2)),
    ("a SimpleNamespace's attribute", lambda: setattr(ho.NS, "mode", "fast")),
    ("a threading.local's attribute", lambda: setattr(ho.LOCAL, "stack", [])),
    ("a list in a threading.local", lambda: ho.LOCAL.stack.append(1)),
    ("an argparse.Namespace's attribute", lambda: setattr(ho.ARGS, "verbose", True)),
    ("a ChainMap's first map", lambda: ho.CHAIN.__setitem__("k", 1)),
    ("a Queue's items", lambda: ho.Q.put(1)),
    ("a WeakKeyDictionary's entry", lambda: ho.WEAK_BY_KEY.__setitem__(ho.KEY, "blue")),
    ("a WeakKeyDictionary entry keyed by itself, its key kept",
     lambda: ho.WEAK_BY_KEY.__setitem__(*(lambda k: (setattr(ho, "KEPT", k), k, k)[1:])(ho.Key()))),
    ("a WeakValueDictionary's entry", lambda: ho.WEAK_VALUES.__setitem__("k", ho.KEY)),
    ("a WeakSet's member", lambda: ho.WEAK_SET.add(ho.KEY)),
    ("a context variable set", lambda: ho.CURRENT.set("fr")),
    ("a context variable set again", lambda: ho.CURRENT.set("de")),
    ("a list subclass", lambda: list.append(st.TL, 3)),
    ("a closure's cell rebound (nonlocal)", lambda: st.BUMP()),
    ("an empty closure cell bound", lambda: st.PUT_BOX("first")),
    ("a closure cell bound again", lambda: st.PUT_BOX("second")),
    ("an object in a dict replaced", lambda: st.HOLD.__setitem__("thing", st.Thing())),
    ("a big list", lambda: big.append(1)),
    ("a big dict's value replaced", lambda: st.WIDE.__setitem__(5, "five")),
    ("a big dict's key added", lambda: st.WIDE.__setitem__(1000, "x")),
    ("a big dict's key deleted", lambda: st.WIDE.__delitem__(1000)),
    ("a big dict's key moved to its end", lambda: st.WIDE.__setitem__(0, st.WIDE.pop(0))),
    ("a big instance's attribute set", lambda: setattr(st.WOBJ, "a7", -7)),
    ("a big dict subclass", lambda: dict.__setitem__(st.WTD, 3, "3")),
    ("a shared fixture's value", lambda: fixture_value.items.__setitem__("k", 1)),
    ("os.environ", lambda: os.environ.__setitem__("FTRACE_PYLEAK_CASE", "1")),
    ("os.environ, a key deleted", lambda: os.environ.__delitem__("FTRACE_PYLEAK_CASE")),
    ("sys.path", lambda: sys.path.append("/nonexistent")),
    ("a handler added to a logger", lambda: logging.getLogger("app").addHandler(logging.NullHandler())),
    ("a logger made with a handler", lambda: logging.getLogger("app.made.h").addHandler(logging.NullHandler())),
    ("the root logger's level", lambda: logging.getLogger().setLevel(logging.DEBUG)),
    ("a module faked in sys.modules", lambda: sys.modules.__setitem__("zz_t9023_fake", type(sys)("zz_t9023_fake"))),
    ("a module blocked in sys.modules", lambda: sys.modules.__setitem__("zz_t9023_none", None)),
    ("an object put in sys.modules", lambda: sys.modules.__setitem__("zz_t9023_obj", object())),
    ("a fake taken out of sys.modules", lambda: sys.modules.pop("zz_t9023_fake")),
    ("a blocked name given a fake", lambda: sys.modules.__setitem__("zz_t9023_none", type(sys)("zz_t9023_none"))),
    ("a fake replaced by another", lambda: sys.modules.__setitem__("zz_t9023_none", type(sys)("zz_t9023_none"))),
    ("a fake put back by another name's import", lambda: (
        sys.modules.__setitem__("zz_t9023_none", None), sys.modules.__setitem__("json", sys.modules.pop("json")))),
    ("sys.argv set", lambda: setattr(sys, "argv", ["prog", "--flag"])),
    ("sys.argv appended to", lambda: sys.argv.append("x")),
    ("a logger disabled", lambda: setattr(logging.getLogger("app"), "disabled", True)),
    ("a filter on a logger", lambda: logging.getLogger("app").addFilter(logging.Filter("x"))),
    ("logging.disable()", lambda: logging.disable(logging.INFO)),
    ("a warnings filter", lambda: warnings.simplefilter("error", DeprecationWarning)),
    ("an import hook", lambda: sys.meta_path.append(NoFinder())),
    ("a builtin added", lambda: setattr(builtins, "ftrace_case", 1)),
    ("the working directory", lambda: os.chdir("/")),
    ("the recursion limit", lambda: sys.setrecursionlimit(sys.getrecursionlimit() + 1)),
    ("the umask", lambda: os.umask(os.umask(0o077) | 0o027)),
    ("the umask, its status descriptor's number given to another file", umask_behind_fake_status),
    ("socket's default timeout", lambda: socket.setdefaulttimeout(5.0)),
    ("decimal's context", lambda: setattr(decimal.getcontext(), "prec", 10)),
    ("decimal's context replaced", lambda: decimal.setcontext(decimal.Context())),
    ("a copyreg registration", lambda: copyreg.pickle(NoFinder, lambda o: (NoFinder, ()))),
    ("the locale", other_locale),
    # an __annotations__ dict made by a read and then filled
    ("a class's __annotations__ made and filled",
     lambda: getattr(st.Plain2, "__annotations__", {}).__setitem__("x", int) if sys.version_info < (3, 14)
     else setattr(st.Plain2, "__annotations__", {"x": int})),
]
for name, act in changes:
    act()
    if g.mark() is not True:
        errors.append("not seen: " + name)
    if g.mark() is not False:
        errors.append("seen twice: " + name)

home = os.environ.get("HOME", "/")


def lazy():
    import app.sub


def env():
    os.environ["HOME"] = home + "/"
    os.environ["HOME"] = "".join(list(home))   # equal, another object


def filters():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")


def cwd():
    here = os.getcwd()
    os.chdir("/tmp")
    os.chdir(here)


def local_context():
    with decimal.localcontext() as c:
        c.prec = 3


same = [
    ("a global put back", lambda: put_back(st, "COUNT", 99)),
    ("an attribute put back", lambda: put_back(st.REG, "items", {})),
    ("an environment value put back", env),
    ("a submodule imported (the import hook's baseline after it)", lambda: (lazy(), g.baseline())),
    ("a standard library module imported", lambda: __import__("colorsys")),
    ("a warning's registry", st.warn),
    ("a logger made", lambda: logging.getLogger("app.made.here")),
    ("a logger made with a level", lambda: logging.getLogger("app.made.level").setLevel(5)),
    ("warning filters put back", filters),
    ("the working directory put back", cwd),
    ("a decimal local context", local_context),
    ("the guard's own objects", lambda: None),
    ("a big dict's value set to itself", lambda: st.WIDE.__setitem__(1, st.WIDE[1])),
    ("a context variable set and reset", lambda: ho.CURRENT.reset(ho.CURRENT.set("it"))),
    ("the umask set and put back", lambda: os.umask(os.umask(0o077))),
    # click's stream cache: a key that only its own entry keeps alive (its
    # value is the key, or holds it), which no later test can look up
    ("a WeakKeyDictionary entry keyed by itself", lambda: ho.WEAK_BY_KEY.__setitem__(
        *(lambda k: (k, k))(ho.Key()))),
    ("a WeakKeyDictionary entry whose value holds its key", lambda: ho.WEAK_BY_KEY.__setitem__(
        *(lambda k: (k, ho.Holder(k)))(ho.Key()))),
    # what importlib does as each import ends: a module moved to the end
    ("a module moved to sys.modules' end", lambda: sys.modules.__setitem__("json", sys.modules.pop("json"))),
    # a read of a class's or a module's __annotations__ that had none: an
    # empty dict made and kept in its namespace (3.10 to 3.13; pytest reads
    # each unittest TestCase's as it collects)
    ("a class's __annotations__ read", lambda: getattr(st.Plain, "__annotations__", None)),
    ("a module's __annotations__ read", lambda: getattr(ho, "__annotations__", None)),
]
for name, act in same:
    act()
    if g.mark() is not False:
        errors.append("a change where there is none: " + name)

# _fakes() judges again only the names whose value is new since its last
# look: what it says is what judging every name says
full = tuple(sorted((n, id(v)) for n, v in list(sys.modules.items())
                    if type(n) is str and ftrace_pyleak._is_fake(n, v)))
if ftrace_pyleak._fakes() != full or not any(n == "zz_t9023_none" for n, _ in full):
    errors.append("_fakes() by name differs from a whole look: %r" % (full,))

# A module a test imports: the import hook's baseline() takes its state as
# the import left it, and what the test does to it after is a change.  One
# that came without a baseline is a change of unknown place.
import app.lazy1
g.baseline()
if g.mark() is not False:
    errors.append("a change where there is none: a module imported, its baseline taken")
import app.lazy2
g.baseline()
app.lazy2.CACHE["k"] = 1
if g.mark() is not True:
    errors.append("not seen: a module's state written after its import (baseline taken)")
import app.lazy3
if g.mark() is not True or g.last_write is not None or g.lru_changed is not None:
    errors.append("a module imported without a baseline: not a change of unknown place")
if g.mark() is not False:
    errors.append("a module imported without a baseline: seen twice")
# baseline() where the plan cannot grow by what came (a module came, and
# one was replaced under its name): a mark of the project's part there,
# its result kept in `pending` for the test's end; what the test changed
# before is in it.  (A replacement alone keeps sys.modules' size, which is
# all baseline() looks at: the next mark finds it, a change of unknown
# place, as above.)
st.COUNT += 1
del sys.modules["app.sub"]
import app.sub
import app.lazy4
g.baseline()
if [p[0] for p in g.pending] != [True]:
    errors.append("baseline() refused by the plan: the change before it not kept: %r" % (g.pending,))
del g.pending[:]
if g.mark() is not False:
    errors.append("baseline() refused by the plan: its mark not taken as the baseline")

# One part at a time: outside=False neither compares nor takes the
# standard library's part, project=False takes the project's.
logging.getLogger("app").setLevel(5)
if g.mark(outside=False) is not False:
    errors.append("mark(outside=False) compared the standard library's state")
if g.mark() is not True:
    errors.append("a change made before a mark(outside=False), not seen after it")
st.COUNT += 1
if g.mark(project=False) is not False:
    errors.append("mark(project=False) compared the project's state")
if g.mark() is not False:
    errors.append("mark(project=False) did not take the project's state")
st.COUNT += 1
if g.mark(outside=False) is not True:
    errors.append("mark(outside=False) missed the project's state")

# a dropped global dies: the guard holds no reference to it
st.REF = st.Thing()
g.mark()
ref = weakref.ref(st.REF)
st.REF = None
gc.collect()
if ref() is not None:
    errors.append("the guard keeps a dropped object alive")
if g.mark() is not True:
    errors.append("not seen: a global dropped")

# What came since the plan was made is followed (the plan grown by
# additions, _extend(), not walked again): a holder added to a class, to a
# module's globals, to a container, and a module imported; a write into it
# is seen, once.  And what a grown plan followed is not kept alive once it
# is dropped (a removal walks the plan anew).
def late():
    import app.late
    return app.late


class Held:
    pass


grown = [
    ("a dict a class gained", lambda: setattr(st.Registry, "table4", {}),
     lambda: st.Registry.table4.__setitem__("k", 1)),
    ("a list a module gained", lambda: setattr(st, "NEW4", []), lambda: st.NEW4.append(1)),
    ("a list a dict gained", lambda: st.TABLE["a"].__setitem__("list4", []),
     lambda: st.TABLE["a"]["list4"].append(1)),
    ("an instance a list gained", lambda: st.NAMES.append(st.Thing()),
     lambda: setattr(st.NAMES[-1], "attr4", 1)),
    ("a module imported", late, lambda: late().SEEN.append(1)),
    ("a dict in a dict a class gained", lambda: setattr(st.Registry, "deep4", {"in": {}}),
     lambda: st.Registry.deep4["in"].__setitem__("k", 1)),
]
for name, add, write in grown:
    add()
    g.mark()
    if g.mark() is not False:
        errors.append("an addition seen twice: " + name)
    write()
    if g.mark() is not True:
        errors.append("not seen, in what came since the plan: " + name)
    if g.mark() is not False:
        errors.append("seen twice, in what came since the plan: " + name)
held = Held()
st.Registry.kept4 = {"thing": st.Thing()}
st.Registry.kept4["thing"].held = held
g.mark()
ref = weakref.ref(held)
del held
del st.Registry.kept4
g.mark()
gc.collect()
if ref() is not None:
    errors.append("a grown plan keeps a dropped object alive")

# A shared fixture's value that goes (its teardown) is walked away only
# when its walk added a holder to the plan: pytest's None of each unittest
# class's setUpClass fixture, or a str, leaves nothing behind, and the plan
# is not walked anew; a value that reached a container is, and the
# container is not kept alive.  Either way a later write is still seen.
walks = []
make_plan = g._make_plan
g._make_plan = lambda: (walks.append(1), make_plan())[1]
for name, value in (("None", None), ("a str", "fixture text")):
    fd_plain = FixtureDef(value)
    g.fixture(fd_plain)
    g.mark()
    fd_plain.cached_result = None
    walks.clear()
    if g.mark() is not False:
        errors.append("a shared fixture's %s gone is a change" % name)
    if walks:
        errors.append("a shared fixture's %s gone walked the plan anew" % name)
    st.NAMES.append(name)
    if g.mark() is not True:
        errors.append("not seen after a shared fixture's %s went: a list appended to" % name)

box = st.Thing()                 # a project class's instance
box.table = {"thing": st.Thing()}
box.table["thing"].held = Held()
fd_box = FixtureDef(box)
g.fixture(fd_box)
g.mark()
ref = weakref.ref(box.table["thing"].held)
fd_box.cached_result = None
del box
walks.clear()
g.mark()
gc.collect()
if not walks:
    errors.append("a shared fixture's value that reached a holder went, and the plan was not walked anew")
if ref() is not None:
    errors.append("the plan keeps a shared fixture's value's holder alive after it went")
st.NAMES.append("after")
if g.mark() is not True:
    errors.append("not seen after a shared fixture's holder went: a list appended to")
g._make_plan = make_plan

# When the change is in dicts only, last_write places it on the dict
# clock (ftrace_pyclock), between the clock before and after the write;
# any other change, or a list reached since, has no last_write.
import ftrace_pyclock
tag, why = ftrace_pyclock.reader()
if tag is None and (3, 11) <= sys.version_info[:2] <= (3, 12):
    errors.append("no dict clock on %s: %s" % (sys.version, why))


def clock():
    d = {}
    d[0] = 0
    return tag(d)


timed = [
    ("a dict in a dict", True, lambda: st.TABLE["a"].__setitem__("k3", 3)),
    ("an instance's attribute", True, lambda: setattr(st.REG, "extra3", 1)),
    ("a module global set", True, lambda: setattr(st, "COUNT", st.COUNT + 1)),
    ("a list appended to", False, lambda: st.NAMES.append("z")),
    ("a global bound to a new list", False, lambda: setattr(st, "NEW3", [1])),
    ("a class attribute", False, lambda: setattr(st.Registry, "flag3", True)),
    ("os.environ", False, lambda: os.environ.__setitem__("FTRACE_PYLEAK_CASE3", "1")),
]
if tag is not None:
    g = ftrace_pyleak.Guard(lambda p: p.startswith(root + os.sep), tag, native=native)
    g.mark()
    for name, placed, act in timed:
        t0 = clock()
        act()
        t1 = clock()
        changed, v = g.mark(), g.last_write
        if not changed:
            errors.append("not seen (with a clock): " + name)
        elif placed and not (type(v) is int and t0 < v < t1):
            errors.append("%s: last write %r, not between %d and %d" % (name, v, t0, t1))
        elif not placed and v is not None:
            errors.append("%s: placed at %r, must not be" % (name, v))
        if g.mark() is not False or g.last_write is not None:
            errors.append("seen twice (with a clock): " + name)

if errors:
    print("\n".join(errors))
    sys.exit(1)
print("%d changes seen, %d non-changes, %d placed in time or not, snapshot in %s" % (
    len(changes), len(same), len(timed) if tag is not None else 0, "C" if native else "Python"))
PY

found=0
natives=0
while read -r p <&3; do
	for clock in none modclock dictclock; do
		out=$(PYTHONDONTWRITEBYTECODE=1 "$p" "$FT_SCRATCH/check.py" "$ADAPTER" $clock python 2>&1) ||
			ft_fail "guard under $p ($clock): $out"
		ft_log "$p ($clock): ${out##*$'\n'}"
		[ -d "$FTRACE_BUILD_DIR/adapters/pytest" ] || continue
		out=$(PYTHONDONTWRITEBYTECODE=1 "$p" "$FT_SCRATCH/check.py" "$FTRACE_BUILD_DIR/adapters/pytest" \
			$clock native 2>&1) || ft_fail "guard under $p ($clock, the build's adapters): $out"
		ft_log "$p ($clock, the build's adapters): ${out##*$'\n'}"
		case $out in *"snapshot in C") natives=$((natives + 1)) ;; esac
	done
	found=$((found + 1))
done 3< <(ft_pythons311)
[ "$found" -gt 0 ] || ft_skip "no Python 3.11 or later"
# every interpreter has the snapshot in C (each run three times), if it is built
if ls "$FTRACE_BUILD_DIR"/adapters/pytest/_ftrace_snap*.so >/dev/null 2>&1; then
	[ "$natives" -eq $((found * 3)) ] ||
		ft_fail "_ftrace_snap is built, and $natives of $((found * 3)) runs here loaded it"
fi
