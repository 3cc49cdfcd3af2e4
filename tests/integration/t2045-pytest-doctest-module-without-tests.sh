#!/usr/bin/env bash
# A module that pytest imports at collection but that yields no test (a
# --doctest-modules module without doctests) starts no test's closure, yet
# its import runs in the session.  A probe of glom (2026-11-28):
# glom/test/perf_report.py gained a store into glom.core at import; 15
# tests failed in a full run and none was selected (no test held the file,
# so no recording even kept its state).  Such a module is now every test's
# (ftrace_pytest_imports._global_modules, docs/pytest.md "Closures"): an
# edit that acts at import selects the tests, at both granularities; by
# function, an edit of a function body in it that no test ran selects none.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1 FTRACE_PYTHON=$FT_PYTHON
mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q .
mkdir -p pkg/test
printf '[pytest]\naddopts = --doctest-modules\ntestpaths = pkg\n' >pytest.ini
printf 'X = 0\n' >pkg/__init__.py
: >pkg/test/__init__.py
cat >pkg/test/perf.py <<'EOF'
def helper():
    return 1
EOF
cat >pkg/test/test_a.py <<'EOF'
import pkg


def test_x():
    assert pkg.X == 0
EOF
git add -A && git -c user.email=t@t -c user.name=t commit -qm init
ft_settle
revert() { git checkout -q . && git clean -fdq && ft_settle; }

for gran in function file; do
	rm -rf .ftrace
	out=$(ft run --granularity=$gran -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) ||
		ft_fail "recording ($gran): $out"
	assert_set "" "$(ft affected --format ids)" "nothing changed ($gran)"

	printf 'import pkg\npkg.X = 1\n' >>pkg/test/perf.py
	ft_settle
	if "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/full.out" 2>&1; then
		ft_fail "the full run passed ($gran): $(cat "$FT_SCRATCH/full.out")"
	fi
	assert_set "pkg/test/test_a.py::test_x" "$(ft affected --format ids)" \
		"perf.py stores into pkg at import ($gran)"
	revert

	ft_edit pkg/test/perf.py 'return 1' 'return 2'
	if [ $gran = function ]; then want=""; else want="pkg/test/test_a.py::test_x"; fi
	assert_set "$want" "$(ft affected --format ids)" "a body no test ran ($gran)"
	revert
done
