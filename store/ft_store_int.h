/*
 * ft_store_int.h - internals shared by the ft_store*.c files only.
 */
#ifndef FT_STORE_INT_H
#define FT_STORE_INT_H

#include <sqlite3.h>

#include "ft_store.h"

struct ft_store {
	sqlite3 *db;
	int in_run;          /* between run_begin and run_commit/abort */
	int readonly;
	int version;         /* meta.schema_version, once checked */
	int busy_ms;         /* lock wait: -1 unbounded, 0 none, else a bound */
	long long busy_since;/* CLOCK_MONOTONIC ms when the current wait began */
	int busy_noted;      /* the waiting note was given for this wait */
	char errmsg[512];
	char path[4096];     /* the database file, for messages */
};

/* Record sqlite's message for `rc` and map it to an FT_E* code. */
int ft__store_fail(struct ft_store *st, int rc);

/* Prepare (cached by SQLite's own prepare_v3 persistence flag is not enough:
 * callers keep their statements for the duration of one call). */
int ft__store_prepare(struct ft_store *st, sqlite3_stmt **stmt, const char *sql);

/* The id of `path`, inserting it when `create`; 0 in *id when absent. */
int ft__store_path_id(struct ft_store *st, const char *path, uint32_t len, int create, int64_t *id);

/* Savepoint helpers: work inside and outside a run. */
int ft__store_exec(struct ft_store *st, const char *sql);

/* Undo after a failure (ROLLBACK, ROLLBACK TO, RELEASE): run `sql` but keep
 * the failure's own message in st->errmsg.  A ROLLBACK when SQLite has
 * already rolled the transaction back (it does on a full disk) is skipped,
 * so "cannot rollback - no transaction is active" never hides the cause. */
void ft__store_undo(struct ft_store *st, const char *sql);

/* The tests' part of ft_store_verify: the tests' rows and set references
 * against meta.tests_digest (skipped where the digest is older than the
 * newest run, or absent).  Also run before a run changes them, so that a
 * commit never writes a fresh digest over rows already corrupt. */
int ft__store_verify_tests(struct ft_store *st);

/* A read's failure as selection reports it: FT_ECORRUPT for SQLite's
 * corruption codes, -ENOMEM, else FT_EDB (st->errmsg untouched).
 * ft__store_read_prepare prepares with that mapping. */
int ft__store_read_err(int rc);
int ft__store_read_prepare(struct ft_store *st, sqlite3_stmt **q, const char *sql);

/* A statcache row's (dev, ino, size, mtime_ns, ctime_ns, mode, taken_ns,
 * value), columns col .. col + 7 of q, in that order (ft_statcache.c). */
void ft__statcache_cols(sqlite3_stmt *q, int col, struct ft_statinfo *si, int64_t *taken_ns,
			uint64_t *value);

/* store/ft_schema.c: the tables and their versions.
 * ft__schema_check: is this an ftrace database we can read (reads only)?
 * 0 with st->version set, or FT_ENORECORD / FT_ECORRUPT / FT_ESCHEMA / an
 * SQLite failure, the detail in st->errmsg.
 * ft__schema_create: give an empty file the current schema (WAL, one
 * transaction; idempotent).
 * ft__schema_migrate: bring a checked older database to the current
 * version in one write transaction (a no-op when it is current). */
int ft__schema_check(struct ft_store *st);
int ft__schema_create(struct ft_store *st);
int ft__schema_migrate(struct ft_store *st);

#endif
