/*
 * runmeta_json.c - a run's metadata between its JSON text (schema versions
 * 1 to 5, and bundles) and struct ft_runmeta (ft_store_runmeta.h).
 *
 * The parse keeps exactly what the readers of versions 1 to 5 looked at
 * (selector/newtests.c, runners/runlists.c before version 6), with the
 * same tests of type: a list is "recorded" only where the value is an
 * array, and only its strings count; a boolean only where it is one.  So
 * text -> struct -> tables -> struct selects what the text did.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ft_error.h"
#include "ft_store_runmeta.h"

static void strv_release(struct ft_runmeta_strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	*s = (struct ft_runmeta_strv){ 0 };
}

/* The strings of `arr` into *s (has: arr is an array).  0 or -ENOMEM. */
static int strv_from(struct ft_runmeta_strv *s, const cJSON *arr)
{
	const cJSON *it;

	if (!(s->has = cJSON_IsArray(arr)))
		return 0;
	if (!(s->v = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*s->v))))
		return -ENOMEM;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it))
			continue;
		if (!(s->v[s->n] = strdup(it->valuestring)))
			return -ENOMEM;
		s->n++;
	}
	return 0;
}

static int bool_of(const cJSON *b)
{
	return cJSON_IsBool(b) ? cJSON_IsTrue(b) : -1;
}

static const cJSON *key(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static int parse_pytest(const cJSON *j, struct ft_runmeta *m)
{
	const cJSON *a = key(j, "adapter"), *r = key(j, "rootdir"), *col = key(j, "collector");
	const cJSON *std = key(col, "std");
	struct ft_runmeta_pytest *p;

	if (!cJSON_IsString(a) || strcmp(a->valuestring, "pytest") || !cJSON_IsString(r) ||
	    r->valuestring[0] != '/')
		return 0; /* no reader looked further */
	if (!(p = m->pytest = calloc(1, sizeof(*p))) || !(p->rootdir = strdup(r->valuestring)))
		return -ENOMEM;
	p->collector = cJSON_IsObject(col);
	p->plain = cJSON_IsTrue(key(col, "plain"));
	p->doctest_modules = bool_of(key(col, "doctest_modules"));
	p->pyplain = bool_of(key(col, "pyplain"));
	if (cJSON_IsString(std) && !(p->std = strdup(std->valuestring)))
		return -ENOMEM;
	if (strv_from(&p->python_files, key(j, "python_files")) < 0 ||
	    strv_from(&p->norecursedirs, key(j, "norecursedirs")) < 0 ||
	    strv_from(&p->doctest_glob, key(col, "doctest_glob")) < 0 ||
	    strv_from(&p->python_functions, key(col, "python_functions")) < 0 ||
	    strv_from(&p->python_classes, key(col, "python_classes")) < 0 ||
	    strv_from(&p->loaded, key(col, "loaded")) < 0 ||
	    strv_from(&p->stdlib, key(col, "stdlib")) < 0 ||
	    strv_from(&p->noted, key(col, "noted")) < 0 ||
	    strv_from(&p->options, key(j, "options")) < 0 ||
	    strv_from(&p->args, key(j, "args")) < 0)
		return -ENOMEM;
	return 0;
}

/* One "runners" entry: 0, 1 when it is not well formed, -ENOMEM. */
static int parse_runner(const cJSON *e, struct ft_runmeta_runner *r)
{
	const cJSON *k = key(e, "runner"), *d = key(e, "dir"), *a = key(e, "args"), *x;

	if (!cJSON_IsString(k) || !cJSON_IsString(d) || d->valuestring[0] != '/' || !cJSON_IsArray(a))
		return 1;
	cJSON_ArrayForEach(x, a)
		if (!cJSON_IsString(x))
			return 1;
	if (!(r->runner = strdup(k->valuestring)) || !(r->dir = strdup(d->valuestring)) ||
	    strv_from(&r->args, a) < 0 || strv_from(&r->own_files, key(e, "own_files")) < 0)
		return -ENOMEM;
	return 0;
}

static void runners_release(struct ft_runmeta *m)
{
	for (size_t i = 0; i < m->nrunners; i++) {
		struct ft_runmeta_runner *r = &m->runners[i];
		free(r->runner);
		free(r->dir);
		strv_release(&r->args);
		strv_release(&r->own_files);
	}
	free(m->runners);
	m->runners = NULL;
	m->nrunners = 0;
}

static int parse_runners(const cJSON *j, struct ft_runmeta *m)
{
	const cJSON *rs = key(j, "runners"), *e;
	int rc = 0;

	if (!rs)
		return 0;
	if (!cJSON_IsArray(rs))
		return 1;
	if (!(m->runners = calloc((size_t)cJSON_GetArraySize(rs) + 1, sizeof(*m->runners))))
		return -ENOMEM;
	cJSON_ArrayForEach(e, rs) {
		rc = parse_runner(e, &m->runners[m->nrunners++]);
		if (rc)
			return rc;
	}
	return 0;
}

/* The import mark: {"machine": "..."} (anything else in it ignored; a
 * mark that is not an object is no mark).  0 or -ENOMEM. */
static int parse_imported(const cJSON *j, struct ft_runmeta *m)
{
	const cJSON *mark = key(j, FT_STORE_IMPORT_KEY), *mach = key(mark, "machine");

	if (!cJSON_IsObject(mark))
		return 0;
	m->imported = strdup(cJSON_IsString(mach) ? mach->valuestring : "");
	return m->imported ? 0 : -ENOMEM;
}

int ft_runmeta_parse(const char *json, struct ft_runmeta *m, int strict)
{
	cJSON *j;
	int64_t id = m->run_id;
	int rc;

	ft_runmeta_release(m);
	m->run_id = id;
	if (!json || !(j = cJSON_Parse(json)))
		return FT_EFORMAT;
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return FT_EFORMAT;
	}
	if ((rc = parse_pytest(j, m)) == 0 && (rc = parse_imported(j, m)) == 0 &&
	    (rc = parse_runners(j, m)) == 1) {
		/* not well formed: no runner list is read from it */
		runners_release(m);
		m->runners_bad = 1;
		rc = strict ? FT_EFORMAT : 0;
	}
	cJSON_Delete(j);
	if (rc < 0) {
		ft_runmeta_release(m);
		m->run_id = id;
	}
	return rc;
}

