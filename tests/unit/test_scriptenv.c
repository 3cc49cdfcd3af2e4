/*
 * test_scriptenv.c - variable references in shell and make text
 * (ingest/ft_scriptenv.c): which programs are shells, make, awk or perl,
 * the forms each takes, the names each reads whatever its text says, the
 * runtimes whose loading reads every variable, a process's environment as
 * a path (common/ft_pseudo.h), and malformed text never read past its
 * end.  Their use at ingest runs in t4067 and t4068.
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

#include "ft_pseudo.h"
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
	assert_int_equal(ft_script_kind_of("/usr/bin/mawk", "awk"), FT_SCRIPT_AWK);
	assert_int_equal(ft_script_kind_of("/usr/bin/gawk", NULL), FT_SCRIPT_AWK);
	assert_int_equal(ft_script_kind_of("/usr/bin/original-awk", NULL), FT_SCRIPT_AWK);
	assert_int_equal(ft_script_kind_of("/bin/busybox", "awk"), FT_SCRIPT_AWK);
	assert_int_equal(ft_script_kind_of("/usr/bin/perl", "perl"), FT_SCRIPT_PERL);
	assert_int_equal(ft_script_kind_of("/usr/bin/perl5.36.0", NULL), FT_SCRIPT_PERL);
	assert_int_equal(ft_script_kind_of("/usr/bin/perldoc", NULL), FT_SCRIPT_NONE);
	assert_int_equal(ft_script_kind_of("/usr/bin/awkward", NULL), FT_SCRIPT_NONE);
	assert_true(ft_script_python_bare("/usr/bin/python3", 3, (char *[]){ "python3", "-I", "x.py", NULL }));
	assert_true(ft_script_python_bare("/usr/local/bin/python3.12", 4,
					  (char *[]){ "python3.12", "-bES", "-c", "pass", NULL }));
	assert_true(ft_script_python_bare("/usr/bin/python3", 5,
					  (char *[]){ "python3", "-W", "ignore", "-Im", "ensurepip", NULL }));
	assert_true(ft_script_python_bare("/usr/bin/pypy3", 2, (char *[]){ "pypy3", "-S", NULL }));
	/* no such option before the script: its own arguments are its own */
	assert_false(ft_script_python_bare("/usr/bin/python3", 3, (char *[]){ "python3", "x.py", "-I", NULL }));
	assert_false(ft_script_python_bare("/usr/bin/python3", 4,
					   (char *[]){ "python3", "-c", "pass", "-E", NULL }));
	assert_false(ft_script_python_bare("/usr/bin/python3", 4,
					   (char *[]){ "python3", "-X", "-E", "x.py", NULL }));
	assert_false(ft_script_python_bare("/usr/bin/python3", 3, (char *[]){ "python3", "-s", "x.py", NULL }));
	/* pytest loads the adapter through its own option */
	assert_false(ft_script_python_bare("/usr/bin/python3", 4,
					   (char *[]){ "python3", "-I", "-m", "pytest", NULL }));
	assert_false(ft_script_python_bare("/usr/bin/perl", 2, (char *[]){ "perl", "-I", NULL }));
	assert_false(ft_script_python_bare("/usr/bin/python3-config", 2,
					   (char *[]){ "python3-config", "-E", NULL }));
	assert_null(ft_script_implicit(FT_SCRIPT_PYBARE)[1]);
	assert_false(ft_script_scans(FT_SCRIPT_PYBARE));
	assert_true(ft_script_scans(FT_SCRIPT_AWK));
	assert_false(ft_script_scans(FT_SCRIPT_PERL));
	assert_false(ft_script_scans(FT_SCRIPT_NONE));
	assert_true(ft_script_scans_argv(FT_SCRIPT_AWK));
	assert_true(ft_script_scans_argv(FT_SCRIPT_SHELL));
	assert_false(ft_script_scans_argv(FT_SCRIPT_MAKE));
	assert_string_equal(names(FT_SCRIPT_NONE, "$A ${B}"), "");
}

