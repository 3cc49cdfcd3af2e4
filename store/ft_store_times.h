/*
 * ft_store_times.h - each test's duration and outcome in each run, in the
 * table test_times (schema version 7), for `ftrace stats` (the recorded
 * durations of the tests a selection left out), `affected --shard`
 * (balanced by them) and `ftrace test --report`.  Nothing selects from it:
 * a duration never decides whether a test runs.
 *
 * A row: the run, the test's name, its own outcome in that run (enum
 * ft_outcome; FT_OUTCOME_UNKNOWN where its runner reported none and the
 * `tests` row's failure is only the run's status, ft_ptree.h `guessed`),
 * its duration in ns (-1: none measured) and where the
 * duration comes from (`source`):
 *   "runner"  the runner's own timing of the test (pytest's call, setup
 *             and teardown durations, as the plugin reports them);
 *   "ftrace"  the wall time between the test's first and last record as
 *             ftrace saw them (its start and end marks, or its processes'
 *             first access and last access or end, where the ptrace back
 *             end saw it: go's test binaries): what the other runners
 *             get, an approximation labelled as one.
 * The rows of the newest FT_TIMES_KEEP runs that wrote any are kept.
 *
 * Each row carries ck (FT_CK_TEST_TIMES), written with it and verified by
 * every read here (not by ft_store_verify: selection never reads the
 * table, and at up to FT_TIMES_KEEP rows per test checking it would cost
 * every selection more than the rest of the check).
 *
 * Errors: negative FT_E* codes: FT_ECORRUPT (a row's checksum does not
 * match: "database is corrupt: test_times <name> <run> (checksum mismatch
 * ...)" in ft_store_err), FT_EDB, -ENOSPC, -ENOMEM, FT_EUSAGE (a put
 * outside a run).  A database without the table (an older file opened
 * read-only) has no row, and a put into it writes nothing.  Not
 * thread-safe.
 */
#ifndef FT_STORE_TIMES_H
#define FT_STORE_TIMES_H

#include <stdint.h>

struct ft_store;

#define FT_TIMES_KEEP 50 /* runs whose rows are kept: the oldest go first */

#define FT_TIME_RUNNER "runner"
#define FT_TIME_FTRACE "ftrace"

struct ft_store_time {
	const char *name;     /* the test */
	int64_t run_id;
	int outcome;          /* enum ft_outcome, in that run */
	int64_t ns;           /* duration; -1: none measured */
	const char *source;   /* FT_TIME_RUNNER or FT_TIME_FTRACE */
};

/* Within a run (after ft_store_run_begin): one test's row for run
 * t->run_id.  0 or a negative code. */
int ft_store_time_put(struct ft_store *st, const struct ft_store_time *t);

/* Within a run: drop the rows of runs older than the newest FT_TIMES_KEEP
 * that wrote any.  0 or a code. */
int ft_store_times_prune(struct ft_store *st);

/* Each test's newest row with a measured duration (ns >= 0), by name:
 * fn(arg, row) (strings live until fn returns); a nonzero return stops
 * the walk and is returned.  Read only, inside the caller's read
 * transaction where it needs one. */
int ft_store_times_last_each(struct ft_store *st,
			     int (*fn)(void *arg, const struct ft_store_time *t), void *arg);

/* The rows of run `run_id`, by name (same contract as _last_each). */
int ft_store_times_run_each(struct ft_store *st, int64_t run_id,
			    int (*fn)(void *arg, const struct ft_store_time *t), void *arg);

#endif
