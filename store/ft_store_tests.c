/*
 * ft_store_tests.c - the tests and runs tables: the reads of
 * ft_store_tests.h, and ft_store.h's ft_store_tests_forget and
 * ft_store_tests_others (a run's view of the tests a runner has).
 */
#include <errno.h>
#include <stdlib.h>

#include "ft_error.h"
#include "ft_store_int.h"
#include "ft_store_runmeta.h"
#include "ft_store_tests.h"

int ft__store_read_prepare(struct ft_store *st, sqlite3_stmt **q, const char *sql)
{
	*q = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, q, NULL) != SQLITE_OK)
		return ft__store_read_err(sqlite3_errcode(st->db));
	return 0;
}

int ft_store_tests_each(struct ft_store *st, int (*fn)(void *arg, const struct ft_store_test *t),
			void *arg)
{
	sqlite3_stmt *q;
	int rc, r = 0;

	if ((rc = ft__store_read_prepare(st, &q, "SELECT id, name, file, runner, outcome, untraced,"
					 " run_id FROM tests ORDER BY id")) < 0)
		return rc;
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_store_test t = {
			.id = sqlite3_column_int64(q, 0),
			.name = (const char *)sqlite3_column_text(q, 1),
			.file = (const char *)sqlite3_column_text(q, 2),
			.runner = (const char *)sqlite3_column_text(q, 3),
			.outcome = sqlite3_column_int(q, 4),
			.untraced = sqlite3_column_int(q, 5),
			.run_id = sqlite3_column_int64(q, 6),
		};
		/* a NULL name is a failed conversion: NOT NULL in the schema */
		r = t.name ? fn(arg, &t) : -ENOMEM;
	}
	sqlite3_finalize(q);
	if (r)
		return r;
	return rc == SQLITE_DONE ? 0 : ft__store_read_err(rc);
}

int ft_store_tests_with_file(struct ft_store *st, const char *runner,
			     int (*fn)(void *arg, const char *name, const char *file), void *arg)
{
	sqlite3_stmt *q;
	int rc, r = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT name, file FROM tests WHERE runner = ?1 AND"
			       " file IS NOT NULL ORDER BY file", -1, &q, NULL) != SQLITE_OK)
		return FT_EDB;
	sqlite3_bind_text(q, 1, runner, -1, SQLITE_STATIC);
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		const char *file = (const char *)sqlite3_column_text(q, 1);
		if (name && file)
			r = fn(arg, name, file);
	}
	sqlite3_finalize(q);
	if (r)
		return r;
	return rc == SQLITE_DONE ? 0 : FT_EDB;
}

int ft_store_tests_imported_each(struct ft_store *st,
				 int (*fn)(void *arg, const char *name, const char *machine),
				 void *arg)
{
	sqlite3_stmt *q;
	int rc, r = 0;

	/* From version 6 the mark is a run_strings row; a text that could not
	 * be converted keeps it in meta_json, as versions before 6 do.
	 * json_valid first: json_extract raises an error on malformed text. */
	if (sqlite3_prepare_v2(st->db, st->version >= 6
		? "SELECT t.name, s.value FROM tests t JOIN run_strings s ON s.run_id = t.run_id"
		  " WHERE s.owner = -1 AND s.list = 'imported' UNION ALL "
		  "SELECT t.name, ifnull(json_extract(r.meta_json, '$." FT_STORE_IMPORT_KEY ".machine'),"
		  " '') FROM tests t JOIN runs r ON r.id = t.run_id WHERE CASE WHEN"
		  " json_valid(r.meta_json) THEN json_type(r.meta_json, '$." FT_STORE_IMPORT_KEY "')"
		  " = 'object' END ORDER BY 1"
		: "SELECT t.name, ifnull(json_extract(r.meta_json, '$." FT_STORE_IMPORT_KEY ".machine'),"
		  " '') FROM tests t JOIN runs r ON r.id = t.run_id WHERE CASE WHEN"
		  " json_valid(r.meta_json) THEN json_type(r.meta_json, '$." FT_STORE_IMPORT_KEY "')"
		  " = 'object' END ORDER BY 1", -1, &q, NULL) != SQLITE_OK)
		return FT_EDB;
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		const char *machine = (const char *)sqlite3_column_text(q, 1);
		if (name)
			r = fn(arg, name, machine ? machine : "");
	}
	sqlite3_finalize(q);
	if (r)
		return r;
	return rc == SQLITE_DONE ? 0 : FT_EDB;
}

