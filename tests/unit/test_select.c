/*
 * test_select.c - the selector over a real database built with the store
 * API from real files in a temp dir.  Each case records some tests, changes
 * the tree, and asserts the exact set `ftrace affected` would print.
 */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_select.h"
#include "ft_state.h"
#include "ft_store.h"

static char root[64];
static char dbp[128];
static struct ft_store *st;
static int64_t run_id;

#include "treehelp.h"
#include "dbhelp.h"

static int setup(void **s)
{
	char cmd[200];

	strcpy(root, "/tmp/ft-test-select.XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/proj/tests'", root);
	assert_int_equal(system(cmd), 0);
	snprintf(dbp, sizeof(dbp), "%s/ftrace.db", root);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	return 0;
}

static int teardown(void **s)
{
	char cmd[128];
	ft_store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

static void begin(const char *meta_json)
{
	struct ft_run_info run = { .command = "test", .cwd = root, .meta_json = meta_json };
	assert_int_equal(ft_store_run_begin(st, &run, &run_id), 0);
}

static void commit(void)
{
	assert_int_equal(ft_store_run_commit(st), 0);
}

/* Record test `name` as having seen the current state of each "kind:rel"
 * dependency (kinds f=file, a=absent, l=list, c=collected list, i=import
 * list, t=type). */
static void record(const char *name, const char *file, int outcome, int untraced, ...)
{
	struct ft_dep deps[16];
	char *paths[16];
	struct ft_state *obs;
	const char *d;
	size_t n = 0;
	int64_t set;
	va_list ap;

	assert_int_equal(ft_state_new(&obs, NULL), 0);
	va_start(ap, untraced);
	while ((d = va_arg(ap, const char *))) {
		/* c, i: a listing of pytest's collector, of the import
		 * system (common/ft_record.h, enum ft_reader_id) */
		int k = d[0] == 'f' ? FT_DEP_FILE : d[0] == 'a' ? FT_DEP_ABSENT :
			d[0] == 'l' ? FT_DEP_LIST :
			d[0] == 'c' ? ft_dep_code(FT_DEP_LIST, FT_READER_COLLECT) :
			d[0] == 'i' ? ft_dep_code(FT_DEP_LIST, FT_READER_IMPORT) : FT_DEP_TYPE;
		uint64_t v;
		paths[n] = strdup(P(d + 2));
		assert_int_equal(ft_state_observe(obs, paths[n], (enum ft_dep_kind)k, &v, NULL), 0);
		deps[n] = (struct ft_dep){ paths[n], (uint32_t)strlen(paths[n]), (uint8_t)k, v };
		if (ft_dep_is_listing(k)) {
			char *buf;
			size_t len;
			assert_int_equal(ft_state_listing(paths[n], &buf, &len, NULL), 0);
			assert_int_equal(ft_store_listing_put(st, paths[n], deps[n].path_len, v, buf, len), 0);
			free(buf);
		}
		n++;
	}
	va_end(ap);
	assert_int_equal(ft_store_depset_put(st, deps, n, &set), 0);
	struct ft_test_row t = { .name = name, .runner = file ? "pytest" : "command",
				 .file = file ? P(file) : NULL, .outcome = outcome,
				 .untraced = untraced, .sets = &set, .nsets = 1 };
	assert_int_equal(ft_store_test_put(st, run_id, &t), 0);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	ft_state_free(obs);
}

/* The selection as "a b c" (sorted ids joined by spaces). */
static const char *selected(void)
{
	static char out[4096];
	struct ft_state *obs;
	struct ft_selection *sel;
	size_t o = 0;

	assert_int_equal(ft_state_new(&obs, st), 0);
	assert_int_equal(ft_select_run(st, obs, &sel), 0);
	assert_true(sel->complete);
	out[0] = '\0';
	for (size_t i = 0; i < sel->n; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", i ? " " : "", sel->tests[i].id);
	ft_selection_free(sel);
	ft_state_flush(obs);
	ft_state_free(obs);
	return out;
}

#define PASS FT_OUTCOME_PASSED

static void test_select__content_change_touch_and_revert(void **unused)
{
	struct timespec ts[2] = { { 1600000000, 0 }, { 1600000000, 0 } };

	write_file("proj/a.py", "A = 1\n");
	write_file("proj/b.py", "B = 1\n");
	begin(NULL);
	record("ta", NULL, PASS, 0, "f:proj/a.py", NULL);
	record("tb", NULL, PASS, 0, "f:proj/b.py", NULL);
	record("tab", NULL, PASS, 0, "f:proj/a.py", "f:proj/b.py", NULL);
	commit();
	assert_string_equal(selected(), "");

	utimensat(AT_FDCWD, P("proj/a.py"), ts, 0); /* touch only */
	assert_string_equal(selected(), "");

	write_file("proj/a.py", "A = 2\n"); /* same size, new content */
	assert_string_equal(selected(), "ta tab");

	write_file("proj/a.py", "A = 1\n"); /* revert */
	assert_string_equal(selected(), "");

	unlink(P("proj/b.py"));
	assert_string_equal(selected(), "tab tb");
}

static void test_select__absent_path_created(void **unused)
{
	begin(NULL);
	record("probe", NULL, PASS, 0, "a:proj/plugin.cfg", NULL);
	record("other", NULL, PASS, 0, "a:proj/unrelated", NULL);
	commit();
	assert_string_equal(selected(), "");
	write_file("proj/plugin.cfg", "x");
	assert_string_equal(selected(), "probe");
}

static void test_select__listing_change(void **unused)
{
	mkdir(P("proj/data"), 0755);
	write_file("proj/data/one.csv", "1");
	begin(NULL);
	record("lister", NULL, PASS, 0, "l:proj/data", NULL);
	record("reader", NULL, PASS, 0, "f:proj/data/one.csv", NULL);
	commit();
	assert_string_equal(selected(), "");
	write_file("proj/data/two.csv", "2");
	assert_string_equal(selected(), "lister");
	/* caches the runner writes are not part of a listing */
	unlink(P("proj/data/two.csv"));
	mkdir(P("proj/data/__pycache__"), 0755);
	assert_string_equal(selected(), "");
}

static void test_select__failed_and_untraced_always_selected(void **unused)
{
	write_file("proj/c.py", "c");
	begin(NULL);
	record("passed", NULL, PASS, 0, "f:proj/c.py", NULL);
	record("skipped", NULL, FT_OUTCOME_SKIPPED, 0, "f:proj/c.py", NULL);
	record("failed", NULL, FT_OUTCOME_FAILED, 0, "f:proj/c.py", NULL);
	record("error", NULL, FT_OUTCOME_ERROR, 0, "f:proj/c.py", NULL);
	record("killed", NULL, FT_OUTCOME_UNKNOWN, 0, "f:proj/c.py", NULL);
	record("untraced", NULL, PASS, 1, "f:proj/c.py", NULL);
	commit();
	assert_string_equal(selected(), "error failed killed untraced");
}

/* DESIGN.md's counterexample: A saw f v1, f became v2, only B re-ran and
 * saw v2.  A must still be selected, B not. */
static void test_select__per_test_seen_state(void **unused)
{
	write_file("proj/f.txt", "version 1");
	begin(NULL);
	record("A", NULL, PASS, 0, "f:proj/f.txt", NULL);
	record("B", NULL, PASS, 0, "f:proj/f.txt", NULL);
	commit();
	write_file("proj/f.txt", "version 2");
	begin(NULL);
	record("B", NULL, PASS, 0, "f:proj/f.txt", NULL);
	commit();
	assert_string_equal(selected(), "A");
	write_file("proj/f.txt", "version 1");
	assert_string_equal(selected(), "B");
}

static char meta[512];

static void pytest_project(void)
{
	snprintf(meta, sizeof(meta),
		 "{\"adapter\":\"pytest\",\"rootdir\":\"%s/proj\",\"python_files\":[\"test_*.py\",\"*_test.py\"]}",
		 root);
	write_file("proj/tests/test_a.py", "def test_x(): pass\n");
	write_file("proj/tests/helper.py", "H = 1\n");
	begin(meta);
	record("tests/test_a.py::test_x", "proj/tests/test_a.py", PASS, 0,
	       "f:proj/tests/test_a.py", "l:proj/tests", "l:proj", NULL);
	commit();
	assert_string_equal(selected(), "");
}

static void test_select__new_test_file_detected(void **unused)
{
	char cmd[256];

	pytest_project();
	write_file("proj/tests/test_b.py", "def test_y(): pass\n");
	write_file("proj/tests/c_test.py", "def test_z(): pass\n");
	/* only test files added: the listing is not a change for test_a */
	assert_string_equal(selected(), "tests/c_test.py tests/test_b.py");

	/* an added directory is walked for test files */
	mkdir(P("proj/tests/sub"), 0755);
	mkdir(P("proj/tests/sub/deeper"), 0755);
	write_file("proj/tests/sub/deeper/test_deep.py", "def test_d(): pass\n");
	write_file("proj/tests/sub/notatest.py", "");
	assert_string_equal(selected(), "tests/c_test.py tests/sub/deeper/test_deep.py tests/test_b.py");

	/* a directory pytest does not collect from holds no tests, and as a
	 * new importable name it is a change for the tests that listed proj */
	mkdir(P("proj/node_modules"), 0755);
	write_file("proj/node_modules/test_nm.py", "");
	assert_string_equal(selected(),
			    "tests/c_test.py tests/sub/deeper/test_deep.py tests/test_a.py::test_x tests/test_b.py");

	/* any other added name is a change for the tests that listed it */
	write_file("proj/tests/conftest.py", "");
	assert_string_equal(selected(),
			    "tests/c_test.py tests/sub/deeper/test_deep.py tests/test_a.py::test_x tests/test_b.py");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s' '%s' '%s' '%s'", P("proj/tests/conftest.py"),
		 P("proj/tests/sub"), P("proj/tests/test_b.py"), P("proj/tests/c_test.py"),
		 P("proj/node_modules"));
	assert_int_equal(system(cmd), 0);
	assert_string_equal(selected(), "");

	/* an added directory without test files is a new importable
	 * (namespace) package: a change */
	mkdir(P("proj/tests/newpkg"), 0755);
	write_file("proj/tests/newpkg/mod.py", "");
	assert_string_equal(selected(), "tests/test_a.py::test_x");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", P("proj/tests/newpkg"));
	assert_int_equal(system(cmd), 0);
	assert_string_equal(selected(), "");

	/* a removal is a change */
	unlink(P("proj/tests/helper.py"));
	assert_string_equal(selected(), "tests/test_a.py::test_x");
}

/* Below a norecursedirs match (here a virtualenv's site-packages under the
 * rootdir) nothing is a test and an added package is a change: a test that
 * did `try: import yaml` behaves differently once yaml is installed. */
static void test_select__venv_listing_is_never_neutral(void **unused)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", P("proj/.venv/lib/site-packages"));
	assert_int_equal(system(cmd), 0);
	pytest_project();
	begin(meta);
	record("tests/test_a.py::test_x", "proj/tests/test_a.py", PASS, 0,
	       "f:proj/tests/test_a.py", "l:proj/tests", "l:proj", "l:proj/.venv/lib/site-packages", NULL);
	commit();
	assert_string_equal(selected(), "");
	mkdir(P("proj/.venv/lib/site-packages/yaml"), 0755);
	write_file("proj/.venv/lib/site-packages/yaml/test_yaml.py", "");
	write_file("proj/.venv/lib/site-packages/test_vendored.py", "");
	assert_string_equal(selected(), "tests/test_a.py::test_x");
}

