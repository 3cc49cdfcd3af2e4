/*
 * run_launch.c - the steps of one `ftrace run` after its options: prepare
 * (config, state dir, trust, repository check), open the run dir, launch
 * the command under the interposer, save its records
 * (ft_cmd_run_argv, shared with `ftrace test`).  cli/cmd_run.c parses the
 * options; the exit statuses are those its usage text documents.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ft_cmd.h"
#include "ft_config.h"
#include "ft_envdep.h"
#include "ft_error.h"
#include "ft_ingest.h"
#include "ft_launch.h"
#include "ft_locate.h"
#include "ft_rundir.h"
#include "ft_runinfo.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "ft_store_repo.h"
#include "ft_trust.h"


static int64_t fine_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int exit_of(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return FT_EXIT_SOFTWARE;
}


/* One `ftrace run`: what its steps share. */
struct run {
	char **argv;
	char *const *narrowed; /* the words ftrace test's narrowing put in, or NULL */
	const char *name;
	unsigned flags;
	struct ft_config cfg;
	char state_dir[PATH_MAX], run_dir[PATH_MAX + 80], ident_top[PATH_MAX];
	char preload[PATH_MAX], adapters[PATH_MAX], cwd[PATH_MAX];
	struct ft_err err;
	struct ft_rundir rd;
	int lockfd;
	struct ft_store *held; /* the database, open for the save (run_prepare) */
};

/* Step 1, before anything runs: .ftrace.json (its "ignore" patterns apply
 * at ingest; a bad file stops us, like every command that reads it), the
 * granularity, the state dir (ours, a directory, this tree's database),
 * created.  0, or the exit status to return. */
