/*
 * ft_procpath.h - the last step of rewriting a process-relative path
 * (/proc/self/cwd/f, /proc/<pid>/fd/N/f, /dev/fd/N/f: see ft_path.h's
 * ft_path_is_proc_relative) to the place it names.
 *
 * Each back end finds the magic link in its own way and reads it (the
 * preload: its own /proc/self/..., with the real readlink; the ptrace
 * tracer: the tracee's /proc/<pid>/...); what it then does with the link's
 * target is this one rule, so that both record the same path (ft_record.h).
 *
 * Pure (memmove and memcpy only), allocation-free and async-signal-safe:
 * header-only so the preload needs no extra object.  Ownership: the
 * caller's buffers.
 */
#ifndef FT_PROCPATH_H
#define FT_PROCPATH_H

#include <stddef.h>
#include <string.h>

#include "ft_record.h"

/* buf (len bytes, NUL-terminated, size bytes of room) starts with a magic
 * link's name, pl bytes; tgt holds readlink's result for it, n bytes (as
 * readlink returned, not NUL-terminated) of a tgtsize-byte buffer.  Replace
 * the name by the target and return the new length; or return len and
 * leave buf alone when the target is no path (n <= 0, or not absolute: a
 * pipe, a socket), may be truncated (n fills tgt), or the result would not
 * fit (size, FT_PATH_MAX) or be empty.  A target of "/" adds nothing
 * before the rest ("/" + "/rest" is "/rest"). */
static inline size_t ft__proc_splice(char *buf, size_t len, size_t size, size_t pl, const char *tgt,
				     long n, size_t tgtsize)
{
	size_t rl;

	if (n <= 0 || tgt[0] != '/' || (size_t)n >= tgtsize - 1)
		return len;
	if (n == 1)
		n = 0;
	rl = len - pl;
	if ((size_t)n + rl + 1 > size || (size_t)n + rl >= FT_PATH_MAX || (!n && !rl))
		return len;
	memmove(buf + n, buf + pl, rl + 1);
	memcpy(buf, tgt, (size_t)n);
	return (size_t)n + rl;
}

#endif
