/*
 * ft_rundir.h - a run directory, `<state>/runs/<name>`, made by us alone.
 *
 * A traced run writes its records into its run dir; ingest reads and then
 * removes it.  The case that broke: a symlink placed at the run dir's path
 * made `ftrace run` unlink every file in the link's target.  So:
 *  - the dir is created exclusively (mkdirat fails when the name exists),
 *    opened O_DIRECTORY | O_NOFOLLOW, and checked to be ours and
 *    owner-only (0700: its records hold every path the tests touched);
 *  - `runs/` as a link or a file is refused, never followed;
 *  - all later work on it (removal) goes through the descriptors, and only
 *    while runs/<name> is still the dir we made.
 *
 * Errors: negative -errno (-ENOTDIR for a link in the way, -EPERM for a
 * dir that is not ours or not owner-only, -EEXIST when the name was
 * taken).  Nothing here prints.  Not thread-safe.
 */
#ifndef FT_RUNDIR_H
#define FT_RUNDIR_H

#include <stddef.h>
#include <stdint.h>

struct ft_rundir {
	int runs_fd;          /* <state>/runs */
	int fd;               /* <state>/runs/<name> */
	char name[64];
};

#define FT_RUNDIR_INIT { -1, -1, "" }

/* Make a fresh run dir under state_dir/runs (named <coarse ns>-<pid>);
 * the state dir must exist.  On error `r` holds no descriptor. */
int ft_rundir_create(struct ft_rundir *r, const char *state_dir);

/* 1 when `path` and runs/<name> still lead to the dir we made (nobody moved
 * or replaced it during the run), else 0. */
int ft_rundir_intact(const struct ft_rundir *r, const char *path);

/* Remove the run dir's files and the dir, through the descriptors, only
 * when it is intact (ft_rundir_intact); subdirectories (not ours) are left
 * alone.  Releases `r` either way. */
void ft_rundir_remove(struct ft_rundir *r, const char *path);

/* Close the descriptors, removing nothing. */
void ft_rundir_release(struct ft_rundir *r);

/* A run dir named by its path (`ftrace ingest`): opened the same way,
 * never through a link, and removed only if it is ours. */
void ft_rundir_remove_path(const char *dir);

/* A run's t0 (CLOCK_REALTIME_COARSE), taken once the coarse clock is past
 * the ctimes of `paths` (the repository top and the state dir, which
 * making the state dir and run dir may just have changed): a t0 in their
 * tick would make every test that lists them "modified during the run".
 * Waits at most 100 ms, usually not at all. */
int64_t ft_rundir_start_clock(const char *const *paths, size_t n);

#endif
