/*
 * test_schema.c - store/ft_schema.c: a database that the version-1, 2 or
 * 3 ftrace recorded (fixtures/store-v1/ftrace-v1.db,
 * fixtures/store-v2/ftrace-v2.db and fixtures/store-v3/ftrace-v3.db, made
 * by their regen.sh) is read as it is by a read-only open, and migrated
 * to the current version by a writer, with every recorded row, digest and
 * runner list kept, every row of the checksummed tables given its
 * checksum (version 3), the flaky table made (version 4), the history
 * table made (version 5, from fixtures/store-v4/ftrace-v4.db), and the
 * test_times table made (version 6, from fixtures/store-v5/ftrace-v5.db).
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
#include <sqlite3.h>

#include "ft_error.h"
#include "ft_runlists.h"
#include "ft_store.h"
#include "ft_store_flaky.h"
#include "ft_store_history.h"
#include "ft_store_times.h"

static char tmp[64];
static char dbp[128];

#include "dbhelp.h"

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return buf;
}

/* A copy of the version-`v` fixture in a fresh temp dir. */
static int setup_v(int v)
{
	const char *src = getenv("FTRACE_SOURCE_DIR");
	char from[4096];
	size_t n;
	char *b;
	FILE *f;

	strcpy(tmp, "/tmp/ft-test-schema.XXXXXX");
	assert_non_null(mkdtemp(tmp));
	snprintf(dbp, sizeof(dbp), "%s/ftrace.db", tmp);
	snprintf(from, sizeof(from), "%s/fixtures/store-v%d/ftrace-v%d.db", src ? src : ".", v, v);
	b = slurp(from, &n);
	f = fopen(dbp, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	fclose(f);
	free(b);
	return 0;
}

static int setup(void **s)
{
	return setup_v(1);
}

static int setup2(void **s)
{
	return setup_v(2);
}

static int setup3(void **s)
{
	return setup_v(3);
}

static int setup4(void **s)
{
	return setup_v(4);
}

static int setup5(void **s)
{
	return setup_v(5);
}

/* every table of the current version */
#define NTABLES 20

static int teardown(void **s)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd);
}

static int64_t tables(void)
{
	return count("SELECT count(*) FROM sqlite_master WHERE type = 'table'");
}

/* meta.tests_digest as stored is `d` (0 where there is none). */
static int stored_digest_is(const unsigned char d[16])
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int same = 0;

	assert_int_equal(sqlite3_open_v2(dbp, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'tests_digest'",
					    -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_bytes(q, 0) == 16)
		same = !memcmp(sqlite3_column_blob(q, 0), d, 16);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return same;
}

/* A reader opening read-only reads version 1 and changes nothing. */
static void test_schema__v1_read_only(void **unused)
{
	struct ft_store *st;
	size_t n1, n2;
	char *before = slurp(dbp, &n1), *after;

	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), 1);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_has_table(st, "pyfunc_fpcache"), 0);
	ft_store_close(st);
	after = slurp(dbp, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);
}

/* A writer migrates: the version, the tables version 1 made on demand,
 * and every row as it was (the digests verify, the runner lists read). */
static void test_schema__v1_migrates(void **unused)
{
	struct ft_store *st;
	struct ft_runlist *rl;
	unsigned char d1[16], d2[16];
	int64_t ntests = count("SELECT count(*) FROM tests");
	int64_t nfps = count("SELECT count(*) FROM pyfunc_fps");
	int64_t nstates = count("SELECT count(*) FROM states");
	size_t nrl;

	assert_true(ntests > 1);
	assert_true(nfps > 0);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_tests_digest(st, d1), 0);
	ft_store_close(st);

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_tests_digest(st, d2), 0);
	/* version 3's digest covers run_id: written again where there was one */
	assert_true(stored_digest_is(d2) || !stored_digest_is(d1));
	assert_int_equal(ft_store_has_table(st, "pyfunc_fpcache"), 1);
	assert_int_equal(ft_runlists_load(st, &rl, &nrl), 0);
	ft_runlists_free(rl, nrl);
	ft_store_close(st);

	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"),
			 FT_STORE_SCHEMA_VERSION);
	assert_int_equal(count("SELECT count(*) FROM tests"), ntests);
	assert_int_equal(count("SELECT count(*) FROM pyfunc_fps"), nfps);
	assert_int_equal(count("SELECT count(*) FROM states"), nstates);
	assert_int_equal(count("SELECT count(*) FROM runs WHERE meta_json LIKE '%\"rootdir\"%'"), 1);
	assert_int_equal(tables(), NTABLES);

	/* a second open has nothing left to do */
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	ft_store_close(st);
	assert_int_equal(tables(), NTABLES);
}

