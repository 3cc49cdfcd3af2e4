"""ftrace_pystate - which functions of a module may leave state behind.

Used by ftrace_fingerprint.py; pure Python over the C module _ast.
docs/python-functions.md, "Functions that keep state".

A function body is a key of its own so that a change of it selects only
the tests that ran it.  That is sound only if the body's effects end with
the call.  A body that stores into state outliving the call (a module
global, a module-level container, a class attribute, a cache) can hand its
result to a test that never runs it: test X runs `get_config()`, which
fills `_CONFIG`; test Y reads the cached value.  An edit of the body
changes what Y sees in a full run, yet Y never ran the body.

stateful(tree) names the functions outside functions (qualnames, methods
included) whose body may do that; ftrace_fingerprint keeps their bodies in
the skeleton, as if they ran at import.  A function is *stateful* when:

- it is decorated by a cache (a decorator named cache, lru_cache,
  cached_property, cached, memoize or memoized, called or not);
- any scope of its body (nested functions, lambdas and classes included)
  says `global`; or
- any scope stores into, deletes from, or calls a mutating method
  (_MUTATORS; not as a function of an imported module, `pkg.add(x)`) or
  setattr/delattr on an object reached from a name that no
  enclosing function scope binds (a module global or a builtin), from a
  class (the first parameter of a classmethod, __new__,
  __init_subclass__ or __class_getitem__; `type(x)`; `x.__class__`), or
  through a call on such a name that is not an imported module
  (`_REGISTRY.get(k).append(v)`, but not `hashlib.sha256().update(b)`),
  or from a module the function imports itself.  A mutating method on a
  name bound by `import m` is m's function (`pkg.add(x)`); on one bound
  by `from m import X`, a mutation of X.  One reached through `super()`,
  or a type's method given the object (`dict.__setitem__(self, k, v)`),
  mutates the instance: not state here, as `self.x = v` is not.

And so is every function of the module that a stateful one mentions: its
result can be what the cache keeps.  Mentions are matched by name within
the module, over-approximately: a name or attribute `x` is every function
or method named `x`; a class name is its __init__, __new__ and
__post_init__.

leaving(tree) also names, among those, the functions that may store into
state *outside* the module: a store, a mutating call or setattr whose
object hangs off an imported module or a name imported from one (at module
level or in the function: `import tabulate as t; t.MIN_PADDING = 0`,
`sys.modules["m"].X = 1`, `os.environ[k] = v`), off a builtin or a name the
module does not bind, off `type(x)` or `x.__class__` (but a method's own
`type(self)`: its class or a subclass), or off a module-level
name bound to anything but an object the module makes itself (a literal, a
display, a comprehension, a call of a known container or lock type or of a
class the module defines); a mock patcher started (`patch(...).start()`
or a local bound to a `patch(...)`, then `.start()`); a standard-library
setter of process-wide state (_PROCESS: `os.chdir`, `copyreg.pickle`,
...); an ABC's `register` (_MUTATORS: `Sequence.register(C)` changes
every later isinstance()); and exec() or eval(), whose text can store
anything anywhere.  Then the functions
that such a store's value mentions, what those mention in turn, and the
functions of the module that call one of them (by name, as above).  A test
that runs such a function can leave state behind that a test holding none
of this module sees; the fingerprint marks their top-level statements
("leaves"), so that selection widens an edit of one to every test of the
sessions that loaded the module (docs/python-functions.md, "Functions that
write outside their module").

A local bound to a chain of names, attributes and subscripts (no call
but an import's: `d = _sigs.table`, `for h in HANDLERS`, `b =
__import__("builtins")`) is that chain wherever it is stored into
(_aliases), and a call of a local bound to a mutating method (`pop =
REG.pop; pop(k)`) mutates its object.  A parameter is its default where
that outlives the call: a chain read where the def runs (`signatures=
signatures`), or a mutable object a def outside functions made once
(`_memo={}`).  `X.__init__(...)` makes X again in place (but not a base's
given a local, `Base.__init__(self)`, nor `super(...).__init__()`).  A
call that hands a chain to a function whose own scope mutates that
parameter (_mutated_params: a lambda called in place, a def or lambda of
the calling scope or of the module, _callees) mutates the chain's object.

Not seen (docs/python-functions.md, "Limits"): state kept through an
instance (`self.x = v` on an object that outlives the test), through a
local bound to a call's result (`reg = get_registry(); reg.append(v)`),
through a method
call this list does not know (`REGISTRY.put(v)`), by a decorator of
another name that caches, and a stateful function in another module
calling this module's functions; a function of another module that
writes outside its module or into its parameters, called by a function
here (its caller's edit can change what it stores).
"""

import _ast

_FUNCS = (_ast.FunctionDef, _ast.AsyncFunctionDef)
_SCOPES = _FUNCS + (_ast.Lambda,)
_CACHERS = frozenset(("cache", "lru_cache", "cached_property", "cached", "memoize", "memoized"))
_MUTATORS = frozenset(("append", "extend", "insert", "add", "update", "setdefault", "pop",
                       "popitem", "remove", "discard", "clear", "sort", "reverse",
                       "appendleft", "extendleft", "popleft", "rotate", "__setitem__",
                       "__delitem__", "__setattr__", "__delattr__", "difference_update",
                       "intersection_update", "symmetric_difference_update",
                       # an ABC's virtual subclasses (`Sequence.register(C)`):
                       # every later isinstance() of the process sees them
                       "register"))
_CLASS_FIRST = frozenset(("__new__", "__init_subclass__", "__class_getitem__"))
_CLASS = object()   # _root(): the object is a class
_MODULE = object()  # _root(): a module an import call returns (__import__)
# Calls whose result is an object the module makes itself (a container,
# a lock, a namespace): a module-level name bound to one holds own state.
_FRESH_CALLS = frozenset(("dict", "list", "set", "frozenset", "tuple", "bytearray", "object",
                          "defaultdict", "OrderedDict", "deque", "Counter", "ChainMap",
                          "SimpleNamespace", "local", "WeakKeyDictionary",
                          "WeakValueDictionary", "WeakSet", "Lock", "RLock", "Event",
                          "Condition", "Semaphore", "BoundedSemaphore", "Queue", "LifoQueue",
                          "PriorityQueue", "SimpleQueue", "count"))
