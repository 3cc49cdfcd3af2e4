"""ftrace_fpcache.py - the fingerprints of a session's .py files, reused
from one recording to the next by content (docs/python-functions.md,
"Cost").

A fingerprint (ftrace_fingerprint.fingerprint_source) is a function of the
file's bytes, the interpreter (its ast, compile, re, builtins and the
standard library's layout) and the tool's own code; not of the time or
the environment.  But for one thing: which statements call another
project module's writer (the kind "leaves", ftrace_pystate.Calls) is
read from the modules the file's path finds, which the key does not
name; a kept kind from an earlier version of those only ever makes
selection take more (docs/python-functions.md, "Functions that write
outside their module").  So the cache keys each fingerprint by the
SHA-256 of the bytes, in one file of the state directory,
`<state>/pyfp-cache.json`, whose "key" names the rest: sys.version, the
implementation's cache tag, the standard library's directory and the
SHA-256 of the tool's sources (ftrace_fingerprint.py, ftrace_pystate.py).
A file with another key is not used.  Each entry is {"fp", "ck"}: the
fingerprint_bytes() of those bytes, and the SHA-256 of the bytes' digest
and the fingerprint's JSON; one whose check, "size" or "crc32" does not
match the bytes read now is a miss.

The cache is ftrace's input, so hostile: it is opened without following a
link, read only if it is a regular file of at most 256 MiB, parsed as JSON
(no code runs), and an entry of the wrong shape is a miss.  Anything wrong
is a miss, never an error.  It is written whole (a temporary file, then
rename) with the entries this session used, so it holds one suite's files
and does not grow; two sessions writing at once leave one's.  Paths in the
state directory are the interposer's ignored places: none of this is a
test's dependency.  A state directory the session cannot write keeps no
cache.

The same file's second table, `<state>/pynames-cache.json` (NameCache),
keeps what the import graph's code_names_of() found in each file's bytes
(the identifiers its code can name a submodule with; tokenizing every
project file again at each session's end was a tenth of a real suite's
recording overhead), under a key of sys.version, the cache tag, the
standard library's directory (tokenize is the interpreter's) and the
SHA-256 of ftrace_pytest_imports.py.  Each entry is {"n", "size", "ck"}:
the sorted names, the bytes' length, and the SHA-256 of the bytes' digest
and the names' JSON.  The same rules: anything wrong is a miss.
"""
import os
import sys

if __name__ == "__main__" and sys.argv[1:2] == ["--early"] and os.fork():
    # Early's spawned process: its child is the worker, which the session
    # never has as a child of its own (Early)
    os._exit(0)

import hashlib  # noqa: E402
import json  # noqa: E402

NAME = "pyfp-cache.json"
NAMES = "pynames-cache.json"
_MAX = 256 << 20


def _tool_key():
    import ftrace_fingerprint
    import ftrace_pystate
    h = hashlib.sha256()
    for m in (ftrace_fingerprint, ftrace_pystate):
        with open(m.__file__, "rb") as f:
            h.update(f.read())
        h.update(b"\0")
    return [sys.version, getattr(sys.implementation, "cache_tag", None) or "",
            os.path.dirname(os.__file__), h.hexdigest()]


def _state_dir(run_dir):
    """<state> of a run directory <state>/runs/<id>, or None."""
    if not run_dir:
        return None
    parent = os.path.dirname(os.path.abspath(run_dir))
    if os.path.basename(parent) != "runs":
        return None
    return os.path.dirname(parent)


