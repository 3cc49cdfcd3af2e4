/*
 * pyfunc_version.c - what a change did to one recorded version (path,
 * content value) of a .py file, the same for every test that saw it
 * (ft_pyfunc_int.h; docs/python-functions.md, "Selection" and "Namespace
 * changes"): equal skeleton and which bodies changed, or which
 * module-level names changed, and whether code outside any test (a
 * prelude) ran or read what changed, which makes the change skeleton.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_json.h"
#include "ft_pyfunc_int.h"
#include "ft_pyfunc_names.h"
#include "ft_pymodel.h"
#include "ft_state.h"
#include "ft_store_py.h"
#include "ft_vec.h"

/* Which bodies of `changed` do the qualnames of `quals` count for?  An
 * array of body keys (empty: none; NULL: out of memory). */
int ft__pyfunc_runs_changed(const struct ft_pystrs *quals, const struct ft_pyfp *bodies,
			    const struct ft_pystrs *changed, struct ft_pystrs *hit)
{
	char key[4096];
	int rc;

	memset(hit, 0, sizeof(*hit));
	for (size_t i = 0; quals && i < quals->n; i++) {
		size_t pos = 0;
		int r;
		/* each body the qualname counts for (a nested function's own
		 * and its enclosing ones'); the few changed keys first: bodies
		 * is a long list, and a test module's prelude names each of its
		 * functions */
		while ((r = ft_pykey_body_next(quals->v[i], &pos, key, sizeof(key))) != 0) {
			if (r < 0 || !ft_pystrs_has(changed, key) || !ft_pyfp_body(bodies, key) ||
			    ft_pystrs_has(hit, key))
				continue;
			if ((rc = ft_pystrs_add(hit, key)) < 0) {
				ft_pystrs_release(hit);
				return rc;
			}
		}
	}
	return 0;
}

/* The first of the names `names` that `quals` (qualnames and name reads of
 * one file) read, "*" if it read the whole namespace, or NULL. */
const char *ft__pyfunc_reads_name(const struct ft_pystrs *quals, cJSON *names)
{
	cJSON *n;
	char at[4096];

	if (ft_pystrs_has(quals, FT_PYKEY_S_ALL))
		return "*";
	cJSON_ArrayForEach(n, names) {
		if (!ft_pykey_name_read(n->valuestring, at, sizeof(at)))
			return n->valuestring;
		if (ft_pystrs_has(quals, at))
			return n->valuestring;
	}
	return NULL;
}

/* The first of `names` that `is` accepts, "" for one that is no string. */
static const char *first_name(cJSON *names, int (*is)(const char *))
{
	cJSON *n;

	cJSON_ArrayForEach(n, names)
		if (!cJSON_IsString(n) || is(n->valuestring))
			return cJSON_IsString(n) ? n->valuestring : "";
	return NULL;
}

const char *ft__pyfunc_a_dunder(cJSON *names)
{
	return first_name(names, ft_pyname_is_dunder);
}

const char *ft__pyfunc_a_dunder2(cJSON *names)
{
	return first_name(names, ft_pyname_is_dunder2);
}

/* `hit` (keys a prelude ran or read; may be NULL) without the docstrings
 * of `wraps`: a pure decorator read them at import, into the wrapper the
 * changed name now holds, and the name's readers are kept anyway. */
void ft__pyfunc_unwrapped(struct ft_pystrs *hit, cJSON *wraps)
{
	size_t o = 0;

	for (size_t i = 0; i < hit->n; i++) {
		if (ft_json_has_string(wraps, hit->v[i]))
			free(hit->v[i]);
		else
			hit->v[o++] = hit->v[i];
	}
	hit->n = o;
}

/* A namespace change of version `v` (ft_pyfunc_names.h): 1 and v->names,
 * v->changed (the old body keys that differ, are gone, or can see a
 * changed name), v->wraps, v->marks, v->classes if it is one; 0 if not,
 * with v->why.  `root`: the file's pytest rootdir (NULL if none), whose
 * sessions' start-up modules an added `import` may name. */
