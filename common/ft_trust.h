/*
 * ft_trust.h - may ftrace take input from this path?  (git's
 * safe.directory, for the state directory, the database and .ftrace.json.)
 *
 * The case: one local user created `.ftrace/` in a world-writable
 * directory; another user's `ftrace affected`, run below it, took it as
 * its state directory, and so read a database and a `.ftrace.json` that
 * the first user wrote.  A path is trusted when:
 *  - it (and, for a symlink, the link itself) is owned by the effective
 *    user or by root; and
 *  - it is not writable by others, nor by its group unless that group is
 *    the user's own private group (its gid is the effective gid and the
 *    group lists no members: the umask 002 convention);
 * or when $FTRACE_SAFE_DIRS, a colon-separated list of directories, names
 * it or a directory above it (`*` trusts every path).  A missing path is
 * trusted (there is nothing to read).
 *
 * Errors: 0 trusted; FT_EUNSAFE with a message (the path, the owner or
 * mode, how to allow it) in `e` (struct ft_err, common/ft_error.h); -errno
 * (in e->code, no reason) when lstat fails otherwise.
 * Not async-signal-safe (getgrgid_r, realpath).
 */
#ifndef FT_TRUST_H
#define FT_TRUST_H

#include <stddef.h>

struct ft_err;

#define FT_ENV_SAFE_DIRS "FTRACE_SAFE_DIRS"

/* `what` names the path in the message: "state directory", "database". */
int ft_trust_check(const char *path, const char *what, struct ft_err *e);

#endif