_PATCHERS = frozenset(("patch", "object", "dict", "multiple"))
# Functions of the standard library (and numpy's generator) that set state
# for the whole process, which a later test sees.
_PROCESS = {
    "os": frozenset(("chdir", "fchdir", "putenv", "unsetenv", "umask")),
    "warnings": frozenset(("simplefilter", "filterwarnings", "resetwarnings")),
    "locale": frozenset(("setlocale",)),
    "socket": frozenset(("setdefaulttimeout",)),
    "sys": frozenset(("setrecursionlimit", "settrace", "setprofile", "setswitchinterval",
                      "set_int_max_str_digits")),
    "random": frozenset(("seed", "setstate")),
    "numpy.random": frozenset(("seed", "set_state")),
    "logging": frozenset(("basicConfig", "disable", "setLoggerClass", "captureWarnings")),
    "codecs": frozenset(("register",)),
    "atexit": frozenset(("register",)),
    "signal": frozenset(("signal", "alarm", "setitimer")),
    "time": frozenset(("tzset",)),
    "gc": frozenset(("disable", "set_threshold")),
    "decimal": frozenset(("setcontext",)),
    "mimetypes": frozenset(("add_type", "init")),
    "asyncio": frozenset(("set_event_loop", "set_event_loop_policy")),
    "threading": frozenset(("setprofile", "settrace")),
    "copyreg": frozenset(("pickle", "add_extension", "remove_extension",
                          "clear_extension_cache")),
}
# Builtins that run code given as text: what it stores cannot be seen.
_RUNS_TEXT = frozenset(("exec", "eval"))
# The argument count of a dunder mutator called unbound, on a class, with
# the object it mutates first (`BaseException.__setattr__(self, k, v)`).
_UNBOUND = {"__setattr__": 3, "__delattr__": 2, "__setitem__": 3, "__delitem__": 2}
# Types whose methods are called on the object they mutate, given first.
_TYPES = frozenset(("dict", "list", "set", "bytearray", "object", "deque", "OrderedDict",
                    "defaultdict", "Counter"))


def _dec_name(d):
    if type(d) is _ast.Call:
        d = d.func
    if type(d) is _ast.Attribute:
        return d.attr
    if type(d) is _ast.Name:
        return d.id
    return None


def _children(n, _AST=_ast.AST):
    """The child nodes of `n`, in field order (a list: every caller takes
    them all, and a generator costs a frame per node)."""
    out = []
    for f in n._fields:
        v = getattr(n, f, None)
        if isinstance(v, list):
            out += [x for x in v if isinstance(x, _AST)]
        elif isinstance(v, _AST):
            out.append(v)
    return out


def _params(fn):
    a = fn.args
    out = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    if a.vararg is not None:
        out.append(a.vararg.arg)
    if a.kwarg is not None:
        out.append(a.kwarg.arg)
    return out


def _scope_nodes(fn):
    """The nodes of `fn`'s own scope (its body, not its decorators or
    defaults), and the function scopes nested in it (not walked)."""
    own, nested = [], []
    todo = list(fn.body) if type(fn.body) is list else [fn.body]
    while todo:
        n = todo.pop()
        if isinstance(n, _SCOPES):
            nested.append(n)
            # its decorators and defaults run in this scope
            if isinstance(n, _FUNCS):
                todo.extend(n.decorator_list)
            todo.extend(d for d in n.args.defaults + n.args.kw_defaults if d is not None)
            if isinstance(n, _FUNCS):
                own.append(n)   # the def binds its name here
            continue
        own.append(n)
        todo.extend(_children(n))
    return own, nested


def _locals(fn, own, imported=None):
    """Names `fn`'s scope binds, and the names it declares global; the
    names it binds by an import statement go to `imported` too."""
    names = set(_params(fn))
    glob = set()
    for n in own:
        t = type(n)
        if t is _ast.Name and type(n.ctx) is not _ast.Load:
            names.add(n.id)
        elif t in _FUNCS or t is _ast.ClassDef:
            names.add(n.name)
        elif t is _ast.alias:
            names.add(n.asname or n.name.split(".")[0])
            if imported is not None:
                imported.add(n.asname or n.name.split(".")[0])
        elif t is _ast.ExceptHandler and n.name:
            names.add(n.name)
        elif t is _ast.Global:
            glob.update(n.names)
        elif type(getattr(n, "name", None)) is str and t.__name__.startswith("Match"):
            names.add(n.name)
    return names - glob, glob


def _root(e, modules):
    """What the target or receiver `e` hangs off: a Name node, _CLASS,
    (_CLASS, name) for `type(name)` or `name.__class__`, or None (a
    literal, a local object made by a call on a module)."""
    through_call = False
    while True:
        t = type(e)
        if t is _ast.Attribute:
            if e.attr == "__class__":
                return (_CLASS, e.value.id) if type(e.value) is _ast.Name else _CLASS
            e = e.value
        elif t is _ast.Subscript or t is _ast.Starred:
            e = e.value
        elif t is _ast.Call:
            if _import_call(e):
                return _MODULE
            if type(e.func) is _ast.Name and e.func.id == "type":
                if len(e.args) == 1 and type(e.args[0]) is _ast.Name:
                    return (_CLASS, e.args[0].id)
                return _CLASS
            if type(e.func) is _ast.Name and e.func.id == "super" and not e.args:
                return None   # the instance, as `self` (the state guard's)
            through_call = True
            e = e.func
        elif t is _ast.Name:
            if through_call and e.id in modules:
                return None
            return e
        else:
            return None


def _import_call(e):
    """Is the call `e` an import's, whose value is a module:
    `__import__("m")`, `importlib.import_module("m")`?"""
    f = e.func
    return ((type(f) is _ast.Name and f.id == "__import__")
            or (type(f) is _ast.Attribute and f.attr == "import_module"))


def _chain(e):
    """Is `e` a name, or attributes and subscripts of one, with no call
    but an import's (`__import__("m")`, `importlib.import_module("m")`:
    a module, never a new object)?"""
    while type(e) in (_ast.Attribute, _ast.Subscript):
        e = e.value
    return type(e) is _ast.Name or (type(e) is _ast.Call and _import_call(e))


