#!/usr/bin/env bash
# The database holds every path the tests touched: it is owner-only.  A
# database an older ftrace left 0644 (or one made under a loose umask) is
# made private by the next `ftrace run`, -wal and -shm included; what it
# holds is unchanged.
. "$(dirname "$0")/lib.sh"

mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q .
echo one >data.txt
touch -d '2020-01-01' data.txt
ft_clock_past_ctime
ft run -q --name reader -- cat data.txt >/dev/null
assert_eq 600 "$(stat -c %a .ftrace/ftrace.db)" "a new database"

chmod 0644 .ftrace/ftrace.db
for f in .ftrace/ftrace.db-wal .ftrace/ftrace.db-shm; do [ -e "$f" ] && chmod 0644 "$f"; done
(umask 022 && ft run -q --name other -- true)
assert_eq 600 "$(stat -c %a .ftrace/ftrace.db)" "a 0644 database after the next run"
for f in .ftrace/ftrace.db-wal .ftrace/ftrace.db-shm; do
	[ -e "$f" ] && assert_eq 600 "$(stat -c %a "$f")" "$f after the next run"
done
echo two >data.txt
assert_set "reader" "$(ft affected)" "the recording is intact"
