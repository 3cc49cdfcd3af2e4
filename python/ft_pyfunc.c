/*
 * ft_pyfunc.c - function granularity at selection (see ft_pyfunc.h).
 *
 * The filter starts from the file-granularity selection, which is sound,
 * and only removes a test with proof.  The proof, per changed .py file P
 * the test was selected for (docs/python-functions.md, "Selection"):
 *   - P's fingerprints as the test saw it: pyfunc_fps(P, the test's own
 *     recorded content value of P); keyed by value, never by path alone;
 *   - P's fingerprints now (one Python process over all such files), with
 *     the same skeleton;
 *   - no changed body ran in a prelude of that version or of the test's
 *     run, and the test ran
 *     none (its pyfunc_tests row is of its latest recording and complete);
 *   - if the test's own processes touched P (a subprocess running project
 *     code is invisible to the in-process recorder), no body changed.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_pyfunc.h"
#include "ft_select.h"
#include "ft_select_int.h"
#include "ft_pyfunc_fpcache.h"
#include "ft_pyfunc_names.h"
#include "ft_pyhelper.h"
#include "ft_spawn.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_py.h"
#include "ft_vec.h"


uint32_t ft_pyfunc_crc32(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return crc ^ 0xffffffffu;
}

int ft_pyfunc_pyc_source(const char *pyc, char *out, size_t cap)
{
	const char *slash = strrchr(pyc, '/'), *dot;
	size_t dirlen, namelen;

	if (!slash || (size_t)(slash - pyc) < 12 || strncmp(slash - 12, "/__pycache__", 12))
		return -1;
	dot = strchr(slash + 1, '.');
	if (!dot || dot == slash + 1 || strcmp(pyc + strlen(pyc) - 4, ".pyc"))
		return -1;
	dirlen = (size_t)(slash - 12 - pyc);
	namelen = (size_t)(dot - slash - 1);
	if (dirlen + 1 + namelen + 3 + 1 > cap)
		return -1;
	memcpy(out, pyc, dirlen);
	out[dirlen] = '/';
	memcpy(out + dirlen + 1, slash + 1, namelen);
	memcpy(out + dirlen + 1 + namelen, ".py", 4);
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && !strcmp(s + n - m, suffix);
}

void ft_pyfunc_notes_release(struct ft_pyfunc_notes *notes)
{
	for (size_t i = 0; i < notes->n; i++) {
		free(notes->v[i].test);
		free(notes->v[i].path);
		free(notes->v[i].text);
	}
	free(notes->v);
	memset(notes, 0, sizeof(*notes));
}

const char *ft_pyfunc_note_find(const struct ft_pyfunc_notes *notes, const char *test,
				const char *path)
{
	for (size_t i = 0; notes && i < notes->n; i++) {
		const struct ft_pyfunc_note *e = &notes->v[i];
		if (!strcmp(e->test, test) && (path ? e->path && !strcmp(e->path, path) : !e->path))
			return e->text;
	}
	return NULL;
}

/* Takes `text` (malloc'd; NULL is out of memory). */
static int note_add(struct ft_pyfunc_notes *notes, const char *test, const char *path, char *text)
{
	struct ft_pyfunc_note *e;

	if (!text)
		return -ENOMEM;
	if (notes->n == notes->cap) {
		size_t cap = notes->cap ? notes->cap * 2 : 64;
		struct ft_pyfunc_note *v = realloc(notes->v, cap * sizeof(*v));
		if (!v) {
			free(text);
			return -ENOMEM;
		}
		notes->v = v;
		notes->cap = cap;
	}
	e = &notes->v[notes->n];
	e->test = strdup(test);
	e->path = path ? strdup(path) : NULL;
	e->text = text;
	if (!e->test || (path && !e->path)) {
		free(e->test);
		free(e->path);
		free(text);
		return -ENOMEM;
	}
	notes->n++;
	return 0;
}

/* One test that only .py content changes selected. */
struct cand {
	size_t index;            /* in sel->tests */
	cJSON *files;            /* array of changed .py paths (strings) */
	cJSON *own;              /* .py paths its own processes touched */
	cJSON *prelude;          /* {file: [qualnames]} its run's preludes ran (borrowed
	                          * from the filter's run cache) */
	cJSON *funcs;            /* {file: [qualnames]} it ran */
	cJSON *lazy;             /* .py paths its module reaches only through lazy
	                          * imports it never ran (pyfunc_lazy), or NULL */
	char *file;              /* tests.file: its pytest module, or NULL */
};

/* What a change did to one recorded version (path, value) of a file: the
 * same for every test that saw that version, so computed once. */
struct fpver {
	char *path;
	int64_t value;
	int bodies_only;         /* 1: skeleton equal, no changed body ran in a
	                          * prelude of this version: the tests decide */
	cJSON *obodies;          /* the version's {qualname: fingerprint} */
	cJSON *changed;          /* the body keys that differ now */
	cJSON *names;            /* a namespace change (ft_pyfunc_names.h): the
	                          * changed module-level names; else NULL */
	cJSON *wraps;            /* and the docstring keys its pure decorators
	                          * read at import (not skeleton: see there) */
	int tmod;                /* a test module pytest's own collector read
				  * ("@%"): docs/python-functions.md, "Test modules" */
	cJSON *marks;            /* tmod: names of the changed "mark" statements */
	cJSON *classes;          /* names of the changed "class" and "tclass" statements */
	cJSON *tnow;             /* tmod: the changed names that are test
				  * functions or test classes now (pytest
				  * collects them anew) */
	cJSON *tgone;            /* tmod: the changed names bound no more */
	cJSON *fwds;             /* its preludes' re-export keys ("@>N\tA\tG"),
				  * for a namespace change; or NULL */
	char *why;               /* bodies_only 0: what changed (may be NULL) */
};

/* A test function of a test module that changed or is new: pytest is asked
 * for it whole ("file::name"), if the module is not printed whole. */
struct addition {
	char *id;
	char *path;
};

/* The content values (FT_DEP_FILE) every test recorded for one path, read
 * in one query for all tests rather than one per test: name-sorted
 * (SQLite's BINARY order is strcmp's), each with how many distinct values
 * it recorded.  `failed`: the list may be short (an error while reading
 * it): no test may be judged by it. */
struct seen {
	char *name;
	int64_t value;
	int n;
};

struct seenpath {
	char *path;
	struct seen *v;
	size_t n, cap;
	int failed;
};

/* The filter's statements and caches (one selection). */
struct ctx {
	struct ft_store *st;
	struct ft_store_pyfunc *r; /* the prepared reads */
	struct seenpath *sp;     /* per changed path, loaded on first use */
	size_t nsp, capsp;
	struct fpver *v;
	size_t nv, capv;
	int64_t *run_ids;        /* runs whose prelude is parsed, and their preludes */
	cJSON **run_pre;
	size_t nr, capr;
	cJSON *now;              /* {path: fingerprints now} */
	struct ft_selection *sel;  /* the selection being filtered */
	struct addition *add;    /* test functions to add to the selection */
	size_t nadd, capadd;
};

