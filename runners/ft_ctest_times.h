/*
 * ft_ctest_times.h - ctest's own timing of each test it ran, read from
 * <build>/Testing/Temporary/LastTest.log ("Test time = X sec" per test),
 * for the tests' recorded durations (store/ft_store_times.h).
 *
 * Only a log written by this run counts (its mtime at or after t0): a
 * stale one from an earlier ctest says nothing about this run.  A test
 * ctest's log does not time keeps own_ns -1 (ingest then uses the wall
 * time ftrace saw).  Never fails the ingest: an unreadable log is no
 * timing.
 */
#ifndef FT_CTEST_TIMES_H
#define FT_CTEST_TIMES_H

#include <stddef.h>
#include <stdint.h>

struct ft_ptree;

/* What the log says: each test's name and its time in ns. */
struct ft_ctest_times {
	struct { char *name; int64_t ns; } *v;
	size_t n, cap;
};

/* Read the log in `bookkeeping` (the Testing/Temporary directory), if
 * written at or after t0_ns, into *out (empty otherwise, or on ENOMEM).
 * Read it before ftrace runs ctest itself (`ctest --show-only` rewrites
 * LastTest.log). */
void ft_ctest_times_read(const char *bookkeeping, int64_t t0_ns, struct ft_ctest_times *out);

/* Set tests[k].own_ns of the tree's ctest tests that *c times.  Returns
 * how many. */
int ft_ctest_times_apply(struct ft_ptree *t, const struct ft_ctest_times *c);

void ft_ctest_times_release(struct ft_ctest_times *c);

#endif
