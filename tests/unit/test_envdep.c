/*
 * test_envdep.c - environment variables as dependencies (common/ft_envdep.h):
 * the run dir's snapshot agrees with the process's environment, for one
 * name and for the whole; ftrace's own names never count; a snapshot that
 * is malformed, or reached through a link, is none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_envdep.h"

static char dir[256];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "%s/ft-envdep-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	(void)state;
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	(void)state;
	return 0;
}

static uint64_t now(const char *p)
{
	return ft_envdep_now(p, strlen(p));
}

static uint64_t snap(const struct ft_envsnap *s, const char *p)
{
	return ft_envsnap_value(s, p, strlen(p));
}

static void write_file(const char *name, const void *bytes, size_t n)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void test_envdep__names(void **state)
{
	(void)state;
	assert_false(ft_envdep_skip("HOME", 4));
	assert_false(ft_envdep_skip("=", 1));
	assert_true(ft_envdep_skip("", 0));
	assert_true(ft_envdep_skip("A=B", 3));
	assert_true(ft_envdep_skip("A\0B", 3));
	assert_true(ft_envdep_skip("FTRACE_TEST_ID", 14));
	assert_true(ft_envdep_skip("FTRACE__OWNER", 13));
	assert_false(ft_envdep_skip("FTRACEX", 7));
	assert_true(ft_envdep_skip("PWD", 3));
	assert_true(ft_envdep_skip("OLDPWD", 6));
	assert_true(ft_envdep_skip("SHLVL", 5));
	assert_true(ft_envdep_skip("_", 1));
	assert_false(ft_envdep_skip("PWDX", 4));
	/* prefixes: "P=" (a '=' as the last byte only) */
	assert_false(ft_envdep_skip("CARGO_=", 7));
	assert_true(ft_envdep_skip("CARGO_==", 8));
	assert_true(ft_envdep_skip("A=B=", 4));
	assert_true(ft_envdep_skip("FTRACE_=", 8));   /* all ftrace's own */
	assert_true(ft_envdep_skip("FTRACE_X=", 9));
	assert_false(ft_envdep_skip("FTRACE=", 7));   /* FTRACEX is not ftrace's */
	assert_false(ft_envdep_skip("PWD=", 4));      /* PWDX is a variable */
	assert_false(ft_envdep_skip("_=", 2));
	assert_true(ft_envdep_is_prefix("CARGO_=", 7));
	assert_true(ft_envdep_is_prefix("=", 1));
	assert_false(ft_envdep_is_prefix("CARGO", 5));
	assert_true(ft_envdep_is("$X", 2));
	assert_false(ft_envdep_is("$", 1));
	assert_false(ft_envdep_is("/x", 2));
	assert_int_equal(now("/etc/passwd"), FT_ENVDEP_UNKNOWN);
	assert_int_equal(now("$FTRACE_TEST_ID"), FT_ENVDEP_UNKNOWN);
}

static void test_envdep__snapshot_agrees(void **state)
{
	struct ft_envsnap s;
	uint64_t whole;

	(void)state;
	setenv("TED_SET", "value", 1);
	setenv("TED_EMPTY", "", 1);
	unsetenv("TED_UNSET");
	assert_int_equal(ft_envsnap_write(dir), 0);
	assert_int_equal(ft_envsnap_write(dir), -EEXIST); /* never over one */
	assert_int_equal(ft_envsnap_load(&s, dir), 0);
	assert_true(s.present);
	assert_int_equal(snap(&s, "$TED_SET"), ft_envdep_hash("value", 5));
	assert_int_equal(snap(&s, "$TED_SET"), now("$TED_SET"));
	assert_int_equal(snap(&s, "$TED_EMPTY"), ft_envdep_hash("", 0));
	assert_int_not_equal(snap(&s, "$TED_EMPTY"), FT_ENVDEP_UNSET); /* empty is set */
	assert_int_equal(snap(&s, "$TED_UNSET"), FT_ENVDEP_UNSET);
	assert_int_equal(now("$TED_UNSET"), FT_ENVDEP_UNSET);
	whole = now("$=");
	assert_int_equal(snap(&s, "$="), whole);

	/* ftrace's own variables are not in the whole, nor a shell's */
	setenv("FTRACE_TED", "1", 1);
	setenv("OLDPWD", "/ted/elsewhere", 1);
	assert_int_equal(now("$="), whole);
	unsetenv("FTRACE_TED");
	/* any other is */
	setenv("TED_NEW", "1", 1);
	assert_int_not_equal(now("$="), whole);
	unsetenv("TED_NEW");
	setenv("TED_SET", "other", 1);
	assert_int_not_equal(now("$="), whole);
	assert_int_not_equal(now("$TED_SET"), snap(&s, "$TED_SET"));
	setenv("TED_SET", "value", 1);
	assert_int_equal(now("$="), whole);
	ft_envsnap_release(&s);
	unsetenv("TED_SET");
	unsetenv("TED_EMPTY");
}

