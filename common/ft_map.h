/*
 * ft_map.h - an open-addressing hash map from byte strings to uint32 values,
 * with its keys copied into an arena it owns.  Used by ingest to intern
 * paths and test ids; grows by doubling, never shrinks.
 *
 * Errors: ft_map_put() returns -ENOMEM; everything else cannot fail.
 * Ownership: the map owns copies of its keys; ft_map_key() pointers stay
 * valid until ft_map_release().  Not thread-safe.
 */
#ifndef FT_MAP_H
#define FT_MAP_H

#include <stddef.h>
#include <stdint.h>

struct ft_map_slot;

struct ft_map {
	struct ft_map_slot *slots;
	size_t cap;        /* power of two */
	size_t count;
	char **keys;       /* key bytes by value index, for ft_map_key() */
	uint32_t *key_lens;
	size_t keys_cap;
};

#define FT_MAP_INIT { 0 }

/* Look `key` up.  Returns 1 and sets *value when present, 0 when absent. */
int ft_map_get(const struct ft_map *m, const void *key, size_t len, uint32_t *value);

/* Intern `key`: if absent, add it with value = the number of keys added so
 * far (so values are dense indices 0, 1, 2, ...).  *value gets the value;
 * *added (if not NULL) says whether it was new.  Returns 0 or -ENOMEM. */
int ft_map_intern(struct ft_map *m, const void *key, size_t len, uint32_t *value, int *added);

/* The key bytes of dense index `value`, NUL-terminated; *len its length. */
const char *ft_map_key(const struct ft_map *m, uint32_t value, size_t *len);

void ft_map_release(struct ft_map *m);

#endif
