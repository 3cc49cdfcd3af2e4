/*
 * ft_carry.h - the sets a run's tests get from leaky tests of earlier runs
 * that this run did not record again (store/ft_store_carry.h; docs/pytest.md,
 * "A run of some tests").
 *
 * Errors: negative FT_E* codes.  Ownership: ft_carry_release() frees.
 */
#ifndef FT_CARRY_H
#define FT_CARRY_H

#include <stddef.h>
#include <stdint.h>

struct ft_store;
struct ft_map;
struct ft_ctxinfo;
struct ft_adapter;

struct ft_carry_share {
	int64_t set;
	char *runner;
};

struct ft_carry {
	struct ft_carry_share *v;   /* each noted share's set, with its runner */
	size_t n, cap;
};

/* The shares of earlier runs whose leaky test is not among this run's
 * tests (`ids`, `ctx`: the collected contexts), still has its latest
 * recording there, and is not gone from a test file this run's pytest
 * session collected whole (`ad`: it is forgotten after this run's tests
 * are stored; docs/pytest.md, "Forgetting tests"). */
int ft_carry_load(struct ft_store *st, int64_t run_id, const struct ft_map *ids,
		  const struct ft_ctxinfo *ctx, const struct ft_adapter *ad, struct ft_carry *out);

/* Append to `out` the sets of `c` whose runner is `runner`; how many. */
size_t ft_carry_sets(const struct ft_carry *c, const char *runner, int64_t *out);

void ft_carry_release(struct ft_carry *c);

#endif
