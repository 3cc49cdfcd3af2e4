/*
 * ft_pyfunc_rec.c - fold the pytest plugin's function data into the store
 * (python/ft_pyfunc.h has the tables; docs/python-functions.md the rules).
 *
 * Why the fingerprints are keyed by content value and not by path: test A
 * records f.py at version 1; f.py changes; only test B is run again and
 * records version 2.  Fingerprints keyed by path would now describe version
 * 2, and an edit that leaves version 2's skeleton alone could drop A,
 * whose version-1 skeleton may well differ.  Keyed by value, A finds the
 * fingerprints of what A saw, or nothing (and stays selected).
 *
 * Why size and CRC-32: the plugin parses a file at session end and ingest
 * hashes it later; an edit in between must not attach the old fingerprints
 * to the new value.  The bytes hashed here are the bytes whose CRC-32 and
 * size must match the plugin's.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "ft_adapter.h"
#include "ft_collect.h"
#include "ft_error.h"
#include "ft_file.h"
#include "ft_pyfunc.h"
#include "ft_pymodel.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_carry.h"
#include "ft_store_py.h"
#include "ft_vec.h"

/* The qualnames the prelude ran in `file`, as a JSON array (sorted, unique
 * through the object used as a set). */
static cJSON *prelude_of(cJSON *prelude, const char *file, cJSON *merge_with)
{
	cJSON *set = cJSON_CreateObject(), *k, *out = cJSON_CreateArray();

	cJSON_ArrayForEach(k, prelude) {
		cJSON *f = cJSON_GetArrayItem(k, 0), *q = cJSON_GetArrayItem(k, 1);
		if (cJSON_IsString(f) && cJSON_IsString(q) && !strcmp(f->valuestring, file) &&
		    !cJSON_GetObjectItemCaseSensitive(set, q->valuestring))
			cJSON_AddTrueToObject(set, q->valuestring);
	}
	cJSON_ArrayForEach(k, merge_with) {
		if (cJSON_IsString(k) && !cJSON_GetObjectItemCaseSensitive(set, k->valuestring))
			cJSON_AddTrueToObject(set, k->valuestring);
	}
	cJSON_ArrayForEach(k, set)
		cJSON_AddItemToArray(out, cJSON_CreateString(k->string));
	cJSON_Delete(set);
	return out;
}

static int put_fps(struct ft_store *st, const char *file, cJSON *fp, cJSON *prelude)
{
	cJSON *skel = cJSON_GetObjectItem(fp, "skeleton"), *bodies = cJSON_GetObjectItem(fp, "bodies");
	cJSON *size = cJSON_GetObjectItem(fp, "size"), *crc = cJSON_GetObjectItem(fp, "crc32");
	cJSON *names = cJSON_GetObjectItem(fp, "names");
	cJSON *old = NULL, *pre;
	char *buf, *otext = NULL, *btext = NULL, *ptext = NULL, *ntext = NULL;
	size_t len;
	mode_t mode;
	uint64_t value;
	int rc = 0;

	if (!cJSON_IsString(skel) || !cJSON_IsObject(bodies) || !cJSON_IsNumber(size) ||
	    !cJSON_IsNumber(crc))
		return 0;
	if (!(buf = ft_file_read(file, O_NOFOLLOW, &len, &mode)))
		return 0;
	if ((double)len != size->valuedouble || (double)ft_pyfunc_crc32(buf, len) != crc->valuedouble) {
		free(buf);
		return 0;  /* another version than the one parsed: no fingerprints */
	}
	value = XXH3_64bits_withSeed(buf, len, ft_state_file_seed(mode));
	free(buf);

	if ((rc = ft_store_pyfunc_fps_prelude(st, file, value, &otext)) < 0)
		return rc;
	old = otext ? cJSON_Parse(otext) : NULL;
	free(otext);
	rc = 0;
	pre = prelude_of(prelude, file, old);
	cJSON_Delete(old);
	btext = cJSON_PrintUnformatted(bodies);
	ptext = cJSON_PrintUnformatted(pre);
	cJSON_Delete(pre);
	if (cJSON_IsObject(names) && !(ntext = cJSON_PrintUnformatted(names))) {
		rc = -ENOMEM;
		goto out;
	}
	if (!btext || !ptext) {
		rc = -ENOMEM;
		goto out;
	}
	rc = ft_store_pyfunc_fps_put(st, file, value, skel->valuestring, btext, ptext, ntext);
out:
	free(btext);
	free(ptext);
	free(ntext);
	return rc;
}

