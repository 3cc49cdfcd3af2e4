/*
 * ft_runner_cargo.h - `cargo test` (one test per test target) and
 * cargo-nextest (one test per test function) in a run's process tree
 * (ft_ptree.h); the rules are in docs/cargo.md.
 *
 *  - A direct child of a `cargo test` image that runs a test binary
 *    (<target>/<profile>/deps/NAME-HASH, with NAME-HASH.d beside it) is
 *    the test of the target whose crate root the dep-info names first
 *    (`cargo metadata`): PKG/lib, PKG/bin/NAME, PKG/test/NAME, ...
 *    A `rustdoc --test` child is PKG/doc.
 *  - A direct child of a `cargo-nextest ... run` image that runs a test
 *    binary with `--exact NAME` is the test "BINARY_ID NAME".
 *  - Each such test then depends on every source of its target's dep-info
 *    and of the libraries of every package it can link (the package's own
 *    and its dependencies', transitively), for an integration test also
 *    of its package's binaries, and on the toolchain's rustc:
 *    ft_cargo_finish() writes those as read records in the test's context
 *    (a region of its own in the run dir), so a source edit selects the
 *    test even when nothing was compiled during the recording.
 *    With them the environment variables the build reads (cargo's,
 *    rustc's env-dep lines, build scripts' rerun-if-env-changed), and the
 *    whole environment where a workspace member's source among them
 *    iterates it (ft_rust_env.h).
 *  - Those sources (the union over the run's named tests: t->build_srcs),
 *    when cargo stats them (freshness) or rustc/rustdoc read them
 *    (compiling) in the prelude, are build work: such images are marked
 *    `build_work`, and ingest leaves those accesses out of the prelude.  The target
 *    directory is build output (t->bookkeeping[FT_BK_CARGO_TARGET]).
 *
 * Without `cargo metadata` (cargo missing, an unreadable manifest), no
 * child is named: everything stays in the prelude (coarse, sound).
 *
 * Ownership: struct ft_cargo_run owns its memory; ft_cargo_release frees.
 * Errors: -ENOMEM, or ft_recwrite's errors writing the regions.
 */
#ifndef FT_RUNNER_CARGO_H
#define FT_RUNNER_CARGO_H

#include <stddef.h>
#include <stdint.h>

#include <stddef.h>

#include "ft_cargo_meta.h"
#include "ft_map.h"

struct ft_ptree;
struct ft_ptree_proc;

struct ft_cargo_test {
	long test;            /* index into the tree's tests */
	size_t pkg;           /* package index in meta */
	char *depinfo;        /* the test binary's dep-info, or NULL (doc-tests) */
	int kind;             /* enum ft_cargo_kind of its target; 0 doc-tests */
	char *deps_dir;       /* doc-tests: rustdoc's -L dependency=DIR, or NULL */
};

struct ft_cargo_run {
	int tried, loaded;
	struct ft_cargo_meta meta;
	struct ft_cargo_test *tests;
	size_t n, cap;
	char *rustc;          /* the toolchain's rustc, or NULL */
	struct ft_map scanned; /* a member's source -> index into whole */
	unsigned char *whole; /* does it read the whole environment (ft_rust_env.h)? */
	size_t wcap;
};

#define FT_CARGO_RUN_INIT { 0 }

/* Is argv `cargo [opts] test ...`?  Is it `cargo-nextest ... run ...`? */
int ft_cargo_is_test(char *const *argv, int argc);
int ft_cargo_is_nextest(char *const *argv, int argc);

/* Name the test of image `p` whose runner image is `r` (FT_RUNNER_CARGO or
 * FT_RUNNER_NEXTEST).  Returns the test index, -1 when `p` is no test,
 * or -ENOMEM. */
long ft_cargo_name(struct ft_cargo_run *c, struct ft_ptree *t, const struct ft_ptree_proc *r,
		   const struct ft_ptree_proc *p);

/* After every image is named and inherited: mark build work, fill
 * t->build_srcs, t->target_dirs (ft_cargo_target_dirs) and
 * t->bookkeeping[FT_BK_CARGO_TARGET], put cargo's
 * bookkeeping files in its home into t->own_files (ft_cargo_home_own, with
 * this process's CARGO_HOME and HOME), and (run_dir not NULL) write each
 * test's dep-info dependencies into run_dir. */
int ft_cargo_finish(struct ft_cargo_run *c, struct ft_ptree *t, const char *run_dir);

/* Into t->own_files: the global cache tracker's database and journals and
 * the package cache's locks in cargo's home, `cargo_home` when it is
 * absolute, else `home`/.cargo when CARGO_HOME is unset (NULL) and `home`
 * is absolute; nothing for a relative or empty CARGO_HOME.  Both the
 * path as given and its real path.  0 or -ENOMEM. */
int ft_cargo_home_own(struct ft_ptree *t, const char *cargo_home, const char *home);

/* Into t->target_dirs: tests/ and src/bin of each package of `m` without a
 * build script (each also by its real path), where cargo's listings only
 * find test targets (ft_ptree.h).  0 or -ENOMEM. */
struct ft_cargo_meta;
int ft_cargo_target_dirs(const struct ft_cargo_meta *m, struct ft_ptree *t);

/* cargo test runs test binaries one at a time and, without
 * --no-fail-fast, stops at the first that fails.  So after a failed run,
 * a test of runner image runner_of[k] that another of its tests started
 * after surely passed: returns 1 for it, else 0.  (The last one started
 * stays failed: it, or something after it, failed the run.) */
int ft_cargo_passed_before_failure(const struct ft_ptree *t, const size_t *runner_of, size_t k);

void ft_cargo_release(struct ft_cargo_run *c);

/* In the run's transaction, when the tree ran `cargo test` and the store
 * holds cargo tests this run did not record: forget those whose package
 * is a workspace member here (`cargo metadata` in the current directory)
 * and which are none of its targets now (a `tests/common.rs` made a
 * module, an example removed); *forgotten gets the count.  Nothing when
 * cargo cannot say.  0, -ENOMEM or FT_EDB. */
struct ft_store;
int ft_cargo_forget_gone(struct ft_store *st, const struct ft_ptree *t, int64_t run_id,
			 size_t *forgotten);

#endif
