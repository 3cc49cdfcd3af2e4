/*
 * _ftrace_fframe.c - the function recorder's hook on CPython 3.11: a frame
 * evaluation function (PEP 523) instead of a profile function.
 * docs/python-functions.md, "Hooks".
 *
 * Why: on 3.11 any profile or trace function puts every thread in tracing
 * mode, where each instruction takes the slow dispatch and loses its
 * specialization; that alone costs more than the 1.3x the recorder aims
 * at.  An evaluation function is called once per frame evaluation (a call
 * of Python code, a generator or coroutine resumed, a module or class
 * body) and leaves the interpreter's fast path alone.  With one set, 3.11
 * no longer inlines Python-to-Python calls: every specialized call site
 * deoptimizes when interp->eval_frame is set (CALL_PY_EXACT_ARGS,
 * CALL_PY_WITH_DEFAULTS, BINARY_SUBSCR_GETITEM), so every frame comes
 * through here -- from 3.11.4: earlier 3.11 releases inline a Python
 * __getitem__ regardless (CPython gh-104405), and the recorder does not
 * use this hook there.  t9002 compares what it records with what settrace
 * records for each call shape, on each 3.11 it finds.
 *
 * Work per frame: one co_extra slot of the code object says what is known
 * of it (_ftrace_coslot.h): foreign (its file is under one of the
 * `foreign` prefixes given to start(); never recorded), or the epoch in
 * which it was last added to the current target's dict.  A frame of a foreign code
 * object, or of one already added in this epoch, costs a load and a
 * compare.  start() and each target() begin a new epoch.
 * Frames of threads other than the one that called start() go to that
 * thread's own dict, if the recorder gave it one (thread()), else to the
 * shared dict, every time unless foreign (their code may run across test
 * boundaries: the recorder decides where it goes when the thread ends).
 *
 * The prefixes are only a pre-filter: the recorder keeps what its own
 * rules call project code (result()), which never includes a file under
 * them; it must make sure the project itself is not under one
 * (Recorder.check_root).
 *
 * Contract with the recorder (ftrace_pytest_funcs.py):
 *   start(dict, shared, foreign)
 *                       install the evaluation function for the
 *                       interpreter, recording the calling thread's code
 *                       into `dict` and other threads' into the dict
 *                       `shared`, each as {address: code object}
 *                       (_ftrace_coslot.h says why not a set), but
 *                       no code whose co_filename starts with "<" or with
 *                       one of the strings of the tuple `foreign`.
 *                       Raises RuntimeError if another evaluation function
 *                       is in place (a debugger's) or if already started.
 *   target(dict[, clock])
 *                       record the calling thread's code into `dict` from
 *                       now on; with the dict `clock`, also note there,
 *                       for each code object added to `dict`, {address:
 *                       dict's ma_version_tag just after the insertion}:
 *                       the interpreter-wide dict clock at the code's
 *                       first run in the target (ftrace_pyclock.py; a
 *                       leaky test shares the code it ran before its last
 *                       write).  A note that fails only leaves the code
 *                       without a clock value, which the recorder shares.
 *   thread(d)           called in a thread other than start()'s: record
 *                       its code into the dict `d` from now on (None:
 *                       into `shared` again, dropping the reference)
 *   installed()         is ours still the interpreter's evaluation
 *                       function?  (the recorder checks at each target)
 *   stop()              uninstall if still ours, drop the dicts
 *   failed()            True if adding to a dict ever failed (out of
 *                       memory): the recording is then incomplete.  No
 *                       error of ours ever reaches the user's code.
 * Built by CMake only for a Python 3.11 (the frame layout and these
 * underscore APIs are 3.11's); 3.11.0-3.11.3 use _ftrace_fhook, 3.12+
 * sys.monitoring.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030B0000 || PY_VERSION_HEX >= 0x030C0000
#error "_ftrace_fframe is for CPython 3.11 only"
#endif

#define Py_BUILD_CORE
#include "internal/pycore_frame.h"
#undef Py_BUILD_CORE

#include "_ftrace_coslot.h"

static PyObject *cur;          /* the current target's dict (strong) */
static PyObject *ticks;        /* its clock dict, or NULL (strong) */
static PyObject *shared;       /* other threads' code (strong) */
/* this thread's own dict, if the recorder tracks it (strong; set and
 * cleared by thread() in the thread itself) */
static __thread PyObject *mine;
static PyObject *foreign;      /* tuple of str prefixes (strong) */
static PyThreadState *owner;   /* the thread that called start() */
static Py_ssize_t slot = -1;   /* our co_extra index */
static uintptr_t epoch;
static int failed;

/* `co` was just added to `cur`: note the clock that insertion set.
 * Keeps any exception in flight; a failure only leaves no note. */
static void note_clock(PyObject *co)
{
	PyObject *type, *value, *tb, *key, *tag;

	PyErr_Fetch(&type, &value, &tb);
	key = PyLong_FromVoidPtr(co);
	tag = PyLong_FromUnsignedLongLong(((PyDictObject *)cur)->ma_version_tag);
	if (!key || !tag || PyDict_SetItem(ticks, key, tag) < 0)
		PyErr_Clear();
	Py_XDECREF(key);
	Py_XDECREF(tag);
	PyErr_Restore(type, value, tb);
}