/* A record of proj/tests as only pytest's collector listed it (CLIST), with
 * `collector` as the run's "collector" metadata, and, with `also_list`, as
 * another reader listed it too (LIST). */
/* also_list: 1, the import system listed proj/tests too (a plain listing);
 * 2, the same through an import window (an import listing). */
static void collected_project(const char *collector, int also_list)
{
	snprintf(meta, sizeof(meta),
		 "{\"adapter\":\"pytest\",\"rootdir\":\"%s/proj\",\"python_files\":[\"test_*.py\"],"
		 "\"collector\":%s}", root, collector);
	write_file("proj/tests/test_a.py", "def test_x(): pass\n");
	write_file("proj/tests/test_c.py", "def test_z(): pass\n");
	write_file("proj/tests/notes.txt", "notes\n");
	begin(meta);
	record("tests/test_a.py::test_x", "proj/tests/test_a.py", PASS, 0, "f:proj/tests/test_a.py",
	       "c:proj/tests", also_list == 1 ? "l:proj/tests" : also_list == 2 ? "i:proj/tests" : NULL,
	       NULL);
	commit();
	assert_string_equal(selected(), "");
}

#define PLAIN "{\"plain\":true,\"doctest_modules\":false,\"doctest_glob\":[\"test*.txt\"]}"
/* ... whose adapter noted every import lookup */
#define PLAIN_NOTED "{\"plain\":true,\"doctest_modules\":false,\"doctest_glob\":[\"test*.txt\"]," \
		    "\"noted\":[\"lookups\"]}"

