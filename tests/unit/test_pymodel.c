/*
 * test_pymodel.c - the Python wing's boundary (python/ft_pymodel.h): the
 * decoding of the keys the pytest plugin records, and the strict parsers
 * of the recordings the function filter reads back from the store, fed
 * malformed input of every kind; then the pure rules of the filter over
 * those types (python/ft_pyfunc_int.h): which changed bodies a list of
 * keys ran, which changed name it read, and which tests are candidates.
 * The rules over a whole recording are covered end to end by t9010-t9025.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ft_pyfunc_int.h"
#include "ft_pymodel.h"
#include "ft_state.h"

static void test_pymodel__key_kinds(void **state)
{
	(void)state;
	assert_int_equal(ft_pykey_kind("f"), FT_PYKEY_CODE);
	assert_int_equal(ft_pykey_kind("C.m"), FT_PYKEY_CODE);
	assert_int_equal(ft_pykey_kind("f.<locals>.g"), FT_PYKEY_CODE);
	assert_int_equal(ft_pykey_kind(""), FT_PYKEY_CODE);
	assert_int_equal(ft_pykey_kind("<module>"), FT_PYKEY_MODULE);
	assert_int_equal(ft_pykey_kind("C.m#doc"), FT_PYKEY_DOC);
	assert_int_equal(ft_pykey_kind("C.m#ann"), FT_PYKEY_ANN);
	/* a suffix alone is no read of anything: a qualname */
	assert_int_equal(ft_pykey_kind("#doc"), FT_PYKEY_CODE);
	assert_int_equal(ft_pykey_kind("@name"), FT_PYKEY_NAME);
	assert_int_equal(ft_pykey_kind("@"), FT_PYKEY_NAME);
	assert_int_equal(ft_pykey_kind("@*"), FT_PYKEY_ALL);
	assert_int_equal(ft_pykey_kind("@+"), FT_PYKEY_SEEN);
	assert_int_equal(ft_pykey_kind("@-"), FT_PYKEY_UNSEEN);
	assert_int_equal(ft_pykey_kind("@%"), FT_PYKEY_TMOD);
	assert_int_equal(ft_pykey_kind("@+__"), FT_PYKEY_DUNDERS);
	assert_int_equal(ft_pykey_kind("@+__2"), FT_PYKEY_DUNDERS);
	/* a read of the name "__" is no marker */
	assert_int_equal(ft_pykey_kind("@__"), FT_PYKEY_NAME);
	assert_true(ft_pyname_is_dunder("__version__"));
	assert_true(ft_pyname_is_dunder("__"));
	assert_true(ft_pyname_is_dunder("___"));
	assert_false(ft_pyname_is_dunder("_"));
	assert_false(ft_pyname_is_dunder("__version"));
	assert_false(ft_pyname_is_dunder("version__"));
	assert_int_equal(ft_pykey_kind("@%x"), FT_PYKEY_COLLECT);
	assert_int_equal(ft_pykey_kind("@%*"), FT_PYKEY_COLLECT);
	assert_int_equal(ft_pykey_kind("@>n\ta\t/p/g.py"), FT_PYKEY_FORWARD);
	assert_int_equal(ft_pykey_kind("@>broken"), FT_PYKEY_FORWARD);
	/* a name read of a name that looks like a read key: still a mark */
	assert_int_equal(ft_pykey_kind("@x#doc"), FT_PYKEY_NAME);
	assert_true(ft_pykey_is_mark("@x"));
	assert_false(ft_pykey_is_mark("x@"));
}

