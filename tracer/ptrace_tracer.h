/*
 * ptrace_tracer.h - the ptrace back end: trace a process tree that the
 * preload cannot see (a statically linked first command) and write its
 * file accesses as a region of its own (`<run dir>/r-ptrace-<pid>.rec`,
 * backend FT_BACKEND_PTRACE), in the format of common/ft_record.h, so ingest
 * reads it like any other region.
 *
 * How: the child is PTRACE_SEIZEd (following fork, vfork, clone and exec,
 * with EXITKILL) before it execs; it then installs a seccomp filter
 * (ptrace_seccomp.h) so that only file calls stop.  At each seccomp stop
 * the path is read and made absolute (ptrace_path.h); the call is then run
 * to its syscall-exit stop, whose return value gives the record's errno.
 * Tracing lasts until every traced process has exited, as `strace -f` does.
 *
 * Honest failure: when ptrace is refused (EPERM: no CAP_SYS_PTRACE, yama
 * ptrace_scope=3, already traced), when the filter cannot be installed, or
 * when FTRACE_PTRACE=0 forces it off, one warning goes to stderr and the
 * region holds an FT_REC_UNTRACED record: the test is always selected.  A
 * call the decoder cannot name (another ABI, unreadable path) does the same.
 *
 * Use, in this order:
 *   ft_ptrace_prepare()   before fork (pipes; reads FTRACE_PTRACE)
 *   ft_ptrace_child()     in the child, just before exec: async-signal-safe
 *   ft_ptrace_parent()    in the parent: traces until all tracees are gone
 *   ft_ptrace_release()
 * Errors: negative FT_E* / -errno.  A traced program's own failure is not
 * an error: its wait status is returned in *wstatus.
 */
#ifndef FT_PTRACE_TRACER_H
#define FT_PTRACE_TRACER_H

#include <sys/types.h>

#define FT_ENV_PTRACE "FTRACE_PTRACE"   /* "0": never ptrace, record untraced */

struct ft_ptrace {
	const char *program;    /* what runs (for messages and the UNTRACED record) */
	const char *run_dir;
	const char *state_dir;
	const char *context;    /* test id the tree's records belong to ("" = prelude) */
	int p2c[2];             /* parent -> child: 'T' traced (install filter), 'U' not */
	int c2p[2];             /* child -> parent: 'F' + errno if the filter failed */
	int off;                /* FTRACE_PTRACE=0 */
};

int ft_ptrace_prepare(struct ft_ptrace *pt, const char *program, const char *run_dir,
		      const char *state_dir, const char *context);

void ft_ptrace_child(struct ft_ptrace *pt);

int ft_ptrace_parent(struct ft_ptrace *pt, pid_t pid, int *wstatus);

void ft_ptrace_release(struct ft_ptrace *pt);

#endif
