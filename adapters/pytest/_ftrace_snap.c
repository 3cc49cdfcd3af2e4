/*
 * _ftrace_snap.c - the state guard's snapshot of its plan, in C
 * (ftrace_pyleak.py; docs/python-functions.md, "State a test leaves
 * behind", "Cost").
 *
 * The guard compares, at each test's end, what every holder of its plan
 * holds (a dict's values, a class namespace's, a list's items, a set's)
 * with what it held at the last mark: by identity, the address of each
 * item.  In Python that is a tuple of id()s, an int made per item; here it
 * is a digest per holder, with no object made per item.
 *
 *   digests(kind, holders) -> bytes
 *       16 bytes per holder of the sequence `holders`, in its order: the
 *       number of items (uint64, native order), then a 64-bit digest of
 *       their addresses.  kind: KIND_DICT (a dict's values, in the dict's
 *       order), KIND_PROXY (a mappingproxy's mapping, which must be a
 *       dict: a class's namespace), KIND_LIST (a list's items, in order),
 *       KIND_SET (a set's or frozenset's items, in any order: the digest
 *       does not depend on it), KIND_CELL (a closure cell's content: one
 *       item, none when the cell is empty; read by the cell type's own
 *       traversal, which visits the content and nothing else, checked when
 *       the module loads).  For the ordered kinds the digest is a
 *       chain over the items, so the first n items of a holder have the
 *       digest prefix() returns.
 *   tagged(kind, holders, offset, last) -> (bytes, bytes)
 *       digests(kind, holders), KIND_DICT or KIND_PROXY, and the version
 *       tag of each holder's dict (uint64 at `offset` in the dict object:
 *       ftrace_pyclock's _OFFSET, which it checked against the
 *       interpreter, 8 bytes a holder).  `last`: None, or what the last
 *       call gave for the same sequence of holders (the caller keeps
 *       it); a holder whose tag is the one in `last` keeps its digest
 *       from there, without reading its items.  Sound where every write to
 *       a dict moves its tag, which ftrace_pyclock checks at start; the
 *       tag is read before the items, and no Python code runs between.
 *   prefix(kind, holder, n) -> int
 *       the chain's value after the first n items of `holder` (an ordered
 *       kind; n at most its length): equal to the digest digests() gave
 *       when the holder had those n items only, so a holder that only
 *       gained items at its end is told from one that changed.
 *
 * Items are read through the built-in types' own C functions
 * (PyDict_Next, PyList_GetItem, the set type's own iterator), never a
 * method a subclass defines: no Python code runs, and nothing is kept.
 * Two different sequences of addresses with the same digest would hide a
 * change: the chain mixes each address with a 64-bit finalizer, so that
 * takes a collision of a 64-bit hash, not a pattern a program makes.
 * Built once, by CMake with the headers of the Python it finds, against
 * the stable ABI of CPython 3.10 (Py_LIMITED_API: `_ftrace_snap.abi3.so`),
 * so that every CPython from 3.10 on loads the same file, whichever
 * interpreter a venv or pyenv gives the tests; without it (an older or
 * another implementation, a free-threaded build, which loads no abi3
 * module, or a build with Py_TRACE_REFS, whose object header is longer,
 * which ftrace_pyleak does not ask: sys.getobjects) the guard maps id()s.  The one layout read outside that ABI, a mappingproxy's
 * mapping, is checked when the module loads (proxy_layout_ok): a build
 * where it is elsewhere fails the import, and the guard maps id()s.
 * Never sanitized: it is loaded into a Python process.
 */
#define PY_SSIZE_T_CLEAN
#define Py_LIMITED_API 0x030A0000
#include <Python.h>
#include <stdint.h>
#include <string.h>

enum { KIND_DICT = 0, KIND_PROXY = 1, KIND_LIST = 2, KIND_SET = 3, KIND_CELL = 4 };

/* what descrobject.c's mappingproxy is: the header and its mapping */
typedef struct {
	PyObject_HEAD
	PyObject *mapping;
} proxy_object;

static inline uint64_t fmix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

#define CHAIN_SEED 0x6a09e667f3bcc908ULL

