/*
 * ft_store.h - the SQLite map from tests to the file states they saw.
 *
 * One database file, `<state dir>/ftrace.db`.  Schema (version in
 * meta.schema_version): store/ft_schema.c defines every table and the
 * migrations from older versions (docs/internals.md, "Schema
 * migrations").  The core tables, with their accessors here and in
 * ft_store_tests.h and ft_store_select.h:
 *
 *   paths(id, path BLOB UNIQUE)            every path ever recorded, raw bytes
 *   states(id, path_id, kind, value)       a (path, kind, value) a test saw;
 *                                          UNIQUE(path_id, kind, value)
 *   depsets(id, digest UNIQUE, n)          a set of states, stored once and
 *   depset_states(set_id, state_id)        shared by every test that saw it
 *   tests(id, name UNIQUE, runner, file, outcome, untraced, run_id, ...)
 *   test_sets(test_id, set_id)             the sets a test depends on
 *   runs(id, ...)                          one row per `ftrace run`
 *   statcache(path_id, kind, dev, ino, size, mtime_ns, ctime_ns, mode,
 *             taken_ns, value)             stat-first cache (see ft_state.h)
 *   listings(path_id, value, names BLOB)   the names behind a LIST value
 *   meta(key, value)                       schema_version; statcache_owner
 *
 * the Python tables (ft_store_py.h): pyfunc_fps, pyfunc_tests,
 * pyfunc_runs, pyfunc_lazy, pyfunc_fpcache, pyconf_views; and the flaky
 * tests (ft_store_flaky.h, schema version 4): flaky; what each `ftrace
 * test` and `verify` selected (ft_store_history.h, version 5): history.  No module
 * outside store/ sees SQL or the SQLite handle.
 *
 * Values (uint64) are stored as SQLite INTEGER, i.e. cast to int64.
 * Indices: states(path_id, kind, value) unique; depset_states is keyed
 * (set_id, state_id) with an index (state_id, set_id); test_sets is keyed
 * (test_id, set_id) with an index (set_id, test_id): "which sets contain
 * this state" and "which tests use this set" are index lookups.
 *
 * The stat cache is only trusted on the machine (boot) that wrote it:
 * meta.statcache_owner holds /proc/sys/kernel/random/boot_id, and a cache
 * written under another owner is ignored and replaced.  A database imported
 * from elsewhere must still call ft_store_statcache_clear() (docs/racy-stat.md).
 *
 * A test's dependencies are the union of its sets.  Sets are content
 * addressed (digest over the sorted (path, kind, value) triples), so a
 * session prelude shared by 3,000 tests is stored once, and the database
 * grows with distinct sets, not tests x files.  Per-test "seen" state: two
 * tests that saw different versions of a path reference different states.
 *
 * Writing a run is one transaction: ft_store_run_begin(), any number of
 * ft_store_depset_put() and ft_store_test_put(), then ft_store_run_commit()
 * (which also drops sets and states no test references any more) or
 * ft_store_run_abort().  Tests not put in a run keep their rows: partial runs
 * never forget the others.
 *
 * Errors: negative FT_E* codes.  Opening maps problems to codes the command
 * layer can explain: FT_ENORECORD (no database and no FT_STORE_CREATE, or a
 * file with no table at all: zero bytes, being created),
 * FT_ECORRUPT (not SQLite, not ours, missing tables, or SQLite reporting
 * corruption while reading), FT_EUNSAFE (the file, or its -wal, -shm or
 * -journal, is owned by another user or writable by others: ft_trust.h),
 * FT_ESCHEMA
 * (written by a newer ftrace; an older one is migrated when opened for
 * writing: ft_schema.c), -ENOSPC / -EDQUOT (a full disk or quota,
 * at any write), FT_EDB (anything else SQLite reported, a lock held longer
 * than the wait).  A failed open never modifies the
 * file.  Creating is safe with any number of processes at once; reading
 * works in a read-only directory where that is sound (ft_store.c).
 *
 * The reason: the store words its own failures (SQLite's message, which
 * lock and for how long, "database is corrupt: <what>", a full disk and
 * where, an untrusted file and whose) and hands them up only in a struct
 * ft_err (common/ft_error.h) with the code: ft_store_err() right after the
 * call that failed (NULL after a failed ft_store_open, which leaves no
 * store), ft_store_err_db() where only the database's own failures
 * (FT_ECORRUPT, FT_EDB) should carry it.  The layers above pass the struct
 * on and cli/ prints it (ft_err_msg).
 *
 * Ownership: the caller owns struct ft_store and closes it; strings passed in
 * are copied by SQLite before the call returns.  Not thread-safe.
 */
