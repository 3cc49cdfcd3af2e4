/*
 * ft_store_carry.h - what a run's leaky tests shared, kept so that a later
 * run that records only some tests hands it on (docs/pytest.md, "A run of
 * some tests").
 *
 * A test that leaves state behind (a cache it filled from a data file)
 * shares what it saw with the tests after it in its session: ingest gives
 * them its sets (the leaked set, its module's part of the prelude, its own
 * set for a scoped one).  A later run that records only test_b, without
 * the leaky test_a, gives test_b no such set, while in a full session
 * test_a still runs before it.  So each run notes, per leaky test, the sets
 * it handed on (table run_shares, created on first write: a database
 * without it has nothing to carry), and a later run gives each of its tests
 * (of the leaky test's runner) the sets of every leaky test that it did not
 * record again and whose latest recording is still that run's.
 *
 * A bundle (common/ft_bundle.h, version 5) holds each test's shares of
 * its latest run; `ftrace import` notes them again for the tests it takes,
 * so that a clone that imported a recording carries them too.
 *
 * The table is ingest's and import's only: selection never reads it.  A
 * row planted in it can only give tests more dependencies.  Errors:
 * negative FT_E* codes.
 */
#ifndef FT_STORE_CARRY_H
#define FT_STORE_CARRY_H

#include <stdint.h>

struct ft_store;

/* Note that run `run_id`'s leaky test `test` (of runner `runner`) handed
 * set `set_id` on.  Inside the caller's write transaction. */
int ft_store_carry_put(struct ft_store *st, int64_t run_id, const char *test, const char *runner,
		       int64_t set_id);

/* fn(arg, from_run, test, file, runner, set_id) for each noted share of
 * a run other than `run_id` whose leaky test's latest recording is that
 * run's (tests.run_id) and whose set is still there (a share of a set the
 * garbage collection took, which only an import can leave, carries
 * nothing); `file` is the test's (tests.file, may be NULL).  The caller
 * leaves out those whose test it records again, or forgets.  A
 * negative return of fn stops the walk and is returned; else 0 (also
 * without the table) or FT_EDB. */
int ft_store_carry_each(struct ft_store *st, int64_t run_id,
			int (*fn)(void *arg, int64_t from_run, const char *test, const char *file,
				  const char *runner, int64_t set_id),
			void *arg);

/* Drop the shares whose leaky test was recorded again since (their run is
 * no longer its latest).  0 (also without the table) or FT_EDB. */
int ft_store_carry_gc(struct ft_store *st);

#endif