/* The fingerprinted .py files (a .pyc counts for its source) that the
 * context of test `id` touched itself, as a JSON array: in any way if a
 * program was exec'd in the context (a subprocess with a valid .pyc in a
 * PYTHONPYCACHEPREFIX only stats the source), else only by reading one.
 * Without an exec every access comes from the test's own process (or a
 * fork of it, which runs code already loaded), whose Python code the
 * function recorder sees: a stat there runs and reads nothing.  (pytest
 * itself stats each test's own module in the test's context; until
 * this rule every test module was "own" for each of its tests, and any
 * edit of it kept them all.)  A file that was not fingerprinted has no
 * pyfunc_fps row, and any change of it keeps the test anyway. */
static cJSON *own_files(const struct ft_collect *c, const char *id, cJSON *fps)
{
	cJSON *set = cJSON_CreateObject(), *out = cJSON_CreateArray(), *k;
	uint32_t ctx;

	if (ft_map_get(&c->ctx_ids, id, strlen(id), &ctx)) {
		for (size_t i = 0; i < c->nacc; i++) {
			const struct ft_acc *a = &c->acc[i];
			char src[4096];
			size_t plen;
			const char *p;
			if (a->ctx != ctx || (!c->ctx[ctx].execed && !(a->want & FT_WANT_CONTENT)))
				continue;
			p = ft_map_key(&c->paths, a->path, &plen);
			if (plen > 3 && !strcmp(p + plen - 3, ".py"))
				snprintf(src, sizeof(src), "%s", p);
			else if (plen > 4 && !strcmp(p + plen - 4, ".pyc") &&
				 ft_pyfunc_pyc_source(p, src, sizeof(src)) == 0)
				;
			else
				continue;
			if (cJSON_GetObjectItemCaseSensitive(fps, src) &&
			    !cJSON_GetObjectItemCaseSensitive(set, src))
				cJSON_AddTrueToObject(set, src);
		}
	}
	cJSON_ArrayForEach(k, set)
		cJSON_AddItemToArray(out, cJSON_CreateString(k->string));
	cJSON_Delete(set);
	return out;
}

/* {file: [qualnames]} over every phase of one test, and of the `nmore`
 * tests whose phases are `more` (what they ran is the test's too). */
static cJSON *ran_by(cJSON *phases, cJSON *const *more, size_t nmore)
{
	cJSON *out = cJSON_CreateObject(), *ph, *k;

	for (size_t m = 0; m <= nmore; m++) {
		cJSON *of = m ? more[m - 1] : phases;
		cJSON_ArrayForEach(ph, of) {
			cJSON_ArrayForEach(k, ph) {
				cJSON *f = cJSON_GetArrayItem(k, 0), *q = cJSON_GetArrayItem(k, 1), *arr, *e;
				int seen = 0;
				if (!cJSON_IsString(f) || !cJSON_IsString(q))
					continue;
				arr = cJSON_GetObjectItemCaseSensitive(out, f->valuestring);
				if (!arr)
					arr = cJSON_AddArrayToObject(out, f->valuestring);
				cJSON_ArrayForEach(e, arr)
					seen |= !strcmp(e->valuestring, q->valuestring);
				if (!seen)
					cJSON_AddItemToArray(arr, cJSON_CreateString(q->valuestring));
			}
		}
	}
	return out;
}

static int put_test(struct ft_store *st, const char *id, int64_t run_id, int complete, cJSON *phases,
		    cJSON *const *more, size_t nmore, const struct ft_collect *c, cJSON *fps)
{
	cJSON *funcs = ran_by(phases, more, nmore), *own = own_files(c, id, fps);
	char *ftext = cJSON_PrintUnformatted(funcs), *otext = cJSON_PrintUnformatted(own);
	int rc;

	cJSON_Delete(funcs);
	cJSON_Delete(own);
	if (!ftext || !otext)
		rc = -ENOMEM;
	else
		rc = ft_store_pyfunc_test_put(st, id, run_id, complete, ftext, otext);
	free(ftext);
	free(otext);
	return rc;
}

