/*
 * ft_ptexec.h - `ftrace __ptrace-exec PROGRAM -- ARGV...`: run one static
 * (or Go) program under the ptrace back end, for a preloaded process that
 * was about to exec it (preload/exec_target.c reroutes the exec here).
 *
 * The helper stands in for the program: the caller's exec (or spawn)
 * becomes the helper, which forks, traces the child as it execs PROGRAM
 * with ARGV and the helper's environment (ptrace_tracer.h), and ends with
 * the program's exit status, or dies of the program's signal.  Its
 * environment gets FTRACE__PTRACED=1 first, so no preloaded process below
 * reroutes again or marks anything untraced: the tracer follows every
 * descendant.  The records go to FTRACE_RUN_DIR (as the preload's do),
 * in the context FTRACE_TEST_ID names (the caller's test: the preload
 * re-injects it), else the prelude.  If ptrace is refused the program
 * still runs and its records say "untraced" (always selected).
 *
 * Process-tree rules (ingest/ft_ptree.c) read the helper's image as
 * PROGRAM ARGV..., so ctest and the other runners match it as the program.
 *
 * Returns the wait status of the program, or a negative code when it could
 * not be run (FT_EUSAGE: no FTRACE_RUN_DIR; -errno).
 */
#ifndef FT_PTEXEC_H
#define FT_PTEXEC_H

int ft_ptexec_run(const char *program, char **argv, int *wstatus);

#endif
