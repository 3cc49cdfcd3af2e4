/*
 * runner_go.c - go test's row of the runner table (ft_runners.h); the rules
 * and the package sources are ft_runner_go.c's (ft_runner_go.h,
 * docs/go.md).  A test is a package, named by import path; selections are
 * import paths.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_ptree.h"
#include "ft_reader.h"
#include "ft_runlists.h"
#include "ft_runner.h"
#include "ft_runner_argv.h"
#include "ft_runner_go.h"
#include "ft_runners.h"
#include "ft_selection.h"

/* go test: a package's test binary (docs/go.md) */
static long name_test(void **state, const struct ft_runner_naming *nm, struct ft_ptree *t,
		      size_t r, size_t i)
{
	char *id = ft_runner_go_id(&t->procs[i]);
	long k = -1;

	(void)state;
	(void)nm;
	(void)r;
	if (id)
		k = ft_ptree_test(t, id, ft_runner_go.name);
	free(id);
	return k;
}

/* A flag of a go test binary, `-test.NAME`, in any spelling Go's flag
 * package takes (-test.run=X, --test.run=X, -test.run X): its value, ""
 * for one given alone (a bool), NULL when absent.  The last one wins. */
static const char *test_flag(const struct ft_ptree_proc *p, const char *name, int takes_value)
{
	const char *got = NULL;
	size_t n = strlen(name);

	for (int a = 1; a < p->argc && p->argv[a]; a++) {
		const char *w = p->argv[a];

		if (!strcmp(w, "--"))
			break;
		w += w[0] == '-' && w[1] == '-' ? 2 : w[0] == '-' ? 1 : 0;
		if (w == p->argv[a] || strncmp(w, "test.", 5) || strncmp(w + 5, name, n))
			continue;
		w += 5 + n;
		if (*w == '=')
			got = w + 1;
		else if (!*w && takes_value && a + 1 < p->argc && p->argv[a + 1])
			got = p->argv[++a];
		else if (!*w)
			got = "";
	}
	return got;
}

/* go test -run, -skip, -list or -short: the package's test binary ran only
 * some of its tests (or none), so what it read is not the package's. */
static int partial(const struct ft_ptree_proc *runner, const struct ft_ptree_proc *test)
{
	static const char *const filters[] = { "run", "skip", "list" };
	const char *v;

	(void)runner;
	if (!test->argv || test->argv_cut)
		return 1;
	for (size_t f = 0; f < sizeof(filters) / sizeof(*filters); f++)
		if ((v = test_flag(test, filters[f], 1)) && *v)
			return 1;
	v = test_flag(test, "short", 0);
	return v && strcmp(v, "false") && strcmp(v, "0") && strcmp(v, "F") && strcmp(v, "f") &&
	       strcmp(v, "FALSE") && strcmp(v, "False");
}

/* The package sources (ft_go_deps_load; under --name the whole command is
 * one test, which keeps every source the build read).  A go test may have
 * no process of its own (a build-only package): only its sources'
 * records, so the tree says its outcome. */
static int after(struct ft_ptree *t, const struct ft_runner_env *env, int named)
{
	int rc = ft_go_deps_load(t, env->run_dir, !named, env->wstatus);

	for (size_t k = 0; k < t->ntests; k++)
		if (t->tests[k].runner && !strcmp(t->tests[k].runner, ft_runner_go.name))
			t->tests[k].tree_outcome = 1;
	return rc;
}

/* go list ./... where go test ran (docs/go.md) */
static void meta_dir(const struct ft_ptree *t, const struct ft_ptree_proc *p, const char *cwd,
		     char *out, size_t cap)
{
	(void)t;
	snprintf(out, cap, "%s", p->cwd ? p->cwd : cwd);
}

/* the packages `go test ./...` would test or build there */
static int list_recorded(const struct ft_runlist *r, const char *top, struct ft_runner_names *out,
			 struct ft_err *e)
{
	char **pk = NULL;
	size_t np = 0;
	int rc;

