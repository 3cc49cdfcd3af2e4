#!/usr/bin/env bash
# t1070-preload-python.sh - a Python import, the reason stat must be hooked:
# the first run reads mod.py and writes its .pyc; the second run only
# stat()s mod.py (the .pyc is valid) and reads the .pyc.  Both runs must
# show mod.py, or an edit to it would select nothing.  Python also probes
# paths that do not exist (absence records).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

PY=$FT_PYTHON
[ -x "$PY" ] || ft_skip "no python3"
mkdir -p "$FT_SCRATCH/pkg"
echo 'VALUE = 1' > "$FT_SCRATCH/pkg/mod.py"
touch -d '2020-01-01 00:00:00' "$FT_SCRATCH/pkg/mod.py"
traced env -u PYTHONDONTWRITEBYTECODE "$PY" -c "import sys; sys.path.insert(0, '$FT_SCRATCH/pkg'); import mod; assert mod.VALUE == 1"
ft records "$RUN" > "$FT_SCRATCH/records"
grep -qE "ACCESS stat 0 s $FT_SCRATCH/pkg/mod\.py$" "$FT_SCRATCH/records" || ft_fail "first import: mod.py not stat'ed"
grep -qE "ACCESS open 0 r $FT_SCRATCH/pkg/mod\.py$" "$FT_SCRATCH/records" || ft_fail "first import: mod.py not read"
grep -qE "ACCESS opendir 0 l $FT_SCRATCH/pkg$" "$FT_SCRATCH/records" || ft_fail "first import: pkg/ not listed"
grep -qE "ACCESS open ENOENT r $FT_SCRATCH/pkg/__pycache__/mod\.[^ ]*\.pyc$" "$FT_SCRATCH/records" ||
	ft_fail "first import: the absent .pyc not recorded"

pyc=$(ls "$FT_SCRATCH"/pkg/__pycache__/mod.*.pyc 2> /dev/null | head -1)
[ -n "$pyc" ] || ft_skip "python did not write a .pyc (read-only?)"
rm -rf "$RUN"; mkdir -p "$RUN"
traced env -u PYTHONDONTWRITEBYTECODE "$PY" -c "import sys; sys.path.insert(0, '$FT_SCRATCH/pkg'); import mod"
ft records "$RUN" > "$FT_SCRATCH/records"
grep -qE "ACCESS stat 0 s $FT_SCRATCH/pkg/mod\.py$" "$FT_SCRATCH/records" || ft_fail "second import: mod.py not stat'ed"
grep -qxF -- "- ACCESS open 0 r $pyc" <(cut -d' ' -f2- "$FT_SCRATCH/records") || ft_fail "second import: $pyc not read"
! grep -qE "ACCESS open 0 r $FT_SCRATCH/pkg/mod\.py$" "$FT_SCRATCH/records" ||
	ft_fail "second import read mod.py: the .pyc was not used, the test proves nothing"
