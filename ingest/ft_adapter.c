/*
 * ft_adapter.c - see ft_adapter.h.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_adapter.h"
#include "ft_path.h"
#include "ft_file.h"

int ft_adapter_list_push(struct ft_adapter_list *l, uint32_t v)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 4;
		uint32_t *nv = realloc(l->v, ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n++] = v;
	return 0;
}

static int list_add(struct ft_adapter_list *l, uint32_t v)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == v)
			return 0;
	return ft_adapter_list_push(l, v);
}

/* Room in *v (*cap lists, zeroed when new) for list `idx`. */
static int lists_reserve(struct ft_adapter_list **v, size_t *cap, uint32_t idx)
{
	size_t ncap = *cap ? *cap * 2 : 256;
	struct ft_adapter_list *nv;

	if (idx < *cap)
		return 0;
	while (ncap <= idx)
		ncap *= 2;
	if (!(nv = realloc(*v, ncap * sizeof(*nv))))
		return -ENOMEM;
	memset(nv + *cap, 0, (ncap - *cap) * sizeof(*nv));
	*v = nv;
	*cap = ncap;
	return 0;
}

static int add_closure(struct ft_adapter *a, uint32_t module, const char *path)
{
	uint32_t idx;
	int added, rc;

	rc = ft_map_intern(&a->cpaths, path, strlen(path), &idx, &added);
	if (rc < 0 || (rc = lists_reserve(&a->owners, &a->owners_cap, idx)) < 0)
		return rc;
	return list_add(&a->owners[idx], module);
}

static int add_test(struct ft_adapter *a, const char *id, const char *file, int64_t ns)
{
	uint32_t idx, mod = UINT32_MAX;
	int added, rc;

	rc = ft_map_intern(&a->tests, id, strlen(id), &idx, &added);
	if (rc < 0)
		return rc;
	if (idx >= a->tests_cap) {
		size_t ncap = a->tests_cap ? a->tests_cap * 2 : 256;
		uint32_t *nm;
		int64_t *nn;
		char **nf;
		while (ncap <= idx)
			ncap *= 2;
		nm = realloc(a->test_module, ncap * sizeof(*nm));
		if (!nm)
			return -ENOMEM;
		a->test_module = nm;
		nf = realloc(a->test_file, ncap * sizeof(*nf));
		if (!nf)
			return -ENOMEM;
		memset(nf + a->tests_cap, 0, (ncap - a->tests_cap) * sizeof(*nf));
		a->test_file = nf;
		nn = realloc(a->test_ns, ncap * sizeof(*nn));
		if (!nn)
			return -ENOMEM;
		a->test_ns = nn;
		a->tests_cap = ncap;
	}
	if (file)
		ft_map_get(&a->modules, file, strlen(file), &mod);
	a->test_module[idx] = mod;
	if (!added)
		free(a->test_file[idx]);
	a->test_file[idx] = file ? strdup(file) : NULL;
	a->test_ns[idx] = ns;
	return 0;
}

static int collected_key(const char *file, const char *id, char **key, size_t *len)
{
	size_t fl = strlen(file), il = strlen(id);

	if (!(*key = malloc(fl + 1 + il)))
		return -ENOMEM;
	memcpy(*key, file, fl + 1);
	memcpy(*key + fl + 1, id, il);
	*len = fl + 1 + il;
	return 0;
}

static int add_collected(struct ft_adapter *a, const char *file, const char *id)
{
	uint32_t dummy;
	size_t len;
	char *key;
	int rc = collected_key(file, id, &key, &len);

	if (rc < 0)
		return rc;
	rc = ft_map_intern(&a->collected_ids, key, len, &dummy, NULL);
	free(key);
	return rc;
}

/* meta (taken) becomes a->meta_json where `ok` (its edits succeeded).
 * 0 or -ENOMEM. */
static int meta_put(struct ft_adapter *a, cJSON *meta, int ok)
{
	char *json = ok ? cJSON_PrintUnformatted(meta) : NULL;

	cJSON_Delete(meta);
	if (!json)
		return -ENOMEM;
	free(a->meta_json);
	a->meta_json = json;
	return 0;
}

/*
 * A list `key` of a later session's side file (`theirs`) against the
 * first session's in a->meta_json: kept where they are equal; where they
 * differ, replaced by `mixed` (a list no command line has: which tests
 * had which is not kept).  Where the first session had none: `theirs`
 * with take_missing, else `mixed`.  A later session without the list
 * changes nothing with take_missing (an xdist worker's "invocation_args").
 * Used for "options" (selector/pipeline_options.c compares them) and
 * "invocation_args", kept as "args" (runners/ft_pytest_deselect.h).
 */
