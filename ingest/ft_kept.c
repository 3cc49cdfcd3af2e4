/*
 * ft_kept.c - see ft_kept.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_adapter.h"
#include "ft_collect.h"
#include "ft_kept.h"
#include "ft_ptree.h"

/* The image whose exec made image i's memory: i itself if it has a PROC
 * record, else (a fork child, or a region continued) its parent's. */
static size_t exec_image(const struct ft_ptree *t, size_t i)
{
	while (!t->procs[i].exe && !t->procs[i].argv && t->procs[i].parent != FT_PTREE_NONE)
		i = t->procs[i].parent;
	return i;
}

/* Its runner isolates each test: memory made by a jest image's exec (jest
 * -i), or by a process that such an image started (jest's worker). */
static int isolates(const struct ft_ptree *t, size_t r)
{
	size_t p = t->procs[r].parent;

	if (t->procs[r].policy & FT_POLICY_ISOLATES)
		return 1;
	return p != FT_PTREE_NONE && (t->procs[exec_image(t, p)].policy & FT_POLICY_ISOLATES);
}

struct by_pid {
	int32_t pid;
	size_t x;
};

static int cmp_by_pid(const void *a, const void *b)
{
	const struct by_pid *p = a, *q = b;

	if (p->pid != q->pid)
		return p->pid < q->pid ? -1 : 1;
	return p->x < q->x ? -1 : p->x > q->x;
}

/* key[x]: the memory test x was begun in, SIZE_MAX for none: its image's
 * exec image, or (image not known) one key per begin pid, after the
 * images: nimg + the first such test's index. */
static int memory_keys(const struct ft_collect *c, const struct ft_ptree *t, size_t *key)
{
	size_t nimg = t ? t->n : 0, n = 0;
	struct by_pid *v = malloc((c->ctx_ids.count ? c->ctx_ids.count : 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t x = 0; x < c->ctx_ids.count; x++) {
		const struct ft_ctxinfo *ci = &c->ctx[x];
		key[x] = SIZE_MAX;
		if (!ci->is_test || !ci->begin_pid)
			continue;
		if (t && ci->begin_img < nimg)
			key[x] = exec_image(t, ci->begin_img);
		else
			v[n++] = (struct by_pid){ ci->begin_pid, x };
	}
	qsort(v, n, sizeof(*v), cmp_by_pid);
	for (size_t i = 0, first = 0; i < n; i++) {
		if (i && v[i].pid != v[i - 1].pid)
			first = i;
		key[v[i].x] = nimg + v[first].x;
	}
	free(v);
	return 0;
}

int ft_kept_unguarded(const struct ft_collect *c, const struct ft_ptree *t,
		      const struct ft_adapter *a, uint8_t *leaky)
{
	size_t nimg = t ? t->n : 0, nkeys = nimg + c->ctx_ids.count, *key;
	uint32_t *tests;

	key = malloc((c->ctx_ids.count ? c->ctx_ids.count : 1) * sizeof(*key));
	tests = calloc(nkeys ? nkeys : 1, sizeof(*tests));
	if (!key || !tests) {
		free(key);
		free(tests);
		return -ENOMEM;
	}
	if (memory_keys(c, t, key) < 0) {
		free(key);
		free(tests);
		return -ENOMEM;
	}
	for (size_t x = 0; x < c->ctx_ids.count; x++)
		if (key[x] != SIZE_MAX)
			tests[key[x]]++;
	for (size_t x = 0; x < c->ctx_ids.count; x++) {
		size_t len;
		const char *id, *file;
		uint32_t mod;

		if (key[x] == SIZE_MAX || tests[key[x]] < 2 || (key[x] < nimg && isolates(t, key[x])))
			continue;
		id = ft_map_key(&c->ctx_ids, (uint32_t)x, &len);
		/* a pytest test: its session's state guard decides */
		if (ft_adapter_test(a, id, len, &mod, &file))
			continue;
		leaky[x] = 1;
	}
	free(key);
	free(tests);
	return 0;
}
