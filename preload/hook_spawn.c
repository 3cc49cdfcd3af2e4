/*
 * hook_spawn.c - posix_spawn, posix_spawnp, system and popen: ways to start
 * a program whose exec happens inside libc.
 *
 * posix_spawn's child calls execve through libc's internal alias, out of
 * our reach, so the program and the environment are handled in the parent,
 * as for exec (hook_exec.c).  Rust's std::process::Command uses posix_spawnp.
 * system() and popen() start /bin/sh with `environ`: we make environ itself
 * carry our variables; the shell then records itself.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>

#include "ft_preload.h"

/* Spawn the ptrace helper for `via` (hook_exec.c); if it cannot start, the
 * program itself, untraced. */
static int ft_spawn_via(pid_t *pid, const char *via, const posix_spawn_file_actions_t *fa,
			const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	char *hargv[ft__argv_count(argv) + 6];
	int r;

	ft__exec_via_argv(via, argv, hargv);
	r = FT_REAL(posix_spawn)(pid, ft__proc.exe, fa, attr, hargv, envp);
	if (r == 0)
		return 0;
	ft__exec_via_failed(via);
	return FT_REAL(posix_spawn)(pid, via, fa, attr, argv, envp);
}

/* posix_spawn (search 0) or posix_spawnp (search 1) of `file`, as exec
 * does it (hook_exec.c) */
static int ft_spawn(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
		    const posix_spawnattr_t *attr, char *const argv[], char *const envp[], int search)
{
	struct ft__envfix fix;
	char via[FT__PATHBUF];
	int r, rerouted;

	if (!ft__on())
		return search ? FT_REAL(posix_spawnp)(pid, file, fa, attr, argv, envp)
			      : FT_REAL(posix_spawn)(pid, file, fa, attr, argv, envp);
	rerouted = search ? ft__exec_search(file, FT_OP_SPAWN, envp, via)
			  : ft__exec_path(file, FT_OP_SPAWN, envp, via);
	if (rerouted == FT__EXEC_FOREIGN)
		ft__env_strip(envp, &fix);
	else
		ft__env_fix(envp, &fix);
	if (rerouted == FT__EXEC_VIA)
		r = ft_spawn_via(pid, via, fa, attr, argv, fix.envp);
	else if (search)
		r = FT_REAL(posix_spawnp)(pid, file, fa, attr, argv, fix.envp);
	else
		r = FT_REAL(posix_spawn)(pid, file, fa, attr, argv, fix.envp);
	ft__env_release(&fix);
	return r; /* posix_spawn reports errors in its result, not errno */
}

FT_EXPORT int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
			  const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	return ft_spawn(pid, path, fa, attr, argv, envp, 0);
}

FT_EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
			   const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	return ft_spawn(pid, file, fa, attr, argv, envp, 1);
}

FT_EXPORT int system(const char *command)
{
	if (ft__on() && command) {
		int saved = errno;
		ft__env_fix_environ();
		ft__exec_path("/bin/sh", FT_OP_SPAWN, NULL, NULL);
		errno = saved;
	}
	return FT_REAL(system)(command);
}

FT_EXPORT FILE *popen(const char *command, const char *type)
{
	if (ft__on()) {
		int saved = errno;
		ft__env_fix_environ();
		ft__exec_path("/bin/sh", FT_OP_SPAWN, NULL, NULL);
		errno = saved;
	}
	return FT_REAL(popen)(command, type);
}