static int names_change(struct fpver *v, cJSON *onames, const struct ft_pyfp *fresh,
			const struct ft_pytest_root *root)
{
	struct ft_pyfunc_names_in in = { .tmod = v->tmod };
	struct ft_pyfunc_names_out res;
	const char *why = NULL;
	int r;

	if (root && root->has_loaded) {
		in.loaded = root->loaded;
		in.nloaded = root->nloaded;
	}
	if (root && root->has_stdlib) {
		in.stdlib = root->stdlib;
		in.nstdlib = root->nstdlib;
	}
	if (root)
		in.std = root->std;
	r = cJSON_IsObject(onames) && v->obodies.has_bodies && fresh->has_bodies
		    ? ft_pyfunc_names_diff(onames, fresh->names, &in, &res, &why)
		    : 0;
	if (r <= 0) {
		if (why && strncmp(why, "function granularity:", 21))
			ft__pyfunc_say(&v->why, why);
		return 0;
	}
	v->wraps = res.wraps;
	v->marks = res.marks;
	v->classes = res.classes;
	v->attrs = res.attrs;
	for (size_t i = 0; i < v->obodies.nbodies; i++) {
		const struct ft_pybody *b = &v->obodies.bodies[i];
		const char *nb = ft_pyfp_body(fresh, b->key);
		if ((!nb || strcmp(nb, b->fp) || ft_json_has_string(res.keys, b->key)) &&
		    ft_pystrs_add(&v->changed, b->key) < 0) {
			cJSON_Delete(res.names);
			cJSON_Delete(res.keys);
			return 0;
		}
	}
	cJSON_Delete(res.keys);
	v->names = res.names;
	return 1;
}

/* The kind of the statement of the "names" object `names` that binds
 * `name` (the first), or NULL if none does. */
static const char *binder_kind(cJSON *names, const char *name)
{
	cJSON *st, *k;

	cJSON_ArrayForEach(st, cJSON_GetObjectItem(names, "stmts"))
		if (ft_json_has_string(cJSON_GetArrayItem(st, 2), name))
			return cJSON_IsString(k = cJSON_GetArrayItem(st, 1)) ? k->valuestring : "";
	return NULL;
}

/* Might pytest collect a test function or class by `name` (its
 * python_functions or python_classes match it, or the classes' patterns
 * are not recorded)? */
static int collects_by(const struct ft_pytest_root *root, const char *name)
{
	return ft_pytest_root_matches(root->pyfuncs, root->npyfuncs, name) || !root->has_pyclasses ||
	       ft_pytest_root_matches(root->pyclasses, root->npyclasses, name);
}

/* Does an import of the "names" object `names` ("pimport:", which lists
 * what it binds among what it mentions) bind `name`? */
static int pimport_binds(cJSON *names, const char *name)
{
	cJSON *st, *k;

	cJSON_ArrayForEach(st, cJSON_GetObjectItem(names, "stmts"))
		if (cJSON_IsString(k = cJSON_GetArrayItem(st, 1)) && !strncmp(k->valuestring, "pimport:", 8) &&
		    ft_json_has_string(cJSON_GetArrayItem(st, 3), name))
			return 1;
	return 0;
}

/* Is the class `name`, bound by a statement of kind `kind`, one pytest
 * collects tests from: a unittest TestCase ("tclass", whatever its name)
 * or a plain class named by python_classes? */
static int test_class(const struct ft_pytest_root *root, const char *kind, const char *name)
{
	return kind && (!strcmp(kind, "tclass") ||
			(ft_pyfunc_names_is_pyclass(kind) &&
			 ft_pytest_root_matches(root->pyclasses, root->npyclasses, name)));
}

/* A namespace change of a test module (v->tmod): every changed "mark"
 * statement must bind a test function (pytest collects it; a marked
 * helper's marks would reach no test we could name), a changed class
 * that was a test class (test_class) must be one still or be gone (its
 * old tests' ids would name nothing), and v->tnow gets the changed names
 * that are test functions or test classes now: pytest is asked for them
 * whole, and so are the tests of v->marks (an unchanged one among them
 * reads a changed name in its marks).  A class is never a test function,
 * whatever its name.  1, or 0
 * with v->why.  `onames`: the "names" of the version the tests saw. */
