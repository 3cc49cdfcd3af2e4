/*
 * ptrace_path.h - naming the path a tracee passed to a system call.
 *
 * The ptrace back end sees raw arguments: an address in the tracee, a dirfd
 * number.  These functions read the string out of the tracee and make it
 * absolute the way preload/path.c does inside the process: a relative path
 * is joined with /proc/PID/cwd at the moment of the call, a dirfd is named
 * by /proc/PID/fd/N, a leading "./" is squashed, "." alone is the directory
 * itself, and "." / ".." elsewhere are kept (following ".." lexically would
 * name another file behind a symlink).
 *
 * Lengths are returned as long: > 0 the length of the NUL-terminated result
 * in `out`, 0 nothing to record (empty path, or below /proc, /sys, /dev or
 * ftrace's own directories), -1 the path cannot be named (unreadable
 * memory, bad fd, too long).  No allocation; not async-signal-safe only
 * because of readlink on /proc.
 */
#ifndef FT_PTRACE_PATH_H
#define FT_PTRACE_PATH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Directories never recorded besides /proc, /sys and /dev (NULL = none). */
struct ft_ptrace_ignore {
	const char *state_dir;
	const char *run_dir;
};

/* Copy the NUL-terminated string at `addr` in `pid` into buf (size bytes).
 * Returns its length, or -1 if it cannot be read or does not fit. */
long ft_ptrace_path_read(pid_t pid, uint64_t addr, char *buf, size_t size);

/* Join `base` (absolute) and `rel` (relative) into out. */
long ft_ptrace_path_join(const char *base, const char *rel, char *out, size_t size);

/* Absolute form of `path` as `pid` named it relative to `dirfd` (a negative
 * dirfd, AT_FDCWD included, means its cwd), filtered by `ign`. */
long ft_ptrace_path_resolve(pid_t pid, int dirfd, const char *path,
			    const struct ft_ptrace_ignore *ign, char *out, size_t size);

/* The path open as `fd` in `pid` (getdents, fchdir), filtered by `ign`;
 * -1 also for an fd that is not a path (pipe, socket). */
long ft_ptrace_path_fd(pid_t pid, int fd, const struct ft_ptrace_ignore *ign, char *out,
		       size_t size);

/* Is `abs` under /proc, /sys, /dev or one of ign's directories? */
int ft_ptrace_path_ignored(const char *abs, size_t len, const struct ft_ptrace_ignore *ign);

#endif
