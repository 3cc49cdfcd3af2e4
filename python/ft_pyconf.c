/*
 * ft_pyconf.c - see ft_pyconf.h.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_pyconf.h"
#include "ft_pyfunc_fpcache.h"
#include "ft_pyhelper.h"
#include "ft_select.h"
#include "ft_spawn.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_py.h"

static int is_candidate(const struct ft_reason *r)
{
	return r->path && r->kind == FT_PYCONF_KIND && r->change == FT_CHANGE_CONTENT;
}

/* The recorded view of (path, value) as a JSON string item in `views`
 * (cached there under "<value>\n<path>"), or NULL if none is recorded. */
static const char *recorded_view(struct ft_store *st, cJSON *views, const char *path, uint64_t value)
{
	char *key, *text = NULL;
	cJSON *v;

	if (asprintf(&key, "%016llx\n%s", (unsigned long long)value, path) < 0)
		return NULL;
	if ((v = cJSON_GetObjectItemCaseSensitive(views, key))) {
		free(key);
		return cJSON_IsString(v) ? v->valuestring : NULL;
	}
	ft_store_pyconf_view(st, path, value, &text);
	v = text ? cJSON_CreateString(text) : cJSON_CreateNull();
	if (v)
		cJSON_AddItemToObject(views, key, v);
	free(text);
	free(key);
	return v && cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The fingerprint cache's key for views (python/ft_pyfunc_fpcache.h):
 * "pyconf", the interpreter, the view tool's size and mtime.  NULL when
 * out of memory. */
static char *views_key(const char *python, const char *tooldir)
{
	static const char *const tool[] = { "ftrace_pyconf.py" };

	return ft_fpcache_key_of("pyconf", python, tooldir, tool, 1);
}

static int is_toml(const char *path)
{
	size_t n = strlen(path);

	return n > 5 && !strcmp(path + n - 5, ".toml");
}

/* The views now of `files` (a JSON array of paths) into *out ({path:
 * view or null}).  A TOML file's view is taken from the fingerprint cache
 * where it has these very bytes: the tool parses TOML with the standard
 * library's tomllib alone, so the view is a function of the bytes and the
 * interpreter, both in the key.  An INI file's view also depends on the
 * iniconfig its interpreter imports, which the key cannot name: never
 * cached.  The view tool (ftrace_pyconf.py in `tooldir`) runs over the
 * rest, if any; the cache keeps what it found for the next call. */
static int current_views(struct ft_store *st, const char *python, const char *tooldir, cJSON *files,
			 cJSON **out, int *ran)
{
	struct ft_fpcache fc = { 0 };
	cJSON *toml = cJSON_CreateArray(), *missing = cJSON_CreateArray(), *fresh = NULL, *e;
	char *key = views_key(python, tooldir);
	struct ft_spawn sp;
	int rc = 0;

	*out = cJSON_CreateObject();
	if (!toml || !missing || !key || !*out) {
		rc = -ENOMEM;
		goto out;
	}
	cJSON_ArrayForEach(e, files) {
		cJSON *s = cJSON_CreateString(e->valuestring);
		if (!s || !cJSON_AddItemToArray(is_toml(e->valuestring) ? toml : missing, s)) {
			cJSON_Delete(s);
			rc = -ENOMEM;
			goto out;
		}
	}
	if ((rc = ft_fpcache_lookup(st, key, toml, *out, missing, &fc)) < 0)
		goto out;
	if (cJSON_GetArraySize(missing) > 0) {
		*ran = 1;
		if ((rc = ft_pyhelper_start(python, tooldir, "ftrace_pyconf", missing, &sp)) < 0 ||
		    (rc = ft_pyhelper_finish(&sp, &fresh)) < 0)
			goto out;
		while ((e = fresh->child)) {
			cJSON_DetachItemViaPointer(fresh, e);
			cJSON_DeleteItemFromObjectCaseSensitive(*out, e->string);
			cJSON_AddItemToObject(*out, e->string, e);
		}
	}
	ft_fpcache_store(st, key, &fc, *out);
out:
	if (rc < 0) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	ft_fpcache_release(&fc);
	cJSON_Delete(fresh);
	cJSON_Delete(missing);
	cJSON_Delete(toml);
	free(key);
	return rc;
}

/* Is `path` named as one of pytest's configuration files: pytest.ini,
 * .pytest.ini, pyproject.toml, tox.ini or setup.cfg? */
static int config_name(const char *path)
{
	static const char *const names[] = {
		"pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg",
	};
	const char *b = strrchr(path, '/');

	b = b ? b + 1 : path;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(b, names[i]))
			return 1;
	return 0;
}

