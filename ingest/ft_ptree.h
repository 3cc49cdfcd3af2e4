/*
 * ft_ptree.h - a run's process tree, rebuilt from its regions, and the
 * tests that process-per-test runners (ctest, node --test, go test) ran in it.
 *
 * Every region header carries pid, ppid and start time; the FT_REC_PROC
 * record carries the image's argv (ft_record.h), and the ptrace back end's
 * its cwd too.  From these
 * the tree is rebuilt at ingest, so the interposer stays minimal:
 *  - an image's parent is the latest earlier region of the same pid with
 *    the same ppid (an exec, or a full region continued), else the latest
 *    region of its ppid that started no later than it;
 *  - a runner rule (runners/ft_runners.h, which ingest only reaches through
 *    the hooks it is given, ft_ingest.h) names the test of an image from
 *    its argv and its parent's, and sets its collection policy; an image no
 *    rule names inherits its parent's test.
 * Ingest then moves every record of such a region whose context is the
 * prelude ("") to that test.  Records already in a test context
 * (FTRACE_TEST_ID, the pytest plugin) keep it.
 *
 * Pid reuse within one run is resolved by time order only (a reused pid
 * starts after the first holder's regions).  How each process ended comes
 * from FT_REC_EXIT records (ft_record.h), tied to processes by
 * ft_ptree_link below; a process without one has no known status.  NEEDSWORK: a pid reused by an
 * unrelated process with the same ppid would be taken for an exec.
 *
 * Ownership: struct ft_ptree owns its strings; ft_ptree_release() frees.
 * Errors: -ENOMEM, or the region reader's error.  Not thread-safe.
 */
#ifndef FT_PTREE_H
#define FT_PTREE_H

#include <stddef.h>
#include <stdint.h>

#include "ft_map.h"

#define FT_PTREE_NONE ((size_t)-1)

/* How ingest folds a runner image's own records (its runner's collection
 * policy, set with its kind).  Every runner image's successful stats and
 * listings only look for test files: they count as types (ft_collect.c),
 * unless a bit here says otherwise. */
enum ft_ptree_policy {
	FT_POLICY_STATS_CONTENT = 1,  /* its own stats stay content: they are its
				       * freshness check (cargo); listings are types */
	FT_POLICY_TESTS_IN_IMAGE = 2, /* it runs tests in its own image (jest -i):
				       * accesses in a test's context are content */
	FT_POLICY_ISOLATES = 4,       /* each test it runs in its own image, or in a
				       * worker process it started, begins from
				       * fresh module state (jest: a new module
				       * registry and global object per test file),
				       * so one test keeps nothing for the next one
				       * in memory (ingest/ft_kept.h) */
	FT_POLICY_SCAN_GONE = 8,      /* its own type-only stats are a walk for
				       * test files, which finds only which files
				       * exist: what each test loads it reads
				       * itself.  While its tests are child
				       * processes (node --test), an entry the walk
				       * saw that is gone since is no change (reader
				       * FT_READER_SCAN, ft_collect.c): a gone test
				       * file cannot run, any other entry's going
				       * changes no file a test reads.  (A runner's
				       * FT_CONTEXT_SCAN windows, jest's crawl, are
				       * such a walk whatever the image.) */
};

struct ft_ptree_proc {
	char *file;          /* the region file, as ft_reclog names it */
	int32_t pid, ppid;
	uint32_t seq;
	uint64_t start_ns;
	uint32_t backend;    /* enum ft_backend */
	char *exe;           /* FT_REC_PROC's executable, or NULL */
	char **argv;         /* NULL-terminated, or NULL when not recorded */
	int argc;
	int argv_cut;        /* the argv was truncated: never match on it */
	char *cwd;           /* the cwd at exec (FT_PROC_CWD, ptrace back end), or NULL */
	int ptexec;          /* `ftrace __ptrace-exec` standing in for argv: it ends
			      * as the program did */
	size_t parent;       /* index of the parent image, FT_PTREE_NONE */
	int runner;          /* the kind of runner this image is (a row's kind,
			      * runners/ft_runners.h); 0 none */
	unsigned policy;     /* enum ft_ptree_policy bits of that runner */
	long test;           /* index into tests[], -1 none */
	int build_work;      /* build work outside any test (cargo, rustc,
			      * rustdoc): its accesses of build_srcs are left out */
	uint64_t first_ns;   /* t_ns of its region's first record (CLOCK_MONOTONIC,
			      * ft_record.h); 0 unknown */
	int named;           /* a runner named its test from this image (not
			      * inherited): the process is the test */
	int tests_below;     /* a runner image (each of its regions) below which
			      * its runner named a test, with no other runner
			      * image between: its tests are processes of their
			      * own (ft_runner.c; FT_POLICY_SCAN_GONE) */
	int exit_known;      /* on a process's head image (ft_ptree_proc_head):
			      * 1 wstatus is how it ended; 0 not known; -1 two
			      * records disagree (not known either) */
	int wstatus;
};

/* An FT_REC_EXIT as read (ft_ptree_exit.c ties it to its process). */
struct ft_ptree_exit {
	const char *file;    /* the region that holds it (a procs[].file) */
	uint32_t flags;      /* enum ft_exit_flags */
	int32_t pid, wstatus;
	uint64_t t_ns;
};

