"""ftrace_pyreduce - a tracked module pickles and copies as a plain module.

    reduce_ex(m, proto, caller, tracked) -> what the caller would get for
                                            m were it a plain module
    reduce_plain()                        -> raises what a plain module's
                                            __reduce__() raises

At function granularity a project module is a TrackedModule, a subclass
of types.ModuleType (ftrace_pytest_funcs.py, _start_names).  A pickler
looks a reducer up by the object's exact type (its `dispatch` of save
functions when written in Python, its `dispatch_table`, else copyreg's),
so a reducer registered for ModuleType (cloudpickle's, dill's, one
registered with copyreg.pickle) misses a subclass, and the pickler falls
back to the object's __reduce_ex__.  TrackedModule.__reduce_ex__ calls
this, which does for the module what that caller would have done for a
plain one:

- the caller is a pickler written in Python (its frame is
  pickle._Pickler.save: dill's): its `dispatch[ModuleType]` save function,
  run with the module's class set back to ModuleType for that call (the
  class is restored before returning, also on an error).  The function
  writes the module and memoizes it; a POP takes it off the stack again,
  and `(int, ())` is returned, which the pickler writes and then, finding
  the module in its memo, replaces by it (the way pickle ends a recursive
  reduction): the stream loads to what the save function wrote.  Reads of
  the module while its class is ModuleType are not seen, so the whole
  namespace is read first (through the tracked `__dict__`: the current
  target reads every name).  A pickler in fast mode (no memo) gets no
  such call: it falls to the next rule.
- else its `dispatch_table` (the pickler's own; for a pickler written in
  C, one found as a local of the Python frame that called it: `self` of
  cloudpickle's Pickler.dump, or a local holding the pickler), else
  copyreg.dispatch_table (pickle.dumps, copy.copy, copy.deepcopy, any
  other caller): its reducer for ModuleType, called on the module.
- else the error a plain module's __reduce_ex__ raises (a plain module of
  the same name is asked).

A pickler written in C that no local of its caller's frame holds (made
and used within one expression) with a dispatch_table of its own that
names ModuleType is not found: the module gets copyreg's answer.  The
pickle of a module through a dispatch function carries the extra `int()`
call: what it loads to is the same, its bytes are not.
"""

import copyreg
import pickle
import types

_PY_SAVE = pickle._Pickler.save.__code__
_C_PICKLER = pickle.Pickler if pickle.Pickler is not pickle._Pickler else None


def _pickler(caller):
    """The pickler whose save asked, and whether it is written in Python:
    (pickler, True) for pickle._Pickler.save's frame; (pickler, False) for
    a C pickler in the caller's locals (`self` first); (None, False)."""
    if caller is None:
        return None, False
    if caller.f_code is _PY_SAVE:
        p = caller.f_locals.get("self")
        return (p, True) if isinstance(p, pickle._Pickler) else (None, False)
    if _C_PICKLER is None:
        return None, False
    loc = caller.f_locals
    p = loc.get("self")
    if isinstance(p, _C_PICKLER):
        return p, False
    for v in list(loc.values()):
        if isinstance(v, _C_PICKLER):
            return v, False
    return None, False


def _plain_error(proto):
    """Raise what a plain module's __reduce_ex__(proto) raises."""
    object.__reduce_ex__(types.ModuleType("module"), proto)
    raise TypeError("cannot pickle 'module' object")


def reduce_plain():
    """Raise what a plain module's __reduce__() raises (TrackedModule's
    __reduce__: object's would reduce it as a ModuleType subclass)."""
    object.__reduce__(types.ModuleType("module"))
    raise TypeError("cannot pickle 'module' object")


def reduce_ex(m, proto, caller, tracked):
    """See the module's text: `m` a `tracked` module, `caller` the frame
    that called its __reduce_ex__ (or None)."""
    p, in_python = _pickler(caller)
    if p is not None and in_python and not getattr(p, "fast", 0):
        save = p.dispatch.get(types.ModuleType)
        if save is not None:
            m.__dict__          # the save function may read any name
            m.__class__ = types.ModuleType
            try:
                p.save(m)
            finally:
                m.__class__ = tracked
            if id(m) not in p.memo:
                p.memoize(m)   # (a save function that did not)
            p.write(pickle.POP)
            return (int, ())
    table = getattr(p, "dispatch_table", None) if p is not None else None
    if table is None:
        table = copyreg.dispatch_table
    try:
        reducer = table[types.ModuleType]
    except (KeyError, TypeError, LookupError):
        reducer = None
    if reducer is not None:
        return reducer(m)
    _plain_error(proto)
