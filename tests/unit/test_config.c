/*
 * test_config.c - .ftrace.json parsing (common/ft_config.h): the accepted
 * forms, and that every wrong file is refused with the file, the line and
 * the key in the message (a setting silently dropped could shrink the set).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "ft_config.h"
#include "ft_error.h"

static struct ft_err err;

static int parse(struct ft_config *c, const char *text)
{
	return ft_config_parse(c, text, strlen(text), "cfg.json", &err);
}

/* Parse must fail with FT_ECONFIG and a message holding `want`. */
static void refused(const char *text, const char *want)
{
	struct ft_config c;

	assert_int_equal(parse(&c, text), FT_ECONFIG);
	if (!strstr(ft_err_msg(&err), want))
		fail_msg("message '%s' lacks '%s'", ft_err_msg(&err), want);
	assert_null(c.command);
	assert_null(c.always_run);
	ft_config_release(&c);
}

static void test_config__full(void **state)
{
	struct ft_config c;

	assert_int_equal(parse(&c, "{\n \"command\": [\"python3\", \"-m\", \"pytest\"],\n"
				   " \"always_run\": [\"t::a\", \"t::b\"],\n \"ignore\": [\"docs\"]\n}\n"), 0);
	assert_true(c.found);
	assert_string_equal(c.command[0], "python3");
	assert_string_equal(c.command[2], "pytest");
	assert_null(c.command[3]);
	assert_false(c.command_is_shell);
	assert_int_equal(c.nalways_run, 2);
	assert_true(ft_config_always(&c, "t::b"));
	assert_false(ft_config_always(&c, "t::"));
	assert_int_equal(c.nignore, 1);
	ft_config_release(&c);
	assert_null(c.command);
}

static void test_config__empty_object_is_defaults(void **state)
{
	struct ft_config c;

	assert_int_equal(parse(&c, "{}"), 0);
	assert_null(c.command);
	assert_int_equal(c.nalways_run, 0);
	assert_false(ft_config_always(&c, "x"));
	assert_false(ft_config_ignores(&c, "x"));
	ft_config_release(&c);
}

static void test_config__string_command_runs_by_shell(void **state)
{
	struct ft_config c;

	assert_int_equal(parse(&c, "{\"command\": \"pytest -q tests\"}"), 0);
	assert_true(c.command_is_shell);
	assert_string_equal(c.command[0], "/bin/sh");
	assert_string_equal(c.command[1], "-c");
	assert_string_equal(c.command[2], "pytest -q tests");
	assert_null(c.command[3]);
	ft_config_release(&c);
}

static void test_config__malformed_names_line(void **state)
{
	refused("{\n  \"command\": [\"a\"],\n  \"always_run\": [\"x\",]\n}\n", "cfg.json:3: malformed JSON");
	refused("{\n\"command\": [\"a\"]\n", "cfg.json:2: malformed JSON");
	refused("", "cfg.json:1: malformed JSON (the file is empty");
	refused("{}\n\nx", "cfg.json:3: malformed JSON: text after");
}

static void test_config__unknown_key_named_with_line(void **state)
{
	refused("{\n  \"command\": [\"a\"],\n\n  \"alwaysrun\": []\n}", "cfg.json:4: key \"alwaysrun\": unknown key");
	/* a nested "command" is not the top-level key's line */
	refused("{\"always_run\": [\"x\"],\n\"bogus\": {\"command\": 1},\n\"command\": 3}",
		"cfg.json:2: key \"bogus\"");
}

static void test_config__wrong_types(void **state)
{
	refused("{\n\"command\": 3}", "cfg.json:2: key \"command\": must be an array of strings");
	refused("{\"command\": []}", "key \"command\": is an empty array");
	refused("{\"command\": \"  \"}", "key \"command\": is an empty command line");
	refused("{\"command\": [\"a\", 1]}", "key \"command\": element 2 must be a string");
	refused("{\n\n\"always_run\": \"t::a\"}", "cfg.json:3: key \"always_run\": must be an array");
	refused("{\"always_run\": [\"\"]}", "key \"always_run\": element 1 is an empty string");
	refused("{\"ignore\": [null]}", "key \"ignore\": element 1 must be a string");
	refused("[\"pytest\"]", "cfg.json:1: the top level must be an object");
	refused("{\"ignore\": [], \"ignore\": []}", "key \"ignore\": given twice");
}

