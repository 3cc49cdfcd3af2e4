/*
 * ft_cargo_plan.c - see ft_cargo_plan.h and docs/cargo.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_cargo_format.h"
#include "ft_cargo_meta.h"
#include "ft_cargo_spec.h"
#include "ft_cargo_plan.h"
#include "ft_error.h"
#include "ft_runner.h"
#include "ft_runner_argv.h"
#include "ft_selection.h"

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

/*
 * Options after the subcommand that leave the set of tests alone, with
 * whether each takes a value; any other word (a target or package option,
 * a name filter, an option not known here) chooses tests, and then the
 * command runs as given.  The whole grammar of each is accepted, as cargo
 * (clap) parses it: `--jobs 2`, `--jobs=2`, `-j 2`, `-j2`, `-j=2`, and
 * valueless short flags grouped (`-qv`, a value-taking one last: `-vj2`).
 * `ftrace test -- cargo test -j2` ran every target on every commit when
 * only `-j 2` and `--jobs=2` were known.
 */
struct opt {
	const char *name;   /* "--long" or "-s" */
	int value;          /* takes a value */
	int nextest;        /* 1: `cargo nextest run` only, 0: both */
};

static const struct opt keep_opts[] = {
	{ "-q", 0, 0 }, { "--quiet", 0, 0 }, { "-v", 0, 0 }, { "--verbose", 0, 0 },
	{ "-r", 0, 0 }, { "--release", 0, 0 }, { "--offline", 0, 0 }, { "--locked", 0, 0 },
	{ "--frozen", 0, 0 }, { "--no-fail-fast", 0, 0 }, { "--color", 1, 0 }, { "-j", 1, 0 },
	{ "--jobs", 1, 0 }, { "--manifest-path", 1, 0 }, { "--target-dir", 1, 0 },
	{ "--profile", 1, 0 }, { "--cargo-profile", 1, 0 }, { "--cargo-quiet", 0, 0 },
	{ "--cargo-verbose", 0, 0 }, { "--timings", 0, 0 }, { "--message-format", 1, 0 },
	{ "--test-threads", 1, 1 }, { "--retries", 1, 1 }, { "--no-capture", 0, 1 },
	{ "--nocapture", 0, 1 }, { "--failure-output", 1, 1 }, { "--success-output", 1, 1 },
	{ "--status-level", 1, 1 }, { "--final-status-level", 1, 1 },
	{ "--hide-progress-bar", 0, 1 }, { "-P", 1, 1 },
};

static const struct opt *find_opt(const char *name, size_t len, int nextest)
{
	for (size_t k = 0; k < sizeof(keep_opts) / sizeof(keep_opts[0]); k++)
		if (strlen(keep_opts[k].name) == len && !strncmp(keep_opts[k].name, name, len) &&
		    (nextest || !keep_opts[k].nextest))
			return &keep_opts[k];
	return NULL;
}