/* A plain open (`affected`) migrates too, when nobody holds the lock. */
static void test_schema__v1_reader_migrates(void **unused)
{
	struct ft_store *st;

	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_verify(st), 0);
	ft_store_close(st);
	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"),
			 FT_STORE_SCHEMA_VERSION);
}

/* Version 1 as the oldest ftrace left it: no Python table at all, or a
 * pyfunc_fps from before its names column. */
static void test_schema__v1_without_optional_tables(void **unused)
{
	struct ft_store *st;

	exec_sql("DROP TABLE pyfunc_tests; DROP TABLE pyfunc_runs; DROP TABLE pyfunc_lazy;"
		 "DROP TABLE pyconf_views; ALTER TABLE pyfunc_fps DROP COLUMN names;");
	assert_int_equal(count("SELECT count(*) FROM pragma_table_info('pyfunc_fps') WHERE name = 'names'"), 0);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	assert_int_equal(ft_store_verify(st), 0);
	ft_store_close(st);
	assert_int_equal(count("SELECT count(*) FROM pragma_table_info('pyfunc_fps') WHERE name = 'names'"), 1);
	assert_int_equal(count("SELECT count(*) FROM pyfunc_fps WHERE names IS NOT NULL"), 0);
	assert_int_equal(tables(), NTABLES);
}

/* A version-1 file lacking a core table is still not ours. */
static void test_schema__v1_missing_core_table_is_corrupt(void **unused)
{
	struct ft_store *st;

	exec_sql("DROP TABLE listings");
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), FT_ECORRUPT);
	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), 1);
}

/* The tables with a row checksum (store/ft_store_ck.c). */
static const char *const ck_tables[] = {
	"runs", "pyfunc_fps", "pyfunc_tests", "pyfunc_runs", "pyfunc_lazy", "pyfunc_fpcache",
	"pyconf_views", "listings", "statcache",
};
#define NCK (sizeof(ck_tables) / sizeof(ck_tables[0]))

/* count() of "SELECT count(*) FROM <table>" and `where`. */
static int64_t countf(const char *table, const char *where)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s%s", table, where);
	return count(sql);
}

/* Version 2 read-only: no checksum to verify, nothing written. */
static void test_schema__v2_read_only(void **unused)
{
	struct ft_store *st;
	size_t n1, n2;
	char *before = slurp(dbp, &n1), *after;

	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), 2);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_verify(st), 0);
	ft_store_close(st);
	after = slurp(dbp, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);
	assert_int_equal(count("SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'ck'"), 0);
}

/* 2 -> 3: every row kept, every row of the checksummed tables given its
 * checksum, which verifies; the sets and tests digests unchanged. */
