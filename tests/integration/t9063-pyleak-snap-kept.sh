#!/usr/bin/env bash
# The state guard's snapshot in C (adapters/pytest/_ftrace_snap.c), the
# parts that let a mark skip work: a closure cell's content read by the
# cell type's own traversal (KIND_CELL), and tagged(), which keeps a
# dict's or a class namespace's digest while the dict's version tag
# (ftrace_pyclock) has not moved.  Each answer is checked against
# digests(), which reads every item: a kept digest must be the one a full
# read gives, and any write must make it read again.  Every CPython 3.11
# or later found (the clock is read on 3.11-3.13; tagged() is refused
# nowhere, so it is run wherever the clock is).  t9023 checks the guard
# over the same code end to end.
. "$(dirname "$0")/lib.sh"
AD=$FTRACE_BUILD_DIR/adapters/pytest
ls "$AD"/_ftrace_snap*.so >/dev/null 2>&1 || ft_skip "_ftrace_snap is not built (no Python headers)"

cat >"$FT_SCRATCH/check.py" <<'PY'
import gc
import sys
import types
sys.path.insert(0, sys.argv[1])
import _ftrace_snap as s
import ftrace_pyclock

errors = []
# cells: bound, empty, the same content twice, and not a cell
c1, c2, e = types.CellType("x"), types.CellType("x"), types.CellType()
d = s.digests(s.KIND_CELL, [c1, e, c2])
if d[:16] != d[32:48]:
    errors.append("two cells holding one object differ")
if int.from_bytes(d[:8], sys.byteorder) != 1 or int.from_bytes(d[16:24], sys.byteorder) != 0:
    errors.append("a cell's count is not 1 when bound, 0 when empty")
before = s.digests(s.KIND_CELL, [c1])
c1.cell_contents = "y"
if s.digests(s.KIND_CELL, [c1]) == before:
    errors.append("a cell rebound keeps its digest")
for bad in ([5], [{}]):
    try:
        s.digests(s.KIND_CELL, bad)
        errors.append("digests(KIND_CELL) took %r" % (bad,))
    except TypeError:
        pass
try:
    s.prefix(s.KIND_CELL, c1, 0)
    errors.append("prefix() of a cell accepted")
except ValueError:
    pass

tag, why = ftrace_pyclock.reader(instances=False)
if tag is None:
    if (3, 11) <= sys.version_info[:2] <= (3, 13):
        errors.append("no clock on %s: %s" % (sys.version, why))
    print("\n".join(errors) or "cells only: " + why)
    sys.exit(1 if errors else 0)
off = ftrace_pyclock._OFFSET


class K:
    a = 1


g1, g2 = {"a": 1}, {"b": [2]}
dicts, proxies = [g1, g2], [K.__dict__]
for kind, hs in ((s.KIND_DICT, dicts), (s.KIND_PROXY, proxies)):
    first = s.tagged(kind, hs, off, None)
    if first[0] != s.digests(kind, hs):
        errors.append("kind %d: tagged() is not digests()" % kind)
    again = s.tagged(kind, hs, off, first)
    if again != first:
        errors.append("kind %d: nothing written, and the answer moved" % kind)
    # a forged last answer with the right tags is taken as it is: the
    # proof that a digest is kept, not read again
    forged = (bytes(16 * len(hs)), first[1])
    if s.tagged(kind, hs, off, forged)[0] != forged[0]:
        errors.append("kind %d: a digest is read again though the tag did not move" % kind)
    # a last answer of another length is not used
    if s.tagged(kind, hs, off, (b"", b""))[0] != first[0]:
        errors.append("kind %d: a last answer of another length was used" % kind)

writes = [
    ("a dict's value replaced", lambda: g1.__setitem__("a", 2)),
    ("a dict's key added", lambda: g1.__setitem__("c", 3)),
    ("a dict's key deleted", lambda: g1.pop("c")),
    ("a dict cleared and filled again", lambda: (g2.clear(), g2.__setitem__("b", [2]))),
    ("a class attribute set", lambda: setattr(K, "a", 2)),
    ("a class attribute added", lambda: setattr(K, "b", 3)),
    ("a class attribute deleted", lambda: delattr(K, "b")),
]
for name, act in writes:
    lasts = {k: s.tagged(k, hs, off, None) for k, hs in ((s.KIND_DICT, dicts), (s.KIND_PROXY, proxies))}
    act()
    for k, hs in ((s.KIND_DICT, dicts), (s.KIND_PROXY, proxies)):
        got = s.tagged(k, hs, off, lasts[k])
        if got[0] != s.digests(k, hs):
            errors.append("%s: the kept digest is not a full read's" % name)
        # (a write that puts back what was there reads the same items)
for bad in ((s.KIND_LIST, dicts, off, None), (s.KIND_DICT, dicts, 3, None),
            (s.KIND_DICT, dicts, off, "x"), (s.KIND_DICT, [[1]], off, None),
            (s.KIND_PROXY, [g1], off, None)):
    try:
        s.tagged(*bad)
        errors.append("tagged%r accepted" % (bad[:1] + bad[2:],))
    except (TypeError, ValueError):
        pass
print("\n".join(errors) or "cells and tags")
sys.exit(1 if errors else 0)
PY

found=0
while read -r p <&3; do
	out=$(PYTHONDONTWRITEBYTECODE=1 "$p" "$FT_SCRATCH/check.py" "$AD" 2>&1) ||
		ft_fail "_ftrace_snap under $p: $out"
	ft_log "$p: ${out##*$'\n'}"
	found=$((found + 1))
done 3< <(ft_pythons311)
[ "$found" -gt 0 ] || ft_skip "no Python 3.11 or later"