static void ctx_release(struct ctx *x)
{
	ft_store_pyfunc_close(x->r);
	for (size_t i = 0; i < x->nsp; i++) {
		for (size_t k = 0; k < x->sp[i].n; k++)
			free(x->sp[i].v[k].name);
		free(x->sp[i].v);
		free(x->sp[i].path);
	}
	free(x->sp);
	for (size_t i = 0; i < x->nv; i++) {
		free(x->v[i].path);
		free(x->v[i].why);
		cJSON_Delete(x->v[i].obodies);
		cJSON_Delete(x->v[i].changed);
		cJSON_Delete(x->v[i].names);
		cJSON_Delete(x->v[i].wraps);
		cJSON_Delete(x->v[i].marks);
		cJSON_Delete(x->v[i].classes);
		cJSON_Delete(x->v[i].tnow);
		cJSON_Delete(x->v[i].tgone);
		cJSON_Delete(x->v[i].fwds);
	}
	free(x->v);
	for (size_t i = 0; i < x->nadd; i++) {
		free(x->add[i].id);
		free(x->add[i].path);
	}
	free(x->add);
	for (size_t i = 0; i < x->nr; i++)
		cJSON_Delete(x->run_pre[i]);
	free(x->run_ids);
	free(x->run_pre);
}

/* The parsed prelude of run `run_id` (NULL: none or unreadable). */
static cJSON *run_prelude(struct ctx *x, int64_t run_id)
{
	char *text = NULL;
	cJSON *pre = NULL;

	for (size_t i = 0; i < x->nr; i++)
		if (x->run_ids[i] == run_id)
			return x->run_pre[i];
	if (x->nr == x->capr) {
		size_t cap = x->capr ? x->capr * 2 : 8;
		int64_t *ids = realloc(x->run_ids, cap * sizeof(*ids));
		cJSON **pres;
		if (!ids)
			return NULL;
		x->run_ids = ids;
		if (!(pres = realloc(x->run_pre, cap * sizeof(*pres))))
			return NULL;
		x->run_pre = pres;
		x->capr = cap;
	}
	if (ft_store_pyfunc_run_prelude(x->r, run_id, &text) > 0)
		pre = cJSON_Parse(text);
	free(text);
	x->run_ids[x->nr] = run_id;
	x->run_pre[x->nr++] = pre;
	return pre;
}

static int in_array(cJSON *arr, const char *s)
{
	cJSON *e;
	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
			return 1;
	return 0;
}

/* The .py files whose content changes selected test `t`, as a new JSON
 * array, or NULL if anything else selected it too (or out of memory):
 * then it is no candidate.  Reads no database. */
static cJSON *reason_files(const struct ft_selected *t)
{
	cJSON *files = cJSON_CreateArray(), *pycs = cJSON_CreateArray(), *e;
	int ok = files && pycs && t->nreasons > 0 && !t->omitted;

	for (size_t k = 0; ok && k < t->nreasons; k++) {
		const struct ft_reason *r = &t->reasons[k];
		char src[4096];
		if (!r->path || r->kind != FT_DEP_FILE || r->change != FT_CHANGE_CONTENT)
			ok = 0;
		else if (ends_with(r->path, ".py")) {
			if (!in_array(files, r->path))
				cJSON_AddItemToArray(files, cJSON_CreateString(r->path));
		} else if (ends_with(r->path, ".pyc") && ft_pyfunc_pyc_source(r->path, src, sizeof(src)) == 0)
			cJSON_AddItemToArray(pycs, cJSON_CreateString(src));
		else
			ok = 0;
	}
	/* A .pyc counts only beside its changed source: alone, it may be
	 * another interpreter's or another build's bytecode. */
	cJSON_ArrayForEach(e, pycs)
		ok = ok && in_array(files, e->valuestring);
	cJSON_Delete(pycs);
	if (!ok) {
		cJSON_Delete(files);
		return NULL;
	}
	return files;
}

/* The test's pyfunc_lazy row of run `run_id` (the run its pyfunc_tests row
 * describes), or NULL: no row, an older run's, or unreadable, and then
 * every file counts. */
static cJSON *lazy_only(struct ctx *x, const char *test, int64_t run_id)
{
	cJSON *out = NULL;
	char *text = NULL;

	if (ft_store_pyfunc_lazy_get(x->r, test, run_id, &text) > 0)
		out = cJSON_Parse(text);
	free(text);
	if (!cJSON_IsArray(out)) {
		cJSON_Delete(out);
		out = NULL;
	}
	return out;
}

/* Is test `t`, selected by the .py files `files` only (reason_files;
 * taken over), a candidate?  Fills c->files and c->funcs if so.  If only
 * its function recording is missing, *why says so (static text). */
static int candidate(struct ctx *x, const struct ft_selected *t, cJSON *files, struct cand *c,
		     const char **why)
{
	struct ft_store_pyfunc_test row;
	cJSON *own = NULL;
	int ok = 0, found = ft_store_pyfunc_test_get(x->r, t->id, &row);

	*why = "function granularity: the test was not recorded with --granularity=function";
	if (found > 0) {
		if (!row.same_run) {
			*why = "function granularity: the test's last recording was at file granularity";
		} else if (!row.complete) {
			*why = "function granularity: the function recording of the test's session "
			       "was incomplete (another trace function or a recorder error)";
		} else if (row.complete != FT_PYFUNC_COMPLETE) {
			*why = "function granularity: the test's function recording predates "
			       "docstring reads: record it again with --granularity=function";
		} else {
			*why = NULL;
			c->funcs = cJSON_Parse(row.funcs);
			own = cJSON_Parse(row.own);
			c->prelude = run_prelude(x, row.run_id);
			ok = cJSON_IsObject(c->funcs) && cJSON_IsArray(own) && cJSON_IsObject(c->prelude);
			if (ok && ft_store_pyfunc_has_lazy(x->r))
				c->lazy = lazy_only(x, t->id, row.run_id);
			if (ok && row.file) {
				c->file = row.file;
				row.file = NULL;
			}
		}
		ft_store_pyfunc_test_clear(&row);
	}
	if (!ok) {
		cJSON_Delete(own);
		cJSON_Delete(files);
		cJSON_Delete(c->funcs);
		c->funcs = c->prelude = NULL;
		return 0;
	}
	c->files = files;
	c->own = own;
	return 1;
}

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
		const struct ft__pyroot *root = ft__select_pyroot(sel, e->valuestring);
		for (size_t i = 0; root && root->has_stdlib && i < root->nstdlib; i++)
			if (!ft_pyfunc_names_has(mods, root->stdlib[i]))
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

/* One (test, value) row of a path, in name order, into sp. */
static int seen_add(void *arg, const char *name, int64_t value)
{
	struct seenpath *sp = arg;
	struct seen *nv;

	/* DISTINCT (name, value) rows in name order: a name again is
	 * another value of the same test */
	if (sp->n && !strcmp(sp->v[sp->n - 1].name, name)) {
		sp->v[sp->n - 1].n++;
		return 0;
	}
	if ((nv = ft_vec_grow(sp->v, &sp->cap, sp->n, sizeof(*sp->v), 256)))
		sp->v = nv;
	if (!nv || !(sp->v[sp->n].name = strdup(name)))
		return -ENOMEM;
	sp->v[sp->n].value = value;
	sp->v[sp->n].n = 1;
	sp->n++;
	return 0;
}

