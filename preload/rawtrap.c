/*
 * rawtrap.c - system calls made outside libc, trapped by the kernel.
 *
 * The hooks see what a program asks of libc.  Code that makes its own
 * system calls (Rust's rustix on its default linux_raw back end, inline
 * assembly, a JIT's stubs) opens and stats files that no hook sees.  Go and
 * liburing are known by name (libs.c); the rest are caught here, with the
 * kernel's syscall user dispatch (Linux 5.11+, x86-64): every system call
 * made from outside libc's executable segment, in a thread that armed it,
 * stops with SIGSYS before the kernel runs it, and ft_trap() below decides:
 *
 *   - from ld.so (dlopen) or the vDSO: run it for the caller, as before;
 *   - a file call of the one syscall table (common/ft_sctab.h): run it for
 *     the caller and record it, as the syscall() hook records a call;
 *   - a call that cannot be run from a signal handler for the caller
 *     (clone, fork, exec, the signal mask, chdir, the thread pointer,
 *     seccomp): the process is marked untraced (ft__rawsys_mark), the trap
 *     is switched off for the whole process (the selector byte) and the
 *     call is restarted as the program made it;
 *   - any other call: run it for the caller.
 *
 * Every thread must arm the trap itself (the kernel does not pass it on to
 * a thread or a fork child): the pthread_create and fork hooks do
 * (hook_rawtrap.c, init.c).  A thread made by a raw clone is the third case
 * above.  What the program sets for SIGSYS (LLVM's crash handlers, a
 * spawner resetting every signal before exec, a seccomp sandbox) is kept
 * aside: the trap's handler stays installed, passes every SIGSYS that is
 * not the trap's on to it, and sigaction reports it as set.  A program that
 * sets up syscall user dispatch itself switches the trap off and is marked
 * untraced.
 *
 * Not armed (the hooks alone, as before): under ptrace, which sees raw
 * calls itself; in a process already marked (Go); in ftrace's own image
 * (its tracer's lookups are raw so as not to be recorded); when SIGSYS is
 * not at its default action at start; on kernels or machines without the
 * feature.
 */
#include <errno.h>
#include <gnu/libc-version.h>
#include <link.h>
#include <signal.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include <linux/audit.h>

#include "ft_preload.h"
#include "ft_sctab.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif
#ifndef PR_SYS_DISPATCH_ON
#define PR_SYS_DISPATCH_OFF 0
#define PR_SYS_DISPATCH_ON 1
#endif
#ifndef SYSCALL_DISPATCH_FILTER_ALLOW
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif
#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH 2
#endif

#if defined(__x86_64__)

struct ft_range {
	uintptr_t lo, hi;
};

static struct ft_range ft_libc, ft_ldso, ft_vdso;
/* The kernel reads it at each call from outside libc: BLOCK traps, ALLOW
 * lets the call through.  One byte for every thread. */
static volatile char ft_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
static int ft_armed;                  /* the trap is on in this image */
/* What the program set for SIGSYS: the trap's handler stays installed and
 * passes on every SIGSYS that is not the trap's (ft_pass_on). */
static struct sigaction ft_app;
static __thread int ft_in_trap __attribute__((tls_model("initial-exec"))); /* in ft_trap() */

static int ft_in(const struct ft_range *r, uintptr_t ip)
{
	return ip >= r->lo && ip < r->hi;
}

struct ft_find {
	uintptr_t libc_fn, ldso_base, vdso_base;
};

/* The executable segment of each object we need: libc's (holding one of
 * its functions), ld.so's (AT_BASE) and the vDSO's (AT_SYSINFO_EHDR). */
static int ft_find_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	const struct ft_find *f = data;
	uintptr_t first = UINTPTR_MAX;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_LOAD && info->dlpi_addr + info->dlpi_phdr[i].p_vaddr < first)
			first = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		struct ft_range r;

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		r.lo = info->dlpi_addr + ph->p_vaddr;
		r.hi = r.lo + ph->p_memsz;
		if (ft_in(&r, f->libc_fn))
			ft_libc = r;
		else if (f->ldso_base && first == f->ldso_base)
			ft_ldso = r;
		else if (f->vdso_base && first == f->vdso_base)
			ft_vdso = r;
	}
	return 0;
}

