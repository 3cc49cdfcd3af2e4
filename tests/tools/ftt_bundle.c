/*
 * ftt_bundle.c - make bundles (common/ft_bundle.h) that `ftrace export`
 * never writes, with a right checksum, for the integration tests of what
 * `ftrace import` refuses after the checksum (t6601):
 *
 *   ftt_bundle badkind IN OUT     the first dependency of the first set
 *                                 gets kind 200 (no such kind)
 *   ftt_bundle badoutcome IN OUT  the last test gets outcome 99
 *   ftt_bundle count IN           "tests sets paths runs listings flaky"
 *   ftt_bundle stats IN           counts, as "key value" pairs on one line;
 *                                 py_texts/py_coded: the tests' Python texts and
 *                                 how many of them its version shares (py_other,
 *                                 py_other_coded: the runs' and fingerprints';
 *                                 shares: the tests' shares, version 5)
 *   ftt_bundle synth OUT TESTS PATHS K N [commit|test]
 *                                 a synthetic shard K of N (bench/share): tests
 *                                 K-1, K-1+N, ... of TESTS, each with a prelude
 *                                 set (300 outside paths) shared by all, and an
 *                                 own set of 20 of PATHS repository paths.
 *                                 "commit" (the default): a path has one state,
 *                                 as in a recording of one commit, where every
 *                                 test that reads a file reads the same bytes;
 *                                 "test": each test's paths have states of
 *                                 their own (20 per test: the worst case)
 *
 * Exits 0, or 1 with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_bundle.h"
#include "ft_bundle_py.h"
#include "ft_bundle_tree.h"
#include "ft_error.h"

/* One text through the coder of version 3 (tree 0) or 4 (tree 1): counted
 * in *n, and in *coded when shared.  0 or -ENOMEM. */
static int count_code(struct ft_bundle_pytab *tab, int tree, const char *text, size_t *n,
		      size_t *coded)
{
	struct ft_bundle_pyval v;
	int rc;

	if (!text)
		return 0;
	if ((rc = (tree ? ft__bundle_tree_code : ft__bundle_py_code)(tab, text, &v)) < 0)
		return rc;
	(*n)++;
	*coded += v.tag != FT_BUNDLE_PY_RAW;
	ft__bundle_pyval_release(&v);
	return 0;
}

/* A synthetic shard: deterministic (a fixed LCG), so that K of N made on
 * "different machines" agree on every shared path and set. */
static int synth(const char *out, long ntests, long npaths, long k, long n, int per_test)
{
	struct ft_bundle b = { 0 };
	char buf[128];
	uint32_t idx;
	int rc;

	if (ft_bundle_add_meta(&b, FT_BUNDLE_FP_REPO, "") < 0)
		return 1;
	for (long i = 0; i < 300; i++) {
		int l = snprintf(buf, sizeof(buf), "/usr/lib/python3/site-packages/m%ld/__init__.py", i);
		if (ft_bundle_add_path(&b, buf, (uint32_t)l, 0, &idx) < 0)
			return 1;
	}
	for (long i = 0; i < npaths; i++) {
		int l = snprintf(buf, sizeof(buf), "src/pkg%ld/mod%ld.py", i / 100, i);
		if (ft_bundle_add_path(&b, buf, (uint32_t)l, FT_BUNDLE_REL, &idx) < 0)
			return 1;
	}
	b.runs = calloc(1, sizeof(*b.runs));
	b.nruns = b.cruns = 1;
	b.runs[0].cwd = FT_BUNDLE_NONE;
	b.runs[0].started_ns = 1000000000LL * k;
	b.runs[0].finished_ns = 1000000000LL * k + 60000000000LL;
	b.runs[0].command = strdup("python -m pytest");
	b.ntests = (size_t)((ntests - (k - 1) + n - 1) / n);
	b.tests = calloc(b.ntests, sizeof(*b.tests));
	b.sets = calloc(b.ntests + 1, sizeof(*b.sets));
	b.nsets = b.csets = b.ntests + 1;
	b.ctests = b.ntests;
	b.sets[0].deps = calloc(300, sizeof(struct ft_bundle_dep));
	b.sets[0].n = 300;
	for (uint32_t i = 0; i < 300; i++)
		b.sets[0].deps[i] = (struct ft_bundle_dep){ i, 1, 0x9e3779b97f4a7c15ULL * (i + 1) };
	for (size_t t = 0; t < b.ntests; t++) {
		long id = (k - 1) + (long)t * n;
		uint64_t x = (uint64_t)id * 6364136223846793005ULL + 1442695040888963407ULL;
		struct ft_bundle_set *s = &b.sets[t + 1];
		snprintf(buf, sizeof(buf), "tests/test_%ld.py::test_%ld", id / 10, id);
		b.tests[t].name = strdup(buf);
		b.tests[t].runner = strdup("pytest");
		b.tests[t].file = FT_BUNDLE_NONE;
		b.tests[t].outcome = 1;
		b.tests[t].run = 0;
		b.tests[t].sets = calloc(2, sizeof(uint32_t));
		b.tests[t].sets[1] = (uint32_t)(t + 1);
		b.tests[t].nsets = 2;
		s->deps = calloc(20, sizeof(struct ft_bundle_dep));
		s->n = 20;
		for (uint32_t j = 0; j < 20; j++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			s->deps[j].path = 300 + (uint32_t)((x >> 33) % (uint64_t)npaths);
			s->deps[j].kind = 1;
			s->deps[j].value = per_test ? x : 0x9e3779b97f4a7c15ULL * (s->deps[j].path + 1);
		}
	}
	rc = ft_bundle_write(&b, out);
	ft_bundle_release(&b);
	return rc < 0;
}

