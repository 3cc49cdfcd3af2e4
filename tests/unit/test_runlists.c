/*
 * test_runlists.c - where each process-per-test runner keeps its test list:
 * written into the run's metadata at ingest (runners/ft_runner_meta.c;
 * its tables, store/ft_store_runmeta.h), read back for `ftrace affected`
 * (runners/runlists.c).  A real SQLite file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ft_error.h"
#include "ft_ptree.h"
#include "ft_runlists.h"
#include "ft_runner.h"
#include "ft_runner_meta.h"
#include "ft_runners.h"
#include "ft_store.h"
#include "ft_store_runmeta.h"
#include "storewhy.h"

static char dir[PATH_MAX], db[PATH_MAX + 16];

static int setup(void **state)
{
	char tmpl[] = "/tmp/ft-runlists.XXXXXX";

	(void)state;
	if (!mkdtemp(tmpl))
		return -1;
	snprintf(dir, sizeof(dir), "%s", tmpl);
	snprintf(db, sizeof(db), "%s/ftrace.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char p[PATH_MAX + 32];

	(void)state;
	for (const char *s = ""; s; s = !*s ? "-wal" : !strcmp(s, "-wal") ? "-shm" : NULL) {
		snprintf(p, sizeof(p), "%s%s", db, s);
		unlink(p);
	}
	rmdir(dir);
	return 0;
}

/* one run holding one test, with meta_json */
static void record(struct ft_store *st, const char *meta, const char *test)
{
	struct ft_run_info run = { .command = "x", .cwd = "/", .meta_json = meta };
	struct ft_test_row t = { .name = test, .runner = "ctest" };
	int64_t run_id;

	assert_int_equal(ft_store_run_begin(st, &run, &run_id), 0);
	assert_int_equal(ft_store_test_put(st, run_id, &t), 0);
	assert_int_equal(ft_store_run_commit(st), 0);
}

static void add(struct ft_ptree *t, int32_t pid, int32_t ppid, uint64_t ns, const char *argv,
		size_t len)
{
	long i = ft_ptree_add(t, "r", pid, ppid, 0, ns, 0, NULL, argv, len, 0);
	assert_true(i >= 0);
	t->procs[i].runner = ft_runner_kind_of(NULL, t->procs[i].argv, t->procs[i].argc);
}

static void meta_from_tree(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	char *out = NULL;

	(void)state;
	add(&t, 10, 1, 1, "sh\0-c\0x", 8);
	assert_int_equal(ft_runner_meta(&t, "/w", NULL, NULL, &out), 0);
	assert_null(out); /* no runner: the adapter's meta stays as it is */

	add(&t, 11, 10, 2, "ctest\0--test-dir\0b", 19);
	add(&t, 12, 10, 3, "ctest\0--test-dir\0b", 19); /* the same list once */
	add(&t, 13, 10, 4, "node\0--test", 12);
	/* runners that named no test say nothing about which tests exist */
	assert_int_equal(ft_runner_meta(&t, "/w", NULL, NULL, &out), 0);
	assert_null(out);
	assert_true(ft_ptree_test(&t, "a", "ctest") >= 0);
	assert_true(ft_ptree_test(&t, "t/a.test.js", "node") >= 0);
	assert_int_equal(ft_runner_meta(&t, "/w", NULL, "{\"adapter\":\"pytest\",\"rootdir\":\"/w\"}", &out), 0);
	assert_non_null(out);
	assert_string_equal(out, "{\"adapter\":\"pytest\",\"rootdir\":\"/w\",\"runners\":["
			    "{\"args\":[\"--test-dir\",\"b\"],\"runner\":\"ctest\",\"dir\":\"/w\"},"
			    "{\"args\":[\"--test\"],\"runner\":\"node\",\"dir\":\"/w\"}]}");
	free(out);
	/* an adapter meta that is not an object is not silently replaced */
	assert_int_equal(ft_runner_meta(&t, "/w", NULL, "[1]", &out), FT_EFORMAT);
	ft_ptree_release(&t);
}

/* `ftrace test`'s narrowing is left out of an entry: the runner is asked
 * for its tests with the user's command (ft_runner_meta.h) */
