/*
 * test_scriptenv.c - variable references in shell and make text
 * (ingest/ft_scriptenv.c): which programs are shells or make, the forms
 * each takes, the names each reads whatever its text says, and malformed
 * text never read past its end.  Their use at ingest runs in t4045.
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

#include "ft_scriptenv.h"
#include "namelist.h"

static const char *names(enum ft_script_kind k, const char *text)
{
	static struct ft_test_names g;

	memset(&g, 0, sizeof(g));
	assert_int_equal(ft_script_env_names(k, text, strlen(text), ft_test_names_add, &g), 0);
	return g.s;
}

static void test_scriptenv__kinds(void **s)
{
	(void)s;
	assert_int_equal(ft_script_kind_of("/usr/bin/dash", "sh"), FT_SCRIPT_SHELL);
	assert_int_equal(ft_script_kind_of("/bin/bash", NULL), FT_SCRIPT_SHELL);
	assert_int_equal(ft_script_kind_of("/usr/bin/zsh", "zsh"), FT_SCRIPT_SHELL);
	assert_int_equal(ft_script_kind_of("/bin/busybox", "/bin/ash"), FT_SCRIPT_SHELL);
	assert_int_equal(ft_script_kind_of("/bin/busybox", "ls"), FT_SCRIPT_NONE);
	assert_int_equal(ft_script_kind_of("/usr/bin/make", "make"), FT_SCRIPT_MAKE);
	assert_int_equal(ft_script_kind_of("/usr/bin/gmake", NULL), FT_SCRIPT_MAKE);
	assert_int_equal(ft_script_kind_of("/usr/bin/python3", "python3"), FT_SCRIPT_NONE);
	assert_int_equal(ft_script_kind_of("/usr/bin/shx", NULL), FT_SCRIPT_NONE);
	assert_int_equal(ft_script_kind_of("", NULL), FT_SCRIPT_NONE);
	assert_string_equal(names(FT_SCRIPT_NONE, "$A ${B}"), "");
}

static void test_scriptenv__shell(void **s)
{
	(void)s;
	assert_string_equal(names(FT_SCRIPT_SHELL, "if [ -n \"$CI\" ]; then echo ${HOME_X:-x} ${#LEN} ${!REF}; fi"),
			    "CI;HOME_X;LEN;REF;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "echo $lower_1 $_U $9 $@ $? $$ $# $- $! $* ${1}"),
			    "lower_1;_U;");
	/* a word's tilde reads HOME, once; one inside a word does not */
	assert_string_equal(names(FT_SCRIPT_SHELL, "cd ~/x; a=b~c; ls ~"), "HOME;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "x=a~b"), "");
	assert_string_equal(names(FT_SCRIPT_SHELL, "PATH=~/bin:$PATH"), "HOME;PATH;");
	/* make's forms are not a shell's: $(cmd) is a command */
	assert_string_equal(names(FT_SCRIPT_SHELL, "echo $(date) $((1+2))"), "");
}

static void test_scriptenv__make(void **s)
{
	(void)s;
	assert_string_equal(names(FT_SCRIPT_MAKE, "all:\n\t$(CC) $(CFLAGS) -o $@ $< ${LDFLAGS} $(X:.c=.o)\n"),
			    "CC;CFLAGS;LDFLAGS;X;");
	/* one-character names; $$ passes a $ on to the recipe's shell (whose
	 * -c text is a shell's) */
	assert_string_equal(names(FT_SCRIPT_MAKE, "a: $V\n\techo $$HOME $$$$"), "V;");
	/* a function's name is taken too (a harmless extra) */
	assert_string_equal(names(FT_SCRIPT_MAKE, "F := $(shell echo $(NAME))"), "shell;NAME;");
	assert_string_equal(names(FT_SCRIPT_MAKE, "x = ~/y"), "");
}

static void test_scriptenv__implicit(void **s)
{
	const char *const *v;
	int ifs = 0, cc = 0;

	(void)s;
	for (v = ft_script_implicit(FT_SCRIPT_SHELL); *v; v++)
		ifs |= !strcmp(*v, "IFS") || !strcmp(*v, "BASH_ENV");
	for (v = ft_script_implicit(FT_SCRIPT_MAKE); *v; v++)
		cc |= !strcmp(*v, "CFLAGS");
	assert_true(ifs);
	assert_true(cc);
	assert_null(ft_script_implicit(FT_SCRIPT_NONE)[0]);
}

static void test_scriptenv__malformed_and_stop(void **s)
{
	static const char *const bad[] = { "$", "${", "$(", "${#", "~", "$A", "${!", "$$" };
	struct ft_test_names g;

	(void)s;
	for (enum ft_script_kind k = FT_SCRIPT_SHELL; k <= FT_SCRIPT_MAKE; k++)
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			size_t n = strlen(bad[i]);
			char *copy = malloc(n);
			assert_non_null(copy);
			memcpy(copy, bad[i], n);
			memset(&g, 0, sizeof(g));
			assert_int_equal(ft_script_env_names(k, copy, n, ft_test_names_add, &g), 0);
			free(copy);
		}
	memset(&g, 0, sizeof(g));
	g.stop_at = 2;
	assert_int_equal(ft_script_env_names(FT_SCRIPT_SHELL, "$A $B $C", 8, ft_test_names_add, &g), -EIO);
	assert_string_equal(g.s, "A;");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scriptenv__kinds),
		cmocka_unit_test(test_scriptenv__shell),
		cmocka_unit_test(test_scriptenv__make),
		cmocka_unit_test(test_scriptenv__implicit),
		cmocka_unit_test(test_scriptenv__malformed_and_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
