/*
 * ptrace_path.c - see ptrace_path.h.
 *
 * Why the cwd is read on every relative call rather than tracked from
 * chdir stops: fchdir on an fd inherited across exec, or a cwd changed by a
 * thread, would leave a tracked copy stale and name the wrong file for
 * every relative open that follows (the same reason preload/path.c calls
 * getcwd each time).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>

#include "ft_path.h"
#include "ft_procpath.h"
#include "ft_pseudo.h"
#include "ft_record.h"
#include "ptrace_path.h"

long ft_ptrace_path_read(pid_t pid, uint64_t addr, char *buf, size_t size)
{
	size_t got = 0;

	if (!addr || size < 2)
		return -1;
	/* Read up to the end of each page: a string that ends just before an
	 * unmapped page must not fail because we asked for more. */
	while (got < size - 1) {
		uint64_t at = addr + got;
		size_t want = 4096 - (size_t)(at & 4095);
		struct iovec local, remote;
		ssize_t n;
		char *nul;

		if (want > size - 1 - got)
			want = size - 1 - got;
		local.iov_base = buf + got;
		local.iov_len = want;
		remote.iov_base = (void *)(uintptr_t)at;
		remote.iov_len = want;
		n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			return -1;
		nul = memchr(buf + got, '\0', (size_t)n);
		if (nul)
			return (long)(nul - buf);
		got += (size_t)n;
	}
	return -1;
}

int ft_ptrace_path_ignored(const char *abs, size_t len, const struct ft_ptrace_ignore *ign)
{
	if (ft_path_dropped(abs, len))
		return 1;
	return ign && ((ign->state_dir && *ign->state_dir && ft_path_under(abs, len, ign->state_dir)) ||
		       (ign->run_dir && *ign->run_dir && ft_path_under(abs, len, ign->run_dir)));
}

long ft_ptrace_path_join(const char *base, const char *rel, char *out, size_t size)
{
	size_t blen = strlen(base), len;

	if (base[0] != '/' || blen >= size)
		return -1;
	memmove(out, base, blen + 1);
	while (rel[0] == '.' && rel[1] == '/') {
		rel += 2;
		while (rel[0] == '/')
			rel++;
	}
	len = strlen(rel);
	if (len && strcmp(rel, ".")) {
		if (blen > 1)
			out[blen++] = '/';
		if (blen + len >= size)
			return -1;
		memcpy(out + blen, rel, len);
		blen += len;
	}
	out[blen] = '\0';
	return blen >= FT_PATH_MAX ? -1 : (long)blen;
}

/* readlink of /proc/PID/<what>: an absolute path, or -1 (not a path). */
static long proc_link(pid_t pid, const char *what, int fd, char *buf, size_t size)
{
	char link[64];
	ssize_t n;

	if (fd >= 0)
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pid, fd);
	else
		snprintf(link, sizeof(link), "/proc/%d/%s", (int)pid, what);
	n = readlink(link, buf, size - 1);
	if (n <= 0 || (size_t)n >= size - 1 || buf[0] != '/')
		return -1;
	buf[n] = '\0';
	return (long)n;
}

/*
 * /proc/self/cwd/f, /proc/<pid>/root/f, /proc/self/fd/N/f, /dev/fd/N/f:
 * names only the tracee can resolve ("self" is the tracee, not us).  As
 * /proc paths they would be dropped, though they read f (issue 24); the
 * preload rewrites them the same way (preload/path.c; both splice the
 * target in with common/ft_procpath.h).  The magic link
 * alone is left as it is: a readlink or lstat of it looks at the link.  Rewrite out (len
 * bytes) to the link's target plus the rest; returns the new length, or
 * len when there is nothing to rewrite.
 */
static size_t proc_relative(pid_t pid, char *out, size_t len, size_t size)
{
	char link[96], tgt[FT_PATH_MAX];
	const char *p, *what;
	size_t pl;
	ssize_t n;
	int wl, digits = 0;

	if (!strncmp(out, "/dev/fd/", 8)) {
		what = out + 5;        /* "fd/N": /dev/fd is /proc/self/fd */
		p = out + 8;
	} else if (!strncmp(out, "/proc/", 6)) {
		p = out + 6;
		if (!strncmp(p, "self/", 5) || !strncmp(p, "thread-self/", 12)) {
			p = strchr(p, '/') + 1;
		} else if (*p >= '0' && *p <= '9') {
			pid = (pid_t)atoi(p);
			while (*p >= '0' && *p <= '9')
				p++;
			if (*p++ != '/')
				return len;
		} else {
			return len;
		}
		what = p;
		if (!strncmp(p, "cwd/", 4))
			p += 3;
		else if (!strncmp(p, "root/", 5))
			p += 4;
		else if (!strncmp(p, "fd/", 3))
			p += 3;
		else
			return len;
	} else {
		return len;
	}
	if (p[-1] == '/') {      /* fd/: a descriptor number */
		while (*p >= '0' && *p <= '9') {
			p++;
			digits++;
		}
		if (!digits || *p != '/')
			return len;
	}
	pl = (size_t)(p - out);
	wl = snprintf(link, sizeof(link), "/proc/%d/%.*s", (int)pid, (int)(p - what), what);
	if (wl < 0 || (size_t)wl >= sizeof(link))
		return len;
	n = readlink(link, tgt, sizeof(tgt) - 1);
	return ft__proc_splice(out, len, size, pl, tgt, (long)n, sizeof(tgt));
}

long ft_ptrace_path_resolve(pid_t pid, int dirfd, const char *path,
			    const struct ft_ptrace_ignore *ign, char *out, size_t size)
{
	char base[FT_PATH_MAX];
	long n;

	if (!path[0])
		return 0;
	if (path[0] == '/') {
		n = (long)strlen(path);
		if ((size_t)n >= size || (size_t)n >= FT_PATH_MAX)
			return -1;
		memmove(out, path, (size_t)n + 1);
	} else {
		if (proc_link(pid, "cwd", dirfd == AT_FDCWD || dirfd < 0 ? -1 : dirfd, base,
			      sizeof(base)) < 0)
			return -1;
		n = ft_ptrace_path_join(base, path, out, size);
		if (n < 0)
			return -1;
	}
	n = (long)proc_relative(pid, out, (size_t)n, size);
	return ft_ptrace_path_ignored(out, (size_t)n, ign) ? 0 : n;
}

long ft_ptrace_path_fd(pid_t pid, int fd, const struct ft_ptrace_ignore *ign, char *out,
		       size_t size)
{
	long n;

	if (fd < 0)
		return -1;
	n = proc_link(pid, NULL, fd, out, size);
	if (n < 0 || (size_t)n >= FT_PATH_MAX)
		return -1;
	return ft_ptrace_path_ignored(out, (size_t)n, ign) ? 0 : n;
}
