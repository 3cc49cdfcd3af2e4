/*
 * ft_runner_argv.h - `ftrace test -- ctest ...` and `ftrace test -- node
 * --test ...`: the runner's command narrowed to a selection, in the
 * runner's own syntax (docs/runners.md).  Each runner's narrowing is its
 * row's `narrow` (runners/runner_NAME.c, ft_runners.h); this file holds
 * the entry points that loop over the table and the helpers they share.
 *
 *  - ctest: `ctest ARGS -R ^(a|b)$`, over the tests `ctest
 *    --show-only=json-v1 ARGS` lists here; listed tests the database lacks
 *    are new and selected.
 *  - node: `node OPTS --test FILE...`, over the files `node --test` would
 *    run from here (ft_format_node_tests); unknown files are new.
 *  - Automake: `make ARGS check TESTS="a b"`, over the Makefile's TESTS
 *    (ft_automake_list); entries the database lacks are new.
 *  - jest (`jest`, `npx jest`, `npm test` running jest: ft_runner_jest.h):
 *    `CMD [--] --runTestsByPath FILE...` (absolute paths), over the files
 *    `jest --listTests ARGS` lists here; unknown files are new.
 *  - go: `go test FLAGS ./...` -> `go test FLAGS PKG...`, over the packages
 *    with tests `go list ./...` finds here; only when every flag is a known
 *    one that does not change which files build, in any spelling (docs/go.md).
 *
 * The command is left as it is (everything runs) when it already chooses
 * its tests (ctest -R/-E/-L/-I/..., node with file arguments) or when the
 * runner's list cannot be read: a narrower set is never guessed.
 *
 * Ownership: *out is a malloc'd NULL-terminated vector whose strings are
 * malloc'd; ft_runner_argv_free() frees it.
 */
#ifndef FT_RUNNER_ARGV_H
#define FT_RUNNER_ARGV_H

#include <stddef.h>

struct ft_err;
struct ft_selection;

enum ft_runner_plan {
	FT_RUNNER_PLAN_NARROWED = 1, /* run *out */
	FT_RUNNER_PLAN_NOTHING = 2,  /* nothing affected: run nothing */
	FT_RUNNER_PLAN_ALL = 3,      /* run the command as is; `e` (struct ft_err, code 0) says why */
	FT_RUNNER_PLAN_DESELECTED = 4, /* run the command as is, with the
					* known unselected tests in a file
					* its runner reads (pytest) */
};

/* FT_RUNNER_CTEST, FT_RUNNER_NODE, FT_RUNNER_JEST, FT_RUNNER_AUTOMAKE,
 * FT_RUNNER_GO (ft_runner.h) for a command that is the runner itself
 * (`ctest ...`, `node ... --test ...`, `jest ...`, `npx jest ...`, `npm
 * test` whose script is jest, `make check` over an Automake harness here,
 * `go test ...`), else 0. */
int ft_runner_cmd_kind(char *const *cmd);

/* A plan for `cmd` given the complete selection `sel` and every known test
 * `all` (both sorted by id); `top` is the repository top (node ids are
 * relative to it).  Returns an enum ft_runner_plan (*nselected tests in
 * *out), or -ENOMEM. */
int ft_runner_argv_plan(char *const *cmd, const struct ft_selection *sel,
			const struct ft_selection *all, const char *top, char ***out,
			size_t *nselected, struct ft_err *e);

void ft_runner_argv_free(char **argv);

/* The words a runner's narrowing put into `cmd` at one place (appended:
 * ctest's -R, node's files, jest's --runTestsByPath and files; inserted
 * before a `--`: cargo's -p and --test), NULL-terminated, pointing into
 * `narrowed` (free the array only).  NULL when `narrowed` is not `cmd`
 * with words put in at one place (go's packages in place of ./...), is
 * `cmd` itself, or on ENOMEM (the runners' entries then keep every word:
 * what they did before). */
char **ft_runner_argv_inserted(char *const *cmd, char *const *narrowed);

/* Helpers for the rows' narrow operations (ft_runners.h). */
size_t ft_runner_argv_count(char *const *v);
/* cmd[0..n) + extra[0..m), all copied; NULL on -ENOMEM */
char **ft_runner_argv_concat(char *const *cmd, size_t n, char *const *extra, size_t m);
/* Is `id` in `sel` (sorted by id)? */
int ft_runner_argv_has(const struct ft_selection *sel, const char *id);
/* The runner's tests to run, names[0..n): those selected, and those the
 * database does not know (new); *out is malloc'd, its strings names'. */
int ft_runner_argv_pick(const struct ft_selection *sel, const struct ft_selection *all,
			char *const *names, size_t n, const char ***out, size_t *nout);
/* Move the names of keep[0..n) that are in `first` (NULL: none) to the
 * front, each group keeping its order (--failed-first). */
void ft_runner_argv_first(const char **keep, size_t n, const struct ft_selection *first);
/* The current directory relative to `top` ("" at the top; both resolved),
 * NULL outside. */
const char *ft_runner_argv_cwd_rel(const char *top, char *buf, size_t cap);

/* `node [OPTS] --test [OPTS]` naming no file of its own, with options
 * known here (their values as `--opt=v` or the next word): 1, else 0. */
int ft_runner_node_narrowable(char *const *cmd);

/* Does `ctest ARGS` choose its tests itself (-R, -E, -L, -I, -U,
 * --rerun-failed, ..., attached values too)?  1 or 0. */
int ft_runner_ctest_chooses(char *const *cmd);

/* `go test FLAGS ./...` that may be narrowed: 1 with *at the index of
 * `./...`, else 0 (see go_flags in the .c file for the flags known).
 * build (may be NULL; at least as many slots as cmd has words) receives
 * the words of the build flags that change which files build (-tags X or
 * -tags=X, -race, -msan, -asan, -compiler, -overlay, -modfile, -mod), in
 * order, *nbuild of them: the narrowing lists packages with them. */
int ft_runner_go_narrowable(char *const *cmd, size_t *at);
int ft_runner_go_narrowable_build(char *const *cmd, size_t *at, char **build, size_t *nbuild);

#endif
