/*
 * ft_collect.h - fold a run's records into one table of (test, path) accesses.
 *
 * Ingest's first stage.  It reads every region of the run (ft_reclog.h),
 * follows each region's current context (test id, "" for the prelude), and
 * keeps, per (context, path), what the dependency kinds will be decided
 * from: which lookups succeeded and how, whether one failed as absent, and
 * the order of the first read and the first create (a path the context
 * created before reading is its output, not its input).  Run-wide, it keeps
 * who wrote each path and who changed each directory's entries, so the
 * second stage can tell the run's own modifications from outside ones.
 *
 * A runner's start-up (FT_CONTEXT_STARTUP_END): in a region that starts in
 * the prelude, the uses of a shared config file (pyproject.toml, tox.ini,
 * setup.cfg) between the image's PROC record
 * and that marker count as the start-up's (ft_acc.startup) if no other
 * switch came first; every other use counts as general.
 *
 * Ownership: struct ft_collect owns everything; ft_collect_release() frees.
 * Errors: -ENOMEM, or the reader's error for an unreadable run dir.
 */
#ifndef FT_COLLECT_H
#define FT_COLLECT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ft_map.h"
#include "ft_record.h"

/* What a context wants to know about a path, decided per record. */
enum ft_want {
	FT_WANT_CONTENT = 1u << 0, /* read, exec'd, mapped: content (a dir: listing) */
	FT_WANT_STAT    = 1u << 1, /* stat that follows links */
	FT_WANT_LSTAT   = 1u << 2, /* lstat: the link itself */
	FT_WANT_LIST    = 1u << 3, /* directory entries */
	FT_WANT_LINK    = 1u << 4, /* readlink target */
	FT_WANT_ABSENT  = 1u << 5, /* a lookup failed with ENOENT/ENOTDIR */
	FT_WANT_TYPE    = 1u << 6, /* a lookup failed otherwise: it exists in some form */
	FT_WANT_CLIST   = 1u << 7, /* directory entries, listed by pytest's collector
				    * (FT_CONTEXT_COLLECT): FT_DEP_LIST of FT_READER_COLLECT */
	FT_WANT_ILIST   = 1u << 8, /* directory entries, listed by Python's import
				    * system (FT_CONTEXT_IMPORT): FT_DEP_LIST of FT_READER_IMPORT */
	FT_WANT_CTYPE   = 1u << 9, /* stat of an entry of a directory the context
				    * listed in a collect window, in one:
				    * FT_DEP_TYPE of FT_READER_COLLECT */
	FT_WANT_LTYPE   = 1u << 10, /* a lookup that follows no link failed on a
				     * path that is there (readlink's EINVAL on
				     * a directory, O_NOFOLLOW's ELOOP): its
				     * lstat type, FT_DEP_LTYPE */
	FT_WANT_STYPE   = 1u << 11, /* a runner's walk for test files saw it
				     * (FT_POLICY_SCAN_GONE): FT_DEP_TYPE of
				     * FT_READER_SCAN */
	FT_WANT_SNLIST  = 1u << 12, /* a `__snapshots__` directory beside one
				     * jest's crawl listed: FT_DEP_LIST of
				     * FT_READER_JEST_SNAPSHOTS */
};

#define FT_CTX_NONE UINT32_MAX

enum { FT_MADE_FILE = 1, FT_MADE_TRUNC = 2 };

