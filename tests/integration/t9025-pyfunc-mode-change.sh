#!/usr/bin/env bash
# A .py file whose permission bits change, with its content the same, is
# a change that function granularity must not explain away: no function
# body changed, but the file's mode did, and a mode can decide whether the
# module can be read at all (chmod a-r: the import fails for every test
# that imports it).  Function granularity keeps every test that file
# granularity selects for such a change.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
ft_fixture pytest-funcs
ft_clock_past_ctime
record
assert_eq "" "$(fn)" "nothing changed"

by_file() { ft affected --format ids --granularity=file; }

chmod a+x shop/prices.py
want=$(by_file)
[ -n "$want" ] || ft_fail "file granularity selects nothing for a mode change"
assert_set "$want" "$(fn)" "function granularity after chmod a+x of shop/prices.py"

chmod a-x shop/prices.py
assert_eq "" "$(fn)" "the mode back as recorded"

chmod a-r shop/prices.py
assert_set "$want" "$(fn)" "function granularity after chmod a-r of shop/prices.py"
chmod a+r shop/prices.py
