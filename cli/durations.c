/*
 * durations.c - the known tests' recorded durations (durations.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "durations.h"
#include "ft_cmd.h"
#include "ft_pipeline.h"
#include "ft_selection.h"
#include "ft_store_times.h"

static int add(void *arg, const struct ft_store_time *t)
{
	struct ft_cmd_durations *d = arg;
	struct ft_cmd_duration *v;

	if (!(d->n & (d->n + 1)) || !d->v) { /* grow at 0, 1, 3, 7, ... */
		if (!(v = realloc(d->v, (2 * d->n + 2) * sizeof(*v))))
			return -ENOMEM;
		d->v = v;
	}
	if (!(d->v[d->n].name = strdup(t->name)))
		return -ENOMEM;
	d->v[d->n].ns = t->ns;
	d->v[d->n].runner = !strcmp(t->source, FT_TIME_RUNNER);
	d->v[d->n].outcome = t->outcome;
	d->n++;
	return 0;
}

int ft_cmd_durations_load(struct ft_store *st, struct ft_cmd_durations *d)
{
	int rc;

	memset(d, 0, sizeof(*d));
	/* the store walks them by name, bytewise (SQLite's BINARY) */
	if ((rc = ft_store_times_last_each(st, add, d)) < 0)
		ft_cmd_durations_release(d);
	return rc;
}

static int by_name(const void *key, const void *elt)
{
	return strcmp(key, ((const struct ft_cmd_duration *)elt)->name);
}

const struct ft_cmd_duration *ft_cmd_durations_find(const struct ft_cmd_durations *d,
						    const char *name)
{
	return d->n ? bsearch(name, d->v, d->n, sizeof(*d->v), by_name) : NULL;
}

void ft_cmd_durations_skipped(const struct ft_cmd_durations *d, const struct ft_selection *all,
			      const struct ft_selection *sel, struct ft_cmd_history *h)
{
	h->timed = h->timed_ns = 0;
	for (size_t i = 0; all && i < all->n; i++) {
		const struct ft_cmd_duration *t;

		if (ft_pipeline_has(sel, all->tests[i].id) ||
		    !(t = ft_cmd_durations_find(d, all->tests[i].id)))
			continue;
		h->timed++;
		h->timed_ns += t->ns;
	}
}

void ft_cmd_durations_release(struct ft_cmd_durations *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].name);
	free(d->v);
	memset(d, 0, sizeof(*d));
}