	(void)top;

	if ((rc = ft_go_list_tests(r->dir, &pk, &np)) < 0 || !np) {
		ft_err_set(e, rc < 0 ? rc : FT_EFORMAT, "%s: `go list ./...` %s there: new Go test "
			   "packages cannot be found", r->dir, rc < 0 ? "failed" : "finds no package");
		free(pk);
		return e->code;
	}
	return ft_runner_names_take(out, "", pk, np, rc);
}

/* --format go: go list, the packages go test tests or builds here */
static int list_here(struct ft_runner_here *h)
{
	int rc;

	if ((rc = ft_go_list_tests(NULL, &h->tests.v, &h->tests.n)) < 0) {
		snprintf(h->why, sizeof(h->why), "`go list -e ./...` %s here: new Go test "
			 "packages cannot be found; run it to see why, or run `ftrace affected "
			 "--format go` in the module where go test runs",
			 rc == FT_EFORMAT ? "failed (it could not start, or exited non-zero)" :
			 ft_strerror(rc));
		return rc;
	}
	if (!h->tests.n) {
		snprintf(h->why, sizeof(h->why), "`go list ./...` finds no package "
			 "here: new ones cannot be found; run `ftrace affected --format go` in "
			 "the module where go test runs");
		return FT_EFORMAT;
	}
	return 0;
}

/* go test takes packages only: a selected test that cannot be one (the
 * whole command recorded as one test, untraced) cannot be said in its
 * syntax, and leaving it out would shrink the set.  A selected package go
 * list does not list here may have been removed: `go test` given it stops
 * and runs nothing.  Ask go which it cannot find at all (one call, only
 * when there are such packages); if go cannot say, every one is printed. */
static int check(const struct ft_selection *sel, struct ft_runner_here *h)
{
	const char **ask;
	size_t na = 0;
	int rc = 0;

	for (size_t i = 0; i < sel->n; i++) {
		const char *id = sel->tests[i].id;
		if (id[0] == '-' || id[0] == '/' || strpbrk(id, " \t\n")) {
			snprintf(h->why, sizeof(h->why), "affected test '%.200s' is not a Go package", id);
			return FT_EFORMAT;
		}
	}
	if (!(ask = calloc(sel->n + 1, sizeof(*ask))))
		return -ENOMEM;
	for (size_t i = 0; i < sel->n; i++) {
		int listed = 0;
		for (size_t k = 0; k < h->tests.n && !listed; k++)
			listed = !strcmp(h->tests.v[k], sel->tests[i].id);
		if (!listed)
			ask[na++] = sel->tests[i].id;
	}
	if (na && ft_go_list_gone(NULL, ask, na, &h->gone.v, &h->gone.n) == -ENOMEM)
		rc = -ENOMEM;
	free(ask);
	return rc;
}

/* import paths, as recorded: go test takes them from anywhere; a removed
 * package is left out (check) */
static int format(const struct ft_selection *sel, const struct ft_runner_here *h, char **text,
		  struct ft_err *e)
{
	size_t len = 0;
	FILE *f = open_memstream(text, &len);

	(void)e;
	if (!f)
		return -ENOMEM;
	for (size_t i = 0; sel && i < sel->n; i++) {
		int gone = 0;
		for (size_t k = 0; h && k < h->gone.n && !gone; k++)
			gone = !strcmp(h->gone.v[k], sel->tests[i].id);
		if (!gone)
			fprintf(f, "%s\n", sel->tests[i].id);
	}
	if (fclose(f) != 0) {
		free(*text);
		*text = NULL;
		return -ENOMEM;
	}
	return 0;
}

