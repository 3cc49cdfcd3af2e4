"""ftrace_fingerprint - skeleton and function-body fingerprints of a .py file.

Pure Python, standard library only (the C module _ast, not ast.py); used
by the pytest plugin at recording (--granularity=function) and meant to be
run once by `ftrace affected` over the changed .py files:

    python3 ftrace_fingerprint.py FILE...   ->  JSON on stdout:
    {"FILE": {"skeleton": "<hex>", "bodies": {"qualname": "<hex>", ...}}
             or null when FILE cannot be read, parsed or compiled}

The split (docs/python-functions.md):

- The *skeleton* is the module's AST with the body of every function that
  is not nested in another function replaced by a placeholder.  It keeps
  module-level statements, class bodies, decorators, signatures (defaults
  and annotations are evaluated when the def runs), the module's
  docstring, and whether each function and class has a docstring.
- A function that may leave state behind for a test that never runs it
  (ftrace_pystate: a `global`, a cache, a store into a module-level
  object, and what those store) keeps its body's digest in the skeleton:
  an edit of it is a skeleton change, as for code run at import.
- Each such function has a *body* fingerprint, keyed by its qualname as
  Python computes it (`C.m`, `f`).  So has each function defined in one
  (`f.<locals>.g`, `f.<locals>.C.m`, `f.<locals>.g.<locals>.h`): its
  body is cut out of the enclosing one's, whose text keeps the nested
  def's decorators, signature, docstring and whether it yields (what the
  enclosing function's run evaluates).  A decorator's wrapper, made at
  import, is then a key that only the tests that called it ran.  A class
  body, lambda or comprehension in a function stays part of its body,
  and so does everything in a stateful one (above).
- In a module with `from __future__ import annotations` each such function
  (but those decorated by contextlib's context manager decorators, which
  copy them at import) also has an *annotations* fingerprint, keyed by
  its qualname and "#ann" (`C.m#ann`): its parameter and return annotations, which the def
  statement only stores as strings into `__annotations__` (PEP 563); the
  skeleton keeps none of them.  Elsewhere annotations are evaluated by the
  def statement and stay skeleton.
- Each such function with a docstring has a *docstring* fingerprint, keyed
  by its qualname and "#doc" (`C.m#doc`; "#" is in no qualname), and so
  has each class outside functions (`C#doc`), unless its statement names
  `__doc__`, `locals`, `vars` or a frame (the class body could read its
  docstring as a name: then it stays skeleton).

A function's docstring is not part of its body: the def statement sets
`__doc__` from it, and the body never reads it.  Programs read `__doc__`
without running the function (click's and argparse's help texts, doctest):
the recorder records each read of a project function's `__doc__` as the
key `qualname#doc`, in the test that read it, or in the prelude (a
decorator copying it at import), which makes it skeleton as for a body.
So with `__annotations__` and the key `qualname#ann`.

A file whose AST parses but that does not compile (`nonlocal x` with no
binding, a walrus in a postponed annotation) has no fingerprints: an edit
that breaks the module's compilation breaks every importer, not only the
tests that ran the edited function.

The fingerprints come from the AST's types and fields without positions
(_dump, like ast.dump(include_attributes=False)), so comments, blank lines
and formatting change nothing; neither does moving a function
down by a few lines (line numbers are not part of either fingerprint).

Two defs with the same qualname (conditional definitions, redefinitions)
share one key: their bodies are fingerprinted together, so a change in any
of them changes the key.

"names" describes the module's namespace, for a skeleton change that only
adds, removes or re-signs plain functions (docs/python-functions.md,
"Namespace changes"):

- "stmts": per top-level statement, in order, [hash, kind, bind, ment]:
  the hash of its skeleton text; its kind, "def" for a function statement
  that cannot fail or do anything but bind its name (no decorators but
  contextlib's contextmanager, literal defaults, annotations never
  evaluated, not a dunder name; "wrap" if decorated: the decorator
  reads the docstring at import, into the wrapper; "class" for a class
  statement that cannot fail or do anything but bind its name
  (_plain_class: only methods without decorators but staticmethod,
  classmethod and property, literal class
  attributes, no base but a built-in class; "tclass" if the base is
  unittest's TestCase); "mark" if decorated
  by pytest marks only, whose arguments run nothing but pytest.param,
  a few standard-library queries and built-in operators on constants
  (_MarkCheck): a test function, which selection allows in test modules
  only; "mark:M,N" if they also read constants or make values of the
  standard-library modules M and N (_STD_CONSTANTS, _STD_MAKERS), which
  selection allows only where every recorded session had loaded those
  at its start-up), "mclass" and "mclass:M,N" for a "class" whose methods
  have such marks (_plain_class: a pytest-style test class, which
  selection allows in test modules only),
  "assign" for a plain assignment, `A = B = value` with no unpacking
  target and no dunder of UNNOTED_DUNDERS, its names bound by no other
  statement and no `global`, and a value built of constants only
  (_plain_assign: it cannot fail, runs no code, and only binds its
  names; the words of its strings are mentions), "ann:<digest>" for
  such an assignment of one name with an annotation, in a module that
  postpones its annotations (_ann_one: it also stores the annotation's
  text, whose digest the kind holds, in __annotations__; every annotated
  assignment of the module's must be one: _anns_plain), "derive" for one whose
  value reads earlier "assign" and "derive" names and calls known-pure
  builtins or the module's earlier plain functions of a shape the tool
  runs (_Derive.invoke: its digest then holds their bodies')
  (_derived_assign, evaluated by _Derive: it does not fail on
  the values of now; it mentions the names it reads and the builtins it
  calls, and selection changes its names with theirs), "derive:re" for
  one that compiles a regular expression (`re.compile(P, flags)`, which
  this interpreter compiled without error or warning: selection takes it
  only under the same standard library), "ann:<digest>:derive" and
  "ann:<digest>:derive:re" for those with an annotation,
  "from:M" for `from M import a, b` with M a standard-library module that
  is no package (its aliases can go without unloading anything; a fifth
  element lists the names it imports, parallel to the names it binds, and
  at selection main() adds a sixth, _have),
  "import:M" for `import M [as a]` with M such a module that every pytest
  session has loaded before any project code (_PRELOADED: adding it runs
  nothing, cannot fail, and only binds a name), "stdimport:M" for `import
  M [as a]` with M any other top-level standard-library module (a package
  too) or pytest (_std_top: selection allows it when every recorded
  session had loaded M at its start-up), else
  "doc" for the module docstring (it binds and runs nothing), "bind" for
  another statement that does not act outside the module by its form
  (_acts: no bare call, no store into an object, no augmented assignment,
  no star import; `X = f()`), "bind:def" for such a def or class (a
  decorated def, a class with other bases), "leaves" for such a
  statement that holds the body of a function that may store outside the
  module (ftrace_pystate.leaving: an imported module's attribute, the
  environment, a started patcher; selection widens its edit to every test
  of a session that loaded the module), or of one whose body stays a key
  but calls another project module's writer (ftrace_pystate.Calls, given
  by main() and the recorder's cache: such a statement's digest also
  holds its function's body digests, so that a body's edit changes it),
  "leaves:T,..." when every such
  store of the module goes through an import, T being what each imports
  ("a.b", or "?P.n" for `from P import n`; selection widens to the tests
  that load those modules when each is a project module),
  "pimport:E,..." for such a statement that imports (_import_entries: the
  modules it needs loaded, "?" before a name that is a loaded submodule or
  an attribute), else "other"; the names it binds ("def", "class", "tclass", "assign", "from:", "import:" and "stdimport:" only; "other" binds
  nothing here, its names are all in ment); every other name it mentions
  (names, the words of its strings but the module docstring's, and "*"
  for a read of the namespace as a whole: globals(), vars(), dir(),
  eval(), exec(), reload(), __globals__, f_globals), but not the names of
  postponed annotations (those are the refs of the ANN key).
- "refs": per body key, the names its code mentions, "*" as above, and
  per ANN key the names its annotations mention (typing.get_type_hints
  resolves them when it reads __annotations__): the keys that can see a
  change of a module-level name.
"""

import sys
import zlib

import ftrace_pystate

# `ftrace affected` starts this file once per selection, so start-up counts:
# the C modules behind ast, hashlib and json, without their Python packages
# (ast.py pulls in contextlib and enum, hashlib initialises OpenSSL, json
# imports re).  _sha256 (3.11 and older), _sha2 (3.12+) and hashlib give
# the same digests; hashlib costs 2-3 ms more.
import _ast
try:
    from _sha2 import sha256 as _sha256
except ImportError:
    try:
        from _sha256 import sha256 as _sha256
    except ImportError:
        from hashlib import sha256 as _sha256

_FUNCS = (_ast.FunctionDef, _ast.AsyncFunctionDef)
# Names through which code reads its module's namespace as a whole.
_DYNAMIC = frozenset(("globals", "vars", "dir", "eval", "exec", "reload", "__globals__",
                      "f_globals"))
# Of those, the ones that read an object's attributes when given one.
_OF_OBJECT = frozenset(("vars", "dir"))
_WORD = None   # re.compile(r"[A-Za-z_][A-Za-z0-9_]*"), imported only when needed
_PLACEHOLDER = "<ftrace:body>"
_DOC_PLACEHOLDER = "<ftrace:docstring>"
# The placeholder of a stateful body (ftrace_pystate), followed by the
# body's digest: the skeleton changes with the body.
_STATE_PLACEHOLDER = "<ftrace:state>"
# The placeholder of a nested function's body (a key of its own), "g"
# appended when it yields: calling it then makes a generator and runs
# none of the body, which the enclosing function's text must say.
_NESTED_PLACEHOLDER = "<ftrace:nested>"
_HOLDS_STMTS = (_ast.stmt, _ast.excepthandler, getattr(_ast, "match_case", _ast.excepthandler))
DOC = "#doc"   # a docstring key: qualname + DOC
ANN = "#ann"   # an annotations key: qualname + ANN
_GEN_PLACEHOLDER = "<ftrace:body:yields>"   # that of a body holding a yield
_PLACEHOLDERS = (_PLACEHOLDER, _GEN_PLACEHOLDER, _DOC_PLACEHOLDER)


class _Ann(_ast.AST):
    """A postponed annotation in the split tree: dumped as nothing (its
    text is the function's ANN key), and no field to walk, so no statement
    mentions its names: they are the refs of the ANN key (what
    typing.get_type_hints resolves in the module's globals when it reads
    __annotations__, a read the recorder notes as the ANN key)."""
    _fields = ()

    def __init__(self, value):
        super().__init__()
        self.value = value


def _digest(text):
    return _sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


_ATOMS = frozenset((str, bytes, int, float, complex, bool, type(None), type(...)))


def _dump(node, out, _Constant=_ast.Constant, _Name=_ast.Name):
    """A node's text into the list `out`: its type and every field, without
    positions (lineno, col_offset, ... are attributes, not fields), so
    comments, blank lines and formatting change nothing.  Constants and
    names, most of the nodes of a module's tables, take a short way to the
    same text (t9039 holds it to the general one)."""
    t = type(node)
    if t is _Constant:
        v = getattr(node, "value", None)
        out.append("Constant(value=")
        if type(v) in _ATOMS:
            out.append(repr(v))
        else:
            _dump(v, out)
        out.append(",kind=")
        out.append(repr(getattr(node, "kind", None)))
        out.append(",)")
    elif t is _Name:
        out.append("Name(id=")
        out.append(repr(getattr(node, "id", None)))
        out.append(",ctx=")
        _dump(getattr(node, "ctx", None), out)
        out.append(",)")
    elif t is _Ann:
        out.append("None")
    elif isinstance(node, _ast.AST):
        out.append(type(node).__name__)
        out.append("(")
        for name in node._fields:
            out.append(name)
            out.append("=")
            _dump(getattr(node, name, None), out)
            out.append(",")
        out.append(")")
    elif isinstance(node, list):
        out.append("[")
        for x in node:
            _dump(x, out)
            out.append(",")
        out.append("]")
    else:
        out.append(repr(node))


def _text(node):
    out = []
    _dump(node, out)
    return "".join(out)


def _docstring(node):
    """The docstring statement of a function or class, or None."""
    body = node.body
    if (body and isinstance(body[0], _ast.Expr) and isinstance(body[0].value, _ast.Constant)
            and isinstance(body[0].value.value, str)):
        return body[0]
    return None


def _wrapper_maker(d):
    """Is decorator `d` named like one of _PURE_DECORATORS?  They copy the
    function's annotations into their wrapper at import (functools.wraps),
    a read at import: such a function keeps its annotations in the
    skeleton, where a change of them is a change of its name ("wrap" in
    "names"), whose readers are the wrapper's only readers."""
    name = d.attr if type(d) is _ast.Attribute else d.id if type(d) is _ast.Name else None
    return name in _PURE_NAMES


