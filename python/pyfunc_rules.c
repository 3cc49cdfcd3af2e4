/*
 * pyfunc_rules.c - whether the change of one file can affect one candidate
 * test (ft_pyfunc_int.h; docs/python-functions.md, "Selection"): the
 * version's verdict (pyfunc_version.c), then what the test itself ran,
 * read, and touched through its own processes; lazy imports; a test
 * module's own tests.
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
#include "ft_store_py.h"
#include "ft_vec.h"

/* Does a qualname count for a body of `bodies` (ft_pykey_body_next: a
 * nested function for itself, or for an enclosing one)?  0: skeleton.
 * A key too long to hold counts. */
static int key_of(const char *qual, const struct ft_pyfp *bodies, char *out, size_t cap)
{
	size_t pos = 0;
	int r;

	while ((r = ft_pykey_body_next(qual, &pos, out, cap)) != 0)
		if (r < 0 || ft_pyfp_body(bodies, out) != NULL)
			return 1;
	return 0;
}

/* Did a prelude ({file: [qualnames]}) run a function of `path`, beyond
 * what its own import runs (the module and class bodies, and the
 * docstring reads of property() and the like)?  A qualname counts when it
 * counts for a body (key_of: a nested function for its enclosing one) of
 * the file now (`now`) or of the version the test saw (`then`; NULL:
 * unknown, and then every qualname but the module body counts). */
static int ran_beyond_import(const struct ft_pyfiles *prelude, const char *path,
			     const struct ft_pyfp *now, const struct ft_pyfp *then)
{
	const struct ft_pystrs *keys = ft_pyfiles_get(prelude, path);
	char key[4096];

	for (size_t i = 0; keys && i < keys->n; i++) {
		const char *e = keys->v[i];
		if (strlen(e) >= sizeof(key))
			return 1;
		if (ft_pykey_read_len(e) || ft_pykey_is_mark(e))
			continue;   /* a docstring or a name read, a marker: no code ran */
		if (!then ? strcmp(e, FT_PYKEY_S_MODULE) != 0
			  : key_of(e, now, key, sizeof(key)) || key_of(e, then, key, sizeof(key)))
			return 1;
	}
	return 0;
}

static int ran_code(struct ctx *x, const struct ft_pystrs *pre, const char *path);

int ft__pyfunc_ran_code(struct ctx *x, const struct ft_pystrs *pre, const char *path)
{
	char *p;

	if (x->ran_path && x->ran_pre == pre && !strcmp(x->ran_path, path))
		return x->ran_answer;
	if (!(p = strdup(path)))
		return 1;
	free(x->ran_path);
	x->ran_path = p;
	x->ran_pre = pre;
	return x->ran_answer = ran_code(x, pre, path);
}

static int ran_code(struct ctx *x, const struct ft_pystrs *pre, const char *path)
{
	const struct seenpath *sp;
	char key[4096];
	int any = 0;

	for (size_t i = 0; pre && i < pre->n && !any; i++)
		any = ft_pykey_kind(pre->v[i]) == FT_PYKEY_CODE;
	if (!any)
		return 0;
	if (ft_json_has_string(x->files, path) || !(sp = ft__pyfunc_seen_all(x, path)) || !sp->nvals)
		return 1;
	for (size_t j = 0; j < sp->nvals; j++) {
		struct ft_store_pyfunc_fps row;
		struct ft_pyfp fp = { 0 };
		int rc = ft_store_pyfunc_fps_get(x->r, path, sp->vals[j], &row);

		if (rc <= 0)
			return 1;
		rc = row.bodies ? ft_pyfp_bodies_parse(row.bodies, &fp) : -EINVAL;
		ft_store_pyfunc_fps_clear(&row);
		for (size_t i = 0; rc == 0 && i < pre->n; i++) {
			const char *e = pre->v[i];
			/* a lambda or a comprehension of the module's (`<`)
			 * may run later, handed on: counted */
			if (ft_pykey_kind(e) == FT_PYKEY_CODE &&
			    (strchr(e, '<') || strlen(e) >= sizeof(key) || key_of(e, &fp, key, sizeof(key))))
				rc = 1;
		}
		ft_pyfp_release(&fp);
		if (rc != 0)
			return 1;
	}
	return 0;
}

/* The name of the module-level function or class test `id` is of ("f" of
 * "a/test_x.py::f[1]"), into `out`.  0 if it has none (or too long). */
static int test_function_of(const char *id, char *out, size_t cap)
{
	const char *c = strstr(id, "::"), *e;
	size_t n;

	if (!c || c == id)
		return 0;
	c += 2;
	for (e = c; *e && *e != '[' && strncmp(e, "::", 2); e++)
		;
	n = (size_t)(e - c);
	if (!n || n >= cap)
		return 0;
	memcpy(out, c, n);
	out[n] = '\0';
	return 1;
}

