/*
 * runner_jest.c - jest's row of the runner table (ft_runners.h).  Its
 * tests are marked by the adapter (adapters/jest, docs/jest.md), not by
 * processes: the image (`jest`, `node .../jest ARGS`) is a runner only so
 * that its own stats and listings in the prelude (the haste map crawl)
 * count as types; with -i it runs the test files in its own image, whose
 * accesses in a test's context are that test's content.  Selections are
 * file paths.  The list and command parsing are ft_runner_jest.c's.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ft_error.h"
#include "ft_format.h"
#include "ft_ptree.h"
#include "ft_reader.h"
#include "ft_runlists.h"
#include "ft_runner.h"
#include "ft_runner_argv.h"
#include "ft_runner_jest.h"
#include "ft_runners.h"
#include "ft_selection.h"

static const char *base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "";
}

/* `jest ...`, or node running node_modules/.bin/jest, jest-cli/bin/jest.js
 * or jest/bin/jest.js (unless it is `node --test`: node's) */
static int is_image(const char *exe, char *const *argv, int argc)
{
	const char *a0 = argc > 0 ? base(argv[0]) : "", *e = base(exe);

	if (!strcmp(a0, "jest"))
		return 1;
	if (strcmp(a0, "node") && strcmp(a0, "nodejs") && strcmp(e, "node") && strcmp(e, "nodejs"))
		return 0;
	if (ft_runner_node_is(exe, argv, argc))
		return 0;
	return argc > 1 && (!strcmp(base(argv[1]), "jest") || !strcmp(base(argv[1]), "jest.js"));
}

/* npx jest, npm test running jest (ft_runner_jest.h) */
static int is_cmd(char *const *cmd, int shell)
{
	struct ft_jest_cmd jc;

	if (shell || ft_jest_cmd_parse(cmd, &jc) <= 0)
		return 0;
	ft_jest_cmd_release(&jc);
	return 1;
}

/* What to store: jest's own arguments start after its script (`node
 * .../node_modules/.bin/jest ARGS`). */
static int first_arg(const struct ft_ptree_proc *p)
{
	for (int a = 0; a < p->argc; a++) {
		const char *b = strrchr(p->argv[a], '/');
		b = b ? b + 1 : p->argv[a];
		if (!strcmp(b, "jest") || !strcmp(b, "jest.js"))
			return a + 1;
	}
	return p->argc; /* not found: no arguments, jest's defaults */
}

/* Why ft_jest_list_load failed, for a message: jest's own failure (it
 * exited non-zero, or listed no file) is best seen by running it. */
static const char *list_why(int rc)
{
	return rc == FT_EFORMAT ? "it failed or listed no test file: run `npx jest --listTests` "
				  "there to see why" : ft_strerror(rc);
}

/* jest --listTests ARGS, in the directory in_dir() entered */
static const struct ft_safe_arg jest_safe[] = {
	{ "--ci", 0 }, { "-i", 0 }, { "--runInBand", 0 }, { "--silent", 0 }, { "--verbose", 0 },
	{ "--passWithNoTests", 0 }, { "--bail", 0 }, { "-b", 0 }, { "--maxWorkers", 1 },
	{ "-w", 1 }, { "--testPathPattern", 1 }, { "--testPathPatterns", 1 },
	{ "--testPathIgnorePatterns", 1 }, { "-t", 1 }, { "--testNamePattern", 1 },
	{ "--selectProjects", 1 }, { "--coverage", 0 }, { "--detectOpenHandles", 0 },
	{ "--forceExit", 0 }, { "--colors", 0 }, { "--color", 0 }, { "--no-color", 0 },
	{ "--no-colors", 0 }, { "--json", 0 }, { "--noStackTrace", 0 },
	{ "--logHeapUsage", 0 }, { "--testTimeout", 1 }, { "--runTestsByPath", 0 },
	{ "--no-cache", 0 }, { "--useStderr", 0 }, { "--expand", 0 }, { "-e", 0 },
	{ "--cacheDirectory", 1 },
	{ NULL, 0 },
};

