/*
 * stats.h - `ftrace stats`'s figures, shared by cli/cmd_stats.c (options,
 * reading the database) and cli/stats_print.c (text and JSON).  Internal
 * to the command layer.
 */
#ifndef FT_CLI_STATS_H
#define FT_CLI_STATS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "ft_store_history.h"

/* One kept selection (a row of history), its reasons parsed. */
struct stats_sel {
	int64_t at_ns;
	char command[8];       /* "test", "verify" (else "?") */
	int64_t known, selected, escapes;
	int64_t timed, timed_ns; /* skipped tests with a recorded duration, and
				  * those durations summed; -1: not measured */
	cJSON *reasons;        /* an object reason -> tests (owned); NULL: unreadable */
};

struct stats {
	char db[4200];
	long long bytes;       /* the database and its -wal: -1 unknown */
	struct ft_store_counts counts;
	int64_t flaky;
	int64_t kept;          /* selections in the history */
	struct stats_sel *sels;/* the newest `last`, oldest first */
	size_t nsels, cap;
};

/* Print s as text or JSON on stdout.  0 or -ENOMEM. */
int stats_print(const struct stats *s, int json);

void stats_release(struct stats *s);

#endif
