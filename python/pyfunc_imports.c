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

#include "ft_json.h"
#include "ft_pyfunc_int.h"
#include "ft_pyfunc_names.h"
#include "ft_store_py.h"

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
 * ".../a/b/__init__.py"): the first, or with `unique` the only one (NULL
 * when two could be it); NULL if none. */
static const char *module_match(const struct ft_pyfiles *pre, const char *rel, int unique)
{
	char mod[4096], pkg[4096];
	const char *found = NULL;

	if ((size_t)snprintf(mod, sizeof(mod), "%s.py", rel) >= sizeof(mod) ||
	    (size_t)snprintf(pkg, sizeof(pkg), "%s/__init__.py", rel) >= sizeof(pkg))
		return NULL;
	for (size_t i = 0; i < pre->n; i++) {
		size_t n = strlen(pre->v[i].path);
		if (!ends_with(pre->v[i].path, n, mod) && !ends_with(pre->v[i].path, n, pkg))
			continue;
		if (found || !unique)
			return found ? NULL : pre->v[i].path;
		found = pre->v[i].path;
	}
	return found;
}

static const char *loaded_abs(const struct ft_pyfiles *pre, const char *rel)
{
	return module_match(pre, rel, 0);
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

/* The prelude's own copy of path `f`, or NULL if it holds none. */
static const char *prelude_path(const struct ft_pyfiles *pre, const char *f)
{
	for (size_t i = 0; i < pre->n; i++)
		if (!strcmp(pre->v[i].path, f))
			return pre->v[i].path;
	return NULL;
}

const char *ft__pyfunc_module_file(const struct ft_pyfiles *pre, const char *path,
				   const char *module)
{
	char rel[2048], dir[4096], f[4096];
	const char *slash;
	size_t k = 0;

	if (dotted(module, rel, sizeof(rel)) < 0)
		return NULL;
	if (*module != '.')
		return module_match(pre, rel, 1);
	/* relative: k dots, from the importer's directory up */
	while (module[k] == '.')
		k++;
	if (!(slash = strrchr(path, '/')) || (size_t)(slash - path) >= sizeof(dir))
		return NULL;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	for (size_t up = 1; up < k; up++) {
		char *s = strrchr(dir, '/');
		if (!s || s == dir)
			return NULL;
		*s = '\0';
	}
	if (!rel[k])
		return (size_t)snprintf(f, sizeof(f), "%s/__init__.py", dir) < sizeof(f)
			       ? prelude_path(pre, f) : NULL;
	if ((size_t)snprintf(f, sizeof(f), "%s/%s.py", dir, rel + k) < sizeof(f) &&
	    prelude_path(pre, f))
		return prelude_path(pre, f);
	return (size_t)snprintf(f, sizeof(f), "%s/%s/__init__.py", dir, rel + k) < sizeof(f)
		       ? prelude_path(pre, f) : NULL;
}

/* Is `kind` a statement's that binds its names plainly and runs no code
 * that could unbind another (ft_pyfunc_names.h)?  Not a unittest TestCase
 * ("tclass"): a test module that imports one gets tests of it, whatever
 * its name. */
static int plain_binder(const char *kind)
{
	return ft_pyfunc_names_is_def(kind) || ft_pyfunc_names_is_assign(kind) ||
	       !strcmp(kind, "class");
}

/* Is `name` an attribute of the module of `file` once its import is done,
 * as the version the session loaded binds it: one plain statement (a
 * function, a class or an assignment, which the fingerprint tool calls
 * plain only when no other statement and no body's `global` binds the
 * name) binds it, no statement of another kind mentions it (a `del`, a
 * conditional binding), none reads or writes the namespace as a whole,
 * and no function of the module whose code names it ran outside tests
 * (the version's recorded prelude: a `global name` there could rebind or
 * delete it)?  Then `from M import name` runs no code and cannot fail.  The
 * file must be unchanged (no test's recorded version differs from now),
 * so the one version every test recorded is the one the session loaded
 * and the one there now.  NULL if so, else why not (static text). */
static const char *attr_bound(struct ctx *x, const char *file, const char *name)
{
	const struct seenpath *sp;
	struct ft_store_pyfunc_fps row;
	cJSON *names = NULL, *ran = NULL, *st;
	int binders = 0, ok = 1;

	if (ft_json_has_string(x->files, file))
		return "skeleton changed: a from-import gained or lost a name of a module that changed";
	if (!(sp = ft__pyfunc_seen_all(x, file)) || sp->nvals != 1)
		return "skeleton changed: a from-import gained or lost a name of a module whose recorded "
		       "version is not one";
	if (ft_store_pyfunc_fps_get(x->r, file, sp->vals[0], &row) > 0) {
		names = row.names ? cJSON_Parse(row.names) : NULL;
		ran = row.prelude ? cJSON_Parse(row.prelude) : NULL;
		ft_store_pyfunc_fps_clear(&row);
	}
	if (!names || !cJSON_IsArray(ran)) {
		cJSON_Delete(names);
		cJSON_Delete(ran);
		return "skeleton changed: a from-import gained or lost a name of a module without "
		       "fingerprints";
	}
	/* a function of the module that ran outside tests (at its import, in
	 * collection) and whose code names it may have rebound or deleted it
	 * (`global name`), which no statement shows */
	cJSON_ArrayForEach(st, ran) {
		cJSON *r = cJSON_IsString(st) ? cJSON_GetObjectItemCaseSensitive(
						    cJSON_GetObjectItem(names, "refs"), st->valuestring)
					      : NULL;
		if (!cJSON_IsString(st) || ft_json_has_string(r, name) || ft_json_has_string(r, "*"))
			ok = 0;
	}
	cJSON_Delete(ran);
	cJSON_ArrayForEach(st, cJSON_GetObjectItem(names, "stmts")) {
		cJSON *k = cJSON_GetArrayItem(st, 1), *bind = cJSON_GetArrayItem(st, 2);
		cJSON *ment = cJSON_GetArrayItem(st, 3);
		int plain = cJSON_IsString(k) && plain_binder(k->valuestring);
		if (!cJSON_IsString(k) || ft_json_has_string(ment, "*"))
			ok = 0;
		else if (ft_json_has_string(bind, name))
			ok = ok && plain && !binders++;
		else if (ft_json_has_string(ment, name) || ft_json_has_string(bind, "*"))
			ok = ok && plain;
	}
	cJSON_Delete(names);
	return ok && binders == 1 ? NULL
				  : "skeleton changed: a from-import gained or lost a name its module does not "
				    "bind by one plain statement";
}

const char *ft__pyfunc_attrs_unsure(struct ctx *x, const struct fpver *v,
				    const struct ft_pyfiles *pre)
{
	cJSON *e;

	cJSON_ArrayForEach(e, v->attrs) {
		const char *entry = e->valuestring, *dot, *file, *why;
		char module[2048];
		size_t ml;
		if (!cJSON_IsString(e) || entry[0] != '?' || !(dot = strrchr(entry, '.')))
			return "skeleton changed: a from-import gained or lost a name (unreadable)";
		/* "?M.a", or "?.a" / "?..a" (M only dots: its dots stay) */
		ml = (size_t)(dot - entry - 1) + (dot[-1] == '.' || dot == entry + 1);
		if (ml == 0 || ml >= sizeof(module))
			return "skeleton changed: a from-import gained or lost a name (unreadable)";
		memcpy(module, entry + 1, ml);
		module[ml] = '\0';
		if (!(file = ft__pyfunc_module_file(pre, v->path, module)))
			return "skeleton changed: a from-import gained or lost a name of a module the session "
			       "did not load from one known file";
		if ((why = attr_bound(x, file, dot + 1)))
			return why;
	}
	return NULL;
}
