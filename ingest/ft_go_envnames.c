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

static int ident_c(char c)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/*
 * Functions of the standard library that read variables inside
 * themselves, where neither a literal of the module's nor (before m.Run)
 * Go's test log names them: a package-level `var dir = os.TempDir()`
 * depended on TMPDIR, unseen (a probe: a long TMPDIR broke a unix socket
 * path).  Named in code (outside strings and comments) as PKG.NAME, the
 * package by its usual name.  "=" is the whole environment.
 */
static const struct go_reader {
	const char *pkg, *fn;
	const char *names[8];
} go_readers[] = {
	{ "os", "Environ", { "=" } },
	{ "syscall", "Environ", { "=" } },
	{ "os", "TempDir", { "TMPDIR" } },
	{ "os", "UserCacheDir", { "XDG_CACHE_HOME", "HOME" } },
	{ "os", "UserConfigDir", { "XDG_CONFIG_HOME", "HOME" } },
	{ "os", "UserHomeDir", { "HOME" } },
	{ "os", "Getwd", { "PWD" } },
	{ "user", "Current", { "USER", "HOME" } },
	{ "http", "ProxyFromEnvironment",
	  { "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy",
	    "REQUEST_METHOD" } },
	{ "x509", "SystemCertPool", { "SSL_CERT_FILE", "SSL_CERT_DIR" } },
	{ "time", "LoadLocation", { "ZONEINFO" } },
};

/* The reader whose PKG.NAME starts at src[i], as a whole selector (not
 * the tail of a longer one, nor a prefix), or NULL. */
static const struct go_reader *reader_at(const char *src, size_t len, size_t i)
{
	if (i > 0 && (ident_c(src[i - 1]) || src[i - 1] == '.'))
		return NULL;
	for (size_t k = 0; k < sizeof(go_readers) / sizeof(go_readers[0]); k++) {
		const struct go_reader *r = &go_readers[k];
		size_t p = strlen(r->pkg), f = strlen(r->fn);
		if (len - i < p + 1 + f || memcmp(src + i, r->pkg, p) || src[i + p] != '.' ||
		    memcmp(src + i + p + 1, r->fn, f) || (i + p + 1 + f < len && ident_c(src[i + p + 1 + f])))
			continue;
		return r;
	}
	return NULL;
}

int ft_go_env_names(const char *src, size_t len,
		    int (*fn)(void *arg, const char *name, size_t len), void *arg)
{
	const struct go_reader *r;
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
		} else if (c && strchr("oshuxt", c) && (r = reader_at(src, len, i))) {
			for (size_t k = 0; k < sizeof(r->names) / sizeof(r->names[0]) && r->names[k]; k++)
				if ((rc = fn(arg, r->names[k], strlen(r->names[k]))) < 0)
					return rc;
			i += strlen(r->pkg) + 1 + strlen(r->fn);
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