static int test_names(struct ft_selection *sel, struct fpver *v, const char *path,
		      const struct ft_pyfp *fresh, cJSON *onames)
{
	const struct ft_pytest_root *root = ft__select_pyroot(sel, path);
	cJSON *nnames = fresh->names, *e;

	if (!root || !root->has_pyfuncs) {
		ft__pyfunc_say(&v->why, "function granularity: the test module's collection options are not "
			     "recorded (python_functions): selected by skeleton");
		return 0;
	}
	cJSON_ArrayForEach(e, v->marks)
		if (!ft_pytest_root_matches(root->pyfuncs, root->npyfuncs, e->valuestring)) {
			ft__pyfunc_say(&v->why, "skeleton changed (a function with pytest marks that is no test)");
			return 0;
		}
	cJSON_ArrayForEach(e, v->classes) {
		const char *now = binder_kind(nnames, e->valuestring);
		if (!root->has_pyclasses) {
			ft__pyfunc_say(&v->why, "function granularity: the test module's collection options are "
				     "not recorded (python_classes): selected by skeleton");
			return 0;
		}
		if (now && test_class(root, binder_kind(onames, e->valuestring), e->valuestring) &&
		    !test_class(root, now, e->valuestring)) {
			ft__pyfunc_say(&v->why, "skeleton changed (a test class became no test class)");
			return 0;
		}
	}
	if (!(v->tnow = cJSON_CreateArray()) || !(v->tgone = cJSON_CreateArray()))
		return 0;
	cJSON_ArrayForEach(e, v->names) {
		const char *now = binder_kind(nnames, e->valuestring);
		const char *was = binder_kind(onames, e->valuestring);
		/* bound by a project from-import on either side
		 * (ft_pyfunc_names.h): what it binds is the other module's
		 * function, class or value, which pytest collects here when
		 * its name is one it collects by */
		if ((pimport_binds(nnames, e->valuestring) || pimport_binds(onames, e->valuestring)) &&
		    collects_by(root, e->valuestring)) {
			ft__pyfunc_say(&v->why, "skeleton changed (a from-import gained or lost a "
				     "name pytest collects tests by)");
			return 0;
		}
		if (!now && !was)
			continue;
		/* pytest would take a test function or class by that name
		 * for one, and asked for it by name find nothing */
		if (((now && ft_pyfunc_names_is_assign(now)) || (was && ft_pyfunc_names_is_assign(was))) &&
		    collects_by(root, e->valuestring)) {
			ft__pyfunc_say(&v->why, "skeleton changed (an assignment of a name pytest "
				     "collects tests by)");
			return 0;
		}
		if (!now)
			cJSON_AddItemToArray(v->tgone, cJSON_CreateString(e->valuestring));
		else if (ft_pyfunc_names_is_pyclass(now) || !strcmp(now, "tclass")
				 ? test_class(root, now, e->valuestring)
				 : ft_pytest_root_matches(root->pyfuncs, root->npyfuncs, e->valuestring))
			cJSON_AddItemToArray(v->tnow, cJSON_CreateString(e->valuestring));
	}
	/* an unchanged test whose marks read a changed name (its
	 * parametrize table): asked for whole too */
	cJSON_ArrayForEach(e, v->marks)
		if (!ft_json_has_string(v->tnow, e->valuestring))
			cJSON_AddItemToArray(v->tnow, cJSON_CreateString(e->valuestring));
	return 1;
}

/* What the change did to version (path, value): computed once per version
 * (NULL: out of memory).  `fresh` = the file's fingerprints now. */
const struct ft_pystrs *ft__pyfunc_ran_changed(const struct ft_pystrs *quals,
					       const struct fpver *v, cJSON *wraps,
					       struct ft_pystrs *hit)
{
	if (ft__pyfunc_runs_changed(quals, &v->obodies, &v->changed, hit) < 0)
		return NULL;
	ft__pyfunc_unwrapped(hit, wraps);
	return hit;
}

/* Does the "stmts" list of fingerprint names `names` hold a statement of
 * kind "leaves" (or "leaves:...")? */
static int has_leaves(const cJSON *names)
{
	const cJSON *st;

	cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(names, "stmts")) {
		const cJSON *kind = cJSON_GetArrayItem(st, 1);
		if (cJSON_IsString(kind) && !strncmp(kind->valuestring, "leaves", 6))
			return 1;
	}
	return 0;
}

