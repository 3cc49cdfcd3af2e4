/*
 * ft_store_py.h - the Python tables: function granularity (pyfunc_fps,
 * pyfunc_tests, pyfunc_runs, pyfunc_lazy: python/ft_pyfunc.h,
 * docs/python-functions.md), the fingerprint cache (pyfunc_fpcache:
 * python/ft_pyfunc_fpcache.h) and pytest's configuration views
 * (pyconf_views: python/ft_pyconf.h).  store/ft_schema.c defines them.
 *
 * The rules over what these rows mean stay in python/; this is their
 * storage: the JSON columns go in and out as text, unparsed.
 *
 * Writes happen inside the caller's write transaction
 * (ft_store_write_begin, ft_store.h).  Errors: FT_EDB for any SQLite
 * failure (the callers' rule: a Python table that cannot be written is
 * FT_EDB, whatever the cause), -ENOMEM.  Text returned through `char **`
 * is malloc'd, and the caller frees it.
 *
 * A version-1 database opened read-only may lack any of these tables:
 * ask ft_store_has_table() first (ft_schema.c).
 */
#ifndef FT_STORE_PY_H
#define FT_STORE_PY_H

#include <stdint.h>

struct ft_store;

/* --- pyfunc_*: writing (python/ft_pyfunc_rec.c) ------------------------ */

/* The id of the one run started at `started_ns` with `command`: 0, or 1
 * when there is none or more than one; FT_EDB. */
int ft_store_run_find(struct ft_store *st, int64_t started_ns, const char *command, int64_t *run_id);

/* pyfunc_fps(path, value).prelude: 1 with *prelude (NULL if the column
 * is), 0 without a row, FT_EDB, -ENOMEM. */
int ft_store_pyfunc_fps_prelude(struct ft_store *st, const char *path, uint64_t value,
				char **prelude);

/* Insert or replace the fingerprints of (path, value); names may be NULL. */
int ft_store_pyfunc_fps_put(struct ft_store *st, const char *path, uint64_t value,
			    const char *skeleton, const char *bodies, const char *prelude,
			    const char *names);
/* Set the prelude qualnames of an existing (path, value) row. */
int ft_store_pyfunc_fps_union(struct ft_store *st, const char *path, uint64_t value,
			      const char *prelude);
int ft_store_pyfunc_test_put(struct ft_store *st, const char *name, int64_t run_id, int complete,
			     const char *funcs, const char *own);
int ft_store_pyfunc_run_put(struct ft_store *st, int64_t run_id, const char *prelude);
int ft_store_pyfunc_lazy_put(struct ft_store *st, const char *name, int64_t run_id,
			     const char *files);

/* Drop what no test references any more: fingerprints of a version no
 * state of kind `file_kind` (FT_DEP_FILE) has, the rows of tests gone or
 * recorded again since, the preludes of runs without a test. */
int ft_store_pyfunc_gc(struct ft_store *st, int file_kind);

/* --- pyfunc_*: reading (python/pyfunc_recs.c), one selection ---------- */

struct ft_store_pyfunc;

/* Does any test have a recording by function (a pyfunc_tests row)?  0
 * only when the table holds none; 1 when it holds one, and when the
 * question cannot be answered (the reads that follow then say why). */
int ft_store_pyfunc_any(struct ft_store *st);

/* Prepare the reads (pyfunc_lazy only where the table exists): 0, FT_EDB,
 * -ENOMEM.  Close releases it (NULL is fine). */
int ft_store_pyfunc_open(struct ft_store *st, struct ft_store_pyfunc **out);
void ft_store_pyfunc_close(struct ft_store_pyfunc *r);

/* FT_ECORRUPT once a read found a row of pyfunc_tests, pyfunc_fps or
 * pyfunc_lazy that its checksum or its key disowns (st->errmsg names the
 * table and the key; that read answered "no row", which selects more), else
 * 0.  These rows are checked as they are read, not by ft_store_verify: ask
 * this before an answer that read them stands. */
int ft_store_pyfunc_error(const struct ft_store_pyfunc *r);

/* Does the database have pyfunc_lazy? */
int ft_store_pyfunc_has_lazy(const struct ft_store_pyfunc *r);

/* A test's pyfunc_tests row joined with its tests row. */
struct ft_store_pyfunc_test {
	int same_run;         /* pyfunc_tests.run_id = tests.run_id */
	int complete;         /* pyfunc_tests.complete */
	int64_t run_id;       /* pyfunc_tests.run_id */
	char *funcs, *own;    /* JSON text, or NULL */
	char *file;           /* tests.file, or NULL */
};
/* 1 with *t (free with ft_store_pyfunc_test_clear), 0 with no row,
 * -ENOMEM. */
