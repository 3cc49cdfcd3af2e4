/*
 * test_cargo.c - cargo's pieces that need no cargo: rustc dep-info parsing
 * (runners/ft_depinfo.c), `cargo metadata` parsing and test ids
 * (runners/ft_cargo_meta.c), the command-line recognisers
 * (runners/ft_runner_cargo.c) and the output formats
 * (runners/ft_cargo_format.c).  The real runs are t8020, t8021, t8030.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ft_cargo_format.h"
#include "ft_cargo_meta.h"
#include "ft_cargo_spec.h"
#include "ft_depinfo.h"
#include "ft_error.h"
#include "ft_ptree.h"
#include "ft_runner_cargo.h"
#include "ft_rust_env.h"
#include "ft_envdep.h"

static void test_cargo__depinfo(void **state)
{
	char tmpl[] = "/tmp/ft-depinfo.XXXXXX";
	int fd = mkstemp(tmpl);
	struct ft_depinfo d = FT_DEPINFO_INIT;
	static const char text[] =
		"/w/target/debug/deps/cfx-1.d: cfx/src/lib.rs cfx/src/a\\ b.rs /abs/x.rs\n"
		"\n"
		"/w/target/debug/deps/libcfx-1.rlib: cfx/src/lib.rs cfx/src/a\\ b.rs /abs/x.rs\n"
		"\n"
		"cfx/src/lib.rs:\n"
		"# env-dep:CARGO_PKG_NAME=cfx\n"
		"# env-dep:CFX_MODE=a=b\\nc\n"   /* a value holding '=' and an escape */
		"# env-dep:CFX_UNSET\n"            /* option_env! of an unset one */
		"# env-dep:CARGO_PKG_NAME=cfx\n"   /* once */
		"# env-dep:=x\n"                   /* no name: nothing */
		"# other comment\n";

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	assert_int_equal(ft_depinfo_read(&d, tmpl, "/w"), 0);
	assert_int_equal(d.n, 3);
	assert_string_equal(d.first, "/w/cfx/src/lib.rs");
	assert_string_equal(d.srcs[1], "/w/cfx/src/a b.rs");
	assert_string_equal(d.srcs[2], "/abs/x.rs");
	assert_true(d.is_lib);
	assert_int_equal(d.nenv, 3);
	assert_string_equal(d.envs[0], "CARGO_PKG_NAME");
	assert_string_equal(d.envs[1], "CFX_MODE");
	assert_string_equal(d.envs[2], "CFX_UNSET");
	{
		/* a name too long for a dependency: the whole environment */
		char *big = malloc(FT_ENVDEP_NAME_MAX + 2);
		assert_non_null(big);
		memset(big, 'N', FT_ENVDEP_NAME_MAX + 1);
		big[FT_ENVDEP_NAME_MAX + 1] = '\0';
		assert_int_equal(ft_depinfo_add_env(&d, big, strlen(big)), 0);
		free(big);
		assert_int_equal(d.nenv, 4);
		assert_string_equal(d.envs[3], "=");
	}
	ft_depinfo_release(&d);
	unlink(tmpl);
	assert_int_equal(ft_depinfo_read(&d, tmpl, "/w"), -ENOENT);
}

