/*
 * ft_runner_go.h - `go test` as a process-per-test runner (docs/go.md).
 *
 *  - The runner image: `go` (argv[0] or executable base name) with `test`
 *    as its first non-option argument.
 *  - A test: a direct child of that image whose argv[0] ends in `.test`
 *    (the package's test binary, which go runs from its build directory
 *    with the package directory as cwd).  Its id is the package's import
 *    path: the module path of the nearest go.mod above the cwd, joined
 *    with the cwd relative to that go.mod's directory.  The cwd comes
 *    from the ptrace back end's FT_REC_PROC (FT_PROC_CWD); without it, or
 *    without a go.mod, the process stays in the prelude (sound, coarse).
 *
 * Sources.  The build (go, compile, vet, link) runs before the tests and
 * may come from Go's build cache, so the test processes never read their
 * sources.  ft_go_deps_load() asks `go list -deps -test -json` for every
 * test package of the run and, in each test's context, records every
 * file of every non-standard package its test binary is built from (all
 * Go files, ignored ones included, other sources, embedded files; the
 * package's own _test files for itself), and the listing of each such
 * directory, in a region of its own (`r-go-deps.rec`, the usual record
 * format).  The prelude's uses of exactly those paths are then left out
 * (t->test_srcs): the build read them for every package, and as
 * prelude dependencies one edited .go file would select every test.  If
 * `go list` fails, nothing is left out: every test depends on the whole
 * build (sound, coarse).
 *
 * GOCACHE and GOMODCACHE are content-addressed caches, GOTELEMETRYDIR usage counters: not dependencies
 * (their paths go to the tree's bookkeeping slots).
 *
 * Ownership: the set is the tree's (ft_ptree.test_srcs).  Errors: negative FT_E* / -errno (only
 * -ENOMEM and a run dir that cannot be written are errors).
 */
#ifndef FT_RUNNER_GO_H
#define FT_RUNNER_GO_H

#include <stddef.h>

struct ft_ptree;
struct ft_ptree_proc;

/* Is this argv `go ... test ...`? */
int ft_runner_go_is(const char *exe, char *const *argv, int argc);

/* The test id (import path) of image `p`, a child of a go test image, or
 * NULL when it is not a test binary or its package cannot be named.
 * Caller frees. */
char *ft_runner_go_id(const struct ft_ptree_proc *p);

/* The import path of directory `dir` (a real path) from the nearest go.mod
 * above it; NULL if none.  Caller frees. */
char *ft_go_import_path(const char *dir);

/* After ft_runner_apply(): note GOCACHE, GOMODCACHE and GOTELEMETRYDIR
 * as bookkeeping when the tree ran go; then, if `sources`, for the go tests
 * of the tree write their sources into `<run_dir>/r-go-deps.rec` and keep
 * the set of those paths in t->test_srcs.  (`sources` 0: the whole command is one
 * test, --name, and keeps every source the build read.)
 *
 * Build-only tests: a package that a go test image's package arguments
 * match but that has no test files ("?  pkg  [no test files]") is still
 * built by the command, whose exit status a compile error in it fails.
 * It becomes a test of its own (runner "go", its import path, added to
 * t->tests), whose dependencies are its sources and those of the module
 * packages it imports; its outcome is the go image's (wstatus, the run's
 * wait status, when the image is on top; failed otherwise). */
int ft_go_deps_load(struct ft_ptree *t, const char *run_dir, int sources, int wstatus);

/* The import paths of the packages that `go test ./...` would test or
 * build from `dir` (NULL: the current directory; `go list` with `go` from
 * PATH): with test files, or without (build-only tests, above).
 * FT_EFORMAT when go list fails.  *out: malloc'd strings, caller frees. */
int ft_go_list_tests(const char *dir, char ***out, size_t *n);

/* The same, with `go test`'s build flags (-tags X, -race, ...: words of
 * the command, passed to `go list` as they are, before `-f`), so that the
 * packages are those that command builds (a package whose files all carry
 * a build tag exists only with it).  nflags 0: ft_go_list_tests. */
int ft_go_list_tests_with(const char *dir, char *const *flags, size_t nflags, char ***out,
			  size_t *n);

/* Of the import paths pkgs[0..n), those for which `go list -e`, from `dir`
 * (NULL: the current directory), finds no directory and reports an error:
 * packages that were removed (go test given one stops and runs nothing).
 * A package go finds is never gone, even one that does not build.
 * FT_EFORMAT when go list fails (then nothing may be taken as gone).
 * *out: malloc'd strings, caller frees (ft_go_list_free). */
int ft_go_list_gone(const char *dir, const char *const *pkgs, size_t n, char ***out, size_t *nout);

void ft_go_list_free(char **v, size_t n);

/* Run argv in `dir` (NULL: here) and collect its stdout (ft_spawn.h).
 * 0, or FT_EFORMAT when it cannot start or exits non-zero. */
int ft_go_capture(char *const *argv, const char *dir, char **out, size_t *outlen);

struct ft_store;

/* Forget the recorded go tests (packages) that go no longer finds: for
 * each directory where this run's go test ran (tree `t`), the recorded
 * packages of its module(s) (`go list -m` there: the path, or below it)
 * that run `run_id` did not test, and that ft_go_list_gone() says are
 * gone.  A package of another module is never this one's to forget; if
 * go cannot say, nothing is forgotten.  Within the run's transaction
 * (ft_store_tests_forget); *forgotten gets the count. */
int ft_go_forget_gone(struct ft_store *st, const struct ft_ptree *t, int64_t run_id,
		      size_t *forgotten);

#endif