/* "$P=": the variables whose names begin with P, in the snapshot as in
 * the environment; any of them set, changed or unset changes it, no other
 * does; "$=" is the same over every variable. */
static void test_envdep__prefix(void **state)
{
	struct ft_envsnap s;
	uint64_t pre, none, whole;

	(void)state;
	unsetenv("TEDP_A");
	unsetenv("TEDP_B");
	none = now("$TEDP_=");
	assert_int_not_equal(none, FT_ENVDEP_UNKNOWN);
	setenv("TEDP_A", "1", 1);
	setenv("TEDPX", "1", 1);           /* not of the prefix */
	assert_int_equal(ft_envsnap_write(dir), 0);
	assert_int_equal(ft_envsnap_load(&s, dir), 0);
	pre = now("$TEDP_=");
	whole = now("$=");
	assert_int_not_equal(pre, none);
	assert_int_equal(snap(&s, "$TEDP_="), pre);
	assert_int_equal(snap(&s, "$="), whole);
	setenv("TEDPX", "2", 1);
	assert_int_equal(now("$TEDP_="), pre);
	assert_int_not_equal(now("$="), whole);
	setenv("TEDP_B", "", 1);            /* newly set, even empty */
	assert_int_not_equal(now("$TEDP_="), pre);
	unsetenv("TEDP_B");
	assert_int_equal(now("$TEDP_="), pre);
	setenv("TEDP_A", "2", 1);           /* changed */
	assert_int_not_equal(now("$TEDP_="), pre);
	unsetenv("TEDP_A");                 /* unset */
	assert_int_equal(now("$TEDP_="), none);
	assert_int_not_equal(snap(&s, "$TEDP_="), none);
	assert_int_equal(snap(&s, "$TEDQ_="), none); /* no variable of a prefix */
	ft_envsnap_release(&s);
	unsetenv("TEDPX");
}

static void test_envdep__no_snapshot_is_unknown(void **state)
{
	static const char bad_hex[] = "TED\0zz00000000000000\0";
	static const char own[] = "FTRACE_X\0" "0000000000000000\0";
	static const char cut[] = "TED\0" "00000000";
	static const char good[] = "TED\0" "00000000000000ff\0";
	char link[400];
	struct ft_envsnap s;

	(void)state;
	assert_int_equal(ft_envsnap_load(&s, dir), 0); /* none at all */
	assert_false(s.present);
	assert_int_equal(snap(&s, "$TED"), FT_ENVDEP_UNKNOWN);
	assert_int_equal(snap(&s, "$="), FT_ENVDEP_UNKNOWN);

	write_file(FT_ENVDEP_FILE, bad_hex, sizeof(bad_hex) - 1);
	assert_int_equal(ft_envsnap_load(&s, dir), 0);
	assert_false(s.present);
	write_file(FT_ENVDEP_FILE, own, sizeof(own) - 1);
	assert_int_equal(ft_envsnap_load(&s, dir), 0);
	assert_false(s.present);
	write_file(FT_ENVDEP_FILE, cut, sizeof(cut) - 1);
	assert_int_equal(ft_envsnap_load(&s, dir), 0);
	assert_false(s.present);

	write_file(FT_ENVDEP_FILE, good, sizeof(good) - 1);
	assert_int_equal(ft_envsnap_load(&s, dir), 0);
	assert_true(s.present);
	assert_int_equal(snap(&s, "$TED"), 0xff);
	assert_int_equal(snap(&s, "$OTHER"), FT_ENVDEP_UNSET);
	ft_envsnap_release(&s);

	/* the run dir reached through a link (a test swapped it): none */
	snprintf(link, sizeof(link), "%s.link", dir);
	assert_int_equal(symlink(dir, link), 0);
	assert_int_equal(ft_envsnap_load(&s, link), 0);
	assert_false(s.present);
	unlink(link);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_envdep__names),
		cmocka_unit_test_setup_teardown(test_envdep__prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_envdep__snapshot_agrees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_envdep__no_snapshot_is_unknown, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
