/*
 * ft_pseudo.h - which paths are no files at all: the kernel's views of
 * processes, devices and itself (/proc, /sys, /dev).  Both back ends drop
 * them as they record, and ingest drops them again from any record.
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

#endif