int ft_store_tests_cost_each(struct ft_store *st,
			     int (*fn)(void *arg, const char *name, int64_t ns), void *arg)
{
	sqlite3_stmt *q;
	int rc, r = 0;

	if (sqlite3_prepare_v2(st->db, "WITH n AS (SELECT run_id, count(*) AS c FROM tests GROUP BY"
			       " run_id) SELECT t.name, (r.finished_ns - r.started_ns) / n.c FROM tests t"
			       " JOIN runs r ON r.id = t.run_id JOIN n ON n.run_id = t.run_id"
			       " WHERE r.finished_ns >= r.started_ns AND r.started_ns > 0", -1, &q, NULL) != SQLITE_OK)
		return FT_EDB;
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		if (name)
			r = fn(arg, name, sqlite3_column_int64(q, 1));
	}
	sqlite3_finalize(q);
	if (r)
		return r;
	return rc == SQLITE_DONE ? 0 : rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB ? FT_ECORRUPT : FT_EDB;
}

/* --- within a run (ft_store.h): the tests a runner no longer has ---------- */

int ft_store_tests_forget(struct ft_store *st, const char *runner, const char *file,
			  int (*keep)(const char *name, void *arg), void *arg, size_t *forgotten)
{
	sqlite3_stmt *q = NULL, *ds = NULL, *dt = NULL, *df = NULL;
	int64_t *gone = NULL;
	size_t n = 0, cap = 0;
	int rc, s;

	if (forgotten)
		*forgotten = 0;
	if (!st->in_run)
		return FT_EUSAGE;
	if ((rc = ft__store_prepare(st, &q, file ? "SELECT id, name FROM tests WHERE runner = ? AND file = ?"
						 : "SELECT id, name FROM tests WHERE runner = ?")) < 0)
		goto out;
	sqlite3_bind_text(q, 1, runner, -1, SQLITE_STATIC);
	if (file)
		sqlite3_bind_text(q, 2, file, -1, SQLITE_STATIC);
	while ((s = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 1);
		if (!name || keep(name, arg))
			continue;
		if (n == cap) {
			int64_t *ng = realloc(gone, (cap = cap ? cap * 2 : 16) * sizeof(*ng));
			if (!ng) {
				rc = -ENOMEM;
				goto out;
			}
			gone = ng;
		}
		gone[n++] = sqlite3_column_int64(q, 0);
	}
	if (s != SQLITE_DONE) {
		rc = ft__store_fail(st, s);
		goto out;
	}
	if (!n)
		goto out;
	/* a test that is gone is no longer flaky either (ft_store_flaky.h) */
	/* the sets it let go: for the commit's garbage collection */
	if ((rc = ft__store_prepare(st, &ds, "DELETE FROM test_sets WHERE test_id = ?"
				    " RETURNING set_id")) < 0 ||
	    (rc = ft__store_prepare(st, &df, "DELETE FROM flaky WHERE name ="
				    " (SELECT name FROM tests WHERE id = ?)")) < 0 ||
	    (rc = ft__store_prepare(st, &dt, "DELETE FROM tests WHERE id = ? RETURNING id, name,"
				    " runner, file, outcome, untraced, run_id")) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(ds);
		sqlite3_reset(df);
		sqlite3_reset(dt);
		sqlite3_bind_int64(ds, 1, gone[i]);
		sqlite3_bind_int64(df, 1, gone[i]);
		sqlite3_bind_int64(dt, 1, gone[i]);
		while ((s = sqlite3_step(ds)) == SQLITE_ROW) {
			ft__store_gc_note_set(st, sqlite3_column_int64(ds, 0));
			ft__store_digest_ref(st, sqlite3_column_int64(ds, 0), gone[i], -1);
		}
		if (s == SQLITE_DONE && (s = sqlite3_step(df)) == SQLITE_DONE)
			while ((s = sqlite3_step(dt)) == SQLITE_ROW)
				ft__store_digest_row(st, dt, -1);
		if (s != SQLITE_DONE) {
			rc = ft__store_fail(st, s);
			goto out;
		}
	}
	if (forgotten)
		*forgotten = n;
out:
	sqlite3_finalize(q);
	sqlite3_finalize(ds);
	sqlite3_finalize(df);
	sqlite3_finalize(dt);
	free(gone);
	return rc;
}

int ft_store_tests_others(struct ft_store *st, const char *runner, int64_t run_id,
			  int (*each)(const char *name, void *arg), void *arg)
{
	sqlite3_stmt *q = NULL;
	int rc, s;

	if ((rc = ft__store_prepare(st, &q, "SELECT name FROM tests WHERE runner = ?"
					     " AND (run_id IS NULL OR run_id != ?) ORDER BY name")) < 0)
		return rc;
	sqlite3_bind_text(q, 1, runner, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, run_id);
	while ((s = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		if (name && (rc = each(name, arg)) != 0)
			break;
	}
	if (rc == 0 && s != SQLITE_DONE)
		rc = ft__store_fail(st, s);
	sqlite3_finalize(q);
	return rc;
}