/* Which Rust texts iterate the environment (ft_rust_env.h). */
static void test_cargo__rust_env_whole(void **state)
{
	static const char *const yes[] = {
		"for (k, v) in std::env::vars() {}",
		"let n = env::vars_os().count();",
		"use std::env::vars;",
		"use std::env::{self, vars};",
		"use std::env::{self as e, vars_os as v};",
		"use std::{env::{self, vars}, fs};",
		"use std::env::*;",
		"env :: vars ()",
		"env\n::\n  vars",
		"// std::env::vars() in a comment counts too",
		"env::vars",                /* at the very end */
	};
	static const char *const no[] = {
		"std::env::var(\"HOME\")",
		"std::env::var_os(\"HOME\")",
		"env::variables()",
		"env::vars2()",
		"my_env::vars()",
		"environ::vars()",
		"env::{self, var}; let vars = 1;",
		"let vars = env::args();",
		"env:",
		"env::",
		"env",
		"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_int_equal(ft_rust_env_whole(yes[i], strlen(yes[i])), 1);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_int_equal(ft_rust_env_whole(no[i], strlen(no[i])), 0);
	/* never past len: the match cut short is none */
	assert_int_equal(ft_rust_env_whole("env::vars", 7), 0);
	assert_int_equal(ft_rust_env_whole("env::{vars}", 6), 0);
}

/* Found by tests/fuzz/fuzz_depinfo.c (corpus/depinfo/regress-backslash.d):
 * rustc escapes only the space in a dep-info name; `include_str!("a\\b.txt")`
 * is written `a\b.txt`.  The reader took every backslash for an escape and
 * recorded `ab.txt`, so editing `a\b.txt` selected nothing.  A tab is a
 * name's own byte too (rustc joins names with single spaces). */
static void test_cargo__depinfo_literal_bytes(void **state)
{
	char tmpl[] = "/tmp/ft-depinfo.XXXXXX";
	int fd = mkstemp(tmpl);
	struct ft_depinfo d = FT_DEPINFO_INIT;
	static const char text[] =
		"/w/lib.d: lib.rs a\\b.txt c\\ d.txt x\\\\ y.txt t\tab.txt\n"
		"\n"
		"a\\b.txt:\n";

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	assert_int_equal(ft_depinfo_read(&d, tmpl, "/w"), 0);
	unlink(tmpl);
	assert_int_equal(d.n, 5);
	assert_string_equal(d.srcs[1], "/w/a\\b.txt");
	assert_string_equal(d.srcs[2], "/w/c d.txt");
	assert_string_equal(d.srcs[3], "/w/x\\ y.txt");
	assert_string_equal(d.srcs[4], "/w/t\tab.txt");
	ft_depinfo_release(&d);
}

/* A FIFO named like a dep-info file is an error, never a hang (ft_file_read
 * opens without blocking; a hang here is a ctest timeout). */
static void test_cargo__depinfo_fifo(void **state)
{
	char dir[] = "/tmp/ft-depinfo.XXXXXX", path[64];
	struct ft_depinfo d = FT_DEPINFO_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.d", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_true(ft_depinfo_read(&d, path, "/w") < 0);
	assert_int_equal(d.n, 0);
	unlink(path);
	rmdir(dir);
}

static void test_cargo__metadata(void **state)
{
	static const char json[] =
		"{\"packages\":[{\"name\":\"cfx\",\"id\":\"p1\",\"manifest_path\":\"/w/cfx/Cargo.toml\","
		"\"targets\":[{\"name\":\"cfx\",\"kind\":[\"lib\"],\"src_path\":\"/w/cfx/src/lib.rs\","
		"\"test\":true,\"doctest\":true},{\"name\":\"a\",\"kind\":[\"test\"],"
		"\"src_path\":\"/w/cfx/tests/a.rs\",\"test\":true,\"doctest\":false},"
		"{\"name\":\"cfx\",\"kind\":[\"bin\"],\"src_path\":\"/w/cfx/src/main.rs\",\"test\":true}]},"
		"{\"name\":\"h\",\"id\":\"p2\",\"manifest_path\":\"/w/h/Cargo.toml\",\"targets\":[]},"
		"{\"name\":\"z\",\"id\":\"p3\",\"manifest_path\":\"/w/z/Cargo.toml\",\"targets\":[]}],"
		"\"workspace_members\":[\"p1\",\"p2\"],\"workspace_root\":\"/w\","
		"\"target_directory\":\"/w/target\",\"resolve\":{\"nodes\":["
		"{\"id\":\"p1\",\"dependencies\":[\"p2\"]},{\"id\":\"p2\",\"dependencies\":[]},"
		"{\"id\":\"p3\",\"dependencies\":[\"p1\"]}]}}";
	struct ft_cargo_meta m;
	unsigned char reach[3];
	size_t pi, ti;
	char *id, **ids;
	size_t n;

	(void)state;
	assert_int_equal(ft_cargo_meta_parse(&m, json, sizeof(json) - 1), 0);
	assert_int_equal(m.n, 3);
	assert_true(m.pkgs[0].member && m.pkgs[1].member && !m.pkgs[2].member);
	assert_int_equal(ft_cargo_meta_find_src(&m, "/w/cfx/src/main.rs", &pi, &ti), 0);
	id = ft_cargo_test_id(&m.pkgs[pi], &m.pkgs[pi].targets[ti]);
	assert_string_equal(id, "cfx/bin/cfx");
	free(id);
	id = ft_cargo_binary_id(&m.pkgs[pi], &m.pkgs[pi].targets[ti]);
	assert_string_equal(id, "cfx::bin/cfx");
	free(id);
	id = ft_cargo_binary_id(&m.pkgs[0], &m.pkgs[0].targets[1]);
	assert_string_equal(id, "cfx::a");
	free(id);
	ft_cargo_meta_closure(&m, 0, reach);
	assert_true(reach[0] && reach[1] && !reach[2]);
	assert_int_equal(ft_cargo_format_all(&m, &ids, &n), 0);
	assert_int_equal(n, 4); /* cfx/lib cfx/doc cfx/test/a cfx/bin/cfx */
	assert_string_equal(ids[0], "cfx/lib");
	assert_string_equal(ids[1], "cfx/doc");
	ft_cargo_format_free(ids, n);
	ft_cargo_meta_release(&m);
	/* --no-deps output has no resolve graph: refused, never "no deps" */
	assert_int_equal(ft_cargo_meta_parse(&m, "{\"packages\":[],\"workspace_root\":\"/w\","
					     "\"target_directory\":\"/t\",\"resolve\":null}", 70),
			 FT_EFORMAT);
	assert_int_equal(ft_cargo_meta_parse(&m, "[", 1), FT_EFORMAT);
}

/* A cargo whose `metadata` fails but with --no-deps (offline, a crate of a
 * member that `cargo test` never builds was never downloaded: walkdir's
 * walkdir-list and its atty), and one that always fails: a script standing
 * in for that cargo, since the real one needs a registry's state to fail
 * so. */
static void write_cargo(const char *path, int no_deps_works)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n"
		"for a in \"$@\"; do [ \"$a\" = --no-deps ] && ok=1; done\n"
		"[ -n \"$ok\" ] && [ %d = 1 ] || { echo 'error: failed to download atty' >&2; exit 101; }\n"
		"echo '{\"packages\":[{\"name\":\"w\",\"id\":\"p1\",\"manifest_path\":\"/w/Cargo.toml\","
		"\"targets\":[{\"name\":\"w\",\"kind\":[\"lib\"],\"src_path\":\"/w/src/lib.rs\","
		"\"test\":true,\"doctest\":true}]},{\"name\":\"wl\",\"id\":\"p2\","
		"\"manifest_path\":\"/w/wl/Cargo.toml\",\"targets\":[]}],"
		"\"workspace_members\":[\"p1\",\"p2\"],\"workspace_default_members\":[\"p1\"],"
		"\"workspace_root\":\"/w\",\"target_directory\":\"/w/target\",\"resolve\":null}'\n",
		no_deps_works);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0755), 0);
}

