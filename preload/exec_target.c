/*
 * exec_target.c - the program an exec or spawn is about to run: record
 * it, and say whether the preload library can follow it there.
 *
 * What the program is comes from the one executable classifier,
 * common/ft_execlass.h (static? Go? which "#!" interpreter?), which the
 * launcher applies to a run's first command too.  A set-user/group-ID
 * program is decided here, before it: ld.so ignores LD_PRELOAD for it.
 * Each untraceable subtree would record nothing, so an FT_REC_UNTRACED
 * record makes the test always selected (or `ftrace run` hands the subtree
 * to the ptrace back end).  pread only, no libelf: this runs in every traced
 * process, possibly in a vfork child.
 *
 * "#!" scripts are followed to their interpreter (the kernel allows four
 * levels), since `#!/usr/local/bin/static-tool` is as untraceable as the
 * tool itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "ft_execlass.h"
#include "ft_preload.h"

static int ft_exec_check(const char *abs, enum ft_op op, int depth, char *const *envp, int may_via);

/* The value of NAME in envp (NULL = environ), or NULL. */
static const char *ft_env_in(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	if (!envp)
		envp = environ;
	for (; envp && *envp; envp++)
		if (!strncmp(*envp, name, n) && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

/*
 * Mark an untraceable program, in the test it will belong to.
 *
 * Usually that is our own current test.  But a program started with
 * FTRACE_TEST_ID=X that we do not own starts test X itself (context.c), and
 * being static it never will: `FTRACE_TEST_ID=static ./prog-static` would
 * leave no trace of test "static" at all, which is then never selected
 * (t4085).  So we say "test X exists and is untraced" for it, in one record
 * that names X: switching the region's context to X and back would
 * misattribute another thread's records written in between.
 */
static void ft_untraced_for(const char *abs, enum ft_untraced_why why, char *const *envp)
{
	const char *t = ft_env_in(envp, FT_ENV_TEST_ID);
	const char *o = ft_env_in(envp, FT_ENV_OWNER);
	const char *oid = o ? strchr(o, ':') : NULL;
	size_t tlen;

	if (!t || !*t || (oid && !strcmp(oid + 1, t)) || (tlen = strlen(t)) > FT_ID_MAX) {
		ft__untraced(abs, strlen(abs), why);
		return;
	}
	ft__emit(FT_REC_TEST_UNTRACED, FT_OP__NONE, 0, (uint32_t)why, t, tlen);
}

/*
 * May a static or Go program about to be exec'd run under the ptrace back
 * end instead of being marked untraced?  Through `ftrace __ptrace-exec`
 * (FTRACE__EXE), unless FTRACE_PTRACE=0 asks for none, or the subtree is
 * already ptrace'd (FTRACE__PTRACED: the tracer follows every descendant,
 * so nothing needs marking either).
 */
enum { FT_VIA_NO, FT_VIA_YES, FT_VIA_COVERED };

static int ft_via_ok(char *const *envp)
{
	const char *off = ft_env_in(envp, "FTRACE_PTRACE");

	if (ft_env_in(envp, FT_ENV_PTRACED))
		return FT_VIA_COVERED;
	if (!ft__proc.exe[0] || (off && off[0] == '0' && !off[1]))
		return FT_VIA_NO;
	return FT_VIA_YES;
}

size_t ft__argv_count(char *const argv[])
{
	size_t n = 0;

	while (argv && argv[n])
		n++;
	return n;
}

void ft__exec_via_argv(const char *via, char *const argv[], char **out)
{
	size_t n = ft__argv_count(argv);

	out[0] = ft__proc.exe;
	out[1] = (char *)FT_PTEXEC_CMD;
	out[2] = (char *)via;
	out[3] = (char *)"--";
	for (size_t i = 0; i < n; i++)
		out[4 + i] = argv[i];
	if (!n) /* argv[0] is conventional, not guaranteed */
		out[4 + n++] = (char *)via;
	out[4 + n] = NULL;
}

void ft__exec_via_failed(const char *via)
{
	int saved = errno;

	ft__untraced(via, strlen(via), FT_UNTRACED_STATIC);
	errno = saved;
}

/*
 * File capabilities (the `security.capability` attribute, as Debian gives
 * ping) put the exec in secure mode for any user but real root, as the
 * set-user-ID bit does: ld.so then ignores LD_PRELOAD, and the program
 * would run unrecorded.  Nor may it run under ptrace, which withholds the
 * capabilities.  `got` is getxattr's result for the attribute: a size when
 * the program has one.
 */
#define FT_CAPS_XATTR "security.capability"
static int ft_exec_caps(ssize_t got)
{
	return got >= 0 && getuid() != 0;
}

/* Returns FT__EXEC_VIA when the program is to run through the helper
 * (nothing marked), FT__EXEC_FOREIGN when it was marked untraced and its
 * ld.so cannot load the preload, else 0. */
static int ft_exec_check(const char *abs, enum ft_op op, int depth, char *const *envp, int may_via)
{
	unsigned char head[256];
	char interp[256];
	struct stat st;
	ssize_t got;
	int fd, why = 0;

	/* O_NONBLOCK: a FIFO named as a program must not hang us (exec fails) */
	fd = FT_REAL(open)(abs, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		/* not readable is not "cannot exec": execute-only programs exist */
		int err = errno;
		if (FT_REAL(stat)(abs, &st) < 0) {
			ft__access_abs(abs, strlen(abs), op, ft__op_class(op), errno);
			return 0;
		}
		ft__access_abs(abs, strlen(abs), op, ft__op_class(op), 0);
		if (err == EACCES && (st.st_mode & (S_ISUID | S_ISGID)))
			ft_untraced_for(abs, FT_UNTRACED_SETUID, envp);
		else if (err == EACCES && ft_exec_caps(getxattr(abs, FT_CAPS_XATTR, NULL, 0)))
			ft_untraced_for(abs, FT_UNTRACED_CAPS, envp);
		return 0;
	}
	ft__access_abs(abs, strlen(abs), op, ft__op_class(op), 0);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if (st.st_mode & (S_ISUID | S_ISGID))
			why = FT_UNTRACED_SETUID;
		else if (ft_exec_caps(fgetxattr(fd, FT_CAPS_XATTR, NULL, 0)))
			why = FT_UNTRACED_CAPS;
	}
	got = pread(fd, head, sizeof(head), 0);
	if (!why && got > 0) {
		struct ft_execlass ec;
		ft_execlass_read(&ec, fd, head, (size_t)got);
		why = ft_execlass_why(&ec);
	}
	close(fd);
	if (why == FT_UNTRACED_STATIC || why == FT_UNTRACED_GO) {
		int via = ft_via_ok(envp);
		/* `FTRACE_TEST_ID=x ./static` starts test x: the helper is a
		 * preloaded process, so it starts x itself */
		if (via == FT_VIA_COVERED)
			return 0;
		if (via == FT_VIA_YES && may_via && depth == 0)
			return FT__EXEC_VIA;
	}
	if (why) {
		ft_untraced_for(abs, (enum ft_untraced_why)why, envp);
		return why == FT_UNTRACED_FOREIGN ? FT__EXEC_FOREIGN : 0;
	}
	if (got > 0 && depth < 4 && ft_execlass_shebang(head, (size_t)got, interp, sizeof(interp)))
		return ft_exec_check(interp, FT_OP_EXEC, depth + 1, envp, 0);
	return 0;
}

int ft__exec_target(const char *abs, enum ft_op op, char *const *envp)
{
	int saved = errno, r;

	if (!ft__on())
		return 0;
	r = ft_exec_check(abs, op, 0, envp, 0);
	errno = saved;
	return r;
}

int ft__exec_path(const char *path, enum ft_op op, char *const *envp, char *via)
{
	char buf[FT__PATHBUF];
	int saved = errno, r = 0;
	long n;

	if (!ft__on() || !path)
		return 0;
	buf[0] = '\0';
	n = ft__path_abs(AT_FDCWD, path, buf, sizeof(buf));
	if (n < 0)
		ft__access(AT_FDCWD, path, op, ft__op_class(op), 0); /* records it unnamed */
	else if (n > 0 || buf[0] == '/')
		/* ignored paths (/proc/self/exe) still get checked */
		r = ft_exec_check(buf, op, 0, envp, via != NULL);
	if (r == FT__EXEC_VIA)
		memcpy(via, buf, strlen(buf) + 1);
	errno = saved;
	return r;
}

int ft__exec_search(const char *file, enum ft_op op, char *const *envp, char *via)
{
	char cand[FT__PATHBUF], abs[FT__PATHBUF];
	const char *path, *p;
	size_t flen;
	int saved = errno, r = 0;

	if (!ft__on() || !file || !file[0])
		return 0;
	if (strchr(file, '/'))
		return ft__exec_path(file, op, envp, via);
	path = ft__getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin"; /* glibc's default, confstr(_CS_PATH) */
	flen = strlen(file);
	for (p = path;; p++) {
		size_t dlen = strcspn(p, ":");
		struct stat st;
		long n;

		if (dlen + 1 + flen < sizeof(cand)) {
			memcpy(cand, p, dlen);
			cand[dlen] = '/';
			memcpy(cand + dlen + 1, file, flen + 1);
			n = ft__path_abs(AT_FDCWD, dlen ? cand : file, abs, sizeof(abs));
			if (n >= 0 && abs[0] == '/') {
				if (FT_REAL(stat)(abs, &st) < 0) {
					ft__access_abs(abs, strlen(abs), FT_OP_EXEC_SEARCH,
						       ft__op_class(FT_OP_EXEC_SEARCH), errno);
				} else if (S_ISREG(st.st_mode) && FT_REAL(access)(abs, X_OK) == 0) {
					if ((r = ft_exec_check(abs, op, 0, envp, via != NULL)) == FT__EXEC_VIA)
						memcpy(via, abs, strlen(abs) + 1);
					break;
				} else {
					/* exists, not executable: passed over, until chmod +x */
					ft__access_abs(abs, strlen(abs), FT_OP_EXEC_SEARCH,
						       ft__op_class(FT_OP_EXEC_SEARCH), 0);
				}
			}
		}
		p += dlen;
		if (!*p)
			break;
	}
	errno = saved;
	return r;
}
