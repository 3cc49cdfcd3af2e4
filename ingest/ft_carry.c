/*
 * ft_carry.c - the sets carried from earlier runs' leaky tests (see
 * ft_carry.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ft_adapter.h"
#include "ft_carry.h"
#include "ft_collect.h"
#include "ft_map.h"
#include "ft_record.h"
#include "ft_store_carry.h"
#include "ft_vec.h"

struct load {
	const struct ft_map *ids;
	const struct ft_ctxinfo *ctx;
	const struct ft_adapter *ad;
	struct ft_carry *out;
};

/* Is pytest test `test` of `file` gone: its file no longer there (it can
 * never run again: selection leaves it out), or collected whole by this
 * run's session without it? */
static int gone(const struct ft_adapter *ad, const char *file, const char *test)
{
	struct stat sb;
	uint32_t dummy;

	if (!file)
		return 0;
	if (stat(file, &sb) < 0 && FT_ERR_IS_ABSENT(errno))
		return 1;
	return ad && ft_map_get(&ad->collected, file, strlen(file), &dummy) &&
	       !ft_adapter_collected(ad, file, test);
}

static int add(void *arg, int64_t from_run, const char *test, const char *file,
	       const char *runner, int64_t set_id)
{
	struct load *l = arg;
	struct ft_carry *c = l->out;
	struct ft_carry_share *nv;
	uint32_t ix;

	(void)from_run;
	/* recorded again by this run: its own recording decides */
	if (ft_map_get(l->ids, test, strlen(test), &ix) && l->ctx[ix].is_test)
		return 0;
	/* gone from its file: forgotten after this run's tests are stored */
	if (!strcmp(runner, "pytest") && gone(l->ad, file, test))
		return 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].set == set_id && !strcmp(c->v[i].runner, runner))
			return 0;
	if (!(nv = ft_vec_grow(c->v, &c->cap, c->n, sizeof(*c->v), 8)))
		return -ENOMEM;
	c->v = nv;
	if (!(nv[c->n].runner = strdup(runner)))
		return -ENOMEM;
	nv[c->n++].set = set_id;
	return 0;
}

int ft_carry_load(struct ft_store *st, int64_t run_id, const struct ft_map *ids,
		  const struct ft_ctxinfo *ctx, const struct ft_adapter *ad, struct ft_carry *out)
{
	struct load l = { ids, ctx, ad, out };

	memset(out, 0, sizeof(*out));
	return ft_store_carry_each(st, run_id, add, &l);
}

size_t ft_carry_sets(const struct ft_carry *c, const char *runner, int64_t *out)
{
	size_t k = 0;

	for (size_t i = 0; runner && i < c->n; i++)
		if (!strcmp(c->v[i].runner, runner))
			out[k++] = c->v[i].set;
	return k;
}

void ft_carry_release(struct ft_carry *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].runner);
	free(c->v);
	memset(c, 0, sizeof(*c));
}