static void meta_narrowed(void **state)
{
	static char *const ctest_narrow[] = { "-R", "^(a|b)$", NULL };
	static char *const other[] = { "-R", "^(c)$", NULL };
	static char *const jest_narrow[] = { "--", "--runTestsByPath", "/a/b.test.js", "/a/c.test.js", NULL };
	static const char ctest_argv[] = "ctest\0--test-dir\0b\0-R\0^(a|b)$";
	static const char ctest_mid[] = "ctest\0--test-dir\0b\0-R\0^(a|b)$\0-j2";
	static const char jest_cut[] = "node\0/x/jest\0-w\0" "2\0--runTestsByPath\0/a/b.test.js\0/a/c.te";
	struct ft_ptree t = FT_PTREE_INIT;
	char *out = NULL;
	long i;

	(void)state;
	add(&t, 11, 1, 2, ctest_argv, sizeof(ctest_argv));
	assert_true(ft_ptree_test(&t, "a", "ctest") >= 0);
	assert_int_equal(ft_runner_meta(&t, "/w", ctest_narrow, NULL, &out), 0);
	assert_string_equal(out, "{\"runners\":[{\"args\":[\"--test-dir\",\"b\"],"
			    "\"runner\":\"ctest\",\"dir\":\"/w\"}]}");
	free(out);
	/* words that are not the narrowing's stay */
	assert_int_equal(ft_runner_meta(&t, "/w", other, NULL, &out), 0);
	assert_string_equal(out, "{\"runners\":[{\"args\":[\"--test-dir\",\"b\",\"-R\","
			    "\"^(a|b)$\"],\"runner\":\"ctest\",\"dir\":\"/w\"}]}");
	free(out);
	ft_ptree_release(&t);

	/* put in before the command's last words (as cargo's -p before `--`) */
	t = (struct ft_ptree)FT_PTREE_INIT;
	add(&t, 12, 1, 3, ctest_mid, sizeof(ctest_mid));
	assert_true(ft_ptree_test(&t, "a", "ctest") >= 0);
	assert_int_equal(ft_runner_meta(&t, "/w", ctest_narrow, NULL, &out), 0);
	assert_string_equal(out, "{\"runners\":[{\"args\":[\"--test-dir\",\"b\",\"-j2\"],"
			    "\"runner\":\"ctest\",\"dir\":\"/w\"}]}");
	free(out);
	ft_ptree_release(&t);

	/* jest's argv cut short inside the files: its words before them */
	t = (struct ft_ptree)FT_PTREE_INIT;
	i = ft_ptree_add(&t, "r", 20, 1, 0, 5, 0, NULL, jest_cut, sizeof(jest_cut) - 1, 1);
	assert_true(i >= 0);
	t.procs[i].runner = ft_runners_kind(&ft_runner_jest);
	assert_int_equal(ft_runner_meta(&t, "/w", jest_narrow, NULL, &out), 0);
	assert_string_equal(out, "{\"runners\":[{\"args\":[\"-w\",\"2\"],"
			    "\"runner\":\"jest\",\"dir\":\"/w\"}]}");
	free(out);
	/* cut, and not by a narrowing: its options are not known */
	assert_int_equal(ft_runner_meta(&t, "/w", NULL, NULL, &out), 0);
	assert_string_equal(out, "{\"runners\":[{\"args\":[\"-w\",\"2\",\"--runTestsByPath\","
			    "\"/a/b.test.js\",\"\\u001ecut\"],\"runner\":\"jest\",\"dir\":\"/w\"}]}");
	free(out);
	ft_ptree_release(&t);
}

static void load_back(void **state)
{
	struct ft_store *st;
	struct ft_runlist *v;
	size_t n;

	(void)state;
	assert_int_equal(ft_store_open(&st, db, FT_STORE_CREATE), 0);
	assert_int_equal(ft_runlists_load(st, &v, &n), 0);
	assert_int_equal(n, 0);
	ft_runlists_free(v, n);

	record(st, "{\"runners\":[{\"runner\":\"ctest\",\"dir\":\"/b\",\"args\":[\"-j\",\"2\"]}]}", "a");
	record(st, "{\"runners\":[{\"runner\":\"ctest\",\"dir\":\"/b\",\"args\":[\"-j\",\"2\"]},"
		   "{\"runner\":\"node\",\"dir\":\"/n\",\"args\":[]}]}", "b");
	record(st, "not json: the adapter's business", "c");
	assert_int_equal(ft_runlists_load(st, &v, &n), 0);
	assert_int_equal(n, 2);
	/* newest run first, duplicates once */
	assert_string_equal(v[0].runner, "ctest");
	assert_string_equal(v[0].dir, "/b");
	assert_string_equal(v[0].args[0], "-j");
	assert_string_equal(v[0].args[1], "2");
	assert_null(v[0].args[2]);
	assert_string_equal(v[1].runner, "node");
	assert_null(v[1].args[0]);
	ft_runlists_free(v, n);

	/* a run no test refers to any more does not count */
	record(st, "{\"runners\":[{\"runner\":\"node\",\"dir\":\"/old\",\"args\":[]}]}", "d");
	record(st, NULL, "d");
	assert_int_equal(ft_runlists_load(st, &v, &n), 0);
	assert_int_equal(n, 2);
	ft_runlists_free(v, n);

	/* a damaged entry is never read as "no runner" */
	record(st, "{\"runners\":[{\"runner\":\"ctest\",\"dir\":\"relative\",\"args\":[]}]}", "e");
	assert_int_equal(ft_runlists_load(st, &v, &n), FT_ECORRUPT);
	assert_null(v);
	record(st, "{\"runners\":{\"runner\":\"ctest\"}}", "e");
	assert_int_equal(ft_runlists_load(st, &v, &n), FT_ECORRUPT);
	record(st, "{\"runners\":[{\"runner\":\"ctest\",\"dir\":\"/b\",\"args\":[3]}]}", "e");
	assert_int_equal(ft_runlists_load(st, &v, &n), FT_ECORRUPT);
	ft_store_close(st);
}

