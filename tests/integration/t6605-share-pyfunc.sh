#!/usr/bin/env bash
# Sharing a recording made by function (issue 28): a pytest recording made
# with --granularity=function in one clone, exported, and imported into
# another clone at another path, narrows an edit as the
# recording clone does, because the bundle (format version 5) carries the
# Python tables (pyfunc_tests, pyfunc_runs, pyfunc_lazy, pyfunc_fps,
# pyconf_views) with their paths relative to the top.  Exact sets, for a
# function body edit (only the test that ran it: at file granularity every
# test, since conftest imports shop) and a module-top edit (every
# importer).  Without the Python tables, the importing clone selects every
# test for the body edit.  The fingerprint cache (keyed by stat data and
# this boot) is not exported.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
ft_fixture pytest-funcs src
cd "$FT_SCRATCH"
git clone -q src a
git clone -q src b
mkdir -p "$FT_SCRATCH/home-a" "$FT_SCRATCH/home-b"
# No .pyc files before the recording: pytest writes them during it, so
# they are no dependency.  A .pyc holds the absolute path it was compiled
# at (co_filename), so b's own would differ from a's recorded ones
# (docs/ci.md, "Python bytecode").
(cd a && ft_settle)
(cd b && ft_settle)

cd "$FT_SCRATCH/a"
export HOME=$FT_SCRATCH/home-a
ft run -q --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/out" 2>&1 ||
	{ cat "$FT_SCRATCH/out" >&2; ft_fail "recording failed"; }
fn() { ft affected --format ids --granularity=function; }
assert_set "" "$(fn)" "a: nothing changed after the recording"
ft export "$FT_SCRATCH/golden.ftb" 2>"$FT_SCRATCH/export.err" || ft_fail "export exited $?"
if grep -aqF "$FT_SCRATCH/a" "$FT_SCRATCH/golden.ftb"; then
	ft_fail "the bundle holds the exporting checkout's absolute path"
fi
# the fingerprint cache is not in it: stat data and a boot id are this machine's
"$FT_PYTHON" - "$FT_SCRATCH/golden.ftb" <<'PY' || ft_fail "bundle header"
import struct, sys
b = open(sys.argv[1], "rb").read()
assert b[:8] == b"FTBUNDLE" and struct.unpack("<I", b[8:12])[0] == 5, b[:12]
PY
# format version 4 shares the function lists and the fingerprints' texts:
# every text the plugin wrote is one its trees code (none is kept as it is)
stats=$("$FTRACE_BUILD_DIR/tests/tools/ftt_bundle" stats "$FT_SCRATCH/golden.ftb") ||
	ft_fail "ftt_bundle stats"
texts=$(sed -n 's/.* py_texts \([0-9]*\) .*/\1/p' <<<"$stats")
coded=$(sed -n 's/.* py_coded \([0-9]*\) .*/\1/p' <<<"$stats")
other=$(sed -n 's/.* py_other \([0-9]*\) .*/\1/p' <<<"$stats")
ocoded=$(sed -n 's/.* py_other_coded \([0-9]*\) .*/\1/p' <<<"$stats")
[ -n "$texts" ] && [ "$texts" -gt 0 ] && [ "$texts" = "$coded" ] ||
	ft_fail "the function lists are not all shared: $stats"
[ -n "$other" ] && [ "$other" -gt 0 ] && [ "$other" = "$ocoded" ] ||
	ft_fail "the runs' and fingerprints' texts are not all shared: $stats"

cd "$FT_SCRATCH/b"
# (the same $HOME: another one is an environment change, t6600)
ft import "$FT_SCRATCH/golden.ftb" 2>"$FT_SCRATCH/import.err" ||
	{ cat "$FT_SCRATCH/import.err" >&2; ft_fail "import exited $?"; }
assert_set "" "$(fn)" "b: nothing changed after the import"
"$FT_PYTHON" - .ftrace/ftrace.db "$PWD" <<'PY' || ft_fail "b's Python tables (see above)"
import json, sqlite3, sys
db, root = sqlite3.connect(sys.argv[1]), sys.argv[2]
rows = {n: json.loads(f) for n, f in db.execute(
    "SELECT f.name, f.funcs FROM pyfunc_tests f JOIN tests t ON t.name = f.name AND t.run_id = f.run_id")}
assert len(rows) == 10, rows
assert sorted(rows["tests/test_prices.py::test_net"][root + "/shop/prices.py"]) == ["@net", "net"], rows
(prelude,), = db.execute("SELECT prelude FROM pyfunc_runs").fetchall()
assert root + "/shop/util.py" in json.loads(prelude), prelude
paths = {p.decode() for p, in db.execute("SELECT path FROM pyfunc_fps")}
assert root + "/shop/prices.py" in paths, paths
assert db.execute("SELECT count(*) FROM pyfunc_fpcache").fetchone()[0] == 0
PY

# each edit in both clones: the same exact set
NET=tests/test_prices.py::test_net
# shellcheck disable=SC2016
edits=(
	"ft_edit shop/prices.py 'return round(amount, 2)' 'return round(amount, 3)' && ft_settle"
	"ft_edit shop/prices.py 'TAX = 0.25' 'TAX = 0.5' && ft_settle"
)
wants=("$NET" "")
for i in "${!edits[@]}"; do
	e=${edits[$i]}
	(cd "$FT_SCRATCH/a" && eval "$e")
	(cd "$FT_SCRATCH/b" && eval "$e")
	want=$(cd "$FT_SCRATCH/a" && HOME=$FT_SCRATCH/home-a fn)
	got=$(cd "$FT_SCRATCH/b" && fn)
	[ -n "$want" ] || ft_fail "edit '$e' selects nothing in the recording clone"
	[ -z "${wants[$i]}" ] || assert_set "${wants[$i]}" "$want" "edit '$e': a's selection"
	assert_set "$want" "$got" "edit '$e': the importing clone selects what the recording one does"
	for d in a b; do
		(cd "$FT_SCRATCH/$d" && git checkout -q -- . && ft_settle)
	done
done
# a module-top edit that runs code selects more than the body edit (every
# importer; a plain constant is a name change, which selects test_gross)
(cd "$FT_SCRATCH/b" && ft_edit shop/prices.py 'TAX = 0.25' 'TAX = float(0.5)' && ft_settle)
[ "$(fn | wc -l)" -gt 2 ] || ft_fail "a module-top edit selects only $(fn)"
git checkout -q -- . && ft_settle
