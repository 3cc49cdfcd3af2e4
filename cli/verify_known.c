/*
 * verify_known.c - the tests a recording knew before a run, for `ftrace
 * verify`'s comparison and the reports of `verify` and `test` (verify.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_pipeline.h"
#include "ft_selection.h"
#include "ft_store_tests.h"
#include "verify.h"

static int cmp_known(const void *a, const void *b)
{
	return strcmp(((const struct verify_known *)a)->id, ((const struct verify_known *)b)->id);
}

static int add_known(void *arg, const struct ft_store_test *t)
{
	struct verify *v = arg;
	struct verify_known *k;

	if (!(v->nknown & (v->nknown + 1))) { /* 0, 1, 3, 7...: grow */
		k = realloc(v->known, (v->nknown * 2 + 2) * sizeof(*k));
		if (!k)
			return -ENOMEM;
		v->known = k;
	}
	k = &v->known[v->nknown];
	*k = (struct verify_known){ 0 };
	if (!(k->id = strdup(t->name)))
		return -ENOMEM;
	k->outcome = t->outcome;
	v->nknown++;
	return 0;
}

void verify_known_select(struct verify *v, const struct ft_selection *sel)
{
	v->nselected = 0;
	for (size_t i = 0; i < v->nknown; i++) {
		v->known[i].selected = sel && ft_pipeline_has(sel, v->known[i].id);
		v->nselected += v->known[i].selected;
	}
}

int verify_known_load(struct verify *v, struct ft_store *st, const struct ft_selection *sel)
{
	int rc;

	if ((rc = ft_store_tests_each(st, add_known, v)) < 0 ||
	    (rc = ft_store_runs_last(st, NULL, NULL, &v->last_run)) < 0)
		return rc;
	qsort(v->known, v->nknown, sizeof(*v->known), cmp_known);
	verify_known_select(v, sel);
	/* which were known flaky: a flip of one is no escape (verify_flaky.c) */
	return verify_flaky_before(v, st);
}