/* The arguments to list a recorded command's tests with: a recording
 * that ran files by path (`ftrace test`'s narrowing: ARGS --runTestsByPath
 * FILE...) lists what ARGS runs, with the switch and its files left out;
 * else ARGS.  Listed with the files, a test file made later was never
 * listed, and `affected` left it out.  Every word was allowed by
 * ft_runners_may_ask (jest_safe), so an option's value is known as such.
 * A NULL-terminated view into `args`, malloc'd; NULL on ENOMEM. */
static char **listing_args(char *const *args)
{
	size_t n = 0, k = 0;
	int by_path = 0;
	char **v;

	while (args && args[n])
		by_path |= !strcmp(args[n++], "--runTestsByPath");
	if (!(v = calloc(n + 1, sizeof(*v))))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct ft_safe_arg *t = jest_safe;

		if (by_path && !strcmp(args[i], "--runTestsByPath"))
			continue;
		if (by_path && args[i][0] != '-')
			continue; /* a file */
		while (t->name && strcmp(t->name, args[i]))
			t++;
		v[k++] = args[i];
		if (t->name && t->value && args[i + 1])
			v[k++] = args[++i]; /* its value: `-w 2` */
	}
	return v;
}

static int list_recorded(const struct ft_runlist *r, const char *top_in, struct ft_runner_names *out,
			 struct ft_err *e)
{
	struct ft_jest_list l;
	char top[4096], **args;
	int rc;

	snprintf(top, sizeof(top), "%s", top_in);
	if (!(args = listing_args(r->args)))
		return -ENOMEM;
	rc = ft_jest_list_load(&l, args, top);
	free(args);
	if (rc < 0) {
		return ft_err_set(e, rc, "%.900s: `jest --listTests` failed there (%s): new "
				  "jest test files cannot be found", r->dir, list_why(rc));
	}
	for (size_t i = 0; i < l.n && rc >= 0; i++)
		rc = ft_runner_names_add(out, "", l.ids[i]);
	ft_jest_list_release(&l);
	return rc;
}

/* --format jest: the files `jest --listTests` lists here */
static int list_here(struct ft_runner_here *h)
{
	struct ft_jest_list l;
	int rc;

	if ((rc = ft_jest_list_load(&l, NULL, h->top)) < 0) {
		snprintf(h->why, sizeof(h->why), "`jest --listTests` failed here (%s): new jest "
			 "test files cannot be found; run `ftrace affected --format jest` where "
			 "jest runs, with jest installed (node_modules/.bin/jest)", list_why(rc));
		return rc;
	}
	for (size_t i = 0; i < l.n && rc >= 0; i++)
		rc = ft_runner_names_add(&h->tests, "", l.ids[i]);
	ft_jest_list_release(&l);
	return rc;
}

/*
 * A selected test file that is gone, whose snapshot file stays (jest's
 * default place: `__snapshots__/NAME.snap` beside it): jest fails the
 * whole run on the obsolete snapshot file, whichever files it runs, while
 * the removed file cannot be run by path.  Only the whole command shows
 * that failure.  1 (`e` says which), else 0.
 */
static int orphan_snapshot(const struct ft_selection *sel, const char *top, struct ft_err *e)
{
	char path[8300], snap[8400];
	struct stat st;

	for (size_t i = 0; sel && i < sel->n; i++) {
		const char *id = sel->tests[i].id, *slash;
		int n = snprintf(path, sizeof(path), "%s%s%s", id[0] == '/' ? "" : top,
				 id[0] == '/' ? "" : "/", id);
		if (n < 0 || (size_t)n >= sizeof(path) || lstat(path, &st) == 0 || errno != ENOENT ||
		    !(slash = strrchr(path, '/')))
			continue;
		snprintf(snap, sizeof(snap), "%.*s/__snapshots__/%s.snap", (int)(slash - path), path,
			 slash + 1);
		if (lstat(snap, &st) == 0) {
			ft_err_set(e, 0, "%.900s was removed, and its snapshot file %.900s is still "
				   "there: jest fails the whole run on an obsolete snapshot file; remove "
				   "it (`jest -u`), or run the whole suite", path, snap);
			return 1;
		}
	}
	return 0;
}

