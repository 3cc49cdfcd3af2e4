#!/usr/bin/env bash
# adapters/pytest/ftrace_fingerprint.py on fixtures/pytest-funcs: which
# edits change the skeleton, which change only one function's body, and
# which change nothing (docs/python-functions.md).  One row per kind of edit
# issue 5 lists; the selector's rules rest on exactly these answers (a
# skeleton change selects every importer; a body change only the tests that
# ran the function, unless it ran in the prelude).
. "$(dirname "$0")/lib.sh"
ft_fixture pytest-funcs
"$FT_PYTHON" - "$FTRACE_SOURCE_DIR/adapters/pytest" <<'PY' || ft_fail "fingerprint rules (see above)"
import json, os, subprocess, sys
sys.path.insert(0, sys.argv[1])
import ftrace_fingerprint as fp

# These checks say which statements are of a plain kind and which are not
# ("other").  What is not plain is also told apart by whether it acts at
# import ("other") or binds ("bind", "bind:def", "leaves", "pimport:..."): checked on
# its own at the end, through _source.  Here those three read "other".
_source = fp.fingerprint_source
def _not_plain(r):
    for st in ((r or {}).get("names") or {}).get("stmts", ()):
        if st[1] in ("bind", "bind:def") or st[1].startswith(("pimport:", "leaves")):
            st[1] = "other"
    return r
fp.fingerprint_source = lambda *a, **k: _not_plain(_source(*a, **k))

def edit(path, old, new):
    src = open(path).read()
    assert src.count(old) == 1, (path, old)
    return src.replace(old, new)

def diff(path, old, new):
    """(skeleton changed, sorted changed/added/removed body keys)"""
    a = fp.fingerprint_source(open(path).read())
    b = fp.fingerprint_source(edit(path, old, new))
    keys = set(a["bodies"]) | set(b["bodies"])
    return (a["skeleton"] != b["skeleton"],
            sorted(k for k in keys if a["bodies"].get(k) != b["bodies"].get(k)))

rows = [
    # what, file, old, new, (skeleton changed, bodies changed)
    ("function body", "shop/prices.py", "round(amount, 2)", "round(amount, 3)", (False, ["net"])),
    ("import-time function body", "shop/util.py", "range(4)", "range(5)", (False, ["build_table"])),
    ("module-level constant", "shop/prices.py", "TAX = 0.25", "TAX = 0.5", (True, [])),
    ("decorator argument", "shop/registry.py", '@register("bye")', '@register("ciao")', (True, [])),
    ("decorator added", "shop/registry.py", "\ndef hello", "\n@staticmethod\ndef hello", (True, [])),
    ("class attribute", "shop/catalog.py", 'kind = "item"', 'kind = "thing"', (True, [])),
    ("method body", "shop/catalog.py", '"%s:%s"', '"%s/%s"', (False, ["Item.label"])),
    # register() stores into the module's HANDLERS: a stateful body, skeleton too
    ("stateful nested function body", "shop/registry.py", "HANDLERS[name] = fn", "HANDLERS[name.lower()] = fn",
     (True, ["register"])),
    ("nested function body", "shop/registry.py", "        return fn\n    return deco", "        return fn or fn\n    return deco",
     (True, ["register"])),
    ("comment only", "shop/util.py", "# runs once", "# runs only once", (False, [])),
    ("comment and blank lines", "shop/prices.py", "TAX = 0.25\n", "# tax\n\nTAX = 0.25  # rate\n\n", (False, [])),
    ("formatting only", "shop/util.py", '"-".join(text.lower().split())', '"-".join(\n        text.lower().split()\n    )',
     (False, [])),
    ("docstring added", "shop/prices.py", "def gross(amount):\n", 'def gross(amount):\n    """With tax."""\n',
     (True, ["gross#doc"])),
    ("default argument", "shop/catalog.py", "def __init__(self, name):", "def __init__(self, name=''):", (True, [])),
    ("new function", "shop/util.py", "def slug", "def other():\n    return 1\n\n\ndef slug", (True, ["other"])),
    ("renamed function", "shop/util.py", "def session_label", "def session_name", (True, ["session_label", "session_name"])),
]
bad = []
for what, path, old, new, want in rows:
    got = diff(path, old, new)
    if got != want:
        bad.append("%s: want %r, got %r" % (what, want, got))
assert not bad, "\n".join(bad)

# Stateful bodies (adapters/pytest/ftrace_pystate.py): a body that may
# leave state behind for a test that never runs it is skeleton too, and so
# is every function of the module its stored values (or, for a cache, its
# whole body) mention, and what those mention.  Each row: a module, an
# edit of one body; True if that edit must change the skeleton.
import ftrace_pystate as st
STATE = [
    ("a global stored", "_C = None\ndef get():\n    global _C\n    _C = 1\n    return _C\n", "_C = 1\n", "_C = 2\n", True),
    ("a global only read", "_C = None\ndef get():\n    return _C or 1\n", "_C or 1", "_C or 2", False),
    ("what a global gets", "def load():\n    return 1\n\ndef get():\n    global _C\n    _C = load()\n", "return 1", "return 2", True),
    ("a function the stateful one only calls", "def log():\n    return 1\n\ndef get():\n    global _C\n    log()\n    _C = 0\n", "return 1", "return 2", False),
    ("what that calls in turn", "def base():\n    return 1\n\ndef load():\n    return base()\n\ndef get():\n    global _C\n    _C = load()\n", "return 1", "return 2", True),
    ("lru_cache", "import functools\n@functools.lru_cache(maxsize=None)\ndef f(x):\n    return x + 1\n", "x + 1", "x + 2", True),
    ("functools.cache, what it calls", "from functools import cache\ndef g():\n    return 1\n\n@cache\ndef f():\n    return g()\n", "return 1", "return 2", True),
    ("cached_property", "from functools import cached_property\nclass K:\n    @cached_property\n    def v(self):\n        return 1\n", "return 1", "return 2", True),
    ("a module-level dict", "_R = {}\ndef put(k):\n    _R[k] = 1\n", "= 1", "= 2", True),
    ("a module-level list, mutating call", "_R = []\ndef put(k):\n    _R.append(k + 1)\n", "k + 1", "k + 2", True),
    ("through a method's result", "_R = {}\ndef put(k):\n    _R.get(k).append(1)\n", "(1)", "(2)", True),
    ("another module's attribute", "import os\ndef put():\n    os.environ['X'] = '1'\n", "'1'", "'2'", True),
    ("setattr on a global", "import sys\ndef put():\n    setattr(sys, 'x', 1)\n", "1)", "2)", True),
    ("a class attribute through cls", "class K:\n    n = 0\n    @classmethod\n    def bump(cls):\n        cls.n += 1\n", "+= 1", "+= 2", True),
    ("a class attribute through type(self)", "class K:\n    def bump(self):\n        type(self).n = 1\n", "= 1", "= 2", True),
    ("__new__ keeping instances", "class K:\n    _all = {}\n    def __new__(cls, k):\n        return cls._all.setdefault(k, object.__new__(cls))\n", "(cls))", "(cls)) or 1", True),
    # a parameter's default outlives the call (a probe of toolz, 2026-11-28:
    # `create_signature_registry(..., signatures=signatures)`)
    ("a default bound to a module's dict", "_S = {}\ndef put(k, s=_S):\n    s[k] = 1\n", "= 1", "= 2", True),
    ("a mutable default", "def fib(n, _memo={}):\n    _memo[n] = 1\n    return _memo\n", "= 1", "= 2", True),
    ("a module's dict given to a lambda", "_S = {}\ndef put(k):\n    (lambda d: d.pop(k))(_S)\n    return 1\n", "return 1", "return 2", True),
    ("next() on a module's iterator", "import itertools\n_IDS = itertools.count()\ndef new_id():\n    return next(_IDS) + 1\n", "+ 1", "+ 2", True),
    ("a lambda's counter default", "from itertools import count\ndef f(k, c=count(1)):\n    return next(c) + k\n", "+ k", "- k", True),
    ("a module's object made again", "class K:\n    pass\n_K = K()\ndef put():\n    _K.__init__()\n    return 1\n", "return 1", "return 2", True),
    ("a nested function saying global", "def outer():\n    def inner():\n        global _C\n        _C = 1\n    inner()\n", "_C = 1", "_C = 2", True),
    # not state: the object lives no longer than the call, or is the instance
    ("a local list", "def f(k):\n    out = []\n    out.append(k + 1)\n    return out\n", "k + 1", "k + 2", False),
    ("an instance attribute", "class K:\n    def set(self, v):\n        self.v = v + 1\n", "v + 1", "v + 2", False),
    ("a function of an imported module", "import pkg\ndef f(k):\n    return pkg.add(k, 1)\n", "k, 1", "k, 2", False),
    ("an object made by an imported module", "import hashlib\ndef f(b):\n    hashlib.sha256().update(b + b'1')\n", "b'1'", "b'2'", False),
    ("a nested def's mutable default", "def f(k):\n    def g(x, acc=[]):\n        acc.append(x)\n        return acc\n    return g(k + 1)\n", "k + 1", "k + 2", False),
    ("a default bound to an immutable value", "def f(k, opts=()):\n    return k + 1\n", "k + 1", "k + 2", False),
    ("a base's __init__ given the instance", "class K(dict):\n    def __init__(self, k):\n        dict.__init__(self)\n        super(K, self).__init__()\n        self.k = k + 1\n", "k + 1", "k + 2", False),
    ("a helper given a new object", "def _fill(d):\n    d[1] = 2\ndef f(k):\n    _fill({})\n    _fill(dict(a=k + 1))\n", "k + 1", "k + 2", False),
    ("**kw's own dict", "def g(**kw):\n    kw['a'] = 1\n    kw.pop('b', None)\n    return kw\n_S = {}\ndef f(k):\n    return g(b=_S, c=k + 1)\n", "k + 1", "k + 2", False),
    ("a closure cell", "def make():\n    cache = {}\n    def get(k):\n        cache[k] = 1\n        return cache[k]\n    return get\n", "= 1", "= 2", False),
]
bad = []
for what, src, old, new, want in STATE:
    assert src.count(old) == 1, (what, old)
    a, b = fp.fingerprint_source(src), fp.fingerprint_source(src.replace(old, new))
    if (a["skeleton"] != b["skeleton"]) != want:
        bad.append("%s: skeleton change %r expected, stateful: %r" % (
            what, want, sorted(st.stateful(compile(src, "<s>", "exec", 0x400)))))
    if not want and a["bodies"] == b["bodies"]:
        bad.append("%s: no body key changed" % what)
