#!/usr/bin/env bash
# Issue 24, "Lock waits": records kept after ANY failed save must be
# re-ingestible.  Here `ftrace run` is killed (SIGKILL, as a CI timeout
# does) while it waits to save: its run dir stays, and `ftrace ingest`,
# run while another run is still going, saves the dead run's records and
# leaves the live run's dir alone (that run saves it itself).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v sqlite3 >/dev/null || ft_skip "sqlite3 CLI not installed"
ft_fixture cmd-partial
ft_record 0 --name a -- ./a.sh

ft_db_lock .ftrace/ftrace.db

"$FTRACE_BIN" run -q --name killed -- ./b.sh >/dev/null 2>"$FT_SCRATCH/killed.err" &
victim=$!
"$FTRACE_BIN" run -q --name alive -- ./b.sh >/dev/null 2>"$FT_SCRATCH/alive.err" &
alive=$!
for f in killed alive; do
	while ! grep -q 'waiting for' "$FT_SCRATCH/$f.err"; do
		kill -0 "$victim" 2>/dev/null && kill -0 "$alive" 2>/dev/null || ft_fail "a run ended while the lock was held"
	done
done
kill -KILL "$victim"
wait "$victim" 2>/dev/null || true
[ "$(ls .ftrace/runs | wc -l)" -eq 2 ] || ft_fail "run dirs: $(ls .ftrace/runs)"

# the lock is still held: ingest waits for it as a run does; so release
# it first, the live run and ingest then race for it and both save
ft_db_unlock
rc=0
ft ingest -q 2>"$FT_SCRATCH/ingest.err" || rc=$?
assert_eq 0 "$rc" "ftrace ingest beside a live run ($(cat "$FT_SCRATCH/ingest.err"))"
rc=0; wait "$alive" || rc=$?
assert_eq 0 "$rc" "the live run ($(cat "$FT_SCRATCH/alive.err"))"
[ -z "$(ls .ftrace/runs)" ] || ft_fail "run dirs left: $(ls .ftrace/runs)"
ft_affected_is "" "nothing changed"
ft_change b.txt
ft_affected_is "killed alive" "the killed run's recording was saved"
