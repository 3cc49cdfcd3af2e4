/*
 * ft_store_flaky.h - flaky tests: a test whose outcome changed between two
 * recordings while every state it saw stayed the same (docs/internals.md,
 * "Flaky tests").  Learned at ingest, one row per test in the table flaky
 * (schema version 4), read by selection (always selected unless
 * .ftrace.json says otherwise) and listed by `ftrace flaky`.
 *
 * The rule, applied by ft_store_flaky_note() to a test about to be
 * recorded again (its stored row against the new one):
 *  - a flip is passed -> failed/error or failed/error -> passed; skipped
 *    and no result are neither a flip nor a clean run;
 *  - a flip is flaky when every path that both recordings of the test saw
 *    (the union of its sets) was seen in the same states
 *    (ft_store_flaky_path_same), neither recording is untraced, and no
 *    state of either is unknown: then the row's count goes up, with the
 *    time and the two outcomes, and its clean runs go back to 0.  Paths
 *    only one recording saw do not count: they were read after the
 *    outcomes parted (a failing pytest test, and the session's report
 *    after it, read the traceback's sources), so the whole sets' digests
 *    differ on every pytest flip;
 *  - a test defined by its command line (runner "command": `ftrace run
 *    --name`, or a command no runner splits) flips flaky only when both
 *    recordings ran the same command from the same directory: its argv is
 *    its definition, and no dependency;
 *  - a test whose two recordings were made with other options of its
 *    runner (`go test -race`, `cargo test --release`, pytest's
 *    `--runslow`: rules->same_options) does not flip flaky: the options
 *    explain the flip;
 *  - an outcome that is its run's rather than the test's own (a runner
 *    that cannot say which of its tests failed marks every test of a
 *    failed run failed, and so does one that can but is not its run's
 *    top process: ft_test_row.guessed now; before, its test_times row
 *    kept as unknown, or where that row is gone rules->guesses) is
 *    neither a flip nor a clean run;
 *  - any other flip of a flaky test sets its clean runs to 0;
 *  - a recording with the outcome unchanged is a clean run of a flaky
 *    test; after `decay` of them in a row the row is deleted (0: never).
 *
 * Each row carries ck (FT_CK_FLAKY), written with it and verified by
 * ft_store_verify and by every read here.
 *
 * Errors: negative FT_E* codes: FT_ECORRUPT (a row's checksum does not
 * match: "database is corrupt: flaky <name> (checksum mismatch ...)" in
 * ft_store_err), FT_EDB, -ENOMEM.  A database without the table (a
 * version-3 file opened read-only) has no flaky test.  Not thread-safe.
 */
#ifndef FT_STORE_FLAKY_H
#define FT_STORE_FLAKY_H

#include <stddef.h>
#include <stdint.h>

struct ft_store;
struct ft_test_row;

#define FT_FLAKY_DECAY_DEFAULT 5 /* clean runs before a mark decays */

/* What ft_store_flaky_note did. */
enum ft_flaky_event {
	FT_FLAKY_NONE = 0,  /* not a flaky test, nothing learned */
	FT_FLAKY_LEARNED,   /* a flaky flip: counted */
	FT_FLAKY_CLEAN,     /* a clean run of a flaky test: counted */
	FT_FLAKY_DECAYED,   /* its decay-th clean run: the mark is gone */
	FT_FLAKY_RESET,     /* a flip with its dependencies changed: clean runs 0 */
};

/* A row of flaky. */
struct ft_store_flaky {
	const char *name;
	int64_t count;        /* flaky flips seen */
	int64_t last_ns;      /* when the last one was recorded (CLOCK_REALTIME) */
	int last_from;        /* its outcomes, enum ft_outcome: recorded before, */
	int last_to;          /* and then */
	int64_t clean;        /* clean runs since the last flaky flip */
};

/* What ft_store_flaky_note needs besides the test. */
struct ft_flaky_rules {
	unsigned decay;       /* clean runs before a mark decays; 0 never */
	int64_t now_ns;       /* the time kept with a flaky flip */
	int64_t run_id;       /* the run being written (ft_store_run_begin) */
	/* Does `runner` say "failed" only for the run's failure, never for a
	 * test's own (its stored "failed" is always the run's)?  NULL: none.
	 * Asked only where the stored test's test_times row is gone (pruned
	 * history): that row says whether its failure was its own. */
	int (*guesses)(const char *runner);
	/* Were the stored recording of a test of `runner` (made by run
	 * old_run) and the one being written made with the same options
	 * (ingest/ft_optcmp.h)?  0: no, and a flip is then the options'
	 * doing, never a flaky one; 1: yes, or not known; negative: an
	 * error, returned.  NULL: always 1. */
	int (*same_options)(void *arg, const char *runner, int64_t old_run);
	void *options_arg;
};

/* Within a run (ft_store_run_begin), just before ft_store_test_put(st,
 * run_id, t): apply the rule above to `t` against the test's stored row.
 * *ev (if not NULL) says what happened.  0 or a negative code (the run
 * must then be aborted). */
int ft_store_flaky_note(struct ft_store *st, const struct ft_test_row *t,
			const struct ft_flaky_rules *rules, enum ft_flaky_event *ev);

/* One state of a path as a recording saw it: its kind code (ft_dep_code,
 * store/ft_state.h) and value. */
struct ft_flaky_obs {
	int kind;
	uint64_t value;
};

/* Did two recordings see one path, which both saw, in the same states?
 * a[0..na) and b[0..nb) are the path's states in each (any order,
 * duplicates allowed).  1 when:
 *  - every kind code both have holds the same values on both sides;
 *  - every kind code only one side has is a FILE or a LIST (any reader:
 *    the content or listing that one side read and the other did not,
 *    a cold build cache against a warm one, t6115), and then both sides
 *    have a TYPE code (any reader), so the path existed with the same
 *    type and mode in both;
 *  - no state is UNKNOWN.
 * Else 0 (an ABSENT, LTYPE, LINK or TYPE only one side has is a
 * difference).  Pure; the argument is in ft_store_flaky_rule.c. */
int ft_store_flaky_path_same(const struct ft_flaky_obs *a, size_t na, const struct ft_flaky_obs *b,
			     size_t nb);

/* Every row, by name, each verified: fn(arg, row) (strings live until fn
 * returns); a nonzero return stops the walk and is returned.  Read only;
 * inside the caller's read transaction where it needs one. */
int ft_store_flaky_each(struct ft_store *st, int (*fn)(void *arg, const struct ft_store_flaky *f),
			void *arg);

#endif