static void rm_rf(const char *rel)
{
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", P(rel));
	assert_int_equal(system(cmd), 0);
}

static void test_select__collected_listing(void **unused)
{
	const char *x = "tests/test_a.py::test_x";

	collected_project(PLAIN, 0);
	/* names the collector ignores, added or removed: no change */
	write_file("proj/tests/data.csv", "1");
	write_file("proj/tests/helper.py", "");
	unlink(P("proj/tests/notes.txt"));
	assert_string_equal(selected(), "");
	mkdir(P("proj/tests/build"), 0755); /* norecursedirs */
	write_file("proj/tests/build/test_gen.py", "");
	mkdir(P("proj/tests/fixtures"), 0755);
	write_file("proj/tests/fixtures/in.json", "{}");
	write_file("proj/tests/fixtures/__init__.py", "");
	mkfifo(P("proj/tests/pipe"), 0600);
	assert_string_equal(selected(), "");
	write_file("proj/tests/notes.txt", "notes\n");
	rm_rf("proj/tests/build");
	rm_rf("proj/tests/fixtures");
	rm_rf("proj/tests/pipe");
	/* a new test file and a new test directory: new tests */
	mkdir(P("proj/tests/more"), 0755);
	write_file("proj/tests/more/test_m.py", "");
	write_file("proj/tests/more/data.csv", "");
	write_file("proj/tests/test_b.py", "");
	assert_string_equal(selected(), "tests/more/test_m.py tests/test_b.py");
	rm_rf("proj/tests/more");
	unlink(P("proj/tests/test_b.py"));
	/* what the collector does not ignore */
	write_file("proj/tests/conftest.py", "");
	assert_string_equal(selected(), x);
	unlink(P("proj/tests/conftest.py"));
	write_file("proj/tests/__init__.py", "");
	assert_string_equal(selected(), x);
	unlink(P("proj/tests/__init__.py"));
	/* a doctest file: a change, and a new test itself */
	write_file("proj/tests/test_notes.txt", ">>> 1\n");
	assert_string_equal(selected(), "tests/test_a.py::test_x tests/test_notes.txt");
	unlink(P("proj/tests/test_notes.txt"));
	mkdir(P("proj/tests/plugin"), 0755);
	write_file("proj/tests/plugin/conftest.py", "");
	assert_string_equal(selected(), x);
	rm_rf("proj/tests/plugin");
	unlink(P("proj/tests/test_c.py")); /* a test file removed */
	assert_string_equal(selected(), x);
	write_file("proj/tests/test_c.py", "def test_z(): pass\n");
	assert_string_equal(selected(), "");
}

