/*
 * runner_cargo.c - the rows of `cargo test` (one test per test target) and
 * `cargo nextest run` (one test per test function) in the runner table
 * (ft_runners.h).  The rules are ft_runner_cargo.c's, ft_cargo_*.c's and
 * docs/cargo.md's; nextest shares cargo's per-run ingest state (one
 * cargo metadata, one dep-info pass).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_cargo_format.h"
#include "ft_cargo_meta.h"
#include "ft_cargo_spec.h"
#include "ft_cargo_plan.h"
#include "ft_error.h"
#include "ft_nextest_junit.h"
#include "ft_ptree.h"
#include "ft_runlists.h"
#include "ft_runner.h"
#include "ft_cargo_config.h"
#include "ft_runner_cargo.h"
#include "ft_runners.h"
#include "ft_selection.h"

static int is_test(const char *exe, char *const *argv, int argc)
{
	(void)exe;
	return argc > 0 && ft_cargo_is_test(argv, argc);
}

static int is_nextest(const char *exe, char *const *argv, int argc)
{
	(void)exe;
	return argc > 0 && ft_cargo_is_nextest(argv, argc);
}

static struct ft_cargo_run *state_get(void **state)
{
	if (!*state && (*state = malloc(sizeof(struct ft_cargo_run))))
		*(struct ft_cargo_run *)*state = (struct ft_cargo_run)FT_CARGO_RUN_INIT;
	return *state;
}

static long name_test(void **state, const struct ft_runner_naming *nm, struct ft_ptree *t,
		      size_t r, size_t i)
{
	struct ft_cargo_run *c = state_get(state);

	(void)nm;
	return c ? ft_cargo_name(c, t, &t->procs[r], &t->procs[i]) : -ENOMEM;
}

/* One word of libtest's command line (a test binary's, or one that rustdoc
 * passes on with --test-args): 1 when it makes the binary run only some of
 * its tests: a name filter (a positional word), --skip, --ignored (only
 * those), --exclude-should-panic, --list and --bench (none).  *value: the
 * next word is the option's value. */
static int libtest_partial_word(const char *w, int *value)
{
	static const char *const with_value[] = {
		"--test-threads", "--logfile", "--color", "--format", "-Z", "--shuffle-seed", NULL
	};
	static const char *const narrowing[] = {
		"--ignored", "--exclude-should-panic", "--list", "--bench", NULL
	};
	size_t n;

	*value = 0;
	if (w[0] != '-')
		return 1;
	n = strcspn(w, "=");
	if (!strncmp(w, "--skip", n) && n == 6)
		return *value = !w[n], 1;
	for (size_t i = 0; narrowing[i]; i++)
		if (!strcmp(w, narrowing[i]))
			return 1;
	for (size_t i = 0; with_value[i]; i++)
		if (strlen(with_value[i]) == n && !strncmp(w, with_value[i], n))
			*value = !w[n];
	return 0;
}

/* cargo test NAME, -- --skip X, -- --ignored: the target's binary (or
 * rustdoc, for the doc tests) ran only some of its tests. */
static int partial(const struct ft_ptree_proc *runner, const struct ft_ptree_proc *test)
{
	const char *base;
	int doc, value = 0;

	(void)runner;
	if (!test->argv || test->argv_cut || test->argc < 1)
		return 1;
	base = strrchr(test->argv[0], '/');
	base = base ? base + 1 : test->argv[0];
	doc = !strncmp(base, "rustdoc", 7);
	for (int a = 1; a < test->argc && test->argv[a]; a++) {
		const char *w = test->argv[a];

		/* rustdoc's own words pass; libtest's are each given with
		 * --test-args (an option and its value in two of them) */
		if (doc) {
			if (!strcmp(w, "--test-args") && a + 1 < test->argc && test->argv[a + 1])
				w = test->argv[++a];
			else if (!strncmp(w, "--test-args=", 12))
				w += 12;
			else
				continue;
		}
		if (value) {
			value = 0;
			continue;
		}
		if (libtest_partial_word(w, &value))
			return 1;
	}
	return 0;
}

static int finish(void **state, struct ft_ptree *t, const struct ft_runner_env *env)
{
	struct ft_cargo_run *c = state_get(state);

	return c ? ft_cargo_finish(c, t, env->run_dir) : -ENOMEM;
}

static int passed(void *state, const struct ft_ptree *t, const size_t *runner_of, size_t k,
		  const struct ft_runner_env *env)
{
	(void)state;
	(void)env;
	return ft_cargo_passed_before_failure(t, runner_of, k);
}

/* nextest's JUnit report of the run, where its profile writes one */
static int report_nextest(void *state, struct ft_ptree *t, const struct ft_runner_env *env)
{
	const struct ft_cargo_run *c = state;
	int rc;

	if (!c || !c->loaded)
		return 0;
	rc = ft_nextest_junit_apply(t, c->meta.workspace_root, c->meta.target_dir, env->t0_ns);
	return rc < 0 ? rc : 0;
}

