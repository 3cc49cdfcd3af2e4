/*
 * affected_news.h - the tests a runner has that the database does not hold
 * yet, for `ftrace affected` (cli/cmd_affected.c).
 *
 * A new test has no recorded dependencies, so no changed file can select
 * it: only the runner knows it exists.  For the formats that name one
 * runner (--format NAME of a row of runners/ft_runners.h) the command asks
 * that runner where it is run (the row's list_here); for the default
 * formats (lines, null, json) ft_news_recorded asks every runner the
 * recording used, where the recording used it (runs.meta_json "runners",
 * runners/ft_runlists.h, each row's list_recorded; docs/runners.md lists
 * how each runner is asked).
 *
 * A runner that cannot be asked is "cannot tell" (a negative FT_E* code,
 * with the reason in n->why), never a smaller set.  The names stay in the
 * struct until ft_news_release.
 */
#ifndef FT_AFFECTED_NEWS_H
#define FT_AFFECTED_NEWS_H

#include <stddef.h>

#include "ft_runners.h"

struct ft_store;

struct ft_news {
	struct ft_runner_here here;     /* --format NAME: what its row found here */
	struct ft_runner_names files;   /* default formats: the recorded runners' tests */
	char why[1024];
};

void ft_news_release(struct ft_news *n);

/* The tests of every runner the recordings in `st` used, into n->files. */
int ft_news_recorded(struct ft_store *st, struct ft_news *n);

#endif