/* Add the prelude keys of one session to `all` ({file: {qualname: true}}):
 * every session (xdist worker) of the run, for every test of the run. */
static void add_prelude(cJSON *all, cJSON *prelude)
{
	cJSON *k;

	cJSON_ArrayForEach(k, prelude) {
		cJSON *f = cJSON_GetArrayItem(k, 0), *q = cJSON_GetArrayItem(k, 1), *set;
		if (!cJSON_IsString(f) || !cJSON_IsString(q))
			continue;
		set = cJSON_GetObjectItemCaseSensitive(all, f->valuestring);
		if (!set)
			set = cJSON_AddObjectToObject(all, f->valuestring);
		if (!cJSON_GetObjectItemCaseSensitive(set, q->valuestring))
			cJSON_AddTrueToObject(set, q->valuestring);
	}
}

/* Mark in `all` (as add_prelude makes it) the fingerprinted .py files
 * whose bytes a prelude read outside an import window (ft_acc.data_read:
 * not the import system, but a reader that may use them as data, such as
 * hypothesis collecting literals, or a test module reading a source at
 * collection), with FT_PYKEY_S_DATA: selection then keeps every test for
 * any change of the file (docs/python-functions.md, "Sources read as
 * data").  Not for a read after the last record of every test of the run
 * (one without a time counts as before).  0 or -ENOMEM. */
static int add_data_reads(cJSON *all, const struct ft_collect *c, cJSON **docs, int ndocs)
{
	/* A read after every test's last record (a warnings summary showing a
	 * source line, a coverage report) reached no test. */
	uint64_t end = ft_collect_tests_end(c);
	uint32_t pre;

	if (!ft_map_get(&c->ctx_ids, "", 0, &pre))
		return 0;
	for (size_t i = 0; i < c->nacc; i++) {
		const struct ft_acc *a = &c->acc[i];
		const char *p;
		size_t plen;
		cJSON *set;
		int fp = 0;
		if (a->ctx != pre || !ft_acc_read_as_data(a, end))
			continue;
		p = ft_map_key(&c->paths, a->path, &plen);
		if (plen < 4 || strcmp(p + plen - 3, ".py"))
			continue;
		for (int d = 0; d < ndocs && !fp; d++)
			fp = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(docs[d], "fingerprints"), p) != NULL;
		if (!fp)
			continue;
		if (!(set = cJSON_GetObjectItemCaseSensitive(all, p)) && !(set = cJSON_AddObjectToObject(all, p)))
			return -ENOMEM;
		if (!cJSON_GetObjectItemCaseSensitive(set, FT_PYKEY_S_DATA) &&
		    !cJSON_AddTrueToObject(set, FT_PYKEY_S_DATA))
			return -ENOMEM;
	}
	return 0;
}

struct carried {
	int64_t *runs;
	size_t n, cap;
};

static int carried_run(void *arg, int64_t from_run, const char *test, const char *file,
		       const char *runner, int64_t set_id)
{
	struct carried *c = arg;
	int64_t *v;

	(void)test;
	(void)file;
	(void)set_id;
	if (strcmp(runner, "pytest"))
		return 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->runs[i] == from_run)
			return 0;
	if (!(v = ft_vec_grow(c->runs, &c->cap, c->n, sizeof(*v), 4)))
		return -ENOMEM;
	c->runs = v;
	c->runs[c->n++] = from_run;
	return 0;
}

/* Add to `all` what ran outside any test in the earlier runs whose leaky
 * tests' shares ingest carried to this run's tests (ft_store_carry.h): a
 * leaky test shares the code it ran through its run's prelude, and that
 * code stays every later test's while the leaky test is not recorded
 * again (its tests here ran in no session with it).  Called after ingest
 * wrote this run's tests, so a test it recorded again is no longer of the
 * earlier run.  An earlier prelude that cannot be read adds nothing: the
 * carried sets still select by file. */
