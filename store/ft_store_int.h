/*
 * ft_store_int.h - internals shared by the ft_store*.c files only.
 */
#ifndef FT_STORE_INT_H
#define FT_STORE_INT_H

#include <sqlite3.h>
#include <sys/types.h>

#include "ft_map.h"
#include "ft_store.h"

/* The statements ingest runs once per dependency or test, kept prepared
 * (ft__store_prepare_kept): compiling them again for every row was about
 * 7% of ingest (issue 29). */
enum ft__kept {
	FT_KEPT_PATH_SEL, FT_KEPT_PATH_INS,
	FT_KEPT_SET_BY_DIGEST, FT_KEPT_SET_INS,
	FT_KEPT_STATE_SEL, FT_KEPT_STATE_INS, FT_KEPT_MEMBER_INS, FT_KEPT_MEMBER_INS_MANY,
	FT_KEPT_TEST_UP, FT_KEPT_TEST_ROW, FT_KEPT_TEST_SETS_SEL, FT_KEPT_TEST_SETS_DEL, FT_KEPT_TEST_SETS_INS,
	FT_KEPT_STATCACHE_PUT, FT_KEPT_STATCACHE_PATH,
	FT_KEPT_SP_OPEN, FT_KEPT_SP_RELEASE, FT_KEPT_SP_TEST_OPEN, FT_KEPT_SP_TEST_RELEASE,
	FT_KEPT_FLAKY_STORED, FT_KEPT_FLAKY_ROW,
	FT_KEPT_PYFUNC_TEST_PUT, FT_KEPT_PYFUNC_LAZY_PUT,
	FT_KEPT_HAS_TABLE,
	FT_KEPT__N
};

struct ft_store {
	sqlite3 *db;
	sqlite3_stmt *kept[FT_KEPT__N]; /* prepared on first use, finalized at close */
	int in_run;          /* between run_begin and run_commit/abort */
	int readonly;
	int version;         /* meta.schema_version, once checked */
	int busy_ms;         /* lock wait: -1 unbounded, 0 none, else a bound */
	long long busy_since;/* CLOCK_MONOTONIC ms when the current wait began */
	int busy_noted;      /* the waiting note was given for this wait */
	int busy_failed;     /* ft__store_fail's last code was SQLITE_BUSY or _LOCKED */
	char errmsg[512];
	char path[4096];     /* the database file, for messages */
	dev_t dev;           /* the file at path once opened (ft_store_still) */
	ino_t ino;
	/* ft__store_path_cache: path bytes -> paths.id, while a bulk writer
	 * (an import) owns the write transaction and nothing deletes paths */
	struct ft_map *pcache;
	int64_t *pcache_ids;
	size_t pcache_cap;
	/* ft__store_state_cache: (path_id, kind, value) -> states.id, on
	 * the same terms as pcache */
	struct ft__state_cache *scache;
	int scache_want;     /* on, not yet read (ft_store_states.c) */
	/* set while a writer whose every failure rolls its whole write
	 * transaction back (ft_store_import) owns it: ft_store_depset_put and
	 * ft_store_test_put then open no savepoint of their own */
	int all_or_nothing;
	/* ft_store_gc.c: in the write transaction, sets a test let go and
	 * listings written (path id, value pairs), for the commit's garbage
	 * collection; gc_full when one could not be noted */
	int64_t *gc_sets, *gc_lists;
	size_t gc_nsets, gc_csets, gc_nlists, gc_clists;
	int gc_full;
	/* the tests' digest as a sum (ft_store_verify.c), from the check a
	 * write transaction begins with, kept up by the writers of tests and
	 * test_sets rows in it (ft__store_digest_*): its commit writes it
	 * without reading every test again.  tsum_ok 0: the commit reads
	 * them (no stored digest to check against, or a write it cannot
	 * follow) */
	uint64_t tsum[2];
	int tsum_ok;
};

/* ft_store_depset_put, where slots[i] (slots may be NULL) points to a
 * holder of 0 or the paths.id of deps[i].path in this write transaction:
 * a holder of 0 is filled when the set is inserted, and an id is not
 * looked up again (an import's holder per bundle path: ft_store_import.c).
 * The caller keeps them only while no path can be deleted or rolled back. */
int ft__store_depset_put(struct ft_store *st, const struct ft_dep *deps, int64_t *const *slots,
			 size_t n, int64_t *set_id);

/* The commit's garbage collection (ft_store_gc.c): 0 or FT_E*.  The notes
 * are dropped whatever it returns. */
