/*
 * ft_schema.c - every table of the database, its version, and the
 * migrations from older versions: the one place that says what a
 * database of a given version holds (docs/internals.md, "The store").
 *
 * Version 1 had the core tables below (meta ... listings), and the
 * Python tables (pyfunc_*, pyconf_views) came on demand, each created
 * with CREATE TABLE IF NOT EXISTS by whichever module wrote to it first;
 * pyfunc_fps.names was added later by an ALTER TABLE of its writer.  So a
 * version-1 file may hold any subset of those.  Version 2 creates all of
 * them with the database, and migrate_1_2() brings a version-1 file there.
 * Version 3 adds a row checksum (column ck) to the tables selection reads
 * besides the sets and the tests (store/ft_store_ck.c); migrate_2_3()
 * computes it for the rows already there.  Version 4 adds the table
 * flaky (store/ft_store_flaky.c: tests whose outcome changed while their
 * dependencies did not), made empty by migrate_3_4().  Version 5 adds the
 * table history (store/ft_store_history.c: what each `ftrace test` and
 * `ftrace verify` selected, for `ftrace stats`), made empty by
 * migrate_4_5().  Version 6 keeps a run's metadata (runs.meta_json, a
 * JSON text until then) in the tables run_pytest, run_runners and
 * run_strings, with runs.meta_rows (store/ft_store_runmeta.h); see
 * migrate_5_6().  Version 7 adds the tables test_times
 * (store/ft_store_times.c: each test's duration and outcome per run) and
 * history_times (the recorded durations of the tests a kept selection
 * skipped), made empty by migrate_6_7().  Version 8 stores a dependency's
 * reader in its kind code (store/ft_state.h): migrate_7_8() converts the
 * version-7 kinds 9-11.  Version 9 does the same for the last pytest kind
 * in the core's enum, 8 (pytest-config, a FILE of the config reader):
 * migrate_8_9().  Version 10 lets run_strings hold the pytest list
 * `noted` (store/ft_store_runmeta.c), which a version-9 reader would take
 * for a list entry out of place: migrate_9_10() has nothing to convert.
 * Version 11 does the same for the pytest list `options` (the session's
 * options, selector/pipeline_options.c): migrate_10_11().
 * Readers still accept a version-1 to 9 file that a
 * read-only open could not migrate: the accessors of the optional tables
 * ask ft_store_has_table(), rows without a ck column are not verified,
 * and the older kinds are read as their codes (ft__store_kind).
 */
#include <stdio.h>
#include <string.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_store_int.h"

/* Version 7's tables, one text for the schema and for migrate_6_7: each
 * test's duration and outcome per run (store/ft_store_times.c), and the
 * recorded durations of the tests a kept selection left out
 * (history_times, one row per history row that measured them:
 * store/ft_store_history.c). */
#define FT_SCHEMA_V7 \
	"CREATE TABLE IF NOT EXISTS test_times(run_id INTEGER NOT NULL, name TEXT NOT NULL," \
	"  outcome INTEGER NOT NULL, ns INTEGER NOT NULL, source TEXT NOT NULL, ck INTEGER," \
	"  PRIMARY KEY(name, run_id)) WITHOUT ROWID;" \
	"CREATE INDEX IF NOT EXISTS test_times_by_run ON test_times(run_id);" \
	"CREATE TABLE IF NOT EXISTS history_times(id INTEGER PRIMARY KEY, timed INTEGER NOT NULL," \
	"  ns INTEGER NOT NULL, ck INTEGER);"

/* Version 7, complete.  IF NOT EXISTS: the same text also fills in the
 * tables a version-1 file lacks (migrate_1_2), the flaky table a
 * version-3 file lacks (migrate_3_4), the history table a version-4
 * file lacks (migrate_4_5) and the run metadata tables a version-5 file
 * lacks (migrate_5_6, which adds runs.meta_rows) and the duration tables a
 * version-6 file lacks (migrate_6_7); the columns ck (row checksums,
 * store/ft_store_ck.c) came with version 3 (migrate_2_3). */