/*
 * go test: `go test [FLAGS] ./...` becomes `go test [FLAGS] PKG...`, over
 * the packages `go list ./...` finds here, with tests or build-only
 * (ft_go_list_tests).
 * Only that shape is narrowed: `./...` is the one package argument, and
 * every flag is one of go_flags below, in any spelling the flag package
 * accepts (`-run X`, `-run=X`, `--run=X`; a bool flag `-v` or `-v=true`).
 * The flags that change which files build (-tags, -race, -msan, -asan,
 * -compiler, -overlay, -modfile, -mod) are passed to `go list` too: asked
 * without them, it would miss a package whose files all carry a build tag,
 * and the narrowed command would leave it out.  Left out on purpose:
 * where it runs (-C), flags that do not run tests (-c, -n, -o), and -args.
 * Anything else runs as given: a flag's value is never taken for a package
 * pattern.
 */
struct go_flag {
	const char *name;
	int value;  /* takes a value (else a bool flag) */
	int build;  /* changes which files build: passed to go list */
	int config; /* can change what a test does or whether it passes
		     * (config below): a recording made without it does not
		     * answer for a command with it */
};

/* Left out of config on purpose: what only changes the output (-v, -json,
 * -x, -work, -fullpath, the profiles), which tests run (-run, -skip,
 * -list, -short: a run in part, `partial` above), the order and the pace
 * (-shuffle, -parallel, -p, -count, -failfast, -timeout: docs/go.md). */
static const struct go_flag go_flags[] = {
	{ "v", 0, 0, 0 }, { "short", 0, 0, 0 }, { "failfast", 0, 0, 0 }, { "json", 0, 0, 0 },
	{ "cover", 0, 0, 1 }, { "benchmem", 0, 0, 0 }, { "fullpath", 0, 0, 0 }, { "x", 0, 0, 0 },
	{ "a", 0, 0, 0 }, { "trimpath", 0, 0, 1 }, { "work", 0, 0, 0 }, { "run", 1, 0, 0 },
	{ "skip", 1, 0, 0 }, { "count", 1, 0, 0 }, { "timeout", 1, 0, 0 }, { "parallel", 1, 0, 0 },
	{ "cpu", 1, 0, 1 }, { "shuffle", 1, 0, 0 }, { "bench", 1, 0, 1 }, { "benchtime", 1, 0, 0 },
	{ "list", 1, 0, 0 }, { "covermode", 1, 0, 1 }, { "coverpkg", 1, 0, 1 },
	{ "coverprofile", 1, 0, 0 }, { "outputdir", 1, 0, 0 }, { "vet", 1, 0, 1 }, { "p", 1, 0, 0 },
	{ "exec", 1, 0, 1 }, { "ldflags", 1, 0, 1 }, { "gcflags", 1, 0, 1 }, { "asmflags", 1, 0, 1 },
	{ "buildvcs", 1, 0, 1 }, { "mod", 1, 1, 1 }, { "blockprofile", 1, 0, 0 },
	{ "cpuprofile", 1, 0, 0 }, { "memprofile", 1, 0, 0 }, { "mutexprofile", 1, 0, 0 },
	{ "trace", 1, 0, 0 }, { "pgo", 1, 0, 1 }, { "tags", 1, 1, 1 }, { "race", 0, 1, 1 },
	{ "msan", 0, 1, 1 }, { "asan", 0, 1, 1 }, { "compiler", 1, 1, 1 }, { "overlay", 1, 1, 1 },
	{ "modfile", 1, 1, 1 },
};
#define NGO_FLAGS (sizeof(go_flags) / sizeof(go_flags[0]))

static const struct go_flag *go_flag_find(const char *name, size_t len)
{
	for (size_t k = 0; k < NGO_FLAGS; k++)
		if (strlen(go_flags[k].name) == len && !strncmp(go_flags[k].name, name, len))
			return &go_flags[k];
	return NULL;
}

