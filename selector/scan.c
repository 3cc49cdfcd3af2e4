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
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "ft_envdep.h"
#include "ft_error.h"
#include "ft_record.h"
#include "ft_select.h"
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

	if (sc->nitems == sc->capitems) {
		/* a whole answer's load: no worker runs, the array may move */
		size_t cap = sc->capitems * 2;
		if (!sc->dirty || !sc->dirty->whole)
			return FT_EINTERNAL; /* more items than state rows: cannot happen */
		if (!(it = realloc(sc->items, cap * sizeof(*it))))
			return -ENOMEM;
		sc->items = it;
		sc->capitems = cap;
	}
	it = &sc->items[sc->nitems++];
	memset(it, 0, sizeof(*it));
	it->kind = (uint8_t)kind;
	if (!b || n <= 0 || n > (int)FT_PATH_MAX || memchr(b, '\0', (size_t)n) || !ft_dep_valid(kind) ||
	    (kind == FT_DEP_ENV ? !ft_envdep_is(b, (size_t)n) : ((const char *)b)[0] != '/')) {
		/* cannot be observed (not an absolute path, bad kind): changed,
		 * whatever it was */
		int shown = b && n > 0 && n <= (int)FT_PATH_MAX && !memchr(b, '\0', (size_t)n);
		if ((rc = shown ? arena_put(sc, b, (size_t)n, &it->path)
				: arena_put(sc, invalid, sizeof(invalid) - 1, &it->path)) < 0)
			return rc;
		it->done = 1;
		it->invalid = 1;
		it->value = FT_VALUE_UNKNOWN;
		return 0;
	}
	if ((rc = arena_put(sc, b, (size_t)n, &it->path)) < 0)
		return rc;
	if (kind == FT_DEP_ENV)
		return 0; /* a name: observed whole (ft_state_quick leaves it) */
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
#define FT_DIRFD_SLOTS_MAX 1024 /* per thread; fewer under a low RLIMIT_NOFILE */
#define FT_DIRFD_SLOTS_MIN 64
#define FT_DIRFD_WAYS 4

struct ft__dirfd {
	const char *dir;          /* a path in the arena with this directory prefix */
	uint32_t len;
	int fd;                   /* -1: open failed (use full paths) */
	unsigned used;            /* 0: empty; else when opened (larger: later) */
	unsigned opened;          /* a set's first slot: its opening count */
};

static int dirfd_get(struct ft__dirfd *cache, size_t nslots, const struct ft__item *it)
{
	char dir[FT_PATH_MAX + 1];
	/* 4-way: a set of 4 slots per hash, so that two directories of one
	 * hash (a birthday's chance among a thousand) do not evict each
	 * other; the victim is the set's least recently opened. */
	size_t ways = nslots >= FT_DIRFD_WAYS ? FT_DIRFD_WAYS : 1;
	struct ft__dirfd *set = &cache[(it->dir_key % (nslots / ways)) * ways], *e = NULL;

	for (size_t w = 0; w < ways; w++) {
		struct ft__dirfd *c = &set[w];
		if (c->used && c->len == it->dir_len && !memcmp(c->dir, it->path, it->dir_len))
			return c->fd;
		if (!e || (e->used && (!c->used || c->used < e->used)))
			e = c; /* an empty slot, else the oldest */
	}
	if (e->used && e->fd >= 0)
		close(e->fd);
	memcpy(dir, it->path, it->dir_len);
	dir[it->dir_len] = '\0';
	e->dir = it->path;
	e->len = it->dir_len;
	e->used = ++set[0].opened ? set[0].opened : 1; /* the order of opening */
	e->fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return e->fd;
}

static void stat_item(struct ft__dirfd *cache, size_t nslots, struct ft__item *it)
{
	const char *name = it->path + it->dir_len + 1;
	int dirfd;

	if (it->done)
		return;
	/* No directory descriptor (absent, not a dir, no access): the full
	 * path gives the exact errno. */
	if (!*name || it->dir_len == 0 || (dirfd = dirfd_get(cache, nslots, it)) < 0)
		it->done = (uint8_t)ft_state_quick(AT_FDCWD, it->path, it->kind, &it->hint, &it->value);
	else
		it->done = (uint8_t)ft_state_quick(dirfd, name, it->kind, &it->hint, &it->value);
}