struct ft_ptree_test {
	char *id;
	const char *runner;  /* its runner's name ("ctest", "node") */
	int outcome;         /* enum ft_outcome */
	int tree_outcome;    /* the outcome holds wherever its context shows up:
			      * a test with records but no process of its own
			      * (go's build-only packages) */
	int guessed;         /* failed because its run failed or its runner is
			      * not the top process: the run's outcome, not
			      * its own (the runner cannot tell) */
	int64_t own_ns;      /* its runner's own timing of it (ctest's log,
			      * nextest's JUnit); -1: none (ft_store_times.h) */
	int partial;         /* its runner ran only part of it (a name filter:
			      * ft_runners.h, partial): stored untraced */
	int untold;          /* its runner cannot tell its process from
			      * another test's (ctest: one command for two
			      * tests): not stored, and forgotten (its
			      * runner's forget), so new: always selected */
};

/* Slots for the runners' own state dirs (which runner uses which slot is
 * theirs to say: runners/ft_runner.h, enum ft_bookkeeping). */
#define FT_PTREE_BK_MAX 8

struct ft_ptree {
	struct ft_ptree_proc *procs;  /* sorted by start_ns after ft_ptree_link() */
	size_t n, cap;
	struct ft_ptree_test *tests;
	size_t ntests, tests_cap;
	struct ft_map files;          /* region file -> dense key, see index */
	size_t *index;                /* dense key -> procs[] index; NULL: scan */
	char *bookkeeping[FT_PTREE_BK_MAX]; /* runners' own state dirs, not
					  * dependencies; or NULL */
	struct ft_map *test_srcs;     /* sources whose records each test has of its
				       * own (go's package sources): the prelude's
				       * uses of them are left out; or NULL */
	struct ft_map build_srcs;     /* sources that build work (build_work
				       * images) stats and reads: each cargo
				       * test depends on its own instead */
	struct ft_map own_files;      /* runners' own files (Automake's .log,
				       * .trs, test-suite.log): absolute paths */
	struct ft_map target_dirs;    /* directories a runner whose own stats are
				       * content (FT_POLICY_STATS_CONTENT) lists
				       * only to find test targets, each new one
				       * a new test: there its listing is the
				       * entries' types; any other listing of it
				       * is a listing (cargo, docs/cargo.md) */
	struct ft_ptree_exit *exits;  /* every FT_REC_EXIT, bound by ft_ptree_link */
	size_t nexits, exits_cap;
	char note[512];               /* a runner's word for the user: a side file
				       * of its own it refused (nextest's JUnit
				       * report), or "" (ft_ingest_stats.note) */
};

#define FT_PTREE_INIT { 0 }

/* Read the regions of `run_dir` and link parents (ft_ptree_link). */
int ft_ptree_build(struct ft_ptree *t, const char *run_dir);

/* Add one image (tests build trees by hand).  argv: `argv_len` bytes of
 * NUL-terminated strings, or NULL.  Returns its index or -ENOMEM. */
long ft_ptree_add(struct ft_ptree *t, const char *file, int32_t pid, int32_t ppid,
		  uint32_t seq, uint64_t start_ns, uint32_t backend, const char *exe, const char *argv,
		  size_t argv_len, int argv_cut);

/* Sort by start time and set each image's parent, then tie each exit
 * record to its process (exit_known, wstatus on the head image):
 *  - FT_EXIT_SELF: the process of the region that holds it;
 *  - FT_EXIT_REAPED by process R of pid P at time T: the process of pid P
 *    whose head region's ppid is R's pid and whose first record is the
 *    latest before T; none when another reap of P by R's pid lies between
 *    that first record and T (the pid was reused by a child that wrote no
 *    region: the status is that child's), or when no image qualifies.
 * Two records that disagree leave the status unknown (-1). */
void ft_ptree_link(struct ft_ptree *t);

/* Add an exit record of region `file` (tests build trees by hand; then
 * ft_ptree_link).  0 or -ENOMEM. */
int ft_ptree_add_exit(struct ft_ptree *t, const char *file, uint32_t flags, int32_t pid,
		      int32_t wstatus, uint64_t t_ns);

/* How the process of image i ended: 1 and *wstatus when known, else 0. */
int ft_ptree_exit_of(const struct ft_ptree *t, size_t i, int *wstatus);

/* ft_ptree_link's second half (ft_ptree_exit.c). */
void ft__ptree_exits_bind(struct ft_ptree *t);

/* The image that started this process: follows same-pid parents back to
 * the first image of the process (its fork child, or itself). */
size_t ft_ptree_proc_head(const struct ft_ptree *t, size_t i);

/* The test named `id` (interning it).  Returns its index or -ENOMEM. */
long ft_ptree_test(struct ft_ptree *t, const char *id, const char *runner);

/* Give each image without a test of its own its parent's test (in start order). */
void ft_ptree_inherit(struct ft_ptree *t);

/* The image of region file `file`, or NULL. */
const struct ft_ptree_proc *ft_ptree_proc_of(const struct ft_ptree *t, const char *file);

/* The test id of region file `file`, or NULL. */
const struct ft_ptree_test *ft_ptree_test_of(const struct ft_ptree *t, const char *file);

/* Is p[0..len) one of t->test_srcs (t may be NULL)? */
int ft_ptree_is_test_src(const struct ft_ptree *t, const char *p, size_t len);

/* Is p[0..len) one of t->own_files (t may be NULL)? */
int ft_ptree_is_own_file(const struct ft_ptree *t, const char *p, size_t len);

/* Is p[0..len) one of t->target_dirs (t may be NULL)? */
int ft_ptree_is_target_dir(const struct ft_ptree *t, const char *p, size_t len);

void ft_ptree_release(struct ft_ptree *t);

#endif
