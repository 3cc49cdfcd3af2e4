/*
 * ft_preload.h - what the files of the interposer share (internal, ft__*).
 *
 * Layout of preload/ (one concept per file):
 *   init.c      constructor: activation, test context at start, fork
 *   real.c      the table of real functions, resolved with dlsym(RTLD_NEXT)
 *   region.c    transport: region files, reservation, publication
 *   dedup.c     per-process table of (generation, class, path) already written
 *   path.c      absolute paths from cwd / dirfd, and the paths never recorded
 *   record.c    ft__access() and friends: the one way a hook records
 *   context.c   current test context and the exported control API (ftrace.h)
 *   control.c   the control path: context switches named as reserved paths
 *   env.c       re-injecting ftrace's variables into a child's environment
 *   exec_target.c  can the exec'd program be traced (setuid; static, Go:
 *               common/ft_execlass.h)?
 *   libs.c      objects loaded by ld.so (dl_iterate_phdr) and dlopen
 *   rawtrap.c   system calls made outside libc, trapped by the kernel
 *               (hook_rawtrap.c: the threads and signal calls that keep it)
 *   hook_*.c    the hooks, grouped by family
 *
 * Rules for everything called while recording (docs/interposer.md): no
 * malloc, no stdio, no locks, no exit; errno is saved and restored by
 * record.c; re-entrancy is blocked per thread by ft__guard.  Hooks call the
 * real function first and record its result afterwards (exec records before,
 * since a successful exec does not return).
 */
#ifndef FT_PRELOAD_H
#define FT_PRELOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <dirent.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "ft_record.h"

#define FT_EXPORT __attribute__((visibility("default")))
#define FT_HIDDEN __attribute__((visibility("hidden")))

/* ---- symbols glibc 2.36 no longer declares (old stat ABI, fortify) ---- */
int __xstat(int ver, const char *path, struct stat *buf);
int __xstat64(int ver, const char *path, struct stat64 *buf);
int __lxstat(int ver, const char *path, struct stat *buf);
int __lxstat64(int ver, const char *path, struct stat64 *buf);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *buf, int flags);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *buf, int flags);
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);
ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buflen);
ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t len, size_t buflen);
char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen);
int execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags);

/* ---- real functions (real.c) -------------------------------------------
 * X(name, ret): ret says what a missing symbol returns (-1 or NULL, with
 * errno ENOSYS).  The old stat ABI (__xstat, ...) is compat-only in glibc
 * 2.33+ and is implemented over stat/lstat/fstatat, so it is not listed. */
