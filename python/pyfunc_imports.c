/*
 * pyfunc_imports.c - whether an import that a change added could run a
 * project module's body that a session had not run (ft_pyfunc_int.h;
 * docs/python-functions.md, "Import-time effects").
 *
 * An import of a module already loaded runs nothing: the module is taken
 * from sys.modules.  So an import statement added to (or changed in) a
 * module counts as binding only while every project module it needs was
 * loaded in the session, which its prelude's files say (a module body that
 * ran leaves the file's keys there).  What is no project module (the
 * standard library, an installed package) is not judged: such a module
 * acts on its own state as it loads, not on the project's (a limit,
 * written down there).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ft_pyfunc_int.h"

static int is_file(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* "a.b" -> "a/b" into out; 0, or -1 if it does not fit. */
static int dotted(const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);

	if (n >= cap)
		return -1;
	for (size_t i = 0; i <= n; i++)
		out[i] = name[i] == '.' ? '/' : name[i];
	return 0;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);

	return n > m && s[n - m - 1] == '/' && !memcmp(s + n - m, suffix, m);
}

/* A file of the prelude that is module `rel` ("a/b": ".../a/b.py" or
 * ".../a/b/__init__.py"), or NULL. */
static const char *loaded_abs(const struct ft_pyfiles *pre, const char *rel)
{
	char mod[4096], pkg[4096];

	if ((size_t)snprintf(mod, sizeof(mod), "%s.py", rel) >= sizeof(mod) ||
	    (size_t)snprintf(pkg, sizeof(pkg), "%s/__init__.py", rel) >= sizeof(pkg))
		return NULL;
	for (size_t i = 0; i < pre->n; i++) {
		size_t n = strlen(pre->v[i].path);
		if (ends_with(pre->v[i].path, n, mod) || ends_with(pre->v[i].path, n, pkg))
			return pre->v[i].path;
	}
	return NULL;
}

/* Does some file of the prelude lie in a package or module named `top`
 * (a component "top/" or a file "top.py")? */
static int project_top(const struct ft_pyfiles *pre, const char *top)
{
	char dir[1024], mod[1024];

	if ((size_t)snprintf(dir, sizeof(dir), "/%s/", top) >= sizeof(dir) ||
	    (size_t)snprintf(mod, sizeof(mod), "%s.py", top) >= sizeof(mod))
		return 1;
	for (size_t i = 0; i < pre->n; i++)
		if (strstr(pre->v[i].path, dir) ||
		    ends_with(pre->v[i].path, strlen(pre->v[i].path), mod))
			return 1;
	return 0;
}

/* Is there a module `rel` in `dir` ("dir/rel.py", "dir/rel/__init__.py")? */
static int module_in(const char *dir, const char *rel)
{
	char f[4096];

	if ((size_t)snprintf(f, sizeof(f), "%s/%s.py", dir, rel) >= sizeof(f) || is_file(f))
		return 1;
	return (size_t)snprintf(f, sizeof(f), "%s/%s/__init__.py", dir, rel) >= sizeof(f) ||
	       is_file(f);
}

/* Is module `rel` loaded in the prelude as "dir/rel.py" or
 * "dir/rel/__init__.py" (rel "" : "dir/__init__.py")? */
static int loaded_in(const struct ft_pyfiles *pre, const char *dir, const char *rel)
{
	char f[4096];

	if (!*rel)
		return (size_t)snprintf(f, sizeof(f), "%s/__init__.py", dir) < sizeof(f) &&
		       ft_pyfiles_get(pre, f);
	if ((size_t)snprintf(f, sizeof(f), "%s/%s.py", dir, rel) < sizeof(f) && ft_pyfiles_get(pre, f))
		return 1;
	return (size_t)snprintf(f, sizeof(f), "%s/%s/__init__.py", dir, rel) < sizeof(f) &&
	       ft_pyfiles_get(pre, f);
}

/* 1 if entry `e` of an import in `path` needs a project module the
 * prelude `pre` did not load, else 0. */
static int unloaded(const struct ft_pyfiles *pre, const char *path, const char *e)
{
	int opt = *e == '?';
	const char *name = e + opt, *slash, *last;
	char rel[2048], dir[4096];
	size_t k = 0;

	if (dotted(name, rel, sizeof(rel)) < 0)
		return 1;
	if (*name == '.') {
		/* relative: k dots, from the importer's directory up */
		while (name[k] == '.')
			k++;
		if (!(slash = strrchr(path, '/')) || (size_t)(slash - path) >= sizeof(dir))
			return 1;
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
		for (size_t up = 1; up < k; up++) {
			char *s = strrchr(dir, '/');
			if (!s || s == dir)
				return 1;
			*s = '\0';
		}
		if (loaded_in(pre, dir, rel + k))
			return 0;
		/* not loaded: a module on disk would run now; else it is an
		 * attribute (a "?" name) or an import error, which the
		 * collection of the module reports */
		return *(rel + k) && module_in(dir, rel + k);
	}
	if (loaded_abs(pre, rel))
		return 0;
	if (opt) {
		/* a name of a from-import: a submodule of a loaded package
		 * that is on disk would be imported now */
		const char *pf;
		if (!(last = strrchr(rel, '/')))
			return 0;
		rel[last - rel] = '\0';
		pf = loaded_abs(pre, rel);
		if (!pf || !ends_with(pf, strlen(pf), "__init__.py"))
			return 0;   /* no package (an attribute), or judged by its own entry */
		if ((size_t)(strlen(pf) - strlen("/__init__.py")) >= sizeof(dir))
			return 1;
		memcpy(dir, pf, strlen(pf) - strlen("/__init__.py"));
		dir[strlen(pf) - strlen("/__init__.py")] = '\0';
		return module_in(dir, last + 1);
	}
	/* a module beside the importer or in a directory above it (where
	 * pytest's import modes put directories on sys.path), or one of a
	 * package some project file is in, that the session did not load */
	if (!(slash = strrchr(path, '/')) || (size_t)(slash - path) >= sizeof(dir))
		return 1;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	for (;;) {
		char *s;
		if (module_in(*dir ? dir : "", rel))
			return 1;
		if (!(s = strrchr(dir, '/')))
			break;
		*s = '\0';
		if (!*dir)
			break;
	}
	if ((slash = strchr(rel, '/')))
		rel[slash - rel] = '\0';
	return project_top(pre, rel);
}

const char *ft__pyfunc_unloaded(const struct ft_pyfiles *pre, const char *path, cJSON *entries)
{
	cJSON *e;

	cJSON_ArrayForEach(e, entries)
		if (!cJSON_IsString(e) || unloaded(pre, path, e->valuestring))
			return cJSON_IsString(e) ? e->valuestring : "";
	return NULL;
}