/* The values every test recorded for `path` (struct seenpath), read on the
 * first call for that path; NULL when out of memory. */
static struct seenpath *seen_load(struct ctx *x, const char *path)
{
	struct seenpath *sp;

	for (size_t i = 0; i < x->nsp; i++)
		if (!strcmp(x->sp[i].path, path))
			return &x->sp[i];
	if (!(sp = ft_vec_grow(x->sp, &x->capsp, x->nsp, sizeof(*x->sp), 8)))
		return NULL;
	x->sp = sp;
	sp = &x->sp[x->nsp];
	memset(sp, 0, sizeof(*sp));
	if (!(sp->path = strdup(path)))
		return NULL;
	x->nsp++;
	if (ft_store_pyfunc_seen(x->r, path, FT_DEP_FILE, seen_add, sp) < 0)
		sp->failed = 1;
	return sp;
}

static int seen_cmp(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const struct seen *)elem)->name);
}

/* The content value of `path` the test recorded: 0 and *value if there is
 * exactly one; 2 if it recorded none; 1 otherwise (several, or the values
 * could not be read). */
static int seen_value(struct ctx *x, const char *test, const char *path, int64_t *value)
{
	struct seenpath *sp = seen_load(x, path);
	const struct seen *s;

	if (!sp || sp->failed)
		return 1;
	s = bsearch(test, sp->v, sp->n, sizeof(*sp->v), seen_cmp);
	if (!s)
		return 2;
	if (s->n != 1)
		return 1;
	*value = s->value;
	return 0;
}

/* The body key a qualname would count for: up to its first ".<locals>",
 * into `out`.  0 if too long. */
static int key_name(const char *qual, char *out, size_t cap)
{
	const char *l = strstr(qual, ".<locals>");
	size_t n = l ? (size_t)(l - qual) : strlen(qual);

	if (n + 1 > cap)
		return 0;
	memcpy(out, qual, n);
	out[n] = '\0';
	return 1;
}

/* The body key a qualname counts for (ftrace_fingerprint.function_key):
 * key_name, if that is a body; else 0 (skeleton). */
static int key_of(const char *qual, cJSON *bodies, char *out, size_t cap)
{
	return key_name(qual, out, cap) && cJSON_GetObjectItemCaseSensitive(bodies, out) != NULL;
}

/* Which bodies of `changed` do the qualnames of `quals` count for?  An
 * array of body keys (empty: none; NULL: out of memory). */
static cJSON *runs_changed(cJSON *quals, cJSON *bodies, cJSON *changed)
{
	cJSON *q, *hit = cJSON_CreateArray();
	char key[4096];

	cJSON_ArrayForEach(q, quals) {
		/* (the few changed keys first: bodies is a long list, and a
		 * test module's prelude names each of its functions) */
		if (hit && cJSON_IsString(q) && key_name(q->valuestring, key, sizeof(key)) &&
		    in_array(changed, key) && cJSON_GetObjectItemCaseSensitive(bodies, key) &&
		    !in_array(hit, key))
			cJSON_AddItemToArray(hit, cJSON_CreateString(key));
	}
	return hit;
}

/* A read key, the qualname and FT_PYFUNC_DOC ("C.m#doc", a docstring) or
 * FT_PYFUNC_ANN ("C.m#ann", postponed annotations): the qualname's length,
 * else 0 (a body key). */
static size_t read_key(const char *k)
{
	size_t n = strlen(k), d = strlen(FT_PYFUNC_DOC);

	_Static_assert(sizeof(FT_PYFUNC_DOC) == sizeof(FT_PYFUNC_ANN), "one suffix length");
	return n > d && (!strcmp(k + n - d, FT_PYFUNC_DOC) || !strcmp(k + n - d, FT_PYFUNC_ANN))
	       ? n - d : 0;
}

static int ann_key(const char *k)
{
	size_t n = strlen(k), d = strlen(FT_PYFUNC_ANN);

	return n > d && !strcmp(k + n - d, FT_PYFUNC_ANN);
}

/* Did a prelude ({file: [qualnames]}) run a function of `path`, beyond
 * what its own import runs (the module and class bodies, and the
 * docstring reads of property() and the like)?  A qualname counts when it
 * counts for a body (key_of: a nested function for its enclosing one) of
 * the file now (`now`) or of the version the test saw (`then`; NULL:
 * unknown, and then every qualname but the module body counts). */
static int ran_beyond_import(cJSON *prelude, const char *path, cJSON *now, cJSON *then)
{
	char key[4096];
	cJSON *e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(prelude, path)) {
		if (!cJSON_IsString(e) || strlen(e->valuestring) >= sizeof(key))
			return 1;
		if (read_key(e->valuestring) || e->valuestring[0] == '@')
			continue;   /* a docstring or a name read, a marker: no code ran */
		if (!then ? strcmp(e->valuestring, "<module>") != 0
			  : key_of(e->valuestring, now, key, sizeof(key)) ||
			    key_of(e->valuestring, then, key, sizeof(key)))
			return 1;
	}
	return 0;
}

/* Append "LEAD WHAT of `q`, `r`" over the read keys of `keys` of one
 * kind (ann: annotations, else docstrings) to `p`; returns the new end. */
static char *list_reads(char *p, cJSON *keys, int ann, const char *lead, const char *what)
{
	int first = 1;
	cJSON *k;

	cJSON_ArrayForEach(k, keys) {
		size_t n = read_key(k->valuestring);
		if (!n || ann_key(k->valuestring) != ann)
			continue;
		if (first)
			p += sprintf(p, "%s%s of ", lead, what);
		p += sprintf(p, "%s`%.*s`", first ? "" : ", ", (int)n, k->valuestring);
		first = 0;
	}
	return p;
}

/* "`f`, `C.m`", or "the docstring(s) of `f`, `C.m`", or "`f` and the
 * docstring of `g` and the annotations of `h`" (malloc'd; NULL: out of
 * memory).  *kinds: bit 1 a body, bit 2 a docstring or annotations. */
static char *key_list(cJSON *keys, int *kinds)
{
	size_t len = 64;
	int nb = 0, nd = 0, na = 0;
	char *s, *p;
	cJSON *k;

	cJSON_ArrayForEach(k, keys) {
		len += strlen(k->valuestring) + 4;
		if (!read_key(k->valuestring))
			nb++;
		else if (ann_key(k->valuestring))
			na++;
		else
			nd++;
	}
	*kinds = (nb ? 1 : 0) | (nd || na ? 2 : 0);
	if (!(s = p = malloc(len)))
		return NULL;
	*p = '\0';
	if (nb)
		p += sprintf(p, "%s ", nb > 1 ? "functions" : "function");
	nb = 0;
	cJSON_ArrayForEach(k, keys)
		if (!read_key(k->valuestring))
			p += sprintf(p, "%s`%s`", nb++ ? ", " : "", k->valuestring);
	if (nd)
		p = list_reads(p, keys, 0, nb ? " and the " : "the ", nd > 1 ? "docstrings" : "docstring");
	if (na)
		list_reads(p, keys, 1, nb || nd ? " and the " : "the ", "annotations");
	return s;
}

