/*
 * _ftrace_coslot.h - what the function recorder's C hooks (_ftrace_fframe.c,
 * _ftrace_fhook.c) know of a code object, kept in one co_extra slot of it.
 * docs/python-functions.md, "Hooks".
 *
 * Slot values: 0 unseen; FT_COSLOT_FOREIGN (its co_filename starts with "<"
 * or with one of the recorder's foreign prefixes: the standard library,
 * site-packages, the adapter; never recorded); FT_COSLOT_KNOWN (not
 * foreign); or FT_COSLOT_STAMP(e): not foreign, and already added to the
 * current target's dict in epoch e.  A hook starts a new epoch at each target, so a
 * frame of foreign code, or of code already in the current target, costs a
 * load and a compare; a code object is classified once per process.
 * (Adding every frame's code to a set costs more than a hook itself: a
 * code object's hash is computed anew each time, over its bytecode and
 * constants.)
 *
 * A target's container is a dict {address: code object}, not a set of
 * code objects: code objects compare by value, and co_filename is not part
 * of it, so two equal functions in two files would be one set element and
 * one file's function would go unrecorded.  The value keeps the code
 * alive, so its address is never reused while it is a key.
 *
 * Each hook includes this file once and requests its own slot index.
 */
#ifndef FTRACE_COSLOT_H
#define FTRACE_COSLOT_H

#include <stdint.h>

#define FT_COSLOT_FOREIGN ((uintptr_t)1)
#define FT_COSLOT_KNOWN ((uintptr_t)2)
#define FT_COSLOT_STAMP(e) (2 * (uintptr_t)(e) + 2)

/* Is `co` foreign code by the tuple of str prefixes `foreign`?  Any doubt
 * (a name that is not a str, an error) says no: recorded, then judged by
 * the recorder's own rules. */
static int ft_coslot_is_foreign(PyCodeObject *co, PyObject *foreign)
{
	PyObject *fn = co->co_filename;
	Py_ssize_t n;

	if (!fn || !PyUnicode_Check(fn))
		return 0;
	if (PyUnicode_GET_LENGTH(fn) > 0 && PyUnicode_READ_CHAR(fn, 0) == '<')
		return 1;
	n = foreign ? PyTuple_GET_SIZE(foreign) : 0;
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *p = PyTuple_GET_ITEM(foreign, i);
		Py_ssize_t r = PyUnicode_Tailmatch(fn, p, 0, PY_SSIZE_T_MAX, -1);
		if (r < 0) {
			PyErr_Clear();
			return 0;
		}
		if (r)
			return 1;
	}
	return 0;
}

/* The slow path for a code object whose slot said `seen` (neither foreign
 * nor stamped with the current epoch): classify it if unseen, then add it
 * to the dict `s` under its address, stamping the slot with `epoch` when
 * `stamp` (s is the current target's).  Keeps any exception in flight (a
 * frame entered to throw into a generator has one).  Returns -1 if the dict could not grow (out of
 * memory: the recording is incomplete), else 0.  A slot that cannot be set
 * only means the code is classified and added again at its next frame:
 * slower, never missed. */
static int ft_coslot_add(PyObject *s, PyObject *co, uintptr_t seen, int stamp,
			 Py_ssize_t slot, PyObject *foreign, uintptr_t epoch)
{
	PyObject *type, *value, *tb;
	uintptr_t now = seen;
	int rc = 0;

	PyErr_Fetch(&type, &value, &tb);
	if (seen == 0)
		now = ft_coslot_is_foreign((PyCodeObject *)co, foreign) ? FT_COSLOT_FOREIGN
									: FT_COSLOT_KNOWN;
	if (stamp && now != FT_COSLOT_FOREIGN)
		now = FT_COSLOT_STAMP(epoch);
	if (now != seen && _PyCode_SetExtra(co, slot, (void *)now) < 0)
		PyErr_Clear();
	if (now != FT_COSLOT_FOREIGN) {
		PyObject *key = PyLong_FromVoidPtr(co);
		if (!key || PyDict_SetItem(s, key, co) < 0) {
			PyErr_Clear();
			rc = -1;
		}
		Py_XDECREF(key);
	}
	PyErr_Restore(type, value, tb);
	return rc;
}

/* start()'s shared checks and set-up: `fo` must be a tuple of str (the
 * foreign prefixes), and *slot our co_extra index (requested once per
 * process).  0, or -1 with an exception naming `who`. */
static int ft_coslot_setup(PyObject *fo, Py_ssize_t *slot, const char *who)
{
	for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(fo); i++) {
		if (!PyUnicode_Check(PyTuple_GET_ITEM(fo, i))) {
			PyErr_Format(PyExc_TypeError, "%s.start: foreign prefixes are str", who);
			return -1;
		}
	}
	if (*slot < 0 && (*slot = _PyEval_RequestCodeExtraIndex(NULL)) < 0) {
		PyErr_Format(PyExc_RuntimeError, "%s: no code extra slot left", who);
		return -1;
	}
	return 0;
}

/* target(dict): record into `s` (*cur) from now on, in a new epoch.  NULL
 * with TypeError naming `who` if `s` is not a dict. */
static PyObject *ft_coslot_target(PyObject **cur, uintptr_t *epoch, PyObject *s, const char *who)
{
	if (!PyDict_Check(s)) {
		PyErr_Format(PyExc_TypeError, "%s.target: a dict is needed", who);
		return NULL;
	}
	Py_INCREF(s);
	Py_XSETREF(*cur, s);
	(*epoch)++;
	Py_RETURN_NONE;
}

#endif