static void test_config__granularity(void **state)
{
	struct ft_config c;

	assert_int_equal(parse(&c, "{}"), 0);
	assert_int_equal(c.granularity, 0);
	ft_config_release(&c);
	assert_int_equal(parse(&c, "{\"granularity\": \"function\"}"), 0);
	assert_int_equal(c.granularity, FT_CONFIG_GRAN_FUNCTION);
	ft_config_release(&c);
	assert_int_equal(parse(&c, "{\"granularity\": \"file\"}"), 0);
	assert_int_equal(c.granularity, FT_CONFIG_GRAN_FILE);
	ft_config_release(&c);
	assert_int_equal(parse(&c, "{\"granularity\": \"auto\"}"), 0);
	assert_int_equal(c.granularity, FT_CONFIG_GRAN_AUTO);
	ft_config_release(&c);
	refused("{\n\"granularity\": \"functions\"}",
		"cfg.json:2: key \"granularity\": must be \"file\", \"function\" or \"auto\"");
	refused("{\"granularity\": [\"function\"]}", "key \"granularity\": must be \"file\", \"function\" or \"auto\"");
	refused("{\"granularity\": \"file\", \"granularity\": \"function\"}", "key \"granularity\": given twice");
}

/* "flaky": select (default true) and decay (default 5, 0 never); a
 * missing config has the defaults; anything else is refused. */
static void test_config__flaky(void **state)
{
	struct ft_config c;

	assert_true(ft_config_flaky_select(NULL));
	assert_int_equal(ft_config_flaky_decay(NULL), 5);
	assert_int_equal(parse(&c, "{}"), 0);
	assert_true(ft_config_flaky_select(&c));
	assert_int_equal(ft_config_flaky_decay(&c), 5);
	assert_int_equal(c.flaky_rerun, 0);
	ft_config_release(&c);
	assert_int_equal(parse(&c, "{\"flaky\": {\"select\": false, \"decay\": 0}}"), 0);
	assert_false(ft_config_flaky_select(&c));
	assert_int_equal(ft_config_flaky_decay(&c), 0);
	ft_config_release(&c);
	assert_int_equal(parse(&c, "{\"flaky\": {\"decay\": 2}}"), 0);
	assert_true(ft_config_flaky_select(&c));
	assert_int_equal(ft_config_flaky_decay(&c), 2);
	ft_config_release(&c);
	refused("{\"flaky\": true}", "cfg.json:1: key \"flaky\": must be an object");
	refused("{\"flaky\": {\"select\": 1}}", "\"select\" must be true or false");
	refused("{\"flaky\": {\"decay\": -1}}", "\"decay\" must be a whole number");
	refused("{\"flaky\": {\"decay\": 1.5}}", "\"decay\" must be a whole number");
	refused("{\"flaky\": {\"decay\": \"5\"}}", "\"decay\" must be a whole number");
	assert_int_equal(parse(&c, "{\"flaky\": {\"rerun\": 3}}"), 0);
	assert_int_equal(c.flaky_rerun, 3);
	ft_config_release(&c);
	refused("{\"flaky\": {\"rerun\": -1}}", "\"rerun\" must be a whole number");
	refused("{\"flaky\": {\"rerun\": 101}}", "\"rerun\" must be a whole number");
	refused("{\"flaky\": {\"retry\": 3}}", "unknown key \"retry\" (known keys: select, decay, rerun)");
	refused("{\"flaky\": {\"decay\": 1, \"decay\": 2}}", "\"decay\" given twice");
}

/* "watch": {"build": ...}: the watch daemon's build command (it runs:
 * only a non-empty string, nothing guessed) */
static void test_config__watch_build(void **state)
{
	struct ft_config c;

	(void)state;
	assert_int_equal(parse(&c, "{\"watch\": {\"build\": \"make -C build\"}}"), 0);
	assert_string_equal(c.watch_build, "make -C build");
	ft_config_release(&c);
	assert_null(c.watch_build);
	assert_int_equal(parse(&c, "{\"watch\": {}}"), 0);
	assert_null(c.watch_build);
	ft_config_release(&c);
	refused("{\"watch\": \"make\"}", "cfg.json:1: key \"watch\": must be an object");
	refused("{\"watch\": {\"build\": \"  \"}}", "\"build\" must be a non-empty shell command line");
	refused("{\"watch\": {\"build\": [\"make\"]}}", "\"build\" must be a non-empty shell command line");
	refused("{\"watch\": {\"bulid\": \"make\"}}", "unknown key \"bulid\" (known keys: build)");
	refused("{\"watch\": {\"build\": \"a\", \"build\": \"b\"}}", "\"build\" given twice");
}

static void test_config__ignore_globs(void **state)
{
	struct ft_config c;

	assert_int_equal(parse(&c, "{\"ignore\": [\"docs\", \"*.md\", \"build/*.o\"]}"), 0);
	assert_true(ft_config_ignores(&c, "docs"));
	assert_true(ft_config_ignores(&c, "docs/a/b.txt"));
	assert_false(ft_config_ignores(&c, "docsx/a"));
	assert_true(ft_config_ignores(&c, "README.md"));
	assert_true(ft_config_ignores(&c, "sub/dir/NOTES.md"));
	assert_true(ft_config_ignores(&c, "build/x.o"));
	assert_false(ft_config_ignores(&c, "calc/arith.py"));
	ft_config_release(&c);
}

