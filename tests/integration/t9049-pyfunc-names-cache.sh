#!/usr/bin/env bash
# The names each project file's code holds (the import graph's
# code_names_of(): what a module can reach a submodule with as an
# attribute; docs/python-functions.md, "Lazy imports") come from
# <state>/pynames-cache.json where a file's bytes are the same as at an
# earlier recording (adapters/pytest/ftrace_fpcache.py, NameCache): keyed
# by the bytes' SHA-256, under a key naming the interpreter and the graph's
# source.  The cache is used (an entry planted with a valid check changes
# the lazy-only files), an entry whose check fails or of another key is
# not, an edited file is tokenized anew, and a hostile or broken cache
# file breaks nothing and is never written through.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
ft_fixture pytest-lazy
ft_clock_past_ctime
C=.ftrace/pynames-cache.json
A="$FTRACE_BUILD_DIR/adapters/pytest"

record() {
	ft run -q --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
	grep -q "^9 passed" "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
}
# lazy WHAT WANT: the tests with lazy-only files, and theirs, are WANT
# (a Python literal: {test id: [file names]})
lazy() {
	"$FT_PYTHON" - .ftrace/ftrace.db "$1" "$2" <<'PY' || ft_fail "lazy-only files: $1"
import json, os, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = {n: sorted(os.path.basename(f) for f in json.loads(fs))
        for n, fs in db.execute("SELECT name, files FROM pyfunc_lazy")}
want = eval(sys.argv[3])
assert rows == want, (sys.argv[2], rows)
PY
}
BASE='{"tests/test_front.py::test_plain": ["heavy.py"], "tests/test_front.py::test_computed": ["heavy.py"]}'
# side.py's names without "heavy": its attribute edge to pkg.heavy is gone,
# so test_other.py's tests reach heavy.py only on demand
NOHEAVY='{"tests/test_front.py::test_plain": ["heavy.py"], "tests/test_front.py::test_computed": ["heavy.py"],
          "tests/test_other.py::test_other": ["heavy.py"], "tests/test_other.py::test_peek_only": ["heavy.py"]}'

record
lazy "a first recording" "$BASE"
[ -f "$C" ] || ft_fail "no names cache after a recording"
# every entry is code_names_of() of a project file's bytes, under this
# interpreter's key
"$FT_PYTHON" - "$C" "$A" pkg/*.py tests/*.py <<'PY' || ft_fail "the cache's entries"
import hashlib, json, sys
doc = json.load(open(sys.argv[1]))
sys.path.insert(0, sys.argv[2])
import ftrace_pytest_imports as graph
assert isinstance(doc["key"], list) and doc["key"][0] == sys.version, doc["key"]
want = {}
for f in sys.argv[3:]:
    data = open(f, "rb").read()
    want[hashlib.sha256(data).hexdigest()] = (f, sorted(graph.code_names_of(data)))
side = hashlib.sha256(open("pkg/side.py", "rb").read()).hexdigest()
assert side in doc["entries"] and "heavy" in doc["entries"][side]["n"], doc["entries"].get(side)
for digest, entry in doc["entries"].items():
    assert digest in want, ("an entry of no project file", digest)
    assert entry["n"] == want[digest][1], want[digest]
PY

# plant HOW: side.py's entry without "heavy"; HOW: samekey (a valid check),
# badcheck, otherkey
plant() {
	"$FT_PYTHON" - "$C" "$1" <<'PY' || ft_fail "planting $1"
import hashlib, json, sys
doc = json.load(open(sys.argv[1]))
digest = hashlib.sha256(open("pkg/side.py", "rb").read()).hexdigest()
entry = doc["entries"][digest]
entry["n"] = [n for n in entry["n"] if n != "heavy"]
if sys.argv[2] != "badcheck":
    text = json.dumps(entry["n"], ensure_ascii=False, separators=(",", ":"))
    entry["ck"] = hashlib.sha256((digest + "\0" + text).encode()).hexdigest()
if sys.argv[2] == "otherkey":
    doc["key"][-1] = "0" * 64
json.dump(doc, open(sys.argv[1], "w"))
PY
}
plant samekey
record
lazy "an entry planted" "$NOHEAVY"
plant otherkey
record
lazy "an entry under another key" "$BASE"
record
plant badcheck
record
lazy "an entry whose check fails" "$BASE"

# An edit of side.py: its new bytes are tokenized, not its old entry used.
plant samekey
printf '\n\ndef later():\n    return 2\n' >>pkg/side.py
ft_settle
record
lazy "side.py edited" "$BASE"
git checkout -q pkg/side.py
ft_settle

# Hostile or broken caches: not used, the recording is whole, and the
# cache is made anew in its place (never through a symlink).
for bad in garbage empty fifo symlink dir badshape; do
	rm -rf "$C"
	case $bad in
	badshape) "$FT_PYTHON" - "$C" "$A" <<'PY' ;;
import json, sys
sys.path.insert(0, sys.argv[2])
import ftrace_fpcache
key = ftrace_fpcache.NameCache(None, sys.argv[2] + "/ftrace_pytest_imports.py").key
json.dump({"key": key, "entries": {"x": 1, "y": {"n": "heavy", "size": 1, "ck": ""}}},
          open(sys.argv[1], "w"))
PY
	*) ft_bad_file $bad "$C" ;;
	esac
	record
	lazy "a cache that is $bad" "$BASE"
	[ "$bad" != symlink ] || [ "$(cat "$FT_SCRATCH/elsewhere.json")" = "{}" ] ||
		ft_fail "the names cache was written through a symlink"
	case $bad in
	dir) [ -d "$C" ] || ft_fail "the directory in the cache's place is gone" ;;
	*) [ -f "$C" ] && [ ! -L "$C" ] || ft_fail "$bad: no cache made in its place" ;;
	esac
done
rm -rf "$C"
assert_set "" "$(ft affected --granularity=function)" "nothing changed after the last recording"
