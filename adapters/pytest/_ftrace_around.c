/*
 * _ftrace_around.c - a callable that runs Python hooks before and after a
 * call without a Python frame of its own around the call.
 *
 * The pytest adapter replaces builtins.__import__ and
 * builtins.__build_class__ while it records.  A wrapper written in Python
 * is a frame on the stack while the import or the class creation runs,
 * and code that looks at its caller sees that frame instead of the
 * program's: a metaclass reading sys._getframe(1), an __init_subclass__
 * or a module's body calling warnings.warn(..., stacklevel=2) (the
 * warning then names the adapter's file, and a filter by module no longer
 * matches).  Recording must not change what tests observe, so the
 * wrappers are objects of this type:
 *
 *     f = around(pre, orig, post)
 *     f(*a, **k)  ==  t = pre(*a, **k)            (pre None: t = None)
 *                     r = orig(*a, **k)           (raised: r = None)
 *                     post(t, r, *a, **k)         (post None: nothing)
 *                     return r, or raise what orig raised
 *
 * around(pre, orig, post, True) binds as a function does when it is a
 * class's attribute (a type's __getattribute__): the instance is then the
 * first argument of all three.  Without it, it stays itself, as a builtin
 * function does (builtins.__import__).
 *
 * around(pre, orig, None, True, gate) is a module type's __getattribute__
 * whose pre notes (id(module), name) in a set: the function recorder's
 * name reads.  `gate` is a list [seen, main, modules, names]: while
 * `seen` is a set (the adapter sets it to the set pre adds to, and to
 * None whenever pre could note anything else), a call in thread `main`
 * (threading.get_ident()) reading a str `name` that does not begin with
 * "__", while no module of `names` is in the dict `modules`, skips pre
 * if (id(module), name) is in `seen` already: pre would only add it
 * again.  The adapter owns the rule; this is a cache of its outcome.
 *
 * pre and post run before and after `orig`, not around it: while `orig`
 * runs, the frame below it is the caller's.  An Exception that post
 * raises is dropped and counted (failures(): the hooks catch their own,
 * and a failing hook must not change the program's result); any other
 * (KeyboardInterrupt) goes on in place of the call's result.  What pre
 * raises is raised, and orig is not called.  Built against the stable ABI of CPython 3.10
 * (`_ftrace_around.abi3.so`), like _ftrace_snap; without it the adapter
 * keeps its Python wrappers.
 */
#define PY_SSIZE_T_CLEAN
#define Py_LIMITED_API 0x030A0000
#include <Python.h>

typedef struct {
	PyObject_HEAD
	PyObject *pre;   /* or Py_None */
	PyObject *orig;
	PyObject *post;  /* or Py_None */
	int method;      /* binds as a method does, when a class's attribute */
	PyObject *self;  /* bound to it (or NULL): the first argument */
	PyObject *gate;  /* NULL, or [seen, main, modules, names] (see above) */
} around_object;

/* Was (id(args[0]), args[1]) noted already, so that pre can be skipped?
 * 0 on any doubt; an error is cleared (pre then runs and decides). */
static int gate_seen(PyObject *gate, PyObject *args)
{
	PyObject *seen, *main, *mods, *names, *obj, *name, *key, *id;
	Py_ssize_t i, n;
	int hit;

	if (PyList_Size(gate) != 4 || PyTuple_Size(args) != 2)
		goto doubt;
	seen = PyList_GetItem(gate, 0);
	main = PyList_GetItem(gate, 1);
	mods = PyList_GetItem(gate, 2);
	names = PyList_GetItem(gate, 3);
	obj = PyTuple_GetItem(args, 0);
	name = PyTuple_GetItem(args, 1);
	if (!seen || !PySet_Check(seen) || !PyLong_Check(main) || !PyDict_Check(mods) ||
	    !PyTuple_Check(names) || !obj || !name || !PyUnicode_Check(name))
		goto doubt;
	if (PyLong_AsUnsignedLong(main) != PyThread_get_thread_ident())
		goto doubt;
	if (PyUnicode_GetLength(name) >= 2 && PyUnicode_ReadChar(name, 0) == '_' &&
	    PyUnicode_ReadChar(name, 1) == '_')
		return 0;
	n = PyTuple_Size(names);
	for (i = 0; i < n; i++) {
		int in = PyDict_Contains(mods, PyTuple_GetItem(names, i));

		if (in != 0)
			goto doubt;
	}
	if (!(id = PyLong_FromVoidPtr(obj)))
		goto doubt;
	key = PyTuple_Pack(2, id, name);
	Py_DECREF(id);
	if (!key)
		goto doubt;
	hit = PySet_Contains(seen, key);
	Py_DECREF(key);
	if (hit == 1)
		return 1;
doubt:
	if (PyErr_Occurred())
		PyErr_Clear();
	return 0;
}

