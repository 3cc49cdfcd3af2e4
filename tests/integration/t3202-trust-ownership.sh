#!/usr/bin/env bash
# The state directory, database and .ftrace.json must be the user's own
# (issue 24, "Ownership, like git's safe.directory").  The case that broke:
# the state dir is the nearest ancestor holding .git or .ftrace, whoever
# owns it; one user created .ftrace/ in a world-writable directory, and
# another user's `ftrace affected`, run below it, used it (and ran what its
# database named); a planted .ftrace.json "command" did the same through
# `ftrace test`.  Now a path owned by another user (not you, not root) or
# writable by others is refused: `affected` exits 2, `run` and `test` exit
# 78 before running anything; FTRACE_SAFE_DIRS allows it.
. "$(dirname "$0")/lib.sh"
unset FTRACE_DIR FTRACE_SAFE_DIRS

mkdir -p "$FT_SCRATCH/repo"
cd "$FT_SCRATCH/repo"
git init -q .
echo data >f
ft run -q --name t -- cat f >/dev/null || ft_fail "recording failed"
assert_status 0 ft affected

# refused WHAT PATTERN: affected exits 2 naming the cause and the way out;
# run and test exit 78 and run nothing
refused() {
	local rc=0
	ft affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ $rc -eq 2 ] || ft_fail "$1: affected exited $rc, expected 2: $(cat "$FT_SCRATCH/err")"
	grep -q "$2" "$FT_SCRATCH/err" || ft_fail "$1: no reason: $(cat "$FT_SCRATCH/err")"
	grep -q "FTRACE_SAFE_DIRS" "$FT_SCRATCH/err" || ft_fail "$1: no way out: $(cat "$FT_SCRATCH/err")"
	rc=0
	ft run -q --name t -- touch "$FT_SCRATCH/ran" 2>"$FT_SCRATCH/err" || rc=$?
	[ $rc -eq 78 ] || ft_fail "$1: run exited $rc, expected 78: $(cat "$FT_SCRATCH/err")"
	rc=0
	ft test -q --name t -- touch "$FT_SCRATCH/ran" 2>"$FT_SCRATCH/err" || rc=$?
	[ $rc -eq 78 ] || ft_fail "$1: test exited $rc, expected 78: $(cat "$FT_SCRATCH/err")"
	[ ! -e "$FT_SCRATCH/ran" ] || ft_fail "$1: the command ran"
	# ... unless the user allows it
	FTRACE_SAFE_DIRS=/nonexistent:$PWD assert_status 0 ft affected
}

chmod o+w .ftrace
refused "state dir writable by others" "state directory is writable by every user"
chmod o-w .ftrace
chmod o+w .ftrace/ftrace.db
refused "database writable by others" "database is writable by every user"
chmod o-w .ftrace/ftrace.db
printf '{"command": ["touch", "%s"]}\n' "$FT_SCRATCH/ran" >.ftrace.json
chmod o+w .ftrace.json
refused "settings file writable by others" "settings file is writable by every user"
rc=0
ft test -q 2>"$FT_SCRATCH/err" || rc=$?
[ $rc -eq 78 ] && [ ! -e "$FT_SCRATCH/ran" ] || ft_fail "test ran the planted command (exit $rc)"
rm .ftrace.json
assert_status 0 ft affected

[ "$(id -u)" -eq 0 ] || { ft_log "not root: ownership by another user not tested"; exit 0; }
other=$(id -u daemon 2>/dev/null) && nobody=$(id -u nobody 2>/dev/null) || ft_skip "no daemon or nobody user"

