/*
 * ft_state.c - observe the current value of a dependency, stat-first.
 *
 * Why a cache at all: `ftrace affected` checks every recorded path (tens of
 * thousands, toolchain included).  Hashing them all would cost seconds; a
 * stat costs a microsecond.  So a (stat tuple -> value) cache, trusted only
 * under the racy rule of docs/racy-stat.md:
 *
 *   hit  <=>  dev, ino, size, mtime_ns, ctime_ns, mode all equal
 *             and mtime_ns < taken_ns and ctime_ns < taken_ns
 *
 * taken_ns is CLOCK_REALTIME_COARSE read *before* the stat that filled the
 * entry.  The failing sequence this prevents (same tick):
 *   ftrace hashes f (v1) at t; the user writes v2 of the same size within
 *   the same kernel tick; f's mtime is still t; the stat tuple matches the
 *   entry and v2 would be reported as v1.  With the rule, mtime >= taken
 *   makes the entry racy and f is re-hashed every time until it settles.
 *
 * Only FILE and LIST values are cached: they cost a read.  TYPE, LTYPE,
 * ABSENT and LINK are one syscall, which is the observation itself.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "ft_envdep.h"
#include "ft_error.h"
#include "ft_record.h"
#include "ft_state.h"
#include "ft_store.h"

struct ft__centry {
	char *path;            /* NULL: free slot */
	uint32_t len;
	uint8_t kind;
	uint8_t dirty;         /* new or refreshed since load: flush writes it */
	uint64_t hash;
	struct ft_statinfo st;
	int64_t taken_ns;
	uint64_t value;
};

struct ft_state {
	struct ft_store *store;
	int loaded;            /* statcache read from the store (lazily) */
	int trusted;           /* -1: not asked yet; else ft_store_statcache_trusted */
	unsigned probes;       /* paths looked up one by one before that */
	struct ft__centry *tab;
	size_t cap, n;
	size_t ndirty;
};

static const char *const ft_kind_names[] = {
	[FT_DEP_FILE] = "file", [FT_DEP_TYPE] = "type", [FT_DEP_LTYPE] = "ltype",
	[FT_DEP_ABSENT] = "absent", [FT_DEP_LIST] = "list", [FT_DEP_LINK] = "link",
	[FT_DEP_UNKNOWN] = "unknown", [FT_DEP_ENV] = "env",
};
_Static_assert(FT_VALUE_ABSENT == FT_ENVDEP_UNSET && FT_VALUE_UNKNOWN == FT_ENVDEP_UNKNOWN,
	       "ft_envdep.h's sentinels are ft_state.h's");

const char *ft_dep_kind_name(enum ft_dep_kind kind)
{
	if ((unsigned)kind < sizeof(ft_kind_names) / sizeof(ft_kind_names[0]) && ft_kind_names[kind])
		return ft_kind_names[kind];
	return "invalid";
}

/* Version 7's kinds 9, 10, 11 and version 8's kind 8 (ft_state.h): each
 * with the first schema version that no longer stores it. */
static const struct { uint8_t old, code, until; } ft_legacy_kinds[] = {
	{ 8, FT_DEP_FILE | FT_READER_CONFIG << FT_DEP_READER_SHIFT, 9 },
	{ 9, FT_DEP_LIST | FT_READER_COLLECT << FT_DEP_READER_SHIFT, 8 },
	{ 10, FT_DEP_LIST | FT_READER_IMPORT << FT_DEP_READER_SHIFT, 8 },
	{ 11, FT_DEP_TYPE | FT_READER_COLLECT << FT_DEP_READER_SHIFT, 8 },
};

int ft_dep_legacy_in(int code, int version)
{
	for (size_t i = 0; i < sizeof(ft_legacy_kinds) / sizeof(ft_legacy_kinds[0]); i++)
		if (ft_legacy_kinds[i].old == code && version < ft_legacy_kinds[i].until)
			return ft_legacy_kinds[i].code;
	return code;
}

int ft_dep_legacy(int code)
{
	return ft_dep_legacy_in(code, 0);
}

int ft_dep_legacy_code(int code)
{
	for (size_t i = 0; i < sizeof(ft_legacy_kinds) / sizeof(ft_legacy_kinds[0]); i++)
		if (ft_legacy_kinds[i].code == code)
			return ft_legacy_kinds[i].old;
	return code;
}

