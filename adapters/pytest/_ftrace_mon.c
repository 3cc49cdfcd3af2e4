/*
 * _ftrace_mon.c - the function recorder's sys.monitoring callback for an
 * armed code object, in C (ftrace_pytest_funcs.py, Recorder.
 * _start_monitoring; docs/python-functions.md, "What runs where").
 *
 * On CPython 3.12+ the recorder's `rec` tool has PY_START and PY_RESUME
 * events on each project code object, re-armed at each target boundary;
 * its callback notes the code in the current target and returns DISABLE,
 * so it runs once per code object and target.  Written in Python, that
 * callback was a frame and a dozen bytecodes per call, about a hundred
 * times per test on a real suite.  This is the same callback, for the
 * main thread:
 *
 *     f = Fired(state, fallback, disable)
 *     f(code, offset):
 *         in a thread other than state[1] (threading.get_ident()):
 *             return fallback(code, offset)
 *         k = id(code)
 *         state[0].setdefault(k, code)                   every code seen
 *         if k not in state[2]:                          the target's codes
 *             state[2][k] = code
 *             if state[3] is not None:                   its clock
 *                 state[3][k] = the version tag of state[2], read at
 *                               offset state[5] of the dict (uint64:
 *                               ftrace_pyclock's _OFFSET, which it
 *                               checked against the interpreter)
 *         state[4].add(k)                                fired: re-arm
 *         return disable
 *
 * `state` is a list the recorder keeps current (its target's dicts and
 * set change at each boundary).  Any item of the wrong type, or an error
 * (cleared: every step above is idempotent), goes to `fallback` instead,
 * which decides as the Python callback does.
 * Only built-in containers' C functions are called: no Python code runs
 * but the fallback's.  Built against the stable ABI of CPython 3.10
 * (`_ftrace_mon.abi3.so`); without it the recorder keeps its Python
 * callback.  Never sanitized: it is loaded into a Python process.
 */
#define PY_SSIZE_T_CLEAN
#define Py_LIMITED_API 0x030A0000
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
	PyObject_HEAD
	PyObject *state;     /* [codes, main, cur, clock or None, fired, offset] */
	PyObject *fallback;
	PyObject *disable;
} fired_object;

/* 1 noted, 0 not (the fallback decides), -1 with an exception set. */
static int note(fired_object *self, PyObject *code)
{
	PyObject *st = self->state, *codes, *main, *cur, *clock, *fired, *off, *k;
	Py_ssize_t offset;
	int in, rc = -1;

	if (PyList_Size(st) != 6)
		return 0;
	codes = PyList_GetItem(st, 0);
	main = PyList_GetItem(st, 1);
	cur = PyList_GetItem(st, 2);
	clock = PyList_GetItem(st, 3);
	fired = PyList_GetItem(st, 4);
	off = PyList_GetItem(st, 5);
	if (!PyDict_CheckExact(codes) || !PyLong_Check(main) || !PyDict_CheckExact(cur) ||
	    (clock != Py_None && !PyDict_CheckExact(clock)) || !PySet_Check(fired) ||
	    !PyLong_Check(off))
		return 0;
	if (PyLong_AsUnsignedLong(main) != PyThread_get_thread_ident()) {
		PyErr_Clear();
		return 0;
	}
	offset = PyLong_AsSsize_t(off);
	if (clock != Py_None && (offset < 16 || offset > 64 || offset % 8)) {
		PyErr_Clear();
		return 0;
	}
	if (!(k = PyLong_FromVoidPtr(code)))
		return -1;
	if ((in = PyDict_Contains(codes, k)) < 0 || (!in && PyDict_SetItem(codes, k, code) < 0))
		goto out;
	if ((in = PyDict_Contains(cur, k)) < 0)
		goto out;
	if (!in) {
		if (PyDict_SetItem(cur, k, code) < 0)
			goto out;
		if (clock != Py_None) {
			uint64_t tag;
			PyObject *t;

			/* the tag just after the insertion, which wrote `cur` */
			memcpy(&tag, (const char *)cur + offset, 8);
			if (!(t = PyLong_FromUnsignedLongLong(tag)))
				goto out;
			in = PyDict_SetItem(clock, k, t);
			Py_DECREF(t);
			if (in < 0)
				goto out;
		}
	}
	if (PySet_Add(fired, k) < 0)
		goto out;
	rc = 1;
out:
	Py_DECREF(k);
	return rc;
}

static PyObject *fired_call(PyObject *op, PyObject *args, PyObject *kw)
{
	fired_object *self = (fired_object *)op;
	PyObject *code;
	int rc;

	if ((kw && PyDict_Size(kw)) || PyTuple_Size(args) != 2)
		return PyObject_Call(self->fallback, args, kw);
	code = PyTuple_GetItem(args, 0);
	if ((rc = note(self, code)) < 0)
		PyErr_Clear();   /* (what it did is done again by the fallback: idempotent) */
	if (rc <= 0)
		return PyObject_Call(self->fallback, args, kw);
	Py_INCREF(self->disable);
	return self->disable;
}

static PyObject *fired_new(PyTypeObject *tp, PyObject *args, PyObject *kw)
{
	allocfunc tp_alloc = (allocfunc)PyType_GetSlot(tp, Py_tp_alloc);
	PyObject *state, *fallback, *disable;
	fired_object *self;

	if (kw && PyDict_Size(kw)) {
		PyErr_SetString(PyExc_TypeError, "Fired(state, fallback, disable): no keywords");
		return NULL;
	}
	if (!PyArg_ParseTuple(args, "OOO:Fired", &state, &fallback, &disable))
		return NULL;
	if (!PyList_Check(state) || !PyCallable_Check(fallback)) {
		PyErr_SetString(PyExc_TypeError, "Fired(state, fallback, disable): a list, a callable");
		return NULL;
	}
	if (!(self = (fired_object *)tp_alloc(tp, 0)))
		return NULL;
	Py_INCREF(state);
	self->state = state;
	Py_INCREF(fallback);
	self->fallback = fallback;
	Py_INCREF(disable);
	self->disable = disable;
	return (PyObject *)self;
}

static void fired_dealloc(PyObject *op)
{
	fired_object *self = (fired_object *)op;
	PyTypeObject *tp = Py_TYPE(op);
	freefunc tp_free = (freefunc)PyType_GetSlot(tp, Py_tp_free);

	Py_XDECREF(self->state);
	Py_XDECREF(self->fallback);
	Py_XDECREF(self->disable);
	tp_free(op);
	Py_DECREF(tp);
}

static PyType_Slot fired_slots[] = {
	{ Py_tp_new, fired_new },
	{ Py_tp_call, fired_call },
	{ Py_tp_dealloc, fired_dealloc },
	{ Py_tp_doc, "Fired(state, fallback, disable): the recorder's callback for an armed "
		     "code object (_ftrace_mon.c)" },
	{ 0, NULL },
};

static PyType_Spec fired_spec = {
	"_ftrace_mon.Fired", sizeof(fired_object), 0, Py_TPFLAGS_DEFAULT, fired_slots,
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT, "_ftrace_mon",
	"The function recorder's sys.monitoring callback, in C.", -1, NULL,
	NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__ftrace_mon(void)
{
	PyObject *m = PyModule_Create(&module), *tp;

	if (!m)
		return NULL;
	if (!(tp = PyType_FromSpec(&fired_spec)) || PyModule_AddObject(m, "Fired", tp) < 0) {
		Py_XDECREF(tp);
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
