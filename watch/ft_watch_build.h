/*
 * ft_watch_build.h - build on change: the watch daemon runs the configured
 * build command (`ftrace watch start --build CMD`, or .ftrace.json's
 * "watch": {"build": CMD}) after a change, so that compiled test binaries
 * are ready when the tests run (docs/watch.md "Build on change").
 *
 * What triggers a build: an inotify event that can have changed a recorded
 * path inside the repository (ft_watch_set_trigger; ws->hits), or a queue
 * overflow.  Each event is named by its entry, "<dir>/<name>" (or "<dir>"
 * for an event on the directory itself).
 *   - No build running: the trigger makes a build pending; it starts once
 *     no trigger has come for FT_WATCH_BUILD_QUIET_MS (debounce).  The
 *     entry is no longer an output (below): someone else wrote it.
 *   - A build running: an entry not known as an output of a build queues
 *     exactly one more build (started after this one ends, debounced the
 *     same way) and is learned as an output; an entry already known as an
 *     output, or an overflow, is ignored (counted in `ignored`).
 * So a build that rewrites recorded paths (the test binaries) runs once
 * more the first time, and after that its own writes never start another:
 * it cannot loop.  The price: a source saved during a build, when its last
 * save was during a build too, queues nothing (docs/watch.md).
 *
 * Running it (ft_watch_build.c): /bin/sh -c CMD in the repository top, in
 * a process group of its own, stdin /dev/null, stdout and stderr to
 * <state dir>/watch-build.log (created 0600, O_NOFOLLOW, truncated for
 * each build), the daemon's environment; one at a time.  The command
 * comes from the user (the command line, or a trusted .ftrace.json read
 * by `ftrace watch start`), never from the database.
 *
 * The scheduling half is pure (ft_watch_build_sched.c: no system calls,
 * times in ms passed in).  Errors: 0 or -errno / -ENOMEM.  Not
 * thread-safe.
 */
#ifndef FT_WATCH_BUILD_H
#define FT_WATCH_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "ft_map.h"

#define FT_WATCH_BUILD_QUIET_MS 300
#define FT_WATCH_BUILD_LOG "watch-build.log"

struct ft_watch_build {
	const char *cmd;            /* borrowed; NULL: no build configured */
	const char *top;            /* borrowed: where it runs */
	char log[4096];             /* <state dir>/watch-build.log */
	/* scheduling */
	struct ft_map entries;      /* entries seen while a build ran */
	uint8_t *output;            /* per entry: 1 learned as a build's output */
	size_t cap_output;
	int pending;                /* a build is due once quiet */
	long long quiet_at;         /* monotonic ms: when it may start */
	long long last_trigger;     /* monotonic ms */
	int queued;                 /* a trigger came during the running build */
	int running;                /* between _started and _ended */
	unsigned long long triggers, ignored, runs;
	/* the running build */
	pid_t pid;                  /* 0: none */
	int pidfd;                  /* -1: none (then reaped by polling) */
	/* the last build (runs > 0) */
	struct timespec started, ended;  /* CLOCK_REALTIME; ended 0: running */
	int status;                 /* its wait status */
	char error[256];            /* non-empty: the last build could not start */
};

void ft_watch_build_init(struct ft_watch_build *b, const char *cmd, const char *top);

/* Kill a running build (its process group: SIGTERM, then SIGKILL after a
 * second), reap it, free everything. */
void ft_watch_build_release(struct ft_watch_build *b);

/* --- scheduling (pure) --- */

/* A trigger: `entry` the event's entry, NULL for an overflow.  0 or
 * -ENOMEM (then it behaves as a trigger that is not an output). */
int ft_watch_build_trigger(struct ft_watch_build *b, const char *entry, long long now_ms);

/* How long until a build is due: -1 none (nothing pending, or one runs),
 * 0 now, else ms. */
long long ft_watch_build_due(const struct ft_watch_build *b, long long now_ms);

/* Bookkeeping when a build starts, and once it has ended (the caller has
 * drained the events its writes raised first: they are its own). */
void ft__watch_build_started(struct ft_watch_build *b, long long now_ms);
void ft__watch_build_ended(struct ft_watch_build *b, long long now_ms);

/* --- running --- */

/* Start the due build; its log goes to `state_dir`.  0, or -errno
 * (b->error says why; counted as a run that failed). */
int ft_watch_build_start(struct ft_watch_build *b, const char *state_dir, long long now_ms);

/* Has the running build ended?  1 (reaped: b->status, b->ended), 0 not
 * yet or none runs. */
int ft_watch_build_reap(struct ft_watch_build *b, long long now_ms);

#endif
