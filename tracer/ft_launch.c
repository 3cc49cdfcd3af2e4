/*
 * ft_launch.c - see ft_launch.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_execlass.h"
#include "ft_file.h"
#include "ft_goenv_file.h"
#include "ft_launch.h"
#include "ft_locate.h"
#include "ft_record.h"
#include "ft_recwrite.h"
#include "ptrace_tracer.h"

extern char **environ;

struct envb {
	char **v;
	size_t n, cap;
};

static int env_push(struct envb *e, char *s)
{
	if (!s)
		return -ENOMEM;
	if (e->n + 2 > e->cap) {
		size_t ncap = e->cap ? e->cap * 2 : 64;
		char **nv = realloc(e->v, ncap * sizeof(*nv));
		if (!nv) {
			free(s);
			return -ENOMEM;
		}
		e->v = nv;
		e->cap = ncap;
	}
	e->v[e->n++] = s;
	e->v[e->n] = NULL;
	return 0;
}

static char *env_fmt(const char *name, const char *a, const char *sep, const char *b)
{
	char *s;
	if (asprintf(&s, "%s=%s%s%s", name, a, (b && *b) ? sep : "", (b && *b) ? b : "") < 0)
		return NULL;
	return s;
}

static int has_prefix_var(const char *entry, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(entry, name, n) && entry[n] == '=';
}

/* Variables we set ourselves, dropped from the inherited environment. */
static const char *const ft_owned_vars[] = {
	"LD_PRELOAD", FT_ENV_RUN_DIR, FT_ENV_PRELOAD, FT_ENV_STATE_DIR, FT_ENV_OWNER,
	FT_ENV_EXE, FT_ENV_PTRACED,
	"UV_USE_IO_URING", "PYTHONPATH", "PYTEST_PLUGINS", "FTRACE__TOP", "NODE_OPTIONS",
	"GOFLAGS", "PYTEST_ADDOPTS",
};

/* pytest imports `-p` plugins of PYTEST_ADDOPTS right after reading its
 * configuration, before the entry-point plugins and PYTEST_PLUGINS: this
 * one marks the end of that start-up (adapters/pytest/ftrace_pytest_startup.py). */
#define FT_PYTEST_STARTUP_OPT "-p ftrace_pytest_startup"

static int plugin_listed(const char *list, const char *plugin)
{
	size_t n = strlen(plugin);
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && !strncmp(p, plugin, n))
			return 1;
		p = end ? end + 1 : NULL;
	}
	return 0;
}

/* NODE_OPTIONS=[<previous> ]--require <adapters>/jest/ftrace_jest.js: the
 * jest adapter (docs/jest.md) in every node process; it stays inert unless
 * jest runs test files.  Node splits NODE_OPTIONS at spaces and honours
 * double quotes with backslash escapes.  Node refuses to start when a
 * --require is missing, so without the adapter file the previous value is
 * kept as it is (jest then runs unmarked: one test, sound).  Returns the
 * entry to push, or NULL for none (errno ENOMEM on failure). */
static char *node_options(const char *adapters, const char *old)
{
	char *js, *q, *out;
	size_t n = 0;

	errno = 0;
	if (asprintf(&js, "%s/jest/ftrace_jest.js", adapters) < 0) {
		errno = ENOMEM;
		return NULL;
	}
	if (access(js, R_OK) < 0) {
		free(js);
		errno = 0;
		return old ? env_fmt("NODE_OPTIONS", old, "", NULL) : NULL;
	}
	if (!(q = malloc(2 * strlen(js) + 3))) {
		free(js);
		errno = ENOMEM;
		return NULL;
	}
	q[n++] = '"';
	for (const char *c = js; *c; c++) {
		if (*c == '"' || *c == '\\')
			q[n++] = '\\';
		q[n++] = *c;
	}
	q[n++] = '"';
	q[n] = '\0';
	free(js);
	if (asprintf(&out, "NODE_OPTIONS=%s%s--require %s", old ? old : "", old && *old ? " " : "", q) < 0) {
		out = NULL;
		errno = ENOMEM;
	}
	free(q);
	return out;
}

