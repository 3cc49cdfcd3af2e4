/*
 * runlists.c - see ft_runlists.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ft_error.h"
#include "ft_runlists.h"
#include "ft_store.h"
#include "ft_store_tests.h"

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

/* One "runners" entry into *r; FT_ECORRUPT if it is not well formed. */
static int parse_one(const cJSON *e, struct ft_runlist *r)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "runner");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "dir");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(e, "args");
	int na = cJSON_GetArraySize(a), i = 0;

	memset(r, 0, sizeof(*r));
	if (!cJSON_IsString(k) || !cJSON_IsString(d) || d->valuestring[0] != '/' || !cJSON_IsArray(a))
		return FT_ECORRUPT;
	if (!(r->runner = strdup(k->valuestring)) || !(r->dir = strdup(d->valuestring)) ||
	    !(r->args = calloc((size_t)na + 1, sizeof(*r->args))))
		goto nomem;
	for (const cJSON *x = a->child; x; x = x->next, i++) {
		if (!cJSON_IsString(x)) {
			one_free(r);
			return FT_ECORRUPT;
		}
		if (!(r->args[i] = strdup(x->valuestring)))
			goto nomem;
	}
	return 0;
nomem:
	one_free(r);
	return -ENOMEM;
}

static int add_from(const char *json, struct ft_runlist **v, size_t *n)
{
	cJSON *j = cJSON_Parse(json);
	const cJSON *runners;
	int rc = 0;

	if (!j)
		return 0;
	runners = cJSON_GetObjectItemCaseSensitive(j, "runners");
	if (runners && !cJSON_IsArray(runners))
		rc = FT_ECORRUPT;
	for (const cJSON *e = runners ? runners->child : NULL; e && rc >= 0; e = e->next) {
		struct ft_runlist r, *nv;
		int dup = 0;

		if ((rc = parse_one(e, &r)) < 0)
			break;
		for (size_t i = 0; i < *n && !dup; i++)
			dup = same(&(*v)[i], &r);
		if (dup) {
			one_free(&r);
			continue;
		}
		if (!(nv = realloc(*v, (*n + 1) * sizeof(*nv)))) {
			one_free(&r);
			rc = -ENOMEM;
			break;
		}
		*v = nv;
		(*v)[(*n)++] = r;
	}
	cJSON_Delete(j);
	return rc;
}

struct load {
	struct ft_runlist **v;
	size_t *n;
};

static int load_one(void *arg, const char *json)
{
	struct load *l = arg;

	return add_from(json, l->v, l->n);
}

int ft_runlists_load(struct ft_store *st, struct ft_runlist **out, size_t *n)
{
	struct load l = { out, n };
	int rc;

	*out = NULL;
	*n = 0;
	rc = ft_store_runs_meta_each(st, load_one, &l);
	if (rc < 0) {
		ft_runlists_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
