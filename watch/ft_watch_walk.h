/*
 * ft_watch_walk.h - resolve a recorded path the way the kernel does,
 * component by component and through symbolic links, placing an inotify
 * watch on every directory it reads before reading it, and recording in a
 * ft_watch_set which (directory, entry) keys the path depends on
 * (docs/watch.md "Placing the watches").
 *
 * Placing each watch before looking inside the directory is what makes the
 * later cold check sound: any change made after the look raises an event.
 *
 * A path that cannot be watched soundly is marked stuck (always dirty,
 * stat'ed on every query): a directory on a file system where inotify does
 * not see every writer (NFS, SMB/CIFS, FUSE, 9p, Ceph, AFS, ...) or no
 * event at all (proc, sysfs, cgroup, ...), a directory that could not be
 * watched for another reason, a lookup error other than "absent", a loop
 * of links, a file with more than one hard link (a write through its
 * other name, in a directory nobody watches, would raise no event here).
 * Running out of watches (ENOSPC: fs.inotify.max_user_watches,
 * or the test-only cap) is not local: `limit` is set and the daemon falls
 * back whole (ft_watch_daemon.c).
 *
 * Errors: 0, or -ENOMEM.  Not thread-safe.
 */
#ifndef FT_WATCH_WALK_H
#define FT_WATCH_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "ft_watch_set.h"

/* The events that can change what a path resolves to or holds. */
#define FT_WATCH_MASK (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | \
		       IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

struct ft_watch_walker {
	int ifd;                  /* the inotify descriptor */
	size_t max;               /* 0: no cap; else fail as ENOSPC past it (tests) */
	size_t placed;            /* watches placed */
	int limit;                /* ENOSPC seen */
	char limit_dir[256];      /* where (for the message) */
	size_t stuck_fs;          /* directories on an unwatchable file system */
	/* Each key is looked up once per baseline (lstat, readlink): its
	 * directory was watched before that look, so a later change is an
	 * event, and the next path through it may reuse the result. */
	uint8_t *seen;            /* per key index: 0, or what the look found */
	char **target;            /* per key index: a link's target */
	size_t cap_seen;
};

/* Free the lookup memo (not the inotify descriptor). */
void ft_watch_walker_release(struct ft_watch_walker *w);

/* Walk `path` (absolute) for the set's path index `idx`. */
int ft_watch_walk(struct ft_watch_set *ws, struct ft_watch_walker *w, uint32_t idx, const char *path);

/* 1 when a file system of this statfs f_type does not raise inotify
 * events for every change (network, FUSE, pseudo file systems). */
int ft_watch_fs_unwatchable(long f_type);

#endif