static const char ft_schema_sql[] =
	/* the core: what version 1 already had */
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS paths(id INTEGER PRIMARY KEY, path BLOB NOT NULL UNIQUE);"
	"CREATE TABLE IF NOT EXISTS states(id INTEGER PRIMARY KEY, path_id INTEGER NOT NULL,"
	"  kind INTEGER NOT NULL, value INTEGER NOT NULL, UNIQUE(path_id, kind, value));"
	"CREATE TABLE IF NOT EXISTS depsets(id INTEGER PRIMARY KEY, digest BLOB NOT NULL UNIQUE,"
	"  n INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS depset_states(set_id INTEGER NOT NULL, state_id INTEGER NOT NULL,"
	"  PRIMARY KEY(set_id, state_id)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS depset_states_by_state ON depset_states(state_id, set_id);"
	"CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, command TEXT, cwd TEXT,"
	"  started_ns INTEGER, finished_ns INTEGER, exit_status INTEGER, meta_json TEXT, ck INTEGER,"
	"  meta_rows INTEGER);"
	"CREATE TABLE IF NOT EXISTS tests(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	"  runner TEXT, file TEXT, outcome INTEGER NOT NULL, untraced INTEGER NOT NULL,"
	"  run_id INTEGER);"
	"CREATE TABLE IF NOT EXISTS test_sets(test_id INTEGER NOT NULL, set_id INTEGER NOT NULL,"
	"  PRIMARY KEY(test_id, set_id)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS test_sets_by_set ON test_sets(set_id, test_id);"
	"CREATE TABLE IF NOT EXISTS statcache(path_id INTEGER NOT NULL, kind INTEGER NOT NULL,"
	"  dev INTEGER, ino INTEGER, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,"
	"  mode INTEGER, taken_ns INTEGER, value INTEGER, ck INTEGER, PRIMARY KEY(path_id, kind))"
	"  WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS listings(path_id INTEGER NOT NULL, value INTEGER NOT NULL,"
	"  names BLOB NOT NULL, ck INTEGER, PRIMARY KEY(path_id, value)) WITHOUT ROWID;"
	/* Python function granularity (store/ft_store_pyfunc.c) */
	"CREATE TABLE IF NOT EXISTS pyfunc_fps(path BLOB NOT NULL, value INTEGER NOT NULL,"
	"  skeleton TEXT NOT NULL, bodies TEXT NOT NULL, prelude TEXT NOT NULL, names TEXT,"
	"  ck INTEGER, PRIMARY KEY(path, value)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS pyfunc_tests(name TEXT PRIMARY KEY, run_id INTEGER NOT NULL,"
	"  complete INTEGER NOT NULL, funcs TEXT NOT NULL, own TEXT NOT NULL, ck INTEGER);"
	"CREATE TABLE IF NOT EXISTS pyfunc_runs(run_id INTEGER PRIMARY KEY, prelude TEXT NOT NULL,"
	"  ck INTEGER);"
	"CREATE TABLE IF NOT EXISTS pyfunc_lazy(name TEXT PRIMARY KEY, run_id INTEGER NOT NULL,"
	"  files TEXT NOT NULL, ck INTEGER);"
	/* the fingerprint cache (store/ft_store_fpcache.c) */
	"CREATE TABLE IF NOT EXISTS pyfunc_fpcache(path BLOB PRIMARY KEY, boot TEXT NOT NULL,"
	"  python TEXT NOT NULL, dev INTEGER, ino INTEGER, size INTEGER, mtime_ns INTEGER,"
	"  ctime_ns INTEGER, fp TEXT NOT NULL, ck INTEGER) WITHOUT ROWID;"
	/* pytest's view of its configuration files (store/ft_store_pyconf.c) */
	"CREATE TABLE IF NOT EXISTS pyconf_views(path BLOB NOT NULL, value INTEGER NOT NULL,"
	"  view TEXT NOT NULL, ck INTEGER, PRIMARY KEY(path, value)) WITHOUT ROWID;"
	/* flaky tests, learned at ingest (store/ft_store_flaky.c; version 4) */
	"CREATE TABLE IF NOT EXISTS flaky(name TEXT PRIMARY KEY, count INTEGER NOT NULL,"
	"  last_ns INTEGER NOT NULL, last_from INTEGER NOT NULL, last_to INTEGER NOT NULL,"
	"  clean INTEGER NOT NULL, ck INTEGER);"
	/* what each `ftrace test` / `verify` selected (store/ft_store_history.c;
	 * version 5) */
	"CREATE TABLE IF NOT EXISTS history(id INTEGER PRIMARY KEY, at_ns INTEGER NOT NULL,"
	"  command TEXT NOT NULL, known INTEGER NOT NULL, selected INTEGER NOT NULL,"
	"  reasons TEXT NOT NULL, escapes INTEGER NOT NULL, ck INTEGER);"
	/* a run's metadata, once runs.meta_json (store/ft_store_runmeta.h;
	 * version 6) */
	"CREATE TABLE IF NOT EXISTS run_pytest(run_id INTEGER PRIMARY KEY, rootdir TEXT NOT NULL,"
	"  collector INTEGER NOT NULL, plain INTEGER NOT NULL, doctest_modules INTEGER,"
	"  pyplain INTEGER, std TEXT, has INTEGER NOT NULL, ck INTEGER);"
	"CREATE TABLE IF NOT EXISTS run_runners(run_id INTEGER NOT NULL, pos INTEGER NOT NULL,"
	"  runner TEXT NOT NULL, dir TEXT NOT NULL, has INTEGER NOT NULL, ck INTEGER,"
	"  PRIMARY KEY(run_id, pos)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS run_strings(run_id INTEGER NOT NULL, owner INTEGER NOT NULL,"
	"  list TEXT NOT NULL, pos INTEGER NOT NULL, value TEXT NOT NULL, ck INTEGER,"
	"  PRIMARY KEY(run_id, owner, list, pos)) WITHOUT ROWID;"
	/* each test's duration and outcome per run; the time a kept
	 * selection's skipped tests took when recorded (version 7) */
	FT_SCHEMA_V7;

