/*
 * ft_store_ck.c - row checksums (schema version 3; ft_store_int.h).
 *
 * Selection reads more than the sets and the tests that ft_store_verify.c
 * checks: the runs' runner lists (runs.meta_json: where new tests are
 * looked for), the Python function tables (which functions each test ran),
 * the fingerprint cache, pytest's views of its configuration files, the
 * directory listings, the stat cache and (version 4) the flaky tests.  A
 * flipped bit in any of them can shrink a selection as silently as one in
 * a set.  (Version 5's selection history selects nothing, but a corrupt
 * row must not become a figure of `ftrace stats`: it has ck too.)  Version 6
 * moves the runner lists into run_pytest, run_runners and run_strings,
 * each row with ck, and runs.meta_rows (their count) under the runs row's.
 * (Version 7's test_times has ck, verified by each of its reads, but not
 * by ft_store_verify: it selects nothing, and at up to 50 rows per test it
 * would cost every selection more than all the rest.  Likewise, since
 * 2026-11-29, pyfunc_tests, pyfunc_fps and pyfunc_lazy: most of a function
 * recording's bytes (4.3 of jinja's 7 MB), of which a selection reads the
 * rows of the tests and files it judges.  Each read checks its row's ck
 * and that the row's key is the one asked for (ft_store_pyfunc_error),
 * and export checks every row.)  So each of their rows
 * carries ck, the checksum of its other columns, which the row's writer
 * computes with the SQL function ft_ck() in the same statement, and
 * ft_store_verify recomputes for every row inside the read transaction of
 * the selection.  Per row, not per table: the fingerprint cache and the
 * stat cache are written by `affected` itself, a row at a time.
 *
 * A per-row checksum sees a changed row, not a deleted one: a missing row
 * of these tables reads as "not recorded", which selects more (a test
 * without function data is selected by file; a missing cache entry is
 * computed again), except a missing runs row, whose runner lists go with
 * it: runs are never deleted, so a test whose run_id names no run is
 * corrupt too (and tests.run_id is part of the tests' digest from
 * version 3 on, ft_store_verify.c).
 */
#include <stdio.h>
#include <string.h>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "ft_error.h"
#include "ft_store_int.h"

/* The row checksums' tables, the row's key for the message, and the
 * checksum over the row (the FT_CK_* expressions of ft_store_int.h). */
static const struct {
	const char *table, *key, *ck;
	int since;    /* the schema version that has the table with its ck */
	int until;    /* the last version whose rows it checks (0: every later one) */
	int reads_only; /* verified by its reads only, not by ft_store_verify */
} ck_tables[] = {
	{ "runs", "id", FT_CK_RUNS, 3, 5, 0 },
	{ "runs", "id", FT_CK_RUNS_6, 6, 0, 0 },
	{ "pyfunc_fps", "CAST(path AS TEXT) || ' ' || value", FT_CK_PYFUNC_FPS, 3, 0, 1 },
	{ "pyfunc_tests", "name", FT_CK_PYFUNC_TESTS, 3, 0, 1 },
	{ "pyfunc_runs", "run_id", FT_CK_PYFUNC_RUNS, 3, 0, 0 },
	{ "pyfunc_lazy", "name", FT_CK_PYFUNC_LAZY, 3, 0, 1 },
	{ "pyfunc_fpcache", "CAST(path AS TEXT)", FT_CK_PYFUNC_FPCACHE, 3, 0, 0 },
	{ "pyconf_views", "CAST(path AS TEXT) || ' ' || value", FT_CK_PYCONF_VIEWS, 3, 0, 0 },
	{ "listings", "coalesce((SELECT CAST(p.path AS TEXT) FROM paths p WHERE p.id = path_id),"
	  " 'path ' || path_id) || ' ' || value", FT_CK_LISTINGS, 3, 0, 0 },
	{ "statcache", "coalesce((SELECT CAST(p.path AS TEXT) FROM paths p WHERE p.id = path_id),"
	  " 'path ' || path_id) || ' ' || kind", FT_CK_STATCACHE, 3, 0, 0 },
	{ "flaky", "name", FT_CK_FLAKY, 4, 0, 0 },
	{ "history", "id", FT_CK_HISTORY, 5, 0, 0 },
	{ "run_pytest", "run_id", FT_CK_RUN_PYTEST, 6, 0, 0 },
	{ "run_runners", "run_id || ' ' || pos", FT_CK_RUN_RUNNERS, 6, 0, 0 },
	{ "run_strings", "run_id || ' ' || owner || ' ' || list || ' ' || pos", FT_CK_RUN_STRINGS, 6, 0, 0 },
	{ "test_times", "name || ' ' || run_id", FT_CK_TEST_TIMES, 7, 0, 1 },
	{ "history_times", "id", FT_CK_HISTORY_TIMES, 7, 0, 0 },
};
#define NCK (sizeof(ck_tables) / sizeof(ck_tables[0]))