static int format(const struct ft_selection *sel, const struct ft_runner_here *h, char **text,
		  struct ft_err *e)
{
	if (orphan_snapshot(sel, h->top, e))
		return FT_EFORMAT;
	return ft_format_paths(sel, h->top, text);
}

/* jest ARGS --runTestsByPath FILE... (npm: after a `--`), over the files
 * `jest --listTests ARGS` lists here; absolute paths, so the directory
 * npm runs the script in does not matter. */
static int plan_jest(char *const *cmd, const struct ft_selection *sel,
		     const struct ft_selection *all, const char *top, char ***out,
		     size_t *nsel, struct ft_err *e)
{
	struct ft_jest_cmd jc;
	struct ft_jest_list l;
	char **extra = NULL;
	size_t nk = 0, ne = 0;
	int rc;

	if ((rc = ft_jest_cmd_parse(cmd, &jc)) <= 0) {
		ft_err_set(e, 0, "not a jest command");
		return rc < 0 ? rc : FT_RUNNER_PLAN_ALL;
	}
	if (ft_jest_args_choose(jc.args)) {
		ft_err_set(e, 0, "the jest command chooses its own test files (a pattern, "
			   "--runTestsByPath, -o, --watch, ...)");
		ft_jest_cmd_release(&jc);
		return FT_RUNNER_PLAN_ALL;
	}
	if (orphan_snapshot(sel, top, e)) {
		ft_jest_cmd_release(&jc);
		return FT_RUNNER_PLAN_ALL;
	}
	if ((rc = ft_jest_list_load(&l, jc.args, top)) < 0) {
		ft_err_set(e, 0, "`jest --listTests` failed here: %s", list_why(rc));
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
		if (ft_runner_argv_has(sel, l.ids[i]) || !ft_runner_argv_has(all, l.ids[i])) {
			extra[ne++] = l.paths[i];
			nk++;
		}
	if (rc >= 0 && nk && !(*out = ft_runner_argv_concat(cmd, ft_runner_argv_count(cmd), extra, ne)))
		rc = -ENOMEM;
	*nsel = nk;
	if (rc >= 0)
		rc = nk ? FT_RUNNER_PLAN_NARROWED : FT_RUNNER_PLAN_NOTHING;
	free(extra);
	ft_jest_list_release(&l);
	ft_jest_cmd_release(&jc);
	return rc;
}


/* jest's option name in camel case ("--only-changed" is "--onlyChanged",
 * as yargs takes both), up to a '=': into buf, or the word as it is. */
static const char *camel(const char *a, char *buf, size_t cap, size_t *len)
{
	size_t l = strcspn(a, "="), o = 0;

	*len = l;
	if (a[0] != '-' || a[1] != '-' || l < 3 || !memchr(a + 2, '-', l - 2) ||
	    strlen(a) >= cap)
		return a;
	for (size_t k = 0; k < l; k++) {
		if (k > 2 && a[k] == '-' && k + 1 < l)
			buf[o++] = (char)toupper((unsigned char)a[++k]);
		else
			buf[o++] = a[k];
	}
	*len = o;
	memcpy(buf + o, a + l, strlen(a + l) + 1); /* "=value", or the end */
	return buf;
}

static int named(const char *const *l, const char *a, size_t len)
{
	for (; *l; l++)
		if (strlen(*l) == len && !strncmp(*l, a, len))
			return 1;
	return 0;
}

/*
 * The row's config (ft_runners.h): jest's own arguments (after its
 * script; through npm, the script's words and the user's,
 * ft_jest_cmd_parse) that can change what a test file does: --ci (a
 * missing snapshot fails instead of being written), -u, --coverage, the
 * environment, config, setup and transform options, --seed, and any
 * option not known, each as written ("--name=value" for a known option
 * that takes the next word), in their order.  Left out: output and pace
 * (-i, -w, --silent, --verbose, --json, --colors, --testTimeout, the
 * reporters, the cache), and which files or tests run (path patterns,
 * -t, --testPathPattern, --selectProjects, --onlyChanged, ...: what
 * ft_jest_args_choose takes for a choice, and `partial`).  A command that
 * does not run jest: "?".
 */
static int config(char *const *argv, int cmd, char **out)
{
	static const char *const neutral[] = {
		"-i", "--runInBand", "--silent", "--verbose", "--colors", "--json", "--noStackTrace",
		"--logHeapUsage", "--useStderr", "--expand", "-e", "--detectOpenHandles",
		"--forceExit", "--passWithNoTests", "--bail", "-b", "--cache", "--no-cache",
		"--watchman", "--no-watchman", "--runTestsByPath", "--onlyChanged", "-o",
		"--lastCommit", "--onlyFailures", "-f", "--findRelatedTests", "--notify", NULL,
	};
	static const char *const neutral_valued[] = {
		"-w", "--maxWorkers", "-t", "--testNamePattern", "--testTimeout", "--reporters",
		"--cacheDirectory", "--outputFile", "--coverageDirectory", "--maxConcurrency",
		"--testPathPattern", "--testPathPatterns", "--testPathIgnorePatterns",
		"--selectProjects", "--ignoreProjects", "--changedSince", "--shard",
		"--coverageReporters", "--workerIdleMemoryLimit", "--testFailureExitCode", NULL,
	};
	static const char *const valued[] = {
		"--testEnvironment", "--env", "--seed", "--testSequencer", "--testRunner",
		"--coverageProvider", "-c", "--config", "--rootDir", "--setupFiles",
		"--setupFilesAfterEnv", "--testMatch", "--testRegex", "--projects", "--roots", NULL,
	};
	struct ft_jest_cmd jc = { 0 };
	char *const *args = argv;
	size_t len = 0;
	int rc = 0;
	FILE *f;

	*out = NULL;
	if (cmd) {
		if ((rc = ft_jest_cmd_parse(argv, &jc)) <= 0)
			return rc < 0 ? rc : (*out = strdup("?")) ? 0 : -ENOMEM;
		args = jc.args;
	}
	if (!(f = open_memstream(out, &len))) {
		ft_jest_cmd_release(&jc);
		return -ENOMEM;
	}
	for (size_t i = 0; args && args[i]; i++) {
		char buf[128];
		size_t l;
		const char *a = camel(args[i], buf, sizeof(buf), &l);

		if (!strcmp(a, "--"))
			continue;
		if (!strcmp(a, FT_RUNNER_ARGS_CUT)) {
			fprintf(f, "%s\n", a); /* options not known: equal to none */
			continue;
		}
		if (a[0] != '-')
			continue; /* a path pattern: which files */
		if (named(neutral, a, l) && !a[l])
			continue;
		if (named(neutral_valued, a, l)) {
			i += !a[l] && args[i + 1];
			continue;
		}
		if (named(valued, a, l) && !a[l] && args[i + 1]) {
			fprintf(f, "%.*s=%s\n", (int)l, a, args[i + 1]);
			i++;
			continue;
		}
		fprintf(f, "%s\n", a);
	}
	ft_jest_cmd_release(&jc);
	if (fclose(f) != 0 || !*out) {
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int narrow(const struct ft_runner_plan_in *in, struct ft_runner_plan_out *out)
{
	return plan_jest(in->cmd, in->sel, in->all, in->top, &out->argv, &out->nselected, &out->err);
}


const struct ft_runner_ops ft_runner_jest = {
	.name = "jest",
	.policy = FT_POLICY_TESTS_IN_IMAGE | FT_POLICY_ISOLATES,
	.is_image = is_image,
	.image_prefix = 1, /* argv[0], and argv[1] after node's options */
	.is_cmd = is_cmd,
	.meta_always = 1,
	.meta_first_arg = first_arg,
	.list_recorded = list_recorded,
	.list_in_dir = 1,
	.safe_args = jest_safe,
	.safe_positional = 1,
	.list_here = list_here,
	.format = format,
	.narrow = narrow,
	/* its haste map's crawl (FT_CONTEXT_SCAN windows), and the snapshot
	 * directories beside what it crawled */
	.readers = ft_jest_readers,
	.config = config,
};