/* The tables every version has; a file without one of them is not a
 * complete ftrace database (FT_ECORRUPT). */
static const char *const core_tables[] = {
	"meta", "paths", "states", "depsets", "depset_states", "runs", "tests",
	"test_sets", "statcache", "listings",
};
#define NCORE (sizeof(core_tables) / sizeof(core_tables[0]))

int ft__schema_check(struct ft_store *st)
{
	sqlite3_stmt *q = NULL;
	int rc, any = 0, err;
	unsigned found = 0;
	sqlite3_int64 version;

	rc = sqlite3_prepare_v2(st->db, "SELECT name FROM sqlite_master WHERE type='table'", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return ft__store_fail(st, rc);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		any = 1;
		for (size_t i = 0; name && i < NCORE; i++)
			if (!strcmp(name, core_tables[i]))
				found |= 1u << i;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return ft__store_fail(st, rc);
	if (!any) {
		/* No table at all: a zero-byte file, or one whose creator has
		 * not committed its schema yet.  Nothing was recorded in it. */
		snprintf(st->errmsg, sizeof(st->errmsg), "the database is empty (being created, "
			 "or no run has saved to it yet)");
		return FT_ENORECORD;
	}
	if (!(found & 1)) {
		snprintf(st->errmsg, sizeof(st->errmsg), "no meta table: not an ftrace database");
		return FT_ECORRUPT;
	}
	rc = sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key='schema_version'", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return ft__store_fail(st, rc);
	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW || sqlite3_column_type(q, 0) != SQLITE_INTEGER) {
		err = rc == SQLITE_ROW || rc == SQLITE_DONE ? FT_ECORRUPT : ft__store_fail(st, rc);
		if (err == FT_ECORRUPT && rc != SQLITE_ERROR)
			snprintf(st->errmsg, sizeof(st->errmsg), "meta.schema_version missing or not a number");
		sqlite3_finalize(q);
		return err;
	}
	version = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (version > FT_STORE_SCHEMA_VERSION) {
		snprintf(st->errmsg, sizeof(st->errmsg),
			 "schema version %lld, this ftrace reads up to %d", (long long)version,
			 FT_STORE_SCHEMA_VERSION);
		return FT_ESCHEMA;
	}
	if (version < 1) {
		snprintf(st->errmsg, sizeof(st->errmsg), "schema version %lld is invalid", (long long)version);
		return FT_ECORRUPT;
	}
	if (found != (1u << NCORE) - 1) {
		snprintf(st->errmsg, sizeof(st->errmsg), "tables missing: not a complete ftrace database");
		return FT_ECORRUPT;
	}
	st->version = (int)version;
	return 0;
}