#ifndef FT_STORE_H
#define FT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "ft_state.h"

#define FT_STORE_SCHEMA_VERSION 11
#define FT_STORE_FILE "ftrace.db"

struct ft_store;
struct ft_err;

enum ft_store_flags {
	FT_STORE_CREATE = 1u << 0, /* create the file and schema if missing */
	FT_STORE_RDONLY = 1u << 1, /* open read-only */
};

int ft_store_open(struct ft_store **out, const char *db_path, unsigned flags);

/* May a writer go on with `st`, opened for writing a while ago (`ftrace
 * run` opens it before its command and saves into it after)?  1 when the
 * path still names the file that was opened (not removed or replaced
 * meanwhile), whole, of this ftrace's schema version, and writable; its
 * lock wait is then set again from ft_store_lock_wait(), which may have
 * changed since.  0 otherwise: close it and open the path again, which
 * says what is wrong. */
int ft_store_still(struct ft_store *st);

/* Can a writer use `st` as ft_store_open just left it: opened for writing,
 * of this ftrace's schema version (as the open read it), and writable?
 * 1 or 0; reads nothing from the file (`ftrace run` keeps the connection
 * for its save, where ft_store_still checks again). */
int ft_store_writable(const struct ft_store *st);

/* Verify what selection reads against the checksums the database keeps
 * (store/ft_store_verify.c): every stored set's digest and size from its
 * members, read through the index selection uses, the tests' rows and
 * set references against meta.tests_digest, and every row of runs, the
 * Python tables, listings, statcache and flaky against its own checksum (column
 * ck, schema version 3: store/ft_store_ck.c), but for the tables whose rows
 * their reads check (test_times; pyfunc_tests, pyfunc_fps and pyfunc_lazy:
 * ft_store_pyfunc_error).  0, or FT_ECORRUPT with "database is corrupt:
 * <what>" as its reason (ft_store_err).  Read only; call it inside the read
 * transaction of the selection it guards. */
int ft_store_verify(struct ft_store *st);

/* ft_store_verify and the rows of the tables it leaves to their reads:
 * for a reader of every row (export). */
int ft_store_verify_whole(struct ft_store *st);

/* The digest ft_store_verify compares meta.tests_digest with (written by
 * ft_store_run_commit).  Inside a run whose opening check found the
 * stored digest right, the sum the run kept up since (ft_store_verify.c);
 * else read from every test row. */
int ft_store_tests_digest(struct ft_store *st, unsigned char out[16]);

/* ft_store_open's first step: are the database and its -wal, -shm and
 * -journal files (those that exist) trusted (ft_trust.h)?  0, or
 * FT_EUNSAFE with the message in `e` (struct ft_err), or -errno. */
int ft_store_check_trust(const char *db_path, struct ft_err *e);
void ft_store_close(struct ft_store *st);

/* Fill `e` with `code` and the store's detail of its last failure ("no
 * detail" when it has none), for the message of a call that just failed.
 * With st == NULL: the detail of the last failed ft_store_open() (not
 * thread-safe).  Returns `code`. */
int ft_store_err(const struct ft_store *st, int code, struct ft_err *e);

