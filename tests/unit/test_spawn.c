/*
 * test_spawn.c - ft_spawn_capture (common/ft_spawn.c): output, exit status,
 * directory, stdin larger than a pipe, a program that does not read its
 * stdin, a program that is not there, death by signal; ft_spawn_abandon:
 * a program that would run for a minute is killed, not waited for, and
 * reaped.
 * Real processes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ft_error.h"
#include "ft_spawn.h"

static void output_and_status(void **state)
{
	char *argv[] = { "sh", "-c", "printf 'a\\nb\\n'; exit 3", NULL }, *out;
	size_t len;

	(void)state;
	assert_int_equal(ft_spawn_capture(NULL, argv, NULL, &out, &len), 3);
	assert_int_equal(len, 4);
	assert_string_equal(out, "a\nb\n");
	free(out);
}

static void in_dir(void **state)
{
	char *argv[] = { "pwd", NULL }, *out;
	size_t len;

	(void)state;
	assert_int_equal(ft_spawn_capture("/usr", argv, NULL, &out, &len), 0);
	assert_string_equal(out, "/usr\n");
	free(out);
	/* a directory that is not there: the program does not start */
	assert_true(ft_spawn_capture("/nonexistent-ft", argv, NULL, &out, &len) != 0);
	assert_null(out);
}

static void big_stdin(void **state)
{
	size_t n = 1u << 20, len;
	char *in = malloc(n + 1), *out;
	char *cat[] = { "cat", NULL }, *ignore[] = { "true", NULL };

	(void)state;
	assert_non_null(in);
	memset(in, 'x', n);
	in[n] = '\0';
	assert_int_equal(ft_spawn_capture(NULL, cat, in, &out, &len), 0);
	assert_int_equal(len, n);
	assert_memory_equal(out, in, n);
	free(out);
	/* exits without reading: no SIGPIPE for us, its status comes back */
	assert_int_equal(ft_spawn_capture(NULL, ignore, in, &out, &len), 0);
	assert_int_equal(len, 0);
	free(out);
	free(in);
}

static void failures(void **state)
{
	char *missing[] = { "ft-no-such-program", NULL }, *killed[] = { "sh", "-c", "kill -9 $$", NULL };
	char *out;
	size_t len;

	(void)state;
	assert_int_equal(ft_spawn_capture(NULL, missing, NULL, &out, &len), -ENOENT);
	assert_null(out);
	assert_int_equal(ft_spawn_capture(NULL, killed, NULL, &out, &len), FT_EFORMAT);
	assert_null(out);
}

static void abandon(void **state)
{
	char *argv[] = { "sleep", "60", NULL }, *out;
	struct ft_spawn sp;
	size_t len;
	int pid;

	(void)state;
	assert_int_equal(ft_spawn_start(NULL, argv, "unread input", &sp), 0);
	pid = sp.pid;
	assert_true(pid > 0);
	/* killed, not waited out */
	assert_int_equal(ft_spawn_abandon(&sp), 1);
	assert_int_equal(sp.pid, -1);
	/* reaped: no such child any more (not a zombie left behind) */
	assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	/* abandoned twice, or finished after: nothing happens */
	assert_int_equal(ft_spawn_abandon(&sp), -ECHILD);
	assert_int_equal(ft_spawn_finish(&sp, &out, &len), -ECHILD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(output_and_status),
		cmocka_unit_test(in_dir),
		cmocka_unit_test(big_stdin),
		cmocka_unit_test(failures),
		cmocka_unit_test(abandon),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
