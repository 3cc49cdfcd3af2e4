/*
 * ft_go_envnames.c - variable names in Go source text (ft_go_envnames.h).
 */
#include <string.h>

#include "ft_go_envnames.h"

static int letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int name_char(char c)
{
	return letter(c) || (c >= '0' && c <= '9') || c == '_';
}

/* A literal that may be a variable's name: a letter or '_' first, then
 * letters, digits, '_', '-' or '.' (getenv takes any name: "app-mode",
 * "log.level"), a letter among them */
static int is_name(const char *s, size_t n)
{
	int any = 0;

	if (!n || n > FT_GO_ENVNAME_MAX || !(letter(s[0]) || s[0] == '_'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!name_char(s[i]) && s[i] != '-' && s[i] != '.')
			return 0;
		any |= letter(s[i]);
	}
	/* at least one letter: "__" or "_1" names nothing anybody sets */
	return any;
}

/* The values of a struct tag in the raw literal s[0..n) (`env:"PORT,required"
 * json:"port"`): each `KEY:"VALUE"`'s VALUE up to its first ',', where a
 * configuration library that fills a struct from the environment by
 * reflection (caarlos0/env, envconfig) finds the variable's name */
static int tag_values(const char *s, size_t n,
		      int (*fn)(void *arg, const char *name, size_t len), void *arg)
{
	int rc;

	for (size_t i = 1; i + 1 < n; i++) {
		size_t at = i + 2, k = 0;

		if (s[i] != ':' || s[i + 1] != '"' || !name_char(s[i - 1]))
			continue;
		while (at + k < n && s[at + k] != '"' && s[at + k] != ',')
			k++;
		if (at + k < n && is_name(s + at, k) && (rc = fn(arg, s + at, k)) < 0)
			return rc;
		i = at + k - 1;
	}
	return 0;
}

/* The references os.Expand and os.ExpandEnv take from a template, in the
 * literal s[0..n) (its escapes left as written: "$HOME/x", "${DIR}"):
 * `${NAME}` (NAME up to the brace, as Go takes it, but for a '=', a
 * newline or a NUL, which no variable's name holds) and `$NAME` (letters, digits,
 * '_') */
static int expand_refs(const char *s, size_t n,
		       int (*fn)(void *arg, const char *name, size_t len), void *arg)
{
	int rc;

	for (size_t i = 0; i + 1 < n; i++) {
		size_t at = i + 1, k = 0;

		if (s[i] != '$')
			continue;
		if (s[at] == '{') {
			at++;
			while (at + k < n && s[at + k] != '}' && s[at + k] != '=' && s[at + k] != '\n' &&
			       s[at + k] != '\0')
				k++;
			if (at + k >= n || s[at + k] != '}' || !k || k > FT_GO_ENVNAME_MAX)
				continue;
		} else {
			while (at + k < n && name_char(s[at + k]))
				k++;
			if (!is_name(s + at, k))
				continue;
		}
		if ((rc = fn(arg, s + at, k)) < 0)
			return rc;
		i = at + k - 1;
	}
	return 0;
}

/* "os.Environ" or "syscall.Environ" whose "Environ" starts at src[i],
 * as an identifier (not the tail of a longer one, nor a prefix) */
static int whole_at(const char *src, size_t len, size_t i)
{
	static const char *const pkgs[] = { "os.", "syscall." };

	if (len - i < 7 || memcmp(src + i, "Environ", 7) ||
	    (i + 7 < len && (src[i + 7] == '_' || (src[i + 7] >= 'A' && src[i + 7] <= 'Z') ||
			     (src[i + 7] >= 'a' && src[i + 7] <= 'z') || (src[i + 7] >= '0' && src[i + 7] <= '9'))))
		return 0;
	for (size_t k = 0; k < sizeof(pkgs) / sizeof(pkgs[0]); k++) {
		size_t n = strlen(pkgs[k]);
		if (i >= n && !memcmp(src + i - n, pkgs[k], n) &&
		    (i == n || !((src[i - n - 1] >= 'a' && src[i - n - 1] <= 'z') ||
				 (src[i - n - 1] >= 'A' && src[i - n - 1] <= 'Z') ||
				 (src[i - n - 1] >= '0' && src[i - n - 1] <= '9') || src[i - n - 1] == '_' ||
				 src[i - n - 1] == '.')))
			return 1;
	}
	return 0;
}

int ft_go_env_names(const char *src, size_t len,
		    int (*fn)(void *arg, const char *name, size_t len), void *arg)
{
	size_t i = 0;
	int rc;

	while (i < len) {
		char c = src[i];

		if (c == '/' && i + 1 < len && src[i + 1] == '/') {
			while (i < len && src[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < len && src[i + 1] == '*') {
			i += 2;
			while (i + 1 < len && !(src[i] == '*' && src[i + 1] == '/'))
				i++;
			i += 2;
		} else if (c == '"' || c == '`' || c == '\'') {
			size_t start = ++i;
			int escaped = 0;

			/* an interpreted or rune literal ends at its line's end
			 * (malformed), a raw one only at its backquote */
			while (i < len && src[i] != c && (c == '`' || src[i] != '\n')) {
				if (c != '`' && src[i] == '\\') {
					escaped = 1;
					i++;
				}
				i++;
			}
			if (c != '\'' && !escaped && i < len && src[i] == c &&
			    is_name(src + start, i - start) && (rc = fn(arg, src + start, i - start)) < 0)
				return rc;
			if (c != '\'' && (rc = expand_refs(src + start, (i < len ? i : len) - start, fn,
							   arg)) < 0)
				return rc;
			if (c == '`' && (rc = tag_values(src + start, (i < len ? i : len) - start, fn,
							 arg)) < 0)
				return rc;
			i++;
		} else if (c == 'E' && whole_at(src, len, i)) {
			if ((rc = fn(arg, "=", 1)) < 0)
				return rc;
			i += 7;
		} else {
			i++;
		}
	}
	return 0;
}

int ft_go_env_conventional(const char *name, size_t len)
{
	if (len < 2)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '_'))
			return 0;
	return 1;
}
