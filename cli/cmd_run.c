/*
 * cmd_run.c - `ftrace run [--name NAME] -- CMD [ARGS...]`.
 *
 * Runs CMD under the interposer, then ingests the run's records into the
 * database.  The exit status is CMD's own (128+N when killed by signal N),
 * so `ftrace run -- pytest` can stand in for `pytest` anywhere.  When the
 * recording cannot be saved, that is said on stderr, the records are kept
 * in the run dir, and a successful CMD's status becomes 70: a caller must
 * not believe a map was updated when it was not.
 */
#include <dirent.h>
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
#include "ft_error.h"
#include "ft_ingest.h"
#include "ft_runners.h"
#include "ft_launch.h"
#include "ft_locate.h"
#include "ft_pyconf.h"
#include "ft_pyfunc.h"
#include "ft_runinfo.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "ft_store_repo.h"
#include "ft_trust.h"

static const char ft_run_usage[] =
	"usage: ftrace run [--name NAME] [--no-prelude-split] [--granularity=auto|function|file] [--keep-records] [-q] [--] CMD [ARGS...]\n"
	"\n"
	"Run CMD with ftrace's interposer and record, for each test, every file its\n"
	"processes open, stat, execute or list (including paths looked up that do\n"
	"not exist).  The map goes to <state dir>/ftrace.db; the state dir is\n"
	"$FTRACE_DIR, else .ftrace at the nearest ancestor holding .git or .ftrace.\n"
	"\n"
	"Tests: pytest is split per test automatically (a plugin is injected); jest\n"
	"per test file (an adapter is added to NODE_OPTIONS: docs/jest.md).  A\n"
	"process started with FTRACE_TEST_ID=<id> starts test <id> for its subtree.\n"
	"Otherwise the whole command is one test, named by --name or by the\n"
	"command line.  Tests not run keep their earlier recording.\n"
	"\n"
	"options:\n"
	"  --name NAME      record the whole command as one test called NAME\n"
	"  --no-prelude-split\n"
	"                   every pytest test depends on the whole session prelude\n"
	"                   (imports, collection), not only on its test module's\n"
	"                   import closure: sound even when importing one module\n"
	"                   changes state another test sees; selects more\n"
	"  --granularity=auto|function|file\n"
	"                   function: the pytest plugin also records which project\n"
	"                   functions each test ran, and the fingerprints of the\n"
	"                   project's .py files (docs/python-functions.md); auto\n"
	"                   (the default): as function where the interpreter has a\n"
	"                   cheap hook (CPython 3.12+, or 3.11.4+ with the frame\n"
	"                   hook), else as file; file: not.  Without the option:\n"
	"                   .ftrace.json's \"granularity\", else $FTRACE_GRANULARITY,\n"
	"                   else auto\n"
	"  --keep-records   keep the raw records (<state dir>/runs/...) after ingest\n"
	"  -q, --quiet      no summary line on stderr\n"
	"  -h, --help       this help\n"
	"\n"
	"exit status: CMD's own status (128+N if killed by signal N); 127 if CMD\n"
	"could not be started; 64 on bad usage; 70 if CMD succeeded but the\n"
	"recording could not be saved (the message says where the records are);\n"
	"2 if the database belongs to another repository (a copied checkout, a\n"
	"shared FTRACE_DIR; nothing is run); 78 if .ftrace.json is invalid, or\n"
	"it, the state directory or the database is owned by another user or\n"
	"writable by others (nothing is run; allow one with $FTRACE_SAFE_DIRS:\n"
	"docs/usage.md, \"Trust\"); 64 if\n"
	"$FTRACE_GRANULARITY is not file, function or auto (nothing is run).\n";

static int64_t coarse_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t fine_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return FT_ETOOLONG;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* The state dir holds machine-local data: keep it out of commits. */
static void write_gitignore(const char *state_dir)
{
	char path[PATH_MAX];
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/.gitignore", state_dir) >= sizeof(path))
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, "*\n", 2) < 0)
		(void)0;
	close(fd);
}