/* ft_store_err() for FT_ECORRUPT and FT_EDB, the failures the store words
 * itself; any other code goes up alone (no reason: ft_err_msg says
 * ft_strerror(code)).  Returns `code`. */
int ft_store_err_db(const struct ft_store *st, int code, struct ft_err *e);

/* Transactions outside a run (store/ft_store_txn.c), for the writers of
 * the Python tables (ft_store_py.h): BEGIN IMMEDIATE, COMMIT (0 or
 * FT_EDB) and ROLLBACK (never fails in a way to act on).
 * ft_store_read_begin_unless: BEGIN a read transaction unless one is open
 * already (*began says which; end it with ft_store_write_commit). */
int ft_store_write_begin(struct ft_store *st);
int ft_store_write_commit(struct ft_store *st);
void ft_store_write_rollback(struct ft_store *st);
int ft_store_read_begin_unless(struct ft_store *st, int *began);

/* Does the database have the table `name` (an optional one, created on
 * demand)?  0 also when it cannot tell. */
int ft_store_has_table(struct ft_store *st, const char *name);

/* meta's text value for `key` into buf (NUL-terminated): 0, or 1 when there
 * is none, it is not text, it does not fit, or it cannot be read. */
int ft_store_meta_get(struct ft_store *st, const char *key, char *buf, size_t size);

/* Set meta's `key` to the text `value`: 0 or FT_EDB. */
int ft_store_meta_set(struct ft_store *st, const char *key, const char *value);

/* One dependency as put into a set. */
struct ft_dep {
	const char *path;     /* absolute, not necessarily NUL-terminated */
	uint32_t path_len;
	uint8_t kind;         /* enum ft_dep_kind */
	uint64_t value;       /* see ft_state.h */
};

struct ft_run_info {
	const char *command;  /* argv joined for display */
	const char *cwd;
	int64_t started_ns;
	int64_t finished_ns;
	int exit_status;      /* as returned to the user */
	const char *meta_json;/* the run's metadata as JSON text (store/ft_store_runmeta.h:
			       * stored in its tables), or NULL */
};

/* One test of the run. */
struct ft_test_row {
	const char *name;     /* runner's id: pytest node id, --name, FTRACE_TEST_ID */
	const char *runner;   /* "pytest", "command", "env" */
	const char *file;     /* test file (absolute) when the runner has one, else NULL */
	int outcome;          /* enum ft_outcome */
	int untraced;         /* non-zero: part of it could not be traced; always selected */
	int guessed;          /* the outcome (failed) is its run's, not its own: its
			       * runner cannot tell which tests failed (ft_store_flaky.h) */
	const int64_t *sets;  /* depset ids from ft_store_depset_put() */
	size_t nsets;
};

int ft_store_run_begin(struct ft_store *st, const struct ft_run_info *run, int64_t *run_id);

/* Store a set (deps need not be sorted or unique; they are canonicalised).
 * Returns the id of the existing identical set if there is one. */
int ft_store_depset_put(struct ft_store *st, const struct ft_dep *deps, size_t n, int64_t *set_id);

/* Insert or replace a test: its previous sets are dropped and `t->sets`
 * referenced instead, its outcome and run updated. */
int ft_store_test_put(struct ft_store *st, int64_t run_id, const struct ft_test_row *t);

/* Forget recorded tests that are gone: each test of `runner` whose file
 * is `file` (NULL: any) and for which keep(name, arg) returns 0 is deleted
 * with its set references (the sets themselves go at commit, if nothing
 * else uses them).  Within a run (after ft_store_run_begin); *forgotten
 * (if not NULL) gets the count.  For a runner that reported every test the
 * file holds now (the pytest plugin's "collected", docs/pytest.md), or
 * tests the runner says do not exist any more (go, ft_runner_go.h). */