/*
 * GOFLAGS for go test (docs/go.md):
 *  - a cached result runs no test binary, so a first recording would miss
 *    the package: -count=1 turns the result cache off, unless the user's
 *    GOFLAGS already chooses a count;
 *  - Go reads its environment from memory, unseen: -exec=ftrace-goexec
 *    runs each test binary with a test log of the variables its tests read
 *    (tracer/ft_goexec.h), unless the user's GOFLAGS chooses an -exec, or
 *    the helper's path holds a character GOFLAGS cannot carry (its entries
 *    are split at spaces).  Without it, a test binary's reads are unknown:
 *    the tracer makes the whole environment its dependency.
 * The user's flags come after ours: a -count or -exec on the command line
 * wins over both.  NULL when memory runs out.
 */
static char *goflags(const char *old)
{
	char gx[PATH_MAX];
	int count = !(old && strstr(old, "-count"));
	int exec = !(old && strstr(old, "-exec")) && ft_locate_goexec(gx, sizeof(gx)) == 0 &&
		   !strpbrk(gx, " \t\n\r\v\f'\"\\");
	char *ours = NULL, *out;

	if (!count && !exec) /* (then the user's GOFLAGS is there: it has a -count) */
		return env_fmt("GOFLAGS", old, "", NULL);
	if (asprintf(&ours, "%s%s%s%s", count ? "-count=1" : "", count && exec ? " " : "",
		     exec ? "-exec=" : "", exec ? gx : "") < 0)
		return NULL;
	out = env_fmt("GOFLAGS", ours, " ", old);
	free(ours);
	return out;
}

static int build_env(const struct ft_launch *l, int ptraced, int foreign, struct envb *e)
{
	char self[PATH_MAX];
	ssize_t sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *old_preload = getenv("LD_PRELOAD");
	const char *old_pypath = getenv("PYTHONPATH");
	const char *old_plugins = getenv("PYTEST_PLUGINS");
	const char *old_addopts = getenv("PYTEST_ADDOPTS");
	const char *old_node = getenv("NODE_OPTIONS");
	const char *old_goflags = getenv("GOFLAGS");
	char envfile[PATH_MAX], filed[4096];
	int rc = 0;

	if (sl > 0)
		self[sl] = '\0';
	/* GOFLAGS in the environment replaces the one `go env -w` wrote, and
	 * the installation's $GOROOT/go.env below it: ours must carry the
	 * files' flags on (build tags, -mod), or the run builds other code
	 * than the user's go test does */
	if ((!old_goflags || !*old_goflags) &&
	    ((ft_goenv_file_path(getenv("GOENV"), getenv("XDG_CONFIG_HOME"), getenv("HOME"),
				 envfile, sizeof(envfile)) == 0 &&
	      ft_goenv_file_value(envfile, "GOFLAGS", filed, sizeof(filed)) == 1) ||
	     (ft_goenv_root_path(getenv("GOROOT"), getenv("PATH"), envfile, sizeof(envfile)) == 0 &&
	      ft_goenv_file_value(envfile, "GOFLAGS", filed, sizeof(filed)) == 1)) &&
	    filed[0])
		old_goflags = filed; /* (the user's file's, even empty, hides go.env's) */
	for (char **p = environ; *p; p++) {
		int skip = 0;
		for (size_t i = 0; i < sizeof(ft_owned_vars) / sizeof(ft_owned_vars[0]); i++)
			skip |= has_prefix_var(*p, ft_owned_vars[i]);
		if (l->test_id && has_prefix_var(*p, FT_ENV_TEST_ID))
			skip = 1;
		if (!skip && (rc = env_push(e, strdup(*p))) < 0)
			return rc;
	}
	/* A program whose ld.so cannot load ours (32-bit, musl) gets the
	 * user's LD_PRELOAD alone: musl's loader refuses to start with a glibc
	 * library in it (exit 127), glibc's 32-bit one prints an error */
	if (!foreign)
		rc = env_push(e, env_fmt("LD_PRELOAD", l->preload, ":", old_preload));
	else if (old_preload)
		rc = env_push(e, env_fmt("LD_PRELOAD", old_preload, "", NULL));
	if (!rc) rc = env_push(e, env_fmt(FT_ENV_RUN_DIR, l->run_dir, "", NULL));
	if (!rc) rc = env_push(e, env_fmt(FT_ENV_PRELOAD, l->preload, "", NULL));
	if (!rc) rc = env_push(e, env_fmt(FT_ENV_STATE_DIR, l->state_dir, "", NULL));
	if (!rc) rc = env_push(e, strdup("UV_USE_IO_URING=0"));
	/* static programs that preloaded processes start run under ptrace
	 * through `ftrace __ptrace-exec` (preload/exec_target.c); a ptrace'd
	 * subtree needs no helper: the tracer follows every descendant */
	if (!rc && sl > 0)
		rc = env_push(e, env_fmt(FT_ENV_EXE, self, "", NULL));
	if (!rc && ptraced)
		rc = env_push(e, strdup(FT_ENV_PTRACED "=1"));
	if (!rc && l->test_id)
		rc = env_push(e, env_fmt(FT_ENV_TEST_ID, l->test_id, "", NULL));
	if (!rc && l->top)
		rc = env_push(e, env_fmt("FTRACE__TOP", l->top, "", NULL));
	if (!rc && l->adapters) {
		char *no = node_options(l->adapters, old_node);
		if (no || errno)
			rc = env_push(e, no);
	} else if (!rc && old_node)
		rc = env_push(e, env_fmt("NODE_OPTIONS", old_node, "", NULL));
	if (!rc)
		rc = env_push(e, goflags(old_goflags));
	if (!rc && l->adapters) {
		char *dir;
		if (asprintf(&dir, "%s/pytest", l->adapters) < 0)
			return -ENOMEM;
		rc = env_push(e, env_fmt("PYTHONPATH", dir, ":", old_pypath));
		free(dir);
		if (!rc && plugin_listed(old_plugins, "ftrace_pytest"))
			rc = env_push(e, env_fmt("PYTEST_PLUGINS", old_plugins, "", NULL));
		else if (!rc)
			rc = env_push(e, env_fmt("PYTEST_PLUGINS", "ftrace_pytest", ",", old_plugins));
		if (!rc && old_addopts && strstr(old_addopts, FT_PYTEST_STARTUP_OPT))
			rc = env_push(e, env_fmt("PYTEST_ADDOPTS", old_addopts, "", NULL));
		else if (!rc)
			rc = env_push(e, env_fmt("PYTEST_ADDOPTS", FT_PYTEST_STARTUP_OPT, " ", old_addopts));
	} else {
		if (!rc && old_pypath)
			rc = env_push(e, env_fmt("PYTHONPATH", old_pypath, "", NULL));
		if (!rc && old_plugins)
			rc = env_push(e, env_fmt("PYTEST_PLUGINS", old_plugins, "", NULL));
		if (!rc && old_addopts)
			rc = env_push(e, env_fmt("PYTEST_ADDOPTS", old_addopts, "", NULL));
	}
	return rc;
}