static void test_cargo__metadata_without_resolve(void **state)
{
	char dir[] = "/tmp/ft-cargo-XXXXXX", path[64];
	struct ft_cargo_meta m;
	unsigned char reach[2];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cargo", dir);
	write_cargo(path, 1);
	assert_int_equal(ft_cargo_meta_load_for(&m, path, NULL, NULL), 0);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.graph, 0);
	assert_true(m.pkgs[0].member && m.pkgs[0].default_member && !m.pkgs[1].default_member);
	/* no graph: each package reaches every package */
	ft_cargo_meta_closure(&m, 0, reach);
	assert_true(reach[0] && reach[1]);
	ft_cargo_meta_release(&m);
	assert_int_equal(ft_cargo_meta_load_for(&m, path, "/w/Cargo.toml", "x86_64-unknown-linux-gnu"), 0);
	assert_int_equal(m.graph, 0);
	ft_cargo_meta_release(&m);
	/* it fails with --no-deps too: the error, nothing loaded */
	write_cargo(path, 0);
	assert_int_equal(ft_cargo_meta_load_for(&m, path, NULL, NULL), FT_EFORMAT);
	assert_int_equal(m.n, 0);
	unlink(path);
	rmdir(dir);
}

static void test_cargo__commands(void **state)
{
	char *a[] = { "cargo", "+nightly", "--config", "x=1", "test", "--lib", NULL };
	char *b[] = { "/r/bin/cargo", "build", "--tests", NULL };
	char *c[] = { "cargo", "nextest", "run", NULL };
	char *d[] = { "/r/cargo-nextest", "nextest", "run", "--workspace", NULL };
	char *e[] = { "cargo", "t", NULL };

	(void)state;
	assert_true(ft_cargo_is_test(a, 6));
	assert_false(ft_cargo_is_test(b, 3));
	assert_true(ft_cargo_is_test(e, 2));
	assert_false(ft_cargo_is_test(c, 3));
	assert_true(ft_cargo_is_nextest(c, 3));
	assert_true(ft_cargo_is_nextest(d, 4));
	assert_false(ft_cargo_is_nextest(a, 6));
}