#define FT__RET_INT 0
#define FT__RET_PTR 1
#define FT_REALS(X)                                                        \
	X(open, FT__RET_INT) X(open64, FT__RET_INT) X(openat, FT__RET_INT) X(openat64, FT__RET_INT)    \
	X(__open_2, FT__RET_INT) X(__open64_2, FT__RET_INT) X(__openat_2, FT__RET_INT)          \
	X(__openat64_2, FT__RET_INT) X(creat, FT__RET_INT) X(creat64, FT__RET_INT)              \
	X(fopen, FT__RET_PTR) X(fopen64, FT__RET_PTR) X(freopen, FT__RET_PTR) X(freopen64, FT__RET_PTR) \
	X(opendir, FT__RET_PTR) X(fdopendir, FT__RET_PTR) X(scandir, FT__RET_INT)               \
	X(scandir64, FT__RET_INT) X(scandirat, FT__RET_INT)                              \
	X(stat, FT__RET_INT) X(stat64, FT__RET_INT) X(lstat, FT__RET_INT) X(lstat64, FT__RET_INT)      \
	X(fstatat, FT__RET_INT) X(fstatat64, FT__RET_INT) X(statx, FT__RET_INT)                 \
	X(access, FT__RET_INT) X(faccessat, FT__RET_INT) X(eaccess, FT__RET_INT)                \
	X(euidaccess, FT__RET_INT) X(readlink, FT__RET_INT) X(readlinkat, FT__RET_INT)          \
	X(__readlink_chk, FT__RET_INT) X(__readlinkat_chk, FT__RET_INT)                  \
	X(realpath, FT__RET_PTR) X(__realpath_chk, FT__RET_PTR)                          \
	X(canonicalize_file_name, FT__RET_PTR) X(dlopen, FT__RET_PTR)                    \
	X(execve, FT__RET_INT) X(execvpe, FT__RET_INT) X(execveat, FT__RET_INT) X(fexecve, FT__RET_INT) \
	X(posix_spawn, FT__RET_INT) X(posix_spawnp, FT__RET_INT) X(system, FT__RET_INT)         \
	X(popen, FT__RET_PTR) X(chdir, FT__RET_INT) X(fchdir, FT__RET_INT) X(mkdir, FT__RET_INT)       \
	X(mkdirat, FT__RET_INT) X(rename, FT__RET_INT) X(renameat, FT__RET_INT)                 \
	X(renameat2, FT__RET_INT) X(unlink, FT__RET_INT) X(unlinkat, FT__RET_INT) X(rmdir, FT__RET_INT) \
	X(remove, FT__RET_INT)                                                          \
	X(link, FT__RET_INT) X(linkat, FT__RET_INT) X(symlink, FT__RET_INT) X(symlinkat, FT__RET_INT)  \
	X(truncate, FT__RET_INT) X(truncate64, FT__RET_INT) X(syscall, FT__RET_INT)    \
	X(chmod, FT__RET_INT) X(lchmod, FT__RET_INT) X(fchmodat, FT__RET_INT) X(fchmod, FT__RET_INT) \
	X(chown, FT__RET_INT) X(lchown, FT__RET_INT) X(fchown, FT__RET_INT) X(fchownat, FT__RET_INT) \
	X(utime, FT__RET_INT) X(utimes, FT__RET_INT) X(futimes, FT__RET_INT) X(lutimes, FT__RET_INT) \
	X(futimesat, FT__RET_INT) X(utimensat, FT__RET_INT) X(futimens, FT__RET_INT)     \
	X(_exit, FT__RET_INT) X(_Exit, FT__RET_INT)                                     \
	X(waitpid, FT__RET_INT) X(wait, FT__RET_INT) X(wait3, FT__RET_INT) X(wait4, FT__RET_INT) \
	X(waitid, FT__RET_INT)                                                          \
	X(pthread_create, FT__RET_INT) X(sigaction, FT__RET_INT) X(signal, FT__RET_PTR) X(prctl, FT__RET_INT) \
	X(getenv, FT__RET_PTR) X(secure_getenv, FT__RET_PTR) X(tempnam, FT__RET_PTR)        \
	X(glob, FT__RET_INT) X(glob64, FT__RET_INT) X(nftw, FT__RET_INT) X(nftw64, FT__RET_INT)  \
	X(ftw, FT__RET_INT) X(ftw64, FT__RET_INT) X(fts_read, FT__RET_PTR) X(fts64_read, FT__RET_PTR) \
	X(setuid, FT__RET_INT) X(seteuid, FT__RET_INT) X(setreuid, FT__RET_INT)           \
	X(setresuid, FT__RET_INT) X(setfsuid, FT__RET_INT) X(chroot, FT__RET_INT)             \
	X(tzset, FT__RET_INT) X(localtime, FT__RET_PTR) X(localtime_r, FT__RET_PTR)          \
	X(mktime, FT__RET_INT) X(timelocal, FT__RET_INT) X(ctime, FT__RET_PTR) X(ctime_r, FT__RET_PTR) \
	X(getpwnam, FT__RET_PTR) X(getpwuid, FT__RET_PTR) X(getpwnam_r, FT__RET_INT)        \
	X(getpwuid_r, FT__RET_INT) X(getpwent, FT__RET_PTR) X(getgrnam, FT__RET_PTR)        \
	X(getgrgid, FT__RET_PTR) X(getgrnam_r, FT__RET_INT) X(getgrgid_r, FT__RET_INT)      \
	X(getgrent, FT__RET_PTR) X(getgrouplist, FT__RET_INT) X(getaddrinfo, FT__RET_INT)   \
	X(getnameinfo, FT__RET_INT) X(gethostbyname, FT__RET_PTR) X(gethostbyname2, FT__RET_PTR) \
	X(gethostbyname_r, FT__RET_INT) X(gethostbyname2_r, FT__RET_INT)                    \
	X(gethostbyaddr, FT__RET_PTR) X(gethostbyaddr_r, FT__RET_INT)

