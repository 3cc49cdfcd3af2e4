/*
 * test_rerun.h - `ftrace test`'s rerun of failed known flaky tests
 * (cli/test_rerun.c says the rule).  Internal to the command layer.
 */
#ifndef FT_CLI_TEST_RERUN_H
#define FT_CLI_TEST_RERUN_H

#include <stdint.h>

#include "ft_runners.h"

struct ft_store;

struct ft_cmd_rerun {
	unsigned times;                 /* reruns per test; 0: none */
	char **cmd;                     /* the command as given, before narrowing */
	const struct ft_runner_ops *runner; /* its runner; NULL: one test */
	const char *name;               /* --name (ft_cmd_run_argv's name) */
	unsigned run_flags;             /* ft_cmd_run_argv's flags */
	const char *db, *top, *state_dir; /* the pipeline's */
	/* ft_cmd_rerun_before fills: */
	struct ft_runner_names flaky;   /* known flaky before the run */
	int64_t run_before;             /* the newest run before it */
};

/* Before the run, with the selection's store open: the known flaky
 * tests and the newest run.  0 or a negative code (then nothing is
 * rerun: the caller sets times to 0). */
int ft_cmd_rerun_before(struct ft_cmd_rerun *r, struct ft_store *st);

/* After the run that returned `status`: rerun as test_rerun.c says, and
 * return the status `ftrace test` returns.  Says what it does on stderr. */
int ft_cmd_rerun_flaky(struct ft_cmd_rerun *r, int status);

void ft_cmd_rerun_release(struct ft_cmd_rerun *r);

#endif