static int add_carried(struct ft_store *st, int64_t run_id, cJSON *all)
{
	struct carried c = { 0 };
	struct ft_store_pyfunc *r = NULL;
	int rc = ft_store_carry_each(st, run_id, carried_run, &c);

	if (rc >= 0 && c.n && (rc = ft_store_pyfunc_open(st, &r)) >= 0) {
		for (size_t i = 0; rc >= 0 && i < c.n; i++) {
			char *text = NULL;
			cJSON *pre, *f, *k;
			if ((rc = ft_store_pyfunc_run_prelude(r, c.runs[i], &text)) <= 0) {
				free(text);
				continue;
			}
			rc = 0;
			pre = cJSON_Parse(text);
			free(text);
			if (!cJSON_IsObject(pre)) {
				cJSON_Delete(pre);
				continue;
			}
			cJSON_ArrayForEach(f, pre) {
				cJSON *set;
				if (!f->string || !cJSON_IsArray(f))
					continue;
				set = cJSON_GetObjectItemCaseSensitive(all, f->string);
				if (!set && !(set = cJSON_AddObjectToObject(all, f->string))) {
					rc = -ENOMEM;
					break;
				}
				cJSON_ArrayForEach(k, f)
					if (cJSON_IsString(k) &&
					    !cJSON_GetObjectItemCaseSensitive(set, k->valuestring))
						cJSON_AddTrueToObject(set, k->valuestring);
			}
			cJSON_Delete(pre);
		}
		ft_store_pyfunc_close(r);
	}
	free(c.runs);
	return rc;
}

static int put_run(struct ft_store *st, int64_t run_id, cJSON *all)
{
	cJSON *out = cJSON_CreateObject(), *f, *q;
	char *text;
	int rc;

	if (!out)
		return -ENOMEM;
	cJSON_ArrayForEach(f, all) {
		cJSON *arr = cJSON_AddArrayToObject(out, f->string);
		cJSON_ArrayForEach(q, f)
			cJSON_AddItemToArray(arr, cJSON_CreateString(q->string));
	}
	text = cJSON_PrintUnformatted(out);
	cJSON_Delete(out);
	rc = text ? ft_store_pyfunc_run_put(st, run_id, text) : -ENOMEM;
	free(text);
	return rc;
}

/* The .py files test `id`'s module reaches only through lazy imports the
 * test never ran (the plugin's "lazy_only"; docs/python-functions.md). */
static int put_lazy(struct ft_store *st, const char *id, int64_t run_id, cJSON *files)
{
	char *text = cJSON_PrintUnformatted(files);
	int rc = text ? ft_store_pyfunc_lazy_put(st, id, run_id, text) : -ENOMEM;

	free(text);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The test ids of the plugin's "whole" (tests never narrowed: a
 * hypothesis test drawing data from every local module's constants; none
 * before the plugin wrote it), sorted into a new array of pointers into
 * `arr` (*n = 0 and NULL if none).  0; -EINVAL if it is no array of
 * strings (then no test of the session may be narrowed); -ENOMEM. */
static int whole_ids(const cJSON *arr, const char ***out, size_t *n)
{
	const cJSON *e;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr))
		return -EINVAL;
	if (!cJSON_GetArraySize(arr))
		return 0;
	if (!(*out = calloc((size_t)cJSON_GetArraySize(arr), sizeof(**out))))
		return -ENOMEM;
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsString(e)) {
			free(*out);
			*out = NULL;
			return -EINVAL;
		}
		(*out)[k++] = e->valuestring;
	}
	qsort(*out, k, sizeof(**out), cmp_str);
	*n = k;
	return 0;
}

/* The leaky tests of a side file's "functions" whose change was in
 * environment variables only ("leak_env"), in `tests`: 1 for each that
 * ft_adapter_env_scope scoped (in *scoped, *nscoped of them: its code goes
 * to its users), 0 for each that it did not (its code is every test's:
 * add_env_wide).  -ENOMEM. */
static int env_scoped(const struct ft_adapter *ad, cJSON *fn, cJSON ***scoped, size_t *nscoped)
{
	cJSON *envt = cJSON_GetObjectItem(cJSON_GetObjectItem(fn, "leak_env"), "tests");
	cJSON *tests = cJSON_GetObjectItem(fn, "tests"), *it;

	*scoped = NULL;
	*nscoped = 0;
	if (!cJSON_IsObject(envt) || !cJSON_GetArraySize(envt))
		return 0;
	if (!(*scoped = calloc((size_t)cJSON_GetArraySize(envt), sizeof(**scoped))))
		return -ENOMEM;
	cJSON_ArrayForEach(it, envt) {
		cJSON *own = cJSON_GetObjectItemCaseSensitive(tests, it->string);
		if (own && ft_adapter_leaky_scoped(ad, it->string, strlen(it->string)))
			(*scoped)[(*nscoped)++] = own;
	}
	return 0;
}

