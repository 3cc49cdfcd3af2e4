/*
 * ft_runner_meta.h - what a run's process-per-test runners were, kept in
 * the run's metadata (as JSON text; the store keeps it in tables,
 * store/ft_store_runmeta.h) so that `ftrace affected` can find their new tests in any
 * output format.
 *
 * A runner's test list is only known to the runner: a new ctest test or a
 * new node test file has no row in the database, and selection by changed
 * files can never name it.  `--format ctest|node` ask the runner where
 * `ftrace affected` runs; the default formats use what is kept here:
 *
 *   "runners": [{"runner": "ctest", "dir": "/abs/build", "args": [...]},
 *               {"runner": "node",  "dir": "/abs/pkg",   "args": [...]},
 *              {"runner": "jest",  "dir": "/abs/pkg",   "args": [...]}]
 *
 *  - dir: where the list is asked for.  ctest's is where `ftrace run`
 *    ran (ft_ctest_list_load runs there at ingest, with the same args);
 *    node's is the package root (nearest package.json upward) when npm
 *    started it, since npm runs scripts there, else where `ftrace run` ran;
 *    go's is where go test ran (`go list ./...` there, ft_runner_go.h).
 *  - args: the runner image's arguments after argv[0] (ctest's select
 *    tests: -R, --test-dir; node's may name the files itself); jest's after
 *    its script (`node .../bin/jest ARGS`).  Without the words `ftrace
 *    test` put into the command to narrow it (`narrowed`: ctest's -R,
 *    node's files, jest's --runTestsByPath and files, cargo's -p before a
 *    `--`) where the arguments hold them in a row: the runner is asked
 *    with the user's command, not with the
 *    narrowing, which listed only the tests it ran, so that once such a run
 *    held every test a new one was never found.  An argv cut short (FT_ARGV_MAX,
 *    a row with image_prefix) keeps its whole words, up to where the
 *    narrowing's begin; cut anywhere else it ends with FT_RUNNER_ARGS_CUT
 *    (its options are not known).
 * Entries are unique by (runner, dir, args).
 *
 * Errors: -ENOMEM, FT_EFORMAT for meta_json that is not a JSON object.
 */
#ifndef FT_RUNNER_META_H
#define FT_RUNNER_META_H

struct ft_ptree;

/* The runners of `t` (after ft_runner_apply) merged into `meta_json` (the
 * adapter's object, or NULL): *out is a malloc'd JSON text, or NULL when
 * the tree has no runner image (then meta_json is to be used as it is). */
int ft_runner_meta(const struct ft_ptree *t, const char *cwd, char *const *narrowed,
		   const char *meta_json, char **out);

#endif