class _Split:
    """Collect the bodies of the functions outside functions, by qualname,
    and replace each with the placeholder (keeping its docstring)."""

    def __init__(self, lazy=False, state=frozenset(), gens=None, leave=frozenset(),
                 xleave=frozenset()):
        self.state = state   # qualnames of stateful functions (ftrace_pystate)
        self.leave = leave   # those that may store outside the module
        self.xleave = xleave   # others that call another module's writer
        self.xqual = {}   # id(def node) -> qualname, of those in xleave
        self.orig = {}   # id(def node) -> (its body as written, qualname), module level
        self.leaves = set()  # their bodies' placeholders
        self.gens = gens     # _generators() of the compiled module, or None
        self.prefix = []
        self.bodies = {}
        self.docs = {}
        self.refs = {}
        self.lazy = lazy   # annotations are postponed (PEP 563)
        # names a body may rebind in the module ("global"), "*" if a body
        # reads or writes the namespace as a whole
        self.rebound = set()

    def visit(self, node):
        if isinstance(node, _FUNCS):
            return self._func(node)
        if isinstance(node, _ast.ClassDef):
            return self._class(node)
        if isinstance(node, _ast.Lambda):
            # A lambda outside any function body is skeleton code, as written.
            return node
        for name in node._fields:
            v = getattr(node, name, None)
            if isinstance(v, list):
                setattr(node, name, [self.visit(x) if isinstance(x, _ast.AST) else x for x in v])
            elif isinstance(v, _ast.AST):
                setattr(node, name, self.visit(v))
        return node

    def _func(self, node):
        qual = ".".join(self.prefix + [node.name])
        doc = _docstring(node)
        refs = self.refs.setdefault(qual, set())
        for st in node.body[doc is not None:]:
            _mentions(st, refs, body=True, glob=self.rebound)
        if "*" in refs:
            self.rebound.add("*")
        if qual in self.xleave and qual not in self.state:
            self.xqual[id(node)] = qual
        if qual in self.state:
            # kept whole, nested functions included: its digest is skeleton
            text = "\n".join(_text(s) for s in node.body[doc is not None:])
        else:
            text = self._cut_nested(qual, node)
        self.bodies.setdefault(qual, []).append(text)
        if doc is not None:
            self.docs.setdefault(qual + DOC, []).append(_text(doc))
        # Decorators, arguments (defaults, annotations) and the return
        # annotation are evaluated by the def statement: they stay, and are
        # visited so a class or lambda in them is walked like any other
        # skeleton code.  Nothing inside the body is visited.
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        if self.lazy and not any(_wrapper_maker(d) for d in node.decorator_list):
            self._annotations(qual, node)
        node.args = self.visit(node.args)
        if node.returns is not None:
            node.returns = self.visit(node.returns)
        # Whether there is a docstring stays (a function without one has
        # no docstring key to change); what it says is its own key.
        keep = [_ast.Expr(_ast.Constant(_DOC_PLACEHOLDER))] if doc is not None else []
        if not self.prefix:
            self.orig[id(node)] = (node.body, qual)
        if qual in self.state:
            # It may leave state behind that a test can read without
            # running it: its body is skeleton too, as if it ran at import.
            mark = _STATE_PLACEHOLDER + _digest(text)
            if qual in self.leave:
                self.leaves.add(mark)
            node.body = keep + [_ast.Expr(_ast.Constant(mark))]
        else:
            # (whether it yields: a call of a generator function runs none
            # of its body, so that is what every caller sees of it)
            node.body = keep + [_ast.Expr(_ast.Constant(_GEN_PLACEHOLDER if _yields(node, self.gens)
                                                        else _PLACEHOLDER))]
        return node

    def _cut_nested(self, qual, node):
        """The text of function `node`'s body after its docstring, with the
        body of each function defined in it cut out to a key of its own:
        `qual.<locals>.g`, `qual.<locals>.C.m` for a method of a class
        defined in it, and so on down (each nested body cut the same
        way).  What the enclosing function's run evaluates stays in its
        text: each nested def's decorators, defaults, annotations and
        docstring, and whether its body makes it a generator.  The nodes
        are as they were afterwards."""
        saved = []
        try:
            self._cut_in(node.body, qual + ".<locals>", saved)
            doc = _docstring(node)
            return "\n".join(_text(s) for s in node.body[doc is not None:])
        finally:
            for n, body in reversed(saved):
                n.body = body

    def _cut_in(self, nodes, prefix, saved):
        """Cut the body of every def among `nodes` (statements of one
        scope, and the statements nested in them: if, for, with, try,
        match, and class bodies, whose qualnames add the class's name)."""
        todo = list(nodes)
        while todo:
            n = todo.pop()
            if isinstance(n, _FUNCS):
                q = prefix + "." + n.name
                text = self._cut_nested(q, n)
                self.bodies.setdefault(q, []).append(text)
                refs = self.refs.setdefault(q, set())
                doc = _docstring(n)
                for st in n.body[doc is not None:]:
                    _mentions(st, refs, body=True, glob=self.rebound)
                saved.append((n, n.body))
                n.body = ([doc] if doc is not None else []) + [
                    _ast.Expr(_ast.Constant(_NESTED_PLACEHOLDER + ("g" if _yields(n, self.gens) else "")))]
            elif isinstance(n, _ast.ClassDef):
                self._cut_in(n.body, prefix + "." + n.name, saved)
            elif isinstance(n, _HOLDS_STMTS):
                # (a def is a statement: only these can hold one)
                for name in n._fields:
                    v = getattr(n, name, None)
                    if isinstance(v, list):
                        todo.extend(x for x in v if isinstance(x, _HOLDS_STMTS))

    def _annotations(self, qual, node):
        """Postponed annotations: their text is the key qual + ANN (for
        every function, annotated or not: adding the first annotation
        changes only that key), and each becomes an _Ann in the tree."""
        a = node.args
        text = []
        names = set()
        for x in a.posonlyargs + a.args + [a.vararg] + a.kwonlyargs + [a.kwarg]:
            if x is not None and x.annotation is not None:
                text.append(x.arg + ":" + _text(x.annotation))
                _mentions(x.annotation, names)
                x.annotation = _Ann(x.annotation)
        if node.returns is not None:
            text.append("->" + _text(node.returns))
            _mentions(node.returns, names)
            node.returns = _Ann(node.returns)
        self.docs.setdefault(qual + ANN, []).append("\n".join(text))
        if names:
            self.refs.setdefault(qual + ANN, set()).update(names)

    def _class(self, node):
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.bases = [self.visit(b) for b in node.bases]
        node.keywords = [self.visit(k) for k in node.keywords]
        # A class's docstring is its own key too, unless the class body can
        # read it as the name __doc__ (directly, or through locals(),
        # vars() or a frame): then it is module state like any other.
        doc = _docstring(node)
        if doc is not None and not _may_read_doc(node):
            qual = ".".join(self.prefix + [node.name])
            self.docs.setdefault(qual + DOC, []).append(_text(doc))
            node.body = [_ast.Expr(_ast.Constant(_DOC_PLACEHOLDER))] + node.body[1:]
        self.prefix.append(node.name)
        try:
            node.body = [self.visit(s) for s in node.body]
        finally:
            self.prefix.pop()
        return node


_DOC_READERS = frozenset(("__doc__", "locals", "vars", "_getframe", "currentframe", "f_locals"))


_CodeType = type(_digest.__code__)
_GENERATOR_FLAGS = 0x20 | 0x200   # CO_GENERATOR, CO_ASYNC_GENERATOR


def _generators(code):
    """{(name, first line): whether it yields} of the functions compiled
    into `code`, None for a pair that two of them share and disagree on
    (a decorated function's first line is its first decorator's)."""
    out = {}
    todo = [code]
    while todo:
        for k in todo.pop().co_consts:
            if type(k) is _CodeType:
                key = (k.co_name, k.co_firstlineno)
                g = bool(k.co_flags & _GENERATOR_FLAGS)
                out[key] = g if out.get(key, g) == g else None
                todo.append(k)
    return out


def _yields(node, gens=None):
    """Does the body of function `node` itself (not a function, lambda or
    class in it) hold a yield or yield from?  Read from the compiled
    flags in `gens` (_generators()) where they say, else from the tree."""
    if gens is not None:
        first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
        g = gens.get((node.name, first))
        if g is not None:
            return g
    todo = list(node.body)
    while todo:
        n = todo.pop()
        t = type(n)
        if t is _ast.Yield or t is _ast.YieldFrom:
            return True
        if isinstance(n, _FUNCS) or t is _ast.Lambda or t is _ast.ClassDef:
            continue
        for name in n._fields:
            v = getattr(n, name, None)
            if isinstance(v, list):
                todo.extend(x for x in v if isinstance(x, _ast.AST))
            elif isinstance(v, _ast.AST):
                todo.append(v)
    return False


def _may_read_doc(node):
    """Does anything in the class statement `node` (methods included, to
    keep it simple) name __doc__, locals, vars or a frame?"""
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, _ast.Name) and n.id in _DOC_READERS:
            return True
        if isinstance(n, _ast.Attribute) and n.attr in _DOC_READERS:
            return True
        _push(n, todo, set())
    return False


def _push(n, todo, names, _AST=_ast.AST):
    """Push the child nodes of `n` onto `todo` (a list), and add to the set
    `names` the names a match pattern captures (MatchAs, MatchStar,
    MatchMapping hold them as plain strings)."""
    for f in n._fields:
        v = getattr(n, f, None)
        if isinstance(v, list):
            todo += [x for x in v if isinstance(x, _AST)]
        elif isinstance(v, _AST):
            todo.append(v)
        elif type(v) is str and f in ("name", "rest") and type(n).__name__.startswith("Match"):
            names.add(v)


def _mentions(node, out, body=False, glob=None):
    """Add to the set `out` every name the code of `node` mentions: Name
    ids, global/nonlocal names, imported names, except-as and match
    capture names, the name `node` itself defines (a def or class
    statement: a binding), and "*" for a read of the namespace as a whole.
    Not the names of defs and classes inside it, nor parameter or
    keyword-argument names: those bind or name in another scope.
    Outside bodies (body=False) also the identifier-like words of string
    constants (a string annotation is evaluated in the module's globals).
    `glob`: a set that also gets the names of `global` statements."""
    global _WORD
    todo = [node]
    while todo:
        n = todo.pop()
        t = type(n)
        if t is _ast.Name:
            out.add("*" if n.id in _DYNAMIC else n.id)
            continue
        if (t is _ast.Call and type(n.func) is _ast.Name and n.func.id in _OF_OBJECT
                and n.args and type(n.args[0]) is not _ast.Starred):
            # vars(x), dir(x): x's attributes, not the caller's namespace
            # (x being a tracked module, the recorder notes its __dict__)
            out.add(n.func.id)
            todo.extend(n.args)
            todo.extend(n.keywords)
            continue
        if t is _ast.Attribute:
            if n.attr in _DYNAMIC:
                out.add("*")
        elif t is _ast.Constant:
            if (not body and type(n.value) is str and n.value not in _PLACEHOLDERS
                    and not n.value.startswith(_STATE_PLACEHOLDER)):
                if _WORD is None:
                    import re
                    _WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
                out.update(_WORD.findall(n.value))
            continue
        elif t in (_ast.Global, _ast.Nonlocal):
            out.update(n.names)
            if glob is not None and t is _ast.Global:
                glob.update(n.names)
        elif t is _ast.alias:
            # `from M import *` reads M's names, not this namespace's: it
            # mentions none of them (its binding of unknown names is in
            # _binders, as "*")
            if n.name != "*":
                out.add(n.name.split(".")[0])
            if n.asname:
                out.add(n.asname)
        elif t in (_ast.FunctionDef, _ast.AsyncFunctionDef, _ast.ClassDef):
            if n is node:
                out.add(n.name)
        elif t is _ast.ExceptHandler and n.name:
            out.add(n.name)
        _push(n, todo, out)


def _literal(node):
    """A default that evaluates to a constant, without running code."""
    if type(node) is _ast.Constant:
        return True
    return (type(node) is _ast.UnaryOp and type(node.op) in (_ast.USub, _ast.UAdd)
            and type(node.operand) is _ast.Constant)


# Decorators that wrap a function and do nothing else (no registry, no
# state, cannot fail): (module, name) of the standard library's.
_PURE_DECORATORS = frozenset((("contextlib", "contextmanager"),
                              ("contextlib", "asynccontextmanager")))
_PURE_NAMES = frozenset(n for _, n in _PURE_DECORATORS)


def _binders(body):
    """{name: [statements that may bind it at module level]}: import
    aliases, def and class names, and every name stored or deleted outside
    function and class bodies (an over-approximation: more binders only
    means fewer namespace changes)."""
    out = {}
    for s in body:
        names = set()
        todo = [s]
        while todo:
            n = todo.pop()
            t = type(n)
            if t is _ast.Name:
                if type(n.ctx) is not _ast.Load:
                    names.add(n.id)
                continue
            if t in (_ast.Import, _ast.ImportFrom):
                for a in n.names:
                    names.add(a.asname or a.name.split(".")[0])
                continue
            if t in (_ast.FunctionDef, _ast.AsyncFunctionDef, _ast.ClassDef):
                names.add(n.name)
                todo.extend(n.decorator_list)
                if t is _ast.ClassDef:
                    todo.extend(n.bases + [k.value for k in n.keywords])
                else:
                    todo.append(n.args)
                continue
            if t is _ast.Lambda:
                continue
            if t is _ast.ExceptHandler and n.name:
                names.add(n.name)
            _push(n, todo, names)
        for name in names:
            out.setdefault(name, []).append(s)
    return out


def _pure_decorator(d, binders):
    """Is decorator `d` one of _PURE_DECORATORS, named through the one
    statement that binds its name: `import contextlib` (`@contextlib.x`)
    or `from contextlib import x` (`@x`)?"""
    if type(d) is _ast.Attribute and type(d.value) is _ast.Name:
        b = binders.get(d.value.id, ())
        return (len(b) == 1 and type(b[0]) is _ast.Import and any(
            a.name in {m for m, _ in _PURE_DECORATORS} and (a.asname or a.name) == d.value.id
            and (a.name, d.attr) in _PURE_DECORATORS for a in b[0].names))
    if type(d) is _ast.Name:
        b = binders.get(d.id, ())
        return (len(b) == 1 and type(b[0]) is _ast.ImportFrom and not b[0].level and any(
            (a.asname or a.name) == d.id and (b[0].module, a.name) in _PURE_DECORATORS
            for a in b[0].names))
    return False


