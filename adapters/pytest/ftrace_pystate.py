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
  (`_REGISTRY.get(k).append(v)`, but not `hashlib.sha256().update(b)`).

And so is every function of the module that a stateful one mentions: its
result can be what the cache keeps.  Mentions are matched by name within
the module, over-approximately: a name or attribute `x` is every function
or method named `x`; a class name is its __init__, __new__ and
__post_init__.

Not seen (docs/python-functions.md, "Limits"): state kept through an
instance (`self.x = v` on an object that outlives the test), through a
local alias of a global (`reg = _REG; reg.append(v)`), through a method
call this list does not know (`REGISTRY.register(v)`), by a decorator of
another name that caches, and a stateful function in another module
calling this module's functions.
"""

import _ast

_FUNCS = (_ast.FunctionDef, _ast.AsyncFunctionDef)
_SCOPES = _FUNCS + (_ast.Lambda,)
_CACHERS = frozenset(("cache", "lru_cache", "cached_property", "cached", "memoize", "memoized"))
_MUTATORS = frozenset(("append", "extend", "insert", "add", "update", "setdefault", "pop",
                       "popitem", "remove", "discard", "clear", "sort", "reverse",
                       "appendleft", "extendleft", "popleft", "rotate", "__setitem__",
                       "__delitem__", "__setattr__", "__delattr__", "difference_update",
                       "intersection_update", "symmetric_difference_update"))
_CLASS_FIRST = frozenset(("__new__", "__init_subclass__", "__class_getitem__"))
_CLASS = object()   # _root(): the object is a class


def _dec_name(d):
    if type(d) is _ast.Call:
        d = d.func
    if type(d) is _ast.Attribute:
        return d.attr
    if type(d) is _ast.Name:
        return d.id
    return None


def _children(n):
    for f in n._fields:
        v = getattr(n, f, None)
        if isinstance(v, list):
            for x in v:
                if isinstance(x, _ast.AST):
                    yield x
        elif isinstance(v, _ast.AST):
            yield v


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


def _locals(fn, own):
    """Names `fn`'s scope binds, and the names it declares global."""
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
        elif t is _ast.ExceptHandler and n.name:
            names.add(n.name)
        elif t is _ast.Global:
            glob.update(n.names)
        elif type(getattr(n, "name", None)) is str and t.__name__.startswith("Match"):
            names.add(n.name)
    return names - glob, glob


def _root(e, modules):
    """What the target or receiver `e` hangs off: a Name node, _CLASS, or
    None (a literal, a local object made by a call on a module)."""
    through_call = False
    while True:
        t = type(e)
        if t is _ast.Attribute:
            if e.attr == "__class__":
                return _CLASS
            e = e.value
        elif t is _ast.Subscript or t is _ast.Starred:
            e = e.value
        elif t is _ast.Call:
            if type(e.func) is _ast.Name and e.func.id == "type":
                return _CLASS
            through_call = True
            e = e.func
        elif t is _ast.Name:
            if through_call and e.id in modules:
                return None
            return e
        else:
            return None


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


def _writes(fn, outer, class_params, modules, feed):
    """Does `fn` (a function or lambda) or a scope nested in it store
    into state that outlives the call?  `outer`: names the enclosing
    function scopes bind (their objects die with those calls);
    `class_params`: parameter names known to hold a class.  Adds to the
    set `feed` the names that the stored values mention (the values a
    global gets, what a mutating call is given)."""
    own, nested = _scope_nodes(fn)
    local, glob = _locals(fn, own)
    bound = outer | local
    found = bool(glob)

    def shared(e):
        r = _root(e, modules)
        if r is _CLASS:
            return True
        if r is None:
            return False
        return r.id in class_params or r.id not in bound

    for n in own:
        t = type(n)
        targets, value = _targets(n)
        for x in targets:
            if ((type(x) in (_ast.Attribute, _ast.Subscript) and shared(x))
                    or (type(x) is _ast.Name and x.id in glob)):
                found = True
                _mentioned(value, feed)
                if type(x) is _ast.Subscript:
                    _mentioned(x.slice, feed)
        if t is _ast.Call:
            f = n.func
            # (`mod.add(x)` on an imported module calls a function of it)
            if ((type(f) is _ast.Attribute and f.attr in _MUTATORS and shared(f.value)
                 and not (type(f.value) is _ast.Name and f.value.id in modules))
                    or (type(f) is _ast.Name and f.id in ("setattr", "delattr")
                        and f.id not in bound and n.args and shared(n.args[0]))):
                found = True
                for a in n.args + [k.value for k in n.keywords]:
                    _mentioned(a, feed)
    for s in nested:
        if _writes(s, bound, class_params - set(_params(s)), modules, feed):
            found = True
    return found


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


def _module_imports(tree):
    """Names the module binds by import statements outside functions."""
    out = set()
    todo = list(tree.body)
    while todo:
        n = todo.pop()
        if isinstance(n, _FUNCS) or type(n) is _ast.Lambda:
            continue
        if type(n) in (_ast.Import, _ast.ImportFrom):
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
        todo.extend((c, prefix) for c in reversed(list(_children(n))))
    return funcs, classes


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
    funcs, classes = _functions(tree)
    modules = _module_imports(tree)
    out = set()
    feed = set()
    for q, defs in funcs.items():
        for node, cls in defs:
            if any(_dec_name(d) in _CACHERS for d in node.decorator_list):
                out.add(q)   # what it returns is kept: all it calls feeds it
                _mentioned(node.body, feed)
            elif _writes(node, frozenset(), _class_params(node, cls is not None), modules, feed):
                out.add(q)
    if not out:
        return out
    by_last = {}
    for q in funcs:
        by_last.setdefault(q.rsplit(".", 1)[-1], []).append(q)
    for c in classes:
        for m in ("__init__", "__new__", "__post_init__"):
            if c + "." + m in funcs:
                by_last.setdefault(c.rsplit(".", 1)[-1], []).append(c + "." + m)
    # The functions the stored values mention, and all that those
    # mention in turn (what a feeder returns is all of its body's doing).
    todo = []
    for name in feed:
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
    return out
