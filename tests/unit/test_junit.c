/*
 * test_junit.c - nextest's JUnit report (issue 27): the reader
 * (runners/ft_junit.c) on nextest's own shapes, entities, malformed and
 * huge input; nextest.toml's junit.path (runners/ft_nextest_junit.c);
 * and the report applied to a hand-built tree: this run's file only, no
 * symlink, a refused one leaves a note and no duration.  The real run is
 * t8031.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ft_error.h"
#include "ft_junit.h"
#include "ft_nextest_junit.h"
#include "ft_ptree.h"
#include "ft_record.h"
#include "ft_runner.h"

static int parse(struct ft_junit *j, const char *xml, char *why, size_t cap)
{
	return ft_junit_parse(j, xml, strlen(xml), why, cap);
}

/* A report as nextest 0.9 writes it: a flaky test (its retry's time
 * added), a failed one with a rerun, a skipped and an errored one. */
static const char report[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<testsuites name=\"nextest-run\" tests=\"5\" failures=\"1\" time=\"1.684\">\n"
	"  <testsuite name=\"cfx::b\" tests=\"3\">\n"
	"    <testcase name=\"b_double\" classname=\"cfx::b\" time=\"0.036\"/>\n"
	"    <testcase name=\"b_flaky\" classname=\"cfx::b\" time=\"0.031\">\n"
	"      <flakyFailure time=\"0.925\" message=\"thread &apos;b&apos; panicked\" type=\"x\">"
	"at &lt;fn() -&gt; &amp;x&gt;\n<system-out>\nrunning 1 test\n</system-out></flakyFailure>\n"
	"    </testcase>\n"
	"    <testcase name=\"b_fail\" classname=\"cfx::b\" time=\"0.931\">\n"
	"      <failure message=\"m\" type=\"test failure\">x</failure>\n"
	"      <rerunFailure time=\"0.650\" message=\"m\"/>\n"
	"      <system-out><![CDATA[ <not> & markup ]]></system-out>\n"
	"    </testcase>\n"
	"  </testsuite>\n"
	"  <testsuite name=\"cfx-helper\">\n"
	"    <testcase name=\"tests::skip_me\" classname=\"cfx-helper\"><skipped/></testcase>\n"
	"    <testcase name=\"tests::err\" classname=\"cfx-helper\" time=\"0\"><error/><failure/></testcase>\n"
	"    <!-- a comment <testcase name=\"no\"/> -->\n"
	"  </testsuite>\n"
	"</testsuites>\n";

static void test_junit__nextest_report(void **state)
{
	struct ft_junit j;
	const struct ft_junit_case *c;
	char why[256];

	(void)state;
	assert_int_equal(parse(&j, report, why, sizeof(why)), 0);
	assert_int_equal(j.n, 5);
	assert_non_null(c = ft_junit_find(&j, "cfx::b b_double"));
	assert_int_equal(c->ns, 36000000);
	assert_int_equal(c->outcome, FT_OUTCOME_PASSED);
	assert_non_null(c = ft_junit_find(&j, "cfx::b b_flaky"));
	assert_int_equal(c->ns, 956000000); /* 0.031 + its failed attempt's 0.925 */
	assert_int_equal(c->outcome, FT_OUTCOME_PASSED);
	assert_non_null(c = ft_junit_find(&j, "cfx::b b_fail"));
	assert_int_equal(c->ns, 1581000000);
	assert_int_equal(c->outcome, FT_OUTCOME_FAILED);
	assert_non_null(c = ft_junit_find(&j, "cfx-helper tests::skip_me"));
	assert_int_equal(c->ns, -1);
	assert_int_equal(c->outcome, FT_OUTCOME_SKIPPED);
	assert_non_null(c = ft_junit_find(&j, "cfx-helper tests::err"));
	assert_int_equal(c->outcome, FT_OUTCOME_ERROR); /* the worst of error and failure */
	assert_int_equal(c->ns, 0);
	assert_null(ft_junit_find(&j, "cfx-helper no"));
	assert_null(ft_junit_find(&j, "b_double"));
	ft_junit_release(&j);

	/* a lone <testsuite> root; a testcase without classname takes the suite's */
	assert_int_equal(parse(&j, "<testsuite name='s'><testcase name='t' time='1.5'/></testsuite>",
			       why, sizeof(why)), 0);
	assert_non_null(c = ft_junit_find(&j, "s t"));
	assert_int_equal(c->ns, 1500000000);
	ft_junit_release(&j);

	/* a run of no test: a report of none (found by fuzz_junit: sorting
	 * no case was undefined behaviour) */
	assert_int_equal(parse(&j, "<testsuites name='nextest-run' tests='0'/>", why, sizeof(why)), 0);
	assert_int_equal(j.n, 0);
	assert_null(ft_junit_find(&j, "s t"));
	ft_junit_release(&j);
}

static void test_junit__entities(void **state)
{
	static const char *const bad[] = {
		"&#0;", "&#xD800;", "&#x110000;", "&#xFFFE;", "&foo;", "&lt", "&#;", "&#x;",
		"&#1234567890;", "&#x1G;", "&", "& amp;", "&#-1;", "&AMP;",
	};
	struct ft_junit j;
	char why[256], xml[512];

	(void)state;
	assert_int_equal(parse(&j, "<testsuites><testsuite name=\"a&amp;b\"><testcase "
			       "name=\"t&lt;&gt;&quot;&apos;&#65;&#x42;&#xe9;&#x20AC;&#x1F600;\"/>"
			       "</testsuite></testsuites>", why, sizeof(why)), 0);
	assert_int_equal(j.n, 1);
	assert_string_equal(j.v[0].id, "a&b t<>\"'AB\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	ft_junit_release(&j);
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		snprintf(xml, sizeof(xml), "<testsuite name='s'><testcase name='x%sy'/></testsuite>", bad[k]);
		assert_int_equal(parse(&j, xml, why, sizeof(why)), FT_EFORMAT);
		assert_non_null(strstr(why, "entity"));
		assert_int_equal(j.n, 0);
		/* in text too */
		snprintf(xml, sizeof(xml), "<testsuite name='s'><testcase name='x'>%s</testcase></testsuite>",
			 bad[k]);
		assert_int_equal(parse(&j, xml, why, sizeof(why)), FT_EFORMAT);
	}
}

static void test_junit__malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"   \n",
		"<testsuites>",                                   /* truncated */
		"<testsuites><testsuite name='s'><testcase name='t'/></testsuite>",
		"<testsuites></testsuite>",                       /* mismatched */
		"<testsuites/><testsuites/>",                     /* two roots */
		"x<testsuites/>",                                 /* text outside */
		"<testsuites/>x",
		"<!DOCTYPE x [<!ENTITY e 'boom'>]><testsuites/>", /* entity declarations */
		"<testsuites a=b/>",                              /* unquoted */
		"<testsuites a='1' a='2'/>",                      /* given twice */
		"<testsuites a='1'b='2'/>",
		"<testsuites a='x<y'/>",
		"<testsuites a='1/>",
		"<testsuites><testcase name='t'/></testsuites>",  /* outside a testsuite */
		"<testsuite name='s'><testcase/></testsuite>",    /* no name */
		"<testsuite name='s'><testcase name='t'/><testcase name='t'/></testsuite>", /* twice */
		"<html/>",
		"</testsuites>",
		"<testsuites><!-- unterminated </testsuites>",
		"<testsuites><![CDATA[ x </testsuites>",
		"<![CDATA[x]]><testsuites/>",
		"<testsuites><?pi </testsuites>",
		"<testsuites>< /testsuites>",
		"<testsuites></ testsuites>",
		"<testsuites></testsuites x>",
		"<>",
	};
	struct ft_junit j;
	char why[256];

	(void)state;
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		int rc = parse(&j, bad[k], why, sizeof(why));
		if (rc != FT_EFORMAT)
			fail_msg("accepted: %s", bad[k]);
		assert_true(why[0] != '\0');
		assert_int_equal(j.n, 0);
		assert_null(j.v);
	}
	/* a NUL byte, where strlen would not see it */
	assert_int_equal(ft_junit_parse(&j, "<testsuites a='\0'/>", 19, why, sizeof(why)), FT_EFORMAT);
	assert_int_equal(ft_junit_parse(&j, "<testsuites>\0</testsuites>", 26, why, sizeof(why)), FT_EFORMAT);
	/* the line of the fault is said */
	assert_int_equal(parse(&j, "<testsuites>\n\n<testcase name='t'/></testsuites>", why, sizeof(why)),
			 FT_EFORMAT);
	assert_non_null(strstr(why, "line 3"));
}