def _inert_def(node, lazy_annotations, binders=None, marks=False):
    """Can this top-level def statement do nothing but bind its name
    (decorators of _PURE_DECORATORS aside; `marks`: the caller checked
    the decorators)?"""
    if getattr(node, "type_params", None):
        return False
    if node.decorator_list and not marks and (binders is None or not all(
            _pure_decorator(d, binders) for d in node.decorator_list)):
        return False
    if node.name.startswith("__") and node.name.endswith("__"):
        return False
    return _inert_signature(node, lazy_annotations)


def _inert_signature(node, lazy_annotations):
    """Does the def statement `node` evaluate nothing of its signature but
    literal defaults (annotations postponed, or none)?"""
    a = node.args
    if not all(_literal(d) for d in a.defaults) or not all(
            d is None or _literal(d) for d in a.kw_defaults):
        return False
    if lazy_annotations:
        return True
    every = a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]
    return node.returns is None and all(x.annotation is None for x in every)


# Built-in classes a plain class may subclass (with the built-in exceptions).
_BASES = frozenset(("object", "dict", "list", "set", "frozenset", "tuple", "str", "bytes",
                    "int", "float"))


def _builtin_base(b, binders):
    """Is the class base `b` one of _BASES or a built-in exception class,
    named by a builtin name the module never binds (no star import either)?
    Subclassing one runs no code of the project's and cannot fail: their
    metaclass is `type`, their __init_subclass__ object's."""
    if type(b) is not _ast.Name or b.id in binders or "*" in binders:
        return False
    import builtins
    c = getattr(builtins, b.id, None)
    return b.id in _BASES or (isinstance(c, type) and issubclass(c, BaseException))


def _unittest_base(b, binders):
    """Is the class base `b` unittest's TestCase, named through the one
    statement that binds its name: `from unittest import TestCase [as T]`
    (`TestCase`) or `import unittest` (`unittest.TestCase`), and no star
    import?  Its metaclass is `type`, and its __init_subclass__ only sets
    two attributes of the new class (_classSetupFailed, _class_cleanups)."""
    if "*" in binders:
        return False
    if type(b) is _ast.Name:
        s = binders.get(b.id, ())
        return (len(s) == 1 and type(s[0]) is _ast.ImportFrom and not s[0].level
                and s[0].module == "unittest" and any(
                    a.name == "TestCase" and (a.asname or a.name) == b.id for a in s[0].names))
    if type(b) is _ast.Attribute and type(b.value) is _ast.Name and b.attr == "TestCase":
        s = binders.get(b.value.id, ())
        return (len(s) == 1 and type(s[0]) is _ast.Import and any(
            (a.name == "unittest" and (a.asname or a.name) == b.value.id)
            or (a.name.startswith("unittest.") and not a.asname and b.value.id == "unittest")
            for a in s[0].names))
    return False


def _plain_class(node, lazy_annotations, binders, mark=None, at=0):
    """Can this top-level class statement do nothing but bind its name
    ("class": docs/python-functions.md, "Namespace changes")?  "tclass" if
    its base is unittest's TestCase (_unittest_base), "class" if it is a
    _builtin_base or none, else None; no decorators, keywords or type
    parameters, and a body of a docstring, `pass`, `NAME = literal` (no
    dunder) and methods with no decorators but _builtin_wrapper ones,
    literal defaults and annotations never evaluated.  One base at most: two may not agree on
    a layout or an order (`class E(OSError, UnicodeError)` fails).  Its
    methods' bodies are keys of their own.  With `mark` (the module's
    _MarkCheck, `at` the statement's position), a "class" whose methods
    may also have pytest marks alone, as a "mark" statement's (names the
    class body does not bind), is "mclass" ("mclass:M,N" with the
    standard-library modules they read, as "mark:M,N"): a pytest-style
    test class with parametrized methods, which selection takes in test
    modules only."""
    if (node.decorator_list or node.keywords or getattr(node, "type_params", None)
            or (node.name.startswith("__") and node.name.endswith("__")) or len(node.bases) > 1):
        return None
    kind = "class"
    if node.bases and not _builtin_base(node.bases[0], binders):
        if not _unittest_base(node.bases[0], binders):
            return None
        kind = "tclass"
    own = set()   # what the class body binds: a decorator name it shadows
    for st in node.body:
        if type(st) in _FUNCS:
            own.add(st.name)
        elif type(st) is _ast.Assign:
            own.update(t.id for t in st.targets if type(t) is _ast.Name)
    needs = None   # the methods' marks' modules, if any method has marks
    for i, st in enumerate(node.body):
        t = type(st)
        if t is _ast.Pass or (i == 0 and t is _ast.Expr and type(st.value) is _ast.Constant
                              and type(st.value.value) is str):
            continue
        if t is _ast.Assign:
            if not (len(st.targets) == 1 and type(st.targets[0]) is _ast.Name
                    and not st.targets[0].id.startswith("__") and _literal(st.value)):
                return None
            continue
        if (t not in _FUNCS or getattr(st, "type_params", None)
                or not _inert_signature(st, lazy_annotations)):
            return None
        if all(_builtin_wrapper(d, binders, own) for d in st.decorator_list):
            continue
        if kind != "class" or mark is None or not mark.marks_only(st, at, own):
            return None
        needs = (needs or set()) | mark.needs
    if needs is None:
        return kind
    return "mclass" + (":" + ",".join(sorted(needs)) if needs else "")


# Method decorators that only wrap the function in a descriptor (no code
# of the project's runs, nothing fails): `@staticmethod`, `@classmethod`,
# `@property`.
_WRAPPERS = frozenset(("staticmethod", "classmethod", "property"))


def _builtin_wrapper(d, binders, own):
    """Is the method decorator `d` one of _WRAPPERS, named by a builtin
    name that neither the module (no star import either) nor the class
    body binds?"""
    return (type(d) is _ast.Name and d.id in _WRAPPERS and d.id not in binders
            and "*" not in binders and d.id not in own)


def _def_mentions(s, ment):
    """Add the names a def statement evaluates (decorators, defaults,
    annotations) to the set `ment`."""
    for d in s.decorator_list:
        _mentions(d, ment)
    for d in s.args.defaults + [d for d in s.args.kw_defaults if d is not None]:
        _mentions(d, ment)
    a = s.args
    for x in a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]:
        if x.annotation is not None:
            _mentions(x.annotation, ment)
    if s.returns is not None:
        _mentions(s.returns, ment)


_NOT_LEAVES = frozenset(("__future__", "__main__", "builtins", "readline", "rlcompleter",
                         "site", "sitecustomize", "usercustomize", "this", "antigravity"))


# Calls a test module's mark arguments may make at import: standard-library
# queries that change no state ((module, function path)), and the values
# they may compare ((module, attribute)).  A query's arguments are
# constant values, other queries, or the module's `__file__`
# (`os.path.exists(os.path.join(os.path.dirname(__file__), "data.txt"))`;
# a path it stats is a dependency of the prelude, as any stat there).
_QUERIES = frozenset((("shutil", "which"), ("platform", "system"), ("platform", "machine"),
                      ("platform", "python_implementation"), ("platform", "python_version"),
                      ("os", "getenv"), ("os", "path.exists"), ("os", "path.isfile"),
                      ("os", "path.isdir"), ("os", "path.join"), ("os", "path.dirname"),
                      ("os", "path.basename")))
_STD_VALUES = frozenset((("sys", "platform"), ("sys", "version_info"), ("sys", "maxsize"),
                         ("sys", "byteorder"), ("os", "name"), ("os", "sep")))
# What else a mark argument may evaluate, from a standard-library module
# that every recorded session had loaded at its start-up (the statement's
# kind names it, "mark:M,N", and selection checks it against the
# "collector"'s "stdlib"): constants ((module, attribute path)) and the
# constructors of values that read and change no state (datetime's: a
# bad argument raises, which is a collection error of the module).
# Not decimal's: an operation records its signals in the thread's context.
_STD_CONSTANTS = frozenset((("math", "pi"), ("math", "e"), ("math", "tau"), ("math", "inf"),
                            ("math", "nan"), ("datetime", "timezone.utc"),
                            ("datetime", "MINYEAR"), ("datetime", "MAXYEAR")))
_STD_MAKERS = frozenset((("datetime", "timedelta"), ("datetime", "date"),
                         ("datetime", "datetime"), ("datetime", "time"),
                         ("datetime", "timezone"), ("pathlib", "Path"),
                         ("pathlib", "PurePath"), ("pathlib", "PurePosixPath")))
# Built-in types a mark argument may call by their builtin names (which no
# statement of the module binds, and no star import may shadow), with
# constant values, displays of them and other built-in types as arguments:
# the types' own code, which reads and changes no state (`tuple()`,
# `range(10)`, `frozenset([1, 2])`, `dict(type=(str, int))`).
_BUILTIN_MAKERS = frozenset(("tuple", "list", "dict", "set", "frozenset", "range", "int",
                             "float", "complex", "str", "bytes", "bool"))
# Methods of str and bytes a mark argument may call on a constant value
# (`sys.platform.startswith("win")`): the built-in types' own code, which
# reads and changes no state (on a value of another type the name is an
# AttributeError or another built-in type's method of no effect).
_VALUE_METHODS = frozenset(("startswith", "endswith", "lower", "upper", "casefold", "title",
                            "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines",
                            "partition", "rpartition", "replace", "join", "format", "count",
                            "find", "rfind", "isdigit", "isalpha", "isalnum", "isspace",
                            "removeprefix", "removesuffix", "zfill", "center", "ljust",
                            "rjust"))
# (not encode and decode: a codec's name is looked up by every search
# function registered, which a project may have registered)


