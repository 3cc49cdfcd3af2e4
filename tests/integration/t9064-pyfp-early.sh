#!/usr/bin/env bash
# The fingerprints made while the tests run (ftrace_fpcache.Early;
# docs/python-functions.md, "Cost"): at the end of collection the pytest
# plugin spawns a child that fingerprints the project files loaded by
# then, and fingerprints() at the session's end takes its entries as the
# cache's.
#  1. The child is not recorded: a file only it reads is no dependency of
#     the command that spawned it, and it reads no variable of the
#     session's environment.
#  2. Its entries are the tool's own fingerprints of the bytes, for every
#     file; a FIFO among the files does not stop it.
#  3. Its output is input: a cut last line, a line of garbage, an entry
#     whose check fails and an output of another key are misses, and
#     fingerprints() then gives the tool's own fingerprint all the same.
#  4. The worker is no child of the session (the spawned process forks it
#     and exits), and stop() makes one that still runs stop, and removes
#     its files.
#  5. End to end: a recording with the child and one without
#     (FTRACE_PYFP_EARLY=0) give the same side-file fingerprints and the
#     same dependencies, at both granularities.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
AD=$FTRACE_BUILD_DIR/adapters/pytest

# 1-4: the class itself, inside `ftrace run` (the interposer is active in
# the process that spawns the child, as in a pytest session)
ft_fixture pytest-testmod
mkfifo "$PWD/pkg/fifo.py"
cat >"$PWD/only_child.py" <<'PY'
def only():
    return 1
PY
cat >"$FT_SCRATCH/early.py" <<'PY'
import hashlib, json, os, sys, time
sys.path.insert(0, sys.argv[1])
import ftrace_fpcache as c
import ftrace_fingerprint as fp
import ftrace_pystate
run_dir = os.environ["FTRACE_RUN_DIR"]
root = os.getcwd()
files = [os.path.join(root, "pkg", "fifo.py"), os.path.join(root, "only_child.py"),
         os.path.join(root, "pkg", "core.py"), os.path.join(root, "pkg", "__init__.py"),
         os.path.join(root, "tests", "test_core.py")]
real = files[1:]
key = c._tool_key()
c._EARLY_WAIT = 30.0   # (a worker stuck on the FIFO: given up after 30 s, what follows it missed)

def want(path):
    with open(path, "rb") as f:
        b = f.read()
    return hashlib.sha256(b).hexdigest(), fp.fingerprint_bytes(b, path, ftrace_pystate.Calls(path, {}))

# (what the tool makes of each file, computed before, outside the
# recording: this process must not read only_child.py)
with open(sys.argv[2]) as f:
    expected = json.load(f)
e = c.Early.start(files, run_dir)
assert e is not None, "no child started"
got = e.entries(key)
for path in real:
    digest, fpr = expected[path]
    assert digest in got, ("no entry", path, sorted(got))
    assert got[digest]["fp"] == fpr, ("another fingerprint", path)
    assert got[digest]["ck"] == c._check(digest, fpr), ("another check", path)
assert not os.path.exists(e.inp) and not os.path.exists(e.out), "files left behind"

# 3: hostile output, read through entries() (the child: /bin/true)
def fake(text):
    out = os.path.join(run_dir, "fake.out")
    with open(out, "wb") as f:
        f.write(text)
    pid = os.posix_spawn("/bin/true", ["true"], {})
    r, w = os.pipe()
    os.close(w)   # (the worker gone)
    return c.Early(pid, r, os.path.join(run_dir, "fake.in"), out)

core = os.path.join(root, "pkg", "core.py")
digest, fpr = want(core)
good = {"fp": json.loads(json.dumps(fpr)), "ck": c._check(digest, fpr)}
line = lambda d, e: (json.dumps({"d": d, "e": e}) + "\n").encode()
head = (json.dumps({"key": key}) + "\n").encode()
assert fake(head + line(digest, good)).entries(key) == {digest: good}, "a good line"
cut = line(digest, good)[:-20]
assert fake(head + cut).entries(key) == {}, "a cut last line was taken"
assert fake(head + b"{garbage\n" + line(digest, good)).entries(key) == {digest: good}, \
    "a line of garbage stopped the rest"
other = (json.dumps({"key": key[:-1] + ["0" * 64]}) + "\n").encode()
assert fake(other + line(digest, good)).entries(key) == {}, "another key's output was taken"
assert fake(b"").entries(key) == {} and fake(b"\xff\xfe\n").entries(key) == {}, "empty, binary"
# a forged entry (its skeleton changed, the check kept): fingerprints()
# checks it against the bytes and makes the fingerprint itself
forged = json.loads(json.dumps(good))
forged["fp"]["skeleton"] = "0" * 32
early = fake(head + line(digest, forged))
state = os.path.dirname(os.path.dirname(run_dir))
if os.path.exists(os.path.join(state, c.NAME)):
    os.unlink(os.path.join(state, c.NAME))
res = c.fingerprints([core], run_dir, early)
assert res[core]["skeleton"] == fpr["skeleton"], "a forged entry was used"

# 4: a worker with much to do is no child of ours once the spawned
# process is reaped, and stop() makes it stop; its files are gone
import sysconfig
std = sysconfig.get_paths()["stdlib"]
many = sorted(os.path.join(d, n) for d, _, names in os.walk(std) for n in names
              if n.endswith(".py") and "test" not in d)[:400]