/* A directory only the import system listed (a LIST of FT_READER_IMPORT): a name it can
 * use, added or removed, is a change; any other name is none. */
static void test_select__import_listing(void **unused)
{
	static const char *const inert[] = {
		"lib/notes.yaml", "lib/.pre-commit-config.yaml", "lib/.gitignore", "lib/mod.py.orig",
		"lib/setup.cfg",
	};
	static const char *const used[] = {
		"lib/new.py", "lib/new.pyc", "lib/Upper.PY", "lib/fast.cpython-311-x86_64-linux-gnu.so",
		"lib/fast.abi3.so", "lib/plain", "lib/extra-1.0.dist-info", "lib/extra.egg-info",
		"lib/Old.EGG-INFO", "lib/x.egg",
	};

	mkdir(P("lib"), 0755);
	write_file("lib/mod.py", "X = 1\n");
	write_file("lib/README.md", "about\n");
	begin(NULL);
	record("t1", NULL, PASS, 0, "i:lib", NULL);
	commit();
	assert_string_equal(selected(), "");
	for (size_t i = 0; i < sizeof(inert) / sizeof(inert[0]); i++)
		write_file(inert[i], "");
	unlink(P("lib/README.md"));
	assert_string_equal(selected(), "");
	for (size_t i = 0; i < sizeof(used) / sizeof(used[0]); i++) {
		write_file(used[i], "");
		assert_string_equal(selected(), "t1");
		unlink(P(used[i]));
		assert_string_equal(selected(), "");
	}
	mkdir(P("lib/pkg"), 0755); /* a namespace package */
	assert_string_equal(selected(), "t1");
	rm_rf("lib/pkg");
	unlink(P("lib/mod.py"));
	assert_string_equal(selected(), "t1");
	write_file("lib/mod.py", "X = 1\n");
	assert_string_equal(selected(), "");
	/* a listing state of another kind beside it still counts whole */
	begin(NULL);
	record("t2", NULL, PASS, 0, "i:lib", "l:lib", NULL);
	commit();
	write_file("lib/notes.txt", "");
	assert_string_equal(selected(), "t2");
}

