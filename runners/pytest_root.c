/*
 * pytest_root.c - pytest's collection rules over a rootdir
 * (ft_pytest_root.h).
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "ft_pytest_root.h"

int ft_pytest_root_matches(char *const *opts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const char *o = opts[i];
		if (!strncmp(name, o, strlen(o)) ||
		    (strpbrk(o, "*?[") && !fnmatch(o, name, FNM_NOESCAPE)))
			return 1;
	}
	return 0;
}

/* pytest's fnmatch_ex over `pats`: a pattern without '/' matches the base
 * name. */
static int matches_any(char *const *pats, size_t npat, const char *abs, const char *name)
{
	for (size_t i = 0; i < npat; i++) {
		const char *pat = pats[i];
		if (!strchr(pat, '/')) {
			if (fnmatch(pat, name, 0) == 0)
				return 1;
		} else {
			size_t l = strlen(pat);
			char *p = malloc(l + 3);
			int m;
			if (!p)
				return 1; /* when in doubt, select */
			memcpy(p, pat[0] == '/' ? "" : "*/", pat[0] == '/' ? 0 : 2);
			memcpy(p + (pat[0] == '/' ? 0 : 2), pat, l + 1);
			m = fnmatch(p, abs, 0) == 0;
			free(p);
			if (m)
				return 1;
		}
	}
	return 0;
}

int ft_pytest_root_is_test_file(const struct ft_pytest_root *r, const char *abs, const char *name)
{
	return matches_any(r->patterns, r->npat, abs, name);
}

/* A regular file (by its name) that pytest's collection does nothing with:
 * no test file, no conftest.py or __init__.py, no doctest the runs would
 * collect, and only pytest's own collection hooks to ask. */
int ft_pytest_root_ignores(const struct ft_pytest_root *r, const char *abs, const char *name)
{
	size_t n = strlen(name);

	if (!r->plain || !strcmp(name, "conftest.py") || !strcmp(name, "__init__.py") ||
	    ft_pytest_root_is_test_file(r, abs, name))
		return 0;
	if (r->doctest_modules && n > 3 && !strcmp(name + n - 3, ".py"))
		return 0;
	return !matches_any(r->doctest_glob, r->ndglob, abs, name);
}

int ft_pytest_root_doctest_file(const struct ft_pytest_root *r, const char *abs, const char *name)
{
	size_t n = strlen(name);

	if (r->doctest_modules && n > 3 && !strcmp(name + n - 3, ".py") &&
	    strcmp(name, "setup.py") && strcmp(name, "__main__.py"))
		return 1;
	return matches_any(r->doctest_glob, r->ndglob, abs, name);
}

int ft_pytest_root_skip_dir(const struct ft_pytest_root *r, const char *name)
{
	if (!strcmp(name, "__pycache__"))
		return 1;
	for (size_t i = 0; i < r->nnorecurse; i++)
		if (fnmatch(r->norecurse[i], name, 0) == 0)
			return 1;
	return 0;
}