/* nested deeper than the stack: refused, not recursed into */
static void test_junit__deep(void **state)
{
	size_t n = 100000, len = 0;
	char *xml = malloc(n * 3 + 64), why[256];
	struct ft_junit j;

	(void)state;
	assert_non_null(xml);
	len += (size_t)sprintf(xml, "<testsuites>");
	for (size_t k = 0; k < n; k++)
		len += (size_t)sprintf(xml + len, "<a>");
	assert_int_equal(ft_junit_parse(&j, xml, len, why, sizeof(why)), FT_EFORMAT);
	assert_non_null(strstr(why, "deeper"));
	/* 63 levels below the root are fine */
	len = (size_t)sprintf(xml, "<testsuites>");
	for (size_t k = 0; k < FT_JUNIT_MAX_DEPTH - 1; k++)
		len += (size_t)sprintf(xml + len, "<a>");
	for (size_t k = 0; k < FT_JUNIT_MAX_DEPTH - 1; k++)
		len += (size_t)sprintf(xml + len, "</a>");
	len += (size_t)sprintf(xml + len, "</testsuites>");
	assert_int_equal(ft_junit_parse(&j, xml, len, why, sizeof(why)), 0);
	ft_junit_release(&j);
	free(xml);
}

static void test_junit__huge_values(void **state)
{
	static const char *const bad[] = {
		"1000000000", "1e400", "1e3", "-1", ".5", "1.", "", " 1", "1 ", "0x10", "inf", "nan",
		"99999999999999999999999", "1.0000000000000000000000000000000000000000000000000000000000000000001",
		"1,5",
	};
	static const struct { const char *t; int64_t ns; } good[] = {
		{ "0", 0 }, { "999999999.999999999", 999999999999999999LL }, { "0.0000000019", 1 },
		{ "12.5", 12500000000LL }, { "007", 7000000000LL },
	};
	struct ft_junit j;
	char why[256], xml[512];

	(void)state;
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		snprintf(xml, sizeof(xml), "<testsuite name='s'><testcase name='t' time='%s'/></testsuite>",
			 bad[k]);
		if (parse(&j, xml, why, sizeof(why)) != FT_EFORMAT)
			fail_msg("time accepted: '%s'", bad[k]);
		assert_non_null(strstr(why, "time"));
		/* a retry's time as well */
		snprintf(xml, sizeof(xml), "<testsuite name='s'><testcase name='t'><rerunFailure "
			 "time='%s'/></testcase></testsuite>", bad[k]);
		assert_int_equal(parse(&j, xml, why, sizeof(why)), FT_EFORMAT);
	}
	for (size_t k = 0; k < sizeof(good) / sizeof(good[0]); k++) {
		snprintf(xml, sizeof(xml), "<testsuite name='s'><testcase name='t' time='%s'/></testsuite>",
			 good[k].t);
		assert_int_equal(parse(&j, xml, why, sizeof(why)), 0);
		assert_int_equal(j.v[0].ns, good[k].ns);
		ft_junit_release(&j);
	}
	/* retries summed up to overflow: refused, never wrapped */
	{
		size_t len = 0, n = 20;
		char *big = malloc(64 + n * 64);
		assert_non_null(big);
		len += (size_t)sprintf(big, "<testsuite name='s'><testcase name='t' time='999999999'>");
		for (size_t k = 0; k < n; k++)
			len += (size_t)sprintf(big + len, "<flakyFailure time='999999999.9'/>");
		len += (size_t)sprintf(big + len, "</testcase></testsuite>");
		assert_int_equal(ft_junit_parse(&j, big, len, why, sizeof(why)), FT_EFORMAT);
		assert_non_null(strstr(why, "overflow"));
		free(big);
	}
}

