#!/usr/bin/env bash
# Row checksums (issue 24, "Corruption that SQLite does not notice"; schema
# version 3, store/ft_store_ck.c).  Besides the sets and the tests (t3204),
# selection reads the runs' runner lists and pytest rootdirs
# (run_pytest, run_runners, run_strings since schema version 6, before
# that runs.meta_json: a flipped directory name and new tests are never
# found), the function-granularity tables (a flip in pyfunc_tests.funcs
# drops a function from a test's list, and a change to it no longer
# selects the test), the fingerprint cache that `affected` writes itself,
# pytest's views of its configuration files, the directory listings and
# the stat cache.  One byte of one column edited through the sqlite3 CLI,
# in a database recorded from a real fixture: `affected` exits 2 with
# "database is corrupt: <table> <key> (checksum mismatch ...)", and writes
# nothing into that database.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || ft_skip "no sqlite3 CLI"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset FTRACE_DIR PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYFUNC_FPCACHE

# flip TABLE COLUMN [NEEDLE]: in the first row of TABLE whose COLUMN holds
# NEEDLE (any row without one), flip the lowest bit of one byte of COLUMN
# (NEEDLE's last byte, else the middle one), keeping the value's type.
# With FLIP_KEY set, only a row whose first key column holds FLIP_KEY.
flip() {
	"$FT_PYTHON" - "$DB" "$@" <<'PY' || ft_fail "flip $*"
import os, sqlite3, sys
db, table, col = sys.argv[1:4]
keyneed = os.environ.get("FLIP_KEY")
needle = sys.argv[4] if len(sys.argv) > 4 else None
keys = {"runs": ["id"], "pyfunc_fps": ["path", "value"], "pyfunc_tests": ["name"],
        "pyfunc_runs": ["run_id"], "pyfunc_lazy": ["name"], "pyfunc_fpcache": ["path"],
        "pyconf_views": ["path", "value"], "listings": ["path_id", "value"],
        "statcache": ["path_id", "kind"], "run_pytest": ["run_id"],
        "run_strings": ["run_id", "owner", "list", "pos"]}[table]
c = sqlite3.connect(db)
for row in c.execute("SELECT %s, %s FROM %s" % (", ".join(keys), col, table)):
    *key, v = row
    if keyneed and keyneed not in (key[0].decode() if isinstance(key[0], bytes) else str(key[0])):
        continue
    if isinstance(v, int):
        new = v ^ 1
    elif isinstance(v, (str, bytes)):
        b = bytearray(v.encode() if isinstance(v, str) else v)
        n = needle.encode() if needle else None
        if n is not None and n not in b:
            continue
        i = b.index(n) + len(n) - 1 if n else len(b) // 2
        while b[i] >= 0x7f or b[i] ^ 1 < 0x20:  # stays one ASCII character
            i += 1
        b[i] ^= 1
        new = b.decode() if isinstance(v, str) else bytes(b)
    else:
        continue
    cur = c.execute("UPDATE %s SET %s = ? WHERE %s" % (table, col, " AND ".join(
        "%s = ?" % k for k in keys)), [new] + key)
    assert cur.rowcount == 1, (table, key)
    c.commit()
    sys.exit(0)
sys.exit("no row of %s to flip" % table)
PY
}

# corrupt TABLE COLUMN [NEEDLE]: on a copy of the good database with that
# flip, affected exits 2, names TABLE, prints no test and changes nothing
corrupt() {
	local rc=0 before after
	cp "$FT_SCRATCH/$GOOD" "$DB"
	rm -f "$DB-wal" "$DB-shm"
	flip "$@"
	before=$(sqlite3 "$DB" .dump | md5sum)
	ft affected --format ids --granularity=function >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ $rc -eq 2 ] || ft_fail "$1.$2: exit $rc, expected 2; printed: $(tr '\n' ' ' <"$FT_SCRATCH/out")"
	[ ! -s "$FT_SCRATCH/out" ] || ft_fail "$1.$2: printed $(cat "$FT_SCRATCH/out")"
	grep -q "database is corrupt: $1 .*(checksum mismatch" "$FT_SCRATCH/err" ||
		ft_fail "$1.$2: not named: $(cat "$FT_SCRATCH/err")"
	after=$(sqlite3 "$DB" .dump | md5sum)
	[ "$before" = "$after" ] || ft_fail "$1.$2: affected wrote into the corrupt database"
}

