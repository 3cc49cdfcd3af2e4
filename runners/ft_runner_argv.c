/*
 * ft_runner_argv.c - see ft_runner_argv.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_cargo_plan.h"
#include "ft_error.h"
#include "ft_format.h"
#include "ft_runner.h"
#include "ft_runner_argv.h"
#include "ft_runner_automake.h"
#include "ft_runner_jest.h"
#include "ft_runner_go.h"
#include "ft_selection.h"

static size_t count(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

int ft_runner_cmd_kind(char *const *cmd)
{
	int n = (int)count(cmd), kind = n ? ft_runner_kind_of(NULL, cmd, n) : 0;
	struct ft_jest_cmd jc;

	/* npx jest, npm test running jest (ft_runner_jest.h) */
	if (!kind && ft_jest_cmd_parse(cmd, &jc) > 0) {
		kind = FT_RUNNER_JEST;
		ft_jest_cmd_release(&jc);
	}
	if (!kind && ft_automake_cmd(cmd))
		kind = FT_RUNNER_AUTOMAKE;
	return kind;
}

void ft_runner_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* argv = cmd[0..n) + extra[0..m), all copied */
static char **concat(char *const *cmd, size_t n, char *const *extra, size_t m)
{
	char **v = calloc(n + m + 1, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n + m; i++)
		if (!(v[i] = strdup(i < n ? cmd[i] : extra[i - n]))) {
			ft_runner_argv_free(v);
			return NULL;
		}
	return v;
}

/* ctest options that choose tests themselves: composing our -R with them
 * is not something to guess */
static int ctest_chooses(char *const *cmd)
{
	static const char *const opts[] = {
		"-R", "--tests-regex", "-E", "--exclude-regex", "-L", "--label-regex",
		"-LE", "--label-exclude", "-I", "--tests-information", "-U", "--union",
		"--rerun-failed", "--tests-from-file", "--exclude-from-file", "-FA", "-FS", "-FC",
		"--fixture-exclude-any", "--fixture-exclude-setup", "--fixture-exclude-cleanup",
		"-N", "--show-only",
	};
	for (size_t i = 1; cmd[i]; i++)
		for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
			size_t l = strlen(opts[k]);
			if (!strncmp(cmd[i], opts[k], l) && (!cmd[i][l] || cmd[i][l] == '=' || opts[k][1] != '-'))
				return 1;
		}
	return 0;
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ft_selected *)a)->id, ((const struct ft_selected *)b)->id);
}

static int has(const struct ft_selection *sel, const char *id)
{
	struct ft_selected key = { .id = id };
	return sel && sel->n && bsearch(&key, sel->tests, sel->n, sizeof(key), id_cmp) != NULL;
}

/* The runner's tests to run: those selected, and those the database does
 * not know (new).  Known, unselected ones are left out. */
