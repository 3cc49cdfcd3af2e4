/*
 * test_runmeta.c - a run's metadata (store/ft_store_runmeta.h): the rules
 * of its conversion from the JSON text of schema versions 1 to 5 (what is
 * kept, with the readers' own tests of type), the text written back, and
 * the round trip through a real database's tables.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ft_error.h"
#include "ft_store.h"
#include "ft_store_runmeta.h"

/* Parse `json` leniently and write it back: the text a reader sees. */
static char *reread(const char *json)
{
	struct ft_runmeta m = FT_RUNMETA_INIT;
	char *out = NULL;

	assert_int_equal(ft_runmeta_parse(json, &m, 0), 0);
	assert_int_equal(ft_runmeta_json(&m, &out), 0);
	ft_runmeta_release(&m);
	return out;
}

static void test_runmeta__pytest_kept_as_read(void **unused)
{
	struct ft_runmeta m = FT_RUNMETA_INIT;
	char *out;

	assert_int_equal(ft_runmeta_parse("{\"adapter\":\"pytest\",\"rootdir\":\"/r\","
					  "\"python_files\":[\"t_*.py\",3],\"collector\":{\"plain\":true,"
					  "\"doctest_modules\":\"yes\",\"doctest_glob\":[],\"std\":\"3.12\"},"
					  "\"other\":1}", &m, 1), 0);
	assert_non_null(m.pytest);
	assert_string_equal(m.pytest->rootdir, "/r");
	/* only strings count; a list recorded empty differs from none */
	assert_int_equal(m.pytest->python_files.n, 1);
	assert_int_equal(m.pytest->doctest_glob.has, 1);
	assert_int_equal(m.pytest->doctest_glob.n, 0);
	assert_int_equal(m.pytest->norecursedirs.has, 0);
	assert_int_equal(m.pytest->collector, 1);
	assert_int_equal(m.pytest->plain, 1);
	assert_int_equal(m.pytest->doctest_modules, -1); /* not a boolean */
	assert_string_equal(m.pytest->std, "3.12");
	ft_runmeta_release(&m);

	out = reread("{\"adapter\":\"pytest\",\"rootdir\":\"/r\",\"collector\":{\"plain\":1}}");
	assert_string_equal(out, "{\"adapter\":\"pytest\",\"rootdir\":\"/r\",\"collector\":{\"plain\":false}}");
	free(out);
	/* no reader looked at another adapter's, or a relative rootdir */
	out = reread("{\"adapter\":\"jest\",\"rootdir\":\"/r\"}");
	assert_null(out);
	out = reread("{\"adapter\":\"pytest\",\"rootdir\":\"r\"}");
	assert_null(out);
}

static void test_runmeta__runners(void **unused)
{
	struct ft_runmeta m = FT_RUNMETA_INIT;
	char *out;

	out = reread("{\"runners\":[{\"runner\":\"ctest\",\"dir\":\"/b\",\"args\":[],"
		    "\"own_files\":[\"/b/x.log\"]}]}");
	assert_string_equal(out, "{\"runners\":[{\"args\":[],\"runner\":\"ctest\",\"dir\":\"/b\","
			    "\"own_files\":[\"/b/x.log\"]}]}");
	free(out);
	/* an entry not well formed: lenient, the lists cannot be read;
	 * strict, no conversion */
	assert_int_equal(ft_runmeta_parse("{\"runners\":[{\"runner\":\"ctest\",\"dir\":\"/b\","
					  "\"args\":[1]}]}", &m, 0), 0);
	assert_int_equal(m.runners_bad, 1);
	assert_int_equal(m.nrunners, 0);
	assert_int_equal(ft_runmeta_parse("{\"runners\":{}}", &m, 1), FT_EFORMAT);
	assert_int_equal(ft_runmeta_parse("{\"runners\":[{\"runner\":\"go\",\"dir\":\"rel\","
					  "\"args\":[]}]}", &m, 1), FT_EFORMAT);
	/* not a text any version read */
	assert_int_equal(ft_runmeta_parse("not json", &m, 0), FT_EFORMAT);
	assert_int_equal(ft_runmeta_parse("[1]", &m, 0), FT_EFORMAT);
	ft_runmeta_release(&m);
}

static char tmp[64], dbp[128];

static int setup(void **s)
{
	strcpy(tmp, "/tmp/ft-test-runmeta.XXXXXX");
	assert_non_null(mkdtemp(tmp));
	snprintf(dbp, sizeof(dbp), "%s/ftrace.db", tmp);
	return 0;
}

static int teardown(void **s)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd);
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

static void record(struct ft_store *st, const char *meta, const char *test)
{
	struct ft_run_info run = { .command = "x", .cwd = "/", .meta_json = meta };
	struct ft_test_row t = { .name = test, .runner = "command" };
	int64_t run_id;

	assert_int_equal(ft_store_run_begin(st, &run, &run_id), 0);
	assert_int_equal(ft_store_test_put(st, run_id, &t), 0);
	assert_int_equal(ft_store_run_commit(st), 0);
}

/* Written into the tables, read back as the same text; a text that
 * cannot be converted is kept and skipped as versions 1 to 5 did. */
static void test_runmeta__tables_round_trip(void **unused)
{
	static const char meta[] = "{\"adapter\":\"pytest\",\"rootdir\":\"/r\",\"python_files\":"
		"[\"t_*.py\"],\"norecursedirs\":[],\"collector\":{\"plain\":true,\"doctest_modules\":"
		"false,\"doctest_glob\":[\"t*.txt\"],\"pyplain\":true,\"python_functions\":[\"test\"],"
		"\"python_classes\":[\"Test\"],\"loaded\":[\"sys\",\"os\"],\"stdlib\":[\"os\"],\"std\":"
		"\"3.12\"},\"runners\":[{\"args\":[\"--test\"],\"runner\":\"node\",\"dir\":\"/n\"},"
		"{\"args\":[],\"runner\":\"automake\",\"dir\":\"/a\",\"own_files\":[]}]}";
	struct ft_store *st;
	struct got g = { 0 };

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	record(st, meta, "a");
	record(st, "not json", "b");
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_runmeta_each(st, got_one, &g), 0);
	ft_store_close(st);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.json[0], meta);
	free(g.json[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runmeta__pytest_kept_as_read),
		cmocka_unit_test(test_runmeta__runners),
		cmocka_unit_test_setup_teardown(test_runmeta__tables_round_trip, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