def _aliases(own):
    """{local name: [the chains it is bound to]} of the nodes `own` of a
    scope: `d = _sigs.signatures`, `for h in HANDLERS` (an item of the
    container), `(p := part.__defaults__)`.  Only chains with no call
    (`lst = list(X)` is a new object)."""
    out = {}
    for n in own:
        if type(n) not in (_ast.Assign, _ast.AnnAssign, _ast.NamedExpr, _ast.For, _ast.AsyncFor,
                           _ast.comprehension):
            continue
        targets, value = _targets(n)
        if value is None or not _chain(value):
            continue
        for x in targets:
            if type(x) is _ast.Name:
                out.setdefault(x.id, []).append(value)
    return out


def _targets(n):
    """The store or delete targets of statement or expression `n`, and
    the expression whose value they get (None for a delete)."""
    t = type(n)
    if t is _ast.Assign:
        out, value = list(n.targets), n.value
    elif t in (_ast.AugAssign, _ast.AnnAssign):
        out, value = [n.target], n.value
    elif t in (_ast.For, _ast.AsyncFor, _ast.comprehension):
        out, value = [n.target], n.iter
    elif t is _ast.NamedExpr:
        out, value = [n.target], n.value
    elif t is _ast.Delete:
        out, value = list(n.targets), None
    elif t is _ast.withitem:
        out, value = ([n.optional_vars] if n.optional_vars is not None else []), n.context_expr
    else:
        return [], None
    flat = []
    while out:
        x = out.pop()
        if type(x) in (_ast.Tuple, _ast.List):
            out.extend(x.elts)
        elif type(x) is _ast.Starred:
            out.append(x.value)
        else:
            flat.append(x)
    return flat, value


def _defaults(fn):
    """{parameter: its default} of function or lambda `fn`."""
    a = fn.args
    pos = a.posonlyargs + a.args
    out = {p.arg: d for p, d in zip(pos[len(pos) - len(a.defaults):], a.defaults)}
    out.update((p.arg, d) for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None)
    return out


_MUTABLE = (_ast.Dict, _ast.List, _ast.Set, _ast.DictComp, _ast.ListComp, _ast.SetComp)


def _mutable_default(d):
    """Is default `d` a mutable object made once, when the def runs, and
    kept by the function for every call (`def f(k, _memo={})`)?"""
    if type(d) in _MUTABLE:
        return True
    if type(d) is _ast.Call:
        f = d.func
        name = f.id if type(f) is _ast.Name else (f.attr if type(f) is _ast.Attribute else None)
        return name in _FRESH_CALLS and name not in ("tuple", "frozenset", "object")
    return False


def _mutated_params(fn, memo):
    """The parameters of function or lambda `fn` whose object its own
    scope stores into, deletes from, calls a mutating method (_MUTATORS)
    or setattr/delattr on (`lambda d: d.pop(k)`, `def put(reg): reg[k] =
    1`): a caller that passes it a module's object changes that object.
    `*args` and `**kw` count only for what they hold (`kw["r"].clear()`):
    the tuple and the dict themselves are made for the call."""
    got = memo.get(id(fn))
    if got is not None:
        return got
    a = fn.args
    fresh = {x.arg for x in (a.vararg, a.kwarg) if x is not None}
    params = set(_params(fn))
    out = set()

    def on(e, store):
        # (`kw[k] = v` stores into the call's own dict, `kw[k].x = v` and
        # `kw[k].clear()` into an object it holds)
        depth, x = 0, e
        while type(x) in (_ast.Attribute, _ast.Subscript):
            depth += 1
            x = x.value
        r = _root(e, ())
        if type(r) is _ast.Name and r.id in params and (
                r.id not in fresh or depth >= (2 if store else 1)):
            out.add(r.id)

    own, _ = _scope_nodes(fn)
    for n in own:
        for x in _targets(n)[0]:
            if type(x) in (_ast.Attribute, _ast.Subscript):
                on(x, True)
        if type(n) is _ast.Call:
            f = n.func
            if type(f) is _ast.Attribute and f.attr in _MUTATORS:
                on(f.value, False)
            elif type(f) is _ast.Name and f.id in ("setattr", "delattr", "next") and n.args:
                on(n.args[0], False)
    memo[id(fn)] = out = frozenset(out)
    return out


def _given(call, fn, mutated):
    """The arguments of `call` that may bind a parameter of `fn` in
    `mutated`: by position, by keyword, into `*args` or `**kw`, and every
    one after a spread (`*a`) or given by one (`**k`)."""
    a = fn.args
    pos = [p.arg for p in a.posonlyargs + a.args]
    names = set(pos) | {p.arg for p in a.kwonlyargs}
    star = a.vararg.arg if a.vararg is not None else None
    kw = a.kwarg.arg if a.kwarg is not None else None
    out = []
    for i, x in enumerate(call.args):
        if type(x) is _ast.Starred:
            if set(pos[i:]) & mutated or star in mutated:
                out.extend(y.value if type(y) is _ast.Starred else y for y in call.args[i:])
            break
        if (pos[i] if i < len(pos) else star) in mutated:
            out.append(x)
    for k in call.keywords:
        if k.arg is None or (k.arg if k.arg in names else kw) in mutated:
            out.append(k.value)
    return out

def _callees(f, local, bound, own_defs, funcs):
    """The functions and lambdas a call of `f` may run, where the module's
    own text says: a lambda called in place, the defs and lambdas the
    calling scope binds to the name (`own_defs`: {name: [nodes]}), or the
    module's functions of that name (`funcs`, the same shape) when no
    function scope binds it."""
    if type(f) is _ast.Lambda:
        return [f]
    if type(f) is not _ast.Name:
        return ()
    if f.id in local:
        return own_defs.get(f.id, ())
    if f.id in bound:
        return ()
    return funcs.get(f.id, ())


def _name_target(name, imports, local, bound):
    """What the import that binds `name` where a function reads it imports
    (_import_targets' form), or None: the function's own imports
    (`local`), else nothing if a scope of it binds the name otherwise
    (`bound`), else the module's (`imports`)."""
    if name in local:
        return local.get(name)
    return None if name in bound else imports.get(name)