static int pick(const struct ft_selection *sel, const struct ft_selection *all,
		char *const *names, size_t n, const char ***out, size_t *nout)
{
	const char **v = calloc(n + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	*nout = 0;
	for (size_t k = 0; k < n; k++)
		if (has(sel, names[k]) || !has(all, names[k]))
			v[(*nout)++] = names[k];
	*out = v;
	return 0;
}

int ft_runner_ctest_chooses(char *const *cmd)
{
	return ctest_chooses(cmd);
}

static int plan_ctest(char *const *cmd, const struct ft_selection *sel,
		      const struct ft_selection *all, char ***out, size_t *nsel,
		      char *why, size_t whylen)
{
	struct ft_ctest_list l;
	char **names = NULL, *re = NULL;
	const char **keep = NULL;
	size_t nk = 0;
	int rc = 0;

	if (ctest_chooses(cmd)) {
		snprintf(why, whylen, "the ctest command chooses its own tests (-R, -E, -L, ...)");
		return FT_RUNNER_PLAN_ALL;
	}
	if ((rc = ft_ctest_list_load(&l, cmd + 1)) < 0) {
		snprintf(why, whylen, "`ctest --show-only=json-v1` failed here: %s", ft_strerror(rc));
		return FT_RUNNER_PLAN_ALL;
	}
	if (!l.n) {
		snprintf(why, whylen, "ctest lists no tests here");
		ft_ctest_list_release(&l);
		return FT_RUNNER_PLAN_ALL;
	}
	if (!(names = calloc(l.n + 1, sizeof(*names))))
		rc = -ENOMEM;
	for (size_t i = 0; rc >= 0 && i < l.n; i++)
		names[i] = l.tests[i].name;
	if (rc >= 0)
		rc = pick(sel, all, names, l.n, &keep, &nk);
	if (rc >= 0 && nk)
		rc = ft_format_ctest_regex(keep, nk, &re);
	if (rc >= 0 && nk) {
		char *extra[] = { "-R", re };
		if (!(*out = concat(cmd, count(cmd), extra, 2)))
			rc = -ENOMEM;
	}
	*nsel = nk;
	if (rc >= 0)
		rc = nk ? FT_RUNNER_PLAN_NARROWED : FT_RUNNER_PLAN_NOTHING;
	free(re);
	free(keep);
	free(names);
	ft_ctest_list_release(&l);
	return rc;
}

/* The current directory relative to `top` ("" at the top), NULL outside. */
static const char *cwd_rel(const char *top, char *buf, size_t cap)
{
	char real[PATH_MAX];
	size_t tl;

	if (!getcwd(buf, cap) || !top || !realpath(top, real))
		return NULL;
	tl = strlen(real);
	if (!strcmp(buf, real))
		return "";
	if (!strncmp(buf, real, tl) && buf[tl] == '/')
		return buf + tl + 1;
	return NULL;
}

/*
 * `node [OPTS] --test [OPTS]` with no file of its own.  node takes an
 * option's value as `--opt=value` or as the next word: the options below
 * take one, so `node --test --test-reporter spec` names no file "spec".
 * A word that is no option (a file, a script), `--`, and options that pick
 * the tests another way (--test-shard: the shard of our narrower list is
 * another partition) or run something else (-e, -p) leave the command
 * whole; so does an option not known here that takes a value (its value
 * reads as a file).
 */
static const char *const node_valued[] = {
	"--test-reporter", "--test-reporter-destination", "--test-concurrency",
	"--test-name-pattern", "--test-skip-pattern", "--test-timeout", "--import", "--require",
	"-r", "--loader", "--experimental-loader", "--env-file", "--conditions", "-C",
	"--test-coverage-include", "--test-coverage-exclude", "--watch-path", "--title",
	"--inspect-port", NULL,
};
static const char *const node_whole[] = {
	"--test-shard", "-e", "--eval", "-p", "--print", "-c", "--check", "-i", "--interactive",
	NULL,
};

static int in_words(const char *const *l, const char *a, size_t len)
{
	for (; *l; l++)
		if (strlen(*l) == len && !strncmp(*l, a, len))
			return 1;
	return 0;
}

int ft_runner_node_narrowable(char *const *cmd)
{
	int test = 0;

	for (size_t i = 1; cmd[i]; i++) {
		const char *a = cmd[i];
		size_t l = strcspn(a, "=");

		if (a[0] != '-' || !strcmp(a, "--") || !strcmp(a, "-"))
			return 0;
		if (in_words(node_whole, a, l))
			return 0;
		if (!strcmp(a, "--test"))
			test = 1;
		else if (!a[l] && in_words(node_valued, a, l) && !cmd[++i])
			return 0;
	}
	return test;
}

static int plan_node(char *const *cmd, const struct ft_selection *sel,
		     const struct ft_selection *all, const char *top, char ***out,
		     size_t *nsel, char *why, size_t whylen)
{
	char **files = NULL, **ids = NULL, buf[PATH_MAX];
	const char **keep = NULL, *rel;
	size_t nf = 0, nk = 0, rl;
	int rc;

	/* `node --test a.test.js`: the user chose the files */
	if (!ft_runner_node_narrowable(cmd)) {
		snprintf(why, whylen, "the node command names its own test files, or an option "
			 "that is not known here (docs/runners.md)");
		return FT_RUNNER_PLAN_ALL;
	}
	if (!(rel = cwd_rel(top, buf, sizeof(buf)))) {
		snprintf(why, whylen, "the current directory is outside the repository");
		return FT_RUNNER_PLAN_ALL;
	}
	if ((rc = ft_format_node_tests(".", &files, &nf)) < 0) {
		snprintf(why, whylen, "cannot list node's test files here: %s", ft_strerror(rc));
		return FT_RUNNER_PLAN_ALL;
	}
	if (!nf) {
		snprintf(why, whylen, "no node test files found here");
		free(files);
		return FT_RUNNER_PLAN_ALL;
	}
	rl = strlen(rel);
	/* ids are relative to the repository top */
	if (!(ids = calloc(nf + 1, sizeof(*ids))))
		rc = -ENOMEM;
	for (size_t i = 0; rc >= 0 && i < nf; i++)
		if (asprintf(&ids[i], "%s%s%s", rel, rl ? "/" : "", files[i]) < 0)
			rc = -ENOMEM;
	if (rc >= 0)
		rc = pick(sel, all, ids, nf, &keep, &nk);
	if (rc >= 0 && nk) {
		/* back to paths from here, in the runner's order */
		for (size_t i = 0; i < nk; i++)
			keep[i] += rl ? rl + 1 : 0;
		if (!(*out = concat(cmd, count(cmd), (char *const *)keep, nk)))
			rc = -ENOMEM;
	}
	*nsel = nk;
	if (rc >= 0)
		rc = nk ? FT_RUNNER_PLAN_NARROWED : FT_RUNNER_PLAN_NOTHING;
	free(keep);
	ft_runner_argv_free(ids);
	for (size_t i = 0; i < nf; i++)
		free(files[i]);
	free(files);
	return rc;
}

/* `make check TESTS="a b"`: exactly those entries (new ones included) */
static int plan_automake(char *const *cmd, const struct ft_selection *sel,
			 const struct ft_selection *all, char ***out, size_t *nsel, char *why,
			 size_t whylen)
{
	char **names = NULL, *tests = NULL;
	const char **keep = NULL;
	size_t n = 0, nk = 0, len = 7, nsub = 0;
	int rc = ft_automake_list(".", &names, &n, &nsub, why, whylen);

	if (rc < 0)
		return FT_RUNNER_PLAN_ALL;
	/* A TESTS= on make's command line reaches every sub-make of a
	 * recursive build (MAKEFLAGS): each subdirectory would be asked to
	 * run the top's entries, which it does not have, and `make check`
	 * fails where it passes whole.  One list cannot name the tests of
	 * several directories: run it whole, unless nothing is affected. */
	if (!n) {
		snprintf(why, whylen, "the Makefile's TESTS is empty");
		free(names);
		return FT_RUNNER_PLAN_ALL;
	}
	rc = pick(sel, all, names, n, &keep, &nk);
	if (rc >= 0 && nk && nsub) {
		snprintf(why, whylen, "the Makefile has SUBDIRS: a TESTS= list would reach every "
			 "subdirectory's make");
		free(keep);
		ft_runner_argv_free(names);
		return FT_RUNNER_PLAN_ALL;
	}
	for (size_t i = 0; rc >= 0 && i < nk; i++)
		len += strlen(keep[i]) + 1;
	if (rc >= 0 && nk && !(tests = malloc(len)))
		rc = -ENOMEM;
	if (rc >= 0 && nk) {
		char *o = tests + sprintf(tests, "TESTS=");
		for (size_t i = 0; i < nk; i++)
			o += sprintf(o, "%s%s", i ? " " : "", keep[i]);
		if (!(*out = concat(cmd, count(cmd), &tests, 1)))
			rc = -ENOMEM;
	}
	*nsel = nk;
	if (rc >= 0)
		rc = nk ? FT_RUNNER_PLAN_NARROWED : FT_RUNNER_PLAN_NOTHING;
	free(tests);
	free(keep);
	ft_runner_argv_free(names);
	return rc;
}

/* jest ARGS --runTestsByPath FILE... (npm: after a `--`), over the files
 * `jest --listTests ARGS` lists here; absolute paths, so the directory
 * npm runs the script in does not matter. */
static int plan_jest(char *const *cmd, const struct ft_selection *sel,
		     const struct ft_selection *all, const char *top, char ***out,
		     size_t *nsel, char *why, size_t whylen)
{
	struct ft_jest_cmd jc;
	struct ft_jest_list l;
	char **extra = NULL;
	size_t nk = 0, ne = 0;
	int rc;

	if ((rc = ft_jest_cmd_parse(cmd, &jc)) <= 0) {
		snprintf(why, whylen, "not a jest command");
		return rc < 0 ? rc : FT_RUNNER_PLAN_ALL;
	}
	if (ft_jest_args_choose(jc.args)) {
		snprintf(why, whylen, "the jest command chooses its own test files (a pattern, "
			 "--runTestsByPath, -o, --watch, ...)");
		ft_jest_cmd_release(&jc);
		return FT_RUNNER_PLAN_ALL;
	}
	if ((rc = ft_jest_list_load(&l, jc.args, top)) < 0) {
		snprintf(why, whylen, "`jest --listTests` failed here: %s", ft_strerror(rc));
		ft_jest_cmd_release(&jc);
		return FT_RUNNER_PLAN_ALL;
	}
	if (!(extra = calloc(l.n + 3, sizeof(*extra))))
		rc = -ENOMEM;
	if (rc >= 0 && jc.npm && !jc.has_dashdash)
		extra[ne++] = "--";
	if (rc >= 0)
		extra[ne++] = "--runTestsByPath";
	for (size_t i = 0; rc >= 0 && i < l.n; i++)
		if (has(sel, l.ids[i]) || !has(all, l.ids[i])) {
			extra[ne++] = l.paths[i];
			nk++;
		}
	if (rc >= 0 && nk && !(*out = concat(cmd, count(cmd), extra, ne)))
		rc = -ENOMEM;
	*nsel = nk;
	if (rc >= 0)
		rc = nk ? FT_RUNNER_PLAN_NARROWED : FT_RUNNER_PLAN_NOTHING;
	free(extra);
	ft_jest_list_release(&l);
	ft_jest_cmd_release(&jc);
	return rc;
}

/*
 * go test: `go test [FLAGS] ./...` becomes `go test [FLAGS] PKG...`, over
 * the packages `go list ./...` finds here, with tests or build-only
 * (ft_go_list_tests).
 * Only that shape is narrowed: `./...` is the one package argument, and
 * every flag is one of go_flags below, in any spelling the flag package
 * accepts (`-run X`, `-run=X`, `--run=X`; a bool flag `-v` or `-v=true`).
 * Left out on purpose: flags that change which files build (-tags, -race,
 * -msan, -asan, -compiler, -overlay, -modfile: go list, asked without them,
 * would miss a package whose tests only build with them), where it runs
 * (-C), or that do not run tests (-c, -n, -o), and -args.  Anything else
 * runs as given: a flag's value is never taken for a package pattern.
 */
struct go_flag {
	const char *name;
	int value; /* takes a value (else a bool flag) */
};

static const struct go_flag go_flags[] = {
	{ "v", 0 }, { "short", 0 }, { "failfast", 0 }, { "json", 0 }, { "cover", 0 },
	{ "benchmem", 0 }, { "fullpath", 0 }, { "x", 0 }, { "a", 0 }, { "trimpath", 0 },
	{ "work", 0 }, { "run", 1 }, { "skip", 1 }, { "count", 1 }, { "timeout", 1 },
	{ "parallel", 1 }, { "cpu", 1 }, { "shuffle", 1 }, { "bench", 1 }, { "benchtime", 1 },
	{ "list", 1 }, { "covermode", 1 }, { "coverpkg", 1 }, { "coverprofile", 1 },
	{ "outputdir", 1 }, { "vet", 1 }, { "p", 1 }, { "exec", 1 }, { "ldflags", 1 },
	{ "gcflags", 1 }, { "asmflags", 1 }, { "buildvcs", 1 }, { "mod", 1 },
	{ "blockprofile", 1 }, { "cpuprofile", 1 }, { "memprofile", 1 }, { "mutexprofile", 1 },
	{ "trace", 1 }, { "pgo", 1 },
};

int ft_runner_go_narrowable(char *const *cmd, size_t *at)
{
	size_t n = count(cmd);

	*at = 0;
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
		for (size_t k = 0; k < sizeof(go_flags) / sizeof(go_flags[0]) && !f; k++)
			if (strlen(go_flags[k].name) == len && !strncmp(go_flags[k].name, name, len))
				f = &go_flags[k];
		if (!f)
			return 0;
		if (f->value && !eq && ++i >= n)
			return 0; /* `-run X`: X is the value */
	}
	return *at != 0;
}