/* `why` (may be NULL) = "function(s) `k`, ...PRE VERB POST" over the keys
 * of `keys` (unless it holds a text already), VERB being verbs[0] when
 * only bodies are named, verbs[1] when only docstrings, verbs[2] when both
 * ("ran", "read", "ran or read"); returns 1 if `keys` holds any (the test
 * may be affected), 0 if not. */
static int blame(cJSON *keys, char **why, const char *pre, const char *const verbs[3],
		 const char *post)
{
	char *list;
	int kinds;

	if (!keys || cJSON_GetArraySize(keys) == 0)
		return !keys;
	if (why && !*why && (list = key_list(keys, &kinds))) {
		if (asprintf(why, "%s%s%s%s", list, pre, verbs[kinds == 1 ? 0 : kinds == 2 ? 1 : 2],
			     post) < 0)
			*why = NULL;
		free(list);
	}
	return 1;
}

static const char *const RAN[3] = { "ran", "was read", "ran or was read" };
static const char *const TEST_RAN[3] = { "ran it", "read it", "ran or read them" };
static const char *const RUN[3] = { "run", "read", "run or read" };
static const char *const NONE[3] = { "", "", "" };

static void say(char **why, const char *text)
{
	if (why && !*why)
		*why = strdup(text);
}

/* The first of the names `names` that `quals` (qualnames and name reads of
 * one file) read, "*" if it read the whole namespace, or NULL. */
static const char *reads_name(cJSON *quals, cJSON *names)
{
	cJSON *q, *n;
	char at[4096];

	if (ft_pyfunc_names_has(quals, "@*"))
		return "*";
	cJSON_ArrayForEach(n, names) {
		if (snprintf(at, sizeof(at), "@%s", n->valuestring) >= (int)sizeof(at))
			return n->valuestring;
		cJSON_ArrayForEach(q, quals)
			if (cJSON_IsString(q) && !strcmp(q->valuestring, at))
				return n->valuestring;
	}
	return NULL;
}

/* A re-export key of a prelude, "@>N\tA\tG" (the recorder's: `from F import
 * N as A` in G's own top-level code): its parts into n, a and g (each
 * `cap` bytes); 0 if `key` is no such key or a part is too long. */
static int forward_key(const char *key, char *n, char *a, char *g, size_t cap)
{
	const char *t1, *t2;

	if (strncmp(key, "@>", 2) || !(t1 = strchr(key + 2, '\t')) || !(t2 = strchr(t1 + 1, '\t')))
		return 0;
	if ((size_t)(t1 - key - 2) >= cap || (size_t)(t2 - t1 - 1) >= cap || strlen(t2 + 1) >= cap)
		return 0;
	memcpy(n, key + 2, (size_t)(t1 - key - 2));
	n[t1 - key - 2] = '\0';
	memcpy(a, t1 + 1, (size_t)(t2 - t1 - 1));
	a[t2 - t1 - 1] = '\0';
	strcpy(g, t2 + 1);
	return *n && *a && *g == '/';
}

/* Does a statement of `fresh` ({"names": {"stmts": ...}}) bind `name`? */
static int bound_now(cJSON *fresh, const char *name)
{
	cJSON *st;

	cJSON_ArrayForEach(st, cJSON_GetObjectItem(cJSON_GetObjectItem(fresh, "names"), "stmts"))
		if (ft_pyfunc_names_has(cJSON_GetArrayItem(st, 2), name))
			return 1;
	return 0;
}

static int forward_sees(struct ctx *x, const char *test, const struct cand *c, const char *g,
			const char *a, int depth);

/* Does a qualname (or read key) of `quals` count for body key `key`? */
static int runs_key(cJSON *quals, const char *key)
{
	char k[4096];
	cJSON *q;

	cJSON_ArrayForEach(q, quals)
		if (cJSON_IsString(q) && key_name(q->valuestring, k, sizeof(k)) && !strcmp(k, key))
			return 1;
	return 0;
}

/* Can test `test` see a changed name of a file through the re-exports
 * among `keys` (prelude keys of that file; docs/python-functions.md,
 * "Re-exports")?  1 if it may: a re-export of a name in `names` that
 * `fresh` (the file now) binds no more (the importer's from-import would
 * fail), or one forward_sees() says the test may see. */
static int forwards_see(struct ctx *x, const char *test, const struct cand *c, cJSON *keys,
			cJSON *names, cJSON *fresh, int depth)
{
	char n[4096], a[4096], g[4096];
	cJSON *k;

	cJSON_ArrayForEach(k, keys) {
		if (!cJSON_IsString(k) || strncmp(k->valuestring, "@>", 2))
			continue;
		if (!forward_key(k->valuestring, n, a, g, sizeof(n)))
			return 1;
		if (!ft_pyfunc_names_has(names, n))
			continue;
		if ((fresh && !bound_now(fresh, n)) || forward_sees(x, test, c, g, a, depth))
			return 1;
	}
	return 0;
}

/* Can test `test` see name `a` of project module `g`, which g's own
 * top-level code bound by a from-import of a changed name (a re-export)?
 * 0 only when g is unchanged for the test, g's top-level statements
 * mention `a` in that statement only and never read their namespace as a
 * whole, and no code that can see g's `a` ran or read it: g's functions
 * whose code mentions `a` (its "refs"), in the test or in a prelude; a
 * read of g's `a` or whole namespace, or g's body run, in the test; a
 * read of them in a prelude, but through a further re-export, which is
 * followed the same way (4 deep).  A test of the test module g is kept
 * (pytest's collector reads all of g's names), as is a test whose own
 * processes touched g.  Not narrowed without every read of g's names seen
 * ("@+" or "@%", no "@-") or g's fingerprints of the version the test
 * saw. */
