/*
 * ft_runlists.h - the process-per-test runners the recording used, and
 * where to ask each for its test list (runners/ft_runner_meta.h writes them
 * into the run's metadata at ingest).
 *
 * `ftrace affected` in its default formats needs them: a runner's new test
 * (a new add_test, a new *.test.js) has no row in the database, so only the
 * runner can name it.
 *
 * Only runs that some test still refers to count.  Entries are unique by
 * (runner, dir, args), read through store/ft_store_runmeta.h.  A stored
 * text that does not parse is skipped (as ft__newtests_init does); one
 * whose runner entries are not well formed is FT_ECORRUPT: a list we
 * cannot read is never taken as "no runner".
 *
 * Ownership: *out is malloc'd, freed with ft_runlists_free().
 */
#ifndef FT_RUNLISTS_H
#define FT_RUNLISTS_H

#include <stddef.h>

struct ft_store;

struct ft_runlist {
	char *runner;     /* "ctest", "node" */
	char *dir;        /* absolute */
	char **args;      /* NULL-terminated: the runner's argv after argv[0] */
};

int ft_runlists_load(struct ft_store *st, struct ft_runlist **out, size_t *n);
void ft_runlists_free(struct ft_runlist *v, size_t n);

#endif
