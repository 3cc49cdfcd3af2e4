/*
 * run_save.c - saving a run's records into the database, shared by `ftrace
 * run` and `ftrace ingest` (ft_cmd_save_run), and the state-dir checks
 * both make first: is it a directory, may we trust it, how long to wait
 * for its lock.  The messages say what was lost and how to get it back.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_record.h"
#include "ft_ingest.h"
#include "ft_pyconf.h"
#include "ft_pyfunc.h"
#include "ft_rundir.h"
#include "ft_runinfo.h"
#include "ft_runner.h"
#include "ft_runners.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "ft_store_repo.h"
#include "ft_trust.h"

static void lock_note(const char *db_path)
{
	ft_cmd_error("waiting for %s: another process holds its lock (another recording being "
		     "saved?); the records are safe meanwhile (FTRACE_LOCK_TIMEOUT=<seconds> bounds "
		     "the wait)", db_path);
}

void ft_cmd_lock_wait(int writer)
{
	const char *v = getenv("FTRACE_LOCK_TIMEOUT");
	int ms = writer ? -1 : FT_STORE_BUSY_MS;

	if (v && *v) {
		char *end;
		double sec = strtod(v, &end);
		if (end == v || *end || sec != sec || sec < 0)
			ft_cmd_error("FTRACE_LOCK_TIMEOUT='%s' is not a number of seconds; ignored", v);
		else
			ms = sec * 1000 > 2e9 ? -1 : (int)(sec * 1000 + 0.5);
	}
	ft_store_lock_wait(ms, lock_note);
}

/* A database made by an older ftrace (or under a loose umask) may be
 * readable by others: take their bits off it and its -wal and -shm files.
 * Through an O_PATH descriptor, never following a link and never opening
 * the file itself: closing any ordinary descriptor of a database drops the
 * POSIX locks its SQLite connections in this process hold (the WAL index's
 * among them), which another process then takes for no reader at all.
 * Best effort: a file we cannot change keeps its mode, and the recording
 * is saved anyway. */
static void make_private(const char *db_path)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char p[PATH_MAX + 48], via[64];
	struct stat sb;
	int fd;

	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		if ((size_t)snprintf(p, sizeof(p), "%s%s", db_path, suffix[i]) >= sizeof(p))
			continue;
		fd = open(p, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		snprintf(via, sizeof(via), "/proc/self/fd/%d", fd);
		if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 077))
			(void)chmod(via, sb.st_mode & 0700);
		close(fd);
	}
}

/* The reason for a Python table that was not saved, said after the
 * code's message: the store's detail for FT_EDB (a lock, SQLite's
 * message), none for the rest. */
static void lost_detail(const struct ft_store *st, int rc, struct ft_err *e)
{
	if (rc == FT_EDB)
		ft_store_err(st, rc, e);
	else
		ft_err_set(e, rc, NULL);
}

int ft_cmd_save_open(const char *state_dir, unsigned flags, struct ft_store **st)
{
	char db_path[PATH_MAX + 32];
	mode_t old_mask;
	int rc;

	snprintf(db_path, sizeof(db_path), "%s/%s", state_dir, FT_STORE_FILE);
	/* The database holds every path the tests touched: owner-only (SQLite
	 * gives its -wal and -shm files the database's mode).  Not around the
	 * user's command, which must see its own umask. */
	make_private(db_path);
	old_mask = umask(077);
	rc = ft_store_open(st, db_path, flags);
	umask(old_mask);
	return rc;
}

/*
 * The command as the user gave it: `command` (argv joined by spaces)
 * without the words `ftrace test`'s narrowing put in, where they stand
 * together in it (cargo's `-p PKG --test T` after `test`; malloc'd), else
 * a copy of `command`.  A test named after a command that marked no test
 * (a failed build) is named so: a run that narrowed differently, or did
 * not narrow, replaces it (ft_ingest.h, fallback_name).
 */
static char *base_command(const char *command, char *const *narrowed)
{
	char *words = narrowed && narrowed[0] ? ft_cmd_join_argv((char **)narrowed) : NULL;
	size_t wl = words ? strlen(words) : 0;
	char *out = NULL;

	for (const char *p = words ? command : NULL; p && (p = strstr(p, words)); p++)
		if (p > command && p[-1] == ' ' && (p[wl] == ' ' || !p[wl])) {
			size_t head = (size_t)(p - 1 - command);
			if (asprintf(&out, "%.*s%s", (int)head, command, p + wl) < 0)
				out = NULL;
			break;
		}
	free(words);
	return out ? out : strdup(command);
}