int ft__schema_create(struct ft_store *st)
{
	char sql[192];
	int rc;

	/* WAL: `affected` reads while a `run` writes.  Set before any table. */
	rc = ft__store_exec(st, "PRAGMA journal_mode=WAL");
	if (rc < 0)
		return rc;
	rc = ft__store_exec(st, "BEGIN IMMEDIATE");
	if (rc < 0)
		return rc;
	/* and the garbage collection's marks (ft_store_gc.c): no row is above
	 * 0 that a commit does not look at, so they are right whatever rows
	 * another process may have written first */
	snprintf(sql, sizeof(sql), "INSERT OR IGNORE INTO meta VALUES('schema_version', %d);"
		 "INSERT OR IGNORE INTO meta VALUES('gc_marks', '0 0 0')", FT_STORE_SCHEMA_VERSION);
	if ((rc = ft__store_exec(st, ft_schema_sql)) < 0 || (rc = ft__store_exec(st, sql)) < 0) {
		ft__store_undo(st, "ROLLBACK");
		return rc;
	}
	return ft__store_exec(st, "COMMIT");
}

/* The stored version, read again inside the migration's transaction:
 * another process may have migrated since we validated. */
static int stored_version(struct ft_store *st, int *version)
{
	sqlite3_stmt *q;
	int rc = ft__store_prepare(st, &q, "SELECT value FROM meta WHERE key='schema_version'");

	if (rc < 0)
		return rc;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) == SQLITE_INTEGER)
		*version = sqlite3_column_int(q, 0);
	rc = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? FT_ECORRUPT : ft__store_fail(st, rc);
	sqlite3_finalize(q);
	return rc;
}

/*
 * 1 -> 2: the tables version 1 made on demand are made now, empty where
 * they were missing; a pyfunc_fps made before its names column gets it
 * (NULL in the old rows, which narrows nothing, as the column's reader
 * always treated it).  No row of a version-1 table changes, so
 * meta.tests_digest and the sets' digests still hold.
 */
static int migrate_1_2(struct ft_store *st)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(st->db, "SELECT names FROM pyfunc_fps LIMIT 0", -1, &q, NULL) == SQLITE_OK) {
		sqlite3_finalize(q);
	} else if (ft_store_has_table(st, "pyfunc_fps") &&
		   (rc = ft__store_exec(st, "ALTER TABLE pyfunc_fps ADD COLUMN names TEXT")) < 0) {
		return rc;
	}
	return ft__store_exec(st, ft_schema_sql);
}

/* The tables with a row checksum (ft_store_int.h, FT_CK_*). */
static const char *const ck_tables[] = {
	"runs", "pyfunc_fps", "pyfunc_tests", "pyfunc_runs", "pyfunc_lazy", "pyfunc_fpcache",
	"pyconf_views", "listings", "statcache",
};

/*
 * Version 3's tests digest covers tests.run_id too (ft_store_verify.c):
 * where the database has a digest, it is verified as version 2 computes
 * it (a corrupt one stops the migration: nothing is laundered into a
 * fresh digest), then written again as version 3 computes it.
 * meta.tests_digest_run stays: a digest left behind by an older run stays
 * skipped.
 */
/* meta.tests_digest as the version in st->version computes it, where
 * the database has one. */
