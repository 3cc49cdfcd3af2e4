/*
 * ft_pyfunc_fpcache.h - fingerprints of the current content of changed .py
 * files, kept so that the next `ftrace affected --granularity=function`
 * over the same working tree starts no Python (docs/python-functions.md,
 * "Selection").
 *
 * Table pyfunc_fpcache(path BLOB PRIMARY KEY, boot, python, dev, ino, size,
 * mtime_ns, ctime_ns, fp): one row per file, the latest fingerprint
 * (ftrace_fingerprint.py's JSON for it, `null` included) that the tool
 * computed, with the file's stat when it did.  The column `python` holds
 * ft_fpcache_key(): the interpreter and the tool's identity.  Part of the
 * schema since version 2 (store/ft_schema.c; its rows go through
 * store/ft_store_py.h); a version-1 database read without migrating may
 * lack it, which is an empty cache.
 *
 * Why a stat can be trusted here.  A row is written only if the file's
 * stat was the same before the tool started and after it ended, and its
 * ctime was more than FT_FPCACHE_SETTLE_NS older than the first of those
 * stats.  Any write to the file since that stat sets its ctime to a later
 * time (the kernel sets ctime; no call can set it back, and two writes in
 * one timestamp tick cannot straddle a stat taken seconds after the tick).
 * So a file whose stat (dev, ino, size, mtime, ctime) equals the row's
 * holds the bytes the tool read.  Rows are trusted only on the boot that
 * wrote them (the kernel's boot_id, as for the stat cache): stat data from
 * another machine means nothing here.  FTRACE_PYFUNC_FPCACHE=0 turns the
 * cache off (benchmarks measure the cold path with it).
 *
 * The views of TOML config files (python/ft_pyconf.c) share the table
 * under a key of their own ("pyconf\n<python>\n<the view tool's stat>"):
 * a row of one family never matches a lookup of the other.
 *
 * Errors: the cache is only a speed-up.  A lookup that cannot read it
 * finds nothing; a store that cannot write (read-only, busy: it never
 * waits for a lock) writes nothing.
 */
#ifndef FT_PYFUNC_FPCACHE_H
#define FT_PYFUNC_FPCACHE_H

#include <stddef.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

struct ft_store;

#define FT_FPCACHE_SETTLE_NS (2 * 1000000000LL)

struct ft_fpcache_file {
	const char *path;     /* borrowed from the caller's `files` */
	struct stat before;
	int statted;          /* `before` is valid */
	int cached;           /* its fingerprint came from the cache */
};

struct ft_fpcache {
	struct ft_fpcache_file *f;
	size_t n;
	long long t0_ns;      /* CLOCK_REALTIME at the lookup */
	int off;              /* FTRACE_PYFUNC_FPCACHE=0 */
};

/* The key of fingerprints made by the interpreter `python` with the tool
 * beside `tool` (a path in the adapters' pytest directory): the
 * interpreter, then the size and mtime of each of the tool's files
 * (ftrace_fingerprint.py, ftrace_pystate.py), so that another version of
 * the tool (an upgrade of ftrace) never takes an earlier one's
 * fingerprints.  A file that cannot be stated counts as "?".  The caller
 * frees it; NULL when out of memory. */
char *ft_fpcache_key(const char *python, const char *tool);

/* The same for another family of rows (the config views of
 * python/ft_pyconf.c): "<family>\n" first (none when NULL), the
 * interpreter, then the size and mtime of each of the `nparts` files
 * `parts` in directory `dir`. */
char *ft_fpcache_key_of(const char *family, const char *python, const char *dir,
			const char *const *parts, size_t nparts);

/* For each path of `files` (a cJSON array of strings): stat it, and if the
 * cache has a row for it with that stat, this boot and the key `python`
 * (ft_fpcache_key), add its
 * fingerprint to `now` ({path: fingerprint}); else append the path to
 * `missing` (a cJSON array).  Returns 0 or -ENOMEM. */
int ft_fpcache_lookup(struct ft_store *st, const char *python, const cJSON *files,
		      cJSON *now, cJSON *missing, struct ft_fpcache *c);

/* After the tool ran over `missing`: store the fingerprints in `now` of
 * the files whose stat is unchanged since the lookup and settled (above).
 * Best effort, never waits for a lock. */
void ft_fpcache_store(struct ft_store *st, const char *python, const struct ft_fpcache *c,
		      const cJSON *now);

void ft_fpcache_release(struct ft_fpcache *c);

#endif
