/*
 * cmd_verify.c - `ftrace verify [OPTIONS] [--] [CMD [ARGS...]]`: audit the
 * selection against the whole suite.
 *
 * 1. The selection `ftrace affected` would make now (the pipeline, with
 *    the same filters and granularity as `ftrace test`), and every known
 *    test's recorded outcome.  The database is copied aside (VACUUM INTO)
 *    so that each escape's recorded dependencies can be compared with the
 *    new recording's.
 * 2. CMD runs whole, exactly as `ftrace run -- CMD` (ft_cmd_run_argv): its
 *    recording replaces the old one.
 * 3. The new recording is compared with the old (cli/verify_report.c).
 *
 * When the selection cannot be computed, CMD still runs (and records), but
 * no escape can be judged: the status is then never 0 (docs/usage.md).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "durations.h"
#include "ft_cmd.h"
#include "ft_config.h"
#include "ft_error.h"
#include "ft_pipeline.h"
#include "ft_runners.h"
#include "ft_select.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "ft_store_tests.h"
#include "report.h"
#include "verify.h"

static const char usage_text[] =
"usage: ftrace verify [--name NAME] [--granularity=auto|function|file] [--report FILE.json] [-q] [--] [CMD [ARGS...]]\n"
"\n"
"Audit ftrace in this repository: compute the selection that `ftrace affected`\n"
"would make now, run the WHOLE of CMD under recording (as `ftrace run -- CMD`:\n"
"its recording replaces the old one), and compare.  A known test that was not\n"
"selected, and whose outcome differs from its recorded one or that fails now,\n"
"is an escape: ftrace would have left out a test the change affects.  Each\n"
"escape is reported on stderr as a paragraph to paste into a bug report.\n"
"Without CMD, the \"command\" of .ftrace.json at the repository top is run.\n"
"A selected test that fails is a plain failure; a new test is not an escape.\n"
"A test known flaky before the run (`ftrace flaky`) that was not selected and\n"
"flipped between passed and failed is reported as flaky, not as an escape.\n"
"\n"
"options:\n"
"  --name NAME      CMD is one test called NAME (as `ftrace run --name`)\n"
"  --granularity=auto|function|file\n"
"                   select and record as `ftrace test --granularity`\n"
"  --report FILE    also write the report as JSON to FILE (docs/usage.md)\n"
"  -q, --quiet      no recording summary line\n"
"  -h, --help       this text\n"
"\n"
"exit status: 99 when there is at least one escape (even if CMD passed: gate\n"
"CI on it); else CMD's own status when it failed; else 0.  When the selection\n"
"could not be computed (no recording, corrupt database, ...) or the new\n"
"recording could not be read, there is no verdict: CMD's own status when it\n"
"failed, else 2.  64 bad usage or no command; 70 internal error or the\n"
"recording could not be saved; 78 invalid .ftrace.json or an untrusted state\n"
"directory (nothing ran); 127 CMD could not be started.\n";

struct verify_cmd {
	const char *name;
	int quiet, funcs, shell;
	char **cmd;
	struct ft_config cfg;
	struct ft_select_filter filters[FT_CMD_NFILTERS];
	struct ft_pipeline_opts po;
	struct ft_pipeline p;
	struct verify v;
	struct ft_cmd_history hist; /* what the selection did, for `ftrace stats` */
	char *cmdline;
};

/* The options.  -1 to go on, else the exit status. */
static int parse(struct verify_cmd *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "granularity", required_argument, NULL, 'G' },
		{ "report", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (!*(c->name = optarg)) {
				ft_cmd_error("verify: --name needs a non-empty name");
				return FT_EXIT_USAGE;
			}
			break;
		case 'r':
			if (!*(c->v.report = optarg)) {
				ft_cmd_error("verify: --report needs a file name");
				return FT_EXIT_USAGE;
			}
			break;
		case 'q': c->quiet = 1; break;
		case 'G':
			if ((c->funcs = ft_cmd_granularity_parse(optarg)) < 0) {
				ft_cmd_error("verify: --granularity must be 'file', 'function' or 'auto', not '%s'", optarg);
				return FT_EXIT_USAGE;
			}
			break;
		case 'h': fputs(usage_text, stdout); return FT_EXIT_OK;
		default: fputs(usage_text, stderr); return FT_EXIT_USAGE;
		}
	}
	return -1;
}

