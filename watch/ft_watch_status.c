/*
 * ft_watch_status.c - what `ftrace watch status` prints: the daemon's own
 * account of what it watches, since when, why it would fall back, and its
 * last build.  One "key: value" per line, so that scripts can grep it; or
 * the same facts as one JSON object (`status --json`,
 * docs/schema/watch-status.schema.json).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ft_watch_int.h"

/* Why a query now gets no whole answer, or NULL: it would. */
static const char *whole_why(const struct ft__watchd *d)
{
	const char *why;

	return ft__watchd_whole(d, &why) ? NULL : why;
}

static void stamp(char *buf, size_t cap, time_t t)
{
	struct tm tm;

	if (!t || !gmtime_r(&t, &tm) || !strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, cap, "-");
}

/* The last build's outcome in words, into buf. */
static void outcome(const struct ft_watch_build *b, char *buf, size_t cap)
{
	if (b->error[0])
		snprintf(buf, cap, "could not start: %s", b->error);
	else if (b->pid)
		snprintf(buf, cap, "running (pid %ld)", (long)b->pid);
	else if (WIFEXITED(b->status))
		snprintf(buf, cap, "exit %d", WEXITSTATUS(b->status));
	else if (WIFSIGNALED(b->status))
		snprintf(buf, cap, "killed by signal %d", WTERMSIG(b->status));
	else
		snprintf(buf, cap, "unknown");
}

static void build_text(FILE *f, const struct ft_watch_build *b)
{
	char when[32], what[300];

	if (!b->cmd) {
		fprintf(f, "build: none\n");
		return;
	}
	fprintf(f, "build: %s\n", b->cmd);
	fprintf(f, "build log: %s\n", b->log[0] ? b->log : "-");
	fprintf(f, "builds: %llu\n", b->runs);
	fprintf(f, "build triggers: %llu\n", b->triggers);
	fprintf(f, "build events ignored: %llu\n", b->ignored);
	fprintf(f, "build pending: %s\n", b->pending || b->queued ? "yes" : "no");
	if (!b->runs) {
		fprintf(f, "last build: none\n");
		return;
	}
	stamp(when, sizeof(when), b->started.tv_sec);
	outcome(b, what, sizeof(what));
	fprintf(f, "last build: %s, %s\n", when, what);
}

static char *text_status(const struct ft__watchd *d)
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
	fprintf(f, "whole answers: %s\n", whole_why(d) ? whole_why(d) : "yes");
	build_text(f, &d->build);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Integers as raw JSON: a double would round nanoseconds. */
static int num(cJSON *o, const char *key, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return cJSON_AddRawToObject(o, key, buf) != NULL;
}

static int str_or_null(cJSON *o, const char *key, const char *s)
{
	return (s && *s ? cJSON_AddStringToObject(o, key, s) : cJSON_AddNullToObject(o, key)) != NULL;
}

/* A time as "at" (UTC text) and "at_ns"; both null for none. */
static int when(cJSON *o, const char *key, const char *key_ns, time_t sec, long nsec)
{
	char buf[32];

	if (!sec)
		return cJSON_AddNullToObject(o, key) && cJSON_AddNullToObject(o, key_ns);
	stamp(buf, sizeof(buf), sec);
	return cJSON_AddStringToObject(o, key, buf) && num(o, key_ns, (long long)sec * 1000000000LL + nsec);
}

static int build_json(cJSON *root, const struct ft_watch_build *b)
{
	cJSON *o, *last;
	int ok;

	if (!b->cmd)
		return cJSON_AddNullToObject(root, "build") != NULL;
	if (!(o = cJSON_AddObjectToObject(root, "build")))
		return 0;
	ok = cJSON_AddStringToObject(o, "command", b->cmd) && str_or_null(o, "log", b->log) &&
	     num(o, "runs", (long long)b->runs) && num(o, "triggers", (long long)b->triggers) &&
	     num(o, "ignored", (long long)b->ignored) &&
	     cJSON_AddBoolToObject(o, "running", b->pid != 0) &&
	     cJSON_AddBoolToObject(o, "pending", b->pending || b->queued);
	if (!ok)
		return 0;
	if (!b->runs)
		return cJSON_AddNullToObject(o, "last") != NULL;
	if (!(last = cJSON_AddObjectToObject(o, "last")))
		return 0;
	ok = when(last, "started", "started_ns", b->started.tv_sec, b->started.tv_nsec) &&
	     (b->pid ? cJSON_AddNullToObject(last, "ended") && cJSON_AddNullToObject(last, "ended_ns")
		     : when(last, "ended", "ended_ns", b->ended.tv_sec, b->ended.tv_nsec));
	if (!ok)
		return 0;
	if (b->pid || b->error[0])
		ok = cJSON_AddNullToObject(last, "exit") && cJSON_AddNullToObject(last, "signal");
	else
		ok = (WIFEXITED(b->status) ? num(last, "exit", WEXITSTATUS(b->status))
					   : cJSON_AddNullToObject(last, "exit") != NULL) &&
		     (WIFSIGNALED(b->status) ? num(last, "signal", WTERMSIG(b->status))
					     : cJSON_AddNullToObject(last, "signal") != NULL);
	return ok && str_or_null(last, "error", b->error) &&
	       (b->pid ? num(last, "pid", b->pid) : cJSON_AddNullToObject(last, "pid") != NULL);
}

static char *json_status(const struct ft__watchd *d)
{
	cJSON *root = cJSON_CreateObject(), *base;
	char *text = NULL;
	int ok;

	if (!root)
		return NULL;
	ok = cJSON_AddTrueToObject(root, "running") && num(root, "pid", (long long)getpid()) &&
	     cJSON_AddStringToObject(root, "state_dir", d->o->state_dir) &&
	     cJSON_AddStringToObject(root, "database", d->o->db) &&
	     str_or_null(root, "generation", d->gen) &&
	     when(root, "since", "since_ns", d->started, 0) &&
	     (base = cJSON_AddObjectToObject(root, "baseline")) &&
	     when(base, "at", "at_ns", d->baselined, 0) && num(base, "built", (long long)d->baselines) &&
	     num(root, "paths", (long long)ft_watch_set_npaths(&d->set)) &&
	     num(root, "dirty", (long long)d->set.ndirty) && num(root, "stuck", (long long)d->set.nstuck) &&
	     num(root, "directories", (long long)d->set.dirs.count) &&
	     num(root, "watches", (long long)d->walker.placed) &&
	     num(root, "unwatchable_directories", (long long)d->walker.stuck_fs) &&
	     num(root, "events", (long long)d->events) && num(root, "overflows", (long long)d->overflows) &&
	     num(root, "queries", (long long)d->queries) && num(root, "answered", (long long)d->answered) &&
	     num(root, "fell_back", (long long)d->fell_back) &&
	     str_or_null(root, "fallback", d->fallback) &&
	     str_or_null(root, "last_fallback", d->last_fallback) &&
	     cJSON_AddBoolToObject(root, "whole", !whole_why(d)) &&
	     (whole_why(d) ? cJSON_AddStringToObject(root, "whole_why", whole_why(d)) != NULL
			   : cJSON_AddNullToObject(root, "whole_why") != NULL) &&
	     build_json(root, &d->build);
	if (ok && (text = cJSON_PrintUnformatted(root))) {
		char *nl = realloc(text, strlen(text) + 2);
		if (nl) {
			strcat(nl, "\n");
			text = nl;
		}
	}
	cJSON_Delete(root);
	return text;
}

char *ft__watchd_status(const struct ft__watchd *d, int json)
{
	return json ? json_status(d) : text_status(d);
}
