/*
 * share.h - what `ftrace export`, `import` and `merge` share (cli/share.c;
 * docs/usage.md, "Sharing a recording").
 */
#ifndef FT_CLI_SHARE_H
#define FT_CLI_SHARE_H

#include <limits.h>
#include <stddef.h>

struct ft_bundle;

struct ft_share_where {
	char state_dir[PATH_MAX];
	char top[PATH_MAX];
	char db[PATH_MAX + 32];
};

/* The state directory, the repository top and the database's path, as
 * `ftrace run` finds them; the ownership of the state directory checked
 * (printed, prefixed by `cmd`, on failure).  0, or the exit status. */
int ft_share_locate(const char *cmd, struct ft_share_where *w);

/* This checkout's repository identity (git's root commits, sorted,
 * ','-joined) and HEAD commit into the buffers; "" each without git.
 * git runs in `top` from PATH, as a user would run it: never a program
 * a bundle or database names. */
void ft_share_git(const char *top, char *repo, size_t rcap, char *head, size_t hcap);

/* 1 when the repository at `top` has the commit `commit` (hex), else 0.
 * A commit id hashes its whole history: a bundle whose HEAD this
 * repository has is of this repository, also where the root commits
 * cannot be compared (a shallow clone sees its boundary as roots). */
int ft_share_has_commit(const char *top, const char *commit);

/* The fingerprint of this checkout and machine into b's meta
 * (FT_BUNDLE_FP_*).  0 or -ENOMEM. */
int ft_share_fingerprint(struct ft_bundle *b, const char *top);

/* Read bundle `path`; on failure say why, naming the file (prefixed by
 * `cmd`), and return the exit status (2 for a bad bundle). */
int ft_share_read(const char *cmd, struct ft_bundle *b, const char *path);

#endif