static int run_prepare(struct run *r)
{
	char db_path[PATH_MAX + 32];
	struct ft_store *st = NULL;
	int rc;

	rc = ft_config_find_load(&r->cfg, &r->err);
	if (rc < 0) {
		ft_cmd_error("run: %s", ft_err_msg(&r->err));
		return rc == FT_ECONFIG || rc == FT_EUNSAFE ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	}
	/* the project's granularity, unless --granularity chose */
	if (!(r->flags & FT_RUN_GRANULARITY)) {
		int gran = ft_cmd_granularity_default(r->cfg.granularity);

		if (gran < 0)
			return FT_EXIT_USAGE;
		ft_cmd_granularity_set(gran);
	}
	if ((rc = ft_statedir_find(r->state_dir, sizeof(r->state_dir))) < 0) {
		ft_cmd_error("run: cannot find the state directory: %s", ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	if (ft_statedir_notdir(r->state_dir, &r->err)) {
		ft_cmd_error("run: %s", ft_err_msg(&r->err));
		return FT_EXIT_SOFTWARE;
	}
	/* records and the database would go into, and be read back from, a
	 * directory another user can write */
	if ((rc = ft_cmd_trust_state("run", r->state_dir)) < 0)
		return rc == FT_EUNSAFE ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	/* a database of another tree is refused (ft_store_repo.h), not mixed
	 * with this one's */
	snprintf(db_path, sizeof(db_path), "%s/%s", r->state_dir, FT_STORE_FILE);
	if ((rc = ft_statedir_top(r->state_dir, r->ident_top, sizeof(r->ident_top))) < 0) {
		ft_cmd_error("run: cannot resolve the repository top: %s", ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	/* Opened for writing where it can be (not created, and a migration
	 * only tried, never waited for: nothing waits before the command
	 * runs), and kept for the save: one connection, one reading of the
	 * schema, per run (ft_store_writable says whether the open left it
	 * fit for a save, ft_store_still at the save whether it still is) */
	if (ft_cmd_save_open(r->state_dir, 0, &st) == 0) {
		rc = ft_store_repo_check(st, r->ident_top, 0, &r->err);
		if (rc == FT_EREPO) {
			ft_store_close(st);
			ft_cmd_error("run: %s: %s", db_path, ft_err_msg(&r->err));
			return FT_EXIT_UNKNOWN;
		}
		if (ft_store_writable(st))
			r->held = st;
		else
			ft_store_close(st);
	}
	if ((rc = ft_statedir_make(r->state_dir)) < 0) {
		ft_cmd_error("run: cannot create the state directory %s: %s", r->state_dir, ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	return 0;
}

/* Step 2: the run dir, locked (in use until saved: `ftrace ingest` leaves
 * it alone), and the preload library.  0, the exit status to return, or
 * -1 when there is nowhere to record: the command then still runs as it
 * would without ftrace. */
static int run_open(struct run *r)
{
	int rc = ft_rundir_create(&r->rd, r->state_dir);

	snprintf(r->run_dir, sizeof(r->run_dir), "%s/runs/%s", r->state_dir, r->rd.name);
	if (rc >= 0 && (r->lockfd = rc = ft_runinfo_lock(r->run_dir)) < 0)
		ft_rundir_remove(&r->rd, r->run_dir);
	if (rc == -EROFS || rc == -EACCES || rc == -ENOSPC || rc == -EDQUOT) {
		ft_cmd_error("run: cannot record: cannot create the run directory %s: %s%s; running the "
			     "command without recording: nothing is saved, earlier recordings are unchanged",
			     r->run_dir, ft_strerror(rc),
			     rc == -EROFS ? " (the state directory is on a read-only file system)" :
			     rc == -EACCES ? " (the state directory is read-only for you)" :
			     " (free some space there)");
		return -1;
	}
	if (rc < 0) {
		ft_cmd_error("run: cannot create the run directory %s: %s%s", r->run_dir, ft_strerror(rc),
			     rc == -ENOTDIR || rc == -EPERM
			     ? " (its parent must be a directory of yours, not a link: check <state dir>/runs)" : "");
		return FT_EXIT_SOFTWARE;
	}
	if ((rc = ft_locate_preload(r->preload, sizeof(r->preload))) < 0) {
		ft_cmd_error("run: %s (set FTRACE_PRELOAD_LIB to its path)", ft_strerror(rc));
		ft_rundir_remove(&r->rd, r->run_dir);
		close(r->lockfd);
		r->lockfd = -1;
		return FT_EXIT_SOFTWARE;
	}
	if (ft_locate_adapters(r->adapters, sizeof(r->adapters)) < 0)
		r->adapters[0] = '\0';
	if (!getcwd(r->cwd, sizeof(r->cwd)))
		snprintf(r->cwd, sizeof(r->cwd), ".");
	return 0;
}

/* Step 4, when records were read through a path that leads elsewhere
 * than the dir we made: they are not this run's, so nothing is saved and
 * nothing deleted.  A named test still exists, with records we cannot
 * trust: saved from a fresh, empty run dir, the launched run lacks its
 * launcher's region, so it is damaged and its test untraced (t9912: a
 * test first recorded by that run was otherwise never selected). */
static void run_replaced(struct run *r, const struct ft_runinfo *ri, struct ft_cmd_save *sv)
{
	ft_cmd_error("run: the run directory %s was moved or replaced during the run: its "
		     "records were not read and nothing in it was deleted; earlier "
		     "recordings are unchanged%s", r->run_dir,
		     ri->name ? "; the named test is stored untraced (always selected)" : "");
	ft_rundir_release(&r->rd);
	if (!ri->name || ft_rundir_create(&r->rd, r->state_dir) != 0)
		return;
	snprintf(r->run_dir, sizeof(r->run_dir), "%s/runs/%s", r->state_dir, r->rd.name);
	sv->quiet = 1;
	if (ft_cmd_save_run(sv, ri) == 0)
		ft_rundir_remove(&r->rd, r->run_dir);
	else
		ft_rundir_release(&r->rd);
}

/* Step 4: save what the launched command recorded.  0 or the negative
 * code of ft_cmd_save_run (-EXDEV: the run dir was replaced). */
static int run_save(struct run *r, const struct ft_runinfo *ri)
{
	struct ft_cmd_save sv = {
		.cmd = "run", .state_dir = r->state_dir, .run_dir = r->run_dir,
		.adapters = r->adapters, .cfg = &r->cfg, .quiet = (r->flags & FT_RUN_QUIET) != 0,
		.keep = (r->flags & FT_RUN_KEEP) != 0, .caller_removes = 1,
		.ident_top = r->ident_top, .held = &r->held, .narrowed = r->narrowed,
	};
	int rc;

	if (!ft_rundir_intact(&r->rd, r->run_dir)) {
		run_replaced(r, ri, &sv);
		return -EXDEV;
	}
	/* what `ftrace ingest` needs if saving fails now */
	if ((rc = ft_runinfo_write(r->run_dir, ri)) < 0)
		ft_cmd_error("run: cannot write %s/%s (%s): if saving the records fails, "
			     "`ftrace ingest` cannot save them later", r->run_dir, FT_RUNINFO_FILE,
			     ft_strerror(rc));
	rc = ft_cmd_save_run(&sv, ri);
	if (rc >= 0 && !(r->flags & FT_RUN_KEEP))
		ft_rundir_remove(&r->rd, r->run_dir);
	else
		ft_rundir_release(&r->rd);
	return rc;
}

/* Step 3: launch under the interposer, then save.  The exit status. */
static int run_launch_and_save(struct run *r)
{
	struct ft_launch l = { 0 };
	const char *g = getenv("FTRACE_GRANULARITY");
	int64_t t0_ns;
	int rc, wstatus = 0, status;
	char *cmdline;

	l.argv = r->argv;
	l.preload = r->preload;
	l.adapters = r->adapters[0] ? r->adapters : NULL;
	l.run_dir = r->run_dir;
	l.state_dir = r->state_dir;
	l.test_id = r->name;
	l.top = r->ident_top[0] ? r->ident_top : NULL; /* one top for identity and records */

	if (!ft_launch_rawtrap_ok())
		ft_cmd_error("warning: this kernel cannot trap the system calls a program makes "
			     "without libc (syscall user dispatch: Linux 5.11+, x86-64): those of a "
			     "non-Go program (Rust's rustix, inline assembly) are not recorded "
			     "(docs/interposer.md)");
	{
		const char *touched[] = { r->ident_top, r->state_dir };
		t0_ns = ft_rundir_start_clock(touched, 2);
	}
	/* the root environment, which environment dependencies compare
	 * with (common/ft_envdep.h); without it they are unknown: selected */
	if ((rc = ft_envsnap_write(r->run_dir)) < 0)
		ft_cmd_error("warning: run: cannot write %s/%s (%s): the tests that read "
			     "environment variables will be selected next time",
			     r->run_dir, FT_ENVDEP_FILE, ft_strerror(rc));
	if ((rc = ft_launch_run(&l, &wstatus)) < 0) {
		/* Nothing ran (or we could not wait for it): no recording. */
		ft_cmd_error("run: cannot run '%s': %s", l.argv[0], ft_strerror(rc));
		ft_rundir_remove(&r->rd, r->run_dir);
		return rc > -FT_E__BASE ? FT_EXIT_CANTEXEC : FT_EXIT_SOFTWARE;
	}
	status = exit_of(wstatus);
	cmdline = ft_cmd_join_argv(l.argv);
	{
		struct ft_runinfo ri = {
			.t0_ns = t0_ns,
			/* the fine clock: never before a file time the command set
			 * (ingest takes later times as changes nobody in the run made) */
			.finished_ns = fine_now_ns(),
			.wstatus = wstatus,
			.exit_status = status,
			.no_prelude_split = (r->flags & FT_RUN_NO_SPLIT) != 0,
			.functions = g && ft_cmd_granularity_parse(g) > FT_GRAN_FILE,
			.name = (char *)(r->name ? r->name : getenv("FTRACE_TEST_ID")),
			.command = cmdline ? cmdline : r->argv[0],
			.cwd = r->cwd,
			.top = r->ident_top,
			.narrowed = (char **)r->narrowed,
		};
		rc = run_save(r, &ri);
	}
	free(cmdline);
	if (rc == FT_EREPO)
		return FT_EXIT_UNKNOWN; /* another tree's database: as before the command ran */
	if (rc < 0)
		return status ? status : FT_EXIT_SOFTWARE;
	return status;
}

/*
 * Run argv under the interposer and ingest its records: `ftrace run` after
 * option parsing, shared with `ftrace test`.  Returns the exit status that
 * `ftrace run` documents; prints its own diagnostics.
 */
int ft_cmd_run_argv(char **argv, const char *name, unsigned flags)
{
	return ft_cmd_run_argv_narrowed(argv, name, flags, NULL);
}

int ft_cmd_run_argv_narrowed(char **argv, const char *name, unsigned flags,
			     char *const *narrowed)
{
	struct run *r = calloc(1, sizeof(*r));
	int status;

	if (!r) {
		ft_cmd_error("run: %s", ft_strerror(-ENOMEM));
		return FT_EXIT_SOFTWARE;
	}
	r->argv = argv;
	r->narrowed = narrowed;
	r->name = name;
	r->flags = flags;
	r->rd = (struct ft_rundir)FT_RUNDIR_INIT;
	r->lockfd = -1;
	status = run_prepare(r);
	if (status == 0 && (status = run_open(r)) < 0) {
		/* Nowhere to record: a non-zero exit, so that nobody takes the
		 * run for a recording. */
		int wstatus = 0, rc = ft_launch_plain(argv, &wstatus);

		status = rc == 0 ? exit_of(wstatus) : FT_EXIT_SOFTWARE;
		status = status ? status : FT_EXIT_SOFTWARE;
	} else if (status == 0) {
		status = run_launch_and_save(r);
	}
	if (r->lockfd >= 0)
		close(r->lockfd);
	ft_store_close(r->held);
	ft_config_release(&r->cfg);
	free(r);
	return status;
}
