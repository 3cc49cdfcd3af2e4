/*
 * env.c - a child inherits the interposer even when its parent scrubbed
 * the environment.
 *
 * `env -i prog`, a build tool that passes a curated envp, or a program that
 * unsetenv("LD_PRELOAD") before exec would otherwise start an untraced
 * subtree, and every file it touched would be missing from the test's
 * dependencies.  Before every exec/spawn the envp is checked; if one of
 * ftrace's variables is missing (or LD_PRELOAD does not list our library),
 * a copy with them re-injected is built in an mmap'd block (no malloc: a
 * vfork child or a program's signal handler may be the caller).  Values come
 * from the copies taken at start (init.c) and the current context
 * (context.c), never from the possibly scrubbed environ.
 *
 * A variable the envp already has is kept as is: a runner that sets
 * FTRACE_TEST_ID for a child means to start that test.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ft_preload.h"

extern char **environ;

enum ft_env_var { FT_EV_PRELOAD_LIB, FT_EV_RUN_DIR, FT_EV_PRELOAD, FT_EV_STATE_DIR,
		  FT_EV_TEST_ID, FT_EV_OWNER, FT_EV_URING, FT_EV_EXE, FT_EV__COUNT };

static const char *const ft_env_names[FT_EV__COUNT] = {
	[FT_EV_PRELOAD_LIB] = "LD_PRELOAD",
	[FT_EV_RUN_DIR] = FT_ENV_RUN_DIR,
	[FT_EV_PRELOAD] = FT_ENV_PRELOAD,
	[FT_EV_STATE_DIR] = FT_ENV_STATE_DIR,
	[FT_EV_TEST_ID] = FT_ENV_TEST_ID,
	[FT_EV_OWNER] = FT_ENV_OWNER,
	[FT_EV_URING] = "UV_USE_IO_URING",
	[FT_EV_EXE] = FT_ENV_EXE,
};

/* The value a child must see for var, or NULL if we have none. */
static const char *ft_env_want(enum ft_env_var v)
{
	const char *s = NULL;

	switch (v) {
	case FT_EV_PRELOAD_LIB:
	case FT_EV_PRELOAD:   s = ft__proc.preload; break;
	case FT_EV_RUN_DIR:   s = ft__proc.run_dir; break;
	case FT_EV_STATE_DIR: s = ft__proc.state_dir; break;
	case FT_EV_TEST_ID:   s = ft__env_test_id(); break;
	case FT_EV_OWNER:     s = ft__env_owner(); break;
	case FT_EV_URING:     s = "0"; break;
	case FT_EV_EXE:       s = ft__proc.exe; break;
	default: break;
	}
	return s && s[0] ? s : NULL;
}

/* "NAME=" prefix match: the value, or NULL. */
static const char *ft_env_value(const char *entry, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(entry, name, n) && entry[n] == '=' ? entry + n + 1 : NULL;
}

/* Does a LD_PRELOAD value (':' or ' ' separated) list lib? */
static int ft_preload_lists(const char *val, const char *lib)
{
	size_t n = strlen(lib);

	for (const char *p = val; *p;) {
		size_t len = strcspn(p, ": ");
		if (len == n && !memcmp(p, lib, n))
			return 1;
		p += len;
		if (*p)
			p++;
	}
	return 0;
}

/* For each variable: the index of its envp entry, or -1.  Returns the
 * number of entries.  `ok[v]` says whether that entry is acceptable. */
static size_t ft_env_scan(char *const envp[], long idx[FT_EV__COUNT], int ok[FT_EV__COUNT])
{
	size_t n = 0;

	for (int v = 0; v < FT_EV__COUNT; v++) {
		idx[v] = -1;
		ok[v] = 0;
	}
	for (; envp && envp[n]; n++) {
		for (int v = 0; v < FT_EV__COUNT; v++) {
			const char *val = ft_env_value(envp[n], ft_env_names[v]);
			if (!val || idx[v] >= 0)
				continue;
			idx[v] = (long)n;
			if (v == FT_EV_PRELOAD_LIB)
				ok[v] = !ft_env_want(v) || ft_preload_lists(val, ft__proc.preload);
			else if (v == FT_EV_URING)
				ok[v] = !strcmp(val, "0");
			else
				ok[v] = 1;
		}
	}
	for (int v = 0; v < FT_EV__COUNT; v++)
		if (idx[v] < 0 && !ft_env_want(v))
			ok[v] = 1; /* missing, but we have nothing to add */
	return n;
}

/* Append "NAME=" val1 [sep val2] at *p; returns the string. */
static char *ft_env_put(char **p, const char *name, const char *val1, const char *sep,
			const char *val2)
{
	char *s = *p, *q = s;
	size_t n;

	n = strlen(name); memcpy(q, name, n); q += n; *q++ = '=';
	n = strlen(val1); memcpy(q, val1, n); q += n;
	if (val2 && val2[0]) {
		n = strlen(sep); memcpy(q, sep, n); q += n;
		n = strlen(val2); memcpy(q, val2, n); q += n;
	}
	*q++ = '\0';
	*p = q;
	return s;
}

