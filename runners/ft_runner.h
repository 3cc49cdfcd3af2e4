/*
 * ft_runner.h - process-per-test runners: which image of a run's process
 * tree (ft_ptree.h) is which test, and the runners' own test lists.  The
 * rules below are each runner's row of the runner table (ft_runners.h,
 * runners/runner_NAME.c); ft_runner.c applies them over the tree.
 *
 *  - ctest: a direct child of a `ctest` image whose executable (realpath)
 *    and remaining arguments equal a test's command from
 *    `ctest --show-only=json-v1` is that test, named as ctest names it.
 *  - node --test: a direct child of a `node ... --test ...` image whose
 *    last argument is a regular file is the test of that file, named by
 *    its path relative to the repository top (absolute outside it).
 *  - jest (`jest`, `node .../jest ARGS`): its tests are marked by the
 *    adapter (adapters/jest, docs/jest.md), not by processes; the image
 *    is a runner only so that its own stats and listings in the prelude
 *    (the haste map crawl) count as types.
 *  - go test: a direct child of a `go test` image whose argv[0] ends in
 *    `.test` is its package's test, named by import path (ft_runner_go.h).
 *  - cargo test, cargo nextest run: ft_runner_cargo.h (one test per test
 *    target, resp. per test function; dependencies from rustc's dep-info).
 * An image whose argv was cut short never matches.  Unmatched runner
 * children stay in the prelude, which every test of the run depends on.
 *
 * Outcomes: neither runner's per-test exit status is in the records.  A
 * test is passed when the run exited 0 and its runner's status is the
 * run's: the runner is the top process, or every process above it passes
 * a failure on (`sh -c 'one command'`, `npm test`, `npm run X`); both
 * runners exit non-zero when any test fails.  For ctest with a
 * non-zero exit, Testing/Temporary/LastTestsFailed.log (written by this
 * run: mtime >= t0) lists the failed ones and the rest passed; otherwise
 * every test of the run is failed (selected next time).  nextest's JUnit
 * report of the run, where its profile writes one, then adds its own
 * verdicts (ft_nextest_junit.h).
 *
 * Errors: negative FT_E* / -errno.  A ctest whose test list cannot be read
 * is not an error: its children stay in the prelude (sound, coarse).
 */
#ifndef FT_RUNNER_H
#define FT_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "ft_ptree.h"

/* The kinds of the first rows of the runner table: a kind is the row's
 * position in ft_runners[] plus one (ft_runners.h); a runner added later
 * needs no value here. */
enum ft_runner_kind {
	FT_RUNNER_CTEST = 1,
	FT_RUNNER_NODE = 2,
	FT_RUNNER_JEST = 3,
	FT_RUNNER_AUTOMAKE = 4,  /* `make check` (ft_runner_cmd_kind only: no runner image) */
	FT_RUNNER_GO = 5,        /* go test (ft_runner_go.h) */
	FT_RUNNER_CARGO = 6,     /* cargo test (ft_runner_cargo.h) */
	FT_RUNNER_NEXTEST = 7,   /* cargo nextest run (ft_runner_cargo.h) */
};

/* Which runner's own state dir each bookkeeping slot of the process tree
 * holds (ft_ptree.bookkeeping). */
enum ft_bookkeeping {
	FT_BK_CTEST,          /* <build>/Testing/Temporary */
	FT_BK_NPM,            /* npm's debug logs */
	FT_BK_GOCACHE,
	FT_BK_GOMODCACHE,
	FT_BK_GOTELEMETRY,    /* GOTELEMETRYDIR */
	FT_BK_CARGO_TARGET,   /* cargo's target directory */
	FT_BK__COUNT
};

_Static_assert(FT_BK__COUNT <= FT_PTREE_BK_MAX, "more bookkeeping slots than the tree has");

struct ft_runner_env {
	const char *repo_top;    /* node ids are relative to it */
	int wstatus;             /* the run's wait status */
	int64_t t0_ns;           /* CLOCK_REALTIME before the run */
	const char *run_dir;     /* cargo writes its tests' dep-info records here; or NULL */
};

/* One ctest test: its name and command (argv[0] resolved by ctest). */
struct ft_ctest_test {
	char *name;
	char **argv;             /* NULL-terminated */
	char *workdir;           /* WORKING_DIRECTORY, or NULL */
};

struct ft_ctest_list {
	struct ft_ctest_test *tests;
	size_t n;
};

/* Parse `ctest --show-only=json-v1` output.  FT_EFORMAT on malformed input. */
int ft_ctest_list_parse(struct ft_ctest_list *l, const char *json, size_t len);

/* Run `ctest --show-only=json-v1 ARGS` in the current directory, where
 * ARGS are `args` (ctest's own arguments, without argv[0]; options that
 * make ctest run, not list, are kept: they select the same tests).
 * FT_EFORMAT if ctest fails or prints no test list. */
int ft_ctest_list_load(struct ft_ctest_list *l, char *const *args);

/* The same, run in `dir` (NULL: the current directory).  A directory that
 * cannot be entered makes ctest fail to start: FT_EFORMAT or -errno. */
int ft_ctest_list_load_at(struct ft_ctest_list *l, const char *dir, char *const *args);

void ft_ctest_list_release(struct ft_ctest_list *l);

/* Is image `p` npm (`npm`, or node running npm-cli.js / bin/npm)? */
struct ft_ptree_proc;
int ft_runner_is_npm(const struct ft_ptree_proc *p);

/* Which runner, if any, an argv is (basename of argv[0], or exe): the
 * kind of the first row of the table (ft_runners.h) that recognises it. */
int ft_runner_kind_of(const char *exe, char *const *argv, int argc);

/* Is argv `node ... --test ...` (node or nodejs, argv[0] or exe)? */
int ft_runner_node_is(const char *exe, char *const *argv, int argc);

/* ft_runners_apply (ft_runners.h): mark runner images, name their tests
 * (ctest through `ctest` if NULL is passed as the list: it is then loaded
 * with the runner image's args), inherit tests down the tree and set
 * outcomes.  `ctest` may be given by tests.  Returns 0 or an error. */
int ft_runner_apply(struct ft_ptree *t, const struct ft_runner_env *env,
		    const struct ft_ctest_list *ctest);

/* Does the run's exit status speak for runner image `r` (it is on top, or
 * behind processes that pass a failure on)?  1 or 0. */
int ft_runner_is_top(const struct ft_ptree *t, size_t r);

#endif