static int list_agrees(struct ft_adapter *a, const char *key, const cJSON *theirs,
		       int take_missing, const char *const *mixed)
{
	cJSON *meta, *mine, *list;
	int ok = 1;

	if (take_missing && !cJSON_IsArray(theirs))
		return 0;
	if (!(meta = cJSON_Parse(a->meta_json)))
		return -ENOMEM;
	mine = cJSON_GetObjectItem(meta, key);
	if (cJSON_IsArray(mine) && cJSON_IsArray(theirs) && cJSON_Compare(mine, theirs, 1)) {
		cJSON_Delete(meta);
		return 0;
	}
	if (!mine && take_missing) {
		ok = cJSON_AddItemToObject(meta, key, cJSON_Duplicate(theirs, 1));
	} else {
		cJSON_DeleteItemFromObject(meta, key);
		ok = (list = cJSON_AddArrayToObject(meta, key)) != NULL;
		for (size_t i = 0; ok && mixed[i]; i++)
			ok = cJSON_AddItemToArray(list, cJSON_CreateString(mixed[i]));
	}
	return meta_put(a, meta, ok);
}

static const char *const options_mixed[] = { "?mixed", NULL };
static const char *const args_mixed[] = { "\x1e", "mixed", NULL };

/* Every side file of the run (xdist: one per worker) must describe the same
 * collector; if one differs, the run's "collector" becomes {"plain":false}:
 * no listing is neutral for the names a collector ignores. */
static int collector_agrees(struct ft_adapter *a, const cJSON *col)
{
	cJSON *meta = cJSON_Parse(a->meta_json), *mine;

	if (!meta)
		return -ENOMEM;
	mine = cJSON_GetObjectItem(meta, "collector");
	if ((!mine && !col) || (mine && col && cJSON_Compare(mine, col, 1))) {
		cJSON_Delete(meta);
		return 0;
	}
	cJSON_DeleteItemFromObject(meta, "collector");
	return meta_put(a, meta, (mine = cJSON_AddObjectToObject(meta, "collector")) &&
				 cJSON_AddFalseToObject(mine, "plain"));
}

const char *ft_adapter_pair_key(char *buf, size_t size, const char *id, size_t len,
				const char *user, size_t ulen, size_t *klen)
{
	if (len >= size || ulen > size - len - 1)
		return NULL;
	memcpy(buf, id, len);
	buf[len] = '\0';
	memcpy(buf + len + 1, user, ulen);
	*klen = len + 1 + ulen;
	return buf;
}

/* One side file's "leaky_env" {"tests": {L: [NAME, ...]}} for leaky test
 * L: L waits for ft_adapter_env_scope if its value is a list of strings,
 * the variables it changed; else 0 (L is wide). */
static int add_env(struct ft_adapter *a, const char *id, const cJSON *env)
{
	const cJSON *tests = cJSON_IsObject(env) ? cJSON_GetObjectItemCaseSensitive(env, "tests") : NULL;
	const cJSON *names = cJSON_IsObject(tests) ? cJSON_GetObjectItemCaseSensitive(tests, id) : NULL;
	size_t len = strlen(id), klen;
	char key[8192];
	const cJSON *n;
	uint32_t dummy;
	int rc;

	if (!cJSON_IsArray(names) || !cJSON_GetArraySize(names))
		return 0;
	cJSON_ArrayForEach(n, names) {
		if (!cJSON_IsString(n) || !n->valuestring[0] ||
		    !ft_adapter_pair_key(key, sizeof(key), id, len, n->valuestring, strlen(n->valuestring), &klen))
			return 0;
	}
	cJSON_ArrayForEach(n, names) {
		ft_adapter_pair_key(key, sizeof(key), id, len, n->valuestring, strlen(n->valuestring), &klen);
		if ((rc = ft_map_intern(&a->leaky_env, key, klen, &dummy, NULL)) < 0)
			return rc;
	}
	if ((rc = ft_map_intern(&a->env_pending, id, len, &dummy, NULL)) < 0)
		return rc;
	return 1;
}

/* One side file's "leaky_scoped" {L: [U, ...]} for its leaky test L: L is
 * scoped if its value is a list of strings, each U a user; L waits for
 * ft_adapter_env_scope if its "leaky_env" names it; else (no such entry,
 * a malformed one) L is wide. */
static int add_scope(struct ft_adapter *a, const char *id, const cJSON *scoped, const cJSON *env)
{
	const cJSON *users = cJSON_IsObject(scoped) ? cJSON_GetObjectItemCaseSensitive(scoped, id) : NULL;
	size_t len = strlen(id);
	const cJSON *u;
	uint32_t dummy;
	int rc;

	if (!cJSON_IsArray(users)) {
		if ((rc = add_env(a, id, env)) != 0)
			return rc < 0 ? rc : 0;
		return ft_map_intern(&a->leaky_wide, id, len, &dummy, NULL);
	}
	cJSON_ArrayForEach(u, users) {
		if (!cJSON_IsString(u))
			return ft_map_intern(&a->leaky_wide, id, len, &dummy, NULL);
	}
	cJSON_ArrayForEach(u, users) {
		if ((rc = ft_adapter_user_add(a, id, len, u->valuestring, strlen(u->valuestring))) < 0)
			return rc;
	}
	return ft_map_intern(&a->leaky_scoped, id, len, &dummy, NULL);
}

/* The side file's "leaky": the tests its state guard found leaving state
 * behind, and its "leaky_scoped", those whose dependencies go to some
 * tests only.  No such list (an older adapter, a guard that did not run):
 * any pytest test may be (ft_adapter_is_leaky), and none is scoped.  A
 * broken side file scopes none. */