def _imported_writer(f, imports, local, bound, calls):
    """(import target, writers() entry) when the callee `f` names, through
    that import, a writer of another project module (`_sigs.create(x)`
    with `from toolz import _signatures as _sigs`; `merge(d)` with `from
    toolz import merge`), else None.  `imports`, `local`, `bound`: as
    for _name_target."""
    chain = []
    while type(f) in (_ast.Attribute, _ast.Subscript):
        if type(f) is _ast.Attribute and f.attr == "__globals__":
            # (`g.__globals__["register"](x)`: a function of g's module,
            # by a name this text may not give: any)
            return "*", (None, True, frozenset())
        if type(f) is _ast.Subscript:
            chain = None
        elif chain is not None:
            chain.append(f.attr)
        f = f.value
    if chain is None:
        return None   # (`HANDLERS[k](x)`: not a function an import names)
    chain.reverse()
    if type(f) is _ast.Call and _import_call(f):
        # `__import__("a.b").b.f(x)` (the top package), `import_module(
        # "a.b").f(x)` (a.b itself)
        if not (f.args and type(f.args[0]) is _ast.Constant and type(f.args[0].value) is str):
            return None
        name = f.args[0].value
        target = name.split(".")[0] if type(f.func) is _ast.Name else name
        got = calls.writes(target, chain)
        return None if got is None else (target, got)
    if type(f) is not _ast.Name:
        return None
    target = _name_target(f.id, imports, local, bound)
    if not target or target == "*":
        return None
    got = calls.writes(target, chain)
    return None if got is None else (target, got)


class Calls:
    """Which functions of other project modules are writers (writers()),
    for the module at `path`: an import target (_import_targets) and the
    attributes after it name a module file found from `path` (a relative
    import from its package; an absolute one below a directory above it,
    or its src/), and a function or method there, through that module's
    own from-imports and star imports of project modules (four deep).
    Read only, never run: a file that is no regular file, larger than
    4 MiB or that does not parse is no writer's."""

    _MAX = 4 << 20

    def __init__(self, path, shared=None):
        """`shared`: a dict that Calls of other files of the same run give
        too, to read each module once."""
        import os
        self._os = os
        self.dir = os.path.dirname(os.path.abspath(path))
        shared = {} if shared is None else shared
        self._shared = shared
        self._trees = shared.setdefault("trees", {})
        self._writers = shared.setdefault("writers", {})
        self._found = shared.setdefault("modules", {})

    def _read(self, path):
        if path in self._trees:
            return self._trees[path]
        os = self._os
        tree = None
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            fd = -1
        if fd >= 0:
            try:
                import stat
                st = os.fstat(fd)
                if stat.S_ISREG(st.st_mode) and st.st_size <= self._MAX:
                    data = b""
                    while len(data) < st.st_size:
                        got = os.read(fd, st.st_size - len(data))
                        if not got:
                            break
                        data += got
                    tree = compile(data, path, "exec", _ast.PyCF_ONLY_AST, dont_inherit=True)
            except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
                tree = None
            finally:
                os.close(fd)
        self._trees[path] = tree
        return tree

    def _module(self, dotted):
        """The file of module `dotted` ("a.b", or "..a.b" relative to this
        module's package), or None."""
        key = (self.dir, dotted)
        if key not in self._found:
            self._found[key] = self._find(dotted)
        return self._found[key]

    def _find(self, dotted):
        os = self._os
        level = len(dotted) - len(dotted.lstrip("."))
        parts = [p for p in dotted[level:].split(".") if p]
        if level:
            base = self.dir
            for _ in range(level - 1):
                base = os.path.dirname(base)
            roots = [base]
        else:
            roots, d = [], self.dir
            for _ in range(16):
                roots += [d, os.path.join(d, "src")]
                up = os.path.dirname(d)
                if up == d:
                    break
                d = up
        for root in roots:
            p = os.path.join(root, *parts)
            # (no parts: `from . import x`, the package itself)
            for cand in ((p + ".py",) if parts else ()) + (os.path.join(p, "__init__.py"),):
                if os.path.isfile(cand):
                    return cand
        return None

    def _writers_of(self, path):
        got = self._writers.get(path)
        if got is None:
            tree = self._read(path)
            got = self._writers[path] = (writers(tree) if tree is not None else {}, tree)
        return got

    def writes(self, target, chain, depth=0):
        """The writers() entry of the function that `target` ("a.b",
        "?P.n", "?..P.n") followed by the attributes `chain` names in a
        project module, or None."""
        if depth > 4:
            return None
        name = target.lstrip("?")
        level = len(name) - len(name.lstrip("."))
        dotted = [p for p in name[level:].split(".") if p] + list(chain)
        # the longest module prefix that is a file; the rest names a
        # function or a class's method there
        for k in range(len(dotted), -1, -1):
            if k == 0 and not level:
                break
            path = self._module("." * level + ".".join(dotted[:k]))
            if path is None:
                continue
            rest = dotted[k:]
            if not rest or len(rest) > 2:
                return None
            found, tree = self._writers_of(path)
            q = ".".join(rest)
            for key in (q, q + ".__init__", q + ".__new__") if len(rest) == 1 else (q,):
                if key in found:
                    return found[key]
            # a name the module imports: where it comes from
            return None if tree is None else self._through(tree, path, rest, depth)
        return None

    def _through(self, tree, path, rest, depth):
        """The writers() entry of `rest` (in module `tree`, at `path`) if
        it names a writer of a module that one imports by a from-import or
        a star import, else None."""
        sub = Calls(path, self._shared)
        for n in tree.body:
            if type(n) is not _ast.ImportFrom:
                continue
            base = "." * (n.level or 0) + (n.module or "")
            for a in n.names:
                if a.name == "*":
                    got = sub.writes("?" + base, rest, depth + 1)
                    if got is not None:
                        return got
                elif (a.asname or a.name) == rest[0]:
                    return sub.writes("?" + (base + "." if n.module else base) + a.name,
                                      rest[1:], depth + 1)
        return None

class _Outside:
    """What _writes() found stored outside the module: `found`, and the
    names the values stored there mention (`feed`).  `own`: the names the
    module binds only to objects it makes itself (_own_names)."""

    def __init__(self, own, plain=frozenset(), imports=None):
        self.own = own
        self.plain = plain   # names bound by `import m` (modules)
        self.imports = imports or {}   # name -> what it imports (_import_targets)
        self.found = False
        self.feed = set()
        self.targets = set()   # what the stores outside reach (_import_targets), "*": any
        self.funcs = {}   # name -> the def nodes of the module's functions of that name (_callees)
        self.mutated = {}   # id(def or lambda) -> the parameters it mutates (_mutated_params)
        self.calls = None   # Calls: other project modules' writers, or None
        self.xfound = False   # a call of one found (_writes sets it, per function)