static int write_digest(struct ft_store *st)
{
	unsigned char d[16];
	sqlite3_stmt *q;
	int rc = ft_store_tests_digest(st, d);

	if (rc < 0 || (rc = ft__store_prepare(st, &q, "UPDATE meta SET value = ?"
					       " WHERE key = 'tests_digest'")) < 0)
		return rc;
	sqlite3_bind_blob(q, 1, d, 16, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

static int tests_digest_3(struct ft_store *st)
{
	int rc, version = st->version;

	st->version = 2;
	rc = ft__store_verify_tests(st);
	st->version = 3;
	if (rc == 0)
		rc = write_digest(st);
	st->version = version;
	return rc;
}


/*
 * 2 -> 3: each row of runs, the Python tables, listings and statcache
 * gets its checksum (ck).  The rows already there are trusted as they are
 * at this point: they are checksummed as read, so a row that a flipped bit
 * changed before the migration stays as wrong as it was (no version could
 * tell); every change after it is seen.  A table created by migrate_1_2
 * just before already has the column.  The tests' digest gains run_id
 * (tests_digest_3).
 */
static int migrate_2_3(struct ft_store *st)
{
	char sql[128];
	sqlite3_stmt *q;
	int rc;

	for (size_t i = 0; i < sizeof(ck_tables) / sizeof(ck_tables[0]); i++) {
		snprintf(sql, sizeof(sql), "SELECT ck FROM %s LIMIT 0", ck_tables[i]);
		if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) == SQLITE_OK) {
			sqlite3_finalize(q);
			continue;
		}
		snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN ck INTEGER", ck_tables[i]);
		if ((rc = ft__store_exec(st, sql)) < 0)
			return rc;
	}
	if ((rc = ft__store_ck_fill(st)) < 0)
		return rc;
	return tests_digest_3(st);
}

/*
 * 3 -> 4: the table flaky, empty (no recording before version 4 learned
 * any).  No other table changes, so every digest and checksum holds.
 */
static int migrate_3_4(struct ft_store *st)
{
	return ft__store_exec(st, ft_schema_sql);
}

/*
 * 4 -> 5: the table history, empty (no version before 5 kept one).  No
 * other table changes, so every digest and checksum holds.
 */
static int migrate_4_5(struct ft_store *st)
{
	return ft__store_exec(st, ft_schema_sql);
}

/*
 * 5 -> 6: runs.meta_json, a JSON text whose shape only prose gave, becomes
 * tables (store/ft_store_runmeta.h).  Adds runs.meta_rows (how many rows
 * of the three tables the run has, under the runs row's checksum: a row
 * deleted is seen) and the tables run_pytest, run_runners, run_strings;
 * each text converted moves there and its meta_json becomes NULL (keys no
 * reader used are dropped, ft_runmeta_parse).  A text that cannot be
 * converted (it does not parse, or a runner entry is not well formed)
 * stays in meta_json, where selection reads it as version 5 did, and the
 * tests of its run become untraced (FT_UNTRACED_UNKNOWN): selected until
 * they are recorded again, whatever the text would have found.  Those
 * tests' rows change, so the tests digest is verified first (nothing
 * corrupt is laundered) and written again, as migrate_2_3 does.  Every
 * runs row's ck is computed again over the new column, once the old one
 * was found to hold (runs_ck_hold).
 */
/* Every runs row still matches its version-3-to-5 checksum: the
 * conversion reads them, and their checksum is computed again after it
 * (a row corrupt before would be laundered).  0 or FT_ECORRUPT. */
static int runs_ck_hold(struct ft_store *st)
{
	sqlite3_stmt *q;
	int rc = ft__store_prepare(st, &q, "SELECT id FROM runs WHERE ck IS NOT " FT_CK_RUNS " LIMIT 1");

	if (rc < 0)
		return rc;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		snprintf(st->errmsg, sizeof(st->errmsg), "database is corrupt: runs %lld (checksum "
			 "mismatch: SQLite's own checks cannot see it)", (long long)sqlite3_column_int64(q, 0));
	rc = rc == SQLITE_ROW ? FT_ECORRUPT : rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
	sqlite3_finalize(q);
	return rc;
}