static int add_leaky(struct ft_adapter *a, const cJSON *list, const cJSON *scoped, const cJSON *env)
{
	const cJSON *t, *imp = cJSON_IsObject(env) ? cJSON_GetObjectItem(env, "importers") : NULL;
	uint32_t dummy;
	int rc;

	if (!cJSON_IsArray(list)) {
		a->leaky_unknown = 1;
		return 0;
	}
	if (env && !cJSON_IsArray(imp))
		a->env_importers_unknown = 1;
	cJSON_ArrayForEach(t, imp) {
		if (!cJSON_IsString(t))
			a->env_importers_unknown = 1;
		else if ((rc = ft_map_intern(&a->env_importers, t->valuestring, strlen(t->valuestring),
					     &dummy, NULL)) < 0)
			return rc;
	}
	cJSON_ArrayForEach(t, list) {
		if (!cJSON_IsString(t))
			continue;
		if ((rc = ft_map_intern(&a->leaky, t->valuestring, strlen(t->valuestring),
					&dummy, NULL)) < 0 ||
		    (rc = add_scope(a, t->valuestring, scoped, env)) < 0)
			return rc;
	}
	return 0;
}

/* The leaky part of one side file's document: which tests left state
 * behind, and where what they ran and saw goes. */
static int load_leaky(struct ft_adapter *a, const cJSON *root)
{
	int broken = cJSON_IsTrue(cJSON_GetObjectItem(root, "broken"));

	const cJSON *proc = cJSON_GetObjectItem(root, "leaky_process"), *t;
	uint32_t dummy;
	int rc;

	if (cJSON_IsArray(cJSON_GetObjectItem(root, "leaky")))
		a->leaky_files++;
	if (!cJSON_IsArray(proc))
		a->leaky_process_unknown = 1;
	cJSON_ArrayForEach(t, proc) {
		if (!cJSON_IsString(t))
			a->leaky_process_unknown = 1;
		else if ((rc = ft_map_intern(&a->leaky_process, t->valuestring, strlen(t->valuestring),
					     &dummy, NULL)) < 0)
			return rc;
	}
	/* the test modules whose collection changed state that other modules
	 * hold ("collect_leaky"'s keys): what their closures hold is handed
	 * on (ft_ingest.c, note_collect_shares) */
	cJSON_ArrayForEach(t, cJSON_GetObjectItem(root, "collect_leaky")) {
		if (t->string && t->string[0] == '/' &&
		    (rc = ft_map_intern(&a->collect_leaky, t->string, strlen(t->string), &dummy,
					NULL)) < 0)
			return rc;
	}
	return add_leaky(a, cJSON_GetObjectItem(root, "leaky"),
			 broken ? NULL : cJSON_GetObjectItem(root, "leaky_scoped"),
			 broken ? NULL : cJSON_GetObjectItem(root, "leaky_env"));
}

int ft_adapter_collect_leaky(const struct ft_adapter *a, const char *file)
{
	uint32_t v;

	return file && ft_map_get(&a->collect_leaky, file, strlen(file), &v);
}

int ft_adapter_load_leaky(struct ft_adapter *a, cJSON *const *roots, int n)
{
	int rc = 0;

	for (int i = 0; i < n && rc >= 0; i++) {
		if (roots[i])
			rc = load_leaky(a, roots[i]);
		else
			a->leaky_unknown = a->leaky_any = 1;
	}
	return rc;
}

/* Absolute paths of a side file's list into set `m`, each shorter than
 * PATH_MAX; `dirs`: directories, kept without a trailing '/', else files
 * (a name at the end, no trailing '/').  Anything else is skipped. */
static int add_paths(struct ft_map *m, const cJSON *list, int dirs)
{
	const cJSON *t;
	uint32_t dummy;
	int rc;

	cJSON_ArrayForEach(t, list) {
		const char *p = cJSON_IsString(t) ? t->valuestring : NULL;
		size_t n = p ? strlen(p) : 0;
		while (dirs && n > 1 && p[n - 1] == '/')
			n--;
		if (!p || p[0] != '/' || n < 2 || n >= PATH_MAX || p[n - 1] == '/')
			continue;
		if ((rc = ft_map_intern(m, p, n, &dummy, NULL)) < 0)
			return rc;
	}
	return 0;
}

/* The side file's "rewritten_caches": [[PREFIX, SUFFIX], ...], PREFIX
 * absolute and SUFFIX a name's end with no '/', each shorter than
 * PATH_MAX; anything else is skipped (the files stay unknown when the run
 * rewrote them). */
static int add_rewritten(struct ft_adapter *a, const cJSON *list)
{
	const cJSON *t;
	char key[2 * PATH_MAX];
	uint32_t dummy;
	int rc;

	cJSON_ArrayForEach(t, list) {
		const cJSON *pre = cJSON_GetArrayItem(t, 0), *suf = cJSON_GetArrayItem(t, 1);
		size_t np, ns;
		if (!cJSON_IsArray(t) || cJSON_GetArraySize(t) != 2 || !cJSON_IsString(pre) ||
		    !cJSON_IsString(suf))
			continue;
		np = strlen(pre->valuestring);
		ns = strlen(suf->valuestring);
		if (pre->valuestring[0] != '/' || np >= PATH_MAX || ns >= PATH_MAX ||
		    strchr(suf->valuestring, '/'))
			continue;
		memcpy(key, pre->valuestring, np + 1);
		memcpy(key + np + 1, suf->valuestring, ns);
		if ((rc = ft_map_intern(&a->rewritten, key, np + 1 + ns, &dummy, NULL)) < 0)
			return rc;
	}
	return 0;
}

