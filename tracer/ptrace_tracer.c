/*
 * ptrace_tracer.c - see ptrace_tracer.h.
 *
 * The stop sequence for one file call, kernel >= 4.8 (seccomp runs after
 * syscall-enter):
 *     PTRACE_EVENT_SECCOMP stop   read nr, args, path; resume PTRACE_SYSCALL
 *     [PTRACE_EVENT_EXEC stop]    execve only; resume PTRACE_SYSCALL
 *     syscall-exit stop           read the result; record; resume PTRACE_CONT
 * PTRACE_GET_SYSCALL_INFO says which stop is which, so an older kernel's
 * extra syscall-enter stop is recognised and skipped instead of being taken
 * for the exit.  Between calls a tracee runs under PTRACE_CONT: no other
 * system call stops.
 *
 * A call interrupted by a signal exits with -ERESTART*: the kernel runs it
 * again (a new seccomp stop), so nothing is recorded for that exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/audit.h>

#include "ft_error.h"
#include "ft_openclass.h"
#include "ft_record.h"
#include "ft_recwrite.h"
#include "ptrace_env.h"
#include "ptrace_int.h"
#include "ptrace_seccomp.h"

#define FT_PTRACE_OPTIONS                                                          \
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |         \
	 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP |         \
	 PTRACE_O_EXITKILL)

static struct ft__ptracee *tracee_find(struct ft__ptracer *tr, pid_t pid)
{
	for (size_t i = 0; i < tr->nt; i++)
		if (tr->t[i].pid == pid)
			return &tr->t[i];
	return NULL;
}

static struct ft__ptracee *tracee_get(struct ft__ptracer *tr, pid_t pid)
{
	struct ft__ptracee *t = tracee_find(tr, pid);

	if (t)
		return t;
	if (tr->nt == tr->capt) {
		size_t ncap = tr->capt ? tr->capt * 2 : 16;
		struct ft__ptracee *nt = realloc(tr->t, ncap * sizeof(*nt));
		if (!nt)
			return NULL;
		tr->t = nt;
		tr->capt = ncap;
	}
	t = &tr->t[tr->nt];
	memset(t, 0, sizeof(*t));
	t->p1 = malloc(FT_PATH_MAX);
	t->p2 = malloc(FT_PATH_MAX);
	t->exec_buf = malloc(FT_ID_MAX + 1);
	if (!t->p1 || !t->p2 || !t->exec_buf) {
		free(t->p1);
		free(t->p2);
		free(t->exec_buf);
		return NULL;
	}
	t->pid = pid;
	t->ctx = FT__CTX_UNKNOWN;
	t->img = -1;
	tr->nt++;
	return t;
}

static void tracee_drop(struct ft__ptracer *tr, struct ft__ptracee *t)
{
	free(t->p1);
	free(t->p2);
	free(t->exec_buf);
	*t = tr->t[--tr->nt];
}

/* Name one path argument: from the string at args[path] relative to
 * args[dirfd], or from the open fd args[fd]. */
static long name_arg(struct ft__ptracer *tr, pid_t pid, const uint64_t *a, int dirfd_i, int path_i,
		     int fd_i, char *out)
{
	char raw[FT_PATH_MAX];
	int dirfd = dirfd_i >= 0 ? (int)a[dirfd_i] : AT_FDCWD;

	if (fd_i >= 0)
		return ft_ptrace_path_fd(pid, (int)a[fd_i], &tr->ign, out, FT_PATH_MAX);
	if (ft_ptrace_path_read(pid, a[path_i], raw, sizeof(raw)) < 0)
		return -1;
	return ft_ptrace_path_resolve(pid, dirfd, raw, &tr->ign, out, FT_PATH_MAX);
}