static void test_cargo__format_lines(void **state)
{
	const char *ids[] = { "cfx/test/b", "cfx-helper/lib", "cfx/doc", "cfx/lib", "cfx/bin/cfx" };
	const char *one[] = { "cfx/test/b", "cfx/lib" };
	const char *bad_ids[] = { "cfx/lib", "tests/test_x.py::test_y" };
	/* every target here: cfx-helper has an example, cfx none */
	char *targets[] = { "cfx/lib", "cfx/bin/cfx", "cfx/test/b", "cfx/doc", "cfx-helper/lib",
			    "cfx-helper/test/h", "cfx-helper/example/e", "cfx-helperx/example/x" };
	const char *helper[] = { "cfx-helper/test/h", "cfx/test/b", "cfx-helper/doc" };
	const char *bad = NULL;
	char **lines, **argv;
	size_t n;
	int superset;

	(void)state;
	assert_int_equal(ft_cargo_format_lines(ids, 5, targets, 8, &lines, &n, &bad), 0);
	assert_int_equal(n, 3);
	assert_string_equal(lines[0], "-p cfx --test b --lib --bin cfx");
	assert_string_equal(lines[1], "-p cfx --doc");
	assert_string_equal(lines[2], "-p cfx-helper --lib");
	ft_cargo_format_free(lines, n);
	assert_int_equal(ft_cargo_format_lines(ids, 0, targets, 8, &lines, &n, &bad), 0);
	assert_int_equal(n, 0);
	ft_cargo_format_free(lines, n);
	assert_int_equal(ft_cargo_format_lines(bad_ids, 2, targets, 8, &lines, &n, &bad),
			 FT_EFORMAT);
	assert_string_equal(bad, "tests/test_x.py::test_y");

	/* an integration test of a package with an example: the package runs
	 * whole (a target flag builds no example), its doc-tests with it; a
	 * package whose name another's begins with is not it */
	assert_int_equal(ft_cargo_format_lines(helper, 3, targets, 8, &lines, &n, &bad), 0);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "-p cfx --test b");
	assert_string_equal(lines[1], "-p cfx-helper");
	ft_cargo_format_free(lines, n);
	assert_int_equal(ft_cargo_format_lines(helper, 3, targets, 5, &lines, &n, &bad), 0);
	assert_int_equal(n, 3); /* targets without the example */
	assert_string_equal(lines[1], "-p cfx-helper --test h");
	assert_string_equal(lines[2], "-p cfx-helper --doc");
	ft_cargo_format_free(lines, n);
	/* targets not known: any package may have an example */
	assert_int_equal(ft_cargo_format_lines(helper, 3, NULL, 0, &lines, &n, &bad), 0);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "-p cfx");
	assert_string_equal(lines[1], "-p cfx-helper");
	ft_cargo_format_free(lines, n);
	/* only the library (no integration test): exact, even with an example */
	assert_int_equal(ft_cargo_format_lines(helper + 2, 1, NULL, 0, &lines, &n, &bad), 0);
	assert_int_equal(n, 1);
	assert_string_equal(lines[0], "-p cfx-helper --doc");
	ft_cargo_format_free(lines, n);
	assert_int_equal(ft_cargo_format_argv(helper, 1, targets, 8, &argv, &n, &superset, &bad), 0);
	assert_false(superset);
	assert_int_equal(n, 2);
	assert_string_equal(argv[0], "-p");
	assert_string_equal(argv[1], "cfx-helper");
	ft_cargo_format_free(argv, n);

	assert_int_equal(ft_cargo_format_argv(one, 2, targets, 8, &argv, &n, &superset, &bad), 0);
	assert_int_equal(n, 5);
	assert_false(superset);
	assert_string_equal(argv[0], "-p");
	assert_string_equal(argv[2], "--test");
	assert_string_equal(argv[4], "--lib");
	ft_cargo_format_free(argv, n);
	assert_int_equal(ft_cargo_format_argv(ids, 5, targets, 8, &argv, &n, &superset, &bad), 0);
	assert_true(superset);
	assert_int_equal(n, 4); /* -p cfx -p cfx-helper */
	assert_string_equal(argv[3], "cfx-helper");
	ft_cargo_format_free(argv, n);
}

