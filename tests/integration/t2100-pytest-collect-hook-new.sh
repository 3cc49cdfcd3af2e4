#!/usr/bin/env bash
# t2100-pytest-collect-hook-new.sh - new tests that a project's collection
# hook makes of non-Python files.  The case that broke: a syntax
# highlighter's conftest.py collects every example file under tests/ as a
# test (pytest_collect_file); over 5 commits, 3 of its 11 new tests (a new
# go/3199.go, a new snippet directory) were left out, because ftrace only
# took files matching python_files as new tests.  Now, where a project hook
# collects, a new file's directory is a new test (pytest collects the file
# through the same hook when given it), and it runs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-collect-plugin

record
assert_set "" "$(ft affected)" "no change"

# a new example file in a directory of examples
echo ok >tests/examples/go/two.example
out=$(ft affected) || ft_fail "affected exited $?"
grep -qx "tests/examples/go" <<<"$out" || ft_fail "the new example is not selected: $out"
# ... and what is printed runs it, through xargs, as the README says
ran=$(ft affected | xargs -r "$FT_PYTHON" -m pytest -q --co 2>&1) || ft_fail "xargs pytest failed: $ran"
grep -q "two.example::example" <<<"$ran" || ft_fail "pytest given the selection does not collect the new example: $ran"

# a broken new example fails `ftrace test`, which runs it
echo bad >tests/examples/go/two.example
rc=0
ft test -- "$FT_PYTHON" -m pytest -q >"$FT_SCRATCH/t.out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || ft_fail "ftrace test with a broken new example exited $rc: $(cat "$FT_SCRATCH/t.out")"
grep -q "two.example" "$FT_SCRATCH/t.out" || ft_fail "the new example did not run: $(cat "$FT_SCRATCH/t.out")"
echo ok >tests/examples/go/two.example
record

# a new directory of examples (a new snippet directory)
mkdir tests/examples/snippets
echo ok >tests/examples/snippets/first.example
out=$(ft affected) || ft_fail "affected exited $?"
grep -qx "tests/examples" <<<"$out" || ft_fail "the new example directory is not selected: $out"
ran=$(ft affected | xargs -r "$FT_PYTHON" -m pytest -q --co 2>&1) || ft_fail "xargs pytest failed: $ran"
grep -q "snippets/first.example::example" <<<"$ran" || ft_fail "the new directory's example is not collected: $ran"