static int forward_sees(struct ctx *x, const char *test, const struct cand *c, const char *g,
			const char *a, int depth)
{
	cJSON *mine = cJSON_GetObjectItemCaseSensitive(c->funcs, g);
	cJSON *pre = cJSON_GetObjectItemCaseSensitive(c->prelude, g);
	cJSON *names = NULL, *vpre = NULL, *st, *r;
	struct ft_store_pyfunc_fps row;
	char at[4100];
	int64_t value;
	int sees = 1, count = 0;

	if (depth > 4 || in_array(c->files, g) || in_array(c->own, g) ||
	    (c->file && !strcmp(c->file, g)) ||
	    snprintf(at, sizeof(at), "@%s", a) >= (int)sizeof(at) ||
	    ft_pyfunc_names_has(mine, at) || ft_pyfunc_names_has(mine, "@*") ||
	    ft_pyfunc_names_has(mine, "<module>"))
		return 1;
	if (!pre && !mine)
		return 0;   /* g was made in no prelude of the test's session, nor in the test */
	if ((!ft_pyfunc_names_has(pre, "@+") && !ft_pyfunc_names_has(pre, "@%")) ||
	    ft_pyfunc_names_has(pre, "@-") || ft_pyfunc_names_has(pre, at) ||
	    ft_pyfunc_names_has(pre, "@*"))
		return 1;
	switch (seen_value(x, test, g, &value)) {
	case 0:
		break;
	case 2:
		/* g is not in the test's import closure: it ran none of g's
		 * code (mine is NULL) and read none of g's names; what a
		 * prelude ran of g, beyond its body, may hold `a` (a docstring
		 * or annotations read runs none of g's code). */
		if (!mine) {
			cJSON_ArrayForEach(r, pre)
				if (cJSON_IsString(r) && r->valuestring[0] != '@' &&
				    !read_key(r->valuestring) && strcmp(r->valuestring, "<module>"))
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
			vpre = cJSON_Parse(row.prelude);
		}
		ft_store_pyfunc_fps_clear(&row);
	}
	if (!cJSON_IsObject(names) || !cJSON_IsArray(vpre))
		goto out;
	cJSON_ArrayForEach(st, cJSON_GetObjectItem(names, "stmts")) {
		cJSON *bind = cJSON_GetArrayItem(st, 2), *ment = cJSON_GetArrayItem(st, 3);
		if (ft_pyfunc_names_has(ment, "*"))
			goto out;
		count += ft_pyfunc_names_has(bind, a) || ft_pyfunc_names_has(ment, a);
	}
	if (count != 1 || ft_pyfunc_names_has(vpre, at) || ft_pyfunc_names_has(vpre, "@*"))
		goto out;
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(names, "refs")) {
		if ((ft_pyfunc_names_has(r, a) || ft_pyfunc_names_has(r, "*")) &&
		    (runs_key(mine, r->string) || runs_key(pre, r->string) || runs_key(vpre, r->string)))
			goto out;
	}
further:
	{
		cJSON *one = cJSON_CreateArray();
		if (!one || !cJSON_AddItemToArray(one, cJSON_CreateString(a)))
			sees = 1;
		else
			sees = forwards_see(x, test, c, pre, one, NULL, depth + 1) ||
			       forwards_see(x, test, c, vpre, one, NULL, depth + 1);
		cJSON_Delete(one);
	}
out:
	cJSON_Delete(names);
	cJSON_Delete(vpre);
	return sees;
}

/* "`a`, `b`" (malloc'd; NULL: out of memory). */
static char *name_list(cJSON *names)
{
	size_t len = 8;
	char *s, *p;
	cJSON *n;

	cJSON_ArrayForEach(n, names)
		len += strlen(n->valuestring) + 4;
	if (!(s = p = malloc(len)))
		return NULL;
	*p = '\0';
	cJSON_ArrayForEach(n, names)
		p += sprintf(p, "%s`%s`", p == s ? "" : ", ", n->valuestring);
	return s;
}

/* "names `a`, `b` of the module changed, and <tail>" */
static void say_names(char **why, cJSON *names, const char *tail)
{
	char *list;

	if (why && !*why && (list = name_list(names))) {
		if (asprintf(why, "%s %s of the module changed, and %s",
			     cJSON_GetArraySize(names) > 1 ? "names" : "name", list, tail) < 0)
			*why = NULL;
		free(list);
	}
}

/* `hit` (keys a prelude ran or read; may be NULL) without the docstrings
 * of `wraps`: a pure decorator read them at import, into the wrapper the
 * changed name now holds, and the name's readers are kept anyway. */
static cJSON *unwrapped(cJSON *hit, cJSON *wraps)
{
	for (int i = hit ? cJSON_GetArraySize(hit) : 0; i-- > 0;)
		if (ft_pyfunc_names_has(wraps, cJSON_GetArrayItem(hit, i)->valuestring))
			cJSON_DeleteItemFromArray(hit, i);
	return hit;
}

/* A namespace change of version `v` (ft_pyfunc_names.h): 1 and v->names,
 * v->changed (the old body keys that differ, are gone, or can see a
 * changed name), v->wraps, v->marks, v->classes if it is one; 0 if not,
 * with v->why.  `root`: the file's pytest rootdir (NULL if none), whose
 * sessions' start-up modules an added `import` may name. */
static int names_change(struct fpver *v, cJSON *onames, cJSON *fresh,
			const struct ft__pyroot *root)
{
	cJSON *nbodies = cJSON_GetObjectItem(fresh, "bodies"), *b;
	struct ft_pyfunc_names_in in = { .tmod = v->tmod };
	struct ft_pyfunc_names_out res;
	const char *why = NULL;
	int r;

	if (root && root->has_loaded) {
		in.loaded = root->loaded;
		in.nloaded = root->nloaded;
	}
	if (root && root->has_stdlib) {
		in.stdlib = root->stdlib;
		in.nstdlib = root->nstdlib;
	}
	if (root)
		in.std = root->std;
	r = cJSON_IsObject(onames) && cJSON_IsObject(v->obodies) && cJSON_IsObject(nbodies)
		    ? ft_pyfunc_names_diff(onames, cJSON_GetObjectItem(fresh, "names"), &in, &res,
					   &why)
		    : 0;
	if (r <= 0) {
		if (why && strncmp(why, "function granularity:", 21))
			say(&v->why, why);
		return 0;
	}
	v->wraps = res.wraps;
	v->marks = res.marks;
	v->classes = res.classes;
	if (!(v->changed = cJSON_CreateArray())) {
		cJSON_Delete(res.names);
		cJSON_Delete(res.keys);
		return 0;
	}
	cJSON_ArrayForEach(b, v->obodies) {
		cJSON *nb = cJSON_GetObjectItemCaseSensitive(nbodies, b->string);
		if (!cJSON_IsString(nb) || !cJSON_IsString(b) || strcmp(nb->valuestring, b->valuestring) ||
		    ft_pyfunc_names_has(res.keys, b->string))
			cJSON_AddItemToArray(v->changed, cJSON_CreateString(b->string));
	}
	cJSON_Delete(res.keys);
	v->names = res.names;
	return 1;
}

/* The kind of the statement of the "names" object `names` that binds
 * `name` (the first), or NULL if none does. */
static const char *binder_kind(cJSON *names, const char *name)
{
	cJSON *st, *k;

	cJSON_ArrayForEach(st, cJSON_GetObjectItem(names, "stmts"))
		if (ft_pyfunc_names_has(cJSON_GetArrayItem(st, 2), name))
			return cJSON_IsString(k = cJSON_GetArrayItem(st, 1)) ? k->valuestring : "";
	return NULL;
}

/* Is the class `name`, bound by a statement of kind `kind`, one pytest
 * collects tests from: a unittest TestCase ("tclass", whatever its name)
 * or a plain class named by python_classes? */
static int test_class(const struct ft__pyroot *root, const char *kind, const char *name)
{
	return kind && (!strcmp(kind, "tclass") ||
			(!strcmp(kind, "class") &&
			 ft__pyroot_matches(root->pyclasses, root->npyclasses, name)));
}

