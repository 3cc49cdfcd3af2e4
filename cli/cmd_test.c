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
 * said on stderr and the status is 0.  Otherwise the status is the runner's,
 * unless --rerun-flaky reran every failed test, each known flaky, and each
 * passed (cli/test_rerun.c).  --failed-first runs last time's failures
 * first where the runner allows (cli/test_first.c).  How the selection becomes the command to run, or
 * the smoke set, is cli/test_plan.c.  After the run, what the selection chose is kept
 * for `ftrace stats` (cli/history.c).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_cmd.h"
#include "ft_config.h"
#include "ft_runner_argv.h"
#include "ft_runners.h"
#include "ft_error.h"
#include "ft_pipeline.h"
#include "ft_select.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "test.h"
#include "test_first.h"
#include "test_rerun.h"

static const char usage_text[] =
"usage: ftrace test [--name NAME] [--granularity=auto|function|file] [--rerun-flaky N]\n"
"                   [--failed-first] [--report FILE.json] [--no-watch] [-q] [--]\n"
"                   [CMD [ARGS...]]\n"
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
"recorded.  With nothing affected, nothing runs, or the smoke set of\n"
"\".ftrace.json\" (\"smoke\": [test ids], docs/hooks.md) when it has one.\n"
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
"  --rerun-flaky N\n"
"                when the run failed only by tests known flaky before it\n"
"                (`ftrace flaky`), rerun each alone up to N times; when each\n"
"                passes on a rerun, the status is 0 (stderr says so).  A test\n"
"                not known flaky that fails is never rerun.  Without the\n"
"                option: .ftrace.json's \"flaky\": {\"rerun\": N}, else 0\n"
"  --failed-first\n"
"                last time's failures first: pytest, node, Automake; ctest -j\n"
"                and jest do it themselves; others cannot (said on stderr)\n"
"  --report FILE.json\n"
"                write a JSON report: selection, outcomes, durations (docs/hooks.md)\n"
"  --no-watch    stat every recorded path even when a watch daemon runs\n"
"                (docs/watch.md); FTRACE_NO_WATCH=1 does the same\n"
"  -q, --quiet   no summary line after recording\n"
"  -h, --help    this text\n"
"\n"
"exit status: the runner's own; 0 when nothing is affected (nothing ran), or\n"
"when every failed test was known flaky and passed on a rerun;\n"
"64 bad usage, no command or a bad $FTRACE_GRANULARITY; 78 invalid\n"
".ftrace.json, or it, the state directory or the database is owned by\n"
"another user or writable by others (nothing ran; $FTRACE_SAFE_DIRS allows\n"
"one); 70 internal error; 127 CMD could not be started.\n";

/* The options.  -1 to go on, else the exit status. */
static int parse(struct test *t, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "granularity", required_argument, NULL, 'G' },
		{ "rerun-flaky", required_argument, NULL, 'R' },
		{ "failed-first", no_argument, NULL, 'F' },
		{ "no-watch", no_argument, NULL, 'W' },
		{ "report", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			t->name = optarg;
			if (!*t->name) {
				ft_cmd_error("test: --name needs a non-empty name");
				return FT_EXIT_USAGE;
			}
			break;
		case 'q': t->quiet = 1; break;
		case 'F': t->failed_first = 1; break;
		case 'W': t->no_watch = 1; break;
		case 'r':
			if (!*(t->report = optarg)) {
				ft_cmd_error("test: --report needs a file name");
				return FT_EXIT_USAGE;
			}
			break;
		case 'R':
			errno = 0;
			t->rerun_opt = strtol(optarg, &end, 10);
			if (!*optarg || *end || errno || t->rerun_opt < 0 || t->rerun_opt > 100) {
				ft_cmd_error("test: --rerun-flaky must be a number of reruns from 0 to 100, not '%s'",
					     optarg);
				return FT_EXIT_USAGE;
			}
			break;
		case 'G':
			/* as `ftrace run --granularity`: the plugin reads it at
			 * import and hides it from the tests */
			if ((t->funcs = ft_cmd_granularity_parse(optarg)) < 0) {
				ft_cmd_error("test: --granularity must be 'file', 'function' or 'auto', not '%s'", optarg);
				return FT_EXIT_USAGE;
			}
			break;
		case 'h': fputs(usage_text, stdout); return FT_EXIT_OK;
		default: fputs(usage_text, stderr); return FT_EXIT_USAGE;
		}
	}
	return -1;
}

