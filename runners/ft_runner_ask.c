/*
 * ft_runner_ask.c - may a recorded runner list be asked for its tests?
 * (ft_runners_may_ask, ft_runners.h)
 *
 * A recorded runner list's directory and arguments come from the database,
 * which is input: a database restored from a CI cache, given with --db or
 * planted by another user must never choose what runs (docs/usage.md,
 * "Trust").  The case: a run's runner list naming ctest with `-S /tmp/x.cmake`,
 * jest with `--config /tmp/x.js`, or nextest with `--config
 * target.*.runner=...`, or a directory of someone else's with a Makefile,
 * made `ftrace affected` run their code.  So a runner is asked only in a
 * directory inside this repository, and only with arguments that choose
 * tests or change output, by its row's safe_args table; the runner's
 * program comes from PATH or the project as before.  Anything else is
 * "cannot tell" (exit 2), never a shorter list.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_runlists.h"
#include "ft_runners.h"
#include "ft_trust.h"

/* Is `path` (resolved) `top` or below it? */
static int inside(const char *path, const char *top)
{
	char real[4096];
	size_t tl = strlen(top);

	if (!realpath(path, real))
		return 0;
	return !strncmp(real, top, tl) && (real[tl] == '\0' || real[tl] == '/' || tl == 1);
}

/* The first of `args` that `table` does not allow (positional words only
 * where `positional`), or NULL.  A --test-dir must stay inside `top`. */
static const char *unsafe_arg(char *const *args, const struct ft_safe_arg *table, int positional,
			      const char *top)
{
	for (size_t i = 0; args && args[i]; i++) {
		const char *a = args[i];
		const struct ft_safe_arg *ok = NULL;
		struct ft_err why; /* not said: the argument is refused */
		const char *val = NULL;
		int next = 0;

		if (a[0] != '-' || !a[1]) {
			if (!positional)
				return a;
			continue;
		}
		for (const struct ft_safe_arg *t = table; t->name && !ok; t++) {
			size_t l = strlen(t->name);
			if (!strcmp(a, t->name)) {
				ok = t;
				next = t->value;
			} else if (t->value && !strncmp(a, t->name, l) &&
				   (a[l] == '=' || (t->name[1] != '-' && a[l]))) {
				ok = t;
				val = a + l + (a[l] == '=');
			} else if (!t->value && !strncmp(a, t->name, l) && a[l] == '=' && a[1] == '-') {
				ok = t;  /* --bail=2, --show-only=json-v1 */
			}
		}
		if (!ok)
			return a;
		if (next) {
			if (!args[i + 1])
				return a;
			val = args[++i];
		}
		if (val && !strcmp(ok->name, "--test-dir") && !inside(val, top))
			return a;
		/* a cache jest reads: the user's own (ft_trust.h), wherever it is */
		if (val && !strcmp(ok->name, "--cacheDirectory") &&
		    ft_trust_check(val, "jest cache", &why) < 0)
			return a;
	}
	return NULL;
}

int ft_runners_may_ask(const struct ft_runner_ops *row, const struct ft_runlist *r,
		       const char *top, struct ft_err *e)
{
	char rtop[4096];
	const char *bad = NULL;
	char **view = NULL;

	if (!realpath(top, rtop))
		snprintf(rtop, sizeof(rtop), "%s", top);
	if (!inside(r->dir, rtop)) {
		return ft_err_set(e, FT_EFORMAT,
				  "%.300s: the recording lists %.20s tests there, outside "
				  "this repository (%.300s); ftrace asks a runner for its new tests only inside "
				  "the repository: run `ftrace affected --format %.20s` where the tests run",
				  r->dir, r->runner, rtop, row->format ? r->runner : "ids");
	}
	for (size_t i = 0; r->args && r->args[i]; i++)
		if (!strcmp(r->args[i], FT_RUNNER_ARGS_CUT))
			return ft_err_set(e, FT_EFORMAT, "%.300s: the recorded %.20s command line was "
					  "longer than a record keeps (4 KiB), so its options are not "
					  "known and ftrace cannot ask it for new tests: run `ftrace "
					  "affected --format %.20s` where the tests run", r->dir,
					  r->runner, r->runner);
	if (row->safe_args && row->safe_view && !(view = row->safe_view(r->args)))
		return -ENOMEM;
	if (row->safe_args)
		bad = unsafe_arg(view ? view : r->args, row->safe_args, row->safe_positional, rtop);
	if (bad) {
		ft_err_set(e, FT_EFORMAT, "%.300s: the recorded %.20s command has the argument "
			   "'%.200s', which ftrace does not pass on from a database (it could make the "
			   "runner run code the database chose): run `ftrace affected --format %.20s` "
			   "where the tests run", r->dir, r->runner, bad, r->runner);
		free(view);
		return FT_EFORMAT;
	}
	free(view);
	return 0;
}