static void test_schema__v2_migrates(void **unused)
{
	struct ft_store *st;
	unsigned char d1[16], d2[16];
	int64_t rows[NCK];
	int64_t ntests = count("SELECT count(*) FROM tests");

	for (size_t i = 0; i < NCK; i++)
		rows[i] = countf(ck_tables[i], "");
	/* the fixture holds rows where it matters */
	assert_true(rows[0] > 0 && rows[1] > 0 && rows[2] > 0 && rows[3] > 0 && rows[7] > 0 &&
		    rows[8] > 0);
	assert_int_equal(count("SELECT count(*) FROM meta d, meta r WHERE d.key = 'tests_digest' AND"
			       " r.key = 'tests_digest_run' AND r.value = (SELECT max(id) FROM runs)"), 1);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_tests_digest(st, d1), 0);
	ft_store_close(st);
	assert_true(stored_digest_is(d1));

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_tests_digest(st, d2), 0);
	ft_store_close(st);
	/* the digest, current before (so verify above compared it), is
	 * written again over run_id too */
	assert_memory_not_equal(d1, d2, sizeof(d1));
	assert_true(stored_digest_is(d2));

	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"),
			 FT_STORE_SCHEMA_VERSION);
	assert_int_equal(count("SELECT count(*) FROM tests"), ntests);
	for (size_t i = 0; i < NCK; i++) {
		assert_int_equal(countf(ck_tables[i], ""), rows[i]);
		assert_int_equal(countf(ck_tables[i], " WHERE ck IS NULL"), 0);
	}
	assert_int_equal(tables(), NTABLES);
}

/* After the migration, an edited row of each checksummed table (one that
 * has rows) is FT_ECORRUPT naming its table; a checksum gone (NULL) too;
 * a test's run_id moved, or its run deleted. */
static void test_schema__v2_migrated_rows_verify(void **unused)
{
	static const char *const edits[][2] = {
		{ "runs 1 (checksum mismatch", "UPDATE runs SET meta_json = replace(meta_json, '/repo\"', '/repp\"')" },
		{ "pyfunc_fps ", "UPDATE pyfunc_fps SET bodies = bodies || ' '" },
		{ "pyfunc_tests ", "UPDATE pyfunc_tests SET funcs = '[]'" },
		{ "pyfunc_tests ", "UPDATE pyfunc_tests SET ck = NULL" },
		{ "pyfunc_runs ", "UPDATE pyfunc_runs SET run_id = run_id + 100" },
		{ "listings ", "UPDATE listings SET names = CAST('x' AS BLOB)" },
		{ "statcache ", "UPDATE statcache SET value = value + 1" },
		/* version 3's tests digest covers run_id, and a run lost is seen */
		{ "the tests and their set references", "UPDATE tests SET run_id = 1 WHERE run_id = 2" },
		{ "runs: the run of test cmd-ini is missing", "DELETE FROM runs WHERE id = 2" },
	};
	struct ft_store *st;
	char want[96];

	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		if (i > 0) { /* a fresh copy for each edit */
			teardown(NULL);
			setup2(NULL);
		}
		assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
		assert_int_equal(ft_store_verify(st), 0);
		ft_store_close(st);
		exec_sql(edits[i][1]);
		assert_int_equal(ft_store_open(&st, dbp, 0), 0);
		assert_int_equal(ft_store_verify(st), FT_ECORRUPT);
		snprintf(want, sizeof(want), "database is corrupt: %s", edits[i][0]);
		if (!strstr(ft_store_errmsg(st), want))
			fail_msg("%s: %s", edits[i][1], ft_store_errmsg(st));
		ft_store_close(st);
	}
}

static int no_row(void *arg, const struct ft_store_flaky *f)
{
	return -1;
}

/* Version 3 read-only: no flaky table, none listed, nothing written. */
static void test_schema__v3_read_only(void **unused)
{
	struct ft_store *st;
	size_t n1, n2;
	char *before = slurp(dbp, &n1), *after;

	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), 3);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_has_table(st, "flaky"), 0);
	assert_int_equal(ft_store_flaky_each(st, no_row, NULL), 0);
	ft_store_close(st);
	after = slurp(dbp, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);
}

/* 3 -> 4: every row kept, the digests and checksums unchanged (they still
 * verify), the flaky table there and empty; an edited flaky row is then
 * corrupt, named with its table. */