/* Under a pytest rootdir, where the collector and the import system both
 * listed tests/: a new test directory is new tests for both, and a data
 * file is nothing to either; nor is a new module, whose name no lookup
 * that ftrace_pysite notes asked for (its absence would be the test's own
 * state), but for a distribution's metadata; where pytest collects
 * nothing, a new module is a change. */
/* An adapter that did not note every import lookup (an older ftrace's
 * recording): a new module in the import system's listing counts. */
static void test_select__import_listing_unnoted(void **unused)
{
	collected_project(PLAIN, 2);
	write_file("proj/tests/helper.py", "");
	assert_string_equal(selected(), "tests/test_a.py::test_x");
	unlink(P("proj/tests/helper.py"));
	assert_string_equal(selected(), "");
}

static void test_select__import_and_collected_listing(void **unused)
{
	collected_project(PLAIN_NOTED, 2);
	mkdir(P("proj/tests/more"), 0755);
	write_file("proj/tests/more/test_m.py", "");
	assert_string_equal(selected(), "tests/more/test_m.py");
	/* with a data file added and one removed: still only new tests */
	write_file("proj/tests/data.csv", "1");
	unlink(P("proj/tests/notes.txt"));
	assert_string_equal(selected(), "tests/more/test_m.py");
	rm_rf("proj/tests/more");
	assert_string_equal(selected(), "");
	write_file("proj/tests/helper.py", "");
	assert_string_equal(selected(), "");
	unlink(P("proj/tests/helper.py"));
	mkdir(P("proj/tests/extra-1.0.dist-info"), 0755);
	assert_string_equal(selected(), "tests/test_a.py::test_x");
	rm_rf("proj/tests/extra-1.0.dist-info");
	/* under the rootdir where pytest collects nothing (norecursedirs'
	 * build), only the import system's rule */
	mkdir(P("proj/build"), 0755);
	begin(meta);
	record("tests/test_c.py::test_z", "proj/tests/test_c.py", PASS, 0, "i:proj/build", NULL);
	commit();
	write_file("proj/build/notes.txt", "");
	assert_string_equal(selected(), "");
	write_file("proj/build/gen.py", "");
	assert_string_equal(selected(), "tests/test_c.py::test_z");
}

