/*
 * test_adapter.c - loading the pytest adapter's side files
 * (ingest/ft_adapter.h): what makes one usable for the prelude split.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "ft_adapter.h"
#include "ft_collect.h"

static const char side[] =
	"{\"closures\": {\"/r/tests/test_a.py\": [\"/r/a.py\"]},"
	" \"tests\": [{\"id\": \"tests/test_a.py::t\", \"file\": \"/r/tests/test_a.py\"}],"
	" \"project_files\": [\"/r/a.py\"]}";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_adapter__plain_file_splits(void **state)
{
	char dir[] = "/tmp/ft-adapter.XXXXXX", path[128];
	struct ft_adapter a = FT_ADAPTER_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/adapter-pytest-1.json", dir);
	write_file(path, side);
	assert_int_equal(ft_adapter_load(&a, dir), 0);
	assert_true(a.present);
	assert_true(a.split);
	assert_true(ft_adapter_is_project(&a, "/r/a.py", 7));
	ft_adapter_release(&a);
	unlink(path);
	rmdir(dir);
}

/* The run dir holds only files ftrace and its adapter created: a symlink
 * named like a side file is not followed out of it (it could name any
 * file, and steer the prelude split), so the split is off. */
static void test_adapter__symlink_not_followed(void **state)
{
	char dir[] = "/tmp/ft-adapter.XXXXXX", path[128], target[128];
	struct ft_adapter a = FT_ADAPTER_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(target, sizeof(target), "%s/elsewhere.json", dir);
	snprintf(path, sizeof(path), "%s/adapter-pytest-1.json", dir);
	write_file(target, side);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(ft_adapter_load(&a, dir), 0);
	assert_true(a.present);
	assert_false(a.split);
	assert_false(ft_adapter_is_project(&a, "/r/a.py", 7));
	ft_adapter_release(&a);
	unlink(path);
	unlink(target);
	rmdir(dir);
}

/* A side file that says "broken" (the plugin met an error: its closures
 * may be short) never allows the split, whatever else it holds: also
 * with a "leaky" list, which is read first (fuzz_adapter found a broken
 * file that split, session 42). */
static void test_adapter__broken_file_never_splits(void **state)
{
	static const char *const docs[] = {
		"{\"broken\": true, \"leaky\": [],"
		" \"closures\": {\"/r/tests/test_a.py\": [\"/r/a.py\"]},"
		" \"tests\": [{\"id\": \"tests/test_a.py::t\", \"file\": \"/r/tests/test_a.py\"}],"
		" \"project_files\": [\"/r/a.py\"]}",
		"{\"broken\": true, \"coverage_data\": [\"/r/.coverage\"],"
		" \"closures\": {}, \"tests\": [], \"project_files\": []}",
		"{\"leaky\": [], \"closures\": {}, \"tests\": []}",
	};
	char dir[] = "/tmp/ft-adapter.XXXXXX", path[128];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/adapter-pytest-1.json", dir);
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct ft_adapter a = FT_ADAPTER_INIT;
		write_file(path, docs[i]);
		assert_int_equal(ft_adapter_load(&a, dir), 0);
		assert_true(a.present);
		assert_false(a.split);
		ft_adapter_release(&a);
	}
	unlink(path);
	rmdir(dir);
}

static int scoped(const struct ft_adapter *a, const char *id)
{
	return ft_adapter_leaky_scoped(a, id, strlen(id));
}

static int user(const struct ft_adapter *a, const char *id, const char *u)
{
	return ft_adapter_leaky_user(a, id, strlen(id), u, strlen(u));
}

/* Is `id` scoped by the side files in `dir`? */
static int scoped_in(const char *dir, const char *id)
{
	struct ft_adapter a = FT_ADAPTER_INIT;
	int r;

	assert_int_equal(ft_adapter_load(&a, dir), 0);
	r = scoped(&a, id);
	ft_adapter_release(&a);
	return r;
}

/* "leaky_scoped": a leaky test is scoped only with a list of strings in a
 * side file that is not broken, and only while no side file lacks the
 * leaky list and none names it leaky without scoping it. */