static void test_config__ignore_programs(void **state)
{
	struct ft_config c;
	static const char p[] = "/usr/bin/git";
	char *longp;

	(void)state;
	assert_int_equal(parse(&c, "{}"), 0);
	assert_false(ft_config_ignores_program(&c, p, strlen(p)));
	assert_false(ft_config_ignores_program(NULL, p, strlen(p)));
	ft_config_release(&c);

	assert_int_equal(parse(&c, "{\"ignore_programs\": [\"git\", \"git-*\", "
				   "\"/opt/tools/*\"]}"), 0);
	assert_int_equal(c.nignore_programs, 3);
	/* a pattern without '/' against the last component */
	assert_true(ft_config_ignores_program(&c, p, strlen(p)));
	assert_true(ft_config_ignores_program(&c, "git", 3));
	assert_true(ft_config_ignores_program(&c, "/usr/lib/git-core/git-remote-http", 33));
	assert_false(ft_config_ignores_program(&c, "/usr/bin/gitk", 13));
	assert_false(ft_config_ignores_program(&c, "/usr/bin/git/x", 14));
	/* one with '/' against the whole path ('*' crosses '/') */
	assert_true(ft_config_ignores_program(&c, "/opt/tools/bin/helper", 21));
	assert_false(ft_config_ignores_program(&c, "/srv/opt/tools/helper", 21));
	/* only `len` bytes count; a NUL inside, empty or too long: never */
	assert_true(ft_config_ignores_program(&c, "/usr/bin/gitXYZ", 12));
	assert_false(ft_config_ignores_program(&c, "/usr/bin/git\0x", 14));
	assert_false(ft_config_ignores_program(&c, "", 0));
	longp = malloc(PATH_MAX + 10);
	assert_non_null(longp);
	memset(longp, 'a', PATH_MAX + 9);
	memcpy(longp + PATH_MAX + 6, "git", 3);
	longp[PATH_MAX + 5] = '/';
	assert_false(ft_config_ignores_program(&c, longp, PATH_MAX + 9));
	free(longp);
	ft_config_release(&c);

	refused("{\"ignore_programs\": \"git\"}",
		"key \"ignore_programs\": must be an array of strings");
	refused("{\"ignore_programs\": [\"\"]}", "key \"ignore_programs\": element 1 is an empty string");
	refused("{\"ignore_programs\": [1]}", "key \"ignore_programs\": element 1 must be a string");
}

static void test_config__load_missing_file_is_defaults(void **state)
{
	struct ft_config c;
	char dir[] = "/tmp/ft-config.XXXXXX", path[PATH_MAX];
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/.ftrace.json", dir);
	assert_int_equal(ft_config_load(&c, path, &err), 0);
	assert_false(c.found);
	assert_null(c.command);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\n\"command\": [\"make\", \"check\"],\n\"x\": 1}\n", f);
	fclose(f);
	assert_int_equal(ft_config_load(&c, path, &err), FT_ECONFIG);
	/* the reason travels up with its code (struct ft_err) */
	assert_int_equal(err.code, FT_ECONFIG);
	if (!strstr(ft_err_msg(&err), path) || !strstr(ft_err_msg(&err), ":3: key \"x\""))
		fail_msg("message '%s' lacks the path and line", ft_err_msg(&err));
	unlink(path);
	rmdir(dir);
}

/* A FIFO planted as .ftrace.json hung every `ftrace affected` and `ftrace
 * test` below it: the open blocked before the regular-file check.  It is
 * an error naming the file now, and the open never blocks (a hang here is
 * a ctest timeout). */
static void test_config__fifo_is_error(void **state)
{
	struct ft_config c;
	char dir[] = "/tmp/ft-config.XXXXXX", path[PATH_MAX];

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/.ftrace.json", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(ft_config_load(&c, path, &err), FT_ECONFIG);
	if (!strstr(ft_err_msg(&err), path) || !strstr(ft_err_msg(&err), "not a regular file"))
		fail_msg("message '%s' lacks the path or the cause", ft_err_msg(&err));
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config__full),
		cmocka_unit_test(test_config__empty_object_is_defaults),
		cmocka_unit_test(test_config__string_command_runs_by_shell),
		cmocka_unit_test(test_config__malformed_names_line),
		cmocka_unit_test(test_config__unknown_key_named_with_line),
		cmocka_unit_test(test_config__wrong_types),
		cmocka_unit_test(test_config__granularity),
		cmocka_unit_test(test_config__flaky),
		cmocka_unit_test(test_config__watch_build),
		cmocka_unit_test(test_config__ignore_globs),
		cmocka_unit_test(test_config__ignore_programs),
		cmocka_unit_test(test_config__load_missing_file_is_defaults),
		cmocka_unit_test(test_config__fifo_is_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
