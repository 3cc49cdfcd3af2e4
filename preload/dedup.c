/*
 * dedup.c - write each (context, class, path) once per process.
 *
 * Python stats the same directories thousands of times; one record per
 * distinct path is all ingest needs, and only the FIRST record of a (class,
 * path) matters: it keeps the order "created, then read" that tells outputs
 * from inputs.  The key includes a generation that changes with every
 * context switch, so a test never inherits another test's "already seen".
 *
 * A fixed table of 64-bit hashes, open addressing with linear probing,
 * slots claimed with CAS (threads of one process and a vfork child share it).
 * When half full it is cleared: a cleared entry only costs a duplicate
 * record, which ingest folds.  A hash collision would drop a record; with
 * 64-bit hashes and at most 8192 live entries that chance is about 2^-38
 * per lookup.
 */
#include <string.h>

#include "ft_preload.h"

#define FT_DEDUP_SLOTS (1u << 14)

static uint64_t ft_dedup_tab[FT_DEDUP_SLOTS];
static uint32_t ft_dedup_count;
static uint64_t ft_dedup_gen = 1;

static uint64_t ft_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static uint64_t ft_dedup_hash(uint64_t gen, uint32_t cls, const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ ft_mix(gen * 0x9e3779b97f4a7c15ULL + cls);

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	h = ft_mix(h ^ len);
	return h ? h : 1;
}

static void ft_dedup_clear(void)
{
	for (uint32_t i = 0; i < FT_DEDUP_SLOTS; i++)
		__atomic_store_n(&ft_dedup_tab[i], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&ft_dedup_count, 0, __ATOMIC_RELAXED);
}

int ft__dedup_seen(uint32_t cls, const char *path, size_t len)
{
	uint64_t gen = __atomic_load_n(&ft_dedup_gen, __ATOMIC_RELAXED);
	uint64_t h = ft_dedup_hash(gen, cls, path, len);
	uint32_t idx = (uint32_t)h & (FT_DEDUP_SLOTS - 1);

	if (__atomic_load_n(&ft_dedup_count, __ATOMIC_RELAXED) > FT_DEDUP_SLOTS / 2)
		ft_dedup_clear();
	for (uint32_t n = 0; n < FT_DEDUP_SLOTS; n++, idx = (idx + 1) & (FT_DEDUP_SLOTS - 1)) {
		uint64_t cur = __atomic_load_n(&ft_dedup_tab[idx], __ATOMIC_RELAXED);

		if (cur == h)
			return 1;
		if (cur)
			continue;
		if (__atomic_compare_exchange_n(&ft_dedup_tab[idx], &cur, h, 0,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
			__atomic_fetch_add(&ft_dedup_count, 1, __ATOMIC_RELAXED);
			return 0;
		}
		if (cur == h)
			return 1;
	}
	return 0; /* table full under a race: write the record, it is harmless */
}

void ft__dedup_new_generation(void)
{
	__atomic_fetch_add(&ft_dedup_gen, 1, __ATOMIC_RELAXED);
}
