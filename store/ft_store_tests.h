/*
 * ft_store_tests.h - reading the tests and runs tables (what a run wrote
 * with ft_store.h's ft_store_test_put / ft_store_run_begin).
 *
 * Each walk calls `fn` once per row, in the order stated; a nonzero
 * return of `fn` stops the walk and is returned.  Strings passed to `fn`
 * live until it returns: copy what you keep.  Errors: FT_ECORRUPT (SQLite
 * reports corruption), -ENOMEM, FT_EDB (anything else).  Read only; call
 * inside the caller's read transaction where it needs one.
 */
#ifndef FT_STORE_TESTS_H
#define FT_STORE_TESTS_H

#include <stdint.h>

struct ft_store;

/* A recorded test, as selection reads it. */
struct ft_store_test {
	int64_t id;
	const char *name;     /* never NULL */
	const char *file;     /* NULL: the runner has no test file */
	const char *runner;   /* NULL in a row written without one */
	int outcome;          /* enum ft_outcome */
	int untraced;
	int64_t run_id;       /* the run that recorded it last; 0: none */
};

/* Every test, by id. */
int ft_store_tests_each(struct ft_store *st, int (*fn)(void *arg, const struct ft_store_test *t),
			void *arg);

/* The tests of `runner` that have a file (name and file both non-NULL),
 * ordered by file. */
int ft_store_tests_with_file(struct ft_store *st, const char *runner,
			     int (*fn)(void *arg, const char *name, const char *file), void *arg);

/* fn(arg, name, machine) for each test whose run `ftrace import` made
 * (its metadata's import mark, ft_store_runmeta.h; machine "" when it
 * names none), by name.  fn's nonzero return stops and is returned; FT_EDB. */
int ft_store_tests_imported_each(struct ft_store *st,
				 int (*fn)(void *arg, const char *name, const char *machine),
				 void *arg);

/* Each recorded test's cost estimate in ns, for `affected --shard` where
 * a test has no recorded duration (ft_store_times.h; recordings made
 * before durations were): its run's wall time (finished - started) shared
 * equally among the tests that run still owns; a test whose run has no
 * times is not walked. */
int ft_store_tests_cost_each(struct ft_store *st,
			     int (*fn)(void *arg, const char *name, int64_t ns), void *arg);

/* The newest run's id in *out (0 with no run).  With `command` (and
 * `cwd`) non-NULL: the newest run of that command line (from that
 * directory) only, as runs.command and runs.cwd hold them. */
int ft_store_runs_last(struct ft_store *st, const char *command, const char *cwd, int64_t *out);

/* The dependencies test `name` had when it was recorded, as (path, its
 * length, enum ft_dep_kind, value), ordered by path then kind.  A test
 * not in the database walks nothing (0). */
int ft_store_test_deps_each(struct ft_store *st, const char *name,
			    int (*fn)(void *arg, const char *path, size_t len, int kind,
				      uint64_t value), void *arg);

/* A copy of the whole database at `path` (which must not exist), as it
 * is now: SQLite's VACUUM INTO, which also works read-only.  0, FT_EDB. */
int ft_store_snapshot(struct ft_store *st, const char *path);

#endif