static int migrate_5_6(struct ft_store *st)
{
	sqlite3_stmt *q;
	size_t unconverted = 0;
	int rc, version;

	if (sqlite3_prepare_v2(st->db, "SELECT meta_rows FROM runs LIMIT 0", -1, &q, NULL) == SQLITE_OK)
		sqlite3_finalize(q);
	else if ((rc = ft__store_exec(st, "ALTER TABLE runs ADD COLUMN meta_rows INTEGER")) < 0)
		return rc;
	if ((rc = ft__store_exec(st, ft_schema_sql)) < 0 || (rc = runs_ck_hold(st)) < 0)
		return rc;
	/* the tests digest as version 5 computes it (the same from 3 on),
	 * whichever version this migration started from */
	version = st->version;
	st->version = 5;
	if ((rc = ft__store_verify_tests(st)) == 0 &&
	    (rc = ft__store_runmeta_migrate(st, &unconverted)) == 0 &&
	    (rc = ft__store_exec(st, "UPDATE runs SET ck = " FT_CK_RUNS_6)) == 0 && unconverted)
		rc = write_digest(st);
	st->version = version;
	return rc;
}

/*
 * 6 -> 7: the tables test_times (and its index) and history_times, empty:
 * no version before 7 measured a test's duration.  Self-contained (its own
 * text, nothing else touched), so every digest and checksum holds.
 */
static int migrate_6_7(struct ft_store *st)
{
	return ft__store_exec(st, FT_SCHEMA_V7);
}

/*
 * The steps of a migration that changes stored kind codes (migrate_7_8,
 * migrate_8_9): verify everything as version `from` computes it (a set or
 * row corrupt before is refused, never rehashed over), run the `n`
 * statements `sql` that convert the rows, then compute every set's digest
 * again (the kind byte is in it).  Each caller keeps its own statements,
 * so its step stays what it was whatever later versions change.
 */
static int recode_kinds(struct ft_store *st, int from, const char *const *sql, size_t n)
{
	int rc, version = st->version;

	st->version = from;
	rc = ft_store_verify(st);
	st->version = version;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = ft__store_exec(st, sql[i]);
	if (rc == 0)
		rc = ft__store_rehash_sets(st);
	return rc;
}

/*
 * 7 -> 8: pytest's kinds leave the core's enum (store/ft_state.h): the
 * states of kinds 9 (collected-list), 10 (import-list) and 11
 * (collected-type) become LISTs and a TYPE with a reader (ft_dep_legacy:
 * the codes 0x15, 0x25, 0x12), and the stat cache's rows of kinds 9 and
 * 10 likewise.  The kind is in every set's digest and in the stat cache's
 * checksums, so: everything is verified first as version 7 computes it
 * (nothing corrupt is laundered), the rows are converted, and the digests
 * of the sets (ft__store_rehash_sets) and the checksums of the converted
 * cache rows are computed again.  The tests digest does not cover kinds:
 * it holds.  No two states merge (the new codes were invalid in version
 * 7).  A cache row a version-8 reader wrote into the version-7 file it
 * could not migrate may already hold the new code: it replaces the old
 * one (a cache: the next observation hashes again).  Self-contained: its
 * own statements, whatever later versions change.
 */
static int migrate_7_8(struct ft_store *st)
{
	static const char *const convert[] = {
		"UPDATE states SET kind = CASE kind WHEN 9 THEN 21 WHEN 10 THEN 37 ELSE 18 END"
		" WHERE kind IN (9, 10, 11)",
		"UPDATE OR REPLACE statcache SET kind = CASE kind WHEN 9 THEN 21 WHEN 10 THEN 37"
		" ELSE 18 END WHERE kind IN (9, 10, 11)",
		"UPDATE statcache SET ck = ft_ck('statcache', path_id, kind, dev, ino, size, mtime_ns,"
		" ctime_ns, mode, taken_ns, value) WHERE kind IN (21, 37, 18)",
	};

	_Static_assert(FT_DEP_LIST == 5 && FT_DEP_TYPE == 2 && FT_READER_COLLECT == 1 &&
		       FT_READER_IMPORT == 2 && FT_DEP_READER_SHIFT == 4,
		       "migrate_7_8 writes the version-8 codes as numbers");
	return recode_kinds(st, 7, convert, sizeof(convert) / sizeof(convert[0]));
}