static void test_scriptenv__shell(void **s)
{
	(void)s;
	/* ${!REF} reads REF, and the variable REF's value names: any */
	assert_string_equal(names(FT_SCRIPT_SHELL, "if [ -n \"$CI\" ]; then echo ${HOME_X:-x} ${#LEN} ${!REF}; fi"),
			    "CI;HOME_X;LEN;=;REF;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "echo $lower_1 $_U $9 $@ $? $$ $# $- $! $* ${1}"),
			    "lower_1;_U;");
	/* a word's tilde reads HOME, once; one inside a word does not */
	assert_string_equal(names(FT_SCRIPT_SHELL, "cd ~/x; a=b~c; ls ~"), "HOME;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "x=a~b"), "");
	assert_string_equal(names(FT_SCRIPT_SHELL, "PATH=~/bin:$PATH"), "HOME;PATH;");
	/* ${!P*} and ${!P@} list the names that begin with P: a prefix */
	assert_string_equal(names(FT_SCRIPT_SHELL, "echo ${!BASH*} ${!npm_@}"), "BASH=;npm_=;");
	/* ${!REF} where the text gives REF its value first: the variable read
	 * begins with what every value given begins with (pyenv's shims) */
	assert_string_equal(names(FT_SCRIPT_SHELL,
				  "NR=\"_PYENV_SHIM_PATHS_${PROGRAM}\"\n"
				  "export -- \"$NR=x${!NR:+:${!NR}}\"\nunset PROGRAM NR\n"),
			    "PROGRAM;NR;_PYENV_SHIM_PATHS_=;NR;_PYENV_SHIM_PATHS_=;NR;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "local R=AB_$1; R=A_x; R+=y; echo ${!R}"),
			    "A=;R;");
	/* any: no letters given, a mention before the value, a value from
	 * elsewhere (read, for), a positional parameter */
	assert_string_equal(names(FT_SCRIPT_SHELL, "R=$1; echo ${!R}"), "=;R;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "echo $R; R=A_x; echo ${!R}"), "R;=;R;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "R=A_x; read R; echo ${!R}"), "=;R;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "R=A_x; for R in B C; do echo ${!R}; done"), "=;R;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "echo ${!1} ${!#}"), "=;");
	/* names built at run time: eval, a name reference; text sourced from
	 * a pipe or standard input, which ingest cannot read */
	assert_string_equal(names(FT_SCRIPT_SHELL, "eval \"v=\\$$1\""), "=;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "x=1; eval \"$(cmd)\""), "=;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "f() { local -n r=$1; echo $r; }"), "=;r;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "declare -rn R=X"), "=;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "typeset -n R=X"), "=;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "source <(gen)"), "=;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "if true; then . /dev/stdin; fi"), "=;");
	assert_string_equal(names(FT_SCRIPT_SHELL, ". /proc/self/fd/3"), "=;");
	/* not: a word that only begins so, a comment, a file, other options */
	assert_string_equal(names(FT_SCRIPT_SHELL, "evaluate; ./eval\n# eval: (time-stamp)\n"), "");
	assert_string_equal(names(FT_SCRIPT_SHELL, ". ./lib.sh; source \"$D\"/x.sh"), "D;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "local -i n=1; declare -a A; local x"), "");
	/* a shell listing its variables reads them all, once */
	assert_string_equal(names(FT_SCRIPT_SHELL, "export -p > out; echo $A"), "=;A;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "set\n"), "=;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "if true; then declare -px; fi"), "=;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "typeset -x | sort"), "=;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "x=$(export)"), "=;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "for v in $(compgen -e); do :; done"), "=;");
	assert_string_equal(names(FT_SCRIPT_SHELL, "  export"), "=;");
	/* not a listing: an operand, other options, another word, a comment */
	assert_string_equal(names(FT_SCRIPT_SHELL, "set -eu\nset -- a b\nexport A=1 B\n"), "");
	assert_string_equal(names(FT_SCRIPT_SHELL, "declare -x FOO=bar; declare -f; typeset -i n"), "");
	assert_string_equal(names(FT_SCRIPT_SHELL, "reset; settings; ./set; exported\n"), "");
	assert_string_equal(names(FT_SCRIPT_SHELL, "# the one we set\n  # or export\necho \"not set\""), "");
	assert_string_equal(names(FT_SCRIPT_SHELL, "compgen -f x"), "");
	/* make's text is no shell's */
	assert_string_equal(names(FT_SCRIPT_MAKE, "all:\n\texport\n"), "");
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
	/* a computed name: every variable whose name begins so, or every one */
	assert_string_equal(names(FT_SCRIPT_MAKE, "AM_V_CC = $(am__v_CC_$(V))"), "am__v_CC_=;V;");
	assert_string_equal(names(FT_SCRIPT_MAKE, "X = ${$(1)_SRCS}"), "=;");
	/* functions whose argument is a variable's name */
	assert_string_equal(names(FT_SCRIPT_MAKE, "a := $(value RAW) $(origin CC) $(flavor F)"),
			    "value;RAW;origin;CC;flavor;F;");
	assert_string_equal(names(FT_SCRIPT_MAKE, "a := $(call BODY,x) $(origin $(V))"),
			    "call;BODY;origin;=;V;");
	/* text $(eval) makes a makefile of: $$(NAME) is a reference then */
	assert_string_equal(names(FT_SCRIPT_MAKE, "$(eval X := $$(EV_NAME))"), "eval;EV_NAME;");
	/* ifdef and ifndef name a variable */
	assert_string_equal(names(FT_SCRIPT_MAKE, "ifdef DEBUG\nX=1\nendif\n  ifndef\tV_\nendif\n"),
			    "DEBUG;V_;");
	assert_string_equal(names(FT_SCRIPT_MAKE, "ifdef $(NAME)\nendif\n"), "=;NAME;");
	assert_string_equal(names(FT_SCRIPT_MAKE, "ifdefs = 1\n# ifdef\nifeq ($(A),1)\nendif\n"), "A;");
	/* the names of all variables */
	assert_string_equal(names(FT_SCRIPT_MAKE, "$(foreach v,$(.VARIABLES),$(info $(v)))"),
			    "=;foreach;info;v;");
}

