/*
 * cmd_ptexec.c - `ftrace __ptrace-exec PROGRAM -- ARGV...` (hidden): run a
 * static program under ptrace for a preloaded parent (tracer/ft_ptexec.h).
 * Exits as the program did: its status, or its signal.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_ptexec.h"

int ft_cmd_ptexec(int argc, char **argv)
{
	int wstatus = 0, rc;

	/* argv: __ptrace-exec PROGRAM -- ARGV... */
	if (argc < 4 || strcmp(argv[2], "--") || argv[1][0] != '/') {
		fputs("usage: ftrace __ptrace-exec /ABS/PROGRAM -- ARGV...\n"
		      "(internal: the preload library runs static programs through it)\n", stderr);
		return FT_EXIT_USAGE;
	}
	rc = ft_ptexec_run(argv[1], argv + 3, &wstatus);
	if (rc < 0) {
		ft_cmd_error("cannot run %s under ptrace: %s", argv[1], ft_strerror(rc));
		return rc == -ENOENT || rc == -EACCES ? 127 : FT_EXIT_SOFTWARE;
	}
	if (WIFSIGNALED(wstatus)) {
		signal(WTERMSIG(wstatus), SIG_DFL);
		raise(WTERMSIG(wstatus));
	}
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : FT_EXIT_SOFTWARE;
}
