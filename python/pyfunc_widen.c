/*
 * pyfunc_widen.c - import-time code that may now act on other tests
 * (ft_pyfunc_int.h; docs/python-functions.md, "Import-time effects").
 *
 * The closures split a session's prelude by who imports what; the state
 * guard keeps that sound for the effects the recording saw.  An edit can
 * add an effect no recording saw: click's tests/test_basic.py gains
 * `click.core.Command.allow_interspersed_args = False`, and tests of other
 * modules fail, while only test_basic.py's tests hold the file.  So for
 * each changed .py file P and each session (a run with a record of what
 * its sessions loaded, pyfunc_runs, that is some test's current run; by
 * function or by file) whose record holds P, every test of that session's
 * suite (suite_of: its rootdir's, whatever run recorded the test last) is
 * added, unless the change is proven not to alter what the session's
 * code outside tests did, against every version of P a test recorded:
 *   - every module-level statement on one side only is of a plain kind,
 *     and no statement that may act mentions what they bind
 *     (ft_pyfunc_names_effects);
 *   - every project module an import added or changed needs was loaded
 *     in that session (pyfunc_imports.c);
 *   - that prelude read none of the names those statements bind, nor the
 *     namespace as a whole, and saw every read of them (not judged for a
 *     file only sessions by file loaded: file_only).
 * A function body's edit is judged here only when the fingerprint marks
 * the function as storing outside its module ("leaves", ftrace_pystate:
 * docs/python-functions.md, "Functions that write outside their module"):
 * a test that runs it may leave that state to every later test of its
 * session.  Stored only into project modules the session loaded, the
 * tests that load those modules are added (widen_readers); else the
 * suite.  Other body edits are the limit "a change that makes a test
 * start leaving state behind" (the docs), and the state guard's sharing
 * stands.  The tests added carry FT_CHANGE_SESSION, so that no rule of
 * the filter takes them out again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_json.h"
#include "ft_path.h"
#include "ft_pyfunc_int.h"
#include "ft_pyfunc_names.h"
#include "ft_store.h"
#include "ft_store_py.h"
#include "ft_vec.h"

/* Every pytest test, as the store lists them (by current run, then name),
 * with its run's rootdir and whether that run is a session (has a record
 * of what ran and loaded outside its tests). */
struct runtest {
	int64_t run;
	char *name;
	char *rootdir;           /* NULL: not recorded */
	int runnable;
	int session;
};

struct runtests {
	struct runtest *v;
	size_t n, cap;
};

static int collect(void *arg, const struct ft_store_pyfunc_suite_test *t)
{
	struct runtests *rt = arg;
	struct runtest *nv = ft_vec_grow(rt->v, &rt->cap, rt->n, sizeof(*rt->v), 64);

	if (!nv)
		return -ENOMEM;
	rt->v = nv;
	nv += rt->n;
	memset(nv, 0, sizeof(*nv));
	if (!(nv->name = strdup(t->name)) || (t->rootdir && !(nv->rootdir = strdup(t->rootdir)))) {
		free(nv->name);
		return -ENOMEM;
	}
	nv->run = t->run_id;
	nv->runnable = ft__select_runnable(t->file, "pytest");
	nv->session = t->session;
	rt->n++;
	return 0;
}

static void runtests_release(struct runtests *rt)
{
	for (size_t i = 0; i < rt->n; i++) {
		free(rt->v[i].name);
		free(rt->v[i].rootdir);
	}
	free(rt->v);
	memset(rt, 0, sizeof(*rt));
}

/* Did only sessions by file load the file (FT_PYKEY_S_FILE, and no key of
 * a session with function data)?  Then a name it binds reaches other
 * modules through their imports of it, which the closures follow: every
 * test whose module imports, directly or not, a module that reads it
 * holds the file already (docs/pytest.md, "Closures").  Only what the
 * statements do to other modules' state is left to judge. */