assert not bad, "\n".join(bad)
# A stateful def statement that changed is no namespace change ("other"):
# its readers are not only the readers of its name.
names = fp.fingerprint_source("_C = None\ndef get():\n    global _C\n    _C = 1\n\ndef f():\n    return 1\n")["names"]
kinds = [s[1] for s in names["stmts"]]
assert kinds == ["other", "other", "def"], kinds

# Docstrings: a function's and a class's are their own keys (qualname#doc),
# read by whoever reads __doc__; a nested function's is part of the
# enclosing body; the module's is skeleton, and so is a class's when the
# class statement could read it as a name (__doc__, locals(), vars()).
DOCS = '''"""Module doc."""


class C:
    """Class doc."""

    def m(self):
        """Method doc."""
        return 1


class D:
    """Named doc."""
    help = __doc__


class E:
    """Vars doc."""

    def v(self):
        return vars(self)


def f(x):
    """Function doc."""
    def g():
        """Nested doc."""
        return x
    return g
'''
def diff_src(old, new):
    a = fp.fingerprint_source(DOCS)
    b = fp.fingerprint_source(edit_src(DOCS, old, new))
    keys = set(a["bodies"]) | set(b["bodies"])
    return (a["skeleton"] != b["skeleton"],
            sorted(k for k in keys if a["bodies"].get(k) != b["bodies"].get(k)))

def edit_src(src, old, new):
    assert src.count(old) == 1, old
    return src.replace(old, new)

assert sorted(fp.fingerprint_source(DOCS)["bodies"]) == ["C#doc", "C.m", "C.m#doc", "E.v", "f", "f#doc",
                                                         "f.<locals>.g"]
doc_rows = [
    ("function docstring", "Function doc.", "Function docs.", (False, ["f#doc"])),
    ("method docstring", "Method doc.", "Method docs.", (False, ["C.m#doc"])),
    ("nested function's docstring", "Nested doc.", "Nested docs.", (False, ["f"])),
    # (its body is a key of its own, cut out of f's; whether it yields is f's)
    ("nested function's body", "        return x\n", "        return x or x\n", (False, ["f.<locals>.g"])),
    ("nested function yields", "        return x\n", "        yield x\n", (False, ["f", "f.<locals>.g"])),
    ("nested function's default", "    def g():", "    def g(y=1):", (False, ["f"])),
    ("function yields", "    return g\n", "    yield g\n", (True, ["f"])),
    ("class docstring", "Class doc.", "Class docs.", (False, ["C#doc"])),
    ("class docstring the class body names", "Named doc.", "Named docs.", (True, [])),
    ("class docstring, vars() in the class", "Vars doc.", "Vars docs.", (True, [])),
    ("class docstring removed", '    """Class doc."""\n', "", (True, ["C#doc"])),
    ("module docstring", "Module doc.", "Module docs.", (True, [])),
    ("docstring removed", '        """Method doc."""\n', "", (True, ["C.m#doc"])),
    ("docstring's layout", '"""Function doc."""', '(\n        "Function doc."\n    )', (False, [])),
    ("a string after the docstring is body", '"""Function doc."""', '"""Function doc."""\n    "more"', (False, ["f"])),
]
for what, old, new, want in doc_rows:
    got = diff_src(old, new)
    if got != want:
        bad.append("%s: want %r, got %r" % (what, want, got))
assert not bad, "\n".join(bad)
d = fp.fingerprint_source(DOCS)["bodies"]
assert fp.function_key("f#doc", d) == "f#doc"
assert fp.function_key("C.m#doc", d) == "C.m#doc"
assert fp.function_key("f.<locals>.g#doc", d) == "f"
assert fp.function_key("C#doc", d) == "C#doc"
assert fp.function_key("D#doc", d) is None  # skeleton: the class body names __doc__

# Which class statements are plain ("class": they only bind their name;
# docs/python-functions.md, "Namespace changes").
CLASSES = """
import io
def helper():
    pass
class A:
    \"\"\"doc\"\"\"
    size = 2
    def __init__(self, x, *, k=-1):
        self.x = x
    async def wait(self):
        return io.StringIO()
class E(ValueError):
    pass
class S(str):
    pass
class D(A):
    pass
class F:
    @property
    def p(self):
        return 1
class G:
    y = [1]
class H(int, str):
    pass
class I(object, metaclass=type):
    pass
class K:
    __slots__ = ("a",)
class N:
    class Inner:
        pass
class T:
    def m(self, x: int):
        return x
class Dflt:
    def m(self, x=helper):
        return x
"""
order = ["A", "E", "S", "D", "F", "G", "H", "I", "K", "N", "T", "Dflt"]
stmts = fp.fingerprint_source(CLASSES)["names"]["stmts"][2:]
assert len(stmts) == len(order), stmts
kinds = {name: (st[1], st[3]) for name, st in zip(order, stmts)}
assert kinds["A"] == ("class", []), kinds          # its own name is no mention
assert kinds["E"] == ("class", ["ValueError"]), kinds
assert kinds["S"][0] == "class", kinds
assert kinds["F"] == ("class", ["property"]), kinds   # the builtin property
for other in ("D", "G", "H", "I", "K", "N", "T", "Dflt"):
    assert kinds[other][0] == "other", (other, kinds)
