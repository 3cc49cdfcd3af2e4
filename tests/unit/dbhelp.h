/*
 * dbhelp.h - the unit tests' direct reads and writes of a database file,
 * behind the store's back (SQLite itself, as the sqlite3 CLI would).
 * Include it after defining `static char dbp[]`, the file's path, and
 * after <cmocka.h> and <sqlite3.h>.
 */
#ifndef FT_TEST_DBHELP_H
#define FT_TEST_DBHELP_H

/* The first column of the first row of `sql` (-1 with no row). */
static int64_t count(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t n = -1;

	assert_int_equal(sqlite3_open_v2(dbp, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

static void exec_sql(const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(dbp, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

#endif