/* The calls that cannot be made from a signal handler on the caller's
 * behalf: they create a thread or a process on our frame, replace the
 * image, change the mask or handlers that sigreturn restores, move the
 * cwd the path code names relative paths against, or change the thread
 * pointer our own thread-local variable is read through. */
static int ft_not_ours(long nr)
{
	switch (nr) {
	case SYS_clone: case SYS_clone3: case SYS_fork: case SYS_vfork:
	case SYS_execve: case SYS_execveat: case SYS_rt_sigreturn:
	case SYS_rt_sigprocmask: case SYS_rt_sigaction: case SYS_sigaltstack:
	case SYS_rt_sigsuspend: case SYS_chdir: case SYS_fchdir:
	case SYS_arch_prctl: case SYS_prctl: case SYS_seccomp:
	case SYS_io_uring_setup: case SYS_io_uring_enter: case SYS_io_uring_register:
		return 1;
	default:
		return 0;
	}
}

static const char *ft_call_name(long nr)
{
	const struct ft_sc *sc = ft_sctab_find(nr);

	if (sc)
		return sc->name;
	switch (nr) {
	case SYS_clone: return "clone";
	case SYS_clone3: return "clone3";
	case SYS_fork: return "fork";
	case SYS_vfork: return "vfork";
	case SYS_rt_sigreturn: return "rt_sigreturn";
	case SYS_rt_sigprocmask: return "rt_sigprocmask";
	case SYS_rt_sigaction: return "rt_sigaction";
	case SYS_sigaltstack: return "sigaltstack";
	case SYS_rt_sigsuspend: return "rt_sigsuspend";
	case SYS_arch_prctl: return "arch_prctl";
	case SYS_prctl: return "prctl";
	case SYS_seccomp: return "seccomp";
	case SYS_io_uring_setup: return "io_uring_setup";
	case SYS_io_uring_enter: return "io_uring_enter";
	case SYS_io_uring_register: return "io_uring_register";
	default: return NULL;
	}
}

/* Mark the process untraced (naming the call), let every later call
 * through, and make the kernel run this one again as the program made it:
 * on return the `syscall` instruction (2 bytes) runs once more, with the
 * number the kernel put back in rax. */
static void ft_give_up(ucontext_t *uc, long nr)
{
	const char *name = ft_call_name(nr);
	char what[64] = "raw system call ";
	char *p = what + strlen(what);

	if (name) {
		size_t n = strnlen(name, 32);
		memcpy(p, name, n);
		p[n] = '\0';
	} else {
		*ft__utoa(p, (unsigned long)nr) = '\0';
	}
	ft_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	ft__rawsys_mark(what);
	uc->uc_mcontext.gregs[REG_RIP] -= 2;
}

/* Somebody else's SIGSYS (seccomp's SECCOMP_RET_TRAP, a kill): what the
 * program set for it.  Its handler runs with our mask (SIGSYS blocked), not
 * with the sa_mask it asked for. */
static void ft_pass_on(int sig, siginfo_t *si, void *ucv)
{
	struct sigaction a = ft_app;

	if (a.sa_handler == SIG_IGN)
		return;
	if (a.sa_handler == SIG_DFL) {
		/* killed on return, as without us (the signal is blocked here) */
		struct sigaction dfl;
		memset(&dfl, 0, sizeof(dfl));
		dfl.sa_handler = SIG_DFL;
		FT_REAL(sigaction)(sig, &dfl, NULL);
		raise(sig);
		return;
	}
	if (a.sa_flags & SA_RESETHAND) {
		ft_app.sa_handler = SIG_DFL;
		ft_app.sa_flags &= ~SA_SIGINFO;
	}
	if (a.sa_flags & SA_SIGINFO)
		a.sa_sigaction(sig, si, ucv);
	else
		a.sa_handler(sig);
}