static void test_schema__v3_migrates(void **unused)
{
	struct ft_store *st;
	unsigned char d1[16], d2[16];
	int64_t rows[NCK], ntests = count("SELECT count(*) FROM tests");

	for (size_t i = 0; i < NCK; i++)
		rows[i] = countf(ck_tables[i], "");
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_tests_digest(st, d1), 0);
	ft_store_close(st);
	assert_true(stored_digest_is(d1));

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_tests_digest(st, d2), 0);
	assert_int_equal(ft_store_has_table(st, "flaky"), 1);
	assert_int_equal(ft_store_flaky_each(st, no_row, NULL), 0);
	ft_store_close(st);
	assert_memory_equal(d1, d2, sizeof(d1));
	assert_true(stored_digest_is(d2));
	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"),
			 FT_STORE_SCHEMA_VERSION);
	assert_int_equal(count("SELECT count(*) FROM tests"), ntests);
	for (size_t i = 0; i < NCK; i++)
		assert_int_equal(countf(ck_tables[i], ""), rows[i]);
	assert_int_equal(tables(), NTABLES);

	exec_sql("INSERT INTO flaky VALUES('cmd-ini', 1, 2, 1, 2, 0, 12345)");
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_verify(st), FT_ECORRUPT);
	assert_non_null(strstr(ft_store_errmsg(st), "database is corrupt: flaky cmd-ini (checksum mismatch"));
	ft_store_close(st);
}

static int no_history(void *arg, const struct ft_store_history *h)
{
	return -1;
}

static int flaky_row(void *arg, const struct ft_store_flaky *f)
{
	++*(int *)arg;
	return strcmp(f->name, "flip") ? -1 : 0;
}

static int history_row(void *arg, const struct ft_store_history *h)
{
	++*(int *)arg;
	return strcmp(h->command, "test") || h->known != 12 || h->selected != 3 ? -1 : 0;
}

/* Version 4 read-only: its flaky row read, no history, nothing written. */
static void test_schema__v4_read_only(void **unused)
{
	struct ft_store *st;
	size_t n1, n2;
	int64_t total = 1;
	int n = 0;
	char *before = slurp(dbp, &n1), *after;

	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), 4);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_flaky_each(st, flaky_row, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ft_store_has_table(st, "history"), 0);
	assert_int_equal(ft_store_history_each(st, 0, &total, no_history, NULL), 0);
	assert_int_equal(total, 0);
	ft_store_close(st);
	after = slurp(dbp, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);
}

/* 4 -> 5: every row kept, the digests and checksums unchanged (they still
 * verify, the flaky row too), the history table there and empty; a row
 * added through the store reads back; an edited one is then corrupt,
 * named with its table. */
static void test_schema__v4_migrates(void **unused)
{
	struct ft_store *st;
	unsigned char d1[16], d2[16];
	int64_t rows[NCK], total = 1, ntests = count("SELECT count(*) FROM tests");
	int n = 0;
	struct ft_store_history h = { 0, 5, "test", 12, 3, "{\"new test\":1}", -1, -1, -1 };

	for (size_t i = 0; i < NCK; i++)
		rows[i] = countf(ck_tables[i], "");
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_tests_digest(st, d1), 0);
	ft_store_close(st);

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_tests_digest(st, d2), 0);
	assert_int_equal(ft_store_has_table(st, "history"), 1);
	assert_int_equal(ft_store_history_each(st, 0, &total, no_history, NULL), 0);
	assert_int_equal(total, 0);
	assert_int_equal(ft_store_flaky_each(st, flaky_row, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ft_store_history_add(st, &h), 0);
	n = 0;
	assert_int_equal(ft_store_history_each(st, 0, &total, history_row, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_int_equal(ft_store_verify(st), 0);
	ft_store_close(st);
	assert_memory_equal(d1, d2, sizeof(d1));
	assert_true(stored_digest_is(d2));
	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"),
			 FT_STORE_SCHEMA_VERSION);
	assert_int_equal(count("SELECT count(*) FROM tests"), ntests);
	for (size_t i = 0; i < NCK; i++)
		assert_int_equal(countf(ck_tables[i], ""), rows[i]);
	assert_int_equal(tables(), NTABLES);

	exec_sql("UPDATE history SET selected = 2");
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_verify(st), FT_ECORRUPT);
	assert_non_null(strstr(ft_store_errmsg(st), "database is corrupt: history 1 (checksum mismatch"));
	assert_int_equal(ft_store_history_each(st, 0, NULL, history_row, &n), FT_ECORRUPT);
	ft_store_close(st);
}