def _import_targets(stmts, rebound=frozenset()):
    """{name: target} for the names the import statements among `stmts`
    bind: "a.b" for `import a.b as c`, "a" for `import a.b` (it binds
    a), "?P.n" for `from P import n` (relative: "?..P.n"; P.n if it is a
    module, else any object: selection resolves it).  A name bound twice,
    or also in `rebound`, is left out (its object is not known)."""
    out, twice = {}, set()
    for n in stmts:
        if type(n) is _ast.Import:
            pairs = [(a.asname, a.name) if a.asname else (a.name.split(".")[0], a.name.split(".")[0])
                     for a in n.names]
        elif type(n) is _ast.ImportFrom:
            base = "." * (n.level or 0) + (n.module + "." if n.module else "")
            pairs = [(a.asname or a.name, "?" + base + a.name) for a in n.names if a.name != "*"]
        else:
            continue
        for name, target in pairs:
            if name in out:
                twice.add(name)
            out[name] = target
    return {k: v for k, v in out.items() if k not in twice and k not in rebound}


def _process_call(f, imports, local, bound):
    """The module of _PROCESS whose process-wide setter the callee `f`
    names (`os.chdir`, `np.random.seed` as `numpy.random`, `chdir` from
    `from os import chdir`), or None.  `imports`, `local`: the module's
    and the function's {name: import target} (_import_targets); `bound`:
    the names the function's scopes bind."""
    chain = []
    while type(f) is _ast.Attribute:
        chain.append(f.attr)
        f = f.value
    chain.reverse()
    if (type(f) is _ast.Call and _import_call(f) and f.args and type(f.args[0]) is _ast.Constant
            and type(f.args[0].value) is str):
        # __import__("copyreg").pickle(...)
        dotted = f.args[0].value.split(".") + chain
        mod, fn = ".".join(dotted[:-1]), dotted[-1]
        return mod if len(dotted) >= 2 and fn in _PROCESS.get(mod, ()) else None
    if type(f) is not _ast.Name:
        return None
    target = _name_target(f.id, imports, local, bound)
    if not target or target == "*":
        return None
    dotted = target.lstrip("?").split(".") + chain
    if target.startswith("?") and not chain:
        dotted = target[1:].split(".")   # `from os import chdir`: os.chdir
    if len(dotted) < 2 or dotted[0] == "":
        return None
    mod, fn = ".".join(dotted[:-1]), dotted[-1]
    return mod if fn in _PROCESS.get(mod, ()) else None


def _catching(own):
    """The ids of the nodes of `own` inside a `with ...catch_warnings(...)`
    block, where warnings filters are put back at its end."""
    out = set()
    for n in own:
        if type(n) in (_ast.With, _ast.AsyncWith) and any(
                type(i.context_expr) is _ast.Call and (
                    getattr(i.context_expr.func, "attr", None) == "catch_warnings"
                    or getattr(i.context_expr.func, "id", None) == "catch_warnings")
                for i in n.items):
            todo = list(n.body)
            while todo:
                x = todo.pop()
                out.add(id(x))
                todo.extend(_children(x))
    return out


def _patcher(e, patchers):
    """Is `e` a mock patcher: a call of `patch`, `patch.object`,
    `mock.patch.dict`..., or a name in `patchers` (locals bound to one)?"""
    if type(e) is _ast.Name:
        return e.id in patchers
    if type(e) is not _ast.Call:
        return False
    f = e.func
    if type(f) is _ast.Name:
        return f.id == "patch"
    if type(f) is _ast.Attribute and f.attr in _PATCHERS:
        v = f.value
        return f.attr == "patch" or (type(v) is _ast.Name and v.id == "patch") or (
            type(v) is _ast.Attribute and v.attr == "patch")
    return False


