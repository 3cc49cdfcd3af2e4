/*
 * test_go_envnames.c - variable names in Go source text
 * (ingest/ft_go_envnames.c): string literals of a variable's shape in
 * either case, not in comments, not with escapes, not rune literals;
 * os.ExpandEnv's references inside literals; malformed text never read
 * past its end.  The names' use at ingest runs in t7104.
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

#include "ft_go_envnames.h"
#include "namelist.h"

static const char *names(const char *src)
{
	static struct ft_test_names g;

	memset(&g, 0, sizeof(g));
	assert_int_equal(ft_go_env_names(src, strlen(src), ft_test_names_add, &g), 0);
	return g.s;
}

static void test_go_envnames__literals(void **s)
{
	(void)s;
	assert_string_equal(names("var x = os.Getenv(\"HOME_DIR\")\n"), "HOME_DIR;");
	assert_string_equal(names("const k = `RAW_NAME`\nv, ok := os.LookupEnv(k)"), "RAW_NAME;");
	assert_string_equal(names("a := \"A1\"; b := \"_X\"; c := \"GOOD_2\""), "A1;_X;GOOD_2;");
	/* either case, one character: a program names its variables as it likes */
	assert_string_equal(names("os.Getenv(\"app_debug\"); syscall.Getenv(\"Mixed\"); x := \"a\""),
			    "app_debug;Mixed;a;");
	/* os.ExpandEnv's references inside a longer literal, escapes or not */
	assert_string_equal(names("os.ExpandEnv(\"${MINI_DIR}/x\\n$HOME/.rc $lower_1 ${odd-name}\")"),
			    "MINI_DIR;HOME;lower_1;odd-name;");
	assert_string_equal(names("`$A$B` \"$\" \"${}\" \"${X\" \"${A=B}\" \"$1\" \"^end$\""), "A;B;");
	/* repeats are the caller's to drop */
	assert_string_equal(names("\"AB\" \"AB\""), "AB;AB;");
	/* '-' and '.' inside a name: getenv takes any */
	assert_string_equal(names("os.Getenv(\"app-mode\"); x := \"log.level\""), "app-mode;log.level;");
	/* a struct tag's values, up to their first ',' (a library that fills
	 * a struct from the environment by reflection) */
	assert_string_equal(names("type C struct {\n\tMode string `env:\"TAGMODE\"`\n"
				  "\tPort int `env:\"PORT,required\" json:\"port\"`\n}"),
			    "TAGMODE;PORT;port;");
	assert_string_equal(names("`:\"NOKEY\"` `env:\"\"` `env:\"1X\"` `env:\"UNENDED`"), "");
}

static void test_go_envnames__not_names(void **s)
{
	(void)s;
	/* a digit first, no letter, empty, punctuation, a space */
	assert_string_equal(names("\"1AB\" \"__\" \"_1\" \"\" \"-AB\" \".AB\" \"A B\" \"a/b\""), "");
	/* escapes: not a name (its bytes are not what is written) */
	assert_string_equal(names("\"A\\x42\" \"A\\\"B\" \"CD\""), "CD;");
	/* comments */
	assert_string_equal(names("// os.Getenv(\"NOPE\")\n/* \"NOPE2\" */ \"YES\" /* \"N3\"\n*/"), "YES;");
	/* rune literals, one of them a quote or a backquote, do not start a string */
	assert_string_equal(names("r := '\"'; q := '`'; e := '\\''; \"AFTER\""), "AFTER;");
	/* a string in a comment's text is not one; a comment marker in a string is text */
	assert_string_equal(names("\"// NOT_A_COMMENT\" \"AB\""), "AB;");
}

static void test_go_envnames__malformed(void **s)
{
	static const char *const bad[] = {
		"\"UNTERMINATED", "`RAW_UNTERMINATED", "/* never closed \"X1\"", "'", "\"\\",
		"\"AB\n\"CD\"", "\"", "`", "/", "/*", "\"A\\", "x := \"AB", "\"$", "\"${", "\"${AB",
		"`$AB", "\"$AB\\",
	};
	struct ft_test_names g;

	(void)s;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* each run over a copy exactly as long as the text: ASan would
		 * see a read past its end */
		size_t n = strlen(bad[i]);
		char *copy = malloc(n ? n : 1);
		assert_non_null(copy);
		memcpy(copy, bad[i], n);
		memset(&g, 0, sizeof(g));
		assert_int_equal(ft_go_env_names(copy, n, ft_test_names_add, &g), 0);
		free(copy);
	}
	/* an interpreted literal ends at its line: the next line's literal is read */
	assert_string_equal(names("\"AB\n\"CD\""), "CD;");
}

static void test_go_envnames__whole_environment(void **s)
{
	(void)s;
	/* os.Environ and syscall.Environ in code: the whole environment */
	assert_string_equal(names("for _, kv := range os.Environ() {"), "=;");
	assert_string_equal(names("e := syscall.Environ()\nf := os.Environ"), "=;=;");
	/* not in a comment or a string, not another package's, not a longer name */
	/* (the string is a name's shape, no more) */
	assert_string_equal(names("// os.Environ()\n\"os.Environ\" myos.Environ() os.Environment() xos.Environ"),
			    "os.Environ;");
	assert_string_equal(names("Environ()"), "");
}

static void test_go_envnames__stdlib_readers(void **s)
{
	(void)s;
	/* the standard library's functions that read variables inside */
	assert_string_equal(names("var dir = os.TempDir()"), "TMPDIR;");
	assert_string_equal(names("d, _ := os.UserCacheDir()"), "XDG_CACHE_HOME;HOME;");
	assert_string_equal(names("os.UserConfigDir();os.UserHomeDir()"), "XDG_CONFIG_HOME;HOME;HOME;");
	assert_string_equal(names("wd, err := os.Getwd()"), "PWD;");
	assert_string_equal(names("u, _ := user.Current()"), "USER;HOME;");
	assert_string_equal(names("Proxy: http.ProxyFromEnvironment,"),
			    "HTTP_PROXY;http_proxy;HTTPS_PROXY;https_proxy;NO_PROXY;no_proxy;REQUEST_METHOD;");
	assert_string_equal(names("p, _ := x509.SystemCertPool()"), "SSL_CERT_FILE;SSL_CERT_DIR;");
	assert_string_equal(names("time.LoadLocation(\"Asia/Tokyo\")"), "ZONEINFO;");
	/* not in a comment, not another package's, not a longer name */
	assert_string_equal(names("// os.TempDir()\nmyos.TempDir() os.TempDirs() x.os.TempDir()"), "");
	assert_string_equal(names("os.TempDir"), "TMPDIR;");
}

static void test_go_envnames__stop(void **s)
{
	struct ft_test_names g = { .stop_at = 2 };
	const char *src = "\"AA\" \"BB\" \"CC\"";

	(void)s;
	assert_int_equal(ft_go_env_names(src, strlen(src), ft_test_names_add, &g), -EIO);
	assert_int_equal(g.calls, 2);
	assert_string_equal(g.s, "AA;");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_go_envnames__literals),
		cmocka_unit_test(test_go_envnames__not_names),
		cmocka_unit_test(test_go_envnames__malformed),
		cmocka_unit_test(test_go_envnames__whole_environment),
		cmocka_unit_test(test_go_envnames__stdlib_readers),
		cmocka_unit_test(test_go_envnames__stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