static void env_free(struct envb *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
}

/* What the first command is (common/ft_execlass.h), as the preload judges
 * a program it execs: a "#!" script is its interpreter, up to 4 levels.  A
 * link is followed; a FIFO or a device is not read (it would block us, or
 * never end): FT_EXE_OTHER, as for a file that cannot be opened (the exec
 * then fails, or a binfmt handler runs it). */
static void first_command_class(const char *path, struct ft_execlass *ec)
{
	unsigned char head[256];
	char interp[256];
	ssize_t got;
	int fd = -1;

	for (int depth = 0; depth < 5; depth++, path = interp) {
		fd = ft_file_open(AT_FDCWD, path, FT_FILE_FOLLOW, NULL);
		if (fd < 0) {
			ft_execlass_read(ec, -1, head, 0);
			return;
		}
		got = pread(fd, head, sizeof(head), 0);
		ft_execlass_read(ec, fd, head, got > 0 ? (size_t)got : 0);
		close(fd);
		if (ec->kind != FT_EXE_SCRIPT || depth == 4 ||
		    !ft_execlass_shebang(head, got > 0 ? (size_t)got : 0, interp, sizeof(interp)))
			return;
	}
}

/* The absolute name of `cmd` in PATH element `dir` (NULL: cmd is already
 * absolute; "" or "." the current directory; any other relative element is
 * taken from the current directory, as execvp takes it).  A record names
 * absolute paths only: a relative one cannot be observed again, so
 * `affected` would take it as changed for ever.  "." is folded, ".." is
 * kept as written (folding it would be wrong across a symlink).  0, or -1
 * when it does not fit or the current directory cannot be named. */
