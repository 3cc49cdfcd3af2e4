/*
 * ft_watch_int.h - internals shared by the watch/ files only: the
 * daemon's state (ft_watch_daemon.c's loop, ft_watch_baseline.c's
 * baseline, ft_watch_status.c's report).
 */
#ifndef FT_WATCH_INT_H
#define FT_WATCH_INT_H

#include <time.h>

#include "ft_watch_build.h"
#include "ft_watch_daemon.h"
#include "ft_watch_set.h"
#include "ft_watch_walk.h"

struct ft__watchd {
	const struct ft_watchd_opts *o;
	struct ft_watch_set set;
	struct ft_watch_walker walker;  /* walker.ifd: the watches' inotify */
	int dbfd;                       /* inotify on the state dir: new recordings */
	char gen[96];                   /* the baseline's generation ("": none) */
	unsigned long long dev, ino;    /* the database file at the baseline */
	char fallback[512];             /* non-empty: every query falls back */
	char last_fallback[512];        /* the last reason a query fell back */
	int need_baseline, check_gen;
	/* A whole answer (docs/watch.md): `coverable` when the baseline saw
	 * every row's path named or a variable; `verified` while the database
	 * checked at the baseline (or again since) has had no write. */
	int coverable, verified;
	long long verified_ms;          /* when the verification began (monotonic) */
	unsigned long long db_writes;   /* writes seen to the database or its -wal */
	int verify_rc;                  /* the last verification's failure, or 0 */
	int gone;                       /* the socket or state directory went away */
	int overflowed;                 /* since the baseline: fall back */
	struct ft_watch_build build;    /* build on change */
	char top[4096], state[4096];    /* realpath of o->top and o->state_dir
					 * ("": unknown): which recorded paths
					 * trigger a build */
	time_t started, baselined;
	unsigned long long queries, answered, fell_back, events, overflows, baselines;
};

/* A new baseline (ft_watch_baseline.c); failures leave d->fallback set. */
int ft__watchd_baseline(struct ft__watchd *d);

/* The database's generation now (its own short read transaction). */
int ft__watchd_generation(const char *db, char *gen, size_t cap);

/* Verify the database again (ft_store_verify) while its generation is
 * still the baseline's: 0 verified, 1 the generation moved (a new
 * baseline is due), <0 it did not pass or could not be read. */
int ft__watchd_verify(struct ft__watchd *d);

/* Would a query get a whole answer now?  1, or 0 with *why (a phrase for
 * `watch status`) when why is not NULL. */
int ft__watchd_whole(const struct ft__watchd *d, const char **why);

/* Take the state directory's queued events (d->gone set when the socket
 * or the directory went away): 1 when no write to the database came
 * since d->db_writes was `since`; 0 also when no such write can be seen
 * (no watch on the state directory). */
int ft__watchd_db_quiet(struct ft__watchd *d, unsigned long long since);

/* The status report (malloc'd text, or JSON when `json`) or NULL. */
char *ft__watchd_status(const struct ft__watchd *d, int json);

/* Monotonic milliseconds. */
long long ft__watchd_now_ms(void);

#endif
