/*
 * runner_pytest.c - pytest's row of the runner table (ft_runners.h).
 * pytest's tests are marked by its plugin (adapters/pytest), not by
 * processes, and its new tests are found by the selector
 * (selector/newtests.c); its selections in the default formats are
 * ft_pytest_args (pytest_args.c).  What the row holds:
 *
 *  - recognise the command: `pytest ...`, `py.test ...`, `<python> -m
 *    pytest ...`, also behind `env VAR=x` or `uv|poetry|pipenv|pdm|hatch|rye
 *    run`, and in each simple command of a shell line.  Anything else is
 *    not pytest: its own test (named by its command line) decides whether
 *    it runs, which is always safe.
 *  - narrow (`ftrace test`): the known tests that are NOT affected go, one
 *    node id per line, to a file in the state dir that the plugin reads
 *    (FTRACE_DESELECT_FILE) and deselects.  Passing the affected ids
 *    instead would skip new tests, which must always run: a test added to
 *    an existing file has an id nobody recorded yet.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_pytest_deselect.h"
#include "ft_runner_argv.h"
#include "ft_runners.h"
#include "ft_selection.h"

static int is_pytest_word(const char *w)
{
	const char *base = strrchr(w, '/');

	base = base ? base + 1 : w;
	return !strcmp(base, "pytest") || !strcmp(base, "py.test") || !strncmp(base, "pytest-3", 8);
}

/* Is argv[0] a program that runs its arguments as a command (so that the
 * command starts at a later word)?  Returns how many words to skip. */
static int wrapper_words(char **argv)
{
	static const char *const runners[] = { "uv", "poetry", "pipenv", "pdm", "hatch", "rye" };
	const char *base = strrchr(argv[0], '/');

	base = base ? base + 1 : argv[0];
	if (!strcmp(base, "env")) {
		int i = 1;
		while (argv[i] && (strchr(argv[i], '=') || argv[i][0] == '-'))
			i++;
		return i;
	}
	for (size_t k = 0; k < sizeof(runners) / sizeof(runners[0]); k++)
		if (!strcmp(base, runners[k]) && argv[1] && !strcmp(argv[1], "run"))
			return 2;
	return 0;
}

/*
 * Does this command run pytest?  `pytest ...`, `py.test ...`, `<python>
 * -m pytest ...`, also behind `env VAR=x` or `uv|poetry|pipenv|pdm|hatch|rye
 * run`.  Anything else is not pytest: its own test (named by its command
 * line) decides whether it runs, which is always safe.
 */
static int argv_runs_pytest(char **argv)
{
	int skip;

	while (argv[0] && (skip = wrapper_words(argv)) > 0)
		for (; skip > 0 && argv[0]; skip--)
			argv++;
	if (!argv[0])
		return 0;
	if (is_pytest_word(argv[0]))
		return 1;
	for (int i = 1; argv[i]; i++) {
		if (strcmp(argv[i - 1], "-m"))
			continue;
		return !strcmp(argv[i], "pytest");
	}
	return 0;
}

/* The same for the config's string form: each simple command of the line
 * (split at ; & | and newlines; words at blanks, quotes are not parsed). */
static int runs_pytest(char *const *cmd, int shell)
{
	char *s, *save = NULL, *words[64];
	int found = 0;

	if (!shell)
		return argv_runs_pytest((char **)cmd);
	if (!(s = strdup(cmd[2])))
		return 0;
	for (char *seg = strtok_r(s, ";&|\n", &save); seg && !found; seg = strtok_r(NULL, ";&|\n", &save)) {
		char *wsave = NULL;
		int n = 0;
		for (char *w = strtok_r(seg, " \t()", &wsave); w && n < 63; w = strtok_r(NULL, " \t()", &wsave))
			words[n++] = w;
		words[n] = NULL;
		found = n > 0 && argv_runs_pytest(words);
	}
	free(s);
	return found;
}

/* A selected id that pytest can run: a node id, a (new) test file, or a
 * new file or directory that a collection hook of the project may make
 * tests of (selector/newtests.c): new tests always run. */