class _MarkCheck:
    """Is a top-level def a test function whose decorators are pytest marks
    that do nothing at import but make marks ("mark", docs/python-functions.md,
    "Test modules")?  Every name its decorators evaluate is bound by one
    earlier top-level statement (or is a builtin the module never binds);
    calls are `pytest.param`, `pytest.mark.X(...)`, the standard-library
    queries of _QUERIES and the makers of const(); operators, comparisons
    and methods apply to const() values only (no operator of a project
    object runs)."""

    def __init__(self, body, binders, kinds=None):
        self.body = body
        self.pos = {id(x): k for k, x in enumerate(body)}
        self.binders = binders
        self.at = 0
        self.needs = set()   # modules of _STD_CONSTANTS and _STD_MAKERS read
        # the kinds of the statements before `at` (_stmts fills it as it
        # goes), and per constant assignment its verdict: (ok, needs)
        self.kinds = [] if kinds is None else kinds
        self.consts = {}
        self.docstring = False   # statement 0 is the module docstring

    def quiet(self, lo, hi, needs):
        """Do the statements between positions lo and hi (both excluded)
        run no code of the project's, so that none can rebind a name of
        the module?  Those that bind only (plain kinds), marks, imports of
        loaded modules (start-up ones and leaf from-imports: their modules
        go to `needs`, which selection checks were the standard library's
        at every session's start-up), the module docstring."""
        for j in range(lo + 1, hi):
            if j >= len(self.kinds):
                return False
            k = self.kinds[j]
            if k in ("def", "wrap", "class", "tclass", "assign") or k.startswith(
                    ("mark", "mclass", "import:", "ann:", "derive")):
                continue
            if k.startswith("stdimport:"):
                # (pytest itself is loaded in every pytest session)
                needs.update(m for m in k[10:].split(",") if m != "pytest")
            elif k.startswith("from:"):
                needs.add(k[5:])
            elif j == 0 and k in ("doc", "other") and self.docstring:
                continue
            else:
                ok, more = self.assigned(j, 0)
                if not ok:
                    return False
                needs.update(more)
        return True

    def assigned(self, at, depth):
        """(ok, needs) of the statement at `at`: is it `A [= B] = value`
        with names as its targets and a value of const()?  Memoized."""
        got = self.consts.get(at)
        if got is None:
            s = self.body[at]
            if type(s) is not _ast.Assign or any(type(t) is not _ast.Name for t in s.targets):
                got = (False, set())
            else:
                outer, self.at, self.needs = (self.at, self.needs), at, set()
                try:
                    got = (self.const(s.value, depth + 1), self.needs)
                finally:
                    self.at, self.needs = outer
            self.consts[at] = got
        return got

    def named(self, e, depth):
        """Is name `e` bound by one earlier top-level `A [= B] = value`
        only (no other statement, no `global`), with a value of const(),
        and no statement between that and the one read runs project code?
        Then it holds that value where the marks read it."""
        b = self.binders.get(e.id, ())
        if len(b) != 1 or self.pos.get(id(b[0]), self.at) >= self.at:
            return False
        at = self.pos[id(b[0])]
        got = self.assigned(at, depth)
        needs = set(got[1])
        if not got[0] or not self.quiet(at, self.at, needs):
            return False
        self.needs |= needs
        return True

    def std(self, e, table):
        """Is `e` `M.a[.b]` (M bound by one earlier `import M`) or a name
        bound by one earlier `from M import a [as x]`, with (M, "a[.b]") in
        `table`?  Then M joins self.needs."""
        if type(e) is _ast.Name:
            b = self.binders.get(e.id, ())
            if (len(b) != 1 or type(b[0]) is not _ast.ImportFrom or b[0].level
                    or self.pos[id(b[0])] >= self.at):
                return False
            hit = [a.name for a in b[0].names if (a.asname or a.name) == e.id]
            key = (b[0].module, hit[0]) if hit else None
        else:
            c = self.chain(e)
            key = (c[0], ".".join(c[1])) if c else None
        if key is None or key not in table:
            return False
        self.needs.add(key[0])
        return True

    def const(self, e, depth=0):
        """Is `e` a value made of constants by built-in code alone, which
        changes no state (a failure is a collection error): a constant, a
        _STD_VALUES or _STD_CONSTANTS value, a value of _STD_MAKERS or
        _BUILTIN_MAKERS made of such, a name named() binds to one, and
        unary and binary operators, comparisons, f-strings, indexing and
        _VALUE_METHODS over them (`-1.3`, `10 ** 3`, `-math.inf`,
        `dt.timedelta(hours=1) * 2`, `f"{1:>3}"`, `sys.version_info[:2]`)?
        No other name the module binds is read, so no operator of a
        project object runs."""
        t = type(e)
        if depth > _MAX_DEPTH:
            return False
        if t is _ast.Constant:
            return True
        if t is _ast.UnaryOp:
            return self.const(e.operand, depth + 1)
        if t is _ast.BinOp:
            return self.const(e.left, depth + 1) and self.const(e.right, depth + 1)
        if t is _ast.Compare:
            return self.const(e.left, depth + 1) and all(
                self.const(x, depth + 1) for x in e.comparators)
        if t is _ast.JoinedStr:
            return all(self.const(x, depth + 1) for x in e.values)
        if t is _ast.FormattedValue:
            return self.const(e.value, depth + 1) and (
                e.format_spec is None or self.const(e.format_spec, depth + 1))
        if t is _ast.Subscript:
            # indexing or slicing a constant value (`sys.version_info[:2]`)
            sl = e.slice
            if type(sl) is _ast.Slice:
                parts = [x for x in (sl.lower, sl.upper, sl.step) if x is not None]
            else:
                parts = [sl.value if type(sl) is getattr(_ast, "Index", ()) else sl]   # (3.8: an ast.Index)
            return self.const(e.value, depth + 1) and all(self.const(x, depth + 1) for x in parts)
        if t is _ast.Call:
            f = e.func
            if self.builtin(f, _BUILTIN_MAKERS):
                if f.id in ("str", "bytes") and (len(e.args) > 1 or e.keywords):
                    return False   # an encoding's name: a codec lookup (see below)
                arg = self.data
            elif self.std(f, _STD_MAKERS):
                arg = self.const
            elif (type(f) is _ast.Attribute and f.attr in _VALUE_METHODS
                  and self.const(f.value, depth + 1)):
                arg = self.data
            else:
                return False
            return (all(type(a) is not _ast.Starred and arg(a, depth + 1) for a in e.args)
                    and all(k.arg is not None and arg(k.value, depth + 1) for k in e.keywords))
        if t is _ast.Name and self.named(e, depth):
            return True
        if t is _ast.Attribute:
            c = self.chain(e)
            if c is not None and len(c[1]) == 1 and (c[0], c[1][0]) in _STD_VALUES:
                return True   # sys.platform, ...: sys and os are every session's
        return t in (_ast.Attribute, _ast.Name) and self.std(e, _STD_CONSTANTS)

    def builtin(self, e, names):
        """Is `e` a builtin name of `names` that no statement binds (nor a
        star import or a namespace write may shadow)?"""
        if type(e) is not _ast.Name or e.id not in names:
            return False
        import builtins
        return not self.binders.get(e.id) and "*" not in self.binders and hasattr(builtins, e.id)

    def data(self, e, depth=0):
        """const(), or a tuple, list, set or dict display of data(), or a
        built-in type by its builtin name: what a built-in maker may be
        given (iterating a display runs no code of anyone's)."""
        t = type(e)
        if depth > _MAX_DEPTH:
            return False
        if t in (_ast.Tuple, _ast.List, _ast.Set):
            return all(type(x) is not _ast.Starred and self.data(x, depth + 1) for x in e.elts)
        if t is _ast.Dict:
            return all(k is not None and self.data(k, depth + 1) and self.data(v, depth + 1)
                       for k, v in zip(e.keys, e.values))
        return self.builtin(e, _BUILTIN_MAKERS) or self.const(e, depth)

    def module(self, name):
        """The module `name` is bound to by one earlier `import M`, or None."""
        b = self.binders.get(name, ())
        if len(b) != 1 or type(b[0]) is not _ast.Import or self.pos[id(b[0])] >= self.at:
            return None
        for a in b[0].names:
            if (a.asname or a.name) == name and "." not in a.name:
                return a.name
        return None

    def chain(self, e):
        """(module, [attributes]) of `M.a.b` with M an imported module, or None."""
        attrs = []
        while type(e) is _ast.Attribute:
            attrs.append(e.attr)
            e = e.value
        if type(e) is not _ast.Name or not attrs:
            return None
        mod = self.module(e.id)
        return (mod, attrs[::-1]) if mod else None

    def is_mark(self, e):
        c = self.chain(e)
        return c is not None and c[0] == "pytest" and len(c[1]) == 2 and c[1][0] == "mark"

    def call_ok(self, e, inert):
        if any(type(a) is _ast.Starred or not inert(a) for a in e.args):
            return False
        if any(k.arg is None or not inert(k.value) for k in e.keywords):
            return False
        return True

    def query(self, e):
        if type(e) is not _ast.Call:
            return False
        c = self.chain(e.func)
        return (c is not None and (c[0], ".".join(c[1])) in _QUERIES
                and self.call_ok(e, lambda a: self.const(a) or self.query(a) or (
                    type(a) is _ast.Name and a.id == "__file__"
                    and "__file__" not in self.binders and "*" not in self.binders)))

    def value(self, e):
        t = type(e)
        if t is _ast.Constant:
            return True
        if t is _ast.Tuple:
            return all(type(x) is _ast.Constant for x in e.elts)
        if t is _ast.Attribute:
            c = self.chain(e)
            if c is not None and len(c[1]) == 1 and (c[0], c[1][0]) in _STD_VALUES:
                return True
        return self.query(e) or self.const(e)

    def cond(self, e):
        t = type(e)
        if t is _ast.Compare:
            return self.value(e.left) and all(self.value(x) for x in e.comparators)
        if t is _ast.BoolOp:
            return all(self.cond(x) for x in e.values)
        if t is _ast.UnaryOp and type(e.op) is _ast.Not:
            return self.cond(e.operand)
        return self.value(e)

    def name(self, n):
        b = self.binders.get(n)
        if not b:
            # a builtin, unless a star import or a namespace write may shadow it
            import builtins
            return "*" not in self.binders and hasattr(builtins, n)
        # one earlier top-level statement, of any kind (`try: ... X = 1
        # except E: X = 2`): loading a module's global runs no code, and a
        # name left unbound is a NameError, a collection error of the module
        # (not a body's `global`: _REBOUND is in no position)
        return len(b) == 1 and self.pos.get(id(b[0]), self.at) < self.at

    def inert(self, e):
        t = type(e)
        if t is _ast.Constant:
            return True
        if t is _ast.Name:
            return self.name(e.id)
        if t in (_ast.Tuple, _ast.List, _ast.Set):
            return all(type(x) is not _ast.Starred and self.inert(x) for x in e.elts)
        if t is _ast.Dict:
            return all(k is not None and self.inert(k) and self.inert(v)
                       for k, v in zip(e.keys, e.values))
        if t is _ast.Call:
            c = self.chain(e.func)
            if c is not None and c[0] == "pytest" and (c[1] == ["param"] or self.is_mark(e.func)):
                return self.call_ok(e, self.inert)
            return self.value(e)
        if t is _ast.Attribute:
            return self.is_mark(e) or self.value(e)
        if t is _ast.Lambda:
            # made, not run (its body is the statement's text, and runs in
            # the test that calls it); defaults are evaluated now
            a = e.args
            return all(self.const(d) for d in a.defaults + [d for d in a.kw_defaults if d])
        return self.cond(e)

    def marks_only(self, node, at, own):
        """Are the decorators of method `node` of a class at position `at`
        pytest marks alone, as __call__ asks of a test function's, naming
        nothing that the class body binds (`own`: there the name would be
        the class's)?  self.needs: the modules they read."""
        self.at = at
        self.needs = set()
        names = set()
        for d in node.decorator_list:
            _mentions(d, names)
        if names & own or not node.decorator_list:
            return False
        return all(self.is_mark(d) or (type(d) is _ast.Call and self.is_mark(d.func)
                                       and self.call_ok(d, self.inert))
                   for d in node.decorator_list)

    def __call__(self, node, at, lazy):
        self.at = at
        self.needs = set()
        if not node.decorator_list or getattr(node, "type_params", None):
            return False
        if node.name.startswith("__") and node.name.endswith("__"):
            return False
        for d in node.decorator_list:
            if self.is_mark(d):
                continue
            if not (type(d) is _ast.Call and self.is_mark(d.func) and self.call_ok(d, self.inert)):
                return False
        return _inert_def(node, lazy, {}, marks=True)


def _leaf_stdlib(mod):
    """Is `mod` a standard-library module that is no package?  Then `from
    mod import a` loads no submodule, and dropping `a` unloads nothing."""
    if not mod or "." in mod or mod in _NOT_LEAVES:
        return False
    if mod in sys.builtin_module_names:
        return True
    if mod not in getattr(sys, "stdlib_module_names", ()):
        return False
    import os
    return not os.path.isdir(os.path.join(os.path.dirname(os.__file__), mod))


def _std_top(mod):
    """Is `mod` a top-level standard-library module (a package too), or
    pytest?  `import mod` of one that is loaded already only binds its name:
    selection checks that every recorded session had it loaded at start-up
    ("stdimport:")."""
    if not mod or "." in mod or mod in _NOT_LEAVES:
        return False
    return (mod == "pytest" or mod in sys.builtin_module_names
            or mod in getattr(sys, "stdlib_module_names", ()))


def _lazy_annotations(tree):
    """Does the module postpone its annotations (PEP 563)?"""
    return any(type(s) is _ast.ImportFrom and s.module == "__future__"
               and any(a.name == "annotations" for a in s.names) for s in tree.body)


# Standard-library modules that are no package and that every pytest
# session has imported before it imports the project's code: the
# interpreter's own start-up with `site` (os, stat, posixpath, ...) and
# pytest's own imports in every version this adapter supports.
_PRELOADED = frozenset((
    "abc", "codecs", "genericpath", "io", "os", "posixpath", "stat", "sys", "time",
    "argparse", "ast", "contextlib", "dis", "enum", "fnmatch", "functools", "gettext",
    "inspect", "itertools", "keyword", "linecache", "operator", "pprint", "shlex", "shutil",
    "tempfile", "textwrap", "token", "tokenize", "traceback", "types", "typing",
    "warnings", "weakref"))


def _preloaded_import(s):
    """`import M [as a], ...` of _PRELOADED modules only: the names bound."""
    bind = []
    for a in s.names:
        if a.name not in _PRELOADED or not _leaf_stdlib(a.name):
            return None
        bind.append(a.asname or a.name)
    return bind


# What a plain assignment's value may be built of: constants (str, bytes,
# int, float, complex, bool, None, Ellipsis: what _ast.Constant holds), and
# the numbers unary minus and plus apply to (never `-"x"`, a TypeError).
_NUMBERS = (int, float, complex)
# Nesting deeper than this is no plain value (no recursion limit to reach).
_MAX_DEPTH = 64


def _signed(e):
    return (type(e.op) in (_ast.USub, _ast.UAdd) and type(e.operand) is _ast.Constant
            and type(e.operand.value) in _NUMBERS)


def _plain_value(e, depth=0, key=False):
    """Does evaluating `e` only build a value out of constants: no name
    read, no call, no operator that can fail or allocate without bound
    (`"x" * 10**12`)?  Constants, unary minus and plus of numbers, tuple,
    list, set and dict displays of such (no starred items, no `**`), set
    items and dict keys hashable (`key`: a constant, a signed number or a
    tuple of such, whose hash cannot fail or run code).  Building one
    runs no code of anyone's: the displays call no `__hash__` or `__eq__`
    but those of built-in constants, and their size is the source's."""
    t = type(e)
    if depth > _MAX_DEPTH:
        return False
    if t is _ast.Constant:
        return True
    if t is _ast.UnaryOp:
        return _signed(e)
    if t is _ast.Tuple or (t is _ast.List and not key):
        return all(type(x) is not _ast.Starred and _plain_value(x, depth + 1, key)
                   for x in e.elts)
    if key:
        return False
    if t is _ast.Set:
        return all(_plain_value(x, depth + 1, True) for x in e.elts)
    if t is _ast.Dict:
        return all(k is not None and _plain_value(k, depth + 1, True)
                   and _plain_value(v, depth + 1) for k, v in zip(e.keys, e.values))
    return False


def is_dunder(name):
    """The recorder's test of a dunder (an older recorder noted no read of
    one): "__" and "___" too."""
    return name[:2] == "__" and name[-2:] == "__"


