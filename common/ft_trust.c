/*
 * ft_trust.c - see ft_trust.h.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_trust.h"

/* Is `real` (resolved) an entry of $FTRACE_SAFE_DIRS or below one? */
static int allowed(const char *path)
{
	const char *env = getenv(FT_ENV_SAFE_DIRS);
	char real[PATH_MAX], entry[PATH_MAX], rentry[PATH_MAX];

	if (!env || !*env)
		return 0;
	if (!realpath(path, real))
		return 0;
	while (*env) {
		const char *end = strchr(env, ':');
		size_t n = end ? (size_t)(end - env) : strlen(env), l;

		if (n == 1 && env[0] == '*')
			return 1;
		if (n && n < sizeof(entry)) {
			memcpy(entry, env, n);
			entry[n] = '\0';
			if (entry[0] == '/' && realpath(entry, rentry)) {
				l = strlen(rentry);
				if (!strncmp(real, rentry, l) &&
				    (real[l] == '\0' || real[l] == '/' || !strcmp(rentry, "/")))
					return 1;
			}
		}
		env += n + (end != NULL);
	}
	return 0;
}

/* The user's private group: the effective gid, with no listed members. */
static int private_group(gid_t gid)
{
	struct group g, *res = NULL;
	char buf[16384];

	if (gid != getegid())
		return 0;
	if (getgrgid_r(gid, &g, buf, sizeof(buf), &res) != 0 || !res)
		return 0;
	return !res->gr_mem || !res->gr_mem[0];
}

/* Why `sb` is not to be trusted, or NULL. */
static const char *flaw(const struct stat *sb, char *buf, size_t cap)
{
	uid_t me = geteuid();

	if (sb->st_uid != me && sb->st_uid != 0) {
		snprintf(buf, cap, "owned by uid %u, not by you (uid %u)", (unsigned)sb->st_uid,
			 (unsigned)me);
		return buf;
	}
	if (S_ISLNK(sb->st_mode))
		return NULL;
	if (sb->st_mode & S_IWOTH) {
		snprintf(buf, cap, "writable by every user (mode %04o)", (unsigned)(sb->st_mode & 07777));
		return buf;
	}
	if ((sb->st_mode & S_IWGRP) && !private_group(sb->st_gid)) {
		snprintf(buf, cap, "writable by group %u (mode %04o)", (unsigned)sb->st_gid,
			 (unsigned)(sb->st_mode & 07777));
		return buf;
	}
	return NULL;
}

int ft_trust_check(const char *path, const char *what, struct ft_err *e)
{
	struct stat lsb, sb;
	char detail[128];
	const char *bad;

	ft_err_set(e, 0, NULL);
	if (lstat(path, &lsb) < 0)
		return ft_err_set(e, errno == ENOENT ? 0 : -errno, NULL);
	bad = flaw(&lsb, detail, sizeof(detail));
	if (!bad && S_ISLNK(lsb.st_mode)) {
		if (stat(path, &sb) < 0)
			return ft_err_set(e, errno == ENOENT ? 0 : -errno, NULL);
		bad = flaw(&sb, detail, sizeof(detail));
	}
	if (!bad || allowed(path))
		return 0;
	return ft_err_set(e, FT_EUNSAFE,
			  "%s: the %s is %s: ftrace takes no input another user can write; "
			  "if you trust it, add it or a directory above it to %s (colon-separated paths)",
			  path, what, bad, FT_ENV_SAFE_DIRS);
}
