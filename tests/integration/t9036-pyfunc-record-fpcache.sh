#!/usr/bin/env bash
# The fingerprints a function-granularity recording writes come from
# <state>/pyfp-cache.json where a file's bytes are the same as at an
# earlier recording (adapters/pytest/ftrace_fpcache.py;
# docs/python-functions.md, "Cost"): keyed by the bytes' SHA-256, under a
# key naming the interpreter and the tool's sources.  An edited file is
# fingerprinted anew; a cache of another key, garbage, a FIFO, a symlink
# or a directory in its place is not used and breaks nothing; a state
# directory the session cannot write keeps no cache; an entry whose check
# fails is a miss.  What the side file
# says always equals the tool's own fingerprint of the bytes.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-testmod
C=.ftrace/pyfp-cache.json

record() {
	rm -rf .ftrace/runs
	ft run -q --keep-records --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
}
# check WHAT [POISONED]: the side file's fingerprints are the tool's own for
# every .py (but POISONED's, which must be the planted one)
check() {
	"$FT_PYTHON" - "$FTRACE_BUILD_DIR/adapters/pytest" "$1" "${2:-}" .ftrace/runs/*/adapter-pytest-*.json <<'PY' ||
import json, os, sys
sys.path.insert(0, sys.argv[1])
import ftrace_fingerprint as fp
what, poisoned, side = sys.argv[2], sys.argv[3], sys.argv[4]
fps = json.load(open(side))["fingerprints"]
assert len(fps) >= 4, (what, sorted(fps))
for path, got in fps.items():
    want = fp.fingerprint_file(path)
    if poisoned and path.endswith(poisoned):
        assert got["skeleton"] == "0" * 32, (what, path, got["skeleton"])
        got["skeleton"] = want["skeleton"]
    assert got == want, (what, path)
PY
		ft_fail "fingerprints: $1"
}

record
check "a first recording"
[ -f "$C" ] || ft_fail "no cache after a recording"
"$FT_PYTHON" - "$C" "$PWD/pkg/core.py" <<'PY' || ft_fail "the cache's entries"
import hashlib, json, sys
doc = json.load(open(sys.argv[1]))
assert isinstance(doc["key"], list) and sys.version in doc["key"], doc["key"]
digest = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
assert digest in doc["entries"] and len(doc["entries"]) >= 4, sorted(doc["entries"])
PY

# The cache is used: an entry planted under core.py's digest comes back.
# (The cache is ftrace's own data, trusted as its database is.)
plant() {
	"$FT_PYTHON" - "$C" "$PWD/pkg/core.py" "$1" <<'PY' || ft_fail "planting"
import hashlib, json, sys
doc = json.load(open(sys.argv[1]))
digest = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
entry = doc["entries"][digest]
entry["fp"]["skeleton"] = "0" * 32
if sys.argv[3] != "badcheck":
    # the entry's check, as ftrace_fpcache computes it
    text = json.dumps(entry["fp"], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    entry["ck"] = hashlib.sha256((digest + "\0" + text).encode()).hexdigest()
if sys.argv[3] == "otherkey":
    doc["key"][-1] = "0" * 64
json.dump(doc, open(sys.argv[1], "w"))
PY
}
plant samekey
record
check "an entry planted" pkg/core.py
# ... and one under another key is not, nor one whose check fails (an
# entry changed by hand).
plant otherkey
record
check "a cache of another tool's"
record
plant badcheck
record
check "an entry whose check fails"

# An edit: the new bytes' fingerprint, and selection sees the edit.
record
printf '\n\ndef extra():\n    return 1\n' >>pkg/core.py
ft_settle
record
check "a file edited"
git checkout -q pkg/core.py
ft_settle

# Hostile or broken caches: not used, and the recording is whole.
for bad in garbage empty fifo symlink dir bigkey; do
	rm -rf "$C"
	case $bad in
	bigkey) printf '{"key": {"a": 1}, "entries": [1, 2]}' >"$C" ;;
	*) ft_bad_file $bad "$C" ;;
	esac
	record
	grep -q '^7 passed' "$FT_SCRATCH/run.out" || ft_fail "$bad: unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
	check "a cache that is $bad"
	[ "$bad" != symlink ] || [ "$(cat "$FT_SCRATCH/elsewhere.json")" = "{}" ] ||
		ft_fail "the cache wrote through a symlink"
done
rm -rf "$C"
# A state directory the session cannot write: no cache, a whole recording.
if [ "$(id -u)" -ne 0 ]; then
	chmod a-w .ftrace
	record
	chmod u+w .ftrace
	[ ! -e "$C" ] || ft_fail "a cache in a read-only state directory"
	check "a read-only state directory"
fi
assert_set "" "$(ft affected --granularity=function)" "nothing changed after the last recording"