/* Note "file::name" of each test function or class of v->tnow, the file
 * part taken from `test`, a test of that module. */
static void note_additions(struct ctx *x, const char *test, const char *path,
			   const struct fpver *v)
{
	const char *c = strstr(test, "::");
	size_t pl = c ? (size_t)(c - test) : 0;
	cJSON *e;

	if (!pl)
		return;
	cJSON_ArrayForEach(e, v->tnow) {
		struct addition *a;
		char *id;
		int dup = 0;
		if (asprintf(&id, "%.*s::%s", (int)pl, test, e->valuestring) < 0)
			return;
		for (size_t i = 0; i < x->nadd && !dup; i++)
			dup = !strcmp(x->add[i].id, id);
		if (dup || !(a = ft_vec_grow(x->add, &x->capadd, x->nadd, sizeof(*x->add), 8))) {
			free(id);
			continue;
		}
		x->add = a;
		a = &x->add[x->nadd];
		a->id = id;
		if (!(a->path = strdup(path))) {
			free(id);
			continue;
		}
		x->nadd++;
	}
}

/* A test of the test module `path` itself, under a namespace change of
 * it (v->tmod): its own function or class changed and is still a test
 * (keep it: 0; pytest is asked for it whole, note_additions), or is gone
 * (1); -1 if it did not change (the other rules decide). */
static int own_test(struct ctx *x, const char *test, const char *path, const struct fpver *v,
		    char **why)
{
	char name[1024];

	note_additions(x, test, path, v);
	if (!test_function_of(test, name, sizeof(name)) ||
	    !ft_json_has_string(v->names, name))
		return -1;
	if (ft_json_has_string(v->tgone, name)) {
		ft__pyfunc_say(why, "its test function or class is gone from the module");
		return 1;
	}
	if (!ft_json_has_string(v->tnow, name))
		return -1;
	ft__pyfunc_say(why, "its test function or class changed (pytest collects it anew, whole)");
	return 0;
}

/* 1 if the change of `path` cannot affect candidate `c`, 0 if it may.  The
 * preludes: of every run that saw this version (pyfunc_fps.prelude) and of
 * the test's own run (pyfunc_runs), so that a run whose fingerprints could
 * not be stored still lends its prelude to its tests.  `why` (NULL: not
 * wanted) receives what changed in the file, for --explain (malloc'd; may
 * stay NULL when out of memory). */
