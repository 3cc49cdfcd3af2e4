/*
 * cmd_test.c - `ftrace test [--name NAME] [--] [CMD...]`: select, run only
 * what is affected, and record, so the map stays current.
 *
 * The selection is `ftrace affected`'s, computed in-process; the run is
 * `ftrace run`'s (ft_cmd_run_argv).  How the selection reaches the runner:
 *
 *  - a command a runner recognises (no --name): that runner's row of the
 *    runner table narrows it (runners/ft_runners.h, `narrow`).  pytest
 *    (CMD runs pytest, py.test or `-m pytest`) deselects: the known tests
 *    that are NOT affected go to a file in the state dir named by
 *    FTRACE_DESELECT_FILE, which the pytest plugin reads
 *    (runners/runner_pytest.c); ctest, node, jest, Automake, go and cargo
 *    get the selection in their own syntax.
 *  - anything else is one test, named NAME or (like `ftrace run`) by its
 *    command line: it runs when that test is affected or not known yet.
 *
 * When ftrace cannot tell (no recording, corrupt database, ...), everything
 * runs and is recorded.  When nothing is affected, nothing runs: that is
 * said on stderr and the status is 0.  Otherwise the status is the runner's.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_cmd.h"
#include "ft_config.h"
#include "ft_runner_argv.h"
#include "ft_runners.h"
#include "ft_error.h"
#include "ft_select.h"
#include "ft_state.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "ft_store_repo.h"

#define FT_ENV_DESELECT "FTRACE_DESELECT_FILE"

static const char usage_text[] =
"usage: ftrace test [--name NAME] [--granularity=auto|function|file] [-q] [--] [CMD [ARGS...]]\n"
"\n"
"Run only the tests that changes since the last recording can affect, and\n"
"record them (as `ftrace run` does), so the map stays current.  Without CMD,\n"
"the \"command\" of .ftrace.json at the repository top is run.\n"
"\n"
"  pytest (CMD runs pytest or python -m pytest): the known tests that are not\n"
"      affected are deselected; new tests and .ftrace.json's always_run tests\n"
"      always run.\n"
"  ctest (CMD is `ctest ARGS`): ctest ARGS -R '^(a|b)$' with the affected\n"
"      and new tests (docs/runners.md)\n"
"  node --test (CMD is `node [OPTS] --test`): node [OPTS] --test FILE... with\n"
"      the affected and new test files\n"
"  jest (CMD is `jest ARGS`, `npx jest ARGS`, or `npm test` whose script is\n"
"      jest): CMD [--] --runTestsByPath FILE... with the affected and new\n"
"      test files (docs/jest.md)\n"
"  Automake (CMD is `make ARGS check` over an Automake harness here):\n"
"      make ARGS check TESTS=\"a b\" with the affected and new TESTS entries;\n"
"      with SUBDIRS, the whole command (or nothing, when nothing is affected)\n"
"  go test (CMD is `go test [FLAGS] ./...`, flags that do not change which\n"
"      files build): go test FLAGS PKG... with the affected and new packages\n"
"      (docs/go.md)\n"
"  cargo test (CMD is `cargo test [OPTS]`): cargo test -p PKG --lib --test T\n"
"      ... with the affected and new test targets (docs/cargo.md)\n"
"  cargo nextest run (CMD is `cargo nextest run [OPTS]`): cargo nextest run\n"
"      -E '(binary_id(=B) & test(=T)) | ...' with the affected and new tests\n"
"      (each runs as given when it already chooses its tests)\n"
"  any other CMD is one test (named NAME, else by its command line): it runs\n"
"      when that test is affected or was never recorded.\n"
"\n"
"With no recording (or when ftrace cannot tell), everything runs and is\n"
"recorded.  With nothing affected, nothing runs.\n"
"\n"
"options:\n"
"  --name NAME   CMD is one test called NAME (as `ftrace run --name`)\n"
"  --granularity=auto|function|file\n"
"                pytest: select as `ftrace affected --granularity=G` (at\n"
"                auto, the default, and function: tests recorded with their\n"
"                functions that only changed .py function bodies they did\n"
"                not run can affect are deselected) and record as `ftrace\n"
"                run --granularity=G` (docs/python-functions.md).  Without\n"
"                the option: .ftrace.json's \"granularity\", else\n"
"                $FTRACE_GRANULARITY, else auto\n"
"  -q, --quiet   no summary line after recording\n"
"  -h, --help    this text\n"
"\n"
"exit status: the runner's own; 0 when nothing is affected (nothing ran);\n"
"64 bad usage, no command or a bad $FTRACE_GRANULARITY; 78 invalid\n"
".ftrace.json, or it, the state directory or the database is owned by\n"
"another user or writable by others (nothing ran; $FTRACE_SAFE_DIRS allows\n"
"one); 70 internal error; 127 CMD could not be started.\n";

static const struct ft_reason always_reason = { NULL, 0, FT_CHANGE_ALWAYS_RUN, 0 };

static int id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ft_selected *)a)->id, ((const struct ft_selected *)b)->id);
}

static int has_id(const struct ft_selection *sel, const char *id)
{
	struct ft_selected key = { .id = id };

	return sel && sel->n && bsearch(&key, sel->tests, sel->n, sizeof(key), id_cmp) != NULL;
}

/*
 * Add the always_run ids that the selection lacks.  The ids point into the
 * config, which must outlive the selection's use.  sel->tests comes from
 * calloc (ft_selection_free frees it), so it may be grown with realloc.
 */