static int pytest_id(const struct ft_selected *t)
{
	size_t n = strlen(t->id);

	for (size_t i = 0; i < t->nreasons; i++)
		if (t->reasons[i].change == FT_CHANGE_NEW)
			return 1;
	return strstr(t->id, "::") || (n > 3 && !strcmp(t->id + n - 3, ".py"));
}

/* Where pytest's own arguments start in an argv that runs pytest
 * (argv_runs_pytest), or -1. */
static int pytest_args_at(char *const *cmd)
{
	char **argv = (char **)cmd;
	int skip, at = 0;

	while (argv[at] && (skip = wrapper_words(argv + at)) > 0)
		for (; skip > 0 && argv[at]; skip--)
			at++;
	if (!argv[at])
		return -1;
	if (is_pytest_word(argv[at]))
		return at + 1;
	for (int i = at + 1; argv[i]; i++)
		if (!strcmp(argv[i - 1], "-m"))
			return !strcmp(argv[i], "pytest") ? i + 1 : -1;
	return -1;
}

/* `SH -c LINE` whose LINE is one command of plain words (no quote,
 * expansion, redirection or second command): its words, split at blanks,
 * into *copy (both malloc'd), else NULL. */
static char **plain_line(char *const *cmd, char **copy)
{
	char **v, *save = NULL;
	size_t n = 0;

	*copy = NULL;
	if (!cmd[0] || !cmd[1] || strcmp(cmd[1], "-c") || !cmd[2] || cmd[3] ||
	    cmd[2][strcspn(cmd[2], "'\"\\$`;&|<>()*?[]~#{}!\n")])
		return NULL;
	if (!(*copy = strdup(cmd[2])) || !(v = calloc(strlen(cmd[2]) / 2 + 2, sizeof(*v)))) {
		free(*copy);
		*copy = NULL;
		return NULL;
	}
	for (char *w = strtok_r(*copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		v[n++] = w;
	return v;
}

static int is_cmd(char *const *cmd, int shell)
{
	return runs_pytest(cmd, shell);
}

static int narrow(const struct ft_runner_plan_in *in, struct ft_runner_plan_out *out)
{
	size_t nsel = 0, ndesel = 0;
	int rc;

	for (size_t i = 0; i < in->sel->n; i++)
		nsel += pytest_id(&in->sel->tests[i]);
	/* nothing affected: pytest need not start, unless the recordings
	 * were made with another command line, whose options only the plugin
	 * can compare with this session's (ft_pytest_deselect.h) */
	if (nsel == 0 && !in->st)
		return FT_RUNNER_PLAN_NOTHING;
	if (nsel == 0) {
		char *copy = NULL, **words = NULL;
		int at = pytest_args_at(in->cmd);

		/* a shell line: its words when they are plain; else pytest
		 * starts, and its plugin compares */
		if (at < 0 && (words = plain_line(in->cmd, &copy)))
			at = pytest_args_at(words);
		rc = at < 0 ? 0 : ft_pytest_deselect_same(in->st, (words ? words : in->cmd) + at);
		free(words);
		free(copy);
		if (rc < 0) {
			ft_err_set(&out->err, rc, "cannot read the recorded pytest command lines: %s",
				   ft_strerror(rc));
			return rc;
		}
		if (rc == 1)
			return FT_RUNNER_PLAN_NOTHING;
	}
	snprintf(out->deselect, sizeof(out->deselect), "%s/deselect-%d.txt", in->state_dir,
		 (int)getpid());
	if ((rc = ft_pytest_deselect_write(in->st, in->sel, in->all, out->deselect, &ndesel)) < 0) {
		ft_err_set(&out->err, rc, "cannot write %s: %s", out->deselect, ft_strerror(rc));
		unlink(out->deselect);
		return rc;
	}
	out->nselected = nsel;
	out->ndeselected = ndesel;
	return FT_RUNNER_PLAN_DESELECTED;
}

const struct ft_runner_ops ft_runner_pytest = {
	.name = "pytest",
	.is_cmd = is_cmd,
	.narrow = narrow,
	.readers = ft_pytest_readers,
};
