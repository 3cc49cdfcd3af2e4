/*
 * ftp_exec - start ftp_probe through every exec and spawn function, and
 * print the records that must appear (ftp_common.h).
 *
 *   ftp_exec MODE DIR PROBE        MODE: execve execv execl execle execveat
 *       fexecve execvp execvpe execlp posix_spawn posix_spawnp vfork envi
 *       unsetenv system popen syscall absent
 *   ftp_exec prog DIR PROGRAM      execv(PROGRAM) with no expectations of the
 *                                  child (static, setuid, Go targets)
 *
 * PROBE is the absolute path of ftp_probe; the child stats DIR/<MODE>.probe,
 * which does not exist, so its record reads "stat ENOENT s DIR/<MODE>.probe".
 * The PATH-search modes put DIR/nobin (missing) and DIR/noexec (holding a
 * non-executable ftp_probe) before PROBE's directory: both must appear as
 * exec-search records, the absence and the passed-over file.
 *
 * Real-world cases: `env -i prog` and programs that unsetenv("LD_PRELOAD")
 * before exec (the "envi" and "unsetenv" modes) escaped fsatrace-style
 * tracers; Rust's Command uses posix_spawnp; make uses vfork.
 */
#include <fcntl.h>
#include <libgen.h>
#include <spawn.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "ftp_common.h"

extern char **environ;

static const char *mode, *dir, *probe;
static char *target; /* DIR/<mode>.probe */

static void expect_child(void)
{
	ftp_expect("stat", ENOENT, "s", target);
}

static void wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "ftp_exec: child failed\n");
		ftp_failures++;
	}
}

/* PATH = DIR/nobin:DIR/noexec:<probe dir>; expectations for the search. */
static const char *setup_path(void)
{
	char *pdir = strdup(probe), *path, *noexec = ftp_join(dir, "noexec");
	char *stub = ftp_join(noexec, "ftp_probe");
	FILE *f;

	pdir = dirname(pdir);
	mkdir(noexec, 0755);
	f = fopen(stub, "w");
	if (f)
		fclose(f);
	chmod(stub, 0644);
	path = malloc(strlen(dir) * 2 + strlen(pdir) + 32);
	sprintf(path, "%s/nobin:%s:%s", dir, noexec, pdir);
	setenv("PATH", path, 1);
	ftp_expect("exec-search", ENOENT, "s", ftp_join(ftp_join(dir, "nobin"), "ftp_probe"));
	ftp_expect("exec-search", 0, "s", stub);
	return "ftp_probe";
}