/*
 * Is this open the preload library making its region file in our run
 * directory (`<run dir>/.t-<pid>-<n>.tmp`, preload/region.c)?  Then the
 * preload is loaded and recording in this image, which can go back to the
 * cheaper path: from here on only its execs (an exec may start a static
 * program, which the preload leaves to us) and the calls made from code
 * other than libc, ld.so and the preload (ptrace_trust.h: a cgo Go binary's
 * runtime) stop for decoding, and the rest of its file calls run on.  Proof by the act, not by guessing from
 * LD_PRELOAD and the ELF: a preload that failed to load never opens it.
 */
static int is_preload_region(struct ft__ptracer *tr, pid_t pid, const uint64_t *a,
			     const struct ft_sc *sc)
{
	char raw[FT_PATH_MAX];
	const char *rd = tr->pt->run_dir;
	size_t rl = rd ? strlen(rd) : 0;

	if (!rl || ft_ptrace_path_read(pid, a[sc->path], raw, sizeof(raw)) < 0)
		return 0;
	return !strncmp(raw, rd, rl) && !strncmp(raw + rl, "/.t-", 4) &&
	       strlen(raw) > 4 && !strcmp(raw + strlen(raw) - 4, ".tmp");
}

/*
 * A call that only looks a path up (stat, lstat, access, readlink, open for
 * reading) changes nothing, and its record needs only its errno.  Waiting
 * for its exit stop doubles the cost of every such call (a stop is two
 * context switches, a waitpid and a ptrace round trip); the tracer makes
 * the same lookup itself at the seccomp stop instead, just before the call
 * runs, and lets it run on.  Calls that create, write, delete, list, exec
 * or change directory, name two paths, name an fd, could not be named, or
 * whose absolute path is too long to look up here keep their exit stop.
 */
static int lookup_only(const struct ft_sc *sc, const struct ft__ptracee *t)
{
	const uint32_t changes = FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC | FT_AC_DELETE |
				 FT_AC_LIST | FT_AC_EXEC | FT_AC_CHDIR;

	/* an absolute path of PATH_MAX or more fails here (ENAMETOOLONG)
	 * where the tracee's relative one may not: the exit stop decides */
	return sc->op != FT_OP_EXEC && sc->path2 < 0 && sc->fd < 0 && t->n1 >= 0 &&
	       t->n1 < PATH_MAX && !(t->cls & changes) &&
	       (t->op == FT_OP_OPEN || t->op == FT_OP_STAT || t->op == FT_OP_LSTAT ||
		t->op == FT_OP_ACCESS || t->op == FT_OP_READLINK);
}

/*
 * The errno the lookup will give, from the same lookup made here (the
 * tracer shares the tracee's view of the file system: path made absolute
 * through /proc/PID/cwd and the dirfd).  An open is checked with O_PATH (no
 * read permission asked, nothing opened: a FIFO or a device is not
 * touched), so an unreadable file counts as present: a content dependency,
 * more than the call saw, never less.  A path that changes between this
 * lookup and the call was modified during the run, which ingest judges.
 */
/* The tracer's own lookups must not be recorded: `ftrace __ptrace-exec`
 * runs with the preload library loaded (its image stands for the program
 * in the process tree), whose hooks would record them as the test's.  On
 * x86-64 (the only ABI the table decodes) they are made with the syscall
 * instruction itself, which no hook sees, and which the preload's raw-call
 * trap leaves alone in ftrace's own image (preload/rawtrap.c); -errno on
 * failure. */
#if defined(__x86_64__)
static long raw4(long n, long a1, long a2, long a3, long a4)
{
	long ret;
	register long r10 __asm__("r10") = a4;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}
#else
static long raw4(long n, long a1, long a2, long a3, long a4)
{
	long r = syscall(n, a1, a2, a3, a4);
	return r < 0 ? -errno : r;
}
#endif

