/*
 * ft_state.h - what a dependency's state is, and how to observe it cheaply.
 *
 * A dependency is (path, kind).  Its state is one 64-bit value, compared by
 * equality: a test is affected when the value it saw differs from the value
 * observed now.  Values per kind:
 *
 *   FT_DEP_FILE    xxh3-64 of the content, seeded with ft_state_file_seed()
 *                  of the file's mode: its permission bits, so that what an
 *                  access(W_OK), a stat or an open could observe of them
 *                  (chmod a-w, chmod -x, chmod a-r) is a change.  Older
 *                  databases hold values seeded 0 or 1 (execute bits only):
 *                  they never equal a new value, so such a state counts as
 *                  changed once, never as unchanged.
 *   FT_DEP_TYPE    st_mode & (S_IFMT | 07777) from stat() (follows links).
 *   FT_DEP_LTYPE   the same from lstat().
 *   FT_DEP_ABSENT  0 when the path does not exist (ENOENT/ENOTDIR).
 *   FT_DEP_LIST    xxh3-64 (seed 0) over the entry names sorted bytewise
 *                  (strcmp), each followed by NUL, without ".", "..",
 *                  "__pycache__" and ".pytest_cache" (caches the test runner
 *                  writes itself; no import can name them: docs/racy-stat.md).
 *                  This is exactly XXH3_64bits() of ft_state_listing()'s buffer.
 *   FT_DEP_LINK    xxh3-64 of the symlink's target string.
 *   FT_DEP_UNKNOWN never equal to anything: always counts as changed.
 *   FT_DEP_ENV     an environment variable, not a file: the path is "$NAME"
 *                  ("$=" the whole environment), the value xxh3-64 of the
 *                  value in the root environment, or FT_VALUE_ABSENT when it
 *                  is unset (common/ft_envdep.h).  Observed in this
 *                  process's environment, never through a stat, never
 *                  cached, and never answered by a watch daemon (whose
 *                  environment is not the caller's).
 *
 * A FILE, LIST or TYPE dependency may also carry a *reader*: who alone
 * read the file or the listing (or stat'ed the entry), when the recording
 * could tell.  The stored kind is then a kind code, ft_dep_code(kind,
 * reader): the kind in the low four bits, the reader (1-15) in the high
 * four, so the one kind byte that keys states, set digests, the stat cache
 * and bundles tells readers apart with no column of its own.  Reader 0 is
 * anyone (the plain kind).  The value is the plain kind's, observed the
 * same way (a listing code keeps its own stat cache entries; a FILE code
 * shares the plain FILE's).  What a change means to a reader is not the
 * core's: the runner module that declares the reader supplies the rule
 * (runners/ft_reader.h); a reader no runner declares (a newer database, a
 * hostile one) is anyone's: every change counts.  Ingest takes the reader
 * from the context the records came in (common/ft_record.h, enum
 * ft_reader_id: FT_CONTEXT_COLLECT -> FT_READER_COLLECT, FT_CONTEXT_IMPORT
 * -> FT_READER_IMPORT, a file only FT_CONTEXT_STARTUP_END's start-up read
 * -> FT_READER_CONFIG).  Older schema versions stored some of these as
 * kinds of their own: before 8, kinds 9 (collected-list, LIST of reader
 * 1), 10 (import-list, LIST of reader 2) and 11 (collected-type, TYPE of
 * reader 1); before 9, kind 8 (pytest-config, FILE of reader 3).
 * ft_dep_legacy() maps them (migrate_7_8, migrate_8_9, bundles).
 *
 * When the path is not in the condition the kind expects (a FILE that is now
 * absent or a directory, an ABSENT path that now exists, ...), observation
 * returns a sentinel value from the FT_VALUE_* range below, which differs
 * from every value recorded in the expected condition.
 *
 * Stat-first: observations go through a cache of
 *   path -> (dev, ino, size, mtime_ns, ctime_ns, mode, taken_ns) -> value.
 * A cache hit is trusted only if the entry is not racy: mtime_ns and
 * ctime_ns are both < taken_ns, where taken_ns is CLOCK_REALTIME_COARSE read
 * *before* the stat that filled the entry (read once per observation) (git's racy-git rule, with >=; see
 * docs/racy-stat.md).  Racy or mismatched entries are re-hashed.  FIFOs,
 * sockets and devices are never opened; a file that vanishes between stat
 * and read is reported with the "absent" sentinel (a change).
 *
 * Ownership: struct ft_state is owned by the caller; ft_state_observe() is
 * not thread-safe and not async-signal-safe.
 */