# Dunders of a module that the recorder does not note reads of, and that no
# plain assignment may bind (docs/python-functions.md, "Namespace changes",
# "Dunders"): those the interpreter, the import system, warnings, pickle,
# doctest or pytest read of every module or read from its dict directly
# (not through the module's type: no read to note), and a module's own
# hooks (`__getattr__`, `__dir__`).  Drawn up from CPython 3.6 to 3.13
# (DUNDERS_CHECKED: the recorder notes dunder reads only up to it, so a
# newer interpreter's new implicit dunder cannot be missed).  Not
# `__all__`: only a star import reads it, through the module's type
# (import_all_from's attribute lookup; importlib's _handle_fromlist for a
# package), so the recorder notes it, beside the marker "@+__2" (an older
# recorder left it out: selection keeps every importer for those).
UNNOTED_DUNDERS = frozenset((
    "__name__", "__qualname__", "__module__", "__doc__", "__file__", "__cached__",
    "__loader__", "__spec__", "__package__", "__path__", "__builtins__",
    "__getattr__", "__dir__", "__dict__", "__class__", "__annotations__", "__annotate__",
    "__conditional_annotations__", "__warningregistry__", "__lazy_modules__", "__test__",
    "__wrapped__", "__debug__", "__slots__", "__weakref__", "__init__", "__new__",
    "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__", "__orig_bases__",
    "__mro_entries__", "__class_getitem__", "__init_subclass__", "__set_name__",
    "__getattribute__", "__setattr__", "__delattr__", "__path_hooks__",
    "__firstlineno__", "__static_attributes__", "__type_params__",
    # read of every module by issubclass() and isinstance() fallbacks
    # (abstract_get_bases: pytest's collection asks it of each module)
    "__bases__", "__mro__"))
DUNDERS_CHECKED = (3, 13)


def _bindable(name):
    """May a plain assignment bind `name`: no dunder, or one the recorder
    notes the reads of (not in UNNOTED_DUNDERS)?"""
    return not is_dunder(name) or name not in UNNOTED_DUNDERS


def _targets(s, binders):
    """The names assignment `s` binds, or None: every target a name
    _bindable, bound by this statement only (no other top-level
    statement, no `global` of it in a function or class body: _stmts adds
    those to `binders`)."""
    names = []
    for t in s.targets:
        if type(t) is not _ast.Name or not _bindable(t.id):
            return None
        if len(binders.get(t.id, ())) != 1 or t.id in names:
            return None
        names.append(t.id)
    return names


# The newest interpreter whose treatment of a postponed module annotation
# (PEP 563: `A: T = v` stores the string of T into the module's
# __annotations__, made eagerly) _ann_one was checked against.
_ANN_CHECKED = (3, 13)


def _module_anns(body):
    """The annotated assignments of the module's own code (`body`, its
    compound statements included, not function or class bodies), each of
    which writes the module's __annotations__."""
    out = []
    todo = list(body)
    while todo:
        n = todo.pop()
        t = type(n)
        if t is _ast.AnnAssign:
            out.append(n)
        elif t not in (_FUNCS + (_ast.ClassDef, _ast.Lambda)) and isinstance(n, _ast.AST):
            for f in n._fields:
                v = getattr(n, f, None)
                if isinstance(v, list):
                    todo.extend(x for x in v if isinstance(x, _ast.stmt) or type(x) in (
                        _ast.ExceptHandler, getattr(_ast, "match_case", _ast.ExceptHandler)))
    return out


def _ann_one(s, binders, lazy):
    """The kind and names of annotated assignment `s` taken alone, or None:
    `A: T = value` in a module that postpones its annotations (`lazy`: T
    is never evaluated, the statement stores its text in
    __annotations__), a simple name target as for _targets, and no
    statement binding __annotations__.  Its value must be a _plain_value
    (the kind as returned) or a _derived_value (_stmts appends its kind:
    "ann:<digest>:derive"); _stmts checks that."""
    if (not lazy or sys.version_info[:2] > _ANN_CHECKED or not s.simple or s.value is None
            or type(s.target) is not _ast.Name or "__annotations__" in binders):
        return None
    t = s.target.id
    if not _bindable(t) or len(binders.get(t, ())) != 1:
        return None
    return "ann:" + _digest(_text(s.annotation)), [t]


def _anns_plain(body, binders, lazy):
    """Is every annotated assignment of the module's code (_module_anns)
    a statement of `body`, the top level, and _ann_one?  Only then, and
    if each one's value is plain or derived, is a statement "ann:"
    (_stmts): selection asks that the sequence of these annotations and
    names be the same in both versions (the __annotations__ dict is), so
    that only the names' values can differ."""
    top = set(map(id, body))
    return all(id(a) in top and _ann_one(a, binders, lazy) for a in _module_anns(body))


def _plain_assign(s, binders):
    """The names a plain assignment binds ("assign"), or None: `A = value`
    or `A = B = value`, _targets, and a _plain_value.  The statement
    cannot fail and does nothing but bind those names to a fresh value,
    which depends on no name: whatever else rebinds the name later (a
    star import, which binds the other module's names; a write through
    globals(), which mentions "*", which selection sees) changes no reader
    of it but through the name itself."""
    if not _plain_value(s.value):
        return None
    return _targets(s, binders)


# A derived value ("derive", docs/python-functions.md, "Derived values"):
# built of constants, of the names earlier plain or derived assignments
# bind, and of calls of builtins whose result on such values is fixed by
# the values alone and which call no code but the built-in types' own.
# The tool evaluates it (_Derive), so a statement it calls "derive" does
# not fail on the values of now.  Sizes are bounded: no string longer
# than _MAX_STR, no int with more digits than _MAX_DIGITS (below the
# lowest limit sys.set_int_max_str_digits() accepts, 640: str(int) and
# int(str) cannot then fail in any session).
_MAX_STR = 1 << 16
_MAX_DIGITS = 600
_SCALARS = (str, int, float, bool, type(None))
_INT_BOUND = 10 ** _MAX_DIGITS


class _NotDerived(Exception):
    pass


def _put(out, piece, size):
    """Append `piece` to `out`, the text built so far, of length `size`:
    its new length, or _NotDerived past _MAX_STR (bounded as it grows, not
    once the whole text is made)."""
    size += len(piece)
    if size > _MAX_STR:
        raise _NotDerived()
    out.append(piece)
    return size


class _Map:
    """map(f, values), applied: a one-shot iterator in the program, so
    only an argument of join(), tuple() or list(), never a value."""
    def __init__(self, items):
        self.items = items


def _hashable(v):
    t = type(v)
    if t is tuple:
        return all(_hashable(x) for x in v)
    return t in _SCALARS or t in (bytes, complex) or v is Ellipsis


class _Regex:
    """A pattern re.compile() made (_Derive.regex): opaque to every other
    rule (no scalar, no item, no key), so only a name or a display holds it."""
    def __init__(self, pattern, flags):
        self.pattern, self.flags = pattern, flags


# The flags a derived re.compile() may name (re.X, re.VERBOSE, ...): each
# changes only how the pattern compiles.  Not DEBUG (it prints), LOCALE
# (the session's locale decides) or TEMPLATE (gone in 3.13).
_RE_FLAGS = frozenset(("A", "ASCII", "I", "IGNORECASE", "M", "MULTILINE", "S", "DOTALL",
                       "U", "UNICODE", "X", "VERBOSE", "NOFLAG"))