static int lookup_errno(const struct ft_sc *sc, const struct ft__ptracee *t,
			const uint64_t *a, uint64_t how_flags)
{
	const long p = (long)(uintptr_t)t->p1;
	long rc;

	if (t->op == FT_OP_READLINK) {
		char b[1];
		rc = raw4(SYS_readlinkat, AT_FDCWD, p, (long)(uintptr_t)b, (long)sizeof(b));
	} else if (t->op == FT_OP_ACCESS) {
		long mode = (long)a[sc->nr == SYS_access ? 1 : 2];
		long fl = sc->atflags >= 0 ? (long)(a[(int)sc->atflags] & AT_SYMLINK_NOFOLLOW) : 0;
		rc = raw4(SYS_faccessat2, AT_FDCWD, p, mode, fl);
		if (rc == -ENOSYS && !fl) /* before Linux 5.8 */
			rc = raw4(SYS_faccessat, AT_FDCWD, p, mode, 0);
	} else if (t->op == FT_OP_OPEN) {
		long of = sc->how >= 0 ? (long)how_flags : sc->flags >= 0 ? (long)a[(int)sc->flags] : 0;
		rc = raw4(SYS_openat, AT_FDCWD, p, O_PATH | O_CLOEXEC | (of & (O_NOFOLLOW | O_DIRECTORY)), 0);
		if (rc >= 0)
			raw4(SYS_close, rc, 0, 0, 0);
	} else {
		struct stat st;
		rc = raw4(SYS_newfstatat, AT_FDCWD, p, (long)(uintptr_t)&st,
			  t->op == FT_OP_LSTAT ? AT_SYMLINK_NOFOLLOW : 0);
	}
	return rc < 0 ? (int)-rc : 0;
}

static void on_seccomp(struct ft__ptracer *tr, struct ft__ptracee *t, const struct __ptrace_syscall_info *si)
{
	const struct ft_sc *sc;
	const uint64_t *a = si->seccomp.args;
	uint64_t how_flags = 0;

	sc = si->arch == AUDIT_ARCH_X86_64 ? ft_sctab_find((long)si->seccomp.nr) : NULL;
	if (!sc || !(sc->who & FT_SC_PTRACE)) {
		/* The filter stops other ABIs on purpose: we cannot decode them. */
		ft__ptrace_untraced(tr, t->ctx, FT_UNTRACED_UNKNOWN, "a system call of another ABI");
		return;
	}
	if (t->img >= 0 && tr->img[t->img].preloaded && sc->op != FT_OP_EXEC &&
	    ft_ptrace_trust_has(&tr->img[t->img].trust, si->instruction_pointer)) {
		t->in_call = 0; /* its preload records it: run on */
		return;
	}
	/* The preload proves itself by opening its region file; the code whose
	 * calls it sees is then mapped (libc, ld.so, the preload).  No such
	 * code found: the image stays decoded. */
	if (t->img >= 0 && !tr->img[t->img].preloaded && sc->op == FT_OP_OPEN && sc->path >= 0 &&
	    is_preload_region(tr, t->pid, a, sc) && ft_ptrace_trust_load(&tr->img[t->img].trust, t->pid) > 0)
		tr->img[t->img].preloaded = 1;
	t->sc = sc;
	t->n1 = t->n2 = 0;
	t->exec_id = -1;
	if (sc->how >= 0) {
		struct iovec l = { &how_flags, sizeof(how_flags) };
		struct iovec r = { (void *)(uintptr_t)a[(int)sc->how], sizeof(how_flags) };
		if (process_vm_readv(t->pid, &l, 1, &r, 1, 0) != (ssize_t)sizeof(how_flags))
			t->n1 = -1; /* the call fails with EFAULT, or we cannot say what it did */
	}
	ft_sctab_class(sc, a, how_flags, &t->op, &t->cls);
	if (!t->n1) {
		int fd_i = sc->fd;
		/* execveat(fd, "", AT_EMPTY_PATH) executes the fd itself;
		 * linkat and fchownat so link and change the fd's file */
		if ((sc->nr == SYS_execveat || sc->nr == SYS_linkat || sc->nr == SYS_fchownat) &&
		    (a[4] & AT_EMPTY_PATH)) {
			char c = 1;
			struct iovec l = { &c, 1 }, r = { (void *)(uintptr_t)a[1], 1 };
			if (process_vm_readv(t->pid, &l, 1, &r, 1, 0) == 1 && c == '\0')
				fd_i = sc->dirfd;
		}
		/* utimensat and futimesat with a NULL path set the dirfd's
		 * times (futimens, futimes) */
		if ((sc->nr == SYS_utimensat || sc->nr == SYS_futimesat) && !a[1])
			fd_i = sc->dirfd;
		t->n1 = name_arg(tr, t->pid, a, sc->dirfd, sc->path, fd_i, t->p1);
	}
	if (sc->path2 >= 0) {
		t->op2 = sc->op2;
		t->cls2 = ft_op_class(sc->op2);
		t->n2 = name_arg(tr, t->pid, a, sc->dirfd2, sc->path2, -1, t->p2);
	}
	if (sc->op == FT_OP_EXEC)
		t->exec_id = ft_ptrace_env_get(t->pid, a[sc->nr == SYS_execveat ? 3 : 2], FT_ENV_TEST_ID,
					       t->exec_buf, FT_ID_MAX + 1);
	if (lookup_only(sc, t)) {
		/* one stop, not two: the lookup's result, seen from here */
		if (t->n1 > 0)
			ft__ptrace_emit(tr, t->ctx, t->op, t->cls, t->n1, t->p1,
					lookup_errno(sc, t, a, how_flags));
		t->in_call = 0;
		return;
	}
	t->in_call = 1;
}