lazy = fp.fingerprint_source("from __future__ import annotations\n" + CLASSES)["names"]
assert [st[1] for st in lazy["stmts"] if st[2] == ["T"]] == ["class"], lazy
# A builtin base the module may rebind is none: an assignment, a star
# import, a `global` in a function or class body, a body that reads the
# namespace as a whole.
for pre in ("ValueError = KeyError\n", "from os.path import *\n",
            "def f():\n    global ValueError\n    ValueError = KeyError\n",
            "class C:\n    global ValueError\n    ValueError = 1\n",
            "def f():\n    return globals()\n"):
    st = fp.fingerprint_source(pre + "class E(ValueError):\n    pass\n")["names"]["stmts"]
    assert st[-1][1] == "other", (pre, st)
    st = fp.fingerprint_source(pre.replace("globals", "len") + "class F(KeyError):\n    pass\n")
    assert st["names"]["stmts"][-1][1] == ("other" if "os.path" in pre else "class"), (pre, st)
# unittest's TestCase as the base ("tclass"), named through the one
# statement that binds it: `from unittest import TestCase [as T]`, `import
# unittest [as ut]`, `import unittest.mock`.  Not through a module of the
# project's, not with a second binder, a star import, or a second base.
for src, kind in (("from unittest import TestCase\nclass C(TestCase):\n    x = 1\n", "tclass"),
                  ("from unittest import TestCase as T\nclass C(T):\n    pass\n", "tclass"),
                  ("import unittest\nclass C(unittest.TestCase):\n    pass\n", "tclass"),
                  ("import unittest as ut\nclass C(ut.TestCase):\n    pass\n", "tclass"),
                  ("import unittest.mock\nclass C(unittest.TestCase):\n    pass\n", "tclass"),
                  ("from unittest import TestCase\nclass C(TestCase):\n    def f(self, x=[]):\n"
                   "        pass\n", "other"),
                  ("from unittest import TestCase\n@staticmethod\nclass C(TestCase):\n    pass\n",
                   "other"),
                  ("from unittest import IsolatedAsyncioTestCase as TestCase\n"
                   "class C(TestCase):\n    pass\n", "other"),
                  ("from tests.base import TestCase\nclass C(TestCase):\n    pass\n", "other"),
                  ("from unittest import TestCase\nTestCase = object\nclass C(TestCase):\n"
                   "    pass\n", "other"),
                  ("from unittest import TestCase\nfrom os.path import *\nclass C(TestCase):\n"
                   "    pass\n", "other"),
                  ("from unittest import TestCase\nclass C(TestCase, dict):\n    pass\n", "other"),
                  ("import unittest\nclass C(unittest.IsolatedAsyncioTestCase):\n    pass\n",
                   "other"),
                  ("import unittest.mock as unittest\nclass C(unittest.TestCase):\n    pass\n",
                   "other"),
                  ("from unittest import TestCase\nclass C(TestCase, metaclass=type):\n    pass\n",
                   "other")):
    st = fp.fingerprint_source(src)["names"]["stmts"]
    assert st[-1][1] == kind and (kind == "other" or st[-1][2] == ["C"]), (src, st)
# Methods decorated by the builtin staticmethod, classmethod or property
# only: nothing of the project's runs as the class is made.  Not when the
# module or the class body binds the name, or with a star import, a call,
# an attribute.
M = "    @%s\n    def f(x):\n        return x\n"
for pre, deco, kind in (("", "staticmethod", "class"), ("", "classmethod", "class"),
                        ("", "property", "class"), ("staticmethod = len\n", "staticmethod", "other"),
                        ("from os import *\n", "property", "other"),
                        ("", "staticmethod()", "other"), ("", "p.setter", "other"),
                        ("", "functools.cache", "other")):
    src = pre + "class C:\n" + M % deco
    assert fp.fingerprint_source(src)["names"]["stmts"][-1][1] == kind, (src, kind)
src = "class C:\n    staticmethod = 1\n" + M % "staticmethod"
assert fp.fingerprint_source(src)["names"]["stmts"][-1][1] == "other", src
src = "from unittest import TestCase\nclass C(TestCase):\n" + M % "classmethod"
assert fp.fingerprint_source(src)["names"]["stmts"][-1][1] == "tclass", src
# Which assignments are plain ("assign": they only bind their names to a
# value built of constants; docs/python-functions.md, "Namespace changes").
for src, kind in (("A = 1", ["A"]), ("A = B = -2.5", ["A", "B"]), ("A = +3j", ["A"]),
                  ("A = (b'x', None, ..., True, [1, {2: 'z'}])", ["A"]),
                  ("A = {(1, -2): 1, 'k': {3, ('a',)}}", ["A"]), ("A = set()", None),
                  ("A = -'x'", None), ("A = 'x' * 10", None), ("A = [*B]", None),
                  ("A = {**B}", None), ("A = {[1]: 2}", None), ("A = {[1]}", None),
                  ("A = {frozenset(): 1}", None), ("A = B", None), ("A = f()", None),
                  ("A, B = 1, 2", None), ("A.x = 1", None), ("A[0] = 1", None),
                  ("A: int = 1", None), ("A += 1", None), ("__version__ = '1'", ["__version__"]),
                  ("__all__ = ['x']", ["__all__"]), ("__getattr__ = None", None), ("__doc__ = 'x'", None),
                  ("__builtins__ = {}", None), ("__spec__ = None", None),
                  ("A = 1\nA = 2", None), ("A = 1\ndef f():\n    global A\n    A = 2", None),
                  ("A = 1\nfor A in ():\n    pass", None),
                  ("A = " + "[" * 100 + "]" * 100, None), ("A = " + "[" * 60 + "]" * 60, ["A"])):
    st = fp.fingerprint_source(src)["names"]["stmts"][0]
    assert (st[2] if st[1] == "assign" else None) == kind, (src, st)
# Annotated ones ("ann:<digest of the annotation>"): only where the module
# postpones its annotations and every annotated assignment of its code is
# a simple, plain one (the last statement's kind head and names).
F = "from __future__ import annotations\n"
for src, kind in ((F + "A: int = 1", ["A"]), (F + "A: dict[str, T] = {'k': (1, None)}", ["A"]),
                  ("A: int = 1", None), (F + "A: int = f()", None), (F + "(A): int = 1", None),
                  (F + "A.x: int = 1", None), (F + "A: int", None),
                  (F + "B: int\nA: int = 1", None), (F + "if X:\n    B: int = 1\nA: int = 1", None),
                  (F + "try:\n    pass\nexcept E:\n    B: int = f()\nA: int = 1", None),
                  (F + "def f():\n    B: int = g()\nA: int = 1", ["A"]),
                  (F + "class C:\n    B: int = g()\nA: int = 1", ["A"]),
                  (F + "B: int = f()\nA: int = 1", None), (F + "B: int = 1\nB = 2\nA: int = 1", None),
                  (F + "A: int = 1\nA = 2", None), (F + "__annotations__ = {}\nA: int = 1", None),
                  (F + "__all__: list = []", ["__all__"]), (F + "A: int = 'x' * 3", None)):
    st = fp.fingerprint_source(src)["names"]["stmts"][-1]
    assert (st[2] if st[1].startswith("ann:") else None) == kind, (src, st)
k1, k2, k3 = (fp.fingerprint_source(F + src)["names"]["stmts"][-1][1]
              for src in ("A: int = 1", "A: int = 2", "A: 'int' = 1"))
