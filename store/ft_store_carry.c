/*
 * ft_store_carry.c - the run_shares table (see ft_store_carry.h).
 */
#include <sqlite3.h>

#include "ft_error.h"
#include "ft_store_carry.h"
#include "ft_store_int.h"

#define CARRY_TABLE "CREATE TABLE IF NOT EXISTS run_shares(run_id INTEGER NOT NULL," \
	" test TEXT NOT NULL, runner TEXT NOT NULL, set_id INTEGER NOT NULL," \
	" PRIMARY KEY(run_id, test, set_id)) WITHOUT ROWID"

int ft_store_carry_put(struct ft_store *st, int64_t run_id, const char *test, const char *runner,
		       int64_t set_id)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_exec(st->db, CARRY_TABLE, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db, "INSERT OR IGNORE INTO run_shares(run_id, test, runner, set_id)"
			       " VALUES (?1, ?2, ?3, ?4)", -1, &q, NULL) != SQLITE_OK)
		return FT_EDB;
	sqlite3_bind_int64(q, 1, run_id);
	sqlite3_bind_text(q, 2, test, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, runner ? runner : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, set_id);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : FT_EDB;
	sqlite3_finalize(q);
	return rc;
}

int ft_store_carry_each(struct ft_store *st, int64_t run_id,
			int (*fn)(void *arg, int64_t from_run, const char *test, const char *file,
				  const char *runner, int64_t set_id),
			void *arg)
{
	sqlite3_stmt *q;
	int rc = 0, step = SQLITE_DONE;

	if (!ft_store_has_table(st, "run_shares"))
		return 0;
	if (sqlite3_prepare_v2(st->db, "SELECT s.run_id, s.test, s.runner, s.set_id, t.file FROM run_shares s"
			       " JOIN tests t ON t.name = s.test AND t.run_id = s.run_id"
			       " JOIN depsets d ON d.id = s.set_id"
			       " WHERE s.run_id <> ?1 ORDER BY s.run_id, s.test, s.set_id",
			       -1, &q, NULL) != SQLITE_OK)
		return FT_EDB;
	sqlite3_bind_int64(q, 1, run_id);
	while (rc >= 0 && (step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *test = (const char *)sqlite3_column_text(q, 1);
		const char *runner = (const char *)sqlite3_column_text(q, 2);
		if (test && runner)
			rc = fn(arg, sqlite3_column_int64(q, 0), test,
				(const char *)sqlite3_column_text(q, 4), runner,
				sqlite3_column_int64(q, 3));
	}
	if (rc >= 0 && step != SQLITE_DONE)
		rc = FT_EDB;
	sqlite3_finalize(q);
	return rc;
}

int ft_store_carry_gc(struct ft_store *st)
{
	if (!ft_store_has_table(st, "run_shares"))
		return 0;
	return sqlite3_exec(st->db, "DELETE FROM run_shares WHERE NOT EXISTS (SELECT 1 FROM tests t"
			    " WHERE t.name = run_shares.test AND t.run_id = run_shares.run_id)",
			    NULL, NULL, NULL) == SQLITE_OK ? 0 : FT_EDB;
}
