/*
 * hook_env.c - environment variables a program reads: getenv and
 * secure_getenv (C, C++, Rust's std::env::var, Node's process.env.NAME
 * through libuv, CPython's start-up, every library that looks up a
 * setting).  Each read of a name writes FT_REC_ENV once per context
 * (dedup.c); ingest makes it a dependency on the name's value in the root
 * environment (common/ft_envdep.h).  The value itself is not recorded.
 *
 * Not seen here: reads inside libc (the locale, TZ, PATH: ingest adds
 * those to every test, ft_envdep_implicit; but tempnam's TMPDIR, which
 * only its callers read, is noted by its hook below), and programs that walk
 * `environ` themselves (a shell expanding $NAME, make, awk, perl, Go, the
 * JVM), which ingest judges from their text or their runtime
 * (ingest/ft_scriptenv.h), and /proc/self/environ, recorded as a path:
 * docs/usage.md, "Environment variables".
 *
 * The real call comes first, so the hook returns exactly what it returns;
 * the record keeps errno.
 *
 * A window (control paths .ctl/env-copy and .ctl/env-copy-end) mutes the
 * records of the thread that opened it: the jest adapter opens one around
 * jest's copy of the whole environment into a test file's sandbox, whose
 * reads it reports itself, name by name (adapters/jest/ftrace_jest.js,
 * docs/jest.md); the pytest adapter around pytest's start-up reading its
 * terminal's configuration (adapters/pytest/ftrace_pyenv.py, mute()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_preload.h"

#define FT_ENV_NAME_MAX 4096u
#define FT_OWN_PREFIX "FTRACE_"
#define FT_DEDUP_ENV 0x80000000u  /* dedup class: a name, not a path */

/* Inside a window (.ctl/env-copy): reads are not written.  One flag per
 * thread: a window is one synchronous call of the thread that opened it
 * (jest's copy, pytest's import of readline), and a read another thread
 * makes meanwhile is that thread's own, recorded as any other.  A fork
 * child inherits the flag with the thread; exec starts it clear. */
static __thread int ft_env_muted __attribute__((tls_model("initial-exec")));

void ft__env_mute(int on)
{
	ft_env_muted = on;
}

void ft__env_note(const char *name, size_t len)
{
	if (ft_env_muted)
		return;
	if (!len || len > FT_ENV_NAME_MAX || (memchr(name, '=', len) && !(len == 1 && name[0] == '=')) ||
	    (len >= sizeof(FT_OWN_PREFIX) - 1 && !memcmp(name, FT_OWN_PREFIX, sizeof(FT_OWN_PREFIX) - 1)))
		return;
	if (!ft__dedup_seen(FT_DEDUP_ENV, name, len))
		ft__emit(FT_REC_ENV, FT_OP__NONE, 0, 0, name, len);
}

void ft__env_read(const char *name)
{
	int saved = errno;

	if (!name || !ft__on())
		return;
	ft__guard = 1;
	ft__env_note(name, strnlen(name, FT_ENV_NAME_MAX + 1));
	ft__guard = 0;
	errno = saved;
}

const char *ft__getenv(const char *name)
{
	return FT_REAL(getenv)(name);
}

FT_EXPORT char *getenv(const char *name)
{
	char *v = FT_REAL(getenv)(name);

	ft__env_read(name);
	return v;
}

FT_EXPORT char *secure_getenv(const char *name)
{
	char *v = FT_REAL(secure_getenv)(name);

	ft__env_read(name);
	return v;
}

/* tempnam(3) reads TMPDIR inside libc (glibc's __path_search), where the
 * getenv hook never sees it: the directory it names its file in, and so
 * whether the caller can create it, is the variable's. */
FT_EXPORT char *tempnam(const char *dir, const char *pfx)
{
	char *v = FT_REAL(tempnam)(dir, pfx);

	ft__env_read("TMPDIR");
	return v;
}
