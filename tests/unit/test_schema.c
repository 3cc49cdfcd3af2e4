/*
 * test_schema.c - store/ft_schema.c: a database that the version-1, 2 or
 * 3 ftrace recorded (fixtures/store-v1/ftrace-v1.db,
 * fixtures/store-v2/ftrace-v2.db and fixtures/store-v3/ftrace-v3.db, made
 * by their regen.sh) is read as it is by a read-only open, and migrated
 * to the current version by a writer, with every recorded row, digest and
 * runner list kept, every row of the checksummed tables given its
 * checksum (version 3), the flaky table made (version 4), the history
 * table made (version 5, from fixtures/store-v4/ftrace-v4.db), and the
 * runs' metadata moved from runs.meta_json into its tables (version 6, from
 * fixtures/store-v5/ftrace-v5.db), and the test_times and history_times
 * tables made (version 7, from the same file).
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
#include "ft_store_int.h"
#include "ft_store_runmeta.h"
#include "ft_store_times.h"

static char tmp[64];
static char dbp[128];

#include "dbhelp.h"
#include "storewhy.h"

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

/* The database file is still the n bytes at `before` (a read-only open
 * wrote nothing); frees before. */
static void assert_unchanged(char *before, size_t n)
{
	size_t n2;
	char *after = slurp(dbp, &n2);

	assert_int_equal(n, n2);
	assert_memory_equal(before, after, n);
	free(before);
	free(after);
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

static int teardown(void **s)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd);
}

/* The tables of the current schema (store/ft_schema.c). */
#define FT_NTABLES 23

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
	size_t n1;
	char *before = slurp(dbp, &n1);

	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), 1);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_has_table(st, "pyfunc_fpcache"), 0);
	ft_store_close(st);
	assert_unchanged(before, n1);
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
	/* the runner lists kept: version 6 keeps the pytest rootdir in a table */
	assert_int_equal(count("SELECT count(*) FROM run_pytest WHERE rootdir LIKE '/%'"), 1);
	assert_int_equal(count("SELECT count(*) FROM runs WHERE meta_json IS NOT NULL"), 0);
	assert_int_equal(tables(), FT_NTABLES);

	/* a second open has nothing left to do */
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	ft_store_close(st);
	assert_int_equal(tables(), FT_NTABLES);
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
	assert_int_equal(tables(), FT_NTABLES);
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

/* After `sql`, the database is corrupt: "database is corrupt: <named>"
 * (ft_store_verify_whole: the rows of pyfunc_tests, pyfunc_fps and
 * pyfunc_lazy are left to their reads by ft_store_verify). */
static void assert_edit_corrupt(const char *sql, const char *named)
{
	struct ft_store *st;
	char want[96];

	exec_sql(sql);
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_verify_whole(st), FT_ECORRUPT);
	snprintf(want, sizeof(want), "database is corrupt: %s", named);
	if (!strstr(store_why(st, FT_ECORRUPT), want))
		fail_msg("%s: %s", sql, store_why(st, FT_ECORRUPT));
	ft_store_close(st);
}

/* Version 2 read-only: no checksum to verify, nothing written. */
static void test_schema__v2_read_only(void **unused)
{
	struct ft_store *st;
	size_t n1;
	char *before = slurp(dbp, &n1);

	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), 2);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_verify(st), 0);
	ft_store_close(st);
	assert_unchanged(before, n1);
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
	assert_int_equal(tables(), FT_NTABLES);
}

/* After the migration, an edited row of each checksummed table (one that
 * has rows) is FT_ECORRUPT naming its table; a checksum gone (NULL) too;
 * a test's run_id moved, or its run deleted. */
static void test_schema__v2_migrated_rows_verify(void **unused)
{
	static const char *const edits[][2] = {
		{ "runs 1 (checksum mismatch", "UPDATE runs SET command = command || ' ' WHERE id = 1" },
		/* the rootdir, runs.meta_json's until version 6 */
		{ "run_pytest ", "UPDATE run_pytest SET rootdir = replace(rootdir, '/repo', '/repp')" },
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

	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		if (i > 0) { /* a fresh copy for each edit */
			teardown(NULL);
			setup2(NULL);
		}
		assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
		assert_int_equal(ft_store_verify(st), 0);
		ft_store_close(st);
		assert_edit_corrupt(edits[i][1], edits[i][0]);
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
	size_t n1;
	char *before = slurp(dbp, &n1);

	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), 3);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_has_table(st, "flaky"), 0);
	assert_int_equal(ft_store_flaky_each(st, no_row, NULL), 0);
	ft_store_close(st);
	assert_unchanged(before, n1);
}