/* A namespace change of a test module (v->tmod): every changed "mark"
 * statement must bind a test function (pytest collects it; a marked
 * helper's marks would reach no test we could name), a changed class
 * that was a test class (test_class) must be one still or be gone (its
 * old tests' ids would name nothing), and v->tnow gets the changed names
 * that are test functions or test classes now: pytest is asked for them
 * whole.  A class is never a test function, whatever its name.  1, or 0
 * with v->why.  `onames`: the "names" of the version the tests saw. */
static int test_names(struct ft_selection *sel, struct fpver *v, const char *path, cJSON *fresh,
		      cJSON *onames)
{
	const struct ft__pyroot *root = ft__select_pyroot(sel, path);
	cJSON *nnames = cJSON_GetObjectItem(fresh, "names"), *e;

	if (!root || !root->has_pyfuncs) {
		say(&v->why, "function granularity: the test module's collection options are not "
			     "recorded (python_functions): selected by skeleton");
		return 0;
	}
	cJSON_ArrayForEach(e, v->marks)
		if (!ft__pyroot_matches(root->pyfuncs, root->npyfuncs, e->valuestring)) {
			say(&v->why, "skeleton changed (a function with pytest marks that is no test)");
			return 0;
		}
	cJSON_ArrayForEach(e, v->classes) {
		const char *now = binder_kind(nnames, e->valuestring);
		if (!root->has_pyclasses) {
			say(&v->why, "function granularity: the test module's collection options are "
				     "not recorded (python_classes): selected by skeleton");
			return 0;
		}
		if (now && test_class(root, binder_kind(onames, e->valuestring), e->valuestring) &&
		    !test_class(root, now, e->valuestring)) {
			say(&v->why, "skeleton changed (a test class became no test class)");
			return 0;
		}
	}
	if (!(v->tnow = cJSON_CreateArray()) || !(v->tgone = cJSON_CreateArray()))
		return 0;
	cJSON_ArrayForEach(e, v->names) {
		const char *now = binder_kind(nnames, e->valuestring);
		if (!now)
			cJSON_AddItemToArray(v->tgone, cJSON_CreateString(e->valuestring));
		else if (!strcmp(now, "class") || !strcmp(now, "tclass")
				 ? test_class(root, now, e->valuestring)
				 : ft__pyroot_matches(root->pyfuncs, root->npyfuncs, e->valuestring))
			cJSON_AddItemToArray(v->tnow, cJSON_CreateString(e->valuestring));
	}
	return 1;
}

/* What the change did to version (path, value): computed once per version
 * (NULL: out of memory).  `fresh` = the file's fingerprints now. */
static struct fpver *version(struct ctx *x, const char *path, int64_t value, cJSON *fresh)
{
	cJSON *prelude = NULL, *onames = NULL, *nbodies, *b, *hit;
	struct ft_store_pyfunc_fps row;
	struct fpver *v;
	int ok = 0, found = 0, ns = 0;

	for (size_t i = 0; i < x->nv; i++)
		if (x->v[i].value == value && !strcmp(x->v[i].path, path))
			return &x->v[i];
	if (!(v = ft_vec_grow(x->v, &x->capv, x->nv, sizeof(*x->v), 16)))
		return NULL;
	x->v = v;
	v = &x->v[x->nv];
	memset(v, 0, sizeof(*v));
	if (!(v->path = strdup(path)))
		return NULL;
	v->value = value;
	x->nv++;
	if (ft_store_pyfunc_fps_get(x->r, path, value, &row) > 0) {
		cJSON *skel = cJSON_GetObjectItem(fresh, "skeleton");
		found = 1;
		ok = cJSON_IsString(skel) && row.skeleton && !strcmp(row.skeleton, skel->valuestring);
		v->obodies = cJSON_Parse(row.bodies);
		prelude = cJSON_Parse(row.prelude);
		if (!ok && row.names)
			onames = cJSON_Parse(row.names);
		v->tmod = ft_pyfunc_names_has(prelude, "@%");
		ft_store_pyfunc_fps_clear(&row);
	}
	if (!found)
		say(&v->why, "function granularity: no fingerprints of the version the test saw");
	else if (!ok && cJSON_IsArray(prelude) &&
		 names_change(v, onames, fresh, ft__select_pyroot(x->sel, path))) {
		/* Module-level names changed, nothing else of the skeleton: a
		 * read of one at import (the prelude, any run) is skeleton. */
		const char *n = reads_name(prelude, v->names);
		cJSON *k;
		ns = 1;
		/* re-exports: the tests decide (file_unaffected) */
		cJSON_ArrayForEach(k, prelude)
			if (cJSON_IsString(k) && !strncmp(k->valuestring, "@>", 2) &&
			    (v->fwds || (v->fwds = cJSON_CreateArray())))
				cJSON_AddItemToArray(v->fwds, cJSON_CreateString(k->valuestring));
		if (n && !strcmp(n, "*"))
			say_names(&v->why, v->names, "code outside "
				  "any test (import, collection or a shared fixture) read its whole namespace");
		else if (n)
			say_names(&v->why, v->names, "code outside "
				  "any test (import, collection or a shared fixture) read one");
		hit = n ? NULL : unwrapped(runs_changed(prelude, v->obodies, v->changed), v->wraps);
		ok = !n && !blame(hit, &v->why, " changed or can see a changed name, and ", RAN,
				  " outside any test (import, collection or a shared fixture): skeleton");
		cJSON_Delete(hit);
		ok = ok && (!v->tmod || test_names(x->sel, v, path, fresh, onames));
	}
	if (found && !ok && !ns)
		say(&v->why, "skeleton changed (code outside function bodies: module statements, "
			     "class bodies, decorators, signatures or docstrings)");
	cJSON_Delete(onames);
	if (ns) {
		v->bodies_only = ok;
		cJSON_Delete(prelude);
		return v;
	}
	nbodies = cJSON_GetObjectItem(fresh, "bodies");
	ok = ok && cJSON_IsObject(v->obodies) && cJSON_IsArray(prelude) && cJSON_IsObject(nbodies);
	if (ok) {
		/* The skeleton is equal, so the body keys are the same; a key on
		 * one side only would be a skeleton change: keep the test. */
		v->changed = cJSON_CreateArray();
		ok = v->changed != NULL;
		cJSON_ArrayForEach(b, v->obodies) {
			cJSON *nb = cJSON_GetObjectItemCaseSensitive(nbodies, b->string);
			if (!cJSON_IsString(nb) || !cJSON_IsString(b))
				ok = 0;
			else if (ok && strcmp(nb->valuestring, b->valuestring))
				cJSON_AddItemToArray(v->changed, cJSON_CreateString(b->string));
		}
		ok = ok && cJSON_GetArraySize(v->obodies) == cJSON_GetArraySize(nbodies);
		if (!ok)
			say(&v->why, "skeleton changed (the set of functions)");
		/* A body that ran in a prelude is baked into module state: it is
		 * skeleton, and every test the file selected stays. */
		hit = ok ? runs_changed(prelude, v->obodies, v->changed) : NULL;
		ok = ok && !blame(hit, &v->why, " changed, and ", RAN, " outside any test (import, "
				  "collection or a shared fixture): skeleton");
		cJSON_Delete(hit);
	}
	cJSON_Delete(prelude);
	v->bodies_only = ok;
	return v;
}