assert k1 == k2 != k3, (k1, k2, k3)
# Which are derived ("derive": a value over earlier plain or derived
# assignments' names and known-pure builtins, evaluated by the tool;
# docs/python-functions.md, "Derived values"): the last statement's kind
# and names.
V = "__version_info__ = (3, 1, 2)\n"
for src, kind in ((V + "__version__ = '.'.join(map(str, __version_info__))", ["__version__"]),
                  (V + "A = __version_info__", ["A"]), (V + "A = B = tuple(__version_info__)", ["A", "B"]),
                  (V + "A = f'v{__version_info__[0]}'", ["A"]), ("M = 3\nA = f'{M}.{M!r}'", ["A"]),
                  ("M = 3\nA = f'{M:>4}'", None), ("A = int('12')", ["A"]), ("A = int('x')", None),
                  ("A = int('\u0663')", None), ("A = str(3)", ["A"]), ("A = str([1])", None),
                  ("M = [1]\nA = {M: 1}", None), ("M = (1, 'a')\nA = {M: 1}", ["A"]),
                  (V + "A = '.'.join(__version_info__)", None),
                  (V + "A = map(str, __version_info__)", None),
                  (V + "A = list(map(int, __version_info__))", ["A"]),
                  ("A = tuple('abc')", None), ("A = B\nB = 1", None), ("A = len('x')", ["A"]),
                  ("A = len(3)", None), ("A = len(map(str, (1,)))", None),
                  (V + "def f():\n    pass\nA = f(__version_info__)", None),
                  (V + "str = repr\nA = '.'.join(map(str, __version_info__))", None),
                  (V + "import builtins\nA = '.'.join(map(str, __version_info__))", None),
                  (V + "from os import *\nA = '.'.join(map(str, __version_info__))", None),
                  (V + "def g():\n    globals()['str'] = 1\nA = '.'.join(map(str, __version_info__))", None),
                  (V + "A = '.'.join(map(str, __version_info__))\nA = 1", None),
                  ("S = 'x' * 3\nA = S", None), ("S = 'xxxxxxxx'\nT = '.'.join((S, S))\nA = '.'.join((T, T))", ["A"]),
                  ("A = '.'.join(('x' * 1,))", None), ("A = str(" + "9" * 700 + ")", None),
                  ("A = " + "tuple(" * 70 + "()" + ")" * 70, None),
                  # comprehensions: one `for` over a derived tuple or list,
                  # no condition; its variable is its own, not the module's
                  ("A = '|'.join(f'({x})' for x in ('a', 'b'))", ["A"]),
                  ("T = ('a', 'b')\nA = [f'{x}!' for x in T]", ["A"]),
                  ("x = 'q'\nA = tuple(x for x in ('a',))", ["A"]),
                  ("A = [x for x in 'ab']", None), ("A = (x for x in ('a',))", None),
                  ("A = [x for x in ('a',) if x]", None), ("A = [x for x in ('a',) for y in ('b',)]", None),
                  ("A = [x for (x, y) in (('a', 1),)]", None), ("A = [y for x in ('a',)]", None),
                  ("A = [[x for x in ('a',)] for y in ('b',)]", ["A"]),
                  ("A = [(x for x in ('a',)) for y in ('b',)]", None),
                  # its variable shadows what is called
                  ("A = [str(x) for str in ('a',)]", None),
                  ("A = '.'.join(map(str, (1,)) for str in ('a',))", None),
                  # subscripts: an int index in range of a tuple, list or
                  # str, a slice with int bounds, a key a dict holds
                  (V + "A = __version_info__[0]", ["A"]), (V + "A = __version_info__[-3]", ["A"]),
                  (V + "A = __version_info__[3]", None), (V + "A = __version_info__[-4]", None),
                  (V + "A = __version_info__[:2]", ["A"]), (V + "A = __version_info__[1:9:2]", ["A"]),
                  (V + "A = __version_info__[::0]", None), (V + "A = __version_info__['a']", None),
                  (V + "A = __version_info__[True]", None), ("A = 'abc'[1]", ["A"]),
                  ("D = {'a': 'x', (1, 2): 'y'}\nA = D['a'] + D[(1, 2)]", ["A"]), ("D = {'a': 1}\nA = D['b']", None),
                  ("D = {'a': 1}\nA = D['a':]", None), ("M = map(str, (1,))\nA = M[0]", None),
                  # concatenation of two of one type: str, bytes, tuple, list
                  ("A = 'v' + str(3)", ["A"]), ("A = (1,) + (2,)", ["A"]), ("A = [1] + [2]", ["A"]),
                  ("A = 'a' + 1", None), ("A = (1,) + [2]", None), ("A = 'a' - 'b'", None),
                  # %-formatting: %s, %d, %i and %% only, one scalar each
                  (V + "A = '%d.%d.%d' % __version_info__", ["A"]), ("A = '%s-%i%%' % ('x', True)", ["A"]),
                  ("A = '%s' % 'x'", ["A"]), ("A = '%5d' % 3", None), ("A = '%.2s' % 'x'", None),
                  ("A = '%*d' % (3, 4)", None), ("A = '%(a)s' % {'a': 1}", None), ("A = '%r' % 'x'", None),
                  ("A = '%d' % 1.5", None), ("A = '%d' % 'x'", None), ("A = '%s' % [1]", None),
                  ("A = '%s %s' % ('x',)", None), ("A = 'x' % 3", None), ("A = 'x%' % ()", None),
                  ("A = 7 % 3", None),
                  # str.format of a constant: {} or {N} fields, no spec, !s
                  (V + "A = '{}.{}.{}'.format(*__version_info__)", ["A"]),
                  ("A = '{1}-{0!s}'.format('a', 2)", ["A"]), ("A = '{}'.format('a', 'b')", ["A"]),
                  ("A = '{0}.{}'.format(1, 2)", None), ("A = '{}.{0}'.format(1, 2)", None),
                  ("A = '{x}'.format(x=1)", None), ("A = '{0.real}'.format(1)", None),
                  ("A = '{0[0]}'.format((1,))", None), ("A = '{:>3}'.format('x')", None),
                  ("A = '{!r}'.format('x')", None), ("A = '{}{}'.format('x')", None),
                  ("A = '{'.format()", None), ("A = '{}'.format([1])", None),
                  ("F = '{}'\nA = F.format(1)", None),
                  # a statement that may run code before it: a list, dict
                  # or set bound earlier may hold other items now
                  ("L = ['a']\nL.append(1)\nA = '.'.join(L)", None), ("L = ['a']\nA = '.'.join(L)", ["A"]),
                  ("T = ('a', ['b'])\nf()\nA = T[0]", None), ("T = ('a', 'b')\nf()\nA = T[0]", ["A"]),
                  ("D = {'a': 'x'}\nD.clear()\nA = D['a']", None),
                  # str methods of a derived str (no keyword; lower,
                  # upper and the whitespace forms of an ASCII one)
                  ("V = '1.2.3'\nA = tuple(int(x) for x in V.split('.'))", ["A"]),
                  ("V = '1.2.3'\nA = tuple(map(int, V.rsplit('.')))", ["A"]),
                  ("A = ' a b '.split()", ["A"]), ("A = ' a '.strip()", ["A"]), ("A = 'xay'.strip('xy')", ["A"]),
                  ("A = 'a.b'.partition('.')", ["A"]), ("A = 'Ab'.lower() + 'c'.upper()", ["A"]),
                  ("A = 'abc'.startswith(('a', 'x'))", ["A"]), ("A = 'abc'.count('b')", ["A"]),
                  ("A = 'a-b'.replace('-', '.')", ["A"]), ("S = '.'\nA = S.join(('a', 'b'))", ["A"]),
                  ("V = '1.2'\nA = V.split('')", None), ("A = '\u00c9'.lower()", None),
                  ("A = '\u2003a'.split()", None), ("A = 'x'.split(sep='.')", None),
                  ("A = str.join('.', ('a',))", None), ("A = 'abc'.find('b')", None),
                  ("A = (1,).count(1)", None), ("A = 'a'.startswith(1)", None),
                  ("S = '" + "a" * 40000 + "'\nA = S.replace('a', 'bb')", None),
                  ("A = 'ab'.replace('', '-')", ["A"]),
                  # comparisons, `not`, `and`/`or`, a conditional value
                  ("A = 1 < 2 <= 2 != 3", ["A"]), ("A = 'a' in ('a', 'b')", ["A"]),
                  ("A = 1 < 'a'", None), ("A = 'a' is 'a'", None), ("A = not ()", ["A"]),
                  ("A = 0 or 'x'", ["A"]), ("A = 1 and ''", ["A"]), ("A = 'a' if () else 'b'", ["A"]),
                  # a call of a plain function of the module defined
                  # before it, run by the tool (Python-Markdown's
                  # _get_version): parameters, locals, asserts, if/elif,
                  # += of a str, return
                  (V + "def f(v):\n    return '.'.join(map(str, v))\nA = f(__version_info__)", ["A"]),
                  (V + "def f(v):\n    'doc'\n    assert len(v) == 3\n    n = 2 if v[2] == 0 else 3\n"
                   "    s = '.'.join(map(str, v[:n]))\n    if v[0] > 5:\n        s += 'x'\n"
                   "    elif not v[1]:\n        pass\n    else:\n        s += '.post'\n    return s\n"
                   "A = f(__version_info__)", ["A"]),
                  (V + "def f(v):\n    if v:\n        return 1\nA = f(())", ["A"]),
                  ("def f(a, /, b):\n    return a + b\nA = f('a', 'b')", ["A"]),
                  ("def g(a):\n    return a + '!'\ndef f(a):\n    return g(a)\nA = f('x')", ["A"]),
                  # ... not: an assert that fails, a local read before it
                  # is bound, a loop, a global, a walrus (in any branch),
                  # a lambda, a list's +=, a default, a decorator, a
                  # keyword argument, a function defined after the call
                  # or twice, recursion, a generator, an async def
                  (V + "def f(v):\n    assert len(v) == 5\n    return 1\nA = f(__version_info__)", None),
                  ("def f():\n    x = x\n    return x\nx = 1\nA = f()", None),
                  ("def f():\n    if False:\n        x = 1\n    return x\nx = 1\nA = f()", None),
                  ("def f(v):\n    for x in v:\n        pass\n    return 1\nA = f((1,))", None),
                  ("def f():\n    global A\n    return 1\nA = f()", None),
                  ("x = 1\ndef f():\n    if False:\n        (x := 2)\n    return x\nA = f()", None),
                  ("def f():\n    return (lambda: 1)\nA = f()", None),
                  ("def f(v):\n    v += [2]\n    return v\nL = [1]\nA = f(L)", None),
                  ("def f(v=1):\n    return v\nA = f(2)", None),
                  ("def d(g):\n    return g\n@d\ndef f():\n    return 1\nA = f()", None),
                  ("def f(v):\n    return v\nA = f(v=1)", None), ("A = f(1)\ndef f(v):\n    return v", None),
                  ("def f():\n    return 1\ndef f():\n    return 2\nA = f()", None),
                  ("def f(n):\n    return f(n)\nA = f(1)", None),
                  ("def f():\n    yield 1\nA = f()", None), ("async def f():\n    return 1\nA = f()", None),
                  ("def f(v):\n    return v\nA = f(map(str, (1,)))", None),
                  ("def f(a):\n    return a\nA = f()", None),
                  # ... nor one code could have changed since its def
                  ("def f():\n    return 1\nf.__code__ = (lambda: 2).__code__\nA = f()", None),
                  ("def f():\n    return 1\ndef g():\n    globals()['f'] = 1\nA = f()", None)):
    st = fp.fingerprint_source(src)["names"]["stmts"][-1]
    assert (st[2] if st[1] == "derive" else None) == kind, (src, st)
