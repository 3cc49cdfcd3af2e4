/*
 * ft_cargo_spec.h - how `cargo test -p` names a workspace member: by its
 * name, or where the name alone is ambiguous, by NAME@VERSION
 * (docs/cargo.md, "--format cargo").
 */
#ifndef FT_CARGO_SPEC_H
#define FT_CARGO_SPEC_H

#include <stddef.h>

struct ft_cargo_meta;

/*
 * The spec `-p` must take for each workspace member whose name alone is
 * ambiguous: the workspace's Cargo.lock holds another package of that name
 * (a dependency of another version: insta pulls in similar 2.7.0 where the
 * workspace is similar 3.2.0, and `cargo test -p similar` fails).  Each
 * entry "NAME NAME@VERSION" (*n 0: every name is unique, or the lock cannot
 * be read, or cargo gave no version).  0 or -ENOMEM.
 */
int ft_cargo_format_specs(const struct ft_cargo_meta *m, char ***specs, size_t *n);

/* "-p NAME" made "-p SPEC" for each entry of specs (ft_cargo_format_specs)
 * in v[0..n): lines (argv 0: ft_cargo_format_lines) or one argument
 * vector (argv 1: ft_cargo_format_argv).  0 or -ENOMEM. */
int ft_cargo_format_respec(char **v, size_t n, char *const *specs, size_t ns, int argv);

#endif