static void test_pymodel__read_and_body_keys(void **state)
{
	char out[16], big[64];
	size_t pos;

	(void)state;
	assert_int_equal(ft_pykey_read_len("C.m#doc"), 3);
	assert_int_equal(ft_pykey_read_len("f#ann"), 1);
	assert_int_equal(ft_pykey_read_len("#doc"), 0);
	assert_int_equal(ft_pykey_read_len("f#docx"), 0);
	assert_int_equal(ft_pykey_read_len("f"), 0);
	assert_true(ft_pykey_is_ann("f#ann"));
	assert_false(ft_pykey_is_ann("f#doc"));
	assert_false(ft_pykey_is_ann("#ann"));

	/* every cut before a ".<locals>", shortest first, then the whole */
	pos = 0;
	assert_int_equal(ft_pykey_body_next("f.<locals>.g.<locals>.h", &pos, out, sizeof(out)), 1);
	assert_string_equal(out, "f");
	assert_int_equal(ft_pykey_body_next("f.<locals>.g.<locals>.h", &pos, out, sizeof(out)), 1);
	assert_string_equal(out, "f.<locals>.g");
	assert_int_equal(ft_pykey_body_next("f.<locals>.g.<locals>.h", &pos, big, sizeof(big)), 1);
	assert_string_equal(big, "f.<locals>.g.<locals>.h");
	assert_int_equal(ft_pykey_body_next("f.<locals>.g.<locals>.h", &pos, big, sizeof(big)), 0);
	assert_int_equal(ft_pykey_body_next("f.<locals>.g.<locals>.h", &pos, big, sizeof(big)), 0);
	/* a qualname without one is its own and only key */
	pos = 0;
	assert_int_equal(ft_pykey_body_next("C.m", &pos, out, sizeof(out)), 1);
	assert_string_equal(out, "C.m");
	assert_int_equal(ft_pykey_body_next("C.m", &pos, out, sizeof(out)), 0);
	pos = 0;
	assert_int_equal(ft_pykey_body_next("C.m#doc", &pos, out, sizeof(out)), 1);
	assert_string_equal(out, "C.m#doc");
	assert_int_equal(ft_pykey_body_next("C.m#doc", &pos, out, sizeof(out)), 0);
	/* a nested docstring read: the enclosing body, then itself (no body) */
	pos = 0;
	assert_int_equal(ft_pykey_body_next("f.<locals>.g#doc", &pos, out, sizeof(out)), 1);
	assert_string_equal(out, "f");
	assert_int_equal(ft_pykey_body_next("f.<locals>.g#doc", &pos, big, sizeof(big)), 1);
	assert_string_equal(big, "f.<locals>.g#doc");
	/* exactly full, one too long (-1, and the next cut still comes) */
	pos = 0;
	assert_int_equal(ft_pykey_body_next("abcdefghijklmno", &pos, out, sizeof(out)), 1);
	pos = 0;
	assert_int_equal(ft_pykey_body_next("abcdefghijklmnop", &pos, out, sizeof(out)), -1);
	assert_int_equal(ft_pykey_body_next("abcdefghijklmnop", &pos, out, sizeof(out)), 0);
	pos = 0;
	assert_int_equal(ft_pykey_body_next("abcdefghijklmnop.<locals>.x", &pos, out, sizeof(out)), -1);
	assert_int_equal(ft_pykey_body_next("abcdefghijklmnop.<locals>.x", &pos, out, sizeof(out)), -1);
	assert_int_equal(ft_pykey_body_next("abcdefghijklmnop.<locals>.x", &pos, out, sizeof(out)), 0);
	pos = 0;
	assert_int_equal(ft_pykey_body_next("", &pos, out, sizeof(out)), 1);
	assert_string_equal(out, "");
	assert_int_equal(ft_pykey_body_next("", &pos, out, sizeof(out)), 0);

	assert_int_equal(ft_pykey_name_read("x", out, sizeof(out)), 1);
	assert_string_equal(out, "@x");
	assert_int_equal(ft_pykey_name_read("abcdefghijklmn", out, sizeof(out)), 1);
	assert_int_equal(ft_pykey_name_read("abcdefghijklmno", out, sizeof(out)), 0);
}

