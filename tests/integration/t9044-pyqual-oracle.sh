#!/usr/bin/env bash
# adapters/pytest/ftrace_pyqual.py against the interpreter's own
# co_qualname: over the standard library's files (the first 600 by name),
# every code object that compile() makes has the key (co_name,
# co_firstlineno) in ftrace_pyqual.qualnames() of its source, and on 3.11
# (co_qualname, and comprehensions still scopes of their own, as before)
# its set holds the code object's own qualname: every 3.11 found is held
# to that, FT_PYTHON and Debian's /usr/bin/python3 among them (3.12 and
# later have co_qualname: the recorder does not ask).
# Before 3.11 the recorder takes qualnames from there (t9002), so a wrong
# or missing one would make a key no fingerprint names.  Every older
# interpreter found (pyenv's 3.9, 3.10) must find each code object's key.
. "$(dirname "$0")/lib.sh"
ADAPTER=$FTRACE_SOURCE_DIR/adapters/pytest
cat >"$FT_SCRATCH/oracle.py" <<'PY'
import glob, os, sys, warnings
sys.path.insert(0, sys.argv[1])
from ftrace_pyqual import qualnames
warnings.simplefilter("ignore")
def codes(co):
    yield co
    for c in co.co_consts:
        if hasattr(c, "co_code"):
            yield from codes(c)
files = sorted(glob.glob(os.path.join(os.path.dirname(os.__file__), "**", "*.py"),
                         recursive=True))[:600]
total = checked = 0
bad = []
for p in files:
    try:
        with open(p, "rb") as f:
            src = f.read()
        co = compile(src, p, "exec")
    except (SyntaxError, ValueError, OSError):
        continue
    m = qualnames(src)
    for c in codes(co):
        total += 1
        got = m.get((c.co_name, 0 if c.co_name == "<module>" else c.co_firstlineno), ())
        # 3.12 inlines list, set and dict comprehensions (PEP 709): a
        # scope less than the compilers before it, whose qualnames these are
        want = getattr(c, "co_qualname", None) if sys.version_info[:2] == (3, 11) else None
        if want is not None:
            checked += 1
        if not got or (want is not None and want not in got):
            bad.append((p, c.co_name, c.co_firstlineno, want, sorted(got)))
assert total > 5000, total
assert not bad, bad[:10]
assert checked == (total if sys.version_info[:2] == (3, 11) else 0), (checked, total)
print(sys.version.split()[0], "code objects", total, "qualnames checked", checked)
PY
out=$("$FT_PYTHON" "$FT_SCRATCH/oracle.py" "$ADAPTER" 2>&1) || ft_fail "ftrace_pyqual under $FT_PYTHON: $out"
ft_log "$out"
realexe() { "$1" -c 'import os, sys; print(os.path.realpath(sys.executable))'; }
seen=" $(realexe "$FT_PYTHON") "
for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.9*/bin/python3 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[01]*/bin/python3 /usr/bin/python3; do
	[ -x "$p" ] || continue
	"$p" -c 'import sys; sys.exit(sys.version_info[:2] > (3, 11))' || continue
	r=$(realexe "$p") || continue
	case $seen in *" $r "*) continue ;; esac
	seen="$seen$r "
	out=$("$p" "$FT_SCRATCH/oracle.py" "$ADAPTER" 2>&1) || ft_fail "ftrace_pyqual under $p: $out"
	ft_log "$p: $out"
done
