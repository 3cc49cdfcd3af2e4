/*
 * ft_times.c - see ft_times.h.
 */
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

int ft_times_only(const struct ft_collect *c, uint32_t path, const struct stat *sb, int64_t t0_ns)
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
		if (v->post_mtime_ns == v->post_ctime_ns)
			return 0;
		prev = r;
		after = r->t;
	}
	/* none, or the last is not what is there now */
	return prev && ns(sb->st_mtim) == prev->v.post_mtime_ns && ns(sb->st_ctim) == prev->v.post_ctime_ns;
}