/* the set type's own tp_iter (PyType_GetSlot: the stable ABI's way to a
 * static type's slot, from 3.10), read once when the module loads */
static getiterfunc set_iter;

/* the cell type (types.CellType: the limited API names no PyCell_Type)
 * and its own tp_traverse; NULL where cells_ok() refused them */
static PyObject *cell_type;
static traverseproc cell_traverse;

/* a cell's traversal visits its content, if any: kept in *arg */
static int cell_visit(PyObject *o, void *arg)
{
	PyObject **slot = arg;

	if (*slot)      /* a second referent: not the layout expected */
		return -1;
	*slot = o;
	return 0;
}

/* The content of cell `h` (borrowed), NULL when empty; -1 if `h` is not
 * a cell or its traversal did not behave as a cell's. */
static int cell_content(PyObject *h, PyObject **out)
{
	*out = NULL;
	if (!cell_type || !Py_IS_TYPE(h, (PyTypeObject *)cell_type) ||
	    cell_traverse(h, cell_visit, out) != 0)
		return -1;
	return 0;
}

static inline uint64_t chain(uint64_t h, PyObject *item)
{
	return fmix(h ^ fmix((uint64_t)(uintptr_t)item + 0x9e3779b97f4a7c15ULL));
}

/* The dict a holder of `kind` shows, or NULL with an exception set. */
static PyObject *dict_of(int kind, PyObject *h)
{
	if (kind == KIND_PROXY) {
		if (!Py_IS_TYPE(h, &PyDictProxy_Type)) {
			PyErr_SetString(PyExc_TypeError, "not a mappingproxy");
			return NULL;
		}
		h = ((proxy_object *)h)->mapping;
	}
	if (!PyDict_Check(h)) {
		PyErr_SetString(PyExc_TypeError, "not a dict");
		return NULL;
	}
	return h;
}

/* Length and digest of holder `h`, its first `limit` items at most
 * (ordered kinds; -1: all).  0, or -1 with an exception set. */
static int digest(int kind, PyObject *h, Py_ssize_t limit, uint64_t *len, uint64_t *out)
{
	uint64_t d = CHAIN_SEED, n = 0;

	if (kind == KIND_DICT || kind == KIND_PROXY) {
		PyObject *dict = dict_of(kind, h), *k, *v;
		Py_ssize_t pos = 0;
		if (!dict)
			return -1;
		while ((limit < 0 || (Py_ssize_t)n < limit) && PyDict_Next(dict, &pos, &k, &v)) {
			d = chain(d, v);
			n++;
		}
	} else if (kind == KIND_LIST) {
		Py_ssize_t size;
		if (!PyList_Check(h)) {
			PyErr_SetString(PyExc_TypeError, "not a list");
			return -1;
		}
		size = PyList_Size(h);
		if (limit >= 0 && limit < size)
			size = limit;
		for (Py_ssize_t i = 0; i < size; i++)
			d = chain(d, PyList_GetItem(h, i));   /* borrowed; in range */
		n = (uint64_t)size;
	} else if (kind == KIND_SET && limit < 0) {
		PyObject *it, *x;
		uint64_t sum = 0;
		if (!PyAnySet_Check(h)) {
			PyErr_SetString(PyExc_TypeError, "not a set");
			return -1;
		}
		/* the set type's own iterator, whatever a subclass defines */
		if (!(it = set_iter(h)))
			return -1;
		while ((x = PyIter_Next(it))) {
			sum += fmix((uint64_t)(uintptr_t)x + 0x9e3779b97f4a7c15ULL);
			n++;
			Py_DECREF(x);
		}
		Py_DECREF(it);
		if (PyErr_Occurred())
			return -1;
		d = fmix(sum ^ n);
	} else if (kind == KIND_CELL && limit < 0) {
		PyObject *x;
		if (cell_content(h, &x) < 0) {
			PyErr_SetString(PyExc_TypeError, "not a cell");
			return -1;
		}
		if (x) {
			d = chain(d, x);
			n = 1;
		}
	} else {
		PyErr_SetString(PyExc_ValueError, "unknown kind");
		return -1;
	}
	*len = n;
	*out = d;
	return 0;
}

