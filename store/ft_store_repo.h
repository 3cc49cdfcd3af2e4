/*
 * ft_store_repo.h - which repository a database belongs to.
 *
 * Paths in the database are absolute.  A database answered for another
 * tree compares that tree's files: a copied checkout (`cp -a`, rsync, a CI
 * cache restored at another path) or two repositories sharing one
 * FTRACE_DIR.  So the database keeps its repository's identity in meta:
 *   repo_top    the repository top, resolved (realpath) once
 *   repo_ident  "<st_dev>:<st_ino>" of that directory
 * and a database whose top is not the current tree's is refused.  The top
 * decides: at the same path every recorded path leads to this checkout's
 * own files (a fresh clone there, a restored CI cache, is answered from
 * content, and `adopt` refreshes repo_ident).  Relocating a database to
 * another tree is not supported (yet).
 *
 * The top (ft_statedir_top, ft_statedir.h): the state directory's parent when it is
 * <top>/.ftrace; otherwise (FTRACE_DIR elsewhere) the nearest ancestor of
 * the current directory holding .git, else the current directory.
 *
 * A database written before the identity existed (schema 1 without
 * repo_top) belongs to this tree when every recorded run's cwd is the top
 * or below it; `adopt` then writes the identity (ftrace run does), and a
 * database with runs elsewhere is refused as another tree's.
 *
 * The two keys are one snapshot: read by one statement and written by
 * one, so a concurrent first run's `adopt` is seen whole or not at all; a
 * read that SQLite refuses as busy is retried for the store's lock wait,
 * never taken for an absent identity.
 *
 * Errors: 0; FT_EREPO with a message in `e` (struct ft_err,
 * common/ft_error.h: recorded top and identity, the current ones, and what
 * to do); FT_EDB/FT_ECORRUPT (e->code, no reason: the store's detail is
 * ft_store_err's); -errno.
 * Not thread-safe.
 */
#ifndef FT_STORE_REPO_H
#define FT_STORE_REPO_H

#include <stddef.h>

struct ft_store;
struct ft_err;

#define FT_STORE_META_REPO_TOP "repo_top"
#define FT_STORE_META_REPO_IDENT "repo_ident"

/* Does `st` belong to the repository at `top` (resolved)?  With `adopt`, a
 * database without an identity that passes gets this tree's.  With `top`
 * NULL (`affected --db` run outside any repository): is the directory at
 * the recorded top still the recorded tree?  (A database without an
 * identity then passes: nothing tells.) */
int ft_store_repo_check(struct ft_store *st, const char *top, int adopt, struct ft_err *e);

#endif