static int64_t coarse_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void statinfo_from(struct ft_statinfo *si, const struct stat *sb)
{
	si->dev = (uint64_t)sb->st_dev;
	si->ino = (uint64_t)sb->st_ino;
	si->size = (uint64_t)sb->st_size;
	si->mtime_ns = (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
	si->ctime_ns = (int64_t)sb->st_ctim.tv_sec * 1000000000 + sb->st_ctim.tv_nsec;
	si->mode = (uint32_t)sb->st_mode;
}

static int statinfo_eq(const struct ft_statinfo *a, const struct ft_statinfo *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns && a->mode == b->mode;
}

/* --- the in-memory cache: open addressing on xxh3(path) ^ kind ---------- */

static uint64_t key_hash(const char *path, uint32_t len, uint8_t kind)
{
	return XXH3_64bits_withSeed(path, len, kind);
}

static struct ft__centry *cache_slot(struct ft_state *s, const char *path, uint32_t len,
				     uint8_t kind, uint64_t h)
{
	size_t mask = s->cap - 1, i = (size_t)h & mask;

	for (;; i = (i + 1) & mask) {
		struct ft__centry *e = &s->tab[i];
		if (!e->path)
			return e;
		if (e->hash == h && e->kind == kind && e->len == len && !memcmp(e->path, path, len))
			return e;
	}
}

static int cache_grow(struct ft_state *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 1024;
	struct ft__centry *ntab = calloc(ncap, sizeof(*ntab)), *old = s->tab;
	size_t ocap = s->cap;

	if (!ntab)
		return -ENOMEM;
	s->tab = ntab;
	s->cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].path)
			*cache_slot(s, old[i].path, old[i].len, old[i].kind, old[i].hash) = old[i];
	free(old);
	return 0;
}

/* Insert or overwrite; takes a copy of path.  Returns 0 or -ENOMEM (the
 * cache is an optimisation: a failed insert loses speed, never a change). */
static int cache_put(struct ft_state *s, const char *path, uint32_t len, uint8_t kind,
		     const struct ft_statinfo *si, int64_t taken_ns, uint64_t value, int dirty)
{
	uint64_t h = key_hash(path, len, kind);
	struct ft__centry *e;

	if ((s->n + 1) * 4 > s->cap * 3 && cache_grow(s) < 0)
		return -ENOMEM;
	e = cache_slot(s, path, len, kind, h);
	if (!e->path) {
		e->path = malloc(len + 1);
		if (!e->path)
			return -ENOMEM;
		memcpy(e->path, path, len);
		e->path[len] = '\0';
		e->len = len;
		e->kind = kind;
		e->hash = h;
		s->n++;
	}
	e->st = *si;
	e->taken_ns = taken_ns;
	e->value = value;
	if (dirty && !e->dirty)
		s->ndirty++;
	e->dirty = e->dirty || dirty;
	return 0;
}

/* A stored row, unless the table has the entry already: what this
 * process observed is as new as the store's row, or newer. */
static int load_row(void *arg, const struct ft_statcache_row *row)
{
	struct ft_state *s = arg;
	struct ft__centry *e = s->n ? cache_slot(s, row->path, row->path_len, row->kind,
						 key_hash(row->path, row->path_len, row->kind)) : NULL;

	if (!e || !e->path)
		cache_put(s, row->path, row->path_len, row->kind, &row->st, row->taken_ns,
			  row->value, 0);
	return 0;
}

/*
 * The stored rows come in lazily.  The first FT_STATE_PROBES paths asked
 * for are looked up one by one (an index look-up each); after that the
 * whole table is read.  A run that recorded 42 dependencies into a
 * database of 100,000 cached paths read all of them: three quarters of
 * its 130 ms (issue 29).  A run of many dependencies pays at most
 * FT_STATE_PROBES look-ups more than before.
 */
#define FT_STATE_PROBES 1024

static void cache_load(struct ft_state *s)
{
	if (s->loaded)
		return;
	s->loaded = 1;
	if (s->store)
		ft_store_statcache_each(s->store, load_row, s); /* failure = empty cache */
}

static void cache_probe(struct ft_state *s, const char *path, uint32_t len)
{
	if (s->loaded || !s->store)
		return;
	if (s->probes >= FT_STATE_PROBES) {
		cache_load(s);
		return;
	}
	if (s->trusted < 0)
		s->trusted = ft_store_statcache_trusted(s->store);
	if (!s->trusted) {
		s->loaded = 1; /* nothing to read: ft_store_statcache_each's answer too */
		return;
	}
	s->probes++;
	ft_store_statcache_path(s->store, path, len, load_row, s); /* failure = a miss */
}