#ifndef FT_STATE_H
#define FT_STATE_H

#include <stddef.h>
#include <stdint.h>

enum ft_dep_kind {
	FT_DEP_FILE = 1,
	FT_DEP_TYPE = 2,
	FT_DEP_LTYPE = 3,
	FT_DEP_ABSENT = 4,
	FT_DEP_LIST = 5,
	FT_DEP_LINK = 6,
	FT_DEP_UNKNOWN = 7,
	/* 8 to 11 were kinds of their own before schema 9 (ft_dep_legacy):
	 * never a kind again, so that a bundle's old code is never read as
	 * a new kind */
	FT_DEP_ENV = 12,
};
#define FT_DEP_LAST FT_DEP_ENV

#define FT_VALUE_ABSENT   UINT64_C(0xfffffffffffffff1) /* path does not exist */
#define FT_VALUE_EXISTS   UINT64_C(0xfffffffffffffff2) /* ABSENT kind: it exists now */
#define FT_VALUE_WRONG    UINT64_C(0xfffffffffffffff3) /* wrong type for the kind */
#define FT_VALUE_UNREAD   UINT64_C(0xfffffffffffffff4) /* exists, cannot be read */
#define FT_VALUE_UNKNOWN  UINT64_C(0xfffffffffffffff5) /* FT_DEP_UNKNOWN */

/* "file", "type", ... for a plain kind; "invalid" for anything else (a
 * reader's code: runners/ft_reader.h names those). */
const char *ft_dep_kind_name(enum ft_dep_kind kind);

/* Kind codes: a kind and its reader in the stored kind byte (above). */
#define FT_DEP_READER_SHIFT 4
#define FT_DEP_READER_MAX 15

static inline int ft_dep_code(int kind, int reader)
{
	return kind | reader << FT_DEP_READER_SHIFT;
}

/* The plain kind of code `code` (enum ft_dep_kind). */
static inline int ft_dep_base(int code)
{
	return code & ((1 << FT_DEP_READER_SHIFT) - 1);
}

/* The reader of code `code`: 0 for anyone. */
static inline int ft_dep_reader(int code)
{
	return (code >> FT_DEP_READER_SHIFT) & FT_DEP_READER_MAX;
}

/* Is `code` one a state may hold: a plain kind, or a FILE, LIST or TYPE
 * with a reader (any reader: one no runner declares counts every change)? */
static inline int ft_dep_valid(int code)
{
	int k = ft_dep_base(code);

	return code >= FT_DEP_FILE && code <= 0xff && k >= FT_DEP_FILE && k <= FT_DEP_LAST &&
	       (k <= FT_DEP_UNKNOWN || k == FT_DEP_ENV) && (k != FT_DEP_ENV || code == FT_DEP_ENV) &&
	       (!ft_dep_reader(code) || k == FT_DEP_FILE || k == FT_DEP_LIST || k == FT_DEP_TYPE);
}

/* Is `code` a directory listing's, of any reader (one value, names kept
 * by ft_store_listing_put)? */
static inline int ft_dep_is_listing(int code)
{
	return ft_dep_base(code) == FT_DEP_LIST;
}

/* The code an older schema version stored as a kind of its own (9, 10 and
 * 11 up to version 7, 8 up to version 8: above), in a bundle, which any
 * version may have written: the code it is now; any other code as it is. */
int ft_dep_legacy(int code);

/* The same for a state read from a database of schema `version` (one a
 * read-only open could not migrate): only the kinds that version had (a
 * kind 9 in a version-8 file stays 9, invalid, as it was there). */
int ft_dep_legacy_in(int code, int version);

