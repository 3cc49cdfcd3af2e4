/*
 * affected_news.c - see affected_news.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "affected_news.h"
#include "ft_cargo_format.h"
#include "ft_cargo_meta.h"
#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_format.h"
#include "ft_runlists.h"
#include "ft_runner_automake.h"
#include "ft_runner_go.h"
#include "ft_store.h"
#include "ft_trust.h"

void ft_news_release(struct ft_news *n)
{
	ft_ctest_list_release(&n->ctest);
	ft_jest_list_release(&n->jest);
	for (size_t i = 0; i < n->nfiles; i++)
		free(n->files[i]);
	free(n->files);
	ft_cargo_format_free(n->cargo, n->ncargo);
	ft_go_list_free(n->gone, n->ngone);
}

int ft_news_add(struct ft_news *n, const char *prefix, const char *name)
{
	char **v = realloc(n->files, (n->nfiles + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	n->files = v;
	if (asprintf(&v[n->nfiles], "%s%s%s", prefix, *prefix ? "/" : "", name) < 0)
		return -ENOMEM;
	n->nfiles++;
	return 0;
}

/* Add names[0..nn) under `prefix` while rc >= 0, and free them all (the
 * vector too); the last rc. */
static int add_all(struct ft_news *n, const char *prefix, char **names, size_t nn, int rc)
{
	for (size_t i = 0; i < nn; i++) {
		if (rc >= 0)
			rc = ft_news_add(n, prefix, names[i]);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Automake's TESTS, from the Makefile where `make check` ran
 * (ft_automake_list: a stale Makefile is "cannot tell"). */
static int automake_tests(const struct ft_runlist *r, struct ft_news *n)
{
	char **names = NULL;
	size_t nn = 0;
	int rc = ft_automake_list(r->dir, &names, &nn, NULL, n->why, sizeof(n->why));

	return add_all(n, "", names, nn, rc);
}

/* jest --listTests ARGS, in the directory in_dir() entered */
static int jest_tests(const struct ft_runlist *r, struct ft_news *n)
{
	struct ft_jest_list l;
	char top[4096];
	int rc;

	ft_cmd_repo_top(top, sizeof(top));
	if ((rc = ft_jest_list_load(&l, r->args, top)) < 0) {
		snprintf(n->why, sizeof(n->why), "%.900s: `jest --listTests` failed there (%s): new "
			 "jest test files cannot be found", r->dir, ft_strerror(rc));
		return rc;
	}
	for (size_t i = 0; i < l.n && rc >= 0; i++)
		rc = ft_news_add(n, "", l.ids[i]);
	ft_jest_list_release(&l);
	return rc;
}

/* Index of the first argument after `word` in a runner's args, or -1. */
static int after_word(char *const *args, const char *word)
{
	for (int i = 0; args[i]; i++)
		if (!strcmp(args[i], word))
			return i + 1;
	return -1;
}

/* Is cargo test id `id` ("PKG/lib", "PKG/test/NAME", "PKG/doc", ...) among
 * the targets the recorded `cargo test ARGS` runs?  Its package options
 * (-p/--package, --exclude) and target options (--lib, --doc, --bins,
 * --bin N, --tests, --test N, --examples, --example N, --benches, --bench
 * N, --all-targets) as cargo reads them; a name filter chooses functions,
 * not targets.  Anything else keeps the id: more new tests, never fewer. */
static int cargo_keeps(char *const *args, const char *id)
{
	static const struct { const char *all, *one, *kind; } kinds[] = {
		{ "--bins", "--bin", "bin" }, { "--tests", "--test", "test" },
		{ "--examples", "--example", "example" }, { "--benches", "--bench", "bench" },
	};
	const char *slash = strchr(id, '/'), *rest = slash ? slash + 1 : "";
	size_t plen = slash ? (size_t)(slash - id) : strlen(id);
	int from = after_word(args, "test"), pkgs = 0, pkg_hit = 0, targets = 0, target_hit = 0;

	for (int i = from < 0 ? 0 : from; from >= 0 && args[i] && strcmp(args[i], "--"); i++) {
		const char *a = args[i], *v = NULL;
		if ((!strcmp(a, "-p") || !strcmp(a, "--package") || !strcmp(a, "--exclude")) && args[i + 1])
			v = args[++i];
		else if (!strncmp(a, "--package=", 10) || !strncmp(a, "--exclude=", 10))
			v = strchr(a, '=') + 1;
		else if (!strncmp(a, "-p", 2) && a[2])
			v = a + 2;
		if (v) {
			int hit = strlen(v) == plen && !strncmp(v, id, plen);
			if (!strncmp(a, "--exclude", 9))
				return hit ? 0 : 1; /* --exclude PKG */
			pkgs = 1;
			pkg_hit |= hit;
			continue;
		}
		if (!strcmp(a, "--lib") || !strcmp(a, "--doc")) {
			targets = 1;
			target_hit |= !strcmp(rest, a + 2);
		} else if (!strcmp(a, "--all-targets")) {
			targets = 1;
			target_hit |= strcmp(rest, "doc") != 0;
		}
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			size_t kl = strlen(kinds[k].kind);
			int of_kind = !strncmp(rest, kinds[k].kind, kl) && rest[kl] == '/';
			if (!strcmp(a, kinds[k].all)) {
				targets = 1;
				target_hit |= of_kind;
			} else if (!strcmp(a, kinds[k].one) && args[i + 1]) {
				targets = 1;
				target_hit |= of_kind && !strcmp(rest + kl + 1, args[++i]);
			}
		}
	}
	return (!pkgs || pkg_hit) && (!targets || target_hit);
}

/* The recorded `cargo nextest run ARGS` as `cargo nextest list` arguments:
 * the ones after `run` (filters and build options, which choose the
 * tests), without the options only `run` takes.  A malloc'd vector whose
 * strings are r->args'. */
static char **nextest_list_args(char *const *args)
{
	static const char *const run_only[] = {
		"--no-fail-fast", "--fail-fast", "--no-capture", "--nocapture", "--hide-progress-bar",
		"--no-tests", "--retries", "--test-threads", "--max-fail", "--failure-output",
		"--success-output", "--status-level", "--final-status-level", "--show-progress",
	};
	static const char *const with_value[] = {
		"--retries", "--test-threads", "--max-fail", "--failure-output", "--success-output",
		"--status-level", "--final-status-level", "--show-progress", "--no-tests",
	};
	int at = after_word(args, "run"), n = 0;
	char **v;

	for (int i = 0; args[i]; i++)
		n++;
	if (!(v = calloc((size_t)n + 1, sizeof(*v))))
		return NULL;
	n = 0;
	for (int i = at < 0 ? 0 : at; at >= 0 && args[i]; i++) {
		int drop = 0, val = 0;
		if (!strcmp(args[i], "--")) /* the test binaries' arguments */
			break;
		for (size_t k = 0; k < sizeof(run_only) / sizeof(run_only[0]); k++) {
			size_t l = strlen(run_only[k]);
			if (!strncmp(args[i], run_only[k], l) && (!args[i][l] || args[i][l] == '='))
				drop = 1;
		}
		for (size_t k = 0; drop && k < sizeof(with_value) / sizeof(with_value[0]); k++)
			val |= !strcmp(args[i], with_value[k]);
		if (drop) {
			i += val && args[i + 1];
			continue;
		}
		v[n++] = args[i];
	}
	return v;
}

/* cargo test's targets (`cargo metadata`), or nextest's test functions
 * (`cargo nextest list` with the recorded run's arguments, which builds the
 * test binaries), in the directory in_dir() entered */
static int cargo_tests(const struct ft_runlist *r, struct ft_news *n)
{
	struct ft_cargo_meta m;
	char **ids = NULL;
	size_t nid = 0;
	int rc;

	if (!strcmp(r->runner, "nextest")) {
		char **la = nextest_list_args(r->args);
		rc = la ? ft_cargo_format_nextest_list(la, &ids, &nid) : -ENOMEM;
		free(la);
		if (rc >= 0 && !nid)
			rc = FT_EFORMAT;
	} else if ((rc = ft_cargo_meta_load(&m, NULL, NULL)) >= 0) {
		rc = ft_cargo_format_all(&m, &ids, &nid);
		ft_cargo_meta_release(&m);
	}
	if (rc < 0) {
		snprintf(n->why, sizeof(n->why), "%.900s: `cargo %s` failed there (%s): new %s tests "
			 "cannot be found", r->dir, !strcmp(r->runner, "nextest") ? "nextest list" :
			 "metadata", ft_strerror(rc), r->runner);
		return rc;
	}
	for (size_t i = 0; i < nid && rc >= 0; i++)
		if (!strcmp(r->runner, "nextest") || cargo_keeps(r->args, ids[i]))
			rc = ft_news_add(n, "", ids[i]);
	ft_cargo_format_free(ids, nid);
	return rc;
}

/* Run fn in r->dir: listers that ask the runner where we are. */
static int in_dir(const struct ft_runlist *r, struct ft_news *n,
		  int (*fn)(const struct ft_runlist *, struct ft_news *))
{
	int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (here < 0 || chdir(r->dir) < 0) {
		rc = -errno;
		snprintf(n->why, sizeof(n->why), "%.900s: cannot enter it to list the %s tests "
			 "recorded there: %s", r->dir, r->runner, strerror(errno));
		if (here >= 0)
			close(here);
		return rc;
	}
	rc = fn(r, n);
	if (fchdir(here) < 0 && rc >= 0) {
		rc = -errno;
		snprintf(n->why, sizeof(n->why), "cannot return to the directory: %s", strerror(errno));
	}
	close(here);
	return rc;
}

/* ctest --show-only ARGS in the build directory the run used */
static int ctest_tests(const struct ft_runlist *r, struct ft_news *n)
{
	struct ft_ctest_list l;
	int rc;

	if ((rc = ft_ctest_list_load_at(&l, r->dir, r->args)) < 0 || !l.n) {
		snprintf(n->why, sizeof(n->why), "%s: `ctest --show-only=json-v1` %s there: the "
			 "recorded ctest tests' new ones cannot be found; run `ftrace affected "
			 "--format ctest` in the build directory", r->dir,
			 rc < 0 ? "failed" : "lists no tests");
		if (rc >= 0)
			ft_ctest_list_release(&l);
		return rc < 0 ? rc : FT_EFORMAT;
	}
	for (size_t i = 0; i < l.n && rc >= 0; i++)
		rc = ft_news_add(n, "", l.tests[i].name);
	ft_ctest_list_release(&l);
	return rc;
}

/* the packages `go test ./...` would test or build there */
static int go_tests(const struct ft_runlist *r, struct ft_news *n)
{
	char **pk = NULL;
	size_t np = 0;
	int rc;

	if ((rc = ft_go_list_tests(r->dir, &pk, &np)) < 0 || !np) {
		snprintf(n->why, sizeof(n->why), "%s: `go list ./...` %s there: new Go test "
			 "packages cannot be found", r->dir, rc < 0 ? "failed" : "finds no package");
		free(pk);
		return rc < 0 ? rc : FT_EFORMAT;
	}
	return add_all(n, "", pk, np, rc);
}

/* node's test files in the package (node --test's own rules) */
static int node_tests(const struct ft_runlist *r, struct ft_news *n)
{
	char top[4096], real[4096];
	char **files = NULL;
	size_t nf = 0, tl;
	const char *prefix;
	int rc;

	/* `node --test a.test.js`: the command names its files; a new file
	 * is not among its tests */
	for (size_t i = 0; r->args[i]; i++)
		if (r->args[i][0] != '-')
			return 0;
	if ((rc = ft_format_node_tests(r->dir, &files, &nf)) < 0) {
		snprintf(n->why, sizeof(n->why), "%s: cannot list node's test files there (%s): new "
			 "node test files cannot be found", r->dir, ft_strerror(rc));
		return rc;
	}
	/* ids are relative to the repository top, absolute outside it */
	ft_cmd_repo_top(top, sizeof(top));
	if (!realpath(r->dir, real))
		snprintf(real, sizeof(real), "%s", r->dir);
	tl = strlen(top);
	if (!strcmp(real, top))
		prefix = "";
	else if (!strncmp(real, top, tl) && (real[tl] == '/' || tl == 1))
		prefix = real + tl + (tl > 1);
	else
		prefix = real;
	return add_all(n, prefix, files, nf, rc);
}

/* Each runner a recording can name (ft_runner_meta.c), and how to ask it
 * for its tests: in the directory the run used (in_dir) or given it. */
static const struct lister {
	const char *runner;
	int (*list)(const struct ft_runlist *, struct ft_news *);
	int in_dir;
} listers[] = {
	{ "ctest", ctest_tests, 0 },
	{ "node", node_tests, 0 },
	{ "jest", jest_tests, 1 },
	{ "automake", automake_tests, 0 },
	{ "go", go_tests, 0 },
	{ "cargo", cargo_tests, 1 },
	{ "nextest", cargo_tests, 1 },
};

/*
 * What a recorded runner list may make ftrace run.  Its directory and
 * arguments come from the database, which is input: a database restored
 * from a CI cache, given with --db or planted by another user must never
 * choose what runs (docs/usage.md, "Trust").  The case: a runs.meta_json
 * naming ctest with `-S /tmp/x.cmake`, jest with `--config /tmp/x.js`, or
 * nextest with `--config target.*.runner=...`, or a directory of someone
 * else's with a Makefile, made `ftrace affected` run their code.  So a
 * runner is asked only in a directory inside this repository, and only
 * with arguments that choose tests or change output, by the table below;
 * the runner's program comes from PATH or the project as before.
 * Anything else is "cannot tell" (exit 2), never a shorter list.
 */
struct safe_arg {
	const char *name;
	int value;        /* 1: takes a value (next word, =V, or attached to a short flag) */
};

static const struct safe_arg ctest_safe[] = {
	{ "-R", 1 }, { "--tests-regex", 1 }, { "-E", 1 }, { "--exclude-regex", 1 },
	{ "-L", 1 }, { "--label-regex", 1 }, { "-LE", 1 }, { "--label-exclude", 1 },
	{ "-I", 1 }, { "--tests-information", 1 }, { "-U", 0 }, { "--union", 0 },
	{ "-FA", 1 }, { "-FS", 1 }, { "-FC", 1 }, { "--fixture-exclude-any", 1 },
	{ "--fixture-exclude-setup", 1 }, { "--fixture-exclude-cleanup", 1 },
	{ "-C", 1 }, { "--build-config", 1 }, { "-j", 1 }, { "--parallel", 1 },
	{ "--output-on-failure", 0 }, { "-V", 0 }, { "-VV", 0 }, { "--verbose", 0 },
	{ "--extra-verbose", 0 }, { "-Q", 0 }, { "--quiet", 0 }, { "--timeout", 1 },
	{ "--stop-on-failure", 0 }, { "--schedule-random", 0 }, { "--repeat", 1 },
	{ "--repeat-until-fail", 1 }, { "--no-tests", 1 }, { "--progress", 0 },
	{ "--no-label-summary", 0 }, { "--no-subproject-summary", 0 }, { "--rerun-failed", 0 },
	{ "--tests-from-file", 1 }, { "--exclude-from-file", 1 }, { "-N", 0 },
	{ "--show-only", 0 }, { "--force-new-ctest-process", 0 }, { "--test-dir", 1 },
	{ NULL, 0 },
};

static const struct safe_arg jest_safe[] = {
	{ "--ci", 0 }, { "-i", 0 }, { "--runInBand", 0 }, { "--silent", 0 }, { "--verbose", 0 },
	{ "--passWithNoTests", 0 }, { "--bail", 0 }, { "-b", 0 }, { "--maxWorkers", 1 },
	{ "-w", 1 }, { "--testPathPattern", 1 }, { "--testPathPatterns", 1 },
	{ "--testPathIgnorePatterns", 1 }, { "-t", 1 }, { "--testNamePattern", 1 },
	{ "--selectProjects", 1 }, { "--coverage", 0 }, { "--detectOpenHandles", 0 },
	{ "--forceExit", 0 }, { "--colors", 0 }, { "--json", 0 }, { "--noStackTrace", 0 },
	{ "--logHeapUsage", 0 }, { "--testTimeout", 1 }, { "--runTestsByPath", 0 },
	{ "--no-cache", 0 }, { "--useStderr", 0 }, { "--expand", 0 }, { "-e", 0 },
	{ "--cacheDirectory", 1 },
	{ NULL, 0 },
};

static const struct safe_arg nextest_safe[] = {
	{ "-E", 1 }, { "--filterset", 1 }, { "--filter-expr", 1 }, { "-p", 1 }, { "--package", 1 },
	{ "--workspace", 0 }, { "--all", 0 }, { "--exclude", 1 }, { "--lib", 0 }, { "--bins", 0 },
	{ "--bin", 1 }, { "--tests", 0 }, { "--test", 1 }, { "--examples", 0 },
	{ "--example", 1 }, { "--benches", 0 }, { "--bench", 1 }, { "--all-targets", 0 },
	{ "-F", 1 }, { "--features", 1 }, { "--all-features", 0 }, { "--no-default-features", 0 },
	{ "-r", 0 }, { "--release", 0 }, { "--cargo-profile", 1 }, { "-P", 1 },
	{ "--profile", 1 }, { "--run-ignored", 1 }, { "--ignore-default-filter", 0 },
	{ "--partition", 1 }, { "-j", 1 }, { "--build-jobs", 1 }, { "--locked", 0 },
	{ "--frozen", 0 }, { "--offline", 0 }, { "-v", 0 }, { "--verbose", 0 },
	{ "--color", 1 }, { "--cargo-quiet", 0 }, { "--cargo-verbose", 0 },
	{ NULL, 0 },
};

/* Is `path` (resolved) `top` or below it? */
static int inside(const char *path, const char *top)
{
	char real[4096];
	size_t tl = strlen(top);

	if (!realpath(path, real))
		return 0;
	return !strncmp(real, top, tl) && (real[tl] == '\0' || real[tl] == '/' || tl == 1);
}

/* The first of `args` that `table` does not allow (positional words only
 * where `positional`), or NULL.  A --test-dir must stay inside `top`. */
static const char *unsafe_arg(char *const *args, const struct safe_arg *table, int positional,
			      const char *top)
{
	for (size_t i = 0; args && args[i]; i++) {
		const char *a = args[i];
		const struct safe_arg *ok = NULL;
		char why[1024];
		const char *val = NULL;
		int next = 0;

		if (a[0] != '-' || !a[1]) {
			if (!positional)
				return a;
			continue;
		}
		for (const struct safe_arg *t = table; t->name && !ok; t++) {
			size_t l = strlen(t->name);
			if (!strcmp(a, t->name)) {
				ok = t;
				next = t->value;
			} else if (t->value && !strncmp(a, t->name, l) &&
				   (a[l] == '=' || (t->name[1] != '-' && a[l]))) {
				ok = t;
				val = a + l + (a[l] == '=');
			} else if (!t->value && !strncmp(a, t->name, l) && a[l] == '=' && a[1] == '-') {
				ok = t;  /* --bail=2, --show-only=json-v1 */
			}
		}
		if (!ok)
			return a;
		if (next) {
			if (!args[i + 1])
				return a;
			val = args[++i];
		}
		if (val && !strcmp(ok->name, "--test-dir") && !inside(val, top))
			return a;
		/* a cache jest reads: the user's own (ft_trust.h), wherever it is */
		if (val && !strcmp(ok->name, "--cacheDirectory") &&
		    ft_trust_check(val, "jest cache", why, sizeof(why)) < 0)
			return a;
	}
	return NULL;
}

/* 0 if the recorded list `r` may be asked, else FT_EFORMAT with n->why. */
static int may_ask(const struct ft_runlist *r, struct ft_news *n)
{
	char top[4096], rtop[4096];
	const char *bad = NULL;

	ft_cmd_repo_top(top, sizeof(top));
	if (!realpath(top, rtop))
		snprintf(rtop, sizeof(rtop), "%s", top);
	if (!inside(r->dir, rtop)) {
		snprintf(n->why, sizeof(n->why), "%.300s: the recording lists %.20s tests there, outside "
			 "this repository (%.300s); ftrace asks a runner for its new tests only inside "
			 "the repository: run `ftrace affected --format %.20s` where the tests run",
			 r->dir, r->runner, rtop, !strcmp(r->runner, "automake") ? "ids" : r->runner);
		return FT_EFORMAT;
	}
	if (!strcmp(r->runner, "ctest"))
		bad = unsafe_arg(r->args, ctest_safe, 0, rtop);
	else if (!strcmp(r->runner, "jest"))
		bad = unsafe_arg(r->args, jest_safe, 1, rtop);
	else if (!strcmp(r->runner, "nextest")) {
		char **la = nextest_list_args(r->args);
		if (!la)
			return -ENOMEM;
		bad = unsafe_arg(la, nextest_safe, 1, rtop);
		free(la);
	}
	if (bad) {
		snprintf(n->why, sizeof(n->why), "%.300s: the recorded %.20s command has the argument "
			 "'%.200s', which ftrace does not pass on from a database (it could make the "
			 "runner run code the database chose): run `ftrace affected --format %.20s` "
			 "where the tests run", r->dir, r->runner, bad, r->runner);
		return FT_EFORMAT;
	}
	return 0;
}

/* The tests of one recorded runner list (ft_runlists.h), asked where the
 * recording asked. */
static int runlist_tests(const struct ft_runlist *r, struct ft_news *n)
{
	for (size_t i = 0; i < sizeof(listers) / sizeof(listers[0]); i++) {
		int rc;
		if (strcmp(r->runner, listers[i].runner))
			continue;
		if ((rc = may_ask(r, n)) < 0)
			return rc;
		return listers[i].in_dir ? in_dir(r, n, listers[i].list) : listers[i].list(r, n);
	}
	snprintf(n->why, sizeof(n->why), "the recording holds tests of runner '%s', which "
		 "this ftrace does not know: upgrade ftrace", r->runner);
	return FT_EFORMAT;
}

int ft_news_recorded(struct ft_store *st, struct ft_news *n)
{
	struct ft_runlist *v;
	size_t nv;
	int rc;

	if ((rc = ft_runlists_load(st, &v, &nv)) < 0) {
		snprintf(n->why, sizeof(n->why), "cannot read which runners recorded the tests: %s",
			 rc == FT_ECORRUPT || rc == FT_EDB ? ft_store_errmsg(st) : ft_strerror(rc));
		return rc;
	}
	for (size_t i = 0; i < nv && rc >= 0; i++)
		rc = runlist_tests(&v[i], n);
	ft_runlists_free(v, nv);
	return rc;
}

