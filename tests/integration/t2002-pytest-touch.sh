#!/usr/bin/env bash
# A new mtime on every file (a fresh checkout, git switch back and forth)
# changes no content: nothing is selected.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

record
find . -path ./.git -prune -o -path ./.ftrace -prune -o -exec touch -h -d '2024-04-04 04:04:04' {} +
assert_set "" "$(affected)" "mtime-only change of every file"
