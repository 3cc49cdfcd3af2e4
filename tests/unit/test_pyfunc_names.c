/*
 * test_pyfunc_names.c - ft_pyfunc_names_diff(): which skeleton changes
 * are namespace changes, and which bodies can see them
 * (python/ft_pyfunc_names.h).  The statement lists are written by hand
 * in the fingerprint tool's format; t9018 covers the whole path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ft_pyfunc_names.h"

/* The statements of a module, each "hash kind bind,bind ment,ment" with
 * "-" for an empty list, a from-import's followed by "src,src" (the names
 * it imports) and, now, "1,0" (which of them its module has); refs
 * "key:name,name;key:name". */
static cJSON *names(const char *const *stmts, const char *refs)
{
	cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "stmts");
	cJSON *r = cJSON_AddObjectToObject(o, "refs");
	char buf[256];

	for (; *stmts; stmts++) {
		char *h, *k, *b, *m, *f, *hv, *save, *tok;
		cJSON *s = cJSON_CreateArray(), *bind = cJSON_CreateArray(), *ment = cJSON_CreateArray();
		snprintf(buf, sizeof(buf), "%s", *stmts);
		h = strtok_r(buf, " ", &save);
		k = strtok_r(NULL, " ", &save);
		b = strtok_r(NULL, " ", &save);
		m = strtok_r(NULL, " ", &save);
		f = strtok_r(NULL, " ", &save);
		hv = strtok_r(NULL, " ", &save);
		cJSON_AddItemToArray(s, cJSON_CreateString(h));
		cJSON_AddItemToArray(s, cJSON_CreateString(k));
		for (tok = strtok_r(b, ",", &save); tok && strcmp(tok, "-"); tok = strtok_r(NULL, ",", &save))
			cJSON_AddItemToArray(bind, cJSON_CreateString(tok));
		for (tok = strtok_r(m, ",", &save); tok && strcmp(tok, "-"); tok = strtok_r(NULL, ",", &save))
			cJSON_AddItemToArray(ment, cJSON_CreateString(tok));
		cJSON_AddItemToArray(s, bind);
		cJSON_AddItemToArray(s, ment);
		if (f) {
			cJSON *src = cJSON_CreateArray();
			for (tok = strtok_r(f, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
				cJSON_AddItemToArray(src, cJSON_CreateString(tok));
			cJSON_AddItemToArray(s, src);
		}
		if (hv) {
			cJSON *have = cJSON_CreateArray();
			for (tok = strtok_r(hv, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
				cJSON_AddItemToArray(have, cJSON_CreateNumber(atoi(tok)));
			cJSON_AddItemToArray(s, have);
		}
		cJSON_AddItemToArray(arr, s);
	}
	snprintf(buf, sizeof(buf), "%s", refs);
	for (char *save, *e = strtok_r(buf, ";", &save); e; e = strtok_r(NULL, ";", &save)) {
		char *colon = strchr(e, ':'), *save2;
		cJSON *list = cJSON_CreateArray();
		*colon = '\0';
		for (char *n = strtok_r(colon + 1, ",", &save2); n; n = strtok_r(NULL, ",", &save2))
			cJSON_AddItemToArray(list, cJSON_CreateString(n));
		cJSON_AddItemToObject(r, e, list);
	}
	return o;
}

/* The sorted, comma-joined strings of a JSON array. */
static char *joined(cJSON *arr)
{
	static char out[256];
	const char *v[32];
	int n = 0;
	cJSON *e;

	cJSON_ArrayForEach(e, arr)
		v[n++] = e->valuestring;
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (strcmp(v[j], v[i]) < 0) {
				const char *t = v[i];
				v[i] = v[j];
				v[j] = t;
			}
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, v[i]);
	}
	return out;
}

/* ft_pyfunc_names_diff over two lists (`tmod`: of a test module): its
 * result; *n, *k, *mk and *cl the changed names, the keys, the changed
 * "mark" names and the changed "class" names, joined (or "" when it is no
 * namespace change). */
static char *const LOADED[] = { "pathlib", "subprocess" };
static char *const STDLIB[] = { "os", "threading" };

static int diff_in(const char *const *a, const char *const *b, const char *refs,
		   const struct ft_pyfunc_names_in *in, char *n, char *k, char *mk, char *cl)
{
	cJSON *o = names(a, ""), *w = names(b, refs);
	struct ft_pyfunc_names_out res;
	const char *why = NULL;
	int r = ft_pyfunc_names_diff(o, w, in, &res, &why);
	cJSON *nn = res.names, *kk = res.keys, *ww = res.wraps, *mm = res.marks, *cc = res.classes;
	cJSON *aa = res.attrs;

	strcpy(n, r == 1 ? joined(nn) : "");
	strcpy(k, r == 1 ? joined(kk) : "");
	if (mk)
		strcpy(mk, r == 1 ? joined(mm) : "");
	if (cl)
		strcpy(cl, r == 1 ? joined(cc) : "");
	if (r != 1) {
		assert_null(nn);
		assert_null(mm);
		assert_null(cc);
	}
	cJSON_Delete(nn);
	cJSON_Delete(kk);
	cJSON_Delete(ww);
	cJSON_Delete(mm);
	cJSON_Delete(cc);
	cJSON_Delete(aa);
	cJSON_Delete(o);
	cJSON_Delete(w);
	return r;
}

/* ft_pyfunc_names_diff of a test module: its names, keys and attrs
 * ("?M.a" entries gained by project from-imports), comma-joined. */
static int diff_attrs(const char *const *a, const char *const *b, const char *refs, char *n,
		      char *k, char *at, const char **why)
{
	cJSON *o = names(a, ""), *w = names(b, refs);
	struct ft_pyfunc_names_in in = { .tmod = 1 };
	struct ft_pyfunc_names_out res;
	int r = ft_pyfunc_names_diff(o, w, &in, &res, why);

	strcpy(n, r == 1 ? joined(res.names) : "");
	strcpy(k, r == 1 ? joined(res.keys) : "");
	strcpy(at, r == 1 ? joined(res.attrs) : "");
	if (r != 1)
		assert_null(res.attrs);
	cJSON_Delete(res.names);
	cJSON_Delete(res.keys);
	cJSON_Delete(res.wraps);
	cJSON_Delete(res.marks);
	cJSON_Delete(res.classes);
	cJSON_Delete(res.attrs);
	cJSON_Delete(o);
	cJSON_Delete(w);
	return r;
}

static int diff_cls(const char *const *a, const char *const *b, const char *refs, int tmod,
		    char *n, char *k, char *mk, char *cl)
{
	struct ft_pyfunc_names_in in = { .tmod = tmod, .loaded = LOADED, .nloaded = 2 };

	return diff_in(a, b, refs, &in, n, k, mk, cl);
}

static int diff_mod(const char *const *a, const char *const *b, const char *refs, int tmod,
		    char *n, char *k, char *mk)
{
	return diff_cls(a, b, refs, tmod, n, k, mk, NULL);
}

static int diff(const char *const *a, const char *const *b, const char *refs, char *n, char *k)
{
	return diff_mod(a, b, refs, 0, n, k, NULL);
}

static const char *const BASE[] = {
	"h0 other - -", "h1 from:math factorial,sqrt - factorial,sqrt", "h2 other - LIMIT",
	"h3 def add -", "h4 other - register,deco", "h5 def fact -", NULL,
};
#define REFS "add:a,b;fact:factorial,n;deco:x;look:*"

static void test_names__added_between_others(void **state)
{
	static const char *const now[] = {
		"h0 other - -", "h1 from:math factorial,sqrt - factorial,sqrt", "h2 other - LIMIT",
		"h3 def add -", "h9 def newest -", "h4 other - register,deco", "h5 def fact -", NULL,
	};
	char n[256], k[256];
	(void)state;
	/* the longest common subsequence matches the decorated (other)
	 * statement after the new one: only newest is unmatched */
	assert_int_equal(diff(BASE, now, REFS, n, k), 1);
	assert_string_equal(n, "newest");
	assert_string_equal(k, "look,newest");   /* look reads globals(): "*" */
}

static void test_names__resigned_and_import_shrunk(void **state)
{
	static const char *const now[] = {
		"h0 other - -", "h8 from:math sqrt - sqrt", "h2 other - LIMIT",
		"h7 def add -", "h4 other - register,deco", "h5 def fact -", NULL,
	};
	char n[256], k[256];
	(void)state;
	assert_int_equal(diff(BASE, now, REFS, n, k), 1);
	assert_string_equal(n, "add,factorial");
	assert_string_equal(k, "add,fact,look");
}

static void test_names__not_namespace_changes(void **state)
{
	static const char *const grown[] = {
		"h0 other - -", "h8 from:math factorial,sqrt,tau - factorial,sqrt,tau 1,1,1", "h2 other - LIMIT",
		"h3 def add -", "h4 other - register,deco", "h5 def fact -", NULL,
	};
	static const char *const other[] = {
		"h0 other - -", "h1 from:math factorial,sqrt - factorial,sqrt", "h6 other - LIMIT",
		"h3 def add -", "h4 other - register,deco", "h5 def fact -", NULL,
	};
	static const char *const mentioned[] = {
		"h0 other - -", "h1 from:math factorial,sqrt - factorial,sqrt", "h2 other - LIMIT",
		"h7 def add -", "h4 other - register,deco,add", "h5 def fact -", NULL,
	};
	static const char *const twice[] = {
		"h0 other - -", "h1 from:math factorial,sqrt - factorial,sqrt", "h2 other - LIMIT",
		"h3 def add -", "h4 other - register,deco", "h5 def fact -", "h9 def sqrt -", NULL,
	};
	static const char *const whole[] = {
		"h0 other - *", "h1 from:math factorial,sqrt - factorial,sqrt", "h2 other - LIMIT",
		"h3 def add -", "h4 other - register,deco", "h5 def fact -", "h9 def newest -", NULL,
	};
	static const char *const removed[] = {
		"h0 other - -", "h2 other - LIMIT",
		"h3 def add -", "h4 other - register,deco", "h5 def fact -", NULL,
	};
	char n[256], k[256];
	(void)state;
	assert_int_equal(diff(BASE, grown, REFS, n, k), 0);      /* an import may fail */
	assert_int_equal(diff(BASE, other, REFS, n, k), 0);      /* an assignment */
	assert_int_equal(diff(BASE, mentioned, REFS, n, k), 0);  /* held by module state */
	assert_int_equal(diff(BASE, twice, REFS, n, k), 0);      /* bound by the import too */
	assert_int_equal(diff(BASE, whole, REFS, n, k), 0);      /* globals() at module level */
	assert_int_equal(diff(BASE, removed, REFS, n, k), 0);    /* an import statement gone */
}

static void test_names__def_removed_and_moved(void **state)
{
	static const char *const now[] = {
		"h0 other - -", "h1 from:math factorial,sqrt - factorial,sqrt", "h2 other - LIMIT",
		"h4 other - register,deco", "h3 def add -", NULL,
	};
	char n[256], k[256];
	(void)state;
	/* add moved below the decorated statement, fact removed */
	assert_int_equal(diff(BASE, now, REFS, n, k), 1);
	assert_string_equal(n, "add,fact");
	assert_string_equal(k, "add,fact,look");
}

static void test_names__preloaded_import(void **state)
{
	static const char *const added[] = {
		"h0 other - -", "h9 import:os os -", "h1 from:math factorial,sqrt - factorial,sqrt",
		"h2 other - LIMIT", "h3 def add -", "h4 other - register,deco", "h5 def fact -", NULL,
	};
	static const char *const removed[] = {
		"h1 from:math factorial,sqrt - factorial,sqrt", "h2 other - LIMIT", "h3 def add -",
		"h4 other - register,deco", "h5 def fact -", NULL,
	};
	static const char *const named[] = {
		"h0 other - -", "h9 import:os os -", "h1 from:math factorial,sqrt - factorial,sqrt",
		"h2 other - LIMIT,os", "h3 def add -", "h4 other - register,deco", "h5 def fact -", NULL,
	};
	char n[256], k[256];
	(void)state;
	/* added: its name, and the bodies that name it or read globals() */
	assert_int_equal(diff(BASE, added, REFS ";env:os", n, k), 1);
	assert_string_equal(n, "os");
	assert_string_equal(k, "env,look");
	/* any other statement removed (h0 is "other"): not a namespace change */
	assert_int_equal(diff(BASE, removed, REFS, n, k), 0);
	/* removed, with the other statements kept: its name */
	assert_int_equal(diff(added, BASE, REFS, n, k), 1);
	assert_string_equal(n, "os");
	/* added, and module-level code names it: no narrowing */
	assert_int_equal(diff(BASE, named, REFS, n, k), 0);
}

static void test_names__malformed(void **state)
{
	cJSON *o = cJSON_Parse("{\"stmts\": [[\"h\", \"def\"]], \"refs\": {}}");
	cJSON *w = names(BASE, REFS);
	struct ft_pyfunc_names_in in = { 0 };
	struct ft_pyfunc_names_out res;
	const char *why = NULL;
	(void)state;
	assert_int_equal(ft_pyfunc_names_diff(o, w, &in, &res, &why), 0);
	assert_non_null(why);
	assert_null(res.names);
	assert_int_equal(ft_pyfunc_names_diff(NULL, w, &in, &res, &why), 0);
	cJSON_Delete(o);
	cJSON_Delete(w);
}

/* "stdimport:M": an import of modules every recorded session had loaded
 * at start-up (LOADED) only binds, as "import:M" does; of others it may
 * run their code or fail. */
static void test_names__loaded_import(void **state)
{
	static const char *const added[] = {
		"h0 other - -", "h9 stdimport:subprocess,pathlib subprocess,pathlib -",
		"h1 from:math factorial,sqrt - factorial,sqrt", "h2 other - LIMIT", "h3 def add -",
		"h4 other - register,deco", "h5 def fact -", NULL,
	};
	static const char *const unloaded[] = {
		"h0 other - -", "h9 stdimport:subprocess,colorsys subprocess,colorsys -",
		"h1 from:math factorial,sqrt - factorial,sqrt", "h2 other - LIMIT", "h3 def add -",
		"h4 other - register,deco", "h5 def fact -", NULL,
	};
	static const char *const prefix[] = {
		"h0 other - -", "h9 stdimport:path path -", "h1 from:math factorial,sqrt - factorial,sqrt",
		"h2 other - LIMIT", "h3 def add -", "h4 other - register,deco", "h5 def fact -", NULL,
	};
	char n[256], k[256];
	(void)state;
	assert_int_equal(diff(BASE, added, REFS ";run:subprocess", n, k), 1);
	assert_string_equal(n, "pathlib,subprocess");
	assert_string_equal(k, "look,run");
	assert_int_equal(diff(added, BASE, REFS, n, k), 1);   /* removed */
	assert_int_equal(diff(BASE, unloaded, REFS, n, k), 0);
	assert_int_equal(diff(BASE, prefix, REFS, n, k), 0);  /* "path" is not "pathlib" */
}

/* A test module (docs/python-functions.md, "Test modules"). */
static const char *const TMOD[] = {
	"t0 import:shutil shutil -", "t1 other - pytest", "t2 def _twice -",
	"t3 mark test_a pytest,x", "t4 other - five,pytest", "t5 def test_b -", NULL,
};
#define TREFS "_twice:core;test_a:x,_twice;test_b:_twice;five:x"

static void test_names__test_module(void **state)
{
	/* a new marked test naming a new helper, a re-signed helper */
	static const char *const added[] = {
		"t0 import:shutil shutil -", "t1 other - pytest", "t2 def _twice -",
		"t3 mark test_a pytest,x", "t4 other - five,pytest", "t5 def test_b -",
		"t6 def _thrice -", "t7 mark test_new _thrice,pytest,y", NULL,
	};
	static const char *const resigned[] = {
		"t0 import:shutil shutil -", "t1 other - pytest", "t8 def _twice -",
		"t3 mark test_a pytest,x", "t4 other - five,pytest", "t5 def test_b -", NULL,
	};
	/* test_a's marks changed; test_b gone */
	static const char *const remarked[] = {
		"t0 import:shutil shutil -", "t1 other - pytest", "t2 def _twice -",
		"t9 mark test_a pytest,x", "t4 other - five,pytest", NULL,
	};
	static const char *const setup[] = {
		"t0 import:shutil shutil -", "t1 other - pytest", "t2 def _twice -",
		"t3 mark test_a pytest,x", "t4 other - five,pytest", "t5 def test_b -",
		"ta def setup_module -", NULL,
	};
	/* an unchanged statement (the fixture) names the new helper */
	static const char *const named[] = {
		"t0 import:shutil shutil -", "t1 other - pytest", "t2 def _twice -",
		"t3 mark test_a pytest,x", "t6 def _thrice -", "tb other - five,pytest,_thrice",
		"t5 def test_b -", NULL,
	};
	char n[256], k[256], mk[256];
	(void)state;
	assert_int_equal(diff_mod(TMOD, added, TREFS, 1, n, k, mk), 1);
	assert_string_equal(n, "_thrice,test_new");
	assert_string_equal(k, "_thrice,test_new");
	assert_string_equal(mk, "test_new");
	/* not a test module: a marked def is any other statement */
	assert_int_equal(diff_mod(TMOD, added, TREFS, 0, n, k, mk), 0);

	assert_int_equal(diff_mod(TMOD, resigned, TREFS, 1, n, k, mk), 1);
	assert_string_equal(n, "_twice");
	assert_string_equal(k, "_twice,test_a,test_b");
	assert_string_equal(mk, "");

	assert_int_equal(diff_mod(TMOD, remarked, TREFS, 1, n, k, mk), 1);
	assert_string_equal(n, "test_a,test_b");
	assert_string_equal(mk, "test_a");

	/* pytest looks setup_module up itself */
	assert_int_equal(diff_mod(TMOD, setup, TREFS, 1, n, k, mk), 0);
	/* a new name mentioned by a changed statement that is no test */
	assert_int_equal(diff_mod(TMOD, named, TREFS, 1, n, k, mk), 0);

}

/* A table that an unchanged test's marks read (its parametrize list):
 * the test is changed with it, and is asked for whole; the same table
 * read by another statement outside function bodies (a fixture's
 * params) is no namespace change. */
static void test_names__mark_table(void **state)
{
	static const char *const was[] = {
		"t1 other - pytest", "u0 assign CASES -", "u1 assign FP -",
		"t3 mark test_a pytest,CASES", "t4 other - FP,pytest", "t5 def test_b -", NULL,
	};
	static const char *const cases[] = {
		"t1 other - pytest", "u8 assign CASES -", "u1 assign FP -",
		"t3 mark test_a pytest,CASES", "t4 other - FP,pytest", "t5 def test_b -", NULL,
	};
	static const char *const fp[] = {
		"t1 other - pytest", "u0 assign CASES -", "u9 assign FP -",
		"t3 mark test_a pytest,CASES", "t4 other - FP,pytest", "t5 def test_b -", NULL,
	};
	char n[256], k[256], mk[256];
	(void)state;
	assert_int_equal(diff_mod(was, cases, "test_a:x;test_b:CASES", 1, n, k, mk), 1);
	assert_string_equal(n, "CASES");
	assert_string_equal(k, "test_a,test_b");
	assert_string_equal(mk, "test_a");
	/* not a test module: the marks are code outside function bodies */
	assert_int_equal(diff_mod(was, cases, "test_a:x;test_b:CASES", 0, n, k, mk), 0);
	assert_int_equal(diff_mod(was, fp, "test_a:x;test_b:CASES", 1, n, k, mk), 0);
}

/* ft_pyfunc_names_diff of a test module, with `stdlib` the modules every
 * recorded session had loaded from the standard library: 1 or 0, and the
 * changed "mark" names joined in mk. */
static int diff_marks(const char *const *a, const char *const *b, const char *refs,
		      char *const *stdlib, size_t nstdlib, char *mk)
{
	struct ft_pyfunc_names_in in = { .tmod = 1, .loaded = LOADED, .nloaded = 2,
					 .stdlib = stdlib, .nstdlib = nstdlib };
	char n[256], k[256];

	return diff_in(a, b, refs, &in, n, k, mk, NULL);
}

/* A test whose marks read constants or make values of standard-library
 * modules ("mark:M,N"): a test function only where every recorded session
 * had each of them loaded from the standard library at its start-up. */
static void test_names__mark_std(void **state)
{
	static const char *const was[] = {
		"t1 other - pytest", "u0 assign LIMIT -", "t3 mark:math test_a math,pytest,LIMIT",
		"t5 def test_b -", NULL,
	};
	static const char *const added[] = {
		"t1 other - pytest", "u0 assign LIMIT -", "t3 mark:math test_a math,pytest,LIMIT",
		"t5 def test_b -", "t7 mark:datetime,math test_new dt,math,pytest", NULL,
	};
	static const char *const limit[] = {
		"t1 other - pytest", "u9 assign LIMIT -", "t3 mark:math test_a math,pytest,LIMIT",
		"t5 def test_b -", NULL,
	};
	static const char *const empty[] = {
		"t1 other - pytest", "u0 assign LIMIT -", "t3 mark:math test_a math,pytest,LIMIT",
		"t5 def test_b -", "t7 mark: test_new pytest", NULL,
	};
	static char *const both[] = { "datetime", "math" }, *const one[] = { "math" };
	static char *const prefix[] = { "date", "mat" };
	char mk[256];
	(void)state;
	assert_int_equal(diff_marks(was, added, "test_b:x", both, 2, mk), 1);
	assert_string_equal(mk, "test_new");
	/* datetime not loaded (or not the standard library's) somewhere */
	assert_int_equal(diff_marks(was, added, "test_b:x", one, 1, mk), 0);
	assert_int_equal(diff_marks(was, added, "test_b:x", NULL, 0, mk), 0);
	assert_int_equal(diff_marks(was, added, "test_b:x", prefix, 2, mk), 0);
	assert_int_equal(diff_marks(was, empty, "test_b:x", both, 2, mk), 0);
	/* an unchanged test whose marks read a changed name: changed with it,
	 * if its marks are a test's */
	assert_int_equal(diff_marks(was, limit, "test_b:x", one, 1, mk), 1);
	assert_string_equal(mk, "test_a");
	assert_int_equal(diff_marks(was, limit, "test_b:x", NULL, 0, mk), 0);
}

/* A class whose methods have pytest marks ("mclass", "mclass:M"): a plain
 * class in a test module only; when its marks read a changed name, the
 * class is changed with it (a changed name: asked for whole). */
static void test_names__mark_class(void **state)
{
	static const char *const was[] = {
		"t1 other - pytest", "u0 assign KS -", "c1 mclass TestK pytest,KS",
		"t5 def test_b -", NULL,
	};
	static const char *const ks[] = {
		"t1 other - pytest", "u9 assign KS -", "c1 mclass TestK pytest,KS",
		"t5 def test_b -", NULL,
	};
	static const char *const added[] = {
		"t1 other - pytest", "u0 assign KS -", "c1 mclass TestK pytest,KS",
		"t5 def test_b -", "c2 mclass:math TestNew math,pytest", NULL,
	};
	static char *const math[] = { "math" };
	struct ft_pyfunc_names_in in = { .tmod = 1, .stdlib = math, .nstdlib = 1 };
	char n[256], k[256], mk[256], cl[256];
	(void)state;
	assert_int_equal(diff_in(was, ks, "TestK.test_k:k;test_b:x", &in, n, k, mk, cl), 1);
	assert_string_equal(n, "KS,TestK");
	assert_string_equal(k, "TestK.test_k");
	assert_string_equal(cl, "TestK");
	assert_int_equal(diff_in(was, added, "TestNew.test_n:x", &in, n, k, mk, cl), 1);
	assert_string_equal(n, "TestNew");
	assert_string_equal(cl, "TestNew");
	/* math not loaded from the standard library everywhere; a library
	 * module, not a test module */
	in.nstdlib = 0;
	assert_int_equal(diff_in(was, added, "TestNew.test_n:x", &in, n, k, mk, cl), 0);
	in.nstdlib = 1;
	in.tmod = 0;
	assert_int_equal(diff_in(was, added, "TestNew.test_n:x", &in, n, k, mk, cl), 0);
	assert_int_equal(diff_in(was, ks, "TestK.test_k:k;test_b:x", &in, n, k, mk, cl), 0);
}

/* A plain class (the fingerprint's "class"): added, its methods
 * re-signed, removed; its methods' keys count as changed bodies. */
static void test_names__class(void **state)
{
	static const char *const added[] = {
		"t0 import:shutil shutil -", "t1 other - pytest", "t2 def _twice -",
		"t3 mark test_a pytest,x", "tc class _Fake -", "t4 other - five,pytest",
		"t5 def test_b -", NULL,
	};
	static const char *const resigned[] = {
		"t0 import:shutil shutil -", "t1 other - pytest", "t2 def _twice -",
		"t3 mark test_a pytest,x", "td class _Fake -", "t4 other - five,pytest",
		"t5 def test_b -", NULL,
	};
	/* a statement that stays names the class: module state holds it */
	static const char *const held[] = {
		"t0 import:shutil shutil -", "t1 other - pytest", "t2 def _twice -",
		"t3 mark test_a pytest,x", "td class _Fake -", "te other - five,pytest,_Fake",
		"t5 def test_b -", NULL,
	};
	/* a subclass: an "other" statement (its base may run code) */
	static const char *const sub[] = {
		"t0 import:shutil shutil -", "t1 other - pytest", "t2 def _twice -",
		"t3 mark test_a pytest,x", "tc class _Fake -", "tf other - Sub,_Fake",
		"t4 other - five,pytest", "t5 def test_b -", NULL,
	};
#define CREFS TREFS ";_Fake.__init__:argv;_Fake.wait:io;_Fakery.run:;test_c:_Fake"
	char n[256], k[256], mk[256], cl[256];
	(void)state;
	assert_int_equal(diff_cls(TMOD, added, CREFS, 1, n, k, mk, cl), 1);
	assert_string_equal(n, "_Fake");
	/* who names it, and its methods (not _Fakery's) */
	assert_string_equal(k, "_Fake.__init__,_Fake.wait,test_c");
	assert_string_equal(mk, "");
	assert_string_equal(cl, "_Fake");
	/* any module, not only a test module */
	assert_int_equal(diff_cls(TMOD, added, CREFS, 0, n, k, mk, cl), 1);
	assert_string_equal(cl, "_Fake");

	assert_int_equal(diff_cls(added, resigned, CREFS, 0, n, k, mk, cl), 1);
	assert_string_equal(n, "_Fake");
	assert_string_equal(k, "_Fake.__init__,_Fake.wait,test_c");

	/* removed: still its name, and whoever names it */
	assert_int_equal(diff_cls(resigned, TMOD, TREFS ";test_c:_Fake", 0, n, k, mk, cl), 1);
	assert_string_equal(n, "_Fake");
	assert_string_equal(k, "test_c");
	assert_string_equal(cl, "_Fake");

	assert_int_equal(diff_cls(added, held, CREFS, 0, n, k, mk, cl), 0);
	assert_int_equal(diff_cls(TMOD, sub, CREFS, 0, n, k, mk, cl), 0);
#undef CREFS
}

/* A from-import with names of its module: the (name, alias) pairs on one
 * side only are changed names; one gained must be one the module has, as
 * the fingerprint tool found under the recorded standard library. */
static int diff_std_refs(const char *const *a, const char *const *b, const char *refs,
			 const char *std, const char *now_std, char *n, char *k)
{
	cJSON *o = names(a, ""), *w = names(b, refs);
	struct ft_pyfunc_names_in in = { .std = std, .stdlib = STDLIB, .nstdlib = 2 };
	struct ft_pyfunc_names_out res;
	const char *why = NULL;
	int r;

	if (now_std)
		cJSON_AddStringToObject(w, "std", now_std);
	r = ft_pyfunc_names_diff(o, w, &in, &res, &why);
	strcpy(n, r == 1 ? joined(res.names) : "");
	strcpy(k, r == 1 ? joined(res.keys) : "");
	if (r != 1)
		assert_null(res.names);
	cJSON_Delete(res.names);
	cJSON_Delete(res.keys);
	cJSON_Delete(res.wraps);
	cJSON_Delete(res.marks);
	cJSON_Delete(res.classes);
	cJSON_Delete(res.attrs);
	cJSON_Delete(o);
	cJSON_Delete(w);
	return r;
}

static int diff_std(const char *const *a, const char *const *b, const char *std,
		    const char *now_std, char *n, char *k)
{
	return diff_std_refs(a, b, "f:Event,x;g:Lock", std, now_std, n, k);
}

static void test_names__from_import_pairs(void **state)
{
	static const char *const old[] = {
		"h1 from:threading Lock - Lock", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const grown[] = {
		"h8 from:threading Event,Lock - Event,Lock 1,1", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const missing[] = {
		"h8 from:threading Event,Lock - Evnt,Lock 0,1", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const unknown[] = {
		"h8 from:threading Event,Lock - Event,Lock", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const old_alias[] = {
		"h1 from:os x - sep", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const new_alias[] = {
		"h8 from:os x - altsep 1", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const gone_alias[] = {
		"h8 from:os x - altsep 0", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const unlisted[] = {
		"h1 from:threading Event,Lock -", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const shrunk[] = {
		"h8 from:threading Lock - Lock", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const old_stat[] = {
		"h1 from:statistics mean - mean", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const grown_stat[] = {
		"h8 from:statistics mean,Event - mean,median 1,1", "h2 def f -", "h3 def g -", NULL,
	};
	char n[256], k[256];
	(void)state;

	assert_int_equal(diff_std(old, grown, "S", "S", n, k), 1);
	assert_string_equal(n, "Event");
	assert_string_equal(k, "f");
	/* the module lacks it: the import would fail */
	assert_int_equal(diff_std(old, missing, "S", "S", n, k), 0);
	/* not checked, or checked under another standard library */
	assert_int_equal(diff_std(old, unknown, "S", "S", n, k), 0);
	assert_int_equal(diff_std(old, grown, "S", "T", n, k), 0);
	assert_int_equal(diff_std(old, grown, NULL, "S", n, k), 0);
	assert_int_equal(diff_std(old, grown, "S", NULL, n, k), 0);
	/* removed: nothing to check */
	assert_int_equal(diff_std(grown, old, NULL, NULL, n, k), 1);
	assert_string_equal(n, "Event");
	/* the same alias for another name of the module is a changed name */
	assert_int_equal(diff_std(old_alias, new_alias, "S", "S", n, k), 1);
	assert_string_equal(n, "x");
	assert_string_equal(k, "f");
	assert_int_equal(diff_std(old_alias, gone_alias, "S", "S", n, k), 0);
	/* a module no recorded session had from the standard library (a
	 * project file of its name may hold other names): none gained */
	assert_int_equal(diff_std(old_stat, grown_stat, "S", "S", n, k), 0);
	assert_int_equal(diff_std(grown_stat, old_stat, "S", "S", n, k), 1);
	assert_string_equal(n, "Event");
	/* a statement added or removed: only of a module every session had
	 * loaded from the standard library, and names it has */
	{
		static const char *const add_t[] = {
			"h1 from:threading Lock - Lock", "h9 from:threading Event - Event 1",
			"h2 def f -", "h3 def g -", NULL,
		};
		static const char *const add_bad[] = {
			"h1 from:threading Lock - Lock", "h9 from:threading Event - Evnt 0",
			"h2 def f -", "h3 def g -", NULL,
		};
		static const char *const add_s[] = {
			"h1 from:threading Lock - Lock", "h9 from:statistics mean - mean 1",
			"h2 def f -", "h3 def g -", NULL,
		};
		static const char *const none[] = { "h2 def f -", "h3 def g -", NULL };
		assert_int_equal(diff_std(old, add_t, "S", "S", n, k), 1);
		assert_string_equal(n, "Event");
		assert_string_equal(k, "f");
		assert_int_equal(diff_std(old, add_bad, "S", "S", n, k), 0);
		assert_int_equal(diff_std(old, add_t, "S", "T", n, k), 0);
		assert_int_equal(diff_std(old, add_s, "S", "S", n, k), 0);
		assert_int_equal(diff_std(add_t, old, NULL, NULL, n, k), 1);
		assert_string_equal(n, "Event");
		assert_int_equal(diff_std(old, none, NULL, NULL, n, k), 1);
		assert_string_equal(n, "Lock");
		assert_string_equal(k, "g");
		assert_int_equal(diff_std(old_stat, none, "S", "S", n, k), 0);
	}
	/* a recording that did not list the names imported pairs with none */
	assert_int_equal(diff_std(unlisted, shrunk, "S", "S", n, k), 0);
}

/* A plain assignment ("assign") changed, added or removed is a change of
 * its names, whose readers are the bodies that mention them (it has no
 * body key of its own); an old recording that called it "other" pairs by
 * hash and never narrows; bound twice or mentioned elsewhere: no, but
 * for the words of another plain assignment's strings (`__all__`). */
static void test_names__assign(void **state)
{
	static const char *const old[] = {
		"h0 assign LIMIT -", "h1 assign KW,KW2 and,or", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const changed[] = {
		"h9 assign LIMIT -", "h1 assign KW,KW2 and,or", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const added[] = {
		"h0 assign LIMIT -", "h1 assign KW,KW2 and,or", "h8 assign NEW -", "h2 def f -",
		"h3 def g -", NULL,
	};
	static const char *const removed[] = {
		"h1 assign KW,KW2 and,or", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const was_other[] = {
		"h0 other - LIMIT", "h1 other - KW,KW2,and,or", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const twice[] = {
		"h9 assign LIMIT -", "h1 assign KW,KW2 and,or", "h2 def f -", "h3 def g -",
		"h7 other - LIMIT", NULL,
	};
	static const char *const in_words[] = {
		"h9 assign LIMIT -", "h1 assign KW,KW2 and,LIMIT", "h2 def f -", "h3 def g -", NULL,
	};
	static const char *const old_c[] = {
		"h0 assign LIMIT -", "h1 assign KW,KW2 and,or", "h2 def f -", "h3 def g -",
		"h4 class C LIMIT", NULL,
	};
	static const char *const mentioned[] = {
		"h9 assign LIMIT -", "h1 assign KW,KW2 and,or", "h2 def f -", "h3 def g -",
		"h4 class C LIMIT", NULL,
	};
	char n[256], k[256], mk[256];
	(void)state;
	assert_int_equal(diff(old, changed, "f:LIMIT,x;g:KW", n, k), 1);
	assert_string_equal(n, "LIMIT");
	assert_string_equal(k, "f");
	assert_int_equal(diff(old, added, "f:LIMIT;g:KW", n, k), 1);
	assert_string_equal(n, "NEW");
	assert_string_equal(k, "");
	assert_int_equal(diff(old, removed, "f:LIMIT;g:KW2", n, k), 1);
	assert_string_equal(n, "LIMIT");
	assert_string_equal(k, "f");
	assert_int_equal(diff(removed, old, "f:LIMIT;g:KW2", n, k), 1);
	assert_string_equal(n, "LIMIT");
	assert_int_equal(diff(was_other, changed, "f:LIMIT", n, k), 0);
	assert_int_equal(diff(old, twice, "f:LIMIT", n, k), 0);
	assert_int_equal(diff(old, in_words, "f:LIMIT", n, k), 1);
	assert_string_equal(n, "LIMIT");
	assert_int_equal(diff(old_c, mentioned, "f:LIMIT", n, k), 0);
	/* in a test module too */
	assert_int_equal(diff_mod(old, changed, "f:LIMIT", 1, n, k, mk), 1);
	assert_string_equal(n, "LIMIT");
	assert_string_equal(mk, "");
}

/* An annotated assignment ("ann:<digest>") binds its name as a plain one,
 * as long as the annotated ones, kinds and names, are the same sequence in
 * both versions: __annotations__, whose reads no recording notes, is then
 * the same.  An annotation changed, one added or removed, two swapped: no
 * narrowing. */
static void test_names__ann(void **state)
{
	static const char *const old[] = {
		"h0 ann:t1 LIC -", "h1 ann:t1 EXC -", "h2 def f -", NULL,
	};
	static const char *const changed[] = {
		"h9 ann:t1 LIC -", "h1 ann:t1 EXC -", "h2 def f -", NULL,
	};
	static const char *const reannotated[] = {
		"h9 ann:t2 LIC -", "h1 ann:t1 EXC -", "h2 def f -", NULL,
	};
	static const char *const added[] = {
		"h0 ann:t1 LIC -", "h1 ann:t1 EXC -", "h8 ann:t1 NEW -", "h2 def f -", NULL,
	};
	static const char *const swapped[] = {
		"h1 ann:t1 EXC -", "h9 ann:t1 LIC -", "h2 def f -", NULL,
	};
	static const char *const plain_added[] = {
		"h0 ann:t1 LIC -", "h1 ann:t1 EXC -", "h8 assign NEW -", "h2 def f -", NULL,
	};
	char n[256], k[256];
	(void)state;
	assert_int_equal(diff(old, changed, "f:LIC", n, k), 1);
	assert_string_equal(n, "LIC");
	assert_string_equal(k, "f");
	assert_int_equal(diff(old, plain_added, "f:LIC", n, k), 1);
	assert_string_equal(n, "NEW");
	assert_int_equal(diff(old, reannotated, "f:LIC", n, k), 0);
	assert_int_equal(diff(old, added, "f:LIC", n, k), 0);
	assert_int_equal(diff(added, old, "f:LIC", n, k), 0);
	assert_int_equal(diff(old, swapped, "f:LIC", n, k), 0);
}

/* A derived assignment ("derive") changes with every name it mentions, as
 * a closure over the statements; a derived one that mentions a changed
 * name is no blocking mention.  Another statement mentioning a derived
 * name still blocks, and an "other" one reading the changed name too. */
static void test_names__derive(void **state)
{
	static const char *const old[] = {
		"h0 assign __version_info__ -", "h1 derive __version__ __version_info__,map,str",
		"h2 derive RELEASE __version__", "h3 derive OTHER map,str", "h4 def f -", NULL,
	};
	static const char *const bumped[] = {
		"h9 assign __version_info__ -", "h1 derive __version__ __version_info__,map,str",
		"h2 derive RELEASE __version__", "h3 derive OTHER map,str", "h4 def f -", NULL,
	};
	static const char *const derived_changed[] = {
		"h0 assign __version_info__ -", "h8 derive __version__ __version_info__,map,str",
		"h2 derive RELEASE __version__", "h3 derive OTHER map,str", "h4 def f -", NULL,
	};
	static const char *const read_by_other[] = {
		"h9 assign __version_info__ -", "h1 derive __version__ __version_info__,map,str",
		"h2 other - RELEASE,__version__", "h3 derive OTHER map,str", "h4 def f -", NULL,
	};
	static const char *const was_other[] = {
		"h0 assign __version_info__ -", "h1 other - __version__,__version_info__,map,str",
		"h2 derive RELEASE __version__", "h3 derive OTHER map,str", "h4 def f -", NULL,
	};
	static const char *const now_other[] = {
		"h0 assign __version_info__ -", "h8 other - __version__,__version_info__,map,str",
		"h2 derive RELEASE __version__", "h3 derive OTHER map,str", "h4 def f -", NULL,
	};
	char n[256], k[256];
	(void)state;
	assert_int_equal(diff(old, bumped, "f:RELEASE", n, k), 1);
	assert_string_equal(n, "RELEASE,__version__,__version_info__");
	assert_string_equal(k, "f");
	assert_int_equal(diff(old, derived_changed, "f:x", n, k), 1);
	assert_string_equal(n, "RELEASE,__version__");
	assert_string_equal(k, "");
	assert_int_equal(diff(old, read_by_other, "f:x", n, k), 0);
	assert_int_equal(diff(was_other, derived_changed, "f:x", n, k), 0);
	assert_int_equal(diff(old, now_other, "f:x", n, k), 0);
	assert_true(ft_pyfunc_names_is_assign("derive"));
}

/* A derived value that compiled a regular expression ("derive:re", also
 * after an annotation: "ann:<digest>:derive:re") changes with the names
 * it mentions, like any derived one, but only where the tests ran with
 * the standard library the fingerprint tool compiled it under.  An
 * annotated assignment's value may turn from plain to derived: the
 * module's __annotations__ is the same. */
static void test_names__regex(void **state)
{
	static const char *const old[] = {
		"h0 stdimport:re re -", "h1 ann:d1 _W -", "h2 ann:d1:derive:re W_RE _W,re",
		"h3 derive:re N_RE re", "h4 def f -", "h5 def g -", NULL,
	};
	static const char *const word[] = {
		"h0 stdimport:re re -", "h9 ann:d1 _W -", "h2 ann:d1:derive:re W_RE _W,re",
		"h3 derive:re N_RE re", "h4 def f -", "h5 def g -", NULL,
	};
	static const char *const num[] = {
		"h0 stdimport:re re -", "h1 ann:d1 _W -", "h2 ann:d1:derive:re W_RE _W,re",
		"h8 derive:re N_RE re", "h4 def f -", "h5 def g -", NULL,
	};
	static const char *const now_derived[] = {
		"h0 stdimport:re re -", "h7 ann:d1:derive _W -", "h2 ann:d1:derive:re W_RE _W,re",
		"h3 derive:re N_RE re", "h4 def f -", "h5 def g -", NULL,
	};
	static const char *const other_ann[] = {
		"h0 stdimport:re re -", "h7 ann:d2:derive _W -", "h2 ann:d1:derive:re W_RE _W,re",
		"h3 derive:re N_RE re", "h4 def f -", "h5 def g -", NULL,
	};
	const char *refs = "f:W_RE;g:N_RE";
	char n[256], k[256];
	(void)state;
	/* the pattern's string: the pattern changes with it */
	assert_int_equal(diff_std_refs(old, word, refs, "S", "S", n, k), 1);
	assert_string_equal(n, "W_RE,_W");
	assert_string_equal(k, "f");
	/* ... but not under another standard library, or an unknown one */
	assert_int_equal(diff_std_refs(old, word, refs, "T", "S", n, k), 0);
	assert_int_equal(diff_std_refs(old, word, refs, NULL, "S", n, k), 0);
	assert_int_equal(diff_std_refs(old, word, refs, "S", NULL, n, k), 0);
	/* the pattern itself */
	assert_int_equal(diff_std_refs(old, num, refs, "S", "S", n, k), 1);
	assert_string_equal(n, "N_RE");
	assert_string_equal(k, "g");
	assert_int_equal(diff_std_refs(old, num, refs, "T", "S", n, k), 0);
	/* plain to derived under the same annotation; not another one */
	assert_int_equal(diff_std_refs(old, now_derived, refs, "S", "S", n, k), 1);
	assert_string_equal(n, "W_RE,_W");
	assert_int_equal(diff_std_refs(old, other_ann, refs, "S", "S", n, k), 0);
	assert_true(ft_pyfunc_names_is_assign("derive:re"));
	assert_true(ft_pyfunc_names_is_assign("ann:d1:derive:re"));
	assert_false(ft_pyfunc_names_is_assign("derive:rex"));
	assert_false(ft_pyfunc_names_is_assign("derived"));
	assert_false(ft_pyfunc_names_is_assign("ann:d1:other"));
	assert_true(ft_pyfunc_names_is_assign("ann:d1"));
}

/* ft_pyfunc_names_effects over two statement lists: its return, and in
 * `b`, `i` and `leaves` (NULL: no list asked for) the names, import
 * entries and "leaves:" targets it gives (joined). */
static int effects3(const char *const *a, const char *const *b, char *bound, char *imports,
		    char *leaves, const char **why)
{
	cJSON *old = names(a, ""), *now = names(b, "");
	cJSON *bd = cJSON_CreateArray(), *im = cJSON_CreateArray();
	cJSON *lv = leaves ? cJSON_CreateArray() : NULL;
	int rc = ft_pyfunc_names_effects(old, now, bd, im, lv, why);

	snprintf(bound, 256, "%s", joined(bd));
	snprintf(imports, 256, "%s", joined(im));
	if (leaves)
		snprintf(leaves, 256, "%s", joined(lv));
	cJSON_Delete(old);
	cJSON_Delete(now);
	cJSON_Delete(bd);
	cJSON_Delete(im);
	cJSON_Delete(lv);
	return rc;
}

static int effects(const char *const *a, const char *const *b, char *bound, char *imports,
		   const char **why)
{
	char lv[256];

	return effects3(a, b, bound, imports, lv, why);
}

static void test_names__effects(void **state)
{
	static const char *const base[] = {
		"h0 doc - -", "h1 pimport:pkg,pkg.conf - pkg,conf", "h2 bind - READY,helpers,prepare",
		"h3 def double -", "h4 mark test_a -", NULL,
	};
	static const char *const store[] = {
		"h0 doc - -", "h1 pimport:pkg,pkg.conf - pkg,conf", "h2 bind - READY,helpers,prepare",
		"h9 other - pkg,conf,STRICT", "h3 def double -", "h4 mark test_a -", NULL,
	};
	static const char *const binds[] = {
		"h7 doc - -", "h1 pimport:pkg,pkg.conf - pkg,conf", "h8 pimport:helpers - helpers",
		"h2 bind - READY,helpers,prepare", "h6 bind - EXTRA,helpers,unused",
		"h5 def double -", "h4 mark test_a -", "h9 bind:def - fx,pytest,fixture", NULL,
	};
	static const char *const acting[] = {
		"h0 doc - -", "h1 other - register,LIMIT", "h2 assign LIMIT -", NULL,
	};
	static const char *const limit[] = {
		"h0 doc - -", "h1 other - register,LIMIT", "h3 assign LIMIT -", NULL,
	};
	static const char *const newer[] = {
		"h0 doc - -", "h1 pimport:pkg,pkg.conf - pkg,conf", "h2 bind - READY,helpers,prepare",
		"h3 def double -", "h4 mark test_a -", "h5 whatever - -", NULL,
	};
	char bd[256], im[256];
	const char *why;
	(void)state;
	/* a store added: acts */
	assert_int_equal(effects(base, store, bd, im, &why), 1);
	assert_non_null(strstr(why, "added or changed"));
	/* removed again: acts too (the other side) */
	assert_int_equal(effects(store, base, bd, im, &why), 1);
	assert_non_null(strstr(why, "removed or changed"));
	/* docstring, imports, assignments of calls, a re-signed def, a
	 * fixture: only bind; the imports to check, the names bound (a def's
	 * or class's own are code, not listed) */
	assert_int_equal(effects(base, binds, bd, im, &why), 0);
	assert_null(why);
	assert_string_equal(im, "helpers");
	assert_string_equal(bd, "EXTRA,helpers,unused");
	/* an acting statement that both have reads a changed name */
	assert_int_equal(effects(acting, limit, bd, im, &why), 1);
	assert_non_null(strstr(why, "mentions a changed name"));
	/* a kind this ftrace does not know acts */
	assert_int_equal(effects(base, newer, bd, im, &why), 1);
	/* a function that stores into modules it imports (ftrace_pystate):
	 * not acting, its targets given; into anything else, it acts; with
	 * no list asked for, any such store acts */
	{
		static const char *const into[] = {
			"h0 doc - -", "h1 pimport:pkg,pkg.conf - pkg,conf",
			"h2 bind - READY,helpers,prepare", "h3x leaves:?pkg.core,pkg.conf -",
			"h4 mark test_a -", NULL,
		};
		static const char *const anywhere[] = {
			"h0 doc - -", "h1 pimport:pkg,pkg.conf - pkg,conf",
			"h2 bind - READY,helpers,prepare", "h3y leaves -", "h4 mark test_a -", NULL,
		};
		char lv[256];
		assert_int_equal(effects3(base, into, bd, im, lv, &why), 0);
		assert_string_equal(lv, "?pkg.core,pkg.conf");
		assert_string_equal(bd, "");
		assert_int_equal(effects3(into, base, bd, im, lv, &why), 0);
		assert_string_equal(lv, "?pkg.core,pkg.conf");
		assert_int_equal(effects3(base, anywhere, bd, im, lv, &why), 1);
		assert_non_null(strstr(why, "may store outside its module"));
		assert_int_equal(effects3(base, into, bd, im, NULL, &why), 1);
		assert_non_null(strstr(why, "may store outside its module"));
	}
	/* no statement list: acts */
	{
		cJSON *o = cJSON_CreateObject(), *now = names(base, ""), *bd2 = cJSON_CreateArray();
		assert_int_equal(ft_pyfunc_names_effects(o, now, bd2, NULL, NULL, &why), 1);
		assert_non_null(strstr(why, "no statement list"));
		cJSON_Delete(o);
		cJSON_Delete(now);
		cJSON_Delete(bd2);
	}
}

/* A test module's from-import of a project module gaining or losing a
 * name: the names on one side only change, and the names gained are the
 * caller's to check in the module (attrs); an alias, a removal, a star and
 * a library module are not judged so. */
static void test_names__project_from_import(void **state)
{
	static const char *const base[] = {
		"h1 pimport:pkg,pkg.mod,?pkg.mod.add - add", "h2 def test_add -", NULL,
	};
	static const char *const gained[] = {
		"h9 pimport:pkg,pkg.mod,?pkg.mod.add,?pkg.mod.sub - add,sub", "h2 def test_add -",
		"h3 def test_sub -", NULL,
	};
	static const char *const other_mod[] = {
		"h1 pimport:pkg,pkg.mod,?pkg.mod.add - add", "h8 pimport:.util,?.util.Box - Box",
		"h2 def test_add -", NULL,
	};
	static const char *const aliased[] = {
		"h7 pimport:pkg,pkg.mod,?pkg.mod.add,?pkg.mod.sub - add,plus,sub", "h2 def test_add -",
		NULL,
	};
	static const char *const removed[] = { "h2 def test_add -", NULL };
	static const char *const reads0[] = {
		"h1 pimport:pkg,pkg.mod,?pkg.mod.add - add", "h2 def test_add -", "h6 bind - X,sub",
		NULL,
	};
	static const char *const reads[] = {
		"h9 pimport:pkg,pkg.mod,?pkg.mod.add,?pkg.mod.sub - add,sub", "h2 def test_add -",
		"h6 bind - X,sub", NULL,
	};
	static const char *const twice[] = {
		"h9 pimport:pkg,pkg.mod,?pkg.mod.add,?pkg.mod.sub - add,sub", "h2 def test_add -",
		"h5 def sub -", NULL,
	};
	char n[256], k[256], at[256];
	const char *why;
	(void)state;
	/* gained: sub changes, the test that mentions it sees it */
	assert_int_equal(diff_attrs(base, gained, "test_add:add;test_sub:sub", n, k, at, &why), 1);
	assert_string_equal(n, "sub,test_sub");
	assert_string_equal(k, "test_sub");
	assert_string_equal(at, "?pkg.mod.sub");
	/* lost: the same names, each to check too (an autouse fixture
	 * imported and dropped changes every test of the module) */
	assert_int_equal(diff_attrs(gained, base, "test_add:add", n, k, at, &why), 1);
	assert_string_equal(n, "sub,test_sub");
	assert_string_equal(at, "?pkg.mod.sub");
	/* a new statement of another (relative) module: all its names */
	assert_int_equal(diff_attrs(base, other_mod, "test_add:add", n, k, at, &why), 1);
	assert_string_equal(n, "Box");
	assert_string_equal(at, "?.util.Box");
	/* an alias, a statement removed whole: skeleton */
	assert_int_equal(diff_attrs(base, aliased, "test_add:add", n, k, at, &why), 0);
	assert_int_equal(diff_attrs(base, removed, "", n, k, at, &why), 0);
	/* top-level code reads a name gained: skeleton */
	assert_int_equal(diff_attrs(reads0, reads, "test_add:add", n, k, at, &why), 0);
	assert_non_null(why);
	assert_non_null(strstr(why, "mentions a changed name"));
	/* moved past a statement that reads one of its names: skeleton */
	{
		static const char *const used0[] = {
			"h1 pimport:pkg,pkg.mod,?pkg.mod.add - add", "h6 bind - X,add",
			"h2 def test_add -", NULL,
		};
		static const char *const moved[] = {
			"h6 bind - X,add", "h9 pimport:pkg,pkg.mod,?pkg.mod.add,?pkg.mod.sub - add,sub",
			"h2 def test_add -", NULL,
		};
		assert_int_equal(diff_attrs(used0, moved, "test_add:add", n, k, at, &why), 0);
		assert_non_null(why);
		assert_non_null(strstr(why, "moved"));
	}
	/* a name gained that another statement binds too */
	assert_int_equal(diff_attrs(base, twice, "test_add:add", n, k, at, &why), 0);
	assert_non_null(why);
	assert_non_null(strstr(why, "more than one statement"));
	/* not in a test module: skeleton (a library module's importers are
	 * judged by their own rules) */
	{
		char n2[256], k2[256];
		assert_int_equal(diff(base, gained, "test_add:add;test_sub:sub", n2, k2), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names__added_between_others),
		cmocka_unit_test(test_names__resigned_and_import_shrunk),
		cmocka_unit_test(test_names__not_namespace_changes),
		cmocka_unit_test(test_names__def_removed_and_moved),
		cmocka_unit_test(test_names__preloaded_import),
		cmocka_unit_test(test_names__malformed),
		cmocka_unit_test(test_names__test_module),
		cmocka_unit_test(test_names__mark_table),
		cmocka_unit_test(test_names__mark_std),
		cmocka_unit_test(test_names__mark_class),
		cmocka_unit_test(test_names__class),
		cmocka_unit_test(test_names__loaded_import),
		cmocka_unit_test(test_names__from_import_pairs),
		cmocka_unit_test(test_names__assign),
		cmocka_unit_test(test_names__derive),
		cmocka_unit_test(test_names__regex),
		cmocka_unit_test(test_names__ann),
		cmocka_unit_test(test_names__effects),
		cmocka_unit_test(test_names__project_from_import),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