static void test_pymodel__forward_keys(void **state)
{
	struct ft_pyforward *f = malloc(sizeof(*f));
	char *big = malloc(FT_PYKEY_MAX + 16);

	(void)state;
	assert_non_null(f);
	assert_non_null(big);
	assert_int_equal(ft_pykey_forward("@>n\ta\t/p/g.py", f), 1);
	assert_string_equal(f->name, "n");
	assert_string_equal(f->alias, "a");
	assert_string_equal(f->importer, "/p/g.py");
	/* a tab in the importer's path belongs to the path */
	assert_int_equal(ft_pykey_forward("@>n\ta\t/p/g\tx.py", f), 1);
	assert_string_equal(f->importer, "/p/g\tx.py");
	/* malformed: none of these may be taken for a re-export */
	assert_int_equal(ft_pykey_forward("@n\ta\t/p/g.py", f), 0);     /* no ">" */
	assert_int_equal(ft_pykey_forward("@>n\ta", f), 0);             /* one tab */
	assert_int_equal(ft_pykey_forward("@>n", f), 0);
	assert_int_equal(ft_pykey_forward("@>", f), 0);
	assert_int_equal(ft_pykey_forward("@>\ta\t/p/g.py", f), 0);     /* empty name */
	assert_int_equal(ft_pykey_forward("@>n\t\t/p/g.py", f), 0);     /* empty alias */
	assert_int_equal(ft_pykey_forward("@>n\ta\t", f), 0);           /* empty importer */
	assert_int_equal(ft_pykey_forward("@>n\ta\tg.py", f), 0);       /* relative */
	/* parts that do not fit */
	memset(big, 'x', FT_PYKEY_MAX + 15);
	memcpy(big, "@>", 2);
	big[FT_PYKEY_MAX + 15] = '\0';
	assert_int_equal(ft_pykey_forward(big, f), 0);
	memcpy(big, "@>n\ta\t/", 7);
	assert_int_equal(ft_pykey_forward(big, f), 0);
	/* the longest that fits */
	big[7 + FT_PYKEY_MAX - 2] = '\0';
	assert_int_equal(ft_pykey_forward(big, f), 1);
	assert_int_equal(strlen(f->importer), FT_PYKEY_MAX - 1);
	free(big);
	free(f);
}

static void test_pymodel__strs_parse(void **state)
{
	struct ft_pystrs s;

	(void)state;
	assert_int_equal(ft_pystrs_parse("[\"a\",\"b\",\"a\"]", &s), 0);
	assert_int_equal(s.n, 3);   /* as recorded: duplicates kept */
	assert_true(ft_pystrs_has(&s, "b"));
	assert_false(ft_pystrs_has(&s, "c"));
	ft_pystrs_release(&s);
	assert_int_equal(ft_pystrs_parse("[]", &s), 0);
	assert_int_equal(s.n, 0);
	ft_pystrs_release(&s);
	assert_false(ft_pystrs_has(NULL, "a"));

	/* malformed, each of them: an error, and nothing held */
	static const char *const bad[] = {
		NULL, "", "   ", "[", "[\"a\"", "[\"a\",", "[\"a\" \"b\"]", "{}", "\"a\"", "1",
		"null", "true", "[1]", "[\"a\",1]", "[\"a\",null]", "[[\"a\"]]", "[{\"a\":\"b\"}]",
		"[\"a\",true]", "[1e999999]", "[\"\\ud800\"", "[\"a\"]]",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		memset(&s, 0x5a, sizeof(s));
		assert_int_equal(ft_pystrs_parse(bad[i], &s), -EINVAL);
		assert_null(s.v);
		assert_int_equal(s.n, 0);
	}
}

static void test_pymodel__strs_non_utf8(void **state)
{
	struct ft_pystrs s;
	/* bytes that are no UTF-8 (a path the recorder could not decode
	 * would not get here, but a damaged database may hold them): taken
	 * as bytes, compared as bytes */
	const char doc[] = "[\"/p/\xff\xfe.py\",\"/p/\xc3(.py\"]";

	(void)state;
	assert_int_equal(ft_pystrs_parse(doc, &s), 0);
	assert_int_equal(s.n, 2);
	assert_true(ft_pystrs_has(&s, "/p/\xff\xfe.py"));
	assert_false(ft_pystrs_has(&s, "/p/.py"));
	ft_pystrs_release(&s);
}

