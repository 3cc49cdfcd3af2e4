/*
 * ft_ingest.h - turn one run's records into the tests' dependency sets.
 *
 * Stage 1 (ft_collect.h) folds the records per (test, path).  Stage 2, here,
 * decides each dependency's kind from how the path was used and what it is
 * now, observes its state (ft_state.h), splits the session prelude with the
 * adapter's closures (ft_adapter.h), and writes everything to the store in
 * one transaction.  The rules, with the cases behind them, are in
 * docs/internals.md ("From records to dependencies"):
 *
 *  - a path a test created or truncated before using it is its output;
 *  - a path modified while the run was going on (mtime or ctime >= t0)
 *    keeps the state the run left only if the test that depends on it was
 *    the only one to modify it; otherwise its state is unknown, and the
 *    test is selected next time;
 *  - paths under the state dir, /proc, /sys, /dev and temporary dirs
 *    (unless the repository itself is there) are not dependencies, judged
 *    by where a path really leads, not by its text (a symlink in /tmp to
 *    a repository file is a dependency on that file);
 *  - a test with an untraced part, or a run with damaged regions, is
 *    stored untraced (always selected);
 *  - a test recorded again whose outcome flipped while its dependencies
 *    stayed the same is learned flaky, and a flaky mark decays after
 *    .ftrace.json's "flaky" "decay" clean runs (ft_store_flaky.h).
 *
 * Errors: negative FT_E* / -errno; on error nothing is written (the store
 * transaction is rolled back) and the run dir is left for inspection.
 */
#ifndef FT_INGEST_H
#define FT_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "ft_store.h"

struct ft_config;
struct ft_ptree;
struct ft_ingest;

/*
 * The test runners, as ingest reaches them: through these hooks only, so
 * that ingest names no runner (runners/ft_runners.h provides them:
 * ft_runners_ingest).  NULL in struct ft_ingest: no runner rules (every
 * process of the run stays the session's).
 */
struct ft_ingest_runners {
	/* Mark runner images, name their tests, set policies and outcomes. */
	int (*apply)(struct ft_ptree *t, const struct ft_ingest *in);
	/* The runners' test lists merged into meta_json: *out malloc'd, or
	 * NULL when the tree has none (ft_runner_meta.h). */
	int (*meta)(const struct ft_ptree *t, const char *cwd, char *const *narrowed,
		    const char *meta_json, char **out);
	/* Within the run's transaction: forget recorded tests the runners no
	 * longer have (removed go packages); *forgotten gets the count. */
	int (*forget)(struct ft_store *st, const struct ft_ptree *t, int64_t run_id,
		      size_t *forgotten);
	/* Does `runner` say "failed" only for its run's failure, never
	 * knowing which test failed?  (ft_store_flaky.h: no flip.) */
	int (*guesses)(const char *runner);
	/* The options of `runner`'s command line `args` (its arguments after
	 * argv[0], as a run's runner entry keeps them) that can change what
	 * its tests do: the row's config (runners/ft_runners.h), *out
	 * malloc'd; *out NULL when the row has none.  0 or -ENOMEM. */
	int (*options)(const char *runner, char *const *args, char **out);
	/* Is entry `name` of directory `dir`, made (added 1) or removed (0)
	 * by the run, by itself none to a listing of reader `reader`
	 * (runners/ft_reader.h), by the reader's rule without a runner's
	 * view of the directory (scope NULL)?  1 or 0; 0 for a reader no
	 * row declares. */
	int (*entry_unread)(int reader, const char *dir, const char *name, int added);
};

struct ft_ingest {
	const char *run_dir;
	const char *state_dir;
	const char *own_dir;       /* ftrace's adapters (the pytest plugin), or NULL */
	const char *repo_top;      /* paths below it are never "temporary" */
	const struct ft_config *config; /* .ftrace.json's "ignore" patterns (relative
				      * to repo_top) are not dependencies; or NULL */
	int64_t t0_ns;             /* CLOCK_REALTIME_COARSE before the command started */
	const char *name;          /* --name / FTRACE_TEST_ID of the whole command, or NULL */
	int wstatus;               /* the command's wait status */
	const char *fallback_name; /* test name when the run marked no test at all
				    * (runner "command"); a run that marks tests
				    * forgets the test of that name (a build that
				    * failed once: stats.superseded) */
	int no_prelude_split;      /* every test gets the whole prelude (sound, less precise) */
	int launched;              /* run_dir is ft_launch_run's: a missing launcher
				    * region, or none of the process it started,
				    * makes the run damaged (ft_collect.h) */
	struct ft_run_info run;
	const struct ft_ingest_runners *runners; /* or NULL (above) */
	char *const *narrowed;     /* the words `ftrace test` put into the command
				    * to narrow it (NULL-terminated), or NULL: the
				    * runners' entries leave them out (ft_runner_meta.h) */
};

struct ft_ingest_stats {
	size_t tests, untraced, deps, regions, records, damaged;
	int fallback;         /* no test was marked: the whole command is one test */
	uint32_t runner_kinds;/* bit k: an image of runner kind k ran (ft_ptree_proc.runner) */
	size_t partial;       /* of the untraced: tests a name filter ran only part
			       * of (go test -run, cargo test NAME: ft_runners.h) */
	size_t untold;        /* tests their runner could not tell apart (ctest: one
			       * command, one directory): forgotten, so new */
	size_t refused;       /* r-*.rec names in the run dir that were no regular
			       * file (never read; the run counts as damaged) */
	char refused_name[256]; /* the first of them */
	size_t unrecorded;    /* processes that could not write their records
			       * (a full disk): the run's tests are untraced */
	int unrecorded_err;   /* errno of the first */
	int lost;             /* regions that every launched run has, or that its
			       * ledger lists, are missing: the run's tests are
			       * stored untraced */
	char lost_name[256];  /* the first missing region's file name, or "" */
	size_t superseded;    /* the test named after the command (fallback_name),
			       * which this run's own tests replaced: 0 or 1 */
	size_t forgotten;     /* recorded tests gone from their file (pytest) or
			       * removed packages (go) */
	size_t flaky_learned; /* tests whose outcome flipped with the same
			       * dependencies (ft_store_flaky.h) */
	size_t flaky_decayed; /* flaky marks gone after their clean runs */
	char flaky_name[256]; /* the first test learned flaky, or "" */
	char note[512];       /* a runner's warning (ft_ptree.note), or "" */
	int git_prelude;      /* git read the repository's HEAD outside any test
			       * (ft_collect.git_prelude): every commit selects
			       * every test */
	size_t prelude_unknown; /* paths of the repository (not a project file
			       * that closures share out) that the prelude, every
			       * test's part, depends on as unknown: the next
			       * selection holds every test */
	char prelude_unknown_name[256]; /* the first, relative to the top */
	size_t failed_alone;  /* the command failed while none of its tests did:
			       * this many tests are stored failed, as the run's
			       * status (ft_ingest.c, failed_alone) */
};

int ft_ingest_run(struct ft_store *st, const struct ft_ingest *in, struct ft_ingest_stats *stats);

#endif