def _writes(fn, outer, class_params, modules, feed, outside, outer_imports=None,
            self_param=None):
    """Does `fn` (a function or lambda) or a scope nested in it store
    into state that outlives the call?  `outer`: names the enclosing
    function scopes bind (their objects die with those calls);
    `class_params`: parameter names known to hold a class;
    `outer_imports`: those of `outer` bound by an import (modules
    outlive every call), with what they import ({name: target}); `self_param`: the name of a method's instance
    (`type(self)` is the method's class or a subclass: the module's own).  Adds to the set `feed` the names that the
    stored values mention (the values a global gets, what a mutating call
    is given); what is stored outside the module goes to `outside`
    (_Outside) too."""
    own, nested = _scope_nodes(fn)
    imported = set()
    local, glob = _locals(fn, own, imported)
    stored = {n.id for n in own if type(n) is _ast.Name and type(n.ctx) is not _ast.Load}
    outer_imports = outer_imports or {}
    imp_targets = dict(outer_imports)
    for k in imported:
        imp_targets.pop(k, None)
    imp_targets.update(_import_targets(own, stored))
    # names `import m` binds here or in an enclosing function: modules
    modules_here = {a.asname or a.name.split(".")[0]
                    for n in own if type(n) is _ast.Import for a in n.names}
    modules_here |= {k for k, v in outer_imports.items() if v != "*" and not v.startswith("?")}
    imported |= set(outer_imports)
    bound = outer | local
    found = bool(glob)
    patchers = set()
    aliases = _aliases(own)
    resolving = set()
    # Parameters whose default outlives the call: a mutable object the def
    # made once (`_memo={}`), kept for every call; or a chain the def
    # read in the enclosing scope (`signatures=signatures`, a module's
    # object), which a call that omits the argument stores into.
    own_defs = {}
    for n in own:
        if type(n) in _FUNCS:
            own_defs.setdefault(n.name, []).append(n)
        elif type(n) is _ast.Assign and type(n.value) is _ast.Lambda:
            for x in n.targets:
                if type(x) is _ast.Name:
                    own_defs.setdefault(x.id, []).append(n.value)
    defaults = _defaults(fn)
    # (a def inside a function makes its defaults at each call of that
    # function: they die with it, `def reader(lnum=[lnum])`)
    kept = set() if outer else {k for k, d in defaults.items() if _mutable_default(d)}
    given = {k: d for k, d in defaults.items() if _chain(d)}
    outer_names = set(outer_imports)

    def where(e, enclosing=False):
        """None (not state), "in" (the module's own) or "out".
        `enclosing`: `e` is read in the enclosing scope (a default)."""
        r = _root(e, modules | (outer_names if enclosing else imported))
        if type(r) is _ast.Name and not enclosing and r.id in local and r.id not in resolving and (
                r.id in aliases or r.id in kept or r.id in given):
            # a local alias (`d = _sigs.signatures; d.pop(k)`, `for h in
            # HANDLERS: h.n += 1`) or a parameter's default: what any of
            # its bindings hangs off
            resolving.add(r.id)
            got = [where(v) for v in aliases.get(r.id, ())]
            if r.id in kept:
                got.append("in")
            if r.id in given:
                got.append(where(given[r.id], True))
            resolving.discard(r.id)
            return "out" if "out" in got else "in" if "in" in got else None
        if type(r) is tuple:
            if self_param is not None and r[1] == self_param and not enclosing:
                return "in"
            outside.targets.add("*")
            return "out"
        if r is _CLASS or r is _MODULE:
            outside.targets.add("*")
            return "out"   # type(x), x.__class__: any class, another module's too
        if r is None:
            return None
        if enclosing:
            if r.id in outer_names:
                outside.targets.add(outer_imports.get(r.id, "*"))
                return "out"
            if r.id in outer:
                return None
        else:
            if r.id in class_params:
                return "in"
            if r.id in imported:
                outside.targets.add(imp_targets.get(r.id, "*"))
                return "out"   # a module imported in the function
            if r.id in bound:
                return None
        if r.id in outside.own:
            return "in"
        outside.targets.add(outside.imports.get(r.id, "*"))
        return "out"

    def note(w, value, more=None):
        _mentioned(value, feed)
        _mentioned(more, feed)
        if w == "out":
            outside.found = True
            _mentioned(value, outside.feed)
            _mentioned(more, outside.feed)

    for n in own:
        t = type(n)
        targets, value = _targets(n)
        if t is _ast.Assign and _patcher(value, ()):
            patchers.update(x.id for x in targets if type(x) is _ast.Name)
        for x in targets:
            if type(x) in (_ast.Attribute, _ast.Subscript) and (w := where(x)):
                found = True
                note(w, value, x.slice if type(x) is _ast.Subscript else None)
            elif type(x) is _ast.Name and x.id in glob:
                found = True
                note("in", value)
        if t is _ast.Call:
            f = n.func
            # (`mod.add(x)` on an imported module calls a function of it)
            w = None
            if (type(f) is _ast.Attribute and f.attr in _MUTATORS
                    and type(f.value) is _ast.Name and f.value.id not in bound
                    and (f.value.id in _TYPES or len(n.args) == _UNBOUND.get(f.attr))):
                # `dict.__setitem__(self, k, v)`, `Base.__setattr__(self,
                # k, v)`: the method of a type, given the object it mutates
                w = where(n.args[0]) if n.args else None
            elif (type(f) is _ast.Attribute and f.attr in _MUTATORS
                    and not (type(f.value) is _ast.Name
                             and f.value.id in outside.plain | modules_here)):
                # (`from m import REG; REG.append(v)`: REG may be an
                # object, at module level or in the function)
                w = where(f.value)
            elif (type(f) is _ast.Name and f.id in ("setattr", "delattr", "next")
                  and f.id not in bound and n.args
                  and (f.id != "next" or _chain(n.args[0]))):
                # (`next(_IDS)`: a module's iterator advanced for every
                # later caller, a counter of ids; not `next(iter(x))`, a
                # new iterator)
                w = where(n.args[0])
            elif type(f) is _ast.Name and f.id in aliases and f.id in local:
                # a local bound to a mutating method (`pop = REG.pop;
                # pop(k)`): a call of it mutates its object
                for v in aliases[f.id]:
                    if type(v) is _ast.Attribute and v.attr in _MUTATORS:
                        w = where(v.value) if w is None or w == "in" else w
            elif (type(f) is _ast.Attribute and f.attr == "__init__"
                  and type(f.value) is not _ast.Call
                  and not (n.args and (type(n.args[0]) is _ast.Starred or (
                      type(n.args[0]) is _ast.Name and n.args[0].id in bound)))):
                # `flip.__init__(g)`: the object made again in place (but
                # not a base's __init__ given the instance, `Base.__init__(
                # self)`, nor `super().__init__()`)
                w = where(f.value)
            for callee in _callees(f, local, bound, own_defs, outside.funcs):
                # a function of this module or scope (a lambda too) that
                # mutates a parameter, given an object that outlives the
                # call (`(lambda d: d.pop(k))(_sigs.table)`, `_reset(REG)`)
                mutated = _mutated_params(callee, outside.mutated)
                if not mutated:
                    continue
                for a in _given(n, callee, mutated):
                    if not _chain(a):
                        continue   # (a call's result: a new object, as for _aliases)
                    got = where(a)
                    w = got if w is None or got == "out" else w
            got = None if outside.calls is None else _imported_writer(
                f, outside.imports, imp_targets, bound, outside.calls)
            if got is not None:
                # a writer of another project module (`_sigs.register(x)`):
                # what it stores there outlives the call; or one that
                # stores into what it is given, given an object that does
                # (not a store of this function's: the recording, which
                # passes no Calls, keeps its body a key, and so must this)
                t, (callee, direct, mutated) = got
                if direct:
                    outside.targets.add(t)
                    outside.xfound = True
                for a in (_given(n, callee, mutated) if mutated else ()):
                    if _chain(a) and (had := where(a)):
                        if had == "in":
                            outside.targets.add("*")   # this module's own object
                        outside.xfound = True
            if w:
                found = True
                note(w, n.args + [k.value for k in n.keywords])
    # A patcher started outlives the call until stopped (patch().start()),
    # and so does what a function of the standard library sets for the
    # whole process (os.chdir(), warnings.simplefilter() outside
    # catch_warnings()).
    guarded = None
    for n in own:
        if type(n) is not _ast.Call:
            continue
        if type(n.func) is _ast.Attribute and n.func.attr == "start" and _patcher(n.func.value,
                                                                                   patchers):
            found = outside.found = True
            outside.targets.add("*")
            continue
        if type(n.func) is _ast.Name and n.func.id in _RUNS_TEXT and n.func.id not in bound:
            found = outside.found = True   # exec("mod.X = 1"): anything, anywhere
            outside.targets.add("*")
            continue
        mod = _process_call(n.func, outside.imports, imp_targets, bound)
        if mod is None:
            continue
        if mod == "warnings":
            if guarded is None:
                guarded = _catching(own)
            if id(n) in guarded:
                continue
        found = outside.found = True
        outside.targets.add("*")
    for s in nested:
        if _writes(s, bound, class_params - set(_params(s)), modules, feed, outside,
                   {k: imp_targets.get(k, "*") for k in imported},
                   self_param if self_param not in _params(s) else None):
            found = True
    return found


