/*
 * ft_go_envnames.c - variable names in Go source text (ft_go_envnames.h).
 */
#include <string.h>

#include "ft_go_envnames.h"

static int is_name(const char *s, size_t n)
{
	if (n < 2 || n > FT_GO_ENVNAME_MAX || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	/* at least one letter: "__" or "_1" names nothing anybody sets */
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return 1;
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
