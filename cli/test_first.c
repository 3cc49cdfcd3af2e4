/*
 * test_first.c - `ftrace test --failed-first`: the selected tests that
 * failed last time (reason "failed last time" or "no result last time")
 * run first, where the runner lets ftrace order its tests, so that the
 * first red comes in seconds (docs/hooks.md).  It changes the order only,
 * never which tests run.  By runner:
 *
 *  - pytest: their node ids go, one per line, to a file in the state dir
 *    named by FTRACE_FIRST_FILE; the plugin (adapters/pytest) moves those
 *    items to the front of the session, in their collected order, after
 *    every other plugin has ordered them.
 *  - node --test and Automake: their files / TESTS entries come first in
 *    the narrowed command (node starts its test files, and the harness
 *    runs TESTS, in the order given).
 *  - ctest: ctest itself runs last time's failures first when it runs in
 *    parallel (-j N, --parallel N, $CTEST_PARALLEL_LEVEL), from its own
 *    Testing/Temporary/CTestCostData.txt; ftrace's -R narrowing keeps
 *    that (t6129).  Serial, it runs them in their declared order, and
 *    nothing ftrace can pass changes that: said so.
 *  - jest: its default test sequencer runs the files that failed last
 *    time first, from its own cache; ftrace's --runTestsByPath keeps it.
 *  - go test, cargo, nextest: they order by package or test binary, and
 *    take no order: said so.
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

/* pytest's file.  1, or a negative code. */
static int write_file(const struct ft_selection *sel, const char *state_dir, char *path,
		      size_t cap)
{
	FILE *f;
	int fd;

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
	return FT_FIRST_ORDERED;
}

/* The failed ones as a selection (sel's order, so sorted by id). */
static int as_selection(const struct ft_selection *sel, size_t n, struct ft_selection **first)
{
	struct ft_selection *s = calloc(1, sizeof(*s));

	if (!s || !(s->tests = calloc(n, sizeof(*s->tests)))) {
		free(s);
		return -ENOMEM;
	}
	for (size_t i = 0; i < sel->n; i++)
		if (failed_last(&sel->tests[i]))
			s->tests[s->n++] = sel->tests[i];
	s->known = sel->known;
	s->complete = 1;
	*first = s;
	return FT_FIRST_ORDERED;
}

/* Does `ctest ARGS` run in parallel (-j N, -jN, --parallel N, N > 1;
 * -j alone: as many as CPUs), or $CTEST_PARALLEL_LEVEL > 1? */
static int ctest_parallel(char *const *cmd)
{
	const char *env = getenv("CTEST_PARALLEL_LEVEL"), *v = NULL;
	int par = env && atoi(env) > 1;

	for (size_t i = 1; cmd && cmd[i]; i++) {
		if (!strcmp(cmd[i], "--"))
			break;
		if (!strcmp(cmd[i], "-j") || !strcmp(cmd[i], "--parallel"))
			v = cmd[i + 1] && cmd[i + 1][0] >= '0' && cmd[i + 1][0] <= '9' ? cmd[i + 1] : "";
		else if (!strncmp(cmd[i], "-j", 2))
			v = cmd[i] + 2;
		else if (!strncmp(cmd[i], "--parallel=", 11))
			v = cmd[i] + 11;
		else
			continue;
		par = !*v || atoi(v) > 1;
	}
	return par;
}

int ft_cmd_first_plan(const struct ft_runner_ops *runner, char *const *cmd,
		      const struct ft_selection *sel, const char *state_dir, char *path,
		      size_t cap, struct ft_selection **first, size_t *n, char *why,
		      size_t whylen)
{
	const char *name = runner ? runner->name : "";

	*n = 0;
	path[0] = 0;
	*first = NULL;
	why[0] = 0;
	for (size_t i = 0; sel && i < sel->n; i++)
		*n += failed_last(&sel->tests[i]);
	if (!strcmp(name, "ctest")) {
		if (ctest_parallel(cmd))
			snprintf(why, whylen, "ctest runs the tests that failed last time first itself "
				 "when parallel (-j), from its Testing/Temporary/CTestCostData.txt; "
				 "ftrace's -R narrowing keeps that order");
		else
			snprintf(why, whylen, "ctest runs its tests in their declared order unless "
				 "it runs in parallel: with -j N it runs last time's failures first "
				 "itself");
		return ctest_parallel(cmd) ? FT_FIRST_OWN : FT_FIRST_CANNOT;
	}
	if (!strcmp(name, "jest")) {
		snprintf(why, whylen, "jest's own test sequencer runs the test files that failed "
			 "last time first (from its cache); ftrace's --runTestsByPath keeps that");
		return FT_FIRST_OWN;
	}
	if (strcmp(name, "pytest") && strcmp(name, "node") && strcmp(name, "automake")) {
		snprintf(why, whylen, "%s runs its tests in its own order", runner ? name :
			 "this command");
		return FT_FIRST_CANNOT;
	}
	if (!*n)
		return FT_FIRST_NONE;
	if (!strcmp(name, "pytest"))
		return write_file(sel, state_dir, path, cap);
	return as_selection(sel, *n, first);
}

void ft_cmd_first_done(char *path, struct ft_selection **first)
{
	if (path[0]) {
		unlink(path);
		unsetenv(FT_ENV_FIRST);
		path[0] = 0;
	}
	if (*first) {
		free((*first)->tests);
		free(*first);
		*first = NULL;
	}
}