int ft_cmd_save_run(const struct ft_cmd_save *sv, const struct ft_runinfo *ri)
{
	char db_path[PATH_MAX + 32];
	struct ft_err err;
	struct ft_ingest in = { 0 };
	struct ft_ingest_stats stats;
	struct ft_store *st = NULL;
	char *base = NULL;
	int rc;

	snprintf(db_path, sizeof(db_path), "%s/%s", sv->state_dir, FT_STORE_FILE);
	in.run_dir = sv->run_dir;
	in.state_dir = sv->state_dir;
	in.own_dir = sv->adapters && sv->adapters[0] ? sv->adapters : NULL;
	in.repo_top = ri->top;
	in.config = sv->cfg;
	in.name = ri->name;
	in.wstatus = ri->wstatus;
	in.no_prelude_split = ri->no_prelude_split;
	in.fallback_name = ri->command && (base = base_command(ri->command, sv->narrowed)) ?
		base : ri->command;
	/* run and ingest both save what `ftrace run` launched: a missing
	 * launcher region, or its child's, makes the run damaged */
	in.launched = 1;
	in.runners = &ft_runners_ingest;
	in.narrowed = sv->narrowed;
	in.t0_ns = ri->t0_ns;
	in.run.command = ri->command;
	in.run.cwd = ri->cwd;
	in.run.started_ns = ri->t0_ns;
	in.run.finished_ns = ri->finished_ns;
	in.run.exit_status = ri->exit_status;

	ft_cmd_lock_wait(1);
	/* the connection `ftrace run` opened before its command, if the file
	 * is still the one it opened: a second connection, and its reading
	 * of the whole schema, were half a millisecond of every run */
	if (sv->held && *sv->held) {
		st = *sv->held;
		*sv->held = NULL;
		if (!ft_store_still(st)) {
			ft_store_close(st);
			st = NULL;
		}
	}
	rc = st ? 0 : ft_cmd_save_open(sv->state_dir, FT_STORE_CREATE, &st);
	/* the database must (still) be this tree's; a database without an
	 * identity that passes takes this tree's (ft_store_repo.h) */
	if (rc >= 0 && sv->ident_top &&
	    (rc = ft_store_repo_check(st, sv->ident_top, 1, &err)) == FT_EREPO) {
		ft_cmd_error("%s: the recording was not saved to %s: %s; the records are kept in %s",
			     sv->cmd, db_path, ft_err_msg(&err), sv->run_dir);
		ft_store_close(st);
		free(base);
		return rc;
	}
	if (rc >= 0)
		rc = ft_ingest_run(st, &in, &stats);
	free(base); /* (in.fallback_name) */
	if (rc < 0) {
		/* the store's detail names the real cause (a lock, a full disk);
		 * st is NULL when the open failed: then the open's */
		int has;

		ft_store_err(st, rc, &err);
		has = strcmp(err.why, "no detail") != 0;

		ft_cmd_error("%s: the recording was not saved to %s: %s%s%s; the records are kept in %s: "
			     "`ftrace ingest %s` saves them once that is fixed",
			     sv->cmd, db_path, ft_strerror(rc), has ? ": " : "", has ? err.why : "",
			     sv->run_dir, sv->run_dir);
		if (st)
			ft_store_close(st);
		return rc;
	}
	/* Function granularity (docs/python-functions.md), and at either
	 * granularity what each pytest session loaded (the import-time rule).
	 * Failing here loses precision, never soundness: the tests of this
	 * run then have no function rows that match their run id, and the
	 * run's record of what it loaded is one that widens for any changed
	 * .py file (ft_pyfunc_record). */
	rc = ft_pyfunc_record(st, sv->run_dir, ri->t0_ns, ri->command);
	/* pytest's view of pyproject.toml (docs/pytest.md); failing here only
	 * leaves a view unrecorded, and then any edit of the file selects */
	{
		int rv = ft_pyconf_record(st, sv->run_dir);
		if (rv < 0) {
			lost_detail(st, rv, &err);
			ft_cmd_error("%s: pytest's view of pyproject.toml was not saved (%s%s%s); "
				     "any edit of it selects every test", sv->cmd, ft_strerror(rv),
				     err.why[0] ? ": " : "", err.why);
		}
	}
	if (rc < 0) {
		lost_detail(st, rc, &err);
		ft_cmd_error("%s: the record of what the pytest sessions ran and loaded was not saved "
			     "(%s%s%s); these tests are selected by file, and any edit of a .py file "
			     "selects every test of their rootdir", sv->cmd,
			     ft_strerror(rc), err.why[0] ? ": " : "", err.why);
	}
	ft_store_close(st);
	/* Said even under -q: this run's tests are stored untraced because of
	 * it.  One message for a full disk, which explains a lost launcher
	 * region too. */
	if (stats.unrecorded)
		ft_cmd_error("%s: %zu process%s could not write %s records to %s (%s); they stopped "
			     "recording and ran on unchanged; this run's tests are stored untraced "
			     "(always selected)%s", sv->cmd, stats.unrecorded, stats.unrecorded == 1 ? "" : "es",
			     stats.unrecorded == 1 ? "its" : "their", sv->run_dir,
			     strerror(stats.unrecorded_err),
			     stats.unrecorded_err == ENOSPC ? ": free some space there" : "");
	else if (stats.lost)
		ft_cmd_error("%s: records of this run are missing from %s%s%s%s (were its files removed "
			     "during the run?); this run's tests are stored untraced (always selected)",
			     sv->cmd, sv->run_dir, stats.lost_name[0] ? ": " : "", stats.lost_name,
			     !stats.lost_name[0] ? "" : strcmp(stats.lost_name, FT_LEDGER_NAME)
			     ? " is listed in its ledger and gone" : " is gone or unreadable");
	if (stats.refused)
		ft_cmd_error("%s: %s/%s%s is not a regular file (a FIFO, link or device) and was not read; "
			     "this run's tests are stored untraced (always selected)", sv->cmd,
			     sv->run_dir, stats.refused_name, stats.refused > 1 ? " (and others)" : "");
	/* a runner's side file refused (nextest's JUnit report): only
	 * durations are lost, so a warning, not under -q */
	if (!sv->quiet && stats.note[0])
		ft_cmd_error("warning: %s", stats.note);
	/* pytest-benchmark's commit info, versioneer: a fact, and a way out
	 * that is the user's to take (docs/hooks.md, "ignore_programs") */
	if (!sv->quiet && stats.git_prelude)
		ft_cmd_error("note: git ran outside any test and read the repository's HEAD, so "
			     "every commit selects every test (and so does every edit of a file git "
			     "looked at); if no test can see what git printed (pytest-benchmark's "
			     "commit info), add "
			     "\"ignore_programs\": [\"git\"] to .ftrace.json");
	/* c8's coverage/tmp, allure's results, a log directory made when
	 * missing: a fact, and a way out that is the user's to take
	 * (docs/hooks.md, "ignore") */
	if (!sv->quiet && stats.prelude_unknown) {
		char more[64] = "";
		if (stats.prelude_unknown > 1)
			snprintf(more, sizeof(more), " (and %zu other path%s)", stats.prelude_unknown - 1,
				 stats.prelude_unknown == 2 ? "" : "s");
		ft_cmd_error("note: %s%s changed during the run, or was made after a lookup found it "
			     "absent, outside any test: it is unknown, so the next `ftrace affected` "
			     "selects every test; if no test reads such a path (a report or coverage "
			     "directory a tool empties and makes again), add it to .ftrace.json's "
			     "\"ignore\"", stats.prelude_unknown_name, more);
	}
	/* jest ran and its adapter marked no test file: a jest whose runner
	 * the adapter does not know, NODE_OPTIONS replaced, or workerThreads */
	if (stats.fallback && (stats.runner_kinds & (1u << FT_RUNNER_JEST)))
		ft_cmd_error("note: jest ran, but no test file was marked (the adapter found no "
			     "jest-runner of jest 29 or 30 to hook, or NODE_OPTIONS lost its "
			     "--require, or jest ran files in worker threads: docs/jest.md, "
			     "Limits); the whole command is one test, named '%.200s', and "
			     "`affected` lists every test file as new", ri->command);
	/* Said even under -q: every test of the run is selected next time. */
	if (stats.failed_alone)
		ft_cmd_error("%s: the command failed (%s %d) but none of its tests did: the failure "
			     "is the run's, so its %zu test%s count%s as failed, selected until a run "
			     "passes (docs/runners.md, \"Outcomes\")", sv->cmd,
			     WIFSIGNALED(ri->wstatus) ? "signal" : "exit status",
			     WIFSIGNALED(ri->wstatus) ? WTERMSIG(ri->wstatus) : WEXITSTATUS(ri->wstatus),
			     stats.failed_alone, stats.failed_alone == 1 ? "" : "s",
			     stats.failed_alone == 1 ? "s" : "");
	/* Said even under -q: a recording in part answers for no whole run. */
	if (stats.partial)
		ft_cmd_error("%s: %zu test%s ran only in part (a name filter or -short: go test "
			     "-run, cargo test NAME, node --test-name-pattern, jest -t); %s always "
			     "selected until a run of the whole", sv->cmd, stats.partial,
			     stats.partial == 1 ? "" : "s", stats.partial == 1 ? "it is" : "they are");
	if (stats.untold)
		ft_cmd_error("%s: %zu test%s could not be told from another test with the same "
			     "command and working directory (ctest: give them another WORKING_DIRECTORY, "
			     "argument or command name); %s always selected (docs/runners.md)", sv->cmd, stats.untold,
			     stats.untold == 1 ? "" : "s", stats.untold == 1 ? "it is" : "they are");
	if (!sv->quiet)
		fprintf(stderr, "ftrace: recorded %zu test%s (%zu dependencies%s%s) in %s\n",
			stats.tests, stats.tests == 1 ? "" : "s", stats.deps,
			stats.untraced ? "; some parts could not be traced, those tests are always selected" : "",
			stats.damaged ? "; damaged records" : "", db_path);
	/* Said even under -q: it changes what is selected from now on. */
	if (stats.flaky_learned)
		ft_cmd_error("%s: learned %zu flaky test%s (outcome changed, nothing it read did): "
			     "%s%s; `ftrace flaky` lists them", sv->cmd, stats.flaky_learned,
			     stats.flaky_learned == 1 ? "" : "s", stats.flaky_name,
			     stats.flaky_learned > 1 ? " and others" : "");
	if (!sv->quiet && stats.flaky_decayed)
		fprintf(stderr, "ftrace: %zu flaky test%s ran clean long enough: no longer flaky\n",
			stats.flaky_decayed, stats.flaky_decayed == 1 ? "" : "s");
	if (!sv->quiet && stats.forgotten)
		fprintf(stderr, "ftrace: forgot %zu recorded test%s that no longer exist%s (gone from "
			"%s test file%s, a removed go package or cargo target)\n",
			stats.forgotten, stats.forgotten == 1 ? "" : "s",
			stats.forgotten == 1 ? "s" : "", stats.forgotten == 1 ? "its" : "their",
			stats.forgotten == 1 ? "" : "s");
	if (!sv->quiet && stats.superseded)
		fprintf(stderr, "ftrace: forgot the test named after the command, recorded when "
			"it marked no test (a failed build, an untraced run): its tests answer "
			"for it now\n");
	if (sv->keep)
		(void)ft_runinfo_mark_saved(sv->run_dir);
	else if (!sv->caller_removes)
		ft_rundir_remove_path(sv->run_dir);
	return 0;
}

int ft_cmd_trust_state(const char *cmd, const char *dir)
{
	char db[4096 + 32];
	struct ft_err err;
	int rc;

	snprintf(db, sizeof(db), "%s/%s", dir, FT_STORE_FILE);
	if ((rc = ft_trust_check(dir, "state directory", &err)) == 0)
		rc = ft_store_check_trust(db, &err);
	if (rc == FT_EUNSAFE)
		ft_cmd_error("%s: %s", cmd, ft_err_msg(&err));
	else if (rc < 0)
		ft_cmd_error("%s: cannot check who owns %s: %s", cmd, dir, ft_strerror(rc));
	return rc;
}