/* What each leaky test of `fn`'s "leak_env" that is not scoped ran: the
 * prelude's (every test's), into `all` as add_prelude makes it. */
static void add_env_wide(cJSON *all, const struct ft_adapter *ad, cJSON *fn)
{
	cJSON *envt = cJSON_GetObjectItem(cJSON_GetObjectItem(fn, "leak_env"), "tests");
	cJSON *tests = cJSON_GetObjectItem(fn, "tests"), *it, *ph;

	if (!cJSON_IsObject(envt))
		return;
	cJSON_ArrayForEach(it, envt) {
		if (ft_adapter_leaky_scoped(ad, it->string, strlen(it->string)))
			continue;
		cJSON_ArrayForEach(ph, cJSON_GetObjectItemCaseSensitive(tests, it->string))
			add_prelude(all, ph);
	}
}

static int record_doc(struct ft_store *st, cJSON *doc, int64_t run_id, const struct ft_collect *c,
		      const struct ft_adapter *ad)
{
	cJSON *fn = cJSON_GetObjectItem(doc, "functions"), *fps = cJSON_GetObjectItem(doc, "fingerprints");
	cJSON *prelude = cJSON_GetObjectItem(fn, "prelude"), *tests = cJSON_GetObjectItem(fn, "tests"), *it;
	const char **whole = NULL;
	cJSON **scoped = NULL, **more = NULL;
	size_t nwhole = 0, nscoped = 0;
	int complete, rc = 0;

	if (!cJSON_IsObject(tests) || !cJSON_IsArray(prelude) || !cJSON_IsObject(fps))
		return 0;
	complete = cJSON_IsTrue(cJSON_GetObjectItem(fn, "complete")) &&
		   !cJSON_IsTrue(cJSON_GetObjectItem(doc, "broken"));
	/* A plugin that records docstring reads says so ("docs"); a row
	 * without them would miss every test that read a docstring. */
	if (complete)
		complete = cJSON_IsTrue(cJSON_GetObjectItem(fn, "docs")) ? FT_PYFUNC_COMPLETE
									 : FT_PYFUNC_COMPLETE_NODOCS;
	cJSON_ArrayForEach(it, fps) {
		if (cJSON_IsObject(it) && it->string[0] == '/' && (rc = put_fps(st, it->string, it, prelude)) < 0)
			return rc;
	}
	if ((rc = whole_ids(cJSON_GetObjectItem(fn, "whole"), &whole, &nwhole)) == -EINVAL)
		complete = 0;   /* which tests are whole is unknown: narrow none */
	else if (rc < 0)
		return rc;
	if ((rc = env_scoped(ad, fn, &scoped, &nscoped)) < 0) {
		free(whole);
		return rc;
	}
	if (nscoped && !(more = calloc(nscoped, sizeof(*more))))
		rc = -ENOMEM;
	cJSON_ArrayForEach(it, tests) {
		if (rc < 0)
			break;
		const char *key = it->string;
		int w = complete && nwhole && bsearch(&key, whole, nwhole, sizeof(*whole), cmp_str);
		size_t nmore = 0, klen = strlen(key);
		/* what the scoped tests whose variables it read ran */
		for (size_t k = 0; k < nscoped; k++) {
			if (scoped[k] != it && ft_adapter_leaky_user(ad, scoped[k]->string,
								     strlen(scoped[k]->string), key, klen))
				more[nmore++] = scoped[k];
		}
		if (cJSON_IsObject(it) &&
		    (rc = put_test(st, it->string, run_id, w ? FT_PYFUNC_WHOLE : complete, it,
				   more, nmore, c, fps)) < 0)
			break;
	}
	free(more);
	free(scoped);
	free(whole);
	if (rc < 0)
		return rc;
	/* A row counts only with its run's id: an older row is stale as soon
	 * as the test is recorded again, with or without one. */
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(fn, "lazy_only")) {
		if (cJSON_IsArray(it) && cJSON_GetObjectItemCaseSensitive(tests, it->string) &&
		    (rc = put_lazy(st, it->string, run_id, it)) < 0)
			return rc;
	}
	return 0;
}

