/*
 * ft_optcmp.c - see ft_optcmp.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_ingest.h"
#include "ft_optcmp.h"
#include "ft_store_runmeta.h"

static int push(struct ft_optcmp *c, int64_t run_id, const char *runner, char *text)
{
	struct ft_optcmp_entry *nv;
	char *r;

	if (c->n == c->cap) {
		if (!(nv = realloc(c->v, (c->cap = c->cap ? 2 * c->cap : 16) * sizeof(*nv)))) {
			free(text);
			return -ENOMEM;
		}
		c->v = nv;
	}
	if (!(r = strdup(runner))) {
		free(text);
		return -ENOMEM;
	}
	c->v[c->n++] = (struct ft_optcmp_entry){ run_id, r, text };
	return 0;
}

/* One run's options, as entries under run_id (0 for the one being written). */
static int add_run(struct ft_optcmp *c, int64_t run_id, const struct ft_runmeta *m)
{
	int rc = 0;

	for (size_t i = 0; i < m->nrunners && rc >= 0; i++) {
		const struct ft_runmeta_runner *r = &m->runners[i];
		char **argv, *text = NULL;

		if (!r->runner)
			continue;
		if (!(argv = calloc(r->args.n + 1, sizeof(*argv))))
			return -ENOMEM;
		for (size_t k = 0; k < r->args.n; k++)
			argv[k] = r->args.v[k];
		rc = c->runners->options(r->runner, argv, &text);
		free(argv);
		if (rc >= 0 && text)
			rc = push(c, run_id, r->runner, text);
	}
	if (rc >= 0 && m->pytest && m->pytest->options.has) {
		const struct ft_runmeta_strv *o = &m->pytest->options;
		size_t len = 1;
		char *text;

		for (size_t k = 0; k < o->n; k++)
			len += strlen(o->v[k]) + 1;
		if (!(text = calloc(1, len)))
			return -ENOMEM;
		for (size_t k = 0; k < o->n; k++) {
			strcat(text, o->v[k]);
			strcat(text, "\n");
		}
		rc = push(c, run_id, "pytest", text);
	}
	return rc;
}

static int each_stored(void *arg, const struct ft_runmeta *m)
{
	return m->run_id ? add_run(arg, m->run_id, m) : 0;
}

static int load(struct ft_optcmp *c)
{
	struct ft_runmeta m = FT_RUNMETA_INIT;
	int rc = 0;

	c->loaded = 1;
	if (!c->runners || !c->runners->options)
		return 0;
	if (c->meta_json && ft_runmeta_parse(c->meta_json, &m, 0) == 0)
		rc = add_run(c, 0, &m);
	ft_runmeta_release(&m);
	if (rc >= 0 && c->st)
		rc = ft_store_runmeta_each(c->st, each_stored, c);
	return rc;
}

int ft_optcmp_same(void *arg, const char *runner, int64_t old_run)
{
	struct ft_optcmp *c = arg;
	const char *now = NULL, *was = NULL;
	int rc;

	if (!c->loaded && (rc = load(c)) < 0)
		return rc;
	if (!runner || !old_run)
		return 1;
	/* a test named through FTRACE_TEST_ID (runner "env": jest's files) is
	 * compared by every runner both runs had */
	if (!strcmp(runner, "env")) {
		for (size_t i = 0; i < c->n; i++)
			if (c->v[i].run_id == 0 && strcmp(c->v[i].runner, "env") &&
			    (rc = ft_optcmp_same(c, c->v[i].runner, old_run)) <= 0)
				return rc;
		return 1;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct ft_optcmp_entry *e = &c->v[i];
		const char **side;

		if (strcmp(e->runner, runner))
			continue;
		side = e->run_id == 0 ? &now : e->run_id == old_run ? &was : NULL;
		if (!side)
			continue;
		if (*side && strcmp(*side, e->text))
			return 0; /* two sets in one run: which is whose is not known */
		*side = e->text;
	}
	return !now || !was || !strcmp(now, was);
}

void ft_optcmp_release(struct ft_optcmp *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].runner);
		free(c->v[i].text);
	}
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
	c->loaded = 0;
}