static void test_scriptenv__awk(void **s)
{
	(void)s;
	assert_string_equal(names(FT_SCRIPT_AWK, "BEGIN { print ENVIRON[\"HOME\"], ENVIRON [ \"X_1\" ] }"),
			    "HOME;X_1;");
	/* every other use reads them all ("=") */
	assert_string_equal(names(FT_SCRIPT_AWK, "for (k in ENVIRON) n++"), "=;");
	assert_string_equal(names(FT_SCRIPT_AWK, "if (\"A\" in ENVIRON) x = ENVIRON[v]"), "=;=;");
	assert_string_equal(names(FT_SCRIPT_AWK, "ENVIRON[\"A\" \"B\"]"), "=;");
	assert_string_equal(names(FT_SCRIPT_AWK, "ENVIRON[\"A\\\"\"]"), "=;");
	assert_string_equal(names(FT_SCRIPT_AWK, "ENVIRON[\"\"]"), "=;");
	assert_string_equal(names(FT_SCRIPT_AWK, "ENVIRON[\"A=B\"]"), "=;");
	/* a longer word is not ENVIRON; a shell's and make's forms are nothing */
	assert_string_equal(names(FT_SCRIPT_AWK, "MY_ENVIRON[\"A\"] ENVIRONS $HOME ${X} $(Y)"), "");
	/* perl reads them all whatever its text says, and its text names none */
	assert_string_equal(names(FT_SCRIPT_PERL, "print $ENV{HOME}; %ENV"), "");
	assert_string_equal(ft_script_implicit(FT_SCRIPT_PERL)[0], "=");
	assert_null(ft_script_implicit(FT_SCRIPT_PERL)[1]);
	assert_null(ft_script_implicit(FT_SCRIPT_AWK)[0]);
	/* a program file ingest cannot read: every variable */
	assert_true(ft_script_argv_unread(FT_SCRIPT_AWK, 3, (char *[]){ "awk", "-f", "/dev/stdin", NULL }));
	assert_true(ft_script_argv_unread(FT_SCRIPT_AWK, 3, (char *[]){ "gawk", "-f", "-", NULL }));
	assert_true(ft_script_argv_unread(FT_SCRIPT_AWK, 2, (char *[]){ "gawk", "--file=/dev/fd/3", NULL }));
	assert_true(ft_script_argv_unread(FT_SCRIPT_AWK, 2, (char *[]){ "mawk", "-f/proc/self/fd/0", NULL }));
	assert_true(ft_script_argv_unread(FT_SCRIPT_AWK, 5,
					  (char *[]){ "gawk", "-f", "a.awk", "-i", "/dev/stdin", NULL }));
	assert_false(ft_script_argv_unread(FT_SCRIPT_AWK, 3, (char *[]){ "awk", "-f", "prog.awk", NULL }));
	assert_false(ft_script_argv_unread(FT_SCRIPT_AWK, 3, (char *[]){ "awk", "{ print }", "-", NULL }));
	assert_false(ft_script_argv_unread(FT_SCRIPT_AWK, 2, (char *[]){ "awk", "-f", NULL }));
	/* a shell reading its program from standard input, or from /dev */
	assert_true(ft_script_argv_unread(FT_SCRIPT_SHELL, 3, (char *[]){ "sh", "-f", "/dev/stdin", NULL }));
	assert_true(ft_script_argv_unread(FT_SCRIPT_SHELL, 1, (char *[]){ "sh", NULL }));
	assert_true(ft_script_argv_unread(FT_SCRIPT_SHELL, 2, (char *[]){ "bash", "-ex", NULL }));
	assert_true(ft_script_argv_unread(FT_SCRIPT_SHELL, 4,
					  (char *[]){ "bash", "-s", "arg1", "arg2", NULL }));
	assert_true(ft_script_argv_unread(FT_SCRIPT_SHELL, 4,
					  (char *[]){ "bash", "-o", "pipefail", "--norc", NULL }));
	assert_true(ft_script_argv_unread(FT_SCRIPT_SHELL, 2, (char *[]){ "bash", "/dev/fd/63", NULL }));
	assert_true(ft_script_argv_unread(FT_SCRIPT_SHELL, 3, (char *[]){ "sh", "-", "/dev/stdin", NULL }));
	assert_false(ft_script_argv_unread(FT_SCRIPT_SHELL, 3, (char *[]){ "sh", "-c", "echo $X", NULL }));
	assert_false(ft_script_argv_unread(FT_SCRIPT_SHELL, 3, (char *[]){ "sh", "-ec", "echo $X", NULL }));
	assert_false(ft_script_argv_unread(FT_SCRIPT_SHELL, 2, (char *[]){ "sh", "run.sh", NULL }));
	assert_false(ft_script_argv_unread(FT_SCRIPT_SHELL, 4,
					  (char *[]){ "bash", "-o", "errexit", "t.sh", NULL }));
	assert_false(ft_script_argv_unread(FT_SCRIPT_SHELL, 4,
					  (char *[]){ "bash", "--rcfile", "rc", "t.sh", NULL }));
	assert_false(ft_script_argv_unread(FT_SCRIPT_SHELL, 3, (char *[]){ "sh", "--", "t.sh", NULL }));
	/* make's makefile from standard input */
	assert_true(ft_script_argv_unread(FT_SCRIPT_MAKE, 3, (char *[]){ "make", "-f", "-", NULL }));
	assert_true(ft_script_argv_unread(FT_SCRIPT_MAKE, 2, (char *[]){ "make", "--file=/dev/stdin", NULL }));
	assert_false(ft_script_argv_unread(FT_SCRIPT_MAKE, 3, (char *[]){ "make", "-f", "GNUmakefile", NULL }));
	assert_false(ft_script_argv_unread(FT_SCRIPT_MAKE, 2, (char *[]){ "make", "check", NULL }));
	assert_false(ft_script_argv_unread(FT_SCRIPT_PERL, 1, (char *[]){ "perl", NULL }));
}