# rows TABLE...: each holds a row (or the flip would test nothing)
rows() {
	for t in "$@"; do
		[ "$(sqlite3 "$DB" "SELECT count(*) FROM $t")" -gt 0 ] || ft_fail "no row in $t"
	done
}

# Function granularity, lazy imports (every pyfunc_* table), and a body
# edit, so that `affected` fills the fingerprint cache (its ctime settled:
# t9013).
ft_fixture pytest-lazy
ft_clock_past_ctime
ft run -q --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
DB=$PWD/.ftrace/ftrace.db
ft_edit pkg/front.py 'return x + pkg.STEP' 'return x + pkg.STEP + 0'
sleep 2.2
ft affected --format ids --granularity=function >"$FT_SCRATCH/truth" || ft_fail "affected on the good database"
[ -s "$FT_SCRATCH/truth" ] || ft_fail "the edit selected nothing"
rows runs run_pytest run_strings pyfunc_fps pyfunc_tests pyfunc_runs pyfunc_lazy pyfunc_fpcache listings statcache
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
GOOD=lazy.db
cp "$DB" "$FT_SCRATCH/$GOOD"
assert_set "$(cat "$FT_SCRATCH/truth")" "$(ft affected --format ids --granularity=function)" \
	"the good database again"

corrupt run_pytest rootdir pytest-lazy   # the rootdir's name
corrupt run_strings value test_         # a python_files pattern
# pyfunc_tests, pyfunc_fps and pyfunc_lazy are checked as they are read
# (store/ft_store_ck.c): the rows of the tests judged (test_plain's file
# changed) and of the file that changed
FLIP_KEY=test_plain corrupt pyfunc_tests funcs
FLIP_KEY=test_plain corrupt pyfunc_tests own
FLIP_KEY=test_plain corrupt pyfunc_tests run_id
FLIP_KEY=pkg/front.py corrupt pyfunc_fps bodies
FLIP_KEY=pkg/front.py corrupt pyfunc_fps skeleton
corrupt pyfunc_runs prelude
FLIP_KEY=test_plain corrupt pyfunc_lazy files
corrupt pyfunc_fpcache fp
corrupt pyfunc_fpcache mtime_ns
corrupt listings names
corrupt statcache value
corrupt statcache mtime_ns

# redirect INDEX KEY TARGET: the entry of KEY (its text or blob bytes)
# in index INDEX of the database gets the rowid TARGET instead of its own
# (one integer of the file changed, of the same size: the rows and their
# checksums stay intact, and SQLite's reads do not compare the key again).
redirect() {
	"$FT_PYTHON" - "$DB" "$@" <<'PY' || ft_fail "could not redirect $1's entry of $2"
import sqlite3, sys
db, index, key, target = sys.argv[1], sys.argv[2], sys.argv[3].encode(), int(sys.argv[4])
c = sqlite3.connect(db)
table, col = c.execute("SELECT tbl_name, (SELECT name FROM pragma_index_info(?1))"
                       " FROM sqlite_master WHERE name = ?1", (index,)).fetchone()
own = c.execute("SELECT rowid FROM %s WHERE CAST(%s AS BLOB) = ?" % (table, col), (key,)).fetchone()[0]
pages = [r[0] for r in c.execute("SELECT pageno FROM dbstat WHERE name = ?", (index,))]
psize = c.execute("PRAGMA page_size").fetchone()[0]
c.close()
def size(v):  # SQLite's serial types for integers
    for n in (1, 2, 3, 4, 6, 8):
        if -(1 << (8 * n - 1)) <= v < (1 << (8 * n - 1)):
            return n
n = size(own)
assert size(target) == n and target != own, (own, target)
data = bytearray(open(db, "rb").read())
done = 0
for pg in pages:
    base = (pg - 1) * psize
    i = data.find(key, base, base + psize)
    while i >= 0:
        j = i + len(key)      # the record's next value: the rowid
        if data[j:j + n] == own.to_bytes(n, "big", signed=True):
            data[j:j + n] = target.to_bytes(n, "big", signed=True)
            done += 1
        i = data.find(key, i + 1, base + psize)
assert done == 1, done
open(db, "wb").write(data)
PY
}

