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
 */
#ifndef FT_SPAWN_H
#define FT_SPAWN_H

#include <stddef.h>

int ft_spawn_capture(const char *dir, char *const *argv, const char *input, char **out,
		     size_t *len);

#endif