/* After a migration: the tests digest the same before and after and
 * stored, the current version, every test and every checksummed row kept,
 * every table of the current schema there. */
static void assert_migrated_kept(const unsigned char d1[16], const unsigned char d2[16],
				 int64_t ntests, const int64_t rows[NCK])
{
	assert_memory_equal(d1, d2, 16);
	assert_true(stored_digest_is(d2));
	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"),
			 FT_STORE_SCHEMA_VERSION);
	assert_int_equal(count("SELECT count(*) FROM tests"), ntests);
	for (size_t i = 0; i < NCK; i++)
		assert_int_equal(countf(ck_tables[i], ""), rows[i]);
	assert_int_equal(tables(), FT_NTABLES);
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
	assert_migrated_kept(d1, d2, ntests, rows);

	exec_sql("INSERT INTO flaky VALUES('cmd-ini', 1, 2, 1, 2, 0, 12345)");
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_verify(st), FT_ECORRUPT);
	assert_non_null(strstr(store_why(st, FT_ECORRUPT), "database is corrupt: flaky cmd-ini (checksum mismatch"));
	ft_store_close(st);
}

/* Before migrating: each checksummed table's rows into rows[], the tests
 * digest into d1 (read-only).  Then open to migrate, verify, and the
 * digest into d2; the store is left open. */
static struct ft_store *migrate_verified(int64_t rows[NCK], unsigned char d1[16],
					 unsigned char d2[16])
{
	struct ft_store *st;

	for (size_t i = 0; i < NCK; i++)
		rows[i] = countf(ck_tables[i], "");
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_tests_digest(st, d1), 0);
	ft_store_close(st);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_tests_digest(st, d2), 0);
	return st;
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
	size_t n1;
	int64_t total = 1;
	int n = 0;
	char *before = slurp(dbp, &n1);

	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), 4);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_flaky_each(st, flaky_row, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ft_store_has_table(st, "history"), 0);
	assert_int_equal(ft_store_history_each(st, 0, &total, no_history, NULL), 0);
	assert_int_equal(total, 0);
	ft_store_close(st);
	assert_unchanged(before, n1);
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

	st = migrate_verified(rows, d1, d2);
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
	assert_migrated_kept(d1, d2, ntests, rows);

	exec_sql("UPDATE history SET selected = 2");
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_verify(st), FT_ECORRUPT);
	assert_non_null(strstr(store_why(st, FT_ECORRUPT), "database is corrupt: history 1 (checksum mismatch"));
	assert_int_equal(ft_store_history_each(st, 0, NULL, history_row, &n), FT_ECORRUPT);
	ft_store_close(st);
}

/* A run's metadata, as the JSON text it reads back as. */
struct metas {
	int64_t id[8];
	char *json[8];
	size_t n;
};

static int meta_text(void *arg, const struct ft_runmeta *m)
{
	struct metas *ms = arg;

	assert_true(ms->n < 8);
	ms->id[ms->n] = m->run_id;
	assert_int_equal(ft_runmeta_json(m, &ms->json[ms->n]), 0);
	assert_non_null(ms->json[ms->n]);
	ms->n++;
	return 0;
}

static void metas_release(struct metas *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		free(ms->json[i]);
	ms->n = 0;
}

static void metas_read(struct metas *ms, int flags)
{
	struct ft_store *st;

	assert_int_equal(ft_store_open(&st, dbp, flags), 0);
	assert_int_equal(ft_store_runmeta_each(st, meta_text, ms), 0);
	ft_store_close(st);
}

/* Open with `flags`, verify, and the tests digest into d. */
static void open_digest(int flags, unsigned char d[16])
{
	struct ft_store *st;

	assert_int_equal(ft_store_open(&st, dbp, flags), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_tests_digest(st, d), 0);
	ft_store_close(st);
}

/* Run `sql` with ft_ck() registered, as the store's writers have it: a
 * row edited with its checksum right (what no flipped bit does). */
