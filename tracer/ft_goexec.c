/*
 * ft_goexec.c - a Go test binary's test log (ft_goexec.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_file.h"
#include "ft_goexec.h"

#define HEADER "# test log\n"
#define GETENV "getenv "

int ft_goexec_log(const char *run_dir, pid_t pid,
		  int (*fn)(void *arg, const char *name, size_t len), void *arg)
{
	char path[4096];
	struct stat sb;
	char *buf = NULL;
	size_t got = 0;
	int fd, rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/" FT_GOTESTLOG_PREFIX "%ld", run_dir,
			     (long)pid) >= sizeof(path))
		return FT_ETOOLONG;
	if ((fd = ft_file_open(AT_FDCWD, path, 0, &sb)) < 0)
		return fd;
	if ((size_t)sb.st_size > FT_GOTESTLOG_MAX) {
		close(fd);
		unlink(path);
		return -EFBIG;
	}
	rc = ft_file_read_fd(fd, (size_t)sb.st_size, &buf, &got);
	close(fd);
	unlink(path);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	/* whole: the header, and nothing cut off after the last newline (the
	 * testing package writes it through a buffer it flushes at the end) */
	if (got < sizeof(HEADER) - 1 || memcmp(buf, HEADER, sizeof(HEADER) - 1) ||
	    buf[got - 1] != '\n' || memchr(buf, '\0', got)) {
		free(buf);
		return FT_EFORMAT;
	}
	for (char *p = buf + sizeof(HEADER) - 1, *end = buf + got; p < end && rc >= 0;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)(nl - p);

		if (n > sizeof(GETENV) - 1 && !memcmp(p, GETENV, sizeof(GETENV) - 1))
			rc = fn(arg, p + sizeof(GETENV) - 1, n - (sizeof(GETENV) - 1));
		p = nl + 1;
	}
	free(buf);
	return rc < 0 ? rc : 0;
}
