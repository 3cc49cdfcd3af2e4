/*
 * ft_spawn.h - run a helper program and capture what it prints.
 *
 * For the runners' own test lists (`make` for Automake's TESTS; ctest has
 * its own in ft_runner.c): argv[0] is searched in PATH, started in `dir`
 * (NULL: here), with `input` (or /dev/null) on stdin, stderr to /dev/null,
 * and its whole stdout returned.  Not for the interposer (it allocates).
 *
 * Returns the program's exit status (0..255) with *out a malloc'd,
 * NUL-terminated buffer of *len bytes; -errno when it could not be
 * started or read, FT_EFORMAT when it died of a signal.  The output is
 * capped at 64 MiB (FT_EFORMAT beyond).
 *
 * The same in two steps, to work while the program runs: ft_spawn_start
 * starts it (0, or -errno with nothing left to clean up); ft_spawn_finish
 * feeds its input, reads its output and reaps it, with ft_spawn_capture's
 * results.  Every started program must be finished (it is the only way to
 * reap it) or abandoned; until then it may block on a full pipe, never us.
 * ft_spawn_abandon is for output no longer wanted: it kills the program
 * (SIGKILL), closes our ends and reaps it, without waiting for it to end
 * on its own: 1 if it died of that SIGKILL, 0 if it had ended before,
 * -ECHILD if there was nothing to abandon.  Both leave sp->pid at -1;
 * either on a finished sp does nothing more (-ECHILD).
 */
#ifndef FT_SPAWN_H
#define FT_SPAWN_H

#include <stddef.h>

int ft_spawn_capture(const char *dir, char *const *argv, const char *input, char **out,
		     size_t *len);

struct ft_spawn {
	int pid;            /* -1: nothing to finish */
	int ofd, ifd;       /* our ends of its stdout and stdin (-1: none) */
	const char *input;  /* borrowed: must live until ft_spawn_finish */
};

int ft_spawn_start(const char *dir, char *const *argv, const char *input, struct ft_spawn *sp);
int ft_spawn_finish(struct ft_spawn *sp, char **out, size_t *len);
int ft_spawn_abandon(struct ft_spawn *sp);

#endif