/* Does side file `doc` come from a session that has no complete function
 * data (file granularity, or function granularity given up), whose split
 * prelude the closures alone decide?  Not a broken one: ingest gives its
 * tests the whole prelude. */
static int file_doc(cJSON *doc)
{
	cJSON *fn = cJSON_GetObjectItem(doc, "functions");

	return !cJSON_IsTrue(cJSON_GetObjectItem(doc, "broken")) &&
	       cJSON_IsArray(cJSON_GetObjectItem(doc, "project_files")) &&
	       !(cJSON_IsObject(fn) && cJSON_IsTrue(cJSON_GetObjectItem(fn, "complete")));
}

/* A session without complete function data (file_doc): its fingerprints
 * (by content value, as at function granularity, with no code run), and
 * in `all` each project .py file it loaded, with FT_PYKEY_S_FILE: for
 * selection's import-time rule (python/pyfunc_widen.c), which widens to
 * the session's suite an edit that makes such a file's top level act.
 * 0 or -ENOMEM. */
static int record_file_doc(struct ft_store *st, cJSON *doc, cJSON *all)
{
	cJSON *fps = cJSON_GetObjectItem(doc, "fingerprints"), *it, *set;
	int rc;

	if (!cJSON_IsObject(cJSON_GetObjectItem(doc, "functions")))
		cJSON_ArrayForEach(it, fps) {
			if (cJSON_IsObject(it) && it->string[0] == '/' &&
			    (rc = put_fps(st, it->string, it, NULL)) < 0)
				return rc;
		}
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(doc, "project_files")) {
		size_t n;
		if (!cJSON_IsString(it) || it->valuestring[0] != '/' ||
		    (n = strlen(it->valuestring)) < 4 || strcmp(it->valuestring + n - 3, ".py"))
			continue;
		if (!(set = cJSON_GetObjectItemCaseSensitive(all, it->valuestring)) &&
		    !(set = cJSON_AddObjectToObject(all, it->valuestring)))
			return -ENOMEM;
		if (!cJSON_GetObjectItemCaseSensitive(set, FT_PYKEY_S_FILE) &&
		    !cJSON_AddTrueToObject(set, FT_PYKEY_S_FILE))
			return -ENOMEM;
	}
	return 0;
}

/* The sessions without function data of a run (file_doc): their record
 * alone, in one transaction. */
static int record_file_docs(struct ft_store *st, cJSON **fdocs, int nf, int64_t run_id)
{
	cJSON *all = cJSON_CreateObject();
	int rc;

	if (!all)
		return -ENOMEM;
	if ((rc = ft_store_write_begin(st)) < 0) {
		cJSON_Delete(all);
		return rc;
	}
	for (int i = 0; rc >= 0 && i < nf; i++)
		rc = record_file_doc(st, fdocs[i], all);
	if (rc >= 0)
		rc = put_run(st, run_id, all);
	if (rc >= 0)
		rc = ft_store_pyfunc_gc(st, FT_DEP_FILE);
	cJSON_Delete(all);
	if (rc >= 0)
		return ft_store_write_commit(st);
	ft_store_write_rollback(st);
	return rc;
}

