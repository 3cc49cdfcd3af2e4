/*
 * ftrace_goexec.c - ftrace-goexec: the program `go test` starts each test binary
 * with under `ftrace run` (GOFLAGS -exec, tracer/ft_launch.c).
 *
 *     ftrace-goexec PROGRAM [ARGS...]
 *
 * execs PROGRAM ARGS..., and for a Go test binary (ft_goexec_is_test)
 * under a recording ($FTRACE_RUN_DIR set) puts
 * -test.testlogfile=$FTRACE_RUN_DIR/gotestlog-<pid> right after PROGRAM,
 * where the testing package logs the environment variables the tests read
 * (ft_goexec.h).  The pid stays the same across the exec.  Anything else,
 * and everything without a run dir, runs exactly as given: go run uses
 * -exec too.  Its own executable, beside `ftrace` (tracer/ft_locate.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_goexec.h"

int main(int argc, char **argv)
{
	const char *dir = getenv("FTRACE_RUN_DIR");
	char **v, *flag = NULL;
	int k = 0;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fprintf(argc < 2 ? stderr : stdout,
			"usage: " FT_GOEXEC_NAME " PROGRAM [ARGS...]\n\n"
			"Runs PROGRAM; `ftrace run` gives it to go test as -exec.  A Go test binary\n"
			"(a name ending in .test) under a recording also gets -test.testlogfile, where\n"
			"its tests' environment reads are logged for ftrace (docs/go.md).\n");
		return argc < 2 ? 2 : 0;
	}
	if (!(v = calloc((size_t)argc + 1, sizeof(*v)))) {
		fprintf(stderr, FT_GOEXEC_NAME ": out of memory\n");
		return 126;
	}
	v[k++] = argv[1];
	if (dir && *dir && ft_goexec_is_test(argv[1]) &&
	    asprintf(&flag, "-test.testlogfile=%s/" FT_GOTESTLOG_PREFIX "%ld", dir, (long)getpid()) >= 0)
		v[k++] = flag;
	for (int i = 2; i < argc; i++)
		v[k++] = argv[i];
	v[k] = NULL;
	execv(argv[1], v);
	fprintf(stderr, FT_GOEXEC_NAME ": cannot run %s: %s\n", argv[1], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