int ft_store_pyfunc_test_get(struct ft_store_pyfunc *r, const char *name,
			     struct ft_store_pyfunc_test *t);
void ft_store_pyfunc_test_clear(struct ft_store_pyfunc_test *t);

/* Is there a test named `name` (tests.name)?  1, 0, or FT_EDB. */
int ft_store_pyfunc_test_known(struct ft_store_pyfunc *r, const char *name);

/* pyfunc_runs.prelude of `run_id`: 1 with *prelude, 0 none, -ENOMEM. */
int ft_store_pyfunc_run_prelude(struct ft_store_pyfunc *r, int64_t run_id, char **prelude);

/* fn(arg, t) for each pytest test (tests.runner "pytest"), by current
 * run (tests.run_id) then name: t->rootdir is its run's pytest rootdir
 * (run_pytest; NULL where none is recorded, or the table is missing),
 * t->session 1 when its run has a pyfunc_runs row (a record of what its
 * sessions ran and loaded outside tests); file may be NULL.  The strings
 * are the store's, valid during the call.  A negative return of fn stops
 * the walk and is returned; else 0 or FT_EDB. */
struct ft_store_pyfunc_suite_test {
	int64_t run_id;
	const char *name, *file, *rootdir;
	int session;
};
int ft_store_pyfunc_suite_tests(struct ft_store_pyfunc *r,
				int (*fn)(void *arg, const struct ft_store_pyfunc_suite_test *t),
				void *arg);
/* pyfunc_lazy.files of (name, run_id) if it is text: 1, else 0; -ENOMEM. */
int ft_store_pyfunc_lazy_get(struct ft_store_pyfunc *r, const char *name, int64_t run_id,
			     char **files);

/* fn(arg, name, value) for each distinct (test, value) of a state of
 * `path` and `kind` the test references, by test name; fn's nonzero
 * return stops and is returned; FT_EDB if the read fails. */
int ft_store_pyfunc_seen(struct ft_store_pyfunc *r, const char *path, int kind,
			 int (*fn)(void *arg, const char *name, int64_t value), void *arg);

/* A pyfunc_fps row; names is NULL where it is not text (or the column
 * does not exist: a version-1 table read without migrating). */
struct ft_store_pyfunc_fps {
	char *skeleton, *bodies, *prelude, *names;
};
/* 1 with *f (free with ft_store_pyfunc_fps_clear), 0 no row, -ENOMEM. */
int ft_store_pyfunc_fps_get(struct ft_store_pyfunc *r, const char *path, int64_t value,
			    struct ft_store_pyfunc_fps *f);
void ft_store_pyfunc_fps_clear(struct ft_store_pyfunc_fps *f);

/* --- pyfunc_fpcache (python/pyfunc_fpcache.c) -------------------------- */

struct ft_store_fprow {
	const char *path;
	const char *boot;     /* ft_store_boot_id() of the writer */
	const char *python;   /* ft_fpcache_key() */
	uint64_t dev, ino;
	int64_t size, mtime_ns, ctime_ns;
	const char *fp;       /* the fingerprints, JSON text */
};

struct ft_store_fpcache;

/* A reader: 0, or FT_EDB (no table: nothing cached). */
int ft_store_fpcache_reader(struct ft_store *st, struct ft_store_fpcache **out);
/* `path`'s row into *row (strings valid until the next call): 1, else 0. */
int ft_store_fpcache_get(struct ft_store_fpcache *c, const char *path, struct ft_store_fprow *row);
/* A writer, in its own write transaction (BEGIN IMMEDIATE): 0 or FT_EDB. */
int ft_store_fpcache_writer(struct ft_store *st, struct ft_store_fpcache **out);
int ft_store_fpcache_put(struct ft_store_fpcache *c, const struct ft_store_fprow *row);
/* Release; a writer commits when `commit` (and rolls back otherwise, or
 * when the commit fails). */
void ft_store_fpcache_close(struct ft_store_fpcache *c, int commit);

/* --- pyconf_views (python/ft_pyconf*.c) -------------------------------- */

/* The recorded view of (path, value): 1 with *view if there is one that
 * is text, 0 otherwise (a failed read too), -ENOMEM. */
int ft_store_pyconf_view(struct ft_store *st, const char *path, uint64_t value, char **view);
int ft_store_pyconf_put(struct ft_store *st, const char *path, uint64_t value, const char *view);
/* Drop views of versions no state of kind code `pyconf_kind` (a FILE of
 * pytest's config reader, FT_READER_CONFIG) or of a plain FILE has (a
 * config file something else read too, or pytest.ini: its view still
 * tells whether pytest's configuration changed, python/ft_pyconf.h). */
int ft_store_pyconf_gc(struct ft_store *st, int pyconf_kind);

#endif