/* The code a bundle carries for `code`: the older versions' kind for the
 * codes they had (so an older ftrace reads the bundle), else `code`. */
int ft_dep_legacy_code(int code);

struct ft_statinfo {
	uint64_t dev, ino, size;
	int64_t mtime_ns, ctime_ns;
	uint32_t mode;
};

/* The stat cache lives in the store; ft_state holds an in-memory view of it. */
struct ft_store;
struct ft_state;

/* Create an observer over `store` (which may be NULL: no cache).  The
 * store's stat cache is read lazily, at the first FILE or LIST observation;
 * only FILE and listing (LIST, CLIST) values are cached (the others are one
 * syscall). */
int ft_state_new(struct ft_state **out, struct ft_store *store);

/* Observe the current value of (path, kind).  Always succeeds for a valid
 * kind; I/O trouble becomes a sentinel value, never an error (an error here
 * must not hide a change).  Returns 0, or FT_EUSAGE for a bad kind.
 * If `st` is not NULL it receives the stat data (zeroed when absent). */
int ft_state_observe(struct ft_state *s, const char *path, enum ft_dep_kind kind,
		     uint64_t *value, struct ft_statinfo *st);

/* ft_state_observe() of a FILE or listing kind, for the stat data `sb`
 * the caller has just taken of `path` (stat(2), following links) instead
 * of a stat of its own.  *read is set to 1 when the value did not come
 * from that stat alone (the content was read, or `kind` is not FILE or a
 * listing: then it is a plain ft_state_observe()), and the caller must
 * check that the path did not change meanwhile; 0 when the cache entry
 * for exactly `sb` gave it, which is then the value for that stat. */
struct stat;
int ft_state_observe_stat(struct ft_state *s, const char *path, enum ft_dep_kind kind,
			  const struct stat *sb, uint64_t *value, int *read);

/* A stored cache entry for one (path, kind), supplied by a caller that
 * reads the stat cache together with its own rows (the selector's single
 * scan) instead of letting ft_state load all of it. */
struct ft_state_hint {
	int valid;            /* 0: no entry */
	struct ft_statinfo st;
	int64_t taken_ns;
	uint64_t value;
};

/* The cheap half of an observation, thread-safe (no shared state, no
 * allocation): stat `name` relative to `dirfd` (or AT_FDCWD with a full
 * path).  Returns 1 with *value final when a stat decides it (every kind
 * but FILE/LIST/CLIST, or those with a matching, non-racy hint, or the wrong
 * type, or absent), 0 when content must be read: then call
 * ft_state_observe_hinted() with the full path. */
int ft_state_quick(int dirfd, const char *name, enum ft_dep_kind kind,
		   const struct ft_state_hint *hint, uint64_t *value);

/* ft_state_observe() with the cache entry given by `hint` (may be NULL or
 * invalid) instead of looked up; a fresh value is remembered for
 * ft_state_flush().  Never loads the whole stored cache. */
int ft_state_observe_hinted(struct ft_state *s, const char *path, enum ft_dep_kind kind,
			    const struct ft_state_hint *hint, uint64_t *value,
			    struct ft_statinfo *st);

/* Write back new and refreshed cache entries to the store (one transaction). */
int ft_state_flush(struct ft_state *s);

void ft_state_free(struct ft_state *s);

/* The canonical listing of directory `path`: the names FT_DEP_LIST hashes,
 * sorted, each followed by NUL, in one malloc'd buffer the caller frees.
 * `count` (may be NULL) receives the number of names.  Returns 0 or -errno
 * (-ENOTDIR, -ENOENT, ...).  The stored form for ft_store_listing_put(). */
int ft_state_listing(const char *path, char **buf, size_t *len, size_t *count);

/* The seed of a FILE value for a file of mode `mode`: 0x10000 (this
 * encoding; never 0 or 1, the older one) | the permission bits. */
static inline uint64_t ft_state_file_seed(unsigned mode)
{
	return 0x10000u | (mode & 07777u);
}

/* Content hash of an open regular file, streaming (helper shared with tests). */
int ft_hash_fd(int fd, uint64_t seed, uint64_t *out);

#endif