# A call's statement mentions the module's names the function read, and
# its digest holds the function's body: an edit of the body is a changed
# statement, where the def statement itself stays the same.
C = "DEV = '.dev'\ndef f(v):\n    return v + DEV\nA = f('1')"
st = fp.fingerprint_source(C)["names"]["stmts"]
assert st[2][1:3] == ["derive", ["A"]] and st[2][3] == ["DEV", "f"], st
st2 = fp.fingerprint_source(C.replace("v + DEV", "DEV + v"))["names"]["stmts"]
assert st2[1][0] == st[1][0] and st2[2][0] != st[2][0], (st, st2)
# a comprehension's value: each item through its element, and only the
# module's names it reads are its mentions (not the variable)
st = fp.fingerprint_source("T = ('a', 'b')\nA = '|'.join(f'({x})' for x in T)")["names"]["stmts"]
assert st[1][1:3] == ["derive", ["A"]] and "T" in st[1][3], st
st = fp.fingerprint_source(V + "__version__ = '.'.join(map(str, __version_info__))")["names"]["stmts"]
assert st[0][1:] == ["assign", ["__version_info__"], []] and \
    st[1][1:] == ["derive", ["__version__"], ["__version_info__", "map", "str"]], st
# Regular expressions ("derive:re"): re.compile() of a derived str or
# bytes, with re's flags, through the one `import re`, which the tool
# compiles here; one that raises or warns, or another shape, is "other".
R = "import re\n"
for src, kind in ((R + "A = re.compile('a+')", "derive:re"), (R + "A = re.compile(b'a+', re.I | re.M)", "derive:re"),
                  (R + "A = re.compile('a+', flags=re.VERBOSE)", "derive:re"),
                  (R + "P = 'a'\nA = re.compile(f'{P}b', 0)", "derive:re"),
                  (R + "A = [re.compile('a'), (re.compile('b'),)]", "derive:re"),
                  (R + "A = re.compile('a')\nB = A", "derive"), (R + "P = 'a'\nA = re.compile(P + 'b')", "derive:re"),
                  (R + "A = re.compile('a(')", "other"), (R + "A = re.compile('[[a]')", "other"),
                  (R + "A = re.compile('a', re.DEBUG)", "other"), (R + "A = re.compile('a', re.LOCALE)", "other"),
                  (R + "A = re.compile('a', flags=re.I, x=1)", "other"), (R + "A = re.compile('a', re.I, re.M)", "other"),
                  (R + "A = re.compile(*'a')", "other"), (R + "A = re.compile('a', re.I + re.M)", "other"),
                  (R + "A = re.compile('a').pattern", "other"), (R + "A = str(re.compile('a'))", "other"),
                  (R + "A = {re.compile('a'): 1}", "other"), (R + "B = re.compile('a')\nA = re.compile(B)", "other"),
                  ("import re as rx\nA = rx.compile('a')", "other"), ("from re import compile\nA = compile('a')", "other"),
                  ("A = re.compile('a')", "other"), (R + "re = None\nA = re.compile('a')", "other"),
                  (R + "def f():\n    global re\nA = re.compile('a')", "other"),
                  (R + "from os import *\nA = re.compile('a')", "other"), ("import re.x\nA = re.compile('a')", "other"),
                  (R + "A = [re.compile('a') for re in ('b',)]", "other"),
                  (R + "A = [re.compile(p) for p in ('a', 'b')]", "derive:re")):
    st = fp.fingerprint_source(src)["names"]["stmts"][-1]
    assert st[1] == kind, (src, st)
# Annotated and derived ("ann:<digest>:derive", ":derive:re"), where the
# module postpones its annotations; one annotated value neither plain nor
# derived makes every annotated assignment "other".
for src, kind in ((F + R + "A: P = re.compile('a')", ":derive:re"),
                  (F + "V = (1, 2)\nA: str = '.'.join(map(str, V))", ":derive"),
                  (F + R + "A: P = re.compile('a(')", None), (R + "A: P = re.compile('a')", None),
                  (F + R + "B: int = f()\nA: P = re.compile('a')", None),
                  (F + R + "A: P = re.compile('a')\nB: int = f()\nC: int = 1", None)):
    sts = fp.fingerprint_source(src)["names"]["stmts"]
    st = [s for s in sts if s[2] == ["A"] or (s[1] == "other" and "A" in s[3])][0]
    got = st[1][st[1].index(":", 4):] if st[1].startswith("ann:") else None
    assert got == kind, (src, st)
    if kind is None:
        assert not any(s[1].startswith("ann:") for s in sts), (src, sts)