static void exec_ck(const char *sql)
{
	struct ft_store fake = { 0 };

	assert_int_equal(sqlite3_open(dbp, &fake.db), SQLITE_OK);
	assert_int_equal(ft__store_ck_register(&fake), 0);
	assert_int_equal(sqlite3_exec(fake.db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(fake.db);
}

/* Version 5 read-only: the metadata read from runs.meta_json (the pytest
 * adapter's and node's runner list), nothing written. */
static void test_schema__v5_read_only(void **unused)
{
	struct ft_store *st;
	struct ft_runlist *rl;
	struct metas ms = { 0 };
	size_t n1, nrl;
	char *before = slurp(dbp, &n1);

	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), 5);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_runlists_load(st, &rl, &nrl), 0);
	assert_int_equal(nrl, 1);
	assert_string_equal(rl[0].runner, "node");
	assert_string_equal(rl[0].args[0], "--test");
	assert_null(rl[0].args[1]);
	ft_runlists_free(rl, nrl);
	ft_store_close(st);
	metas_read(&ms, FT_STORE_RDONLY);
	assert_int_equal(ms.n, 2);   /* newest first: node's, then pytest's */
	assert_non_null(strstr(ms.json[0], "\"runner\":\"node\""));
	assert_non_null(strstr(ms.json[1], "\"adapter\":\"pytest\""));
	assert_non_null(strstr(ms.json[1], "\"loaded\":[\""));
	metas_release(&ms);
	assert_unchanged(before, n1);
}

/* 5 -> 6: every text moved into the tables and read back as it was read
 * from the text (the same JSON, the same runner lists); meta_json empty,
 * the tests digest unchanged, every checksum verifies; then a row of each
 * new table edited, or one deleted, is corrupt. */
static void test_schema__v5_migrates(void **unused)
{
	static const char *const edits[][2] = {
		{ "run_pytest 1 (checksum mismatch", "UPDATE run_pytest SET plain = 1 - plain" },
		{ "run_runners 2 1 (checksum mismatch", "UPDATE run_runners SET dir = dir || 'x'" },
		{ "run_strings 2 1 args 0 (checksum mismatch", "UPDATE run_strings SET value = '--x'"
		  " WHERE list = 'args'" },
		{ "runs 2 (checksum mismatch", "UPDATE runs SET meta_rows = meta_rows - 1 WHERE id = 2" },
	};
	struct ft_store *st;
	struct metas old = { 0 }, now = { 0 };
	unsigned char d1[16], d2[16];
	int64_t ntests = count("SELECT count(*) FROM tests"), nruns = count("SELECT count(*) FROM runs");

	metas_read(&old, FT_STORE_RDONLY);
	assert_int_equal(old.n, 2);
	open_digest(FT_STORE_RDONLY, d1);
	open_digest(FT_STORE_CREATE, d2);   /* migrates */
	assert_memory_equal(d1, d2, sizeof(d1));
	assert_true(stored_digest_is(d2));
	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), FT_STORE_SCHEMA_VERSION);
	assert_int_equal(count("SELECT count(*) FROM tests"), ntests);
	assert_int_equal(count("SELECT count(*) FROM runs"), nruns);
	assert_int_equal(count("SELECT count(*) FROM tests WHERE untraced != 0"), 0);
	assert_int_equal(count("SELECT count(*) FROM runs WHERE meta_json IS NOT NULL"), 0);
	assert_int_equal(count("SELECT count(*) FROM run_pytest"), 1);
	assert_int_equal(count("SELECT count(*) FROM run_runners"), 1);
	assert_true(count("SELECT count(*) FROM run_strings WHERE list = 'loaded'") > 10);
	assert_int_equal(count("SELECT sum(meta_rows) FROM runs"),
			 count("SELECT (SELECT count(*) FROM run_pytest) + (SELECT count(*) FROM"
			       " run_runners) + (SELECT count(*) FROM run_strings)"));
	assert_int_equal(tables(), FT_NTABLES);
	metas_read(&now, 0);
	assert_int_equal(now.n, old.n);
	for (size_t i = 0; i < now.n; i++) {
		assert_int_equal(now.id[i], old.id[i]);
		assert_string_equal(now.json[i], old.json[i]);
	}
	metas_release(&old);
	metas_release(&now);

	for (size_t i = 0; i <= sizeof(edits) / sizeof(edits[0]); i++) {
		teardown(NULL);
		setup5(NULL);
		assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
		ft_store_close(st);
		if (i == sizeof(edits) / sizeof(edits[0])) {
			/* a row deleted: its checksum went with it, the count stays */
			exec_ck("DELETE FROM run_strings WHERE list = 'loaded' AND pos = 0");
			assert_int_equal(ft_store_open(&st, dbp, 0), 0);
			assert_int_equal(ft_store_verify(st), 0);
			assert_int_equal(ft_store_runmeta_each(st, meta_text, &now), FT_ECORRUPT);
			assert_non_null(strstr(store_why(st, FT_ECORRUPT), "database is corrupt: runs 1: its metadata"));
			metas_release(&now);
			ft_store_close(st);
			break;
		}
		assert_edit_corrupt(edits[i][1], edits[i][0]);
	}
}