def _fresh(value, classes):
    """Is `value` (a module-level assignment's) an object the module makes
    itself: a literal, a display, a comprehension, or a call of a known
    container type or of a class in `classes`?"""
    t = type(value)
    if t in (_ast.Constant, _ast.Dict, _ast.List, _ast.Set, _ast.Tuple, _ast.ListComp,
             _ast.DictComp, _ast.SetComp):
        return True
    if t is _ast.Call:
        f = value.func
        name = f.id if type(f) is _ast.Name else (f.attr if type(f) is _ast.Attribute else None)
        return name in _FRESH_CALLS or (type(f) is _ast.Name and f.id in classes)
    return False


def _own_names(tree):
    """The names module `tree` binds outside functions, by def, class or
    assignment, only to objects it makes itself (_fresh): a store into one
    stays in the module.  A name also bound by an import, by a `for`, a
    `with` or any other value is not."""
    classes = {n.name for n in tree.body if type(n) is _ast.ClassDef}
    own = {}

    def bind(name, fresh):
        own[name] = own.get(name, True) and fresh

    todo = list(tree.body)
    while todo:
        n = todo.pop()
        t = type(n)
        if t in _FUNCS or t is _ast.ClassDef:
            bind(n.name, True)
            continue   # a class body binds attributes, not module names
        if t is _ast.Lambda:
            continue
        if t in (_ast.Import, _ast.ImportFrom):
            for a in n.names:
                bind(a.asname or a.name.split(".")[0], False)
            continue
        targets, value = _targets(n)
        for x in targets:
            if type(x) is _ast.Name:
                bind(x.id, t in (_ast.Assign, _ast.AnnAssign) and value is not None
                     and _fresh(value, classes))
        if t is _ast.ExceptHandler and n.name:
            bind(n.name, False)
        elif type(getattr(n, "name", None)) is str and t.__name__.startswith("Match"):
            bind(n.name, False)
        todo.extend(_children(n))
    return frozenset(k for k, v in own.items() if v)


def _self_param(fn, in_class):
    """The first parameter of a method that receives the instance."""
    if not in_class:
        return None
    ps = _params(fn)
    if (not ps or fn.name in _CLASS_FIRST
            or any(_dec_name(d) in ("classmethod", "staticmethod") for d in fn.decorator_list)):
        return None
    return ps[0]


def _class_params(fn, in_class):
    """The first parameter of a method that receives the class."""
    if not in_class:
        return frozenset()
    ps = _params(fn)
    if not ps:
        return frozenset()
    if fn.name in _CLASS_FIRST or any(_dec_name(d) == "classmethod" for d in fn.decorator_list):
        return frozenset((ps[0],))
    return frozenset()


def _module_imports(tree, plain=False):
    """Names the module binds by import statements outside functions
    (`plain`: by `import m` only, which binds a module)."""
    out = set()
    todo = list(tree.body)
    while todo:
        n = todo.pop()
        if isinstance(n, _FUNCS) or type(n) is _ast.Lambda:
            continue
        if type(n) is _ast.Import or (type(n) is _ast.ImportFrom and not plain):
            for a in n.names:
                out.add(a.asname or a.name.split(".")[0])
            continue
        todo.extend(_children(n))
    return out


def _functions(tree):
    """{qualname: (def node, enclosing class qualname or None)} of the
    functions outside functions; {class qualname: class node}."""
    funcs, classes = {}, {}
    todo = [(s, []) for s in reversed(tree.body)]
    while todo:
        n, prefix = todo.pop()
        if isinstance(n, _FUNCS):
            # (prefix only grows through class bodies: a method's class)
            funcs.setdefault(".".join(prefix + [n.name]), []).append((n, ".".join(prefix) or None))
            continue
        if type(n) is _ast.Lambda:
            continue
        if type(n) is _ast.ClassDef:
            q = ".".join(prefix + [n.name])
            classes[q] = n
            todo.extend((s, prefix + [n.name]) for s in reversed(n.body))
            continue
        todo.extend((c, prefix) for c in reversed(_children(n)))
    return funcs, classes


def _calls_of(body):
    """(name, call) of each call in `body` (a list of nodes) of a name or
    an attribute."""
    out = []
    todo = list(body)
    while todo:
        n = todo.pop()
        if type(n) is _ast.Call:
            f = n.func
            if type(f) is _ast.Name:
                out.append((f.id, n))
            elif type(f) is _ast.Attribute:
                out.append((f.attr, n))
        todo.extend(_children(n))
    return out


def _mentioned(node, out):
    """Add to `out` the names and attribute names `node` (a node, a list
    of nodes, or None) mentions anywhere in it."""
    if node is None:
        return out
    todo = list(node) if type(node) is list else [node]
    while todo:
        n = todo.pop()
        if type(n) is _ast.Name:
            out.add(n.id)
        elif type(n) is _ast.Attribute:
            out.add(n.attr)
        todo.extend(_children(n))
    return out


def stateful(tree):
    """The qualnames of the functions outside functions of module `tree`
    (an _ast.Module, before any split) that are stateful, with what they
    mention (see the module docstring)."""
    return leaving(tree)[0]


def _close(start, funcs, by_last, out, todo=None):
    """Add to `out` the functions named by `start` (names) and all that
    they mention in turn."""
    todo = [] if todo is None else todo
    for name in start:
        for r in by_last.get(name, ()):
            if r not in out:
                out.add(r)
                todo.append(r)
    while todo:
        q = todo.pop()
        for node, _ in funcs[q]:
            for name in _mentioned(node.body, set()):
                for r in by_last.get(name, ()):
                    if r not in out:
                        out.add(r)
                        todo.append(r)


