"""ftrace_pyconf - the part of a pyproject.toml that pytest's start-up reads.

pytest reads pyproject.toml while it starts, before any plugin of ours
runs, and uses only the `[tool.pytest]` tables of it (and fails on a file
that is not valid TOML).  A dependency that only that reading made is a
dependency on this *view* of the file, not on its bytes: an edit of
`[project]` or `[tool.ruff]` cannot change what any test does through it
(docs/pytest.md, "pyproject.toml").

    python3 -I -S -c "...; from ftrace_pyconf import main; ..." FILE...
        ->  JSON on stdout: {"FILE": "<view>" or null, ...}

A view is a string; two versions of a file have the same view exactly when
pytest's start-up gets the same configuration from both.  null: cannot
tell (no tomllib before Python 3.11, or the file cannot be read); the
caller then counts the file as changed.  The same function computes the
view at recording (ftrace_pytest_startup.py) and at selection, so the two
compare as strings.
"""

import sys
import zlib

try:
    from _sha2 import sha256 as _sha256
except ImportError:
    try:
        from _sha256 import sha256 as _sha256
    except ImportError:
        from hashlib import sha256 as _sha256

VERSION = "v1"
_MISSING = object()


def _canon(v, out):
    """A text of a parsed TOML value into the list `out`: tables with
    sorted keys, and every scalar with its type (1, 1.0 and true differ)."""
    if isinstance(v, dict):
        out.append("{")
        for k in sorted(v):
            out.append(repr(k))
            out.append(":")
            _canon(v[k], out)
            out.append(",")
        out.append("}")
    elif isinstance(v, list):
        out.append("[")
        for x in v:
            _canon(x, out)
            out.append(",")
        out.append("]")
    elif v is _MISSING:
        out.append("-")
    else:
        out.append(type(v).__name__)
        out.append(":")
        out.append(repr(v))


def view_bytes(data):
    """The view of a pyproject.toml whose content is `data`, or None."""
    try:
        import tomllib
    except ImportError:
        return None
    bad = VERSION + ":invalid:" + _sha256(data).hexdigest()
    try:
        # as pytest reads it: Path.read_text(encoding="utf-8"), which
        # translates newlines
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        doc = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        # pytest stops with a usage error: any edit of such a file matters
        return bad
    except (RecursionError, MemoryError, ValueError):
        return None
    tool = doc.get("tool", _MISSING)
    out = []
    # pyproject.toml: [tool.pytest] and [tool.pytest.ini_options];
    # [pytest] is what a file given with -c is read for
    _canon({"tool.pytest": tool.get("pytest", _MISSING) if isinstance(tool, dict) else tool,
            "pytest": doc.get("pytest", _MISSING)}, out)
    return VERSION + ":" + _sha256("".join(out).encode("utf-8", "surrogatepass")).hexdigest()


def view_file(path):
    """{"view", "size", "crc32"} of the file at `path` (size and CRC-32 of
    the bytes the view is of: ingest ties them to the content value it
    records), or None."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    view = view_bytes(data)
    if view is None:
        return None
    return {"view": view, "size": len(data), "crc32": zlib.crc32(data)}


def _string(s):
    try:
        from _json import encode_basestring
    except ImportError:
        from json.encoder import py_encode_basestring as encode_basestring
    return encode_basestring(s)


def main(argv):
    parts = []
    for p in argv[1:]:
        v = view_file(p)
        parts.append(_string(p) + ": " + ("null" if v is None else _string(v["view"])))
    text = "{" + ", ".join(parts) + "}"
    # paths that are not UTF-8 are surrogate-escaped: write them back as
    # the bytes they were
    sys.stdout.buffer.write(text.encode("utf-8", "surrogateescape") + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
