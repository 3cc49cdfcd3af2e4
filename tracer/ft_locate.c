/*
 * ft_locate.c - see ft_locate.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_locate.h"

#ifndef FT_REL_LIBDIR
#define FT_REL_LIBDIR "lib"
#endif
#ifndef FT_REL_DATADIR
#define FT_REL_DATADIR "share"
#endif

static int exe_dir(char *out, size_t cap)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	if ((size_t)snprintf(out, cap, "%s", buf) >= cap)
		return FT_ETOOLONG;
	return 0;
}

/* First candidate (relative to the binary's dir) that exists, made absolute
 * and canonical. */
static int first_existing(char *out, size_t cap, const char *env, int want_dir,
			  const char *const *rel, size_t nrel)
{
	char dir[PATH_MAX], cand[PATH_MAX * 2];
	const char *e = getenv(env);
	struct stat sb;
	int rc;

	if (e && *e) {
		if (stat(e, &sb) < 0 || (want_dir && !S_ISDIR(sb.st_mode)))
			return -ENOENT;
		if (!realpath(e, cand) || (size_t)snprintf(out, cap, "%s", cand) >= cap)
			return -ENOENT;
		return 0;
	}
	rc = exe_dir(dir, sizeof(dir));
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < nrel; i++) {
		char real[PATH_MAX];
		snprintf(cand, sizeof(cand), "%s/%s", dir, rel[i]);
		if (stat(cand, &sb) < 0 || (want_dir ? !S_ISDIR(sb.st_mode) : !S_ISREG(sb.st_mode)))
			continue;
		if (!realpath(cand, real))
			continue;
		if ((size_t)snprintf(out, cap, "%s", real) >= cap)
			return FT_ETOOLONG;
		return 0;
	}
	return -ENOENT;
}

int ft_locate_preload(char *out, size_t cap)
{
	static const char *const rel[] = {
		"libftrace_preload.so",
		"../" FT_REL_LIBDIR "/ftrace/libftrace_preload.so",
		"../lib/ftrace/libftrace_preload.so",
	};
	int rc = first_existing(out, cap, "FTRACE_PRELOAD_LIB", 0, rel, sizeof(rel) / sizeof(rel[0]));
	return rc == -ENOENT ? FT_ENOPRELOAD : rc;
}

int ft_locate_adapters(char *out, size_t cap)
{
	static const char *const rel[] = {
		"adapters",
		"../" FT_REL_DATADIR "/ftrace/adapters",
		"../share/ftrace/adapters",
	};
	return first_existing(out, cap, "FTRACE_ADAPTERS_DIR", 1, rel, sizeof(rel) / sizeof(rel[0]));
}

int ft_locate_goexec(char *out, size_t cap)
{
	static const char *const rel[] = {
		"ftrace-goexec",
		"../" FT_REL_LIBDIR "/ftrace/ftrace-goexec",
		"../lib/ftrace/ftrace-goexec",
	};
	return first_existing(out, cap, "FTRACE_GOEXEC", 0, rel, sizeof(rel) / sizeof(rel[0]));
}