static int file_only(const struct ft_pystrs *keys)
{
	int file = 0;

	for (size_t i = 0; i < keys->n; i++) {
		enum ft_pykey_kind k = ft_pykey_kind(keys->v[i]);
		if (k == FT_PYKEY_FILE)
			file = 1;
		else if (k != FT_PYKEY_DATA)
			return 0;
	}
	return file;
}

/* Why the change of version `v` of a file may alter what a session whose
 * prelude is `pre` (which ran and read `keys` of the file) did outside its
 * tests, or NULL if it cannot. */
static const char *version_acts(const struct fpver *v, const struct ft_pyfiles *pre,
				const struct ft_pystrs *keys)
{
	if (v->effects)
		return v->effects_why;
	if (v->imports && ft__pyfunc_unloaded(pre, v->path, v->imports))
		return "import-time code: an import added or changed runs a project module the "
		       "session had not loaded";
	if (!v->bound || !cJSON_GetArraySize(v->bound) || file_only(keys))
		return NULL;
	if ((!ft_pystrs_has(keys, FT_PYKEY_S_SEEN) && !ft_pystrs_has(keys, FT_PYKEY_S_TMOD)) ||
	    ft_pystrs_has(keys, FT_PYKEY_S_UNSEEN))
		return "import-time code: names changed, and the session did not see every read "
		       "of the module's names";
	if ((!ft_pystrs_has(keys, FT_PYKEY_S_DUNDERS) && ft__pyfunc_a_dunder(v->bound)) ||
	    (!ft_pystrs_has(keys, FT_PYKEY_S_DUNDERS2) && ft__pyfunc_a_dunder2(v->bound)))
		return "import-time code: a dunder changed, and the session did not note reads of it";
	if (ft__pyfunc_reads_name(keys, v->bound))
		return "import-time code: names changed that code outside any test in the session "
		       "read (or it read the namespace as a whole)";
	return NULL;
}

static int seen_cmp(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const struct seen *)elem)->name);
}

/* Why the change of version `value` of `path` (now `fresh`) may alter what
 * the session did outside its tests (version_acts), or NULL; then the
 * modules its changed functions may store into (fpver.leaves) are added
 * to `targets`.  -ENOMEM in *rc. */
static const char *value_acts(struct ctx *x, const char *path, int64_t value,
			      const struct ft_pyfp *fresh, const struct ft_pyfiles *pre,
			      const struct ft_pystrs *keys, cJSON *targets, int *rc)
{
	struct fpver *v = ft__pyfunc_version(x, path, value, fresh);
	const char *why;
	cJSON *e;

	if (!v) {
		*rc = -ENOMEM;
		return NULL;
	}
	if ((why = version_acts(v, pre, keys)) != NULL)
		return why;
	cJSON_ArrayForEach(e, v->leaves)
		if (cJSON_IsString(e) && !ft_json_has_string(targets, e->valuestring) &&
		    !cJSON_AddItemToArray(targets, cJSON_CreateString(e->valuestring)))
			*rc = -ENOMEM;
	return NULL;
}

/* Why the change of `path` (now `fresh`; NULL: unreadable) may alter what
 * session `run` (tests rt, prelude `pre`, which ran and read `keys` of the
 * file) did outside its tests, or NULL if it cannot.  Judged against the
 * versions its tests recorded (all that any test recorded when one of
 * them recorded two, or none of them the file: which one its import saw
 * is not known).  Static text; when NULL, the modules that functions it
 * changed may store into are in `targets` (fpver.leaves).  -ENOMEM in
 * *rc. */