struct got {
	char *json[4];
	size_t n;
};

static int got_one(void *arg, const struct ft_runmeta *m)
{
	struct got *g = arg;

	assert_true(g->n < 4);
	assert_int_equal(ft_runmeta_json(m, &g->json[g->n++]), 0);
	return 0;
}

/* The metadata the lists come from (store/ft_store_runmeta.h), written
 * into its tables and read back as the same text; a text that cannot be
 * converted is kept, and skipped as versions 1 to 5 did. */
static void tables_round_trip(void **state)
{
	static const char meta[] = "{\"adapter\":\"pytest\",\"rootdir\":\"/r\",\"python_files\":"
		"[\"t_*.py\"],\"norecursedirs\":[],\"collector\":{\"plain\":true,\"doctest_modules\":"
		"false,\"doctest_glob\":[\"t*.txt\"],\"pyplain\":true,\"python_functions\":[\"test\"],"
		"\"python_classes\":[\"Test\"],\"loaded\":[\"sys\",\"os\"],\"stdlib\":[\"os\"],\"std\":"
		"\"3.12\"},\"runners\":[{\"args\":[\"--test\"],\"runner\":\"node\",\"dir\":\"/n\"},"
		"{\"args\":[],\"runner\":\"automake\",\"dir\":\"/a\",\"own_files\":[]}]}";
	struct ft_store *st;
	struct got g = { 0 };

	(void)state;
	assert_int_equal(ft_store_open(&st, db, FT_STORE_CREATE), 0);
	record(st, meta, "a");
	record(st, "not json", "b");
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_runmeta_each(st, got_one, &g), 0);
	ft_store_close(st);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.json[0], meta);
	free(g.json[0]);
}

/* `ftrace import`'s mark (the machine a bundle's run was recorded on) is
 * part of the metadata: written into run_strings (owner -1) and read back
 * as the same text.  A run_strings row of another negative owner, as a
 * hostile file may hold, is corrupt, never an index into the runners. */
static void import_mark(void **state)
{
	static const char meta[] = "{\"ftrace_import\":{\"machine\":\"Linux x86_64\"},"
		"\"runners\":[{\"args\":[\"--test\"],\"runner\":\"node\",\"dir\":\"/n\"}]}";
	struct ft_store *st;
	struct got g = { 0 };
	sqlite3 *raw;

	(void)state;
	assert_int_equal(ft_store_open(&st, db, FT_STORE_CREATE), 0);
	record(st, meta, "a");
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_runmeta_each(st, got_one, &g), 0);
	ft_store_close(st);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.json[0], meta);
	free(g.json[0]);

	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "INSERT INTO run_strings(run_id, owner, list, pos, value)"
				      " VALUES(1, -3, 'args', 0, 'x')", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	g.n = 0;
	assert_int_equal(ft_store_open(&st, db, 0), 0);
	assert_int_equal(ft_store_runmeta_each(st, got_one, &g), FT_ECORRUPT);
	assert_non_null(strstr(store_why(st, FT_ECORRUPT), "runs 1: its metadata"));
	ft_store_close(st);
	assert_int_equal(g.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(meta_from_tree),
		cmocka_unit_test(meta_narrowed),
		cmocka_unit_test_setup_teardown(load_back, setup, teardown),
		cmocka_unit_test_setup_teardown(tables_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(import_mark, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
