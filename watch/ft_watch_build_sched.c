/*
 * ft_watch_build_sched.c - when the watch daemon builds (contract and the
 * rules in ft_watch_build.h).  Pure: unit-tested (test_watch_build.c).
 *
 * Why learn outputs instead of ignoring every event during a build: a
 * user's save while a long build runs must still get a build that starts
 * after it ("a change during a build queues exactly one more").  Why not
 * queue on every event during a build: `cc -o build/t_calc ...` rewrites a
 * recorded path (the test binary), which would queue a build that rewrites
 * it again, for ever.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_watch_build.h"

void ft_watch_build_init(struct ft_watch_build *b, const char *cmd, const char *top)
{
	memset(b, 0, sizeof(*b));
	b->cmd = cmd && *cmd ? cmd : NULL;
	b->top = top;
	b->pidfd = -1;
}

/* The entry's index in b->entries, interned: 0 or -ENOMEM. */
static int entry_of(struct ft_watch_build *b, const char *entry, uint32_t *idx)
{
	size_t ncap;
	uint8_t *n;
	int rc;

	if ((rc = ft_map_intern(&b->entries, entry, strlen(entry), idx, NULL)) < 0)
		return rc;
	if (*idx < b->cap_output)
		return 0;
	ncap = b->cap_output ? b->cap_output : 64;
	while (ncap <= *idx)
		ncap *= 2;
	if (!(n = realloc(b->output, ncap)))
		return -ENOMEM;
	memset(n + b->cap_output, 0, ncap - b->cap_output);
	b->output = n;
	b->cap_output = ncap;
	return 0;
}

int ft_watch_build_trigger(struct ft_watch_build *b, const char *entry, long long now_ms)
{
	uint32_t idx;
	int rc = 0;

	if (!b->cmd)
		return 0;
	b->triggers++;
	if (!b->running) {
		/* nothing runs: whoever wrote it, it was not a build */
		if (entry && ft_map_get(&b->entries, entry, strlen(entry), &idx))
			b->output[idx] = 0;
		b->pending = 1;
		b->last_trigger = now_ms;
		b->quiet_at = now_ms + FT_WATCH_BUILD_QUIET_MS;
		return 0;
	}
	if (!entry) {
		/* an overflow while a build writes: most likely its own */
		b->ignored++;
		return 0;
	}
	if ((rc = entry_of(b, entry, &idx)) == 0 && b->output[idx]) {
		b->ignored++;
		return 0;
	}
	if (rc == 0)
		b->output[idx] = 1;
	b->queued = 1;
	b->last_trigger = now_ms;
	return rc;
}

long long ft_watch_build_due(const struct ft_watch_build *b, long long now_ms)
{
	if (!b->cmd || b->running || !b->pending)
		return -1;
	return b->quiet_at > now_ms ? b->quiet_at - now_ms : 0;
}

void ft__watch_build_started(struct ft_watch_build *b, long long now_ms)
{
	(void)now_ms;
	b->pending = 0;
	b->queued = 0;
	b->running = 1;
	b->runs++;
}

void ft__watch_build_ended(struct ft_watch_build *b, long long now_ms)
{
	long long at = b->last_trigger + FT_WATCH_BUILD_QUIET_MS;

	b->running = 0;
	if (b->queued) {
		b->queued = 0;
		b->pending = 1;
		b->quiet_at = at > now_ms ? at : now_ms;
	}
}
