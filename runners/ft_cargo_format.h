/*
 * ft_cargo_format.h - selections in cargo's and cargo-nextest's own syntax
 * (`ftrace affected --format cargo|nextest`, `ftrace test -- cargo test`),
 * and the tests they would run that were never recorded (docs/cargo.md).
 *
 *  - cargo: one line of `cargo test` arguments per package, `-p PKG --lib
 *    --bin B --test T --example E --bench X`, and a line `-p PKG --doc` of
 *    its own for doc-tests (cargo cannot mix --doc with other targets).
 *  - nextest: one filterset for `cargo nextest run -E`, matching exactly
 *    the given tests: `(binary_id(=B) & test(=T)) | ...`, names escaped.
 *  - A package whose integration test or bench is selected, and which
 *    has an example, runs whole: `-p PKG`, no target flag, its doc-tests
 *    too (a target flag builds no example, and the test may run one).
 *  - With no test, there is NO output: `cargo test` and `cargo nextest
 *    run` without a filter run everything (the empty-set pitfall).
 *  - An id that is not a cargo (resp. nextest) id cannot be expressed:
 *    FT_EFORMAT, with *bad naming it; the caller must not print less.
 *
 * Ownership: returned vectors and strings are malloc'd; the caller frees
 * (ft_cargo_format_free for vectors).
 */
#ifndef FT_CARGO_FORMAT_H
#define FT_CARGO_FORMAT_H

#include <stddef.h>

struct ft_cargo_meta;

/* Argument lines for ids[0..n).  targets[0..nt): every target id here
 * (ft_cargo_format_targets), which says which packages have an example;
 * NULL when not known (then any package may have one). */
int ft_cargo_format_lines(const char *const *ids, size_t n, char *const *targets, size_t nt,
			  char ***lines, size_t *nlines, const char **bad);

/* The same selection as ONE `cargo test` argument vector, appended to
 * nothing: exact when one line would do; otherwise `-p A -p B` (every
 * target of those packages: a superset) and *superset set to 1. */
int ft_cargo_format_argv(const char *const *ids, size_t n, char *const *targets, size_t nt,
			 char ***argv, size_t *nargv, int *superset, const char **bad);

/* The nextest filterset for ids[0..n) ("BINARY_ID TEST_NAME"); NULL when n == 0. */
int ft_cargo_format_nextest(const char *const *ids, size_t n, char **out, const char **bad);

/* Every cargo test id `cargo test` runs in the workspace of `m` (members'
 * test targets, and doc-tests of libraries). */
int ft_cargo_format_all(const struct ft_cargo_meta *m, char ***ids, size_t *n);
/* Leave out of ids (as ft_cargo_format_all gives them, `n` of them, each
 * freed when left out) the targets of members that are not default
 * members: with no package chosen, cargo test works on the default
 * members only (the root package of a workspace that has one; cargo 1.71
 * and later say which: m->has_defaults). */
void ft_cargo_drop_non_default(const struct ft_cargo_meta *m, char **ids, size_t *n);

/* Every target of the workspace members of `m`, whether `cargo test` runs
 * it by default or not (an example, a bench, a target with test = false),
 * and each library's doc-tests: the test ids a recording can have made. */
int ft_cargo_format_targets(const struct ft_cargo_meta *m, char ***ids, size_t *n);


/* Is test id `id` gone, given targets[0..n) (ft_cargo_format_targets)?
 * Only when its package is a member there (some target of it is listed)
 * and it is none of them: another workspace's id, or one that is no
 * cargo id, is not gone. */
int ft_cargo_target_gone(char *const *targets, size_t n, const char *id);

/* Every nextest test id, from `cargo nextest list --message-format json`
 * run here (`args`: extra arguments, or NULL).  FT_EFORMAT if it fails. */
int ft_cargo_format_nextest_list(char *const *args, char ***ids, size_t *n);

void ft_cargo_format_free(char **v, size_t n);

#endif
