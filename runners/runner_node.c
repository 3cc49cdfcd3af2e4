/*
 * runner_node.c - `node --test`'s row of the runner table (ft_runners.h): a
 * direct child of a `node ... --test ...` image whose last argument is a
 * regular file is the test of that file, named by its path relative to
 * the repository top (absolute outside it).  Its selections are file
 * paths (docs/runners.md).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_format.h"
#include "ft_ptree.h"
#include "ft_reader.h"
#include "ft_runlists.h"
#include "ft_runner.h"
#include "ft_runner_argv.h"
#include "ft_runner_go.h"
#include "ft_runners.h"
#include "ft_selection.h"

static const char *base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "";
}

int ft_runner_node_is(const char *exe, char *const *argv, int argc)
{
	const char *a0 = argc > 0 ? base(argv[0]) : "", *e = base(exe);

	if (strcmp(a0, "node") && strcmp(a0, "nodejs") && strcmp(e, "node") && strcmp(e, "nodejs"))
		return 0;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--test"))
			return 1;
	return 0;
}

/* Node test id: the file relative to the repository top. */
static char *node_id(const char *file, const char *top)
{
	char real[PATH_MAX];
	size_t tl = top ? strlen(top) : 0;
	struct stat st;

	if (stat(file, &st) < 0 || !S_ISREG(st.st_mode) || !realpath(file, real))
		return NULL;
	if (tl && !strncmp(real, top, tl) && real[tl] == '/')
		return strdup(real + tl + 1);
	return strdup(real);
}

/* The runner image: `node ... --test ...`, unless argv[0] is jest or the
 * command is go test (their rows' rules, which came first before the table) */
static int is_image(const char *exe, char *const *argv, int argc)
{
	return ft_runner_node_is(exe, argv, argc) && strcmp(base(argv[0]), "jest") &&
	       !ft_runner_go_is(exe, argv, argc);
}

static long name_test(void **state, const struct ft_runner_naming *nm, struct ft_ptree *t,
		      size_t r, size_t i)
{
	const struct ft_ptree_proc *p = &t->procs[i];
	char *id = node_id(p->argv[p->argc - 1], nm->env->repo_top);
	long k = -1;

	(void)state;
	(void)r;
	if (id)
		k = ft_ptree_test(t, id, ft_runner_node.name);
	free(id);
	return k;
}

/* node --test --test-name-pattern / --test-skip-pattern / --test-only:
 * the file ran only some of its tests.  Node passes them on to each
 * file's process; the runner's own words count too. */
static int node_narrows(const struct ft_ptree_proc *p)
{
	static const char *const flags[] = {
		"--test-name-pattern", "--test-skip-pattern", "--test-only", NULL
	};

	for (int a = 1; p->argv && a < p->argc && p->argv[a]; a++) {
		size_t n = strcspn(p->argv[a], "=");

		if (!strcmp(p->argv[a], "--"))
			break;
		for (size_t f = 0; flags[f]; f++)
			if (strlen(flags[f]) == n && !strncmp(p->argv[a], flags[f], n))
				return 1;
	}
	return 0;
}

static int partial(const struct ft_ptree_proc *runner, const struct ft_ptree_proc *test)
{
	return !test->argv || test->argv_cut || node_narrows(runner) || node_narrows(test);
}

static int started_by_npm(const struct ft_ptree *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->procs[i].argv && !t->procs[i].argv_cut && ft_runner_is_npm(&t->procs[i]))
			return 1;
	return 0;
}

/* The nearest directory at or above `cwd` holding package.json, else cwd. */
static void package_root(const char *cwd, char *out, size_t cap)
{
	char buf[PATH_MAX + 16];

	snprintf(out, cap, "%s", cwd);
	for (;;) {
		char *slash;
		snprintf(buf, sizeof(buf), "%s/package.json", *out ? out : "");
		if (access(buf, F_OK) == 0) {
			if (!*out)
				snprintf(out, cap, "/");
			return;
		}
		if (!(slash = strrchr(out, '/')) || !*out)
			break;
		*slash = '\0';
	}
	snprintf(out, cap, "%s", cwd);
}

/* node's list is asked at the package root (nearest package.json upward)
 * when npm started it, since npm runs scripts there, else where `ftrace
 * run` ran. */
static void meta_dir(const struct ft_ptree *t, const struct ft_ptree_proc *p, const char *cwd,
		     char *out, size_t cap)
{
	(void)p;
	if (started_by_npm(t))
		package_root(cwd, out, cap);
	else
		snprintf(out, cap, "%s", cwd);
}

/* node's test files in the package (node --test's own rules) */
static int list_recorded(const struct ft_runlist *r, const char *top_in, struct ft_runner_names *out,
			 struct ft_err *e)
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
		return ft_err_set(e, rc, "%s: cannot list node's test files there (%s): new "
				  "node test files cannot be found", r->dir, ft_strerror(rc));
	}
	/* ids are relative to the repository top, absolute outside it */
	snprintf(top, sizeof(top), "%s", top_in);
	if (!realpath(r->dir, real))
		snprintf(real, sizeof(real), "%s", r->dir);
	tl = strlen(top);
	if (!strcmp(real, top))
		prefix = "";
	else if (!strncmp(real, top, tl) && (real[tl] == '/' || tl == 1))
		prefix = real + tl + (tl > 1);
	else
		prefix = real;
	return ft_runner_names_take(out, prefix, files, nf, rc);
}