/* A successful exec with FTRACE_TEST_ID=<id> other than the process's
 * test starts test <id> for its subtree (preload/context.c, same rule). */
static void exec_context(struct ft__ptracer *tr, struct ft__ptracee *t)
{
	int ctx;

	if (t->exec_id == -2) {
		ft__ptrace_untraced(tr, t->ctx, FT_UNTRACED_UNKNOWN, "an exec environment could not be read");
		return;
	}
	if (t->exec_id < 0 || !strcmp(t->exec_buf, tr->ctx[t->ctx].id))
		return;
	ctx = ft__ptrace_ctx_intern(tr, t->exec_buf, (size_t)t->exec_id);
	if (ctx < 0) {
		ft__ptrace_note(tr, ctx);
		return;
	}
	t->ctx = ctx;
	t->owns = t->exec_id > 0; /* "" is the prelude: nothing to begin or end */
	if (t->owns)
		ft__ptrace_ctx_switch(tr, ctx, FT_REC_TEST_BEGIN);
}

static void on_exit_stop(struct ft__ptracer *tr, struct ft__ptracee *t, const struct __ptrace_syscall_info *si)
{
	int err = si->exit.is_error ? (int)-si->exit.rval : 0;

	if (err >= 512 && err <= 516) /* ERESTART*: the kernel runs the call again */
		goto done;
	if (t->sc->fd >= 0 && err) /* getdents, fchdir: a failure listed nothing */
		goto done;
	ft__ptrace_emit(tr, t->ctx, t->op, t->cls, t->n1, t->p1, err);
	if (t->sc->path2 >= 0)
		ft__ptrace_emit(tr, t->ctx, t->op2, t->cls2, t->n2, t->p2, err);
	if (t->sc->op == FT_OP_EXEC && !err) {
		/* a new image: a region of its own, with its argv and cwd */
		const struct ft__ptrace_img *old = &tr->img[t->img];
		int im = ft__ptrace_img_new(tr, old->pid, old->ppid, t->ctx);
		if (im < 0) {
			ft__ptrace_note(tr, im);
		} else {
			t->img = tr->im = im;
			ft__ptrace_img_proc(tr, im, t->pid);
			ft__ptrace_go_exec(tr, im, t->ctx, t->p1);
		}
		exec_context(tr, t);
	}
done:
	t->in_call = 0;
}

