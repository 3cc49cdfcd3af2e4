/*
 * ft_pseudo.h - which paths are no files at all: the kernel's views of
 * processes, devices and itself (/proc, /sys, /dev).  Both back ends drop
 * them as they record, and ingest drops them again from any record; but a
 * process's environment (ft_path_is_environ) is recorded, and ingest makes
 * it a read of every variable.
 *
 * One rule, judged on an absolute path's text, with one exception: /dev/shm
 * is a tmpfs, where files are files and a repository or a virtualenv can
 * live (a CI job on a RAM disk).  It was dropped with the rest of /dev, so
 * a test of a repository in /dev/shm was stored with no dependency on it
 * and never selected again (t4340).  Paths there are judged as those of any
 * other temporary directory (ingest's scratch rule, docs/internals.md).
 *
 * Header-only, pure (memcmp only), allocation-free and async-signal-safe:
 * the preload compiles it in.
 */
#ifndef FT_PSEUDO_H
#define FT_PSEUDO_H

#include <stddef.h>
#include <string.h>

/* abs[0..len) is dir (dlen bytes, no trailing '/') or below it */
static inline int ft_pseudo_under(const char *abs, size_t len, const char *dir, size_t dlen)
{
	return len >= dlen && !memcmp(abs, dir, dlen) && (len == dlen || abs[dlen] == '/');
}

/* Is the absolute path abs[0..len) under /proc, /sys or /dev, and not
 * under /dev/shm? */
static inline int ft_path_is_pseudo(const char *abs, size_t len)
{
	if (ft_pseudo_under(abs, len, "/proc", 5) || ft_pseudo_under(abs, len, "/sys", 4))
		return 1;
	return ft_pseudo_under(abs, len, "/dev", 4) && !ft_pseudo_under(abs, len, "/dev/shm", 8);
}

/* Is abs[0..len) a process's environment as the kernel shows it:
 * /proc/(self|thread-self|<pid>)[/task/<tid>]/environ?  Reading it reads
 * every variable at once, where no getenv hook sees it (`cat
 * /proc/self/environ`, a library that parses it): ingest takes any access
 * of it as a read of the whole environment (ft_collect.c). */
static inline int ft_path_is_environ(const char *abs, size_t len)
{
	size_t i = 6, d;

	if (len < 6 + 8 || memcmp(abs, "/proc/", 6) || memcmp(abs + len - 8, "/environ", 8))
		return 0;
	len -= 8;
	if (len - i == 4 && !memcmp(abs + i, "self", 4))
		return 1;
	if (len - i == 11 && !memcmp(abs + i, "thread-self", 11))
		return 1;
	for (d = i; d < len && abs[d] >= '0' && abs[d] <= '9'; d++)
		;
	if (d == i)
		return 0;
	if (d == len)
		return 1;
	/* <pid>/task/<tid> */
	if (len - d < 7 || memcmp(abs + d, "/task/", 6))
		return 0;
	for (i = d + 6; i < len && abs[i] >= '0' && abs[i] <= '9'; i++)
		;
	return i == len && i > d + 6;
}

/* What both back ends drop as they record: a pseudo path, but for a
 * process's environment, which ingest makes an environment read. */
static inline int ft_path_dropped(const char *abs, size_t len)
{
	return ft_path_is_pseudo(abs, len) && !ft_path_is_environ(abs, len);
}

#endif
