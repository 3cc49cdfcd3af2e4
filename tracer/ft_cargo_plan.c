/*
 * ft_cargo_plan.c - see ft_cargo_plan.h and docs/cargo.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_cargo_format.h"
#include "ft_cargo_meta.h"
#include "ft_cargo_plan.h"
#include "ft_error.h"
#include "ft_runner.h"
#include "ft_runner_argv.h"
#include "ft_select.h"

static int id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ft_selected *)a)->id, ((const struct ft_selected *)b)->id);
}

static int has(const struct ft_selection *sel, const char *id)
{
	struct ft_selected key = { .id = id };
	return sel && sel->n && bsearch(&key, sel->tests, sel->n, sizeof(key), id_cmp) != NULL;
}

/* index of the word `word` in cmd (the subcommand), or -1 */
static int word_at(char *const *cmd, const char *word)
{
	for (int i = 1; cmd[i]; i++)
		if (!strcmp(cmd[i], word))
			return i;
	return -1;
}

/* Options after the subcommand that leave the set of tests alone; any
 * other word (a target or package option, a name filter) chooses tests. */
static int keeps_tests(char *const *cmd, int from, const char *const *with_value)
{
	static const char *const flags[] = {
		"-q", "--quiet", "-v", "-vv", "--verbose", "--release", "--offline", "--locked",
		"--frozen", "--no-fail-fast", "--color", "-j", "--jobs", "--manifest-path",
		"--target-dir", "--profile", "--cargo-profile", "--cargo-quiet", "--cargo-verbose",
	};
	for (int i = from; cmd[i]; i++) {
		int ok = 0;
		if (!strcmp(cmd[i], "--"))
			return 1; /* test binaries' own arguments */
		for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]) && !ok; k++) {
			size_t l = strlen(flags[k]);
			if (!strcmp(cmd[i], flags[k]))
				ok = 1;
			else if (!strncmp(cmd[i], flags[k], l) && cmd[i][l] == '=')
				ok = 2;
		}
		if (!ok)
			return 0;
		for (size_t k = 0; ok == 1 && with_value[k]; k++)
			if (!strcmp(cmd[i], with_value[k]) && cmd[i + 1])
				i++;
	}
	return 1;
}

/* cmd with extra[0..m) inserted after cmd[at] */
static char **insert(char *const *cmd, int at, char *const *extra, size_t m)
{
	size_t n = 0, o = 0;
	char **v;

	while (cmd[n])
		n++;
	if (!(v = calloc(n + m + 1, sizeof(*v))))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!(v[o++] = strdup(cmd[i])))
			goto fail;
		for (size_t k = 0; (int)i == at && k < m; k++)
			if (!(v[o++] = strdup(extra[k])))
				goto fail;
	}
	return v;
fail:
	ft_runner_argv_free(v);
	return NULL;
}

int ft_cargo_plan(char *const *cmd, int kind, const struct ft_selection *sel,
		  const struct ft_selection *all, char ***out, size_t *nsel, char *why,
		  size_t whylen)
{
	static const char *const with_value[] = { "--color", "-j", "--jobs", "--manifest-path",
						  "--target-dir", "--profile", "--cargo-profile", NULL };
	const char *sub = kind == FT_RUNNER_NEXTEST ? "run" : NULL;
	char **names = NULL, **extra = NULL;
	const char **keep = NULL;
	const char *bad = NULL;
	size_t nn = 0, nk = 0, ne = 0;
	int at, superset = 0, rc = 0;

	at = sub ? word_at(cmd, sub) : (word_at(cmd, "test") >= 0 ? word_at(cmd, "test") : word_at(cmd, "t"));
	if (at < 0 || !keeps_tests(cmd, at + 1, with_value)) {
		snprintf(why, whylen, "the cargo command chooses its own tests (target, package or name filters)");
		return FT_RUNNER_PLAN_ALL;
	}
	if (kind == FT_RUNNER_NEXTEST) {
		if ((rc = ft_cargo_format_nextest_list(NULL, &names, &nn)) < 0) {
			snprintf(why, whylen, "`cargo nextest list` failed here: %s", ft_strerror(rc));
			return FT_RUNNER_PLAN_ALL;
		}
	} else {
		struct ft_cargo_meta m;
		if ((rc = ft_cargo_meta_load(&m, NULL, NULL)) < 0) {
			snprintf(why, whylen, "`cargo metadata` failed here: %s", ft_strerror(rc));
			return FT_RUNNER_PLAN_ALL;
		}
		rc = ft_cargo_format_all(&m, &names, &nn);
		ft_cargo_meta_release(&m);
		if (rc < 0)
			return rc;
	}
	if (!nn) {
		snprintf(why, whylen, "cargo lists no tests here");
		ft_cargo_format_free(names, nn);
		return FT_RUNNER_PLAN_ALL;
	}
	if (!(keep = calloc(nn + 1, sizeof(*keep))))
		rc = -ENOMEM;
	for (size_t k = 0; rc >= 0 && k < nn; k++)
		if (has(sel, names[k]) || !has(all, names[k]))
			keep[nk++] = names[k];
	if (rc >= 0 && nk && kind == FT_RUNNER_NEXTEST) {
		char *expr = NULL;
		if ((rc = ft_cargo_format_nextest(keep, nk, &expr, &bad)) >= 0) {
			char *e2[] = { "-E", expr };
			if (!(*out = insert(cmd, at, e2, 2)))
				rc = -ENOMEM;
		}
		free(expr);
	} else if (rc >= 0 && nk) {
		if ((rc = ft_cargo_format_argv(keep, nk, &extra, &ne, &superset, &bad)) >= 0 &&
		    !(*out = insert(cmd, at, extra, ne)))
			rc = -ENOMEM;
		if (superset)
			snprintf(why, whylen, "the selection takes more than one cargo invocation: "
				 "every target of its packages runs");
	}
	*nsel = nk;
	if (rc == FT_EFORMAT) {
		snprintf(why, whylen, "cannot pass '%s' to cargo", bad ? bad : "?");
		rc = FT_RUNNER_PLAN_ALL;
	} else if (rc >= 0) {
		rc = nk ? FT_RUNNER_PLAN_NARROWED : FT_RUNNER_PLAN_NOTHING;
	}
	ft_cargo_format_free(extra, ne);
	free(keep);
	ft_cargo_format_free(names, nn);
	return rc;
}
