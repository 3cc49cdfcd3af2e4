/*
 * cmd_watch.c - `ftrace watch start|stop|status`: the per-repository
 * daemon that keeps the changed set warm (watch/ft_watch_daemon.h,
 * docs/watch.md).
 *
 * start listens on the socket before it detaches, and returns only once
 * the daemon has built its first baseline (or failed to), so that the
 * `ftrace affected` right after it is already answered.  It also reads
 * the build command (--build, else .ftrace.json under its trust rules)
 * once, here: the daemon never reads a configuration of its own.
 * status --json asks the daemon for its JSON (request `status json`);
 * with no daemon it prints {"running": false, ...} itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ft_cmd.h"
#include "ft_config.h"
#include "ft_error.h"
#include "ft_statedir.h"
#include "ft_watch_client.h"
#include "ft_watch_daemon.h"

static const char usage_text[] =
"usage: ftrace watch start [--build CMD] | stop | status [--json]\n"
"\n"
"A daemon for this repository that watches every recorded path (inside and\n"
"outside the repository) with inotify, so that `ftrace affected` and `ftrace\n"
"test` stat only the paths that may have changed instead of all of them.\n"
"They use it by themselves when it runs (--no-watch or FTRACE_NO_WATCH=1:\n"
"not).  Its answer never differs from a full check's except through a\n"
"change inotify cannot see; when it cannot answer soundly (a queue overflow,\n"
"out of watches, a database newer than its baseline, another user's\n"
"daemon, no answer within a second) every path is checked, with one line on\n"
"stderr saying why.\n"
"\n"
"  start    start the daemon (it reads the database read-only and runs\n"
"           nothing from it); returns once it watches.  Its files are\n"
"           watch.sock, watch.lock and watch.log in the state directory\n"
"  --build CMD\n"
"           build on change: after a change to a recorded path inside the\n"
"           repository, once quiet for 300 ms, run CMD (/bin/sh -c, in the\n"
"           repository top, stdin /dev/null, output to watch-build.log in\n"
"           the state directory), one build at a time; a change during a\n"
"           build queues one more, except the build's own writes (paths it\n"
"           wrote in an earlier build).  Default: .ftrace.json's\n"
"           \"watch\": {\"build\": CMD} (read at start), else none\n"
"  stop     ask it to exit (a running build is stopped), and wait until it has\n"
"  status   what it watches (paths, directories, watches), since when, the\n"
"           recording's generation, how many queries it answered, why it\n"
"           would fall back, and its last build (when, exit status, log)\n"
"  --json   the same as one JSON object (docs/schema/watch-status.schema.json;\n"
"           {\"running\": false, ...} when none runs)\n"
"\n"
"Not seen (docs/watch.md, \"What it cannot see\"): writes through a shared\n"
"memory mapping (mmap) raise no inotify event; nor do writes through a\n"
"hard link made after the daemon started, in a directory it does not\n"
"watch, or changes below a mount made over a watched directory.  Files on\n"
"network and FUSE file systems are checked on every query.  Run `ftrace\n"
"affected --no-watch` (or restart the daemon) after such a change.\n"
"\n"
"exit status: 0 done (status, status --json: it runs); 1 start: a daemon\n"
"already runs here; stop, status, status --json: none runs; 2 it cannot\n"
"run or answer (no recording here, the daemon failed: the reason is on\n"
"stderr and in watch.log; nothing on stdout); 64 bad usage; 78 the state\n"
"directory, or .ftrace.json, is another user's, or .ftrace.json is invalid.\n";

static void log_line(const char *line)
{
	char when[32];
	time_t t = time(NULL);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(when, sizeof(when), "-");
	fprintf(stderr, "%s ftrace watch[%ld]: %s\n", when, (long)getpid(), line);
	fflush(stderr);
}

static void on_term(int sig)
{
	(void)sig;
	ft_watchd_stop_signal();
}

static size_t env_size(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? (size_t)strtoull(v, NULL, 10) : 0;
}

/* The detached daemon: stdio to the log, SIGTERM ends it, one byte on
 * `ready` once it watches.  Never returns. */
