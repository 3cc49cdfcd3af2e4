/*
 * ft_store_share_py.c - the Python tables in and out of a bundle (format
 * version 2): see ft_store_share.h and ft_store_share_int.h.
 *
 * What function granularity reads goes along: pyfunc_tests and
 * pyfunc_lazy rows of each test's current run, pyfunc_runs of the runs
 * exported, pyfunc_fps (keyed by content value, so valid for the same
 * bytes anywhere) and pyconf_views (likewise).  Their JSON names files by
 * absolute path: the top becomes FT_BUNDLE_TOP_TOKEN and back, as in
 * runs.meta_json.  pyfunc_fpcache stays: its rows are keyed by stat data
 * (device, inode, ctime) and this boot's id, which mean nothing on
 * another machine; the importer's first `affected` fingerprints again.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_bundle.h"
#include "ft_error.h"
#include "ft_record.h"
#include "ft_state.h"
#include "ft_store_int.h"
#include "ft_store_py.h"
#include "ft_store_share_int.h"
#include "ft_vec.h"

static char *swap(const char *s, const char *from, const char *to)
{
	return s ? ft_bundle_json_swap(s, from, to) : NULL;
}

static int col_swap(sqlite3_stmt *q, int col, const char *jtop, char **out)
{
	const char *s = (const char *)sqlite3_column_text(q, col);

	*out = NULL;
	if (!s)
		return 0;
	return (*out = ft_bundle_json_swap(s, jtop, FT_BUNDLE_TOP_TOKEN)) ? 0 : -ENOMEM;
}

static int done(struct ft_store *st, sqlite3_stmt *q, int rc)
{
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	return rc < 0 ? rc : ft__store_fail(st, rc);
}

static int by_name(const void *key, const void *item)
{
	return strcmp(key, ((const struct ft_bundle_test *)item)->name);
}

int ft__store_export_py(struct ft_store *st, struct ft_bundle *b, const char *jtop,
			const int64_t *rid, ft__intern_fn intern, void *arg)
{
	sqlite3_stmt *q;
	int rc;

	if (!ft_store_has_table(st, "pyfunc_tests"))
		return 0; /* a version-1 file never recorded by function */
	if ((rc = ft__store_prepare(st, &q, "SELECT prelude FROM pyfunc_runs WHERE run_id = ?")) < 0)
		return rc;
	for (size_t i = 0; i < b->nruns; i++) {
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, rid[i]);
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW)
			rc = col_swap(q, 0, jtop, &b->runs[i].py_prelude);
		else if (rc != SQLITE_DONE)
			return done(st, q, rc);
		if (rc < 0)
			return done(st, q, rc);
	}
	sqlite3_finalize(q);
	/* the rows of each test's current run only: any other is stale */
	if ((rc = ft__store_prepare(st, &q, "SELECT f.name, f.complete, f.funcs, f.own, l.files"
				    " FROM pyfunc_tests f JOIN tests t ON t.name = f.name AND"
				    " t.run_id = f.run_id LEFT JOIN pyfunc_lazy l ON l.name = f.name"
				    " AND l.run_id = f.run_id")) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_bundle_test *t = bsearch(sqlite3_column_text(q, 0), b->tests, b->ntests,
						   sizeof(*t), by_name);
		if (!t || t->py_funcs)
			continue;
		t->py_complete = (uint8_t)sqlite3_column_int(q, 1);
		if ((rc = col_swap(q, 2, jtop, &t->py_funcs)) < 0 ||
		    (rc = col_swap(q, 3, jtop, &t->py_own)) < 0 ||
		    (rc = col_swap(q, 4, jtop, &t->py_lazy)) < 0)
			return done(st, q, rc);
		if (!t->py_funcs || !t->py_own) {
			/* NOT NULL columns: a row without is no row */
			free(t->py_funcs);
			free(t->py_own);
			free(t->py_lazy);
			t->py_funcs = t->py_own = t->py_lazy = NULL;
			t->py_complete = 0;
		}
	}
	if ((rc = done(st, q, rc)) < 0)
		return rc;
	if ((rc = ft__store_prepare(st, &q, "SELECT path, value, skeleton, bodies, prelude, names"
				    " FROM pyfunc_fps")) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_bundle_pyfps *f = ft_vec_grow(b->pyfps, &b->cpyfps, b->npyfps, sizeof(*f), 64);
		const char *p = sqlite3_column_blob(q, 0);
		int n = sqlite3_column_bytes(q, 0);
		if (!f)
			return done(st, q, -ENOMEM);
		b->pyfps = f;
		f = &b->pyfps[b->npyfps];
		memset(f, 0, sizeof(*f));
		if (!p || p[0] != '/' || !sqlite3_column_text(q, 2) || !sqlite3_column_text(q, 3) ||
		    !sqlite3_column_text(q, 4))
			continue;
		b->npyfps++;
		f->value = (uint64_t)sqlite3_column_int64(q, 1);
		if ((rc = intern(arg, p, (size_t)n, &f->path)) < 0 ||
		    (rc = col_swap(q, 2, jtop, &f->skeleton)) < 0 ||
		    (rc = col_swap(q, 3, jtop, &f->bodies)) < 0 ||
		    (rc = col_swap(q, 4, jtop, &f->prelude)) < 0 ||
		    (rc = col_swap(q, 5, jtop, &f->names)) < 0)
			return done(st, q, rc);
	}
	if ((rc = done(st, q, rc)) < 0)
		return rc;
	if ((rc = ft__store_prepare(st, &q, "SELECT path, value, view FROM pyconf_views")) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_bundle_pyconf *v = ft_vec_grow(b->pyconf, &b->cpyconf, b->npyconf,
							 sizeof(*v), 16);
		const char *p = sqlite3_column_blob(q, 0);
		int n = sqlite3_column_bytes(q, 0);
		if (!v)
			return done(st, q, -ENOMEM);
		b->pyconf = v;
		v = &b->pyconf[b->npyconf];
		memset(v, 0, sizeof(*v));
		if (!p || p[0] != '/' || sqlite3_column_type(q, 2) != SQLITE_TEXT)
			continue;
		b->npyconf++;
		v->value = (uint64_t)sqlite3_column_int64(q, 1);
		if ((rc = intern(arg, p, (size_t)n, &v->path)) < 0 ||
		    (rc = col_swap(q, 2, jtop, &v->view)) < 0)
			return done(st, q, rc);
	}
	return done(st, q, rc);
}