static int first_command_abs(const char *dir, const char *cmd, char *out, size_t size)
{
	char cwd[4096];
	int n;

	if (!dir)
		n = snprintf(out, size, "%s", cmd);
	else if (dir[0] == '/')
		n = snprintf(out, size, "%s/%s", dir, cmd);
	else if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/')
		return -1;
	else if (!dir[0] || !strcmp(dir, "."))
		n = snprintf(out, size, "%s/%s", strcmp(cwd, "/") ? cwd : "",
			     strncmp(cmd, "./", 2) ? cmd : cmd + 2);
	else
		n = snprintf(out, size, "%s/%s/%s", strcmp(cwd, "/") ? cwd : "",
			     strncmp(dir, "./", 2) ? dir : dir + 2, cmd);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Record what the launcher sees of the first command: the PATH search (each
 * candidate that does not exist is an absence dependency, as for execvp in
 * the interposer) and whether the program can be preloaded at all.  A static
 * or Go program that is not set-user-ID is left to the ptrace back end,
 * which records it untraced itself if it cannot trace it: *ptraced is set.
 * A program the preload cannot load into is recorded untraced: *foreign. */
static int record_first_command(const struct ft_launch *l, int *ptraced, int *foreign)
{
	struct ft_recwrite w = FT_RECWRITE_INIT;
	const char *ctx = l->test_id ? l->test_id : (getenv(FT_ENV_TEST_ID) ? getenv(FT_ENV_TEST_ID) : "");
	const char *cmd = l->argv[0];
	char found[8192] = "";
	int rc;

	/* The ledger first, so that every region of the run is listed in it;
	 * only a run with one requires its regions (FT_REGION_LEDGER). */
	if (ft_recwrite_ledger_create(l->run_dir) == 0)
		w.flags |= FT_REGION_LEDGER;
	rc = ft_recwrite_add(&w, FT_REC_CONTEXT, 0, 0, 0, ctx, strlen(ctx));
	if (!rc && strchr(cmd, '/')) {
		if (first_command_abs(cmd[0] == '/' ? NULL : "", cmd, found, sizeof(found)) < 0)
			found[0] = '\0';
	} else if (!rc) {
		/* execvp's own search: getenv("PATH") of this process (the
		 * environment it passes on does not steer it), glibc's default
		 * when unset, and an empty element is the current directory */
		const char *path = getenv("PATH") ? getenv("PATH") : "/bin:/usr/bin";

		for (const char *p = path; !rc; p++) {
			size_t dlen = strcspn(p, ":");
			char dir[4096], cand[8192];
			struct stat sb;

			if (dlen < sizeof(dir)) {
				memcpy(dir, p, dlen);
				dir[dlen] = '\0';
			}
			if (dlen < sizeof(dir) && first_command_abs(dir, cmd, cand, sizeof(cand)) == 0) {
				if (stat(cand, &sb) == 0) {
					if (S_ISREG(sb.st_mode) && access(cand, X_OK) == 0) {
						snprintf(found, sizeof(found), "%s", cand);
						break;
					}
					rc = ft_recwrite_add(&w, FT_REC_ACCESS, FT_OP_EXEC_SEARCH, 0,
							     FT_AC_STAT, cand, strlen(cand));
				} else {
					rc = ft_recwrite_add(&w, FT_REC_ACCESS, FT_OP_EXEC_SEARCH,
							     (uint8_t)(errno < 256 ? errno : 255),
							     FT_AC_STAT, cand, strlen(cand));
				}
			}
			p += dlen;
			if (!*p)
				break;
		}
	}
	if (!rc && found[0]) {
		struct stat sb;
		struct ft_execlass ec;
		int why, setid = stat(found, &sb) == 0 && (sb.st_mode & (S_ISUID | S_ISGID));
		/* file capabilities: secure mode for all but real root, as
		 * set-user-ID (preload/exec_target.c, ft_exec_caps) */
		int caps = !setid && getuid() != 0 &&
			   getxattr(found, "security.capability", NULL, 0) >= 0;

		first_command_class(found, &ec);
		why = ft_execlass_why(&ec);
		rc = ft_recwrite_add(&w, FT_REC_ACCESS, FT_OP_EXEC, 0, FT_AC_READ | FT_AC_EXEC,
				     found, strlen(found));
		/* Go makes raw system calls, static or not: only ptrace sees it
		 * (the go command and its test binaries, docs/go.md).  A static
		 * Go program is "go" in this record and "static" in the
		 * preload's (ft_execlass_why), as when the two classifiers were
		 * two.  NEEDSWORK: one name for both. */
		*ptraced = (why == FT_UNTRACED_STATIC || why == FT_UNTRACED_GO) && !setid && !caps;
		if (!rc && (why == FT_UNTRACED_STATIC || why == FT_UNTRACED_GO) && (setid || caps))
			rc = ft_recwrite_add(&w, FT_REC_UNTRACED, 0, 0,
					     ec.go ? FT_UNTRACED_GO : FT_UNTRACED_STATIC,
					     found, strlen(found));
		if (!rc && setid)
			rc = ft_recwrite_add(&w, FT_REC_UNTRACED, 0, 0, FT_UNTRACED_SETUID,
					     found, strlen(found));
		if (!rc && caps)
			rc = ft_recwrite_add(&w, FT_REC_UNTRACED, 0, 0, FT_UNTRACED_CAPS,
					     found, strlen(found));
		/* A 32-bit or musl program: its ld.so ignores or cannot load
		 * our LD_PRELOAD, so it would run with no interposer */
		*foreign = why == FT_UNTRACED_FOREIGN;
		if (!rc && !setid && !caps && (why == FT_UNTRACED_FOREIGN || why == FT_UNTRACED_UNKNOWN))
			rc = ft_recwrite_add(&w, FT_REC_UNTRACED, 0, 0, (uint32_t)why,
					     found, strlen(found));
	}
	/* A launcher region that cannot be written (a full disk) must not
	 * keep the command from running: ingest then misses it and counts
	 * the run as damaged (ft_collect.h). */
	if (!rc && (rc = ft_recwrite_save(&w, l->run_dir, "launcher")) < 0 && rc > -FT_E__BASE) {
		ft_recwrite_mark_lost(l->run_dir, (int)getpid(), -rc);
		rc = 0;
	}
	ft_recwrite_release(&w);
	return rc;
}

static volatile sig_atomic_t ft_child_pid;

static void forward_signal(int sig)
{
	if (ft_child_pid > 0)
		kill((pid_t)ft_child_pid, sig);
}

int ft_launch_run(const struct ft_launch *l, int *wstatus)
{
	struct envb env = { 0 };
	struct sigaction ign, fwd, old_int, old_quit, old_term, old_hup;
	struct ft_ptrace pt;
	const char *ctx = l->test_id ? l->test_id : getenv(FT_ENV_TEST_ID);
	int pipefd[2], rc, child_errno = 0, ptraced = 0, foreign = 0;
	pid_t pid;
	ssize_t n;

	rc = record_first_command(l, &ptraced, &foreign);
	if (rc < 0)
		return rc;
	if (ptraced) {
		rc = ft_ptrace_prepare(&pt, l->argv[0], l->run_dir, l->state_dir, ctx ? ctx : "");
		if (rc < 0)
			return rc;
	}
	rc = build_env(l, ptraced, foreign, &env);
	if (rc < 0) {
		env_free(&env);
		return rc;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		rc = -errno;
		env_free(&env);
		if (ptraced)
			ft_ptrace_release(&pt);
		return rc;
	}

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	memset(&fwd, 0, sizeof(fwd));
	fwd.sa_handler = forward_signal;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	sigaction(SIGTERM, &fwd, &old_term);
	sigaction(SIGHUP, &fwd, &old_hup);

	pid = fork();
	if (pid < 0) {
		rc = -errno;
		goto out;
	}
	if (pid == 0) {
		int e;
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
		close(pipefd[0]);
		if (ptraced)
			ft_ptrace_child(&pt);
		execvpe(l->argv[0], l->argv, env.v);
		e = errno;
		if (write(pipefd[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	ft_child_pid = pid;
	close(pipefd[1]);
	pipefd[1] = -1;
	if (ptraced) {
		/* The tracer must run while the child execs (its execve stops),
		 * so the exec error is read once the child is gone. */
		rc = ft_ptrace_parent(&pt, pid, wstatus);
		if (rc < 0)
			goto out;
	}
	do
		n = read(pipefd[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	while (!ptraced && waitpid(pid, wstatus, 0) < 0) {
		if (errno != EINTR) {
			rc = -errno;
			goto out;
		}
	}
	if (n == (ssize_t)sizeof(child_errno))
		rc = -child_errno;
out:
	ft_child_pid = 0;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	env_free(&env);
	if (ptraced)
		ft_ptrace_release(&pt);
	return rc;
}

int ft_launch_plain(char *const *argv, int *wstatus)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, wstatus, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}
