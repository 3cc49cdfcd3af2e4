/*
 * init.c - activation at load, and what a fork child must redo.
 *
 * FTRACE_RUN_DIR unset (or unusable) means every hook is a pure
 * pass-through: the library then costs one branch per call.  Everything
 * the hooks need later is captured here, once, into static buffers: a
 * program that scrubs its environment (unsetenv("LD_PRELOAD"), env -i)
 * must still be traced, and its children re-injected (env.c).
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "ft_preload.h"

struct ft__proc ft__proc;
int ft__init_started;

static void ft_atfork_child(void)
{
	/* The child must not keep appending to its parent's region: its pid,
	 * its exit and its later context switches are its own. */
	ft__region_forget();
	/* the kernel does not pass the trap on to a child */
	ft__rawtrap_thread();
}

/* Copy env var `name` into buf; its length, or 0 if unset/empty/too long. */
static size_t ft_env_copy(const char *name, char *buf, size_t size)
{
	const char *v = ft__getenv(name);
	size_t n = v ? strlen(v) : 0;

	if (!n || n >= size) {
		buf[0] = '\0';
		return 0;
	}
	memcpy(buf, v, n + 1);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return n;
}

/* A relative directory (FTRACE_RUN_DIR=out) is taken from the cwd at start,
 * so that a later chdir() does not move it.  Cleared if that fails. */
static void ft_make_absolute(char *dir, size_t size, size_t *len)
{
	char cwd[4096];
	size_t n;

	if (!getcwd(cwd, sizeof(cwd)) || (n = strlen(cwd)) + 1 + *len >= size) {
		dir[0] = '\0';
		*len = 0;
		return;
	}
	memmove(dir + n + 1, dir, *len + 1);
	memcpy(dir, cwd, n);
	dir[n] = '/';
	*len += n + 1;
}

/* Without FTRACE__PRELOAD (someone set only LD_PRELOAD), our own path is
 * still needed to re-inject LD_PRELOAD into scrubbed environments. */
static void ft_self_path(char *buf, size_t size)
{
	Dl_info info;
	size_t n;

	if (!dladdr((void *)ft_self_path, &info) || !info.dli_fname || info.dli_fname[0] != '/' ||
	    (n = strlen(info.dli_fname)) >= size)
		return;
	memcpy(buf, info.dli_fname, n + 1);
}

/* What a hook needs to record: the real functions and the captured
 * variables.  Allocates nothing, takes no lock, changes nothing the program
 * can see, so it is safe from a hook that runs before our constructor, even
 * one called from inside a malloc implementation's own initialization
 * (jemalloc opens /proc files there). */
void ft__init(void)
{
	if (__atomic_exchange_n(&ft__init_started, 1, __ATOMIC_ACQ_REL))
		return;
	ft__real_resolve_all();
	ft__proc.run_dir_len = ft_env_copy(FT_ENV_RUN_DIR, ft__proc.run_dir, sizeof(ft__proc.run_dir));
	ft__proc.state_dir_len = ft_env_copy(FT_ENV_STATE_DIR, ft__proc.state_dir,
					     sizeof(ft__proc.state_dir));
	if (ft_env_copy(FT_ENV_EXE, ft__proc.exe, sizeof(ft__proc.exe)) && ft__proc.exe[0] != '/')
		ft__proc.exe[0] = '\0'; /* only an absolute path is safe to exec */
	/* a subtree ptrace follows: its tracer decodes raw calls itself */
	ft__proc.ptraced = ft__getenv(FT_ENV_PTRACED) != NULL;
	if (!ft_env_copy(FT_ENV_PRELOAD, ft__proc.preload, sizeof(ft__proc.preload)))
		ft_self_path(ft__proc.preload, sizeof(ft__proc.preload));
	if (ft__proc.run_dir_len && ft__proc.run_dir[0] != '/')
		ft_make_absolute(ft__proc.run_dir, sizeof(ft__proc.run_dir), &ft__proc.run_dir_len);
	if (ft__proc.state_dir_len && ft__proc.state_dir[0] != '/')
		ft_make_absolute(ft__proc.state_dir, sizeof(ft__proc.state_dir), &ft__proc.state_dir_len);
	ft__proc.initialized = 1;
	if (ft__proc.run_dir_len)
		__atomic_store_n(&ft__proc.active, 1, __ATOMIC_RELEASE);
}

/*
 * Is this process ftrace's own trampoline, `ftrace __ptrace-exec PROG --
 * ARGV` that the exec hook ran for a static program (hook_exec.c), by
 * ftrace's own path?  Its image and libraries are not the test's: the
 * program it traces is recorded (the exec hook's FT_OP_EXEC of PROG, and
 * the ptrace back end), and recording ftrace's binary made every test of
 * a session that ran one static program (Python's ctypes.util.find_library
 * runs /sbin/ldconfig) depend on ftrace's own build: a new ftrace, or one
 * at another path (an imported recording), selected all of them.  A test
 * that runs ftrace itself (`ftrace run ...`) is not this process, and its
 * exec is recorded by its parent's hook.
 */
static int ft_own_trampoline(int argc, char **argv)
{
	const char *execfn = (const char *)getauxval(AT_EXECFN);

	return argc > 1 && argv && argv[1] && !strcmp(argv[1], FT_PTEXEC_CMD) && execfn &&
	       ft__proc.exe[0] && !strcmp(execfn, ft__proc.exe);
}

/* The rest runs from the constructor only, in normal code: it may allocate
 * (setenv, pthread_atfork, on_exit).  glibc passes a shared object's
 * constructors the program's argc, argv and environment. */
__attribute__((constructor(101))) static void ft_constructor(int argc, char **argv, char **envp)
{
	static char exe[FT__PATHBUF]; /* the constructor runs once, in one thread */
	size_t exe_len;
	int saved = errno;

	(void)envp;

	ft__init();
	if (ft__proc.active) {
		pthread_atfork(NULL, NULL, ft_atfork_child);
		/* libuv submits file operations through io_uring, which no hook sees. */
		setenv("UV_USE_IO_URING", "0", 1);
		/* The context first: the region's first record (FT_REC_CONTEXT)
		 * must name the inherited test. */
		ft__context_init();    /* may start a test (TEST_BEGIN) */
		exe_len = ft__proc_record(argc, argv, exe); /* FT_REC_PROC: a new image */
		if (!ft_own_trampoline(argc, argv))
			ft__libs_record(exe, exe_len); /* exe, interpreter, ld.so.cache, loaded objects */
		ft__rawtrap_init();    /* after: a Go program is marked, not trapped */
	}
	errno = saved;
}