static void test_adapter__leaky_scoped(void **state)
{
	char dir[] = "/tmp/ft-adapter.XXXXXX", p1[128], p2[128];
	struct ft_adapter a = FT_ADAPTER_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p1, sizeof(p1), "%s/adapter-pytest-1.json", dir);
	snprintf(p2, sizeof(p2), "%s/adapter-pytest-2.json", dir);
	write_file(p1, "{\"leaky\": [\"L\", \"M\", \"N\", \"W\"],"
		   " \"leaky_scoped\": {\"L\": [\"U\", \"V\"], \"M\": [\"U\", 7], \"N\": \"U\","
		   " \"X\": [\"U\"]}, \"closures\": {}, \"tests\": []}");
	assert_int_equal(ft_adapter_load(&a, dir), 0);
	assert_true(scoped(&a, "L"));
	assert_true(user(&a, "L", "U") && user(&a, "L", "V"));
	assert_false(user(&a, "L", "W") || user(&a, "L", "") || user(&a, "U", "L"));
	assert_false(scoped(&a, "M"));     /* a member that is no string */
	assert_false(scoped(&a, "N"));     /* no list */
	assert_false(scoped(&a, "W"));     /* not in leaky_scoped */
	assert_false(scoped(&a, "X"));     /* not leaky */
	assert_true(ft_adapter_is_leaky(&a, "L", 1));
	ft_adapter_release(&a);

	/* another side file names L leaky, unscoped: wide */
	write_file(p2, "{\"leaky\": [\"L\"], \"closures\": {}, \"tests\": []}");
	assert_false(scoped_in(dir, "L"));

	/* another side file with a leaky list (an xdist worker): none */
	write_file(p2, "{\"leaky\": [], \"closures\": {}, \"tests\": []}");
	assert_false(scoped_in(dir, "L"));

	/* another side file has no leaky list: no test is scoped */
	write_file(p2, "{\"closures\": {}, \"tests\": []}");
	assert_false(scoped_in(dir, "L"));
	unlink(p2);

	/* a broken side file scopes nothing */
	write_file(p1, "{\"broken\": true, \"leaky\": [\"L\"], \"leaky_scoped\": {\"L\": [\"U\"]},"
		   " \"closures\": {}, \"tests\": []}");
	a = (struct ft_adapter)FT_ADAPTER_INIT;
	assert_int_equal(ft_adapter_load(&a, dir), 0);
	assert_true(ft_adapter_is_leaky(&a, "L", 1));
	ft_adapter_release(&a);
	assert_false(scoped_in(dir, "L"));
	unlink(p1);
	rmdir(dir);
}

/* "leaky_env": a leaky test whose change was in environment variables
 * only waits for ft_adapter_env_scope, with a non-empty list of non-empty
 * names; anything else is wide.  With no reads at all, it is scoped and
 * has no user.  "leaky_process" names the leaky tests whose closure goes
 * where their code goes; without it, every leaky test's does.  A side
 * file that cannot be read makes every test leaky. */
static void test_adapter__leaky_env(void **state)
{
	char dir[] = "/tmp/ft-adapter.XXXXXX", p1[128], p2[128];
	struct ft_adapter a = FT_ADAPTER_INIT;
	struct ft_collect c = FT_COLLECT_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p1, sizeof(p1), "%s/adapter-pytest-1.json", dir);
	snprintf(p2, sizeof(p2), "%s/adapter-pytest-2.json", dir);
	write_file(p1, "{\"leaky\": [\"L\", \"E\", \"N\", \"S\", \"W\"], \"leaky_process\": [\"L\"],"
		   " \"leaky_env\": {\"tests\": {\"L\": [\"TERM\", \"LANG\"], \"E\": [],"
		   " \"N\": [\"TERM\", 7], \"S\": \"TERM\"}, \"importers\": []},"
		   " \"closures\": {}, \"tests\": []}");
	assert_int_equal(ft_adapter_load(&a, dir), 0);
	assert_false(scoped(&a, "L"));     /* not yet placed */
	assert_int_equal(ft_adapter_env_scope(&a, &c), 0);
	assert_true(scoped(&a, "L"));      /* nothing reads TERM or LANG */
	assert_false(user(&a, "L", "E") || user(&a, "L", ""));
	assert_false(scoped(&a, "E"));     /* an empty list */
	assert_false(scoped(&a, "N"));     /* a name that is no string */
	assert_false(scoped(&a, "S"));     /* no list */
	assert_false(scoped(&a, "W"));     /* not in leaky_env */
	assert_true(ft_adapter_leaky_process(&a, "L", 1));
	assert_false(ft_adapter_leaky_process(&a, "W", 1));
	assert_false(ft_adapter_is_leaky(&a, "T", 1));
	ft_adapter_release(&a);

	/* no leaky_process list: every leaky test's closure goes with its code */
	write_file(p1, "{\"leaky\": [\"L\"], \"closures\": {}, \"tests\": []}");
	a = (struct ft_adapter)FT_ADAPTER_INIT;
	assert_int_equal(ft_adapter_load(&a, dir), 0);
	assert_true(ft_adapter_leaky_process(&a, "L", 1) && ft_adapter_leaky_process(&a, "W", 1));
	ft_adapter_release(&a);

	/* a side file that is no JSON: which tests left state is not known */
	write_file(p2, "{\"leaky\": [");
	a = (struct ft_adapter)FT_ADAPTER_INIT;
	assert_int_equal(ft_adapter_load(&a, dir), 0);
	assert_true(ft_adapter_is_leaky(&a, "T", 1));
	assert_false(a.split);
	ft_adapter_release(&a);
	unlink(p2);
	unlink(p1);
	rmdir(dir);
}

