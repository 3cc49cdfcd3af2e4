/*
 * test_runmeta.c - a run's metadata (store/ft_store_runmeta.h): the rules
 * of its conversion from the JSON text of schema versions 1 to 5 (what is
 * kept, with the readers' own tests of type) and the text written back.
 * The round trip through a real database's tables: test_runlists.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ft_error.h"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runmeta__pytest_kept_as_read),
		cmocka_unit_test(test_runmeta__runners),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
