#!/usr/bin/env bash
# adapters/pytest/ftrace_fingerprint.py's _dump, the text every skeleton,
# body and statement fingerprint hashes, takes a short way for constants
# and names.  Its text must be the general rule's, node for node: else a
# fingerprint of this version differs from one a cache kept
# (ftrace_fpcache) and from itself across files.  Held to the general rule
# (written out here) on every interpreter with pytest, over the fixtures'
# sources, the interpreter's own standard library, and hand-made trees the
# parser never makes (a node without a field, a tuple constant, a
# postponed annotation's placeholder).
. "$(dirname "$0")/lib.sh"

check() {
	"$PY" -W ignore - "$FTRACE_SOURCE_DIR/adapters/pytest" "$FTRACE_SOURCE_DIR/fixtures" <<'PY' ||
import _ast, ast, os, sys, sysconfig
sys.path.insert(0, sys.argv[1])
import ftrace_fingerprint as fp


def general(node, out):
    if type(node) is fp._Ann:
        out.append("None")
    elif isinstance(node, _ast.AST):
        out.append(type(node).__name__)
        out.append("(")
        for name in node._fields:
            out.append(name)
            out.append("=")
            general(getattr(node, name, None), out)
            out.append(",")
        out.append(")")
    elif isinstance(node, list):
        out.append("[")
        for x in node:
            general(x, out)
            out.append(",")
        out.append("]")
    else:
        out.append(repr(node))


def same(tree, what):
    a, b = [], []
    general(tree, a)
    fp._dump(tree, b)
    assert "".join(a) == "".join(b), (what, "".join(a)[:300], "".join(b)[:300])


files = []
for top in (sys.argv[2], sysconfig.get_paths()["stdlib"]):
    for d, subs, names in os.walk(top):
        subs.sort()
        files += [os.path.join(d, n) for n in sorted(names) if n.endswith(".py")]
n = 0
for f in files[:900]:
    try:
        tree = ast.parse(open(f, "rb").read())
    except (SyntaxError, ValueError):
        continue
    same(tree, f)
    n += 1
assert n > 500, n

src = '''
x = u"a" + b"b" + f"{y!r:>{w}}" + r"\\n" + 1j + 1.5 + 0x10 + ... + None + True
del x; x, *y = 1, 2
def f(a: "T", /, *b, c=(1, (2, 3)), **d) -> ...: global x; return lambda: (yield)
'''
same(ast.parse(src), "snippet")
odd = [
    ast.Constant(value=(1, ("a", b"b"), frozenset())),   # a folded tuple
    ast.Constant(value=[1, ast.Name(id="n", ctx=ast.Load())]),
    ast.Constant(),                                      # no value, no kind
    ast.Name(id="n"),                                    # no ctx
    ast.Name(),
    ast.Constant(value=fp._PLACEHOLDER, kind="u"),
    ast.Expr(value=fp._Ann(ast.Name(id="T", ctx=ast.Load()))),
]
for i, node in enumerate(odd):
    same(node, "odd %d" % i)
    same(ast.Module(body=[ast.Expr(value=node)], type_ignores=[]), "odd %d in a module" % i)
print("dump: %d files and the odd trees agree" % n)
PY
		ft_fail "$PY: _dump differs from the general rule (see above)"
}
ft_each_python check
