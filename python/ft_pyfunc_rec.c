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
#include <sqlite3.h>
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
#include "ft_state.h"
#include "ft_store.h"

static const char pyfunc_schema[] =
	"CREATE TABLE IF NOT EXISTS pyfunc_fps(path BLOB NOT NULL, value INTEGER NOT NULL,"
	"  skeleton TEXT NOT NULL, bodies TEXT NOT NULL, prelude TEXT NOT NULL, names TEXT,"
	"  PRIMARY KEY(path, value)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS pyfunc_tests(name TEXT PRIMARY KEY, run_id INTEGER NOT NULL,"
	"  complete INTEGER NOT NULL, funcs TEXT NOT NULL, own TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS pyfunc_runs(run_id INTEGER PRIMARY KEY, prelude TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS pyfunc_lazy(name TEXT PRIMARY KEY, run_id INTEGER NOT NULL,"
	"  files TEXT NOT NULL);";

_Static_assert(FT_DEP_FILE == 1, "the DELETE below spells FT_DEP_FILE as 1");

static int exec_sql(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : FT_EDB;
}

/* pyfunc_fps.names came later: a table made before has none (its rows
 * stay NULL, which narrows nothing). */
static int add_names_column(sqlite3 *db)
{
	sqlite3_stmt *q;

	if (sqlite3_prepare_v2(db, "SELECT names FROM pyfunc_fps LIMIT 0", -1, &q, NULL) == SQLITE_OK) {
		sqlite3_finalize(q);
		return 0;
	}
	return exec_sql(db, "ALTER TABLE pyfunc_fps ADD COLUMN names TEXT");
}

