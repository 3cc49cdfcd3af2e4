/*
 * ft_cargo_meta.h - a cargo workspace as `cargo metadata --format-version 1`
 * describes it: packages, their targets, the dependency graph, the target
 * directory; and the names ftrace gives cargo's tests (docs/cargo.md).
 *
 * Test ids (runner "cargo", one per test target, as `cargo test` runs them):
 *   PKG/lib  PKG/bin/NAME  PKG/test/NAME  PKG/example/NAME  PKG/bench/NAME
 *   PKG/doc (the doc-tests of PKG's library)
 * nextest binary ids (runner "nextest", test id "BINARY_ID TEST_NAME"):
 *   PKG (library)  PKG::NAME (integration test)  PKG::bin/NAME ...
 *
 * Ownership: struct ft_cargo_meta owns every string; release frees.
 * Errors: FT_EFORMAT for output that is not cargo metadata, -ENOMEM,
 * -errno when cargo cannot be started.
 */
#ifndef FT_CARGO_META_H
#define FT_CARGO_META_H

#include <stddef.h>

enum ft_cargo_kind {
	FT_CARGO_LIB = 1, FT_CARGO_BIN, FT_CARGO_TEST, FT_CARGO_EXAMPLE, FT_CARGO_BENCH,
	FT_CARGO_BUILD, /* build script: never a test */
};

struct ft_cargo_target {
	char *name;
	int kind;             /* enum ft_cargo_kind */
	char *src_path;       /* absolute */
	int test, doctest;    /* `cargo test` runs its tests / doc-tests */
};

struct ft_cargo_pkg {
	char *name, *id;
	char *version;        /* NULL where cargo gave none */
	char *manifest;       /* absolute Cargo.toml */
	char *dir;            /* its directory */
	int member;           /* a workspace member */
	int default_member;   /* one of workspace_default_members (has_defaults) */
	struct ft_cargo_target *targets;
	size_t ntargets;
	size_t *deps;         /* indexes of the packages it depends on (any kind) */
	size_t ndeps;
};

struct ft_cargo_meta {
	struct ft_cargo_pkg *pkgs;
	size_t n;
	int has_defaults;     /* cargo named its default members (1.71+) */
	char *workspace_root;
	char *target_dir;
	int graph;            /* the dependency graph was read (pkgs[].deps) */
	int want_graph;       /* (parse: a missing graph is malformed) */
};

/* Parse `cargo metadata --format-version 1` output. */
int ft_cargo_meta_parse(struct ft_cargo_meta *m, const char *json, size_t len);

/* Run `CARGO metadata --format-version 1 --offline [--manifest-path P]`
 * in the current directory (`cargo` NULL: "cargo" from PATH).  When cargo
 * fails (offline, it resolves every platform's dependencies, and one no
 * build here downloaded fails it), once more with `--filter-platform` for
 * the host (`rustc -vV`) and `target` (a `cargo test --target` value, or
 * NULL): the dependencies a build here can have used; and when that
 * fails too, with `--no-deps` (the members and their targets, no graph:
 * m->graph 0, closures take every package).  0, -errno, FT_EFORMAT
 * (cargo failed every time, or printed no metadata). */
int ft_cargo_meta_load_for(struct ft_cargo_meta *m, const char *cargo, const char *manifest_path,
			   const char *target);
int ft_cargo_meta_load(struct ft_cargo_meta *m, const char *cargo, const char *manifest_path);

/* The workspace's members and their targets, without the dependency
 * graph: `cargo metadata --no-deps`, which resolves nothing, so it never
 * writes Cargo.lock (a library that does not commit one has none; a
 * read-only `ftrace affected` must not make it).  m->graph is 0 (closures
 * then take every package).  As ft_cargo_meta_load otherwise. */
int ft_cargo_meta_load_members(struct ft_cargo_meta *m);

void ft_cargo_meta_release(struct ft_cargo_meta *m);

/* The cargo test id of target t of package p (malloc'd), or NULL (-ENOMEM
 * or a build script).  doc: the doc-test id of p. */
char *ft_cargo_test_id(const struct ft_cargo_pkg *p, const struct ft_cargo_target *t);
char *ft_cargo_doc_id(const struct ft_cargo_pkg *p);

/* nextest's binary id of target t of package p (malloc'd), or NULL. */
char *ft_cargo_binary_id(const struct ft_cargo_pkg *p, const struct ft_cargo_target *t);

/* The package and target whose crate root is `src` (absolute, resolved);
 * returns 0 and sets *pi, *ti, or -1. */
int ft_cargo_meta_find_src(const struct ft_cargo_meta *m, const char *src, size_t *pi, size_t *ti);

/* Every package p reaches (p included): out[i] != 0; without the graph
 * (m->graph 0), every package.  `out` has m->n bytes. */
void ft_cargo_meta_closure(const struct ft_cargo_meta *m, size_t p, unsigned char *out);

/* Run a program and collect its stdout (stderr to /dev/null).  Returns
 * 0 with *out malloc'd (NUL-terminated) when it exited 0, FT_EFORMAT when
 * it failed, -errno when it could not start. */
int ft_cargo_capture(char *const *argv, char **out, size_t *len);

#endif