/* A traced process exited: end the test it started, as its preload would. */
static void on_gone(struct ft__ptracer *tr, struct ft__ptracee *t, int st)
{
	/* a Go test binary's environment reads, from its test log: whole once
	 * the process has ended, and the test's, before its end */
	if (t->img >= 0 && tr->img[t->img].pid == t->pid)
		ft__ptrace_go_gone(tr, t->img, t->ctx);
	if (t->owns && t->ctx > 0) {
		int passed = WIFEXITED(st) && WEXITSTATUS(st) == 0;
		const char *id = tr->ctx[t->ctx].id;
		struct ft__ptrace_img *im = &tr->img[t->img >= 0 ? t->img : 0];
		ft__ptrace_note(tr, ft_recwrite_add(&im->w, FT_REC_TEST_END, 0, 0,
					 passed ? FT_OUTCOME_PASSED : FT_OUTCOME_FAILED, id, strlen(id)));
		im->cur = -1; /* the reader is back in the prelude: the next record names its context */
	}
	/* How the process ended (FT_REC_EXIT): its leader's report comes
	 * last, once every thread is gone, with the process's status */
	if (t->img >= 0 && tr->img[t->img].pid == t->pid) {
		struct ft_rec_exit e = { (int32_t)t->pid, (int32_t)st };
		ft__ptrace_note(tr, ft_recwrite_add(&tr->img[t->img].w, FT_REC_EXIT, 0, 0, FT_EXIT_SELF,
						    (const char *)&e, sizeof(e)));
	}
	tracee_drop(tr, t);
}

/* Thread `former` exec'd and now has the leader's pid: its pending execve
 * (the exit stop still to come) replaces the leader's state. */
static struct ft__ptracee *exec_moved(struct ft__ptracer *tr, pid_t pid, pid_t former)
{
	struct ft__ptracee *t = tracee_get(tr, pid), *f;
	char *p1, *p2, *eb;

	f = t ? tracee_find(tr, former) : NULL;
	if (!t || !f)
		return t;
	p1 = t->p1;
	p2 = t->p2;
	eb = t->exec_buf;
	*t = *f;
	t->pid = pid;
	f->p1 = p1; /* the buffers swap owners: each is freed once */
	f->p2 = p2;
	f->exec_buf = eb;
	tracee_drop(tr, f);
	return tracee_find(tr, pid);
}

static int resume(struct ft__ptracee *t, int sig)
{
	return (int)ptrace(t->in_call ? PTRACE_SYSCALL : PTRACE_CONT, t->pid, 0, (long)sig);
}

static int is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static int proc_status(pid_t pid, pid_t *tgid, pid_t *ppid, pid_t *tracer);

/* The image new tracee `c` writes into: its thread group's (a thread), or
 * a new one whose parent is image `pim`'s process (a process).  A tracee
 * already gone gets its parent's: it has nothing left to record.  (An
 * index, not the parent's entry: tracee_get() may have moved the table.) */
static void child_image(struct ft__ptracer *tr, struct ft__ptracee *c, int pim)
{
	pid_t tgid = 0, ppid = 0, tracer = 0;
	int im;

	if (pim < 0)
		pim = 0;

	if (proc_status(c->pid, &tgid, &ppid, &tracer) < 0 || tgid != c->pid) {
		c->img = pim;
		return;
	}
	im = ft__ptrace_img_new(tr, c->pid, tr->img[pim].pid, c->ctx);
	if (im < 0) {
		ft__ptrace_note(tr, im);
		im = pim;
	}
	/* a fork child has its parent's memory: the same preload, recording */
	tr->img[im].preloaded = tr->img[pim].preloaded;
	tr->img[im].trust = tr->img[pim].trust;
	c->img = im;
}

/* fork, vfork, clone: the new tracee belongs to its parent's test.  It may
 * have reported its attach stop already; it waited for this. */
