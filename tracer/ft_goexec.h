/*
 * ft_goexec.h - what a Go test binary read from the environment, told by
 * Go's own testing package (docs/go.md, "Environment variables").
 *
 * Go reads its environment from memory: os.Getenv is no system call, so
 * neither the preload nor the tracer sees it.  But a test binary given
 * `-test.testlogfile=FILE` logs to FILE every os.Getenv and os.LookupEnv
 * made from the start of its tests (m.Run) to their end, one line each:
 * "getenv NAME" (after a first line "# test log"; lines "stat", "open",
 * "chdir" too, which the tracer sees itself).  The go command asks for it
 * only for runs it may cache, which `ftrace run`'s -count=1 turns off; so
 * `ftrace run` gives go test `-exec=ftrace-goexec` (in GOFLAGS), and
 * ftrace-goexec runs each test binary (its name ends in ".test") with the
 * flag added right after the program, FILE being FT_GOTESTLOG_PREFIX and
 * its pid in the run dir ($FTRACE_RUN_DIR).  Any other program (go run's)
 * runs as given.
 *
 * When the binary's process ends, the tracer reads FILE (ft_goexec_log)
 * and writes an FT_REC_ENV record for each name into its region.  No FILE,
 * or one that cannot be read whole, means the reads are unknown: the whole
 * environment ("=") is the test's then, which selects it on any change.
 *
 * FILE was written by the test: hostile input.  Read without following a
 * link, a regular file of at most FT_GOTESTLOG_MAX bytes, never executed.
 *
 * Errors: negative -errno / FT_E*.  Not async-signal-safe.
 */
#ifndef FT_GOEXEC_H
#define FT_GOEXEC_H

#include <stddef.h>
#include <sys/types.h>

#define FT_GOEXEC_NAME "ftrace-goexec"
#define FT_GOTESTLOG_PREFIX "gotestlog-"
#define FT_GOTESTLOG_MAX (16u << 20)

/* Call fn(arg, name, len) for each "getenv NAME" line of the test log of
 * process `pid` in `run_dir`, then remove the file.  0 when the log was
 * read whole (its first line is "# test log" and its last line ends in a
 * newline), FT_EFORMAT when it is not a test log, -ENOENT when there is
 * none, another negative code when it could not be read; fn's negative
 * return stops the walk and is returned. */
int ft_goexec_log(const char *run_dir, pid_t pid,
		  int (*fn)(void *arg, const char *name, size_t len), void *arg);

/* Does the program `path` (an exec's path) name a Go test binary: does its
 * base name end in ".test", with something before it? */
int ft_goexec_is_test(const char *path);

#endif
