/*
 * test_first.c - `ftrace test --failed-first`: the selected tests that
 * failed last time (reason "failed last time" or "no result last time")
 * run first, where the runner lets ftrace order its tests, so that the
 * first red comes in seconds (docs/hooks.md).
 *
 * pytest: their node ids go, one per line, to a file in the state dir
 * named by FTRACE_FIRST_FILE; the plugin (adapters/pytest) moves those
 * items to the front of the session, in their collected order, after
 * every other plugin has ordered them.  It changes the order only, never
 * which tests run.  Other runners choose their own order (ctest by its
 * cost data, jest by its scheduler, go and cargo by package): the option
 * is said to do nothing there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_runners.h"
#include "ft_selection.h"
#include "test_first.h"

static int failed_last(const struct ft_selected *t)
{
	for (size_t k = 0; k < t->nreasons; k++)
		if (t->reasons[k].change == FT_CHANGE_FAILED ||
		    t->reasons[k].change == FT_CHANGE_NO_RESULT)
			return 1;
	return 0;
}

int ft_cmd_first_plan(const struct ft_runner_ops *runner, const struct ft_selection *sel,
		      const char *state_dir, char *path, size_t cap, size_t *n)
{
	FILE *f;
	int fd;

	*n = 0;
	path[0] = 0;
	if (!runner || strcmp(runner->name, "pytest"))
		return 0;
	for (size_t i = 0; sel && i < sel->n; i++)
		*n += failed_last(&sel->tests[i]);
	if (!*n)
		return 0;
	snprintf(path, cap, "%s/first-%d.txt", state_dir, (int)getpid());
	/* O_EXCL: never through a link someone left in the state dir */
	unlink(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0 ||
	    !(f = fdopen(fd, "w"))) {
		int e = -errno;
		if (fd >= 0)
			close(fd);
		path[0] = 0;
		return e;
	}
	for (size_t i = 0; i < sel->n; i++)
		if (failed_last(&sel->tests[i]))
			fprintf(f, "%s\n", sel->tests[i].id);
	if (fclose(f) != 0) {
		int e = -errno;
		unlink(path);
		path[0] = 0;
		return e;
	}
	setenv(FT_ENV_FIRST, path, 1);
	return 1;
}

void ft_cmd_first_done(char *path)
{
	if (path[0]) {
		unlink(path);
		unsetenv(FT_ENV_FIRST);
		path[0] = 0;
	}
}