static void test_select__collected_listing_strict(void **unused)
{
	const char *x = "tests/test_a.py::test_x";

	/* another reader listed the directory too */
	collected_project(PLAIN, 1);
	write_file("proj/tests/data.csv", "1");
	assert_string_equal(selected(), x);
	unlink(P("proj/tests/data.csv"));
	assert_string_equal(selected(), "");
	teardown(NULL);
	setup(NULL);

	/* a collection hook of the project's own: nothing is ignored, and
	 * the directory of a file it may make tests of is a new test */
	collected_project("{\"plain\":false}", 0);
	write_file("proj/tests/data.csv", "1");
	assert_string_equal(selected(), "tests tests/test_a.py::test_x");
	write_file("proj/tests/test_b.py", ""); /* a new test alone would not be */
	unlink(P("proj/tests/data.csv"));
	assert_string_equal(selected(), "tests/test_b.py");
	unlink(P("proj/tests/test_b.py"));
	teardown(NULL);
	setup(NULL);

	/* one run with such a hook and one plain run, in either order: not
	 * plain */
	for (int order = 0; order < 2; order++) {
		collected_project(order ? PLAIN : "{\"plain\":false}", 0);
		snprintf(meta, sizeof(meta), "{\"adapter\":\"pytest\",\"rootdir\":\"%s/proj\",\"collector\":%s}",
			 root, order ? "{\"plain\":false}" : PLAIN);
		begin(meta);
		record("tests/test_c.py::test_z", "proj/tests/test_c.py", PASS, 0, "f:proj/tests/test_c.py",
		       "c:proj/tests", NULL);
		commit();
		write_file("proj/tests/data.csv", "1");
		assert_string_equal(selected(), "tests tests/test_a.py::test_x tests/test_c.py::test_z");
		teardown(NULL);
		setup(NULL);
	}

	/* an older adapter wrote no "collector" */
	snprintf(meta, sizeof(meta), "{\"adapter\":\"pytest\",\"rootdir\":\"%s/proj\"}", root);
	write_file("proj/tests/test_a.py", "def test_x(): pass\n");
	begin(meta);
	record(x, "proj/tests/test_a.py", PASS, 0, "f:proj/tests/test_a.py", "c:proj/tests", NULL);
	commit();
	write_file("proj/tests/data.csv", "1");
	assert_string_equal(selected(), "tests tests/test_a.py::test_x");
	teardown(NULL);
	setup(NULL);

	/* doctests: --doctest-modules collects every module, a glob its files */
	collected_project("{\"plain\":true,\"doctest_modules\":true,\"doctest_glob\":[\"*.md\"]}", 0);
	write_file("proj/tests/helper.py", "");
	assert_string_equal(selected(), "tests/helper.py tests/test_a.py::test_x");
	unlink(P("proj/tests/helper.py"));
	write_file("proj/tests/setup.py", "");   /* the doctest plugin skips it */
	assert_string_equal(selected(), x);
	unlink(P("proj/tests/setup.py"));
	write_file("proj/tests/usage.md", "");
	assert_string_equal(selected(), "tests/test_a.py::test_x tests/usage.md");
	unlink(P("proj/tests/usage.md"));
	write_file("proj/tests/data.csv", "1");
	assert_string_equal(selected(), "");
}

static void test_select__deleted_test_file_is_not_printed(void **unused)
{
	pytest_project();
	unlink(P("proj/tests/test_a.py"));
	assert_string_equal(selected(), "");
}

static void test_select__unknown_kind_always_changed(void **unused)
{
	struct ft_dep d = { "/nonexistent/x", 14, FT_DEP_UNKNOWN, FT_VALUE_UNKNOWN };
	int64_t set;

	begin(NULL);
	assert_int_equal(ft_store_depset_put(st, &d, 1, &set), 0);
	struct ft_test_row t = { .name = "u", .runner = "command", .outcome = PASS, .sets = &set, .nsets = 1 };
	assert_int_equal(ft_store_test_put(st, run_id, &t), 0);
	commit();
	assert_string_equal(selected(), "u");
}

static void test_select__reasons(void **unused)
{
	struct ft_state *obs;
	struct ft_selection *sel;

	write_file("proj/r.py", "1");
	begin(NULL);
	record("r", NULL, FT_OUTCOME_FAILED, 0, "f:proj/r.py", "a:proj/none", NULL);
	commit();
	write_file("proj/r.py", "2");
	write_file("proj/none", "");
	assert_int_equal(ft_state_new(&obs, st), 0);
	assert_int_equal(ft_select_run(st, obs, &sel), 0);
	assert_int_equal(sel->n, 1);
	assert_int_equal(sel->known, 1);
	assert_int_equal(sel->tests[0].nreasons, 3);
	int seen = 0;
	for (size_t i = 0; i < 3; i++) {
		const struct ft_reason *r = &sel->tests[0].reasons[i];
		if (r->change == FT_CHANGE_CONTENT && r->kind == FT_DEP_FILE && !strcmp(r->path, P("proj/r.py")))
			seen |= 1;
		if (r->change == FT_CHANGE_NOW_EXISTS && r->kind == FT_DEP_ABSENT && !strcmp(r->path, P("proj/none")))
			seen |= 2;
		if (r->change == FT_CHANGE_FAILED && !r->path)
			seen |= 4;
	}
	assert_int_equal(seen, 7);
	ft_selection_free(sel);
	ft_state_free(obs);
}

