/*
 * ft_runner.c - see ft_runner.h: the ingest side of the runner table
 * (ft_runners.h), over a run's process tree.  No runner is named here:
 * each row recognises its images, names its tests and judges them.  The
 * rules are documented with examples in docs/runners.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ft_error.h"
#include "ft_ingest.h"
#include "ft_ptree.h"
#include "ft_reader.h"
#include "ft_record.h"
#include "ft_runner.h"
#include "ft_runner_meta.h"
#include "ft_runners.h"

static const char *base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "";
}

int ft_runner_kind_of(const char *exe, char *const *argv, int argc)
{
	const struct ft_runner_ops *row = ft_runners_of_image(exe, argv, argc);

	return row ? ft_runners_kind(row) : 0;
}

/* The image that started image i's process is a runner image: return it. */
static size_t runner_parent(const struct ft_ptree *t, size_t i)
{
	size_t h = ft_ptree_proc_head(t, i), par = t->procs[h].parent;
	return par != FT_PTREE_NONE && t->procs[par].runner ? par : FT_PTREE_NONE;
}

/* index of "npm" (or npm-cli.js run by node) in the argv, or -1 */
static int npm_word(const struct ft_ptree_proc *p)
{
	for (int i = 0; p->argv && i < p->argc && i < 3; i++)
		if (!strcmp(base(p->argv[i]), "npm") || !strcmp(base(p->argv[i]), "npm-cli.js"))
			return i;
	return -1;
}

/* npm, or npx (npm exec): both read and prune npm's debug logs */
int ft_runner_is_npm(const struct ft_ptree_proc *p)
{
	for (int i = 0; p->argv && i < p->argc && i < 3; i++)
		if (!strcmp(base(p->argv[i]), "npx") || !strcmp(base(p->argv[i]), "npx-cli.js"))
			return 1;
	return npm_word(p) >= 0;
}

/* npm's debug logs: npm reads and prunes them at every start, so another
 * npm running at the same time makes them "modified during the run"; they
 * are never a test's input.  $npm_config_logs_dir, else ~/.npm/_logs. */
static char *npm_logs(void)
{
	const char *d = getenv("npm_config_logs_dir"), *home = getenv("HOME");
	char *out = NULL;

	if (d && *d)
		return strdup(d);
	if (home && *home && asprintf(&out, "%s/.npm/_logs", home) < 0)
		return NULL;
	return out;
}

/* Does this image fail when the one command it starts fails?  `sh -c
 * 'node --test'` (one simple command: the shell's status is its status) and
 * `npm test` / `npm run X` (npm exits non-zero when the script does).  An
 * argv that was cut short, or anything else (`sh -c 'ctest; true'`), is
 * not known to pass a failure on. */
static int passes_failure_on(const struct ft_ptree_proc *p)
{
	static const char *const npm_cmds[] = { "test", "t", "tst", "run", "run-script", "rum", "urn" };
	const char *b;

	if (p->ptexec)
		return 1; /* `ftrace __ptrace-exec` ends as its program did */
	if (!p->argv || p->argv_cut || p->argc < 1)
		return 0;
	b = base(p->argv[0]);
	if ((!strcmp(b, "sh") || !strcmp(b, "bash") || !strcmp(b, "dash")) && p->argc == 3 &&
	    !strcmp(p->argv[1], "-c"))
		return !strpbrk(p->argv[2], ";&|\n`()<>");
	/* cargo exits with the status of what it ran: `cargo nextest run`
	 * runs cargo-nextest, rustup's cargo proxy execs cargo */
	if (!strcmp(b, "cargo"))
		return 1;
	/* the first word after npm that is not an option */
	for (int k = npm_word(p) + 1; k > 0 && k < p->argc; k++) {
		if (p->argv[k][0] == '-')
			continue;
		for (size_t c = 0; c < sizeof(npm_cmds) / sizeof(npm_cmds[0]); c++)
			if (!strcmp(p->argv[k], npm_cmds[c]))
				return 1;
		return 0;
	}
	return 0;
}

/* Is the runner image's failure the run's failure?  It is the first
 * command (possibly exec'd into), started by the launcher or by nothing we
 * saw, or every process between the launcher and it passes a failure on
 * (`ftrace run -- npm test`). */