/* .ftrace.json, the state dir's trust, the command and the granularity
 * (as `ftrace test`).  -1 to go on, else the exit status. */
static int prepare(struct verify_cmd *c, int argc, char **argv)
{
	char dir[PATH_MAX];
	struct ft_err err;
	int rc;

	if ((rc = ft_config_find_load(&c->cfg, &err)) < 0) {
		ft_cmd_error("verify: %s", ft_err_msg(&err));
		return rc == FT_ECONFIG || rc == FT_EUNSAFE ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	}
	if ((rc = ft_statedir_find(dir, sizeof(dir))) >= 0 &&
	    (rc = ft_cmd_trust_state("verify", dir)) < 0)
		return rc == FT_EUNSAFE ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	if (optind < argc) {
		c->cmd = argv + optind;
	} else if (c->cfg.command) {
		c->cmd = c->cfg.command;
		c->shell = c->cfg.command_is_shell;
	} else {
		ft_cmd_error("verify: no command: give one (ftrace verify -- pytest) or set \"command\" in %s",
			     FT_CONFIG_FILE);
		return FT_EXIT_USAGE;
	}
	if (c->funcs == -1 && (c->funcs = ft_cmd_granularity_default(c->cfg.granularity)) < 0)
		return FT_EXIT_USAGE;
	ft_cmd_granularity_set(c->funcs);
	return -1;
}

/* The copy, and what SQLite may have left beside it when it was read. */
static void unlink_snapshot(const char *path)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char p[sizeof(((struct verify *)0)->snapshot) + 16];

	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
		unlink(p);
	}
}

/* What the verdict needs from the old recording: the known tests and
 * their outcomes, the newest run, and a copy of the database (for the
 * escapes' dependencies; without it they are said to be unknown).
 * 0, or a negative code. */
static int remember(struct verify_cmd *c)
{
	struct verify *v = &c->v;
	struct ft_err err;
	int rc;

	if ((rc = verify_known_load(v, c->p.st, c->p.sel)) < 0)
		return rc;
	snprintf(v->snapshot, sizeof(v->snapshot), "%s/verify-%ld.db", c->p.state_dir, (long)getpid());
	unlink_snapshot(v->snapshot); /* a dead verify's, with our pid */
	if ((rc = ft_store_snapshot(c->p.st, v->snapshot)) < 0) {
		ft_store_err(c->p.st, rc, &err);
		ft_cmd_error("verify: cannot copy %s aside (%s): escapes will not show their "
			     "dependencies", c->p.db, ft_err_msg(&err));
		unlink_snapshot(v->snapshot);
		v->snapshot[0] = '\0';
	}
	return 0;
}

/* What the tests the selection leaves out took when they last ran, for
 * `ftrace stats`: best effort, said when they cannot be read. */
static void skipped_durations(struct verify_cmd *c)
{
	struct ft_cmd_durations d;
	struct ft_err err;
	int rc = ft_cmd_durations_load(c->p.st, &d);

	if (rc < 0) {
		if (rc == FT_ECORRUPT)
			ft_store_err(c->p.st, rc, &err);
		else
			ft_err_set(&err, rc, NULL);
		ft_cmd_error("verify: the recorded durations cannot be read (%s): no time saved is kept",
			     ft_err_msg(&err));
		return;
	}
	c->hist.timed = c->hist.timed_ns = 0;
	for (size_t i = 0; i < c->v.nknown; i++) {
		const struct ft_cmd_duration *t;

		if (c->v.known[i].selected || !(t = ft_cmd_durations_find(&d, c->v.known[i].id)))
			continue;
		c->hist.timed++;
		c->hist.timed_ns += t->ns;
	}
	ft_cmd_durations_release(&d);
}