/* Test `name`, one set per value in `values` of one dependency of kind
 * code `kind` on proj/pyproject.toml. */
static void record_versions(const char *name, int kind, const uint64_t *values, size_t n)
{
	int64_t sets[4];
	char *p = strdup(P("proj/pyproject.toml"));

	for (size_t i = 0; i < n; i++) {
		struct ft_dep d = { p, (uint32_t)strlen(p), (uint8_t)kind, values[i] };
		assert_int_equal(ft_store_depset_put(st, &d, 1, &sets[i]), 0);
	}
	struct ft_test_row t = { .name = name, .runner = "command", .outcome = PASS, .sets = sets,
				 .nsets = n };
	assert_int_equal(ft_store_test_put(st, run_id, &t), 0);
	free(p);
}

/* A test that saw two versions of a file has a reason for each, with the
 * value it saw: python/ft_pyconf.c judges the view of each version of a
 * file only pytest's start-up read (a FILE of the config reader), and one
 * it cannot clear keeps the test.  Anyone's FILE the same. */
static void test_select__reason_per_version(void **unused)
{
	struct ft_state *obs;
	struct ft_selection *sel;
	uint64_t v[2];
	int config = ft_dep_code(FT_DEP_FILE, FT_READER_CONFIG);

	assert_int_equal(ft_state_new(&obs, NULL), 0);
	write_file("proj/pyproject.toml", "[tool.pytest.ini_options]\n");
	assert_int_equal(ft_state_observe(obs, P("proj/pyproject.toml"), FT_DEP_FILE, &v[0], NULL), 0);
	write_file("proj/pyproject.toml", "[tool.pytest.ini_options]\naddopts = \"-q\"\n");
	assert_int_equal(ft_state_observe(obs, P("proj/pyproject.toml"), FT_DEP_FILE, &v[1], NULL), 0);
	ft_state_free(obs);
	assert_true(v[0] != v[1]);
	begin(NULL);
	record_versions("config", config, v, 2);
	record_versions("plain", FT_DEP_FILE, v, 2);
	commit();
	write_file("proj/pyproject.toml", "[tool.black]\n");
	assert_int_equal(ft_state_new(&obs, st), 0);
	assert_int_equal(ft_select_run(st, obs, &sel), 0);
	assert_int_equal(sel->n, 2);
	assert_string_equal(sel->tests[0].id, "config");
	assert_int_equal(sel->tests[0].nreasons, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(sel->tests[0].reasons[i].kind, config);
		assert_int_equal(sel->tests[0].reasons[i].change, FT_CHANGE_CONTENT);
	}
	assert_true(sel->tests[0].reasons[0].recorded != sel->tests[0].reasons[1].recorded);
	assert_string_equal(sel->tests[1].id, "plain");
	assert_int_equal(sel->tests[1].nreasons, 2);
	assert_int_equal(sel->tests[1].reasons[0].kind, FT_DEP_FILE);
	assert_true(sel->tests[1].reasons[0].recorded != sel->tests[1].reasons[1].recorded);
	ft_selection_free(sel);
	ft_state_free(obs);
}

/* Enough paths for the threaded stat phase (>= 4096 items), across
 * directories so the per-directory descriptors change hands. */
enum { NDIRS = 50, PER = 100, N = NDIRS * PER };
static char paths[N][96];

/* Write the N files and record tests "low" (the first half), "high" (the
 * second) and "all". */
