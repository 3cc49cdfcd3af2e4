/*
 * test_runners.c - the runner table (runners/ft_runners.h): each row where
 * the rest of ftrace looks for it, by name, by kind and by command.
 *
 * The case it guards: a kind is a row's position in the table, and the
 * enum ft_runner_kind names the first rows' positions; a row moved in the
 * table would silently give another runner's rules to its images.  And
 * `ftrace test` must still pick pytest for any command that runs pytest,
 * before the runners that recognise images.  And the readers of listings
 * (runners/ft_reader.h): a reader no row declares has no rule, and
 * pytest's rules answer as docs/selection.md says, jest's snapshot rule
 * as docs/jest.md does (on a real directory).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_pytest_root.h"
#include "ft_reader.h"
#include "ft_record.h"
#include "ft_runner.h"
#include "ft_runner_argv.h"
#include "ft_runners.h"
#include "ft_state.h"

#define V(...) ((char *const[]){ __VA_ARGS__, NULL })

static void test_runners__kinds_are_positions(void **state)
{
	static const struct { int kind; const char *name; } want[] = {
		{ FT_RUNNER_CTEST, "ctest" }, { FT_RUNNER_NODE, "node" }, { FT_RUNNER_JEST, "jest" },
		{ FT_RUNNER_AUTOMAKE, "automake" }, { FT_RUNNER_GO, "go" },
		{ FT_RUNNER_CARGO, "cargo" }, { FT_RUNNER_NEXTEST, "nextest" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct ft_runner_ops *row = ft_runners_by_kind(want[i].kind);
		assert_non_null(row);
		assert_string_equal(row->name, want[i].name);
		assert_ptr_equal(ft_runners_by_name(want[i].name), row);
		assert_int_equal(ft_runners_kind(row), want[i].kind);
	}
	assert_null(ft_runners_by_kind(0));
	assert_null(ft_runners_by_name("make"));
}

static void test_runners__format_names(void **state)
{
	char names[256];

	(void)state;
	ft_runners_format_names(names, sizeof(names));
	assert_string_equal(names, "ctest, node, jest, go, cargo or nextest");
}

static void test_runners__commands(void **state)
{
	(void)state;
	assert_ptr_equal(ft_runners_of_cmd(V("pytest", "-q"), 0), &ft_runner_pytest);
	assert_ptr_equal(ft_runners_of_cmd(V("uv", "run", "python", "-m", "pytest"), 0), &ft_runner_pytest);
	assert_ptr_equal(ft_runners_of_cmd(V("sh", "-c", "cd x && pytest -x"), 1), &ft_runner_pytest);
	assert_null(ft_runners_of_cmd(V("sh", "-c", "ctest"), 1));
	assert_ptr_equal(ft_runners_of_cmd(V("ctest", "-j2"), 0), &ft_runner_ctest);
	assert_ptr_equal(ft_runners_of_cmd(V("node", "--test"), 0), &ft_runner_node);
	assert_ptr_equal(ft_runners_of_cmd(V("jest", "--ci"), 0), &ft_runner_jest);
	assert_ptr_equal(ft_runners_of_cmd(V("go", "test", "./..."), 0), &ft_runner_go);
	assert_ptr_equal(ft_runners_of_cmd(V("cargo", "test"), 0), &ft_runner_cargo);
	assert_ptr_equal(ft_runners_of_cmd(V("cargo", "nextest", "run"), 0), &ft_runner_nextest);
	assert_null(ft_runners_of_cmd(V("make", "all"), 0));
	assert_int_equal(ft_runner_cmd_kind(V("pytest")), 0);
	assert_int_equal(ft_runner_cmd_kind(V("go", "test", "./...")), FT_RUNNER_GO);
}

static void test_runners__images(void **state)
{
	(void)state;
	/* jest's argv[0] wins over node's --test, and go over a node exe */
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", V("jest", "--test"), 2), FT_RUNNER_JEST);
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", V("node", "--test"), 2), FT_RUNNER_NODE);
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", V("go", "test", "--test"), 3), FT_RUNNER_GO);
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", V("node", "/x/jest", "--ci"), 3), FT_RUNNER_JEST);
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", V("node", "/x/jest", "--test"), 3), FT_RUNNER_NODE);
	assert_int_equal(ft_runner_kind_of(NULL, V("make", "check"), 2), 0);
}

static int neutral(int id, const void *scope, const char *name, int added)
{
	struct ft_listing_change c = { "/r/tests/data", name, added, scope };

	return ft_reader_neutral(ft_readers_find(id), &c);
}