# A pattern that warns, twice (re's cache would not warn again): both other.
assert [st[1] for st in fp.fingerprint_source(R + "A = re.compile('[[b]')\nB = re.compile('[[b]')")["names"]["stmts"]] \
    == ["stdimport:re", "other", "other"]
k1, k2 = (fp.fingerprint_source(F + R + src)["names"]["stmts"][-1][1] for src in ("A: P = 1", "A: P = re.compile('a')"))
assert k2 == k1 + ":derive:re", (k1, k2)
# Bounded: a string past 64 KiB is no derived value (doubling by names).
src = "S0 = '" + "x" * 1024 + "'\n" + "".join(
    "S%d = ''.join((S%d, S%d))\n" % (i + 1, i, i) for i in range(10))
assert [s[1] for s in fp.fingerprint_source(src)["names"]["stmts"]][-6:] == \
    ["derive", "derive"] + ["other"] * 4, fp.fingerprint_source(src)["names"]["stmts"]
# The words of its strings are mentions, as for any statement's.
assert fp.fingerprint_source("A = {'LIMIT': 1}")["names"]["stmts"][0][3] == ["LIMIT"]
# vars(x) and dir(x) read x's attributes (a module's through its __dict__,
# which the recorder notes): no read of the caller's namespace.  vars(),
# dir(), dir(*a), globals() are.
for src, refs in (("def f(st):\n    return vars(st)\n", ["st", "vars"]),
                  ("def f(m):\n    return dir(m, )\n", ["dir", "m"]),
                  ("def f():\n    return vars()\n", ["*"]),
                  ("def f():\n    return dir()\n", ["*"]),
                  ("def f(a):\n    return dir(*a)\n", ["*", "a"]),
                  ("def f():\n    return globals()\n", ["*"])):
    assert fp.fingerprint_source(src)["names"]["refs"]["f"] == refs, (src, refs)
st = fp.fingerprint_source("def f(st):\n    return vars(st)\nclass E(ValueError):\n    pass\n")
assert st["names"]["stmts"][-1][1] == "class", st
# So with a builtin named in a test's marks.
MARKED = "import pytest\n%s@pytest.mark.xfail(raises=ValueError)\ndef test_x():\n    pass\n"
assert fp.fingerprint_source(MARKED % "")["names"]["stmts"][-1][1] == "mark"
for pre in ("from os.path import *\n", "def f():\n    global ValueError\n    ValueError = 1\n"):
    st = fp.fingerprint_source(MARKED % pre)["names"]["stmts"]
    assert st[-1][1] == "other", (pre, st)

# The key an executed code object's qualname maps to.
b = fp.fingerprint_source(open("shop/registry.py").read())["bodies"]
assert fp.function_key("register.<locals>.deco", b) == "register"
assert fp.function_key("hello", b) == "hello"
assert fp.function_key("<module>", b) is None
c = fp.fingerprint_source(open("shop/catalog.py").read())["bodies"]
assert fp.function_key("Item", c) is None           # the class body: skeleton
assert fp.function_key("Item.label", c) == "Item.label"
u = fp.fingerprint_source(open("shop/util.py").read())["bodies"]
assert fp.function_key("build_table.<locals>.<dictcomp>", u) == "build_table"
# A nested function (of a function that keeps no state) is a key of its own;
# a lambda or class body in it counts for it, anything else nested deeper
# for the deepest key.
n = fp.fingerprint_source("def f():\n    def g():\n        return lambda: 1\n"
                          "    class C:\n        def m(self):\n            return 2\n"
                          "    return g, C\n")["bodies"]
assert sorted(n) == ["f", "f.<locals>.C.m", "f.<locals>.g"], n
assert fp.function_key("f.<locals>.g", n) == "f.<locals>.g"
assert fp.function_key("f.<locals>.g.<locals>.<lambda>", n) == "f.<locals>.g"
assert fp.function_key("f.<locals>.C", n) == "f"
assert fp.function_key("f.<locals>.C.m", n) == "f.<locals>.C.m"
assert fp.function_key("f.<locals>.C.m.<locals>.<genexpr>", n) == "f.<locals>.C.m"
assert fp.function_key("f.<locals>.h", n) == "f"

# Whether a body yields, read from the compiled flags (_generators), is
# what the tree says (the general rule, _yields without them), for every
# function of the first 400 files of this interpreter's standard library.
import _ast
import glob
import warnings
count = 0
for path in sorted(glob.glob(os.path.join(os.path.dirname(os.__file__), "**", "*.py"),
                             recursive=True))[:400]:
    try:
        with open(path, "rb") as f, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = compile(f.read(), path, "exec", _ast.PyCF_ONLY_AST)
            gens = fp._generators(compile(tree, path, "exec", dont_inherit=True))
    except (SyntaxError, ValueError, OSError):
        continue
    todo = [tree]
    while todo:
        x = todo.pop()
        if isinstance(x, fp._FUNCS):
            count += 1
            assert fp._yields(x, gens) == fp._yields(x), (path, x.name, x.lineno)
        for name in x._fields:
            v = getattr(x, name, None)
            todo.extend(c for c in (v if isinstance(v, list) else [v]) if isinstance(c, _ast.AST))
assert count > 1000, count

# The command line: one JSON object, null for a file it cannot use.
with open("broken.py", "w") as f:
    f.write("def f(:\n")
out = subprocess.run([sys.executable, os.path.join(sys.argv[1], "ftrace_fingerprint.py"),
                      "shop/prices.py", "broken.py", "missing.py"],
                     check=True, capture_output=True, text=True).stdout
doc = json.loads(out)
assert doc["broken.py"] is None and doc["missing.py"] is None, doc
# At selection only, the tool adds the standard library it checked
# from-imports against, and per name imported whether the module has it.
assert doc["shop/prices.py"]["names"].pop("std") == sys.version + "\n" + sys.base_prefix, doc
assert doc["shop/prices.py"] == fp.fingerprint_file("shop/prices.py"), doc
assert sorted(doc["shop/prices.py"]["bodies"]) == ["gross", "net"], doc
with open("imports.py", "w") as f:
    f.write("from threading import Lock, Event as E, Nope\nfrom os import sep\n"
            "from colorsys import rgb_to_hls as conv\nimport json\n")
# Only the modules given with --stdlib (what the recordings had loaded from
# the standard library: selection allows no other's names to change).
out = subprocess.run([sys.executable, os.path.join(sys.argv[1], "ftrace_fingerprint.py"),
                      "--stdlib", "threading,colorsys", "imports.py"],
                     check=True, capture_output=True, text=True).stdout
st = json.loads(out)["imports.py"]["names"]["stmts"]
assert [s[1:] for s in st] == [
    ["from:threading", ["Lock", "E", "Nope"], [], ["Lock", "Event", "Nope"], [1, 1, 0]],
    ["from:os", ["sep"], [], ["sep"]],
    ["from:colorsys", ["conv"], [], ["rgb_to_hls"], [1]],
    ["stdimport:json", ["json"], []]], st
out = subprocess.run([sys.executable, os.path.join(sys.argv[1], "ftrace_fingerprint.py"),
                      "imports.py"], check=True, capture_output=True, text=True).stdout
assert [len(s) for s in json.loads(out)["imports.py"]["names"]["stmts"]] == [5, 5, 5, 4], out
# The recorder's fingerprints have no check: it would import modules in
# the test session.
st = fp.fingerprint_file("imports.py")["names"]
assert "std" not in st and [len(s) for s in st["stmts"]] == [5, 5, 5, 4], st
assert "colorsys" not in sys.modules

