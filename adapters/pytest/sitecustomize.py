"""sitecustomize - ftrace's, for every Python process under `ftrace run`.

site imports the first module named `sitecustomize` on sys.path when an
interpreter starts.  `ftrace run` puts this directory first on PYTHONPATH,
so this one is that module in every Python process of the run.  It

1. has ftrace_pysite tell the import system's directory listings apart
   from the first import on (docs/pytest.md, "Import-system listings");
2. has ftrace_pyenv report the environment variables that Python code
   reads through os.environ (docs/usage.md, "Environment variables");
3. then runs the sitecustomize that would have run without ftrace (the
   next one on sys.path: Debian's, a virtualenv's, the project's), as
   `sitecustomize`, so it does what it did, and its errors show as site
   shows them.
"""

import os
import sys


def _next_sitecustomize():
    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if isinstance(p, str) and os.path.abspath(p or os.curdir) != here]
    if sys.version_info[0] < 3:   # a Python 2 program the tests start
        import imp
        try:
            found = imp.find_module("sitecustomize", rest)
        except ImportError:
            return
        try:
            imp.load_module("sitecustomize", *found)
        finally:
            if found[0] is not None:
                found[0].close()
        return
    # importlib.machinery's and importlib.util's, without importing the
    # importlib package at every interpreter's start
    external = sys.modules.get("_frozen_importlib_external")
    bootstrap = sys.modules.get("_frozen_importlib")
    if external is None or bootstrap is None:
        import importlib.machinery as external
        import importlib.util as bootstrap
    spec = external.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None:
        return
    module = bootstrap.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


try:
    import ftrace_pysite
    ftrace_pysite.install()
except Exception:
    pass

try:
    import ftrace_pyenv
    ftrace_pyenv.install()
except Exception:
    pass

_next_sitecustomize()