static int is_cov(const struct ft_adapter *a, const char *p)
{
	return ft_adapter_is_coverage_data(a, p, strlen(p));
}

/* coverage.py's data file D, its parallel siblings D.<suffix> and their
 * -journal, -wal and -shm files are coverage's own; nothing else is, and
 * malformed entries (relative, a directory, not a string) name nothing. */
static void test_adapter__coverage_data(void **state)
{
	char dir[] = "/tmp/ft-adapter.XXXXXX", path[128];
	struct ft_adapter a = FT_ADAPTER_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/adapter-pytest-1.json", dir);
	write_file(path, "{\"partial\": true, \"tests\": [],"
		   " \"coverage_data\": [\"/r/.coverage\", \"rel/.coverage\", \"/r/sub/\","
		   " 7, \"/\", \"/o/cov.db\"]}");
	assert_int_equal(ft_adapter_load(&a, dir), 0);
	assert_true(is_cov(&a, "/r/.coverage"));
	assert_true(is_cov(&a, "/r/.coverage-journal"));
	assert_true(is_cov(&a, "/r/.coverage.vm.pid12.XAbc"));
	assert_true(is_cov(&a, "/r/.coverage.vm.pid12.XAbc.tmpQQ-journal"));
	assert_true(is_cov(&a, "/o/cov.db.h.1.x"));
	assert_false(is_cov(&a, "/r/.coveragerc"));
	assert_false(is_cov(&a, "/r/.coverage."));
	assert_false(is_cov(&a, "/r/.coverage/x"));
	assert_false(is_cov(&a, "/r/x/.coverage"));
	assert_false(is_cov(&a, "/r/a.py"));
	assert_false(is_cov(&a, "/o/cov"));
	assert_false(is_cov(&a, "rel/.coverage"));
	assert_false(is_cov(&a, "/r/sub/x"));
	assert_false(is_cov(&a, "/x"));
	ft_adapter_release(&a);
	unlink(path);
	rmdir(dir);
}

/* The runner's reports (exact paths) and the session's scratch directories
 * (a directory and what is under it): absolute entries only; a scratch
 * entry that is the repository's top, or above it, counts for nothing. */
static void test_adapter__outputs_and_scratch(void **state)
{
	char dir[] = "/tmp/ft-adapter.XXXXXX", path[128];
	struct ft_adapter a = FT_ADAPTER_INIT;
	const char *top = "/r";

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/adapter-pytest-1.json", dir);
	write_file(path, "{\"partial\": true, \"tests\": [],"
		   " \"runner_outputs\": [\"/r/reports/junit.xml\", \"rel.xml\", 3],"
		   " \"scratch_dirs\": [\"/r/.tox/py/tmp/\", \"/\", \"/r\", \"rel\", {}]}");
	assert_int_equal(ft_adapter_load(&a, dir), 0);
#define OUT(p) ft_adapter_is_runner_output(&a, p, strlen(p))
#define SCR(p) ft_adapter_is_scratch_dir(&a, p, strlen(p), top)
	assert_true(OUT("/r/reports/junit.xml"));
	assert_false(OUT("/r/reports"));
	assert_false(OUT("/r/reports/junit.xml/x"));
	assert_false(OUT("rel.xml"));
	assert_true(SCR("/r/.tox/py/tmp"));
	assert_true(SCR("/r/.tox/py/tmp/test0/a.txt"));
	assert_false(SCR("/r/.tox/py/tmpx"));
	assert_false(SCR("/r/.tox/py"));
	assert_false(SCR("/r/src/a.py"));   /* "/" and "/r" name no scratch */
	assert_false(SCR("/etc/passwd"));
	assert_false(SCR("rel/x"));
#undef OUT
#undef SCR
	ft_adapter_release(&a);
	unlink(path);
	rmdir(dir);
}

/* The compact shape (ftrace_pytest.py, _compact): a user by its index in
 * "tests"; one that names no test, or is no whole number, leaves its
 * leaky test no list of strings: shared with every test. */
