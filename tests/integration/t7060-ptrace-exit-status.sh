#!/usr/bin/env bash
# Under ptrace, `ftrace run` reports a static CMD's end exactly as for a
# dynamic one: its exit status, 128+N when killed by signal N (the test is
# recorded and, having failed, selected), and 127 with the exec error when
# CMD cannot be started (no recording).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture static-c
cat >die.c <<'C'
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	FILE *f = fopen("data.txt", "r");
	if (!f)
		return 1;
	fclose(f);
	if (argc > 1 && !strcmp(argv[1], "kill"))
		raise(SIGKILL);
	return argc > 1 ? atoi(argv[1]) : 0;
}
C
cc -O0 -static -o die-static die.c 2>/dev/null || ft_skip "cc -static does not work here (no static libc)"
cc -O0 -o die-dynamic die.c

for v in static dynamic; do
	ft_record 3 --name "exit-$v" -- "./die-$v" 3
	ft_record 137 --name "killed-$v" -- "./die-$v" kill
	cp "die-$v" "noexec-$v" && chmod -x "noexec-$v"
	ft_record 127 --name "noexec-$v" -- "./noexec-$v"
	grep -q "cannot run './noexec-$v': Permission denied" "$FT_SCRATCH/run.err" ||
		ft_fail "$v: no exec error: $(cat "$FT_SCRATCH/run.err")"
	grep -q warning "$FT_SCRATCH/run.err" && ft_fail "$v: unexpected warning: $(cat "$FT_SCRATCH/run.err")"
done
# Failed and killed tests are selected until they pass; nothing recorded
# for the commands that never started.
ft_affected_is "exit-static killed-static exit-dynamic killed-dynamic" "failed tests are selected"
ft_record 0 --name exit-static -- ./die-static 0
ft_affected_is "killed-static exit-dynamic killed-dynamic" "exit-static passed"
ft_change data.txt
ft_affected_is "exit-static killed-static exit-dynamic killed-dynamic" "data.txt changed"
exit 0
