/*
 * ft_runners.c - see ft_runners.h: the table and the loops over it that
 * are not ingest's (ft_runner.c holds those).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_runlists.h"
#include "ft_runner.h"
#include "ft_runners.h"

/* One row per runner, each defined in runners/runner_NAME.c.  A row's
 * position is its kind (enum ft_runner_kind: append new rows before
 * pytest's, whose kind no image carries), and the order in which
 * `ftrace affected` lists the formats.  Each row's recognition rule
 * excludes the rows before it where two could match one argv (node's
 * leaves `jest` and `go` to theirs), so the order decides nothing else;
 * pytest is asked first for `ftrace test` (ft_runners_of_cmd). */
const struct ft_runner_ops *const ft_runners[] = {
	&ft_runner_ctest,
	&ft_runner_node,
	&ft_runner_jest,
	&ft_runner_automake,
	&ft_runner_go,
	&ft_runner_cargo,
	&ft_runner_nextest,
	&ft_runner_pytest,
	NULL,
};

#define NROWS (sizeof(ft_runners) / sizeof(ft_runners[0]) - 1)

_Static_assert(NROWS <= FT_RUNNERS_MAX, "FT_RUNNERS_MAX is too small for the table");

int ft_runners_kind(const struct ft_runner_ops *row)
{
	for (size_t i = 0; i < NROWS; i++)
		if (ft_runners[i] == row)
			return (int)i + 1;
	return 0;
}

const struct ft_runner_ops *ft_runners_by_name(const char *name)
{
	for (size_t i = 0; name && ft_runners[i]; i++)
		if (!strcmp(ft_runners[i]->name, name))
			return ft_runners[i];
	return NULL;
}

const struct ft_runner_ops *ft_runners_by_kind(int kind)
{
	return kind > 0 && (size_t)kind <= NROWS ? ft_runners[kind - 1] : NULL;
}

const struct ft_runner_ops *ft_runners_of_image(const char *exe, char *const *argv, int argc)
{
	for (size_t i = 0; ft_runners[i]; i++)
		if (ft_runners[i]->is_image && ft_runners[i]->is_image(exe, argv, argc))
			return ft_runners[i];
	return NULL;
}

const struct ft_runner_ops *ft_runners_of_cut_image(const char *exe, char *const *argv, int argc)
{
	const struct ft_runner_ops *row;

	if (argc < 2)
		return NULL;
	row = ft_runners_of_image(exe, argv, argc - 1);
	return row && row->image_prefix ? row : NULL;
}

const struct ft_runner_ops *ft_runners_of_cmd(char *const *cmd, int shell)
{
	const struct ft_runner_ops *row;
	int n = 0;

	/* pytest first: `ftrace test` deselects in any pytest command */
	if (ft_runner_pytest.is_cmd(cmd, shell))
		return &ft_runner_pytest;
	if (shell)
		return NULL;
	while (cmd && cmd[n])
		n++;
	if (n && (row = ft_runners_of_image(NULL, cmd, n)))
		return row;
	for (size_t i = 0; ft_runners[i]; i++)
		if (ft_runners[i] != &ft_runner_pytest && ft_runners[i]->is_cmd &&
		    ft_runners[i]->is_cmd(cmd, 0))
			return ft_runners[i];
	return NULL;
}

void ft_runners_format_names(char *out, size_t cap)
{
	size_t n = 0, k = 0, len = 0;

	for (size_t i = 0; ft_runners[i]; i++)
		n += ft_runners[i]->format != NULL;
	out[0] = '\0';
	for (size_t i = 0; ft_runners[i] && len < cap; i++) {
		if (!ft_runners[i]->format)
			continue;
		k++;
		len += (size_t)snprintf(out + len, cap - len, "%s%s", k == 1 ? "" : k == n ? " or " : ", ",
					ft_runners[i]->name);
	}
}

int ft_runner_names_add(struct ft_runner_names *l, const char *prefix, const char *name)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	l->v = v;
	if (asprintf(&v[l->n], "%s%s%s", prefix, *prefix ? "/" : "", name) < 0)
		return -ENOMEM;
	l->n++;
	return 0;
}

int ft_runner_names_take(struct ft_runner_names *l, const char *prefix, char **names, size_t n,
			 int rc)
{
	for (size_t i = 0; i < n; i++) {
		if (rc >= 0)
			rc = ft_runner_names_add(l, prefix, names[i]);
		free(names[i]);
	}
	free(names);
	return rc;
}

void ft_runner_names_release(struct ft_runner_names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Run the row's lister in r->dir: listers that ask the runner where we are. */
static int in_dir(const struct ft_runner_ops *row, const struct ft_runlist *r,
		  void (*repo_top)(char *, size_t), struct ft_runner_names *out, struct ft_err *e)
{
	int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;
	char top[4096];

	if (here < 0 || chdir(r->dir) < 0) {
		rc = ft_err_set(e, -errno, "%.900s: cannot enter it to list the %s tests "
			   "recorded there: %s", r->dir, r->runner, strerror(errno));
		if (here >= 0)
			close(here);
		return rc;
	}
	/* the top as seen from there (the lister asks the runner there) */
	repo_top(top, sizeof(top));
	rc = row->list_recorded(r, top, out, e);
	if (fchdir(here) < 0 && rc >= 0) {
		rc = ft_err_set(e, -errno, "cannot return to the directory: %s", strerror(errno));
	}
	close(here);
	return rc;
}

int ft_runners_list_recorded(const struct ft_runlist *r, void (*repo_top)(char *, size_t),
			     struct ft_runner_names *out, struct ft_err *e)
{
	const struct ft_runner_ops *row = ft_runners_by_name(r->runner);
	char top[4096];
	int rc;

	if (!row || !row->list_recorded) {
		return ft_err_set(e, FT_EFORMAT, "the recording holds tests of runner '%s', which "
				  "this ftrace does not know: upgrade ftrace", r->runner);
	}
	repo_top(top, sizeof(top));
	if ((rc = ft_runners_may_ask(row, r, top, e)) < 0)
		return rc;
	return row->list_in_dir ? in_dir(row, r, repo_top, out, e)
				: row->list_recorded(r, top, out, e);
}

int ft_runners_after(struct ft_ptree *t, const struct ft_runner_env *env, int named)
{
	int rc = 0;

	for (size_t i = 0; ft_runners[i] && rc >= 0; i++)
		if (ft_runners[i]->after)
			rc = ft_runners[i]->after(t, env, named);
	return rc;
}

int ft_runners_forget(struct ft_store *st, const struct ft_ptree *t, int64_t run_id,
		      size_t *forgotten)
{
	int rc = 0;

	*forgotten = 0;
	for (size_t i = 0; ft_runners[i] && rc >= 0; i++) {
		size_t k = 0;
		if (!ft_runners[i]->forget)
			continue;
		rc = ft_runners[i]->forget(st, t, run_id, &k);
		*forgotten += k;
	}
	return rc;
}
