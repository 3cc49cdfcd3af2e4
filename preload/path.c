/*
 * path.c - the absolute path a process named, without resolving it.
 *
 * A relative path is joined with the current directory as the kernel would
 * see it at that moment: getcwd() on every relative lookup, not a copy kept
 * since the last chdir().  Why: libc changes directory internally without
 * passing through our chdir/fchdir hooks (nftw with FTW_CHDIR, fts without
 * FTS_NOCHDIR), and a stale copy would name the wrong file for every
 * relative open that follows, a dependency silently lost.  getcwd() with a
 * caller buffer is one system call and allocates nothing.
 *
 * A dirfd is named through /proc/self/fd/N.  "." and ".." inside a path are
 * kept (following ".." lexically is wrong behind a symlink); only a leading
 * "./" is squashed, and "." alone is the directory itself.
 *
 * A name that only this process can resolve, /proc/self/cwd/f,
 * /proc/<pid>/root/f, /proc/self/fd/N/f, /dev/fd/N/f, is rewritten to where
 * its link leads now (ft_path_proc): once the process is gone it means
 * nothing, and as a /proc path it would be dropped, though it read f.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "ft_preload.h"
#include "ft_procpath.h"
#include "ft_pseudo.h"

char *ft__utoa(char *p, unsigned long v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static int ft_path_under(const char *abs, size_t len, const char *dir, size_t dlen)
{
	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	if (!dlen || len < dlen || memcmp(abs, dir, dlen))
		return 0;
	return len == dlen || abs[dlen] == '/' || (dlen == 1 && dir[0] == '/');
}

int ft__path_ignored(const char *abs, size_t len)
{
	return ft_path_dropped(abs, len) ||
	       (ft__proc.state_dir_len &&
		ft_path_under(abs, len, ft__proc.state_dir, ft__proc.state_dir_len)) ||
	       ft_path_under(abs, len, ft__proc.run_dir, ft__proc.run_dir_len);
}

static int ft_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/* The end of the process-relative prefix of buf: "/proc/(self|thread-self|
 * <pid>)/(cwd|root|fd/<n>)" or "/dev/fd/<n>", followed by '/'; NULL if buf
 * does not start so.  The magic link alone is not rewritten: readlink or
 * lstat of it looks at the link, not at its target (ftrace's own tracer
 * readlinks /proc/<pid>/fd/N to name a tracee's descriptor). */
static const char *ft_proc_prefix(const char *buf)
{
	const char *p;

	if (!memcmp(buf, "/dev/fd/", 8)) {
		p = buf + 8;
		goto fd;
	}
	if (memcmp(buf, "/proc/", 6))
		return NULL;
	p = buf + 6;
	if (!memcmp(p, "self/", 5))
		p += 5;
	else if (!memcmp(p, "thread-self/", 12))
		p += 12;
	else if (ft_isdigit(*p)) {
		while (ft_isdigit(*p))
			p++;
		if (*p++ != '/')
			return NULL;
	} else
		return NULL;
	if (!memcmp(p, "cwd/", 4))
		return p + 3;
	if (!memcmp(p, "root/", 5))
		return p + 4;
	if (memcmp(p, "fd/", 3))
		return NULL;
	p += 3;
fd:
	if (!ft_isdigit(*p))
		return NULL;
	while (ft_isdigit(*p))
		p++;
	return *p == '/' ? p : NULL;
}

/* Rewrite a process-relative name in buf (len bytes, NUL-terminated, size
 * bytes of room) to its link's target followed by the rest; returns the new
 * length, or len when there is nothing to rewrite or the link is no path (a
 * pipe, a socket). */
static size_t ft_path_proc(char *buf, size_t len, size_t size)
{
	char link[64], tgt[FT_PATH_MAX];
	const char *end = len > 7 ? ft_proc_prefix(buf) : NULL;
	size_t pl;
	ssize_t n;

	if (!end || (pl = (size_t)(end - buf)) >= sizeof(link) - 8)
		return len;
	if (buf[1] == 'd') { /* /dev/fd/N is /proc/self/fd/N */
		memcpy(link, "/proc/self", 10);
		memcpy(link + 10, buf + 4, pl - 4);
		link[pl + 6] = '\0';
	} else {
		memcpy(link, buf, pl);
		link[pl] = '\0';
	}
	n = FT_REAL(readlink)(link, tgt, sizeof(tgt) - 1);
	return ft__proc_splice(buf, len, size, pl, tgt, (long)n, sizeof(tgt));
}

/* The target of /proc/self/fd/<fd> in buf (NUL-terminated); its length, or
 * -1 if it is not a path (a socket, a pipe) or too long. */
static long ft_fd_target(int fd, char *buf, size_t size)
{
	char link[32] = "/proc/self/fd/", *p;
	ssize_t n;

	if (fd < 0)
		return -1;
	p = ft__utoa(link + 14, (unsigned long)fd);
	*p = '\0';
	n = FT_REAL(readlink)(link, buf, size - 1);
	if (n <= 0 || (size_t)n >= size - 1 || buf[0] != '/')
		return -1;
	buf[n] = '\0';
	return n;
}

long ft__path_fd(int fd, char *buf, size_t size)
{
	long n = ft_fd_target(fd, buf, size);

	if (n < 0 || (size_t)n >= FT_PATH_MAX)
		return -1;
	return ft__path_ignored(buf, (size_t)n) ? 0 : n;
}

long ft__path_abs(int dirfd, const char *path, char *buf, size_t size)
{
	size_t len, base;

	if (!path || !path[0])
		return 0;
	len = strlen(path);
	if (path[0] == '/') {
		if (len >= FT_PATH_MAX || len >= size)
			return -1;
		memcpy(buf, path, len + 1);
		len = ft_path_proc(buf, len, size);
		return ft__path_ignored(buf, len) ? 0 : (long)len;
	}
	if (dirfd == AT_FDCWD) {
		if (!getcwd(buf, size) || buf[0] != '/')
			return -1;
		base = strlen(buf);
	} else {
		long n = ft_fd_target(dirfd, buf, size);
		if (n < 0)
			return -1;
		base = (size_t)n;
	}
	while (path[0] == '.' && path[1] == '/') {
		path += 2;
		len -= 2;
		while (path[0] == '/') {
			path++;
			len--;
		}
	}
	if (!strcmp(path, ".") || !len) {
		len = 0;
	} else {
		if (base > 1)
			buf[base++] = '/';
		else if (base == 0)
			return -1;
		if (base + len >= size)
			return -1;
		memcpy(buf + base, path, len);
	}
	base += len;
	buf[base] = '\0';
	if (base >= FT_PATH_MAX)
		return -1;
	return ft__path_ignored(buf, base) ? 0 : (long)base;
}