static void record_many(void)
{
	static struct ft_dep deps[N];
	struct ft_state *obs;
	int64_t s_low, s_high, s_all;
	char dir[96];

	assert_int_equal(ft_state_new(&obs, NULL), 0);
	for (int i = 0; i < N; i++) {
		if (i % PER == 0) {
			snprintf(dir, sizeof(dir), "%s/proj/d%02d", root, i / PER);
			mkdir(dir, 0755);
		}
		snprintf(paths[i], sizeof(paths[i]), "%s/proj/d%02d/m%03d.py", root, i / PER, i % PER);
		FILE *f = fopen(paths[i], "w");
		assert_non_null(f);
		fprintf(f, "X = %d\n", i);
		fclose(f);
		deps[i] = (struct ft_dep){ paths[i], (uint32_t)strlen(paths[i]), FT_DEP_FILE, 0 };
		assert_int_equal(ft_state_observe(obs, paths[i], FT_DEP_FILE, &deps[i].value, NULL), 0);
	}
	ft_state_free(obs);
	begin(NULL);
	assert_int_equal(ft_store_depset_put(st, deps, N / 2, &s_low), 0);
	assert_int_equal(ft_store_depset_put(st, deps + N / 2, N / 2, &s_high), 0);
	assert_int_equal(ft_store_depset_put(st, deps, N, &s_all), 0);
	struct ft_test_row t = { .runner = "command", .outcome = PASS, .nsets = 1 };
	t.name = "low", t.sets = &s_low;
	assert_int_equal(ft_store_test_put(st, run_id, &t), 0);
	t.name = "high", t.sets = &s_high;
	assert_int_equal(ft_store_test_put(st, run_id, &t), 0);
	t.name = "all", t.sets = &s_all;
	assert_int_equal(ft_store_test_put(st, run_id, &t), 0);
	commit();
}

static void test_select__many_files_threaded_stat(void **unused)
{
	record_many();
	assert_string_equal(selected(), "");
	assert_string_equal(selected(), ""); /* now from the stat cache */
	FILE *f = fopen(paths[4321], "w");
	fprintf(f, "X = -1\n");
	fclose(f);
	assert_string_equal(selected(), "all high");
	unlink(paths[17]);
	assert_string_equal(selected(), "all high low");
}

/* The verification runs while the stat threads stat (scan.c's
 * `meanwhile`): a corrupt row still fails the whole selection, whether the
 * stats found changes or not, and the threads are joined.  Each
 * corruption is one the store's checksums see and SQLite's do not. */
static void expect_corrupt(void)
{
	struct ft_state *obs;
	struct ft_selection *sel = NULL;

	assert_int_equal(ft_state_new(&obs, st), 0);
	assert_int_equal(ft_select_run(st, obs, &sel), FT_ECORRUPT);
	assert_null(sel);
	ft_state_free(obs);
}

static void test_select__many_files_corrupt_while_stat(void **unused)
{
	char sql[256];

	record_many();
	assert_string_equal(selected(), ""); /* fills the stat cache */
	/* a state's value: its file then looks changed, its set's digest
	 * no longer matches */
	int64_t v = count("SELECT value FROM states WHERE id = (SELECT max(id) FROM states)");
	snprintf(sql, sizeof(sql), "UPDATE states SET value = %lld WHERE id = "
		 "(SELECT max(id) FROM states)", (long long)(v ^ 1));
	exec_sql(sql);
	expect_corrupt();
	snprintf(sql, sizeof(sql), "UPDATE states SET value = %lld WHERE id = "
		 "(SELECT max(id) FROM states)", (long long)v);
	exec_sql(sql);
	assert_string_equal(selected(), "");
	/* a stat cache row: a changed file could pass as unchanged */
	FILE *f = fopen(paths[N - 1], "w");
	fprintf(f, "X = -2\n");
	fclose(f);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM statcache WHERE path_id = "
		 "(SELECT id FROM paths WHERE path = CAST('%s' AS BLOB))", paths[17]);
	assert_int_equal(count(sql), 1);
	snprintf(sql, sizeof(sql), "UPDATE statcache SET size = size + 1 WHERE path_id = "
		 "(SELECT id FROM paths WHERE path = CAST('%s' AS BLOB))", paths[17]);
	exec_sql(sql);
	expect_corrupt();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_select__content_change_touch_and_revert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__absent_path_created, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__listing_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__failed_and_untraced_always_selected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__per_test_seen_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__new_test_file_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__deleted_test_file_is_not_printed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__venv_listing_is_never_neutral, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__collected_listing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__collected_listing_strict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__import_listing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__import_and_collected_listing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__import_listing_unnoted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__unknown_kind_always_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__reasons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__reason_per_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__many_files_threaded_stat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__many_files_corrupt_while_stat, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
