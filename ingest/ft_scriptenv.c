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
 * Does shell text read variables it does not name?
 *  - it lists them, the environment among them: `export`, `declare` or
 *    `typeset` with no operand (options -p and -x only), `set` alone,
 *    `compgen -e`, `-v` or `-A`;
 *  - it builds names at run time: `eval` (`eval "v=\$$name"`, `eval
 *    "$(cmd)"`: text ingest never sees), a name reference (`declare -n`,
 *    `typeset -n`, `local -n`: the variable it refers to is a value);
 *  - it sources text ingest cannot read: `.` or `source` of `<(...)` or
 *    of a path under /dev or /proc (a pipe, standard input), whose open
 *    names no file.
 * A word counts where a command may start (after a blank or an operator);
 * a line whose first word starts with '#' is a comment.  Over-approximate:
 * a word in a string or after a trailing comment counts too.
 */
static int shell_reads_all(const char *text, size_t len)
{
	static const char *const decl[] = { "export", "declare", "typeset", "set" };
	static const char *const refs[] = { "declare", "typeset", "local" };
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
		if (word_at(text, len, i, "eval"))
			return 1;
		if (word_at(text, len, i, "source") || word_at(text, len, i, ".")) {
			at = i + (text[i] == '.' ? 1 : 6);
			while (space_at(text, len, at))
				at++;
			if ((len - at >= 2 && !memcmp(text + at, "<(", 2)) ||
			    (len - at >= 5 && !memcmp(text + at, "/dev/", 5)) ||
			    (len - at >= 6 && !memcmp(text + at, "/proc/", 6)))
				return 1;
			continue;
		}
		for (size_t d = 0; d < sizeof(refs) / sizeof(refs[0]); d++) {
			if (!word_at(text, len, i, refs[d]))
				continue;
			at = i + strlen(refs[d]);
			for (;;) { /* each option word: -n among its letters */
				while (space_at(text, len, at))
					at++;
				if (at + 1 >= len || text[at] != '-' || !first_c(text[at + 1]))
					break;
				for (at++; at < len && first_c(text[at]); at++)
					if (text[at] == 'n')
						return 1;
			}
		}
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

/* The first word of the simple command that text[i] is in: the words
 * that only declare or drop a variable, whose operands give it no value
 * (`unset R`, `local R`). */
static int declares_only(const char *text, size_t i)
{
	static const char *const words[] = { "unset", "local", "export", "declare", "typeset",
					     "readonly" };
	size_t s = i;

	while (s > 0 && !strchr("\n;|&(`{", text[s - 1]))
		s--;
	while (text[s] == ' ' || text[s] == '\t')
		s++;
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		size_t n = strlen(words[w]);
		if (s + n < i && !memcmp(text + s, words[w], n) && (text[s + n] == ' ' || text[s + n] == '\t'))
			return 1;
	}
	return 0;
}

/*
 * `${!REF}` reads the variable whose name is REF's value.  Where the text
 * gives REF its value itself, before any other mention of it, and every
 * value it gives starts with the same letters (pyenv's shims:
 * `NR="_PYENV_SHIM_PATHS_${PROGRAM}"`), the variable read is one whose
 * name begins with them: their length (the prefix "P=").  Else -1: any
 * variable ("=").  Mentions that give no value are allowed (a read,
 * `unset REF`, `local REF`); any other (`for REF in`, `read REF`, a
 * word in a string) gives -1.  REF's value from outside (the
 * environment, a caller) is read before any assignment, so the first
 * mention must be one; a function that assigns it, written above the code
 * that reads it first, is this rule's boundary.
 */
static long ref_prefix(const char *text, size_t len, const char *ref, size_t rn, const char **letters)
{
	const char *first = NULL; /* the first value given */
	size_t common = 0;

	for (const char *p = text; (p = memmem(p, (size_t)(text + len - p), ref, rn)); p += rn) {
		size_t i = (size_t)(p - text), at = i + rn, v, m = 0;
		int append = 0;

		if ((i && name_c(text[i - 1])) || (at < len && name_c(text[at])))
			continue;
		if (i && (text[i - 1] == '$' || text[i - 1] == '!' || text[i - 1] == '#' ||
			  (text[i - 1] == '{' && i >= 2 && text[i - 2] == '$'))) {
			if (!first)
				return -1;
			continue;
		}
		if (at + 1 < len && text[at] == '+' && text[at + 1] == '=')
			append = 1, at++;
		if (at < len && text[at] == '=' && (!i || strchr(" \t\n;&|(`{", text[i - 1]))) {
			if (append) { /* keeps the value's start */
				if (!first)
					return -1;
				continue;
			}
			v = at + 1;
			if (v < len && (text[v] == '"' || text[v] == '\''))
				v++;
			while (v + m < len && name_c(text[v + m]) && (!first || (m < common && text[v + m] == first[m])))
				m++;
			if (!first)
				first = text + v;
			common = m;
			continue;
		}
		if (!first || !declares_only(text, i))
			return -1;
	}
	*letters = first;
	return first && common ? (long)common : -1;
}