static void on_new_child(struct ft__ptracer *tr, struct ft__ptracee *parent)
{
	unsigned long msg = 0;
	struct ft__ptracee *c;
	pid_t ppid = parent->pid;
	int ctx = parent->ctx, pim = parent->img;

	if (ptrace(PTRACE_GETEVENTMSG, ppid, 0, &msg) < 0 || !msg)
		return;
	c = tracee_get(tr, (pid_t)msg);
	if (!c) {
		ft__ptrace_note(tr, -ENOMEM);
		return;
	}
	c->ctx = ctx;
	if (c->img < 0)
		child_image(tr, c, pim);
	if (c->held) {
		c->held = 0;
		resume(c, 0);
	}
}

/* Tgid, PPid and TracerPid of `pid` from /proc; 0 on success. */
static int proc_status(pid_t pid, pid_t *tgid, pid_t *ppid, pid_t *tracer)
{
	char path[64], line[256];
	FILE *f;
	int got = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		long v;
		if (sscanf(line, "Tgid: %ld", &v) == 1)
			*tgid = (pid_t)v, got |= 1;
		else if (sscanf(line, "PPid: %ld", &v) == 1)
			*ppid = (pid_t)v, got |= 2;
		else if (sscanf(line, "TracerPid: %ld", &v) == 1)
			*tracer = (pid_t)v, got |= 4;
	}
	fclose(f);
	return got == 7 ? 0 : -1;
}

/*
 * A new tracee's test, before its parent's fork event names it: the test
 * of its thread group (a thread) or of its parent (a process), if that one
 * is a tracee whose test is known.  Returns 1 (t->ctx set), 0 (wait for
 * the event: the parent is alive and ours), or -1 (the parent is gone
 * without reporting the fork: killed during it, so no event will come).
 */
static int adopt(struct ft__ptracer *tr, struct ft__ptracee *t)
{
	pid_t tgid = 0, ppid = 0, tracer = 0, p;
	struct ft__ptracee *pt;

	if (proc_status(t->pid, &tgid, &ppid, &tracer) < 0)
		return 0; /* it is exiting: its exit report comes next */
	p = tgid != t->pid ? tgid : ppid;
	pt = tracee_find(tr, p);
	if (pt && pt->ctx != FT__CTX_UNKNOWN) {
		t->ctx = pt->ctx;
		if (t->img < 0)
			child_image(tr, t, pt->img);
		return 1;
	}
	if (proc_status(p, &tgid, &ppid, &tracer) == 0 && tracer == getpid())
		return 0;
	return -1;
}

/* Held tracees whose parent died mid-fork would wait for ever: their test
 * cannot be known, so every test of the tree is marked untraced. */
static void release_orphans(struct ft__ptracer *tr)
{
	for (size_t i = 0; i < tr->nt; i++) {
		struct ft__ptracee *t = &tr->t[i];
		int r;
		if (!t->held || (r = adopt(tr, t)) == 0)
			continue;
		if (r < 0) {
			for (size_t c = 0; c < tr->nctx; c++)
				ft__ptrace_untraced(tr, (int)c, FT_UNTRACED_UNKNOWN,
					      c ? NULL : "a process whose parent died while forking it");
			t->ctx = 0;
			t->img = 0;
		}
		t->held = 0;
		resume(t, 0);
	}
}

