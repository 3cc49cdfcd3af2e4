#!/usr/bin/env bash
# `ftrace test --failed-first` with pytest (docs/hooks.md): the selected
# tests that failed last time run first, the others in pytest's order, and
# the same tests run as without the option.  tests/test_zz.py::test_late
# (collected last) fails when FTT_FAIL=1, which ftrace does not record.
# A runner that orders its own tests (here a named command) is said to
# keep its order.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

cat >tests/test_zz.py <<'PY'
import os


def test_late():
    assert os.environ.get("FTT_FAIL") != "1"
PY
ft_settle
PYTEST="$FT_PYTHON -m pytest -v -p no:cacheprovider"
LATE=tests/test_zz.py::test_late
# order ARGS...: `ftrace test ARGS -- pytest -v`: the tests, in the order run
order() {
	ft test "$@" -- $PYTEST >"$FT_SCRATCH/test.out" 2>"$FT_SCRATCH/test.err" || :
	grep -Eo '^tests/[^ ]+::[a-z_]+' "$FT_SCRATCH/test.out" | tr '\n' ' '
}

FTT_FAIL=1 ft run -- $PYTEST >/dev/null 2>&1 && ft_fail "test_late should fail"
ft_edit calc/arith.py "return a * b" "return b * a"
selected=$(ft affected --format json | "$FT_PYTHON" -c 'import json,sys; print(" ".join(t["id"] for t in json.load(sys.stdin)["tests"]))')
case " $selected " in *" $LATE "*) ;; *) ft_fail "test_late not selected: $selected" ;; esac

# 1. Without the option: pytest's order, test_late last.
plain=$(order)
case "$plain" in *"$LATE ") ;; *) ft_fail "pytest's order has test_late last: $plain" ;; esac
grep -q "first" "$FT_SCRATCH/test.err" && ft_fail "no option, yet: $(cat "$FT_SCRATCH/test.err")"
# test_late passes now: it failed last time again for the next run
FTT_FAIL=1 ft run -- $PYTEST >/dev/null 2>&1 && ft_fail "test_late should fail"
ft_edit calc/arith.py "return b * a" "return a * b"

# 2. With it: test_late first, then the others in the same order as before.
first=$(order --failed-first)
assert_eq "$LATE ${plain%"$LATE "}" "$first" "--failed-first"
grep -qx "ftrace: 1 test that failed last time runs first" "$FT_SCRATCH/test.err" ||
	ft_fail "not said: $(cat "$FT_SCRATCH/test.err")"
# the file is gone, and hidden from the tests
ls .ftrace/first-* 2>/dev/null && ft_fail "the order file is left behind"

# 3. A command no runner orders: said, and it runs as it would.
rc=0; ft test --failed-first --name one -- true >/dev/null 2>"$FT_SCRATCH/one.err" || rc=$?
assert_eq 0 "$rc" "a named command"
grep -qx "ftrace: test: --failed-first: this command runs its tests in its own order" \
	"$FT_SCRATCH/one.err" || ft_fail "not said: $(cat "$FT_SCRATCH/one.err")"
