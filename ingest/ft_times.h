/*
 * ft_times.h - may a file whose only change in the run was a utime keep
 * the state its readers saw?
 *
 * A utime (touch, os.utime) moves a file's ctime, so ingest sees a file
 * changed during the run, and with no recorded write to explain it, its
 * readers were unknown on every run.  The utime also erases the trace an
 * unrecorded write (an outside process, an untraced one) leaves in the
 * inode, so the utime record alone proves nothing.  The preload's libc
 * hooks record each call's stat just before and just after it
 * (FT_REC_TIMES); this judges that evidence.  The argument and the case
 * that breaks each weaker rule: docs/racy-stat.md, "A run's own utime".
 *
 * Functions of the collected records, one stat and, for a file with
 * evidence, its content (read once); no allocation.
 */
#ifndef FT_TIMES_H
#define FT_TIMES_H

#include <stdint.h>
#include <sys/stat.h>

#include "ft_collect.h"

/* 1 when every process of the run was traced and no record was lost: no
 * process could have changed a file without a record of it. */
int ft_times_run_whole(const struct ft_collect *c);

/*
 * 1 when the run's changes of path (an index of c->paths, named p) since
 * t0_ns are exactly the utimes whose evidence c holds, and sb (a stat of
 * it now) is what the last of them left: the evidence chains, in record
 * time order, from a stat older than t0_ns to sb, on one regular file of
 * one size and mode; no link of it leaves mtime == ctime (a write in that
 * same clock tick would not show); and the content before each call, and
 * the content of p now (read here, at most FT_TIMES_HASH_MAX bytes), hash
 * alike.  The caller checks that the run is whole and that no record
 * shows a write of the path.
 */
int ft_times_only(const struct ft_collect *c, uint32_t path, const char *p, const struct stat *sb,
		  int64_t t0_ns);

#endif
