#!/usr/bin/env bash
# `ftrace hook install`: the git pre-commit hook runs the tests the commit
# can affect, on what is being committed (unstaged edits and untracked files
# set aside and restored), refuses a commit whose affected test fails, and
# never replaces or removes a hook ftrace did not write.  Real git, real
# hook, real pytest, in a scratch repository.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic
git config user.email t@t
git config user.name t
printf '__pycache__/\n.pytest_cache/\n' >.gitignore
git add .gitignore && git commit -qm gitignore
settle .gitignore

hooks=$(git rev-parse --git-path hooks)
CMD="$FT_PYTHON -m pytest -q -rA"

# gcommit STATUS MESSAGE: `git commit -m MESSAGE` must exit STATUS; the
# hook's output is in $out, the node ids pytest ran in $ran.
gcommit() {
	local rc=0
	out=$(git commit -qm "$2" 2>&1) || rc=$?
	if [ "$rc" -ne "$1" ]; then
		printf '%s\n' "$out" >&2
		ft_fail "git commit '$2' exited $rc, expected $1"
	fi
	ran=$(printf '%s\n' "$out" | sed -n 's/^\(PASSED\|FAILED\|ERROR\) \([^ ]*\).*/\2/p')
}
head_is() { assert_eq "$1" "$(git log -1 --format=%s)" "last commit"; }

assert_status 0 ft hook install --command "$CMD"
[ -x "$hooks/pre-commit" ] || ft_fail "no executable $hooks/pre-commit"
grep -q '^# ftrace-managed-hook' "$hooks/pre-commit" || ft_fail "hook has no ftrace marker"

# 1. No recording yet: the hook runs everything (and records).
printf 'more\n' >>README.md
git add README.md && settle README.md
gcommit 0 "readme 1"
assert_set "$ALL" "$ran" "first commit, no recording: all tests"
head_is "readme 1"

# 2. A docs-only commit runs no test.
printf 'more\n' >>README.md
git add README.md && settle README.md
gcommit 0 "readme 2"
assert_set "" "$ran" "docs-only commit"
grep -q "nothing affected" <<<"$out" || ft_fail "docs commit: no 'nothing affected': $out"
head_is "readme 2"

# 3. A commit touching one module runs only its tests.
printf 'UNUSED = 1\n' >>calc/fmt.py
git add calc/fmt.py && settle calc/fmt.py
gcommit 0 "fmt: constant"
assert_set "$FMT" "$ran" "commit touching calc/fmt.py"
head_is "fmt: constant"

# 4. A commit that breaks an affected test is refused.
sed -i 's/return "%.\*f" % (PRECISION, value)/return "broken"/' calc/fmt.py
grep -q broken calc/fmt.py || ft_fail "fixture changed: cannot break calc/fmt.py"
git add calc/fmt.py && settle calc/fmt.py
gcommit 1 "fmt: broken"
assert_set "$FMT" "$ran" "the broken commit ran calc/fmt.py's tests"
grep -q "^FAILED tests/test_fmt.py" <<<"$out" || ft_fail "no failure shown: $out"
head_is "fmt: constant"
git reset -q HEAD calc/fmt.py
rm -f calc/fmt.py && git checkout -q -- calc/fmt.py
settle calc/fmt.py

