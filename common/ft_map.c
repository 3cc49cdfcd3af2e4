/*
 * ft_map.c - see ft_map.h.  Linear probing over a power-of-two table of
 * (hash, value) slots; keys live in per-key allocations indexed by value.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "ft_map.h"

struct ft_map_slot {
	uint64_t hash;   /* 0 = empty; real hashes are forced non-zero */
	uint32_t value;
};

static uint64_t map_hash(const void *key, size_t len)
{
	uint64_t h = XXH3_64bits(key, len);
	return h ? h : 1;
}

static int key_equal(const struct ft_map *m, uint32_t v, const void *key, size_t len)
{
	return m->key_lens[v] == len && !memcmp(m->keys[v], key, len);
}

int ft_map_get(const struct ft_map *m, const void *key, size_t len, uint32_t *value)
{
	uint64_t h;
	size_t i;

	if (!m->cap)
		return 0;
	h = map_hash(key, len);
	for (i = h & (m->cap - 1); m->slots[i].hash; i = (i + 1) & (m->cap - 1)) {
		if (m->slots[i].hash == h && key_equal(m, m->slots[i].value, key, len)) {
			*value = m->slots[i].value;
			return 1;
		}
	}
	return 0;
}

static int map_grow(struct ft_map *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 1024;
	struct ft_map_slot *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		size_t j;
		if (!m->slots[i].hash)
			continue;
		for (j = m->slots[i].hash & (ncap - 1); ns[j].hash; j = (j + 1) & (ncap - 1))
			;
		ns[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int ft_map_intern(struct ft_map *m, const void *key, size_t len, uint32_t *value, int *added)
{
	uint64_t h;
	size_t i;
	char *copy;

	if (added)
		*added = 0;
	if (ft_map_get(m, key, len, value))
		return 0;
	if ((m->count + 1) * 4 > m->cap * 3 && map_grow(m) < 0)
		return -ENOMEM;
	if (m->count == m->keys_cap) {
		size_t ncap = m->keys_cap ? m->keys_cap * 2 : 1024;
		char **nk = realloc(m->keys, ncap * sizeof(*nk));
		uint32_t *nl;
		if (!nk)
			return -ENOMEM;
		m->keys = nk;
		nl = realloc(m->key_lens, ncap * sizeof(*nl));
		if (!nl)
			return -ENOMEM;
		m->key_lens = nl;
		m->keys_cap = ncap;
	}
	copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, key, len);
	copy[len] = '\0';
	h = map_hash(key, len);
	for (i = h & (m->cap - 1); m->slots[i].hash; i = (i + 1) & (m->cap - 1))
		;
	m->slots[i].hash = h;
	m->slots[i].value = (uint32_t)m->count;
	m->keys[m->count] = copy;
	m->key_lens[m->count] = (uint32_t)len;
	*value = (uint32_t)m->count++;
	if (added)
		*added = 1;
	return 0;
}

const char *ft_map_key(const struct ft_map *m, uint32_t value, size_t *len)
{
	if (value >= m->count)
		return NULL;
	if (len)
		*len = m->key_lens[value];
	return m->keys[value];
}

void ft_map_release(struct ft_map *m)
{
	for (size_t i = 0; i < m->count; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->key_lens);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
