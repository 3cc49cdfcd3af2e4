/*
 * ft_bundle.h - a shared recording: the bundle `ftrace export` writes and
 * `ftrace import` / `ftrace merge` read (docs/internals.md, "Bundles").
 *
 * A bundle is data only: names, states, outcomes.  Nothing in it is ever
 * executed, and its paths are rebased onto the importing checkout's top,
 * never followed.
 *
 * The file: a 32-byte header, then the payload.
 *
 *   "FTBUNDLE" | u32 version (5; 1 to 4 read) | u32 flags (0) | u64 payload length |
 *   u64 XXH3-64 (seed 0) of the payload
 *
 * all little endian.  The payload is eleven sections (version 2: without
 * those marked v3; version 1: without v2 and v3 as well) in this order, each a
 * u32 count then its items (str: u32 length + bytes; ostr: the same, with
 * length 0xffffffff for "none"; idx: u32 index into an earlier section, or
 * FT_BUNDLE_NONE):
 *
 *   meta      str key, str value           the fingerprint (FT_BUNDLE_FP_*)
 *   paths     u8 flags, str bytes          FT_BUNDLE_REL: relative to the
 *                                          repository's top ("" is the top);
 *                                          FT_BUNDLE_ENV: "$NAME", an
 *                                          environment variable (ft_envdep.h),
 *                                          never rebased
 *   sets      u32 n, n x (idx path, u8 kind, u64 value)
 *   pystrs    (v3) str                   the Python texts' distinct
 *   pylists   (v3) u32 n, n x idx pystr  strings and lists (ft_bundle_py.h)
 *   runs      ostr command, idx cwd, i64 started_ns, i64 finished_ns,
 *             i32 exit_status, ostr meta_json (the top as FT_BUNDLE_TOP_TOKEN),
 *             v2: ostr py_prelude
 *   tests     str name, ostr runner, idx file, i32 outcome, u8 untraced,
 *             idx run, u32 n, n x idx set,
 *             v5: u32 n, n x idx set (the sets it handed on: shares),
 *             v2: u8 py_complete, ostr py_funcs, ostr py_own, ostr py_lazy
 *   listings  idx path, u64 value, str names (NUL-separated, as stored)
 *   flaky     str name, i64 count, i64 last_ns, i32 last_from, i32 last_to,
 *             i64 clean
 *   pyfps     (v2) idx path, u64 value, str skeleton, str bodies,
 *             str prelude, ostr names
 *   pyconf    (v2) idx path, u64 value, str view
 *
 * From version 3, the Python texts (a run's py_prelude; a test's
 * py_funcs, py_own, py_lazy; a fingerprint's bodies, prelude, names) are
 * each a tagged value over pystrs and pylists instead of a string, which
 * reads back as the same text, byte for byte (ft_bundle_py.h; version 4:
 * ft_bundle_tree.h).
 *
 * Version 5 adds a test's shares: the sets a leaky test handed on in its
 * run (table run_shares, store/ft_store_carry.h), which a later run that
 * does not record it again carries to its tests of the test's runner.
 *
 * Version 4 codes the same fields more tightly.  Every u32, i32, idx and
 * count (and the length of a str or ostr, "none" included) is the
 * shortest LEB128 of (value + 1) mod 2^32 (ft_bundle_rd.h); u8, u64 and
 * i64 stay fixed.  A path's bytes, a test's name and a pystr are
 * front-coded against the one before them in their section: u32 shared,
 * u32 rest's length, the rest (a pystr's length doubled, its low bit set
 * for a digest: a string of lowercase hexadecimal digits of an even
 * length, stored as their bytes, which shares nothing).  Canonical: the
 * shortest integers; `shared` the whole common prefix; a digest always
 * as one.
 *
 * and nothing after.  The reader checks the magic, the version, the
 * length against the file's, the checksum, every count against the bytes
 * left, and every index against its section: any failure is FT_ECORRUPT
 * (FT_ESCHEMA for a newer version) with the reason in `why`.  It does not
 * know dependency kinds or outcomes: the importer checks those.  A
 * version-1 bundle reads with no Python data: its pytest tests import at
 * file granularity (more selected, never fewer).
 *
 * Ownership: a struct ft_bundle owns every string and array it points to;
 * ft_bundle_release() frees them.  Strings are NUL-terminated (a path's
 * `len` excludes the NUL).  Not thread-safe; never prints.
 */