static int record(struct ft_store *st, const char *run_dir, int64_t started_ns,
		  const char *command, int *sessions)
{
	struct ft_collect c = FT_COLLECT_INIT;
	struct ft_adapter ad = FT_ADAPTER_INIT;
	struct dirent **names = NULL;
	cJSON **roots = NULL, **docs = NULL, **fdocs = NULL;
	int n, ndocs = 0, nf = 0, rc = 0;
	int64_t run_id = 0;

	n = scandir(run_dir, &names, ft_adapter_side_file, alphasort);
	if (n <= 0)
		return 0;
	*sessions = n;
	roots = calloc((size_t)n, sizeof(*roots));
	docs = calloc((size_t)n, sizeof(*docs));
	fdocs = calloc((size_t)n, sizeof(*fdocs));
	for (int i = 0; roots && docs && fdocs && i < n; i++) {
		roots[i] = ft_adapter_read_doc(run_dir, names[i]->d_name);
		if (roots[i] && cJSON_IsObject(cJSON_GetObjectItem(roots[i], "functions")))
			docs[ndocs++] = roots[i];
		if (roots[i] && file_doc(roots[i]))
			fdocs[nf++] = roots[i];
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (!docs || !roots || !fdocs) {
		rc = -ENOMEM;
		goto out;
	}
	if (!ndocs && !nf)
		goto out;
	if (!ndocs) {
		/* by file only: neither the records again nor the leaky lists */
		if ((rc = ft_store_run_find(st, started_ns, command, &run_id)) == 0)
			rc = record_file_docs(st, fdocs, nf, run_id);
		rc = rc < 0 ? rc : 0;
		goto out;
	}
	/* which leaky tests' code goes to some tests only: as ingest decided */
	if ((rc = ft_adapter_load_leaky(&ad, roots, n)) < 0)
		goto out;
	if ((rc = ft_store_run_find(st, started_ns, command, &run_id)) != 0) {
		rc = rc < 0 ? rc : 0;
		goto out;
	}
	/* Which project files each test's own processes touched: the records
	 * again, as ingest read them (a subprocess running project code is
	 * invisible to the in-process recorder). */
	if ((rc = ft_collect_run(&c, run_dir)) < 0 || (rc = ft_adapter_env_scope(&ad, &c)) < 0)
		goto out;
	if ((rc = ft_store_write_begin(st)) < 0)
		goto out;
	for (int i = 0; rc >= 0 && i < ndocs; i++)
		rc = record_doc(st, docs[i], run_id, &c, &ad);
	for (int i = 0; rc >= 0 && i < ndocs; i++) {
		cJSON *exe = cJSON_GetObjectItem(cJSON_GetObjectItem(docs[i], "functions"), "executable");
		if (cJSON_IsString(exe) && exe->valuestring[0] == '/') {
			rc = ft_store_meta_set(st, FT_PYFUNC_META_PYTHON, exe->valuestring);
			break;
		}
	}
	if (rc >= 0) {
		cJSON *all = cJSON_CreateObject();
		for (int i = 0; all && i < ndocs; i++) {
			cJSON *fn = cJSON_GetObjectItem(docs[i], "functions");
			add_prelude(all, cJSON_GetObjectItem(fn, "prelude"));
			add_env_wide(all, &ad, fn);
		}
		for (int i = 0; all && rc >= 0 && i < nf; i++)
			rc = record_file_doc(st, fdocs[i], all);
		if (rc >= 0)
			rc = all ? add_data_reads(all, &c, docs, ndocs) : -ENOMEM;
		if (rc >= 0)
			rc = add_carried(st, run_id, all);
		if (rc >= 0)
			rc = put_run(st, run_id, all);
		cJSON_Delete(all);
	}
	/* Versions no test references any more. */
	if (rc >= 0)
		rc = ft_store_pyfunc_gc(st, FT_DEP_FILE);
	if (rc >= 0)
		rc = ft_store_write_commit(st);
	if (rc < 0)
		ft_store_write_rollback(st);
out:
	ft_collect_release(&c);
	ft_adapter_release(&ad);
	for (int i = 0; roots && i < n; i++)
		cJSON_Delete(roots[i]);
	free(roots);
	free(docs);
	free(fdocs);
	return rc;
}

/* The run's record of what its sessions loaded, lost (record() failed):
 * a row that no reader can parse, which selection takes for "any file":
 * every changed .py file then widens the run's suite
 * (python/pyfunc_widen.c), and none of its tests is judged by function. */
static int record_lost(struct ft_store *st, int64_t started_ns, const char *command)
{
	int64_t run_id;
	int rc;

	if ((rc = ft_store_run_find(st, started_ns, command, &run_id)) != 0)
		return rc < 0 ? rc : 0;
	if ((rc = ft_store_write_begin(st)) < 0)
		return rc;
	if ((rc = ft_store_pyfunc_run_put(st, run_id, "null")) >= 0)
		return ft_store_write_commit(st);
	ft_store_write_rollback(st);
	return rc;
}

int ft_pyfunc_record(struct ft_store *st, const char *run_dir, int64_t started_ns,
		     const char *command)
{
	int sessions = 0, rc = record(st, run_dir, started_ns, command, &sessions);

	if (rc < 0 && sessions)
		(void)record_lost(st, started_ns, command);
	return rc;
}
