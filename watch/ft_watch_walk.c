/*
 * ft_watch_walk.c - the path walk that places the watches (contract in
 * ft_watch_walk.h).
 *
 * Why walk every component from "/" and not just watch the file's
 * directory: `mv repo repo.old; mkdir -p repo/src; echo x > repo/src/a.py`
 * raises no event in the old src's watch (it followed the inode), only in
 * the watch of the directory holding "repo".  And a symlink's target can
 * change below any of its own ancestors, so links are followed with their
 * targets walked the same way.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "ft_watch_walk.h"

#define FT_WATCH_HOPS 40 /* the kernel's own bound on links in one lookup */

int ft_watch_fs_unwatchable(long f_type)
{
	static const unsigned long types[] = {
		0x6969,     /* NFS */
		0x517B,     /* SMB */
		0xFF534D42, /* CIFS */
		0xFE534D42, /* SMB2 */
		0x65735546, /* FUSE */
		0x01021997, /* 9p */
		0x00C36400, /* Ceph */
		0x5346414F, /* AFS */
		0x6B414653, /* kAFS */
		0x73757245, /* Coda */
		0x7461636F, /* OCFS2 */
		0x01161970, /* GFS2 */
		0x0BD00BD0, /* Lustre */
		0x9FA0,     /* proc */
		0x62656572, /* sysfs */
		0x27E0EB,   /* cgroup */
		0x63677270, /* cgroup2 */
		0x64626720, /* debugfs */
		0x74726163, /* tracefs */
		0x73636673, /* securityfs */
		0xCAFE4A11, /* bpf */
		0x62656570, /* configfs */
		0xDE5E81E4, /* efivarfs */
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if ((unsigned long)(unsigned int)f_type == types[i])
			return 1;
	return 0;
}

/* Intern directory `dir` and, the first time, place its watch.  *ok 1
 * when it is watched. */
static int watch_dir(struct ft_watch_set *ws, struct ft_watch_walker *w, const char *dir,
		     uint32_t *d, int *ok)
{
	struct statfs sf;
	int added, rc, wd;

	if ((rc = ft_watch_set_dir(ws, dir, d, &added)) < 0)
		return rc;
	if (added) {
		if (statfs(dir, &sf) == 0 && ft_watch_fs_unwatchable((long)sf.f_type)) {
			ws->dir_wd[*d] = -2;
			w->stuck_fs++;
		} else if (w->max && w->placed >= w->max) {
			wd = -1;
			errno = ENOSPC;
			goto failed;
		} else if ((wd = inotify_add_watch(w->ifd, dir, FT_WATCH_MASK | IN_DONT_FOLLOW)) < 0) {
failed:
			if (errno == ENOSPC && !w->limit) {
				w->limit = 1;
				strncpy(w->limit_dir, dir, sizeof(w->limit_dir) - 1);
			}
			ws->dir_wd[*d] = -3;
		} else {
			w->placed++;
			if ((rc = ft_watch_set_wd(ws, *d, wd)) < 0)
				return rc;
		}
	}
	*ok = ws->dir_wd[*d] >= 0;
	return 0;
}

enum { SEEN_ABSENT = 1, SEEN_ERROR, SEEN_LINK, SEEN_DIR, SEEN_FILE, SEEN_SHARED };

void ft_watch_walker_release(struct ft_watch_walker *w)
{
	for (size_t i = 0; i < w->cap_seen; i++)
		free(w->target[i]);
	free(w->target);
	free(w->seen);
	w->target = NULL;
	w->seen = NULL;
	w->cap_seen = 0;
}

/* What entry `child` (key k) is: looked up the first time only. */
static int look(struct ft_watch_walker *w, int k, const char *child, const char **target)
{
	struct stat sb;
	char link[PATH_MAX];
	ssize_t n;

	if ((size_t)k >= w->cap_seen) {
		size_t cap = w->cap_seen ? w->cap_seen : 1024;
		uint8_t *s;
		char **t;
		while (cap <= (size_t)k)
			cap *= 2;
		if (!(s = realloc(w->seen, cap)))
			return -ENOMEM;
		w->seen = s;
		if (!(t = realloc(w->target, cap * sizeof(*t))))
			return -ENOMEM;
		w->target = t;
		memset(s + w->cap_seen, 0, cap - w->cap_seen);
		memset(t + w->cap_seen, 0, (cap - w->cap_seen) * sizeof(*t));
		w->cap_seen = cap;
	}
	if (!w->seen[k]) {
		if (lstat(child, &sb) < 0)
			w->seen[k] = errno == ENOENT || errno == ENOTDIR ? SEEN_ABSENT : SEEN_ERROR;
		else if (S_ISLNK(sb.st_mode)) {
			n = readlink(child, link, sizeof(link) - 1);
			if (n <= 0) {
				w->seen[k] = SEEN_ERROR;
			} else {
				link[n] = '\0';
				if (!(w->target[k] = strdup(link)))
					return -ENOMEM;
				w->seen[k] = SEEN_LINK;
			}
		} else if (S_ISDIR(sb.st_mode))
			w->seen[k] = SEEN_DIR;
		else
			/* another name of this file may be written in a
			 * directory no watch covers: checked every time */
			w->seen[k] = sb.st_nlink > 1 ? SEEN_SHARED : SEEN_FILE;
	}
	*target = w->target[k];
	return w->seen[k];
}

/* Drop the last component of the real directory `cur` (".."). */
static void up(char *cur)
{
	char *s = strrchr(cur, '/');

	if (s && s != cur)
		*s = '\0';
	else
		strcpy(cur, "/");
}

int ft_watch_walk(struct ft_watch_set *ws, struct ft_watch_walker *w, uint32_t idx, const char *path)
{
	char cur[PATH_MAX], rest[PATH_MAX], child[PATH_MAX];
	const char *target;
	size_t pos = 0;
	int hops = 0, rc, ok, isdir = 1, k;
	uint32_t d;

	if (path[0] != '/' || strlen(path) >= sizeof(rest))
		goto stuck;
	strcpy(rest, path);
	strcpy(cur, "/");
	if ((rc = watch_dir(ws, w, cur, &d, &ok)) < 0)
		return rc;
	if (!ok)
		goto stuck;
	for (;;) {
		char *c = rest + pos, *end;
		size_t clen, used;

		while (*c == '/')
			c++;
		if (!*c)
			break;
		end = strchr(c, '/');
		clen = end ? (size_t)(end - c) : strlen(c);
		pos = (size_t)(c - rest) + clen;
		if (!isdir)
			return 0; /* "file/x": ENOTDIR, decided by the file's key */
		if (clen == 1 && c[0] == '.')
			continue;
		if (clen == 2 && c[0] == '.' && c[1] == '.') {
			up(cur);
			if ((rc = watch_dir(ws, w, cur, &d, &ok)) < 0)
				return rc;
			if (!ok)
				goto stuck;
			continue;
		}
		used = strlen(cur);
		if (used + 1 + clen >= sizeof(child))
			goto stuck;
		memcpy(child, cur, used);
		if (used > 1)
			child[used++] = '/';
		memcpy(child + used, c, clen);
		child[used + clen] = '\0';
		if ((k = ft_watch_set_key(ws, d, child + used, idx)) < 0)
			return k;
		switch ((rc = look(w, k, child, &target))) {
		case SEEN_ABSENT:
			return 0; /* creating it is an event on this key */
		case SEEN_LINK: {
			size_t n = strlen(target), more = strlen(rest + pos);
			if (++hops > FT_WATCH_HOPS || n + more + 2 > sizeof(rest))
				goto stuck;
			/* the rest of the walk: the target, then what followed the link */
			memmove(rest + n + 1, rest + pos, more + 1);
			memcpy(rest, target, n);
			rest[n] = '/';
			pos = 0;
			if (target[0] == '/') {
				strcpy(cur, "/");
				if ((rc = watch_dir(ws, w, cur, &d, &ok)) < 0)
					return rc;
				if (!ok)
					goto stuck;
			}
			continue;
		}
		case SEEN_DIR:
			strcpy(cur, child);
			if ((rc = watch_dir(ws, w, cur, &d, &ok)) < 0)
				return rc;
			if (!ok)
				goto stuck;
			continue;
		case SEEN_SHARED:
			ft_watch_set_mark(ws, idx, 1);
			isdir = 0;
			continue;
		case SEEN_FILE:
			isdir = 0;
			continue;
		default:
			if (rc < 0)
				return rc;
			goto stuck;
		}
	}
	/* a directory: its listing is every entry's business */
	if (isdir)
		return ft_watch_set_inside(ws, d, idx);
	return 0;
stuck:
	ft_watch_set_mark(ws, idx, 1);
	return 0;
}
