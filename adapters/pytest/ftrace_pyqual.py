"""ftrace_pyqual - the qualnames of a source file's code objects, for
interpreters whose code objects have none (before 3.11: no co_qualname).

    qualnames(source) -> {(co_name, co_firstlineno): frozenset(qualnames)}

What the compiler of 3.11 would make each code object's co_qualname: a
function or class nested in a function (or lambda) `f` is `f.<locals>.g`,
in a class `C` it is `C.g`, in a comprehension `<listcomp>` it is
`<listcomp>.g`; a name declared `global` in the enclosing function is
its own qualname; lambdas are `<lambda>` and comprehensions `<listcomp>`,
`<setcomp>`, `<dictcomp>`, `<genexpr>`.  The line is that of the first
decorator or else the statement's (a def or class), the lambda's or the
comprehension's.  The module's own code is (`<module>`, 0): its
co_firstlineno differs between versions, so the recorder asks for it by
name alone.

Two code objects of one name on one line (a lambda in a lambda) share
the key: its set then holds both qualnames, and the recorder keeps both
(a dependency too many, never one too few).  A code object that has no
entry (the file changed since it was imported, or the code was compiled
from another text) must make the recording incomplete.

t9002 holds this to 3.11's own co_qualname over the standard library.
"""

import ast

_COMPS = {ast.ListComp: "<listcomp>", ast.SetComp: "<setcomp>", ast.DictComp: "<dictcomp>",
          ast.GeneratorExp: "<genexpr>"}
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _globals_of(fn):
    """The names a function's own body declares global (not its nested
    functions' or classes')."""
    out, todo = set(), list(fn.body)
    while todo:
        n = todo.pop()
        if type(n) is ast.Global:
            out.update(n.names)
        elif not isinstance(n, _SCOPES):
            todo.extend(ast.iter_child_nodes(n))
    return out


class _Walk:
    def __init__(self):
        self.out = {}

    def add(self, name, line, q):
        self.out.setdefault((name, line), set()).add(q)

    def node(self, n, prefix, globs):
        """Any node: a def or class statement, an expression, or other
        statements, in a scope whose qualname prefix is `prefix`."""
        t = type(n)
        if t in _DEFS:
            return self.define(n, prefix, globs)
        if t is ast.Lambda:
            q = prefix + "<lambda>"
            self.add("<lambda>", n.lineno, q)
            self.node(n.args, prefix, globs)   # defaults: evaluated outside
            return self.node(n.body, q + ".<locals>.", set())
        if t in _COMPS:
            q = prefix + _COMPS[t]
            self.add(_COMPS[t], n.lineno, q)
            gens = n.generators
            self.node(gens[0].iter, prefix, globs)   # evaluated outside
            inner = q + "."
            for i, g in enumerate(gens):
                if i:
                    self.node(g.iter, inner, set())
                self.node(g.target, inner, set())
                for c in g.ifs:
                    self.node(c, inner, set())
            for part in ((n.key, n.value) if t is ast.DictComp else (n.elt,)):
                self.node(part, inner, set())
            return None
        for ch in ast.iter_child_nodes(n):
            self.node(ch, prefix, globs)
        return None

    def define(self, n, prefix, globs):
        first = min([d.lineno for d in n.decorator_list] + [n.lineno])
        q = n.name if n.name in globs else prefix + n.name
        self.add(n.name, first, q)
        for d in n.decorator_list:
            self.node(d, prefix, globs)
        if type(n) is ast.ClassDef:
            for b in n.bases + [k.value for k in n.keywords]:
                self.node(b, prefix, globs)
            for st in n.body:
                self.node(st, q + ".", set())
            return
        self.node(n.args, prefix, globs)
        if n.returns is not None:
            self.node(n.returns, prefix, globs)
        inner = _globals_of(n)
        for st in n.body:
            self.node(st, q + ".<locals>.", inner)


def qualnames(source):
    """{(co_name, co_firstlineno): frozenset of qualnames} of `source`
    (str or bytes), the module's code as ("<module>", 0).  Raises
    SyntaxError (or ValueError) as ast.parse does."""
    w = _Walk()
    tree = ast.parse(source)
    w.add("<module>", 0, "<module>")
    for st in tree.body:
        w.node(st, "", set())
    return {k: frozenset(v) for k, v in w.out.items()}