# 5. Unstaged edits are not tested, and come back: the broken calc/fmt.py
# stays unstaged, an untracked failing test file stays untracked, and
# README.md keeps its staged line committed and its unstaged line unstaged.
# (test_fmt failed last time, so it runs: against the committed fmt.py.)
printf 'staged\n' >>README.md
git add README.md
printf 'unstaged\n' >>README.md
sed -i 's/return "%.\*f" % (PRECISION, value)/return "broken"/' calc/fmt.py
printf 'def test_untracked():\n    assert False\n' >tests/test_untracked.py
settle README.md calc/fmt.py tests/test_untracked.py
cp calc/fmt.py "$FT_SCRATCH/fmt.broken"
gcommit 0 "readme 3"
head_is "readme 3"
assert_set "$FMT" "$ran" "only the tests failed last time ran, on the committed fmt.py"
grep -q "test_untracked" <<<"$out" && ft_fail "the untracked test file was run"
cmp -s calc/fmt.py "$FT_SCRATCH/fmt.broken" || ft_fail "the unstaged edit of calc/fmt.py was not restored"
assert_eq "README.md calc/fmt.py" "$(git diff --name-only | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')" "unstaged files after the commit"
assert_eq "" "$(git diff --cached --name-only)" "nothing left staged"
[ -f tests/test_untracked.py ] || ft_fail "the untracked file was not restored"
assert_eq "?? tests/test_untracked.py" "$(git status --porcelain --untracked-files=all | grep '^??')" "untracked files"
grep -qx unstaged <<<"$(tail -1 README.md)" || ft_fail "README.md lost its unstaged line"
grep -qx staged <<<"$(git show HEAD:README.md | tail -1)" || ft_fail "the staged line was not committed"
assert_eq "" "$(git stash list)" "stash list after the hook"
rm -f calc/fmt.py README.md && git checkout -q -- calc/fmt.py README.md
rm tests/test_untracked.py

# 6. A hook ftrace did not write is never replaced without --force.
assert_status 0 ft hook uninstall
[ ! -e "$hooks/pre-commit" ] || ft_fail "uninstall left the hook"
printf '#!/bin/sh\necho foreign >>"$(git rev-parse --git-dir)/foreign.log"\n' >"$hooks/pre-commit"
chmod +x "$hooks/pre-commit"
cp "$hooks/pre-commit" "$FT_SCRATCH/foreign"
assert_status 1 ft hook install --command "$CMD"
cmp -s "$hooks/pre-commit" "$FT_SCRATCH/foreign" || ft_fail "install changed a foreign hook"
assert_status 1 ft hook uninstall
cmp -s "$hooks/pre-commit" "$FT_SCRATCH/foreign" || ft_fail "uninstall changed a foreign hook"

# 7. --force keeps it as pre-commit.local and chains to it.
assert_status 0 ft hook install --force --command "$CMD"
cmp -s "$hooks/pre-commit.local" "$FT_SCRATCH/foreign" || ft_fail "--force did not keep the old hook"
grep -q '^# ftrace-managed-hook' "$hooks/pre-commit" || ft_fail "--force did not install ftrace's hook"
printf 'more\n' >>README.md
git add README.md && settle README.md
gcommit 0 "readme 4"
assert_eq "foreign" "$(cat "$(git rev-parse --git-dir)/foreign.log")" "the chained hook ran once"
grep -q "nothing affected" <<<"$out" || ft_fail "chained: ftrace's part did not run: $out"

# A failing chained hook refuses the commit, as it did before ftrace.
cp "$hooks/pre-commit.local" "$FT_SCRATCH/local.keep"
printf '#!/bin/sh\necho local-refuses >&2\nexit 3\n' >"$hooks/pre-commit.local"
printf 'more\n' >>README.md
git add README.md && settle README.md
gcommit 1 "readme 5"
grep -q "local-refuses" <<<"$out" || ft_fail "the chained hook did not run: $out"
head_is "readme 4"
cp "$FT_SCRATCH/local.keep" "$hooks/pre-commit.local"
git reset -q HEAD README.md && git checkout -q -- README.md

# 8. uninstall removes only its own and puts the old hook back.
assert_status 0 ft hook uninstall
cmp -s "$hooks/pre-commit" "$FT_SCRATCH/foreign" || ft_fail "uninstall did not restore the old hook"
[ ! -e "$hooks/pre-commit.local" ] || ft_fail "pre-commit.local left behind"

# 9. core.hooksPath is respected; without --command the config's is needed.
rm "$hooks/pre-commit"
git config core.hooksPath myhooks
assert_status 64 ft hook install
printf '{"command": "%s"}\n' "$CMD" >.ftrace.json
assert_status 0 ft hook install
grep -q '^# ftrace-managed-hook' myhooks/pre-commit || ft_fail "core.hooksPath not used"