/* Trace until no tracee is left; *wstatus gets the root's status. */
static int trace_loop(struct ft__ptracer *tr, pid_t root, int *wstatus)
{
	struct ft__ptracee *rt = tracee_get(tr, root);
	int root_seen = 0;

	if (!rt)
		return -ENOMEM;
	rt->ctx = 0;
	rt->img = 0;
	for (;;) {
		struct __ptrace_syscall_info si;
		struct ft__ptracee *t;
		int st, sig, ev;
		pid_t pid = waitpid(-1, &st, __WALL);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			return -errno;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (pid == root) {
				*wstatus = st;
				root_seen = 1;
			}
			/* Killed or exited inside a call (another thread's exit_group):
			 * it never saw the result, so nothing depends on it. */
			if ((t = tracee_find(tr, pid))) {
				on_gone(tr, t, st);
				release_orphans(tr);
			}
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		t = tracee_get(tr, pid);
		if (!t) {
			ft__ptrace_note(tr, -ENOMEM);
			ft__ptrace_untraced(tr, 0, FT_UNTRACED_UNKNOWN, "out of memory");
			ptrace(PTRACE_CONT, pid, 0, 0);
			continue;
		}
		sig = WSTOPSIG(st);
		ev = st >> 16;
		if (t->ctx == FT__CTX_UNKNOWN && ev == PTRACE_EVENT_STOP) {
			int r = adopt(tr, t);
			if (r == 0) {
				t->held = 1; /* its parent's fork event names its test */
				continue;
			}
			if (r < 0) {
				t->held = 1;
				release_orphans(tr);
				continue;
			}
		}
		if (t->ctx == FT__CTX_UNKNOWN) /* cannot happen before the attach stop */
			t->ctx = 0;
		if (t->img < 0)
			t->img = 0;
		tr->im = t->img;
		if (sig == (SIGTRAP | 0x80)) {
			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(si), &si) > 0 &&
			    si.op == PTRACE_SYSCALL_INFO_EXIT && t->in_call)
				on_exit_stop(tr, t, &si);
			resume(t, 0);
		} else if (ev == PTRACE_EVENT_SECCOMP) {
			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(si), &si) > 0 &&
			    si.op == PTRACE_SYSCALL_INFO_SECCOMP)
				on_seccomp(tr, t, &si);
			else
				ft__ptrace_untraced(tr, t->ctx, FT_UNTRACED_UNKNOWN, "PTRACE_GET_SYSCALL_INFO failed");
			resume(t, 0);
		} else if (ev == PTRACE_EVENT_EXEC) {
			unsigned long former = 0;
			/* A non-leader thread that execs takes over the leader's
			 * pid: its pending execve moves with it. */
			if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &former) == 0 && (pid_t)former != pid)
				t = exec_moved(tr, pid, (pid_t)former);
			if (t)
				resume(t, 0);
		} else if (ev == PTRACE_EVENT_STOP) {
			if (is_stop_signal(sig))
				ptrace(PTRACE_LISTEN, pid, 0, 0); /* group-stop: stay stopped */
			else
				resume(t, 0);
		} else if (ev == PTRACE_EVENT_FORK || ev == PTRACE_EVENT_VFORK || ev == PTRACE_EVENT_CLONE) {
			on_new_child(tr, t);
			if ((t = tracee_find(tr, pid))) /* on_new_child may have moved the table */
				resume(t, 0);
		} else if (ev) {
			resume(t, 0); /* vfork-done */
		} else {
			resume(t, sig); /* signal-delivery-stop: deliver it */
		}
	}
	return root_seen ? 0 : -ECHILD;
}

int ft_ptrace_prepare(struct ft_ptrace *pt, const char *program, const char *run_dir,
		      const char *state_dir, const char *context)
{
	const char *env = getenv(FT_ENV_PTRACE);

	memset(pt, 0, sizeof(*pt));
	pt->p2c[0] = pt->p2c[1] = pt->c2p[0] = pt->c2p[1] = -1;
	pt->program = program;
	pt->run_dir = run_dir;
	pt->state_dir = state_dir;
	pt->context = context ? context : "";
	pt->off = env && !strcmp(env, "0");
	if (pipe2(pt->p2c, O_CLOEXEC) < 0 || pipe2(pt->c2p, O_CLOEXEC) < 0) {
		int rc = -errno;
		ft_ptrace_release(pt);
		return rc;
	}
	return 0;
}