# What a statement that is of no plain kind does at import
# (docs/python-functions.md, "Import-time effects"): it acts by its form
# ("other"), binds ("bind", "bind:def" for a def or class), or imports what
# must be loaded ("pimport:", "?" before a from-import's names).
for src, kind in (('"""doc"""', "doc"),
                  ("pkg.conf.STRICT = True", "other"),
                  ("os.environ['A'] = '1'", "other"),
                  ("del pkg.conf.STRICT", "other"),
                  ("a, pkg.x = 1, 2", "other"),
                  ("register(1)", "other"),
                  ("L = []\nL += [1]", "other"),
                  ("from pkg import *", "other"),
                  ("for k in (1,):\n    REG[k] = k", "other"),
                  ("if X:\n    setup()", "other"),
                  ("with ctx() as c:\n    c.x = 1", "other"),
                  ("try:\n    import a\nexcept ImportError:\n    register()", "other"),
                  ("READY = helpers.prepare()", "bind"),
                  ("A = B = make()", "bind"),
                  ("@pytest.fixture\ndef fx():\n    return 1", "bind:def"),
                  ("class K(pkg.Base):\n    x = f()", "bind:def"),
                  ("class P:\n    import pkg.conf as c\n    c.STRICT = True", "other"),
                  ("class P(pkg.Base):\n    register(1)", "other"),
                  # a method that stores into another module: "leaves"
                  # (docs/python-functions.md, "Functions that write
                  # outside their module")
                  ("class P(pkg.Base):\n    def m(self):\n        pkg.x = 1", "leaves"),
                  ("import os\ndef put():\n    os.environ['X'] = '1'", "leaves:os"),
                  ("import sys\ndef put():\n    sys.modules['m'].X = 0", "leaves:sys"),
                  ("def put():\n    import m as t\n    t.X = 0", "leaves:m"),
                  ("def put():\n    from .. import m\n    m.X.append(0)", "leaves:?..m"),
                  ("from m import REG, O\ndef put(k):\n    REG[k] = 1\ndef other():\n    import os.path\n    os.path.X = 1", "leaves:?m.REG,os"),
                  ("from m import REG\ndef put(k):\n    REG.append(k)", "leaves:?m.REG"),
                  ("def put(k):\n    from m import REG\n    REG.append(k)", "leaves:?m.REG"),
                  ("def put(k):\n    import m\n    m.add(k)", "def"),
                  ("_E = os.environ\ndef put(k):\n    _E[k] = '1'", "leaves"),
                  ("def put(o):\n    type(o).n = 1", "leaves"),
                  ("from unittest import mock\ndef test_p():\n    mock.patch('m.X', 1).start()", "leaves"),
                  ("from unittest.mock import patch\ndef test_p():\n    p = patch('m.X', 1)\n    p.start()", "leaves"),
                  ("import sys\ndef _set():\n    sys.modules['m'].X = 0\ndef main():\n    _set()", "leaves:sys"),
                  # a store through a name the module binds twice: any
                  ("import m\nm = 1\ndef put():\n    m.X = 0", "leaves"),
                  # a standard-library setter of process-wide state
                  ("import os\ndef test_d():\n    os.chdir('/')", "leaves"),
                  ("from os import chdir\ndef test_d():\n    chdir('/')", "leaves"),
                  ("import numpy as np\ndef test_d():\n    np.random.seed(1)", "leaves"),
                  ("def test_w():\n    import warnings\n    warnings.simplefilter('error')", "leaves"),
                  ("import warnings\ndef test_w():\n    with warnings.catch_warnings():\n        warnings.simplefilter('error')", "def"),
                  ("import os\ndef test_d():\n    return os.getcwd()", "def"),
                  # a probe of toolz, 2026-11-28: pickling's table, an ABC's
                  # virtual subclasses, text run by exec() or eval()
                  ("import copyreg\ndef f():\n    copyreg.pickle(C, red)", "leaves"),
                  ("from collections.abc import Sequence\ndef f():\n    Sequence.register(dict)", "leaves:?collections.abc.Sequence"),
                  ("import collections.abc\ndef f():\n    collections.abc.Mapping.register(list)", "leaves:collections"),
                  ("def f():\n    from collections.abc import Sequence\n    Sequence.register(dict)", "leaves:?collections.abc.Sequence"),
                  ("from m import sigs\ndef f():\n    exec('sigs.pop(abs, None)')", "leaves"),
                  ("def f(s):\n    return eval(s)", "leaves"),
                  ("def f(s):\n    eval = len\n    return eval(s)", "def"),
                  ("class Reg:\n    pass\n_R = Reg()\ndef f(c):\n    _R.register(c)", "bind:def"),
                  # through a local alias (the same probe)
                  ("from m import sigs\ndef f():\n    d = sigs.table\n    d.pop(abs, None)", "leaves:?m.sigs"),
                  ("import m\ndef f():\n    pop = m.table.pop\n    pop(abs, None)", "leaves:m"),
                  ("import sys\ndef f():\n    mods = sys.modules\n    mods['x'] = 1", "leaves:sys"),
                  ("from m import part\ndef f():\n    p = part\n    p.__defaults__ = (None,)", "leaves:?m.part"),
                  ("H = []\ndef f():\n    for h in H:\n        h.n = 1", "bind:def"),
                  ("def f(self):\n    items = self._items\n    items.append(1)", "def"),
                  ("X = [1]\ndef f():\n    lst = list(X)\n    lst.append(1)\n    return lst", "def"),
                  ("def f(d):\n    e = d\n    e[1] = 2", "def"),
                  # a module's object made again, or handed to a lambda or a
                  # function of the module that mutates it (the same probe)
                  ("from m import flip\ndef f():\n    flip.__init__(lambda a, b: 0)", "leaves:?m.flip"),
                  ("import m\ndef f():\n    m.sigs.__init__()", "leaves:m"),
                  ("from m import sigs\ndef f():\n    (lambda d: d.pop(abs, None))(sigs)", "leaves:?m.sigs"),
                  ("from m import REG\ndef _reset(r):\n    r.clear()\ndef f():\n    _reset(REG)", "leaves:?m.REG"),
                  ("from m import REG\ndef f():\n    def h(r, k):\n        r[k] = 1\n    h(k=1, r=REG)", "leaves:?m.REG"),
                  ("from m import REG\ndef f(*a):\n    def h(k, r):\n        r.x = 1\n    h(*a, REG)", "leaves:?m.REG"),
                  ("from m import REG\ndef f(x, reg=REG):\n    reg.append(x)", "leaves:?m.REG"),
                  ("import m\ndef f():\n    def h(r=m.REG):\n        r.append(1)\n    h()", "leaves:m"),
                  ("from m import REG\ndef g(**kw):\n    kw['r'].clear()\ndef f():\n    g(r=REG)", "leaves:?m.REG"),
                  ("from m import REG\ndef _fill(d):\n    d[1] = 2\ndef f():\n    _fill({})\n    _fill(REG.copy())", "def"),
                  ("from m import Base\nclass K(Base):\n    def __init__(self, *a):\n        Base.__init__(self, *a)\n        super(K, self).__init__()", "bind:def"),
                  # a module an import call returns
                  ("def f():\n    b = __import__('builtins')\n    b.ZeroDivisionError = KeyError", "leaves"),
                  ("import importlib\ndef f():\n    importlib.import_module('m').X = 1", "leaves"),
                  ("def f():\n    __import__('copyreg').pickle(C, r)", "leaves"),
                  ("def f():\n    return __import__('os').path.join('a')", "def"),
                  # ...and the module's own state, or an instance's: not
                  ("_R = {}\ndef put(k):\n    _R[k] = 1", "bind:def"),
                  ("class K:\n    _all = []\n    def add(self):\n        type(self)._all.append(1)", "bind:def"),
                  ("class K(dict):\n    def put(self, k):\n        super().__setitem__(k, 1)\n        dict.__setitem__(self, k, 2)", "class"),
                  ("def put():\n    out = {}\n    out['k'] = 1\n    return out", "def"),
                  ("class K(Exception):\n    def __setattr__(self, k, v):\n        BaseException.__setattr__(self, k, v)", "class"),
                  ("from m import Base\ndef put(o):\n    Base.__setattr__(o, 'k', 1)", "def"),
                  # ...but bound, on an imported object, it is a store there
                  ("from m import REG\ndef put():\n    REG.__setitem__('k', 1)", "leaves:?m.REG"),
                  ("class P(pkg.Base):\n    class Q:\n        pkg.x = 1", "other"),
                  ("if X:\n    Y = f()\nelse:\n    Y = 2", "bind"),
                  # a call that acts whatever its result is used for, in a
                  # value, a default, a base or a compound statement's
                  # header (a probe of boltons, 2026-11-27: each escaped
                  # by function)
                  ("if setattr(m, 'a', 1) is None:\n    pass", "other"),
                  ("assert setattr(m, 'a', 1) is None", "other"),
                  ("for _ in [setattr(m, 'a', 1)]:\n    pass", "other"),
                  ("while delattr(m, 'a'):\n    pass", "other"),
                  ("match setattr(m, 'a', 1):\n    case _:\n        pass", "other"),
                  ("with ctx(setattr(m, 'a', 1)):\n    pass", "other"),
                  ("_X = setattr(m, 'a', 1)", "other"),
                  ("_X: int = exec('m.a = 1')", "other"),
                  ("def _p(x=setattr(m, 'a', 1)):\n    pass", "other"),
                  ("class K(base(setattr(m, 'a', 1))):\n    pass", "other"),
                  ("_X = m.REG.append(1)", "other"),
                  ("import os\n_X = os.remove('f')", "bind"),
                  ("import pkg.conf\n_X = pkg.conf.REG.append(1)", "other"),
                  ("_R = {}\n_X = _R.setdefault('k', 1)", "bind"),
                  ("_F = lambda: setattr(m, 'a', 1)", "bind"),
                  ("if hasattr(m, 'a'):\n    Y = 1", "bind"),
                  ("import pkg.conf", "pimport:pkg,pkg.conf"),
                  ("from pkg import conf as c, other", "pimport:pkg,?pkg.conf,?pkg.other"),
                  ("from . import sib", "pimport:.,?.sib"),
                  ("from ..m.n import q", "pimport:..m,..m.n,?..m.n.q"),
                  ("try:\n    import z\nexcept ImportError:\n    z = None", "pimport:z")):
    st = _source(src + "\n")["names"]["stmts"]
    assert st[-1][1] == kind or (kind == "doc" and st[0][1] == kind), (src, kind, st)

