/*
 * pyfunc_reexport.c - the re-export rule (docs/python-functions.md,
 * "Re-exports"): a changed module-level name that another project module
 * imports into its own namespace (`from f import n as a`, recorded as the
 * key "@>N\tA\tG", ft_pymodel.h) can reach a test through that module.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "ft_json.h"
#include "ft_pyfunc_int.h"
#include "ft_pyfunc_names.h"
#include "ft_pymodel.h"
#include "ft_state.h"
#include "ft_store_py.h"

/* Does a statement of `fresh` (its "names": {"stmts": ...}) bind `name`? */
static int bound_now(const struct ft_pyfp *fresh, const char *name)
{
	cJSON *st;

	cJSON_ArrayForEach(st, cJSON_GetObjectItem(fresh->names, "stmts"))
		if (ft_json_has_string(cJSON_GetArrayItem(st, 2), name))
			return 1;
	return 0;
}

static int forward_sees(struct ctx *x, const char *test, const struct cand *c, const char *g,
			const char *a, int depth);

/* Does a qualname (or read key) of `quals` count for body key `key`
 * (ft_pykey_body_next: any of its cuts; a key too long to hold counts)? */
static int runs_key(const struct ft_pystrs *quals, const char *key)
{
	char k[4096];

	for (size_t i = 0; quals && i < quals->n; i++) {
		size_t pos = 0;
		int r;
		while ((r = ft_pykey_body_next(quals->v[i], &pos, k, sizeof(k))) != 0)
			if (r < 0 || !strcmp(k, key))
				return 1;
	}
	return 0;
}

/* Can test `test` see a changed name of a file through the re-exports
 * among `keys` (prelude keys of that file; docs/python-functions.md,
 * "Re-exports")?  1 if it may: a re-export of a name in `names` that
 * `fresh` (the file now) binds no more (the importer's from-import would
 * fail), or one forward_sees() says the test may see. */
int ft__pyfunc_forwards_see(struct ctx *x, const char *test, const struct cand *c,
			    const struct ft_pystrs *keys, cJSON *names,
			    const struct ft_pyfp *fresh, int depth)
{
	struct ft_pyforward f;

	for (size_t i = 0; keys && i < keys->n; i++) {
		if (ft_pykey_kind(keys->v[i]) != FT_PYKEY_FORWARD)
			continue;
		if (!ft_pykey_forward(keys->v[i], &f))
			return 1;
		if (!ft_json_has_string(names, f.name))
			continue;
		if ((fresh && !bound_now(fresh, f.name)) ||
		    forward_sees(x, test, c, f.importer, f.alias, depth))
			return 1;
	}
	return 0;
}

/* Can test `test` see name `a` of project module `g`, which g's own
 * top-level code bound by a from-import of a changed name (a re-export)?
 * 0 only when g is unchanged for the test, g's top-level statements
 * mention `a` in that statement only (or in a plain assignment's strings,
 * `__all__`'s) and never read their namespace as a whole, and no code that can see g's `a` ran or read it: g's functions
 * whose code mentions `a` (its "refs"), in the test or in a prelude; a
 * read of g's `a` or whole namespace, or g's body run, in the test; a
 * read of them in a prelude, but through a further re-export, which is
 * followed the same way (4 deep).  A test of the test module g is kept
 * (pytest's collector reads all of g's names), as is a test whose own
 * processes touched g.  Not narrowed without every read of g's names seen
 * ("@+" or "@%", no "@-"; "@+__" too for a dunder `a`, "@+__2" for `__all__`) or g's
 * fingerprints of the version the test saw. */
