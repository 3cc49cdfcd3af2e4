/*
 * ft_path.h - where a recorded path really leads.
 *
 * Records keep the path a process named, unresolved: symlinks, "." and
 * ".." stay as they were (preload/path.c).  Deciding what a path is (a
 * scratch file under /tmp, a repository file, ftrace's own state) by that
 * text is wrong whenever the text and the place differ: a symlink in
 * pytest's tmp_path to a fixture, `/tmp/x/../../repo/f`.  These helpers
 * resolve a path the way the kernel's lookup would, now, without opening
 * anything (lstat and readlink only: never blocks, never reads a file).
 *
 * Ownership: the caller's buffers.  Not async-signal-safe (only because
 * nothing requires it); thread-safe.
 */
#ifndef FT_PATH_H
#define FT_PATH_H

#include <stddef.h>

/* Is p (len bytes) `dir` itself, or below it?  A dir of "/" holds every
 * absolute path; NULL or "" holds nothing.  Trailing slashes of dir are
 * ignored. */
int ft_path_under(const char *p, size_t len, const char *dir);

/* Resolve absolute path p (len bytes): every symlink followed (at most 40
 * hops), "." and ".." and repeated slashes folded, component by component
 * as the kernel walks it.  From the first component that does not exist
 * (or cannot be examined, or loops) on, the rest is folded by its text.
 * Writes the result, NUL-terminated, to out (size bytes) and returns its
 * length, or -ENAMETOOLONG / -EINVAL (not absolute). */
long ft_path_real(const char *p, size_t len, char *out, size_t size);

/* Does the meaning of p depend on the process that named it, so that it
 * cannot be resolved after that process is gone?  /proc/... (self, a pid's
 * cwd, root, fd/N), /dev/fd/..., /dev/stdin, /dev/stdout, /dev/stderr.
 * The recorders translate those at the access (preload/path.c). */
int ft_path_is_proc_relative(const char *p, size_t len);

#endif
