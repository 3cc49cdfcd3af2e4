#!/usr/bin/env bash
# `__all__ = [...]` is a plain assignment whose readers the recorder notes
# (a star import reads it through the module's type), so an edit of it
# selects the tests that read it, not every importer
# (docs/python-functions.md, "Dunders"; fixtures/pytest-dunder-all), under
# each 3.11+ interpreter with pytest:
# - test_all reads api.__all__, test_star star-imports in the test: both
#   selected (test_all fails in a full run); test_add, which never reads
#   it, is not;
# - with tests/test_top.py, which star-imports at collection: every test;
# - a recording whose prelude lacks the marker "@+__2" (an older ftrace,
#   which noted no read of __all__): every importer again.
. "$(dirname "$0")/lib.sh"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYFUNC_HOOK
export PYTHONDONTWRITEBYTECODE=1

ADD=tests/test_plain.py::test_add ALLT=tests/test_names.py::test_all
STAR=tests/test_star.py::test_star TOP=tests/test_top.py::test_top
THREE="tests/test_plain.py tests/test_names.py tests/test_star.py"

sel() { ft affected --format ids --granularity=function; }

record() { # record NAME PYTEST-ARGS...
	local name=$1
	shift
	ft_fixture pytest-dunder-all "$name"
	ft_clock_past_ctime
	ft run -q --granularity=function -- "$PY" -m pytest -q -p no:cacheprovider "$@" \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
	assert_eq "" "$(sel)" "$PY ($name): nothing changed"
}

check() { # check INDEX
	local out
	# shellcheck disable=SC2086
	record "p$1" $THREE
	ft_edit pkg/api.py '__all__ = ["add", "sub"]' '__all__ = ["add"]'
	# shellcheck disable=SC2086
	out=$("$PY" -m pytest -q -p no:cacheprovider $THREE 2>&1) && ft_fail "the edit fails no test: $out"
	grep -qF "FAILED $ALLT" <<<"$out" || ft_fail "the edit: test_all passes: $out"
	# (test_add never read __all__; but pkg.star_user's body read it as
	# test_star imported it, and what a body that an import during a test
	# ran read is shared: a later test using star_user gets its names
	# without running that body.  Every test's, as at collection: t9048)
	assert_set "$ALLT $STAR $ADD" "$(sel)" "$PY (p$1): __all__ edited (star_user's import read it)"

	# an older recording: no "@+__2" in the prelude's keys
	ft_back pkg/api.py
	sqlite3 .ftrace/ftrace.db "UPDATE pyfunc_runs SET prelude = replace(prelude, '\"@+__2\"', '\"@+__x\"')"
	"$FTRACE_BUILD_DIR/tests/tools/ftt_plantset" --redigest .ftrace/ftrace.db >/dev/null || ft_fail "redigest"
	ft_edit pkg/api.py '__all__ = ["add", "sub"]' '__all__ = ["add"]'
	assert_set "$ADD $ALLT $STAR" "$(sel)" "$PY (p$1): __all__ edited, a recording without @+__2"
	ft_back pkg/api.py

	record "p$1-top" tests
	ft_edit pkg/api.py '__all__ = ["add", "sub"]' '__all__ = ["add"]'
	assert_set "$ADD $ALLT $STAR $TOP" "$(sel)" "$PY (p$1-top): __all__ edited, a star import at collection"
	ft_back pkg/api.py
}

command -v sqlite3 >/dev/null || ft_skip "no sqlite3 CLI"
ft_each_python check
