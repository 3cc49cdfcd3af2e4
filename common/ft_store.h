/*
 * ft_store.h - the SQLite map from tests to the file states they saw.
 *
 * One database file, `<state dir>/ftrace.db`.  Schema (version in
 * meta.schema_version; docs/internals.md has the migration notes):
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
 * layer can explain: FT_ENORECORD (no database and no FT_STORE_CREATE),
 * FT_ECORRUPT (not SQLite, not ours, or failing a quick check), FT_ESCHEMA
 * (written by a newer ftrace), FT_EDB (anything else SQLite reported; see
 * ft_store_errmsg()).  A failed open never modifies the file.
 *
 * Ownership: the caller owns struct ft_store and closes it; strings passed in
 * are copied by SQLite before the call returns.  Not thread-safe.
 */
#ifndef FT_STORE_H
#define FT_STORE_H

#include <stddef.h>
#include <stdint.h>

#define FT_STORE_SCHEMA_VERSION 1
#define FT_STORE_FILE "ftrace.db"

struct sqlite3;
struct ft_store;

enum ft_store_flags {
	FT_STORE_CREATE = 1u << 0, /* create the file and schema if missing */
	FT_STORE_RDONLY = 1u << 1, /* open read-only */
};

int ft_store_open(struct ft_store **out, const char *db_path, unsigned flags);
void ft_store_close(struct ft_store *st);

/* Detail of the last SQLite failure, for messages; never NULL. */
const char *ft_store_errmsg(const struct ft_store *st);

/* The underlying handle, for modules of common/ and selector/ that run their
 * own queries (ft_state's stat cache, the selector's joins). */
struct sqlite3 *ft_store_db(struct ft_store *st);

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
	const char *meta_json;/* adapter metadata (pytest rootdir, python_files...), or NULL */
};

/* One test of the run. */
struct ft_test_row {
	const char *name;     /* runner's id: pytest node id, --name, FTRACE_TEST_ID */
	const char *runner;   /* "pytest", "command", "env" */
	const char *file;     /* test file (absolute) when the runner has one, else NULL */
	int outcome;          /* enum ft_outcome */
	int untraced;         /* non-zero: part of it could not be traced; always selected */
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

int ft_store_run_commit(struct ft_store *st);
void ft_store_run_abort(struct ft_store *st);

#endif