/* The name of the module-level function or class test `id` is of ("f" of
 * "a/test_x.py::f[1]"), into `out`.  0 if it has none (or too long). */
static int test_function_of(const char *id, char *out, size_t cap)
{
	const char *c = strstr(id, "::"), *e;
	size_t n;

	if (!c || c == id)
		return 0;
	c += 2;
	for (e = c; *e && *e != '[' && strncmp(e, "::", 2); e++)
		;
	n = (size_t)(e - c);
	if (!n || n >= cap)
		return 0;
	memcpy(out, c, n);
	out[n] = '\0';
	return 1;
}

/* Note "file::name" of each test function or class of v->tnow, the file
 * part taken from `test`, a test of that module. */
static void note_additions(struct ctx *x, const char *test, const char *path,
			   const struct fpver *v)
{
	const char *c = strstr(test, "::");
	size_t pl = c ? (size_t)(c - test) : 0;
	cJSON *e;

	if (!pl)
		return;
	cJSON_ArrayForEach(e, v->tnow) {
		struct addition *a;
		char *id;
		int dup = 0;
		if (asprintf(&id, "%.*s::%s", (int)pl, test, e->valuestring) < 0)
			return;
		for (size_t i = 0; i < x->nadd && !dup; i++)
			dup = !strcmp(x->add[i].id, id);
		if (dup || !(a = ft_vec_grow(x->add, &x->capadd, x->nadd, sizeof(*x->add), 8))) {
			free(id);
			continue;
		}
		x->add = a;
		a = &x->add[x->nadd];
		a->id = id;
		if (!(a->path = strdup(path))) {
			free(id);
			continue;
		}
		x->nadd++;
	}
}

/* A test of the test module `path` itself, under a namespace change of
 * it (v->tmod): its own function or class changed and is still a test
 * (keep it: 0; pytest is asked for it whole, note_additions), or is gone
 * (1); -1 if it did not change (the other rules decide). */
static int own_test(struct ctx *x, const char *test, const char *path, const struct fpver *v,
		    char **why)
{
	char name[1024];

	note_additions(x, test, path, v);
	if (!test_function_of(test, name, sizeof(name)) ||
	    !ft_pyfunc_names_has(v->names, name))
		return -1;
	if (ft_pyfunc_names_has(v->tgone, name)) {
		say(why, "its test function or class is gone from the module");
		return 1;
	}
	if (!ft_pyfunc_names_has(v->tnow, name))
		return -1;
	say(why, "its test function or class changed (pytest collects it anew, whole)");
	return 0;
}

/* 1 if the change of `path` cannot affect candidate `c`, 0 if it may.  The
 * preludes: of every run that saw this version (pyfunc_fps.prelude) and of
 * the test's own run (pyfunc_runs), so that a run whose fingerprints could
 * not be stored still lends its prelude to its tests.  `why` (NULL: not
 * wanted) receives what changed in the file, for --explain (malloc'd; may
 * stay NULL when out of memory). */
static int file_unaffected(struct ctx *x, const char *test, const char *path, const struct cand *c,
			   char **why)
{
	cJSON *fresh = cJSON_GetObjectItemCaseSensitive(x->now, path), *hit;
	struct fpver *v;
	int64_t value;
	int ok;

	if (!cJSON_IsObject(fresh)) {
		say(why, "function granularity: the file cannot be read or parsed now: selected by file");
		return 0;
	}
	if (seen_value(x, test, path, &value)) {
		say(why, "function granularity: the test recorded more than one version of the file");
		return 0;
	}
	if (!(v = version(x, path, value, fresh)))
		return 0;
	/* Reached only through an import on demand inside code the test never
	 * ran, and nothing of the file ran in the test, in its own processes
	 * or, beyond the file's import, in its run's preludes: no change of
	 * the file counts for it (docs/python-functions.md, "Lazy imports"). */
	if (c->lazy && in_array(c->lazy, path) && !cJSON_GetObjectItemCaseSensitive(c->funcs, path) &&
	    !in_array(c->own, path) &&
	    !ran_beyond_import(c->prelude, path, cJSON_GetObjectItem(fresh, "bodies"), v->obodies)) {
		say(why, "the test reaches the file only through an import inside a function it "
			 "never ran (a lazy import), and ran none of its code");
		return 1;
	}
	if (!v->bodies_only) {
		if (v->why)
			say(why, v->why);
		return 0;
	}
	if (v->names) {
		cJSON *pre = cJSON_GetObjectItemCaseSensitive(c->prelude, path);
		cJSON *mine = cJSON_GetObjectItemCaseSensitive(c->funcs, path);
		const char *n;
		if ((!ft_pyfunc_names_has(pre, "@+") && !ft_pyfunc_names_has(pre, "@%")) ||
		    ft_pyfunc_names_has(pre, "@-")) {
			say_names(why, v->names, "the test's "
				  "session did not see every read of its names (a module made before "
				  "the recorder started, or not by the import system)");
			return 0;
		}
		if ((n = reads_name(pre, v->names))) {
			say_names(why, v->names, !strcmp(n, "*")
				  ? "the test's session read its "
				    "whole namespace outside any test"
				  : "the test's session read one "
				    "outside any test");
			return 0;
		}
		if ((n = reads_name(mine, v->names))) {
			say_names(why, v->names, !strcmp(n, "*")
				  ? "the test read its whole "
				    "namespace (vars(), dir(), a star import)"
				  : "the test read one");
			return 0;
		}
		if (forwards_see(x, test, c, v->fwds, v->names, fresh, 0) ||
		    forwards_see(x, test, c, pre, v->names, fresh, 0)) {
			say_names(why, v->names, "a module's "
				  "from-import re-exports one, and the test can see it there");
			return 0;
		}
		if (ft_pyfunc_names_has(mine, "<module>")) {
			say_names(why, v->names, "the test ran "
				  "the module's code itself (an import in the test, a reload)");
			return 0;
		}
		if (v->tmod && c->file && !strcmp(c->file, path))
			switch (own_test(x, test, path, v, why)) {
			case 0:
				return 0;
			case 1:
				return 1;
			}
	}
	hit = unwrapped(runs_changed(cJSON_GetObjectItemCaseSensitive(c->prelude, path), v->obodies,
				     v->changed), v->wraps);
	ok = !blame(hit, why, " changed, and ", RAN, " outside any test (import, "
		    "collection or a shared fixture): skeleton");
	cJSON_Delete(hit);
	hit = ok ? runs_changed(cJSON_GetObjectItemCaseSensitive(c->funcs, path), v->obodies,
				v->changed) : NULL;
	ok = ok && !blame(hit, why, v->names ? " changed or can see a changed name, and the test "
					     : " changed, and the test ", TEST_RAN, "");
	cJSON_Delete(hit);
	/* What the test's own processes ran is unknown: only an edit that
	 * changes no fingerprint at all (comments, layout) spares it. */
	if (ok && in_array(c->own, path) && (cJSON_GetArraySize(v->changed) > 0 || v->names)) {
		blame(v->changed, why, " changed, and the test's own processes (a "
		      "subprocess, not recorded by function) used the file", NONE, "");
		say_names(why, v->names, "the test's own processes (a subprocess, not "
			  "recorded by function) used the file");
		ok = 0;
	}
	if (ok && cJSON_GetArraySize(v->changed) > 0)
		blame(v->changed, why, " changed, not ", RUN, " by the test");
	else if (ok)
		say(why, "no fingerprint changed (comments or layout only)");
	return ok;
}

