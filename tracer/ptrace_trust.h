/*
 * ptrace_trust.h - which code in a preloaded process makes file calls that
 * the preload library sees.
 *
 * The preload hooks libc's exported functions, so a system call made from
 * libc's (or ld.so's, or the preload's own) code went through a hook or is
 * one of the preload's own.  A call made from anywhere else was not: the Go
 * runtime in a dynamically linked (cgo) test binary, a `syscall`
 * instruction in a program's own code (inline assembly, Rust's rustix), a
 * JIT's page.  The tracer decodes those itself even in an image whose
 * preload proved itself (docs/ptrace.md, "Whose calls the preload sees").
 *
 * A trust set is the executable mappings of those libraries, read from
 * /proc/PID/maps once per image.  Plain data: no allocation; not
 * async-signal-safe (stdio in ft_ptrace_trust_load).
 */
#ifndef FT_PTRACE_TRUST_H
#define FT_PTRACE_TRUST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FT_PTRACE_TRUST_MAX 16

struct ft_ptrace_trust {
	size_t n;
	uint64_t lo[FT_PTRACE_TRUST_MAX], hi[FT_PTRACE_TRUST_MAX]; /* [lo, hi) */
};

/* Is a file of this base name one whose system calls the preload sees
 * (glibc's libc and ld.so, the preload library)?  1 or 0. */
int ft_ptrace_trust_name(const char *base);

/* Add the executable mappings of trusted files among the lines of a
 * /proc/PID/maps text `maps` (`len` bytes, need not end in NUL) to `t`.
 * Ranges beyond FT_PTRACE_TRUST_MAX are left out (their calls are decoded:
 * more records, never fewer).  Returns how many ranges `t` holds. */
size_t ft_ptrace_trust_parse(struct ft_ptrace_trust *t, const char *maps, size_t len);

/* Clear `t`, then fill it from /proc/PID/maps.  Returns the number of
 * ranges, or -errno if the file cannot be read (then `t` is empty). */
int ft_ptrace_trust_load(struct ft_ptrace_trust *t, pid_t pid);

/* Did the system call whose `syscall` instruction ends at `ip` (the
 * instruction pointer at its seccomp stop) come from trusted code?  1 or 0. */
int ft_ptrace_trust_has(const struct ft_ptrace_trust *t, uint64_t ip);

#endif