/* -p NAME@VERSION for a member whose name Cargo.lock holds twice; the
 * lines and an argument vector rewritten; a lock that cannot be read
 * changes nothing */
static void test_cargo__specs(void **state)
{
	char dir[] = "/tmp/ft-cargo-XXXXXX", lock[64], json[512];
	struct ft_cargo_meta m;
	char **specs = NULL;
	size_t ns = 0;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(json, sizeof(json),
		 "{\"packages\":[{\"name\":\"foo\",\"version\":\"0.2.0\",\"id\":\"foo 0.2.0\","
		 "\"manifest_path\":\"%s/Cargo.toml\",\"targets\":[]},"
		 "{\"name\":\"bar\",\"version\":\"1.0.0\",\"id\":\"bar 1.0.0\","
		 "\"manifest_path\":\"%s/bar/Cargo.toml\",\"targets\":[]}],"
		 "\"workspace_members\":[\"foo 0.2.0\",\"bar 1.0.0\"],\"workspace_root\":\"%s\","
		 "\"target_directory\":\"%s/target\",\"resolve\":{\"nodes\":[]}}", dir, dir, dir, dir);
	assert_int_equal(ft_cargo_meta_parse(&m, json, strlen(json)), 0);
	assert_string_equal(m.pkgs[0].version, "0.2.0");
	/* no lock: nothing to rewrite */
	assert_int_equal(ft_cargo_format_specs(&m, &specs, &ns), 0);
	assert_int_equal(ns, 0);
	snprintf(lock, sizeof(lock), "%s/Cargo.lock", dir);
	assert_non_null(f = fopen(lock, "w"));
	fputs("version = 3\n\n[[package]]\nname = \"bar\"\nversion = \"1.0.0\"\n\n"
	      "[[package]]\nname = \"foo\"\nversion = \"0.1.0\"\n\n"
	      "[[package]]\nname = \"foo\"\nversion = \"0.2.0\"\n", f);
	fclose(f);
	assert_int_equal(ft_cargo_format_specs(&m, &specs, &ns), 0);
	assert_int_equal(ns, 1);
	assert_string_equal(specs[0], "foo foo@0.2.0");
	{
		char *lines[] = { strdup("-p foo --lib"), strdup("-p foobar --lib"), strdup("-p bar"),
				  strdup("-p foo") };
		char *argv[] = { strdup("-p"), strdup("foo"), strdup("--lib"), strdup("foo") };
		assert_int_equal(ft_cargo_format_respec(lines, 4, specs, ns, 0), 0);
		assert_string_equal(lines[0], "-p foo@0.2.0 --lib");
		assert_string_equal(lines[1], "-p foobar --lib");
		assert_string_equal(lines[2], "-p bar");
		assert_string_equal(lines[3], "-p foo@0.2.0");
		assert_int_equal(ft_cargo_format_respec(argv, 4, specs, ns, 1), 0);
		assert_string_equal(argv[1], "foo@0.2.0");
		assert_string_equal(argv[3], "foo"); /* not after -p */
		for (int i = 0; i < 4; i++) {
			free(lines[i]);
			free(argv[i]);
		}
	}
	ft_cargo_format_free(specs, ns);
	ft_cargo_meta_release(&m);
	unlink(lock);
	rmdir(dir);
}