def _module_import_targets(tree):
    """_import_targets() of the import statements outside functions,
    leaving out the names the module also binds otherwise."""
    stmts, other = [], set()
    todo = list(tree.body)
    while todo:
        n = todo.pop()
        t = type(n)
        if t in _FUNCS or t is _ast.ClassDef:
            other.add(n.name)
            continue
        if t is _ast.Lambda:
            continue
        if t in (_ast.Import, _ast.ImportFrom):
            stmts.append(n)
            continue
        if t is _ast.Name and type(n.ctx) is not _ast.Load:
            other.add(n.id)
        todo.extend(_children(n))
    return _import_targets(stmts, other)


def _module_funcs(tree, outside):
    """The module's functions by name into outside.funcs, for calls that
    pass one an object (_callees): its defs and its lambdas bound to a
    name."""
    for n in tree.body:
        if type(n) in _FUNCS:
            outside.funcs.setdefault(n.name, []).append(n)
        elif type(n) is _ast.Assign and type(n.value) is _ast.Lambda:
            for x in n.targets:
                if type(x) is _ast.Name:
                    outside.funcs.setdefault(x.id, []).append(n.value)


def writers(tree):
    """{qualname: (def node, direct, mutated)} of the functions outside
    functions of module `tree` whose own body (its nested scopes included)
    stores into state that outlives the call (`direct`: _writes), or into
    what the parameters `mutated` are given (_mutated_params, the instance
    of a method left out): what a caller in another module changes by
    calling one (Calls)."""
    funcs, _ = _functions(tree)
    modules = _module_imports(tree)
    outside = _Outside(_own_names(tree), _module_imports(tree, plain=True),
                       _module_import_targets(tree))
    _module_funcs(tree, outside)
    out = {}
    for q, defs in funcs.items():
        for node, cls in defs:
            me = _self_param(node, cls is not None)
            direct = _writes(node, frozenset(), _class_params(node, cls is not None), modules,
                             set(), outside, self_param=me)
            mutated = _mutated_params(node, outside.mutated) - {me}
            if direct or mutated:
                # (a name defined twice: either may run)
                was = out.get(q)
                out[q] = (node, direct or (was is not None and was[1]),
                          mutated | (was[2] if was is not None else frozenset()))
    # and its lambdas bound to a name (`_next_id = lambda c=count(1): next(c)`)
    for name, nodes in outside.funcs.items():
        for node in nodes:
            if type(node) is not _ast.Lambda or name in funcs:
                continue
            direct = _writes(node, frozenset(), frozenset(), modules, set(), outside)
            mutated = _mutated_params(node, outside.mutated)
            if direct or mutated:
                was = out.get(name)
                out[name] = (node, direct or (was is not None and was[1]),
                             mutated | (was[2] if was is not None else frozenset()))
    return out


def leaving(tree, calls=None):
    """leaving4()'s first three."""
    return leaving4(tree, calls)[:3]


def leaving4(tree, calls=None):
    """(stateful, outside, targets): the qualnames of the stateful
    functions of module `tree` (stateful()), those of them that may store
    outside the module (see the module docstring), and what those stores
    reach: the targets of the imports they store through
    (_import_targets), or None if any other object (the environment,
    sys.modules, a class, a patcher, a name of unknown origin); and the
    qualnames of the functions that are not stateful but call another
    project module's writer (`calls`, a Calls, or None: Calls), whose
    bodies stay keys: the fingerprint gives each one's statement the kind
    "leaves" and its body's digest.  Such a call counts as a store
    through the import that names it, in the targets."""
    funcs, classes = _functions(tree)
    modules = _module_imports(tree)
    out = set()
    feed = set()
    outside = _Outside(_own_names(tree), _module_imports(tree, plain=True),
                       _module_import_targets(tree))
    outside.calls = calls
    xleave = set()   # callers of another module's writer (Calls): "leaves", kept keys
    _module_funcs(tree, outside)
    leave = set()
    for q, defs in funcs.items():
        for node, cls in defs:
            if any(_dec_name(d) in _CACHERS for d in node.decorator_list):
                out.add(q)   # what it returns is kept: all it calls feeds it
                _mentioned(node.body, feed)
            outside.found = outside.xfound = False   # (per function: _writes sets them)
            if _writes(node, frozenset(), _class_params(node, cls is not None), modules, feed,
                       outside, self_param=_self_param(node, cls is not None)):
                out.add(q)
            if outside.found:
                leave.add(q)
            if outside.xfound:
                xleave.add(q)
    targets = None if "*" in outside.targets else frozenset(outside.targets)
    if not out:
        return out, leave, targets, xleave
    by_last = {}
    for q in funcs:
        by_last.setdefault(q.rsplit(".", 1)[-1], []).append(q)
    for c in classes:
        for m in ("__init__", "__new__", "__post_init__"):
            if c + "." + m in funcs:
                by_last.setdefault(c.rsplit(".", 1)[-1], []).append(c + "." + m)
    # The functions the stored values mention, and all that those
    # mention in turn (what a feeder returns is all of its body's doing).
    _close(feed, funcs, by_last, out)
    if leave:
        # The callers of one, by name, and their callers in turn: an edit
        # of a caller can change what it passes on to be stored, so what
        # it passes feeds the store too.
        calls = {q: [c for node, _ in defs for c in _calls_of(node.body)]
                 for q, defs in funcs.items()}
        grew = True
        while grew:
            grew = False
            names = {q.rsplit(".", 1)[-1] for q in leave}
            # (a class's __init__, __new__ or __post_init__: its name calls it)
            names |= {q.rsplit(".", 2)[-2] for q in leave
                      if "." in q and q.rsplit(".", 1)[-1] in ("__init__", "__new__", "__post_init__")}
            for q, cs in calls.items():
                if q in leave:
                    continue
                for name, call in cs:
                    if name in names:
                        leave.add(q)
                        grew = True
                        _mentioned(call.args + [k.value for k in call.keywords], outside.feed)
        _close(outside.feed, funcs, by_last, leave)
        out |= leave
    return out, leave | (xleave & out), targets, xleave - out
