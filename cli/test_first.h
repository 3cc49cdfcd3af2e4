/*
 * test_first.h - `ftrace test --failed-first` (cli/test_first.c says how).
 * Internal to the command layer.
 */
#ifndef FT_CLI_TEST_FIRST_H
#define FT_CLI_TEST_FIRST_H

#include <stddef.h>

#define FT_ENV_FIRST "FTRACE_FIRST_FILE"

struct ft_runner_ops;
struct ft_selection;

enum ft_first {
	FT_FIRST_NONE = 0,    /* none of the selected tests failed last time */
	FT_FIRST_ORDERED = 1, /* ftrace orders them (*n of them) */
	FT_FIRST_OWN = 2,     /* the runner runs last time's failures first
			       * itself, and ftrace's narrowing keeps that (why) */
	FT_FIRST_CANNOT = 3,  /* the runner takes no order from ftrace (why) */
};

/* Ask `runner` (of command `cmd`; NULL: a command no runner splits) to
 * run the tests of `sel` that failed last time first.  pytest: their ids
 * go to `path` (in state_dir), named by FTRACE_FIRST_FILE.  node and
 * Automake: *first gets them as a selection (sorted; its ids are sel's;
 * free it with ft_cmd_first_done) for the runner's narrowing
 * (ft_runner_plan_in.first).  Returns an enum ft_first, with `why` filled
 * for FT_FIRST_OWN and FT_FIRST_CANNOT, or a negative code (nothing
 * ordered; the run goes on). */
int ft_cmd_first_plan(const struct ft_runner_ops *runner, char *const *cmd,
		      const struct ft_selection *sel, const char *state_dir, char *path,
		      size_t cap, struct ft_selection **first, size_t *n, char *why,
		      size_t whylen);

/* After the run: remove the file and the variable (path "" : nothing),
 * and free *first. */
void ft_cmd_first_done(char *path, struct ft_selection **first);

#endif
