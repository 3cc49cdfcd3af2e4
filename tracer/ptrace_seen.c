/*
 * ptrace_seen.c - see ptrace_seen.h.  Open addressing, FNV-1a, load <= 1/2.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ptrace_seen.h"

struct ft_ptrace_seen_slot {
	uint64_t hash;
	uint32_t ctx, cls;
	int err;
	size_t len;
	char *path;   /* NULL = empty slot */
};

static uint64_t hash_of(uint32_t ctx, uint32_t cls, int err, const char *p, size_t len)
{
	uint64_t h = 1469598103934665603ull ^ cls ^ ((uint64_t)(unsigned)err << 32) ^
		     ((uint64_t)ctx << 16);

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ull;
	}
	return h;
}

static int grow(struct ft_ptrace_seen *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 1024;
	struct ft_ptrace_seen_slot *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		return -ENOMEM;
	for (size_t i = 0; i < s->cap; i++) {
		size_t j;
		if (!s->slots[i].path)
			continue;
		for (j = s->slots[i].hash & (ncap - 1); ns[j].path; j = (j + 1) & (ncap - 1))
			;
		ns[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = ns;
	s->cap = ncap;
	return 0;
}

int ft_ptrace_seen_add(struct ft_ptrace_seen *s, uint32_t ctx, uint32_t cls, int err,
		       const char *path, size_t len)
{
	uint64_t h = hash_of(ctx, cls, err, path, len);
	size_t j;

	if ((s->n + 1) * 2 > s->cap && grow(s) < 0)
		return -ENOMEM;
	for (j = h & (s->cap - 1); s->slots[j].path; j = (j + 1) & (s->cap - 1)) {
		struct ft_ptrace_seen_slot *e = &s->slots[j];
		if (e->hash == h && e->ctx == ctx && e->cls == cls && e->err == err && e->len == len &&
		    !memcmp(e->path, path, len))
			return 0;
	}
	s->slots[j].path = malloc(len + 1);
	if (!s->slots[j].path)
		return -ENOMEM;
	memcpy(s->slots[j].path, path, len);
	s->slots[j].path[len] = '\0';
	s->slots[j].hash = h;
	s->slots[j].ctx = ctx;
	s->slots[j].cls = cls;
	s->slots[j].err = err;
	s->slots[j].len = len;
	s->n++;
	return 1;
}

void ft_ptrace_seen_release(struct ft_ptrace_seen *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slots[i].path);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}
