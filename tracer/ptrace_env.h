/*
 * ptrace_env.h - one variable from the environment a tracee passes to
 * execve, read out of its memory.
 *
 * The ptrace back end follows test boundaries the way the preload does: a
 * process that execs with FTRACE_TEST_ID=<id> different from its current
 * test starts test <id> for its subtree.  The variable is read at the
 * execve seccomp stop, from the envp array (not yet replaced by the new
 * image).  No allocation.
 */
#ifndef FT_PTRACE_ENV_H
#define FT_PTRACE_ENV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Look for `name`=value in the NULL-terminated char *envp[] at `envp` in
 * `pid`.  Returns the value's length (copied NUL-terminated to buf), -1 if
 * absent, -2 if the array or a string could not be read or the value does
 * not fit in `size`. */
long ft_ptrace_env_get(pid_t pid, uint64_t envp, const char *name, char *buf, size_t size);

#endif