void ft_ptrace_child(struct ft_ptrace *pt)
{
	char c = 'U';
	ssize_t n;

	close(pt->p2c[1]);
	close(pt->c2p[0]);
	do
		n = read(pt->p2c[0], &c, 1);
	while (n < 0 && errno == EINTR);
	close(pt->p2c[0]);
	if (n == 1 && c == 'T') {
		int rc = ft_ptrace_seccomp_install();
		if (rc < 0) {
			/* Traced but unfiltered: no file call would stop.  Tell
			 * the parent; the program still runs, untraced. */
			char msg[1 + sizeof(int)];
			int e = -rc;
			msg[0] = 'F';
			memcpy(msg + 1, &e, sizeof(e));
			if (write(pt->c2p[1], msg, sizeof(msg)) < 0)
				_exit(127);
		}
	}
	/* c2p[1] is O_CLOEXEC: exec closes it, which the parent reads as EOF. */
}

int ft_ptrace_parent(struct ft_ptrace *pt, pid_t pid, int *wstatus)
{
	struct ft__ptracer tr;
	int traced = 0, rc, seize_errno = 0;
	char go, msg[1 + sizeof(int)];
	ssize_t n;

	memset(&tr, 0, sizeof(tr));
	tr.pt = pt;
	tr.ign.state_dir = pt->state_dir;
	tr.ign.run_dir = pt->run_dir;
	close(pt->p2c[0]);
	close(pt->c2p[1]);
	pt->p2c[0] = pt->c2p[1] = -1;

	tr.im = -1;
	rc = ft__ptrace_ctx_intern(&tr, pt->context, strlen(pt->context));
	if (rc >= 0)
		rc = ft__ptrace_img_new(&tr, pid, getpid(), 0); /* the root, until it execs */
	if (rc >= 0)
		rc = tr.rc;
	if (!pt->off) {
		if (ptrace(PTRACE_SEIZE, pid, 0, (void *)(long)FT_PTRACE_OPTIONS) == 0)
			traced = 1;
		else
			seize_errno = errno;
	}
	go = traced ? 'T' : 'U';
	if (write(pt->p2c[1], &go, 1) != 1 && !rc)
		rc = -errno;
	close(pt->p2c[1]);
	pt->p2c[1] = -1;

	if (!traced) {
		char why[160];
		if (pt->off)
			snprintf(why, sizeof(why), "%s=0", FT_ENV_PTRACE);
		else
			snprintf(why, sizeof(why), "PTRACE_SEIZE: %s", strerror(seize_errno));
		ft__ptrace_untraced(&tr, 0, FT_UNTRACED_STATIC, why);
		while (waitpid(pid, wstatus, 0) < 0) {
			if (errno != EINTR) {
				if (!rc)
					rc = -errno;
				break;
			}
		}
	} else {
		int lrc = trace_loop(&tr, pid, wstatus);
		if (lrc < 0 && !rc)
			rc = lrc;
		tr.im = 0; /* what follows is about the whole tree: the root's first image */
		/* The filter's fate: 'F' + errno if it was refused. */
		do
			n = read(pt->c2p[0], msg, sizeof(msg));
		while (n < 0 && errno == EINTR);
		if (n == (ssize_t)sizeof(msg) && msg[0] == 'F') {
			int e;
			char why[160];
			memcpy(&e, msg + 1, sizeof(e));
			snprintf(why, sizeof(why), "seccomp filter: %s", strerror(e));
			ft__ptrace_untraced(&tr, 0, FT_UNTRACED_STATIC, why);
		}
	}
	if (!rc && tr.rc)
		rc = tr.rc;
	if (!rc)
		rc = ft__ptrace_save(&tr);
	while (tr.nt)
		tracee_drop(&tr, &tr.t[0]);
	free(tr.t);
	for (size_t i = 0; i < tr.nctx; i++)
		free(tr.ctx[i].id);
	free(tr.ctx);
	ft__ptrace_img_release(&tr);
	return rc;
}

void ft_ptrace_release(struct ft_ptrace *pt)
{
	for (int i = 0; i < 2; i++) {
		if (pt->p2c[i] >= 0)
			close(pt->p2c[i]);
		if (pt->c2p[i] >= 0)
			close(pt->c2p[i]);
		pt->p2c[i] = pt->c2p[i] = -1;
	}
}
