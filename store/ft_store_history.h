/*
 * ft_store_history.h - what each `ftrace test` and `ftrace verify` selected,
 * one row per invocation in the table history (schema version 5), for
 * `ftrace stats` (docs/usage.md, "ftrace stats").  Nothing selects from it:
 * it is a record of what the selection did, not an input to one.
 *
 * A row: when, which command ("test" or "verify"), how many tests the
 * database knew, how many the selection chose (-1: it could not tell, so
 * everything ran), the selected tests counted by reason as a JSON object
 * {"content changed": 2, "new test": 1, ...} (a test with reasons of two
 * kinds counts under both; the words are ft_change_name()'s), and for
 * `verify` the escapes it found (-1: none judged, no verdict; a `test`
 * row has -1 too).  The table keeps the newest FT_HISTORY_KEEP rows.
 *
 * From version 7, what the selection left out, timed: of the known tests
 * it did not select, how many had a recorded duration (ft_store_times.h)
 * and those durations summed (the time saved, as recorded: the tests did
 * not run, so it is what they took when they last ran), in the table
 * history_times by the row's id.  -1 in both: not measured (a row from
 * before version 7, a selection that could not tell).
 *
 * Each row carries ck (FT_CK_HISTORY), written with it and verified by
 * ft_store_verify and by every read here.
 *
 * Errors: negative FT_E* codes: FT_ECORRUPT (a row's checksum does not
 * match: "database is corrupt: history <id> (checksum mismatch ...)" in
 * ft_store_err), FT_EDB, -ENOSPC, -ENOMEM.  A database without the
 * table (a version-4 file opened read-only) has no row.  Not thread-safe.
 */
#ifndef FT_STORE_HISTORY_H
#define FT_STORE_HISTORY_H

#include <stdint.h>

struct ft_store;

#define FT_HISTORY_KEEP 1000 /* rows kept: the oldest go first */

struct ft_store_history {
	int64_t id;           /* set by the store (ignored by _add) */
	int64_t at_ns;        /* CLOCK_REALTIME when the selection was made */
	const char *command;  /* "test" or "verify" */
	int64_t known;        /* tests in the database */
	int64_t selected;     /* tests selected; -1: cannot tell, everything ran */
	const char *reasons;  /* JSON object: reason -> tests (never NULL: "{}") */
	int64_t escapes;      /* verify's escapes; -1: none judged (or `test`) */
	int64_t timed;        /* skipped tests with a recorded duration; -1: not measured */
	int64_t timed_ns;     /* their recorded durations, summed; -1: not measured */
};

/* Add a row in its own write transaction (outside a run), and drop the
 * rows beyond FT_HISTORY_KEEP.  0 or a negative code (nothing written). */
int ft_store_history_add(struct ft_store *st, const struct ft_store_history *h);

/* The newest `last` rows (0: all), oldest first, each verified: fn(arg,
 * row) (strings live until fn returns); a nonzero return stops the walk
 * and is returned.  *total (if not NULL) gets the number of rows stored.
 * Read only; inside the caller's read transaction. */
int ft_store_history_each(struct ft_store *st, unsigned last, int64_t *total,
			  int (*fn)(void *arg, const struct ft_store_history *h), void *arg);

/* What the recording holds, counted (for `ftrace stats`). */
struct ft_store_counts {
	int64_t tests;          /* recorded tests */
	int64_t untraced;       /* of them, partly untraced (always selected) */
	int64_t unknown;        /* of them, with a state unknown at recording
				 * (FT_DEP_UNKNOWN: always selected) */
	int64_t outcomes[5];    /* by last outcome, enum ft_outcome (0..4) */
	int64_t paths, states, sets;
	int64_t runs;           /* runs that still own a test */
	int64_t newest_ns;      /* the newest such run's finish (0: none) */
	int64_t oldest_ns;      /* the oldest such run's finish (0: none) */
};

/* Count them, inside the caller's read transaction.  0 or a code. */
int ft_store_counts_read(struct ft_store *st, struct ft_store_counts *c);

#endif