static void test_pymodel__files_parse(void **state)
{
	struct ft_pyfiles m;
	const struct ft_pystrs *k;

	(void)state;
	assert_int_equal(ft_pyfiles_parse("{\"/p/a.py\":[\"f\",\"@x\"],\"/p/b.py\":[]}", &m), 0);
	assert_int_equal(m.n, 2);
	assert_non_null(k = ft_pyfiles_get(&m, "/p/a.py"));
	assert_int_equal(k->n, 2);
	assert_true(ft_pystrs_has(k, "@x"));
	/* an empty list is not no list: the session made b.py */
	assert_non_null(k = ft_pyfiles_get(&m, "/p/b.py"));
	assert_int_equal(k->n, 0);
	assert_null(ft_pyfiles_get(&m, "/p/c.py"));
	assert_null(ft_pyfiles_get(NULL, "/p/a.py"));
	ft_pyfiles_release(&m);
	/* a file twice: the first counts, as cJSON's lookup did */
	assert_int_equal(ft_pyfiles_parse("{\"/a\":[\"f\"],\"/a\":[\"g\"]}", &m), 0);
	assert_true(ft_pystrs_has(ft_pyfiles_get(&m, "/a"), "f"));
	assert_false(ft_pystrs_has(ft_pyfiles_get(&m, "/a"), "g"));
	ft_pyfiles_release(&m);

	static const char *const bad[] = {
		NULL, "", "{", "{\"/a\":[\"f\"]", "{\"/a\":[\"f\"],}", "[]", "[[\"/a\",\"f\"]]",
		"\"x\"", "null", "{\"/a\":\"f\"}", "{\"/a\":null}", "{\"/a\":{}}", "{\"/a\":[1]}",
		"{\"/a\":[\"f\"],\"/b\":[\"g\",2]}", "{\"/a\":[\"f\"],\"/b\":7}",
		"{\"/a\":[123456789012345678901234567890]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		memset(&m, 0x5a, sizeof(m));
		assert_int_equal(ft_pyfiles_parse(bad[i], &m), -EINVAL);
		assert_null(m.v);
		assert_int_equal(m.n, 0);
	}
}

static void test_pymodel__strs_add(void **state)
{
	struct ft_pystrs s = { 0 };

	(void)state;
	assert_int_equal(ft_pystrs_add(&s, "a"), 0);
	assert_int_equal(ft_pystrs_add(&s, "b"), 0);
	assert_int_equal(ft_pystrs_add(&s, "a"), 0);
	assert_int_equal(s.n, 2);   /* a set */
	ft_pystrs_release(&s);
	assert_int_equal(s.n, 0);
	assert_null(s.v);
}

/* A list of keys from a NULL-terminated list of strings. */
static struct ft_pystrs strs(const char *const *v)
{
	struct ft_pystrs s = { 0 };

	for (; *v; v++)
		assert_int_equal(ft_pystrs_add(&s, *v), 0);
	return s;
}

static cJSON *json(const char *text)
{
	cJSON *j = cJSON_Parse(text);

	assert_non_null(j);
	return j;
}

/* Which changed bodies a list of keys counts for: a nested function for
 * its enclosing one, a docstring read for the docstring's key, a name
 * read and a marker for none; only bodies the version has. */
static void test_pymodel__rule_runs_changed(void **state)
{
	static const char *const keys[] = {
		"f.<locals>.g", "C.m#doc", "@h", "@*", "<module>", "k", "gone", "f", NULL,
	};
	static const char *const ch[] = { "f", "C.m#doc", "h", "gone", NULL };
	struct ft_pystrs q = strs(keys), changed = strs(ch), hit;
	struct ft_pyfp bodies = { 0 };
	cJSON *wraps = json("[\"C.m#doc\"]");

	(void)state;
	assert_int_equal(ft_pyfp_bodies_parse("{\"f\":\"1\",\"C.m#doc\":\"2\",\"h\":\"3\","
					      "\"k\":\"4\",\"<module>\":\"5\"}", &bodies), 0);
	assert_int_equal(ft__pyfunc_runs_changed(&q, &bodies, &changed, &hit), 0);
	/* f once (f.<locals>.g and f), the docstring; not h (only its name
	 * was read), not k (unchanged), not gone (no body of the version) */
	assert_int_equal(hit.n, 2);
	assert_string_equal(hit.v[0], "f");
	assert_string_equal(hit.v[1], "C.m#doc");
	/* a pure decorator's docstring read at import is no prelude run */
	ft__pyfunc_unwrapped(&hit, wraps);
	assert_int_equal(hit.n, 1);
	assert_string_equal(hit.v[0], "f");
	ft__pyfunc_unwrapped(&hit, NULL);
	assert_int_equal(hit.n, 1);
	ft_pystrs_release(&hit);
	/* no keys (a file the test never touched): nothing */
	assert_int_equal(ft__pyfunc_runs_changed(NULL, &bodies, &changed, &hit), 0);
	assert_int_equal(hit.n, 0);
	/* no bodies known: nothing counts as run (the callers keep the test
	 * for want of bodies before they get here) */
	assert_int_equal(ft__pyfunc_runs_changed(&q, NULL, &changed, &hit), 0);
	assert_int_equal(hit.n, 0);
	cJSON_Delete(wraps);
	ft_pyfp_release(&bodies);
	ft_pystrs_release(&q);
	ft_pystrs_release(&changed);
}