/* Is `path` one of the directories of `dirs`, or under one?  With `top`,
 * an entry that is `top` or above it counts for nothing. */
static int under_any(const struct ft_map *dirs, const char *path, size_t len, const char *top)
{
	for (uint32_t i = 0; i < dirs->count; i++) {
		size_t n;
		const char *k = ft_map_key(dirs, i, &n);
		if (top && ft_path_under(top, strlen(top), k))
			continue;
		if (len >= n && (len == n || path[n] == '/') && !memcmp(path, k, n))
			return 1;
	}
	return 0;
}

int ft_adapter_is_library_store(const struct ft_adapter *a, const char *path, size_t len)
{
	return under_any(&a->stores, path, len, NULL);
}

/* (never the top or above it: that would make the checkout scratch) */
int ft_adapter_is_scratch_dir(const struct ft_adapter *a, const char *path, size_t len, const char *top)
{
	return under_any(&a->scratch, path, len, top);
}

int ft_adapter_is_runner_output(const struct ft_adapter *a, const char *path, size_t len)
{
	uint32_t v;

	return a->outputs.count && ft_map_get(&a->outputs, path, len, &v) == 1;
}

int ft_adapter_is_rewritten_cache(const struct ft_adapter *a, const char *path, size_t len)
{
	for (uint32_t i = 0; i < a->rewritten.count; i++) {
		size_t n, np, ns;
		const char *k = ft_map_key(&a->rewritten, i, &n);
		np = strlen(k);
		ns = n - np - 1;
		if (len > np + ns && !memcmp(path, k, np) && !memcmp(path + len - ns, k + np + 1, ns) &&
		    !memchr(path + np, '/', len - np - ns))
			return 1;
	}
	return 0;
}

/* The side file's "code_files" {test: [file, ...]}: the project files
 * whose code each test ran outside its module's closure (all of them for
 * a leaky test).  Anything malformed is skipped: the closures still hold. */
static int add_code_files(struct ft_adapter *a, const cJSON *obj)
{
	const cJSON *t, *f;
	int rc;

	if (!cJSON_IsObject(obj))
		return 0;
	cJSON_ArrayForEach(t, obj) {
		uint32_t ti, fi;
		if (!cJSON_IsArray(t) || !t->string)
			continue;
		if ((rc = ft_map_intern(&a->code_tests, t->string, strlen(t->string), &ti, NULL)) < 0 ||
		    (rc = lists_reserve(&a->code, &a->code_cap, ti)) < 0)
			return rc;
		cJSON_ArrayForEach(f, t) {
			size_t n = cJSON_IsString(f) ? strlen(f->valuestring) : 0;
			if (!n || f->valuestring[0] != '/' || n >= PATH_MAX)
				continue;
			if ((rc = ft_map_intern(&a->code_paths, f->valuestring, n, &fi, NULL)) < 0 ||
			    (rc = list_add(&a->code[ti], fi)) < 0)
				return rc;
		}
	}
	return 0;
}

const uint32_t *ft_adapter_code_files(const struct ft_adapter *a, const char *id, size_t len, size_t *n)
{
	uint32_t ti;

	*n = 0;
	if (!ft_map_get(&a->code_tests, id, len, &ti) || ti >= a->code_cap)
		return NULL;
	*n = a->code[ti].n;
	return a->code[ti].v;
}

/* A number of the compact shape that names entry [0, n) of a table. */
static int index_of(const cJSON *e, int n)
{
	double d = cJSON_IsNumber(e) ? e->valuedouble : -1;

	return d >= 0 && d < n && d == (double)(int)d ? (int)d : -1;
}

/* The entries of array `arr` by position (cJSON walks a list), into a new
 * array (*n of them); NULL and *n = 0 when there are none or no memory. */
static const cJSON **entries(const cJSON *arr, int *n)
{
	const cJSON **v, *e;
	int k = 0;

	*n = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0;
	if (*n <= 0 || !(v = calloc((size_t)*n, sizeof(*v)))) {
		*n = 0;
		return NULL;
	}
	cJSON_ArrayForEach(e, arr)
		v[k++] = e;
	return v;
}

/* "functions": "tests_keyed" {test: {phase: [i, ...]}} with each i a key of
 * "keys" becomes "tests" {test: {phase: [key, ...]}}, each key a reference
 * to the table's entry (not a copy).  A malformed one (a number that names
 * no key, a "tests" beside it, no memory) makes the functions part
 * incomplete: its tests are then selected by file. */
