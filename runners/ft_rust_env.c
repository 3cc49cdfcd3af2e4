/*
 * ft_rust_env.c - see ft_rust_env.h.
 */
#include <string.h>

#include "ft_rust_env.h"

static int ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || (unsigned char)c >= 0x80;
}

static size_t blanks(const char *t, size_t len, size_t i)
{
	while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
		i++;
	return i;
}

/* Is the word at t[i..] (len bytes in all) `vars` or `vars_os`, whole? */
static int vars_word(const char *t, size_t len, size_t i)
{
	size_t e = i;

	if (i && ident(t[i - 1]))
		return 0;
	while (e < len && ident(t[e]))
		e++;
	return (e - i == 4 && !memcmp(t + i, "vars", 4)) ||
	       (e - i == 7 && !memcmp(t + i, "vars_os", 7));
}

int ft_rust_env_whole(const char *t, size_t len)
{
	for (size_t i = 0; i + 3 <= len; i++) {
		size_t j;

		if (memcmp(t + i, "env", 3) || (i && ident(t[i - 1])) ||
		    (i + 3 < len && ident(t[i + 3])))
			continue;
		j = blanks(t, len, i + 3);
		if (j + 2 > len || t[j] != ':' || t[j + 1] != ':')
			continue;
		j = blanks(t, len, j + 2);
		if (j >= len)
			return 0;
		if (t[j] == '*' || vars_word(t, len, j))
			return 1;
		if (t[j] == '{') {
			/* a use list, nested braces and all, to its end */
			int depth = 0;
			for (size_t k = j; k < len; k++) {
				if (t[k] == '{')
					depth++;
				else if (t[k] == '}' && --depth == 0)
					break;
				else if (t[k] == 'v' && vars_word(t, len, k))
					return 1;
				else if (t[k] == '*')
					return 1;
			}
		}
	}
	return 0;
}