static const char *acts(struct ctx *x, const char *path, const struct ft_pyfp *fresh,
			const struct runtests *rt, int64_t run, const struct ft_pyfiles *pre,
			const struct ft_pystrs *keys, cJSON *targets, int *rc)
{
	const struct seenpath *sp = ft__pyfunc_seen_all(x, path);
	const char *why = NULL;
	int some = 0, all = 0;
	int64_t judged[8];
	size_t nj = 0;

	*rc = 0;
	if (!fresh)
		return "import-time code: the file cannot be fingerprinted now (unreadable, not "
		       "Python, or the tool failed)";
	if (!sp)
		return "import-time code: the versions the tests saw cannot be read";
	for (size_t i = 0; i < rt->n && !why && !all && *rc >= 0; i++) {
		const struct seen *t;
		if (rt->v[i].run != run ||
		    !(t = bsearch(rt->v[i].name, sp->v, sp->n, sizeof(*sp->v), seen_cmp)))
			continue;
		some = 1;
		if (t->n != 1) {
			all = 1;
			continue;
		}
		for (size_t j = 0; j < nj && t; j++)
			if (judged[j] == t->value)
				t = NULL;   /* judged already: not again for each test */
		if (!t)
			continue;
		if (nj < sizeof(judged) / sizeof(judged[0]))
			judged[nj++] = t->value;
		why = value_acts(x, path, t->value, fresh, pre, keys, targets, rc);
	}
	if (why || *rc < 0 || (some && !all))
		return *rc < 0 ? NULL : why;
	if (!sp->nvals)
		return "import-time code: no test recorded a version of the file to compare with";
	for (size_t i = 0; i < sp->nvals && !why && *rc >= 0; i++)
		why = value_acts(x, path, sp->vals[i], fresh, pre, keys, targets, rc);
	return *rc < 0 ? NULL : why;
}

/* A session: a run that is some pytest test's current run, with or
 * without a record of what its sessions loaded and ran outside tests (a
 * run without one was recorded by an ftrace older than the record, or its
 * record was lost: it may have loaded any file). */
struct session {
	int64_t run;
	int recorded;            /* it has a record (pyfunc_runs) */
	const char *rootdir;     /* its tests' (rt's string), NULL: not recorded */
	int wide;                /* a changed file widens its suite (widen_file) */
	const char *why;
};

static int sessions(const struct runtests *rt, struct session **out, size_t *n)
{
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < rt->n; i++) {
		struct session *nv;
		if (*n && (*out)[*n - 1].run == rt->v[i].run)
			continue;
		if (!(nv = ft_vec_grow(*out, &cap, *n, sizeof(**out), 4)))
			return -ENOMEM;
		*out = nv;
		nv[*n] = (struct session){ .run = rt->v[i].run, .recorded = rt->v[i].session,
					   .rootdir = rt->v[i].rootdir };
		(*n)++;
	}
	return 0;
}

static int sel_cmp(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const struct ft_selected *)elem)->id);
}

/* Does the selection keep test `id` for its own reasons (there, and not
 * dropped by the rules)?  Then its notes say why, and stay. */
static int kept(const struct ctx *x, const char *id)
{
	const struct ft_selected *t = bsearch(id, x->sel->tests, x->sel->n, sizeof(*x->sel->tests),
					      sel_cmp);

	return t && !x->drop[t - x->sel->tests];
}

/* The note of (test, path) for --explain: `why`, in place of what the
 * rules said of a test they dropped. */
static int note_set(struct ft_pyfunc_notes *notes, const char *test, const char *path,
		    const char *why)
{
	char *text = strdup(why);

	if (!text)
		return -ENOMEM;
	for (size_t i = 0; i < notes->n; i++) {
		struct ft_pyfunc_note *e = &notes->v[i];
		if (!strcmp(e->test, test) && e->path && !strcmp(e->path, path)) {
			free(e->text);
			e->text = text;
			return 0;
		}
	}
	return ft__pyfunc_note_add(notes, test, path, text);
}

/* Add test `id` whole for the change of `path` (x->wide), and unless the
 * selection keeps it for its own reasons, note `why` for --explain. */
static int add_wide(struct ctx *x, const char *id, const char *path, const char *why)
{
	struct addition *a = ft_vec_grow(x->wide, &x->capwide, x->nwide, sizeof(*x->wide), 64);

	if (!a)
		return -ENOMEM;
	x->wide = a;
	a = &x->wide[x->nwide];
	a->id = strdup(id);
	a->path = strdup(path);
	if (!a->id || !a->path) {
		free(a->id);
		free(a->path);
		return -ENOMEM;
	}
	x->nwide++;
	return x->notes && !kept(x, a->id) ? note_set(x->notes, a->id, path, why) : 0;
}