/* Stat worker: claims published chunks until the scan is over and every
 * item is claimed.  While the scan runs it waits for full chunks. */
static void *scan_worker(void *arg)
{
	struct ft__scan *sc = arg;
	size_t nslots = sc->dirfd_slots;
	struct ft__dirfd *cache = calloc(nslots, sizeof(*cache));
	struct ft__dirfd one;

	if (!cache) { /* only slower: one slot */
		memset(&one, 0, sizeof(one));
		cache = &one;
		nslots = 1;
	}
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
			stat_item(cache, nslots, &sc->items[i]);
	}
	for (size_t i = 0; i < nslots; i++)
		if (cache[i].used && cache[i].fd >= 0)
			close(cache[i].fd);
	if (cache != &one)
		free(cache);
	return NULL;
}

/* Directory descriptors per thread: as many as a big tree's directories
 * need to stay open across the interleaving of its dependency sets, but
 * all threads together at most a quarter of the descriptor limit. */
static size_t dirfd_slots(int nth)
{
	struct rlimit rl;
	size_t n = FT_DIRFD_SLOTS_MAX;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		while (n > FT_DIRFD_SLOTS_MIN && (rlim_t)n * (rlim_t)nth > rl.rlim_cur / 4)
			n /= 2;
	return n;
}

void ft__scan_release(struct ft__scan *sc)
{
	free(sc->items);
	free(sc->rows);
	for (size_t i = 0; i < sc->nblocks; i++)
		free(sc->blocks[i]);
	free(sc->blocks);
}

/* Load and stat, the stat overlapping the load on big trees, and
 * `meanwhile` overlapping the stat. */
int ft__scan_run(struct ft__scan *sc, struct ft_store *st, int trusted,
		 int (*meanwhile)(void *arg), void *arg)
{
	pthread_t th[FT_SELECT_THREADS];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int nth = 1, started = 0, rc;
	size_t nstates;

	if (sc->dirty && sc->dirty->whole) {
		/* the named paths and the variables only, on this thread; the
		 * daemon's baseline verified this generation (ft_select.h) */
		if (!(sc->items = malloc(64 * sizeof(*sc->items))))
			return -ENOMEM;
		sc->capitems = 64;
		sc->dirfd_slots = dirfd_slots(1);
		if ((rc = ft_store_states_scan_paths(st, trusted, sc->dirty->paths, sc->dirty->n, &scan_ops,
						     sc)) < 0)
			return rc;
		atomic_store_explicit(&sc->loaded, 1, memory_order_release);
		scan_worker(sc);
		return 0;
	}
	if ((rc = ft_store_states_count(st, &nstates)) < 0 ||
	    !(sc->items = malloc((nstates ? nstates : 1) * sizeof(*sc->items)))) {
		int mrc = meanwhile ? meanwhile(arg) : 0; /* its error first */
		return mrc < 0 ? mrc : rc < 0 ? rc : -ENOMEM;
	}
	sc->capitems = nstates;
	if (nstates >= FT_SELECT_MT_MIN && !sc->dirty)
		nth = cpus < 1 ? 1 : cpus > FT_SELECT_THREADS ? FT_SELECT_THREADS : (int)cpus;
	sc->dirfd_slots = dirfd_slots(nth);
	for (int i = 1; i < nth; i++)
		if (pthread_create(&th[started], NULL, scan_worker, sc) == 0)
			started++;  /* a failed create only costs speed */
	rc = ft_store_states_scan(st, trusted, &scan_ops, sc);
	atomic_store_explicit(&sc->loaded, 1, memory_order_release);
	/* Run even when the load failed: its error comes first, as when it
	 * ran before the load (ft_select_run's verification). */
	if (meanwhile) {
		int mrc;
		if (rc < 0)
			atomic_store(&sc->next, SIZE_MAX / 2);
		if ((mrc = meanwhile(arg)) < 0)
			rc = mrc;
	}
	if (rc == 0 && sc->dirty)
		ft__scan_narrow(sc); /* no worker ran: nothing claimed yet */
	if (rc == 0)
		scan_worker(sc);  /* this thread stats too */
	else
		atomic_store(&sc->next, SIZE_MAX / 2); /* stop the workers early */
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	return rc;
}

