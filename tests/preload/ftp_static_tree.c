/*
 * ftp_static_tree.c - a process tree for the ptrace back end (t7030),
 * built with -static by the test (CMake's dynamic build only proves it
 * compiles).  Run in a directory holding child.txt, thread.txt, exec.txt,
 * sub/rel.txt, o2.txt, at.txt, and the symlink `link`.  Each file is touched
 * by a different mechanism the tracer must follow:
 *   child.txt    read by a fork()ed child
 *   thread.txt   stat'ed and read by a second thread, while the main
 *                thread opens other files
 *   exec.txt     read by /bin/cat, a DYNAMIC program started with vfork +
 *                execve from this static one
 *   sub/rel.txt  opened relative to the cwd after chdir("sub")
 *   o2.txt       opened with openat2 (raw syscall, no libc wrapper)
 *   at.txt       opened relative to a dirfd that is not the cwd
 *   link         readlink'ed
 *   ./nope       exec'd but absent (ENOENT: an absence dependency)
 *   made.out     written (made.tmp, renamed): an output only
 * Exits non-zero if a call does not behave as it does without ftrace.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

extern char **environ;

static int read_all(int dirfd, const char *path)
{
	char buf[256];
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 ? 0 : -1;
}

static void *thread_main(void *arg)
{
	struct stat sb;

	(void)arg;
	for (int i = 0; i < 50; i++)
		if (stat("thread.txt", &sb) < 0 || read_all(AT_FDCWD, "thread.txt") < 0)
			return (void *)1;
	return NULL;
}

int main(void)
{
	pthread_t th;
	void *tret = NULL;
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };
	char target[64];
	int st, fd, dfd, fails = 0;
	pid_t pid;

	if (pthread_create(&th, NULL, thread_main, NULL))
		return 2;
	for (int i = 0; i < 50; i++)
		if (access("exec.txt", R_OK) < 0)
			fails |= 1;
	pthread_join(th, &tret);
	if (tret)
		fails |= 2;

	pid = fork();
	if (pid == 0)
		_exit(read_all(AT_FDCWD, "child.txt") < 0 ? 1 : 0);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		fails |= 4;

	pid = vfork();
	if (pid == 0) {
		char *argv[] = { "cat", "exec.txt", NULL };
		execve("/bin/cat", argv, environ);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		fails |= 8;

	if (chdir("sub") < 0 || read_all(AT_FDCWD, "rel.txt") < 0 || chdir("..") < 0)
		fails |= 16;

	fd = (int)syscall(SYS_openat2, AT_FDCWD, "o2.txt", &how, sizeof(how));
	if (fd < 0)
		fails |= 32;
	else
		close(fd);

	dfd = open("sub", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || read_all(dfd, "../at.txt") < 0)
		fails |= 64;
	if (dfd >= 0)
		close(dfd);

	memset(target, 0, sizeof(target));
	if (readlink("link", target, sizeof(target) - 1) < 0 || strcmp(target, "child.txt"))
		fails |= 128;

	pid = fork();
	if (pid == 0) {
		char *argv[] = { "nope", NULL };
		execve("./nope", argv, environ);
		_exit(errno == ENOENT ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		fails |= 256;

	fd = open("made.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, "out\n", 4) != 4 || close(fd) < 0 || rename("made.tmp", "made.out") < 0)
		fails |= 512;

	printf("tree: %s (%d)\n", fails ? "FAILED" : "ok", fails);
	return fails ? 1 : 0;
}
