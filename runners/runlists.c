/*
 * runlists.c - see ft_runlists.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_runlists.h"
#include "ft_store.h"
#include "ft_store_runmeta.h"

static void one_free(struct ft_runlist *r)
{
	free(r->runner);
	free(r->dir);
	for (size_t i = 0; r->args && r->args[i]; i++)
		free(r->args[i]);
	free(r->args);
}

void ft_runlists_free(struct ft_runlist *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		one_free(&v[i]);
	free(v);
}

static int same(const struct ft_runlist *a, const struct ft_runlist *b)
{
	size_t i;

	if (strcmp(a->runner, b->runner) || strcmp(a->dir, b->dir))
		return 0;
	for (i = 0; a->args[i] && b->args[i]; i++)
		if (strcmp(a->args[i], b->args[i]))
			return 0;
	return !a->args[i] && !b->args[i];
}

/* One runner entry of the run's metadata into *r: 0 or -ENOMEM. */
static int copy_one(const struct ft_runmeta_runner *e, struct ft_runlist *r)
{
	memset(r, 0, sizeof(*r));
	if (!(r->runner = strdup(e->runner)) || !(r->dir = strdup(e->dir)) ||
	    !(r->args = calloc(e->args.n + 1, sizeof(*r->args))))
		goto nomem;
	for (size_t i = 0; i < e->args.n; i++)
		if (!(r->args[i] = strdup(e->args.v[i])))
			goto nomem;
	return 0;
nomem:
	one_free(r);
	return -ENOMEM;
}

struct load {
	struct ft_runlist **v;
	size_t *n;
};

static int load_one(void *arg, const struct ft_runmeta *m)
{
	struct load *l = arg;
	int rc = 0;

	/* a list we cannot read is never taken as "no runner" */
	if (m->runners_bad)
		return FT_ECORRUPT;
	for (size_t k = 0; k < m->nrunners && rc >= 0; k++) {
		struct ft_runlist r, *nv;
		int dup = 0;

		if ((rc = copy_one(&m->runners[k], &r)) < 0)
			break;
		for (size_t i = 0; i < *l->n && !dup; i++)
			dup = same(&(*l->v)[i], &r);
		if (dup) {
			one_free(&r);
			continue;
		}
		if (!(nv = realloc(*l->v, (*l->n + 1) * sizeof(*nv)))) {
			one_free(&r);
			rc = -ENOMEM;
			break;
		}
		*l->v = nv;
		(*l->v)[(*l->n)++] = r;
	}
	return rc;
}

int ft_runlists_load(struct ft_store *st, struct ft_runlist **out, size_t *n)
{
	struct load l = { out, n };
	int rc;

	*out = NULL;
	*n = 0;
	rc = ft_store_runmeta_each(st, load_one, &l);
	if (rc < 0) {
		ft_runlists_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