int ft_runner_go_narrowable_build(char *const *cmd, size_t *at, char **build, size_t *nbuild)
{
	size_t n = ft_runner_argv_count(cmd), nb = 0;

	*at = 0;
	if (nbuild)
		*nbuild = 0;
	if (n < 3 || strcmp(cmd[1], "test"))
		return 0;
	for (size_t i = 2; i < n; i++) {
		const char *a = cmd[i], *name, *eq;
		const struct go_flag *f = NULL;
		size_t len;

		if (!strcmp(a, "./...")) {
			if (*at)
				return 0;
			*at = i;
			continue;
		}
		if (a[0] != '-' || !a[1] || !strcmp(a, "--"))
			return 0;
		name = a + 1 + (a[1] == '-');
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		if (!(f = go_flag_find(name, len)))
			return 0;
		if (f->build && build)
			build[nb++] = cmd[i];
		if (f->value && !eq) {
			if (++i >= n)
				return 0; /* `-run X`: X is the value */
			if (f->build && build)
				build[nb++] = cmd[i];
		}
	}
	if (nbuild)
		*nbuild = nb;
	return *at != 0;
}

int ft_runner_go_narrowable(char *const *cmd, size_t *at)
{
	return ft_runner_go_narrowable_build(cmd, at, NULL, NULL);
}

static int plan_go(char *const *cmd, const struct ft_selection *sel,
		   const struct ft_selection *all, char ***out, size_t *nsel, struct ft_err *e)
{
	char **pkgs = NULL, **build;
	const char **keep = NULL;
	size_t np = 0, nk = 0, n = ft_runner_argv_count(cmd), at = 0, nbuild = 0;
	int rc;

	if (!(build = calloc(n + 1, sizeof(*build))))
		return -ENOMEM;
	if (!ft_runner_go_narrowable_build(cmd, &at, build, &nbuild)) {
		free(build);
		ft_err_set(e, 0, "only `go test [FLAGS] ./...` is narrowed, with the flags "
			   "docs/go.md lists");
		return FT_RUNNER_PLAN_ALL;
	}
	/* an affected test that is no package (the command recorded whole,
	 * untraced) can only be run by running everything */
	for (size_t i = 0; sel && i < sel->n; i++)
		if (sel->tests[i].id[0] == '-' || sel->tests[i].id[0] == '/' ||
		    strpbrk(sel->tests[i].id, " \t\n")) {
			ft_err_set(e, 0,
				   "affected test '%.100s' is not a Go package", sel->tests[i].id);
			free(build);
			return FT_RUNNER_PLAN_ALL;
		}
	rc = ft_go_list_tests_with(NULL, build, nbuild, &pkgs, &np);
	free(build);
	if (rc < 0 || !np) {
		ft_err_set(e, 0, "`go list ./...` %s here",
			   rc < 0 ? "failed" : "finds no package");
		for (size_t i = 0; i < np; i++)
			free(pkgs[i]);
		free(pkgs);
		return rc == -ENOMEM ? rc : FT_RUNNER_PLAN_ALL;
	}
	rc = ft_runner_argv_pick(sel, all, pkgs, np, &keep, &nk);
	if (rc >= 0 && nk) {
		/* cmd without ./..., then the packages */
		char **v = calloc(n + nk, sizeof(*v));
		size_t k = 0;
		if (!v)
			rc = -ENOMEM;
		for (size_t i = 0; rc >= 0 && i < n; i++)
			if (i != at && !(v[k++] = strdup(cmd[i])))
				rc = -ENOMEM;
		for (size_t i = 0; rc >= 0 && i < nk; i++)
			if (!(v[k++] = strdup(keep[i])))
				rc = -ENOMEM;
		if (rc < 0)
			ft_runner_argv_free(v);
		else
			*out = v;
	}
	*nsel = nk;
	if (rc >= 0)
		rc = nk ? FT_RUNNER_PLAN_NARROWED : FT_RUNNER_PLAN_NOTHING;
	free(keep);
	for (size_t i = 0; i < np; i++)
		free(pkgs[i]);
	free(pkgs);
	return rc;
}