static void daemon_main(const char *state_dir, const char *db, const char *build, int lfd, int ready)
{
	char top[PATH_MAX];
	struct ft_watchd_opts o = {
		.state_dir = state_dir, .db = db, .log = log_line, .build = build,
		.max_watches = env_size("FTRACE_WATCH_TEST_MAX_WATCHES"),
		.verify_max_ms = (long long)env_size("FTRACE_WATCH_TEST_VERIFY_MS"),
		.overflow_name = getenv("FTRACE_WATCH_TEST_OVERFLOW"),
		.ready_fd = ready,
	};
	struct sigaction sa = { .sa_handler = on_term };
	struct ft_err err;
	char logp[PATH_MAX];
	int fd, rc;

	if (o.overflow_name && !*o.overflow_name)
		o.overflow_name = NULL;
	if (ft_statedir_top(state_dir, top, sizeof(top)) == 0)
		o.top = top;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0) {
		dup2(fd, 0);
		close(fd);
	}
	if (ft_watch_file(state_dir, FT_WATCH_LOG, logp, sizeof(logp)) == 0 &&
	    (fd = open(logp, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600)) >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	if (chdir("/") < 0)
		_exit(2);
	rc = ft_watchd_run(&o, lfd, &err);
	if (rc < 0)
		log_line(ft_err_msg(&err));
	ft_watchd_unlink(state_dir);
	_exit(rc < 0 ? 2 : 0);
}