int ft_cargo_args_keep_tests(char *const *cmd, int from, int nextest)
{
	for (int i = from; cmd[i]; i++) {
		const char *a = cmd[i], *eq;
		const struct opt *o;

		if (!strcmp(a, "--"))
			return 1; /* test binaries' own arguments */
		if (a[0] != '-' || !a[1])
			return 0; /* a test-name filter */
		if (a[1] == '-') {
			eq = strchr(a, '=');
			if (!(o = find_opt(a, eq ? (size_t)(eq - a) : strlen(a), nextest)))
				return 0;
			if (eq && !o->value)
				return 0;
			if (!eq && o->value && !cmd[++i])
				return 0;
			continue;
		}
		/* a group of short flags */
		for (size_t c = 1; a[c]; c++) {
			char s[3] = { '-', a[c], '\0' };
			if (!(o = find_opt(s, 2, nextest)))
				return 0;
			if (!o->value)
				continue;
			if (!a[c + 1] && !cmd[++i])
				return 0;
			break; /* the rest (`-j2`, `-j=2`) is the value */
		}
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
		  const struct ft_selection *all, char ***out, size_t *nsel, struct ft_err *e)
{
	const char *sub = kind == FT_RUNNER_NEXTEST ? "run" : NULL;
	char **names = NULL, **extra = NULL, **targets = NULL, **specs = NULL;
	const char **keep = NULL;
	const char *bad = NULL;
	size_t nn = 0, nk = 0, ne = 0, nt = 0, nspecs = 0;
	int at, superset = 0, rc = 0;

	at = sub ? word_at(cmd, sub) : (word_at(cmd, "test") >= 0 ? word_at(cmd, "test") : word_at(cmd, "t"));
	if (at < 0 || !ft_cargo_args_keep_tests(cmd, at + 1, kind == FT_RUNNER_NEXTEST)) {
		ft_err_set(e, 0,
			   "the cargo command chooses its own tests (target, package or name filters)");
		return FT_RUNNER_PLAN_ALL;
	}
	if (kind == FT_RUNNER_NEXTEST) {
		if ((rc = ft_cargo_format_nextest_list(NULL, &names, &nn)) < 0) {
			ft_err_set(e, 0, "`cargo nextest list` failed here: %s", ft_strerror(rc));
			return FT_RUNNER_PLAN_ALL;
		}
	} else {
		struct ft_cargo_meta m;
		if ((rc = ft_cargo_meta_load(&m, NULL, NULL)) < 0) {
			ft_err_set(e, 0, "`cargo metadata` failed here: %s", ft_strerror(rc));
			return FT_RUNNER_PLAN_ALL;
		}
		rc = ft_cargo_format_all(&m, &names, &nn);
		/* the command chooses no package (keep_tests above): cargo
		 * test works on the default members, and another member's
		 * targets are no new tests of it (they ran, and could fail
		 * for want of its dependencies, where cargo test runs none) */
		if (rc >= 0 && m.has_defaults)
			ft_cargo_drop_non_default(&m, names, &nn);
		/* which packages have an example (ft_cargo_format_argv) */
		if (rc >= 0)
			rc = ft_cargo_format_targets(&m, &targets, &nt);
		/* how -p names a member whose name is ambiguous */
		if (rc >= 0)
			rc = ft_cargo_format_specs(&m, &specs, &nspecs);
		ft_cargo_meta_release(&m);
		if (rc < 0) {
			ft_cargo_format_free(names, nn);
			ft_cargo_format_free(targets, nt);
			ft_cargo_format_free(specs, nspecs);
			return rc;
		}
	}
	if (!nn) {
		ft_err_set(e, 0, "cargo lists no tests here");
		ft_cargo_format_free(names, nn);
		ft_cargo_format_free(targets, nt);
		ft_cargo_format_free(specs, nspecs);
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
		if ((rc = ft_cargo_format_argv(keep, nk, targets, nt, &extra, &ne, &superset,
					       &bad)) >= 0 &&
		    (rc = ft_cargo_format_respec(extra, ne, specs, nspecs, 1)) >= 0 &&
		    !(*out = insert(cmd, at, extra, ne)))
			rc = -ENOMEM;
		if (superset)
			ft_err_set(e, 0, "the selection takes more than one cargo invocation: "
				   "every target of its packages runs");
	}
	*nsel = nk;
	if (rc == FT_EFORMAT) {
		ft_err_set(e, 0, "cannot pass '%s' to cargo", bad ? bad : "?");
		rc = FT_RUNNER_PLAN_ALL;
	} else if (rc >= 0) {
		rc = nk ? FT_RUNNER_PLAN_NARROWED : FT_RUNNER_PLAN_NOTHING;
	}
	ft_cargo_format_free(extra, ne);
	free(keep);
	ft_cargo_format_free(names, nn);
	ft_cargo_format_free(targets, nt);
	ft_cargo_format_free(specs, nspecs);
	return rc;
}