class _Derive:
    """Evaluates a derived value over `env` ({name: value} of the earlier
    plain and derived assignments), with `builtin(name)` telling whether a
    name is the builtin of its name (bound by no statement of the
    module), and `stdmod(name)` whether it is the standard-library module
    of its name (bound only by `import name`; only `re` is asked).
    __call__ returns (value, names mentioned), or raises _NotDerived;
    `regex` is then true if the value compiled a pattern (the tool's
    interpreter decided that it compiles: selection asks that the tests
    ran with the same standard library)."""

    def __init__(self, env, builtin, stdmod=lambda n: False, funcs=None):
        self.env = env
        self.builtin = builtin
        self.stdmod = stdmod
        self.local = {}   # a comprehension's variables, a function's bound locals
        self.localnames = frozenset()   # every local name of the function run
        # {name: (def node, its body)}: the module's earlier plain functions
        # a value may call (_Derive.invoke)
        self.funcs = funcs or {}
        self.called = []   # the names of those a value called, in order
        self.steps = 0

    def __call__(self, e):
        self.used = set()
        self.regex = False
        v = self.value(e, 0)
        if type(v) is _Map:
            raise _NotDerived()
        return v, self.used

    def truth(self, v):
        """bool(v) of a derived value: the built-in types' own truth."""
        if type(v) not in _SCALARS and type(v) not in (tuple, list, dict, set, bytes):
            raise _NotDerived()
        return bool(v)

    def compare(self, e, depth):
        """`a OP b [OP c ...]`, OP ==, !=, <, <=, >, >=, in, not in, of
        derived scalars and containers of them: the built-in types' own
        comparisons (an order between types that have none is a TypeError:
        no derived value).  Not `is`: identity depends on how a value was
        made."""
        left = self.value(e.left, depth + 1)
        for op, c in zip(e.ops, e.comparators):
            right = self.value(c, depth + 1)
            for v in (left, right):
                if not _comparable(v):
                    raise _NotDerived()
            f = _COMPARE.get(type(op))
            if f is None:
                raise _NotDerived()
            if not f(left, right):
                return False
            left = right
        return True

    def invoke(self, node, body, args, depth):
        """The value a call of the module's plain function `node` (its
        body `body`, as written) returns for `args`, run here statement
        by statement: only a docstring, `pass`, `name = value`, `name +=
        value` of a str, bytes or tuple, `if`/`elif`/`else`, `assert` and
        `return`, each value a derived one over the parameters, the locals
        bound so far and the module's derived names; no other statement
        anywhere in the body (no loop, no `global`, no nested def), and no
        walrus, lambda, yield or await.  A false `assert`, a local read
        before it is bound, or any other shape: no derived value."""
        a = node.args
        if (type(node) is not _ast.FunctionDef or node.decorator_list or a.vararg or a.kwarg
                or a.kwonlyargs or a.defaults or len(a.posonlyargs) + len(a.args) != len(args)
                or depth > _MAX_DEPTH or len(self.called) > _MAX_CALLS):
            raise _NotDerived()
        if any(type(v) in (_Map, _Regex) for v in args):
            raise _NotDerived()
        params = [x.arg for x in a.posonlyargs + a.args]
        names = set(params)
        doc = bool(body) and type(body[0]) is _ast.Expr and type(body[0].value) is _ast.Constant
        for st in body[doc:]:
            _run_names(st, names)
        saved = self.local, self.localnames
        self.local, self.localnames = dict(zip(params, args)), frozenset(names)
        try:
            done, v = self.block(body[doc:], depth)
        finally:
            self.local, self.localnames = saved
        return v if done else None

    def block(self, stmts, depth):
        for st in stmts:
            self.steps += 1
            if self.steps > _MAX_STEPS:
                raise _NotDerived()
            t = type(st)
            if t is _ast.Return:
                v = None if st.value is None else self.value(st.value, depth + 1)
                if type(v) is _Map:
                    raise _NotDerived()
                return True, v
            if t is _ast.Assign:
                v = self.value(st.value, depth + 1)
                if type(v) is _Map:
                    raise _NotDerived()
                self.local[st.targets[0].id] = v
            elif t is _ast.AugAssign:
                n = st.target.id
                if n not in self.local or type(self.local[n]) not in (str, bytes, tuple):
                    raise _NotDerived()   # (a list's += extends it in place)
                self.local[n] = self.concat(self.local[n], self.value(st.value, depth + 1))
            elif t is _ast.If:
                done, v = self.block(st.body if self.truth(self.value(st.test, depth + 1))
                                     else st.orelse, depth)
                if done:
                    return done, v
            elif t is _ast.Assert:
                if not self.truth(self.value(st.test, depth + 1)):
                    raise _NotDerived()   # the import would fail
            elif t is not _ast.Pass:
                raise _NotDerived()
        return False, None

    def scalar_str(self, v):
        if type(v) not in _SCALARS or (type(v) is int and not -_INT_BOUND < v < _INT_BOUND):
            raise _NotDerived()
        out = str(v)
        if len(out) > _MAX_STR:
            raise _NotDerived()
        return out

    def items(self, v):
        if type(v) is _Map:
            return v.items
        if type(v) in (tuple, list):
            return list(v)
        raise _NotDerived()

    def value(self, e, depth):
        t = type(e)
        if depth > _MAX_DEPTH:
            raise _NotDerived()
        if t is _ast.Constant:
            if type(e.value) is str and len(e.value) > _MAX_STR:
                raise _NotDerived()
            return e.value
        if t is _ast.UnaryOp:
            if type(e.op) is _ast.Not:
                return not self.truth(self.value(e.operand, depth + 1))
            if not _signed(e):
                raise _NotDerived()
            return -e.operand.value if type(e.op) is _ast.USub else +e.operand.value
        if t is _ast.Name:
            if e.id in self.local:
                return self.local[e.id]
            if e.id in self.localnames or e.id not in self.env:
                raise _NotDerived()   # (a local not bound yet: UnboundLocalError)
            self.used.add(e.id)
            return self.env[e.id]
        if t in (_ast.GeneratorExp, _ast.ListComp):
            return self.comprehension(e, depth)
        if t in (_ast.Tuple, _ast.List):
            out = []
            for x in e.elts:
                if type(x) is _ast.Starred:
                    raise _NotDerived()
                v = self.value(x, depth + 1)
                if type(v) is _Map:
                    raise _NotDerived()
                out.append(v)
            return tuple(out) if t is _ast.Tuple else out
        if t is _ast.Set or t is _ast.Dict:
            keys = e.elts if t is _ast.Set else e.keys
            ks = []
            for k in keys:
                if k is None or type(k) is _ast.Starred:
                    raise _NotDerived()
                kv = self.value(k, depth + 1)
                if not _hashable(kv):
                    raise _NotDerived()
                ks.append(kv)
            if t is _ast.Set:
                return set(ks)
            vs = [self.value(v, depth + 1) for v in e.values]
            if any(type(v) is _Map for v in vs):
                raise _NotDerived()
            return dict(zip(ks, vs))
        if t is _ast.JoinedStr:
            return self.fstring(e, depth)
        if t is _ast.Call:
            return self.call(e, depth)
        if t is _ast.Subscript:
            return self.subscript(e, depth)
        if t is _ast.BinOp and type(e.op) is _ast.Add:
            return self.concat(self.value(e.left, depth + 1), self.value(e.right, depth + 1))
        if t is _ast.BinOp and type(e.op) is _ast.Mod:
            return self.percent(self.value(e.left, depth + 1), self.value(e.right, depth + 1))
        if t is _ast.Compare:
            return self.compare(e, depth)
        if t is _ast.IfExp:
            return self.value(e.body if self.truth(self.value(e.test, depth + 1)) else e.orelse,
                              depth + 1)
        if t is _ast.BoolOp:
            # `a and b`, `a or b`: an operand's own value, as Python gives it
            for x in e.values[:-1]:
                v = self.value(x, depth + 1)
                if self.truth(v) is (type(e.op) is _ast.Or):
                    return v
            return self.value(e.values[-1], depth + 1)
        raise _NotDerived()

    def subscript(self, e, depth):
        """`T[i]` of a derived tuple, list or str with an int index in
        range, `T[a:b]` (`T[a:b:c]`, c not 0) with int or missing bounds,
        or `D[k]` of a derived dict with a hashable key it holds: the
        built-in types' own item lookup, which runs no code (a dict's
        keys are scalars and tuples of them) and cannot fail on these."""
        v = self.value(e.value, depth + 1)
        tv = type(v)
        if tv not in (tuple, list, str, dict):
            raise _NotDerived()
        s = e.slice
        if type(s) is _ast.Slice:
            if tv is dict:
                raise _NotDerived()
            parts = [None if x is None else self.value(x, depth + 1) for x in (s.lower, s.upper, s.step)]
            if any(x is not None and type(x) is not int for x in parts) or parts[2] == 0:
                raise _NotDerived()
            return v[parts[0]:parts[1]:parts[2]]
        k = self.value(s, depth + 1)
        if tv is dict:
            if not _hashable(k) or k not in v:
                raise _NotDerived()
            return v[k]
        if type(k) is not int or not -len(v) <= k < len(v):
            raise _NotDerived()
        return v[k]

    def concat(self, a, b):
        """`a + b` of two derived str, bytes, tuples or lists of one type:
        the built-in type's own concatenation, bounded."""
        if type(a) is not type(b) or type(a) not in (str, bytes, tuple, list):
            raise _NotDerived()
        if len(a) + len(b) > _MAX_STR:
            raise _NotDerived()
        return a + b

    def percent(self, fmt, args):
        """`fmt % args` of a derived str whose conversions are only `%s`,
        `%d`, `%i` and `%%` (no mapping key, flag, width or precision:
        `%*d` and `%9999999d` allocate without bound), over a scalar or a
        tuple of scalars, one per conversion: `%s` of a scalar is its
        str(), `%d` of an int or bool its decimal digits (never a float,
        which it would truncate).  Evaluated here by those rules; any
        other shape, or a count that does not match (a TypeError at
        import), is no derived value."""
        if type(fmt) is not str:
            raise _NotDerived()
        items = list(args) if type(args) is tuple else [args]
        out, i, n, size = [], 0, 0, 0
        while i < len(fmt):
            c = fmt[i]
            if c != "%":
                size = _put(out, c, size)
                i += 1
                continue
            conv = fmt[i + 1] if i + 1 < len(fmt) else ""
            i += 2
            if conv == "%":
                size = _put(out, "%", size)
                continue
            if conv not in ("s", "d", "i") or n >= len(items):
                raise _NotDerived()
            v = items[n]
            n += 1
            if conv == "s":
                size = _put(out, self.scalar_str(v), size)
            elif type(v) in (int, bool):
                size = _put(out, self.scalar_str(int(v)), size)
            else:
                raise _NotDerived()
        if n != len(items):
            raise _NotDerived()
        return "".join(out)

    def fstring(self, e, depth):
        out, size = [], 0
        for part in e.values:
            if type(part) is _ast.Constant:
                size = _put(out, part.value, size)
                continue
            # a FormattedValue without a format spec: format(v, "") of a
            # scalar is str(v); a conversion (!s, !r, !a) of one is its
            # built-in repr or str
            if type(part) is not _ast.FormattedValue or part.format_spec is not None:
                raise _NotDerived()
            v = self.value(part.value, depth + 1)
            if type(v) not in _SCALARS:
                raise _NotDerived()
            s = self.scalar_str(v)
            if part.conversion in (ord("r"), ord("a")):
                s = repr(v) if part.conversion == ord("r") else ascii(v)
            elif part.conversion not in (-1, ord("s")):
                raise _NotDerived()
            size = _put(out, s, size)
        return "".join(out)

    def comprehension(self, e, depth):
        """`(ELT for X in ITER)` or `[ELT for X in ITER]`: one `for`, no
        condition, X a plain name, ITER a derived tuple or list (or map):
        ELT is evaluated once per item with X bound to it.  X lives in the
        comprehension's own scope (no name of the module: not `used`);
        every other name of ELT is the module's, as at import.  A
        generator is a one-shot iterator: only an argument of join(),
        tuple() or list() (_Map)."""
        if len(e.generators) != 1:
            raise _NotDerived()
        g = e.generators[0]
        if g.ifs or g.is_async or type(g.target) is not _ast.Name:
            raise _NotDerived()
        items = self.items(self.value(g.iter, depth + 1))
        if len(items) > _MAX_STR:
            raise _NotDerived()
        out, saved = [], self.local
        try:
            for x in items:
                self.local = dict(saved)
                self.local[g.target.id] = x
                v = self.value(e.elt, depth + 1)
                if type(v) is _Map:
                    raise _NotDerived()
                out.append(v)
        finally:
            self.local = saved
        return _Map(out) if type(e) is _ast.GeneratorExp else out

    def call(self, e, depth):
        f = e.func
        if (type(f) is _ast.Attribute and f.attr in _STR_METHODS and not e.keywords
                and not any(type(a) is _ast.Starred for a in e.args)):
            # a method of a derived str: the built-in type's own
            recv = self.value(f.value, depth + 1)
            if type(recv) is not str:
                raise _NotDerived()
            if f.attr == "join" and len(e.args) == 1:
                return self.join(recv, self.value(e.args[0], depth + 1))
            return self.str_method(recv, f.attr, [self.value(a, depth + 1) for a in e.args])
        # a comprehension's variable that shadows what is called (`re`,
        # `str`, map's `str`): not the module's name or the builtin
        base = f.value if type(f) is _ast.Attribute else f
        if (type(base) is _ast.Name and (base.id in self.local or base.id in self.localnames)) or any(
                type(a) is _ast.Name and a.id in self.local and a.id in ("str", "int")
                for a in e.args[:1]):
            raise _NotDerived()
        if (type(f) is _ast.Attribute and f.attr == "compile" and type(f.value) is _ast.Name
                and f.value.id == "re" and self.stdmod("re")):
            return self.compile(e, depth)
        if (type(f) is _ast.Attribute and f.attr == "format" and type(f.value) is _ast.Constant
                and type(f.value.value) is str and not e.keywords):
            return self.format(f.value.value, e.args, depth)
        if e.keywords or any(type(a) is _ast.Starred for a in e.args):
            raise _NotDerived()
        args = lambda: [self.value(a, depth + 1) for a in e.args]   # noqa: E731
        if type(f) is _ast.Name and f.id in self.funcs:
            node, body = self.funcs[f.id]
            self.used.add(f.id)
            self.called.append(f.id)
            return self.invoke(node, body, args(), depth + 1)
        if type(f) is not _ast.Name or not self.builtin(f.id):
            raise _NotDerived()
        a = [] if f.id == "map" else args()
        if f.id == "len" and len(a) == 1 and type(a[0]) in (str, bytes, tuple, list, dict, set):
            return len(a[0])
        if f.id == "map":
            if len(e.args) != 2:
                raise _NotDerived()
            a = [None, self.value(e.args[1], depth + 1)]
        if f.id == "map" and len(a) == 2 and type(e.args[0]) is _ast.Name \
                and e.args[0].id in ("str", "int") and self.builtin(e.args[0].id):
            conv = self.scalar_str if e.args[0].id == "str" else self.to_int
            return _Map([conv(x) for x in self.items(a[1])])
        if f.id == "str" and len(a) == 1:
            return self.scalar_str(a[0])
        if f.id == "int" and len(a) == 1:
            return self.to_int(a[0])
        if f.id in ("tuple", "list") and len(a) == 1:
            if type(a[0]) is str:
                raise _NotDerived()
            items = self.items(a[0])
            return tuple(items) if f.id == "tuple" else items
        raise _NotDerived()

    def str_method(self, s, name, args):
        """`s.NAME(ARGS)` of a derived str `s`: split, rsplit, partition
        (a non-empty str separator; split and rsplit also none: whitespace,
        of an ASCII `s`), strip, lstrip, rstrip (str characters, or none
        of an ASCII `s`), lower and upper (of an ASCII `s`: other
        letters follow the interpreter's Unicode tables), startswith and
        endswith (a str or a tuple of str), count and replace (a str;
        replace bounded before it runs).  No other arguments."""
        if any(type(a) is _Map for a in args) or len(args) > 2:
            raise _NotDerived()
        strs = all(type(a) is str for a in args)
        if name in ("split", "rsplit", "strip", "lstrip", "rstrip") and not args:
            if not s.isascii():
                raise _NotDerived()
            return getattr(s, name)()
        if name in ("split", "rsplit", "partition") and len(args) == 1 and strs and args[0]:
            return getattr(s, name)(args[0])
        if name in ("strip", "lstrip", "rstrip") and len(args) == 1 and strs:
            return getattr(s, name)(args[0])
        if name in ("lower", "upper") and not args and s.isascii():
            return getattr(s, name)()
        if name in ("startswith", "endswith") and len(args) == 1 and (
                strs or (type(args[0]) is tuple and all(type(x) is str for x in args[0]))):
            return getattr(s, name)(args[0])
        if name == "count" and len(args) == 1 and strs:
            return s.count(args[0])
        if name == "replace" and len(args) == 2 and strs:
            old, new = args
            n = s.count(old) if old else len(s) + 1
            if len(s) + n * max(0, len(new) - len(old)) > _MAX_STR:
                raise _NotDerived()
            return s.replace(old, new)
        raise _NotDerived()

    def format(self, fmt, args, depth):
        """`"text".format(a, b, *T)`: a str constant's own method, over
        derived scalars (a starred derived tuple or list gives its items),
        whose fields are `{}` or `{N}` only (no name, attribute, index,
        format spec or conversion but `!s`; not auto and manual numbers
        mixed): each field is then str() of its scalar.  Evaluated here;
        any other shape, or a field with no argument (an IndexError at
        import), is no derived value."""
        import _string
        items = []
        for a in args:
            if type(a) is _ast.Starred:
                items.extend(self.items(self.value(a.value, depth + 1)))
            else:
                items.append(self.value(a, depth + 1))
        out, auto, manual, size = [], 0, False, 0
        try:
            parts = list(_string.formatter_parser(fmt))
        except ValueError:
            raise _NotDerived()
        for text, field, spec, conv in parts:
            size = _put(out, text, size)
            if field is None:
                continue
            if spec or conv not in (None, "s"):
                raise _NotDerived()
            if field == "":
                if manual:
                    raise _NotDerived()
                index, auto = auto, auto + 1
            elif field.isascii() and field.isdigit() and len(field) <= 4:
                if auto:
                    raise _NotDerived()
                index, manual = int(field), True
            else:
                raise _NotDerived()
            if index >= len(items):
                raise _NotDerived()
            size = _put(out, self.scalar_str(items[index]), size)
        return "".join(out)

    def compile(self, e, depth):
        """re.compile(pattern[, flags]) of a derived str or bytes and
        flags of _RE_FLAGS (or-ed, or an int constant): compiled here, by
        this interpreter's re; a pattern that raises or warns (a warning
        is an error under `-W error`) is not derived.  re.compile calls
        no code of the project's: its result is fixed by the pattern, the
        flags and the standard library."""
        args = list(e.args)
        for k in e.keywords:
            if k.arg != "flags" or len(args) != 1:
                raise _NotDerived()
            args.append(k.value)
        if not 1 <= len(args) <= 2 or any(type(a) is _ast.Starred for a in args):
            raise _NotDerived()
        pattern = self.value(args[0], depth + 1)
        if type(pattern) not in (str, bytes) or len(pattern) > _MAX_STR:
            raise _NotDerived()
        flags = self.flags(args[1], depth + 1) if len(args) == 2 else 0
        import re
        import warnings
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            try:
                re.purge()   # re's cache would answer a second time without a warning
                re.compile(pattern, flags)
            except Exception:
                raise _NotDerived()
        if seen:
            raise _NotDerived()
        self.used.add("re")
        self.regex = True
        return _Regex(pattern, flags)

    def flags(self, e, depth):
        import re
        if depth > _MAX_DEPTH:
            raise _NotDerived()
        if type(e) is _ast.Constant and type(e.value) is int and 0 <= e.value < 1 << 16:
            return e.value
        if (type(e) is _ast.Attribute and type(e.value) is _ast.Name and e.value.id == "re"
                and e.attr in _RE_FLAGS and hasattr(re, e.attr)):
            return int(getattr(re, e.attr))
        if type(e) is _ast.BinOp and type(e.op) is _ast.BitOr:
            return self.flags(e.left, depth + 1) | self.flags(e.right, depth + 1)
        raise _NotDerived()

    def to_int(self, v):
        # int() of an int or bool, or of a short ASCII decimal string (no
        # Unicode digits: another interpreter's Unicode tables)
        if type(v) in (int, bool):
            return int(v)
        if type(v) is str and len(v) <= _MAX_DIGITS and v.isascii():
            try:
                return int(v)
            except ValueError:
                raise _NotDerived()
        raise _NotDerived()

    def join(self, sep, v):
        items = self.items(v)
        if any(type(x) is not str for x in items):
            raise _NotDerived()
        if sum(len(x) for x in items) + len(sep) * len(items) > _MAX_STR:
            raise _NotDerived()
        return sep.join(items)