/* Is `name` ("$NAME", an environment dependency's path) a variable whose
 * value pytest's start-up reads as configuration that can change what it
 * collects: options (`--doctest-modules`, `--ignore`, `-p`), plugins
 * (collectors), or whether installed plugins load at all? */
static int config_env(const char *name)
{
	static const char *const names[] = {
		"$PYTEST_ADDOPTS", "$PYTEST_PLUGINS", "$PYTEST_DISABLE_PLUGIN_AUTOLOAD",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

/* Add `path` to the JSON array `files` once.  0 or -ENOMEM. */
static int add_file(cJSON *files, const char *path)
{
	cJSON *e;

	cJSON_ArrayForEach(e, files)
		if (!strcmp(e->valuestring, path))
			return 0;
	return cJSON_AddItemToArray(files, cJSON_CreateString(path)) ? 0 : -ENOMEM;
}

/* Is the view of `path` now (in `now`, when asked) the one recorded for
 * the version `recorded`? */
static int same_view(struct ft_store *st, cJSON *views, cJSON *now, const char *path,
		     uint64_t recorded)
{
	const char *was = views ? recorded_view(st, views, path, recorded) : NULL;
	cJSON *cur = was && now ? cJSON_GetObjectItemCaseSensitive(now, path) : NULL;

	return was && cJSON_IsString(cur) && !strcmp(was, cur->valuestring);
}

/*
 * pytest's collection may have changed: a configuration file a recorded
 * session looked at changed in pytest's part (testpaths, python_files,
 * addopts' --doctest-modules, ...), or appeared (a new pytest.ini is
 * read before pyproject.toml), went or changed type.  The tests it now
 * collects may be ones no run recorded, which no selection can name (a
 * probe of toolz: `testpaths` gained bench/, whose tests then errored,
 * and every recorded test was selected but none of those).  So the
 * selection cannot tell, and says which file.  The same for pytest's
 * variables a session read (config_env): PYTEST_ADDOPTS can name paths,
 * --doctest-modules or a plugin, whatever a file could.
 */
static void collection_check(struct ft_store *st, struct ft_selection *sel, cJSON *views,
			     cJSON *now)
{
	static char why[640];

	for (size_t i = 0, n = ft_select_nchanged(sel); sel->complete && i < n; i++) {
		struct ft_reason c = ft_select_changed(sel, i);
		int which = c.path && ft_dep_base(c.kind) != FT_DEP_ENV && config_name(c.path);

		/* pytest's variables, changed since a session read them
		 * (`PYTEST_ADDOPTS=--doctest-modules` collects doctests no run
		 * recorded): whatever the value, as for a file with no view */
		if (c.path && ft_dep_base(c.kind) == FT_DEP_ENV && config_env(c.path)) {
			snprintf(why, sizeof(why), "pytest's configuration changed (%.200s: %s): it may "
				 "now collect tests that no run recorded, which cannot be named; run the "
				 "whole suite, and record it", c.path, ft_change_name(c.change));
			sel->complete = 0;
			sel->incomplete_why = why;
			continue;
		}

		/* Their content: pytest's part, where a pytest session read
		 * them (its start-up's kind, or a view recorded of that
		 * version: a data file a test reads that happens to be called
		 * setup.cfg or pytest.ini is none), unless the view now is the
		 * same (a comment, a [project] version); any change of
		 * whether or what they are */
		if (!which || (c.change == FT_CHANGE_CONTENT &&
			       ((c.kind != FT_PYCONF_KIND &&
				 !(views && recorded_view(st, views, c.path, c.recorded))) ||
				same_view(st, views, now, c.path, c.recorded))))
			continue;
		snprintf(why, sizeof(why), "pytest's configuration changed (%.400s: %s): it may "
			 "now collect tests that no run recorded, which cannot be named; run the "
			 "whole suite, and record it", c.path, ft_change_name(c.change));
		sel->complete = 0;
		sel->incomplete_why = why;
	}
}

int ft_pyconf_filter(struct ft_store *st, struct ft_selection *sel, const char *python,
		     const char *tooldir, struct ft_pyconf_stats *stats)
{
	cJSON *files = NULL, *views = NULL, *now = NULL;
	size_t o = 0;
	int rc = 0;

	memset(stats, 0, sizeof(*stats));
	if (!sel->complete || !sel->n)
		return 0;
	/* (views: the recorded ones, as looked up; also for the check) */
	if (ft_store_has_table(st, "pyconf_views") && !(views = cJSON_CreateObject())) {
		rc = -ENOMEM;
		goto check;
	}
	if (!tooldir || !views)
		goto check;
	if (!(files = cJSON_CreateArray())) {
		rc = -ENOMEM;
		goto check;
	}
	/* The changed files worth asking about: some reason has a recorded
	 * view to compare with, or one of pytest's config files changed
	 * with one (collection_check). */
	for (size_t i = 0; rc == 0 && i < sel->n; i++) {
		const struct ft_selected *t = &sel->tests[i];
		for (size_t k = 0; rc == 0 && k < t->nreasons; k++) {
			const struct ft_reason *r = &t->reasons[k];
			if (is_candidate(r) && recorded_view(st, views, r->path, r->recorded))
				rc = add_file(files, r->path);
		}
	}
	for (size_t i = 0, n = ft_select_nchanged(sel); rc == 0 && i < n; i++) {
		struct ft_reason c = ft_select_changed(sel, i);
		if (c.path && c.change == FT_CHANGE_CONTENT && config_name(c.path) &&
		    ft_dep_base(c.kind) == FT_DEP_FILE && recorded_view(st, views, c.path, c.recorded))
			rc = add_file(files, c.path);
	}
	if (rc < 0)
		goto check;
	stats->files = (size_t)cJSON_GetArraySize(files);
	if (!stats->files)
		goto check;
	if ((rc = current_views(st, python, tooldir, files, &now, &stats->python_ran)) < 0)
		goto check;
	for (cJSON *e = now->child; e; e = e->next)
		stats->unknown += !cJSON_IsString(e);
	for (size_t i = 0; i < sel->n; i++) {
		struct ft_selected *t = &sel->tests[i];
		/* the reasons belong to the selection (select.c) */
		struct ft_reason *rs = (struct ft_reason *)t->reasons;
		size_t m = 0, had = t->nreasons;

		for (size_t k = 0; k < t->nreasons; k++) {
			if (is_candidate(&rs[k]) && same_view(st, views, now, rs[k].path, rs[k].recorded))
				stats->reasons++;
			else
				rs[m++] = rs[k];
		}
		t->nreasons = m;
		if (!m && had && !t->omitted)
			stats->dropped++;
		else
			sel->tests[o++] = *t;
	}
	sel->n = o;
check:
	/* (with what views could be had: none now on an error, and then
	 * every change of pytest's config files counts) */
	collection_check(st, sel, views, rc < 0 ? NULL : now);
	cJSON_Delete(files);
	cJSON_Delete(views);
	cJSON_Delete(now);
	return rc;
}
