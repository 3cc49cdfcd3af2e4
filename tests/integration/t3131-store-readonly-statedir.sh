#!/usr/bin/env bash
# Issue 24, "Messages": after `chmod a-w .ftrace`, `ftrace affected` failed
# with "attempt to write a readonly database", though reading needs no
# write: SQLite could not create the WAL's -shm file there.  A database
# cleanly closed (no -wal) in a directory nobody may write is read whole
# (immutable); one whose -wal holds writes exits 2 saying to make the
# directory writable.  Root ignores permissions: the test runs as nobody.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

[ "$(id -u)" -eq 0 ] || ft_skip "needs root to switch to an unprivileged user"
command -v setpriv >/dev/null || ft_skip "setpriv not installed"
id nobody >/dev/null 2>&1 || ft_skip "no user nobody"
command -v sqlite3 >/dev/null || ft_skip "sqlite3 CLI not installed"
ft_fixture cmd-partial
chmod 755 "$FT_SCRATCH"
chown -R nobody "$FT_SCRATCH/cmd-partial"
# a PATH nobody can search: /root/... entries would be unknown, so selected
as_nobody() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups env HOME="$FT_SCRATCH" PATH=/usr/local/bin:/usr/bin:/bin "$@"; }
as_nobody true 2>/dev/null || ft_skip "cannot switch to nobody"
as_nobody test -x "$FTRACE_BIN" || ft_skip "nobody cannot run $FTRACE_BIN"

ft_settle
as_nobody "$FTRACE_BIN" run -q --name a -- ./a.sh >/dev/null
as_nobody "$FTRACE_BIN" run -q --name b -- ./b.sh >/dev/null
ft_change a.txt
# as a run leaves the state dir: the -wal emptied by its checkpoint, and
# the -shm, both kept (ft_store.c, PERSIST_WAL).  Nothing is made in the
# directory then: a reader reads through them, a run writes into them.
[ -e .ftrace/ftrace.db-shm ] && [ -e .ftrace/ftrace.db-wal ] && [ ! -s .ftrace/ftrace.db-wal ] ||
	ft_fail "a run left: $(ls -l .ftrace)"
chmod a-w .ftrace
rc=0
out=$(as_nobody "$FTRACE_BIN" affected 2>"$FT_SCRATCH/err") || rc=$?
assert_eq 0 "$rc" "affected in a read-only state dir, its -wal and -shm there ($(cat "$FT_SCRATCH/err"))"
assert_set "a" "$out" "selection from a read-only state dir, its -wal and -shm there"
rc=0
as_nobody "$FTRACE_BIN" run -q --name a -- ./a.sh >/dev/null 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 0 "$rc" "run in a read-only state dir, its -wal and -shm there ($(cat "$FT_SCRATCH/err"))"
out=$(as_nobody "$FTRACE_BIN" affected 2>"$FT_SCRATCH/err") || ft_fail "affected: $(cat "$FT_SCRATCH/err")"
assert_set "" "$out" "the run's recording was saved"

# a state dir without them (an older ftrace removed them; copied without
# them): read whole (immutable), no -shm made; a run cannot save there:
# it says so, and what to do (not "readonly database")
ft_change a.txt
chmod u+w .ftrace
rm -f .ftrace/ftrace.db-wal .ftrace/ftrace.db-shm
chmod a-w .ftrace
rc=0
out=$(as_nobody "$FTRACE_BIN" affected 2>"$FT_SCRATCH/err") || rc=$?
assert_eq 0 "$rc" "affected in a read-only state dir ($(cat "$FT_SCRATCH/err"))"
assert_set "a" "$out" "selection from a read-only state dir"
[ ! -e .ftrace/ftrace.db-shm ] || ft_fail "a -shm appeared in a read-only dir"
rc=0
as_nobody "$FTRACE_BIN" run -q --name c -- ./b.sh >/dev/null 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 70 "$rc" "run in a read-only state dir"
grep -q 'make that directory writable' "$FT_SCRATCH/err" || ft_fail "run: $(cat "$FT_SCRATCH/err")"

# a -wal with content cannot be read without its -shm: exit 2, what to do
chmod u+w .ftrace
coproc HOLD { sqlite3 .ftrace/ftrace.db; }
hold_pid=$HOLD_PID
printf "PRAGMA wal_autocheckpoint=0;\nINSERT INTO meta VALUES('wal-test', 1);\nSELECT 'written';\n" >&"${HOLD[1]}"
read -r reply <&"${HOLD[0]}" # the pragma's "0"
read -r reply <&"${HOLD[0]}"
assert_eq written "$reply" "a write in the WAL"
cp .ftrace/ftrace.db .ftrace/ftrace.db-wal "$FT_SCRATCH/"
printf ".quit\n" >&"${HOLD[1]}"
wait "$hold_pid" || true
cp "$FT_SCRATCH/ftrace.db" "$FT_SCRATCH/ftrace.db-wal" .ftrace/
rm -f .ftrace/ftrace.db-shm
chown nobody .ftrace/ftrace.db .ftrace/ftrace.db-wal
chmod a-w .ftrace
rc=0
as_nobody "$FTRACE_BIN" affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 2 "$rc" "affected, a -wal in a read-only state dir ($(cat "$FT_SCRATCH/err"))"
grep -q 'writable' "$FT_SCRATCH/err" || ft_fail "no next step: $(cat "$FT_SCRATCH/err")"
[ ! -s "$FT_SCRATCH/out" ] || ft_fail "a set was printed"
chmod u+w .ftrace