static PyObject *snap_digests(PyObject *self, PyObject *args)
{
	PyObject *holders, *seq, *out;
	int kind;
	char *p;
	Py_ssize_t n;

	(void)self;
	if (!PyArg_ParseTuple(args, "iO:digests", &kind, &holders))
		return NULL;
	/* a new list of the holders: its items stay while we read them */
	if (!(seq = PySequence_List(holders)))
		return NULL;
	n = PyList_Size(seq);
	if (!(out = PyBytes_FromStringAndSize(NULL, n * 16))) {
		Py_DECREF(seq);
		return NULL;
	}
	p = PyBytes_AsString(out);
	for (Py_ssize_t i = 0; i < n; i++) {
		uint64_t len, d;
		if (digest(kind, PyList_GetItem(seq, i), -1, &len, &d) < 0) {
			Py_DECREF(seq);
			Py_DECREF(out);
			return NULL;
		}
		memcpy(p + i * 16, &len, 8);
		memcpy(p + i * 16 + 8, &d, 8);
	}
	Py_DECREF(seq);
	return out;
}

static PyObject *snap_tagged(PyObject *self, PyObject *args)
{
	PyObject *holders, *last, *seq, *out = NULL, *tags = NULL, *res = NULL;
	const char *ld = NULL, *lt = NULL;
	Py_ssize_t n, offset;
	int kind;
	char *p, *q;

	(void)self;
	if (!PyArg_ParseTuple(args, "iOnO:tagged", &kind, &holders, &offset, &last))
		return NULL;
	if ((kind != KIND_DICT && kind != KIND_PROXY) || offset < 16 || offset > 64 ||
	    offset % 8) {
		PyErr_SetString(PyExc_ValueError, "tagged(): a dict kind, an offset in 16..64");
		return NULL;
	}
	if (!(seq = PySequence_List(holders)))
		return NULL;
	n = PyList_Size(seq);
	if (last != Py_None) {
		PyObject *a, *b;
		if (!PyTuple_Check(last) || PyTuple_Size(last) != 2 ||
		    !PyBytes_Check(a = PyTuple_GetItem(last, 0)) ||
		    !PyBytes_Check(b = PyTuple_GetItem(last, 1))) {
			PyErr_SetString(PyExc_TypeError, "tagged(): last is None or (bytes, bytes)");
			goto out;
		}
		if (PyBytes_Size(a) == n * 16 && PyBytes_Size(b) == n * 8) {
			ld = PyBytes_AsString(a);
			lt = PyBytes_AsString(b);
		}
	}
	if (!(out = PyBytes_FromStringAndSize(NULL, n * 16)) ||
	    !(tags = PyBytes_FromStringAndSize(NULL, n * 8)))
		goto out;
	p = PyBytes_AsString(out);
	q = PyBytes_AsString(tags);
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *d = dict_of(kind, PyList_GetItem(seq, i));
		uint64_t tag, len, dg;

		if (!d)
			goto out;
		memcpy(&tag, (const char *)d + offset, 8);
		memcpy(q + i * 8, &tag, 8);
		if (lt && !memcmp(lt + i * 8, &tag, 8)) {
			memcpy(p + i * 16, ld + i * 16, 16);
			continue;
		}
		if (digest(kind, PyList_GetItem(seq, i), -1, &len, &dg) < 0)
			goto out;
		memcpy(p + i * 16, &len, 8);
		memcpy(p + i * 16 + 8, &dg, 8);
	}
	res = PyTuple_Pack(2, out, tags);
out:
	Py_DECREF(seq);
	Py_XDECREF(out);
	Py_XDECREF(tags);
	return res;
}

static PyObject *snap_prefix(PyObject *self, PyObject *args)
{
	PyObject *h;
	int kind;
	Py_ssize_t limit;
	uint64_t len, d;

	(void)self;
	if (!PyArg_ParseTuple(args, "iOn:prefix", &kind, &h, &limit))
		return NULL;
	if (kind == KIND_SET || kind == KIND_CELL || limit < 0) {
		PyErr_SetString(PyExc_ValueError, "prefix of an ordered kind, n >= 0");
		return NULL;
	}
	if (digest(kind, h, limit, &len, &d) < 0)
		return NULL;
	if ((Py_ssize_t)len < limit) {
		PyErr_SetString(PyExc_ValueError, "fewer items than n");
		return NULL;
	}
	return PyLong_FromUnsignedLongLong(d);
}