static int find_state(char *state_dir, size_t cap, char *db, size_t dbcap)
{
	struct stat sb;
	int rc;

	if ((rc = ft_statedir_find(state_dir, cap)) < 0) {
		ft_cmd_error("watch: cannot find the state directory: %s", ft_strerror(rc));
		return FT_EXIT_UNKNOWN;
	}
	if (stat(state_dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		ft_cmd_error("watch: nothing was recorded here (%s: %s); run `ftrace run -- <tests>` first",
			     state_dir, stat(state_dir, &sb) < 0 ? strerror(errno) : "not a directory");
		return FT_EXIT_UNKNOWN;
	}
	if (ft_cmd_trust_state("watch", state_dir) < 0)
		return FT_EXIT_CONFIG;
	if ((size_t)snprintf(db, dbcap, "%s/ftrace.db", state_dir) >= dbcap)
		return FT_EXIT_UNKNOWN;
	return -1;
}

/* The build command: --build's, else .ftrace.json's "watch": {"build"}
 * (read here, once: trusted as its "command" is, ft_config_load).  0 and
 * *out (NULL: none; malloc'd), or an exit status. */
static int build_command(const char *opt, char **out)
{
	struct ft_config cfg;
	struct ft_err err;
	int rc;

	*out = NULL;
	if (opt) {
		if (!opt[strspn(opt, " \t\n")]) {
			ft_cmd_error("watch: --build: an empty command line");
			return FT_EXIT_USAGE;
		}
		return (*out = strdup(opt)) ? 0 : FT_EXIT_UNKNOWN;
	}
	if ((rc = ft_config_find_load(&cfg, &err)) < 0) {
		ft_cmd_error("watch: %s", ft_err_msg(&err));
		(void)rc;
		return FT_EXIT_CONFIG;
	}
	*out = cfg.watch_build;
	cfg.watch_build = NULL;
	ft_config_release(&cfg);
	return 0;
}

static int start(const char *state_dir, const char *db, const char *build)
{
	struct ft_err err;
	char ok = 0;
	struct stat sb;
	int lock, lfd, pipefd[2], rc;
	pid_t pid;

	if (stat(db, &sb) < 0) {
		ft_cmd_error("watch: nothing was recorded here (%s: %s); run `ftrace run -- <tests>` first",
			     db, strerror(errno));
		return FT_EXIT_UNKNOWN;
	}
	if ((rc = ft_watchd_lock(state_dir, &lock, &err)) == 1) {
		ft_cmd_error("watch: a watch daemon already runs for %s (`ftrace watch status`)", state_dir);
		return 1;
	}
	if (rc < 0) {
		ft_cmd_error("watch: %s", ft_err_msg(&err));
		return FT_EXIT_UNKNOWN;
	}
	if ((rc = ft_watchd_listen(state_dir, &lfd, &err)) < 0) {
		ft_cmd_error("watch: %s", ft_err_msg(&err));
		return FT_EXIT_UNKNOWN;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		ft_cmd_error("watch: cannot start the daemon: %s", strerror(errno));
		return FT_EXIT_UNKNOWN;
	}
	if (pid == 0) {
		/* double fork: the daemon is no child of the shell, and not a
		 * session leader that could get a terminal back */
		close(pipefd[0]);
		if (setsid() < 0 || (pid = fork()) < 0)
			_exit(2);
		if (pid > 0)
			_exit(0);
		{
			char pidtext[32];
			int n = snprintf(pidtext, sizeof(pidtext), "%ld\n", (long)getpid());
			if (ftruncate(lock, 0) == 0 && pwrite(lock, pidtext, (size_t)n, 0) < 0)
				(void)0; /* the pid is for people; the lock is what counts */
		}
		daemon_main(state_dir, db, build, lfd, pipefd[1]);
	}
	close(pipefd[1]);
	close(lfd);
	close(lock);
	waitpid(pid, NULL, 0);
	/* the daemon writes one byte once it watches; EOF means it died */
	while (read(pipefd[0], &ok, 1) < 0 && errno == EINTR)
		;
	close(pipefd[0]);
	if (ok != '1') {
		ft_cmd_error("watch: the daemon did not start; see %s/%s", state_dir, FT_WATCH_LOG);
		return FT_EXIT_UNKNOWN;
	}
	return FT_EXIT_OK;
}

static int stop(const char *state_dir)
{
	char lockp[PATH_MAX], *text = NULL;
	struct ft_err err;
	int rc, fd;

	rc = ft_watch_call(state_dir, FT_WATCH_STOP, 5000, &text, &err);
	free(text);
	if (rc == 1) {
		ft_cmd_error("watch: no watch daemon runs for %s", state_dir);
		return 1;
	}
	if (rc < 0) {
		ft_cmd_error("watch: %s", ft_err_msg(&err));
		return FT_EXIT_UNKNOWN;
	}
	/* it has exited when its lock is free */
	if (ft_watch_file(state_dir, FT_WATCH_LOCK, lockp, sizeof(lockp)) == 0 &&
	    (fd = open(lockp, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) >= 0) {
		for (int i = 0; i < 500 && flock(fd, LOCK_EX | LOCK_NB) < 0; i++)
			poll(NULL, 0, 20);
		close(fd);
	}
	return FT_EXIT_OK;
}

/* --json with no daemon: the same shape's other branch
 * (docs/schema/watch-status.schema.json) */
static void print_not_running(const char *state_dir)
{
	cJSON *o = cJSON_CreateObject();
	char *text;

	if (o && cJSON_AddFalseToObject(o, "running") && cJSON_AddStringToObject(o, "state_dir", state_dir) &&
	    (text = cJSON_PrintUnformatted(o))) {
		puts(text);
		free(text);
	}
	cJSON_Delete(o);
}

static int status(const char *state_dir, int json)
{
	char *text = NULL;
	struct ft_err err;
	int rc = ft_watch_call(state_dir, json ? FT_WATCH_STATUS_JSON : FT_WATCH_STATUS, 5000, &text, &err);

	if (rc == 1) {
		if (json)
			print_not_running(state_dir);
		else
			printf("no watch daemon runs for %s\n", state_dir);
		return 1;
	}
	if (rc < 0) {
		ft_cmd_error("watch: %s", ft_err_msg(&err));
		return FT_EXIT_UNKNOWN;
	}
	fputs(text, stdout);
	free(text);
	return FT_EXIT_OK;
}

int ft_cmd_watch(int argc, char **argv)
{
	char state_dir[PATH_MAX], db[PATH_MAX + 16];
	const char *build_opt = NULL;
	char *build = NULL;
	int st, json = 0;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(usage_text, stdout);
		return FT_EXIT_OK;
	}
	if (argc < 2 || (strcmp(argv[1], "start") && strcmp(argv[1], "stop") && strcmp(argv[1], "status")))
		goto usage;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[1], "status") && !strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[1], "start") && !strcmp(argv[i], "--build") && i + 1 < argc)
			build_opt = argv[++i];
		else if (!strcmp(argv[1], "start") && !strncmp(argv[i], "--build=", 8))
			build_opt = argv[i] + 8;
		else
			goto usage;
	}
	if ((st = find_state(state_dir, sizeof(state_dir), db, sizeof(db))) >= 0)
		return st;
	if (!strcmp(argv[1], "start")) {
		if ((st = build_command(build_opt, &build)) != 0)
			return st;
		st = start(state_dir, db, build);
		free(build);
		return st;
	}
	if (!strcmp(argv[1], "stop"))
		return stop(state_dir);
	return status(state_dir, json);
usage:
	fputs(usage_text, stderr);
	return FT_EXIT_USAGE;
}
