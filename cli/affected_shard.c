/*
 * affected_shard.c - `ftrace affected --shard K/N`: the part of the
 * selection that machine K of N runs (docs/usage.md, "Shards").
 *
 * Greedy longest-first: the tests by cost, largest first (ties by id,
 * bytewise), each to the shard with the least cost so far (ties: the
 * lowest number).  Every machine computes the same split from the same
 * selection and database, whatever order it meets them in, and the N
 * parts are disjoint and cover the selection: no test is left out by
 * sharding.  A test's cost is its recorded duration (its newest measured
 * one, store/ft_store_times.h: the runner's own timing, else the wall time
 * ftrace saw); without one (recorded before durations were), the estimate
 * of store/ft_store_tests.h (ft_store_tests_cost_each: its run's wall time
 * shared among the run's tests); without either (new since the recording),
 * the mean of the others, or 1 ns when none has one.  A cost is at least
 * 1 ns.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "affected.h"
#include "ft_map.h"
#include "ft_selection.h"
#include "ft_store_tests.h"
#include "ft_store_times.h"

struct costs {
	struct ft_map names;
	int64_t *ns;
	size_t n, cap;
};

/* Name `name` costs ns (at least 1): a name met again keeps its first
 * cost unless `replace`.  The map's index i is c->ns[i]. */
static int put(struct costs *c, const char *name, int64_t ns, int replace)
{
	uint32_t i;
	int added;

	if (ft_map_intern(&c->names, name, strlen(name), &i, &added) < 0)
		return -ENOMEM;
	if (!added) {
		if (replace)
			c->ns[i] = ns > 0 ? ns : 1;
		return 0;
	}
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 256;
		int64_t *v = realloc(c->ns, ncap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		c->ns = v;
		c->cap = ncap;
	}
	c->ns[c->n++] = ns > 0 ? ns : 1;
	return 0;
}

static int estimated(void *arg, const char *name, int64_t ns)
{
	return put(arg, name, ns, 0);
}

/* A recorded duration replaces the estimate. */
static int timed(void *arg, const struct ft_store_time *t)
{
	return put(arg, t->name, t->ns, 1);
}

struct item {
	size_t at;       /* index in the selection */
	int64_t cost;
	const char *id;
};

static int by_cost(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;

	if (a->cost != b->cost)
		return a->cost > b->cost ? -1 : 1;
	return strcmp(a->id, b->id);
}

int affected_shard(struct ft_store *st, struct ft_selection *sel, int k, int n)
{
	struct costs c = { 0 };
	struct item *it = NULL;
	int64_t *load = NULL, mean = 1, sum = 0;
	unsigned char *mine = NULL;
	size_t kept = 0;
	int rc;

	if ((rc = ft_store_tests_cost_each(st, estimated, &c)) < 0 ||
	    (rc = ft_store_times_last_each(st, timed, &c)) < 0)
		goto out;
	rc = -ENOMEM;
	if (!(it = calloc(sel->n ? sel->n : 1, sizeof(*it))) ||
	    !(load = calloc((size_t)n, sizeof(*load))) || !(mine = calloc(sel->n ? sel->n : 1, 1)))
		goto out;
	for (size_t i = 0; i < c.n; i++)
		sum += c.ns[i] / (int64_t)c.n;
	if (sum > 0)
		mean = sum;
	for (size_t i = 0; i < sel->n; i++) {
		uint32_t j;
		it[i].at = i;
		it[i].id = sel->tests[i].id;
		it[i].cost = ft_map_get(&c.names, it[i].id, strlen(it[i].id), &j) ? c.ns[j] : mean;
	}
	qsort(it, sel->n, sizeof(*it), by_cost);
	for (size_t i = 0; i < sel->n; i++) {
		int best = 0;
		for (int s = 1; s < n; s++)
			if (load[s] < load[best])
				best = s;
		load[best] += it[i].cost;
		if (best == k - 1)
			mine[it[i].at] = 1;
	}
	/* keep this shard's tests, in the selection's order (by id); the
	 * strings are the selection's own (its priv), the array stays its */
	for (size_t i = 0; i < sel->n; i++)
		if (mine[i])
			sel->tests[kept++] = sel->tests[i];
	sel->n = kept;
	rc = 0;
out:
	ft_map_release(&c.names);
	free(c.ns);
	free(it);
	free(load);
	free(mine);
	return rc;
}