/* --format node: node's test files here, as ids (relative to the top) */
static int list_here(struct ft_runner_here *h)
{
	char buf[4096], **files = NULL;
	const char *rel = ft_format_cwd_rel(h->top, buf, sizeof(buf));
	size_t nf = 0;
	int rc;

	if (!rel) {
		snprintf(h->why, sizeof(h->why), "the current directory is outside the "
			 "repository: new node test files cannot be found");
		return FT_EUSAGE;
	}
	if ((rc = ft_format_node_tests(".", &files, &nf)) < 0) {
		snprintf(h->why, sizeof(h->why), "cannot list node's test files here: %s",
			 ft_strerror(rc));
		return rc;
	}
	if (!nf) {
		snprintf(h->why, sizeof(h->why), "no node test files here: new ones cannot be "
			 "found; run `ftrace affected --format node` where node --test runs");
		free(files);
		return FT_EFORMAT;
	}
	return ft_runner_names_take(&h->tests, rel, files, nf, 0);
}

static int format(const struct ft_selection *sel, const struct ft_runner_here *h, char **text,
		  struct ft_err *e)
{
	(void)e;
	return ft_format_paths(sel, h->top, text);
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
		     const struct ft_selection *all, const struct ft_selection *first,
		     const char *top, char ***out, size_t *nsel, struct ft_err *e)
{
	char **files = NULL, **ids = NULL, buf[PATH_MAX];
	const char **keep = NULL, *rel;
	size_t nf = 0, nk = 0, rl;
	int rc;

	/* `node --test a.test.js`: the user chose the files */
	if (!ft_runner_node_narrowable(cmd)) {
		ft_err_set(e, 0, "the node command names its own test files, or an option "
			   "that is not known here (docs/runners.md)");
		return FT_RUNNER_PLAN_ALL;
	}
	if (!(rel = ft_runner_argv_cwd_rel(top, buf, sizeof(buf)))) {
		ft_err_set(e, 0, "the current directory is outside the repository");
		return FT_RUNNER_PLAN_ALL;
	}
	if ((rc = ft_format_node_tests(".", &files, &nf)) < 0) {
		ft_err_set(e, 0, "cannot list node's test files here: %s", ft_strerror(rc));
		return FT_RUNNER_PLAN_ALL;
	}
	if (!nf) {
		ft_err_set(e, 0, "no node test files found here");
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
		rc = ft_runner_argv_pick(sel, all, ids, nf, &keep, &nk);
	if (rc >= 0 && nk) {
		/* node starts its files in the order given: --failed-first's first */
		ft_runner_argv_first(keep, nk, first);
		/* back to paths from here, in the runner's order */
		for (size_t i = 0; i < nk; i++)
			keep[i] += rl ? rl + 1 : 0;
		if (!(*out = ft_runner_argv_concat(cmd, ft_runner_argv_count(cmd), (char *const *)keep, nk)))
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


/*
 * The row's config (ft_runners.h): node's options that can change what a
 * test file does, in the order given (an --import's order is its modules'
 * load order): --import, --require, --loader, --conditions, --env-file, the
 * --experimental-* and --no-* switches, the coverage options, and any
 * option not known, each "name=value" or as written.  Left out: --test,
 * the files, the reporters, --test-concurrency, --test-timeout, --watch,
 * --title, --inspect-port, and the name filters (a run in part is
 * `partial`).  Anything but `node ... --test`: "?".
 */
static int config(char *const *argv, int cmd, char **out)
{
	static const char *const neutral_valued[] = {
		"--test-reporter", "--test-reporter-destination", "--test-concurrency",
		"--test-timeout", "--title", "--inspect-port", "--test-name-pattern",
		"--test-skip-pattern", "--watch-path", NULL,
	};
	static const char *const neutral[] = {
		"--test", "--test-only", "--watch", "--test-force-exit", NULL,
	};
	size_t len = 0, i = cmd ? 1 : 0;
	int test = 0;
	FILE *f;

	*out = NULL;
	for (size_t k = i; argv[0] && argv[k]; k++)
		test |= !strcmp(argv[k], "--test");
	if (!test)
		return (*out = strdup("?")) ? 0 : -ENOMEM;
	if (!(f = open_memstream(out, &len)))
		return -ENOMEM;
	for (; argv[i]; i++) {
		const char *a = argv[i];
		size_t l = strcspn(a, "=");

		if (!strcmp(a, "--"))
			break; /* the script's own arguments */
		if (a[0] != '-' || !a[1])
			continue; /* a test file */
		if (in_words(neutral, a, l) && !a[l])
			continue;
		if (in_words(neutral_valued, a, l)) {
			i += !a[l] && argv[i + 1];
			continue;
		}
		if (in_words(node_valued, a, l) && !a[l] && argv[i + 1]) {
			fprintf(f, "%s=%s\n", a, argv[i + 1]);
			i++;
			continue;
		}
		fprintf(f, "%s\n", a);
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
	return plan_node(in->cmd, in->sel, in->all, in->first, in->top, &out->argv, &out->nselected, &out->err);
}

const struct ft_runner_ops ft_runner_node = {
	.name = "node",
	/* its own stats look for test files, which run in children */
	.policy = FT_POLICY_SCAN_GONE,
	/* each test is a process: its exit status is its outcome */
	.exit_is_outcome = 1,
	.is_image = is_image,
	.name_test = name_test,
	.partial = partial,
	.meta_dir = meta_dir,
	.list_recorded = list_recorded,
	.list_here = list_here,
	.format = format,
	.narrow = narrow,
	.config = config,
	/* its walk for test files (FT_POLICY_SCAN_GONE) */
	.readers = ft_runner_scan_readers,
};
