/*
 * pyfunc_tool.c - the fingerprints of the changed .py files now
 * (ft_pyfunc_int.h): from the fingerprint cache (ft_pyfunc_fpcache.h)
 * where it has these very contents, else from one run of the helper
 * (adapters/pytest/ftrace_fingerprint.py through ft_pyhelper.h), whose
 * output format docs/python-sidefiles.md specifies.  A file the helper
 * could not read or parse has no object in x->now: the rules keep every
 * test it selected.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_json.h"
#include "ft_pyfunc_int.h"
#include "ft_pyfunc_names.h"
#include "ft_pyhelper.h"
#include "ft_vec.h"

/* Start the fingerprint tool (ftrace_fingerprint.py, beside `tool`) over
 * `files`; ft_pyhelper_finish() reads its output. */
/* The tool's arguments: "--stdlib", the modules whose names it checks
 * (ftrace_fingerprint._have: those the rootdirs of `files` had loaded from
 * the standard library in every session, comma-joined), then `files`.
 * NULL when out of memory. */
static cJSON *tool_args(const struct ft_selection *sel, cJSON *files)
{
	cJSON *args = cJSON_CreateArray(), *mods = cJSON_CreateArray(), *e;
	char *list = NULL;
	size_t len = 0;
	FILE *f;

	if (!args || !mods)
		goto fail;
	cJSON_ArrayForEach(e, files) {
		const struct ft_pytest_root *root = ft__select_pyroot(sel, e->valuestring);
		for (size_t i = 0; root && root->has_stdlib && i < root->nstdlib; i++)
			if (!ft_json_has_string(mods, root->stdlib[i]))
				cJSON_AddItemToArray(mods, cJSON_CreateString(root->stdlib[i]));
	}
	if (!(f = open_memstream(&list, &len)))
		goto fail;
	cJSON_ArrayForEach(e, mods)
		fprintf(f, "%s%s", e == mods->child ? "" : ",", e->valuestring);
	if (fclose(f) != 0)
		goto fail;
	cJSON_AddItemToArray(args, cJSON_CreateString("--stdlib"));
	cJSON_AddItemToArray(args, cJSON_CreateString(list));
	cJSON_ArrayForEach(e, files)
		cJSON_AddItemToArray(args, cJSON_CreateString(e->valuestring));
	free(list);
	cJSON_Delete(mods);
	return args;
fail:
	free(list);
	cJSON_Delete(mods);
	cJSON_Delete(args);
	return NULL;
}

static int fingerprints_start(const struct ft_selection *sel, const char *python,
			      const char *tool, cJSON *files, struct ft_spawn *sp)
{
	char *dir = strdup(tool), *slash;
	cJSON *args = tool_args(sel, files);
	int rc;

	sp->pid = -1;
	if (!dir || !args) {
		free(dir);
		cJSON_Delete(args);
		return -ENOMEM;
	}
	if ((slash = strrchr(dir, '/')))
		*slash = '\0';
	rc = ft_pyhelper_start(python, slash ? dir : ".", "ftrace_fingerprint", args, sp);
	free(dir);
	cJSON_Delete(args);
	return rc;
}

int ft__pyfunc_fresh_start(struct ctx *x, const char *python, const char *tool)
{
	int rc = 0;

	if (cJSON_GetArraySize(x->files) > 0) {
		x->stats->files = (size_t)cJSON_GetArraySize(x->files);
		/* fingerprints of these very contents computed before, if any
		 * (python/ft_pyfunc_fpcache.h); the tool for the others */
		if (!(x->now = cJSON_CreateObject()) || !(x->missing = cJSON_CreateArray()) ||
		    !(x->fckey = ft_fpcache_key(python, tool)) ||
		    (rc = ft_fpcache_lookup(x->st, x->fckey, x->files, x->now, x->missing, &x->fc)) < 0)
			return rc < 0 ? rc : -ENOMEM;
		x->stats->cached = x->stats->files - (size_t)cJSON_GetArraySize(x->missing);
	}
	if (x->missing && cJSON_GetArraySize(x->missing) > 0) {
		x->stats->python_ran = 1;
		return fingerprints_start(x->sel, python, tool, x->missing, &x->py);
	}
	return 0;
}

int ft__pyfunc_fresh_finish(struct ctx *x)
{
	cJSON *fresh = NULL, *it, *next;
	int rc;

	if (x->py.pid < 0)
		return 0;
	if ((rc = ft_pyhelper_finish(&x->py, &fresh)) < 0)
		return rc;
	for (it = fresh->child; it; it = next) {
		next = it->next;
		cJSON_AddItemToObject(x->now, it->string, cJSON_DetachItemViaPointer(fresh, it));
	}
	cJSON_Delete(fresh);
	x->stored = 1;
	return 0;
}

/* The version at the start of a "std" (sys.version, then more), into
 * `out`: "3.11.7". */
static void std_version(const char *std, char *out, size_t cap)
{
	size_t n = strcspn(std, " \n");

	snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), std);
}

/* Note in x->stats when the fingerprints of `path` now were made by
 * another Python than its rootdir's recorded sessions ran: the AST dump
 * may differ (3.12's type parameters), and a skeleton that differs only
 * so selects more, which the user can mend (FTRACE_PYTHON). */
static void note_std(struct ctx *x, const char *path, const cJSON *names)
{
	const struct ft_pytest_root *root = ft__select_pyroot(x->sel, path);
	const cJSON *std = cJSON_GetObjectItemCaseSensitive(names, "std");

	if (!root || !root->std || !cJSON_IsString(std) || !strcmp(root->std, std->valuestring))
		return;
	std_version(std->valuestring, x->stats->std_now, sizeof(x->stats->std_now));
	std_version(root->std, x->stats->std_then, sizeof(x->stats->std_then));
}

const struct ft_pyfp *ft__pyfunc_fresh(struct ctx *x, const char *path)
{
	struct fresh *f;

	for (size_t i = 0; i < x->nfresh; i++)
		if (!strcmp(x->fresh[i].path, path))
			return x->fresh[i].ok ? &x->fresh[i].fp : NULL;
	if (!(f = ft_vec_grow(x->fresh, &x->capfresh, x->nfresh, sizeof(*x->fresh), 16)))
		return NULL;
	x->fresh = f;
	f = &x->fresh[x->nfresh];
	memset(f, 0, sizeof(*f));
	if (!(f->path = strdup(path)))
		return NULL;
	x->nfresh++;
	f->ok = ft_pyfp_from_json(cJSON_GetObjectItemCaseSensitive(x->now, path), &f->fp) == 0;
	if (f->ok && !x->stats->std_now[0])
		note_std(x, path, f->fp.names);
	return f->ok ? &f->fp : NULL;
}

void ft__pyfunc_fresh_release(struct ctx *x)
{
	for (size_t i = 0; i < x->nfresh; i++) {
		free(x->fresh[i].path);
		ft_pyfp_release(&x->fresh[i].fp);
	}
	free(x->fresh);
	x->fresh = NULL;
	x->nfresh = x->capfresh = 0;
}