/* 5 -> 6 with a text that cannot be converted (it does not parse): it
 * stays in meta_json, read as version 5 read it (skipped), and its run's
 * tests become untraced: selected until recorded again.  The tests digest
 * is written again and verifies.  A runs row whose checksum does not hold
 * stops the migration: nothing is laundered, the file stays version 5. */
static void test_schema__v5_unconvertible(void **unused)
{
	struct ft_store *st;
	struct metas ms = { 0 };
	int64_t nnode = count("SELECT count(*) FROM tests WHERE run_id = 2");

	assert_true(nnode > 0);
	assert_int_equal(count("SELECT count(*) FROM tests WHERE untraced != 0"), 0);
	/* (two statements: an UPDATE's expressions read the old row) */
	exec_ck("UPDATE runs SET meta_json = '{\"runners\": [' WHERE id = 2;"
		"UPDATE runs SET ck = " FT_CK_RUNS " WHERE id = 2");
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	assert_int_equal(ft_store_verify(st), 0);
	ft_store_close(st);
	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), FT_STORE_SCHEMA_VERSION);
	assert_int_equal(count("SELECT count(*) FROM runs WHERE meta_json = '{\"runners\": ['"), 1);
	assert_int_equal(count("SELECT count(*) FROM run_runners"), 0);
	assert_int_equal(count("SELECT count(*) FROM tests WHERE untraced != 0"), nnode);
	assert_int_equal(count("SELECT count(*) FROM tests WHERE run_id = 2 AND untraced = 5"), nnode);
	metas_read(&ms, 0);
	assert_int_equal(ms.n, 1);   /* pytest's; the text is skipped */
	metas_release(&ms);

	teardown(NULL);
	setup5(NULL);
	exec_sql("UPDATE runs SET meta_json = replace(meta_json, '--test', '--tesu') WHERE id = 2");
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), FT_ECORRUPT);
	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), 5);
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

static int no_time(void *arg, const struct ft_store_time *t)
{
	return -1;
}

/* Version 5 read-only: its history read, no test_times, nothing written
 * (version 7's tables). */
static void test_schema__v5_read_only_times(void **unused)
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

/* -> 8: the version-7 kinds of pytest's listings and entry stats (9
 * collected-list, 10 import-list, 11 collected-type) become reader codes
 * (store/ft_state.h), in states and in the stat cache, every row kept;
 * the sets' digests and the cache rows' checksums are written again, so
 * everything verifies (migrate_verified), the tests digest unchanged. */