void ft__env_fix(char *const envp[], struct ft__envfix *fix)
{
	long idx[FT_EV__COUNT];
	int ok[FT_EV__COUNT], all_ok = 1;
	size_t n, bytes, out = 0;
	char **vec, *str;

	fix->envp = (char **)envp;
	fix->map = NULL;
	fix->map_len = 0;
	if (!ft__proc.active)
		return;
	n = ft_env_scan(envp, idx, ok);
	for (int v = 0; v < FT_EV__COUNT; v++)
		all_ok &= ok[v];
	if (all_ok)
		return;

	bytes = (n + FT_EV__COUNT + 1) * sizeof(char *);
	for (int v = 0; v < FT_EV__COUNT; v++) {
		if (ok[v])
			continue;
		bytes += strlen(ft_env_names[v]) + 3 + strlen(ft_env_want(v));
		if (idx[v] >= 0)
			bytes += strlen(envp[idx[v]]);
	}
	vec = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vec == MAP_FAILED)
		return; /* keep the program's behaviour; this child goes untraced */
	str = (char *)(vec + n + FT_EV__COUNT + 1);

	for (size_t i = 0; i < n; i++) {
		int replaced = 0;
		for (int v = 0; v < FT_EV__COUNT; v++)
			if (!ok[v] && idx[v] == (long)i)
				replaced = 1;
		if (!replaced)
			vec[out++] = envp[i];
	}
	for (int v = 0; v < FT_EV__COUNT; v++) {
		if (ok[v])
			continue;
		if (v == FT_EV_PRELOAD_LIB && idx[v] >= 0)
			/* keep the program's own preloads first: they interpose
			 * before us, as they would without ftrace */
			vec[out++] = ft_env_put(&str, ft_env_names[v],
						ft_env_value(envp[idx[v]], ft_env_names[v]), ":",
						ft_env_want(v));
		else
			vec[out++] = ft_env_put(&str, ft_env_names[v], ft_env_want(v), "", NULL);
	}
	vec[out] = NULL;
	fix->envp = vec;
	fix->map = vec;
	fix->map_len = bytes;
}

void ft__env_strip(char *const envp[], struct ft__envfix *fix)
{
	const size_t name_len = strlen("LD_PRELOAD=");
	const char *lib = ft__proc.preload;
	size_t n = 0, bytes, out = 0, libn = strlen(lib);
	long at = -1;
	char **vec, *q;
	const char *val;

	fix->envp = (char **)envp;
	fix->map = NULL;
	fix->map_len = 0;
	for (; envp && envp[n]; n++)
		if (at < 0 && ft_env_value(envp[n], "LD_PRELOAD"))
			at = (long)n;
	if (at < 0 || !libn || !ft_preload_lists(ft_env_value(envp[at], "LD_PRELOAD"), lib))
		return;
	val = ft_env_value(envp[at], "LD_PRELOAD");
	bytes = (n + 1) * sizeof(char *) + name_len + strlen(val) + 1;
	vec = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vec == MAP_FAILED)
		return;
	q = (char *)(vec + n + 1);
	memcpy(q, "LD_PRELOAD=", name_len);
	{
		char *w = q + name_len;

		/* every other word of the list, ':'-separated */
		for (const char *p = val; *p;) {
			size_t len = strcspn(p, ": ");
			if (len && !(len == libn && !memcmp(p, lib, libn))) {
				if (w != q + name_len)
					*w++ = ':';
				memcpy(w, p, len);
				w += len;
			}
			p += len;
			if (*p)
				p++;
		}
		*w = '\0';
	}
	for (size_t i = 0; i < n; i++)
		if ((long)i != at)
			vec[out++] = envp[i];
		else if (q[name_len])
			vec[out++] = q;
	vec[out] = NULL;
	fix->envp = vec;
	fix->map = vec;
	fix->map_len = bytes;
}

void ft__env_release(struct ft__envfix *fix)
{
	if (fix->map)
		munmap(fix->map, fix->map_len);
	fix->map = NULL;
}

void ft__env_fix_environ(void)
{
	struct ft__envfix fix;

	ft__env_fix(environ, &fix);
	if (!fix.map)
		return;
	/* setenv copies; system()/popen() run from normal code */
	for (char **e = fix.envp; *e; e++)
		for (int v = 0; v < FT_EV__COUNT; v++) {
			const char *val = ft_env_value(*e, ft_env_names[v]);
			const char *cur = ft__getenv(ft_env_names[v]);
			if (val && (!cur || strcmp(cur, val)))
				setenv(ft_env_names[v], val, 1);
		}
	ft__env_release(&fix);
}
