/*
 * ft_file.h - open and read files that ftrace did not itself just create.
 *
 * Every file ftrace reads from a run dir, the state dir or the project
 * (regions, adapter side files, runner logs, go.mod, configs) may be
 * something else than a regular file: a FIFO named like a record file
 * would block a plain open() forever, a device would be read without end,
 * a symlink would lead out of the run dir.  So these functions open with
 * O_NONBLOCK | O_NOCTTY | O_CLOEXEC (and O_NOFOLLOW unless asked to
 * follow), then fstat the descriptor and refuse anything but a regular
 * file.  Opening a FIFO with O_NONBLOCK for reading never waits.
 *
 * Errors: FT_ENOTREG for a symlink (under O_NOFOLLOW), FIFO, socket,
 * device or directory; -errno for a failed open.  Not async-signal-safe
 * (ft_file_read mallocs).
 */
#ifndef FT_FILE_H
#define FT_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

enum ft_file_flags {
	FT_FILE_FOLLOW = 1,   /* a symlink at the last component is followed
			       * (a project file the user may have linked) */
};

/* Open `path` (relative to `dirfd`, or AT_FDCWD) read-only as above.
 * Returns the descriptor (O_NONBLOCK cleared) or a negative code; `sb`
 * (may be NULL) receives its fstat. */
int ft_file_open(int dirfd, const char *path, unsigned flags, struct stat *sb);

/* The same, as a stdio stream ("r", close-on-exec); NULL with errno set
 * (EINVAL for a file that is not a regular one). */
FILE *ft_file_fopen(const char *path, unsigned flags);

/* Read a whole regular file into memory.  The buffer is malloc'd,
 * NUL-terminated, and the caller frees it.  NULL when the file cannot be
 * opened (errno), is not a regular file (errno EINVAL; under O_NOFOLLOW a
 * symlink too), or memory runs out (ENOMEM).  A file that grows while it is
 * read is cut at the size fstat reported.  extra_oflags: 0 follows a
 * symlink at the last component, O_NOFOLLOW refuses it; mode (may be NULL)
 * receives st_mode. */
char *ft_file_read(const char *path, int extra_oflags, size_t *len, mode_t *mode);

/* Read at most `size` bytes of the open file `fd` (its fstat size, which
 * the caller has checked), into *out, malloc'd and NUL-terminated: *got
 * bytes, fewer where the file ends sooner (it shrank).  A read that EINTR
 * interrupts is retried.  0, -ENOMEM (*out NULL), or -errno of a failed
 * read (*out holds the bytes read before it).  Does not close fd. */
int ft_file_read_fd(int fd, size_t size, char **out, size_t *got);

#endif