static void expand_keys(cJSON *fn)
{
	cJSON *keyed = cJSON_GetObjectItemCaseSensitive(fn, "tests_keyed"), *t, *ph, *e, *next;
	int n, ok;
	const cJSON **keys;

	if (!keyed)
		return;
	keys = entries(cJSON_GetObjectItemCaseSensitive(fn, "keys"), &n);
	ok = cJSON_IsObject(keyed) && !cJSON_GetObjectItemCaseSensitive(fn, "tests") &&
	     (keys || !n);
	for (int i = 0; ok && i < n; i++)
		ok = cJSON_IsArray(keys[i]);
	for (t = ok ? keyed->child : NULL; ok && t; t = t->next) {
		ok = cJSON_IsObject(t);
		for (ph = ok ? t->child : NULL; ok && ph; ph = ph->next) {
			ok = cJSON_IsArray(ph);
			for (e = ok ? ph->child : NULL; e; e = next) {
				int i = index_of(e, n);
				cJSON *ref = i >= 0 ? cJSON_CreateArrayReference(keys[i]->child) : NULL;
				next = e->next;
				if (!ref || !cJSON_ReplaceItemViaPointer(ph, e, ref)) {
					cJSON_Delete(ref);
					ok = 0;
					break;
				}
			}
		}
	}
	free(keys);
	cJSON_DetachItemViaPointer(fn, keyed);
	if (ok)
		cJSON_AddItemToObject(fn, "tests", keyed);
	else {
		cJSON_Delete(keyed);
		cJSON_DeleteItemFromObjectCaseSensitive(fn, "complete");
		cJSON_AddFalseToObject(fn, "complete");
	}
}

/* "leaky_scoped" {L: [U, ...]}: a number U is the id of entry U of the
 * document's "tests", a reference to its string.  One that names no test
 * stays a number: L then is no list of strings, and shared with every
 * test (add_scope). */
static void expand_users(cJSON *root)
{
	cJSON *scoped = cJSON_GetObjectItemCaseSensitive(root, "leaky_scoped"), *l, *e, *next;
	const cJSON **tests = NULL;
	int n = 0;

	for (l = cJSON_IsObject(scoped) ? scoped->child : NULL; l; l = l->next) {
		for (e = cJSON_IsArray(l) ? l->child : NULL; e; e = next) {
			const cJSON *id;
			int i;
			next = e->next;
			if (!cJSON_IsNumber(e))
				continue;
			if (!tests)
				tests = entries(cJSON_GetObjectItemCaseSensitive(root, "tests"), &n);
			id = (i = index_of(e, n)) >= 0 ? cJSON_GetObjectItemCaseSensitive(tests[i], "id") : NULL;
			if (cJSON_IsString(id)) {
				cJSON *ref = cJSON_CreateStringReference(id->valuestring);
				if (!ref || !cJSON_ReplaceItemViaPointer(l, e, ref))
					cJSON_Delete(ref);
			}
		}
	}
	free(tests);
}

/* A side file's document, or NULL (unreadable, not JSON), in the full
 * shape whatever shape it was written in (ftrace_pytest.py, _compact). */
static cJSON *read_root(const char *file)
{
	size_t len;
	/* O_NOFOLLOW: a symlink named like a side file is not the adapter's */
	char *text = ft_file_read(file, O_NOFOLLOW, &len, NULL);
	cJSON *root, *fn;

	if (!text)
		return NULL;
	root = cJSON_ParseWithLength(text, len);
	free(text);
	if (cJSON_IsObject(fn = cJSON_GetObjectItemCaseSensitive(root, "functions")))
		expand_keys(fn);
	if (root)
		expand_users(root);
	return root;
}

/* One side file's document (NULL: unusable) in pass `pass` of
 * ft_adapter_load: 0 ok, 1 unusable for the split, 2 partial, or a code. */
