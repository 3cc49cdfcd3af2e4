/*
 * test.h - one `ftrace test`, shared by cli/cmd_test.c (options, config,
 * selection, the run) and cli/test_plan.c (from the selection to the
 * command that runs).  Internal to the command layer.
 */
#ifndef FT_CLI_TEST_H
#define FT_CLI_TEST_H

#include <limits.h>

#include "durations.h"
#include "ft_cmd.h"
#include "ft_config.h"
#include "ft_pipeline.h"
#include "ft_select.h"
#include "test_rerun.h"
#include "watch_use.h"
#include "verify.h"

/* pytest's deselect file reaches the plugin through this variable. */
#define FT_ENV_DESELECT "FTRACE_DESELECT_FILE"

/* One `ftrace test`: its options, then what the steps found. */
struct test {
	const char *name;          /* --name */
	int quiet, funcs;
	char **cmd;                /* what runs: given, the config's, or narrowed */
	int shell;                 /* cmd is the config's shell command */
	const struct ft_runner_ops *runner; /* cmd's runner (none with --name) */
	struct ft_config cfg;
	struct ft_select_filter filters[FT_CMD_NFILTERS];
	struct ft_pipeline_opts po;
	struct ft_pipeline p;
	char **narrowed;           /* the runner's narrowed command (freed) */
	char *cmdline;             /* the command as one test's name (freed) */
	char deselect[PATH_MAX + 64]; /* pytest's deselect file (removed after) */
	struct ft_selection *smoke; /* the smoke set, when it runs (freed) */
	struct ft_cmd_history hist; /* what the selection did, for `ftrace stats` */
	struct ft_cmd_durations durs; /* the known tests' recorded durations */
	int have_durs;             /* durs loaded (else no time saved is kept) */
	int decided;               /* the plan chose what runs: hist is kept */
	int failed_first;          /* --failed-first */
	char first[PATH_MAX + 64]; /* its file for pytest (removed after) */
	struct ft_selection *first_sel; /* its tests, for node and Automake (freed) */
	long rerun_opt;            /* --rerun-flaky N; -1: .ftrace.json's */
	struct ft_cmd_rerun rerun; /* failed known flaky tests run again */
	int no_watch;              /* --no-watch */
	struct ft_cmd_watch_use watch; /* the watch daemon's part (watch_use.h) */
	const char *report;        /* --report FILE, or NULL */
	struct verify v;           /* what the report needs (cli/test_report.c) */
	char *cmdline_run;         /* the command as run, one line (freed) */
};

/* The command's runner narrows it to the selection (its row's narrow,
 * runners/ft_runners.h): t->cmd becomes the command to run, t->narrowed
 * what to free, t->deselect a file to remove after the run.  With nothing
 * affected, the config's smoke set (if any) is narrowed to instead.
 * Returns -1 to run, or the exit status (nothing affected, an error). */
int ft_cmd_test_narrow(struct test *t);
/* A command no runner narrows is one test: -1 to run it (affected, or not
 * known yet), else the exit status (0: known and not affected). */
int ft_cmd_test_one(struct test *t);
/* --failed-first: the tests that failed last time first, where the runner
 * lets ftrace order them; any trouble is said and the order stands. */
void ft_cmd_test_failed_first(struct test *t);

/* --report (cli/test_report.c): the known tests before the run (after
 * the selection); what ran and why (after the plan: `ran` is the selection
 * that runs, complete 0 with `why` when everything runs); the report
 * (after the run: `ran` nonzero when the command ran, its status and
 * test's).  Each does nothing without --report, and says its trouble. */
void ft_cmd_test_report_known(struct test *t);
void ft_cmd_test_report_plan(struct test *t, const struct ft_selection *ran, int complete,
			     const char *why);
void ft_cmd_test_report_write(struct test *t, int ran, int cmd_status, int status);

#endif