int ft__store_gc(struct ft_store *st);
/* A set that a test stopped referencing, in this write transaction. */
void ft__store_gc_note_set(struct ft_store *st, int64_t set_id);
/* A listing written in this write transaction. */
void ft__store_gc_note_listing(struct ft_store *st, int64_t path_id, int64_t value);
/* v[0..n) sorted, each id once: returns the new n (ft_store_gc.c). */
size_t ft__store_ids_unique(int64_t *v, size_t n);
/* Drop the notes (the transaction ended without a commit). */
void ft__store_gc_reset(struct ft_store *st);
/* The next commit collects in full (a write the notes cannot follow). */
int ft__store_gc_forget_marks(struct ft_store *st);

/* Record sqlite's message for `rc` and map it to an FT_E* code. */
int ft__store_fail(struct ft_store *st, int rc);

/* Prepare (cached by SQLite's own prepare_v3 persistence flag is not enough:
 * callers keep their statements for the duration of one call). */
int ft__store_prepare(struct ft_store *st, sqlite3_stmt **stmt, const char *sql);

/* The store's kept statement `slot` for `sql` (always the same text for a
 * slot), prepared on first use.  Use it as one from ft__store_prepare, but
 * hand it back with ft__store_give_back() instead of sqlite3_finalize():
 * it is reset (which ends its read of the database) and its bindings
 * cleared.  A slot is in use by one caller at a time: no caller holds one
 * across a call that takes the same slot.  0 or FT_E*. */
int ft__store_prepare_kept(struct ft_store *st, enum ft__kept slot, sqlite3_stmt **stmt,
			   const char *sql);
void ft__store_give_back(sqlite3_stmt *stmt); /* NULL: nothing */
/* Finalize the kept statements: before the connection closes. */
void ft__store_kept_finalize(struct ft_store *st);

/* Keep the ids ft__store_path_id finds in memory (on), or drop them (off:
 * before anything deletes or rolls back paths, and before the write
 * transaction ends).  A bundle names each path once and its sets name it
 * many times: the cache spares a b-tree search of the path index for each
 * (27% of an import, bench/share).  0 or -ENOMEM (then no cache). */
int ft__store_path_cache(struct ft_store *st, int on);

/* The id of `path`, inserting it when `create`; 0 in *id when absent. */
int ft__store_path_id(struct ft_store *st, const char *path, uint32_t len, int create, int64_t *id);

/* Keep every state's id in memory (on), or drop them (off: before
 * anything deletes states, and before the write transaction ends; after
 * a ROLLBACK TO that may have undone inserted states, on again, which
 * reads them anew).  A state the cache does not know is then inserted
 * without a search of the states index first.  The states are read at
 * the first ft__store_state_id; out of memory or on a failed read, no
 * cache: slower, the same answers.  Returns 0. */
int ft__store_state_cache(struct ft_store *st, int on);

/* The id of the state (path_id, kind, value), its row inserted when
 * there is none.  Inside the caller's write transaction; 0 or FT_E*. */
int ft__store_state_id(struct ft_store *st, int64_t path_id, int kind, int64_t value, int64_t *id);

/* ft_store_run_begin in two steps (ft_store_import uses them for the
 * several runs of a bundle): the write transaction, the tests checked,
 * in_run set (end it with ft_store_run_commit or _abort); and one runs
 * row with its checksum, inside it. */
int ft__store_write_begin_run(struct ft_store *st);
int ft__store_run_insert(struct ft_store *st, const struct ft_run_info *run, int64_t *run_id);

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
/* A tests row (q's first columns: id, name, runner, file, outcome,
 * untraced, run_id) or a test_sets row that a write transaction adds
 * (sign 1) or removes (sign -1), into the kept digest.  A writer that
 * cannot say what it changed sets st->tsum_ok = 0 instead. */
void ft__store_digest_row(struct ft_store *st, sqlite3_stmt *q, int sign);
void ft__store_digest_ref(struct ft_store *st, int64_t set_id, int64_t test_id, int sign);

/* The sets' part of ft_store_verify, but a digest that differs from its
 * members' is written again (a size that differs is still FT_ECORRUPT):
 * migrate_7_8 and migrate_8_9, after the kinds the digests cover changed.  0 or negative
 * FT_E*. */
int ft__store_rehash_sets(struct ft_store *st);

/* A kind read from states (or statcache): a version-8-and-older database
 * read as it is (a reader that could not migrate it) holds kind 8, and
 * one of version 7 and older kinds 9-11, which are reader codes now
 * (store/ft_state.h, ft_dep_legacy_in). */
static inline int ft__store_kind(const struct ft_store *st, int kind)
{
	return st->version < 9 ? ft_dep_legacy_in(kind, st->version) : kind;
}

/*
 * Row checksums (store/ft_store_ck.c, schema version 3; flaky from
 * version 4, history from 5): the column ck of runs, the Python tables,
 * listings, statcache, flaky and history is ft_ck() over the
 * row's other columns, in the order of these expressions.  A writer
 * computes it in the statement that writes the row, over the values it
 * binds, in the same order (ft_ck('pyfunc_tests', ?1, ?2, ...)): each
 * value bound must have its column's type, or the stored value differs
 * from the one hashed (the unit tests write through every writer and
 * verify).
 */