static PyObject *post_args(PyObject *tok, PyObject *res, PyObject *args)
{
	Py_ssize_t n = PyTuple_Size(args), i;
	PyObject *t;

	if (n < 0 || !(t = PyTuple_New(n + 2)))
		return NULL;
	Py_INCREF(tok);
	PyTuple_SetItem(t, 0, tok);
	Py_INCREF(res);
	PyTuple_SetItem(t, 1, res);
	for (i = 0; i < n; i++) {
		PyObject *a = PyTuple_GetItem(args, i);

		Py_INCREF(a);
		PyTuple_SetItem(t, i + 2, a);
	}
	return t;
}

/* What post raised that was an Exception, dropped: the adapter reads
 * failures() at the session's end (the recording is then incomplete). */
static unsigned long failures;

/* post(tok, res, *args, **kw).  0, or -1 with what it raised set when
 * that was no Exception (KeyboardInterrupt, SystemExit: they go on). */
static int call_post(around_object *self, PyObject *tok, PyObject *res, PyObject *args,
		     PyObject *kw)
{
	PyObject *pa = post_args(tok, res ? res : Py_None, args), *r = NULL;

	if (pa)
		r = PyObject_Call(self->post, pa, kw);
	Py_XDECREF(pa);
	if (r) {
		Py_DECREF(r);
		return 0;
	}
	if (!PyErr_ExceptionMatches(PyExc_Exception))
		return -1;
	PyErr_Clear();
	failures++;
	return 0;
}

static PyObject *call_with(around_object *self, PyObject *args, PyObject *kw)
{
	PyObject *tok = Py_None, *res, *et, *ev, *tb;

	if (self->gate && self->post == Py_None && gate_seen(self->gate, args))
		return PyObject_Call(self->orig, args, kw);
	if (self->pre != Py_None) {
		if (!(tok = PyObject_Call(self->pre, args, kw)))
			return NULL;
	} else {
		Py_INCREF(tok);
	}
	res = PyObject_Call(self->orig, args, kw);
	if (self->post == Py_None) {
		/* nothing after */
	} else if (res) {
		if (call_post(self, tok, res, args, kw) < 0)
			Py_CLEAR(res);
	} else {
		/* (PyErr_Fetch: the limited API of 3.10 has no
		 * PyErr_GetRaisedException) */
		PyErr_Fetch(&et, &ev, &tb);
		if (call_post(self, tok, NULL, args, kw) < 0) {
			Py_XDECREF(et);
			Py_XDECREF(ev);
			Py_XDECREF(tb);
		} else {
			PyErr_Restore(et, ev, tb);
		}
	}
	Py_DECREF(tok);
	return res;
}

static PyObject *around_call(PyObject *op, PyObject *args, PyObject *kw)
{
	around_object *self = (around_object *)op;
	PyObject *full, *res;
	Py_ssize_t n, i;

	if (!self->self)
		return call_with(self, args, kw);
	/* bound: (self, *args) */
	if ((n = PyTuple_Size(args)) < 0 || !(full = PyTuple_New(n + 1)))
		return NULL;
	Py_INCREF(self->self);
	PyTuple_SetItem(full, 0, self->self);
	for (i = 0; i < n; i++) {
		PyObject *a = PyTuple_GetItem(args, i);

		Py_INCREF(a);
		PyTuple_SetItem(full, i + 1, a);
	}
	res = call_with(self, full, kw);
	Py_DECREF(full);
	return res;
}

static void around_dealloc(PyObject *op)
{
	around_object *self = (around_object *)op;
	PyTypeObject *tp = Py_TYPE(op);
	freefunc tp_free = (freefunc)PyType_GetSlot(tp, Py_tp_free);

	Py_XDECREF(self->pre);
	Py_XDECREF(self->orig);
	Py_XDECREF(self->post);
	Py_XDECREF(self->self);
	Py_XDECREF(self->gate);
	tp_free(op);
	Py_DECREF(tp);
}

