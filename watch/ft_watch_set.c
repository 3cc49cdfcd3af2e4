/*
 * ft_watch_set.c - the dirty-set bookkeeping (contract in ft_watch_set.h).
 *
 * Lists of paths (per key, per directory's inside) are singly linked
 * through two parallel edge arrays, so adding a dependency is O(1) and an
 * event walks exactly the paths it can touch.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>

#include "ft_vec.h"
#include "ft_watch_set.h"

#define NONE UINT32_MAX

void ft_watch_set_release(struct ft_watch_set *ws)
{
	ft_map_release(&ws->paths);
	ft_map_release(&ws->dirs);
	ft_map_release(&ws->keys);
	free(ws->dirty);
	free(ws->trigger);
	free(ws->dir_wd);
	free(ws->dir_inside);
	free(ws->key_dir);
	free(ws->key_head);
	free(ws->edge_path);
	free(ws->edge_next);
	free(ws->wd_dir);
	free(ws->wd_multi);
	memset(ws, 0, sizeof(*ws));
}

/* Grow a per-index array to hold index `i` (new elements zeroed). */
static int fit(void **a, size_t *cap, size_t i, size_t elem)
{
	size_t ncap = *cap ? *cap : 64;
	void *n;

	if (i < *cap)
		return 0;
	while (ncap <= i)
		ncap *= 2;
	if (!(n = realloc(*a, ncap * elem)))
		return -ENOMEM;
	memset((char *)n + *cap * elem, 0, (ncap - *cap) * elem);
	*a = n;
	*cap = ncap;
	return 0;
}

int ft_watch_set_path(struct ft_watch_set *ws, const char *path, uint32_t *idx)
{
	int added, rc;

	size_t cap = ws->cap_dirty;

	if ((rc = ft_map_intern(&ws->paths, path, strlen(path), idx, &added)) < 0)
		return rc;
	/* dirty and trigger share cap_dirty: grow them together */
	if ((rc = fit((void **)&ws->dirty, &cap, *idx, 1)) < 0)
		return rc;
	cap = ws->cap_dirty;
	if ((rc = fit((void **)&ws->trigger, &cap, *idx, 1)) < 0)
		return rc;
	ws->cap_dirty = cap;
	return 0;
}

void ft_watch_set_trigger(struct ft_watch_set *ws, uint32_t path)
{
	if (path < ws->paths.count)
		ws->trigger[path] = 1;
}

int ft_watch_set_dir(struct ft_watch_set *ws, const char *dir, uint32_t *idx, int *added)
{
	size_t cap = ws->cap_dirs;
	int rc;

	if ((rc = ft_map_intern(&ws->dirs, dir, strlen(dir), idx, added)) < 0)
		return rc;
	if (!*added)
		return 0;
	/* the three arrays share cap_dirs: grow them together */
	if ((rc = fit((void **)&ws->dir_wd, &cap, *idx, sizeof(int))) < 0)
		return rc;
	cap = ws->cap_dirs;
	if ((rc = fit((void **)&ws->dir_inside, &cap, *idx, sizeof(uint32_t))) < 0)
		return rc;
	ws->cap_dirs = cap;
	ws->dir_wd[*idx] = -1;
	ws->dir_inside[*idx] = NONE;
	return 0;
}

int ft_watch_set_wd(struct ft_watch_set *ws, uint32_t dir, int wd)
{
	int rc;

	if (wd < 0)
		return -EINVAL;
	size_t cap = ws->cap_wd;

	if ((rc = fit((void **)&ws->wd_dir, &cap, (size_t)wd, sizeof(uint32_t))) < 0)
		return rc;
	cap = ws->cap_wd;
	if ((rc = fit((void **)&ws->wd_multi, &cap, (size_t)wd, 1)) < 0)
		return rc;
	ws->cap_wd = cap;
	/* inotify returns the same wd for a second name of one directory (a
	 * symlink to it, a bind mount): events then go to every name */
	if (ws->wd_dir[wd] && ws->wd_dir[wd] - 1 != dir)
		ws->wd_multi[wd] = 1;
	ws->dir_wd[dir] = wd;
	if (!ws->wd_dir[wd])
		ws->wd_dir[wd] = dir + 1;
	return 0;
}

static int edge_push(struct ft_watch_set *ws, uint32_t *head, uint32_t path)
{
	uint32_t *np, *nn;
	size_t cap = ws->cap_edges;

	/* a walk pushes one path's keys in a row: a repeat is at the head
	 * (one further back, through a link, only costs a second mark) */
	if (*head != NONE && ws->edge_path[*head] == path)
		return 0;
	if (ws->nedges >= NONE - 1)
		return -ENOMEM;
	if (!(np = ft_vec_grow(ws->edge_path, &cap, ws->nedges, sizeof(*np), 256)))
		return -ENOMEM;
	ws->edge_path = np;
	cap = ws->cap_edges;
	if (!(nn = ft_vec_grow(ws->edge_next, &cap, ws->nedges, sizeof(*nn), 256)))
		return -ENOMEM;
	ws->edge_next = nn;
	ws->cap_edges = cap;
	ws->edge_path[ws->nedges] = path;
	ws->edge_next[ws->nedges] = *head;
	*head = (uint32_t)ws->nedges++;
	return 0;
}