/* The wide session (of ss[0..n)) whose suite test `t` is in, or NULL.
 * Its suite: every test whose run's rootdir is its rootdir, above it or
 * below it, whatever run recorded the test last.  A run of some tests
 * (`pytest tests/test_b.py`, or a test file run again alone) records them
 * in a session without the other test modules, while a full run still
 * loads every one of them, and what one of them now does at import
 * reaches them there; without a configuration file, pytest's rootdir for
 * `pytest tests/test_b.py` is tests/, below the full run's.  A rootdir
 * that is not recorded (on either side) could be any. */
static const struct session *suite_of(const struct session *ss, size_t n, const struct runtest *t)
{
	for (size_t k = 0; k < n; k++)
		if (ss[k].wide &&
		    (!ss[k].rootdir || !t->rootdir ||
		     ft_path_under(t->rootdir, strlen(t->rootdir), ss[k].rootdir) ||
		     ft_path_under(ss[k].rootdir, strlen(ss[k].rootdir), t->rootdir)))
			return &ss[k];
	return NULL;
}

/* The first wide session of ss[0..n). */
static const struct session *first_wide(const struct session *ss, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (ss[k].wide)
			return &ss[k];
	return NULL;
}

/* Note every runnable test of the suite of a wide session for `path`,
 * and every test whose run's rootdir holds `path`: a run's rootdir is its
 * first session's, and a run of two suites (`make check` running pytest
 * in a/ and then in b/) loads b/'s modules under a's rootdir, while b/'s
 * tests recorded again alone have b/ for theirs. */
static int widen_suites(struct ctx *x, const struct runtests *rt, const struct session *ss,
			size_t n, const char *path)
{
	const struct session *any = first_wide(ss, n);
	int rc;

	for (size_t i = 0; i < rt->n; i++) {
		const struct runtest *t = &rt->v[i];
		const struct session *s;
		if (!t->runnable)
			continue;
		if (!(s = suite_of(ss, n, t)) && any && t->rootdir &&
		    ft_path_under(path, strlen(path), t->rootdir))
			s = any;
		if (s && (rc = add_wide(x, t->name, path, s->why)) < 0)
			return rc;
	}
	return 0;
}

/* Why a store into `targets` (ft_pyfunc_names_effects' "leaves" entries)
 * by a function of `path`, in a session with prelude `pre`, cannot be
 * narrowed to the tests that load those modules; or NULL, with their
 * files added to `files`.  A target is a project module the session
 * loaded: "a.b" (an import of it), or "?P.n" (`from P import n`) when
 * P.n is such a module; n may be any object of P, which may have it from
 * anywhere.  Static text; -ENOMEM in *rc. */
static const char *targets_files(const char *path, const struct ft_pyfiles *pre,
				 cJSON *targets, cJSON *files, int *rc)
{
	cJSON *e;

	cJSON_ArrayForEach(e, targets) {
		const char *t = cJSON_IsString(e) ? e->valuestring : "", *f;
		if (!(f = ft__pyfunc_module_file(pre, path, t + (*t == '?'))))
			return "a function that may store outside its module (into another "
			       "module, the environment or a started patcher) was added, removed "
			       "or changed: a test that runs it may leave that state behind for "
			       "every later test of its session";
		if (!ft_json_has_string(files, f) &&
		    !cJSON_AddItemToArray(files, cJSON_CreateString(f))) {
			*rc = -ENOMEM;
			return NULL;
		}
	}
	return NULL;
}

static int runtest_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct runtest *const *)a)->name,
		      (*(const struct runtest *const *)b)->name);
}

/* Note every runnable test that loads one of `files` (a recorded state of
 * it: its closure holds it) for `path`: the modules a changed function of
 * `path` stores into, which only those tests can read. */