/* s as the array `name` of o, where it was recorded.  0 or -ENOMEM. */
static int put_strv(cJSON *o, const char *name, const struct ft_runmeta_strv *s)
{
	cJSON *a;

	if (!s->has)
		return 0;
	if (!(a = cJSON_AddArrayToObject(o, name)))
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		cJSON *x = cJSON_CreateString(s->v[i]);
		if (!x || !cJSON_AddItemToArray(a, x)) {
			cJSON_Delete(x);
			return -ENOMEM;
		}
	}
	return 0;
}

static int put_bool(cJSON *o, const char *name, int b)
{
	return b < 0 || cJSON_AddBoolToObject(o, name, b) ? 0 : -ENOMEM;
}

static int put_pytest(cJSON *j, const struct ft_runmeta_pytest *p)
{
	cJSON *col;

	if (!cJSON_AddStringToObject(j, "adapter", "pytest") ||
	    !cJSON_AddStringToObject(j, "rootdir", p->rootdir) ||
	    put_strv(j, "python_files", &p->python_files) < 0 ||
	    put_strv(j, "norecursedirs", &p->norecursedirs) < 0 ||
	    put_strv(j, "options", &p->options) < 0 || put_strv(j, "args", &p->args) < 0)
		return -ENOMEM;
	if (!p->collector)
		return 0;
	if (!(col = cJSON_AddObjectToObject(j, "collector")) ||
	    !cJSON_AddBoolToObject(col, "plain", p->plain) ||
	    put_bool(col, "doctest_modules", p->doctest_modules) < 0 ||
	    put_strv(col, "doctest_glob", &p->doctest_glob) < 0 ||
	    put_bool(col, "pyplain", p->pyplain) < 0 ||
	    put_strv(col, "python_functions", &p->python_functions) < 0 ||
	    put_strv(col, "python_classes", &p->python_classes) < 0 ||
	    put_strv(col, "loaded", &p->loaded) < 0 || put_strv(col, "stdlib", &p->stdlib) < 0 ||
	    put_strv(col, "noted", &p->noted) < 0 ||
	    (p->std && !cJSON_AddStringToObject(col, "std", p->std)))
		return -ENOMEM;
	return 0;
}

static int put_runners(cJSON *j, const struct ft_runmeta *m)
{
	cJSON *rs = cJSON_AddArrayToObject(j, "runners");

	if (!rs)
		return -ENOMEM;
	for (size_t i = 0; i < m->nrunners; i++) {
		const struct ft_runmeta_runner *r = &m->runners[i];
		cJSON *e = cJSON_CreateObject();

		if (!e || !cJSON_AddItemToArray(rs, e)) {
			cJSON_Delete(e);
			return -ENOMEM;
		}
		if (put_strv(e, "args", &r->args) < 0 || !cJSON_AddStringToObject(e, "runner", r->runner) ||
		    !cJSON_AddStringToObject(e, "dir", r->dir) || put_strv(e, "own_files", &r->own_files) < 0)
			return -ENOMEM;
	}
	return 0;
}

int ft_runmeta_json(const struct ft_runmeta *m, char **out)
{
	cJSON *j;
	int rc = 0;

	*out = NULL;
	if (!m->pytest && !m->nrunners && !m->imported)
		return 0;
	if (!(j = cJSON_CreateObject()))
		return -ENOMEM;
	if (m->imported) {
		cJSON *mark = cJSON_AddObjectToObject(j, FT_STORE_IMPORT_KEY);
		if (!mark || !cJSON_AddStringToObject(mark, "machine", m->imported))
			rc = -ENOMEM;
	}
	if (rc == 0 && m->pytest)
		rc = put_pytest(j, m->pytest);
	if (rc == 0 && m->nrunners)
		rc = put_runners(j, m);
	if (rc == 0 && !(*out = cJSON_PrintUnformatted(j)))
		rc = -ENOMEM;
	cJSON_Delete(j);
	return rc;
}

void ft_runmeta_release(struct ft_runmeta *m)
{
	struct ft_runmeta_pytest *p = m->pytest;

	if (p) {
		free(p->rootdir);
		free(p->std);
		strv_release(&p->python_files);
		strv_release(&p->norecursedirs);
		strv_release(&p->doctest_glob);
		strv_release(&p->python_functions);
		strv_release(&p->python_classes);
		strv_release(&p->loaded);
		strv_release(&p->stdlib);
		strv_release(&p->noted);
		strv_release(&p->options);
		strv_release(&p->args);
		free(p);
	}
	runners_release(m);
	free(m->imported);
	*m = (struct ft_runmeta)FT_RUNMETA_INIT;
}
