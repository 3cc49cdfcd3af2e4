/*
 * ft_file.h - read a whole regular file into memory.
 *
 * Ownership: the returned buffer is malloc'd, NUL-terminated, and the
 * caller frees it.  NULL when the file cannot be opened, is not a regular
 * file, or memory runs out (errno tells which).  A file that grows while it
 * is read is cut at the size fstat reported.  Never blocks on the open: a
 * FIFO or device is refused, not waited for.  Not async-signal-safe.
 */
#ifndef FT_FILE_H
#define FT_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* extra_oflags are or'ed into O_RDONLY | O_CLOEXEC (O_NOFOLLOW, say);
 * mode (may be NULL) receives st_mode. */
char *ft_file_read(const char *path, int extra_oflags, size_t *len, mode_t *mode);

#endif
