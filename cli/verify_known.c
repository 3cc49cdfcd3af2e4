/*
 * verify_known.c - the tests a recording knew before a run, for `ftrace
 * verify`'s comparison and the reports of `verify` and `test` (verify.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_pipeline.h"
#include "ft_selection.h"
#include "ft_store_runmeta.h"
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
	k->run_id = t->run_id;
	k->pytest = t->runner && !strcmp(t->runner, "pytest");
	v->nknown++;
	return 0;
}

/* a run's pytest options, one per line, or NULL when it kept none */
static char *options_text(const struct ft_runmeta *m)
{
	const struct ft_runmeta_strv *o = m->pytest ? &m->pytest->options : NULL;
	size_t len = 1;
	char *text;

	if (!o || !o->has)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		len += strlen(o->v[i]) + 1;
	if (!(text = calloc(1, len)))
		return NULL;
	for (size_t i = 0; i < o->n; i++) {
		strcat(text, o->v[i]);
		strcat(text, "\n");
	}
	return text;
}

/* each known pytest test of run m gets m's options */
static int give_options(void *arg, const struct ft_runmeta *m)
{
	struct verify *v = arg;
	char *text = NULL;

	for (size_t i = 0; i < v->nknown; i++) {
		struct verify_known *k = &v->known[i];

		if (!k->pytest || k->run_id != m->run_id || k->pyopts)
			continue;
		if (!text && !(text = options_text(m)))
			return m->pytest && m->pytest->options.has ? -ENOMEM : 0;
		if (!(k->pyopts = strdup(text))) {
			free(text);
			return -ENOMEM;
		}
	}
	free(text);
	return 0;
}

struct one_run { int64_t id; char *text; int found; };

static int find_run(void *arg, const struct ft_runmeta *m)
{
	struct one_run *r = arg;

	if (m->run_id != r->id)
		return 0;
	r->found = 1;
	r->text = options_text(m);
	return r->text || !m->pytest || !m->pytest->options.has ? 1 : -ENOMEM;
}

int verify_pytest_other_options(struct verify_known *k, struct ft_store *st, int64_t last,
				char **now, int *have_now)
{
	if (!*have_now) {
		struct one_run r = { last, NULL, 0 };
		int rc = ft_store_runmeta_each(st, find_run, &r);

		if (rc < 0)
			return rc;
		*now = r.text;
		*have_now = 1;
	}
	/* none kept on either side: the plugin would not have deselected it */
	return !k->pyopts || !*now || strcmp(k->pyopts, *now) != 0;
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
	    (rc = ft_store_runs_last(st, NULL, NULL, &v->last_run)) < 0 ||
	    (rc = ft_store_runmeta_each(st, give_options, v)) < 0)
		return rc;
	qsort(v->known, v->nknown, sizeof(*v->known), cmp_known);
	verify_known_select(v, sel);
	/* which were known flaky: a flip of one is no escape (verify_flaky.c) */
	return verify_flaky_before(v, st);
}
