/*
 * ft_store_select.h - the reads selection makes (selector/select.c,
 * selector/newtests.c), shaped for its speed: one merged scan of states,
 * paths and the stat cache, and index lookups from a changed state to its
 * sets and from a set to its tests.
 *
 * All of it inside one read transaction: ft_store_read_begin() ...
 * ft_store_read_end(), so that a concurrent `ftrace run` is seen whole or
 * not at all.  Callbacks: a nonzero return stops the walk and is returned;
 * what they are passed lives until they return.  Errors: FT_ECORRUPT
 * (SQLite reports corruption), -ENOMEM, FT_EDB.  Nothing here writes.
 */
#ifndef FT_STORE_SELECT_H
#define FT_STORE_SELECT_H

#include <stddef.h>
#include <stdint.h>

#include "ft_state.h"

struct ft_store;

/* BEGIN / COMMIT of a read transaction.  ft_store_read_end never fails
 * in a way the reader could act on. */
int ft_store_read_begin(struct ft_store *st);
void ft_store_read_end(struct ft_store *st);

/* The number of rows of states: the scan's size, known in advance. */
int ft_store_states_count(struct ft_store *st, size_t *n);

/* The recording's generation as text (at most FT_STORE_GEN_MAX bytes with
 * the NUL): equal strings mean the same recorded states and tests, so a
 * watch daemon's answer for one is valid for the other (watch/).  Inside
 * the read transaction of the selection it guards.  0, FT_ETOOLONG, FT_EDB,
 * FT_ECORRUPT. */
#define FT_STORE_GEN_MAX 96
int ft_store_generation(struct ft_store *st, char *buf, size_t cap);

/* The scan of every recorded state, ordered by (path_id, kind).  For each
 * distinct (path, kind), first item(): its path (raw bytes, NULL with
 * len 0 if the paths row is missing), its kind, and the stat cache's row
 * for it as a hint (NULL: none, or `trusted` is 0); then row() (may be
 * NULL: a caller that wants the paths only) for each
 * state of it. */
struct ft_store_scan_ops {
	int (*item)(void *arg, const void *path, int len, int kind, const struct ft_state_hint *hint);
	int (*row)(void *arg, int64_t state_id, int64_t path_id, uint64_t recorded);
};
int ft_store_states_scan(struct ft_store *st, int trusted, const struct ft_store_scan_ops *ops,
			 void *arg);

/* The same callbacks, in the same order, for the states of only these
 * paths (n of them, NUL-terminated; one not recorded is skipped) and of
 * every variable ("$NAME", common/ft_envdep.h): index lookups, no full
 * scan (ft_store_scan_paths.c).  A path whose row is missing, or whose
 * bytes hold a NUL, cannot be named here: the caller must know there is
 * none (a watch daemon's whole answer: docs/watch.md). */
int ft_store_states_scan_paths(struct ft_store *st, int trusted, char *const *paths, size_t n,
			       const struct ft_store_scan_ops *ops, void *arg);

/* Prepared index lookups, reused over many calls. */
struct ft_store_lookup;
int ft_store_lookup_open(struct ft_store *st, struct ft_store_lookup **out);
void ft_store_lookup_close(struct ft_store_lookup *lk);
/* fn(arg, set_id) for every set that holds the state `state_id`. */
int ft_store_lookup_sets(struct ft_store_lookup *lk, int64_t state_id,
			 int (*fn)(void *arg, int64_t set_id), void *arg);
/* fn(arg, test_id) for every test that references the set `set_id`. */
int ft_store_lookup_tests(struct ft_store_lookup *lk, int64_t set_id,
			  int (*fn)(void *arg, int64_t test_id), void *arg);

/* The names ft_store_listing_put stored for (path_id, value): 1 with
 * *names (malloc'd, caller frees; *len bytes and a NUL after them), 0
 * when there are none, FT_EDB or -ENOMEM. */
int ft_store_listing_get(struct ft_store *st, int64_t path_id, uint64_t value, char **names,
			 size_t *len);

#endif