/* The helper's fingerprints of one file (docs/python-sidefiles.md): what
 * is missing or of the wrong type is left empty, never guessed. */
static void test_pymodel__fingerprints(void **state)
{
	struct ft_pyfp fp;
	cJSON *o;

	(void)state;
	o = json("{\"skeleton\":\"s1\",\"bodies\":{\"f\":\"b1\",\"C.m#doc\":\"d\"},"
		 "\"names\":{\"stmts\":[]},\"size\":12,\"crc32\":1e300}");
	assert_int_equal(ft_pyfp_from_json(o, &fp), 0);
	assert_string_equal(fp.skeleton, "s1");
	assert_true(fp.has_bodies);
	assert_int_equal(fp.nbodies, 2);
	assert_string_equal(ft_pyfp_body(&fp, "f"), "b1");
	assert_string_equal(ft_pyfp_body(&fp, "C.m#doc"), "d");
	assert_null(ft_pyfp_body(&fp, "g"));
	assert_ptr_equal(fp.names, cJSON_GetObjectItem(o, "names"));
	ft_pyfp_release(&fp);
	cJSON_Delete(o);

	/* wrong types, each alone */
	o = json("{\"skeleton\":7,\"bodies\":{\"f\":\"b1\"}}");
	assert_int_equal(ft_pyfp_from_json(o, &fp), 0);
	assert_null(fp.skeleton);
	assert_true(fp.has_bodies);
	ft_pyfp_release(&fp);
	cJSON_Delete(o);
	o = json("{\"skeleton\":\"s\",\"bodies\":{\"f\":1}}");
	assert_int_equal(ft_pyfp_from_json(o, &fp), 0);
	assert_false(fp.has_bodies);
	assert_int_equal(fp.nbodies, 0);
	assert_null(ft_pyfp_body(&fp, "f"));
	ft_pyfp_release(&fp);
	cJSON_Delete(o);
	o = json("{\"skeleton\":\"s\",\"bodies\":[\"f\"]}");
	assert_int_equal(ft_pyfp_from_json(o, &fp), 0);
	assert_false(fp.has_bodies);
	ft_pyfp_release(&fp);
	cJSON_Delete(o);
	/* missing keys */
	o = json("{}");
	assert_int_equal(ft_pyfp_from_json(o, &fp), 0);
	assert_null(fp.skeleton);
	assert_false(fp.has_bodies);
	assert_null(fp.names);
	ft_pyfp_release(&fp);
	cJSON_Delete(o);
	/* not an object: the helper could not read or parse the file */
	o = json("null");
	assert_int_equal(ft_pyfp_from_json(o, &fp), -EINVAL);
	cJSON_Delete(o);
	assert_int_equal(ft_pyfp_from_json(NULL, &fp), -EINVAL);

	/* stored bodies: strict */
	memset(&fp, 0, sizeof(fp));
	assert_int_equal(ft_pyfp_bodies_parse("{}", &fp), 0);
	assert_true(fp.has_bodies);
	ft_pyfp_release(&fp);
	static const char *const bad[] = {
		NULL, "", "{", "{\"f\":\"1\"", "{\"f\":\"1\"}x", "[]", "{\"f\":1}",
		"{\"f\":\"1\",\"g\":null}", "{\"f\":{}}", "{\"f\":123456789012345678901234567890}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		memset(&fp, 0, sizeof(fp));
		assert_int_equal(ft_pyfp_bodies_parse(bad[i], &fp), -EINVAL);
		assert_false(fp.has_bodies);
		assert_null(fp.bodies);
		assert_int_equal(fp.nbodies, 0);
	}
}