/* --- import ----------------------------------------------------------- */

int ft__store_import_py_run(struct ft_store *st, const struct ft_bundle_run *r, int64_t run_id,
			    const char *jtop)
{
	char *pre;
	int rc;

	if (!r->py_prelude)
		return 0;
	if (!(pre = swap(r->py_prelude, FT_BUNDLE_TOP_TOKEN, jtop)))
		return -ENOMEM;
	rc = ft_store_pyfunc_run_put(st, run_id, pre);
	free(pre);
	return rc;
}

int ft__store_import_py_test(struct ft_store *st, const struct ft_bundle_test *t, int64_t run_id,
			     const char *jtop)
{
	char *funcs = NULL, *own = NULL, *lazy = NULL;
	int rc = 0;

	if (!t->py_funcs)
		return 0; /* selected by file: a stale local row stays stale (its run_id) */
	if (!(funcs = swap(t->py_funcs, FT_BUNDLE_TOP_TOKEN, jtop)) ||
	    !(own = swap(t->py_own, FT_BUNDLE_TOP_TOKEN, jtop)) ||
	    (t->py_lazy && !(lazy = swap(t->py_lazy, FT_BUNDLE_TOP_TOKEN, jtop)))) {
		rc = -ENOMEM;
		goto out;
	}
	if ((rc = ft_store_pyfunc_test_put(st, t->name, run_id, t->py_complete, funcs, own)) == 0 &&
	    lazy)
		rc = ft_store_pyfunc_lazy_put(st, t->name, run_id, lazy);
out:
	free(funcs);
	free(own);
	free(lazy);
	return rc;
}

/* One pyfunc_fps row: a version this database has keeps its fingerprints
 * (the same bytes) and gains the bundle's prelude qualnames, as a second
 * local run's would. */
static int one_fps(struct ft_store *st, const struct ft_bundle_pyfps *f, const char *path,
		   const char *jtop)
{
	char *sk = swap(f->skeleton, FT_BUNDLE_TOP_TOKEN, jtop);
	char *bo = swap(f->bodies, FT_BUNDLE_TOP_TOKEN, jtop);
	char *pre = swap(f->prelude, FT_BUNDLE_TOP_TOKEN, jtop);
	char *na = swap(f->names, FT_BUNDLE_TOP_TOKEN, jtop), *old = NULL, *u = NULL;
	int rc;

	if (!sk || !bo || !pre || (f->names && !na)) {
		rc = -ENOMEM;
		goto out;
	}
	if ((rc = ft_store_pyfunc_fps_prelude(st, path, f->value, &old)) < 0)
		goto out;
	if (rc == 1 && old) {
		if ((rc = ft_bundle_json_union(old, pre, &u)) == FT_ECORRUPT) {
			snprintf(st->errmsg, sizeof(st->errmsg), "the bundle has a fingerprint "
				 "whose prelude is not a JSON array of names (%s)", path);
			goto out;
		}
		if (rc < 0)
			goto out;
		rc = ft_store_pyfunc_fps_union(st, path, f->value, u);
	} else {
		rc = ft_store_pyfunc_fps_put(st, path, f->value, sk, bo, pre, na);
	}
out:
	free(sk);
	free(bo);
	free(pre);
	free(na);
	free(old);
	free(u);
	return rc;
}

int ft__store_import_py_rows(struct ft_store *st, const struct ft_bundle *b, const char *top,
			     const char *jtop)
{
	char *path = malloc(PATH_MAX), *view = NULL;
	int rc = 0;

	if (!path)
		return -ENOMEM;
	for (size_t i = 0; i < b->npyfps && rc == 0; i++) {
		if ((rc = ft_bundle_path_abs(b, b->pyfps[i].path, top, path, PATH_MAX)) >= 0)
			rc = one_fps(st, &b->pyfps[i], path, jtop);
	}
	for (size_t i = 0; i < b->npyconf && rc == 0; i++) {
		const struct ft_bundle_pyconf *v = &b->pyconf[i];
		if ((rc = ft_bundle_path_abs(b, v->path, top, path, PATH_MAX)) < 0)
			break;
		/* a view of the same bytes here stays (it is pytest's view of them) */
		if ((rc = ft_store_pyconf_view(st, path, v->value, &view)) == 0) {
			char *s = swap(v->view, FT_BUNDLE_TOP_TOKEN, jtop);
			rc = s ? ft_store_pyconf_put(st, path, v->value, s) : -ENOMEM;
			free(s);
		} else if (rc == 1) {
			rc = 0;
		}
		free(view);
		view = NULL;
	}
	/* rows of versions no state has, and of tests no longer here, as a
	 * function-granularity run drops them */
	if (rc == 0 && (b->npyfps || b->npyconf) &&
	    (rc = ft_store_pyfunc_gc(st, FT_DEP_FILE)) == 0)
		rc = ft_store_pyconf_gc(st, ft_dep_code(FT_DEP_FILE, FT_READER_CONFIG));
	free(path);
	return rc < 0 ? rc : 0;
}
