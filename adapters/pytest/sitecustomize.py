"""sitecustomize - ftrace's, for every Python process under `ftrace run`.

site imports the first module named `sitecustomize` on sys.path when an
interpreter starts.  `ftrace run` puts this directory first on PYTHONPATH,
so this one is that module in every Python process of the run.  It

1. has ftrace_pysite tell the import system's directory listings apart
   from the first import on (docs/pytest.md, "Import-system listings");
2. then runs the sitecustomize that would have run without ftrace (the
   next one on sys.path: Debian's, a virtualenv's, the project's), as
   `sitecustomize`, so it does what it did, and its errors show as site
   shows them.
"""

import os
import sys


def _next_sitecustomize():
    import importlib.machinery
    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if isinstance(p, str) and os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None:
        return
    import importlib.util
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


try:
    import ftrace_pysite
    ftrace_pysite.install()
except Exception:
    pass

_next_sitecustomize()