struct ft_acc {
	uint32_t ctx, path;
	uint32_t want;            /* enum ft_want */
	uint64_t first_use;       /* time (t_ns) of the first successful non-mutating use; 0 none */
	uint64_t first_seen;      /* time of its first record of any kind (a
				   * failed lookup too); 0 none */
	uint64_t first_create;    /* ... of the first truncate or certain creation; 0 none */
	uint8_t first_excl;       /* that first one was an exclusive create
				   * (FT_AC_EXCL): it saw the name absent */
	uint8_t first_file;       /* that first one made a file without asking
				   * first: FT_MADE_FILE (an open with O_TRUNC
				   * and O_CREAT, creat, a rename over the
				   * name), FT_MADE_TRUNC (O_TRUNC alone: the
				   * file was there); 0 otherwise */
	uint8_t wrote;            /* this context modified the path */
	uint8_t deleted;          /* this context removed the path */
	uint8_t delete_dir;       /* its first removal (first_delete) was an rmdir */
	uint8_t dir_changed;      /* this context added/removed entries (not caches) of this dir */
	uint8_t image;            /* exec'd or mapped (a program, a shared library) */
	uint64_t first_delete;    /* time of this context's first successful unlink
				   * or rmdir of the path (not a rename); 0 none */
	uint64_t first_creat;     /* ... of its first successful open with O_CREAT
				   * (FT_AC_CREATE: made, or opened if there); 0 none */
	uint64_t first_attr;      /* time of this context's first chmod or chown of the
				   * path (FT_AC_ATTR); 0 none */
	uint64_t first_symlink;   /* time this context made a symlink at the path; 0 none.
				   * Not a first_create: what a read through the link
				   * reaches is the target, which the link did not make */
	/* Kept for the shared config files in the prelude only
	 * (FT_CONTEXT_STARTUP_END):
	 * `startup`, some use came from a runner's start-up that a marker
	 * confirmed; `want_general`, what the other uses wanted (ft_want, plus
	 * FT_WANT_CONTENT for a write). */
	uint8_t startup;
	uint32_t want_general;
	/* In the prelude: some read of the path's bytes came outside an
	 * import window (FT_CONTEXT_IMPORT, which ftrace_pysite opens around
	 * the import system's own reads of a module's source): a reader that
	 * may do anything with them (hypothesis collecting literals, a module
	 * reading a source file as data).  Python function granularity keeps
	 * every test for a change of such a file (python/ft_pyfunc_rec.c),
	 * if the first such read came before some test's end (first_data). */
	uint8_t data_read;
	uint64_t first_data;      /* time (t_ns) of the first such read */
	/* For "after every test" (ft_ingest.c, resolve_acc): what the uses
	 * that only asked whether the path exists, and as what, wanted
	 * (FT_WANT_WEAK bits: a runner image's stat of a source, a failed
	 * lookup), and the time of the first use that wanted more. */
	uint32_t want_weak;
	uint64_t first_strong;    /* 0 none */
};

/* The wants that ask only whether a path exists, and as what. */
#define FT_WANT_WEAK (FT_WANT_ABSENT | FT_WANT_TYPE | FT_WANT_CTYPE | FT_WANT_LTYPE | FT_WANT_STYPE)

struct ft_ctxinfo {
	int is_test;              /* non-empty id */
	int began;                /* TEST_BEGIN or CONTEXT seen */
	int outcome;              /* enum ft_outcome, worst seen; UNKNOWN if never ended */
	int guessed;              /* outcome is the run's, not the test's (ft_ptree.h) */
	int ended;
	int end_marked;           /* a TEST_END record ended it (its runner marked
				   * the end; not a process-tree rule's) */
	int untraced;
	int partial;              /* untraced because its runner ran only part
				   * of it (ft_ptree_test.partial) */
	int execed;               /* a program was exec'd in it (a new image: what
				   * it ran is no in-process recorder's) */
	uint64_t last_exec;       /* time (t_ns) of its latest exec; 0: none; UINT64_MAX:
				   * one without a time */
	const char *runner;       /* set by a process-tree rule (ft_runner.h), else NULL */
	int32_t begin_pid;        /* the process whose TEST_BEGIN started it; 0: none */
	size_t begin_img;         /* the image (ft_ptree procs[] index) that wrote
				   * that TEST_BEGIN, FT_PTREE_NONE: not known */
	int64_t own_ns;           /* its runner's own timing plus one, from the
				   * process tree (ft_ptree_test.own_ns) or its
				   * end marks (FT_REC_TEST_END's aux); 0: none */
	uint64_t first_ns, last_ns; /* CLOCK_MONOTONIC of its first and last record
				   * (start and end marks, its own accesses, and
				   * the EXIT records of its processes; never a
				   * region written at ingest, FT_REGION_AT_INGEST):
				   * the wall time ftrace saw it run; 0: none */
};