e = c.Early.start(many, run_dir)
assert e is not None
e.reap()
def workers():
    out = []
    for p in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % p, "rb") as f:
                if os.fsencode(e.out) in f.read():
                    out.append(int(p))
        except (OSError, ValueError):
            pass
    return out
time.sleep(0.5)
assert workers(), "no worker runs"
try:
    got = os.waitpid(-1, os.WNOHANG)
    raise AssertionError("the session has a child: %r" % (got,))
except ChildProcessError:
    pass
keep = os.path.join(run_dir, "kept.out")
os.link(e.out, keep)
with open(keep, "rb") as f:
    at_stop = f.read().count(b"\n")
e.stop()
for _ in range(1200):
    if not workers():
        break
    time.sleep(0.1)
assert not workers(), "the worker still runs 120 s after stop()"
with open(keep, "rb") as f:
    after = f.read().count(b"\n")
# (it stops after the file it was at: a line or two more, not the 400;
# a few more for the files it may finish between the count and stop())
assert after <= at_stop + 5, ("the worker went on after stop()", at_stop, after)
os.unlink(keep)
assert not os.path.exists(e.inp) and not os.path.exists(e.out), "files left behind by stop()"
print("ok")
PY
"$FT_PYTHON" - "$AD" "$PWD" >"$FT_SCRATCH/expected.json" <<'PY' || ft_fail "the expected fingerprints"
import hashlib, json, os, sys
sys.path.insert(0, sys.argv[1])
import ftrace_fingerprint as fp
import ftrace_pystate
out = {}
for rel in ("only_child.py", "pkg/core.py", "pkg/__init__.py", "tests/test_core.py"):
    path = os.path.join(sys.argv[2], rel)
    with open(path, "rb") as f:
        b = f.read()
    out[path] = [hashlib.sha256(b).hexdigest(), fp.fingerprint_bytes(b, path, ftrace_pystate.Calls(path, {}))]
print(json.dumps(out))
PY
ft run -q --granularity=file -- "$FT_PYTHON" "$FT_SCRATCH/early.py" "$AD" "$FT_SCRATCH/expected.json" \
	>"$FT_SCRATCH/early.out" 2>&1 ||
	ft_fail "the Early checks: $(cat "$FT_SCRATCH/early.out")"
grep -qx ok "$FT_SCRATCH/early.out" || ft_fail "the Early checks did not finish: $(cat "$FT_SCRATCH/early.out")"
# 1: what the child read is none of the command's dependencies (the
# parent never opens only_child.py), and no variable of the environment
# was read as a whole
sqlite3 .ftrace/ftrace.db "select p.path from paths p join states s on s.path_id=p.id
	join depset_states ds on ds.state_id=s.id" >"$FT_SCRATCH/paths.txt"
grep -q "pkg/core.py" "$FT_SCRATCH/paths.txt" || ft_fail "the recording misses the parent's own reads"
! grep -q "only_child.py" "$FT_SCRATCH/paths.txt" || ft_fail "the child was recorded (only_child.py)"
! grep -qx '\$=' "$FT_SCRATCH/paths.txt" || ft_fail "the whole environment was read"
rm -f "$PWD/pkg/fifo.py"

# 5: a recording with the child equals one without it
cd "$FT_SCRATCH"
rm -rf with without
cp -a pytest-testmod with
rm -rf with/.ftrace with/only_child.py
cp -a with without
for g in file function; do
	for d in with without; do
		(
			cd "$d"
			rm -rf .ftrace/runs .ftrace/pyfp-cache.json
			e=1
			[ "$d" = without ] && e=0
			FTRACE_PYFP_EARLY=$e ft run -q --keep-records --granularity=$g -- \
				"$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/$d.out" 2>&1 ||
				ft_fail "recording $d ($g): $(cat "$FT_SCRATCH/$d.out")"
			"$FT_PYTHON" - .ftrace/runs/*/adapter-pytest-*.json "$PWD" >"$FT_SCRATCH/$d.fp" <<'PY'
import json, sys
fps = json.load(open(sys.argv[1]))["fingerprints"]
assert len(fps) >= 4, sorted(fps)
print(json.dumps({k.replace(sys.argv[2], "R"): v for k, v in fps.items()}, sort_keys=True))
PY
			sqlite3 .ftrace/ftrace.db "select t.name, p.path, s.kind from tests t
				join test_sets ts on ts.test_id=t.id join depset_states ds on ds.set_id=ts.set_id
				join states s on s.id=ds.state_id join paths p on p.id=s.path_id" |
				sed "s|$PWD|R|g" | sort -u >"$FT_SCRATCH/$d.deps"
		)
	done
	cmp -s "$FT_SCRATCH/with.fp" "$FT_SCRATCH/without.fp" || ft_fail "$g: the side files' fingerprints differ"
	cmp -s "$FT_SCRATCH/with.deps" "$FT_SCRATCH/without.deps" ||
		ft_fail "$g: the dependencies differ: $(diff "$FT_SCRATCH/with.deps" "$FT_SCRATCH/without.deps" | head -5)"
done
exit 0
