/*
 * ft_watch_status.c - what `ftrace watch status` prints: the daemon's own
 * account of what it watches, since when, and why it would fall back.
 * One "key: value" per line, so that scripts can grep it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "ft_watch_int.h"

static void stamp(char *buf, size_t cap, time_t t)
{
	struct tm tm;

	if (!t || !gmtime_r(&t, &tm) || !strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, cap, "-");
}

char *ft__watchd_status(const struct ft__watchd *d)
{
	char started[32], based[32];
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	stamp(started, sizeof(started), d->started);
	stamp(based, sizeof(based), d->baselined);
	fprintf(f, "pid: %ld\n", (long)getpid());
	fprintf(f, "state dir: %s\n", d->o->state_dir);
	fprintf(f, "database: %s\n", d->o->db);
	fprintf(f, "generation: %s\n", d->gen[0] ? d->gen : "-");
	fprintf(f, "since: %s\n", started);
	fprintf(f, "baseline: %s (%llu built)\n", based, d->baselines);
	fprintf(f, "paths: %zu\n", ft_watch_set_npaths(&d->set));
	fprintf(f, "dirty: %zu\n", d->set.ndirty);
	fprintf(f, "stuck: %zu\n", d->set.nstuck);
	fprintf(f, "directories: %zu\n", d->set.dirs.count);
	fprintf(f, "watches: %zu\n", d->walker.placed);
	fprintf(f, "unwatchable directories: %zu\n", d->walker.stuck_fs);
	fprintf(f, "events: %llu\n", d->events);
	fprintf(f, "overflows: %llu\n", d->overflows);
	fprintf(f, "queries: %llu\n", d->queries);
	fprintf(f, "answered: %llu\n", d->answered);
	fprintf(f, "fell back: %llu\n", d->fell_back);
	fprintf(f, "fallback: %s\n", d->fallback[0] ? d->fallback : "none");
	fprintf(f, "last fallback: %s\n", d->last_fallback[0] ? d->last_fallback : "none");
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}