static int no_time(void *arg, const struct ft_store_time *t)
{
	return -1;
}

/* Version 5 read-only: its history read, no test_times, nothing written. */
static void test_schema__v5_read_only(void **unused)
{
	struct ft_store *st;
	size_t n1, n2;
	int64_t total = 0;
	int n = 0;
	char *before = slurp(dbp, &n1), *after;

	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), 5);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_history_each(st, 0, &total, no_history, NULL), -1);
	assert_int_equal(total, 1);
	assert_int_equal(ft_store_flaky_each(st, flaky_row, &n), 0);
	assert_int_equal(ft_store_has_table(st, "test_times"), 0);
	assert_int_equal(ft_store_times_last_each(st, no_time, NULL), 0);
	ft_store_close(st);
	after = slurp(dbp, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);
}

static int time_row(void *arg, const struct ft_store_time *t)
{
	++*(int *)arg;
	return strcmp(t->name, "cmd-ini") || t->ns != 1234 || strcmp(t->source, FT_TIME_FTRACE) ||
		t->outcome != 1 ? -1 : 0;
}

static int timed_row(void *arg, const struct ft_store_history *h)
{
	++*(int *)arg;
	return h->timed != 9 || h->timed_ns != 4321 ? -1 : 0;
}

/* 5 -> 6: every row kept, the digests and checksums unchanged, test_times
 * there and empty; a row put in a run reads back as the test's newest;
 * an edited one is then corrupt, named with its table. */
static void test_schema__v5_migrates(void **unused)
{
	struct ft_store *st;
	struct ft_run_info run = { "cat pytest.ini", "/", 1, 2, 0, NULL };
	unsigned char d1[16], d2[16];
	int64_t rows[NCK], total = 0, ntests = count("SELECT count(*) FROM tests"), run_id;
	int n = 0;

	for (size_t i = 0; i < NCK; i++)
		rows[i] = countf(ck_tables[i], "");
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_tests_digest(st, d1), 0);
	ft_store_close(st);

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_tests_digest(st, d2), 0);
	assert_int_equal(ft_store_has_table(st, "test_times"), 1);
	assert_int_equal(ft_store_times_last_each(st, no_time, NULL), 0);
	assert_int_equal(ft_store_history_each(st, 0, &total, no_history, NULL), -1);
	assert_int_equal(total, 1);
	assert_int_equal(ft_store_flaky_each(st, flaky_row, &n), 0);
	assert_int_equal(n, 1);
	ft_store_close(st);
	assert_memory_equal(d1, d2, sizeof(d1));
	assert_true(stored_digest_is(d2));
	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"),
			 FT_STORE_SCHEMA_VERSION);
	assert_int_equal(count("SELECT count(*) FROM tests"), ntests);
	for (size_t i = 0; i < NCK; i++)
		assert_int_equal(countf(ck_tables[i], ""), rows[i]);
	assert_int_equal(tables(), NTABLES);
	assert_int_equal(count("SELECT count(*) FROM test_times"), 0);

	/* a row through the store; one not measured (-1) is not "last" */
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_run_begin(st, &run, &run_id), 0);
	assert_int_equal(ft_store_time_put(st, &(struct ft_store_time){ "cmd-ini", run_id, 1, 1234,
							      FT_TIME_FTRACE }), 0);
	assert_int_equal(ft_store_time_put(st, &(struct ft_store_time){ "flip", run_id, 1, -1,
							      FT_TIME_FTRACE }), 0);
	assert_int_equal(ft_store_run_commit(st), 0);
	n = 0;
	assert_int_equal(ft_store_times_last_each(st, time_row, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ft_store_verify(st), 0);
	ft_store_close(st);

	/* a selection's timed skipped tests read back with it */
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_history_add(st, &(struct ft_store_history){ 0, 7, "test", 12, 2,
						"{}", -1, 9, 4321 }), 0);
	n = 0;
	assert_int_equal(ft_store_history_each(st, 1, &total, timed_row, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 2);
	ft_store_close(st);
	exec_sql("UPDATE history_times SET ns = 1");
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_verify(st), FT_ECORRUPT);
	assert_non_null(strstr(ft_store_errmsg(st), "database is corrupt: history_times 2 "));
	assert_int_equal(ft_store_history_each(st, 1, NULL, timed_row, &n), FT_ECORRUPT);
	assert_non_null(strstr(ft_store_errmsg(st), "database is corrupt: history_times 2 "));
	ft_store_close(st);
	exec_sql("DELETE FROM history_times");

	/* test_times is verified by its reads (not by ft_store_verify: it
	 * selects nothing, and it is large) */
	exec_sql("UPDATE test_times SET ns = 1 WHERE name = 'cmd-ini'");
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_times_last_each(st, time_row, &n), FT_ECORRUPT);
	assert_non_null(strstr(ft_store_errmsg(st), "database is corrupt: test_times cmd-ini "));
	ft_store_close(st);
}

