/*
 * scan.c - step 1 of the selection (select.c): load every recorded state
 * and observe each distinct (path, kind) once, the stat work overlapping
 * the load on big trees.  Contract: ft_select_int.h (struct ft__scan).
 *
 * The main thread reads states, paths and the stat cache as three
 * sequential scans in key order and merges them into items, one per
 * distinct (path, kind).  Meanwhile, on big trees, worker threads already
 * stat the items published so far: each item is stat'ed relative to an
 * O_PATH descriptor of its directory (one path walk per directory, not per
 * file), and every item a stat can decide is settled.  When the scan ends
 * the main thread joins the stat work.  What needs reading (a racy or
 * changed FILE/LIST, a LINK) is observed afterwards on the main thread,
 * through the ft_state that remembers fresh hashes for the flush.
 *
 * Sharing: items[] is allocated once at its final size (the number of
 * state rows bounds it) and paths live in arena blocks that never move, so
 * workers read them while the main thread appends.  An item is handed over
 * by storing `published` (release) after it is complete; workers claim
 * chunks below it with a compare-and-swap on `next`.  Each item is written
 * by exactly one worker; the main thread reads the results after joining.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_select_int.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_select.h"

#define FT_SELECT_THREADS 4
#define FT_SELECT_CHUNK 256
#define FT_SELECT_MT_MIN 4096 /* fewer items: threads cost more than they save */
#define FT_ARENA_BLOCK (1u << 20)

static int arena_put(struct ft__scan *sc, const void *b, size_t n, const char **out)
{
	char *dst;

	if (!sc->nblocks || sc->block_used + n + 1 > sc->block_cap) {
		size_t cap = n + 1 > FT_ARENA_BLOCK ? n + 1 : FT_ARENA_BLOCK;
		char **bl = realloc(sc->blocks, (sc->nblocks + 1) * sizeof(*bl));
		if (!bl)
			return -ENOMEM;
		sc->blocks = bl;
		if (!(bl[sc->nblocks] = malloc(cap)))
			return -ENOMEM;
		sc->nblocks++;
		sc->block_used = 0;
		sc->block_cap = cap;
	}
	dst = sc->blocks[sc->nblocks - 1] + sc->block_used;
	if (n)
		memcpy(dst, b, n);
	dst[n] = '\0';
	sc->block_used += n + 1;
	*out = dst;
	return 0;
}

static int grow_rows(struct ft__scan *sc)
{
	size_t cap = sc->caprows ? sc->caprows * 2 : 4096;
	struct ft__row *r = realloc(sc->rows, cap * sizeof(*r));

	if (!r)
		return -ENOMEM;
	sc->rows = r;
	sc->caprows = cap;
	return 0;
}

/* Fill a new item for (path, kind); `b`/`n` is the stored path (NULL: the
 * path row is missing, which a consistent database never has). */
static int new_item(struct ft__scan *sc, const void *b, int n, int kind)
{
	static const char invalid[] = "(invalid path)";
	struct ft__item *it;
	int rc;

	if (sc->nitems == sc->capitems)
		return FT_EINTERNAL; /* more items than state rows: cannot happen */
	it = &sc->items[sc->nitems++];
	memset(it, 0, sizeof(*it));
	it->kind = (uint8_t)kind;
	if (!b || n <= 0 || n > (int)FT_PATH_MAX || memchr(b, '\0', (size_t)n) ||
	    ((const char *)b)[0] != '/' || kind < FT_DEP_FILE || kind > FT_DEP_LAST) {
		/* cannot be observed (not an absolute path, bad kind): changed,
		 * whatever it was */
		int shown = b && n > 0 && n <= (int)FT_PATH_MAX && !memchr(b, '\0', (size_t)n);
		if ((rc = shown ? arena_put(sc, b, (size_t)n, &it->path)
				: arena_put(sc, invalid, sizeof(invalid) - 1, &it->path)) < 0)
			return rc;
		it->done = 1;
		it->value = FT_VALUE_UNKNOWN;
		return 0;
	}
	if ((rc = arena_put(sc, b, (size_t)n, &it->path)) < 0)
		return rc;
	it->dir_len = (uint32_t)((const char *)memrchr(b, '/', (size_t)n) - (const char *)b);
	it->dir_key = (uint16_t)XXH3_64bits(b, it->dir_len);
	return 0;
}

/* The scan's callbacks: each (path, kind) becomes an item, published to
 * the stat workers once complete; each state a row of it. */
static int scan_item(void *arg, const void *path, int len, int kind, const struct ft_state_hint *hint)
{
	struct ft__scan *sc = arg;
	int rc = new_item(sc, path, len, kind);

	if (rc < 0)
		return rc;
	if (hint)
		sc->items[sc->nitems - 1].hint = *hint;
	atomic_store_explicit(&sc->published, sc->nitems, memory_order_release);
	return 0;
}

