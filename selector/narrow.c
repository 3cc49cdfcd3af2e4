/*
 * narrow.c - the selection's side of a watch daemon (contract in
 * ft_select.h; the daemon in watch/, the reasoning in docs/watch.md).
 *
 * Two halves that must agree, so they live together:
 *  - the daemon's baseline (ft_select_baseline) observes every recorded
 *    (path, kind) with the very scan and observer the selection uses, and
 *    calls a path settled when each of its states holds the value it has
 *    now;
 *  - the client's narrowing (ft__scan_narrow) gives a path the daemon did
 *    not name the value its states hold.  A path not named was settled at
 *    the baseline and has seen no event since, so the value it has now is
 *    the one its states hold: the same result as a stat, without the stat.
 *    Where the states disagree among themselves (a daemon cannot have
 *    called that settled, but its answer is input, not proof), or their
 *    kind is unknown, the path is observed as usual.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_select.h"
#include "ft_select_int.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_select.h"

void ft_select_dirty_release(struct ft_select_dirty *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->paths[i]);
	free(d->paths);
	d->paths = NULL;
	d->n = 0;
	d->whole = 0;
}

int ft_select_dirty_has(const struct ft_select_dirty *d, const char *path)
{
	size_t lo = 0, hi = d->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(d->paths[mid], path);
		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

void ft__scan_narrow(struct ft__scan *sc)
{
	size_t r = 0;

	for (size_t i = 0; i < sc->nitems; i++) {
		struct ft__item *it = &sc->items[i];
		size_t r0 = r;
		int agree = 1;

		while (r < sc->nrows && sc->rows[r].item == i)
			r++;
		/* an environment variable: the daemon's environment is not
		 * ours, so only this process can say (ft_state.h) */
		if (it->done || r0 == r || it->kind == FT_DEP_UNKNOWN || it->kind == FT_DEP_ENV ||
		    ft_select_dirty_has(sc->dirty, it->path))
			continue;
		for (size_t k = r0 + 1; k < r && agree; k++)
			agree = sc->rows[k].recorded == sc->rows[r0].recorded;
		if (!agree || sc->rows[r0].recorded == FT_VALUE_UNKNOWN)
			continue;
		it->value = sc->rows[r0].recorded;
		it->done = 1;
		sc->settled++;
	}
}

static int verify(void *st)
{
	return ft_store_verify(st);
}

int ft_select_baseline(struct ft_store *st, struct ft_state *state, char *gen, int *whole,
		       int (*fn)(void *arg, const char *path, int settled), void *arg)
{
	struct ft__scan sc = { 0 };
	size_t r = 0;
	int rc;

	*whole = 0;
	if ((rc = ft_store_read_begin(st)) < 0)
		return rc;
	/* verified as the selection verifies: a whole answer stands for it */
	if ((rc = ft_store_generation(st, gen, FT_STORE_GEN_MAX)) < 0 ||
	    (rc = ft__scan_run(&sc, st, ft_store_statcache_trusted(st), verify, st)) < 0)
		goto out;
	*whole = 1;
	for (size_t i = 0; i < sc.nitems && rc >= 0; i++) {
		struct ft__item *it = &sc.items[i];
		int settled = it->kind != FT_DEP_UNKNOWN;

		if (it->invalid) { /* changed for every selection: nothing to watch */
			*whole = 0;
			for (; r < sc.nrows && sc.rows[r].item == i; r++)
				;
			continue;
		}

		if (it->kind == FT_DEP_ENV) { /* no file to watch: never narrowed */
			for (; r < sc.nrows && sc.rows[r].item == i; r++)
				;
			continue;
		}

		if (!it->done && ft_state_observe_hinted(state, it->path, (enum ft_dep_kind)it->kind,
							 &it->hint, &it->value, NULL) < 0)
			it->value = FT_VALUE_UNKNOWN;
		if (it->value == FT_VALUE_UNKNOWN)
			settled = 0;
		for (; r < sc.nrows && sc.rows[r].item == i; r++)
			if (sc.rows[r].recorded != it->value)
				settled = 0;
		rc = fn(arg, it->path, settled);
	}
out:
	ft__scan_release(&sc);
	ft_store_read_end(st);
	if (rc < 0)
		*whole = 0;
	return rc < 0 ? rc : 0;
}
