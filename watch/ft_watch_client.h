/*
 * ft_watch_client.h - asking a repository's watch daemon (docs/watch.md).
 *
 * The daemon's files live in the state directory: watch.sock (the
 * socket), watch.lock (held with flock by the running daemon: whoever
 * holds it may remove a stale socket), watch.log.  The client never
 * blocks for long: every call gives up after `timeout_ms` (the query's
 * default FT_WATCH_TIMEOUT_MS) and the caller stats every path instead.
 *
 * Trust: the socket must be a socket owned by this user (lstat: a link is
 * refused, never followed), and the process answering must run as this
 * user (SO_PEERCRED).  Its answer is parsed as hostile input
 * (ft_watch_proto.h).
 *
 * Returns: 0 and the answer; 1 when no daemon runs here (no socket):
 * nothing to say; a negative FT_E* / -errno, also in `e` (struct ft_err,
 * common/ft_error.h) with the reason (one line, for the user): fall back
 * and say so.
 * Not thread-safe (it may change SIGPIPE's handling: it uses MSG_NOSIGNAL).
 */
#ifndef FT_WATCH_CLIENT_H
#define FT_WATCH_CLIENT_H

#include <stddef.h>

struct ft_err;

#include "ft_watch_proto.h"

struct ft_select_dirty;

#define FT_WATCH_TIMEOUT_MS 1000
#define FT_WATCH_SOCK "watch.sock"
#define FT_WATCH_LOCK "watch.lock"
#define FT_WATCH_LOG "watch.log"

/* <state_dir>/<name> into out: 0 or FT_ETOOLONG (also when a socket path
 * would not fit in sun_path, for FT_WATCH_SOCK). */
int ft_watch_file(const char *state_dir, const char *name, char *out, size_t cap);

/* The dirty paths for database `db` at generation `gen` into *out
 * (released by its owner, ft_select_dirty_release). */
int ft_watch_query(const char *state_dir, const char *db, const char *gen, struct ft_select_dirty *out,
		   struct ft_err *e);

/* status, status json or stop: the daemon's text reply into *text (malloc'd).
 * A "fallback" reply (a request the daemon does not know: an older
 * daemon asked `status json`) is FT_EUNKNOWN with its text in `e`. */
int ft_watch_call(const char *state_dir, enum ft_watch_op op, int timeout_ms, char **text,
		  struct ft_err *e);

#endif