int ft__pyfunc_file_unaffected(struct ctx *x, const char *test, const char *path, const struct cand *c,
			   char **why)
{
	const struct ft_pyfp *fresh = ft__pyfunc_fresh(x, path);
	struct ft_pystrs hit = { 0 };
	struct fpver *v;
	int64_t value;
	int ok;

	if (!fresh) {
		ft__pyfunc_say(why, "function granularity: the file cannot be read or parsed now: selected by file");
		return 0;
	}
	if (ft__pyfunc_seen_value(x, test, path, &value)) {
		ft__pyfunc_say(why, "function granularity: the test recorded more than one version of the file");
		return 0;
	}
	if (!(v = ft__pyfunc_version(x, path, value, fresh)))
		return 0;
	/* Read as data outside any test: what the reader made of the bytes
	 * (hypothesis's literals, a test module's copy of a source) may reach
	 * every test (docs/python-functions.md, "Sources read as data"). */
	if (ft_pystrs_has(ft_pyfiles_get(c->prelude, path), FT_PYKEY_S_DATA)) {
		ft__pyfunc_say(why, "function granularity: the file's bytes were read outside any test, "
			 "and not by an import (a reader of sources at collection): selected by file");
		return 0;
	}
	/* Reached only through an import on demand inside code the test never
	 * ran, and nothing of the file ran in the test, in its own processes
	 * or, beyond the file's import, in its run's preludes: no change of
	 * the file counts for it (docs/python-functions.md, "Lazy imports"). */
	if (c->has_lazy && ft_pystrs_has(&c->lazy, path) && !ft_pyfiles_get(&c->funcs, path) &&
	    !ft_pystrs_has(&c->own, path) &&
	    !ran_beyond_import(c->prelude, path, fresh,
			       v->obodies.has_bodies ? &v->obodies : NULL)) {
		ft__pyfunc_say(why, "the test reaches the file only through an import inside a function it "
			 "never ran (a lazy import), and ran none of its code");
		return 1;
	}
	if (!v->bodies_only) {
		if (v->why)
			ft__pyfunc_say(why, v->why);
		return 0;
	}
	if (v->names) {
		const struct ft_pystrs *pre = ft_pyfiles_get(c->prelude, path);
		const struct ft_pystrs *mine = ft_pyfiles_get(&c->funcs, path);
		const char *n;
		/* a from-import gained a name: its module must bind it plainly,
		 * else the import may run code or fail: skeleton */
		if (v->attrs && cJSON_GetArraySize(v->attrs)) {
			if (v->attrs_pre != c->prelude) {
				v->attrs_why = ft__pyfunc_attrs_unsure(x, v, c->prelude);
				v->attrs_pre = c->prelude;
			}
			if (v->attrs_why) {
				ft__pyfunc_say(why, v->attrs_why);
				return 0;
			}
		}
		if ((!ft_pystrs_has(pre, FT_PYKEY_S_SEEN) && !ft_pystrs_has(pre, FT_PYKEY_S_TMOD)) ||
		    ft_pystrs_has(pre, FT_PYKEY_S_UNSEEN)) {
			ft__pyfunc_say_names(why, v->names, "the test's "
				  "session did not see every read of its names (a module made before "
				  "the recorder started, or not by the import system)");
			return 0;
		}
		if (!ft_pystrs_has(pre, FT_PYKEY_S_DUNDERS) && (n = ft__pyfunc_a_dunder(v->names))) {
			ft__pyfunc_say_names(why, v->names, "the test's "
				  "session did not note reads of dunders (an older ftrace, or an "
				  "interpreter newer than the list of the dunders it reads itself)");
			return 0;
		}
		if (!ft_pystrs_has(pre, FT_PYKEY_S_DUNDERS2) && (n = ft__pyfunc_a_dunder2(v->names))) {
			ft__pyfunc_say_names(why, v->names, "the test's "
				  "session did not note reads of __all__ (an older ftrace)");
			return 0;
		}
		if ((n = ft__pyfunc_reads_name(pre, v->names))) {
			ft__pyfunc_say_names(why, v->names, !strcmp(n, "*")
				  ? "the test's session read its "
				    "whole namespace outside any test"
				  : "the test's session read one "
				    "outside any test");
			return 0;
		}
		if ((n = ft__pyfunc_reads_name(mine, v->names))) {
			ft__pyfunc_say_names(why, v->names, !strcmp(n, "*")
				  ? "the test read its whole "
				    "namespace (vars(), dir(), a star import)"
				  : "the test read one");
			return 0;
		}
		if (ft__pyfunc_forwards_see(x, test, c, &v->prelude, v->names, fresh, 0) ||
		    ft__pyfunc_forwards_see(x, test, c, pre, v->names, fresh, 0)) {
			ft__pyfunc_say_names(why, v->names, "a module's "
				  "from-import re-exports one, and the test can see it there");
			return 0;
		}
		if (ft_pystrs_has(mine, FT_PYKEY_S_MODULE)) {
			ft__pyfunc_say_names(why, v->names, "the test ran "
				  "the module's code itself (an import in the test, a reload)");
			return 0;
		}
		if (v->tmod && c->file && !strcmp(c->file, path))
			switch (own_test(x, test, path, v, why)) {
			case 0:
				return 0;
			case 1:
				return 1;
			}
	}
	ok = !ft__pyfunc_blame(ft__pyfunc_ran_changed(ft_pyfiles_get(c->prelude, path), v, v->wraps,
						      &hit),
			       why, " changed, and ", FT__PYFUNC_RAN, " outside any test (import, "
			       "collection or a shared fixture): skeleton");
	ft_pystrs_release(&hit);
	ok = ok && !ft__pyfunc_blame(ft__pyfunc_ran_changed(ft_pyfiles_get(&c->funcs, path), v, NULL,
							    &hit),
				     why, v->names ? " changed or can see a changed name, and the test "
						   : " changed, and the test ", FT__PYFUNC_TEST_RAN, "");
	ft_pystrs_release(&hit);
	/* What the test's own processes ran is unknown: only an edit that
	 * changes no fingerprint at all (comments, layout) spares it. */
	if (ok && ft_pystrs_has(&c->own, path) && (v->changed.n > 0 || v->names)) {
		ft__pyfunc_blame(&v->changed, why, " changed, and the test's own processes used "
		      "the file other than by running it (a subprocess, or its lines read as "
		      "data, as a traceback's: not recorded by function)", FT__PYFUNC_NONE, "");
		ft__pyfunc_say_names(why, v->names, "the test's own processes used the file other "
			  "than by running it (a subprocess, or its lines read as data, as a "
			  "traceback's: not recorded by function)");
		ok = 0;
	}
	if (ok && v->changed.n > 0)
		ft__pyfunc_blame(&v->changed, why, " changed, not ", FT__PYFUNC_RUN, " by the test");
	else if (ok)
		ft__pyfunc_say(why, "no fingerprint changed (comments or layout only)");
	return ok;
}