static void test_cargo__format_nextest(void **state)
{
	const char *ids[] = { "cfx::a a_data", "cfx tests::odd),/\\name" };
	const char *bad_ids[] = { "cfx/lib" };
	const char *bad = NULL;
	char *expr;

	(void)state;
	assert_int_equal(ft_cargo_format_nextest(ids, 2, &expr, &bad), 0);
	assert_string_equal(expr, "(binary_id(=cfx::a) & test(=a_data)) | "
				  "(binary_id(=cfx) & test(=tests::odd\\)\\,\\/\\\\name))");
	free(expr);
	assert_int_equal(ft_cargo_format_nextest(ids, 0, &expr, &bad), 0);
	assert_null(expr);
	assert_int_equal(ft_cargo_format_nextest(bad_ids, 1, &expr, &bad), FT_EFORMAT);
	assert_string_equal(bad, "cfx/lib");
}

/* cargo's bookkeeping files in its home become the tree's own files:
 * under an absolute CARGO_HOME, else HOME/.cargo; a relative or empty
 * CARGO_HOME names no place (t8025 has the link's real path). */
static int own(const struct ft_ptree *t, const char *p)
{
	return ft_ptree_is_own_file(t, p, strlen(p));
}

static void test_cargo__home_own_files(void **unused)
{
	struct ft_ptree t = FT_PTREE_INIT;

	assert_int_equal(ft_cargo_home_own(&t, "/nonexistent-ch", "/nonexistent-h"), 0);
	assert_true(own(&t, "/nonexistent-ch/.global-cache"));
	assert_true(own(&t, "/nonexistent-ch/.global-cache-journal"));
	assert_true(own(&t, "/nonexistent-ch/.global-cache-wal"));
	assert_true(own(&t, "/nonexistent-ch/.package-cache"));
	assert_false(own(&t, "/nonexistent-ch/config.toml"));
	assert_false(own(&t, "/nonexistent-ch/registry/.global-cache"));
	assert_false(own(&t, "/nonexistent-h/.cargo/.global-cache"));
	ft_ptree_release(&t);

	t = (struct ft_ptree)FT_PTREE_INIT;
	assert_int_equal(ft_cargo_home_own(&t, NULL, "/nonexistent-h"), 0);
	assert_true(own(&t, "/nonexistent-h/.cargo/.global-cache"));
	ft_ptree_release(&t);

	t = (struct ft_ptree)FT_PTREE_INIT;
	assert_int_equal(ft_cargo_home_own(&t, "rel/home", "/nonexistent-h"), 0);
	assert_int_equal(ft_cargo_home_own(&t, "", "/nonexistent-h"), 0);
	assert_int_equal(t.own_files.count, 0);
	ft_ptree_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cargo__depinfo),
		cmocka_unit_test(test_cargo__home_own_files),
		cmocka_unit_test(test_cargo__rust_env_whole),
		cmocka_unit_test(test_cargo__depinfo_literal_bytes),
		cmocka_unit_test(test_cargo__depinfo_fifo),
		cmocka_unit_test(test_cargo__metadata),
		cmocka_unit_test(test_cargo__metadata_without_resolve),
		cmocka_unit_test(test_cargo__commands),
		cmocka_unit_test(test_cargo__format_lines),
		cmocka_unit_test(test_cargo__format_nextest),
		cmocka_unit_test(test_cargo__specs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