# A call of another project module's writer (ftrace_pystate.Calls, a probe
# of toolz, 2026-11-28: `_sigs.create_signature_registry(...)` added to a
# test), found from the file's path: the caller's statement is "leaves"
# with the import it goes through, and its digest holds the body's, while
# the skeleton and the body keys stay what they were.  Each row: the test
# module's text; whether its last function is such a caller.
import tempfile
import ftrace_pystate as pst
fp.fingerprint_source = _source   # (the kinds as they are, not _not_plain's)
top = tempfile.mkdtemp()
for rel, text in (("pkg/__init__.py", "from .reg import *\nfrom .util import helper\n"),
                  ("pkg/reg.py", "REG = {}\n__all__ = ['register', 'lookup', 'fill']\n"
                                 "def register(k, v):\n    REG[k] = v\n"
                                 "def lookup(k):\n    return REG.get(k)\n"
                                 "def fill(d):\n    d[1] = 2\n"
                                 "class Plugin:\n    seen = []\n    @classmethod\n"
                                 "    def add(cls, x):\n        cls.seen.append(x)\n"),
                  ("pkg/util.py", "def helper(x):\n    return x + 1\n"),
                  ("tests/sub/__init__.py", ""),
                  ("tests/sub/mod.py", "_N = []\ndef bump():\n    _N.append(1)\n"),
                  ("pkg/ids.py", "from itertools import count\n_next = lambda c=count(1): next(c)\n"
                                 "_IDS = count()\ndef new_id():\n    return next(_IDS)\n")):
    os.makedirs(os.path.dirname(os.path.join(top, rel)), exist_ok=True)
    with open(os.path.join(top, rel), "w") as f:
        f.write(text)
CALLS = [
    ("import pkg\ndef test_a():\n    pkg.register('a', 1)", "leaves:pkg"),
    ("from pkg import reg as r\ndef test_a():\n    r.lookup('a')\n    r.register('a', 1)", "leaves:?pkg.reg"),
    ("from pkg.reg import register\ndef test_a():\n    register('a', 1)", "leaves:?pkg.reg.register"),
    ("import pkg.reg\ndef test_a():\n    pkg.reg.Plugin.add(1)", "leaves:pkg"),
    ("from pkg import register\ndef test_a():\n    register('a', 1)", "leaves:?pkg.register"),
    ("from .sub import mod\ndef test_a():\n    mod.bump()", "leaves:?.sub.mod"),
    ("from pkg import REG, fill\ndef test_a():\n    fill(REG)", "leaves:?pkg.REG"),
    ("def test_a():\n    from pkg import reg\n    reg.register('a', 1)", "leaves:?pkg.reg"),
    # a counter advanced: a lambda's lasting default, a module's iterator
    # (a probe of glom, 2026-11-28: the tutorial's ids), by name, through
    # an import call, and a function reached through __globals__
    ("from pkg import ids\ndef test_a():\n    ids._next()", "leaves:?pkg.ids"),
    ("from pkg import ids\ndef test_a():\n    ids.new_id()", "leaves:?pkg.ids"),
    ("from pkg import ids\ndef test_a():\n    next(ids._IDS)", "leaves:?pkg.ids"),
    ("def test_a():\n    __import__('pkg.ids').ids.new_id()", "leaves:pkg"),
    ("from pkg import helper\ndef test_a():\n    helper.__globals__['x'](1)", "leaves"),
    # not: a function that stores nothing, one given a new object, a name
    # no project module defines, a local that shadows the import
    ("import pkg\ndef test_a():\n    pkg.lookup('a')\n    pkg.helper(1)", "def"),
    ("from pkg import fill\ndef test_a():\n    fill({})", "def"),
    ("import json\ndef test_a():\n    json.register('a')", "def"),
    ("import pkg\ndef test_a(pkg):\n    pkg.register('a', 1)", "def"),
    ("from pkg import REG\ndef test_a():\n    REG['k'](1)", "def"),
]
bad = []
for src, kind in CALLS:
    path = os.path.join(top, "tests", "test_calls.py")
    with open(path, "w") as f:
        f.write(src + "\n")
    got = fp.fingerprint_file(path, pst.Calls(path))
    plain = fp.fingerprint_file(path)
    if got["names"]["stmts"][-1][1] != kind:
        bad.append("%r: kind %r, want %r" % (src, got["names"]["stmts"][-1][1], kind))
    if (got["skeleton"], got["bodies"]) != (plain["skeleton"], plain["bodies"]):
        bad.append("%r: the skeleton or the body keys differ with Calls" % src)
    # the body's edit is the statement's: its digest moves with it
    with open(path, "w") as f:
        f.write(src + "\n    x = 1\n")
    again = fp.fingerprint_file(path, pst.Calls(path))
    moved = again["names"]["stmts"][-1][0] != got["names"]["stmts"][-1][0]
    if moved != kind.startswith("leaves"):
        bad.append("%r: an edit of the body moved the statement's digest: %r" % (src, moved))
assert not bad, "\n".join(bad)
PY
