#!/usr/bin/env bash
# t9807-oracle-named.sh - the soundness oracle (lib-oracle.sh) for named
# commands (`ftrace run --name NAME -- CMD`), on fixtures/cmd-kinds: each
# command is a test whose verdict is its exit status.  After each real
# change (a symlink or a symlinked directory retargeted, a file deleted, an
# absent path created, a listing grown, a mode bit, a subprocess's input),
# every command that fails or changed outcome must be in `ftrace
# affected`.  Issue 24: selections were checked only against sets worked
# out by hand.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"

ft_fixture cmd-kinds

# name, then the shell command that is the test
TESTS='link	grep -qx one link.txt
linkdir	grep -qx d1 ld/file.txt
del	test -s del.txt
absent	test ! -e extra.txt
listing	test "$(ls dir1 | wc -l)" -eq 1
mode	test ! -x mode.txt
subproc	sh -c "read -r w < target2.txt; test \"\$w\" = two"'

oracle_suite() {
	local name cmd
	while IFS=$'\t' read -r name cmd; do
		if sh -c "$cmd" >/dev/null 2>&1; then
			printf '%s\tpass\n' "$name"
		else
			printf '%s\tfail\n' "$name"
		fi
	done <<<"$TESTS"
}

ft_settle
while IFS=$'\t' read -r name cmd; do
	"$FTRACE_BIN" run -q --name "$name" -- sh -c "$cmd" ||
		ft_fail "ftrace run --name $name failed"
done <<<"$TESTS"
oracle_baseline

oracle_scenario "a symlink retargeted" 'ln -sfn target2.txt link.txt' 'ln -sfn target1.txt link.txt'
oracle_scenario "a symlinked directory retargeted" 'ln -sfn dir2 ld' 'ln -sfn dir1 ld'
oracle_scenario "a file deleted" 'rm del.txt' 'ft_back del.txt'
oracle_scenario "an absent path created" 'echo x > extra.txt' 'rm extra.txt'
oracle_scenario "a listing grown" 'echo x > dir1/new.txt' 'rm dir1/new.txt'
oracle_scenario "a subprocess's input" 'echo three > target2.txt' 'ft_back target2.txt'
oracle_scenario "a mode bit that access() saw" 'chmod a+x mode.txt' 'chmod a-x mode.txt'
oracle_finish
