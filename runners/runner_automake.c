/*
 * runner_automake.c - Automake's row of the runner table (ft_runners.h):
 * `make check` over an Automake harness.  There is no runner image: each
 * test's driver is its own runner (name_self), judged by its .trs, and
 * the harness's .log/.trs are its own files (ft_runner_automake.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ft_error.h"
#include "ft_ptree.h"
#include "ft_runlists.h"
#include "ft_runner.h"
#include "ft_runner_argv.h"
#include "ft_runner_automake.h"
#include "ft_runners.h"
#include "ft_selection.h"

static int is_cmd(char *const *cmd, int shell)
{
	return !shell && ft_automake_cmd(cmd);
}

/* Automake's driver is the test; it is its own "runner" */
static long name_self(struct ft_ptree *t, size_t i)
{
	char *am = NULL;
	long k;
	int rc;

	if ((rc = ft_automake_test_id(&t->procs[i], &am)) < 0)
		return rc;
	if (!am)
		return -1;
	k = ft_ptree_test(t, am, ft_runner_automake.name);
	free(am);
	if (k >= 0 && (rc = ft_automake_own_files(t, &t->procs[i])) < 0)
		return rc;
	return k;
}

static int passed(void *state, const struct ft_ptree *t, const size_t *runner_of, size_t k,
		  const struct ft_runner_env *env)
{
	(void)state;
	return ft_automake_passed(&t->procs[runner_of[k]], env->t0_ns);
}

/* What to store: the tests are the Makefile's TESTS where make ran, and
 * the harness's .log/.trs: listing changes of only these are not changes
 * (selector/newtests.c). */
static int meta_extra(const struct ft_ptree *t, const char *cwd, struct cJSON **runners)
{
	cJSON *e;

	for (size_t k = 0; k < t->ntests; k++) {
		if (strcmp(t->tests[k].runner ? t->tests[k].runner : "", ft_runner_automake.name))
			continue;
		if ((!*runners && !(*runners = cJSON_CreateArray())) || !(e = cJSON_CreateObject()) ||
		    !cJSON_AddArrayToObject(e, "args"))
			return -ENOMEM;
		cJSON_AddStringToObject(e, "runner", ft_runner_automake.name);
		cJSON_AddStringToObject(e, "dir", cwd);
		if (t->own_files.count) {
			cJSON *own = cJSON_AddArrayToObject(e, "own_files");
			for (uint32_t i = 0; own && i < t->own_files.count; i++)
				cJSON_AddItemToArray(own, cJSON_CreateString(ft_map_key(&t->own_files, i, NULL)));
		}
		cJSON_AddItemToArray(*runners, e);
		break;
	}
	return 0;
}

/* Automake's TESTS, from the Makefile where `make check` ran
 * (ft_automake_list: a stale Makefile is "cannot tell"). */
static int list_recorded(const struct ft_runlist *r, const char *top, struct ft_runner_names *out,
			 struct ft_err *e)
{
	char **names = NULL;
	size_t nn = 0;
	int rc = ft_automake_list(r->dir, &names, &nn, NULL, e);

	(void)top;

	return ft_runner_names_take(out, "", names, nn, rc);
}

/* `make check TESTS="a b"`: exactly those entries (new ones included) */
static int plan_automake(char *const *cmd, const struct ft_selection *sel,
			 const struct ft_selection *all, const struct ft_selection *first,
			 char ***out, size_t *nsel, struct ft_err *e)
{
	char **names = NULL, *tests = NULL;
	const char **keep = NULL;
	size_t n = 0, nk = 0, len = 7, strip = 0;
	struct ft_automake_tree tree;
	int rc = ft_automake_list(".", &names, &n, &tree, e);

	if (rc < 0)
		return FT_RUNNER_PLAN_ALL;
	/* A TESTS= on make's command line reaches every sub-make of a
	 * recursive build (MAKEFLAGS): each subdirectory with tests would be
	 * asked to run the entries of another, which it does not have, and
	 * `make check` fails where it passes whole.  One list cannot name the
	 * tests of several directories: run it whole, unless nothing is
	 * affected.  With one such directory (SUBDIRS = src tests) the list
	 * names its entries, as its own Makefile does. */
	if (!n) {
		ft_err_set(e, 0, "the Makefile's TESTS is empty");
		free(tree.harness_prefix);
		free(names);
		return FT_RUNNER_PLAN_ALL;
	}
	rc = ft_runner_argv_pick(sel, all, names, n, &keep, &nk);
	if (rc >= 0 && nk && tree.nsub && tree.nharness == 1 && tree.harness_prefix) {
		strip = strlen(tree.harness_prefix);
		for (size_t i = 0; i < nk; i++)
			if (strncmp(keep[i], tree.harness_prefix, strip) || !keep[i][strip])
				tree.nharness = 0; /* (not of that directory: never so) */
	}
	if (rc >= 0 && nk && tree.nsub && tree.nharness != 1) {
		ft_err_set(e, 0, "the tests are in several directories of the Makefile's SUBDIRS: "
			   "a TESTS= list would reach every subdirectory's make");
		free(tree.harness_prefix);
		free(keep);
		ft_runner_argv_free(names);
		return FT_RUNNER_PLAN_ALL;
	}
	free(tree.harness_prefix);
	/* the harness runs TESTS in the order given: --failed-first's first */
	if (rc >= 0)
		ft_runner_argv_first(keep, nk, first);
	for (size_t i = 0; rc >= 0 && i < nk; i++)
		len += strlen(keep[i] + strip) + 1;
	if (rc >= 0 && nk && !(tests = malloc(len)))
		rc = -ENOMEM;
	if (rc >= 0 && nk) {
		char *o = tests + sprintf(tests, "TESTS=");
		for (size_t i = 0; i < nk; i++)
			o += sprintf(o, "%s%s", i ? " " : "", keep[i] + strip);
		if (!(*out = ft_runner_argv_concat(cmd, ft_runner_argv_count(cmd), &tests, 1)))
			rc = -ENOMEM;
	}
	*nsel = nk;
	if (rc >= 0)
		rc = nk ? FT_RUNNER_PLAN_NARROWED : FT_RUNNER_PLAN_NOTHING;
	free(tests);
	free(keep);
	ft_runner_argv_free(names);
	return rc;
}

static int narrow(const struct ft_runner_plan_in *in, struct ft_runner_plan_out *out)
{
	return plan_automake(in->cmd, in->sel, in->all, in->first, &out->argv, &out->nselected, &out->err);
}

const struct ft_runner_ops ft_runner_automake = {
	.name = "automake",
	.is_cmd = is_cmd,
	.name_self = name_self,
	.passed = passed,
	.self_judged = 1,
	.meta_extra = meta_extra,
	.list_recorded = list_recorded,
	.lists_every_test = 1,
	.narrow = narrow,
};