def _bytes(path, limit=_MAX, follow=False):
    """The bytes of the regular file at `path` (of at most `limit` bytes),
    opened without blocking (a FIFO is no regular file) and, unless
    `follow`, without following a link; None if it cannot be read."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        import stat
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _read(path, key):
    """The entries of the cache at `path` if its key is `key`, else {}."""
    data = _bytes(path)
    if data is None:
        return {}
    try:
        doc = json.loads(data.decode("utf-8", "surrogateescape"))
    except (ValueError, RecursionError, MemoryError):
        return {}
    if not isinstance(doc, dict) or doc.get("key") != key:
        return {}
    entries = doc.get("entries")
    return entries if isinstance(entries, dict) else {}


def _check(digest, fp):
    """The check of an entry: the SHA-256 of its key and its fingerprint's
    JSON, so that an entry changed by hand or cut short is a miss (as
    the database's checksums make a changed row corruption)."""
    text = json.dumps(fp, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((digest + "\0" + text).encode("utf-8", "surrogatepass")).hexdigest()


def _valid(digest, entry, source):
    """Is `entry` a fingerprint_bytes() of `source` (whose SHA-256 is
    `digest`) as this module stored it: its shape, its check, and the
    bytes' size and crc32?"""
    import zlib
    if not isinstance(entry, dict) or set(entry) != {"fp", "ck"}:
        return False
    fp = entry["fp"]
    if not isinstance(fp, dict) or set(fp) != {"skeleton", "bodies", "names", "size", "crc32"}:
        return False
    bodies, names = fp["bodies"], fp["names"]
    return (isinstance(fp["skeleton"], str) and isinstance(bodies, dict)
            and all(isinstance(v, str) for v in bodies.values())
            and isinstance(names, dict) and isinstance(names.get("stmts"), list)
            and isinstance(names.get("refs"), dict)
            and fp["size"] == len(source) and fp["crc32"] == zlib.crc32(source)
            and entry["ck"] == _check(digest, fp))


def fingerprints(files, run_dir, early=None):
    """{path: fingerprint_file(path)} for each of `files`, from the cache
    where the bytes are the same, and the cache rewritten with them.
    `early`: an Early whose entries count as the cache's (it is waited
    for, see Early.entries)."""
    import ftrace_fingerprint as fp
    state = _state_dir(run_dir)
    try:
        key = _tool_key()
    except OSError:
        key = None
    path = os.path.join(state, NAME) if state and key else None
    cached = old = _read(path, key) if path else {}
    if early is not None and key is not None:
        got = early.entries(key)
        if got:
            old = dict(cached)
            old.update(got)
    new, out = {}, {}
    # (what another project module's writers are: read once for all files)
    import ftrace_pystate
    shared = {}
    for f in files:
        try:
            with open(f, "rb") as fh:
                source = fh.read()
        except OSError:
            out[f] = None
            continue
        digest = hashlib.sha256(source).hexdigest()
        entry = old.get(digest)
        if not _valid(digest, entry, source):
            got = fp.fingerprint_bytes(source, f, ftrace_pystate.Calls(f, shared))
            if got is None:
                out[f] = None
                continue
            entry = {"fp": got, "ck": _check(digest, got)}
        new[digest] = entry
        out[f] = dict(entry["fp"])
    if path and new and new.keys() != cached.keys():
        _write(path, {"key": key, "entries": new})
    return out


def _write(path, doc):
    tmp = "%s.%d.tmp" % (path, os.getpid())
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
        os.replace(tmp, path)
    except (OSError, ValueError):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _names_check(digest, names):
    text = json.dumps(names, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((digest + "\0" + text).encode("utf-8", "surrogatepass")).hexdigest()


class NameCache:
    """The names code_names_of() finds in a file's bytes, from the last
    recording where the bytes are the same (the module's text above)."""

    def __init__(self, run_dir, tool_file):
        state = _state_dir(run_dir)
        try:
            with open(tool_file, "rb") as f:
                tool = hashlib.sha256(f.read()).hexdigest()
            self.key = [sys.version, getattr(sys.implementation, "cache_tag", None) or "",
                        os.path.dirname(os.__file__), tool]
        except OSError:
            self.key = None
        self.path = os.path.join(state, NAMES) if state and self.key else None
        self.old = _read(self.path, self.key) if self.path else {}
        self.new = {}
        self.missed = False

    def get(self, data, compute):
        """compute(data) (a set of str), or the cache's entry for `data`."""
        digest = hashlib.sha256(data).hexdigest()
        entry = self.new.get(digest) or self.old.get(digest)
        if (isinstance(entry, dict) and set(entry) == {"n", "size", "ck"}
                and entry["size"] == len(data) and isinstance(entry["n"], list)
                and all(isinstance(n, str) for n in entry["n"])
                and entry["ck"] == _names_check(digest, entry["n"])):
            self.new[digest] = entry
            return set(entry["n"])
        got = compute(data)
        self.missed = True
        names = sorted(got)
        self.new[digest] = {"n": names, "size": len(data), "ck": _names_check(digest, names)}
        return got

    def save(self):
        """Write the entries this session used, if they differ from the
        ones read or one was missed (a state directory that cannot be
        written keeps none)."""
        if self.path and self.new and (self.missed or self.new.keys() != self.old.keys()):
            _write(self.path, {"key": self.key, "entries": self.new})


# ------------------------------------------------------------ early worker

EARLY = "pyfp-early-%d"   # in the run directory: <name>.in, <name>.out
_EARLY_WAIT = 120.0       # seconds fingerprints() waits for the worker at most


class Early:
    """The fingerprints of files known before the tests run, computed by a
    process of their own while they run (docs/python-functions.md,
    "Cost").

    start() writes the paths to `<run dir>/pyfp-early-<pid>.in` and spawns
    `python -I -S ftrace_fpcache.py --early CACHE IN OUT`, which forks at
    once and exits: the *worker*, its child, is no child of the session,
    so no test that waits for any child (`os.wait()`, a SIGCHLD handler)
    can get it.  The spawned process is reaped at the first test's start
    (reap()).  The worker computes, at a lower priority, what
    `<state>/pyfp-cache.json` does not hold already, and appends one JSON
    line per file to OUT: first {"key"}, then {"d": SHA-256 of the bytes,
    "e": a cache entry}.  After each file it writes a byte to its standard
    output, the write end of a pipe whose read end the session keeps:
    the pipe's end of file says the worker is gone, and a write once the
    session closed its end fails, and the worker stops.

    It runs with FTRACE_RUN_DIR set and empty, so the interposer in it
    stays off (the interposer keeps a variable a child's environment
    has, and an empty run directory is none): its reads are ftrace's own,
    no test's.  It gets an environment of its own, so the session's is
    not read.  The spawn itself is recorded, an exec of sys.executable in
    the prelude, whose image the prelude holds already.

    entries() waits for the pipe's end (at most _EARLY_WAIT seconds) and
    reads the complete lines whose key is this session's.  They are the
    cache's kind of input: each is checked against the bytes
    fingerprints() reads then, by their SHA-256, size, crc32 and check,
    so a line made from other bytes, cut short or changed is a miss.
    Anything wrong (no spawn, a crash, no output) costs only the time
    fingerprints() then spends itself."""

    def __init__(self, pid, fd, inp, out):
        self.pid, self.fd, self.inp, self.out = pid, fd, inp, out
        self._got = None

    @classmethod
    def start(cls, files, run_dir):
        """An Early fingerprinting `files` (paths), or None (no state
        directory, no files, FTRACE_PYFP_EARLY=0, or the spawn failed)."""
        state = _state_dir(run_dir)
        if not state or not files or os.environ.get("FTRACE_PYFP_EARLY") == "0":
            return None
        base = os.path.join(run_dir, EARLY % os.getpid())
        inp, out = base + ".in", base + ".out"
        try:
            fd = os.open(inp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                         0o600)
        except OSError:
            return None
        r = w = -1
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(b"\0".join(os.fsencode(p) for p in files))
            r, w = os.pipe()   # (neither inherited but as the child's stdout)
            # An environment of its own, not a copy of the session's: a
            # read of the whole environment would be every test's
            # dependency (ftrace_pyenv).  The interposer adds its other
            # variables, and keeps this one.
            env = {"FTRACE_RUN_DIR": ""}
            argv = [sys.executable, "-I", "-S", "-B", os.path.abspath(__file__), "--early",
                    os.path.join(state, NAME), inp, out]
            # (no stdin or stderr: nothing of it reaches the session's output)
            actions = [(os.POSIX_SPAWN_DUP2, w, 1), (os.POSIX_SPAWN_CLOSE, 0),
                       (os.POSIX_SPAWN_CLOSE, 2)]
            pid = os.posix_spawn(sys.executable, argv, env, file_actions=actions)
        except (OSError, ValueError, TypeError, AttributeError):
            for x in (r, w):
                if x >= 0:
                    os.close(x)
            _unlink(inp)
            return None
        os.close(w)
        return cls(pid, r, inp, out)

    def reap(self):
        """Wait for the spawned process, which exits as soon as it has
        forked the worker (once; a few milliseconds at most)."""
        if self.pid:
            try:
                os.waitpid(self.pid, 0)
            except OSError:
                pass   # (reaped already: someone waited for every child)
            self.pid = 0

    def _wait(self):
        """Until the worker is gone, or _EARLY_WAIT seconds."""
        import time
        deadline = time.monotonic() + _EARLY_WAIT
        delay = 0.001
        os.set_blocking(self.fd, False)
        while True:
            try:
                if not os.read(self.fd, 65536):
                    return   # every write end closed: the worker is gone
                continue
            except BlockingIOError:
                pass
            except OSError:
                return
            if time.monotonic() >= deadline:
                return
            time.sleep(delay)
            delay = min(delay * 2, 0.02)

    def _close(self):
        if self.fd >= 0:
            try:
                os.close(self.fd)   # a worker still running stops at its next file
            except OSError:
                pass   # (a test closed every descriptor: nothing to stop then)
            self.fd = -1

    def stop(self):
        """Stop the worker if it still runs, and remove its files (at the
        session's end, whether or not entries() was called)."""
        self.reap()
        self._got = {} if self._got is None else self._got
        self._close()
        _unlink(self.inp)
        _unlink(self.out)

    def entries(self, key):
        """{digest: entry} the worker wrote under `key` (waited for once)."""
        if self._got is None:
            self._got = {}
            self.reap()
            try:
                self._wait()
                data = _bytes(self.out)
            finally:
                self._close()
                _unlink(self.inp)
                _unlink(self.out)
            if data is not None:
                self._got = _early_lines(data, key)
        return self._got


def _unlink(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def _early_lines(data, key):
    """The entries of an Early's output `data` (bytes) if its first line
    is {"key": key}: each line {"d": str, "e": dict}; any other line (the
    last one may be cut short: no JSON then) is skipped."""
    lines = data.split(b"\n")
    out = {}
    for i, line in enumerate(lines):
        try:
            doc = json.loads(line.decode("utf-8", "surrogateescape"))
        except (ValueError, RecursionError, MemoryError):
            if i == 0:
                return {}
            continue
        if i == 0:
            if not isinstance(doc, dict) or doc.get("key") != key:
                return {}
            continue
        if (isinstance(doc, dict) and isinstance(doc.get("d"), str)
                and isinstance(doc.get("e"), dict)):
            out[doc["d"]] = doc["e"]
    return out


def _early_main(argv):
    """The Early's worker: argv [prog, "--early", CACHE, IN, OUT]; forked
    from the spawned process already (the module's top)."""
    cache, inp, out = argv[2:5]
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        os.nice(10)   # the tests come first; what is left waits for them
    except OSError:
        pass
    import ftrace_fingerprint as fp
    import ftrace_pystate
    key = _tool_key()
    old = _read(cache, key)
    data = _bytes(inp)
    if data is None:
        return 1
    files = [os.fsdecode(p) for p in data.split(b"\0") if p]
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    shared, done = {}, set()
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(json.dumps({"key": key}) + "\n")
        f.flush()
        for path in files:
            # (the module files the session loaded: followed as the
            # import system and fingerprints() follow them)
            source = _bytes(path, follow=True)
            if source is None:
                continue
            digest = hashlib.sha256(source).hexdigest()
            if digest in done or _valid(digest, old.get(digest), source):
                continue
            done.add(digest)
            got = fp.fingerprint_bytes(source, path, ftrace_pystate.Calls(path, shared))
            if got is None:
                continue
            line = json.dumps({"d": digest, "e": {"fp": got, "ck": _check(digest, got)}},
                              separators=(",", ":"))
            f.write(line + "\n")
            f.flush()
            try:
                os.write(1, b".")   # alive; fails once the session stopped listening
            except OSError:
                return 0
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--early"] and len(sys.argv) == 5:
        sys.exit(_early_main(sys.argv))
    sys.exit(2)