static void test_junit__config(void **state)
{
	static const struct { const char *toml, *profile, *want; int rc; } cases[] = {
		{ "[profile.default.junit]\npath = \"junit.xml\"\n", "default", "junit.xml", 1 },
		{ "[profile.default.junit]\npath = \"junit.xml\"\n", "ci", "junit.xml", 1 },
		{ "[profile.ci.junit]\npath = 'ci.xml' # here\n", "default", NULL, 0 },
		{ "[profile.ci.junit]\npath = 'ci.xml'\n", "ci", "ci.xml", 1 },
		{ "[ profile . \"ci\" ]\njunit.path = \"r/ci.xml\"\n", "ci", "r/ci.xml", 1 },
		{ "[profile.ci]\njunit = { store-success-output = true, path = \"x.xml\" }\n", "ci", "x.xml", 1 },
		{ "[profile.base.junit]\npath = \"b.xml\"\n[profile.ci]\ninherits = \"base\"\n", "ci",
		  "b.xml", 1 },
		{ "[profile.default.junit]\npath = \"d.xml\"\n[profile.ci.junit]\npath = \"c.xml\"\n", "ci",
		  "c.xml", 1 },
		{ "# nothing\n[profile.default]\nretries = 2\nfilter = [\n  \"a\",\n]\n", "default", NULL, 0 },
		{ "[[profile.default.overrides]]\njunit.path = \"no.xml\"\n", "default", NULL, 0 },
		{ "[profile.default.junit]\npath = \"\"\n", "default", NULL, 0 },
		{ "[store]\ndir = \"elsewhere\"\n[profile.default.junit]\npath = \"j.xml\"\n", "default",
		  NULL, FT_EFORMAT },
		{ "[scripts.setup.x]\ncommand = \"\"\"\n[profile.default.junit]\n\"\"\"\n", "default", NULL,
		  FT_EFORMAT },
		{ "[profile.default.junit]\npath = \"a\\tb.xml\"\n", "default", NULL, FT_EFORMAT },
		{ "[profile.default.junit]\npath = \"unterminated\n", "default", NULL, 0 },
		{ "[profile.default.junit\npath = \"x.xml\"\n", "default", NULL, FT_EFORMAT },
		{ "[profile.ci]\ninherits = \"ci\"\n", "ci", NULL, 0 },
		{ "[profile.a]\ninherits = \"b\"\n[profile.b]\ninherits = \"a\"\n", "a", NULL, 0 },
	};

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char *path = NULL;
		int rc = ft_nextest_junit_config(cases[k].toml, cases[k].profile, &path);
		if (rc != cases[k].rc)
			fail_msg("case %zu: %d, expected %d", k, rc, cases[k].rc);
		if (cases[k].want)
			assert_string_equal(path, cases[k].want);
		else
			assert_null(path);
		free(path);
	}
}

