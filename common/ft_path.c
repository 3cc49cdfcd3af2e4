/*
 * ft_path.c - see ft_path.h.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_path.h"

int ft_path_under(const char *p, size_t len, const char *dir)
{
	size_t n;

	if (!dir || !*dir)
		return 0;
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 1 && dir[0] == '/')
		return len > 0 && p[0] == '/';
	return len >= n && !memcmp(p, dir, n) && (len == n || p[n] == '/');
}

int ft_path_is_proc_relative(const char *p, size_t len)
{
	static const char *const dev[] = { "/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr" };

	if (ft_path_under(p, len, "/proc"))
		return 1;
	for (size_t i = 0; i < sizeof(dev) / sizeof(dev[0]); i++)
		if (ft_path_under(p, len, dev[i]))
			return 1;
	return 0;
}

/* Drop the last component of out (olen bytes, "/" stays "/"). */
static size_t pop(const char *out, size_t olen)
{
	while (olen > 1 && out[olen - 1] != '/')
		olen--;
	return olen > 1 ? olen - 1 : 1;
}

/*
 * Walk `rest` component by component, as path_lookupat() would: "." stays,
 * ".." goes up from where the walk really is (after a symlink, not the
 * text's parent), a symlink's target is spliced in front of what remains.
 * lstat and readlink only: nothing is opened, so a FIFO or a device along
 * the way cannot block us.
 */
long ft_path_real(const char *p, size_t len, char *out, size_t size)
{
	char rest[2 * PATH_MAX], tmp[2 * PATH_MAX], tgt[PATH_MAX];
	size_t olen = 1, r = 0;
	int hops = 0, lexical = 0;

	if (!len || p[0] != '/' || size < 2)
		return -EINVAL;
	if (len >= sizeof(rest))
		return -ENAMETOOLONG;
	memcpy(rest, p, len);
	rest[len] = '\0';
	out[0] = '/';
	out[1] = '\0';
	while (rest[r]) {
		size_t cl, save;
		struct stat sb;
		ssize_t n;
		char *e;

		while (rest[r] == '/')
			r++;
		if (!rest[r])
			break;
		e = strchrnul(rest + r, '/');
		cl = (size_t)(e - (rest + r));
		if (cl == 1 && rest[r] == '.') {
			r += cl;
			continue;
		}
		if (cl == 2 && rest[r] == '.' && rest[r + 1] == '.') {
			olen = pop(out, olen);
			out[olen] = '\0';
			r += cl;
			continue;
		}
		save = olen;
		if (olen > 1)
			out[olen++] = '/';
		if (olen + cl >= size)
			return -ENAMETOOLONG;
		memcpy(out + olen, rest + r, cl);
		olen += cl;
		out[olen] = '\0';
		r += cl;
		if (lexical)
			continue;
		if (lstat(out, &sb) < 0) {
			lexical = 1;  /* missing: the rest is folded by its text */
			continue;
		}
		if (!S_ISLNK(sb.st_mode))
			continue;
		n = ++hops > 40 ? -1 : readlink(out, tgt, sizeof(tgt) - 1);
		if (n <= 0) {
			lexical = 1;  /* a loop, or unreadable: keep the link's own name */
			continue;
		}
		tgt[n] = '\0';
		if ((size_t)n + 1 + strlen(rest + r) + 1 > sizeof(tmp))
			return -ENAMETOOLONG;
		memcpy(tmp, tgt, (size_t)n);
		tmp[n] = '/';
		strcpy(tmp + n + 1, rest + r);
		strcpy(rest, tmp);
		r = 0;
		/* an absolute target starts again at the root; a relative one
		 * from the link's directory */
		olen = tgt[0] == '/' ? 1 : save;
		out[olen] = '\0';
	}
	return (long)olen;
}
