/*
 * ft_times.c - see ft_times.h.
 */
#include <fcntl.h>
#include <unistd.h>

#include "ft_times.h"

static int64_t ns(struct timespec ts)
{
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int ft_times_run_whole(const struct ft_collect *c)
{
	if (c->prelude_untraced || c->lost || c->damaged || c->unrecorded || c->refused)
		return 0;
	for (uint32_t i = 0; i < c->ctx_ids.count; i++)
		if (c->ctx[i].untraced)
			return 0;
	return 1;
}

/* The evidence of path recorded first after time `after`, or NULL; two
 * records at the same time cannot be ordered (*tie). */
static const struct ft_times_rec *next_after(const struct ft_collect *c, uint32_t path,
					     uint64_t after, int *tie)
{
	const struct ft_times_rec *best = NULL;

	for (size_t i = 0; i < c->ntimes; i++) {
		const struct ft_times_rec *r = &c->times[i];
		if (r->path != path || r->t <= after)
			continue;
		if (best && r->t == best->t)
			*tie = 1;
		if (!best || r->t < best->t)
			best = r;
	}
	return best;
}

/* Does the content of p, still the file sb describes, hash to h? */
static int content_is(const char *p, const struct stat *sb, uint64_t h)
{
	char buf[65536];
	struct stat fsb;
	uint64_t now = FT_TIMES_HASH_INIT, off = 0;
	ssize_t n;
	int fd, same = 0;

	if ((uint64_t)sb->st_size > FT_TIMES_HASH_MAX)
		return 0;
	fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &fsb) == 0 && S_ISREG(fsb.st_mode) && fsb.st_dev == sb->st_dev &&
	    fsb.st_ino == sb->st_ino) {
		while (off <= (uint64_t)sb->st_size && (n = read(fd, buf, sizeof(buf))) > 0) {
			now = ft_times_hash(now, buf, (uint64_t)n);
			off += (uint64_t)n;
		}
		same = off == (uint64_t)sb->st_size && now == h;
	}
	close(fd);
	return same;
}

int ft_times_only(const struct ft_collect *c, uint32_t path, const char *p, const struct stat *sb,
		  int64_t t0_ns)
{
	const struct ft_times_rec *r, *prev = NULL;
	uint64_t after = 0;
	int tie = 0;

	if (!S_ISREG(sb->st_mode))
		return 0;
	while ((r = next_after(c, path, after, &tie))) {
		const struct ft_times *v = &r->v;

		if (tie)
			return 0;
		/* one inode, one size, one mode throughout */
		if (v->dev != (uint64_t)sb->st_dev || v->ino != (uint64_t)sb->st_ino ||
		    v->size != (int64_t)sb->st_size || v->mode != (uint32_t)sb->st_mode)
			return 0;
		/* the first: untouched from before the run up to it (as
		 * modified_since: a change at or after t0 shows in ctime) */
		if (!prev && (v->pre_mtime_ns >= t0_ns || v->pre_ctime_ns >= t0_ns))
			return 0;
		/* the next: nothing between the two (a change moves ctime) */
		if (prev && (v->pre_mtime_ns != prev->v.post_mtime_ns ||
			     v->pre_ctime_ns != prev->v.post_ctime_ns))
			return 0;
		/* a write in the call's own tick would leave this as it is */
		if (v->post_mtime_ns == v->post_ctime_ns || !v->hashed)
			return 0;
		/* what was there before each call is what is there now (a
		 * write hidden by a utime's times, or in a tick the stats
		 * cannot tell apart) */
		if (prev && v->hash != prev->v.hash)
			return 0;
		prev = r;
		after = r->t;
	}
	/* none, or the last is not what is there now */
	return prev && ns(sb->st_mtim) == prev->v.post_mtime_ns && ns(sb->st_ctim) == prev->v.post_ctime_ns &&
	       content_is(p, sb, prev->v.hash);
}