static PyObject *make(PyTypeObject *tp, PyObject *pre, PyObject *orig, PyObject *post,
		      int method, PyObject *bound, PyObject *gate)
{
	allocfunc tp_alloc = (allocfunc)PyType_GetSlot(tp, Py_tp_alloc);
	around_object *self;

	if (!(self = (around_object *)tp_alloc(tp, 0)))
		return NULL;
	Py_INCREF(pre);
	self->pre = pre;
	Py_INCREF(orig);
	self->orig = orig;
	Py_INCREF(post);
	self->post = post;
	self->method = method;
	Py_XINCREF(bound);
	self->self = bound;
	Py_XINCREF(gate);
	self->gate = gate;
	return (PyObject *)self;
}

static PyObject *around_new(PyTypeObject *tp, PyObject *args, PyObject *kw)
{
	PyObject *pre, *orig, *post, *gate = NULL;
	int method = 0;

	if (kw && PyDict_Size(kw)) {
		PyErr_SetString(PyExc_TypeError, "around(pre, orig, post[, method]): no keywords");
		return NULL;
	}
	if (!PyArg_ParseTuple(args, "OOO|pO:around", &pre, &orig, &post, &method, &gate))
		return NULL;
	if (gate == Py_None)
		gate = NULL;
	if (gate && (!PyList_Check(gate) || !method || post != Py_None)) {
		PyErr_SetString(PyExc_TypeError,
				"around(pre, orig, None, True, gate): gate is a list, for a method "
				"with no post");
		return NULL;
	}
	if ((pre != Py_None && !PyCallable_Check(pre)) || !PyCallable_Check(orig) ||
	    (post != Py_None && !PyCallable_Check(post))) {
		PyErr_SetString(PyExc_TypeError,
				"around(pre, orig, post): callables (pre and post may be None)");
		return NULL;
	}
	return make(tp, pre, orig, post, method, NULL, gate);
}

/* As a class's attribute: bound to the instance if made with method=True
 * (as a function is), else itself (as a builtin function is). */
static PyObject *around_descr_get(PyObject *op, PyObject *obj, PyObject *type)
{
	around_object *self = (around_object *)op;

	(void)type;
	if (!self->method || self->self || !obj || obj == Py_None) {
		Py_INCREF(op);
		return op;
	}
	return make(Py_TYPE(op), self->pre, self->orig, self->post, 1, obj, self->gate);
}

static PyObject *around_get_orig(PyObject *op, void *closure)
{
	PyObject *o = ((around_object *)op)->orig;

	(void)closure;
	Py_INCREF(o);
	return o;
}

static PyGetSetDef around_getset[] = {
	{ "orig", around_get_orig, NULL, "the wrapped callable", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyType_Slot around_slots[] = {
	{ Py_tp_new, around_new },
	{ Py_tp_call, around_call },
	{ Py_tp_dealloc, around_dealloc },
	{ Py_tp_getset, around_getset },
	{ Py_tp_descr_get, around_descr_get },
	{ Py_tp_doc, "around(pre, orig, post): call orig between pre and post, with no frame "
		     "of its own (_ftrace_around.c)" },
	{ 0, NULL },
};

static PyType_Spec around_spec = {
	"_ftrace_around.around", sizeof(around_object), 0, Py_TPFLAGS_DEFAULT, around_slots,
};

static PyObject *around_failures(PyObject *m, PyObject *unused)
{
	(void)m;
	(void)unused;
	return PyLong_FromUnsignedLong(failures);
}

static PyMethodDef methods[] = {
	{ "failures", around_failures, METH_NOARGS,
	  "failures() -> int: how many Exceptions the post hooks raised" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT, "_ftrace_around",
	"Hooks before and after a call, with no Python frame around it.", -1, methods,
	NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__ftrace_around(void)
{
	PyObject *m = PyModule_Create(&module), *tp;

	if (!m)
		return NULL;
	if (!(tp = PyType_FromSpec(&around_spec)) || PyModule_AddObject(m, "around", tp) < 0) {
		Py_XDECREF(tp);
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
