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

/* b is stem followed by digits and dots only */
static int versioned(const char *b, const char *stem)
{
	size_t n = strlen(stem);

	return !strncmp(b, stem, n) && strspn(b + n, "0123456789.") == strlen(b + n);
}

enum ft_script_kind ft_script_kind_of(const char *exe, const char *argv0)
{
	static const char *const shells[] = { "sh", "dash", "bash", "zsh", "ksh", "ksh93", "mksh",
					      "ash", "yash", "posh" };
	static const char *const awks[] = { "awk", "gawk", "mawk", "nawk", "original-awk" };
	const char *b = base(exe);

	if (!strcmp(b, "busybox") && argv0)
		b = base(argv0);
	for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
		if (!strcmp(b, shells[i]))
			return FT_SCRIPT_SHELL;
	if (!strcmp(b, "make") || !strcmp(b, "gmake"))
		return FT_SCRIPT_MAKE;
	for (size_t i = 0; i < sizeof(awks) / sizeof(awks[0]); i++)
		if (!strcmp(b, awks[i]))
			return FT_SCRIPT_AWK;
	/* perl, and the versioned name Debian installs beside it */
	if (versioned(b, "perl"))
		return FT_SCRIPT_PERL;
	/* Go's compiler, GOROOT/pkg/tool/<os_arch>/compile, and the go
	 * command, GOROOT/bin/go, which reads the sources to hash them when
	 * the build cache has the result */
	if ((!strcmp(b, "compile") && b - exe > 10 && strstr(exe, "/pkg/tool/")) ||
	    (!strcmp(b, "go") && b - exe >= 5 && !memcmp(b - 5, "/bin/", 5)))
		return FT_SCRIPT_GOC;
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

static int space_at(const char *text, size_t len, size_t i)
{
	return i < len && (text[i] == ' ' || text[i] == '\t');
}

/*
 * awk's ENVIRON at text[i..] (the word starts there, and ends at i + 7):
 * `ENVIRON [ "NAME" ]`, spaces allowed between, reads NAME; anything else
 * reads every variable ("=").  A literal holding a backslash, a '=' or
 * nothing, or longer than FT_SCRIPT_NAME_MAX, is not taken apart.
 */
static int awk_environ(const char *text, size_t len, size_t i,
		       int (*fn)(void *arg, const char *name, size_t len), void *arg)
{
	size_t at = i + 7, name, n = 0;

	while (space_at(text, len, at))
		at++;
	if (at >= len || text[at++] != '[')
		return fn(arg, "=", 1);
	while (space_at(text, len, at))
		at++;
	if (at >= len || text[at++] != '"')
		return fn(arg, "=", 1);
	name = at;
	while (at < len && text[at] != '"' && text[at] != '\\' && text[at] != '=' &&
	       text[at] != '\n' && text[at] != '\0')
		at++, n++;
	if (at >= len || text[at++] != '"' || !n || n > FT_SCRIPT_NAME_MAX)
		return fn(arg, "=", 1);
	while (space_at(text, len, at))
		at++;
	if (at >= len || text[at] != ']')
		return fn(arg, "=", 1);
	return fn(arg, text + name, n);
}

static int awk_names(const char *text, size_t len,
		     int (*fn)(void *arg, const char *name, size_t len), void *arg)
{
	const char *p = text, *end = text + len;
	int rc;

	while ((p = memmem(p, (size_t)(end - p), "ENVIRON", 7))) {
		size_t i = (size_t)(p - text);

		p += 7;
		if ((i && name_c(text[i - 1])) || (i + 7 < len && name_c(text[i + 7])))
			continue;
		if ((rc = awk_environ(text, len, i, fn, arg)) < 0)
			return rc;
	}
	return 0;
}

/* Does a shell command end at text[i] (the end of the text, a newline, an
 * operator, a redirection, the end of a subshell or a command
 * substitution)? */
static int command_end(const char *text, size_t len, size_t i)
{
	return i >= len || strchr("\n;|&)`<>}", text[i]);
}

/* The word w at text[i..], followed by the end of the word */
static int word_at(const char *text, size_t len, size_t i, const char *w)
{
	size_t n = strlen(w);

	return len - i >= n && !memcmp(text + i, w, n) &&
	       (i + n == len || space_at(text, len, i + n) || command_end(text, len, i + n));
}

/*
 * Does shell text list its variables, the environment among them: `export`,
 * `declare` or `typeset` with no operand (options -p and -x only), `set`
 * alone, `compgen -e`, `-v` or `-A`?  A word counts where a command may
 * start (after a blank or an operator); a line whose first word starts with
 * '#' is a comment.  Over-approximate: a word in a string or after a
 * trailing comment counts too.
 */
static int shell_lists(const char *text, size_t len)
{
	static const char *const decl[] = { "export", "declare", "typeset", "set" };
	int line_start = 1;

	for (size_t i = 0; i < len; i++) {
		size_t at;

		if (text[i] == '\n') {
			line_start = 1;
			continue;
		}
		if (space_at(text, len, i))
			continue;
		if (line_start && text[i] == '#') {
			while (i + 1 < len && text[i + 1] != '\n')
				i++;
			continue;
		}
		line_start = 0;
		if (i && !space_at(text, len, i - 1) && !strchr("\n;|&(`{", text[i - 1]))
			continue;
		if (word_at(text, len, i, "compgen")) {
			at = i + 7;
			while (space_at(text, len, at))
				at++;
			if (len - at >= 2 && text[at] == '-' && strchr("evA", text[at + 1]))
				return 1;
			continue;
		}
		for (size_t d = 0; d < sizeof(decl) / sizeof(decl[0]); d++) {
			if (!word_at(text, len, i, decl[d]))
				continue;
			at = i + strlen(decl[d]);
			for (;;) {
				while (space_at(text, len, at))
					at++;
				if (d == 3 || at + 1 >= len || text[at] != '-')
					break;
				if (!strchr("px", text[at + 1]))
					break;
				at++;
				while (at < len && (text[at] == 'p' || text[at] == 'x'))
					at++;
				if (!(at == len || space_at(text, len, at) || command_end(text, len, at)))
					break;
			}
			if (command_end(text, len, at))
				return 1;
		}
	}
	return 0;
}

int ft_script_env_names(enum ft_script_kind k, const char *text, size_t len,
			int (*fn)(void *arg, const char *name, size_t len), void *arg)
{
	char prefix[FT_SCRIPT_NAME_MAX + 1];
	int rc, home = 0;

	if (k == FT_SCRIPT_AWK)
		return awk_names(text, len, fn, arg);
	if (k != FT_SCRIPT_SHELL && k != FT_SCRIPT_MAKE)
		return 0;
	if (k == FT_SCRIPT_SHELL && shell_lists(text, len) && (rc = fn(arg, "=", 1)) < 0)
		return rc;
	/* make's list of every variable's name, the environment's among them */
	if (k == FT_SCRIPT_MAKE && memmem(text, len, ".VARIABLES", 10) && (rc = fn(arg, "=", 1)) < 0)
		return rc;
	for (size_t i = 0; i < len; i++) {
		size_t at, n;
		int bang = 0;

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
				bang = text[at++] == '!';
			n = name_at(text, len, at);
			/* ${!P*}, ${!P@}: the names of the variables that begin
			 * with P, the environment's among them ("P=") */
			if (bang && n && at + n < len && (text[at + n] == '*' || text[at + n] == '@')) {
				memcpy(prefix, text + at, n);
				prefix[n] = '=';
				if ((rc = fn(arg, prefix, n + 1)) < 0)
					return rc;
				continue;
			}
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
	static const char *const all[] = { "=", NULL };

	switch (k) {
	case FT_SCRIPT_SHELL:
		return shell_implicit;
	case FT_SCRIPT_MAKE:
		return make_implicit;
	case FT_SCRIPT_PERL:
	case FT_SCRIPT_PYBARE:
		return all;
	default:
		return none;
	}
}

int ft_script_scans(enum ft_script_kind k)
{
	return k == FT_SCRIPT_SHELL || k == FT_SCRIPT_MAKE || k == FT_SCRIPT_AWK ||
	       k == FT_SCRIPT_GOC;
}

int ft_script_scans_argv(enum ft_script_kind k)
{
	return k == FT_SCRIPT_SHELL || k == FT_SCRIPT_AWK;
}

int ft_script_python_bare(const char *exe, int argc, char *const *argv)
{
	const char *b = base(exe);
	int bare = 0;

	if (!versioned(b, "python") && !versioned(b, "pypy"))
		return 0;
	for (int i = 1; i < argc && argv[i]; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || !a[1] || !strcmp(a, "--"))
			break; /* the script, stdin's "-", or the end of options */
		if (a[1] == '-') {
			if (!strcmp(a, "--check-hash-based-pycs"))
				i++;
			continue;
		}
		for (const char *c = a + 1; *c; c++) {
			if (*c == 'E' || *c == 'I' || *c == 'S')
				bare = 1;
			if (*c == 'c')
				return bare;
			if (*c == 'm') {
				const char *m = c[1] ? c + 1 : i + 1 < argc ? argv[i + 1] : NULL;
				return bare && !(m && (!strcmp(m, "pytest") || !strcmp(m, "py.test")));
			}
			if (*c == 'W' || *c == 'X') {
				if (!c[1])
					i++;
				break;
			}
		}
	}
	return bare;
}

static int unread_file(const char *f)
{
	return f && (!strcmp(f, "-") || !strncmp(f, "/dev/", 5) || !strncmp(f, "/proc/", 6));
}

/*
 * A shell's program comes from its standard input (a pipe, a terminal, a
 * here-document: no file ingest can read) when it has no -c, and -s is
 * given or no command file follows the options; or the command file is
 * under /dev or /proc (`bash <(...)`, `sh /dev/stdin`).  Options: single
 * letters after '-' or '+', grouped (`-ex`), -o/+o (and bash's -O/+O)
 * taking the next word, bash's long options (--rcfile and --init-file
 * taking the next word); "-" or "--" ends them.
 */
static int shell_unread(int argc, char *const *argv)
{
	int i = 1, stdin_flag = 0;

	for (; i < argc && argv[i]; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--") || !strcmp(a, "-")) {
			i++;
			break;
		}
		if (a[0] == '-' && a[1] == '-') {
			if (!strcmp(a, "--rcfile") || !strcmp(a, "--init-file"))
				i++;
			continue;
		}
		if ((a[0] != '-' && a[0] != '+') || !a[1])
			break;
		for (const char *c = a + 1; *c; c++) {
			if (*c == 'c')
				return 0; /* the text is an argument: scanned */
			stdin_flag |= *c == 's';
			if (*c == 'o' || *c == 'O')
				i++;
		}
	}
	if (stdin_flag || i >= argc || !argv[i])
		return 1;
	return !strncmp(argv[i], "/dev/", 5) || !strncmp(argv[i], "/proc/", 6);
}