struct ft_pathinfo {
	uint32_t writer;          /* first context that modified it, FT_CTX_NONE */
	uint8_t writers_many;     /* modified by more than one context */
	uint32_t dir_changer;     /* first context that changed its entries, FT_CTX_NONE */
	uint8_t dir_changers_many;
	uint8_t dir_neutral_change;/* the run changed entries in ways a listing does not
				    * show: runner caches, or entries it made and removed */
	uint8_t dir_unread_by;    /* bit r (1 <= r < 8): each entry the run made or
				   * removed here (dir_changer's) is, by itself,
				   * none to a listing of reader r (entry_unread) */
	uint32_t moder;           /* first context that changed its mode or owner
				   * (chmod, chown: FT_AC_ATTR but not utime, which
				   * changes neither), FT_CTX_NONE */
	uint8_t moders_many;
	uint32_t link_src;        /* made by link() in this run: the source's path
				   * index + 1, FT_LINK_SRC_UNKNOWN when the source is
				   * not known (unnamed, records out of pair, two
				   * different sources); 0: not made by link() */
};
#define FT_LINK_SRC_UNKNOWN UINT32_MAX

struct ft_dir_event;
struct ft_ptree;

/* One FT_REC_TIMES record: a utime's stat evidence (ft_record.h). */
struct ft_times_rec {
	uint32_t path;            /* path index, as the record names it */
	uint64_t t;               /* the record's t_ns */
	struct ft_times v;
};

struct ft_collect {
	struct ft_map ctx_ids;    /* test id -> ctx index; "" is the prelude */
	struct ft_map paths;      /* path -> path index */
	struct ft_map acc_index;  /* (ctx, path) -> acc index */
	struct ft_ctxinfo *ctx;   /* by ctx index */
	size_t ctx_cap;
	struct ft_pathinfo *pinfo;/* by path index */
	size_t pinfo_cap;
	struct ft_acc *acc;
	size_t nacc, acc_cap;
	struct ft_times_rec *times; /* every FT_REC_TIMES, in walk order */
	size_t ntimes, times_cap;
	struct ft_dir_event *events; /* creates and deletes, in walk order */
	size_t nevents, events_cap;
	size_t regions, records, damaged;
	size_t refused;           /* r-*.rec names that were no regular file */
	int launched;             /* input: the run dir is ft_launch_run's, so it must
				   * hold the launcher's region and a region of the
				   * process it started (see ft_collect_run) */
	int lost;                 /* output: one of them is missing, or a region
				   * the run's ledger lists (ft_record.h) */
	char lost_name[256];      /* output: that region's file name, if known */
	size_t unrecorded;        /* processes that stopped recording (ft_reclog.h) */
	int unrecorded_err;       /* why the first did (errno) */
	char refused_name[256];   /* the first of them */
	int prelude_untraced;     /* untraced outside any test: every test of the run */
	struct ft_map env_names;  /* environment variables read (FT_REC_ENV) */
	struct ft_map env_reads;  /* each (ctx, name index) once, as two uint32_t:
				   * ft_collect_env_read() */
	uint64_t *env_last;       /* by env_reads index: time (t_ns) of its latest
				   * read (UINT64_MAX: one without a time) */
	size_t env_last_cap;
	struct ft_map env_plain;  /* the (ctx, name index) pairs of env_reads that a
				   * process other than a runner image read
				   * (FT_REC_ENV only): ft_collect_env_plain() */
	const struct ft_ptree *ptree; /* input, or NULL: a region whose process a runner
				       * rule names (ft_ptree.h) has its prelude records
				       * moved to that test */
	/* input, or NULL: is a process image's program one whose reads
	 * (accesses that change nothing) and environment reads are no
	 * dependencies (.ftrace.json's "ignore_programs", the user's
	 * promise)?  Asked once per region,
	 * with the image's executable as the process tree has it (needs
	 * ptree); a region of no known image is never ignored. */
	int (*ignore_program)(void *arg, const char *exe, size_t len);
	void *ignore_arg;
	/* input, or NULL: is an entry the run made (added 1) or removed in
	 * `dir` none to a listing of reader r by itself (the runners' rule,
	 * ft_ingest.h's entry_unread)?  Fills ft_pathinfo.dir_unread_by. */
	int (*entry_unread)(int reader, const char *dir, const char *name, int added);
	int git_prelude;          /* output: a program named git, not ignored, read a
				   * .git/HEAD outside any test: the repository's
				   * commit is then every test's dependency */
};

