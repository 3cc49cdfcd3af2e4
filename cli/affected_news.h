/*
 * affected_news.h - the tests a runner has that the database does not hold
 * yet, for `ftrace affected` (cli/cmd_affected.c).
 *
 * A new test has no recorded dependencies, so no changed file can select
 * it: only the runner knows it exists.  For the formats that name one
 * runner (--format ctest, node, jest, go, cargo, nextest) the command asks
 * that runner where it is run; for the default formats (lines, null, json)
 * ft_news_recorded asks every runner the recording used, where the
 * recording used it (runs.meta_json "runners", runners/ft_runlists.h):
 *
 *   ctest      ctest --show-only=json-v1 ARGS in the build directory
 *   node       node's test files in the package (npm's root if npm ran it)
 *   jest       jest --listTests ARGS
 *   automake   the Makefile's TESTS (a stale Makefile: cannot tell)
 *   go         go list: the packages with tests
 *   cargo      cargo metadata, only the targets the recorded ARGS run
 *   nextest    cargo nextest list with the recorded run's filters
 *
 * A runner that cannot be asked is "cannot tell" (a negative FT_E* code,
 * with the reason in n->why), never a smaller set.  The names stay in the
 * struct until ft_news_release.
 */
#ifndef FT_AFFECTED_NEWS_H
#define FT_AFFECTED_NEWS_H

#include <stddef.h>

#include "ft_runner.h"
#include "ft_runner_jest.h"

struct ft_store;

struct ft_news {
	struct ft_ctest_list ctest;
	char **files;          /* node ids, go import paths, or the recorded runners' new tests */
	size_t nfiles;
	struct ft_jest_list jest;
	char **cargo;          /* cargo or nextest ids */
	size_t ncargo;
	char **gone;           /* selected go packages go no longer finds */
	size_t ngone;
	char why[1024];
};

void ft_news_release(struct ft_news *n);

/* Append "PREFIX/NAME" (NAME alone if PREFIX is "") to n->files. */
int ft_news_add(struct ft_news *n, const char *prefix, const char *name);

/* The tests of every runner the recordings in `st` used, into n->files. */
int ft_news_recorded(struct ft_store *st, struct ft_news *n);

#endif