/* Go's strconv.ParseBool: 1 true, 0 false, -1 neither. */
static int go_bool(const char *v)
{
	static const char *const t[] = { "1", "t", "T", "true", "TRUE", "True" };
	static const char *const f[] = { "0", "f", "F", "false", "FALSE", "False" };

	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		if (!strcmp(v, t[i]))
			return 1;
		if (!strcmp(v, f[i]))
			return 0;
	}
	return -1;
}

/*
 * The row's config (ft_runners.h): `go test`'s flags that go_flags marks
 * `config`, each at its last value, in the table's order ("-race=true",
 * "-tags=integration"), a bool flag only when true; -coverprofile and
 * -coverpkg turn -cover on, as go test does.  An unknown flag (its value,
 * if any, is then a package pattern to us) and every word after -args (the
 * test binary's own flags: a test may read them) stay as written.  Package
 * patterns are which tests run, not how.  Anything but `go test`: "?".
 */
static int config(char *const *argv, int cmd, char **out)
{
	const char *val[NGO_FLAGS] = { 0 };
	size_t len = 0, i = cmd ? 1 : 0;
	int cover = 0;
	FILE *f;

	*out = NULL;
	if (!argv[0] || (cmd && !argv[1]) || strcmp(argv[i], "test"))
		return (*out = strdup("?")) ? 0 : -ENOMEM;
	if (!(f = open_memstream(out, &len)))
		return -ENOMEM;
	for (i++; argv[i]; i++) {
		const char *a = argv[i], *name, *eq, *v;
		const struct go_flag *g;

		if (!strcmp(a, "-args") || !strcmp(a, "--args")) {
			for (; argv[i]; i++)
				fprintf(f, "%s\n", argv[i]);
			break;
		}
		if (a[0] != '-' || !a[1] || !strcmp(a, "--"))
			continue; /* a package */
		name = a + 1 + (a[1] == '-');
		eq = strchr(name, '=');
		if (!(g = go_flag_find(name, eq ? (size_t)(eq - name) : strlen(name)))) {
			fprintf(f, "%s\n", a);
			continue;
		}
		if (eq)
			v = eq + 1;
		else if (!g->value)
			v = "true";
		else if (!(v = argv[++i]))
			break;
		if (!strcmp(g->name, "coverprofile") || !strcmp(g->name, "coverpkg"))
			cover = 1;
		if (g->config)
			val[g - go_flags] = v;
	}
	for (size_t k = 0; k < NGO_FLAGS; k++) {
		const char *v = val[k];

		if (!strcmp(go_flags[k].name, "cover") && cover && (!v || go_bool(v) == 0))
			v = "true";
		if (!v || (!go_flags[k].value && go_bool(v) == 0))
			continue;
		fprintf(f, "-%s=%s\n", go_flags[k].name,
			!go_flags[k].value && go_bool(v) == 1 ? "true" : v);
	}
	if (fclose(f) != 0 || !*out) {
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int narrow(const struct ft_runner_plan_in *in, struct ft_runner_plan_out *out)
{
	return plan_go(in->cmd, in->sel, in->all, &out->argv, &out->nselected, &out->err);
}

const struct ft_runner_ops ft_runner_go = {
	.name = "go",
	/* the go command's own stats walk the tree for packages (`./...`);
	 * what each package's test reads is its own (docs/go.md) */
	.policy = FT_POLICY_SCAN_GONE,
	.exit_is_outcome = 1,
	.is_image = ft_runner_go_is,
	.name_test = name_test,
	.partial = partial,
	.after = after,
	.forget = ft_go_forget_gone,
	.meta_dir = meta_dir,
	.list_recorded = list_recorded,
	.list_here = list_here,
	.check = check,
	.format = format,
	.narrow = narrow,
	.config = config,
	.readers = ft_runner_scan_readers,
};