static int plan_go(char *const *cmd, const struct ft_selection *sel,
		   const struct ft_selection *all, char ***out, size_t *nsel, char *why,
		   size_t whylen)
{
	char **pkgs = NULL;
	const char **keep = NULL;
	size_t np = 0, nk = 0, n = count(cmd), at = 0;
	int rc;

	if (!ft_runner_go_narrowable(cmd, &at)) {
		snprintf(why, whylen, "only `go test [FLAGS] ./...` is narrowed, with flags that "
			 "do not change which files build (docs/go.md)");
		return FT_RUNNER_PLAN_ALL;
	}
	/* an affected test that is no package (the command recorded whole,
	 * untraced) can only be run by running everything */
	for (size_t i = 0; sel && i < sel->n; i++)
		if (sel->tests[i].id[0] == '-' || sel->tests[i].id[0] == '/' ||
		    strpbrk(sel->tests[i].id, " \t\n")) {
			snprintf(why, whylen, "affected test '%.100s' is not a Go package", sel->tests[i].id);
			return FT_RUNNER_PLAN_ALL;
		}
	if ((rc = ft_go_list_tests(NULL, &pkgs, &np)) < 0 || !np) {
		snprintf(why, whylen, "`go list ./...` %s here",
			 rc < 0 ? "failed" : "finds no package");
		for (size_t i = 0; i < np; i++)
			free(pkgs[i]);
		free(pkgs);
		return rc == -ENOMEM ? rc : FT_RUNNER_PLAN_ALL;
	}
	rc = pick(sel, all, pkgs, np, &keep, &nk);
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

int ft_runner_argv_plan(char *const *cmd, const struct ft_selection *sel,
			const struct ft_selection *all, const char *top, char ***out,
			size_t *nselected, char *why, size_t whylen)
{
	*out = NULL;
	*nselected = 0;
	why[0] = '\0';
	switch (ft_runner_cmd_kind(cmd)) {
	case FT_RUNNER_CTEST:
		return plan_ctest(cmd, sel, all, out, nselected, why, whylen);
	case FT_RUNNER_NODE:
		return plan_node(cmd, sel, all, top, out, nselected, why, whylen);
	case FT_RUNNER_JEST:
		return plan_jest(cmd, sel, all, top, out, nselected, why, whylen);
	case FT_RUNNER_AUTOMAKE:
		return plan_automake(cmd, sel, all, out, nselected, why, whylen);
	case FT_RUNNER_GO:
		return plan_go(cmd, sel, all, out, nselected, why, whylen);
	case FT_RUNNER_CARGO:
	case FT_RUNNER_NEXTEST:
		return ft_cargo_plan(cmd, ft_runner_cmd_kind(cmd), sel, all, out, nselected, why, whylen);
	default:
		snprintf(why, whylen, "not a ctest, node --test, jest, Automake `make check`, go test, "
			 "cargo test or cargo nextest run command");
		return FT_RUNNER_PLAN_ALL;
	}
}