int ft_pyfunc_filter(struct ft_store *st, struct ft_selection *sel, const char *python,
		     const char *tool, struct ft_pyfunc_stats *stats, struct ft_pyfunc_notes *notes)
{
	struct ctx x = { .st = st, .sel = sel };
	struct cand *cands;
	struct ft_spawn py = { .pid = -1 };
	struct ft_fpcache fc = { 0 };
	char *fckey = NULL;   /* the fingerprint cache's key (ft_fpcache_key) */
	cJSON *files, *missing = NULL, *e, **rfiles;
	unsigned char *drop;
	size_t nc = 0, o = 0, n0 = sel->n;   /* rfiles has n0 */
	int rc = 0, in_txn = 0, stored = 0;

	memset(stats, 0, sizeof(*stats));
	if (!sel->complete || !sel->n || !ft_store_has_table(st, "pyfunc_fps") ||
	    !ft_store_has_table(st, "pyfunc_tests"))
		return 0;
	cands = calloc(sel->n, sizeof(*cands));
	drop = calloc(sel->n, 1);
	rfiles = calloc(sel->n, sizeof(*rfiles));
	files = cJSON_CreateArray();
	if (!cands || !drop || !rfiles || !files) {
		rc = -ENOMEM;
		goto out;
	}
	/* The changed .py files come from the selection alone: the tool starts
	 * on them at once and parses while the recordings are read below (a
	 * file no candidate needs in the end is fingerprinted for nothing). */
	for (size_t i = 0; i < sel->n; i++) {
		if (!(rfiles[i] = reason_files(&sel->tests[i])))
			continue;
		cJSON_ArrayForEach(e, rfiles[i]) {
			if (!in_array(files, e->valuestring))
				cJSON_AddItemToArray(files, cJSON_CreateString(e->valuestring));
		}
	}
	if (cJSON_GetArraySize(files) > 0) {
		stats->files = (size_t)cJSON_GetArraySize(files);
		/* fingerprints of these very contents computed before, if any
		 * (python/ft_pyfunc_fpcache.h); the tool for the others */
		if (!(x.now = cJSON_CreateObject()) || !(missing = cJSON_CreateArray()) ||
		    !(fckey = ft_fpcache_key(python, tool)) ||
		    (rc = ft_fpcache_lookup(st, fckey, files, x.now, missing, &fc)) < 0) {
			rc = rc < 0 ? rc : -ENOMEM;
			goto out;
		}
		stats->cached = stats->files - (size_t)cJSON_GetArraySize(missing);
	}
	if (missing && cJSON_GetArraySize(missing) > 0) {
		stats->python_ran = 1;
		if ((rc = fingerprints_start(sel, python, tool, missing, &py)) < 0)
			goto out;
	}
	/* One read transaction: one shared lock for the thousands of lookups
	 * below instead of a lock (and a hot-journal check) per statement. */
	if ((rc = ft_store_read_begin_unless(st, &in_txn)) < 0)
		goto out;
	if ((rc = ft_store_pyfunc_open(st, &x.r)) < 0)
		goto out;
	for (size_t i = 0; i < sel->n; i++) {
		const char *why = NULL;
		cJSON *rf = rfiles[i];
		rfiles[i] = NULL;
		if (rf && candidate(&x, &sel->tests[i], rf, &cands[nc], &why)) {
			cands[nc++].index = i;
		} else if (why && notes && (rc = note_add(notes, sel->tests[i].id, NULL,
							   strdup(why))) < 0) {
			goto out;
		}
	}
	stats->candidates = nc;
	if (!nc)
		goto out;   /* the tool's output is not needed: abandoned below */
	if (py.pid >= 0) {
		cJSON *fresh = NULL, *it, *next;
		if ((rc = ft_pyhelper_finish(&py, &fresh)) < 0)
			goto out;
		for (it = fresh->child; it; it = next) {
			next = it->next;
			cJSON_AddItemToObject(x.now, it->string,
					      cJSON_DetachItemViaPointer(fresh, it));
		}
		cJSON_Delete(fresh);
		stored = 1;
	}
	for (size_t k = 0; k < nc; k++) {
		const char *id = sel->tests[cands[k].index].id;
		int ok = 1;
		/* every file, not only up to the first that keeps the test:
		 * --explain names what changed in each */
		cJSON_ArrayForEach(e, cands[k].files) {
			char *why = NULL;
			if (!ok && !notes)
				break;
			ok &= file_unaffected(&x, id, e->valuestring, &cands[k],
					      notes ? &why : NULL);
			if (why && (rc = note_add(notes, id, e->valuestring, why)) < 0)
				goto out;
		}
		drop[cands[k].index] = (unsigned char)ok;
	}
	/* A test module some of whose tests go: its changed test functions
	 * are asked for whole (new ones, new parameters); when none goes,
	 * the module is printed whole anyway (ft_pytest_args.h). */
	for (size_t i = 0; i < x.nadd; i++) {
		int any = 0;
		for (size_t k = 0; k < nc && !any; k++)
			any = drop[cands[k].index] && cands[k].file &&
			      !strcmp(cands[k].file, x.add[i].path);
		x.add[i].path[0] = any ? x.add[i].path[0] : '\0';
	}
	for (size_t i = 0; i < sel->n; i++) {
		if (drop[i])
			stats->dropped++;
		else
			sel->tests[o++] = sel->tests[i];
	}
	sel->n = o;
	for (size_t i = 0; i < x.nadd; i++)
		if (x.add[i].path[0] && (rc = ft__select_add(sel, x.add[i].id, x.add[i].path)) < 0)
			goto out;
out:
	/* not finished: nothing needs its output (no candidate, or an error
	 * is already set), so it is not waited for */
	(void)ft_spawn_abandon(&py);
	for (size_t i = 0; rfiles && i < n0; i++)
		cJSON_Delete(rfiles[i]);
	free(rfiles);
	for (size_t k = 0; cands && k < nc; k++) {
		cJSON_Delete(cands[k].files);
		cJSON_Delete(cands[k].funcs);
		cJSON_Delete(cands[k].own);
		cJSON_Delete(cands[k].lazy);
		free(cands[k].file);
	}
	free(cands);
	free(drop);
	ctx_release(&x);
	if (in_txn)
		ft_store_write_commit(st);
	/* for the next call (after the read transaction: it may write) */
	if (rc >= 0 && stored)
		ft_fpcache_store(st, fckey, &fc, x.now);
	ft_fpcache_release(&fc);
	free(fckey);
	cJSON_Delete(missing);
	cJSON_Delete(files);
	cJSON_Delete(x.now);
	return rc;
}