/* Cached value for (path, kind) if the entry matches `si` and is not racy. */
static int cache_hit(struct ft_state *s, const char *path, uint8_t kind,
		     const struct ft_statinfo *si, uint64_t *value)
{
	uint32_t len = (uint32_t)strlen(path);
	uint64_t h = key_hash(path, len, kind);
	struct ft__centry *e = s->n ? cache_slot(s, path, len, kind, h) : NULL;

	if (!e || !e->path) {
		cache_probe(s, path, len);
		if (!s->n)
			return 0;
		e = cache_slot(s, path, len, kind, h);
	}
	if (!e->path || !statinfo_eq(&e->st, si))
		return 0;
	if (e->st.mtime_ns >= e->taken_ns || e->st.ctime_ns >= e->taken_ns)
		return 0; /* racy: modified in or after the tick we looked */
	*value = e->value;
	return 1;
}

int ft_state_new(struct ft_state **out, struct ft_store *store)
{
	struct ft_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->store = store;
	s->trusted = -1;
	*out = s;
	return 0;
}

void ft_state_free(struct ft_state *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free(s->tab[i].path);
	free(s->tab);
	free(s);
}

/* --- observing each kind ------------------------------------------------ */

static uint64_t errno_value(int err)
{
	return FT_ERR_IS_ABSENT(err) ? FT_VALUE_ABSENT : FT_VALUE_UNREAD;
}

/* Hash a regular file.  O_NONBLOCK: if a FIFO was swapped in after our
 * stat, open returns at once instead of waiting for a writer, and the
 * S_ISREG check on the descriptor refuses to read it. */
static uint64_t hash_file(const char *path, struct ft_statinfo *si)
{
	struct stat sb;
	uint64_t v;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return errno_value(errno); /* vanished between stat and open: a change */
	if (fstat(fd, &sb) < 0) {
		close(fd);
		return FT_VALUE_UNREAD;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return FT_VALUE_WRONG;
	}
	statinfo_from(si, &sb);
	if (ft_hash_fd(fd, ft_state_file_seed(sb.st_mode), &v) < 0)
		v = FT_VALUE_UNREAD;
	close(fd);
	return v;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entries a listing leaves out: "." and "..", and the caches the test runner
 * itself writes (no import can name them, and they appear or vanish with
 * every run: counting them would select everything every time). */
static int skip_name(const char *n)
{
	return !strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, "__pycache__") ||
	       !strcmp(n, ".pytest_cache");
}

static int list_fd(int fd, char **buf, size_t *len, size_t *count)
{
	DIR *d = fdopendir(fd);
	char **names = NULL, *out = NULL;
	size_t n = 0, cap = 0, total = 0;
	struct dirent *de;
	int rc = 0;

	if (!d) {
		close(fd);
		return -errno;
	}
	errno = 0;
	while ((de = readdir(d))) {
		if (skip_name(de->d_name))
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*names));
			if (!nn) {
				rc = -ENOMEM;
				goto out;
			}
			names = nn;
		}
		if (!(names[n] = strdup(de->d_name))) {
			rc = -ENOMEM;
			goto out;
		}
		total += strlen(names[n]) + 1;
		n++;
		errno = 0;
	}
	if (errno) {
		rc = -errno;
		goto out;
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	out = malloc(total + 1);
	if (!out) {
		rc = -ENOMEM;
		goto out;
	}
	total = 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(names[i]) + 1;
		memcpy(out + total, names[i], l);
		total += l;
	}
	*buf = out;
	*len = total;
	if (count)
		*count = n;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

int ft_state_listing(const char *path, char **buf, size_t *len, size_t *count)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return list_fd(fd, buf, len, count);
}

static uint64_t hash_listing(const char *path, struct ft_statinfo *si)
{
	struct stat sb;
	char *buf;
	size_t len;
	uint64_t v;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOTDIR ? FT_VALUE_WRONG : errno_value(errno);
	if (fstat(fd, &sb) < 0) {
		close(fd);
		return FT_VALUE_UNREAD;
	}
	statinfo_from(si, &sb);
	if (list_fd(fd, &buf, &len, NULL) < 0)
		return FT_VALUE_UNREAD;
	v = XXH3_64bits(buf, len);
	free(buf);
	return v;
}

