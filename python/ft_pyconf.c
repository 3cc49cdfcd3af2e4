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

/* Run the view tool (ftrace_pyconf.py in `tooldir`) over `files` (a JSON
 * array of paths): its output. */
static int current_views(const char *python, const char *tooldir, cJSON *files, cJSON **out)
{
	struct ft_spawn sp;
	int rc;

	*out = NULL;
	rc = ft_pyhelper_start(python, tooldir, "ftrace_pyconf", files, &sp);
	return rc < 0 ? rc : ft_pyhelper_finish(&sp, out);
}

int ft_pyconf_filter(struct ft_store *st, struct ft_selection *sel, const char *python,
		     const char *tooldir, struct ft_pyconf_stats *stats)
{
	cJSON *files = NULL, *views = NULL, *now = NULL;
	size_t o = 0;
	int rc = 0;

	memset(stats, 0, sizeof(*stats));
	if (!sel->complete || !sel->n || !ft_store_has_table(st, "pyconf_views"))
		return 0;
	if (!(files = cJSON_CreateArray()) || !(views = cJSON_CreateObject())) {
		rc = -ENOMEM;
		goto out;
	}
	/* The changed files worth asking about: some reason has a recorded
	 * view to compare with. */
	for (size_t i = 0; i < sel->n; i++) {
		const struct ft_selected *t = &sel->tests[i];
		for (size_t k = 0; k < t->nreasons; k++) {
			const struct ft_reason *r = &t->reasons[k];
			cJSON *e;
			int seen = 0;
			if (!is_candidate(r) || !recorded_view(st, views, r->path, r->recorded))
				continue;
			cJSON_ArrayForEach(e, files)
				seen |= !strcmp(e->valuestring, r->path);
			if (!seen && !cJSON_AddItemToArray(files, cJSON_CreateString(r->path))) {
				rc = -ENOMEM;
				goto out;
			}
		}
	}
	stats->files = (size_t)cJSON_GetArraySize(files);
	if (!stats->files)
		goto out;
	stats->python_ran = 1;
	if ((rc = current_views(python, tooldir, files, &now)) < 0)
		goto out;
	for (cJSON *e = now->child; e; e = e->next)
		stats->unknown += !cJSON_IsString(e);
	for (size_t i = 0; i < sel->n; i++) {
		struct ft_selected *t = &sel->tests[i];
		/* the reasons belong to the selection (select.c) */
		struct ft_reason *rs = (struct ft_reason *)t->reasons;
		size_t m = 0, had = t->nreasons;

		for (size_t k = 0; k < t->nreasons; k++) {
			const char *was = is_candidate(&rs[k])
				? recorded_view(st, views, rs[k].path, rs[k].recorded) : NULL;
			cJSON *cur = was ? cJSON_GetObjectItemCaseSensitive(now, rs[k].path) : NULL;
			if (was && cJSON_IsString(cur) && !strcmp(was, cur->valuestring))
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
out:
	cJSON_Delete(files);
	cJSON_Delete(views);
	cJSON_Delete(now);
	return rc;
}