/* Step 1.  -1 to run (with or without a verdict), else the exit status. */
static int select_tests(struct verify_cmd *c)
{
	char why[sizeof(c->p.db) + sizeof(c->p.err.why) + 64];
	int rc;

	/* the selection `ftrace test` would make for this command: with the
	 * tests its options were not recorded with (selector/pipeline_options.c) */
	c->po = (struct ft_pipeline_opts){
		.cfg = &c->cfg, .filters = c->filters,
		.nfilters = ft_cmd_filters(c->filters, c->funcs, NULL),
		.note = ft_cmd_note, .note_arg = "verify", .lock_wait = ft_cmd_lock_wait,
		.news = FT_PIPELINE_NEWS_NONE,
		.cmd = c->cmd, .cmd_shell = c->shell,
		.cmd_row = c->name ? NULL : ft_runners_of_cmd(c->cmd, c->shell),
	};
	if ((rc = ft_pipeline_open(&c->p, &c->po)) >= 0 && (rc = ft_pipeline_run(&c->p)) >= 0) {
		snprintf(c->v.db, sizeof(c->v.db), "%s", c->p.db);
		if ((rc = remember(c)) < 0) {
			snprintf(c->v.why, sizeof(c->v.why), "%s: cannot read the recorded tests: %s",
				 c->p.db, ft_strerror(rc));
			ft_cmd_error("verify: %s; running all tests, without a verdict", c->v.why);
			return -1;
		}
		c->v.verdict = 1;
		skipped_durations(c);
		if (c->v.report)
			c->v.selection = report_selection(c->p.sel, c->p.sel->known, 1, NULL);
		c->hist.known = c->p.sel->known;
		c->hist.selected = (long long)c->p.sel->n;
		c->hist.reasons = ft_cmd_history_reasons(c->p.sel);
		return -1;
	}
	if ((rc = ft_cmd_cannot_tell(&c->p, why, sizeof(why))) < 0) {
		ft_cmd_error("verify: selection failed: %s", ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	snprintf(c->v.why, sizeof(c->v.why), "cannot tell which tests are affected: %s", why);
	if (c->v.report)
		c->v.selection = report_selection(NULL, 0, 0, c->v.why);
	ft_cmd_error("verify: %s; running all tests, but no escape can be judged", why);
	return -1;
}

int ft_cmd_verify(int argc, char **argv)
{
	struct verify_cmd *c = calloc(1, sizeof(*c));
	int status;

	if (!c) {
		ft_cmd_error("verify: %s", ft_strerror(-ENOMEM));
		return FT_EXIT_SOFTWARE;
	}
	c->funcs = -1;
	c->hist.selected = c->hist.escapes = c->hist.timed = c->hist.timed_ns = -1;
	if ((status = parse(c, argc, argv)) < 0 && (status = prepare(c, argc, argv)) < 0 &&
	    (status = select_tests(c)) < 0) {
		c->v.command = c->cmdline = ft_cmd_join_argv(c->cmd);
		/* the run's ingest opens the store again, for writing */
		ft_pipeline_release(&c->p);
		c->v.cmd_status = ft_cmd_run_argv(c->cmd, c->name, (c->quiet ? FT_RUN_QUIET : 0) |
						  (c->funcs != -1 ? FT_RUN_GRANULARITY : 0));
		status = verify_compare(&c->v);
		/* its escapes only where it could judge them */
		c->hist.escapes = c->v.verdict ? (long long)c->v.escapes : -1;
		if (!c->p.corrupt) /* nothing is written into a corrupt database */
			ft_cmd_history_note("verify", c->p.db, &c->hist);
	}
	if (c->v.snapshot[0])
		unlink_snapshot(c->v.snapshot);
	ft_pipeline_release(&c->p);
	verify_release(&c->v);
	free(c->hist.reasons);
	free(c->cmdline);
	ft_config_release(&c->cfg);
	free(c);
	return status;
}
