#!/usr/bin/env bash
# .ftrace.json's "ignore_programs": what a listed program reads is no
# dependency (docs/hooks.md).  A test command that asks git about the
# repository (as pytest-benchmark and versioneer do at session start:
# `git describe --dirty` reads HEAD and the index and stats every tracked
# file) depends, without it, on every tracked file and on every commit;
# with "git" listed, on what the command's other programs read only.  A
# pattern with a '/' is matched against the program's whole path, others
# against its last component; a bad value is a config error (status 78).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v git >/dev/null || ft_skip "no git"
GIT=$(command -v git)
mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo"
git init -q .
git config user.email t@example.com
git config user.name t
echo data >data.txt
echo other >other.txt
ft_old data.txt other.txt
git add data.txt other.txt
git commit -qm one
# (no optional locks: git would refresh the index it reads, a write the
# recording cannot place)
CMD='export GIT_OPTIONAL_LOCKS=0; git describe --always --dirty >/dev/null &&
git status --porcelain >/dev/null && cat data.txt >/dev/null'

record() { ft_record 0 --name reader -- sh -c "$CMD"; }

# The control: git's reads are the test's dependencies.
record
ft_affected_is "" "nothing changed"
ft_change other.txt
ft_affected_is "reader" "a tracked file only git looked at changed, git not ignored"
ft_revert other.txt

# git ignored: neither a tracked file only git looked at nor a commit
# selects the test; what cat read still does.
printf '{"ignore_programs": ["git"]}\n' >.ftrace.json
record
ft_affected_is "" "recorded with git ignored"
ft_change other.txt
ft_affected_is "" "a tracked file only git looked at changed, git ignored"
ft_revert other.txt
git commit -q --allow-empty -m two
ft_affected_is "" "a new commit, git ignored"
ft_change data.txt
ft_affected_is "reader" "a file cat read changed, git ignored"
ft_revert data.txt

# A pattern with a '/' names the whole path: git's own path matches, a
# pattern of another directory does not.
printf '{"ignore_programs": ["%s"]}\n' "$GIT" >.ftrace.json
record
ft_change other.txt
ft_affected_is "" "git ignored by its whole path"
ft_revert other.txt
printf '{"ignore_programs": ["/nonexistent/*", "gi"]}\n' >.ftrace.json
record
ft_change other.txt
ft_affected_is "reader" "patterns that name no program of the command"
ft_revert other.txt

# A pytest session whose start-up asks git for the commit (as
# pytest-benchmark does): without the setting every test depends on HEAD,
# and the run says how to leave git out; with it, a commit selects none.
ids_are() { # ids_are "ids" WHAT: `ftrace affected --format ids` prints exactly them
	local out
	out=$("$FTRACE_BIN" affected --format ids) || ft_fail "$2: 'ftrace affected' failed"
	assert_set "$1" "$out" "$2"
}
if "$FT_PYTHON" -c 'import pytest' 2>/dev/null; then
	mkdir "$FT_SCRATCH/repo2" && cd "$FT_SCRATCH/repo2"
	git init -q .
	git config user.email t@example.com
	git config user.name t
	echo data >data.txt
	cat >conftest.py <<'PY'
import subprocess


def pytest_configure(config):
    config.commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True,
                                   text=True, env={"PATH": __import__("os").environ["PATH"],
                                                   "GIT_OPTIONAL_LOCKS": "0"}).stdout
PY
	printf 'def test_one():\n    assert open("data.txt").read()\n\n\ndef test_two():\n    pass\n' >test_x.py
	ft_old data.txt conftest.py test_x.py
	git add data.txt conftest.py test_x.py && git commit -qm tests
	PT="test_x.py::test_one test_x.py::test_two"
	ft_record 0 -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider test_x.py
	grep -qF 'add "ignore_programs": ["git"] to .ftrace.json' "$FT_SCRATCH/run.err" ||
		ft_fail "no note on git at the session's start: $(cat "$FT_SCRATCH/run.err")"
	git commit -q --allow-empty -m three
	ids_are "$PT" "a new commit, git at start-up not ignored"
	printf '{"ignore_programs": ["git"]}\n' >.ftrace.json
	ft_record 0 -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider test_x.py
	! grep -q "ignore_programs" "$FT_SCRATCH/run.err" || ft_fail "the note with git ignored"
	git commit -q --allow-empty -m four
	ids_are "" "a new commit, git at start-up ignored"
	ft_change data.txt
	ids_are "test_x.py::test_one" "data.txt changed, git at start-up ignored"
	ft_revert data.txt
	cd "$FT_SCRATCH/repo"
fi

# A bad value stops the run before anything runs, naming the key.
expect_config_error() {
	local rc=0
	"$FTRACE_BIN" "$@" >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ $rc -eq 78 ] || ft_fail "'ftrace $*' exited $rc with a bad config, expected 78: $(cat "$FT_SCRATCH/err")"
	grep -qF -- "$want" "$FT_SCRATCH/err" || ft_fail "'ftrace $*': message lacks '$want': $(cat "$FT_SCRATCH/err")"
}
printf '{\n  "ignore_programs": "git"\n}\n' >.ftrace.json
want="$PWD/.ftrace.json:2: key \"ignore_programs\": must be an array of strings"
expect_config_error run -- touch ran
[ ! -e ran ] || ft_fail "a command ran despite the bad config"
printf '{"ignore_programs": ["git", ""]}\n' >.ftrace.json
want='key "ignore_programs": element 2 is an empty string'
expect_config_error affected
