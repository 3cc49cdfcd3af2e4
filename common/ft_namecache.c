/*
 * ft_namecache.c - names found in files, scanned once (ft_namecache.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ft_file.h"
#include "ft_namecache.h"

struct namebuf {
	char *b;
	size_t n, cap;
};

/* Keep a name: its bytes and a NUL. */
static int keep_name(void *arg, const char *name, size_t len)
{
	struct namebuf *nb = arg;

	if (nb->n + len + 1 > nb->cap) {
		size_t cap = nb->cap ? nb->cap * 2 : 256;
		char *b;
		while (cap < nb->n + len + 1)
			cap *= 2;
		if (!(b = realloc(nb->b, cap)))
			return -ENOMEM;
		nb->b = b;
		nb->cap = cap;
	}
	memcpy(nb->b + nb->n, name, len);
	nb->b[nb->n + len] = '\0';
	nb->n += len + 1;
	return 0;
}

static int grow(struct ft_namecache *c, size_t idx)
{
	size_t cap = c->cap ? c->cap * 2 : 64;
	char **nv;
	size_t *nl;

	if (idx < c->cap)
		return 0;
	while (cap <= idx)
		cap *= 2;
	if (!(nv = realloc(c->names, cap * sizeof(*nv))))
		return -ENOMEM;
	c->names = nv;
	if (!(nl = realloc(c->len, cap * sizeof(*nl))))
		return -ENOMEM;
	c->len = nl;
	memset(c->names + c->cap, 0, (cap - c->cap) * sizeof(*nv));
	memset(c->len + c->cap, 0, (cap - c->cap) * sizeof(*nl));
	c->cap = cap;
	return 0;
}

long ft_namecache_file(struct ft_namecache *c, const char *path, size_t len, size_t max,
		       const char *over,
		       int (*scan)(void *sarg, const char *text, size_t len, ft_name_fn keep, void *kept),
		       void *sarg)
{
	struct namebuf nb = { 0 };
	struct stat sb;
	uint32_t idx;
	char *p;
	int added, rc, fd;

	if ((rc = ft_map_intern(&c->files, path, len, &idx, &added)) < 0)
		return rc;
	if (!added)
		return idx;
	if ((rc = grow(c, idx)) < 0 || !(p = strndup(path, len)))
		return rc < 0 ? rc : -ENOMEM;
	fd = ft_file_open(AT_FDCWD, p, FT_FILE_FOLLOW, &sb);
	free(p);
	if ((fd == -ENOENT || fd == -ENOTDIR) && over) {
		if ((rc = keep_name(&nb, over, strlen(over))) < 0)
			return rc;
	} else if (fd >= 0) {
		char *buf = NULL;
		size_t got = 0;
		rc = 0;
		if ((size_t)sb.st_size <= max) {
			rc = ft_file_read_fd(fd, (size_t)sb.st_size, &buf, &got);
			if (rc == 0 && !(got >= 4 && !memcmp(buf, "\177ELF", 4)))
				rc = scan(sarg, buf, got, keep_name, &nb);
		} else if (over) {
			char head[4];
			if (read(fd, head, sizeof(head)) != (ssize_t)sizeof(head) ||
			    memcmp(head, "\177ELF", 4))
				rc = keep_name(&nb, over, strlen(over));
		}
		free(buf);
		close(fd);
		if (rc == -ENOMEM) {
			free(nb.b);
			return rc;
		}
	}
	c->names[idx] = nb.b;
	c->len[idx] = nb.n;
	return idx;
}

int ft_namecache_each(const struct ft_namecache *c, long idx, ft_name_fn fn, void *arg)
{
	int rc = 0;

	if (idx < 0 || (size_t)idx >= c->cap)
		return 0;
	for (size_t at = 0; rc >= 0 && at < c->len[idx];) {
		size_t n = strlen(c->names[idx] + at);
		rc = fn(arg, c->names[idx] + at, n);
		at += n + 1;
	}
	return rc;
}

void ft_namecache_release(struct ft_namecache *c)
{
	for (size_t i = 0; i < c->cap; i++)
		free(c->names[i]);
	free(c->names);
	free(c->len);
	ft_map_release(&c->files);
	*c = (struct ft_namecache)FT_NAMECACHE_INIT;
}