/* test_times keeps the rows of the newest FT_TIMES_KEEP runs that wrote
 * any; a put outside a run is refused. */
static void test_schema__times_keep_newest(void **unused)
{
	struct ft_store *st;
	struct ft_run_info run = { "x", "/", 1, 2, 0, NULL };
	int64_t run_id;

	unlink(dbp);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	assert_int_equal(ft_store_time_put(st, &(struct ft_store_time){ "t", 1, 1, 5, FT_TIME_FTRACE }),
			 FT_EUSAGE);
	for (int i = 0; i < FT_TIMES_KEEP + 3; i++) {
		assert_int_equal(ft_store_run_begin(st, &run, &run_id), 0);
		assert_int_equal(ft_store_time_put(st, &(struct ft_store_time){ "t", run_id, 1, i,
								      FT_TIME_RUNNER }), 0);
		assert_int_equal(ft_store_times_prune(st), 0);
		assert_int_equal(ft_store_run_commit(st), 0);
	}
	assert_int_equal(ft_store_verify(st), 0);
	ft_store_close(st);
	assert_int_equal(count("SELECT count(*) FROM test_times"), FT_TIMES_KEEP);
	assert_int_equal(count("SELECT min(ns) FROM test_times"), 3);
}

/* The history keeps the newest FT_HISTORY_KEEP rows. */
static void test_schema__history_keeps_newest(void **unused)
{
	struct ft_store *st;
	struct ft_store_history h = { 0, 5, "verify", 4, 1, "{}", 0, 2, 300 };
	int64_t total;

	unlink(dbp);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	for (int i = 0; i < FT_HISTORY_KEEP + 3; i++)
		assert_int_equal(ft_store_history_add(st, &h), 0);
	assert_int_equal(ft_store_history_each(st, 0, &total, no_history, NULL), -1);
	assert_int_equal(total, FT_HISTORY_KEEP);
	ft_store_close(st);
	assert_int_equal(count("SELECT min(id) FROM history"), 4);
	assert_int_equal(count("SELECT min(id) FROM history_times"), 4);
	assert_int_equal(count("SELECT count(*) FROM history_times"), FT_HISTORY_KEEP);
}

/* A new database has the whole current schema from the start. */
static void test_schema__new_is_current(void **unused)
{
	struct ft_store *st;

	unlink(dbp);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	ft_store_close(st);
	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"),
			 FT_STORE_SCHEMA_VERSION);
	assert_int_equal(tables(), NTABLES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema__v1_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v1_migrates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v1_reader_migrates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v1_without_optional_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v1_missing_core_table_is_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema__new_is_current, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v2_read_only, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v2_migrates, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v2_migrated_rows_verify, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v3_read_only, setup3, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v3_migrates, setup3, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v4_read_only, setup4, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v4_migrates, setup4, teardown),
		cmocka_unit_test_setup_teardown(test_schema__history_keeps_newest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v5_read_only, setup5, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v5_migrates, setup5, teardown),
		cmocka_unit_test_setup_teardown(test_schema__times_keep_newest, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