static int forward_sees(struct ctx *x, const char *test, const struct cand *c, const char *g,
			const char *a, int depth)
{
	const struct ft_pystrs *mine = ft_pyfiles_get(&c->funcs, g);
	const struct ft_pystrs *pre = ft_pyfiles_get(c->prelude, g);
	struct ft_pystrs vpre_keys = { 0 };
	const struct ft_pystrs *vpre = NULL; /* the prelude of g's version */
	cJSON *names = NULL, *st, *r;
	struct ft_store_pyfunc_fps row;
	char at[4100];
	int64_t value;
	int sees = 1, count = 0;

	if (depth > 4 || ft_pystrs_has(&c->files, g) || ft_pystrs_has(&c->own, g) ||
	    (c->file && !strcmp(c->file, g)) ||
	    !ft_pykey_name_read(a, at, sizeof(at)) ||
	    ft_pystrs_has(mine, at) || ft_pystrs_has(mine, FT_PYKEY_S_ALL) ||
	    ft_pystrs_has(mine, FT_PYKEY_S_MODULE))
		return 1;
	if (!pre && !mine)
		return 0;   /* g was made in no prelude of the test's session, nor in the test */
	if ((!ft_pystrs_has(pre, FT_PYKEY_S_SEEN) && !ft_pystrs_has(pre, FT_PYKEY_S_TMOD)) ||
	    ft_pystrs_has(pre, FT_PYKEY_S_UNSEEN) || ft_pystrs_has(pre, at) ||
	    ft_pystrs_has(pre, FT_PYKEY_S_ALL) ||
	    (ft_pyname_is_dunder(a) && !ft_pystrs_has(pre, FT_PYKEY_S_DUNDERS)) ||
	    (ft_pyname_is_dunder2(a) && !ft_pystrs_has(pre, FT_PYKEY_S_DUNDERS2)))
		return 1;
	switch (ft__pyfunc_seen_value(x, test, g, &value)) {
	case 0:
		break;
	case 2:
		/* g is not in the test's import closure: it ran none of g's
		 * code (mine is NULL) and read none of g's names; what a
		 * prelude ran of g, beyond its body, may hold `a` (a docstring
		 * or annotations read runs none of g's code, nor does a class
		 * body: g's import runs it, as it runs g's module body, a
		 * unittest TestCase's in every test module) */
		if (!mine) {
			if (ft__pyfunc_ran_code(x, pre, g))
				return 1;
			goto further;
		}
		return 1;
	default:
		return 1;
	}
	if (ft_store_pyfunc_fps_get(x->r, g, value, &row) > 0) {
		if (row.names) {
			names = cJSON_Parse(row.names);
			if (ft_pystrs_parse(row.prelude, &vpre_keys) == 0)
				vpre = &vpre_keys;
		}
		ft_store_pyfunc_fps_clear(&row);
	}
	if (!cJSON_IsObject(names) || !vpre)
		goto out;
	cJSON_ArrayForEach(st, cJSON_GetObjectItem(names, "stmts")) {
		cJSON *bind = cJSON_GetArrayItem(st, 2), *ment = cJSON_GetArrayItem(st, 3);
		const char *kind = cJSON_GetStringValue(cJSON_GetArrayItem(st, 1));
		if (ft_json_has_string(ment, "*"))
			goto out;
		/* a plain assignment's value is constants only: what it
		 * mentions are the words of its strings (`__all__ = ["a"]`),
		 * which reach g's `a` only through a read of g's names (noted:
		 * a star import's too) or g's code reading its namespace */
		count += ft_json_has_string(bind, a) ||
			 (ft_json_has_string(ment, a) && !(kind && !strcmp(kind, "assign")));
	}
	if (count != 1 || ft_pystrs_has(vpre, at) || ft_pystrs_has(vpre, FT_PYKEY_S_ALL))
		goto out;
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(names, "refs")) {
		if ((ft_json_has_string(r, a) || ft_json_has_string(r, "*")) &&
		    (runs_key(mine, r->string) || runs_key(pre, r->string) || runs_key(vpre, r->string)))
			goto out;
	}
further:
	{
		cJSON *one = cJSON_CreateArray();
		if (!one || !cJSON_AddItemToArray(one, cJSON_CreateString(a)))
			sees = 1;
		else
			sees = ft__pyfunc_forwards_see(x, test, c, pre, one, NULL, depth + 1) ||
			       ft__pyfunc_forwards_see(x, test, c, vpre, one, NULL, depth + 1);
		cJSON_Delete(one);
	}
out:
	cJSON_Delete(names);
	ft_pystrs_release(&vpre_keys);
	return sees;
}
