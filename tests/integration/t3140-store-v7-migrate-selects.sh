#!/usr/bin/env bash
# Schema 8 stores pytest's collected and import-system listings (and the
# collector's entry stats) as LIST/TYPE codes with a reader, where version 7
# had kinds 9-11 of their own (store/ft_state.h, migrate_7_8).  A recording
# that main's version-7 ftrace made (fixtures/store-v7, regen.sh) is
# migrated by the first `affected`, and then selects exactly what that
# ftrace selected, change by change (fixtures/store-v7/expected): nothing
# for no change, for a data file added where only the collector listed, for
# one removed that only its ignore check stat'ed, and for a name the import
# system cannot use; the new test file for a test file added; every test
# for a module added to a directory on sys.path.  Its bundle (`ftrace
# export` of version 7, kinds 9-11 in it) imports into a clone at another
# path, as the reader codes, and selects the same there.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
fix=$FTRACE_SOURCE_DIR/fixtures/store-v7
top=/tmp/ftrace-store-v7/repo
export FTRACE_GRANULARITY=file
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_DIR
# The recording answers at its recorded top only: one fixed path, so one
# run at a time (regen.sh takes the same lock).
mkdir -p /tmp/ftrace-store-v7
exec 9>/tmp/ftrace-store-v7.lock
flock 9
# The recording read its interpreter's files: elsewhere, everything
# would be selected (regen.sh notes which one it was).
[ "$("$FT_PYTHON" -c 'import sys; print(sys.executable, sys.version)')" = "$(cat "$fix/python")" ] ||
	ft_skip "the recording's Python ($(cat "$fix/python")) is not $FT_PYTHON"
trap 'rm -rf "$top" /tmp/ftrace-store-v7/readme.v7; ft__cleanup' EXIT
rm -rf "$top"
tar -xzf "$fix/repo.tar.gz" -C /tmp/ftrace-store-v7
cd "$top"

kinds() {
	"$FT_PYTHON" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT value FROM meta WHERE key = '"'schema_version'"'").fetchone()[0],
      *sorted(k for (k,) in db.execute("SELECT DISTINCT kind FROM states")))' .ftrace/ftrace.db
}
assert_eq "7 1 2 3 4 5 6 9 10 11" "$(kinds)" "the fixture: version 7, kinds 9-11"

# drift: with nothing changed, does everything selected name only system
# files (/etc, /lib, /lib64, /usr) that differ here from the recording's
# machine?  Then the migrated selections cannot be compared here: this
# machine's loader cache or libraries are not the fixture's (regen.sh
# keeps the interpreter's site-packages out; these it cannot).
drift() {
	ft affected --format json | "$FT_PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
paths = {r.get("path", "") for t in d.get("tests", []) for r in t.get("reasons", [])}
sysfile = lambda p: p.startswith(("/etc/", "/lib/", "/lib64/", "/usr/"))
if d.get("tests") and paths and all(sysfile(p) for p in paths):
    print(" ".join(sorted(paths)[:5]))'
}

n=0
check() {
	local got
	got=$(ft affected --format ids) || ft_fail "ftrace affected ($1) exited $?"
	if [ "$1" = none ] && [ -n "$got" ] && d=$(drift) && [ -n "$d" ]; then
		ft_skip "this machine's system files differ from the fixture's: $d"
	fi
	# On a mismatch, say why first: a path outside the repository that
	# differs on this machine shows here (regen.sh keeps them out).
	[ "$(sort "$fix/expected/$1")" = "$(printf '%s\n' "$got" | sed '/^$/d' | sort)" ] ||
		ft affected --format ids --explain >&2 || :
	assert_set "$(cat "$fix/expected/$1")" "$got" "after the migration, $1: as version 7 selected"
	n=$((n + 1))
}
. "$fix/changes.sh"
v7_changes check
assert_eq 6 "$n" "changes checked"
# the pytest kinds became reader codes: LIST|1<<4, LIST|2<<4, TYPE|1<<4
assert_eq "11 1 2 3 4 5 6 18 21 37" "$(kinds)" "migrated to version 11"

# version 7's bundle, imported into a copy of the tree at another path
cd "$FT_SCRATCH"
tar -xzf "$fix/repo.tar.gz" -C "$FT_SCRATCH"
cd "$FT_SCRATCH/repo"
rm -rf .ftrace
ft import "$fix/v7.ftb" 2>/dev/null || ft_fail "import of version 7's bundle exited $?"
assert_eq "11 1 2 3 4 5 6 18 21 37" "$(kinds)" "imported as the reader codes"
n=0
v7_changes check
assert_eq 6 "$n" "changes checked in the import"
