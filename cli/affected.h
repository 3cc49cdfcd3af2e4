/*
 * affected.h - `ftrace affected`'s options and its printers, shared by
 * cli/affected_opts.c (the command line), cli/cmd_affected.c (the
 * selection pipeline's outcome as exit statuses and messages) and
 * cli/affected_print.c (the selection in each output format).  Internal
 * to the command layer.
 */
#ifndef FT_CLI_AFFECTED_H
#define FT_CLI_AFFECTED_H

#include <stddef.h>
#include <stdint.h>

struct ft_config;
struct ft_err;
struct ft_runner_ops;
struct ft_runner_here;
struct ft_selection;
struct ft_pytest_arg;
struct ft_pyfunc_notes;

/* the generic formats; FMT_RUNNER: a runner's own (opts.row, runners/ft_runners.h) */
enum fmt { FMT_LINES, FMT_NULL, FMT_IDS, FMT_JSON, FMT_RUNNER };

struct opts {
	const char *db;
	enum fmt fmt;
	int explain;
	int on_unknown_all;
	int quiet;
	int funcs;                    /* --granularity=function */
	const struct ft_config *cfg;  /* .ftrace.json, for always_run */
	const struct ft_runner_ops *row; /* FMT_RUNNER: whose format */
	const struct ft_runner_here *here; /* what that row found here, or NULL */
	int shard_k, shard_n;         /* --shard K/N; 0: none */
	int no_watch;                 /* --no-watch */
};

/* --shard K/N (cli/affected_shard.c): keep in `sel` only shard K's part
 * of the split of its tests over N by recorded cost (ft_store_tests.h),
 * greedy longest-first, ties by id: the same split on every machine.
 * 0, or -ENOMEM / FT_EDB / FT_ECORRUPT (sel unchanged then). */
struct ft_store;
int affected_shard(struct ft_store *st, struct ft_selection *sel, int k, int n);

/* "recorded on another machine" (cli/affected_elsewhere.c).  Load: the
 * tests whose recording `ftrace import` brought (0, FT_EDB, -ENOMEM: then
 * no note is given).  Note: for a reason of `test` on `path` outside
 * `top`, when the test is one of those, the words into buf; else NULL.
 * ORDER BY name in SQLite is strcmp's order, which the lookup needs. */
int affected_elsewhere_load(struct ft_store *st, const char *top);
const char *affected_elsewhere_note(const char *test, const char *path, char *buf, size_t cap);
void affected_elsewhere_release(void);

/* "only the mode changed" (cli/affected_mode.c): for a file dependency
 * whose recorded value `recorded` is `path`'s content now under other
 * permission bits (a chmod, another umask), the words into buf; else
 * NULL (its content changed, or it cannot be told). */
const char *affected_mode_note(const char *path, uint64_t recorded, char *buf, size_t cap);

/* Parse `ftrace affected`'s command line into `o` (cli/affected_opts.c):
 * -1 to go on, else the exit status (--help printed, or a usage error
 * said). */
int affected_parse(int argc, char **argv, struct opts *o);

/* The selection as --format json ({"complete":..,"tests":[..],"args":[..]}):
 * "args" is `args` (what the lines format prints), or without it every
 * selected id as it is; `sel` NULL prints an empty, incomplete document.
 * 0 or -ENOMEM. */
int affected_print_json(const struct ft_selection *sel, int complete,
			const struct ft_pytest_arg *args, size_t nargs);

/* The selection in the lines, null or ids format (with --explain, each
 * test's reasons), pytest modules as their paths where `args` gives them. */
void affected_print_tests(const struct ft_selection *sel, const struct opts *o, int complete,
			const struct ft_pytest_arg *args, size_t nargs);

/* The selection in the runner's own syntax (opts.row's format): *text is
 * malloc'd, or NULL with nothing to run; `e` (struct ft_err) says why it
 * cannot tell. */
int affected_runner_text(const struct opts *o, const struct ft_selection *sel, char **text,
		       struct ft_err *e);

/* Does the chosen format print pytest modules by path (ft_pytest_args)? */
int affected_wants_pytest_args(const struct opts *o);
/* Must a changed conftest.py be judged before printing (every format but
 * a runner's)?  At or above pytest's rootdir, nothing can be printed. */
int affected_checks_pytest_dirs(const struct opts *o);

/* --explain --granularity=function: the function filter's notes, which
 * the printers show under each reason (the function filter, cli/cmd_pyfunc.c, fills them). */
extern struct ft_pyfunc_notes affected_pyfunc_notes;

/* Whether the watch daemon answered (cli/watch_use.h): --explain's last
 * line and --format json's "watch" say it. */
struct ft_cmd_watch_use;
extern struct ft_cmd_watch_use affected_watch;

#endif
