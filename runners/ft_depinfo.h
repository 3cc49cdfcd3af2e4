/*
 * ft_depinfo.h - read rustc's dep-info files (`--emit=dep-info`, the
 * `target/<profile>/deps/NAME-HASH.d` files cargo keeps), and the names of
 * the environment variables they say rustc read.
 *
 * A dep-info file is a Makefile fragment: `OUTPUT: SRC SRC ...` rules
 * (spaces in names escaped as `\ `), empty `SRC:` rules, and `# env-dep:`
 * comments.  The sources are every file rustc read to build the crate: its
 * modules, `include_str!`/`include_bytes!` files, and generated files in
 * OUT_DIR.  Relative sources are relative to the directory rustc ran in,
 * which for cargo is the workspace root.
 *
 * Ownership: struct ft_depinfo owns its strings; ft_depinfo_release frees.
 * Errors: -errno when the file cannot be read, -ENOMEM.
 */
#ifndef FT_DEPINFO_H
#define FT_DEPINFO_H

#include <stddef.h>

struct ft_depinfo {
	char **srcs;      /* absolute paths (relative ones joined to `base`), unique */
	size_t n, cap;
	char *first;      /* the first source of the first rule: the crate root */
	int is_lib;       /* a rule builds lib*.rlib, lib*.rmeta or lib*.so */
	char **envs;      /* the names of `# env-dep:NAME[=VALUE]` lines (env!,
			   * option_env!: what rustc read at compile time), unique */
	size_t nenv, capenv;
};

#define FT_DEPINFO_INIT { 0 }

/* Add the sources of dep-info file `path` to `d` (several files may be
 * read into one).  `base` resolves relative sources. */
int ft_depinfo_read(struct ft_depinfo *d, const char *path, const char *base);

/* Add one source (relative: joined to `base`); duplicates are kept once. */
int ft_depinfo_add(struct ft_depinfo *d, const char *src, const char *base);

/* Add one environment variable's name (len bytes); duplicates are kept
 * once.  A name longer than FT_ENVDEP_NAME_MAX is the whole environment
 * ("=", common/ft_envdep.h): no dependency holds it, that one covers it. */
int ft_depinfo_add_env(struct ft_depinfo *d, const char *name, size_t len);

void ft_depinfo_release(struct ft_depinfo *d);

#endif