static int load_one(struct ft_adapter *a, const cJSON *root, int pass)
{
	cJSON *it, *closures, *tests, *pf, *rd;
	int rc = 1;

	if (!root)
		return 1;
	/* the leaky tests, their scopes and coverage's files: once (pass 0;
	 * a real suite's scopes name thousands of tests) */
	if (pass == 0) {
		if ((rc = load_leaky(a, root)) < 0 ||
		    (rc = add_paths(&a->coverage_data, cJSON_GetObjectItem(root, "coverage_data"), 0)) < 0 ||
		    (rc = add_rewritten(a, cJSON_GetObjectItem(root, "rewritten_caches"))) < 0 ||
		    (rc = add_paths(&a->stores, cJSON_GetObjectItem(root, "library_stores"), 1)) < 0 ||
		    (rc = add_paths(&a->outputs, cJSON_GetObjectItem(root, "runner_outputs"), 0)) < 0 ||
		    (rc = add_paths(&a->scratch, cJSON_GetObjectItem(root, "scratch_dirs"), 1)) < 0 ||
		    (rc = add_code_files(a, cJSON_GetObjectItem(root, "code_files"))) < 0)
			return rc;
	}
	rc = 1; /* unusable for the split until the checks below pass */
	/* A partial side file (written after collection, not replaced: the
	 * session was killed): only which test is pytest's, in which file.
	 * It makes no adapter present (no closures, no collector). */
	if (cJSON_IsTrue(cJSON_GetObjectItem(root, "partial")) &&
	    cJSON_IsArray(tests = cJSON_GetObjectItem(root, "tests"))) {
		rc = 2;
		cJSON_ArrayForEach(it, tests) {
			cJSON *id = cJSON_GetObjectItem(it, "id"), *f = cJSON_GetObjectItem(it, "file");
			int r;
			if (cJSON_IsString(id) &&
			    (r = add_test(a, id->valuestring,
					  cJSON_IsString(f) && f->valuestring[0] == '/' ? f->valuestring : NULL,
					  -1)) < 0) {
				rc = r;
				break;
			}
		}
		goto out;
	}
	if (cJSON_IsTrue(cJSON_GetObjectItem(root, "broken")) ||
	    !cJSON_IsObject(closures = cJSON_GetObjectItem(root, "closures")) ||
	    !cJSON_IsArray(tests = cJSON_GetObjectItem(root, "tests")) ||
	    !cJSON_IsArray(pf = cJSON_GetObjectItem(root, "project_files")))
		goto out;
	rc = 0;
	cJSON_ArrayForEach(it, pf) {
		uint32_t dummy;
		if (cJSON_IsString(it) && (rc = ft_map_intern(&a->project, it->valuestring,
				strlen(it->valuestring), &dummy, NULL)) < 0)
			goto out;
	}
	it = cJSON_GetObjectItem(root, "collect_stat_files");
	if (cJSON_IsArray(it)) {
		cJSON *f;
		cJSON_ArrayForEach(f, it) {
			uint32_t dummy;
			if (cJSON_IsString(f) && (rc = ft_map_intern(&a->collect_stat, f->valuestring,
					strlen(f->valuestring), &dummy, NULL)) < 0)
				goto out;
		}
	}
	cJSON_ArrayForEach(it, closures) {
		uint32_t mod;
		cJSON *p;
		if (!cJSON_IsArray(it))
			continue;
		if ((rc = ft_map_intern(&a->modules, it->string, strlen(it->string), &mod, NULL)) < 0)
			goto out;
		cJSON_ArrayForEach(p, it) {
			if (cJSON_IsString(p) && (rc = add_closure(a, mod, p->valuestring)) < 0)
				goto out;
		}
	}
	/* each file is loaded twice (ft_adapter_load): its "collected" once */
	it = pass == 0 ? cJSON_GetObjectItem(root, "collected") : NULL;
	if (cJSON_IsObject(it)) {
		cJSON *tf, *id;
		cJSON_ArrayForEach(tf, it) {
			uint32_t dummy;
			if (!cJSON_IsArray(tf) || !tf->string || tf->string[0] != '/')
				continue;
			if ((rc = ft_map_intern(&a->collected, tf->string, strlen(tf->string),
						&dummy, NULL)) < 0)
				goto out;
			cJSON_ArrayForEach(id, tf) {
				if (cJSON_IsString(id) && (rc = add_collected(a, tf->string,
									   id->valuestring)) < 0)
					goto out;
			}
		}
	}
	cJSON_ArrayForEach(it, tests) {
		cJSON *id = cJSON_GetObjectItem(it, "id"), *f = cJSON_GetObjectItem(it, "file");
		cJSON *d = cJSON_GetObjectItem(it, "duration");
		/* seconds, as pytest's reports have it; anything else: none */
		int64_t ns = cJSON_IsNumber(d) && d->valuedouble >= 0 && d->valuedouble < 1e9 ?
			(int64_t)(d->valuedouble * 1e9) : -1;
		if (!cJSON_IsString(id))
			continue;
		if ((rc = add_test(a, id->valuestring, cJSON_IsString(f) ? f->valuestring : NULL, ns)) < 0)
			goto out;
	}
	if (!a->meta_json) {
		cJSON *meta = cJSON_CreateObject();
		cJSON_AddStringToObject(meta, "adapter", "pytest");
		rd = cJSON_GetObjectItem(root, "rootdir");
		if (cJSON_IsString(rd)) {
			cJSON_AddStringToObject(meta, "rootdir", rd->valuestring);
			free(a->rootdir);
			a->rootdir = strdup(rd->valuestring);
		}
		it = cJSON_GetObjectItem(root, "cache_dir");
		if (cJSON_IsString(it) && it->valuestring[0] == '/' && !a->bookkeeping &&
		    asprintf(&a->bookkeeping, "%s/v/cache", it->valuestring) < 0)
			a->bookkeeping = NULL;
		it = cJSON_GetObjectItem(root, "python_files");
		if (cJSON_IsArray(it))
			cJSON_AddItemToObject(meta, "python_files", cJSON_Duplicate(it, 1));
		it = cJSON_GetObjectItem(root, "norecursedirs");
		if (cJSON_IsArray(it))
			cJSON_AddItemToObject(meta, "norecursedirs", cJSON_Duplicate(it, 1));
		it = cJSON_GetObjectItem(root, "collector");
		if (cJSON_IsObject(it))
			cJSON_AddItemToObject(meta, "collector", cJSON_Duplicate(it, 1));
		it = cJSON_GetObjectItem(root, "options");
		if (cJSON_IsArray(it))
			cJSON_AddItemToObject(meta, "options", cJSON_Duplicate(it, 1));
		it = cJSON_GetObjectItem(root, "invocation_args");
		if (cJSON_IsArray(it))
			cJSON_AddItemToObject(meta, "args", cJSON_Duplicate(it, 1));
		a->meta_json = cJSON_PrintUnformatted(meta);
		cJSON_Delete(meta);
	} else if ((rc = collector_agrees(a, cJSON_GetObjectItem(root, "collector"))) < 0 ||
		   (rc = list_agrees(a, "options", cJSON_GetObjectItem(root, "options"), 0,
				     options_mixed)) < 0 ||
		   (rc = list_agrees(a, "args", cJSON_GetObjectItem(root, "invocation_args"), 1,
				     args_mixed)) < 0) {
		goto out;
	}
out:
	return rc;
}

