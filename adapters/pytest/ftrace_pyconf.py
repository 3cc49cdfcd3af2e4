"""ftrace_pyconf - the part of a shared config file that pytest's start-up reads.

pytest reads pyproject.toml, tox.ini and setup.cfg while it starts, before
any plugin of ours runs, and uses only its own part of each (and fails on
a file it cannot parse):

    pyproject.toml   the `[tool.pytest]` tables (tomllib)
    tox.ini          the `[pytest]` section (iniconfig)
    setup.cfg        the `[tool:pytest]` section; a `[pytest]` one is an error

A dependency that only that reading made is a dependency on this *view* of
the file, not on its bytes: an edit of `[project]`, `[tool.ruff]`,
`[testenv]` or `[flake8]` cannot change what any test does through it
(docs/pytest.md, "Shared config files").

    python3 -I -S -c "...; from ftrace_pyconf import main; ..." FILE...
        ->  JSON on stdout: {"FILE": "<view>" or null, ...}

The ini views need iniconfig, which -S leaves out of sys.path: it is
imported from this interpreter's own site-packages (site.getsitepackages(),
and a venv's own, found by the pyvenv.cfg beside the interpreter's bin/,
which -S keeps site from reading; after the standard library, without
running any .pth file).  Never from a
directory the caller names: the recording's note of where pytest found it
comes from the database, and the database must never choose the code that
runs (docs/usage.md, "Trust").

A view is a string; two versions of a file have the same view exactly when
pytest's start-up gets the same configuration from both.  null: cannot
tell (no tomllib before Python 3.11, no iniconfig, another file name, or
the file cannot be read); the caller then counts the file as changed.  The
same function computes the view at recording (ftrace_pytest_startup.py)
and at selection, so the two compare as strings.
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
# the file names pytest reads as config files: the three shared with other
# tools (ft_collect.c has the same three), whose view narrows selection,
# and pytest's own two, whose view only tells whether pytest's
# configuration changed (python/ft_pyconf.c, collection_check)
NAMES = ("pyproject.toml", "tox.ini", "setup.cfg", "pytest.ini", ".pytest.ini")


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


def _digest(parts):
    out = []
    _canon(parts, out)
    return VERSION + ":" + _sha256("".join(out).encode("utf-8", "surrogatepass")).hexdigest()


def _text(data):
    # as pytest reads the file: in text mode, as UTF-8, which translates
    # newlines (a BOM stays a character, as it does there)
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _toml_view(data, bad):
    try:
        import tomllib
    except ImportError:
        return None
    try:
        doc = tomllib.loads(_text(data))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        # pytest stops with a usage error: any edit of such a file matters
        return bad
    except (RecursionError, MemoryError, ValueError):
        return None
    tool = doc.get("tool", _MISSING)
    # pyproject.toml: [tool.pytest] and [tool.pytest.ini_options];
    # [pytest] is what a file given with -c is read for
    return _digest({"tool.pytest": tool.get("pytest", _MISSING) if isinstance(tool, dict) else tool,
                    "pytest": doc.get("pytest", _MISSING)})


def _ini_view(data, name, bad, iniconfig):
    if iniconfig is None:
        return None
    try:
        text = _text(data)
    except UnicodeDecodeError:
        return bad  # pytest stops on it
    try:
        sections = iniconfig.IniConfig(name, data=text).sections
    except iniconfig.ParseError:
        # pytest stops with a usage error (duplicate names, a line it
        # cannot read in any section): any edit of such a file matters
        return bad
    except (RecursionError, MemoryError, ValueError, TypeError):
        return None

    def section(key):
        got = sections.get(key, _MISSING)
        return _MISSING if got is _MISSING else {k: got[k] for k in got}

    if name == "setup.cfg":
        # [tool:pytest]; a [pytest] section makes pytest fail
        return _digest({"tool:pytest": section("tool:pytest"), "pytest": section("pytest")})
    return _digest({"pytest": section("pytest")})


def view_bytes(data, name="pyproject.toml", iniconfig=None):
    """The view of the config file called `name` (a base name in NAMES)
    whose content is `data`, or None.  `iniconfig` is the module that
    parses tox.ini and setup.cfg, as pytest does."""
    bad = VERSION + ":invalid:" + _sha256(data).hexdigest()
    if name == "pyproject.toml":
        return _toml_view(data, bad)
    if name in ("tox.ini", "setup.cfg", "pytest.ini", ".pytest.ini"):
        return _ini_view(data, name, bad, iniconfig)
    return None


def view_file(path, iniconfig=None):
    """{"view", "size", "crc32"} of the file at `path` (size and CRC-32 of
    the bytes the view is of: ingest ties them to the content value it
    records), or None."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    view = view_bytes(data, path.rsplit("/", 1)[-1], iniconfig)
    if view is None:
        return None
    return {"view": view, "size": len(data), "crc32": zlib.crc32(data)}


def _string(s):
    try:
        from _json import encode_basestring
    except ImportError:
        from json.encoder import py_encode_basestring as encode_basestring
    return encode_basestring(s)


def _site_dirs():
    """This interpreter's own site-packages: site.getsitepackages(), and
    first, when it is a venv's (a pyvenv.cfg beside its bin/), the venv's
    lib/pythonX.Y/site-packages, which -S leaves site no chance to find
    (sys.prefix stays the base interpreter's: Debian's 3.11 in a venv
    found no iniconfig, and every tox.ini edit counted)."""
    import os
    import site
    where = list(site.getsitepackages())
    bindir = os.path.dirname(os.path.abspath(sys.executable))   # not resolved: the venv's
    venv = os.path.dirname(bindir)
    if sys.prefix == getattr(sys, "base_prefix", sys.prefix) and \
            os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
        own = os.path.join(venv, "lib", "python%d.%d" % sys.version_info[:2], "site-packages")
        if os.path.isdir(own):
            where.insert(0, own)
    return where


def _import_iniconfig():
    """iniconfig from this interpreter's own site-packages (after the
    standard library, so nothing there shadows it), or None."""
    try:
        where = [d for d in _site_dirs() if d not in sys.path]
    except Exception:
        return None
    sys.path.extend(where)
    try:
        import iniconfig
        return iniconfig
    except Exception:
        return None
    finally:
        for d in where:
            sys.path.remove(d)


def main(argv):
    parts = []
    files = argv[1:]
    iniconfig = None
    if any(p.rsplit("/", 1)[-1] in ("tox.ini", "setup.cfg", "pytest.ini", ".pytest.ini")
           for p in files):
        iniconfig = _import_iniconfig()
    for p in files:
        v = view_file(p, iniconfig)
        parts.append(_string(p) + ": " + ("null" if v is None else _string(v["view"])))
    text = "{" + ", ".join(parts) + "}"
    # paths that are not UTF-8 are surrogate-escaped: write them back as
    # the bytes they were
    sys.stdout.buffer.write(text.encode("utf-8", "surrogateescape") + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
