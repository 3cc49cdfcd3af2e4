/*
 * _ftrace_fhook.c - a C-level profile function for the function recorder
 * (ftrace_pytest_funcs.py) on Python 3.11 (before 3.11 the recorder
 * makes no function recording: no co_qualname), where sys.monitoring
 * does not exist.  docs/python-functions.md, "Hooks".
 *
 * The hook handles PyTrace_CALL only (a function entered, or a generator
 * resumed) and adds the frame's code object to the current target's dict.
 * The same work as the pure-Python settrace function, without calling into
 * Python for each event; it is a *profile* function, so no line events.
 * As in _ftrace_fframe.c, one co_extra slot per code object
 * (_ftrace_coslot.h) says "foreign" or "already in the current target's dict", so
 * most events cost a load and a compare instead of hashing the code object
 * into a set (bench/README.md: 1.97x before, 1.75x with the slot; the
 * tracing mode any profile function turns on is the rest).
 *
 * Contract with the recorder:
 *   start(dict, token, foreign)
 *                      install the hook on the calling thread, recording
 *                      into `dict` ({address: code object}; see
 *                      _ftrace_coslot.h) no code whose co_filename starts with "<"
 *                      or with one of the strings of the tuple `foreign`;
 *                      `token` marks the session started (it is no
 *                      profile object: sys.getprofile() returns None
 *                      while the hook is in place, so that tools which
 *                      save and restore the profile function leave it
 *                      alone).  Raises RuntimeError if already started.
 *   installed()        is the hook still this thread's profile function
 *                      (the recorder checks it at every target change:
 *                      replaced means incomplete)
 *   target(dict)       record into `dict` from now on
 *   stop()             remove the hook if it is still ours, drop the dict
 *   failed()           True if adding to a dict ever failed (out of memory):
 *                      the recording is then incomplete.  The hook never
 *                      lets an error reach the user's code.
 * Only the thread that called start() is hooked; the recorder handles other
 * threads (threading.setprofile).  Built by CMake when the headers of a
 * Python are found (it is optional: without it the recorder uses
 * settrace).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>

#include "_ftrace_coslot.h"

static PyObject *cur;     /* the current target's dict (strong reference) */
static PyObject *token;   /* our profile object (strong reference) */
static PyObject *foreign; /* tuple of str prefixes (strong reference) */
static Py_ssize_t slot = -1;   /* our co_extra index */
static uintptr_t epoch;
static int failed;

static int hook(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
	PyCodeObject *co;
	void *v = NULL;
	uintptr_t seen;

	(void)obj;
	(void)arg;
	if (what != PyTrace_CALL || !cur)
		return 0;
	co = PyFrame_GetCode(frame);
	/* cannot fail on a code object; leaves the error state alone */
	(void)_PyCode_GetExtra((PyObject *)co, slot, &v);
	seen = (uintptr_t)v;
	if (seen != FT_COSLOT_FOREIGN && seen != FT_COSLOT_STAMP(epoch) &&
	    ft_coslot_add(cur, (PyObject *)co, seen, 1, slot, foreign, epoch) < 0)
		failed = 1;
	Py_DECREF(co);
	return 0;
}

static PyObject *fh_start(PyObject *self, PyObject *args)
{
	PyObject *s, *t, *fo;

	(void)self;
	if (!PyArg_ParseTuple(args, "O!OO!", &PyDict_Type, &s, &t, &PyTuple_Type, &fo))
		return NULL;
	if (ft_coslot_setup(fo, &slot, "_ftrace_fhook") < 0)
		return NULL;
	if (token) {
		PyErr_SetString(PyExc_RuntimeError, "_ftrace_fhook: already started");
		return NULL;
	}
	Py_INCREF(s);
	Py_XSETREF(cur, s);
	Py_INCREF(t);
	token = t;
	/* a later start() is given the same prefixes (one recorder's rules):
	 * slots already say "foreign" by them */
	Py_INCREF(fo);
	Py_XSETREF(foreign, fo);
	epoch++;
	failed = 0;
	/* no profile object: sys.getprofile() says None, so a tool that saves
	 * the profile function, sets None and sets it back (pytest-benchmark,
	 * around each benchmark) leaves ours alone; installed() says whether
	 * it is still in place */
	PyEval_SetProfile(hook, NULL);
	Py_RETURN_NONE;
}

/* Is our hook this thread's profile function? */
static int ours(void)
{
	PyThreadState *ts = PyThreadState_Get();

	return ts->c_profilefunc == hook && ts->c_profileobj == NULL;
}

static PyObject *fh_installed(PyObject *self, PyObject *noargs)
{
	(void)self;
	(void)noargs;
	return PyBool_FromLong(token && ours());
}

static PyObject *fh_target(PyObject *self, PyObject *s)
{
	(void)self;
	return ft_coslot_target(&cur, &epoch, s, "_ftrace_fhook");
}

static PyObject *fh_stop(PyObject *self, PyObject *noargs)
{
	(void)self;
	(void)noargs;
	/* Unhook only if ours is still in place: another tool's profile
	 * function is not ours to remove. */
	if (token && ours())
		PyEval_SetProfile(NULL, NULL);
	Py_CLEAR(cur);
	Py_CLEAR(token);
	Py_RETURN_NONE;
}

static PyObject *fh_failed(PyObject *self, PyObject *noargs)
{
	(void)self;
	(void)noargs;
	return PyBool_FromLong(failed);
}

static PyMethodDef methods[] = {
	{ "start", fh_start, METH_VARARGS, "start(dict, token, foreign): hook this thread" },
	{ "target", fh_target, METH_O, "target(dict): record into dict from now on" },
	{ "stop", fh_stop, METH_NOARGS, "stop(): unhook if still ours" },
	{ "installed", fh_installed, METH_NOARGS, "installed(): is our hook this thread's profile function" },
	{ "failed", fh_failed, METH_NOARGS, "failed(): did recording ever fail" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT, "_ftrace_fhook",
	"C profile hook of ftrace's function recorder (Python < 3.12)", -1, methods,
	NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__ftrace_fhook(void)
{
	return PyModule_Create(&module);
}
