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

/* Ask `runner` to run the tests of `sel` that failed last time first: for
 * pytest, write their ids to `path` (in state_dir) and export
 * FTRACE_FIRST_FILE.  1 done (*n of them), 0 nothing to order (*n 0:
 * none failed; or the runner orders its own tests), or a negative code
 * (nothing ordered; the run goes on). */
int ft_cmd_first_plan(const struct ft_runner_ops *runner, const struct ft_selection *sel,
		      const char *state_dir, char *path, size_t cap, size_t *n);

/* After the run: remove the file and the variable (path "" : nothing). */
void ft_cmd_first_done(char *path);

#endif