/* The name at text[at..] (n bytes, n may be 0) as make reads it: itself,
 * or, where a reference follows it at once, a computed name that begins
 * with it (`$(am__v_CC_$(V))`: "am__v_CC_=", every variable whose name
 * begins so; `$($(1)_X)`: "=", every variable).  No name and no reference:
 * nothing. */
static int make_name(const char *text, size_t len, size_t at, size_t n,
		     int (*fn)(void *arg, const char *name, size_t len), void *arg)
{
	char prefix[FT_SCRIPT_NAME_MAX + 1];

	if (at + n < len && text[at + n] == '$') {
		memcpy(prefix, text + at, n);
		prefix[n] = '=';
		return fn(arg, prefix, n + 1);
	}
	return n ? fn(arg, text + at, n) : 0;
}

/*
 * A make reference whose name starts at text[at] (after "$(" or "${"):
 * its name (make_name), and for the functions whose first argument is a
 * variable's name, `$(value NAME)`, `$(origin NAME)`, `$(flavor NAME)`
 * and `$(call NAME,...)`, that name too (make_name: `$(origin $(V))` is
 * every variable).
 */
static int make_ref(const char *text, size_t len, size_t at,
		    int (*fn)(void *arg, const char *name, size_t len), void *arg)
{
	static const char *const by_name[] = { "value", "origin", "flavor", "call" };
	size_t n = name_at(text, len, at);
	int rc;

	if ((rc = make_name(text, len, at, n, fn, arg)) < 0)
		return rc;
	for (size_t f = 0; n && f < sizeof(by_name) / sizeof(by_name[0]); f++) {
		if (n != strlen(by_name[f]) || memcmp(text + at, by_name[f], n) || !space_at(text, len, at + n))
			continue;
		at += n;
		while (space_at(text, len, at))
			at++;
		return make_name(text, len, at, name_at(text, len, at), fn, arg);
	}
	return 0;
}

/*
 * make's conditionals that test a variable by name: `ifdef NAME` and
 * `ifndef NAME` at a line's start (after blanks) read NAME (make_name; a
 * reference there, `ifdef $(V)`, names a variable by its value: every
 * variable).
 */
static int make_conditionals(const char *text, size_t len,
			     int (*fn)(void *arg, const char *name, size_t len), void *arg)
{
	for (size_t i = 0; i < len; i++) {
		size_t at = i, w;
		int rc;

		while (space_at(text, len, at))
			at++;
		w = len - at >= 6 && !memcmp(text + at, "ifndef", 6) ? 6
		  : len - at >= 5 && !memcmp(text + at, "ifdef", 5) ? 5 : 0;
		if (w && space_at(text, len, at + w)) {
			at += w;
			while (space_at(text, len, at))
				at++;
			if (at < len && text[at] == '$')
				rc = fn(arg, "=", 1);
			else
				rc = make_name(text, len, at, name_at(text, len, at), fn, arg);
			if (rc < 0)
				return rc;
		}
		while (i < len && text[i] != '\n')
			i++;
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
	if (k == FT_SCRIPT_SHELL && shell_reads_all(text, len) && (rc = fn(arg, "=", 1)) < 0)
		return rc;
	/* make's list of every variable's name, the environment's among them */
	if (k == FT_SCRIPT_MAKE && memmem(text, len, ".VARIABLES", 10) && (rc = fn(arg, "=", 1)) < 0)
		return rc;
	if (k == FT_SCRIPT_MAKE && (rc = make_conditionals(text, len, fn, arg)) < 0)
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
			/* "$$": a '$' for the recipe's shell, which reads its
			 * own; or, in text `$(eval ...)` makes a makefile of,
			 * a reference make expands then: taken as one too (an
			 * extra name for a shell's `$$(cmd)`) */
			i = at;
			if (at + 1 < len && (text[at + 1] == '(' || text[at + 1] == '{') &&
			    (rc = make_ref(text, len, at + 2, fn, arg)) < 0)
				return rc;
			continue;
		}
		if (k == FT_SCRIPT_MAKE && (text[at] == '(' || text[at] == '{')) {
			if ((rc = make_ref(text, len, at + 1, fn, arg)) < 0)
				return rc;
			continue;
		}
		if (text[at] == '{') {
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
			/* ${!REF}: REF, and the variable REF's value names:
			 * one that begins with what REF is given, or any
			 * (ref_prefix); ${!1}: any */
			if (bang && at < len && text[at] != '#') {
				const char *letters = NULL;
				long pl = n ? ref_prefix(text, len, text + at, n, &letters) : -1;

				if (pl > 0 && pl <= FT_SCRIPT_NAME_MAX) {
					memcpy(prefix, letters, (size_t)pl);
					prefix[pl] = '=';
					rc = fn(arg, prefix, (size_t)pl + 1);
				} else {
					rc = fn(arg, "=", 1);
				}
				if (rc < 0)
					return rc;
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