static void test_scriptenv__libs(void **s)
{
	static const char *const yes[] = {
		"/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so",
		"/usr/lib/x86_64-linux-gnu/libperl.so.5.36", "libperl.so",
		"/usr/lib/x86_64-linux-gnu/libtcl8.6.so", "/lib/libtcl.so.8.6",
	};
	static const char *const no[] = {
		"/usr/lib/libjvm.so.bak", "/usr/lib/libjvmti.so", "/usr/lib/libperlio.so",
		"/usr/lib/x86_64-linux-gnu/libtclstub8.6.a", "/usr/lib/libtcl8.6.sox",
		"/usr/lib/libjvm.so/", "", "libtcl.s",
	};

	(void)s;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(ft_script_lib_reads_all(yes[i], strlen(yes[i])));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(ft_script_lib_reads_all(no[i], strlen(no[i])));
}

static void test_scriptenv__proc_environ(void **s)
{
	static const char *const yes[] = {
		"/proc/self/environ", "/proc/thread-self/environ", "/proc/1/environ",
		"/proc/4242/task/4243/environ",
	};
	static const char *const no[] = {
		"/proc/self/environ2", "/proc/selfx/environ", "/proc/environ", "/proc//environ",
		"/proc/12x/environ", "/proc/1/task//environ", "/proc/1/task/x/environ",
		"/proc/1/cwd/environ", "/tmp/proc/self/environ", "/proc/self/fd/3",
	};

	(void)s;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		assert_true(ft_path_is_environ(yes[i], strlen(yes[i])));
		/* recorded by both back ends, a pseudo path all the same */
		assert_false(ft_path_dropped(yes[i], strlen(yes[i])));
		assert_true(ft_path_is_pseudo(yes[i], strlen(yes[i])));
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(ft_path_is_environ(no[i], strlen(no[i])));
	assert_true(ft_path_dropped("/proc/self/status", 17));
	assert_false(ft_path_dropped("/dev/shm/x", 10));
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
	static const char *const bad[] = { "$", "${", "$(", "${#", "~", "$A", "${!", "$$", "${!A",
					   "compgen", "compgen -", "export -", "declare -p", "#" };
	static const char *const awk_bad[] = { "ENVIRON", "ENVIRON[", "ENVIRON[\"", "ENVIRON[\"A",
					       "ENVIRON[\"A\"", "ENVIRON [ \"A\" " };
	struct ft_test_names g;

	(void)s;
	for (size_t i = 0; i < sizeof(awk_bad) / sizeof(awk_bad[0]); i++) {
		size_t n = strlen(awk_bad[i]);
		char *copy = malloc(n);
		assert_non_null(copy);
		memcpy(copy, awk_bad[i], n);
		memset(&g, 0, sizeof(g));
		assert_int_equal(ft_script_env_names(FT_SCRIPT_AWK, copy, n, ft_test_names_add, &g), 0);
		assert_string_equal(g.s, "=;");
		free(copy);
	}
	for (enum ft_script_kind k = FT_SCRIPT_SHELL; k < FT_SCRIPT__COUNT; k++)
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
		cmocka_unit_test(test_scriptenv__awk),
		cmocka_unit_test(test_scriptenv__libs),
		cmocka_unit_test(test_scriptenv__proc_environ),
		cmocka_unit_test(test_scriptenv__implicit),
		cmocka_unit_test(test_scriptenv__malformed_and_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