#define FT_CK_RUNS "ft_ck('runs', id, command, cwd, started_ns, finished_ns, exit_status, meta_json)"
/* schema version 6: runs.meta_rows (the run's metadata rows, store/ft_store_runmeta.c) */
#define FT_CK_RUNS_6 "ft_ck('runs', id, command, cwd, started_ns, finished_ns, exit_status, meta_json," \
	" meta_rows)"
#define FT_CK_RUN_PYTEST "ft_ck('run_pytest', run_id, rootdir, collector, plain, doctest_modules," \
	" pyplain, std, has)"
#define FT_CK_RUN_RUNNERS "ft_ck('run_runners', run_id, pos, runner, dir, has)"
#define FT_CK_RUN_STRINGS "ft_ck('run_strings', run_id, owner, list, pos, value)"
#define FT_CK_PYFUNC_FPS "ft_ck('pyfunc_fps', path, value, skeleton, bodies, prelude, names)"
#define FT_CK_PYFUNC_TESTS "ft_ck('pyfunc_tests', name, run_id, complete, funcs, own)"
#define FT_CK_PYFUNC_RUNS "ft_ck('pyfunc_runs', run_id, prelude)"
#define FT_CK_PYFUNC_LAZY "ft_ck('pyfunc_lazy', name, run_id, files)"
#define FT_CK_PYFUNC_FPCACHE "ft_ck('pyfunc_fpcache', path, boot, python, dev, ino, size," \
	" mtime_ns, ctime_ns, fp)"
#define FT_CK_PYCONF_VIEWS "ft_ck('pyconf_views', path, value, view)"
#define FT_CK_LISTINGS "ft_ck('listings', path_id, value, names)"
#define FT_CK_STATCACHE "ft_ck('statcache', path_id, kind, dev, ino, size, mtime_ns, ctime_ns," \
	" mode, taken_ns, value)"
/* schema version 4 (store/ft_store_flaky.c) */
#define FT_CK_FLAKY "ft_ck('flaky', name, count, last_ns, last_from, last_to, clean)"
/* schema version 5 (store/ft_store_history.c) */
#define FT_CK_HISTORY "ft_ck('history', id, at_ns, command, known, selected, reasons, escapes)"
/* schema version 7 (store/ft_store_times.c) */
#define FT_CK_TEST_TIMES "ft_ck('test_times', run_id, name, outcome, ns, source)"
#define FT_CK_HISTORY_TIMES "ft_ck('history_times', id, timed, ns)"

/* Register ft_ck() on st->db (every connection, before any migration). */
int ft__store_ck_register(struct ft_store *st);
/* Compute ck for every row of those tables that the database has (the
 * 2 -> 3 migration, and tests/tools/ftt_plantset after a test's own
 * edits): inside the caller's write transaction. */
int ft__store_ck_fill(struct ft_store *st);
/* ft_store_verify's part for them: every row's ck against its columns; 0,
 * or FT_ECORRUPT with "database is corrupt: <table> <key> (checksum
 * mismatch ...)" in st->errmsg.  A version-2 file (read-only, not
 * migrated) has no ck: 0. */
int ft__store_verify_rows(struct ft_store *st, int whole);

/* A read's failure as selection reports it: FT_ECORRUPT for SQLite's
 * corruption codes, -ENOMEM, else FT_EDB (st->errmsg untouched).
 * ft__store_read_prepare prepares with that mapping. */
int ft__store_read_err(int rc);
int ft__store_read_prepare(struct ft_store *st, sqlite3_stmt **q, const char *sql);

/* A statcache row's (dev, ino, size, mtime_ns, ctime_ns, mode, taken_ns,
 * value), columns col .. col + 7 of q, in that order (ft_statcache.c). */
void ft__statcache_cols(sqlite3_stmt *q, int col, struct ft_statinfo *si, int64_t *taken_ns,
			uint64_t *value);

/* A run's metadata in its tables (store/ft_store_runmeta.c, version 6).
 * _put: m's rows for run run_id, their count in *rows, inside the
 * caller's write transaction.  _text: the JSON text of the run whose
 * runs row holds `json` (meta_json) and `rows` (meta_rows): json itself,
 * or built from the tables; *out malloc'd, NULL when there is none.
 * _migrate: the 5 -> 6 conversion of every runs.meta_json (ft_schema.c,
 * migrate_5_6); *unconverted: the runs whose text stays. */
struct ft_runmeta;
int ft__store_runmeta_put(struct ft_store *st, int64_t run_id, const struct ft_runmeta *m,
			  int64_t *rows);
int ft__store_runmeta_text(struct ft_store *st, int64_t run_id, const char *json, int64_t rows,
			   char **out);
int ft__store_runmeta_migrate(struct ft_store *st, size_t *unconverted);

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
