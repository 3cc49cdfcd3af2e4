/*
 * ptrace_sctab.h - the file system calls the ptrace back end decodes.
 *
 * One row per x86-64 system call number: where its dirfd, path, flags and
 * second path are, and which ft_op (common/ft_record.h) it records.  The
 * same table builds the seccomp filter (every row stops, nothing else does)
 * and drives the decoder, so a call cannot be filtered in and left
 * undecoded, or decoded and never stopped.
 *
 * Pure data and pure functions: no allocation, safe anywhere (the filter is
 * built in the child between fork and exec).
 */
#ifndef FT_PTRACE_SCTAB_H
#define FT_PTRACE_SCTAB_H

#include <stddef.h>
#include <stdint.h>

#include "ft_record.h"

/* Argument index meaning "this call has no such argument". */
#define FT_SC_NONE (-1)

struct ft_ptrace_sc {
	long nr;
	const char *name;
	enum ft_op op;
	signed char dirfd;    /* dirfd argument of the path, or FT_SC_NONE (AT_FDCWD) */
	signed char path;     /* path argument, or FT_SC_NONE: the call names an fd */
	signed char fd;       /* fd argument named by /proc/PID/fd (getdents, fchdir) */
	signed char flags;    /* open(2) flags argument */
	signed char how;      /* struct open_how argument (openat2) */
	signed char atflags;  /* AT_* flags argument (AT_SYMLINK_NOFOLLOW, AT_REMOVEDIR, ...) */
	enum ft_op op2;       /* second path's op (rename, link), or FT_OP__NONE */
	signed char dirfd2, path2;
};

/* The row of system call `nr`, or NULL if it is not a file call. */
const struct ft_ptrace_sc *ft_ptrace_sc_find(long nr);

/* Row i (0 <= i < ft_ptrace_sc_count()), for building the filter. */
const struct ft_ptrace_sc *ft_ptrace_sc_at(size_t i);
size_t ft_ptrace_sc_count(void);

/*
 * The op and class bits the first path of a call records, given its raw
 * arguments and, for openat2, the flags read from its struct open_how.
 * Mirrors the preload hooks: open flags map through ft_open_class(),
 * AT_SYMLINK_NOFOLLOW turns a stat into an lstat, AT_REMOVEDIR an unlink
 * into an rmdir, AT_SYMLINK_FOLLOW a link source into a stat.
 */
void ft_ptrace_sc_class(const struct ft_ptrace_sc *sc, const uint64_t args[6],
			uint64_t how_flags, enum ft_op *op, uint32_t *cls);

/* Class bits of op's default (the FT_OPS table). */
uint32_t ft_ptrace_op_class(enum ft_op op);

#endif