static int neutral_in(int id, const struct ft_pytest_root *scope, const char *dir, const char *name)
{
	struct ft_listing_change c = { dir, name, 1, scope };

	return ft_reader_neutral(ft_readers_find(id), &c);
}

/* jest's snapshot directories: only a snapshot file without its test file,
 * as the tree is now (runners/runner_jest_snapshots.c) */
static int snap_change(const char *dir, const char *name, int added)
{
	struct ft_listing_change c = { dir, name, added, NULL };

	return ft_reader_neutral(ft_readers_find(FT_READER_JEST_SNAPSHOTS), &c);
}

static void put(const char *dir, const char *name)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_non_null(f = fopen(p, "w"));
	fclose(f);
}

static void test_runners__jest_snapshots(void **state)
{
	char top[] = "/tmp/ftu-snap-XXXXXX", snaps[256], lib[128], cmd[512];

	(void)state;
	assert_non_null(mkdtemp(top));
	snprintf(snaps, sizeof(snaps), "%s/__snapshots__", top);
	snprintf(lib, sizeof(lib), "%s/lib", top);
	assert_int_equal(mkdir(snaps, 0700), 0);
	assert_int_equal(mkdir(lib, 0700), 0);
	put(top, "a.test.js");
	/* in a __snapshots__ listing */
	assert_int_equal(snap_change(snaps, "a.test.js.snap", 1), 1);
	assert_int_equal(snap_change(snaps, "gone.test.js.snap", 1), 0);
	assert_int_equal(snap_change(snaps, "gone.test.js.snap", 0), 1);
	assert_int_equal(snap_change(snaps, "README.md", 1), 1);
	assert_int_equal(snap_change(snaps, ".snap", 1), 0);
	assert_int_equal(symlink("nowhere.js", strcat(strcpy(cmd, top), "/dangling.js")), 0);
	assert_int_equal(snap_change(snaps, "dangling.js.snap", 1), 0);
	/* in a scanned directory's own listing: only __snapshots__ counts,
	 * and only with an orphan in it (gone again: nothing to find) */
	assert_int_equal(snap_change(lib, "x.js", 1), 1);
	assert_int_equal(snap_change(lib, "__snapshots__", 0), 1);
	assert_int_equal(snap_change(lib, "__snapshots__", 1), 1);
	snprintf(snaps, sizeof(snaps), "%s/__snapshots__", lib);
	assert_int_equal(mkdir(snaps, 0700), 0);
	put(lib, "m.js");
	put(snaps, "m.js.snap");
	put(snaps, "notes.txt");
	assert_int_equal(snap_change(lib, "__snapshots__", 1), 1);
	put(snaps, "orphan.js.snap");
	assert_int_equal(snap_change(lib, "__snapshots__", 1), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	assert_int_equal(system(cmd), 0);
}

static void test_runners__readers(void **state)
{
	char *pats[] = { "test_*.py" }, *norec[] = { "build" }, *dglob[] = { "test*.txt" };
	struct ft_pytest_root plain = { .rootdir = "/r", .rootlen = 2, .patterns = pats, .npat = 1,
					.norecurse = norec, .nnorecurse = 1, .plain = 1,
					.doctest_glob = dglob, .ndglob = 1 };
	struct ft_pytest_root hooked = plain, noted = plain;

	(void)state;
	hooked.plain = 0;
	noted.lookups = 1;
	assert_string_equal(ft_readers_find(FT_READER_COLLECT)->name, "pytest-collect");
	assert_string_equal(ft_readers_find(FT_READER_IMPORT)->name, "python-import");
	assert_string_equal(ft_readers_find(FT_READER_CONFIG)->name, "pytest-config");
	assert_null(ft_readers_find(FT_READER_ANY));
	assert_string_equal(ft_readers_find(FT_READER_SCAN)->name, "runner-scan");
	assert_string_equal(ft_readers_find(FT_READER_MADE)->name, "made");
	assert_string_equal(ft_readers_find(FT_READER_JEST_SNAPSHOTS)->name, "jest-snapshots");
	assert_null(ft_readers_find(7));
	assert_string_equal(ft_readers_kind_name(ft_dep_code(FT_DEP_LIST, FT_READER_JEST_SNAPSHOTS)),
			    "snapshot-list");
	assert_null(ft_readers_find(FT_DEP_READER_MAX));
	/* names: the runner's, the plain kind's, or the number */
	assert_string_equal(ft_readers_kind_name(ft_dep_code(FT_DEP_LIST, 1)), "collected-list");
	assert_string_equal(ft_readers_kind_name(ft_dep_code(FT_DEP_LIST, 2)), "import-list");
	assert_string_equal(ft_readers_kind_name(ft_dep_code(FT_DEP_TYPE, 1)), "collected-type");
	assert_string_equal(ft_readers_kind_name(ft_dep_code(FT_DEP_TYPE, 2)), "type (reader 2)");
	assert_string_equal(ft_readers_kind_name(ft_dep_code(FT_DEP_TYPE, FT_READER_SCAN)), "scanned-type");
	assert_string_equal(ft_readers_kind_name(ft_dep_code(FT_DEP_LIST, FT_READER_SCAN)), "list (reader 4)");
	assert_string_equal(ft_readers_kind_name(ft_dep_code(FT_DEP_FILE, 3)), "pytest-config");
	assert_string_equal(ft_readers_kind_name(ft_dep_code(FT_DEP_LIST, 3)), "list (reader 3)");
	assert_string_equal(ft_readers_kind_name(ft_dep_code(FT_DEP_LIST, 4)), "list (reader 4)");
	assert_string_equal(ft_readers_kind_name(ft_dep_code(FT_DEP_FILE, 4)), "file (reader 4)");
	assert_string_equal(ft_readers_kind_name(FT_DEP_LIST), "list");
	assert_string_equal(ft_readers_kind_name(FT_DEP_FILE), "file");
	/* codes: a reader on a FILE, LIST or TYPE only; the older versions'
	 * kinds map (version 7's 9-11, version 8's 8) */
	assert_true(ft_dep_valid(ft_dep_code(FT_DEP_LIST, 15)));
	assert_true(ft_dep_valid(ft_dep_code(FT_DEP_FILE, 1)));
	assert_false(ft_dep_valid(ft_dep_code(FT_DEP_UNKNOWN, 1)));
	assert_false(ft_dep_valid(ft_dep_code(FT_DEP_LINK, 3)));
	assert_false(ft_dep_valid(8));
	assert_false(ft_dep_valid(9));
	assert_false(ft_dep_valid(0));
	assert_int_equal(ft_dep_legacy(8), 0x31);
	assert_int_equal(ft_dep_legacy(9), 0x15);
	assert_int_equal(ft_dep_legacy(10), 0x25);
	assert_int_equal(ft_dep_legacy(11), 0x12);
	assert_int_equal(ft_dep_legacy(5), 5);
	for (int k = 8; k <= 11; k++)
		assert_int_equal(ft_dep_legacy_code(ft_dep_legacy(k)), k);
	assert_int_equal(ft_dep_legacy_code(0x35), 0x35);
	/* a database of a given version: only the kinds it had */
	assert_int_equal(ft_dep_legacy_in(8, 8), 0x31);
	assert_int_equal(ft_dep_legacy_in(9, 8), 9);
	assert_int_equal(ft_dep_legacy_in(9, 7), 0x15);
	assert_int_equal(ft_dep_legacy_in(8, 7), 0x31);
	assert_int_equal(ft_dep_legacy_in(8, 9), 8);
	/* the import system: names it cannot use, anywhere, either way */
	assert_int_equal(neutral(FT_READER_IMPORT, NULL, "notes.yaml", 1), 1);
	assert_int_equal(neutral(FT_READER_IMPORT, NULL, ".gitignore", 0), 1);
	assert_int_equal(neutral(FT_READER_IMPORT, NULL, "helper.py", 1), 0);
	assert_int_equal(neutral(FT_READER_IMPORT, NULL, "Makefile", 1), 0);
	assert_int_equal(neutral(FT_READER_IMPORT, NULL, "x.CPython-311.SO", 0), 0);
	/* where pytest collects, in a directory whose lookups the adapter
	 * notes (ftrace_pysite._noted_dir: t2030 checks it says the same), a
	 * module's name too, if every run noted every lookup; not a
	 * distribution's, not in an installation */
	assert_int_equal(neutral(FT_READER_IMPORT, &plain, "helper.py", 1), 0);
	assert_int_equal(neutral(FT_READER_IMPORT, &noted, "helper.py", 1), 1);
	assert_int_equal(neutral(FT_READER_IMPORT, &noted, "helper.pyc", 0), 1);
	assert_int_equal(neutral(FT_READER_IMPORT, &noted, "Makefile", 1), 1);
	assert_int_equal(neutral(FT_READER_IMPORT, &noted, "x.cpython-311-x86_64-linux-gnu.so", 1), 1);
	assert_int_equal(neutral(FT_READER_IMPORT, &noted, "x.CPython-311.SO", 1), 0);
	assert_int_equal(neutral(FT_READER_IMPORT, &noted, "helper.PY", 1), 0);
	assert_int_equal(neutral(FT_READER_IMPORT, &noted, "extra-1.0.dist-info", 1), 0);
	assert_int_equal(neutral(FT_READER_IMPORT, &noted, "extra-1.0.egg-info", 0), 0);
	assert_int_equal(neutral(FT_READER_IMPORT, &noted, "extra-1.0.egg", 1), 0);
	assert_int_equal(neutral_in(FT_READER_IMPORT, &noted, "/r", "helper.py"), 1);
	assert_int_equal(neutral_in(FT_READER_IMPORT, &noted, "/r/python-utils/python", "m.py"), 1);
	assert_int_equal(neutral_in(FT_READER_IMPORT, &noted, "/r/.venv/lib/python3.11/site-packages", "m.py"), 0);
	assert_int_equal(neutral_in(FT_READER_IMPORT, &noted, "/r/vendor/dist-packages/x", "m.py"), 0);
	assert_int_equal(neutral_in(FT_READER_IMPORT, &noted, "/r/py/lib/python3.12", "m.py"), 0);
	assert_int_equal(neutral_in(FT_READER_IMPORT, &noted, "/r/py/lib/python3", "m"), 0);
	assert_int_equal(neutral_in(FT_READER_IMPORT, &noted, "/r/py/lib-dynload", "m.so"), 0);
	assert_int_equal(neutral_in(FT_READER_IMPORT, &noted, "/r/pypy3.10/lib", "m.py"), 0);
	assert_int_equal(neutral_in(FT_READER_IMPORT, &noted, "/r/pp/lib-python/3", "m.py"), 0);
	assert_int_equal(neutral_in(FT_READER_IMPORT, &noted, "/r/pp/lib_pypy", "m.py"), 0);
	assert_int_equal(neutral_in(FT_READER_IMPORT, &noted, "r/relative", "m.py"), 0);
	/* the collector: a name gone that it ignored, with pytest's own hooks
	 * only; an added one is the new-test walk's (FT_READER_COLLECTS) */
	assert_int_equal(neutral(FT_READER_COLLECT, &plain, "data.csv", 0), 1);
	assert_int_equal(neutral(FT_READER_COLLECT, &plain, "build", 0), 1);
	assert_int_equal(neutral(FT_READER_COLLECT, &plain, "test_x.py", 0), 0);
	assert_int_equal(neutral(FT_READER_COLLECT, &plain, "conftest.py", 0), 0);
	assert_int_equal(neutral(FT_READER_COLLECT, &plain, "test_notes.txt", 0), 0);
	assert_int_equal(neutral(FT_READER_COLLECT, &plain, "data.csv", 1), 0);
	assert_int_equal(neutral(FT_READER_COLLECT, &hooked, "data.csv", 0), 0);
	assert_int_equal(neutral(FT_READER_COLLECT, NULL, "data.csv", 0), 0);
	/* a reader no row declares: never neutral; the config reader has no
	 * listing rule (its files' changes are python/ft_pyconf.c's) */
	assert_int_equal(neutral(9, NULL, "notes.yaml", 1), 0);
	assert_null(ft_readers_find(9));
	assert_int_equal(neutral(FT_READER_SCAN, NULL, "notes.yaml", 0), 0);
	assert_int_equal(neutral(FT_READER_CONFIG, NULL, "notes.yaml", 1), 0);
	assert_true(ft_readers_find(FT_READER_COLLECT)->flags & FT_READER_GONE_TYPE);
	assert_true(ft_readers_find(FT_READER_IMPORT)->flags & FT_READER_EVERYWHERE);
	assert_int_equal(ft_readers_find(FT_READER_CONFIG)->flags, 0);
	/* node's walk: an entry gone is no change, a listing it has none */
	assert_int_equal(ft_readers_find(FT_READER_SCAN)->flags, FT_READER_GONE_TYPE);
	/* the core's: a file a test made, kept; its going is no change */
	assert_int_equal(ft_readers_find(FT_READER_MADE)->flags, FT_READER_GONE_TYPE);
	assert_string_equal(ft_readers_kind_name(ft_dep_code(FT_DEP_TYPE, FT_READER_MADE)), "made-type");
	assert_int_equal(neutral(FT_READER_MADE, NULL, "notes.yaml", 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runners__kinds_are_positions),
		cmocka_unit_test(test_runners__format_names),
		cmocka_unit_test(test_runners__commands),
		cmocka_unit_test(test_runners__images),
		cmocka_unit_test(test_runners__readers),
		cmocka_unit_test(test_runners__jest_snapshots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
