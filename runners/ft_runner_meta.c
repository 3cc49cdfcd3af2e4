/*
 * ft_runner_meta.c - see ft_runner_meta.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ft_error.h"
#include "ft_ptree.h"
#include "ft_runner.h"
#include "ft_runner_meta.h"

static const char *kind_name(int kind)
{
	switch (kind) {
	case FT_RUNNER_CTEST: return "ctest";
	case FT_RUNNER_NODE: return "node";
	case FT_RUNNER_JEST: return "jest";
	case FT_RUNNER_CARGO: return "cargo";
	case FT_RUNNER_NEXTEST: return "nextest";
	case FT_RUNNER_GO: return "go";
	default: return NULL;
	}
}

static int started_by_npm(const struct ft_ptree *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->procs[i].argv && !t->procs[i].argv_cut && ft_runner_is_npm(&t->procs[i]))
			return 1;
	return 0;
}

/* The nearest directory at or above `cwd` holding package.json, else cwd. */
static void package_root(const char *cwd, char *out, size_t cap)
{
	char buf[PATH_MAX + 16];

	snprintf(out, cap, "%s", cwd);
	for (;;) {
		char *slash;
		snprintf(buf, sizeof(buf), "%s/package.json", *out ? out : "");
		if (access(buf, F_OK) == 0) {
			if (!*out)
				snprintf(out, cap, "/");
			return;
		}
		if (!(slash = strrchr(out, '/')) || !*out)
			break;
		*slash = '\0';
	}
	snprintf(out, cap, "%s", cwd);
}

/* Did the run name tests of this runner?  A runner image without any (the
 * `cargo test --no-run` that nextest starts, a ctest that listed nothing)
 * says nothing about which tests exist.  jest's tests are marked by its
 * adapter, not named by the tree: its entry always counts. */
static int named_tests(const struct ft_ptree *t, int kind, const char *name)
{
	if (kind == FT_RUNNER_JEST)
		return 1;
	for (size_t k = 0; k < t->ntests; k++)
		if (t->tests[k].runner && !strcmp(t->tests[k].runner, name))
			return 1;
	return 0;
}

/* Where the runner's own arguments start: after argv[0], or for jest
 * (`node .../node_modules/.bin/jest ARGS`) after the jest script. */
static int first_arg(const struct ft_ptree_proc *p)
{
	if (p->runner != FT_RUNNER_JEST)
		return 1;
	for (int a = 0; a < p->argc; a++) {
		const char *b = strrchr(p->argv[a], '/');
		b = b ? b + 1 : p->argv[a];
		if (!strcmp(b, "jest") || !strcmp(b, "jest.js"))
			return a + 1;
	}
	return p->argc; /* not found: no arguments, jest's defaults */
}

static int same_entry(const cJSON *a, const cJSON *b)
{
	return cJSON_Compare(a, b, 1);
}

int ft_runner_meta(const struct ft_ptree *t, const char *cwd, const char *meta_json, char **out)
{
	cJSON *root = NULL, *runners = NULL;
	char pkg[PATH_MAX];
	int npm = -1, rc = 0;

	*out = NULL;
	for (size_t i = 0; i < t->n && rc >= 0; i++) {
		const struct ft_ptree_proc *p = &t->procs[i];
		const char *name = kind_name(p->runner);
		cJSON *e, *args;
		int dup = 0;

		if (!name || !p->argv || p->argv_cut || !named_tests(t, p->runner, name))
			continue;
		if (!runners && !(runners = cJSON_CreateArray())) {
			rc = -ENOMEM;
			break;
		}
		if (!(e = cJSON_CreateObject()) || !(args = cJSON_AddArrayToObject(e, "args"))) {
			cJSON_Delete(e);
			rc = -ENOMEM;
			break;
		}
		cJSON_AddStringToObject(e, "runner", name);
		if (p->runner == FT_RUNNER_NODE) {
			if (npm < 0) {
				npm = started_by_npm(t);
				package_root(cwd, pkg, sizeof(pkg));
			}
			cJSON_AddStringToObject(e, "dir", npm ? pkg : cwd);
		} else if (p->runner == FT_RUNNER_GO && p->cwd) {
			/* go list ./... where go test ran (docs/go.md) */
			cJSON_AddStringToObject(e, "dir", p->cwd);
		} else {
			cJSON_AddStringToObject(e, "dir", cwd);
		}
		for (int a = first_arg(p); a < p->argc; a++)
			cJSON_AddItemToArray(args, cJSON_CreateString(p->argv[a]));
		for (const cJSON *x = runners->child; x && !dup; x = x->next)
			dup = same_entry(x, e);
		if (dup)
			cJSON_Delete(e);
		else
			cJSON_AddItemToArray(runners, e);
	}
	/* Automake: the tests are the Makefile's TESTS where make ran */
	for (size_t k = 0; k < t->ntests && rc >= 0; k++) {
		cJSON *e;
		if (strcmp(t->tests[k].runner ? t->tests[k].runner : "", "automake"))
			continue;
		if ((!runners && !(runners = cJSON_CreateArray())) || !(e = cJSON_CreateObject()) ||
		    !cJSON_AddArrayToObject(e, "args")) {
			rc = -ENOMEM;
			break;
		}
		cJSON_AddStringToObject(e, "runner", "automake");
		cJSON_AddStringToObject(e, "dir", cwd);
		/* the harness's .log/.trs: listing changes of only these are
		 * not changes (selector/newtests.c) */
		if (t->own_files.count) {
			cJSON *own = cJSON_AddArrayToObject(e, "own_files");
			for (uint32_t i = 0; own && i < t->own_files.count; i++)
				cJSON_AddItemToArray(own, cJSON_CreateString(ft_map_key(&t->own_files, i, NULL)));
		}
		cJSON_AddItemToArray(runners, e);
		break;
	}
	if (rc < 0 || !runners) {
		cJSON_Delete(runners);
		return rc;
	}
	if (meta_json) {
		root = cJSON_Parse(meta_json);
		if (!cJSON_IsObject(root)) {
			cJSON_Delete(root);
			cJSON_Delete(runners);
			return FT_EFORMAT;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(root, "runners");
	} else if (!(root = cJSON_CreateObject())) {
		cJSON_Delete(runners);
		return -ENOMEM;
	}
	cJSON_AddItemToObject(root, "runners", runners);
	*out = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return *out ? 0 : -ENOMEM;
}