static char root[] = "/tmp/ft-junit.XXXXXX";
#include "treehelp.h"

/* A tree with one nextest runner image (argv as given, NUL-separated)
 * and tests "cfx::b b_double" (guessed failed) and "cfx::b b_fail". */
static void tree_with(struct ft_ptree *t, const char *argv, size_t len)
{
	long i = ft_ptree_add(t, "r-1-0.rec", 10, 1, 0, 1, 0, "/bin/cargo-nextest", argv, len, 0);

	assert_true(i >= 0);
	t->procs[i].runner = FT_RUNNER_NEXTEST;
	assert_int_equal(ft_ptree_test(t, "cfx::b b_double", "nextest"), 0);
	assert_int_equal(ft_ptree_test(t, "cfx::b b_fail", "nextest"), 1);
	t->tests[0].outcome = FT_OUTCOME_FAILED;
	t->tests[0].guessed = 1;
	t->tests[1].outcome = FT_OUTCOME_PASSED;
}

static void test_junit__apply(void **state)
{
	static const char argv[] = "cargo-nextest\0nextest\0run\0--profile\0ci";
	struct ft_ptree t = FT_PTREE_INIT;
	struct timespec now;
	int64_t t0;

	(void)state;
	assert_non_null(mkdtemp(root));
	assert_int_equal(mkdir(P(".config"), 0755), 0);
	assert_int_equal(mkdir(P("target"), 0755), 0);
	assert_int_equal(mkdir(P("target/nextest"), 0755), 0);
	assert_int_equal(mkdir(P("target/nextest/ci"), 0755), 0);
	write_file(".config/nextest.toml", "[profile.ci.junit]\npath = \"junit.xml\"\n");
	clock_gettime(CLOCK_REALTIME, &now);
	t0 = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec - 2000000000;

	/* no report: nothing, no note */
	tree_with(&t, argv, sizeof(argv));
	assert_int_equal(ft_nextest_junit_apply(&t, root, P("target"), t0), 0);
	assert_int_equal(t.tests[0].own_ns, -1);
	assert_string_equal(t.note, "");
	ft_ptree_release(&t);

	/* this run's report: durations; nextest's pass where the outcome was
	 * a guess, its failure over the process's pass */
	write_file("target/nextest/ci/junit.xml", report);
	tree_with(&t, argv, sizeof(argv));
	assert_int_equal(ft_ptree_test(&t, "cfx-helper tests::skip_me", "nextest"), 2);
	t.tests[2].outcome = FT_OUTCOME_FAILED;
	t.tests[2].guessed = 1;
	assert_int_equal(ft_nextest_junit_apply(&t, root, P("target"), t0), 2);
	/* "skipped", yet it ran: the guess stays */
	assert_int_equal(t.tests[2].outcome, FT_OUTCOME_FAILED);
	assert_int_equal(t.tests[2].guessed, 1);
	assert_int_equal(t.tests[0].own_ns, 36000000);
	assert_int_equal(t.tests[0].outcome, FT_OUTCOME_PASSED);
	assert_int_equal(t.tests[0].guessed, 0);
	assert_int_equal(t.tests[1].own_ns, 1581000000);
	assert_int_equal(t.tests[1].outcome, FT_OUTCOME_FAILED);
	assert_string_equal(t.note, "");
	ft_ptree_release(&t);

	/* another profile: not this report */
	{
		static const char other[] = "cargo-nextest\0nextest\0run";
		tree_with(&t, other, sizeof(other));
		assert_int_equal(ft_nextest_junit_apply(&t, root, P("target"), t0), 0);
		ft_ptree_release(&t);
	}

	/* an earlier run's report: silently not read */
	tree_with(&t, argv, sizeof(argv));
	assert_int_equal(ft_nextest_junit_apply(&t, root, P("target"), t0 + 3600000000000LL), 0);
	assert_int_equal(t.tests[0].own_ns, -1);
	assert_int_equal(t.tests[0].guessed, 1);
	assert_string_equal(t.note, "");
	ft_ptree_release(&t);

	/* malformed: no duration at all, a note naming the file */
	write_file("target/nextest/ci/junit.xml", "<testsuites><testsuite name='cfx::b'>"
		   "<testcase name='b_double' time='0.5'/><testcase name='b_fail' time='1e9'/>");
	tree_with(&t, argv, sizeof(argv));
	assert_int_equal(ft_nextest_junit_apply(&t, root, P("target"), t0), 0);
	assert_int_equal(t.tests[0].own_ns, -1);
	assert_int_equal(t.tests[0].guessed, 1);
	assert_non_null(strstr(t.note, P("target/nextest/ci/junit.xml")));
	ft_ptree_release(&t);

	/* a symlink to a report elsewhere: never followed */
	unlink(P("target/nextest/ci/junit.xml"));
	write_file("elsewhere.xml", report);
	assert_int_equal(symlink(P("elsewhere.xml"), P("target/nextest/ci/junit.xml")), 0);
	tree_with(&t, argv, sizeof(argv));
	assert_int_equal(ft_nextest_junit_apply(&t, root, P("target"), t0), 0);
	assert_int_equal(t.tests[0].own_ns, -1);
	assert_non_null(strstr(t.note, "not a regular file"));
	ft_ptree_release(&t);

	/* a run that moves the report (--target-dir): not looked for */
	{
		static const char moved[] = "cargo-nextest\0nextest\0run\0--profile\0ci\0--target-dir\0/x";
		unlink(P("target/nextest/ci/junit.xml"));
		write_file("target/nextest/ci/junit.xml", report);
		tree_with(&t, moved, sizeof(moved));
		assert_int_equal(ft_nextest_junit_apply(&t, root, P("target"), t0), 0);
		ft_ptree_release(&t);
	}

	unlink(P("target/nextest/ci/junit.xml"));
	unlink(P("elsewhere.xml"));
	unlink(P(".config/nextest.toml"));
	rmdir(P("target/nextest/ci"));
	rmdir(P("target/nextest"));
	rmdir(P("target"));
	rmdir(P(".config"));
	rmdir(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_junit__nextest_report),
		cmocka_unit_test(test_junit__entities),
		cmocka_unit_test(test_junit__malformed),
		cmocka_unit_test(test_junit__deep),
		cmocka_unit_test(test_junit__huge_values),
		cmocka_unit_test(test_junit__config),
		cmocka_unit_test(test_junit__apply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