static void release(void *state)
{
	if (state)
		ft_cargo_release(state);
	free(state);
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

/* Does the recorded `cargo test ARGS` choose its packages (-p, --package,
 * --workspace, --all, --exclude)?  Unknown words count as choosing: then
 * every member's targets stay (more new tests, never fewer). */
static int chooses_packages(char *const *args)
{
	int from = after_word(args, "test");

	if (from < 0)
		return 1;
	for (int i = from; args[i] && strcmp(args[i], "--"); i++) {
		const char *a = args[i];
		if (!strcmp(a, "--workspace") || !strcmp(a, "--all") || !strncmp(a, "-p", 2) ||
		    !strncmp(a, "--package", 9) || !strncmp(a, "--exclude", 9) ||
		    !strncmp(a, "--manifest-path", 15))
			return 1;
	}
	return 0;
}

/* cargo test's targets (`cargo metadata`), or nextest's test functions
 * (`cargo nextest list` with the recorded run's arguments, which builds the
 * test binaries), in the directory in_dir() entered */
static int list_recorded(const struct ft_runlist *r, const char *top, struct ft_runner_names *out,
			 struct ft_err *e)
{
	struct ft_cargo_meta m;
	char **ids = NULL;
	size_t nid = 0;
	int rc;

	(void)top;

	if (!strcmp(r->runner, ft_runner_nextest.name)) {
		char **la = nextest_list_args(r->args);
		rc = la ? ft_cargo_format_nextest_list(la, &ids, &nid) : -ENOMEM;
		free(la);
		if (rc >= 0 && !nid)
			rc = FT_EFORMAT;
	} else if ((rc = ft_cargo_meta_load_members(&m)) >= 0) {
		rc = ft_cargo_format_all(&m, &ids, &nid);
		/* with no package chosen, cargo test works on the default
		 * members only (the root package of a workspace that has one):
		 * another member's targets are no new tests of this command
		 * (they were named "new" after every recording) */
		if (rc >= 0 && m.has_defaults && !chooses_packages(r->args))
			ft_cargo_drop_non_default(&m, ids, &nid);
		ft_cargo_meta_release(&m);
	}
	if (rc < 0) {
		return ft_err_set(e, rc, "%.900s: `cargo %s` failed there (%s): new %s tests "
				  "cannot be found", r->dir, !strcmp(r->runner, ft_runner_nextest.name) ? "nextest list" :
				  "metadata --no-deps", rc == FT_EFORMAT ? "run it there to see why" :
				  ft_strerror(rc), r->runner);
	}
	for (size_t i = 0; i < nid && rc >= 0; i++)
		if (!strcmp(r->runner, ft_runner_nextest.name) || cargo_keeps(r->args, ids[i]))
			rc = ft_runner_names_add(out, "", ids[i]);
	ft_cargo_format_free(ids, nid);
	return rc;
}

/* --format cargo: the test targets cargo metadata finds here */
static int list_here_cargo(struct ft_runner_here *h)
{
	struct ft_cargo_meta m;
	int rc;

	if ((rc = ft_cargo_meta_load_members(&m)) < 0) {
		snprintf(h->why, sizeof(h->why), "`cargo metadata --no-deps` failed here (%s): new "
			 "cargo test targets cannot be found; run `ftrace affected --format cargo` in "
			 "the workspace", rc == FT_EFORMAT ? "run it to see why" : ft_strerror(rc));
		return rc;
	}
	rc = ft_cargo_format_all(&m, &h->tests.v, &h->tests.n);
	/* every target of every member, whatever cargo test runs by default
	 * (an example or bench a recording ran with --examples, --benches
	 * or --all-targets), and each library's doc-tests */
	if (rc >= 0)
		rc = ft_cargo_format_targets(&m, &h->targets.v, &h->targets.n);
	if (rc >= 0)
		rc = ft_cargo_format_specs(&m, &h->specs.v, &h->specs.n);
	ft_cargo_meta_release(&m);
	return rc;
}

/* --format nextest: only nextest's list knows a new test function */
static int list_here_nextest(struct ft_runner_here *h)
{
	int rc;

	if ((rc = ft_cargo_format_nextest_list(NULL, &h->tests.v, &h->tests.n)) < 0) {
		snprintf(h->why, sizeof(h->why), "`cargo nextest list --message-format json` "
			 "failed here (%s): new tests cannot be found; run `ftrace affected "
			 "--format nextest` in the workspace, with cargo-nextest installed",
			 ft_strerror(rc));
		return rc;
	}
	if (!h->tests.n) {
		snprintf(h->why, sizeof(h->why), "`cargo nextest list` lists no tests here: "
			 "new tests cannot be found");
		return FT_EFORMAT;
	}
	return 0;
}

/* --format cargo|nextest: the selection as cargo or nextest arguments, in
 * *text (malloc'd, "" when empty).  FT_EFORMAT (with `why`) when a
 * selected test is not one of that runner's: it cannot be left out. */
/* May `id` still exist here?  No only when its package is a member here
 * (h->targets names some target of it) and it is none of them.  Yes when
 * there is no list (nextest: its list names test functions only where it
 * built them; no `cargo metadata`), and for a package this workspace does
 * not have (another workspace's: named, cargo says so, never silently
 * less). */
static int listed_here(const struct ft_runner_here *h, const char *id)
{
	return !h || !ft_cargo_target_gone(h->targets.v, h->targets.n, id);
}

/* The selection's ids in cargo's (or nextest's) syntax.  A selected test
 * the runner no longer has here (a target removed: tests/common.rs
 * turned into a module, a test function deleted) is left out: there is
 * nothing of it to run, and named, it fails the whole command ("no test
 * target named common"). */
static int cargo_text(const struct ft_selection *sel, const struct ft_runner_here *h, int nextest,
		      char **text, struct ft_err *e)
{
	const char **ids = calloc(sel && sel->n ? sel->n : 1, sizeof(*ids));
	const char *bad = NULL;
	char **lines = NULL, *expr = NULL;
	size_t nl = 0, len = 0, n = 0;
	int rc;

	*text = NULL;
	if (!ids)
		return -ENOMEM;
	for (size_t i = 0; sel && i < sel->n; i++)
		if (listed_here(h, sel->tests[i].id))
			ids[n++] = sel->tests[i].id;
	if (!nextest) {
		rc = ft_cargo_format_lines(ids, n, h && h->targets.v ? h->targets.v : NULL,
					   h ? h->targets.n : 0, &lines, &nl, &bad);
		if (rc >= 0 && h)
			rc = ft_cargo_format_respec(lines, nl, h->specs.v, h->specs.n, 0);
	}
	else
		rc = ft_cargo_format_nextest(ids, n, &expr, &bad);
	free(ids);
	if (rc == FT_EFORMAT && bad)
		ft_err_set(e, rc, "test '%s' was not recorded from %s: it cannot be passed to it",
			   bad, !nextest ? "`cargo test`" : "`cargo nextest run`");
	if (rc < 0)
		return rc;
	if (nextest) {
		if (expr && asprintf(text, "%s\n", expr) < 0)
			*text = NULL;
		else if (!expr)
			*text = strdup("");
		free(expr);
		return *text ? 0 : -ENOMEM;
	}
	for (size_t i = 0; i < nl; i++)
		len += strlen(lines[i]) + 1;
	if ((*text = malloc(len + 1))) {
		(*text)[0] = '\0';
		for (size_t i = 0; i < nl; i++) {
			strcat(*text, lines[i]);
			strcat(*text, "\n");
		}
	}
	ft_cargo_format_free(lines, nl);
	return *text ? 0 : -ENOMEM;
}

static int format_cargo(const struct ft_selection *sel, const struct ft_runner_here *h,
			char **text, struct ft_err *e)
{
	return cargo_text(sel, h, 0, text, e);
}

static int format_nextest(const struct ft_selection *sel, const struct ft_runner_here *h,
			  char **text, struct ft_err *e)
{
	return cargo_text(sel, h, 1, text, e);
}

static int narrow_cargo(const struct ft_runner_plan_in *in, struct ft_runner_plan_out *out)
{
	return ft_cargo_plan(in->cmd, FT_RUNNER_CARGO, in->sel, in->all, &out->argv,
			     &out->nselected, &out->err);
}

static int narrow_nextest(const struct ft_runner_plan_in *in, struct ft_runner_plan_out *out)
{
	return ft_cargo_plan(in->cmd, FT_RUNNER_NEXTEST, in->sel, in->all, &out->argv,
			     &out->nselected, &out->err);
}

static const struct ft_safe_arg nextest_safe[] = {
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

const struct ft_runner_ops ft_runner_cargo = {
	.name = "cargo",
	.exit_is_outcome = 1,
	/* cargo's own stats are its freshness check (docs/cargo.md) */
	.policy = FT_POLICY_STATS_CONTENT,
	.is_image = is_test,
	.name_test = name_test,
	.partial = partial,
	.finish = finish,
	.passed = passed,
	.release = release,
	.list_recorded = list_recorded,
	.list_in_dir = 1,
	.list_here = list_here_cargo,
	.format = format_cargo,
	.narrow = narrow_cargo,
	.config = ft_cargo_config,
	.forget = ft_cargo_forget_gone,
};

const struct ft_runner_ops ft_runner_nextest = {
	.name = "nextest",
	.exit_is_outcome = 1,
	.shares = &ft_runner_cargo,
	.is_image = is_nextest,
	.name_test = name_test,
	.report = report_nextest,
	.list_recorded = list_recorded,
	.list_in_dir = 1,
	.safe_args = nextest_safe,
	.safe_positional = 1,
	.safe_view = nextest_list_args,
	.list_here = list_here_nextest,
	.format = format_nextest,
	.narrow = narrow_nextest,
	.config = ft_cargo_config,
};
