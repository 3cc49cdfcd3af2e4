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
#include "ft_runners.h"

/* Did the run name tests of this runner?  A runner image without any (the
 * `cargo test --no-run` that nextest starts, a ctest that listed nothing)
 * says nothing about which tests exist.  A row whose tests are marked by
 * its adapter, not named by the tree (jest), always counts. */
static int named_tests(const struct ft_ptree *t, const struct ft_runner_ops *row)
{
	if (row->meta_always)
		return 1;
	for (size_t k = 0; k < t->ntests; k++)
		if (t->tests[k].runner && !strcmp(t->tests[k].runner, row->name))
			return 1;
	return 0;
}

static int same_entry(const cJSON *a, const cJSON *b)
{
	return cJSON_Compare(a, b, 1);
}

int ft_runner_meta(const struct ft_ptree *t, const char *cwd, const char *meta_json, char **out)
{
	cJSON *root = NULL, *runners = NULL;
	char dir[PATH_MAX];
	int rc = 0;

	*out = NULL;
	for (size_t i = 0; i < t->n && rc >= 0; i++) {
		const struct ft_ptree_proc *p = &t->procs[i];
		const struct ft_runner_ops *row = ft_runners_by_kind(p->runner);
		cJSON *e, *args;
		int dup = 0, end = p->argc, first, files = 0;

		if (!row || !p->argv || !named_tests(t, row))
			continue;
		/* a cut argv: the words before its last, which may be part of one
		 * (ft_runners_of_cut_image recognised it by them) */
		if (p->argv_cut && !row->image_prefix)
			continue;
		if (p->argv_cut)
			end = p->argc - 1;
		if (!runners && !(runners = cJSON_CreateArray())) {
			rc = -ENOMEM;
			break;
		}
		if (!(e = cJSON_CreateObject()) || !(args = cJSON_AddArrayToObject(e, "args"))) {
			cJSON_Delete(e);
			rc = -ENOMEM;
			break;
		}
		cJSON_AddStringToObject(e, "runner", row->name);
		if (row->meta_dir)
			row->meta_dir(t, p, cwd, dir, sizeof(dir));
		else
			snprintf(dir, sizeof(dir), "%s", cwd);
		cJSON_AddStringToObject(e, "dir", dir);
		first = row->meta_first_arg ? row->meta_first_arg(p) : 1;
		for (int a = first; a < end; a++) {
			cJSON_AddItemToArray(args, cJSON_CreateString(p->argv[a]));
			files |= row->meta_files_after && !strcmp(p->argv[a], row->meta_files_after);
		}
		if (p->argv_cut && !files)
			cJSON_AddItemToArray(args, cJSON_CreateString(FT_RUNNER_ARGS_CUT));
		for (const cJSON *x = runners->child; x && !dup; x = x->next)
			dup = same_entry(x, e);
		if (dup)
			cJSON_Delete(e);
		else
			cJSON_AddItemToArray(runners, e);
	}
	/* entries that are not an image's (Automake's) */
	for (size_t j = 0; ft_runners[j] && rc >= 0; j++)
		if (ft_runners[j]->meta_extra)
			rc = ft_runners[j]->meta_extra(t, cwd, &runners);
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