/* .ftrace.json, and the state dir's trust: an untrusted state dir is an
 * error, not "cannot tell: run all" (the recording would then go into
 * it).  -1 to go on, else the exit status. */
static int load_config(struct test *t)
{
	char dir[PATH_MAX];
	struct ft_err err;
	int rc;

	if ((rc = ft_config_find_load(&t->cfg, &err)) < 0) {
		ft_cmd_error("test: %s", ft_err_msg(&err));
		return rc == FT_ECONFIG || rc == FT_EUNSAFE ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	}
	if ((rc = ft_statedir_find(dir, sizeof(dir))) >= 0 &&
	    (rc = ft_cmd_trust_state("test", dir)) < 0)
		return rc == FT_EUNSAFE ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	return -1;
}

/* The command (given, else the config's), its runner, and the
 * granularity the run records at.  -1 to go on, else the exit status. */
static int choose_command(struct test *t, int argc, char **argv)
{
	if (optind < argc) {
		t->cmd = argv + optind;
	} else if (t->cfg.command) {
		t->cmd = t->cfg.command;
		t->shell = t->cfg.command_is_shell;
	} else {
		ft_cmd_error("test: no command: give one (ftrace test -- pytest) or set \"command\" in %s",
			     FT_CONFIG_FILE);
		return FT_EXIT_USAGE;
	}
	t->runner = !t->name ? ft_runners_of_cmd(t->cmd, t->shell) : NULL;
	/* the rerun narrows the command as given, not the run's narrowed one */
	t->rerun.times = t->rerun_opt >= 0 ? (unsigned)t->rerun_opt : t->cfg.flaky_rerun;
	t->rerun.cmd = t->cmd;
	t->rerun.runner = t->runner;
	t->rerun.name = t->name;
	/* without the switch, .ftrace.json's "granularity"; without either,
	 * an exported FTRACE_GRANULARITY; without that, auto */
	if (t->funcs == -1 && (t->funcs = ft_cmd_granularity_default(t->cfg.granularity)) < 0)
		return FT_EXIT_USAGE;
	ft_cmd_granularity_set(t->funcs);
	return -1;
}

/* Select: the pipeline with the Python filters and every known test
 * (for narrowing).  0; or 1, said, when it cannot tell (everything
 * runs); or the exit status of an internal error. */
