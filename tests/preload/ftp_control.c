/*
 * ftp_control DIR PROBE - drive the control API (ftrace.h) the way an
 * in-process runner does, finding it with dlsym as the pytest plugin finds
 * it with ctypes.CDLL(None).
 *
 * Sequence: prelude stat; ftrace_test_begin("test-a"); stat; posix_spawn
 * PROBE (the child must belong to test-a without starting a test of its
 * own); ftrace_test_end("test-a", PASSED); stat (prelude again);
 * ftrace_context("fixture-x"); stat; ftrace_context(NULL); stat;
 * begin/end "test-b" with FAILED.  Prints the expected lines, contexts
 * included.
 */
#include <dlfcn.h>
#include <spawn.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "ftp_common.h"
#include "ft_record.h"

extern char **environ;

static void ftp_stat_in(const char *ctx, const char *dir, const char *name)
{
	struct stat st;
	char *p = ftp_join(dir, name);

	stat(p, &st);
	printf("%s ACCESS stat ENOENT s %s\n", ctx, p);
}

int main(int argc, char **argv)
{
	int (*active)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "ftrace_active");
	int (*begin)(const char *) = (int (*)(const char *))dlsym(RTLD_DEFAULT, "ftrace_test_begin");
	int (*end)(const char *, int) = (int (*)(const char *, int))dlsym(RTLD_DEFAULT, "ftrace_test_end");
	int (*context)(const char *) = (int (*)(const char *))dlsym(RTLD_DEFAULT, "ftrace_context");
	const char *dir = argv[1], *probe = argv[2];
	char *args[3];
	const char *env_id;
	pid_t pid;
	int status;

	if (argc != 3)
		return 2;
	if (!active || !begin || !end || !context) {
		fprintf(stderr, "ftp_control: control API not found (not preloaded?)\n");
		return 1;
	}
	if (active() != 1) {
		fprintf(stderr, "ftp_control: ftrace_active() != 1\n");
		return 1;
	}
	if (begin(NULL) != -EINVAL || begin("") != -EINVAL) {
		fprintf(stderr, "ftp_control: begin(NULL/\"\") must fail with -EINVAL\n");
		return 1;
	}
	ftp_stat_in("-", dir, "ctl.prelude1");

	if (begin("test-a") != 0)
		return 1;
	printf("test-a BEGIN - 0 - test-a\n");
	env_id = getenv("FTRACE_TEST_ID");
	if (!env_id || strcmp(env_id, "test-a")) {
		fprintf(stderr, "ftp_control: FTRACE_TEST_ID not set for children\n");
		return 1;
	}
	ftp_stat_in("test-a", dir, "ctl.a");
	args[0] = (char *)probe;
	args[1] = ftp_join(dir, "ctl.a.child");
	args[2] = NULL;
	if (posix_spawn(&pid, probe, NULL, NULL, args, environ) != 0)
		return 1;
	waitpid(pid, &status, 0);
	printf("test-a ACCESS stat ENOENT s %s\n", args[1]);
	if (end("test-a", FT_OUTCOME_PASSED) != 0)
		return 1;
	printf("test-a END - 0 passed test-a\n");
	printf("- CONTEXT - 0 - \n");
	if (getenv("FTRACE_TEST_ID")) {
		fprintf(stderr, "ftp_control: FTRACE_TEST_ID still set after end\n");
		return 1;
	}
	ftp_stat_in("-", dir, "ctl.prelude2");

	if (context("fixture-x") != 0)
		return 1;
	printf("fixture-x CONTEXT - 0 - fixture-x\n");
	ftp_stat_in("fixture-x", dir, "ctl.fixture");
	if (context(NULL) != 0)
		return 1;
	ftp_stat_in("-", dir, "ctl.prelude3");

	if (begin("test-b") != 0)
		return 1;
	ftp_stat_in("test-b", dir, "ctl.b");
	if (end("test-b", FT_OUTCOME_FAILED) != 0)
		return 1;
	printf("test-b END - 0 failed test-b\n");
	fflush(stdout);
	return 0;
}