int ft_runner_is_top(const struct ft_ptree *t, size_t r)
{
	size_t par = t->procs[ft_ptree_proc_head(t, r)].parent;

	while (par != FT_PTREE_NONE && t->procs[par].backend != FT_BACKEND_LAUNCHER) {
		if (!passes_failure_on(&t->procs[par]))
			return 0;
		/* a later exec of that process decides its status instead (a
		 * region without FT_REC_PROC only continues this image) */
		for (size_t j = par + 1; j < t->n; j++)
			if (t->procs[j].pid == t->procs[par].pid && t->procs[j].ppid == t->procs[par].ppid &&
			    t->procs[j].parent == par && t->procs[j].exe)
				return 0;
		par = t->procs[ft_ptree_proc_head(t, par)].parent;
	}
	return 1;
}


/* Which slot of `states` a row's per-run state is in (rows that share
 * one state use the first's). */
static void **state_of(void **states, const struct ft_runner_ops *row)
{
	const struct ft_runner_ops *own = row->shares ? row->shares : row;
	size_t i = 0;

	while (ft_runners[i] && ft_runners[i] != own)
		i++;
	return &states[i];
}

/* Mark each image with its runner's kind and collection policy. */
static void mark_images(struct ft_ptree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct ft_ptree_proc *p = &t->procs[i];
		const struct ft_runner_ops *row = !p->argv ? NULL : !p->argv_cut ?
			ft_runners_of_image(p->exe, p->argv, p->argc) :
			ft_runners_of_cut_image(p->exe, p->argv, p->argc);

		p->runner = row ? ft_runners_kind(row) : 0;
		p->policy = row ? row->policy : 0;
		/* A region continued after the image's first one filled up has
		 * no PROC record: it is still that image (jest -i fills several
		 * MiB), so it is a runner if that one is.  Parents start first. */
		if (!p->exe && !p->argv && p->parent != FT_PTREE_NONE && p->parent < i &&
		    t->procs[p->parent].pid == p->pid && t->procs[p->parent].ppid == p->ppid) {
			p->runner = t->procs[p->parent].runner;
			p->policy = t->procs[p->parent].policy;
		}
		if (!t->bookkeeping[FT_BK_NPM] && ft_runner_is_npm(p))
			t->bookkeeping[FT_BK_NPM] = npm_logs();
	}
}

/* The test of image i: an image that is its own runner's (name_self), or
 * a child of a runner image r, named by that runner.  -1 none. */
static long name_image(struct ft_ptree *t, size_t i, size_t *r, void **states,
		       const struct ft_runner_naming *nm)
{
	const struct ft_runner_ops *row;
	long k;

	for (size_t j = 0; ft_runners[j]; j++) {
		if (!ft_runners[j]->name_self || (k = ft_runners[j]->name_self(t, i)) == -1)
			continue;
		*r = i;
		return k;
	}
	/* (a test may itself be a runner: a ctest test running
	 * `ctest --build-and-test`; its children then stay its own) */
	if (*r == FT_PTREE_NONE || !(row = ft_runners_by_kind(t->procs[*r].runner)) || !row->name_test)
		return -1;
	return row->name_test(state_of(states, row), nm, t, *r, i);
}

/* Test k is image i's, and its runner image is r. */
static int assign(struct ft_ptree *t, size_t i, size_t r, long k, size_t **runner_of)
{
	size_t *nr = realloc(*runner_of, t->ntests * sizeof(*nr));

	if (!nr)
		return -ENOMEM;
	*runner_of = nr;
	nr[k] = r;
	t->procs[i].named = 1;
	/* the whole process is the test: the image the runner forked did
	 * the exec of the test's program (its exec and path search records)
	 * before this one began */
	for (size_t j = i;; j = t->procs[j].parent) {
		t->procs[j].test = k;
		if (t->procs[j].parent == FT_PTREE_NONE || t->procs[t->procs[j].parent].pid != t->procs[i].pid)
			break;
	}
	return 0;
}

