#!/usr/bin/env bash
# freezegun's freeze_time lists every loaded module's names and getattr()s
# each (to patch the datetime and time objects it finds by identity).
# Before, that was a read of every module's whole namespace in each test
# that froze time, so a name any module gained selected all of them
# (humanize: every test of test_time.py for a table added to number.py).
# Its scan, known by its text (ftrace_pytest_funcs.py, _NAME_SCANS), now
# counts as reads of `__dir__` and `__getattr__` only
# (docs/python-functions.md, "Namespace changes"), at function granularity:
#  1. a name added to a module: test_dir, which lists it itself, not
#     test_today, which froze time;
#  2. a module __getattr__ added (getattr of a listed name may run it):
#     test_today too;
#  3. the body of the function test_today ran: test_today;
#  4. another text of the scan (an edited copy of freezegun): not known,
#     the name added selects test_today again.
# freezegun 1.5.5 is installed from PyPI (lib-pip.sh); without the
# registry the test is skipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pip.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
"$FT_PYTHON" -c 'import sys, pytest; sys.exit(sys.version_info < (3, 11))' 2>/dev/null ||
	ft_skip "needs pytest on Python 3.11+"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_pip_site freezegun-1.5.5 freezegun/api.py freezegun==1.5.5 'python-dateutil>=2.7'
site=$FT_PIP_SITE

mkdir -p "$FT_SCRATCH/proj/pkg" "$FT_SCRATCH/proj/tests" && cd "$FT_SCRATCH/proj"
git init -q .
: >pkg/__init__.py
printf 'import datetime\n\n\ndef today():\n    return datetime.date.today()\n' >pkg/clock.py
printf 'def plain():\n    return 1\n' >pkg/other.py
cat >tests/test_clock.py <<'PY'
import datetime

from freezegun import freeze_time

from pkg import clock, other


@freeze_time("2020-01-02")
def test_today():
    assert clock.today() == datetime.date(2020, 1, 2)


def test_plain():
    assert other.plain() == 1


def test_dir():
    assert "plain" in dir(other)
PY
printf '[pytest]\ntestpaths = tests\n' >pytest.ini
git add -A && git -c user.email=t@t -c user.name=t commit -qm project
ft_clock_past_ctime
T=tests/test_clock.py

record
grep -q '^3 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
assert_set "" "$(fn)" "nothing changed"

ft_edit pkg/other.py 'def plain' 'TABLE = {"a": 1}


def plain'
assert_set "$T::test_dir" "$(fn)" "a name added to pkg/other.py"
ft_back pkg/other.py

printf '\n\ndef __getattr__(name):\n    raise AttributeError(name)\n' >>pkg/other.py
ft_settle
sel=$(fn)
grep -qx "$T::test_today" <<<"$sel" || ft_fail "a module __getattr__ added, test_today not selected: $sel"
ft_back pkg/other.py

ft_edit pkg/clock.py 'return datetime.date.today()' 'return datetime.date.today() + datetime.timedelta(0)'
assert_set "$T::test_today" "$(fn)" "the body of today() edited"
ft_back pkg/clock.py

# 4. another text of the scan: not known
cp -a "$site" "$FT_SCRATCH/site"
ft_edit "$FT_SCRATCH/site/freezegun/api.py" "        module_attributes = dir(module)
" "        module_attributes = dir(module)
        module_attributes = list(module_attributes)
"
export PYTHONPATH=$FT_SCRATCH/site${PYTHONPATH#"$site"}
rm -rf .ftrace && record
ft_edit pkg/other.py 'def plain' 'TABLE = {"a": 1}


def plain'
assert_set "$T::test_dir $T::test_today" "$(fn)" "a name added, the scan's text unknown"
ft_back pkg/other.py
