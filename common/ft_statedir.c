/* ft_statedir.c - locate the state directory (see ft_statedir.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_statedir.h"

static int put(char *out, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(out, cap, "%s%s%s", dir, name ? (dir[1] ? "/" : "") : "", name ? name : "");

	return n < 0 || (size_t)n >= cap ? FT_ETOOLONG : 0;
}

static int has(const char *dir, const char *name)
{
	char p[PATH_MAX];
	struct stat sb;

	if (put(p, sizeof(p), dir, name) < 0)
		return 0;
	return lstat(p, &sb) == 0;
}

int ft_statedir_find(char *out, size_t cap)
{
	const char *env = getenv(FT_ENV_DIR);
	char cwd[PATH_MAX], dir[PATH_MAX];

	if (env && env[0]) {
		if (env[0] == '/')
			return put(out, cap, env, NULL);
		if (!getcwd(cwd, sizeof(cwd)))
			return -errno;
		return put(out, cap, cwd, env);
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	memcpy(dir, cwd, sizeof(dir));
	for (;;) {
		char *slash;

		if (has(dir, ".git") || has(dir, FT_STATEDIR_NAME))
			return put(out, cap, dir, FT_STATEDIR_NAME);
		if (!strcmp(dir, "/"))
			break;
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	return put(out, cap, cwd, FT_STATEDIR_NAME);
}
