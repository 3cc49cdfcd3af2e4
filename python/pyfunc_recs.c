/*
 * pyfunc_recs.c - the recordings the function filter reads from the store
 * (ft_pyfunc_int.h; the tables are in ft_pyfunc.h): which tests are
 * candidates and what they ran, the content value each test saw of a
 * file, and the run preludes.  Anything unreadable or of the wrong shape
 * makes no candidate (the test keeps its file-granularity selection).
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_json.h"
#include "ft_pyfunc_int.h"
#include "ft_pyfunc_names.h"
#include "ft_state.h"
#include "ft_store_py.h"
#include "ft_vec.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && !strcmp(s + n - m, suffix);
}

void ft__pyfunc_ctx_release(struct ctx *x)
{
	ft__pyfunc_widen_release(x);
	free(x->ran_path);
	ft_store_pyfunc_close(x->r);
	ft__pyfunc_fresh_release(x);
	for (size_t i = 0; i < x->nsp; i++) {
		for (size_t k = 0; k < x->sp[i].n; k++)
			free(x->sp[i].v[k].name);
		free(x->sp[i].v);
		free(x->sp[i].vals);
		free(x->sp[i].path);
	}
	free(x->sp);
	for (size_t i = 0; i < x->nv; i++) {
		free(x->v[i].path);
		free(x->v[i].why);
		ft_pyfp_release(&x->v[i].obodies);
		ft_pystrs_release(&x->v[i].changed);
		cJSON_Delete(x->v[i].names);
		cJSON_Delete(x->v[i].wraps);
		cJSON_Delete(x->v[i].marks);
		cJSON_Delete(x->v[i].classes);
		cJSON_Delete(x->v[i].tnow);
		cJSON_Delete(x->v[i].tgone);
		ft_pystrs_release(&x->v[i].prelude);
		cJSON_Delete(x->v[i].bound);
		cJSON_Delete(x->v[i].imports);
		cJSON_Delete(x->v[i].leaves);
		cJSON_Delete(x->v[i].attrs);
	}
	free(x->v);
	for (size_t i = 0; i < x->nwide; i++) {
		free(x->wide[i].id);
		free(x->wide[i].path);
	}
	free(x->wide);
	for (size_t i = 0; i < x->nadd; i++) {
		free(x->add[i].id);
		free(x->add[i].path);
	}
	free(x->add);
	for (size_t i = 0; i < x->nr; i++) {
		if (x->run_pre[i])
			ft_pyfiles_release(x->run_pre[i]);
		free(x->run_pre[i]);
	}
	free(x->run_ids);
	free(x->run_pre);
}

const struct ft_pyfiles *ft__pyfunc_run_prelude(struct ctx *x, int64_t run_id)
{
	struct ft_pyfiles *pre;
	char *text = NULL;

	for (size_t i = 0; i < x->nr; i++)
		if (x->run_ids[i] == run_id)
			return x->run_pre[i];
	if (x->nr == x->capr) {
		size_t cap = x->capr ? x->capr * 2 : 8;
		int64_t *ids = realloc(x->run_ids, cap * sizeof(*ids));
		struct ft_pyfiles **pres;
		if (!ids)
			return NULL;
		x->run_ids = ids;
		if (!(pres = realloc(x->run_pre, cap * sizeof(*pres))))
			return NULL;
		x->run_pre = pres;
		x->capr = cap;
	}
	if ((pre = malloc(sizeof(*pre))) &&
	    (ft_store_pyfunc_run_prelude(x->r, run_id, &text) <= 0 ||
	     ft_pyfiles_parse(text, pre) < 0)) {
		free(pre);
		pre = NULL;
	}
	free(text);
	x->run_ids[x->nr] = run_id;
	x->run_pre[x->nr++] = pre;
	return pre;
}

/* The .py files whose content changes selected test `t`, as a new JSON
 * array, or NULL if anything else selected it too (or out of memory):
 * then it is no candidate.  Reads no database. */
cJSON *ft__pyfunc_reason_files(const struct ft_selected *t)
{
	cJSON *files = cJSON_CreateArray(), *pycs = cJSON_CreateArray(), *e;
	int ok = files && pycs && t->nreasons > 0 && !t->omitted;

	for (size_t k = 0; ok && k < t->nreasons; k++) {
		const struct ft_reason *r = &t->reasons[k];
		char src[4096];
		if (!r->path || r->kind != FT_DEP_FILE || r->change != FT_CHANGE_CONTENT)
			ok = 0;
		else if (ends_with(r->path, ".py")) {
			if (!ft_json_has_string(files, r->path))
				cJSON_AddItemToArray(files, cJSON_CreateString(r->path));
		} else if (ends_with(r->path, ".pyc") && ft_pyfunc_pyc_source(r->path, src, sizeof(src)) == 0)
			cJSON_AddItemToArray(pycs, cJSON_CreateString(src));
		else
			ok = 0;
	}
	/* A .pyc counts only beside its changed source: alone, it may be
	 * another interpreter's or another build's bytecode. */
	cJSON_ArrayForEach(e, pycs)
		ok = ok && ft_json_has_string(files, e->valuestring);
	cJSON_Delete(pycs);
	if (!ok) {
		cJSON_Delete(files);
		return NULL;
	}
	return files;
}

/* The test's pyfunc_lazy row of run `run_id` (the run its pyfunc_tests row
 * describes) into c->lazy, if it has one: no row, an older run's, or an
 * unreadable one, and every file counts. */