static int select_tests(struct test *t)
{
	char why[sizeof(t->p.db) + sizeof(t->p.err.why) + 64];
	int rc;

	t->po = (struct ft_pipeline_opts){
		.cfg = &t->cfg, .filters = t->filters,
		.nfilters = ft_cmd_filters(t->filters, t->funcs, NULL),
		.note = ft_cmd_note, .note_arg = "test", .lock_wait = ft_cmd_lock_wait,
		.news = FT_PIPELINE_NEWS_NONE, .want_all = 1,
		.narrow = ft_cmd_watch_use(&t->watch, &t->p, "test", t->no_watch),
		.cmd = t->cmd, .cmd_shell = t->shell, .cmd_row = t->runner,
	};
	if ((rc = ft_pipeline_open(&t->p, &t->po)) >= 0 && (rc = ft_pipeline_run(&t->p)) >= 0) {
		t->rerun.db = t->p.db;
		t->rerun.top = t->p.top;
		t->rerun.state_dir = t->p.state_dir;
		if (t->rerun.times && (rc = ft_cmd_rerun_before(&t->rerun, t->p.st)) < 0) {
			ft_cmd_error("test: failed flaky tests will not be rerun: %s", ft_strerror(rc));
			t->rerun.times = 0;
		}
		t->hist.known = t->p.sel->known;
		t->hist.selected = (long long)t->p.sel->n;
		t->hist.reasons = ft_cmd_history_reasons(t->p.sel);
		ft_cmd_test_report_known(t);
		return 0;
	}
	if ((rc = ft_cmd_cannot_tell(&t->p, why, sizeof(why))) < 0) {
		ft_cmd_error("test: selection failed: %s", ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	ft_cmd_error("test: cannot tell which tests are affected: %s; running all tests", why);
	ft_cmd_test_report_plan(t, NULL, 0, why);
	return 1;
}

/* Select, then narrow the command to the selection.  -1 to run t->cmd,
 * else the exit status. */
static int plan(struct test *t)
{
	struct ft_err err;
	int rc = select_tests(t);

	if (rc > 1)
		return rc;
	if (rc == 1) {
		t->decided = 1;
		return -1;  /* cannot tell: everything runs */
	}
	/* what the tests it leaves out took when they last ran, for `ftrace
	 * stats`: best effort, it selects nothing */
	if ((rc = ft_cmd_durations_load(t->p.st, &t->durs)) < 0) {
		if (rc == FT_ECORRUPT)
			ft_store_err(t->p.st, rc, &err);
		else
			ft_err_set(&err, rc, NULL);
		ft_cmd_error("test: the recorded durations cannot be read (%s): no time saved is kept",
			     ft_err_msg(&err));
	}
	t->have_durs = rc >= 0;
	if (t->failed_first)
		ft_cmd_test_failed_first(t);
	if (t->runner && t->runner->narrow) {
		rc = ft_cmd_test_narrow(t);  /* in the runner's own syntax (pytest: deselected) */
		if (t->have_durs && t->hist.selected >= 0)
			ft_cmd_durations_skipped(&t->durs, t->p.all, t->smoke ? t->smoke : t->p.sel,
						 &t->hist);
		if (t->hist.selected >= 0)
			ft_cmd_test_report_plan(t, t->smoke ? t->smoke : t->p.sel, 1, NULL);
		else
			ft_cmd_test_report_plan(t, NULL, 0, "the runner cannot narrow this command: "
						"every test ran");
		return rc;
	}
	return ft_cmd_test_one(t);
}

int ft_cmd_test(int argc, char **argv)
{
	struct test t = { .funcs = -1, .rerun_opt = -1,
			  .hist = { .selected = -1, .escapes = -1, .timed = -1, .timed_ns = -1 } };
	int status, cmd_status = 0, ran = 0;

	if ((status = parse(&t, argc, argv)) >= 0)
		return status;
	if ((status = load_config(&t)) < 0 && (status = choose_command(&t, argc, argv)) < 0 &&
	    (status = plan(&t)) < 0) {
		/* The store is opened again, for writing, by the ingest. */
		ft_pipeline_release(&t.p);
		t.rerun.run_flags = (t.quiet ? FT_RUN_QUIET : 0) | (t.funcs != -1 ? FT_RUN_GRANULARITY : 0);
		char **put = ft_runner_argv_inserted(t.rerun.cmd, t.cmd);

		status = ft_cmd_run_argv_narrowed(t.cmd, t.name, t.rerun.run_flags, put);
		free(put);
		cmd_status = status;
		ran = 1;
		if (t.deselect[0]) { /* the reruns deselect in files of their own */
			unlink(t.deselect);
			unsetenv(FT_ENV_DESELECT);
			t.deselect[0] = 0;
		}
		ft_cmd_first_done(t.first, &t.first_sel);
		status = ft_cmd_rerun_flaky(&t.rerun, status);
	}
	if (t.decided) /* the report is a file of its own: even beside a corrupt database */
		ft_cmd_test_report_write(&t, ran, cmd_status, status);
	if (t.decided && !t.p.corrupt) /* nothing is written into a corrupt database */
		ft_cmd_history_note("test", t.p.db, &t.hist);
	if (t.deselect[0]) {
		unlink(t.deselect);
		unsetenv(FT_ENV_DESELECT);
	}
	ft_cmd_first_done(t.first, &t.first_sel);
	ft_pipeline_release(&t.p);
	ft_selection_free(t.smoke);
	ft_cmd_durations_release(&t.durs);
	verify_release(&t.v);
	free(t.cmdline_run);
	free(t.hist.reasons);
	ft_cmd_rerun_release(&t.rerun);
	free(t.cmdline);
	ft_runner_argv_free(t.narrowed);
	ft_config_release(&t.cfg);
	return status;
}