#ifndef FT_BUNDLE_H
#define FT_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

struct ft_err;

#define FT_BUNDLE_MAGIC "FTBUNDLE"
#define FT_BUNDLE_VERSION 5
#define FT_BUNDLE_VERSION_MIN 1     /* the oldest this ftrace reads */
#define FT_BUNDLE_HEADER 32
#define FT_BUNDLE_NONE UINT32_MAX
#define FT_BUNDLE_REL 1u            /* path flag: relative to the top */
#define FT_BUNDLE_ENV 2u            /* path flag: an environment variable's
				     * "$NAME" (an ftrace before it refuses the
				     * bundle: unknown flags) */
#define FT_BUNDLE_TOP_TOKEN "${FTRACE_TOP}"

/* Fingerprint keys (meta). */
#define FT_BUNDLE_FP_REPO "repo"        /* git root commits, sorted, ','-joined; "" without git */
#define FT_BUNDLE_FP_HEAD "head"        /* HEAD's commit when exported, "" without git */
#define FT_BUNDLE_FP_OS "os"            /* uname: sysname release */
#define FT_BUNDLE_FP_MACHINE "machine"  /* uname: machine */
#define FT_BUNDLE_FP_CREATED "created_ns"

struct ft_bundle_kv { char *key, *value; };
struct ft_bundle_path { char *bytes; uint32_t len; uint8_t flags; };
struct ft_bundle_dep { uint32_t path; uint8_t kind; uint64_t value; };
struct ft_bundle_set { struct ft_bundle_dep *deps; uint32_t n; };
struct ft_bundle_run {
	char *command;        /* NULL: none */
	uint32_t cwd;         /* path index, or FT_BUNDLE_NONE */
	int64_t started_ns, finished_ns;
	int32_t exit_status;
	char *meta_json;      /* NULL: none */
	char *py_prelude;     /* pyfunc_runs.prelude, top as token; NULL: none (v2) */
};
struct ft_bundle_test {
	char *name;
	char *runner;         /* NULL: none */
	uint32_t file;        /* path index, or FT_BUNDLE_NONE */
	int32_t outcome;
	uint8_t untraced;
	uint32_t run;         /* run index, or FT_BUNDLE_NONE */
	uint32_t *sets;
	uint32_t nsets;
	/* v2: the pyfunc_tests row of the test's run (funcs and own both
	 * NULL: none) and its pyfunc_lazy row (NULL: none), top as token */
	uint8_t py_complete;
	char *py_funcs, *py_own, *py_lazy;
	uint32_t *shares;     /* v5: set indices it handed on (NULL when none) */
	uint32_t nshares;
};
struct ft_bundle_listing { uint32_t path; uint64_t value; char *names; uint32_t len; };
struct ft_bundle_flaky {
	char *name;
	int64_t count, last_ns, clean;
	int32_t last_from, last_to;
};

/* v2: pyfunc_fps and pyconf_views rows (JSON text as stored, the top as
 * FT_BUNDLE_TOP_TOKEN) */
struct ft_bundle_pyfps {
	uint32_t path;
	uint64_t value;
	char *skeleton, *bodies, *prelude;
	char *names;          /* NULL: none */
};
struct ft_bundle_pyconf { uint32_t path; uint64_t value; char *view; };

struct ft_bundle {
	uint32_t version;     /* read: the file's; written: 0 is FT_BUNDLE_VERSION */
	struct ft_bundle_kv *meta;        size_t nmeta, cmeta;
	struct ft_bundle_path *paths;     size_t npaths, cpaths;
	struct ft_bundle_set *sets;       size_t nsets, csets;
	struct ft_bundle_run *runs;       size_t nruns, cruns;
	struct ft_bundle_test *tests;     size_t ntests, ctests;
	struct ft_bundle_listing *listings; size_t nlistings, clistings;
	struct ft_bundle_flaky *flaky;    size_t nflaky, cflaky;
	struct ft_bundle_pyfps *pyfps;    size_t npyfps, cpyfps;
	struct ft_bundle_pyconf *pyconf;  size_t npyconf, cpyconf;
};