/* FILE or LIST: stat, trust the cache if it may, else read and remember. */
static int hint_hit(const struct ft_state_hint *h, const struct ft_statinfo *si, uint64_t *value)
{
	if (!h || !h->valid || !statinfo_eq(&h->st, si))
		return 0;
	if (h->st.mtime_ns >= h->taken_ns || h->st.ctime_ns >= h->taken_ns)
		return 0; /* racy */
	*value = h->value;
	return 1;
}

/* The value for stat data `sb` of `path`; *read (may be NULL) is set when
 * the content had to be read.  `taken` is read here, after the caller's
 * stat: it only has to precede the stat stored with a fresh value, which
 * is hash_file's or hash_listing's own fstat. */
static uint64_t value_for_stat(struct ft_state *s, const char *path, uint8_t kind,
			       const struct stat *sb, struct ft_statinfo *si,
			       const struct ft_state_hint *hint, int hinted, int *read)
{
	int64_t taken = coarse_now_ns(); /* before the stat: see the top comment */
	struct ft_statinfo fresh = {0};
	uint64_t v;

	statinfo_from(si, sb);
	if (kind == FT_DEP_FILE ? !S_ISREG(sb->st_mode) : !S_ISDIR(sb->st_mode))
		return FT_VALUE_WRONG; /* never open FIFOs, sockets, devices */
	if (hinted ? hint_hit(hint, si, &v) : cache_hit(s, path, kind, si, &v))
		return v;
	if (read)
		*read = 1;
	v = kind == FT_DEP_FILE ? hash_file(path, &fresh) : hash_listing(path, &fresh);
	if (v < FT_VALUE_ABSENT || v > FT_VALUE_UNKNOWN)
		cache_put(s, path, (uint32_t)strlen(path), kind, &fresh, taken, v, 1);
	return v;
}

static uint64_t observe_cached(struct ft_state *s, const char *path, uint8_t kind,
			       struct ft_statinfo *si, const struct ft_state_hint *hint, int hinted)
{
	struct stat sb;

	if (stat(path, &sb) < 0)
		return errno_value(errno);
	return value_for_stat(s, path, kind, &sb, si, hint, hinted, NULL);
}

static uint64_t observe_link(const char *path)
{
	static _Thread_local char buf[FT_PATH_MAX + 1];
	ssize_t n = readlink(path, buf, sizeof(buf));

	if (n < 0)
		return errno == EINVAL ? FT_VALUE_WRONG : errno_value(errno);
	if ((size_t)n == sizeof(buf))
		return FT_VALUE_UNREAD; /* longer than any path we record */
	return XXH3_64bits(buf, (size_t)n);
}

static int observe(struct ft_state *s, const char *path, enum ft_dep_kind kind,
		   const struct ft_state_hint *hint, int hinted, uint64_t *value,
		   struct ft_statinfo *st)
{
	struct ft_statinfo si = {0};
	struct stat sb;
	uint64_t v;
	int code = kind;

	if (!ft_dep_valid(code))
		return FT_EUSAGE;
	/* a reader's code: the plain kind's value (ft_state.h); a listing's
	 * code keeps its own cache entries, a FILE's shares the plain FILE's
	 * (one content, one hash) */
	kind = (enum ft_dep_kind)ft_dep_base(code);
	switch (kind) {
	case FT_DEP_FILE:
		v = observe_cached(s, path, (uint8_t)kind, &si, hint, hinted);
		break;
	case FT_DEP_LIST:
		v = observe_cached(s, path, (uint8_t)code, &si, hint, hinted);
		break;
	case FT_DEP_TYPE:
	case FT_DEP_LTYPE:
		if ((kind == FT_DEP_TYPE ? stat(path, &sb) : lstat(path, &sb)) < 0) {
			v = errno_value(errno);
			break;
		}
		statinfo_from(&si, &sb);
		v = sb.st_mode & (S_IFMT | 07777);
		break;
	case FT_DEP_ABSENT:
		/* Follows links: the failed open that recorded the absence did. */
		if (stat(path, &sb) < 0) {
			v = FT_ERR_IS_ABSENT(errno) ? 0 : FT_VALUE_UNREAD;
			break;
		}
		statinfo_from(&si, &sb);
		v = FT_VALUE_EXISTS;
		break;
	case FT_DEP_LINK:
		if (lstat(path, &sb) == 0)
			statinfo_from(&si, &sb);
		v = observe_link(path);
		break;
	case FT_DEP_UNKNOWN:
		v = FT_VALUE_UNKNOWN;
		break;
	case FT_DEP_ENV:
		v = ft_envdep_now(path, strlen(path));
		break;
	default:
		return FT_EUSAGE;
	}
	if (v == FT_VALUE_ABSENT)
		memset(&si, 0, sizeof(si));
	*value = v;
	if (st)
		*st = si;
	return 0;
}