int ft_cmd_add_always_run(struct ft_selection *sel, const struct ft_config *cfg)
{
	struct ft_selected *t;
	size_t n = sel->n;

	if (!cfg->nalways_run)
		return 0;
	t = realloc(sel->tests, (sel->n + cfg->nalways_run + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	sel->tests = t;
	for (size_t i = 0; i < cfg->nalways_run; i++) {
		int dup = has_id(sel, cfg->always_run[i]);
		for (size_t k = sel->n; k < n && !dup; k++)
			dup = !strcmp(t[k].id, cfg->always_run[i]);
		if (!dup)
			t[n++] = (struct ft_selected){ cfg->always_run[i], &always_reason, 1, 0 };
	}
	sel->n = n;
	qsort(sel->tests, sel->n, sizeof(*t), id_cmp);
	return 0;
}

static char *join_words(char **argv)
{
	size_t n = 1;
	char *s;

	for (char **a = argv; *a; a++)
		n += strlen(*a) + 1;
	if (!(s = malloc(n)))
		return NULL;
	s[0] = '\0';
	for (char **a = argv; *a; a++) {
		if (a != argv)
			strcat(s, " ");
		strcat(s, *a);
	}
	return s;
}

struct plan {
	struct ft_store *st;
	struct ft_state *state;
	struct ft_selection *sel;   /* complete selection, always_run added */
	struct ft_selection *all;   /* every known test */
	char why[PATH_MAX + 512];   /* when it cannot tell */
	int corrupt;                /* selection found it corrupt: write nothing */
	char state_dir[PATH_MAX];
};

/* 0 with p->sel and p->all set, or 1 with p->why (cannot tell: run all),
 * or a negative code (internal error). */
static int plan_select(struct plan *p, const struct ft_config *cfg)
{
	char db[PATH_MAX + 32], top[PATH_MAX];
	struct stat sb;
	int rc;

	if ((rc = ft_statedir_find(p->state_dir, sizeof(p->state_dir))) < 0) {
		snprintf(p->why, sizeof(p->why), "cannot find the state directory: %s", ft_strerror(rc));
		return 1;
	}
	snprintf(db, sizeof(db), "%s/%s", p->state_dir, FT_STORE_FILE);
	if (ft_cmd_statedir_notdir(p->state_dir, p->why, sizeof(p->why)))
		return 1;
	if (stat(p->state_dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(p->why, sizeof(p->why), "nothing was recorded here yet (no %s)", p->state_dir);
		return 1;
	}
	ft_cmd_lock_wait(0);
	if ((rc = ft_store_open(&p->st, db, 0)) < 0) {
		snprintf(p->why, sizeof(p->why), "%s: %s%s%s", db, ft_strerror(rc),
			 rc == FT_ENORECORD ? "" : ": ", rc == FT_ENORECORD ? "" : ft_store_errmsg(NULL));
		return 1;
	}
	/* another tree's database: `ftrace run` refuses it too (exit 2) */
	if ((rc = ft_statedir_top(p->state_dir, top, sizeof(top))) < 0 ||
	    (rc = ft_store_repo_check(p->st, top, 0, p->why, sizeof(p->why))) < 0) {
		if (rc != FT_EREPO)
			snprintf(p->why, sizeof(p->why), "%s: %s", db, ft_strerror(rc));
		return 1;
	}
	if ((rc = ft_state_new(&p->state, p->st)) < 0)
		return rc;
	rc = ft_select_run(p->st, p->state, &p->sel);
	if (rc < 0) {
		p->corrupt = rc == FT_ECORRUPT;
		snprintf(p->why, sizeof(p->why), "%s: selection failed: %s", db,
			 rc == FT_ECORRUPT || rc == FT_EDB ? ft_store_errmsg(p->st) : ft_strerror(rc));
		return 1;
	}
	if (p->sel->known == 0) {
		snprintf(p->why, sizeof(p->why), "%s: the recording holds no tests", db);
		return 1;
	}
	if (!p->sel->complete) {
		snprintf(p->why, sizeof(p->why), "%s: %s", db, p->sel->incomplete_why);
		return 1;
	}
	if ((rc = ft_cmd_add_always_run(p->sel, cfg)) < 0)
		return rc;
	if ((rc = ft_select_all(p->st, &p->all)) < 0) {
		snprintf(p->why, sizeof(p->why), "%s: cannot list the known tests: %s", db, ft_strerror(rc));
		return 1;
	}
	return 0;
}

static void plan_release(struct plan *p)
{
	if (p->st) {
		/* Keep the stat cache for next time; never wait for a writer. */
		ft_store_busy_timeout(p->st, 0);
		if (p->state && !p->corrupt)
			(void)ft_state_flush(p->state);
	}
	ft_selection_free(p->sel);
	ft_selection_free(p->all);
	ft_state_free(p->state);
	if (p->st)
		ft_store_close(p->st);
	p->st = NULL;
	p->state = NULL;
	p->sel = p->all = NULL;
}

/* The command's runner narrows it to the selection (its row's narrow,
 * runners/ft_runners.h): `*cmd` becomes the command to run, `*narrowed`
 * what to free, `deselect` a file to remove after the run.  Returns -1 to
 * run, or the exit status (nothing affected, an error). */
static int narrow(const struct ft_runner_ops *row, const struct plan *p, char ***cmd,
		  char ***narrowed, char *deselect, size_t cap, int quiet)
{
	struct ft_runner_plan_out out = { 0 };
	struct ft_runner_plan_in in = { *cmd, p->sel, p->all, NULL, p->state_dir };
	char top[PATH_MAX];
	size_t n;
	int rc;

	if (ft_statedir_top(p->state_dir, top, sizeof(top)) < 0 && !getcwd(top, sizeof(top)))
		snprintf(top, sizeof(top), "/");
	in.top = top;
	rc = row->narrow(&in, &out);
	*narrowed = out.argv;
	if (rc < 0) {
		ft_cmd_error("test: %s", out.err[0] ? out.err : ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	n = out.nselected;
	switch (rc) {
	case FT_RUNNER_PLAN_NOTHING:
		ft_cmd_error("nothing affected");
		return FT_EXIT_OK;
	case FT_RUNNER_PLAN_DESELECTED:
		snprintf(deselect, cap, "%s", out.deselect);
		if (!quiet)
			fprintf(stderr, "ftrace: %zu affected test%s; %zu known test%s deselected\n",
				n, n == 1 ? "" : "s", out.ndeselected, out.ndeselected == 1 ? "" : "s");
		setenv(FT_ENV_DESELECT, deselect, 1);
		return -1;
	case FT_RUNNER_PLAN_ALL:
		ft_cmd_error("test: running all tests: %s", out.why);
		break;
	default:
		if (!quiet)
			fprintf(stderr, "ftrace: %zu affected test%s\n", n, n == 1 ? "" : "s");
		if (out.why[0])
			ft_cmd_error("test: %s", out.why); /* a superset (cargo) */
	}
	if (*narrowed)
		*cmd = *narrowed;
	return -1;
}

int ft_cmd_test(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "granularity", required_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char cfg_err[PATH_MAX + 256], deselect[PATH_MAX + 64] = "";
	const char *name = NULL;
	struct ft_config cfg;
	struct plan p = { 0 };
	char **cmd, *cmdline = NULL, **narrowed = NULL;
	const struct ft_runner_ops *runner;
	int quiet = 0, opt, rc, shell = 0, status, funcs = -1;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			name = optarg;
			if (!*name) {
				ft_cmd_error("test: --name needs a non-empty name");
				return FT_EXIT_USAGE;
			}
			break;
		case 'q': quiet = 1; break;
		case 'G':
			/* as `ftrace run --granularity`: the plugin reads it at
			 * import and hides it from the tests */
			if ((funcs = ft_cmd_granularity_parse(optarg)) < 0) {
				ft_cmd_error("test: --granularity must be 'file', 'function' or 'auto', not '%s'", optarg);
				return FT_EXIT_USAGE;
			}
			break;
		case 'h': fputs(usage_text, stdout); return FT_EXIT_OK;
		default: fputs(usage_text, stderr); return FT_EXIT_USAGE;
		}
	}
	rc = ft_config_find_load(&cfg, cfg_err, sizeof(cfg_err));
	if (rc < 0) {
		ft_cmd_error("test: %s", cfg_err[0] ? cfg_err : ft_strerror(rc));
		return rc == FT_ECONFIG || rc == FT_EUNSAFE ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	}
	/* an untrusted state dir is an error, not "cannot tell: run all" (the
	 * recording would then go into it) */
	if ((rc = ft_statedir_find(p.state_dir, sizeof(p.state_dir))) >= 0 &&
	    (rc = ft_cmd_trust_state("test", p.state_dir)) < 0) {
		ft_config_release(&cfg);
		return rc == FT_EUNSAFE ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	}
	if (optind < argc) {
		cmd = argv + optind;
	} else if (cfg.command) {
		cmd = cfg.command;
		shell = cfg.command_is_shell;
	} else {
		ft_cmd_error("test: no command: give one (ftrace test -- pytest) or set \"command\" in %s",
			     FT_CONFIG_FILE);
		ft_config_release(&cfg);
		return FT_EXIT_USAGE;
	}
	runner = !name ? ft_runners_of_cmd(cmd, shell) : NULL;

	/* without the switch, .ftrace.json's "granularity"; without either,
	 * an exported FTRACE_GRANULARITY; without that, function */
	if (funcs == -1 && (funcs = ft_cmd_granularity_default(cfg.granularity)) < 0) {
		ft_config_release(&cfg);
		return FT_EXIT_USAGE;
	}
	ft_cmd_granularity_set(funcs);
	rc = plan_select(&p, &cfg);
	if (rc == 0)
		ft_cmd_pyconf_filter(p.st, p.sel, "test");
	if (rc == 0 && funcs)
		ft_cmd_pyfunc_filter(p.st, p.sel, "test", NULL);
	if (rc < 0) {
		ft_cmd_error("test: selection failed: %s", ft_strerror(rc));
		status = FT_EXIT_SOFTWARE;
		goto out;
	}
	if (rc == 1) {
		ft_cmd_error("test: cannot tell which tests are affected: %s; running all tests", p.why);
	} else if (runner && runner->narrow) {
		/* the selection in the runner's own syntax (pytest: deselected) */
		if ((status = narrow(runner, &p, &cmd, &narrowed, deselect, sizeof(deselect), quiet)) >= 0)
			goto out;
	} else {
		const char *id = name;
		if (!id && !(id = cmdline = join_words(cmd))) {
			status = FT_EXIT_SOFTWARE;
			goto out;
		}
		if (has_id(p.all, id) && !has_id(p.sel, id)) {
			ft_cmd_error("nothing affected");
			status = FT_EXIT_OK;
			goto out;
		}
	}
	/* The store is opened again, for writing, by the ingest. */
	plan_release(&p);
	status = ft_cmd_run_argv(cmd, name, (quiet ? FT_RUN_QUIET : 0) |
				 (funcs != -1 ? FT_RUN_GRANULARITY : 0));
out:
	if (deselect[0]) {
		unlink(deselect);
		unsetenv(FT_ENV_DESELECT);
	}
	plan_release(&p);
	free(cmdline);
	ft_runner_argv_free(narrowed);
	ft_config_release(&cfg);
	return status;
}