struct fpver *ft__pyfunc_version(struct ctx *x, const char *path, int64_t value,
				 const struct ft_pyfp *fresh)
{
	const struct ft_pystrs *prelude = NULL;
	struct ft_pystrs hit = { 0 };
	cJSON *onames = NULL;
	struct ft_store_pyfunc_fps row;
	struct fpver *v;
	int ok = 0, found = 0, ns = 0;

	for (size_t i = 0; i < x->nv; i++)
		if (x->v[i].value == value && !strcmp(x->v[i].path, path))
			return &x->v[i];
	if (!(v = ft_vec_grow(x->v, &x->capv, x->nv, sizeof(*x->v), 16)))
		return NULL;
	x->v = v;
	v = &x->v[x->nv];
	memset(v, 0, sizeof(*v));
	if (!(v->path = strdup(path)))
		return NULL;
	v->value = value;
	x->nv++;
	if (ft_store_pyfunc_fps_get(x->r, path, value, &row) > 0) {
		found = 1;
		ok = fresh->skeleton && row.skeleton && !strcmp(row.skeleton, fresh->skeleton);
		(void)ft_pyfp_bodies_parse(row.bodies, &v->obodies);   /* has_bodies says */
		if (ft_pystrs_parse(row.prelude, &v->prelude) == 0)
			prelude = &v->prelude;
		/* (skeleton equal: a body that stays a key but calls another
		 * project module's writer shows its edit in its statement's
		 * digest alone, a "leaves" one: judged as the statements) */
		if (row.names && (!ok || strstr(row.names, "\"leaves") || has_leaves(fresh->names)))
			onames = cJSON_Parse(row.names);
		v->tmod = ft_pystrs_has(prelude, FT_PYKEY_S_TMOD);
		ft_store_pyfunc_fps_clear(&row);
	}
	if (!found) {
		v->effects = 1;
		v->effects_why = "import-time code: no fingerprints of the version the test saw";
	} else if (!ok || onames) {
		int e = (v->bound = cJSON_CreateArray()) && (v->imports = cJSON_CreateArray()) &&
				(v->leaves = cJSON_CreateArray())
			? ft_pyfunc_names_effects(onames, fresh->names, v->bound, v->imports,
						  v->leaves, &v->effects_why)
			: -ENOMEM;
		v->effects = e != 0;
		if (e < 0)
			v->effects_why = "import-time code: out of memory";
	}
	if (!found)
		ft__pyfunc_say(&v->why, "function granularity: no fingerprints of the version the test saw");
	else if (!ok && prelude &&
		 names_change(v, onames, fresh, ft__select_pyroot(x->sel, path))) {
		/* Module-level names changed, nothing else of the skeleton: a
		 * read of one at import (the prelude, any run) is skeleton. */
		const char *n = ft__pyfunc_reads_name(prelude, v->names);
		/* re-exports (the keys of v->prelude): the tests decide
		 * (file_unaffected) */
		ns = 1;
		if (n && !strcmp(n, "*"))
			ft__pyfunc_say_names(&v->why, v->names, "code outside "
				  "any test (import, collection or a shared fixture) read its whole namespace");
		else if (n)
			ft__pyfunc_say_names(&v->why, v->names, "code outside "
				  "any test (import, collection or a shared fixture) read one");
		ok = !n && !ft__pyfunc_blame(ft__pyfunc_ran_changed(prelude, v, v->wraps, &hit), &v->why,
					     " changed or can see a changed name, and ", FT__PYFUNC_RAN,
					     " outside any test (import, collection or a shared "
					     "fixture): skeleton");
		ft_pystrs_release(&hit);
		ok = ok && (!v->tmod || test_names(x->sel, v, path, fresh, onames));
	}
	if (found && !ok && !ns)
		ft__pyfunc_say(&v->why, "skeleton changed (code outside function bodies: module statements, "
			     "class bodies, decorators, signatures or docstrings)");
	cJSON_Delete(onames);
	if (ns) {
		v->bodies_only = ok;
		return v;
	}
	ok = ok && v->obodies.has_bodies && prelude && fresh->has_bodies;
	if (ok) {
		/* The skeleton is equal, so the keys of the functions outside
		 * functions are the same; one on one side only would be a
		 * skeleton change: keep the test.  A nested function's key may
		 * come or go with its def statement, which is in its enclosing
		 * body's text (changed then): one gone is changed too; a new one
		 * no recorded test ran. */
		size_t top_old = 0, top_new = 0;
		for (size_t i = 0; i < v->obodies.nbodies; i++) {
			const struct ft_pybody *b = &v->obodies.bodies[i];
			const char *nb = ft_pyfp_body(fresh, b->key);
			top_old += !strstr(b->key, ".<locals>");
			if (!nb && !strstr(b->key, ".<locals>"))
				ok = 0;
			else if (ok && (!nb || strcmp(nb, b->fp)) &&
				 ft_pystrs_add(&v->changed, b->key) < 0)
				ok = 0;
		}
		for (size_t i = 0; i < fresh->nbodies; i++)
			top_new += !strstr(fresh->bodies[i].key, ".<locals>");
		ok = ok && top_old == top_new;
		if (!ok)
			ft__pyfunc_say(&v->why, "skeleton changed (the set of functions)");
		/* A body that ran in a prelude is baked into module state: it is
		 * skeleton, and every test the file selected stays. */
		ok = ok && !ft__pyfunc_blame(ft__pyfunc_ran_changed(prelude, v, NULL, &hit), &v->why,
					     " changed, and ", FT__PYFUNC_RAN, " outside any test "
					     "(import, collection or a shared fixture): skeleton");
		ft_pystrs_release(&hit);
	}
	v->bodies_only = ok;
	return v;
}