static void test_schema__v5_migrates_readers(void **unused)
{
	struct ft_store *st;
	unsigned char d1[16], d2[16];
	int64_t rows[NCK], ntests = count("SELECT count(*) FROM tests");
	int64_t clist = countf("states", " WHERE kind = 9"), ilist = countf("states", " WHERE kind = 10");
	int64_t ctype = countf("states", " WHERE kind = 11"), cached = countf("statcache", " WHERE kind = 10");
	int64_t nstates = count("SELECT count(*) FROM states"), nsets = count("SELECT count(*) FROM depsets");

	assert_true(clist > 0 && ilist > 0 && ctype > 0 && cached > 0);
	st = migrate_verified(rows, d1, d2);
	ft_store_close(st);
	assert_migrated_kept(d1, d2, ntests, rows);
	assert_int_equal(countf("states", " WHERE kind IN (9, 10, 11)"), 0);
	assert_int_equal(countf("statcache", " WHERE kind IN (9, 10, 11)"), 0);
	assert_int_equal(countf("states", " WHERE kind = 21"), clist);   /* LIST | 1 << 4 */
	assert_int_equal(countf("states", " WHERE kind = 37"), ilist);   /* LIST | 2 << 4 */
	assert_int_equal(countf("states", " WHERE kind = 18"), ctype);   /* TYPE | 1 << 4 */
	assert_int_equal(countf("statcache", " WHERE kind = 37"), cached);
	assert_int_equal(count("SELECT count(*) FROM states"), nstates);
	assert_int_equal(count("SELECT count(*) FROM depsets"), nsets);
}

/* A set corrupt before migrate_7_8 stays corrupt: its digest is verified
 * as version 7 computes it before the kinds change, never written again
 * over a bad member; the migration fails and the file keeps its version. */
static void test_schema__v5_corrupt_set_not_laundered(void **unused)
{
	struct ft_store *st;

	exec_sql("UPDATE states SET value = value + 1 WHERE id = (SELECT min(id) FROM states WHERE kind = 10)");
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), FT_ECORRUPT);
	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"), 5);
	assert_int_equal(countf("states", " WHERE kind = 37"), 0);
}

/* 5 -> 7: every row kept, the digests and checksums unchanged, test_times
 * there and empty; a row put in a run reads back as the test's newest;
 * an edited one is then corrupt, named with its table. */
static void test_schema__v5_migrates_times(void **unused)
{
	struct ft_store *st;
	struct ft_run_info run = { "cat pytest.ini", "/", 1, 2, 0, NULL };
	unsigned char d1[16], d2[16];
	int64_t rows[NCK], total = 0, ntests = count("SELECT count(*) FROM tests"), run_id;
	int n = 0;

	st = migrate_verified(rows, d1, d2);
	assert_int_equal(ft_store_has_table(st, "test_times"), 1);
	assert_int_equal(ft_store_times_last_each(st, no_time, NULL), 0);
	assert_int_equal(ft_store_history_each(st, 0, &total, no_history, NULL), -1);
	assert_int_equal(total, 1);
	assert_int_equal(ft_store_flaky_each(st, flaky_row, &n), 0);
	assert_int_equal(n, 1);
	ft_store_close(st);
	assert_migrated_kept(d1, d2, ntests, rows);
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
	assert_non_null(strstr(store_why(st, FT_ECORRUPT), "database is corrupt: history_times 2 "));
	assert_int_equal(ft_store_history_each(st, 1, NULL, timed_row, &n), FT_ECORRUPT);
	assert_non_null(strstr(store_why(st, FT_ECORRUPT), "database is corrupt: history_times 2 "));
	ft_store_close(st);
	exec_sql("DELETE FROM history_times");

	/* test_times is verified by its reads (not by ft_store_verify: it
	 * selects nothing, and it is large) */
	exec_sql("UPDATE test_times SET ns = 1 WHERE name = 'cmd-ini'");
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_times_last_each(st, time_row, &n), FT_ECORRUPT);
	assert_non_null(strstr(store_why(st, FT_ECORRUPT), "database is corrupt: test_times cmd-ini "));
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

/* A new database has the whole current schema from the start. */
static void test_schema__new_is_current(void **unused)
{
	struct ft_store *st;

	unlink(dbp);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	ft_store_close(st);
	assert_int_equal(count("SELECT value FROM meta WHERE key='schema_version'"),
			 FT_STORE_SCHEMA_VERSION);
	assert_int_equal(tables(), FT_NTABLES);
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
		cmocka_unit_test_setup_teardown(test_schema__v5_read_only, setup5, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v5_migrates, setup5, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v5_unconvertible, setup5, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v5_read_only_times, setup5, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v5_migrates_times, setup5, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v5_migrates_readers, setup5, teardown),
		cmocka_unit_test_setup_teardown(test_schema__v5_corrupt_set_not_laundered, setup5, teardown),
		cmocka_unit_test_setup_teardown(test_schema__times_keep_newest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema__history_keeps_newest, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
