/*
 * ftp_wait MODE - reap children with every form of the wait family and
 * print the FT_REC_EXIT record each reap must leave (preload/hook_wait.c):
 *   "<context> EXIT - 0 reaped <pid> exited <code>" or "... killed <sig>".
 * MODE: direct (from main), thread (from a second thread), fork (from a
 * fork child, which reaps its own children).
 *
 * The forms: waitpid, wait4, wait3, wait with a NULL status, waitid with
 * P_PID and with P_ALL, a child killed by a signal, WNOHANG returning 0
 * first (no record for it), and waitid with WNOWAIT first (no record: the
 * child stays waitable).  The script counts the EXIT records too: exactly
 * one per child.  Each call's result and status must be what it is
 * without ftrace.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ftp_common.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "ftp_wait: %s:%d: %s\n", __FILE__, __LINE__, #c); exit(3); } } while (0)

static void expect_exit(pid_t pid, int code)
{
	printf("%s EXIT - 0 reaped %d exited %d\n", ftp_context(), (int)pid, code);
	fflush(stdout);
}

/* A child that exits with `code`, or raises `sig` when sig > 0, after
 * reading one byte from fd `hold` when hold >= 0 (its parent decides
 * when it ends). */
static pid_t child(int code, int sig, int hold)
{
	pid_t p;
	char c;

	fflush(stdout);
	p = fork();
	CHECK(p >= 0);
	if (p == 0) {
		if (hold >= 0)
			(void)!read(hold, &c, 1);
		if (sig > 0)
			raise(sig);
		_exit(code);
	}
	return p;
}

static void forms(void)
{
	struct rusage ru;
	siginfo_t si;
	int st = -1, fds[2];
	pid_t p, r;

	p = child(3, 0, -1);
	CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 3);
	expect_exit(p, 3);

	p = child(4, 0, -1);
	CHECK(wait4(p, &st, 0, &ru) == p && WIFEXITED(st) && WEXITSTATUS(st) == 4);
	expect_exit(p, 4);

	p = child(5, 0, -1);
	CHECK(wait3(&st, 0, NULL) == p && WIFEXITED(st) && WEXITSTATUS(st) == 5);
	expect_exit(p, 5);

	p = child(6, 0, -1);
	CHECK(wait(NULL) == p);
	expect_exit(p, 6);

	p = child(7, 0, -1);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, (id_t)p, &si, WEXITED) == 0 && si.si_pid == p &&
	      si.si_code == CLD_EXITED && si.si_status == 7);
	expect_exit(p, 7);

	p = child(0, 0, -1);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_ALL, 0, &si, WEXITED) == 0 && si.si_pid == p && si.si_status == 0);
	expect_exit(p, 0);

	p = child(0, SIGTERM, -1);
	CHECK(waitpid(p, &st, 0) == p && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	printf("%s EXIT - 0 reaped %d killed %d\n", ftp_context(), (int)p, SIGTERM);

	/* WNOHANG before the child can end: 0, no record; then its reap */
	CHECK(pipe(fds) == 0);
	p = child(8, 0, fds[0]);
	errno = 0;
	CHECK(waitpid(p, &st, WNOHANG) == 0 && errno == 0);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, (id_t)p, &si, WEXITED | WNOHANG) == 0 && si.si_pid == 0);
	/* (the child holds the write end too: EOF would never come) */
	CHECK(write(fds[1], "x", 1) == 1);
	close(fds[1]);
	close(fds[0]);
	CHECK(waitpid(p, &st, 0) == p && WEXITSTATUS(st) == 8);
	expect_exit(p, 8);

	/* WNOWAIT: still waitable, so the real reap is the one record */
	p = child(9, 0, -1);
	CHECK(waitid(P_PID, (id_t)p, &si, WEXITED | WNOWAIT) == 0 && si.si_pid == p);
	CHECK(waitpid(p, &st, 0) == p && WEXITSTATUS(st) == 9);
	expect_exit(p, 9);
	(void)r;
}

static void *thread_main(void *arg)
{
	(void)arg;
	forms();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;
	int st;
	pid_t p;

	if (argc != 2)
		return 2;
	if (!strcmp(argv[1], "direct")) {
		forms();
	} else if (!strcmp(argv[1], "thread")) {
		CHECK(pthread_create(&th, NULL, thread_main, NULL) == 0);
		CHECK(pthread_join(th, NULL) == 0);
	} else if (!strcmp(argv[1], "fork")) {
		fflush(stdout);
		p = fork();
		CHECK(p >= 0);
		if (p == 0) {
			forms();
			fflush(stdout);
			_exit(0);
		}
		CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
		expect_exit(p, 0);
	} else {
		return 2;
	}
	return 0;
}