enum ft__real_id {
#define FT__REAL_ENUM(name, ver) FT_R_##name,
	FT_REALS(FT__REAL_ENUM)
#undef FT__REAL_ENUM
	FT_R__COUNT
};

extern void *ft__reals[FT_R__COUNT] FT_HIDDEN;
void *ft__real_resolve(enum ft__real_id id) FT_HIDDEN;
void ft__real_resolve_all(void) FT_HIDDEN;

/* The real `name`, typed like our own definition of it.  Never NULL in
 * practice; a hook whose real symbol is missing fails with ENOSYS. */
#define FT_REAL(name) \
	((__typeof__(&name))(__atomic_load_n(&ft__reals[FT_R_##name], __ATOMIC_ACQUIRE) \
	 ? __atomic_load_n(&ft__reals[FT_R_##name], __ATOMIC_ACQUIRE) \
	 : ft__real_resolve(FT_R_##name)))

/* ---- process state (init.c) ------------------------------------------- */
struct ft__proc {
	int active;                    /* FTRACE_RUN_DIR was set at start */
	int initialized;               /* the constructor ran */
	char run_dir[4096];
	size_t run_dir_len;
	char preload[4096];            /* FTRACE__PRELOAD */
	char exe[4096];                /* FTRACE__EXE, or "" */
	char state_dir[4096];          /* FTRACE__STATE_DIR ("" = none) */
	size_t state_dir_len;
	int ptraced;                   /* FTRACE__PTRACED was set at start */
	int rawsys;                    /* code that makes its own system calls
					* runs in this image (ft__rawsys_mark) */
	char rawsys_what[256];         /* what: a library path, "io_uring" */
	int rawsys_lib;                /* a library (or the program) was named */
};
extern struct ft__proc ft__proc FT_HIDDEN;
extern __thread int ft__guard FT_HIDDEN;

void ft__init(void) FT_HIDDEN;

/* Code that makes its own system calls runs in this process image (a Go
 * library, io_uring): no hook sees its file accesses.  Marks the current
 * context untraced (FT_UNTRACED_RAWSYS, naming `what`) and every context
 * that starts later in this image and its fork children (context.c), since
 * that code may run in any of them.  Nothing is marked in a subtree traced
 * by ptrace (FTRACE__PTRACED), which sees raw calls.  libs.c, hook_syscall.c. */
void ft__rawsys_mark(const char *what) FT_HIDDEN;
/* Re-mark after a context switch: the new context is untraced too. */
void ft__rawsys_again(void) FT_HIDDEN;   /* idempotent, allocation-free; hooks may call it */
extern int ft__init_started FT_HIDDEN;

/* 1 when a hook should record now: active and not re-entered.  A hook that
 * runs before our constructor (from the constructor of a library initialized
 * before us) initializes first. */
static inline int ft__on(void)
{
	if (__builtin_expect(!__atomic_load_n(&ft__init_started, __ATOMIC_ACQUIRE), 0) && !ft__guard)
		ft__init();
	return ft__proc.active && !ft__guard;
}

/* ---- transport (region.c) --------------------------------------------- */
/* Append one record; creates the process's region on first use.  Returns 0
 * or -errno.  Async-signal-safe. */
int ft__emit(enum ft_rec_type type, enum ft_op op, int err, uint32_t flags,
	     const char *data, size_t len) FT_HIDDEN;
/* The same, with the record's aux field (ft_record.h). */
int ft__emit_aux(enum ft_rec_type type, enum ft_op op, int err, uint32_t flags, uint32_t aux,
		 const char *data, size_t len) FT_HIDDEN;
void ft__region_forget(void) FT_HIDDEN; /* fork child: make a new one on next record */
int ft__region_exists(void) FT_HIDDEN;  /* a record was written in this image */
/* Make this image's region now if it has none (hook_reach.c): 0, or -errno
 * after region.c reported the failure as for any record. */
int ft__region_ensure(void) FT_HIDDEN;

/* ---- dlopen's search (dlsearch.c) ------------------------------------- */
/* The real dlopen(file, mode), a bare name searched as the object that
 * holds `caller` (a return address) would search it, the directories
 * looked in without it recorded as absences.  Returns what dlopen does. */
void *ft__dlopen_as(const char *file, int mode, const void *caller) FT_HIDDEN;
/* At start: the directories ld.so's search for the executable's DT_NEEDED
 * names went through without finding each, recorded as absences. */
void ft__dlsearch_needed(void) FT_HIDDEN;

/* ---- dedup (dedup.c) -------------------------------------------------- */
/* 1 if (current generation, cls, path) was already written; else marks it
 * and returns 0. */
int ft__dedup_seen(uint32_t cls, const char *path, size_t len) FT_HIDDEN;
void ft__dedup_new_generation(void) FT_HIDDEN;

/* ---- paths (path.c) --------------------------------------------------- */
#define FT__PATHBUF (FT_PATH_MAX + 256)
/* Absolute form of (dirfd, path) in buf.  Returns its length, 0 when the
 * path must not be recorded (empty, /proc, /sys, /dev, the state dir), or
 * -1 when it cannot be named (too long, unknown dirfd). */
long ft__path_abs(int dirfd, const char *path, char *buf, size_t size) FT_HIDDEN;
/* The path of open descriptor fd, same returns. */
long ft__path_fd(int fd, char *buf, size_t size) FT_HIDDEN;
int ft__path_ignored(const char *abs, size_t len) FT_HIDDEN;
char *ft__utoa(char *p, unsigned long v) FT_HIDDEN;  /* decimal digits at p; returns the end */

/* ---- recording (record.c) --------------------------------------------- */
/* Record an access of (dirfd, path) with class bits cls and result err (0 or
 * errno).  Does nothing unless ft__on(); keeps errno. */
void ft__access(int dirfd, const char *path, enum ft_op op, uint32_t cls, int err) FT_HIDDEN;
void ft__access_fd(int fd, enum ft_op op, uint32_t cls, int err) FT_HIDDEN;
/* Is path "" (AT_EMPTY_PATH names the dirfd)?  NULL is not: a hook may not
 * test a nonnull parameter itself (the compiler deletes the test). */
int ft__path_empty(const char *path) FT_HIDDEN;
/* Is path NULL?  For parameters glibc declares nonnull that the kernel
 * accepts as NULL (utimensat names its dirfd then): out of line, so that
 * the test is not deleted. */
int ft__path_null(const char *path) FT_HIDDEN;
/* Emit FT_REC_TIMES: *t, then the name of (dirfd, path), or of fd dirfd
 * when path is NULL.  Never deduplicated.  Does nothing unless ft__on();
 * keeps errno. */
void ft__times(int dirfd, const char *path, const struct ft_times *t) FT_HIDDEN;
/* For a call that changes what a relative path means (chdir("sub") names
 * ./sub before the call, ./sub/sub after it): ft__access_prepare() names
 * `path` now, into buf (FT__PATHBUF bytes, the caller's stack: a signal
 * handler may record between the two halves), returning its length, 0 for
 * an ignored path or when not recording, -1 when it cannot be named;
 * ft__access_done() records that name with the call's result. */
long ft__access_prepare(int dirfd, const char *path, char *buf, size_t size) FT_HIDDEN;
void ft__access_done(const char *buf, long n, const char *path, enum ft_op op, uint32_t cls, int err) FT_HIDDEN;
/* Same for an already absolute path (no filtering by cwd). */
void ft__access_abs(const char *abs, size_t len, enum ft_op op, uint32_t cls, int err) FT_HIDDEN;
void ft__untraced(const char *what, size_t len, enum ft_untraced_why why) FT_HIDDEN;
uint32_t ft__op_class(enum ft_op op) FT_HIDDEN;
uint32_t ft__open_class(int flags) FT_HIDDEN;
uint32_t ft__fopen_class(const char *mode) FT_HIDDEN;

/* ---- context (context.c) ---------------------------------------------- */
/* The current context id; written into every new region's first record. */
size_t ft__context_get(char *buf, size_t size) FT_HIDDEN;
uint32_t ft__context_flags(void) FT_HIDDEN;  /* and that record's flags */
void ft__context_init(void) FT_HIDDEN;   /* from FTRACE_TEST_ID / FTRACE__OWNER */
/* Values children must inherit (for env.c); "" when unset. */
const char *ft__env_test_id(void) FT_HIDDEN;
const char *ft__env_owner(void) FT_HIDDEN;
/* Switch as ftrace_test_begin/_end/ftrace_context (type TEST_BEGIN,
 * TEST_END, CONTEXT) for the id id[0..len), without touching environ:
 * async-signal-safe, callable from a hook.  arg: the outcome for TEST_END,
 * the record's flags (enum ft_context_flags) for CONTEXT.  aux: TEST_END's
 * runner duration, ms + 1 (0: none; ft_record.h).  An id that is too long
 * is ignored. */
void ft__context_control(enum ft_rec_type type, const char *id, size_t len, int arg,
			 uint32_t aux) FT_HIDDEN;
/* The control path's startup-end (context.c). */
void ft__context_startup_end(void) FT_HIDDEN;
void ft__context_collect(int on) FT_HIDDEN;  /* .ctl/collect, .ctl/collect-end */
void ft__context_import(int on) FT_HIDDEN;   /* .ctl/import, .ctl/import-end */

/* ---- control path (control.c) ----------------------------------------- */
/* 1 if abs[0..len) is under <run dir>/.ctl/ (then it was consumed: acted on
 * if well formed, never recorded), else 0. */
int ft__control_path(const char *abs, size_t len) FT_HIDDEN;

/* ---- child environments (env.c) --------------------------------------- */
struct ft__envfix {
	char **envp;      /* the environment to pass (original or rebuilt) */
	void *map;        /* mmap'd block to release, or NULL */
	size_t map_len;
};
/* envp with ftrace's variables re-injected where missing.  Never fails: on
 * error the original envp is passed.  Release with ft__env_release(). */
void ft__env_fix(char *const envp[], struct ft__envfix *fix) FT_HIDDEN;
void ft__env_release(struct ft__envfix *fix) FT_HIDDEN;
/* envp without the preload in LD_PRELOAD (the user's own preloads stay; an
 * LD_PRELOAD left empty is dropped), for a program whose ld.so cannot load
 * it (FT__EXEC_FOREIGN): musl's refuses to start the program, glibc's
 * 32-bit one prints an error.  ftrace's other variables stay, for the
 * programs it runs in turn.  Never fails (the original envp on error). */
void ft__env_strip(char *const envp[], struct ft__envfix *fix) FT_HIDDEN;
/* Make environ itself carry ftrace's variables (system, popen). */
void ft__env_fix_environ(void) FT_HIDDEN;

/* ---- exec targets (exec_target.c) -------------------------------------- */
/* Record the exec of abs (op EXEC or SPAWN), plus FT_REC_UNTRACED if the
 * program cannot be traced.  Does nothing unless ft__on(). */
enum { FT__EXEC_VIA = 1, FT__EXEC_FOREIGN = 2 };
/* Returns FT__EXEC_FOREIGN when the program's ld.so cannot load the preload
 * (a 32-bit or musl program, recorded untraced): exec it with
 * ft__env_strip()'s envp.  Else 0. */
int ft__exec_target(const char *abs, enum ft_op op, char *const *envp) FT_HIDDEN;
/* ft__exec_path and ft__exec_search return FT__EXEC_VIA, with the program's absolute
 * path in via[FT__PATHBUF], when it is static or Go and can be run under
 * ptrace instead (ft__exec_via); then no FT_REC_UNTRACED was written.  A
 * NULL via never reroutes.  FT__EXEC_FOREIGN as ft__exec_target. */
/* Resolve `file` along PATH as execvp does, recording each probed
 * candidate that does not exist (FT_OP_EXEC_SEARCH); the chosen program is
 * then recorded by ft__exec_target(op).  No-op when file contains '/'
 * (then the target is recorded directly). */
int ft__exec_search(const char *file, enum ft_op op, char *const *envp, char *via) FT_HIDDEN;
int ft__exec_path(const char *path, enum ft_op op, char *const *envp, char *via) FT_HIDDEN; /* relative to cwd */
/* The helper's argv for program `via`: [exe, __ptrace-exec, via, --, argv...],
 * in out[] of at least (argc + 5) slots.  Async-signal-safe. */
void ft__exec_via_argv(const char *via, char *const argv[], char **out) FT_HIDDEN;
/* Write FT_REC_UNTRACED for `via` (the helper could not be started). */
void ft__exec_via_failed(const char *via) FT_HIDDEN;
size_t ft__argv_count(char *const argv[]) FT_HIDDEN;
/* (envp: the environment the new program gets, before ft__env_fix; NULL =
 * environ.  It says which test an untraceable program belongs to.) */

/* ---- raw system calls (rawtrap.c) ------------------------------------- */
/* Arm the trap for the process's first thread (the constructor, after
 * ft__libs_record: a process already marked untraced is not armed). */
void ft__rawtrap_init(void) FT_HIDDEN;
/* Arm it for the calling thread: a new thread, a fork child.  If that
 * fails, the trap is switched off and the process marked untraced. */
void ft__rawtrap_thread(void) FT_HIDDEN;
int ft__rawtrap_armed(void) FT_HIDDEN;
/* Switch the trap off for the whole process and mark it untraced (naming
 * `why`): its raw calls are unseen from now on.  No-op when not armed. */
void ft__rawtrap_off(const char *why) FT_HIDDEN;
/* sigaction(SIGSYS, act, old) once the trap's handler is installed: 1,
 * answered here (act is kept aside, for every SIGSYS that is not the
 * trap's; old is what the program set before), else 0: pass it through. */
struct sigaction;
int ft__rawtrap_sigaction(const struct sigaction *act, struct sigaction *old) FT_HIDDEN;
/* Record a decoded call of the one syscall table made with arguments a[]
 * and result r (errno set as the call left it): hook_syscall.c. */
struct ft_sc;
void ft__sc_record(const struct ft_sc *sc, const long *a, long r) FT_HIDDEN;

/* ---- libraries (libs.c) ----------------------------------------------- */
/* every object loaded right now, and exe[0..len), the executable's path
 * ft__proc_record found (len 0: none) */
void ft__libs_record(const char *exe, size_t len) FT_HIDDEN;

/* ---- environment reads (hook_env.c) ------------------------------------- */
/* Record that the program read variable `name` (FT_REC_ENV), once per
 * context; ftrace's own and malformed names are not.  Keeps errno. */
void ft__env_read(const char *name) FT_HIDDEN;
/* The same for `len` bytes of `name`, "=" (the whole environment)
 * included, by a caller that holds the guard (the control path). */
void ft__env_note(const char *name, size_t len) FT_HIDDEN;
/* Open (1) or close (0) a copy window: no ENV record while open. */
void ft__env_mute(int on) FT_HIDDEN;
/* The real getenv: the preload's own lookups, which record nothing. */
const char *ft__getenv(const char *name) FT_HIDDEN;
/* FT_REC_PROC for the image the constructor was started for: its
 * executable (into exe[FT__PATHBUF] too, length returned), argv[0..argc)
 * as /proc/self/cmdline has it, the cwd */
size_t ft__proc_record(int argc, char **argv, char *exe) FT_HIDDEN;

#endif
