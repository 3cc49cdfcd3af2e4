/*
 * ft_statedir.h - where ftrace keeps its state (the database, run dirs).
 *
 * The state directory is $FTRACE_DIR when set and non-empty; otherwise
 * `.ftrace` in the nearest ancestor of the current directory (itself
 * included) that contains `.git` or `.ftrace`; otherwise `.ftrace` in the
 * current directory.  `ftrace run` creates it; `ftrace affected` never does
 * (a missing state dir means "cannot tell").
 *
 * Not async-signal-safe.  Lookup creates nothing; ft_statedir_make()
 * creates the directory.
 */
#ifndef FT_STATEDIR_H
#define FT_STATEDIR_H

#include <stddef.h>

struct ft_err;

#define FT_ENV_DIR "FTRACE_DIR"
#define FT_STATEDIR_NAME ".ftrace"

/* Write the state directory's absolute path (it may not exist) to out.
 * Returns 0, FT_ETOOLONG if it does not fit in cap, or -errno when the
 * current directory cannot be determined. */
int ft_statedir_find(char *out, size_t cap);

/* The repository top, the one place that says which tree a state
 * directory belongs to (recording, selection, config and the database's
 * identity all use it, so that a symlinked checkout cannot record under
 * one top and select under another): `state_dir`'s parent when it is
 * <top>/.ftrace; otherwise (FTRACE_DIR elsewhere) the nearest ancestor of
 * the current directory holding .git, else the current directory.  Always
 * resolved (realpath).  Returns 0, FT_ETOOLONG, or -errno (a directory
 * that cannot be resolved). */
int ft_statedir_top(const char *state_dir, char *out, size_t cap);

/* Create the state directory (and missing parents) 0700, with a
 * .gitignore of `*` in it: the stat cache inside is machine-local.  An
 * existing one is left as it is.  0 or -errno / FT_ETOOLONG. */
int ft_statedir_make(const char *state_dir);

/* 1 when the current directory or an ancestor holds .git or .ftrace (so
 * there is a repository here), else 0. */
int ft_statedir_in_repo(void);

/* 1 (and `e` set to -ENOTDIR with the message, naming FTRACE_DIR when it
 * chose: struct ft_err, common/ft_error.h) when the state dir `dir` exists
 * and is not a directory; 0 (e untouched) otherwise. */
int ft_statedir_notdir(const char *dir, struct ft_err *e);

#endif
