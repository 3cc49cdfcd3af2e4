/*
 * ft_format.h - selections in a runner's own syntax (`ftrace affected
 * --format ctest|node`), and the runners' new tests.
 *
 *  - ctest: one regular expression for `ctest -R` that matches exactly the
 *    given names: ^(a|b)$ with CMake-regex metacharacters escaped.  With
 *    no name there is NO regex: `ctest -R ''` would run every test (the
 *    empty-set pitfall, docs/runners.md).
 *  - node: file paths, one per line, for `node --test FILE...`.
 *  - New tests: ids a runner would run now that the database does not
 *    hold (a new add_test, a new *.test.js) are selected (DESIGN.md).
 *
 * Ownership: returned strings are malloc'd; the caller frees.  Ids added
 * to a selection are not copied: they must outlive it.
 * Errors: -ENOMEM; FT_EINTERNAL when a walk hit its bound.
 */
#ifndef FT_FORMAT_H
#define FT_FORMAT_H

#include <stddef.h>

struct ft_selection;

/* "^(a|b)$" for ids[0..n), or NULL in *out when n == 0. */
int ft_format_ctest_regex(const char *const *ids, size_t n, char **out);

/* Add each of names[0..n) that `known` (every recorded test, e.g. from
 * ft_select_all) lacks to `sel`, as a new test; keeps sel sorted. */
int ft_format_add_new(struct ft_selection *sel, const struct ft_selection *known,
		      char *const *names, size_t n);

/* Is `rel` (a path relative to where node --test runs) a file Node 20's
 * `node --test` runs without arguments? */
int ft_format_is_node_test(const char *rel);

/* Every such file below `dir` (not in node_modules or dot directories),
 * relative to `dir`.  Returns the count in *n; *out is a malloc'd vector of
 * malloc'd strings. */
int ft_format_node_tests(const char *dir, char ***out, size_t *n);

/* The current directory relative to `top` (as given, not resolved): ""
 * at the top, NULL outside. */
const char *ft_format_cwd_rel(const char *top, char *buf, size_t cap);

/* node and jest ids (relative to `top`, or absolute) as paths from the
 * current directory, one per line, leaving out files that are gone:
 * *text is malloc'd. */
int ft_format_paths(const struct ft_selection *sel, const char *top, char **text);

#endif