static PyMethodDef methods[] = {
	{ "digests", snap_digests, METH_VARARGS,
	  "digests(kind, holders) -> bytes: length and digest of each holder" },
	{ "tagged", snap_tagged, METH_VARARGS,
	  "tagged(kind, holders, offset, last) -> (digests, tags): digests kept by tag" },
	{ "prefix", snap_prefix, METH_VARARGS,
	  "prefix(kind, holder, n) -> int: the digest of its first n items" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT, "_ftrace_snap",
	"The state guard's snapshot of its plan, in C (ftrace_pyleak).", -1, methods,
	NULL, NULL, NULL, NULL,
};

/* Does a mappingproxy made here show its mapping where proxy_object says?
 * 1 yes, 0 no, -1 with an exception set. */
static int proxy_layout_ok(void)
{
	PyObject *d = PyDict_New(), *p;
	int ok;

	if (!d)
		return -1;
	if (!(p = PyDictProxy_New(d))) {
		Py_DECREF(d);
		return -1;
	}
	ok = Py_IS_TYPE(p, &PyDictProxy_Type) && ((proxy_object *)p)->mapping == d;
	Py_DECREF(p);
	Py_DECREF(d);
	return ok;
}

/* Take the cell type, and check that its traversal visits a bound
 * cell's content alone and an empty cell's nothing.  0 yes (cell_type
 * and cell_traverse set); -1 no, nothing set, no exception (KIND_CELL is
 * then not offered, and the guard reads cells in Python). */
static int cells_ok(void)
{
	PyObject *types = PyImport_ImportModule("types"), *tp = NULL, *full = NULL;
	PyObject *empty = NULL, *got;
	int ok = 0;

	if (types && (tp = PyObject_GetAttrString(types, "CellType")) && PyType_Check(tp) &&
	    (cell_traverse = (traverseproc)PyType_GetSlot((PyTypeObject *)tp, Py_tp_traverse)) &&
	    (full = PyObject_CallFunctionObjArgs(tp, types, NULL)) &&
	    (empty = PyObject_CallFunctionObjArgs(tp, NULL))) {
		cell_type = tp;
		ok = cell_content(full, &got) == 0 && got == types &&
		     cell_content(empty, &got) == 0 && got == NULL;
	}
	PyErr_Clear();
	Py_XDECREF(full);
	Py_XDECREF(empty);
	Py_XDECREF(types);
	if (!ok) {
		cell_type = NULL;
		cell_traverse = NULL;
		Py_XDECREF(tp);
		return -1;
	}
	return 0;   /* (the type is kept: cell_type holds it) */
}

PyMODINIT_FUNC PyInit__ftrace_snap(void)
{
	PyObject *m;
	int ok = proxy_layout_ok();

	if (ok <= 0) {
		if (!ok)
			PyErr_SetString(PyExc_ImportError,
					"_ftrace_snap: a mappingproxy's layout is not the one it reads");
		return NULL;
	}
	/* (before 3.10 a static type has no slots to get: refused there) */
	if (!(set_iter = (getiterfunc)PyType_GetSlot(&PySet_Type, Py_tp_iter))) {
		PyErr_Clear();
		PyErr_SetString(PyExc_ImportError, "_ftrace_snap: no iterator of the set type");
		return NULL;
	}
	m = PyModule_Create(&module);
	if (m && (PyModule_AddIntConstant(m, "KIND_DICT", KIND_DICT) < 0 ||
		  PyModule_AddIntConstant(m, "KIND_PROXY", KIND_PROXY) < 0 ||
		  PyModule_AddIntConstant(m, "KIND_LIST", KIND_LIST) < 0 ||
		  PyModule_AddIntConstant(m, "KIND_SET", KIND_SET) < 0 ||
		  (cells_ok() == 0 && PyModule_AddIntConstant(m, "KIND_CELL", KIND_CELL) < 0))) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
