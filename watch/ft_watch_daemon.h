/*
 * ft_watch_daemon.h - the watch daemon: keeps, for one repository's
 * database, the set of recorded paths that may have changed since it last
 * found them all equal to their recorded states, and answers queries on
 * <state dir>/watch.sock (docs/watch.md).
 *
 * It opens the database read-only, in short read transactions (never a
 * write lock), executes nothing it reads, and creates its files 0600 in
 * the state directory, refusing links (O_NOFOLLOW; the socket is bound
 * only after removing a leftover socket of ours while holding the lock).
 *
 * Lifecycle (cli/cmd_watch.c): ft_watchd_lock (one daemon per state
 * directory), ft_watchd_listen, then ft_watchd_run in the daemonized
 * process until a stop request or SIGTERM.
 *
 * Errors: 0, or a negative FT_E* / -errno, also in `e` (struct ft_err,
 * common/ft_error.h) with the reason where there is one to add.
 * Never prints: `log` (may be NULL) gets one line per notable event.
 */
#ifndef FT_WATCH_DAEMON_H
#define FT_WATCH_DAEMON_H

#include <stddef.h>

struct ft_err;

/* A whole answer stands for a verification of the database made at most
 * this long ago (docs/watch.md, "A whole answer"): a bit that flips at
 * rest with no write is found by the next one. */
#define FT_WATCH_VERIFY_MAX_MS 60000

struct ft_watchd_opts {
	const char *state_dir;
	const char *db;              /* <state dir>/ftrace.db */
	size_t max_watches;          /* 0: the system's limit; else a cap (tests:
				      * FTRACE_WATCH_TEST_MAX_WATCHES) */
	const char *overflow_name;   /* an event on an entry of this name acts as
				      * IN_Q_OVERFLOW (tests only:
				      * FTRACE_WATCH_TEST_OVERFLOW); NULL: none */
	const char *top;             /* the repository top (build triggers, and
				      * where the build runs) */
	const char *build;           /* the build command (/bin/sh -c), NULL:
				      * none (ft_watch_build.h) */
	long long verify_max_ms;     /* a whole answer's verification is at most
				      * this old (0: FT_WATCH_VERIFY_MAX_MS;
				      * tests: FTRACE_WATCH_TEST_VERIFY_MS) */
	void (*log)(const char *line);
	int ready_fd;                /* > 0: "1" is written to it and it is closed
				      * once the first baseline is built */
};

/* Take <state dir>/watch.lock (created 0600, O_NOFOLLOW) with flock: 0 and
 * *fd (keep it open for the daemon's life), 1 when another daemon holds
 * it, or an error. */
int ft_watchd_lock(const char *state_dir, int *fd, struct ft_err *e);

/* Bind and listen on <state dir>/watch.sock (0600; a leftover socket of
 * this user is replaced: the caller holds the lock).  0 and *fd. */
int ft_watchd_listen(const char *state_dir, int *fd, struct ft_err *e);

/* Remove the socket ft_watchd_listen bound in this process, if the path
 * still is that socket (the state directory may have been removed and
 * made again). */
void ft_watchd_unlink(const char *state_dir);

/* Serve until stopped (a stop request, SIGTERM, or the state directory
 * removed): 0, or an error that ended it. */
int ft_watchd_run(const struct ft_watchd_opts *o, int lfd, struct ft_err *e);

/* Ask the loop to end (async-signal-safe: for SIGTERM). */
void ft_watchd_stop_signal(void);

#endif