int ft_adapter_side_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return !strncmp(d->d_name, "adapter-pytest-", 15) && n > 5 && !strcmp(d->d_name + n - 5, ".json");
}

cJSON *ft_adapter_read_doc(const char *run_dir, const char *name)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", run_dir, name) >= sizeof(path))
		return NULL;
	return read_root(path);
}

int ft_adapter_load(struct ft_adapter *a, const char *run_dir)
{
	struct dirent **names = NULL;
	int n, rc = 0;

	cJSON **roots;
	char *toolong;

	a->split = 1;
	n = scandir(run_dir, &names, ft_adapter_side_file, alphasort);
	if (n < 0)
		return 0;
	/* each file read and parsed once: a real suite's is tens of MB */
	roots = calloc((size_t)n + 1, sizeof(*roots));
	toolong = calloc((size_t)n + 1, 1);
	if (!roots || !toolong)
		rc = -ENOMEM;
	for (int i = 0; i < n && rc >= 0; i++) {
		char path[4096];
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", run_dir, names[i]->d_name) >= sizeof(path))
			toolong[i] = 1;
		else
			roots[i] = read_root(path);
	}
	/* Closures must be known before tests are matched to modules, so load
	 * every file's closures first: two passes over the same documents. */
	for (int pass = 0; pass < 2 && rc >= 0; pass++) {
		for (int i = 0; i < n && rc >= 0; i++) {
			if (toolong[i] || !roots[i]) {
				/* whose tests it names, and which left state: not known */
				a->split = 0;
				a->leaky_unknown = a->leaky_any = 1;
				if (toolong[i])
					continue;
			}
			rc = load_one(a, roots[i], pass);
			if (rc != 2)
				a->present = 1;
			if (rc == 1 || rc == 2) {
				a->split = 0;
				rc = 0;
			}
		}
	}
	for (int i = 0; i < n; i++) {
		if (roots)
			cJSON_Delete(roots[i]);
		free(names[i]);
	}
	free(roots);
	free(toolong);
	free(names);
	return rc;
}

int ft_adapter_is_project(const struct ft_adapter *a, const char *path, size_t len)
{
	uint32_t v;
	return ft_map_get(&a->project, path, len, &v);
}

int ft_adapter_is_collect_stat(const struct ft_adapter *a, const char *path, size_t len)
{
	uint32_t v;
	return ft_map_get(&a->collect_stat, path, len, &v);
}

int ft_adapter_is_leaky(const struct ft_adapter *a, const char *id, size_t len)
{
	uint32_t v;

	if (ft_map_get(&a->leaky, id, len, &v) || a->leaky_any)
		return 1;
	return a->leaky_unknown && ft_map_get(&a->tests, id, len, &v);
}

int ft_adapter_leaky_process(const struct ft_adapter *a, const char *id, size_t len)
{
	uint32_t v;

	return a->leaky_process_unknown || ft_map_get(&a->leaky_process, id, len, &v);
}

int ft_adapter_leaky_scoped(const struct ft_adapter *a, const char *id, size_t len)
{
	uint32_t v;

	return !a->leaky_unknown && a->leaky_files == 1 && ft_map_get(&a->leaky_scoped, id, len, &v) &&
	       !ft_map_get(&a->leaky_wide, id, len, &v);
}

/* leaky_users' key of the pair of pair_ids entries l and u */
static void pair(unsigned char key[8], uint32_t l, uint32_t u)
{
	memcpy(key, &l, 4);
	memcpy(key + 4, &u, 4);
}

int ft_adapter_leaky_user(const struct ft_adapter *a, const char *id, size_t len,
			  const char *user, size_t ulen)
{
	unsigned char key[8];
	uint32_t l, u, v;

	if (!ft_map_get(&a->pair_ids, id, len, &l) || !ft_map_get(&a->pair_ids, user, ulen, &u))
		return 0;
	pair(key, l, u);
	return ft_map_get(&a->leaky_users, key, sizeof(key), &v);
}

int ft_adapter_pair_index(const struct ft_adapter *a, const char *id, size_t len, uint32_t *ix)
{
	return ft_map_get(&a->pair_ids, id, len, ix);
}

int ft_adapter_leaky_user_ix(const struct ft_adapter *a, uint32_t id_ix, uint32_t user_ix)
{
	unsigned char key[8];
	uint32_t v;

	pair(key, id_ix, user_ix);
	return ft_map_get(&a->leaky_users, key, sizeof(key), &v);
}