/*
 * The run dir: `<state>/runs/<name>`, made by us alone.
 *
 * The case that broke: a symlink placed at the run dir's path made
 * `ftrace run` unlink every file in the link's target.  So the dir is
 * created exclusively (mkdirat fails when the name exists), opened
 * O_DIRECTORY | O_NOFOLLOW and checked to be ours and owner-only, and all
 * later work on it (removal) goes through that descriptor.  It is 0700:
 * its records hold every path the tests touched.
 */
struct run_dir {
	int runs_fd;          /* <state>/runs */
	int fd;               /* <state>/runs/<name> */
	char name[64];
};

static void run_dir_release(struct run_dir *r)
{
	if (r->fd >= 0)
		close(r->fd);
	if (r->runs_fd >= 0)
		close(r->runs_fd);
	r->fd = r->runs_fd = -1;
}

static int run_dir_create(struct run_dir *r, const char *state_dir)
{
	struct stat sb;
	int sfd, rc = 0;

	r->runs_fd = r->fd = -1;
	snprintf(r->name, sizeof(r->name), "%lld-%d", (long long)coarse_now_ns(), (int)getpid());
	sfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0)
		return -errno;
	if (mkdirat(sfd, "runs", 0700) < 0 && errno != EEXIST)
		rc = -errno;
	/* runs/ as a link or a file is refused, never followed */
	if (!rc && (r->runs_fd = openat(sfd, "runs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		rc = errno == ELOOP ? -ENOTDIR : -errno;
	close(sfd);
	if (!rc && (fstat(r->runs_fd, &sb) < 0 || sb.st_uid != geteuid()))
		rc = -EPERM;
	if (!rc && mkdirat(r->runs_fd, r->name, 0700) < 0)
		rc = -errno; /* EEXIST: someone was there first */
	if (!rc && (r->fd = openat(r->runs_fd, r->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		rc = errno == ELOOP ? -ENOTDIR : -errno;
	if (!rc && (fstat(r->fd, &sb) < 0 || sb.st_uid != geteuid() || (sb.st_mode & 077)))
		rc = -EPERM;
	if (rc < 0)
		run_dir_release(r);
	return rc;
}

/* 1 when `path` and runs/<name> still lead to the dir we made (nobody moved
 * or replaced it during the run), else 0. */
static int run_dir_intact(const struct run_dir *r, const char *path)
{
	struct stat ours, there, at;

	return fstat(r->fd, &ours) == 0 &&
	       fstatat(r->runs_fd, r->name, &at, AT_SYMLINK_NOFOLLOW) == 0 &&
	       lstat(path, &there) == 0 && S_ISDIR(there.st_mode) && S_ISDIR(at.st_mode) &&
	       ours.st_dev == there.st_dev && ours.st_ino == there.st_ino &&
	       ours.st_dev == at.st_dev && ours.st_ino == at.st_ino;
}

/* Remove the run dir's files and the dir, through the descriptors: only
 * when runs/<name> is still our dir, so nothing outside the state dir is
 * ever deleted.  Subdirectories (not ours) are left alone. */
static void run_dir_remove(struct run_dir *r, const char *path)
{
	struct dirent *de;
	int fd;
	DIR *d;

	if (r->fd < 0)
		return;
	if (run_dir_intact(r, path) && (fd = dup(r->fd)) >= 0) {
		if ((d = fdopendir(fd))) {
			while ((de = readdir(d)))
				if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
					unlinkat(r->fd, de->d_name, 0);
			closedir(d);
		} else {
			close(fd);
		}
		unlinkat(r->runs_fd, r->name, AT_REMOVEDIR);
	}
	run_dir_release(r);
}

/* A run dir named by its path (`ftrace ingest`): opened the same way,
 * never through a link, and removed only if it is ours. */
void ft_cmd_remove_run_dir(const char *dir)
{
	struct run_dir r = { -1, -1, "" };
	char parent[PATH_MAX];
	const char *slash = strrchr(dir, '/');
	struct stat sb;

	if (!slash || slash == dir || (size_t)(slash - dir) >= sizeof(parent) ||
	    strlen(slash + 1) >= sizeof(r.name))
		return;
	memcpy(parent, dir, (size_t)(slash - dir));
	parent[slash - dir] = '\0';
	snprintf(r.name, sizeof(r.name), "%s", slash + 1);
	r.runs_fd = open(parent, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (r.runs_fd >= 0)
		r.fd = openat(r.runs_fd, r.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (r.fd >= 0 && fstat(r.fd, &sb) == 0 && sb.st_uid == geteuid())
		run_dir_remove(&r, dir);
	else
		run_dir_release(&r);
}

/* Run argv as it is, with no interposer, and return its exit status as
 * `ftrace run` reports one (127: it could not be started). */
static int run_unrecorded(char **argv)
{
	int wstatus = 0;
	pid_t pid = fork();

	if (pid < 0)
		return FT_EXIT_SOFTWARE;
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR)
			return FT_EXIT_SOFTWARE;
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	return WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : FT_EXIT_SOFTWARE;
}

static char *join_argv(char **argv)
{
	size_t n = 1;
	char *s, *p;

	for (char **a = argv; *a; a++)
		n += strlen(*a) + 1;
	s = malloc(n);
	if (!s)
		return NULL;
	p = s;
	for (char **a = argv; *a; a++) {
		size_t l = strlen(*a);
		if (p != s)
			*p++ = ' ';
		memcpy(p, *a, l);
		p += l;
	}
	*p = '\0';
	return s;
}

static int exit_of(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return FT_EXIT_SOFTWARE;
}

/*
 * Make sure the run's t0 comes after what ftrace itself just changed.
 *
 * The first `ftrace run` in a repository creates .ftrace/ in its top
 * directory.  Taken in the same clock tick, t0 would be <= the top dir's
 * new ctime, and every test that lists the top dir (make does) would be
 * recorded as "modified during the run": unknown, selected forever after.
 * So wait until the coarse clock is past those ctimes: usually no wait at
 * all, at most one tick, and bounded at 100 ms.
 */
static void settle_clock(const char *const *paths, size_t n)
{
	int64_t newest = 0;

	for (size_t i = 0; i < n; i++) {
		struct stat sb;
		if (paths[i] && stat(paths[i], &sb) == 0) {
			int64_t c = (int64_t)sb.st_ctim.tv_sec * 1000000000 + sb.st_ctim.tv_nsec;
			if (c > newest)
				newest = c;
		}
	}
	for (int i = 0; i < 100 && coarse_now_ns() <= newest; i++) {
		struct timespec ms = { 0, 1000000 };
		nanosleep(&ms, NULL);
	}
}

/* The repository top: the state dir's parent when it is `<top>/.ftrace`,
 * else the current directory. */
static void repo_top_of(const char *state_dir, char *out, size_t cap)
{
	const char *slash = strrchr(state_dir, '/');

	if (slash && !strcmp(slash + 1, FT_STATEDIR_NAME) && slash != state_dir &&
	    (size_t)(slash - state_dir) < cap) {
		memcpy(out, state_dir, (size_t)(slash - state_dir));
		out[slash - state_dir] = '\0';
		return;
	}
	if (!getcwd(out, cap))
		snprintf(out, cap, "/");
}

int ft_cmd_statedir_notdir(const char *dir, char *msg, size_t cap)
{
	struct stat sb;
	const char *env = getenv(FT_ENV_DIR);

	if (stat(dir, &sb) < 0 || S_ISDIR(sb.st_mode))
		return 0;
	if (env && *env)
		snprintf(msg, cap, "FTRACE_DIR=%s is not a directory: ftrace keeps its state "
			 "(the database and run records) in a directory; point FTRACE_DIR at a "
			 "directory (ftrace creates it if missing), or unset it", env);
	else
		snprintf(msg, cap, "%s is not a directory: ftrace keeps its state (the database "
			 "and run records) in a directory of that name; move that file elsewhere, "
			 "or set FTRACE_DIR to a directory", dir);
	return 1;
}

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

int ft_cmd_save_run(const struct ft_cmd_save *sv, const struct ft_runinfo *ri)
{
	char db_path[PATH_MAX + 32], why[PATH_MAX * 2 + 512];
	struct ft_ingest in = { 0 };
	struct ft_ingest_stats stats;
	struct ft_store *st = NULL;
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
	in.fallback_name = ri->command;
	/* run and ingest both save what `ftrace run` launched: a missing
	 * launcher region, or its child's, makes the run damaged */
	in.launched = 1;
	in.runners = &ft_runners_ingest;
	in.t0_ns = ri->t0_ns;
	in.run.command = ri->command;
	in.run.cwd = ri->cwd;
	in.run.started_ns = ri->t0_ns;
	in.run.finished_ns = ri->finished_ns;
	in.run.exit_status = ri->exit_status;

	ft_cmd_lock_wait(1);
	/* The database holds every path the tests touched: owner-only (SQLite
	 * gives its -wal and -shm files the database's mode).  Not around the
	 * user's command, which must see its own umask. */
	{
		mode_t old_mask = umask(077);
		rc = ft_store_open(&st, db_path, FT_STORE_CREATE);
		umask(old_mask);
	}
	/* the database must (still) be this tree's; a database without an
	 * identity that passes takes this tree's (ft_store_repo.h) */
	if (rc >= 0 && sv->ident_top &&
	    (rc = ft_store_repo_check(st, sv->ident_top, 1, why, sizeof(why))) == FT_EREPO) {
		ft_cmd_error("%s: the recording was not saved to %s: %s; the records are kept in %s",
			     sv->cmd, db_path, why, sv->run_dir);
		ft_store_close(st);
		return rc;
	}
	if (rc >= 0)
		rc = ft_ingest_run(st, &in, &stats);
	if (rc < 0) {
		/* the store's detail names the real cause (a lock, a full disk) */
		const char *detail = ft_store_errmsg(st);
		int has = strcmp(detail, "no detail") != 0;

		ft_cmd_error("%s: the recording was not saved to %s: %s%s%s; the records are kept in %s: "
			     "`ftrace ingest %s` saves them once that is fixed",
			     sv->cmd, db_path, ft_strerror(rc), has ? ": " : "", has ? detail : "",
			     sv->run_dir, sv->run_dir);
		if (st)
			ft_store_close(st);
		return rc;
	}
	/* Function granularity (docs/python-functions.md).  A file-granularity
	 * run need not touch the tables: the rows of its tests no longer match
	 * their run id.  Failing here loses precision, never soundness: the
	 * tests of this run then have no function rows that match either. */
	rc = ri->functions ? ft_pyfunc_record(st, sv->run_dir, ri->t0_ns, ri->command) : 0;
	/* pytest's view of pyproject.toml (docs/pytest.md); failing here only
	 * leaves a view unrecorded, and then any edit of the file selects */
	{
		int rv = ft_pyconf_record(st, sv->run_dir);
		if (rv < 0)
			ft_cmd_error("%s: pytest's view of pyproject.toml was not saved (%s%s%s); "
				     "any edit of it selects every test", sv->cmd, ft_strerror(rv),
				     rv == FT_EDB ? ": " : "", rv == FT_EDB ? ft_store_errmsg(st) : "");
	}
	if (rc < 0)
		ft_cmd_error("%s: the executed functions were not saved (%s%s%s); "
			     "affected --granularity=function selects these tests by file", sv->cmd,
			     ft_strerror(rc), rc == FT_EDB ? ": " : "", rc == FT_EDB ? ft_store_errmsg(st) : "");
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
		ft_cmd_error("%s: records of this run are missing from %s (were its files removed during "
			     "the run?); this run's tests are stored untraced (always selected)", sv->cmd,
			     sv->run_dir);
	if (stats.refused)
		ft_cmd_error("%s: %s/%s%s is not a regular file (a FIFO, link or device) and was not read; "
			     "this run's tests are stored untraced (always selected)", sv->cmd,
			     sv->run_dir, stats.refused_name, stats.refused > 1 ? " (and others)" : "");
	if (!sv->quiet)
		fprintf(stderr, "ftrace: recorded %zu test%s (%zu dependencies%s%s) in %s\n",
			stats.tests, stats.tests == 1 ? "" : "s", stats.deps,
			stats.untraced ? "; some parts could not be traced, those tests are always selected" : "",
			stats.damaged ? "; damaged records" : "", db_path);
	if (!sv->quiet && stats.forgotten)
		fprintf(stderr, "ftrace: forgot %zu recorded test%s that no longer exist%s (gone from "
			"%s test file%s, or a removed go package)\n",
			stats.forgotten, stats.forgotten == 1 ? "" : "s",
			stats.forgotten == 1 ? "s" : "", stats.forgotten == 1 ? "its" : "their",
			stats.forgotten == 1 ? "" : "s");
	if (sv->keep)
		(void)ft_runinfo_mark_saved(sv->run_dir);
	else if (!sv->caller_removes)
		ft_cmd_remove_run_dir(sv->run_dir);
	return 0;
}

int ft_cmd_trust_state(const char *cmd, const char *dir)
{
	char why[4096 + 512], db[4096 + 32];
	int rc;

	snprintf(db, sizeof(db), "%s/%s", dir, FT_STORE_FILE);
	if ((rc = ft_trust_check(dir, "state directory", why, sizeof(why))) == 0)
		rc = ft_store_check_trust(db, why, sizeof(why));
	if (rc == FT_EUNSAFE)
		ft_cmd_error("%s: %s", cmd, why);
	else if (rc < 0)
		ft_cmd_error("%s: cannot check who owns %s: %s", cmd, dir, ft_strerror(rc));
	return rc;
}

/*
 * Run argv under the interposer and ingest its records: `ftrace run` after
 * option parsing, shared with `ftrace test`.  Returns the exit status that
 * `ftrace run` documents; prints its own diagnostics.
 */
int ft_cmd_run_argv(char **argv, const char *name, unsigned flags)
{
	char state_dir[PATH_MAX], run_dir[PATH_MAX + 64];
	char preload[PATH_MAX], adapters[PATH_MAX], cwd[PATH_MAX], top[PATH_MAX];
	char cfg_err[PATH_MAX + 2560], ident_top[PATH_MAX], db_path[PATH_MAX + 32];
	struct ft_store *st = NULL;
	int rc, wstatus = 0, status;
	struct ft_launch l = { 0 };
	struct ft_config cfg;
	struct run_dir rd = { -1, -1, "" };
	int64_t t0_ns;
	int lockfd;
	char *cmdline;

	/* Its "ignore" patterns apply at ingest; a bad file stops us before
	 * anything runs, like every command that reads it. */
	rc = ft_config_find_load(&cfg, cfg_err, sizeof(cfg_err));
	if (rc < 0) {
		ft_cmd_error("run: %s", cfg_err[0] ? cfg_err : ft_strerror(rc));
		return rc == FT_ECONFIG || rc == FT_EUNSAFE ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	}
	/* the project's granularity, unless --granularity chose */
	if (!(flags & FT_RUN_GRANULARITY)) {
		int gran = ft_cmd_granularity_default(cfg.granularity);

		if (gran < 0) {
			ft_config_release(&cfg);
			return FT_EXIT_USAGE;
		}
		ft_cmd_granularity_set(gran);
	}
	rc = ft_statedir_find(state_dir, sizeof(state_dir));
	if (rc < 0) {
		ft_cmd_error("run: cannot find the state directory: %s", ft_strerror(rc));
		ft_config_release(&cfg);
		return FT_EXIT_SOFTWARE;
	}
	if (ft_cmd_statedir_notdir(state_dir, cfg_err, sizeof(cfg_err))) {
		ft_cmd_error("run: %s", cfg_err);
		ft_config_release(&cfg);
		return FT_EXIT_SOFTWARE;
	}
	/* before anything runs: records and the database would go into, and
	 * be read back from, a directory another user can write */
	if ((rc = ft_cmd_trust_state("run", state_dir)) < 0) {
		ft_config_release(&cfg);
		return rc == FT_EUNSAFE ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	}
	/* ... and before anything runs: a database of another tree is
	 * refused (ft_store_repo.h), not mixed with this one's */
	snprintf(db_path, sizeof(db_path), "%s/%s", state_dir, FT_STORE_FILE);
	if ((rc = ft_repo_top(state_dir, ident_top, sizeof(ident_top))) < 0) {
		ft_cmd_error("run: cannot resolve the repository top: %s", ft_strerror(rc));
		ft_config_release(&cfg);
		return FT_EXIT_SOFTWARE;
	}
	if (ft_store_open(&st, db_path, FT_STORE_RDONLY) == 0) {
		rc = ft_store_repo_check(st, ident_top, 0, cfg_err, sizeof(cfg_err));
		ft_store_close(st);
		st = NULL;
		if (rc == FT_EREPO) {
			ft_cmd_error("run: %s: %s", db_path, cfg_err);
			ft_config_release(&cfg);
			return FT_EXIT_UNKNOWN;
		}
	}
	rc = mkdir_p(state_dir, 0700);
	if (rc < 0) {
		ft_cmd_error("run: cannot create the state directory %s: %s", state_dir, ft_strerror(rc));
		ft_config_release(&cfg);
		return FT_EXIT_SOFTWARE;
	}
	write_gitignore(state_dir);
	rc = run_dir_create(&rd, state_dir);
	snprintf(run_dir, sizeof(run_dir), "%s/runs/%s", state_dir, rd.name);
	/* in use until saved: `ftrace ingest` leaves it alone */
	if (rc >= 0 && (lockfd = rc = ft_runinfo_lock(run_dir)) < 0)
		run_dir_remove(&rd, run_dir);
	if (rc == -EROFS || rc == -EACCES || rc == -ENOSPC || rc == -EDQUOT) {
		/* Nowhere to record: the command still runs as it would without
		 * ftrace, and the run says it recorded nothing (a non-zero exit:
		 * nobody may take the run for a recording). */
		ft_cmd_error("run: cannot record: cannot create the run directory %s: %s%s; running the "
			     "command without recording: nothing is saved, earlier recordings are unchanged",
			     run_dir, ft_strerror(rc),
			     rc == -EROFS ? " (the state directory is on a read-only file system)" :
			     rc == -EACCES ? " (the state directory is read-only for you)" :
			     " (free some space there)");
		ft_config_release(&cfg);
		status = run_unrecorded(argv);
		return status ? status : FT_EXIT_SOFTWARE;
	}
	if (rc < 0) {
		ft_cmd_error("run: cannot create the run directory %s: %s%s", run_dir, ft_strerror(rc),
			     rc == -ENOTDIR || rc == -EPERM
			     ? " (its parent must be a directory of yours, not a link: check <state dir>/runs)" : "");
		ft_config_release(&cfg);
		return FT_EXIT_SOFTWARE;
	}
	rc = ft_locate_preload(preload, sizeof(preload));
	if (rc < 0) {
		ft_cmd_error("run: %s (set FTRACE_PRELOAD_LIB to its path)", ft_strerror(rc));
		run_dir_remove(&rd, run_dir);
		close(lockfd);
		ft_config_release(&cfg);
		return FT_EXIT_SOFTWARE;
	}
	if (ft_locate_adapters(adapters, sizeof(adapters)) < 0)
		adapters[0] = '\0';
	if (!getcwd(cwd, sizeof(cwd)))
		snprintf(cwd, sizeof(cwd), ".");
	repo_top_of(state_dir, top, sizeof(top));
	{
		const char *touched[] = { top, state_dir };
		settle_clock(touched, 2);
	}

	l.argv = argv;
	l.preload = preload;
	l.adapters = adapters[0] ? adapters : NULL;
	l.run_dir = run_dir;
	l.state_dir = state_dir;
	l.test_id = name;
	l.top = top[0] ? top : NULL;

	t0_ns = coarse_now_ns();
	rc = ft_launch_run(&l, &wstatus);
	if (rc < 0) {
		/* Nothing ran (or we could not wait for it): no recording. */
		ft_cmd_error("run: cannot run '%s': %s", l.argv[0], ft_strerror(rc));
		run_dir_remove(&rd, run_dir);
		close(lockfd);
		ft_config_release(&cfg);
		return rc > -FT_E__BASE ? FT_EXIT_CANTEXEC : FT_EXIT_SOFTWARE;
	}
	status = exit_of(wstatus);

	cmdline = join_argv(l.argv);
	{
		const char *g = getenv("FTRACE_GRANULARITY");
		struct ft_runinfo ri = {
			.t0_ns = t0_ns,
			/* the fine clock: never before a file time the command set
			 * (ingest takes later times as changes nobody in the run made) */
			.finished_ns = fine_now_ns(),
			.wstatus = wstatus,
			.exit_status = status,
			.no_prelude_split = (flags & FT_RUN_NO_SPLIT) != 0,
			.functions = g && ft_cmd_granularity_parse(g) > FT_GRAN_FILE,
			.name = (char *)(name ? name : getenv("FTRACE_TEST_ID")),
			.command = cmdline ? cmdline : argv[0],
			.cwd = cwd,
			.top = top,
		};
		struct ft_cmd_save sv = {
			.cmd = "run", .state_dir = state_dir, .run_dir = run_dir, .adapters = adapters,
			.cfg = &cfg, .quiet = (flags & FT_RUN_QUIET) != 0,
			.keep = (flags & FT_RUN_KEEP) != 0, .caller_removes = 1,
			.ident_top = ident_top,
		};

		/* Records read through a path that leads elsewhere than the dir
		 * we made are not this run's: save nothing, delete nothing. */
		if (!run_dir_intact(&rd, run_dir)) {
			ft_cmd_error("run: the run directory %s was moved or replaced during the run: its "
				     "records were not read and nothing in it was deleted; earlier "
				     "recordings are unchanged%s", run_dir,
				     ri.name ? "; the named test is stored untraced (always selected)" : "");
			run_dir_release(&rd);
			/* A named test still exists, with records we cannot
			 * trust: saved from a fresh, empty run dir, the launched
			 * run lacks its launcher's region, so it is damaged and
			 * its test untraced (t9912: a test first recorded by that
			 * run was otherwise never selected). */
			if (ri.name && run_dir_create(&rd, state_dir) == 0) {
				snprintf(run_dir, sizeof(run_dir), "%s/runs/%s", state_dir, rd.name);
				sv.quiet = 1;
				if (ft_cmd_save_run(&sv, &ri) == 0)
					run_dir_remove(&rd, run_dir);
				else
					run_dir_release(&rd);
			}
			free(cmdline);
			ft_config_release(&cfg);
			close(lockfd);
			return status ? status : FT_EXIT_SOFTWARE;
		}

		/* what `ftrace ingest` needs if saving fails now */
		if ((rc = ft_runinfo_write(run_dir, &ri)) < 0)
			ft_cmd_error("run: cannot write %s/%s (%s): if saving the records fails, "
				     "`ftrace ingest` cannot save them later", run_dir, FT_RUNINFO_FILE,
				     ft_strerror(rc));
		rc = ft_cmd_save_run(&sv, &ri);
	}
	if (rc >= 0 && !(flags & FT_RUN_KEEP))
		run_dir_remove(&rd, run_dir);
	else
		run_dir_release(&rd);
	free(cmdline);
	ft_config_release(&cfg);
	close(lockfd);
	if (rc == FT_EREPO)
		return FT_EXIT_UNKNOWN; /* another tree's database: as before the command ran */
	if (rc < 0)
		return status ? status : FT_EXIT_SOFTWARE;
	return status;
}

int ft_cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "keep-records", no_argument, NULL, 'k' },
		{ "no-prelude-split", no_argument, NULL, 'P' },
		{ "granularity", required_argument, NULL, 'G' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL;
	unsigned flags = 0;
	int opt, gran;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			name = optarg;
			if (!*name) {
				ft_cmd_error("run: --name needs a non-empty name");
				return FT_EXIT_USAGE;
			}
			break;
		case 'k': flags |= FT_RUN_KEEP; break;
		case 'P': flags |= FT_RUN_NO_SPLIT; break;
		case 'q': flags |= FT_RUN_QUIET; break;
		case 'G':
			/* The plugin reads it at import and removes it from the
			 * environment its tests see. */
			flags |= FT_RUN_GRANULARITY;
			if ((gran = ft_cmd_granularity_parse(optarg)) < 0) {
				ft_cmd_error("run: --granularity must be 'file', 'function' or 'auto', not '%s'", optarg);
				return FT_EXIT_USAGE;
			}
			ft_cmd_granularity_set(gran);
			break;
		case 'h': fputs(ft_run_usage, stdout); return FT_EXIT_OK;
		default: fputs(ft_run_usage, stderr); return FT_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		ft_cmd_error("run: no command given; usage: ftrace run [--name NAME] -- CMD [ARGS...]");
		return FT_EXIT_USAGE;
	}

	return ft_cmd_run_argv(argv + optind, name, flags);
}
