/*
 * test_store_err.c - store/ft_store.c: the store's reason for a failure
 * reaches the layers above only as a struct ft_err (ft_store_err,
 * ft_store_err_db), with the code it explains.  Issue 25: the reason used
 * to travel as a separate string (ft_store_errmsg) that every caller had
 * to fetch on its own.  Real database files in a temp dir.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"
#include <sqlite3.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_store.h"

static char tmp[64];
static char dbp[128];

static int setup(void **s)
{
	ft_test_tmpdir(tmp, sizeof(tmp), "storeerr");
	snprintf(dbp, sizeof(dbp), "%s/ftrace.db", tmp);
	return 0;
}

static int teardown(void **s)
{
	return ft_test_rmtree(tmp);
}

static int fresh(void **s)
{
	unlink(dbp);
	return 0;
}

/* SQL on the file behind the store's back, as the sqlite3 CLI would. */
static void exec_sql(const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(dbp, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Write `text` as the whole database file. */
static void write_file(const char *text)
{
	FILE *f = fopen(dbp, "w");

	assert_non_null(f);
	for (int i = 0; i < 64; i++)
		fputs(text, f);
	fclose(f);
}

/* A file SQLite cannot read: the code and SQLite's own words together,
 * not only the code's message. */
static void test_store_err__open_not_sqlite(void **unused)
{
	struct ft_store *st;
	struct ft_err e;

	write_file("this is not an SQLite database, only text. ");
	assert_int_equal(ft_store_open(&st, dbp, 0), FT_ECORRUPT);
	assert_int_equal(ft_store_err(NULL, FT_ECORRUPT, &e), FT_ECORRUPT);
	assert_int_equal(e.code, FT_ECORRUPT);
	assert_string_equal(ft_err_msg(&e), "file is not a database");
}

/* SQLite reads it, but it is another program's database: the store's
 * reason says so (the code alone would say "corrupt or not ..."). */
static void test_store_err__open_foreign_sqlite(void **unused)
{
	struct ft_store *st;
	struct ft_err e;
	int rc;

	exec_sql("CREATE TABLE other(x)");
	rc = ft_store_open(&st, dbp, FT_STORE_RDONLY);
	assert_int_equal(rc, FT_ECORRUPT);
	ft_store_err(NULL, rc, &e);
	assert_int_equal(e.code, FT_ECORRUPT);
	assert_string_equal(ft_err_msg(&e), "no meta table: not an ftrace database");
}

/* A file another user may write is refused before SQLite reads it: the
 * reason names the file and says what to do. */
static void test_store_err__open_untrusted_names_the_file(void **unused)
{
	struct ft_store *st;
	struct ft_err e;

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	ft_store_close(st);
	assert_int_equal(chmod(dbp, 0666), 0);
	assert_int_equal(ft_store_open(&st, dbp, 0), FT_EUNSAFE);
	ft_store_err(NULL, FT_EUNSAFE, &e);
	assert_int_equal(e.code, FT_EUNSAFE);
	if (!strstr(e.why, dbp) || !strstr(e.why, "FTRACE_SAFE_DIRS"))
		fail_msg("the reason does not name %s: %s", dbp, e.why);
}

/* An open store: the reason of its own last failure.  ft_store_err_db
 * carries it for the database's failures only; any other code goes up
 * alone, said by its own message. */
static void test_store_err__open_store_and_db_only(void **unused)
{
	struct ft_run_info run = { .command = "t", .cwd = "/" };
	struct ft_test_row t = { .name = "t1", .runner = "command", .outcome = FT_OUTCOME_PASSED };
	static const struct ft_dep dep = { "/x/a.py", 7, FT_DEP_FILE, 1 };
	struct ft_store *st;
	struct ft_err e;
	int64_t id, set;

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	/* nothing failed yet: "no detail", which `ftrace run` leaves out */
	ft_store_err(st, FT_EDB, &e);
	assert_string_equal(e.why, "no detail");
	assert_int_equal(ft_store_run_begin(st, &run, &id), 0);
	assert_int_equal(ft_store_depset_put(st, &dep, 1, &set), 0);
	t.sets = &set;
	t.nsets = 1;
	assert_int_equal(ft_store_test_put(st, id, &t), 0);
	assert_int_equal(ft_store_run_commit(st), 0);
	ft_store_close(st);
	exec_sql("UPDATE tests SET untraced = 1");

	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_verify(st), FT_ECORRUPT);
	assert_int_equal(ft_store_err_db(st, FT_ECORRUPT, &e), FT_ECORRUPT);
	assert_int_equal(e.code, FT_ECORRUPT);
	assert_non_null(strstr(ft_err_msg(&e), "database is corrupt: the tests and their set "
				  "references do not match meta.tests_digest"));
	ft_store_err_db(st, FT_EDB, &e);
	assert_int_equal(e.code, FT_EDB);
	assert_non_null(strstr(ft_err_msg(&e), "database is corrupt: "));
	/* not the database's failure: its last message is not this one's */
	assert_int_equal(ft_store_err_db(st, -ENOMEM, &e), -ENOMEM);
	assert_int_equal(e.code, -ENOMEM);
	assert_string_equal(e.why, "");
	assert_string_equal(ft_err_msg(&e), ft_strerror(-ENOMEM));
	ft_store_err_db(st, FT_ENORECORD, &e);
	assert_string_equal(ft_err_msg(&e), ft_strerror(FT_ENORECORD));
	ft_store_close(st);
}

/* A writer holds the lock and the store may not wait: FT_EDB with the
 * store's reason (which process, what to do), not "database error". */
static void test_store_err__locked_says_so(void **unused)
{
	struct ft_run_info run = { .command = "t", .cwd = "/" };
	struct ft_store *st;
	struct ft_err e;
	int64_t id;
	sqlite3 *db;
	int rc;

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	ft_store_close(st);
	assert_int_equal(sqlite3_open(dbp, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	ft_store_lock_wait(0, NULL);
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	rc = ft_store_run_begin(st, &run, &id);
	assert_int_equal(rc, FT_EDB);
	ft_store_err(st, rc, &e);
	assert_int_equal(e.code, FT_EDB);
	assert_string_equal(ft_err_msg(&e), "database is locked by another process");
	ft_store_close(st);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_store_err__open_not_sqlite, fresh),
		cmocka_unit_test_setup(test_store_err__open_foreign_sqlite, fresh),
		cmocka_unit_test_setup(test_store_err__open_untrusted_names_the_file, fresh),
		cmocka_unit_test_setup(test_store_err__open_store_and_db_only, fresh),
		cmocka_unit_test_setup(test_store_err__locked_says_so, fresh),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