static void test_adapter__leaky_scoped_indices(void **state)
{
	char dir[] = "/tmp/ft-adapter.XXXXXX", p1[128];
	struct ft_adapter a = FT_ADAPTER_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p1, sizeof(p1), "%s/adapter-pytest-1.json", dir);
	write_file(p1, "{\"leaky\": [\"L\", \"M\", \"N\", \"O\"],"
		   " \"leaky_scoped\": {\"L\": [1, \"X\", 2], \"M\": [0, 3], \"N\": [-1],"
		   " \"O\": [0.5]},"
		   " \"closures\": {}, \"tests\": [{\"id\": \"U\"}, {\"id\": \"V\"}, {\"id\": \"W\"}]}");
	assert_int_equal(ft_adapter_load(&a, dir), 0);
	assert_true(scoped(&a, "L"));
	assert_true(user(&a, "L", "V") && user(&a, "L", "W") && user(&a, "L", "X"));
	assert_false(user(&a, "L", "U"));
	assert_false(scoped(&a, "M"));     /* 3: past the last test */
	assert_false(scoped(&a, "N"));
	assert_false(scoped(&a, "O"));
	ft_adapter_release(&a);
	unlink(p1);
	rmdir(dir);
}

/* Each test's keys by index into "keys" ("tests_keyed") come back as
 * "tests", each key the table's; an index that names no key makes the
 * functions part incomplete (its tests by file), never a key left out. */
static void test_adapter__tests_keyed(void **state)
{
	char dir[] = "/tmp/ft-adapter.XXXXXX", p1[128];
	cJSON *doc, *fn, *ph, *k;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p1, sizeof(p1), "%s/adapter-pytest-1.json", dir);
	write_file(p1, "{\"functions\": {\"complete\": true, \"keys\": [[\"/r/a.py\", \"f\", 1],"
		   " [\"/r/b.py\", \"g\", 2]], \"tests_keyed\": {\"T\": {\"test\": [1, 0]},"
		   " \"S\": {\"setup\": [], \"test\": [1]}}}}");
	assert_non_null(doc = ft_adapter_read_doc(dir, "adapter-pytest-1.json"));
	fn = cJSON_GetObjectItem(doc, "functions");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(fn, "complete")));
	assert_null(cJSON_GetObjectItem(fn, "tests_keyed"));
	ph = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(fn, "tests"), "T"), "test");
	assert_int_equal(cJSON_GetArraySize(ph), 2);
	k = cJSON_GetArrayItem(ph, 0);
	assert_true(cJSON_IsArray(k));
	assert_string_equal(cJSON_GetArrayItem(k, 0)->valuestring, "/r/b.py");
	assert_string_equal(cJSON_GetArrayItem(k, 1)->valuestring, "g");
	assert_int_equal(cJSON_GetArrayItem(k, 2)->valueint, 2);
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetArrayItem(ph, 1), 1)->valuestring, "f");
	ph = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(fn, "tests"), "S"), "test");
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetArrayItem(ph, 0), 1)->valuestring, "g");
	cJSON_Delete(doc);

	static const char *const bad[] = {
		"[[\"/r/a.py\", \"f\", 1]], \"tests_keyed\": {\"T\": {\"test\": [0, 1]}}",
		"[[\"/r/a.py\", \"f\", 1]], \"tests_keyed\": {\"T\": {\"test\": [\"x\"]}}",
		"[[\"/r/a.py\", \"f\", 1]], \"tests_keyed\": {\"T\": [0]}",
		"\"no\", \"tests_keyed\": {\"T\": {\"test\": [0]}}",
		"[[\"/r/a.py\", \"f\", 1]], \"tests_keyed\": {\"T\": {\"test\": [0]}}, \"tests\": {}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[512];
		snprintf(text, sizeof(text), "{\"functions\": {\"complete\": true, \"keys\": %s}}", bad[i]);
		write_file(p1, text);
		assert_non_null(doc = ft_adapter_read_doc(dir, "adapter-pytest-1.json"));
		fn = cJSON_GetObjectItem(doc, "functions");
		assert_false(cJSON_IsTrue(cJSON_GetObjectItem(fn, "complete")));
		assert_null(cJSON_GetObjectItem(fn, "tests_keyed"));
		cJSON_Delete(doc);
	}
	unlink(p1);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adapter__plain_file_splits),
		cmocka_unit_test(test_adapter__symlink_not_followed),
		cmocka_unit_test(test_adapter__coverage_data),
		cmocka_unit_test(test_adapter__outputs_and_scratch),
		cmocka_unit_test(test_adapter__broken_file_never_splits),
		cmocka_unit_test(test_adapter__leaky_scoped),
		cmocka_unit_test(test_adapter__leaky_env),
		cmocka_unit_test(test_adapter__leaky_scoped_indices),
		cmocka_unit_test(test_adapter__tests_keyed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