static void lazy_only(struct ctx *x, const char *test, int64_t run_id, struct cand *c)
{
	char *text = NULL;

	if (ft_store_pyfunc_lazy_get(x->r, test, run_id, &text) > 0 &&
	    ft_pystrs_parse(text, &c->lazy) == 0)
		c->has_lazy = 1;
	free(text);
}

/* Is test `t`, selected by the .py files `files` only (reason_files;
 * taken over), a candidate?  Fills c->files and c->funcs if so.  If only
 * its function recording is missing, *why says so (static text). */
int ft__pyfunc_candidate(struct ctx *x, const struct ft_selected *t, cJSON *files, struct cand *c,
			 const char **why)
{
	struct ft_store_pyfunc_test row;
	int ok = 0, found = ft_store_pyfunc_test_get(x->r, t->id, &row);

	*why = "function granularity: the test was not recorded with --granularity=function";
	if (found > 0) {
		if (!row.same_run) {
			*why = "function granularity: the test's last recording was at file granularity";
		} else if (!row.complete) {
			*why = "function granularity: the function recording of the test's session "
			       "was incomplete (another trace function, a process forked outside "
			       "any test, or a recorder error)";
		} else if (row.complete == FT_PYFUNC_WHOLE) {
			*why = "function granularity: a test kept whole, selected by file (a "
			       "hypothesis test, whose data is drawn from the constants of every "
			       "local module, or a test during which the process forked: the "
			       "child's code is not recorded by function)";
		} else if (row.complete != FT_PYFUNC_COMPLETE) {
			*why = "function granularity: the test's function recording predates "
			       "docstring reads: record it again with --granularity=function";
		} else {
			*why = NULL;
			ok = ft_pyfiles_parse(row.funcs, &c->funcs) == 0;
			ok = ft_pystrs_parse(row.own, &c->own) == 0 && ok;
			ok = (c->prelude = ft__pyfunc_run_prelude(x, row.run_id)) != NULL && ok;
			ok = ok && ft_pystrs_from_json(files, &c->files) == 0;
			if (ok && ft_store_pyfunc_has_lazy(x->r))
				lazy_only(x, t->id, row.run_id, c);
			if (ok && row.file) {
				c->file = row.file;
				row.file = NULL;
			}
		}
		ft_store_pyfunc_test_clear(&row);
	}
	cJSON_Delete(files);
	if (!ok) {
		ft__pyfunc_cand_release(c);
		return 0;
	}
	return 1;
}

void ft__pyfunc_cand_release(struct cand *c)
{
	ft_pystrs_release(&c->files);
	ft_pystrs_release(&c->own);
	ft_pyfiles_release(&c->funcs);
	ft_pystrs_release(&c->lazy);
	free(c->file);
	memset(c, 0, sizeof(*c));
}

/* One (test, value) row of a path, in name order, into sp. */
static int seen_add(void *arg, const char *name, int64_t value)
{
	struct seenpath *sp = arg;
	struct seen *nv;

	int known = 0;
	int64_t *vals;

	for (size_t i = 0; i < sp->nvals && !known; i++)
		known = sp->vals[i] == value;
	if (!known) {
		if (!(vals = ft_vec_grow(sp->vals, &sp->capvals, sp->nvals, sizeof(*sp->vals), 4)))
			return -ENOMEM;
		sp->vals = vals;
		vals[sp->nvals++] = value;
	}
	/* DISTINCT (name, value) rows in name order: a name again is
	 * another value of the same test */
	if (sp->n && !strcmp(sp->v[sp->n - 1].name, name)) {
		sp->v[sp->n - 1].n++;
		return 0;
	}
	if ((nv = ft_vec_grow(sp->v, &sp->cap, sp->n, sizeof(*sp->v), 256)))
		sp->v = nv;
	if (!nv || !(sp->v[sp->n].name = strdup(name)))
		return -ENOMEM;
	sp->v[sp->n].value = value;
	sp->v[sp->n].n = 1;
	sp->n++;
	return 0;
}

/* The values every test recorded for `path` (struct seenpath), read on the
 * first call for that path; NULL when out of memory. */
static struct seenpath *seen_load(struct ctx *x, const char *path)
{
	struct seenpath *sp;

	for (size_t i = 0; i < x->nsp; i++)
		if (!strcmp(x->sp[i].path, path))
			return &x->sp[i];
	if (!(sp = ft_vec_grow(x->sp, &x->capsp, x->nsp, sizeof(*x->sp), 8)))
		return NULL;
	x->sp = sp;
	sp = &x->sp[x->nsp];
	memset(sp, 0, sizeof(*sp));
	if (!(sp->path = strdup(path)))
		return NULL;
	x->nsp++;
	if (ft_store_pyfunc_seen(x->r, path, FT_DEP_FILE, seen_add, sp) < 0)
		sp->failed = 1;
	return sp;
}

static int seen_cmp(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const struct seen *)elem)->name);
}

/* The content value of `path` the test recorded: 0 and *value if there is
 * exactly one; 2 if it recorded none; 1 otherwise (several, or the values
 * could not be read). */
int ft__pyfunc_seen_value(struct ctx *x, const char *test, const char *path, int64_t *value)
{
	struct seenpath *sp = seen_load(x, path);
	const struct seen *s;

	if (!sp || sp->failed)
		return 1;
	s = bsearch(test, sp->v, sp->n, sizeof(*sp->v), seen_cmp);
	if (!s)
		return 2;
	if (s->n != 1)
		return 1;
	*value = s->value;
	return 0;
}

const struct seenpath *ft__pyfunc_seen_all(struct ctx *x, const char *path)
{
	const struct seenpath *sp = seen_load(x, path);

	return sp && !sp->failed ? sp : NULL;
}