# redirected INDEX KEY TARGET NAMED: on a copy of the good database with
# that redirection, affected exits 2, names NAMED, prints no test
redirected() {
	local rc=0
	cp "$FT_SCRATCH/$GOOD" "$DB"
	rm -f "$DB-wal" "$DB-shm"
	redirect "$1" "$2" "$3"
	ft affected --format ids --granularity=function >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ $rc -eq 2 ] || ft_fail "$1 $2: exit $rc, expected 2; printed: $(tr '\n' ' ' <"$FT_SCRATCH/out")"
	[ ! -s "$FT_SCRATCH/out" ] || ft_fail "$1 $2: printed $(cat "$FT_SCRATCH/out")"
	grep -qF "database is corrupt: $4" "$FT_SCRATCH/err" ||
		ft_fail "$1 $2: not named: $(cat "$FT_SCRATCH/err")"
}

# An index entry that names another row: test_plain's entry in
# pyfunc_tests' key index gets test_computed's rowid.  The key read back
# from the row is not the one asked for.
redirected sqlite_autoindex_pyfunc_tests_1 tests/test_front.py::test_plain \
	"$(sqlite3 "$FT_SCRATCH/$GOOD" "SELECT rowid FROM pyfunc_tests WHERE name = 'tests/test_front.py::test_computed'")" \
	"pyfunc_tests tests/test_front.py::test_plain (checksum mismatch"
# The same in the paths' index: pkg/front.py's entry names pkg/side.py's
# row, so the versions of front.py each test saw would be side.py's.
redirected sqlite_autoindex_paths_1 "$PWD/pkg/front.py" \
	"$(sqlite3 "$FT_SCRATCH/$GOOD" "SELECT id FROM paths WHERE CAST(path AS TEXT) = '$PWD/pkg/side.py'")" \
	"paths $PWD/pkg/front.py (its index names another row"

# A corrupt row no read of this selection reaches (pkg/side.py did not
# change): the answer stands, as it is the one the good database gives,
# and `ftrace export`, which reads every row, refuses it.
cp "$FT_SCRATCH/$GOOD" "$DB"
rm -f "$DB-wal" "$DB-shm"
FLIP_KEY=pkg/side.py flip pyfunc_fps bodies
assert_set "$(cat "$FT_SCRATCH/truth")" "$(ft affected --format ids --granularity=function)" \
	"a corrupt row this selection does not read"
rc=0
ft export "$FT_SCRATCH/b.bundle" 2>"$FT_SCRATCH/err" || rc=$?
[ $rc -eq 2 ] || ft_fail "export of a corrupt pyfunc_fps row: exit $rc, expected 2"
grep -q "database is corrupt: pyfunc_fps .*(checksum mismatch" "$FT_SCRATCH/err" ||
	ft_fail "export: the row is not named: $(cat "$FT_SCRATCH/err")"
[ ! -e "$FT_SCRATCH/b.bundle" ] || ft_fail "export wrote a bundle of a corrupt database"

# pytest's views of setup.cfg and tox.ini (pyconf_views), at file
# granularity
mkdir -p "$FT_SCRATCH/inicfg"
cd "$FT_SCRATCH"
ft_fixture pytest-inicfg inicfg/repo
ft_clock_past_ctime
FTRACE_GRANULARITY=file ft run -q -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
DB=$PWD/.ftrace/ftrace.db
rows pyconf_views
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
GOOD=inicfg.db
cp "$DB" "$FT_SCRATCH/$GOOD"
assert_status 0 ft affected --format ids
corrupt pyconf_views view