int ft_script_argv_unread(enum ft_script_kind k, int argc, char *const *argv)
{
	static const char *const awk_opts[] = { "-f", "--file", "-i", "--include", "-E", "--exec",
						NULL };
	static const char *const make_opts[] = { "-f", "--file", "--makefile", NULL };
	const char *const *opts = k == FT_SCRIPT_AWK ? awk_opts : make_opts;

	if (k == FT_SCRIPT_SHELL)
		return shell_unread(argc, argv);
	if (k != FT_SCRIPT_AWK && k != FT_SCRIPT_MAKE)
		return 0;
	for (int i = 1; i < argc && argv[i]; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			break;
		for (size_t o = 0; opts[o]; o++) {
			size_t n = strlen(opts[o]);

			if (strncmp(a, opts[o], n))
				continue;
			if (!a[n] && unread_file(i + 1 < argc ? argv[i + 1] : NULL))
				return 1;
			/* -f/dev/stdin, --file=/dev/stdin */
			if (a[n] && unread_file(a + n + (a[1] == '-' && a[n] == '=')))
				return 1;
		}
	}
	return 0;
}

/* name[0..len) is stem, then optional digits and dots (a version), then
 * ".so", then optional ".N" parts */
static int lib_named(const char *name, size_t len, const char *stem, int version)
{
	size_t sl = strlen(stem), i;

	if (len < sl + 3 || memcmp(name, stem, sl))
		return 0;
	i = sl;
	while (version && i < len && ((name[i] >= '0' && name[i] <= '9') || name[i] == '.') &&
	       !(len - i >= 3 && !memcmp(name + i, ".so", 3) &&
		 (len - i == 3 || name[i + 3] == '.')))
		i++;
	if (len - i < 3 || memcmp(name + i, ".so", 3))
		return 0;
	for (i += 3; i < len; i++)
		if (!((name[i] >= '0' && name[i] <= '9') || name[i] == '.'))
			return 0;
	return 1;
}

int ft_script_lib_reads_all(const char *path, size_t len)
{
	const char *b = path;

	for (size_t i = 0; i < len; i++)
		if (path[i] == '/')
			b = path + i + 1;
	len -= (size_t)(b - path);
	return lib_named(b, len, "libjvm", 0) || lib_named(b, len, "libperl", 0) ||
	       lib_named(b, len, "libtcl", 1);
}