# group-writable: only a private group of the user's own (gid root here,
# no members) is fine, another group is not
chmod g+w .ftrace
assert_status 0 ft affected
chgrp daemon .ftrace
refused "state dir writable by another group" "state directory is writable by group"
chgrp root .ftrace
chmod g-w .ftrace
chown nobody .ftrace
refused "state dir of another user" "owned by uid $nobody"
chown root .ftrace
chown nobody .ftrace/ftrace.db
refused "database of another user" "owned by uid $nobody"
# --db names it directly
rc=0
(cd / && "$FTRACE_BIN" affected --db "$FT_SCRATCH/repo/.ftrace/ftrace.db") 2>"$FT_SCRATCH/err" || rc=$?
[ $rc -eq 2 ] && grep -q "owned by uid $nobody" "$FT_SCRATCH/err" || ft_fail "--db of another user: exit $rc"
chown root .ftrace/ftrace.db
# a -wal file SQLite would replay into what it reads
[ -e .ftrace/ftrace.db-wal ] && wal_was=1 || { wal_was=0; : >.ftrace/ftrace.db-wal; }
chown nobody .ftrace/ftrace.db-wal
refused "a -wal file of another user" "ftrace.db-wal: the database is owned by uid $nobody"
# (the allowed affected in refused() closed the database: SQLite removed it)
[ ! -e .ftrace/ftrace.db-wal ] || chown root .ftrace/ftrace.db-wal
[ $wal_was -eq 1 ] || rm -f .ftrace/ftrace.db-wal
printf '{"command": ["touch", "%s"]}\n' "$FT_SCRATCH/ran" >.ftrace.json
chown nobody .ftrace.json
refused "settings file of another user" "settings file is owned by uid $nobody"
rm .ftrace.json
assert_status 0 ft affected

# The issue's case, as another user: daemon's .ftrace/ in a world-writable
# directory; nobody runs `ftrace affected` and `ftrace test` below it.
command -v setpriv >/dev/null || ft_skip "no setpriv"
chmod 755 "$FT_SCRATCH"
mkdir -p "$FT_SCRATCH/shared/.ftrace" "$FT_SCRATCH/shared/work"
cp .ftrace/ftrace.db "$FT_SCRATCH/shared/.ftrace/"
printf '{"command": ["touch", "%s"]}\n' "$FT_SCRATCH/shared/ran" >"$FT_SCRATCH/shared/.ftrace.json"
chown -R daemon "$FT_SCRATCH/shared/.ftrace" "$FT_SCRATCH/shared/.ftrace.json"
chmod 1777 "$FT_SCRATCH/shared" "$FT_SCRATCH/shared/work"
as_nobody() { (cd "$FT_SCRATCH/shared/work" && setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"); }
rc=0
as_nobody "$FTRACE_BIN" affected 2>"$FT_SCRATCH/err" || rc=$?
[ $rc -eq 2 ] && grep -q "owned by uid $other" "$FT_SCRATCH/err" ||
	ft_fail "nobody used daemon's settings or state dir: exit $rc: $(cat "$FT_SCRATCH/err")"
rc=0
as_nobody "$FTRACE_BIN" test -q 2>"$FT_SCRATCH/err" || rc=$?
[ $rc -eq 78 ] && [ ! -e "$FT_SCRATCH/shared/ran" ] ||
	ft_fail "nobody's ftrace test ran daemon's command: exit $rc: $(cat "$FT_SCRATCH/err")"
rm "$FT_SCRATCH/shared/.ftrace.json"
rc=0
as_nobody "$FTRACE_BIN" affected 2>"$FT_SCRATCH/err" || rc=$?
[ $rc -eq 2 ] && grep -q "state directory is owned by uid $other" "$FT_SCRATCH/err" ||
	ft_fail "nobody used daemon's state dir: exit $rc: $(cat "$FT_SCRATCH/err")"
# nobody's own state dir, in its own directory, is fine
mkdir -p "$FT_SCRATCH/mine"
chown nobody "$FT_SCRATCH/mine"
(cd "$FT_SCRATCH/mine" && setpriv --reuid=nobody --regid=nogroup --clear-groups -- sh -c \
	'git init -q . && echo x >g && "$FTRACE_BIN" run -q --name t -- cat g >/dev/null && "$FTRACE_BIN" affected') ||
	ft_fail "nobody's own recording was refused"
chown -R root "$FT_SCRATCH/shared" "$FT_SCRATCH/mine"
