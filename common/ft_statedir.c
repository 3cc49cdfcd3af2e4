/* ft_statedir.c - locate the state directory (see ft_statedir.h). */
#include <errno.h>
#include <fcntl.h>
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

static int has_git(const char *dir)
{
	char p[PATH_MAX + 8];
	struct stat sb;

	if ((size_t)snprintf(p, sizeof(p), "%s/.git", strcmp(dir, "/") ? dir : "") >= sizeof(p))
		return 0;
	return lstat(p, &sb) == 0;
}

int ft_statedir_top(const char *state_dir, char *out, size_t cap)
{
	const char *slash = strrchr(state_dir, '/');
	char dir[PATH_MAX], real[PATH_MAX];

	if (slash && slash != state_dir && !strcmp(slash + 1, FT_STATEDIR_NAME) &&
	    (size_t)(slash - state_dir) < sizeof(dir)) {
		memcpy(dir, state_dir, (size_t)(slash - state_dir));
		dir[slash - state_dir] = '\0';
	} else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof(cwd)))
			return -errno;
		memcpy(dir, cwd, sizeof(dir));
		for (;;) {
			char *s;
			if (has_git(dir))
				break;
			if (!strcmp(dir, "/") || !(s = strrchr(dir, '/'))) {
				memcpy(dir, cwd, sizeof(dir));
				break;
			}
			if (s == dir)
				s[1] = '\0';
			else
				*s = '\0';
		}
	}
	if (!realpath(dir, real))
		return -errno;
	if ((size_t)snprintf(out, cap, "%s", real) >= cap)
		return FT_ETOOLONG;
	return 0;
}

int ft_statedir_in_repo(void)
{
	char dir[PATH_MAX], p[PATH_MAX + 16];
	struct stat sb;

	if (!getcwd(dir, sizeof(dir)))
		return 0;
	for (;;) {
		char *s;
		const char *d = strcmp(dir, "/") ? dir : "";
		snprintf(p, sizeof(p), "%s/.git", d);
		if (lstat(p, &sb) == 0)
			return 1;
		snprintf(p, sizeof(p), "%s/%s", d, FT_STATEDIR_NAME);
		if (lstat(p, &sb) == 0)
			return 1;
		if (!*d || !(s = strrchr(dir, '/')))
			return 0;
		if (s == dir)
			s[1] = '\0';
		else
			*s = '\0';
	}
}

static int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return FT_ETOOLONG;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* The state dir holds machine-local data: keep it out of commits. */
static void write_gitignore(const char *state_dir)
{
	char path[PATH_MAX];
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/.gitignore", state_dir) >= sizeof(path))
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, "*\n", 2) < 0)
		(void)0;
	close(fd);
}

int ft_statedir_make(const char *state_dir)
{
	int rc = mkdir_p(state_dir, 0700);

	if (rc == 0)
		write_gitignore(state_dir);
	return rc;
}

int ft_statedir_notdir(const char *dir, struct ft_err *e)
{
	struct stat sb;
	const char *env = getenv(FT_ENV_DIR);

	if (stat(dir, &sb) < 0 || S_ISDIR(sb.st_mode))
		return 0;
	if (env && *env)
		ft_err_set(e, -ENOTDIR, "FTRACE_DIR=%s is not a directory: ftrace keeps its state "
			   "(the database and run records) in a directory; point FTRACE_DIR at a "
			   "directory (ftrace creates it if missing), or unset it", env);
	else
		ft_err_set(e, -ENOTDIR, "%s is not a directory: ftrace keeps its state (the database "
			   "and run records) in a directory of that name; move that file elsewhere, "
			   "or set FTRACE_DIR to a directory", dir);
	return 1;
}
