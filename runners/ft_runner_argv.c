/*
 * ft_runner_argv.c - see ft_runner_argv.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_format.h"
#include "ft_runner.h"
#include "ft_runner_argv.h"
#include "ft_runners.h"
#include "ft_selection.h"

size_t ft_runner_argv_count(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

int ft_runner_cmd_kind(char *const *cmd)
{
	const struct ft_runner_ops *row = ft_runners_of_cmd(cmd, 0);

	/* (pytest is deselected, not narrowed: not a kind of its own here) */
	return row && row != &ft_runner_pytest ? ft_runners_kind(row) : 0;
}

void ft_runner_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

char **ft_runner_argv_inserted(char *const *cmd, char *const *narrowed)
{
	size_t n = 0, m = 0, pre = 0, post = 0;
	char **v;

	if (!cmd || !narrowed || cmd == narrowed)
		return NULL;
	while (cmd[n])
		n++;
	while (narrowed[m])
		m++;
	if (m <= n)
		return NULL;
	while (pre < n && !strcmp(cmd[pre], narrowed[pre]))
		pre++;
	while (post < n - pre && !strcmp(cmd[n - 1 - post], narrowed[m - 1 - post]))
		post++;
	if (pre + post != n || !(v = calloc(m - n + 1, sizeof(*v))))
		return NULL;
	for (size_t i = 0; i < m - n; i++)
		v[i] = narrowed[pre + i];
	return v;
}

/* argv = cmd[0..n) + extra[0..m), all copied */
char **ft_runner_argv_concat(char *const *cmd, size_t n, char *const *extra, size_t m)
{
	char **v = calloc(n + m + 1, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n + m; i++)
		if (!(v[i] = strdup(i < n ? cmd[i] : extra[i - n]))) {
			ft_runner_argv_free(v);
			return NULL;
		}
	return v;
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ft_selected *)a)->id, ((const struct ft_selected *)b)->id);
}

int ft_runner_argv_has(const struct ft_selection *sel, const char *id)
{
	struct ft_selected key = { .id = id };
	return sel && sel->n && bsearch(&key, sel->tests, sel->n, sizeof(key), id_cmp) != NULL;
}

/* The runner's tests to run: those selected, and those the database does
 * not know (new).  Known, unselected ones are left out. */
int ft_runner_argv_pick(const struct ft_selection *sel, const struct ft_selection *all,
		char *const *names, size_t n, const char ***out, size_t *nout)
{
	const char **v = calloc(n + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	*nout = 0;
	for (size_t k = 0; k < n; k++)
		if (ft_runner_argv_has(sel, names[k]) || !ft_runner_argv_has(all, names[k]))
			v[(*nout)++] = names[k];
	*out = v;
	return 0;
}

void ft_runner_argv_first(const char **keep, size_t n, const struct ft_selection *first)
{
	const char **rest;
	size_t nf = 0, nr = 0;

	if (!first || !first->n || !n || !(rest = calloc(n, sizeof(*rest))))
		return; /* (no memory: the order stands, which is only an order) */
	for (size_t i = 0; i < n; i++) {
		if (ft_runner_argv_has(first, keep[i]))
			keep[nf++] = keep[i];
		else
			rest[nr++] = keep[i];
	}
	memcpy(keep + nf, rest, nr * sizeof(*rest));
	free(rest);
}

/* The current directory relative to `top` resolved ("" at the top), NULL
 * outside. */
const char *ft_runner_argv_cwd_rel(const char *top, char *buf, size_t cap)
{
	char real[PATH_MAX];

	if (!top || !realpath(top, real))
		return NULL;
	return ft_format_cwd_rel(real, buf, cap);
}

int ft_runner_argv_plan(char *const *cmd, const struct ft_selection *sel,
			const struct ft_selection *all, const char *top, char ***out,
			size_t *nselected, struct ft_err *e)
{
	const struct ft_runner_plan_in in = { cmd, sel, all, top, NULL, NULL, NULL };
	const struct ft_runner_ops *row = ft_runners_of_cmd(cmd, 0);
	struct ft_runner_plan_out o;
	int rc;

	*out = NULL;
	*nselected = 0;
	ft_err_set(e, 0, NULL);
	/* (pytest deselects instead: cli/cmd_test.c asks its row) */
	if (!row || row == &ft_runner_pytest || !row->narrow) {
		ft_err_set(e, 0, "not a ctest, node --test, jest, Automake `make check`, go test, "
			   "cargo test or cargo nextest run command");
		return FT_RUNNER_PLAN_ALL;
	}
	memset(&o, 0, sizeof(o));
	rc = row->narrow(&in, &o);
	*out = o.argv;
	*nselected = o.nselected;
	*e = o.err;
	return rc;
}