static void ft_trap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;
	const struct ft_sc *sc;
	uintptr_t ip = (uintptr_t)g[REG_RIP];
	long nr = si->si_syscall, a[6], r;
	int saved = errno;

	if (si->si_code != SYS_USER_DISPATCH) {
		errno = saved;
		ft_pass_on(sig, si, ucv);
		return;
	}
	if (ft_in_trap || si->si_arch != AUDIT_ARCH_X86_64 || ft_not_ours(nr)) {
		ft_give_up(uc, nr);
		errno = saved;
		return;
	}
	sc = ft_sctab_find(nr);
	if (sc && !ft_in(&ft_ldso, ip) && !ft_in(&ft_vdso, ip) && !ft__on()) {
		/* inside one of our own hooks (a signal handler's raw call):
		 * it cannot be recorded now */
		ft_give_up(uc, nr);
		errno = saved;
		return;
	}
	a[0] = g[REG_RDI]; a[1] = g[REG_RSI]; a[2] = g[REG_RDX];
	a[3] = g[REG_R10]; a[4] = g[REG_R8]; a[5] = g[REG_R9];
	ft_in_trap = 1;
	/* libc's syscall() turns the kernel's -errno into -1 and errno, and
	 * passes every other value through: the inverse is exact */
	r = FT_REAL(syscall)(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	g[REG_RAX] = r == -1 ? -errno : r;
	if (sc && !ft_in(&ft_ldso, ip) && !ft_in(&ft_vdso, ip))
		ft__sc_record(sc, a, r);
	ft_in_trap = 0;
	errno = saved;
}

int ft__rawtrap_armed(void)
{
	return ft_armed && ft_selector == SYSCALL_DISPATCH_FILTER_BLOCK;
}

void ft__rawtrap_thread(void)
{
	int saved = errno;

	if (ft__rawtrap_armed() &&
	    FT_REAL(prctl)(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, ft_libc.lo, ft_libc.hi - ft_libc.lo,
		  &ft_selector) != 0)
		ft__rawtrap_off("raw system calls of a thread left unseen");
	errno = saved;
}

void ft__rawtrap_off(const char *why)
{
	if (!ft__rawtrap_armed())
		return;
	ft_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	ft__rawsys_mark(why);
}

int ft__rawtrap_sigaction(const struct sigaction *act, struct sigaction *old)
{
	struct sigaction was;

	if (!ft_armed)
		return 0;
	was = ft_app;
	if (act)
		ft_app = *act;
	if (old)
		*old = was;
	return 1;
}

void ft__rawtrap_init(void)
{
	struct ft_find f = { (uintptr_t)&gnu_get_libc_version, getauxval(AT_BASE),
			     getauxval(AT_SYSINFO_EHDR) };
	struct sigaction sa, old;

	const char *execfn = (const char *)getauxval(AT_EXECFN);

	if (!ft__proc.active || ft__proc.ptraced || ft__proc.rawsys)
		return;
	/* ftrace's own image (`ftrace __ptrace-exec`, exec'd by its absolute
	 * path): the tracer makes its lookups with raw calls on purpose, so
	 * that they are not recorded as the test's (tracer/ptrace_tracer.c) */
	if (execfn && ft__proc.exe[0] && !strcmp(execfn, ft__proc.exe))
		return;
	dl_iterate_phdr(ft_find_cb, &f);
	if (!ft_libc.lo || !ft_in(&ft_libc, (uintptr_t)FT_REAL(syscall)))
		return; /* our calls must come from inside the allowed range */
	if (FT_REAL(sigaction)(SIGSYS, NULL, &old) != 0 || old.sa_handler != SIG_DFL)
		return; /* inherited SIG_IGN, or a handler already there: theirs */
	ft_app = old;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = ft_trap;
	sa.sa_flags = SA_SIGINFO;
	if (FT_REAL(sigaction)(SIGSYS, &sa, NULL) != 0)
		return;
	if (FT_REAL(prctl)(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, ft_libc.lo, ft_libc.hi - ft_libc.lo,
		  &ft_selector) != 0) {
		FT_REAL(sigaction)(SIGSYS, &old, NULL);
		return; /* before Linux 5.11, or not built in */
	}
	ft_armed = 1;
	ft_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
}

#else /* no syscall user dispatch decoding for this machine yet */

int ft__rawtrap_armed(void) { return 0; }
int ft__rawtrap_sigaction(const struct sigaction *act, struct sigaction *old) { (void)act; (void)old; return 0; }
void ft__rawtrap_thread(void) {}
void ft__rawtrap_off(const char *why) { (void)why; }
void ft__rawtrap_init(void) {}

#endif
