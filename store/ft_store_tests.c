/*
 * ft_store_tests.c - see ft_store_tests.h.
 */
#include <errno.h>

#include "ft_error.h"
#include "ft_store_int.h"
#include "ft_store_tests.h"

int ft__store_read_err(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return FT_ECORRUPT;
	case SQLITE_NOMEM:
		return -ENOMEM;
	default:
		return FT_EDB;
	}
}

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

	if ((rc = ft__store_read_prepare(st, &q, "SELECT id, name, file, runner, outcome, untraced"
					 " FROM tests ORDER BY id")) < 0)
		return rc;
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_store_test t = {
			.id = sqlite3_column_int64(q, 0),
			.name = (const char *)sqlite3_column_text(q, 1),
			.file = (const char *)sqlite3_column_text(q, 2),
			.runner = (const char *)sqlite3_column_text(q, 3),
			.outcome = sqlite3_column_int(q, 4),
			.untraced = sqlite3_column_int(q, 5),
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

int ft_store_runs_meta_each(struct ft_store *st, int (*fn)(void *arg, const char *json), void *arg)
{
	sqlite3_stmt *q;
	int rc, r = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT meta_json FROM runs WHERE meta_json IS NOT NULL AND"
			       " id IN (SELECT run_id FROM tests) ORDER BY id DESC", -1, &q, NULL) != SQLITE_OK)
		return FT_EDB;
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *json = (const char *)sqlite3_column_text(q, 0);
		if (json)
			r = fn(arg, json);
	}
	sqlite3_finalize(q);
	if (r)
		return r;
	return rc == SQLITE_DONE ? 0 : rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB ? FT_ECORRUPT : FT_EDB;
}
