/*
 * ft_sctab.h - the one table of file system calls, read by both back ends.
 *
 * One row per x86-64 system call number: its name, which ft_op it records
 * (common/ft_record.h), which argument is the dirfd, the path, the fd, the
 * open flags, the struct open_how, the AT_* flags (and which AT_* bit
 * changes the op into which), the second path of a two-path call, and which
 * back end reads the row (enum ft_sc_who).  As in strace's syscallent
 * table, every part reads the same rows:
 *   - the ptrace back end's seccomp filter traps exactly the FT_SC_PTRACE
 *     rows (tracer/ptrace_seccomp.c), and its decoder names their
 *     arguments (tracer/ptrace_tracer.c), so a call cannot be trapped and
 *     left undecoded, or decoded and never trapped;
 *   - the preload's syscall() wrapper (preload/hook_syscall.c) decodes the
 *     FT_SC_SYSCALL rows after the call;
 *   - both take the op and class of a call from ft_sctab_class(), so a
 *     static and a dynamic build of one program record the same classes.
 * tests/unit/test_sctab.c checks the rows against <sys/syscall.h> and the
 * filter against the rows.
 *
 * Pure data and pure functions: no allocation, no libc state, safe in a
 * signal handler, between fork and exec (the filter is built there) and in
 * the preload, which compiles this file into itself (CMakeLists.txt).
 */
#ifndef FT_SCTAB_H
#define FT_SCTAB_H

#include <stddef.h>
#include <stdint.h>

#include "ft_record.h"

/* Argument index meaning "this call has no such argument". */
#define FT_SC_NONE (-1)

/* Which back end reads a row. */
enum ft_sc_who {
	/* trapped by the seccomp filter and decoded by the tracer */
	FT_SC_PTRACE = 1 << 0,
	/* decoded by the preload's syscall() wrapper after the call.  The
	 * other calls reach the preload through their libc wrappers' hooks,
	 * or not at all; execve and chdir go to their hooks before the call
	 * (preload/hook_syscall.c). */
	FT_SC_SYSCALL = 1 << 1,
};

struct ft_sc {
	long nr;
	const char *name;     /* as in SYS_<name> */
	enum ft_op op;
	signed char dirfd;    /* dirfd argument of the path, or FT_SC_NONE (AT_FDCWD) */
	signed char path;     /* path argument, or FT_SC_NONE: the call names an fd */
	signed char fd;       /* fd argument named by /proc/PID/fd (getdents, fchdir) */
	signed char flags;    /* open(2) flags argument */
	signed char how;      /* struct open_how argument (openat2) */
	signed char atflags;  /* AT_* flags argument (its AT_EMPTY_PATH with an
			       * empty path names the dirfd: execveat, linkat,
			       * fchownat) */
	int at_bit;           /* the AT_* bit of args[atflags] that turns op ... */
	enum ft_op at_op;     /* ... into this op (AT_SYMLINK_NOFOLLOW: lstat) */
	enum ft_op op2;       /* second path's op (rename, link), or FT_OP__NONE */
	signed char dirfd2, path2;
	unsigned char who;    /* enum ft_sc_who bits */
};

/* The row of system call `nr`, or NULL if it is not a file call. */
const struct ft_sc *ft_sctab_find(long nr);

/* Row i (0 <= i < ft_sctab_count()), or NULL past the end. */
const struct ft_sc *ft_sctab_at(size_t i);
size_t ft_sctab_count(void);

/*
 * The op and class bits the first path of a call records, given its raw
 * arguments and, for openat2, the flags of its struct open_how (0 when it
 * could not be read).  Mirrors the preload's libc hooks: open flags map
 * through ft_open_class(); an at_bit set in args[atflags] turns the op into
 * at_op (a stat into an lstat, an unlink into an rmdir), whose default
 * class it then takes.
 */
void ft_sctab_class(const struct ft_sc *sc, const uint64_t args[6], uint64_t how_flags,
		    enum ft_op *op, uint32_t *cls);

#endif