static PyObject *eval(PyThreadState *ts, struct _PyInterpreterFrame *f, int throwflag)
{
	PyObject *co = (PyObject *)f->f_code;
	void *v = NULL;
	uintptr_t seen;

	/* _PyCode_GetExtra cannot fail on a code object; it leaves the error
	 * state alone. */
	(void)_PyCode_GetExtra(co, slot, &v);
	seen = (uintptr_t)v;
	if (seen != FT_COSLOT_FOREIGN) {
		if (ts != owner) {
			PyObject *s = mine ? mine : shared;

			if (s && ft_coslot_add(s, co, seen, 0, slot, foreign, epoch) < 0)
				failed = 1;
		} else if (cur && seen != FT_COSLOT_STAMP(epoch)) {
			Py_ssize_t n = PyDict_GET_SIZE(cur);

			if (ft_coslot_add(cur, co, seen, 1, slot, foreign, epoch) < 0)
				failed = 1;
			else if (ticks && PyDict_GET_SIZE(cur) != n)
				note_clock(co);
		}
	}
	return _PyEval_EvalFrameDefault(ts, f, throwflag);
}

static PyObject *ff_start(PyObject *self, PyObject *args)
{
	PyInterpreterState *interp = PyInterpreterState_Get();
	PyObject *s, *sh, *fo;

	(void)self;
	if (!PyArg_ParseTuple(args, "O!O!O!", &PyDict_Type, &s, &PyDict_Type, &sh, &PyTuple_Type, &fo))
		return NULL;
	if (ft_coslot_setup(fo, &slot, "_ftrace_fframe") < 0)
		return NULL;
	if (owner) {
		PyErr_SetString(PyExc_RuntimeError, "_ftrace_fframe: already started");
		return NULL;
	}
	if (_PyInterpreterState_GetEvalFrameFunc(interp) != _PyEval_EvalFrameDefault) {
		PyErr_SetString(PyExc_RuntimeError,
				"_ftrace_fframe: another frame evaluation function is installed");
		return NULL;
	}
	Py_INCREF(s);
	Py_XSETREF(cur, s);
	Py_CLEAR(ticks);
	Py_INCREF(sh);
	Py_XSETREF(shared, sh);
	Py_INCREF(fo);
	Py_XSETREF(foreign, fo);
	owner = PyThreadState_Get();
	epoch++;
	failed = 0;
	_PyInterpreterState_SetEvalFrameFunc(interp, eval);
	Py_RETURN_NONE;
}

static PyObject *ff_target(PyObject *self, PyObject *args)
{
	PyObject *s, *c = NULL, *r;

	(void)self;
	if (!PyArg_ParseTuple(args, "O|O!", &s, &PyDict_Type, &c))
		return NULL;
	r = ft_coslot_target(&cur, &epoch, s, "_ftrace_fframe");
	if (r) {
		Py_XINCREF(c);
		Py_XSETREF(ticks, c);
	}
	return r;
}

static PyObject *ff_thread(PyObject *self, PyObject *s)
{
	(void)self;
	if (s != Py_None && !PyDict_Check(s)) {
		PyErr_SetString(PyExc_TypeError, "_ftrace_fframe.thread: a dict or None is needed");
		return NULL;
	}
	if (s == Py_None)
		s = NULL;
	Py_XINCREF(s);
	Py_XSETREF(mine, s);
	Py_RETURN_NONE;
}

static PyObject *ff_installed(PyObject *self, PyObject *noargs)
{
	(void)self;
	(void)noargs;
	return PyBool_FromLong(owner &&
			       _PyInterpreterState_GetEvalFrameFunc(PyInterpreterState_Get()) == eval);
}

static PyObject *ff_stop(PyObject *self, PyObject *noargs)
{
	PyInterpreterState *interp = PyInterpreterState_Get();

	(void)self;
	(void)noargs;
	if (_PyInterpreterState_GetEvalFrameFunc(interp) == eval)
		_PyInterpreterState_SetEvalFrameFunc(interp, _PyEval_EvalFrameDefault);
	owner = NULL;
	Py_CLEAR(cur);
	Py_CLEAR(ticks);
	Py_CLEAR(shared);
	/* `foreign` stays: slots already say FOREIGN by its prefixes, and a
	 * later start() must be given the same ones (one recorder's rules). */
	Py_RETURN_NONE;
}

static PyObject *ff_failed(PyObject *self, PyObject *noargs)
{
	(void)self;
	(void)noargs;
	return PyBool_FromLong(failed);
}

static PyMethodDef methods[] = {
	{ "start", ff_start, METH_VARARGS,
	  "start(dict, shared, foreign): install for this interpreter" },
	{ "target", ff_target, METH_VARARGS,
	  "target(dict[, clock]): record into dict from now on (and the clock of each addition into clock)" },
	{ "thread", ff_thread, METH_O,
	  "thread(dict or None): record the calling thread's code into dict (None: the shared one)" },
	{ "installed", ff_installed, METH_NOARGS, "installed(): is ours still in place" },
	{ "stop", ff_stop, METH_NOARGS, "stop(): uninstall if still ours" },
	{ "failed", ff_failed, METH_NOARGS, "failed(): did recording ever fail" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT, "_ftrace_fframe",
	"frame evaluation hook of ftrace's function recorder (CPython 3.11)", -1, methods,
	NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__ftrace_fframe(void)
{
	return PyModule_Create(&module);
}