int ft_watch_set_key(struct ft_watch_set *ws, uint32_t dir, const char *name, uint32_t path)
{
	size_t dlen, nlen = strlen(name);
	const char *d = ft_map_key(&ws->dirs, dir, &dlen);
	char *key = malloc(dlen + nlen + 2);
	uint32_t k;
	size_t cap;
	int added, rc;

	if (!key)
		return -ENOMEM;
	/* "/" + "usr" is "/usr", not "//usr" */
	if (dlen == 1 && d[0] == '/')
		dlen = 0;
	memcpy(key, d, dlen);
	key[dlen] = '/';
	memcpy(key + dlen + 1, name, nlen + 1);
	rc = ft_map_intern(&ws->keys, key, dlen + 1 + nlen, &k, &added);
	free(key);
	if (rc < 0)
		return rc;
	if (k > INT32_MAX)
		return -ENOMEM;
	if (added) {
		cap = ws->cap_keys;
		if ((rc = fit((void **)&ws->key_dir, &cap, k, sizeof(uint32_t))) < 0)
			return rc;
		cap = ws->cap_keys;
		if ((rc = fit((void **)&ws->key_head, &cap, k, sizeof(uint32_t))) < 0)
			return rc;
		ws->cap_keys = cap;
		ws->key_dir[k] = dir;
		ws->key_head[k] = NONE;
	}
	rc = edge_push(ws, &ws->key_head[k], path);
	return rc < 0 ? rc : (int)k;
}

int ft_watch_set_inside(struct ft_watch_set *ws, uint32_t dir, uint32_t path)
{
	return edge_push(ws, &ws->dir_inside[dir], path);
}

void ft_watch_set_mark(struct ft_watch_set *ws, uint32_t path, int stuck)
{
	if (path >= ws->paths.count)
		return;
	if (!ws->dirty[path])
		ws->ndirty++;
	if (stuck && ws->dirty[path] != 2) {
		ws->dirty[path] = 2;
		ws->nstuck++;
	} else if (!ws->dirty[path]) {
		ws->dirty[path] = 1;
	}
}

void ft_watch_set_mark_all(struct ft_watch_set *ws)
{
	for (uint32_t i = 0; i < ws->paths.count; i++)
		ft_watch_set_mark(ws, i, 0);
}

static void mark_list(struct ft_watch_set *ws, uint32_t head)
{
	for (uint32_t e = head; e != NONE; e = ws->edge_next[e]) {
		ft_watch_set_mark(ws, ws->edge_path[e], 0);
		ws->hits += ws->trigger[ws->edge_path[e]];
	}
}

/* Every path that depends on directory `dir` in any way: its inside list
 * and the lists of all its keys (rare: a watch was lost). */
static void mark_dir(struct ft_watch_set *ws, uint32_t dir)
{
	mark_list(ws, ws->dir_inside[dir]);
	for (uint32_t k = 0; k < ws->keys.count; k++)
		if (ws->key_dir[k] == dir)
			mark_list(ws, ws->key_head[k]);
}

/* Apply an event of directory `dir`'s watch to the paths depending on it. */
static void event_dir(struct ft_watch_set *ws, uint32_t dir, uint32_t mask, const char *name)
{
	uint32_t k;
	size_t dlen;
	const char *d;
	char *key;

	if (mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)) {
		mark_dir(ws, dir);
		return;
	}
	mark_list(ws, ws->dir_inside[dir]);
	if (!name || !*name)
		return;
	d = ft_map_key(&ws->dirs, dir, &dlen);
	if (dlen == 1 && d[0] == '/')
		dlen = 0;
	if (!(key = malloc(dlen + strlen(name) + 2))) {
		mark_dir(ws, dir); /* cannot look it up: everything it may touch */
		return;
	}
	memcpy(key, d, dlen);
	key[dlen] = '/';
	strcpy(key + dlen + 1, name);
	if (ft_map_get(&ws->keys, key, strlen(key), &k))
		mark_list(ws, ws->key_head[k]);
	free(key);
}

int ft_watch_set_event(struct ft_watch_set *ws, int wd, uint32_t mask, const char *name)
{
	ws->hits = 0;
	if (mask & IN_Q_OVERFLOW) {
		ft_watch_set_mark_all(ws);
		return 1;
	}
	if (wd < 0 || (size_t)wd >= ws->cap_wd || !ws->wd_dir[wd])
		return 0;
	/* A directory reached under two names has one wd: apply the event to
	 * every directory carrying it. */
	if (ws->wd_multi[wd])
		for (uint32_t d = 0; d < ws->dirs.count; d++)
			if (ws->dir_wd[d] == wd && ws->wd_dir[wd] - 1 != d)
				event_dir(ws, d, mask, name);
	event_dir(ws, ws->wd_dir[wd] - 1, mask, name);
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ft_watch_set_list(const struct ft_watch_set *ws, char ***out, size_t *n)
{
	char **v = malloc((ws->ndirty ? ws->ndirty : 1) * sizeof(*v));
	size_t k = 0, len;

	if (!v)
		return -ENOMEM;
	for (uint32_t i = 0; i < ws->paths.count; i++) {
		if (!ws->dirty[i])
			continue;
		if (!(v[k] = strdup(ft_map_key(&ws->paths, i, &len)))) {
			while (k)
				free(v[--k]);
			free(v);
			return -ENOMEM;
		}
		k++;
	}
	qsort(v, k, sizeof(*v), str_cmp);
	*out = v;
	*n = k;
	return 0;
}