int ft_state_observe(struct ft_state *s, const char *path, enum ft_dep_kind kind,
		     uint64_t *value, struct ft_statinfo *st)
{
	return observe(s, path, kind, NULL, 0, value, st);
}

int ft_state_observe_stat(struct ft_state *s, const char *path, enum ft_dep_kind kind,
			  const struct stat *sb, uint64_t *value, int *read)
{
	struct ft_statinfo si;
	int base = ft_dep_valid(kind) ? ft_dep_base(kind) : -1;

	*read = 0;
	if (base != FT_DEP_FILE && base != FT_DEP_LIST) {
		*read = 1;
		return observe(s, path, kind, NULL, 0, value, NULL);
	}
	/* as observe(): a FILE reader's code shares the plain FILE's entry */
	*value = value_for_stat(s, path, (uint8_t)(base == FT_DEP_FILE ? FT_DEP_FILE : kind), sb,
				&si, NULL, 0, read);
	return 0;
}

int ft_state_observe_hinted(struct ft_state *s, const char *path, enum ft_dep_kind kind,
			    const struct ft_state_hint *hint, uint64_t *value,
			    struct ft_statinfo *st)
{
	return observe(s, path, kind, hint, 1, value, st);
}

/* Thread-safe: only syscalls on the caller's descriptors, no cache writes.
 * Same decisions as observe(), so a value it reports is the value
 * ft_state_observe() would report at that moment. */
int ft_state_quick(int dirfd, const char *name, enum ft_dep_kind kind,
		   const struct ft_state_hint *hint, uint64_t *value)
{
	struct ft_statinfo si;
	struct stat sb;
	int follow = kind == FT_DEP_LTYPE || kind == FT_DEP_LINK ? AT_SYMLINK_NOFOLLOW : 0;

	if (kind == FT_DEP_UNKNOWN) {
		*value = FT_VALUE_UNKNOWN;
		return 1;
	}
	if (kind == FT_DEP_ENV) /* a name: no stat (scan.c passes the whole path) */
		return 0;
	if (!ft_dep_valid(kind))
		return 0; /* leave it to the full observation */
	kind = (enum ft_dep_kind)ft_dep_base(kind);
	if (kind == FT_DEP_LINK)
		return 0; /* readlink: leave it to the full observation */
	if (fstatat(dirfd, name, &sb, follow) < 0) {
		if (kind == FT_DEP_ABSENT)
			*value = FT_ERR_IS_ABSENT(errno) ? 0 : FT_VALUE_UNREAD;
		else
			*value = errno_value(errno);
		return 1;
	}
	switch (kind) {
	case FT_DEP_TYPE:
	case FT_DEP_LTYPE:
		*value = sb.st_mode & (S_IFMT | 07777);
		return 1;
	case FT_DEP_ABSENT:
		*value = FT_VALUE_EXISTS;
		return 1;
	default:
		break;
	}
	if (kind == FT_DEP_FILE ? !S_ISREG(sb.st_mode) : !S_ISDIR(sb.st_mode)) {
		*value = FT_VALUE_WRONG;
		return 1;
	}
	statinfo_from(&si, &sb);
	return hint_hit(hint, &si, value);
}

int ft_state_flush(struct ft_state *s)
{
	struct ft_statcache_row *rows;
	size_t n = 0;
	int rc;

	if (!s->store || !s->ndirty)
		return 0;
	rows = malloc(s->ndirty * sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	for (size_t i = 0; i < s->cap; i++) {
		struct ft__centry *e = &s->tab[i];
		if (!e->path || !e->dirty)
			continue;
		rows[n++] = (struct ft_statcache_row){
			.path = e->path, .path_len = e->len, .kind = e->kind,
			.st = e->st, .taken_ns = e->taken_ns, .value = e->value,
		};
	}
	rc = ft_store_statcache_put(s->store, rows, n);
	free(rows);
	if (rc == 0) {
		for (size_t i = 0; i < s->cap; i++)
			s->tab[i].dirty = 0;
		s->ndirty = 0;
	}
	return rc;
}
