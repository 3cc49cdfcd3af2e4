/*
 * ft_scriptenv.c - variable references in shell and make text
 * (ft_scriptenv.h).
 */
#include <string.h>

#include "ft_scriptenv.h"

static const char *base(const char *p)
{
	const char *b = p ? strrchr(p, '/') : NULL;
	return b ? b + 1 : p ? p : "";
}

enum ft_script_kind ft_script_kind_of(const char *exe, const char *argv0)
{
	static const char *const shells[] = { "sh", "dash", "bash", "zsh", "ksh", "ksh93", "mksh",
					      "ash", "yash", "posh" };
	const char *b = base(exe);

	if (!strcmp(b, "busybox") && argv0)
		b = base(argv0);
	for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
		if (!strcmp(b, shells[i]))
			return FT_SCRIPT_SHELL;
	if (!strcmp(b, "make") || !strcmp(b, "gmake"))
		return FT_SCRIPT_MAKE;
	return FT_SCRIPT_NONE;
}

static int first_c(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int name_c(char c)
{
	return first_c(c) || (c >= '0' && c <= '9');
}

/* The name at text[i..] (i < len): its length, 0 for none. */
static size_t name_at(const char *text, size_t len, size_t i)
{
	size_t n = 0;

	if (i >= len || !first_c(text[i]))
		return 0;
	while (i + n < len && name_c(text[i + n]))
		n++;
	return n <= FT_SCRIPT_NAME_MAX ? n : 0;
}

int ft_script_env_names(enum ft_script_kind k, const char *text, size_t len,
			int (*fn)(void *arg, const char *name, size_t len), void *arg)
{
	int rc, home = 0;

	if (k == FT_SCRIPT_NONE)
		return 0;
	for (size_t i = 0; i < len; i++) {
		size_t at, n;

		if (k == FT_SCRIPT_SHELL && text[i] == '~' && !home &&
		    (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n' ||
		     text[i - 1] == '=' || text[i - 1] == ':' || text[i - 1] == '(' || text[i - 1] == ';')) {
			home = 1;
			if ((rc = fn(arg, "HOME", 4)) < 0)
				return rc;
		}
		if (text[i] != '$' || i + 1 >= len)
			continue;
		at = i + 1;
		if (k == FT_SCRIPT_MAKE && text[at] == '$') {
			i = at; /* "$$": a '$' for the recipe's shell, which reads its own */
			continue;
		}
		if (text[at] == '{' || (k == FT_SCRIPT_MAKE && text[at] == '(')) {
			at++;
			if (k == FT_SCRIPT_SHELL && at < len && (text[at] == '#' || text[at] == '!'))
				at++;
			n = name_at(text, len, at);
		} else if (k == FT_SCRIPT_MAKE) {
			n = name_c(text[at]) ? 1 : 0;
		} else {
			n = name_at(text, len, at);
		}
		if (n && (rc = fn(arg, text + at, n)) < 0)
			return rc;
	}
	return 0;
}

static const char *const shell_implicit[] = {
	"IFS", "ENV", "BASH_ENV", "CDPATH", "GLOBIGNORE", "SHELLOPTS", "BASHOPTS", "PS4",
	"TMOUT", NULL,
};

/* GNU make's own and its built-in rules' (make -p): what a makefile that
 * names none of them still reads */
static const char *const make_implicit[] = {
	"MAKEFLAGS", "GNUMAKEFLAGS", "MAKEFILES", "MFLAGS",
	"CC", "CXX", "CPP", "FC", "AS", "AR", "LEX", "YACC", "PC", "M2C", "RM", "LINT",
	"CFLAGS", "CXXFLAGS", "CPPFLAGS", "FFLAGS", "ASFLAGS", "LDFLAGS", "LDLIBS",
	"LOADLIBES", "ARFLAGS", "LFLAGS", "YFLAGS", "PFLAGS", "RFLAGS", "LINTFLAGS",
	"TARGET_ARCH", "OUTPUT_OPTION", NULL,
};

const char *const *ft_script_implicit(enum ft_script_kind k)
{
	static const char *const none[] = { NULL };

	return k == FT_SCRIPT_SHELL ? shell_implicit : k == FT_SCRIPT_MAKE ? make_implicit : none;
}
