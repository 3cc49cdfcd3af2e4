/*
 * durations.h - each known test's recorded duration (its newest measured
 * one, store/ft_store_times.h), loaded once for a command: `ftrace test`
 * and `verify` (what the tests a selection left out took when they last
 * ran, for `ftrace stats`; the report's durations) and `affected --shard`
 * (balanced by them).  Internal to the command layer.
 */
#ifndef FT_CLI_DURATIONS_H
#define FT_CLI_DURATIONS_H

#include <stddef.h>
#include <stdint.h>

struct ft_store;
struct ft_selection;
struct ft_cmd_history;

struct ft_cmd_duration {
	char *name;
	int64_t ns;          /* >= 0 */
	int runner;          /* 1: the runner's own timing; 0: the wall time ftrace saw */
	int outcome;         /* enum ft_outcome in that run */
};

struct ft_cmd_durations {
	struct ft_cmd_duration *v;   /* sorted by name (bytewise), owned */
	size_t n;
};

/* Load them from st (a database without durations loads none).  0, or a
 * negative code (FT_ECORRUPT: a row's checksum; nothing loaded). */
int ft_cmd_durations_load(struct ft_store *st, struct ft_cmd_durations *d);

/* Test `name`'s, or NULL when none is recorded. */
const struct ft_cmd_duration *ft_cmd_durations_find(const struct ft_cmd_durations *d,
						    const char *name);

/* The tests of `all` not in `sel` (both sorted by id): h->timed gets how
 * many have a recorded duration and h->timed_ns their sum. */
void ft_cmd_durations_skipped(const struct ft_cmd_durations *d, const struct ft_selection *all,
			      const struct ft_selection *sel, struct ft_cmd_history *h);

void ft_cmd_durations_release(struct ft_cmd_durations *d);

#endif