_MAX_CALLS = 16      # calls of the module's functions in one derived value
_MAX_STEPS = 4096    # statements those calls run, in all
# the str methods a derived value may call (_Derive.str_method)
_STR_METHODS = frozenset(("join", "split", "rsplit", "partition", "strip", "lstrip", "rstrip",
                          "lower", "upper", "startswith", "endswith", "count", "replace"))
_COMPARE = {_ast.Eq: lambda a, b: a == b, _ast.NotEq: lambda a, b: a != b,
            _ast.Lt: lambda a, b: a < b, _ast.LtE: lambda a, b: a <= b,
            _ast.Gt: lambda a, b: a > b, _ast.GtE: lambda a, b: a >= b,
            _ast.In: lambda a, b: a in b, _ast.NotIn: lambda a, b: a not in b}
# What a function _Derive.invoke runs may hold: these statements, and no
# expression that binds a name or leaves the call (a walrus, a lambda's
# scope, yield, await).
_RUN_STMTS = (_ast.Return, _ast.Assign, _ast.AugAssign, _ast.If, _ast.Assert, _ast.Pass)
_RUN_NEVER = (_ast.NamedExpr, _ast.Lambda, _ast.Yield, _ast.YieldFrom, _ast.Await,
              _ast.Global, _ast.Nonlocal)


def _run_names(st, names):
    """Add the local names statement `st` of a function _Derive.invoke
    runs binds to `names`; raise _NotDerived for a statement or an
    expression it does not run, in any branch (a name bound anywhere in
    a function is local everywhere in it)."""
    if type(st) not in _RUN_STMTS:
        raise _NotDerived()
    if type(st) is _ast.Assign:
        if len(st.targets) != 1 or type(st.targets[0]) is not _ast.Name:
            raise _NotDerived()
        names.add(st.targets[0].id)
    elif type(st) is _ast.AugAssign:
        if type(st.target) is not _ast.Name or type(st.op) is not _ast.Add:
            raise _NotDerived()
        names.add(st.target.id)
    if type(st) is _ast.If:
        for x in st.body + st.orelse:
            _run_names(x, names)
        exprs = [st.test]
    else:
        exprs = [x for x in (getattr(st, "value", None), getattr(st, "test", None),
                             getattr(st, "msg", None)) if x is not None]
    todo = exprs
    while todo:
        n = todo.pop()
        if type(n) in _RUN_NEVER:
            raise _NotDerived()
        todo.extend(ftrace_pystate._children(n))


def _comparable(v):
    """Is `v` a derived value the built-in comparisons take without
    running anyone's code: a scalar, or a tuple, list, dict or set of
    such?"""
    t = type(v)
    if t in _SCALARS or t is bytes:
        return True
    if t in (tuple, list, set):
        return all(_comparable(x) for x in v)
    if t is dict:
        return all(_comparable(k) and _comparable(x) for k, x in v.items())
    return False


def _mutable(v):
    """Does the value hold a list, dict or set, whose items code can change
    with no binding (a tuple's items are its own)?"""
    t = type(v)
    if t in (list, dict, set):
        return True
    return t is tuple and any(_mutable(x) for x in v)


def _derived_value(value, names, binders, env, defs=None, seen=None):
    """The kind of a derived value bound to `names` ("derive", or
    "derive:re" when it compiled a pattern), or None: a value that is no
    _plain_value and that _Derive evaluates over `env`, each builtin it
    calls bound by no statement of the module (no binder, no star import,
    no body writing the namespace: "*"), `re` bound by `import re` alone;
    `defs`: {name: (def node, body)} of the module's earlier plain
    functions the value may call.  `seen`, a dict, gets "used" (the
    module's names the value read, its functions' bodies too) and
    "called" (the names of the functions it ran).  Adds the names to
    `env` with the value."""
    def builtin(n):
        return n not in binders and "*" not in binders and n not in env

    def stdmod(n):
        b = binders.get(n, ())
        return (len(b) == 1 and type(b[0]) is _ast.Import and "*" not in binders
                and n not in env and any(a.name == n and not a.asname for a in b[0].names))
    d = _Derive(env, builtin, stdmod, defs)
    try:
        v, used = d(value)
    except (_NotDerived, RecursionError, ValueError, TypeError, OverflowError, MemoryError):
        return None
    if seen is not None:
        seen["used"], seen["called"] = used, d.called
    for n in names:
        env[n] = v
    return "derive:re" if d.regex else "derive"


def _derived_assign(s, binders, env, defs=None, seen=None):
    """The kind ("derive", "derive:re") and names of a derived
    assignment, or None: _targets, and a _derived_value."""
    names = _targets(s, binders)
    if names is None:
        return None
    kind = _derived_value(s.value, names, binders, env, defs, seen)
    return (kind, names) if kind else None


_REBOUND = _ast.Global(names=[])   # a binder: a body's `global` or namespace write


def _builtins_trusted(body, refs):
    """Does no code of the module name `builtins` or `__builtins__` (a
    write through either changes what a builtin's name calls)?  `refs`:
    the names each body mentions (_Split.refs)."""
    names = set()
    for s in body:
        _mentions(s, names)
    for r in refs.values():
        names.update(r)
    return not names & {"builtins", "__builtins__"}


def _stmts(tree, lazy, rebound=None, refs=None, anns=None, leaves=frozenset(), targets=None,
           xbodies=None, funcs=None):
    """The "stmts" of "names" (see the module docstring), of the split tree;
    `rebound`: the names function bodies may rebind (_Split.rebound), which
    count as bound by a statement that binds nothing directly; `refs`: the
    names each body mentions (_Split.refs); `anns` False: no annotated
    assignment is "ann:" (one's value was neither plain nor derived);
    `leaves`: the placeholders of the bodies that may store outside the
    module (_Split.leaves); `targets`: what those stores reach
    (ftrace_pystate.leaving), None if not known; `xbodies`: {id(def node):
    the digests of its body's keys} of the functions whose bodies stay keys
    but call another module's writer (ftrace_pystate.leaving4): their
    statement is "leaves" too, and its digest holds those digests, so that
    an edit of such a body is a changed statement; `funcs`: {id(def node):
    (its body as written, the digest of its body key)} of the module-level
    functions (_Split.orig): a derived value may call one ("Derived
    values"), and its digest then holds the body's."""
    body = tree.body
    out = []
    env = {}   # name -> value, of the plain and derived assignments so far
    funcs = {} if funcs is None else funcs
    defs = {}   # name -> (def node, body as written): plain defs so far
    refs = {} if refs is None else refs
    trusted = None   # _builtins_trusted(), once asked
    # anns: _anns_plain(), once asked
    binders = _binders(body)
    rebound = set() if rebound is None else rebound
    own = None   # ftrace_pystate._own_names(tree), once asked
    for s in body:
        if type(s) is _ast.ClassDef:   # a class body may say `global` too
            _mentions(s, set(), glob=rebound)
    for name in rebound:
        binders.setdefault(name, []).append(_REBOUND)
    mark = _MarkCheck(body, binders, [x[1] for x in out])
    mark.docstring = bool(body) and type(body[0]) is _ast.Expr and type(body[0].value) is _ast.Constant
    for i, s in enumerate(body):
        ment = set()
        kind, bind, extra = "other", [], []
        ran = ()   # the module's functions a derived value called
        mark.needs = set()
        if _holds_state(s):
            pass   # a stateful body changed: not only a name (ftrace_pystate)
        elif type(s) in _FUNCS and (_inert_def(s, lazy, binders) or mark(s, i, lazy)):
            kind = "mark" if s.decorator_list and not all(
                _pure_decorator(d, binders) for d in s.decorator_list) else (
                "wrap" if s.decorator_list else "def")
            if kind == "mark" and mark.needs:
                kind += ":" + ",".join(sorted(mark.needs))
            bind = [s.name]
            _def_mentions(s, ment)
            if (kind == "def" and id(s) in funcs and len(binders.get(s.name, ())) == 1
                    and "*" not in binders):
                defs[s.name] = (s, funcs[id(s)][0])
        elif type(s) is _ast.ClassDef and (ck := _plain_class(s, lazy, binders, mark, i)):
            kind, bind = ck, [s.name]
            for b in s.bases:
                _mentions(b, ment)
            for st in s.body:
                if type(st) in _FUNCS:
                    _def_mentions(st, ment)
                elif type(st) is _ast.Assign:
                    _mentions(st.value, ment)
        elif (type(s) is _ast.ImportFrom and not s.level and _leaf_stdlib(s.module)
              and all(a.name != "*" for a in s.names)):
            kind = "from:" + s.module
            bind = [a.asname or a.name for a in s.names]
            if any(b.startswith("__") and b.endswith("__") for b in bind):
                kind, bind = "other", []
            else:
                extra = [[a.name for a in s.names]]
        elif type(s) is _ast.Import and (imported := _preloaded_import(s)):
            bind = imported
            kind = "import:" + ",".join(a.name for a in s.names)
            if any(b.startswith("__") and b.endswith("__") for b in bind):
                kind, bind = "other", []
        elif type(s) is _ast.Assign and (names := _plain_assign(s, binders)):
            kind, bind = "assign", names
            _mentions(s.value, ment)   # the words of its strings, as for a class's
            try:
                v, _ = _Derive(env, lambda n: False)(s.value)
                env.update((n, v) for n in names)
            except (_NotDerived, RecursionError, ValueError, TypeError, MemoryError):
                pass   # (not of _Derive's shapes: no derived value may read it)
        elif (type(s) is _ast.AnnAssign
              and (anns if anns is not None else (anns := _anns_plain(body, binders, lazy)))
              and (ka := _ann_one(s, binders, lazy))):
            kind, bind = ka
            _mentions(s.value, ment)
            if _plain_value(s.value):
                try:
                    v, _ = _Derive(env, lambda n: False)(s.value)
                    env.update((n, v) for n in bind)
                except (_NotDerived, RecursionError, ValueError, TypeError, MemoryError):
                    pass
            elif ((trusted if trusted is not None else (trusted := _builtins_trusted(body, refs)))
                  and (dk := _derived_value(s.value, bind, binders, env, defs, seen := {}))):
                kind += ":" + dk
                ment.update(seen["used"])
                ran = seen["called"]
            else:
                # every annotated assignment or none: the module's
                # __annotations__ is written by these statements only
                return _stmts(tree, lazy, rebound, refs, anns=False, leaves=leaves,
                              targets=targets, xbodies=xbodies, funcs=funcs)
        elif (type(s) is _ast.Assign
              and (trusted if trusted is not None else (trusted := _builtins_trusted(body, refs)))
              and (kd := _derived_assign(s, binders, env, defs, seen := {}))):
            kind, bind = kd
            _mentions(s.value, ment)   # the names it reads, the builtins it calls
            ment.update(seen["used"])   # and those the functions it calls read
            ran = seen["called"]
        elif type(s) is _ast.Import and all(_std_top(a.name) for a in s.names):
            bind = [a.asname or a.name for a in s.names]
            kind = "stdimport:" + ",".join(a.name for a in s.names)
            if any(b.startswith("__") and b.endswith("__") for b in bind):
                kind, bind = "other", []
        if kind == "other" and i == 0 and type(s) is _ast.Expr and type(s.value) is _ast.Constant:
            kind = "doc"   # the module docstring: read as __doc__, not as names
        elif kind == "other":
            imports = []
            if own is None:
                own = (ftrace_pystate._own_names(tree),
                       ftrace_pystate._module_imports(tree, plain=True))
            if not _acts(s, imports, own):
                kind = ("pimport:" + ",".join(dict.fromkeys(imports))) if imports else (
                    "bind:def" if type(s) in _FUNCS or type(s) is _ast.ClassDef else "bind")
                if leaves and _holds_state(s, leaves):
                    kind = "leaves:" + ",".join(sorted(targets)) if targets else "leaves"
            _mentions(s, ment)
            # It may run code (`L.append(1)`, a loop, a call that
            # registers): a list, dict or set bound before it may hold
            # other items now, so no later derived value reads it.
            for n in [n for n, v in env.items() if _mutable(v)]:
                del env[n]
            # nor calls a function made before it: code can replace what
            # a function runs (`f.__code__ = g.__code__`) with no binding
            defs.clear()
        digest = _digest(_text(s))
        if ran:
            # what the functions it called do is part of the value: an
            # edit of one's body is a changed statement
            digest = _digest(_text(s) + "\n\x00calls\x00" + ",".join(
                funcs[id(defs[n][0])][1] for n in dict.fromkeys(ran)))
        if xbodies and (held := _held_bodies(s, xbodies)):
            digest = _digest(_text(s) + "\n\x00leaves\x00" + ",".join(held))
            if kind != "other" and not kind.startswith("leaves"):
                kind = "leaves:" + ",".join(sorted(targets)) if targets else "leaves"
        out.append([digest, kind, bind, sorted(ment)] + extra)
        mark.kinds.append(kind)
    return out


def _held_bodies(s, xbodies):
    """The digests (`xbodies`: {id(def node): [digest, ...]}) of the
    functions statement `s` holds, in order."""
    out, todo = [], [s]
    while todo:
        n = todo.pop()
        if id(n) in xbodies:
            out.extend(xbodies[id(n)])
        todo.extend(ftrace_pystate._children(n))
    return out