static int scan_row(void *arg, int64_t state_id, int64_t path_id, uint64_t recorded)
{
	struct ft__scan *sc = arg;
	int rc;

	if (sc->nrows == sc->caprows && (rc = grow_rows(sc)) < 0)
		return rc;
	sc->rows[sc->nrows++] = (struct ft__row){
		.state_id = state_id, .path_id = path_id,
		.recorded = recorded, .item = sc->nitems - 1,
	};
	return 0;
}

static const struct ft_store_scan_ops scan_ops = { scan_item, scan_row };

/* Per-worker cache of directory descriptors, direct-mapped on a hash of
 * the directory's path: dependency sets interleave directories (a module's
 * own files, then the libraries it imports), so remembering only the last
 * directory would reopen most of them. */
#define FT_DIRFD_SLOTS 128 /* x FT_SELECT_THREADS descriptors at most: far below RLIMIT_NOFILE */

struct ft__dirfd {
	const char *dir;          /* a path in the arena with this directory prefix */
	uint32_t len;
	int fd;                   /* -1: open failed (use full paths) */
	int used;
};

static int dirfd_get(struct ft__dirfd *cache, const struct ft__item *it)
{
	char dir[FT_PATH_MAX + 1];
	struct ft__dirfd *e = &cache[it->dir_key % FT_DIRFD_SLOTS];

	if (e->used && e->len == it->dir_len && !memcmp(e->dir, it->path, it->dir_len))
		return e->fd;
	if (e->used && e->fd >= 0)
		close(e->fd);
	memcpy(dir, it->path, it->dir_len);
	dir[it->dir_len] = '\0';
	e->dir = it->path;
	e->len = it->dir_len;
	e->used = 1;
	e->fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return e->fd;
}

static void stat_item(struct ft__dirfd *cache, struct ft__item *it)
{
	const char *name = it->path + it->dir_len + 1;
	int dirfd;

	if (it->done)
		return;
	/* No directory descriptor (absent, not a dir, no access): the full
	 * path gives the exact errno. */
	if (!*name || it->dir_len == 0 || (dirfd = dirfd_get(cache, it)) < 0)
		it->done = (uint8_t)ft_state_quick(AT_FDCWD, it->path, it->kind, &it->hint, &it->value);
	else
		it->done = (uint8_t)ft_state_quick(dirfd, name, it->kind, &it->hint, &it->value);
}

/* Stat worker: claims published chunks until the scan is over and every
 * item is claimed.  While the scan runs it waits for full chunks. */
static void *scan_worker(void *arg)
{
	struct ft__scan *sc = arg;
	struct ft__dirfd cache[FT_DIRFD_SLOTS];

	memset(cache, 0, sizeof(cache));
	for (;;) {
		int loaded = atomic_load_explicit(&sc->loaded, memory_order_acquire);
		size_t pub = atomic_load_explicit(&sc->published, memory_order_acquire);
		size_t start = atomic_load_explicit(&sc->next, memory_order_relaxed);
		size_t end = start + FT_SELECT_CHUNK < pub ? start + FT_SELECT_CHUNK : pub;

		if (start >= pub || (!loaded && end - start < FT_SELECT_CHUNK)) {
			if (loaded)
				break;
			sched_yield();
			continue;
		}
		if (!atomic_compare_exchange_weak(&sc->next, &start, end))
			continue;
		for (size_t i = start; i < end; i++)
			stat_item(cache, &sc->items[i]);
	}
	for (int i = 0; i < FT_DIRFD_SLOTS; i++)
		if (cache[i].used && cache[i].fd >= 0)
			close(cache[i].fd);
	return NULL;
}

void ft__scan_release(struct ft__scan *sc)
{
	free(sc->items);
	free(sc->rows);
	for (size_t i = 0; i < sc->nblocks; i++)
		free(sc->blocks[i]);
	free(sc->blocks);
}

/* Load and stat, the stat overlapping the load on big trees. */
int ft__scan_run(struct ft__scan *sc, struct ft_store *st, int trusted)
{
	pthread_t th[FT_SELECT_THREADS];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int nth = 1, started = 0, rc;
	size_t nstates;

	if ((rc = ft_store_states_count(st, &nstates)) < 0)
		return rc;
	sc->capitems = nstates;
	if (!(sc->items = malloc((nstates ? nstates : 1) * sizeof(*sc->items))))
		return -ENOMEM;
	if (nstates >= FT_SELECT_MT_MIN)
		nth = cpus < 1 ? 1 : cpus > FT_SELECT_THREADS ? FT_SELECT_THREADS : (int)cpus;
	for (int i = 1; i < nth; i++)
		if (pthread_create(&th[started], NULL, scan_worker, sc) == 0)
			started++;  /* a failed create only costs speed */
	rc = ft_store_states_scan(st, trusted, &scan_ops, sc);
	atomic_store_explicit(&sc->loaded, 1, memory_order_release);
	if (rc == 0)
		scan_worker(sc);  /* this thread stats too */
	else
		atomic_store(&sc->next, SIZE_MAX / 2); /* stop the workers early */
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	return rc;
}