static void test_pymodel__rule_reads_name(void **state)
{
	static const char *const reads[] = { "f", "@b", "@c", NULL };
	static const char *const all[] = { "f", "@*", NULL };
	static const char *const none[] = { "b", "c", "@bb", NULL };
	struct ft_pystrs r = strs(reads), a = strs(all), n = strs(none);
	cJSON *names = json("[\"a\",\"c\",\"b\"]");

	(void)state;
	/* the first changed name (in the change's order) that was read */
	assert_string_equal(ft__pyfunc_reads_name(&r, names), "c");
	assert_string_equal(ft__pyfunc_reads_name(&a, names), "*");
	/* a qualname is no read of a name, nor a longer name */
	assert_null(ft__pyfunc_reads_name(&n, names));
	assert_null(ft__pyfunc_reads_name(NULL, names));
	cJSON_Delete(names);
	ft_pystrs_release(&r);
	ft_pystrs_release(&a);
	ft_pystrs_release(&n);
}

/* Only a test selected by content changes of .py files (and of a .pyc
 * beside its changed source) is a candidate. */
static void test_pymodel__rule_reason_files(void **state)
{
	struct ft_reason py = { "/p/a.py", FT_DEP_FILE, FT_CHANGE_CONTENT, 0 };
	struct ft_reason py2 = { "/p/b.py", FT_DEP_FILE, FT_CHANGE_CONTENT, 0 };
	struct ft_reason pyc = { "/p/__pycache__/a.cpython-311.pyc", FT_DEP_FILE, FT_CHANGE_CONTENT, 0 };
	struct ft_reason pyc2 = { "/p/__pycache__/c.cpython-311.pyc", FT_DEP_FILE, FT_CHANGE_CONTENT, 0 };
	struct ft_reason data = { "/p/a.txt", FT_DEP_FILE, FT_CHANGE_CONTENT, 0 };
	struct ft_reason gone = { "/p/a.py", FT_DEP_FILE, FT_CHANGE_NOW_ABSENT, 0 };
	struct ft_reason failed = { NULL, 0, FT_CHANGE_CONTENT, 0 };
	struct ft_reason r[4];
	struct ft_selected t = { .id = "t::x", .reasons = r };
	cJSON *files;

	(void)state;
	r[0] = py, r[1] = py2, r[2] = pyc, r[3] = py;
	t.nreasons = 4;
	assert_non_null(files = ft__pyfunc_reason_files(&t));
	assert_int_equal(cJSON_GetArraySize(files), 2);   /* a.py once, b.py */
	cJSON_Delete(files);
	/* a .pyc without its source changed; a data file; a file gone; a
	 * failed test; reasons left out; no reason at all */
	r[0] = pyc2, r[1] = py;
	t.nreasons = 2;
	assert_null(ft__pyfunc_reason_files(&t));
	r[0] = data;
	assert_null(ft__pyfunc_reason_files(&t));
	r[0] = gone;
	assert_null(ft__pyfunc_reason_files(&t));
	r[0] = failed;
	assert_null(ft__pyfunc_reason_files(&t));
	r[0] = py;
	t.omitted = 1;
	assert_null(ft__pyfunc_reason_files(&t));
	t.omitted = 0;
	t.nreasons = 0;
	assert_null(ft__pyfunc_reason_files(&t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pymodel__key_kinds),
		cmocka_unit_test(test_pymodel__read_and_body_keys),
		cmocka_unit_test(test_pymodel__forward_keys),
		cmocka_unit_test(test_pymodel__strs_parse),
		cmocka_unit_test(test_pymodel__strs_non_utf8),
		cmocka_unit_test(test_pymodel__files_parse),
		cmocka_unit_test(test_pymodel__strs_add),
		cmocka_unit_test(test_pymodel__fingerprints),
		cmocka_unit_test(test_pymodel__rule_runs_changed),
		cmocka_unit_test(test_pymodel__rule_reads_name),
		cmocka_unit_test(test_pymodel__rule_reason_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