def _import_entries(s, out):
    """Add what the import statement `s` needs loaded to `out`
    ("pimport:" kinds): each module it imports and that module's parent
    packages, and, prefixed with "?", each name of a from-import, which is
    either an attribute (no code runs) or a submodule that must be loaded
    too.  Relative ones keep their dots (".m", "?.m.x"; "." is the
    importer's own package).  False for a star import (what it imports is
    the module's `__all__`, which may name submodules)."""
    if type(s) is _ast.Import:
        for a in s.names:
            parts = a.name.split(".")
            out.extend(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        return True
    if any(a.name == "*" for a in s.names):
        return False
    dots = "." * s.level
    mod = s.module or ""
    if not s.level:
        parts = mod.split(".")
        out.extend(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    else:
        base = dots + mod if mod else dots
        if mod:
            parts = mod.split(".")
            out.extend(dots + ".".join(parts[:i]) for i in range(1, len(parts) + 1))
        else:
            out.append(dots)
        mod = base
    for a in s.names:
        out.append("?" + (mod + "." if mod and not mod.endswith(".") else mod) + a.name)
    return True


# Calls that act whatever their result is used for: a value, a default,
# a decorator, an `if` test that calls one runs it at import all the same.
_ACTING_CALLS = frozenset(("setattr", "delattr", "exec", "eval"))


def _expr_acts(node, own):
    """Does an expression of a statement that binds (a value, a default,
    a decorator, a base) or of a compound statement's header (an `if` or
    `while` test, a `for` iterable, a `with` item, a `match` subject, an
    `assert`) call setattr, delattr, exec or eval, or a mutating method
    (ftrace_pystate._MUTATORS) on anything but what hangs off a name in
    `own[0]` (the names the module binds to objects it makes itself) or
    is a name in `own[1]` (those `import m` binds: `os.remove(p)` is a
    function of a module, as in ftrace_pystate)?  A lambda's body is not
    walked: it does not run there."""
    own, mods = own
    todo = [node]
    while todo:
        n = todo.pop()
        if n is None:
            continue
        if type(n) is _ast.Lambda:
            todo.extend(n.args.defaults + [d for d in n.args.kw_defaults if d is not None])
            continue
        if type(n) is _ast.Call:
            f = n.func
            if type(f) is _ast.Name and f.id in _ACTING_CALLS:
                return True
            if (type(f) is _ast.Attribute and f.attr in ftrace_pystate._MUTATORS
                    and not (type(f.value) is _ast.Name and f.value.id in mods)):
                r = f.value
                while type(r) in (_ast.Attribute, _ast.Subscript, _ast.Call):
                    r = r.func if type(r) is _ast.Call else r.value
                if not (type(r) is _ast.Name and r.id in own):
                    return True
        todo.extend(ftrace_pystate._children(n))
    return False


def _headers(s):
    """The expressions a statement evaluates itself, not in its body: a
    def's or class's decorators, defaults, bases and keywords, an
    assignment's value, a compound statement's header."""
    t = type(s)
    if t in _FUNCS:
        a = s.args
        return s.decorator_list + a.defaults + [d for d in a.kw_defaults if d is not None]
    if t is _ast.ClassDef:
        return s.decorator_list + s.bases + [k.value for k in s.keywords]
    if t in (_ast.Assign, _ast.AnnAssign, _ast.AugAssign):
        return [s.value]
    if t in (_ast.If, _ast.While):
        return [s.test]
    if t in (_ast.For, _ast.AsyncFor):
        return [s.iter]
    if t in (_ast.With, _ast.AsyncWith):
        return [i.context_expr for i in s.items]
    if t is _ast.Assert:
        return [s.test, s.msg]
    if type(s).__name__ == "Match":
        return [s.subject]
    return []


def _acts(s, imports, own=(frozenset(), frozenset())):
    """Does the statement `s` (not of a plain kind) act outside its
    module's namespace by its form: an expression statement (a bare call),
    a store into an object (an attribute or subscript target, `del` of
    one), an augmented assignment (`L += [1]` extends a list another
    module may hold), a star import, or such a statement inside a compound
    one, or inside a class body, which runs as the class is made?  The
    imports it holds go to `imports` (_import_entries).  Definitions,
    classes and assignments of a name bind: the code their decorators,
    bases and values run is taken to make what they bind
    (docs/python-functions.md, "Import-time effects", says what that
    leaves out), unless it calls what acts whatever its result is used
    for (_expr_acts; so for a compound statement's header).  `own`: the
    names the module binds to objects it makes itself, and those `import
    m` binds (_expr_acts)."""
    t = type(s)
    if any(_expr_acts(e, own) for e in _headers(s)):
        return True
    if t is _ast.Expr:
        return type(s.value) is not _ast.Constant
    if t is _ast.AugAssign:
        return True
    if t in (_ast.Assign, _ast.AnnAssign, _ast.Delete):
        targets = s.targets if t is not _ast.AnnAssign else [s.target]
        todo = list(targets)
        while todo:
            n = todo.pop()
            if type(n) in (_ast.Attribute, _ast.Subscript):
                return True
            if type(n) in (_ast.Tuple, _ast.List):
                todo.extend(n.elts)
            elif type(n) is _ast.Starred:
                todo.append(n.value)
        return False
    if t in (_ast.Import, _ast.ImportFrom):
        return not _import_entries(s, imports)
    if t in _FUNCS:
        return False   # bodies are keys of their own
    if t is _ast.ClassDef:
        # its body runs at import, as a compound statement's does (a probe
        # of boltons: `class _P:` holding `from boltons import strutils`
        # and `strutils.slugify = ...`); its methods' bodies do not
        return any(_acts(k, imports, own) for k in s.body)
    if t in (_ast.Pass, _ast.Global, _ast.Nonlocal, _ast.Assert, _ast.Raise):
        return False
    kids = []
    for field in ("body", "orelse", "finalbody", "handlers", "cases"):
        for x in getattr(s, field, None) or ():
            if type(x) is _ast.ExceptHandler or type(x).__name__ == "match_case":
                kids.extend(x.body)
            else:
                kids.append(x)
    if t not in (_ast.If, _ast.For, _ast.AsyncFor, _ast.While, _ast.With, _ast.AsyncWith,
                 _ast.Try) and type(s).__name__ not in ("TryStar", "Match"):
        return True   # a statement this list does not know
    return any(_acts(k, imports, own) for k in kids)


def _holds_state(s, marks=None):
    """Does the split statement `s` hold a stateful body's placeholder
    (one of `marks`, if given)?"""
    todo = [s]
    while todo:
        n = todo.pop()
        if (type(n) is _ast.Constant and type(n.value) is str
                and n.value.startswith(_STATE_PLACEHOLDER)
                and (marks is None or n.value in marks)):
            return True
        _push(n, todo, set())
    return False


def std_identity():
    """Which standard library this interpreter has: its version (with its
    build) and its base prefix, the same in a venv of it and with -I -S.
    The recorder notes it per session ("collector": "std"); selection
    allows a from-import's new name only where the fingerprint tool,
    under this same identity, found the name in the module (_have)."""
    return sys.version + "\n" + sys.base_prefix


def _have(out, check):
    """Selection only (main, never in a test session: it imports modules):
    to each "from:M" statement of the fingerprints `out` with M in `check`
    (the modules every recorded session had loaded from the standard
    library: selection allows no other's names to change), a sixth
    element, per name it binds, whether M has the name it imports (1) or
    not (0), in this interpreter (M imported here, its warnings and output
    discarded; a module that fails to import has none), and to each
    "names" the "std" of std_identity().  `from M import a` of a module
    that is no package fails exactly when M has no attribute `a`."""
    mods = {}
    for fpr in out.values():
        names = fpr.get("names") if isinstance(fpr, dict) else None
        if names is None:
            continue
        names["std"] = std_identity()
        for st in names["stmts"]:
            if not st[1].startswith("from:") or len(st) != 5 or st[1][5:] not in check:
                continue
            m = st[1][5:]
            if m not in mods:
                mods[m] = _quiet_import(m)
            st.append([1 if mods[m] is not None and hasattr(mods[m], a) else 0 for a in st[4]])


def _quiet_import(name):
    """The module `name`, imported with warnings off and sys.stdout and
    sys.stderr set aside, or None if its import fails."""
    import importlib
    import io
    import warnings
    saved = sys.stdout, sys.stderr
    try:
        sys.stdout = sys.stderr = io.StringIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return importlib.import_module(name)
    except BaseException:
        return None
    finally:
        sys.stdout, sys.stderr = saved


def fingerprint_source(source, filename="<source>", calls=None):
    """{"skeleton": hex, "bodies": {key: hex}} for `source` (str or
    bytes), a key being a qualname (a body) or a qualname and DOC (a
    docstring) or ANN (postponed annotations); raises SyntaxError or
    ValueError if it does not parse or compile."""
    tree = compile(source, filename, "exec", _ast.PyCF_ONLY_AST)
    # What the parser accepts the compiler may still refuse (its symbol
    # table: nonlocal, yield outside a function, a walrus in a postponed
    # annotation): then the module fails to import, which no body or
    # annotation key would say.  SyntaxError, as for a parse error.
    code = compile(tree, filename, "exec", dont_inherit=True)
    lazy = _lazy_annotations(tree)
    state, leave, targets, xleave = ftrace_pystate.leaving4(tree, calls)
    split = _Split(lazy, state, _generators(code), leave, xleave)
    tree = split.visit(tree)
    skeleton = _digest(_text(tree))
    bodies = {q: _digest("\n\x00\n".join(texts)) for q, texts in split.bodies.items()}
    bodies.update((q, _digest("\n\x00\n".join(texts))) for q, texts in split.docs.items())
    # each such function's body keys: its own, and its nested functions'
    xbodies = {i: [bodies[k] for k in sorted(bodies)
                   if k == q or k.startswith(q + ".<locals>.")]
               for i, q in split.xqual.items()}
    funcs = {i: (b, bodies[q]) for i, (b, q) in split.orig.items() if q in bodies}
    names = {"stmts": _stmts(tree, lazy, split.rebound, split.refs, leaves=split.leaves,
                             targets=targets, xbodies=xbodies, funcs=funcs),
             "refs": {q: sorted(r) for q, r in split.refs.items()}}
    return {"skeleton": skeleton, "bodies": bodies, "names": names}


def fingerprint_file(path, calls=None):
    """fingerprint_bytes() of the file at `path`, or None if it cannot be
    read."""
    try:
        with open(path, "rb") as f:
            source = f.read()
    except OSError:
        return None
    return fingerprint_bytes(source, path, calls)


def fingerprint_bytes(source, filename="<source>", calls=None):
    """fingerprint_source() of `source` (bytes), plus "size" and "crc32" of
    them, or None if they cannot be parsed or compiled (the caller then
    falls back to the whole file)."""
    try:
        out = fingerprint_source(source, filename, calls)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    # Which bytes were parsed: ingest checks them against the bytes it
    # hashes, so fingerprints never describe another version of the file.
    out["size"] = len(source)
    out["crc32"] = zlib.crc32(source)
    return out


def function_key(qualname, bodies):
    """The body key an executed code object's qualname falls under, or None
    if it is skeleton code (module body, class body, a lambda or
    comprehension outside functions): the longest of the qualname and its
    cuts before each ".<locals>" that is a key.  `f.<locals>.g` is a key of
    its own when `f` is no stateful function, else part of `f`; a lambda,
    comprehension or class body in `f` is part of `f`, and so is the
    docstring of `g` (`f.<locals>.g#doc`); `C.m#doc` is the key of the
    docstring of `C.m`, None if it has none."""
    if qualname in bodies:
        return qualname
    i = qualname.rfind(".<locals>")
    while i >= 0:
        if qualname[:i] in bodies:
            return qualname[:i]
        i = qualname.rfind(".<locals>", 0, i)
    return None


def _dumps(v, s):
    """JSON of the values main() prints (dict, str, int, None), into the
    list s: json.dumps(v, sort_keys=True, ensure_ascii=False) without
    importing json."""
    if isinstance(v, dict):
        s.append("{")
        for i, k in enumerate(sorted(v)):
            if i:
                s.append(", ")
            s.append(_string(k))
            s.append(": ")
            _dumps(v[k], s)
        s.append("}")
    elif isinstance(v, str):
        s.append(_string(v))
    elif isinstance(v, list):
        s.append("[")
        for i, x in enumerate(v):
            if i:
                s.append(", ")
            _dumps(x, s)
        s.append("]")
    elif v is None:
        s.append("null")
    else:
        s.append(str(int(v)))


try:
    from _json import encode_basestring as _string
except ImportError:
    from json.encoder import py_encode_basestring as _string


def main(argv):
    """argv: [prog, ["--stdlib", "m,n,..."], file...]: the fingerprints of
    the files, by path, and the from-import checks of _have for the
    modules listed (none without the option)."""
    files, check = argv[1:], ()
    if files[:1] == ["--stdlib"] and len(files) > 1:
        check = frozenset(m for m in files[1].split(",") if m)
        files = files[2:]
    # A call of another project module's writer, found from the file's
    # path, counts as a store there (ftrace_pystate.Calls), as at recording
    # (ftrace_fpcache)
    shared = {}
    out = {p: fingerprint_file(p, ftrace_pystate.Calls(p, shared)) for p in files}
    _have(out, check)
    s = []
    _dumps(out, s)
    # paths that are not UTF-8 are surrogate-escaped: write them back as
    # the bytes they were
    sys.stdout.buffer.write("".join(s).encode("utf-8", "surrogateescape") + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
