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

#include "ft_adapter.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adapter__plain_file_splits),
		cmocka_unit_test(test_adapter__symlink_not_followed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
