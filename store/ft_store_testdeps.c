/*
 * ft_store_testdeps.c - one test's recorded dependencies, the newest run,
 * and a snapshot of the database: what `ftrace verify` compares a fresh
 * recording against (ft_store_tests.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "ft_error.h"
#include "ft_store_int.h"
#include "ft_store_tests.h"

int ft_store_runs_last(struct ft_store *st, const char *command, const char *cwd, int64_t *out)
{
	sqlite3_stmt *q;
	int rc;

	*out = 0;
	if ((rc = ft__store_read_prepare(st, &q, "SELECT max(id) FROM runs WHERE (?1 IS NULL OR"
					 " command = ?1) AND (?2 IS NULL OR cwd = ?2)")) < 0)
		return rc;
	sqlite3_bind_text(q, 1, command, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, cwd, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		*out = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ft__store_read_err(rc);
}

int ft_store_test_deps_each(struct ft_store *st, const char *name,
			    int (*fn)(void *arg, const char *path, size_t len, int kind,
				      uint64_t value), void *arg)
{
	sqlite3_stmt *q;
	int rc, r = 0;

	if ((rc = ft__store_read_prepare(st, &q,
			"SELECT p.path, s.kind, s.value FROM tests t"
			" JOIN test_sets ts ON ts.test_id = t.id"
			" JOIN depset_states ds ON ds.set_id = ts.set_id"
			" JOIN states s ON s.id = ds.state_id"
			" JOIN paths p ON p.id = s.path_id"
			" WHERE t.name = ?1 ORDER BY p.path, s.kind, s.value")) < 0)
		return rc;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *path = sqlite3_column_blob(q, 0);
		size_t len = (size_t)sqlite3_column_bytes(q, 0);

		r = fn(arg, path ? path : "", len, ft__store_kind(st, sqlite3_column_int(q, 1)),
		       (uint64_t)sqlite3_column_int64(q, 2));
	}
	sqlite3_finalize(q);
	if (r)
		return r;
	return rc == SQLITE_DONE ? 0 : ft__store_read_err(rc);
}

int ft_store_snapshot(struct ft_store *st, const char *path)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(st->db, "VACUUM INTO ?1", -1, &q, NULL) != SQLITE_OK)
		return FT_EDB;
	sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : FT_EDB;
}