static int find_run(sqlite3 *db, int64_t started_ns, const char *command, int64_t *run_id)
{
	sqlite3_stmt *q;
	int n = 0, rc;

	if (sqlite3_prepare_v2(db, "SELECT id FROM runs WHERE started_ns = ?1 AND command IS ?2",
			       -1, &q, NULL) != SQLITE_OK)
		return FT_EDB;
	sqlite3_bind_int64(q, 1, started_ns);
	sqlite3_bind_text(q, 2, command, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*run_id = sqlite3_column_int64(q, 0);
		n++;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return FT_EDB;
	return n == 1 ? 0 : 1;  /* none or ambiguous: record nothing */
}

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

static int put_fps(sqlite3 *db, const char *file, cJSON *fp, cJSON *prelude)
{
	cJSON *skel = cJSON_GetObjectItem(fp, "skeleton"), *bodies = cJSON_GetObjectItem(fp, "bodies");
	cJSON *size = cJSON_GetObjectItem(fp, "size"), *crc = cJSON_GetObjectItem(fp, "crc32");
	cJSON *names = cJSON_GetObjectItem(fp, "names");
	cJSON *old = NULL, *pre;
	sqlite3_stmt *q;
	char *buf, *btext = NULL, *ptext = NULL, *ntext = NULL;
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

	if (sqlite3_prepare_v2(db, "SELECT prelude FROM pyfunc_fps WHERE path = ?1 AND value = ?2",
			       -1, &q, NULL) != SQLITE_OK)
		return FT_EDB;
	sqlite3_bind_blob(q, 1, file, (int)strlen(file), SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (int64_t)value);
	if (sqlite3_step(q) == SQLITE_ROW)
		old = cJSON_Parse((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
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
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO pyfunc_fps(path, value, skeleton, bodies,"
			       " prelude, names) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &q,
			       NULL) != SQLITE_OK) {
		rc = FT_EDB;
		goto out;
	}
	sqlite3_bind_blob(q, 1, file, (int)strlen(file), SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (int64_t)value);
	sqlite3_bind_text(q, 3, skel->valuestring, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, btext, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, ptext, -1, SQLITE_STATIC);
	if (ntext)
		sqlite3_bind_text(q, 6, ntext, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = FT_EDB;
	sqlite3_finalize(q);
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

/* {file: [qualnames]} over every phase of one test. */
static cJSON *ran_by(cJSON *phases)
{
	cJSON *out = cJSON_CreateObject(), *ph, *k;

	cJSON_ArrayForEach(ph, phases) {
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
	return out;
}

static int put_test(sqlite3 *db, const char *id, int64_t run_id, int complete, cJSON *phases,
		    const struct ft_collect *c, cJSON *fps)
{
	cJSON *funcs = ran_by(phases), *own = own_files(c, id, fps);
	char *ftext = cJSON_PrintUnformatted(funcs), *otext = cJSON_PrintUnformatted(own);
	sqlite3_stmt *q;
	int rc = 0;

	cJSON_Delete(funcs);
	cJSON_Delete(own);
	if (!ftext || !otext) {
		rc = -ENOMEM;
	} else if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO pyfunc_tests(name, run_id, complete,"
				      " funcs, own) VALUES (?1, ?2, ?3, ?4, ?5)", -1, &q, NULL) != SQLITE_OK) {
		rc = FT_EDB;
	} else {
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, run_id);
		sqlite3_bind_int(q, 3, complete);
		sqlite3_bind_text(q, 4, ftext, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, otext, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = FT_EDB;
		sqlite3_finalize(q);
	}
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

/* Run `sql`, an insert of (name, run_id, json) or, with name NULL, of
 * (run_id, json), with `json` as compact text. */
static int put_json(sqlite3 *db, const char *sql, const char *name, int64_t run_id, cJSON *json)
{
	char *text = cJSON_PrintUnformatted(json);
	sqlite3_stmt *st;
	int rc = 0, k = name != NULL;

	if (!text)
		return -ENOMEM;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(text);
		return FT_EDB;
	}
	if (name)
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, k + 1, run_id);
	sqlite3_bind_text(st, k + 2, text, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = FT_EDB;
	sqlite3_finalize(st);
	free(text);
	return rc;
}

static int put_run(sqlite3 *db, int64_t run_id, cJSON *all)
{
	cJSON *out = cJSON_CreateObject(), *f, *q;
	int rc;

	if (!out)
		return -ENOMEM;
	cJSON_ArrayForEach(f, all) {
		cJSON *arr = cJSON_AddArrayToObject(out, f->string);
		cJSON_ArrayForEach(q, f)
			cJSON_AddItemToArray(arr, cJSON_CreateString(q->string));
	}
	rc = put_json(db, "INSERT OR REPLACE INTO pyfunc_runs(run_id, prelude) VALUES (?1, ?2)", NULL,
		      run_id, out);
	cJSON_Delete(out);
	return rc;
}

/* The .py files test `id`'s module reaches only through lazy imports the
 * test never ran (the plugin's "lazy_only"; docs/python-functions.md). */
static int put_lazy(sqlite3 *db, const char *id, int64_t run_id, cJSON *files)
{
	return put_json(db, "INSERT OR REPLACE INTO pyfunc_lazy(name, run_id, files) VALUES (?1, ?2, ?3)",
			id, run_id, files);
}

static int record_doc(sqlite3 *db, cJSON *doc, int64_t run_id, const struct ft_collect *c)
{
	cJSON *fn = cJSON_GetObjectItem(doc, "functions"), *fps = cJSON_GetObjectItem(doc, "fingerprints");
	cJSON *prelude = cJSON_GetObjectItem(fn, "prelude"), *tests = cJSON_GetObjectItem(fn, "tests"), *it;
	int complete, rc;

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
		if (cJSON_IsObject(it) && it->string[0] == '/' && (rc = put_fps(db, it->string, it, prelude)) < 0)
			return rc;
	}
	cJSON_ArrayForEach(it, tests) {
		if (cJSON_IsObject(it) && (rc = put_test(db, it->string, run_id, complete, it, c, fps)) < 0)
			return rc;
	}
	/* A row counts only with its run's id: an older row is stale as soon
	 * as the test is recorded again, with or without one. */
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(fn, "lazy_only")) {
		if (cJSON_IsArray(it) && cJSON_GetObjectItemCaseSensitive(tests, it->string) &&
		    (rc = put_lazy(db, it->string, run_id, it)) < 0)
			return rc;
	}
	return 0;
}

int ft_pyfunc_record(struct ft_store *st, const char *run_dir, int64_t started_ns,
		     const char *command)
{
	struct ft_collect c = FT_COLLECT_INIT;
	struct dirent **names = NULL;
	cJSON **docs = NULL;
	sqlite3 *db = ft_store_db(st);
	int n, ndocs = 0, rc = 0;
	int64_t run_id = 0;

	n = scandir(run_dir, &names, ft_adapter_side_file, alphasort);
	if (n <= 0)
		return 0;
	docs = calloc((size_t)n, sizeof(*docs));
	for (int i = 0; docs && i < n; i++) {
		cJSON *doc = ft_adapter_read_doc(run_dir, names[i]->d_name);
		if (doc && cJSON_IsObject(cJSON_GetObjectItem(doc, "functions")))
			docs[ndocs++] = doc;
		else
			cJSON_Delete(doc);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (!docs)
		return -ENOMEM;
	if (!ndocs)
		goto out;
	if ((rc = find_run(db, started_ns, command, &run_id)) != 0) {
		rc = rc < 0 ? rc : 0;
		goto out;
	}
	/* Which project files each test's own processes touched: the records
	 * again, as ingest read them (a subprocess running project code is
	 * invisible to the in-process recorder). */
	if ((rc = ft_collect_run(&c, run_dir)) < 0)
		goto out;
	if ((rc = exec_sql(db, "BEGIN IMMEDIATE")) < 0)
		goto out;
	rc = exec_sql(db, pyfunc_schema);
	if (rc >= 0)
		rc = add_names_column(db);
	for (int i = 0; rc >= 0 && i < ndocs; i++)
		rc = record_doc(db, docs[i], run_id, &c);
	for (int i = 0; rc >= 0 && i < ndocs; i++) {
		cJSON *exe = cJSON_GetObjectItem(cJSON_GetObjectItem(docs[i], "functions"), "executable");
		if (cJSON_IsString(exe) && exe->valuestring[0] == '/') {
			rc = ft_store_meta_set(st, FT_PYFUNC_META_PYTHON, exe->valuestring);
			break;
		}
	}
	if (rc >= 0) {
		cJSON *all = cJSON_CreateObject();
		for (int i = 0; i < ndocs; i++)
			add_prelude(all, cJSON_GetObjectItem(cJSON_GetObjectItem(docs[i], "functions"), "prelude"));
		rc = put_run(db, run_id, all);
		cJSON_Delete(all);
	}
	/* Versions no test references any more. */
	if (rc >= 0)
		rc = exec_sql(db, "DELETE FROM pyfunc_fps WHERE NOT EXISTS (SELECT 1 FROM states s"
			      " JOIN paths p ON p.id = s.path_id WHERE p.path = pyfunc_fps.path"
			      " AND s.kind = 1 AND s.value = pyfunc_fps.value);"
			      "DELETE FROM pyfunc_tests WHERE name NOT IN (SELECT name FROM tests);"
			      "DELETE FROM pyfunc_lazy WHERE run_id NOT IN (SELECT t.run_id FROM tests t"
			      " WHERE t.name = pyfunc_lazy.name);"
			      "DELETE FROM pyfunc_runs WHERE run_id NOT IN (SELECT run_id FROM pyfunc_tests);");
	if (rc >= 0)
		rc = exec_sql(db, "COMMIT");
	if (rc < 0)
		exec_sql(db, "ROLLBACK");
out:
	ft_collect_release(&c);
	for (int i = 0; i < ndocs; i++)
		cJSON_Delete(docs[i]);
	free(docs);
	return rc;
}
