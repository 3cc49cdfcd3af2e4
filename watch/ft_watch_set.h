/*
 * ft_watch_set.h - the watch daemon's bookkeeping: which recorded paths an
 * inotify event can have changed (docs/watch.md "The dirty set").
 *
 * Pure: no system calls, so the rules are unit-tested (test_watch_set.c).
 *
 * The model.  Resolving a recorded path walks directory entries: "/" then
 * "usr", "/usr" then "lib", ... following symbolic links wherever they
 * lead.  Each step reads one entry `name` of one directory `dir`; an event
 * that names that entry (created, deleted, renamed, written, chmod'ed) can
 * change what the path resolves to or what it holds, so the path depends
 * on the key (dir, name) (ft_watch_set_key).  A path that resolves to a
 * directory also depends on every entry inside it, for its listing
 * (ft_watch_set_inside).  The walker (ft_watch_walk.c) records these while
 * it places one watch per directory (ft_watch_set_dir, _wd).
 *
 * An event (wd, name) marks dirty every path of key (dir(wd), name) and
 * every path inside dir(wd); a lost watch (IN_IGNORED, IN_DELETE_SELF,
 * IN_MOVE_SELF, IN_UNMOUNT) marks every path that depends on the directory
 * in any way.  Dirty is monotonic: a path stays dirty until the next
 * baseline builds a new set.  So a path whose entries are created later
 * (a file appearing where a lookup found nothing, below a directory that
 * did not exist) is covered by the event on its nearest existing ancestor,
 * and needs no new watch.  A path can also be "stuck" (always dirty): one
 * the walker could not watch soundly (a network file system, an error).
 *
 * Ownership: the set owns copies of every string.  Errors: -ENOMEM.  Not
 * thread-safe.
 */
#ifndef FT_WATCH_SET_H
#define FT_WATCH_SET_H

#include <stddef.h>
#include <stdint.h>

#include "ft_map.h"

struct ft_watch_set {
	struct ft_map paths;      /* recorded path -> index */
	uint8_t *dirty;           /* per path: 0, 1 dirty, 2 stuck */
	uint8_t *trigger;         /* per path: 1 a build trigger (ft_watch_set_trigger) */
	size_t cap_dirty;         /* of dirty and trigger */
	size_t hits;              /* trigger paths the last event reached */
	size_t ndirty, nstuck;
	struct ft_map dirs;       /* directory -> index */
	int *dir_wd;              /* per directory: its watch, -1 none */
	uint32_t *dir_inside;     /* per directory: first edge of its inside list */
	size_t cap_dirs;
	struct ft_map keys;       /* "dir/name" -> index */
	uint32_t *key_dir;        /* per key: its directory */
	uint32_t *key_head;       /* per key: first edge */
	size_t cap_keys;
	uint32_t *edge_path, *edge_next; /* lists of paths; UINT32_MAX ends */
	size_t nedges, cap_edges;
	uint32_t *wd_dir;         /* by watch descriptor: directory + 1, 0 none */
	uint8_t *wd_multi;        /* by watch descriptor: more than one directory */
	size_t cap_wd;
};

#define FT_WATCH_SET_INIT { 0 }

void ft_watch_set_release(struct ft_watch_set *ws);

/* Intern a recorded path: *idx its index.  0 or -ENOMEM. */
int ft_watch_set_path(struct ft_watch_set *ws, const char *path, uint32_t *idx);

/* Intern a directory (absolute, no trailing '/' except "/" itself): *idx,
 * *added 1 when new (the caller then places its watch).  0 or -ENOMEM. */
int ft_watch_set_dir(struct ft_watch_set *ws, const char *dir, uint32_t *idx, int *added);

/* The watch placed on directory `dir` (wd >= 0).  0 or -ENOMEM. */
int ft_watch_set_wd(struct ft_watch_set *ws, uint32_t dir, int wd);

/* Path `path` depends on the entry `name` of directory `dir`: the key's
 * index (>= 0, dense: 0, 1, 2, ...), or -ENOMEM. */
int ft_watch_set_key(struct ft_watch_set *ws, uint32_t dir, const char *name, uint32_t path);

/* Path `path` depends on every entry of directory `dir`.  0, -ENOMEM. */
int ft_watch_set_inside(struct ft_watch_set *ws, uint32_t dir, uint32_t path);

/* Make a path a build trigger (docs/watch.md "Build on change": a
 * recorded path inside the repository).  After each ft_watch_set_event,
 * ws->hits counts the trigger paths the event can have changed (0 for an
 * overflow: the caller knows it from the return value). */
void ft_watch_set_trigger(struct ft_watch_set *ws, uint32_t path);

/* Mark a path dirty (stuck: for good, it cannot be watched soundly). */
void ft_watch_set_mark(struct ft_watch_set *ws, uint32_t path, int stuck);

/* Every path dirty: the answer after a lost event. */
void ft_watch_set_mark_all(struct ft_watch_set *ws);

/* Apply one inotify event (mask bits of <sys/inotify.h>; name NULL or ""
 * for an event on the directory itself).  Returns 1 when the event says
 * events were lost (IN_Q_OVERFLOW): the caller must build a new baseline;
 * else 0.  An unknown wd is ignored (a watch from before the baseline). */
int ft_watch_set_event(struct ft_watch_set *ws, int wd, uint32_t mask, const char *name);

/* The dirty paths, sorted by strcmp: *out is a malloc'd array of n
 * malloc'd strings (ft_select_dirty's layout).  0 or -ENOMEM. */
int ft_watch_set_list(const struct ft_watch_set *ws, char ***out, size_t *n);

static inline size_t ft_watch_set_npaths(const struct ft_watch_set *ws)
{
	return ws->paths.count;
}

#endif