int main(int argc, char **argv)
{
	if ((argc == 7 || argc == 8) && !strcmp(argv[1], "synth")) {
		if (argc == 8 && strcmp(argv[7], "commit") && strcmp(argv[7], "test")) {
			fprintf(stderr, "ftt_bundle synth: states per \"commit\" or \"test\", not %s\n",
				argv[7]);
			return 1;
		}
		return synth(argv[2], atol(argv[3]), atol(argv[4]), atol(argv[5]), atol(argv[6]),
			     argc == 8 && !strcmp(argv[7], "test"));
	}

	struct ft_bundle b;
	struct ft_err err;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: ftt_bundle badkind|badoutcome IN OUT | count IN | stats IN | trim IN OUT\n");
		return 1;
	}
	if ((rc = ft_bundle_read(&b, argv[2], &err)) < 0) {
		fprintf(stderr, "ftt_bundle: %s: %s\n", argv[2], ft_err_msg(&err));
		return 1;
	}
	if (!strcmp(argv[1], "trim") && argc == 4) {
		/* a small seed for tests/fuzz/corpus/bundle: the first two tests,
		 * each set cut to 6 members, 2 of each other row, re-interned
		 * by a merge of the cut bundle alone (its paths and sets then are
		 * only those left referenced) */
		struct ft_bundle cut = b, out = { 0 };
		const struct ft_bundle *in[1] = { &cut };
		struct ft_bundle_set *sets = calloc(b.nsets ? b.nsets : 1, sizeof(*sets));
		if (!sets)
			return 1;
		for (size_t i = 0; i < b.nsets; i++) {
			sets[i] = b.sets[i];
			sets[i].n = sets[i].n > 6 ? 6 : sets[i].n;
		}
		cut.sets = sets;
		cut.ntests = b.ntests > 2 ? 2 : b.ntests;
		cut.nlistings = b.nlistings > 2 ? 2 : b.nlistings;
		cut.nflaky = b.nflaky > 2 ? 2 : b.nflaky;
		cut.npyfps = b.npyfps > 2 ? 2 : b.npyfps;
		cut.npyconf = b.npyconf > 2 ? 2 : b.npyconf;
		rc = ft_bundle_merge(&out, in, 1);
		if (rc == 0)
			rc = ft_bundle_write(&out, argv[3]);
		free(sets);
		ft_bundle_release(&out);
		ft_bundle_release(&b);
		return rc < 0;
	}
	if (!strcmp(argv[1], "stats")) {
		/* what bench/share/size.sh divides a bundle's bytes by */
		size_t members = 0, pairs = 0, shares = 0, pyrows = 0, texts = 0, coded = 0, other = 0, ocoded = 0;
		struct ft_bundle_pytab tab = { FT_MAP_INIT, FT_MAP_INIT };
		int tree = b.version >= 4;

		rc = 0;
		for (size_t i = 0; i < b.nsets; i++)
			members += b.sets[i].n;
		/* how the bundle's version (3, or 4 from it) codes the Python
		 * texts, in the file's order:
		 * shared (coded) or kept as they are; the tests' and the others
		 * (runs' and fingerprints') apart */
		for (size_t i = 0; i < b.nruns && rc == 0; i++)
			rc = count_code(&tab, tree, b.runs[i].py_prelude, &other, &ocoded);
		for (size_t i = 0; i < b.ntests && rc == 0; i++) {
			const char *t3[3] = { b.tests[i].py_funcs, b.tests[i].py_own, b.tests[i].py_lazy };
			for (uint32_t j = 0; j < b.tests[i].nsets; j++)
				pairs += b.sets[b.tests[i].sets[j]].n;
			shares += b.tests[i].nshares;
			pyrows += b.tests[i].py_funcs != NULL;
			for (int k = 0; k < 3 && rc == 0; k++)
				rc = count_code(&tab, tree, t3[k], &texts, &coded);
		}
		for (size_t i = 0; i < b.npyfps && rc == 0; i++) {
			const char *f3[3] = { b.pyfps[i].bodies, b.pyfps[i].prelude, b.pyfps[i].names };
			for (int k = 0; k < 3 && rc == 0; k++)
				rc = count_code(&tab, tree, f3[k], &other, &ocoded);
		}
		printf("tests %zu sets %zu paths %zu states_in_sets %zu test_deps %zu "
		       "tests_with_functions %zu pyfps %zu pyconf %zu py_texts %zu py_coded %zu "
		       "py_strings %zu py_lists %zu py_other %zu py_other_coded %zu shares %zu\n", b.ntests,
		       b.nsets, b.npaths, members, pairs, pyrows, b.npyfps, b.npyconf, texts, coded,
		       tab.strs.count, tab.lists.count, other, ocoded, shares);
		ft__bundle_pytab_release(&tab);
		ft_bundle_release(&b);
		return rc < 0;
	}
	if (!strcmp(argv[1], "count")) {
		printf("%zu %zu %zu %zu %zu %zu\n", b.ntests, b.nsets, b.npaths, b.nruns, b.nlistings,
		       b.nflaky);
		ft_bundle_release(&b);
		return 0;
	}
	if (argc < 4)
		return 1;
	if (!strcmp(argv[1], "badkind") && b.nsets && b.sets[0].n)
		b.sets[0].deps[0].kind = 200;
	else if (!strcmp(argv[1], "badoutcome") && b.ntests)
		b.tests[b.ntests - 1].outcome = 99;
	else
		return 1;
	rc = ft_bundle_write(&b, argv[3]);
	ft_bundle_release(&b);
	if (rc < 0) {
		fprintf(stderr, "ftt_bundle: %s: %s\n", argv[3], ft_strerror(rc));
		return 1;
	}
	return 0;
}