static int name_tests(struct ft_ptree *t, void **states, const struct ft_runner_naming *nm,
		      size_t **runner_of)
{
	int rc = 0;

	for (size_t i = 0; i < t->n && rc >= 0; i++) {
		const struct ft_ptree_proc *p = &t->procs[i];
		size_t r = p->argv && !p->argv_cut && p->argc > 0 ? runner_parent(t, i) : FT_PTREE_NONE;
		size_t before = t->ntests;
		long k = name_image(t, i, &r, states, nm);

		/* tests the rule made without giving them this image (ctest's
		 * that it could not tell apart) are that runner image's too */
		if (t->ntests > before) {
			size_t *nr = realloc(*runner_of, t->ntests * sizeof(*nr));
			if (!nr)
				return -ENOMEM;
			*runner_of = nr;
			for (size_t j = before; j < t->ntests; j++)
				nr[j] = r;
		}
		if (k < -1)
			rc = (int)k;
		else if (k >= 0)
			rc = assign(t, i, r, k, runner_of);
		if (rc >= 0 && k >= 0 && r != FT_PTREE_NONE && r != i) {
			const struct ft_runner_ops *row = ft_runners_by_kind(t->procs[r].runner);
			if (row && row->partial && row->partial(&t->procs[r], &t->procs[i]))
				t->tests[k].partial = 1;
		}
	}
	return rc;
}

static int finish(struct ft_ptree *t, void **states, const struct ft_runner_env *env)
{
	int rc = 0;

	for (size_t j = 0; ft_runners[j] && rc >= 0; j++)
		if (ft_runners[j]->finish && !ft_runners[j]->shares)
			rc = ft_runners[j]->finish(state_of(states, ft_runners[j]), t, env);
	return rc;
}

/*
 * Test k's own outcome from how its processes ended, for a runner whose
 * test is a process of its own (exit_is_outcome): passed when every image
 * the runner named as k belongs to a process that exited 0, failed when
 * every one exited non-zero or was killed; 0 (no evidence) when one has
 * no known status (reaped where no hook saw it, or never reaped) or they
 * disagree (a runner that retried it: its own verdict then stands).
 */
static int own_outcome(const struct ft_ptree *t, size_t k)
{
	int passed = 0, failed = 0, unknown = 0, st;

	for (size_t i = 0; i < t->n; i++) {
		if (!t->procs[i].named || t->procs[i].test != (long)k)
			continue;
		if (!ft_ptree_exit_of(t, i, &st))
			unknown++;
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			passed++;
		else
			failed++;
	}
	if (unknown || (passed && failed) || (!passed && !failed))
		return 0;
	return passed ? FT_OUTCOME_PASSED : FT_OUTCOME_FAILED;
}

/* Failed, unless its runner judges it (Automake's .trs), or its own
 * process says how it ended (own_outcome), or its runner's status is the
 * run's and the run passed, or the runner says it passed before the
 * failure (ctest's LastTestsFailed.log, cargo's fail-fast). */
static void judge(struct ft_ptree *t, void **states, const size_t *runner_of,
		  const struct ft_runner_env *env)
{
	int ok = WIFEXITED(env->wstatus) && WEXITSTATUS(env->wstatus) == 0;

	for (size_t k = 0; k < t->ntests; k++) {
		const struct ft_runner_ops *row = ft_runners_by_name(t->tests[k].runner);
		void *st = row ? *state_of(states, row) : NULL;
		int own;

		t->tests[k].outcome = FT_OUTCOME_FAILED;
		t->tests[k].guessed = 0;
		if (row && row->self_judged) {
			if (row->passed(st, t, runner_of, k, env))
				t->tests[k].outcome = FT_OUTCOME_PASSED;
			continue;
		}
		if (row && row->exit_is_outcome && (own = own_outcome(t, k))) {
			t->tests[k].outcome = own;
			continue;
		}
		/* "failed" here is the run's status, not the test's own, unless
		 * its runner said which failed (ft_store_flaky.h) */
		t->tests[k].guessed = 1;
		if (runner_of[k] == FT_PTREE_NONE || !ft_runner_is_top(t, runner_of[k]))
			continue;
		if (ok || (row && row->passed && row->passed(st, t, runner_of, k, env)))
			t->tests[k].outcome = FT_OUTCOME_PASSED;
		t->tests[k].guessed = t->tests[k].outcome == FT_OUTCOME_FAILED &&
			!(row && row->judges_failures);
	}
}

int ft_runners_apply(struct ft_ptree *t, const struct ft_runner_env *env,
		     const struct ft_ctest_list *ctest)
{
	const struct ft_runner_naming nm = { env, ctest };
	void *states[FT_RUNNERS_MAX] = { 0 };
	size_t *runner_of = NULL;
	int rc;

	mark_images(t);
	rc = name_tests(t, states, &nm, &runner_of);
	ft_ptree_inherit(t);
	if (rc >= 0)
		rc = finish(t, states, env);
	if (rc >= 0)
		judge(t, states, runner_of, env);
	for (size_t j = 0; rc >= 0 && ft_runners[j]; j++)
		if (ft_runners[j]->report)
			rc = ft_runners[j]->report(*state_of(states, ft_runners[j]), t, env);
	free(runner_of);
	for (size_t j = 0; ft_runners[j]; j++)
		if (ft_runners[j]->release && !ft_runners[j]->shares)
			ft_runners[j]->release(states[j]);
	return rc;
}