int ft_adapter_user_add(struct ft_adapter *a, const char *id, size_t len,
			const char *user, size_t ulen)
{
	unsigned char key[8];
	uint32_t l, u, v;
	int rc;

	if ((rc = ft_map_intern(&a->pair_ids, id, len, &l, NULL)) < 0 ||
	    (rc = ft_map_intern(&a->pair_ids, user, ulen, &u, NULL)) < 0)
		return rc;
	pair(key, l, u);
	return ft_map_intern(&a->leaky_users, key, sizeof(key), &v, NULL);
}

void ft_adapter_user_pair(const struct ft_adapter *a, uint32_t n, const char **id, size_t *len,
			  const char **user, size_t *ulen)
{
	size_t klen;
	const char *k = ft_map_key(&a->leaky_users, n, &klen);
	uint32_t l, u;

	memcpy(&l, k, 4);
	memcpy(&u, k + 4, 4);
	*id = ft_map_key(&a->pair_ids, l, len);
	*user = ft_map_key(&a->pair_ids, u, ulen);
}

int ft_adapter_is_coverage_data(const struct ft_adapter *a, const char *path, size_t len)
{
	static const char *const journals[] = { "-journal", "-wal", "-shm" };
	uint32_t v;
	size_t base = len, j;

	if (!a->coverage_data.count)
		return 0;
	/* without a journal suffix */
	for (j = 0; j < sizeof(journals) / sizeof(journals[0]); j++) {
		size_t n = strlen(journals[j]);
		if (len > n && !memcmp(path + len - n, journals[j], n)) {
			base = len - n;
			break;
		}
	}
	if (ft_map_get(&a->coverage_data, path, base, &v))
		return 1;
	/* D.<suffix>: D is the part before one of the dots of the file name */
	for (size_t i = base; i-- > 0 && path[i] != '/';)
		if (path[i] == '.' && i + 1 < base && ft_map_get(&a->coverage_data, path, i, &v))
			return 1;
	return 0;
}

const uint32_t *ft_adapter_owners(const struct ft_adapter *a, const char *path, size_t len, size_t *n)
{
	uint32_t idx;

	*n = 0;
	if (!ft_map_get(&a->cpaths, path, len, &idx) || !a->owners[idx].n)
		return NULL;
	*n = a->owners[idx].n;
	return a->owners[idx].v;
}

int ft_adapter_test(const struct ft_adapter *a, const char *id, size_t len,
		    uint32_t *module, const char **file)
{
	uint32_t idx;

	if (!ft_map_get(&a->tests, id, len, &idx))
		return 0;
	*module = a->test_module[idx];
	*file = a->test_file[idx];
	return 1;
}

int64_t ft_adapter_test_ns(const struct ft_adapter *a, const char *id, size_t len)
{
	uint32_t idx;

	return ft_map_get(&a->tests, id, len, &idx) ? a->test_ns[idx] : -1;
}

size_t ft_adapter_collected_count(const struct ft_adapter *a)
{
	return a->split ? a->collected.count : 0;
}

const char *ft_adapter_collected_file(const struct ft_adapter *a, size_t i)
{
	size_t len;
	return ft_map_key(&a->collected, (uint32_t)i, &len);
}

int ft_adapter_collected(const struct ft_adapter *a, const char *file, const char *id)
{
	uint32_t dummy;
	size_t len;
	char *key;
	int found;

	if (collected_key(file, id, &key, &len) < 0)
		return 1;   /* cannot tell: keep it */
	found = ft_map_get(&a->collected_ids, key, len, &dummy);
	free(key);
	return found;
}

void ft_adapter_release(struct ft_adapter *a)
{
	for (size_t i = 0; i < a->owners_cap; i++)
		free(a->owners[i].v);
	free(a->owners);
	for (size_t i = 0; i < a->tests_cap; i++)
		free(a->test_file[i]);
	free(a->test_file);
	free(a->test_ns);
	free(a->test_module);
	free(a->meta_json);
	free(a->rootdir);
	free(a->bookkeeping);
	ft_map_release(&a->project);
	ft_map_release(&a->collect_stat);
	ft_map_release(&a->leaky);
	ft_map_release(&a->leaky_scoped);
	ft_map_release(&a->leaky_wide);
	ft_map_release(&a->leaky_users);
	ft_map_release(&a->pair_ids);
	ft_map_release(&a->leaky_env);
	ft_map_release(&a->code_tests);
	ft_map_release(&a->code_paths);
	for (size_t i = 0; i < a->code_cap; i++)
		free(a->code[i].v);
	free(a->code);
	ft_map_release(&a->leaky_process);
	ft_map_release(&a->collect_leaky);
	ft_map_release(&a->env_pending);
	ft_map_release(&a->env_importers);
	ft_map_release(&a->coverage_data);
	ft_map_release(&a->rewritten);
	ft_map_release(&a->stores);
	ft_map_release(&a->outputs);
	ft_map_release(&a->scratch);
	ft_map_release(&a->modules);
	ft_map_release(&a->cpaths);
	ft_map_release(&a->tests);
	ft_map_release(&a->collected);
	ft_map_release(&a->collected_ids);
	memset(a, 0, sizeof(*a));
}