/*
 * 8 -> 9: the last pytest kind leaves the core's enum: the states of kind
 * 8 (pytest-config) become FILEs of the config reader (FT_READER_CONFIG,
 * code 0x31), as migrate_7_8 did for the listings.  The kind is in every
 * set's digest, so everything is verified first as version 8 computes it
 * (nothing corrupt is laundered), the rows are converted, and the sets'
 * digests are computed again.  The stat cache holds no row of kind 8 (a
 * pytest-config value was always cached as the FILE's, under kind 1), so
 * one there is no version's: it goes (a cache: the next observation hashes
 * again).  pyconf_views is keyed by path and value, not kind: it holds.
 * The tests digest does not cover kinds: it holds.  No two states merge
 * (code 0x31 was invalid in version 8).  Self-contained: its own
 * statements, whatever later versions change.
 */
static int migrate_8_9(struct ft_store *st)
{
	static const char *const convert[] = {
		"UPDATE states SET kind = 49 WHERE kind = 8",
		"DELETE FROM statcache WHERE kind = 8",
	};

	_Static_assert(FT_DEP_FILE == 1 && FT_READER_CONFIG == 3 && FT_DEP_READER_SHIFT == 4,
		       "migrate_8_9 writes the version-9 code as a number");
	return recode_kinds(st, 8, convert, sizeof(convert) / sizeof(convert[0]));
}

/* -> 10: a new list name in run_strings (`noted`); no version-9 row has
 * it, and every version-9 row means the same in version 10. */
static int migrate_9_10(struct ft_store *st)
{
	(void)st;
	return 0;
}

/* -> 11: a new list name in run_strings (`options`), as migrate_9_10. */
static int migrate_10_11(struct ft_store *st)
{
	(void)st;
	return 0;
}

static int (*const migrations[])(struct ft_store *) = {
	NULL,        /* there is no version 0 */
	migrate_1_2, /* from version 1 */
	migrate_2_3, /* from version 2 */
	migrate_3_4, /* from version 3 */
	migrate_4_5, /* from version 4 */
	migrate_5_6, /* from version 5 */
	migrate_6_7, /* from version 6 */
	migrate_7_8, /* from version 7 */
	migrate_8_9, /* from version 8 */
	migrate_9_10, /* from version 9 */
	migrate_10_11, /* from version 10 */
};
_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == FT_STORE_SCHEMA_VERSION,
	       "each version below the current one needs its migration step");

int ft__schema_migrate(struct ft_store *st)
{
	char sql[128];
	int rc, version = 0;

	if (st->version >= FT_STORE_SCHEMA_VERSION)
		return 0;
	if ((rc = ft__store_exec(st, "BEGIN IMMEDIATE")) < 0)
		return rc;
	rc = stored_version(st, &version);
	if (rc == 0 && version > FT_STORE_SCHEMA_VERSION) {
		snprintf(st->errmsg, sizeof(st->errmsg), "schema version %d, this ftrace reads up to %d",
			 version, FT_STORE_SCHEMA_VERSION);
		rc = FT_ESCHEMA;
	}
	for (int v = version; rc == 0 && v >= 1 && v < FT_STORE_SCHEMA_VERSION; v++)
		rc = migrations[v](st);
	if (rc == 0 && version < FT_STORE_SCHEMA_VERSION) {
		snprintf(sql, sizeof(sql), "UPDATE meta SET value = %d WHERE key = 'schema_version'",
			 FT_STORE_SCHEMA_VERSION);
		rc = ft__store_exec(st, sql);
	}
	if (rc == 0)
		rc = ft__store_exec(st, "COMMIT");
	if (rc < 0) {
		ft__store_undo(st, "ROLLBACK");
		return rc;
	}
	st->version = FT_STORE_SCHEMA_VERSION;
	return 0;
}