int ft_runner_apply(struct ft_ptree *t, const struct ft_runner_env *env,
		    const struct ft_ctest_list *ctest)
{
	return ft_runners_apply(t, env, ctest);
}

/* Mark the runner images whose tests are processes below them
 * (ft_ptree_proc.tests_below): the nearest runner image above each named
 * test, through images that are none (go's test binary, exec'd by a
 * wrapper the go command started), and every region of that image (the
 * same pid and runner: a region that filled up continues the image).  A
 * runner that ran its tests in its own image (`node --test
 * --test-isolation=none`) names none below it. */
static void mark_tests_below(struct ft_ptree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		size_t up = t->procs[i].parent;

		if (!t->procs[i].named)
			continue;
		for (int depth = 0; up != FT_PTREE_NONE && depth < 64 && !t->procs[up].runner; depth++)
			up = t->procs[up].parent;
		if (up != FT_PTREE_NONE && t->procs[up].runner)
			t->procs[up].tests_below = 1;
	}
	for (size_t i = 0; i < t->n; i++) {
		struct ft_ptree_proc *p = &t->procs[i];
		for (size_t k = 0; p->runner && !p->tests_below && k < t->n; k++)
			if (t->procs[k].tests_below && t->procs[k].pid == p->pid &&
			    t->procs[k].runner == p->runner)
				p->tests_below = 1;
	}
}

/* ingest's hooks (ft_ingest.h): under --name or FTRACE_TEST_ID the whole
 * command is one test, which keeps every source the build read */
static int ingest_apply(struct ft_ptree *t, const struct ft_ingest *in)
{
	struct ft_runner_env env = { in->repo_top, in->wstatus, in->t0_ns, in->run_dir };
	int rc = ft_runners_apply(t, &env, NULL);

	if (rc >= 0)
		rc = ft_runners_after(t, &env, in->name != NULL);
	if (rc >= 0)
		mark_tests_below(t);
	return rc;
}

/* A runner that names tests in the process tree but cannot tell which of
 * them failed: judge() marks them failed when its run fails (cargo's
 * passed() only says which passed before a fail-fast stop). */
static int guesses(const char *runner)
{
	const struct ft_runner_ops *row = ft_runners_by_name(runner);

	return row && (row->name_test || row->name_self) && !row->self_judged &&
		!row->judges_failures;
}

static int row_options(const char *runner, char *const *args, char **out)
{
	const struct ft_runner_ops *row = ft_runners_by_name(runner);

	*out = NULL;
	return row && row->config ? row->config(args, 0, out) : 0;
}

/*
 * An entry the run itself made or removed in a directory that reader
 * `reader` listed before: is the listing the run left as good as the one
 * the reader saw, for the recorded tests?  For a reader with a rule, when
 * the rule says the name is none to it, without a runner's view.  For a
 * runner's collector (FT_READER_COLLECTS), always: what it collects from a
 * listing is which tests exist, not what they do.  A test file the run
 * made is no recorded test (the next session's collection of it is a new
 * test's, which "unknown" would not name either); one it removed has no
 * test left to run; a conftest.py or __init__.py made or removed changes
 * what tests do through each test's own look-up of it (seen absent and
 * made in the run is unknown; read and gone is a change); a directory of
 * data, through each read of what was in it.
 */
static int entry_unread(int reader, const char *dir, const char *name, int added)
{
	struct ft_listing_change c = { .dir = dir, .name = name, .added = added, .scope = NULL };
	const struct ft_reader *r = ft_readers_find(reader);

	if (r && (r->flags & FT_READER_COLLECTS))
		return 1;
	return ft_reader_neutral(r, &c);
}

const struct ft_ingest_runners ft_runners_ingest = {
	.apply = ingest_apply,
	.meta = ft_runner_meta,
	.forget = ft_runners_forget,
	.guesses = guesses,
	.options = row_options,
	.entry_unread = entry_unread,
};