int main(int argc, char **argv)
{
	char *args[] = { NULL, NULL, NULL };
	pid_t pid;
	int r;

	if (argc != 4) {
		fprintf(stderr, "usage: ftp_exec MODE DIR PROBE\n");
		return 2;
	}
	mode = argv[1];
	dir = argv[2];
	probe = argv[3];
	target = malloc(strlen(dir) + strlen(mode) + 16);
	sprintf(target, "%s/%s.probe", dir, mode);
	args[0] = (char *)probe;
	args[1] = target;

	if (!strcmp(mode, "prog")) {
		ftp_expect("exec", 0, "rx", probe);
		args[1] = NULL;
		execv(probe, args);
		perror("execv");
		return 1;
	}
	if (!strcmp(mode, "absent")) {
		char *absent = ftp_join(dir, "absent-program");
		r = execv(absent, args);
		FTP_CHECK(r < 0, ENOENT, "execv absent");
		ftp_expect("exec", ENOENT, "rx", absent);
		return ftp_failures ? 1 : 0;
	}

	if (!strcmp(mode, "posix_spawn") || !strcmp(mode, "posix_spawnp") || !strcmp(mode, "vfork") ||
	    !strcmp(mode, "system") || !strcmp(mode, "popen")) {
		if (!strcmp(mode, "posix_spawn")) {
			ftp_expect("spawn", 0, "rx", probe);
			r = posix_spawn(&pid, probe, NULL, NULL, args, environ);
			FTP_CHECK(r == 0, 0, "posix_spawn");
			wait_child(pid);
		} else if (!strcmp(mode, "posix_spawnp")) {
			args[0] = (char *)setup_path();
			ftp_expect("spawn", 0, "rx", probe);
			r = posix_spawnp(&pid, "ftp_probe", NULL, NULL, args, environ);
			FTP_CHECK(r == 0, 0, "posix_spawnp");
			wait_child(pid);
		} else if (!strcmp(mode, "vfork")) {
			ftp_expect("exec", 0, "rx", probe);
			pid = vfork();
			if (pid == 0) {
				execve(probe, args, environ);
				_exit(127);
			}
			wait_child(pid);
		} else {
			char *cmd = malloc(strlen(probe) + strlen(target) + 4);
			sprintf(cmd, "%s %s", probe, target);
			ftp_expect("spawn", 0, "rx", "/bin/sh");
			if (!strcmp(mode, "system")) {
				r = system(cmd);
				FTP_CHECK(r == 0, 0, "system");
			} else {
				FILE *p = popen(cmd, "r");
				FTP_CHECK(p != NULL, 0, "popen");
				FTP_CHECK(p && pclose(p) == 0, 0, "pclose");
			}
		}
		expect_child();
		return ftp_failures ? 1 : 0;
	}

	/* the exec modes: expectations first, since exec does not return */
	expect_child();
	if (!strcmp(mode, "execve")) {
		ftp_expect("exec", 0, "rx", probe);
		execve(probe, args, environ);
	} else if (!strcmp(mode, "execv")) {
		ftp_expect("exec", 0, "rx", probe);
		execv(probe, args);
	} else if (!strcmp(mode, "execl")) {
		ftp_expect("exec", 0, "rx", probe);
		execl(probe, probe, target, (char *)NULL);
	} else if (!strcmp(mode, "execle")) {
		ftp_expect("exec", 0, "rx", probe);
		execle(probe, probe, target, (char *)NULL, environ);
	} else if (!strcmp(mode, "execveat")) {
		char *pdir = dirname(strdup(probe));
		int dfd = open(pdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ftp_expect("exec", 0, "rx", probe);
		execveat(dfd, "ftp_probe", args, environ, 0);
	} else if (!strcmp(mode, "fexecve")) {
		int fd = open(probe, O_RDONLY); /* no O_CLOEXEC: fexecve of a script needs it */
		ftp_expect("exec", 0, "rx", probe);
		fexecve(fd, args, environ);
	} else if (!strcmp(mode, "execvp")) {
		args[0] = (char *)setup_path();
		ftp_expect("exec", 0, "rx", probe);
		execvp("ftp_probe", args);
	} else if (!strcmp(mode, "execvpe")) {
		args[0] = (char *)setup_path();
		ftp_expect("exec", 0, "rx", probe);
		execvpe("ftp_probe", args, environ);
	} else if (!strcmp(mode, "execlp")) {
		setup_path();
		ftp_expect("exec", 0, "rx", probe);
		execlp("ftp_probe", "ftp_probe", target, (char *)NULL);
	} else if (!strcmp(mode, "envi")) {
		char *empty[] = { NULL };
		ftp_expect("exec", 0, "rx", probe);
		execve(probe, args, empty);
	} else if (!strcmp(mode, "unsetenv")) {
		unsetenv("LD_PRELOAD");
		unsetenv("FTRACE_RUN_DIR");
		unsetenv("FTRACE__PRELOAD");
		ftp_expect("exec", 0, "rx", probe);
		execv(probe, args);
	} else if (!strcmp(mode, "syscall")) {
		ftp_expect("exec", 0, "rx", probe);
		syscall(SYS_execve, probe, args, environ);
	} else {
		fprintf(stderr, "ftp_exec: unknown mode %s\n", mode);
		return 2;
	}
	perror(mode);
	return 1;
}
