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

/* Where, among the image's arguments w[0..n) (from its first; the last one
 * only part of a word when `cut`), the words that `ftrace test` put into
 * the command begin (`narrowed`, a leading "--" of npm's left out: the
 * runner does not see it); *k gets their count.  n when they are not
 * there; -1 when `cut` and they do not run from among the whole words
 * into the cut (the arguments are then not known). */
static int narrowing_at(char *const *w, int n, int cut, char *const *narrowed, int *k)
{
	int m = 0;

	if (narrowed && narrowed[0] && !strcmp(narrowed[0], "--"))
		narrowed++;
	while (narrowed && narrowed[m])
		m++;
	*k = m;
	for (int j = 0; m && j < n; j++) {
		int i = 0;
		/* whole: w[j..j+m) equal; cut: w[j..n-1) equal and w[n-1] the
		 * start of the word after them */
		while (j + i < n - cut && i < m && !strcmp(w[j + i], narrowed[i]))
			i++;
		if (!cut && i == m)
			return j;
		if (cut && j + i == n - 1 && i < m &&
		    !strncmp(w[n - 1], narrowed[i], strlen(w[n - 1])))
			return j;
	}
	return cut ? -1 : n;
}

int ft_runner_meta(const struct ft_ptree *t, const char *cwd, char *const *narrowed,
		   const char *meta_json, char **out)
{
	cJSON *root = NULL, *runners = NULL;
	char dir[PATH_MAX];
	int rc = 0;

	*out = NULL;
	for (size_t i = 0; i < t->n && rc >= 0; i++) {
		const struct ft_ptree_proc *p = &t->procs[i];
		const struct ft_runner_ops *row = ft_runners_by_kind(p->runner);
		cJSON *e, *args;
		int dup = 0, first, at, k;

		if (!row || !p->argv || !named_tests(t, row))
			continue;
		/* a cut argv: recognised by its whole words (ft_runners_of_cut_image) */
		if (p->argv_cut && !row->image_prefix)
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
		cJSON_AddStringToObject(e, "runner", row->name);
		if (row->meta_dir)
			row->meta_dir(t, p, cwd, dir, sizeof(dir));
		else
			snprintf(dir, sizeof(dir), "%s", cwd);
		cJSON_AddStringToObject(e, "dir", dir);
		first = row->meta_first_arg ? row->meta_first_arg(p) : 1;
		if (first > p->argc)
			first = p->argc;
		at = narrowing_at(p->argv + first, p->argc - first, p->argv_cut, narrowed, &k);
		for (int a = first; a < p->argc - p->argv_cut; a++)
			if (at < 0 || a - first < at || (!p->argv_cut && a - first >= at + k))
				cJSON_AddItemToArray(args, cJSON_CreateString(p->argv[a]));
		if (at < 0)
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