/* Does entry i check the rows of a version-`version` file? */
static int ck_applies(size_t i, int version)
{
	return version >= ck_tables[i].since && (!ck_tables[i].until || version <= ck_tables[i].until);
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* ft_ck(v, ...): XXH3-64 over each value's type and its bytes, so that a
 * value that changed type (an integer read as text, a NULL) differs too.
 * The bytes are gathered into one buffer and hashed at once: XXH3's
 * streaming form gives the same hash for the same bytes, but costs more
 * than the hashing itself on rows this short (a verification hashes every
 * stat cache row).  A row too long for the buffer is streamed. */
#define FT_CK_BUF 1024

static void ck_func(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	unsigned char buf[FT_CK_BUF];
	size_t used = 0;
	XXH3_state_t hs;
	int streaming = 0;

	for (int i = 0; i < argc; i++) {
		sqlite3_value *v = argv[i];
		int t = sqlite3_value_type(v);
		unsigned char b[9] = { (unsigned char)t };
		const void *p = NULL;
		size_t nb, np = 0;
		double d;
		uint64_t u;

		switch (t) {
		case SQLITE_INTEGER:
			put_le(b + 1, (uint64_t)sqlite3_value_int64(v), 8);
			nb = 9;
			break;
		case SQLITE_FLOAT:
			d = sqlite3_value_double(v);
			memcpy(&u, &d, sizeof(u));
			put_le(b + 1, u, 8);
			nb = 9;
			break;
		case SQLITE_NULL:
			nb = 1;
			break;
		default: /* text or blob: the pointer first, then its length */
			p = t == SQLITE_TEXT ? (const void *)sqlite3_value_text(v) : sqlite3_value_blob(v);
			put_le(b + 1, (uint64_t)sqlite3_value_bytes(v), 4);
			nb = 5;
			if (p)
				np = (size_t)sqlite3_value_bytes(v);
			break;
		}
		if (!streaming && used + nb + np > sizeof(buf)) {
			XXH3_64bits_reset(&hs);
			XXH3_64bits_update(&hs, buf, used);
			streaming = 1;
		}
		if (streaming) {
			XXH3_64bits_update(&hs, b, nb);
			if (np)
				XXH3_64bits_update(&hs, p, np);
			continue;
		}
		memcpy(buf + used, b, nb);
		used += nb;
		if (np) {
			memcpy(buf + used, p, np);
			used += np;
		}
	}
	sqlite3_result_int64(ctx, (sqlite3_int64)(streaming ? XXH3_64bits_digest(&hs) :
						  XXH3_64bits(buf, used)));
}

int ft__store_ck_register(struct ft_store *st)
{
	/* DIRECTONLY: a database's own triggers and views can never call it */
	int rc = sqlite3_create_function(st->db, "ft_ck", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC |
					 SQLITE_DIRECTONLY, NULL, ck_func, NULL, NULL);

	return rc == SQLITE_OK ? 0 : ft__store_fail(st, rc);
}

int ft__store_ck_fill(struct ft_store *st)
{
	char sql[512];
	int rc;

	for (size_t i = 0; i < NCK; i++) {
		/* the 2 -> 3 migration runs before 3 -> 4 creates flaky, and
		 * computes the runs' ck as versions 3 to 5 do (5 -> 6 again) */
		if (!ck_applies(i, st->version < 3 ? 3 : st->version) ||
		    !ft_store_has_table(st, ck_tables[i].table))
			continue;
		snprintf(sql, sizeof(sql), "UPDATE %s SET ck = %s", ck_tables[i].table, ck_tables[i].ck);
		if ((rc = ft__store_exec(st, sql)) < 0)
			return rc;
	}
	return 0;
}

int ft__store_verify_rows(struct ft_store *st, int whole)
{
	sqlite3_stmt *q = NULL;
	char sql[768];
	int rc;

	/* a version-2 file read without migrating has no checksums yet */
	if (st->version < 3)
		return 0;
	/* runs are never deleted: a test's run missing is a row lost, and its
	 * runner lists with it */
	if ((rc = ft__store_read_prepare(st, &q, "SELECT name FROM tests t WHERE run_id IS NOT NULL"
					 " AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = t.run_id)"
					 " LIMIT 1")) < 0)
		return rc;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		snprintf(st->errmsg, sizeof(st->errmsg), "database is corrupt: runs: the run of test "
			 "%.300s is missing", name ? name : "(no name)");
		sqlite3_finalize(q);
		return FT_ECORRUPT;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return ft__store_read_err(rc);
	for (size_t i = 0; i < NCK; i++) {
		if (!ck_applies(i, st->version) || (ck_tables[i].reads_only && !whole))
			continue; /* a version-3 file read without migrating: no flaky */
		snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE ck IS NOT %s LIMIT 1",
			 ck_tables[i].key, ck_tables[i].table, ck_tables[i].ck);
		if ((rc = ft__store_read_prepare(st, &q, sql)) < 0)
			return rc;
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			const char *key = (const char *)sqlite3_column_text(q, 0);
			snprintf(st->errmsg, sizeof(st->errmsg), "database is corrupt: %s %.300s "
				 "(checksum mismatch: SQLite's own checks cannot see it)",
				 ck_tables[i].table, key ? key : "(no key)");
			sqlite3_finalize(q);
			return FT_ECORRUPT;
		}
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			return ft__store_read_err(rc);
	}
	return 0;
}