#define FT_COLLECT_INIT { 0 }

int ft_collect_run(struct ft_collect *c, const char *run_dir);

/* The latest end (ft_ctxinfo.last_ns) of any test of the run; 0: none
 * known. */
uint64_t ft_collect_tests_end(const struct ft_collect *c);

/* When every test of the run was over: ft_collect_tests_end, if the run
 * has tests and each one's end was marked (a TEST_END: its runner said it
 * was done, and its outcome was final) or, for a process-tree rule's test
 * (ctest, node --test, go test, cargo: ft_ptree.h), every process of it
 * ended with a known status; else 0, never.  What the prelude did after
 * that reached no test (ft_ingest.c, "After every test"). */
uint64_t ft_collect_settled(const struct ft_collect *c);

/* Is `a` a read of the path's bytes as data (ft_acc.data_read) that some
 * test could see: one that came before `tests_end` (ft_collect_tests_end;
 * 0: every read counts)?  A read after every test's end (a report at the
 * session's end, as coverage makes) reached none. */
static inline int ft_acc_read_as_data(const struct ft_acc *a, uint64_t tests_end)
{
	return a->data_read && (!tests_end || a->first_data <= tests_end);
}

/* The i-th (context, variable) pair of map m (env_reads or env_plain). */
static inline const char *ft__collect_env_pair(const struct ft_collect *c, const struct ft_map *m,
					       uint32_t i, uint32_t *ctx, size_t *len)
{
	uint32_t key[2];
	size_t klen;

	memcpy(key, ft_map_key(m, i, &klen), sizeof(key));
	*ctx = key[0];
	return ft_map_key(&c->env_names, key[1], len);
}

/* The i-th (context, variable) read of the run (i < env_reads.count):
 * its context index, and the variable's name (len bytes). */
static inline const char *ft_collect_env_read(const struct ft_collect *c, uint32_t i,
					      uint32_t *ctx, size_t *len)
{
	return ft__collect_env_pair(c, &c->env_reads, i, ctx, len);
}

/* The i-th (context, variable) read of env_plain, as ft_collect_env_read. */
static inline const char *ft_collect_env_plain(const struct ft_collect *c, uint32_t i,
					       uint32_t *ctx, size_t *len)
{
	return ft__collect_env_pair(c, &c->env_plain, i, ctx, len);
}

/* The time (t_ns) of the latest record of the i-th (context, variable)
 * read (UINT64_MAX: one had no time). */
static inline uint64_t ft_collect_env_last(const struct ft_collect *c, uint32_t i)
{
	return i < c->env_last_cap ? c->env_last[i] : UINT64_MAX;
}

/* Index of the context named `id` (interning it). */
int ft_collect_ctx(struct ft_collect *c, const char *id, size_t len, uint32_t *out);

void ft_collect_release(struct ft_collect *c);

#endif
