/*
 * ftp_static_signals.c - signals in a ptraced static program (t7050).
 *   - a SIGUSR1 handler stats sig.txt: a file call made from a handler
 *   - the program stops itself (SIGSTOP) and a child continues it
 *     (SIGCONT): a group-stop the tracer must keep, then let go
 *   - then it reads after.txt: tracing still works after the stop
 * Exits non-zero if a call does not behave as it does untraced.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t handled = -1;

static void on_usr1(int sig)
{
	struct stat sb;

	(void)sig;
	handled = stat("sig.txt", &sb) == 0;
}

/* Is `pid` stopped ('T' in /proc/PID/stat, or 't' when a tracer holds the
 * stop: the same stop as seen through ptrace, strace shows it too)? */
static int stopped(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && (p[2] == 'T' || p[2] == 't');
}

int main(void)
{
	struct sigaction sa;
	char line[64];
	pid_t self = getpid(), pid;
	int st, fd, fails = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	if (handled != 1)
		fails |= 1;

	pid = fork();
	if (pid == 0) {
		/* a condition, not a delay: wait until the parent is stopped */
		while (!stopped(self))
			usleep(1000);
		_exit(kill(self, SIGCONT) == 0 ? 0 : 1);
	}
	raise(SIGSTOP);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		fails |= 2;

	fd = open("after.txt", O_RDONLY);
	if (fd < 0 || read(fd, line, sizeof(line)) <= 0)
		fails |= 4;
	if (fd >= 0)
		close(fd);
	printf("signals: %s (%d)\n", fails ? "FAILED" : "ok", fails);
	return fails ? 1 : 0;
}