static int widen_readers(struct ctx *x, struct runtests *rt, const struct runtest ***byname,
			 cJSON *files, const char *path)
{
	static const char why[] =
		"a function that stores into a project module was added, removed or changed: "
		"every test that loads that module, which a test that runs it may leave changed";
	cJSON *f;
	int rc;

	if (!*byname) {
		if (!(*byname = calloc(rt->n ? rt->n : 1, sizeof(**byname))))
			return -ENOMEM;
		for (size_t i = 0; i < rt->n; i++)
			(*byname)[i] = &rt->v[i];
		qsort(*byname, rt->n, sizeof(**byname), runtest_cmp);
	}
	cJSON_ArrayForEach(f, files) {
		const struct seenpath *sp = ft__pyfunc_seen_all(x, f->valuestring);
		if (!sp)
			return -ENOMEM;
		for (size_t i = 0; i < sp->n; i++) {
			struct runtest key = { .name = sp->v[i].name }, *kp = &key;
			const struct runtest **hit = bsearch(&kp, *byname, rt->n, sizeof(**byname),
							     runtest_cmp);
			if (hit && (*hit)->runnable && (rc = add_wide(x, sp->v[i].name, path, why)) < 0)
				return rc;
		}
	}
	return 0;
}

/* The sessions and their tests, loaded once per filter. */
struct widen_state {
	struct runtests rt;
	const struct runtest **byname;   /* rt by name (widen_readers), or NULL */
	struct session *ss;
	size_t nss;
	int any;                 /* some record holds a changed file (or cannot
				  * be read): the tool's fingerprints are needed */
	int bare;                /* some session has no record */
};

void ft__pyfunc_widen_release(struct ctx *x)
{
	if (!x->ws)
		return;
	runtests_release(&x->ws->rt);
	free(x->ws->byname);
	free(x->ws->ss);
	free(x->ws);
	x->ws = NULL;
}

int ft__pyfunc_widen_wanted(struct ctx *x)
{
	struct widen_state *w;
	cJSON *e;
	int rc;

	if (x->ws)
		return x->ws->any || x->ws->bare;
	if (!cJSON_GetArraySize(x->files))
		return 0;
	if (!x->r && ((rc = ft_store_read_begin_unless(x->st, &x->in_txn)) < 0 ||
		      (rc = ft_store_pyfunc_open(x->st, &x->r)) < 0))
		return rc;
	if (!(w = x->ws = calloc(1, sizeof(*w))))
		return -ENOMEM;
	if ((rc = ft_store_pyfunc_suite_tests(x->r, collect, &w->rt)) < 0 ||
	    (rc = sessions(&w->rt, &w->ss, &w->nss)) < 0)
		return rc;
	/* a new test module is judged for every session whose rootdir holds
	 * it: no record holds it */
	w->any = cJSON_GetArraySize(x->newfiles) > 0 && w->nss > 0;
	for (size_t k = 0; k < w->nss && !w->any; k++) {
		const struct ft_pyfiles *pre;
		if (!w->ss[k].recorded) {
			w->bare = 1;  /* widened below, whatever changed */
			continue;
		}
		if (!(pre = ft__pyfunc_run_prelude(x, w->ss[k].run)))
			w->any = 1;   /* unreadable: judged (and widened) below */
		else
			cJSON_ArrayForEach(e, x->files)
				w->any = w->any || ft_pyfiles_get(pre, e->valuestring) != NULL;
	}
	return w->any || w->bare;
}

int ft__pyfunc_widen_judges(struct ctx *x)
{
	return x->ws && x->ws->any;
}

/* Why new test module `path` (now `fresh`; NULL: it cannot be
 * fingerprinted) may alter what a session that loads only modules of
 * `pre` (NULL: not known) does outside its tests, or NULL.  pytest imports
 * it at collection, before any test runs: every statement is new.  Static
 * text; -ENOMEM in *rc. */
