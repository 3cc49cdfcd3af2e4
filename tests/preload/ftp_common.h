/*
 * ftp_common.h - shared by the interposer's helper programs (tests/preload).
 *
 * Each helper performs real calls and prints, on stdout, the records it
 * expects `ftrace records` to show, in the format of its columns 2..7:
 *   <context> <TYPE> <op> <err> <flags> <data>
 * The integration script checks that every expected line is present
 * (strace's convention: the test program states its own trace).  A helper
 * exits non-zero when a call did not behave as it should without ftrace
 * (wrong result, errno changed): the interposer must not change behaviour.
 */
#ifndef FTP_COMMON_H
#define FTP_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ftp_failures __attribute__((unused));

/* The context the helper's records belong to, as `ftrace records` prints it. */
__attribute__((unused)) static const char *ftp_context(void)
{
	const char *t = getenv("FTRACE_TEST_ID");
	return t && t[0] ? t : "-";
}

__attribute__((unused)) static const char *ftp_errname(int e)
{
	if (!e)
		return "0";
	return strerrorname_np(e);
}

/* Print one expected ACCESS line. */
__attribute__((unused)) static void ftp_expect(const char *op, int err, const char *flags, const char *path)
{
	printf("%s ACCESS %s %s %s %s\n", ftp_context(), op, ftp_errname(err), flags, path);
	fflush(stdout);
}

/* Check a call's result and errno.  want_err 0: success expected. */
#define FTP_CHECK(ok, want_err, what)                                                   \
	do {                                                                            \
		int e_ = errno;                                                         \
		if (!(ok) || (want_err && e_ != want_err)) {                            \
			fprintf(stderr, "%s:%d: %s: unexpected result (errno %s, want %s)\n", \
				__FILE__, __LINE__, what, ftp_errname(e_), ftp_errname(want_err)); \
			ftp_failures++;                                                 \
		}                                                                       \
	} while (0)

/* A successful call must leave errno alone: set a marker before it. */
#define FTP_MARK() (errno = 4242)
#define FTP_MARK_KEPT(what)                                                     \
	do {                                                                    \
		if (errno != 4242) {                                            \
			fprintf(stderr, "%s:%d: %s changed errno on success (%d)\n",  \
				__FILE__, __LINE__, what, errno);               \
			ftp_failures++;                                         \
		}                                                               \
	} while (0)

__attribute__((unused)) static char *ftp_join(const char *a, const char *b)
{
	char *s = malloc(strlen(a) + strlen(b) + 2);
	sprintf(s, "%s/%s", a, b);
	return s;
}

#endif