int ft_store_tests_forget(struct ft_store *st, const char *runner, const char *file,
			  int (*keep)(const char *name, void *arg), void *arg, size_t *forgotten);

/* each(name, arg) for every recorded test of `runner` that run `run_id`
 * did not record; a nonzero return stops and is returned.  0, or FT_EDB. */
int ft_store_tests_others(struct ft_store *st, const char *runner, int64_t run_id,
			  int (*each)(const char *name, void *arg), void *arg);

int ft_store_run_commit(struct ft_store *st);
void ft_store_run_abort(struct ft_store *st);

/* Remember the names of a listed directory: `names` is the buffer of
 * ft_state_listing() (sorted, each name followed by NUL) and `value` its
 * FT_DEP_LIST value.  Selection uses it to tell "a test file was added"
 * from any other change of the listing; without it a changed listing
 * always counts.  Dropped by ft_store_run_commit() when no state has that
 * (path, value).  Call it inside a run, or alone (own transaction). */
int ft_store_listing_put(struct ft_store *st, const char *path, uint32_t path_len,
			 uint64_t value, const char *names, size_t names_len);

/* --- the stat cache (used by ft_state; see ft_state.h) ------------------ */

struct ft_statcache_row {
	const char *path;     /* not necessarily NUL-terminated */
	uint32_t path_len;
	uint8_t kind;         /* FT_DEP_FILE or FT_DEP_LIST */
	struct ft_statinfo st;
	int64_t taken_ns;
	uint64_t value;
};

/* Calls fn for every row written on this machine (see statcache_owner); a
 * non-zero return stops the walk and is returned. */
typedef int (*ft_statcache_fn)(void *arg, const struct ft_statcache_row *row);
int ft_store_statcache_each(struct ft_store *st, ft_statcache_fn fn, void *arg);

/* Calls fn for the rows of one path (any kind), whoever wrote them: the
 * caller asks ft_store_statcache_trusted first, once.  An index look-up,
 * for a reader that wants a few paths out of many (ft_state.c).  0, fn's
 * non-zero return, or FT_E*. */
int ft_store_statcache_path(struct ft_store *st, const char *path, uint32_t path_len,
			    ft_statcache_fn fn, void *arg);

/* Insert or replace rows, in one transaction (a savepoint inside a run).
 * Fails with FT_EDB on a read-only or busy database: callers that only
 * want speed ignore that. */
int ft_store_statcache_put(struct ft_store *st, const struct ft_statcache_row *rows, size_t n);

/* 1 if the stored stat cache was written on this machine (boot) and may
 * be used; 0 if callers reading statcache rows themselves must ignore them. */
int ft_store_statcache_trusted(struct ft_store *st);

/* Forget every stat cache row (an imported database must call this). */
int ft_store_statcache_clear(struct ft_store *st);

/* Milliseconds to wait for a lock (default: see ft_store_lock_wait());
 * 0 = fail at once, -1 = as long as the holder keeps it.  The wait backs
 * off from 1 ms to 250 ms between tries.  SQLite's locks are the kernel's
 * (fcntl): a holder that dies releases them, so a wait only lasts while
 * another process is alive and holding the lock. */
#define FT_STORE_BUSY_MS 120000
void ft_store_busy_timeout(struct ft_store *st, int ms);

/* The lock wait of every store opened after this call (process-wide, not
 * thread-safe): `ms` as for ft_store_busy_timeout() (FT_STORE_BUSY_MS
 * until called).  `note` (or NULL) is called once per wait that has lasted
 * a second, with the database's path: the command layer says what it is
 * waiting for.  A wait that gives up fails with FT_EDB and the detail
 * "database is locked ..." (ft_store_err). */
void ft_store_lock_wait(int ms, void (*note)(const char *db_path));

/* This boot's identity (the kernel's boot_id), or "" if unknown: what
 * owns the stat cache, and any other stored stat data. */
const char *ft_store_boot_id(void);

#endif