void ft_bundle_release(struct ft_bundle *b);

/* The value of meta `key`, or NULL. */
const char *ft_bundle_meta(const struct ft_bundle *b, const char *key);

/* Appenders: copy what they are given; 0 or -ENOMEM.  ft_bundle_add_path
 * returns the new index in *idx (no deduplication: callers intern). */
int ft_bundle_add_meta(struct ft_bundle *b, const char *key, const char *value);
int ft_bundle_add_path(struct ft_bundle *b, const char *bytes, uint32_t len, uint8_t flags,
		       uint32_t *idx);

/* Parse `len` bytes (a whole file).  0, FT_ECORRUPT or FT_ESCHEMA (`e`,
 * a struct ft_err of common/ft_error.h, holds the code and says what, in a
 * sentence), -ENOMEM.  On failure *b is empty. */
int ft_bundle_parse(struct ft_bundle *b, const unsigned char *buf, size_t len, struct ft_err *e);

/* The file at `path`: read (at most 4 GiB) then parsed.  -errno (in
 * e->code, no reason: the caller names the path) when it cannot be read. */
int ft_bundle_read(struct ft_bundle *b, const char *path, struct ft_err *e);

/* Encode into a malloc'd buffer (*out, *len), in b->version (0: the
 * current one).  0, -ENOMEM, FT_EUSAGE (an index out of range, or
 * version-2 data in a version-1 bundle: a caller's bug). */
int ft_bundle_encode(const struct ft_bundle *b, unsigned char **out, size_t *len);

/* Encode and write to `path` atomically (a temp file beside it, fsync,
 * rename; mode 0644).  0 or -errno. */
int ft_bundle_write(const struct ft_bundle *b, const char *path);

/* Combine `n` bundles of one repository into `out` (empty on entry): a
 * test in several keeps the recording whose run finished last (ties: the
 * later bundle); the sets (its shares' too), runs, paths and listings it
 * references come along, deduplicated, with its Python rows; flaky marks
 * are united (the larger count); the Python sections hold one row per
 * (path, value), a fingerprint's prelude qualnames united.  The meta of
 * the last bundle is kept; `out` is of the current version.  0, -ENOMEM, FT_ECORRUPT (a
 * prelude that is not a JSON array of strings). */
int ft_bundle_merge(struct ft_bundle *out, const struct ft_bundle *const *in, size_t n);

/* --- relocating (common/ft_bundle_path.c) ---------------------------------- */

/* `top` as JSON writes it inside a string (cJSON's escapes), malloc'd, or
 * NULL when out of memory. */
char *ft_bundle_json_escape(const char *top);

/* `json` with every string, or tab-separated part of a string (after an
 * escaped tab: a re-export key "@>N\tA\tFILE"), that starts with `from`
 * followed by '/', the string's end ('"') or a tab, made to start with
 * `to` instead: the repository's top
 * in a run's metadata text (runner directories, pytest's rootdir) to the token
 * FT_BUNDLE_TOP_TOKEN and back.  `from` and `to` as ft_bundle_json_escape
 * gives them.  malloc'd, or NULL when out of memory. */
char *ft_bundle_json_swap(const char *json, const char *from, const char *to);

/* The union of two JSON arrays of strings (a's in order, then b's not in
 * a), as pyfunc_fps.prelude holds the qualnames the preludes ran: into
 * *out, malloc'd.  0, FT_ECORRUPT (not arrays of strings), -ENOMEM. */
int ft_bundle_json_union(const char *a, const char *b, char **out);

/* Is `p` (len bytes) a relative path whose ".." parts never climb above
 * the top it is rebased on?  Export writes only such paths as relative
 * (others as they are), the reader refuses any other. */
int ft_bundle_rel_ok(const char *p, uint32_t len);

/* Bundle path `i` of `b` as an absolute path under `top` (relative ones)
 * or as it is, into buf.  Its length, or FT_ETOOLONG. */
int ft_bundle_path_abs(const struct ft_bundle *b, uint32_t i, const char *top, char *buf,
		       size_t cap);

#endif