static const char *new_acts(const char *path, const struct ft_pyfp *fresh,
			    const struct ft_pyfiles *pre, int *rc)
{
	cJSON *empty = cJSON_CreateObject(), *imports = cJSON_CreateArray();
	const char *why = NULL;
	int r;

	*rc = 0;
	if (!empty || !imports || !cJSON_AddArrayToObject(empty, "stmts")) {
		*rc = -ENOMEM;
	} else if (!fresh) {
		why = "import-time code: a new test module, which pytest imports at collection, cannot "
		      "be fingerprinted now";
	} else if ((r = ft_pyfunc_names_effects(empty, fresh->names, NULL, imports, NULL,
						&why)) < 0) {
		*rc = r;
		why = NULL;
	} else if (r == 0) {
		why = !pre ? (cJSON_GetArraySize(imports)
				      ? "import-time code: a new test module imports modules, and what "
					"the session loaded is not known"
				      : NULL)
		      : ft__pyfunc_unloaded(pre, path, imports)
			? "import-time code: a new test module imports a project module the session "
			  "had not loaded"
			: NULL;
	}
	cJSON_Delete(empty);
	cJSON_Delete(imports);
	return why;
}

/* The new test modules: for each session whose rootdir holds one (or is
 * not recorded), judged as a module all of whose statements are new. */
static int widen_new(struct ctx *x, struct widen_state *w)
{
	cJSON *e;
	int rc = 0;

	cJSON_ArrayForEach(e, x->newfiles) {
		const char *path = e->valuestring;
		const struct ft_pyfp *fresh = ft__pyfunc_fresh(x, path);
		int any = 0;
		for (size_t k = 0; k < w->nss && rc >= 0; k++) {
			struct session *s = &w->ss[k];
			s->wide = 0;
			if (s->rootdir && !ft_path_under(path, strlen(path), s->rootdir))
				continue;
			s->why = new_acts(path, fresh,
					  s->recorded ? ft__pyfunc_run_prelude(x, s->run) : NULL, &rc);
			any |= s->wide = s->why != NULL;
		}
		if (rc >= 0 && any)
			rc = widen_suites(x, &w->rt, w->ss, w->nss, path);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int ft__pyfunc_widen(struct ctx *x)
{
	struct widen_state *w;
	cJSON *e;
	int rc;

	if ((rc = ft__pyfunc_widen_wanted(x)) <= 0)
		return rc;
	w = x->ws;
	cJSON_ArrayForEach(e, x->files) {
		const char *path = e->valuestring;
		const struct ft_pyfp *fresh = ft__pyfunc_fresh(x, path);
		cJSON *files = cJSON_CreateArray();
		int any = 0;
		if (!files)
			return -ENOMEM;
		if (ft_json_has_string(x->newfiles, path)) {
			cJSON_Delete(files);
			continue;   /* a new test module: widen_new */
		}
		for (size_t k = 0; k < w->nss && rc >= 0; k++) {
			struct session *s = &w->ss[k];
			const struct ft_pyfiles *pre = s->recorded ? ft__pyfunc_run_prelude(x, s->run)
								   : NULL;
			const struct ft_pystrs *keys = pre ? ft_pyfiles_get(pre, path) : NULL;
			cJSON *targets;
			s->wide = 0;
			if (pre && !keys)
				continue;   /* the session did not load it */
			if (!(targets = cJSON_CreateArray())) {
				rc = -ENOMEM;
				break;
			}
			s->why = !s->recorded
				 ? "import-time code: the session has no record of what it loaded (recorded "
				   "by an older ftrace, or the record was lost); recorded again, it is judged"
				 : !pre ? "import-time code: the session's record of what ran outside its "
					  "tests cannot be read"
				 : acts(x, path, fresh, &w->rt, s->run, pre, keys, targets, &rc);
			if (!s->why && rc >= 0 && cJSON_GetArraySize(targets))
				s->why = targets_files(path, pre, targets, files, &rc);
			cJSON_Delete(targets);
			any |= s->wide = s->why != NULL;
		}
		if (rc >= 0 && any)
			rc = widen_suites(x, &w->rt, w->ss, w->nss, path);
		if (rc >= 0 && cJSON_GetArraySize(files))
			rc = widen_readers(x, &w->rt, &w->byname, files, path);
		cJSON_Delete(files);
		if (rc < 0)
			return rc;
	}
	return widen_new(x, w);
}
