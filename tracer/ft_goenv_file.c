/*
 * ft_goenv_file.c - see ft_goenv_file.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_goenv_file.h"

#define FT_GOENV_MAX (64 * 1024)

int ft_goenv_file_path(const char *goenv, const char *xdg_config_home, const char *home,
		       char *buf, size_t n)
{
	int len;

	if (goenv && *goenv) {
		if (!strcmp(goenv, "off"))
			return -ENOENT;
		len = snprintf(buf, n, "%s", goenv);
	} else if (xdg_config_home && xdg_config_home[0] == '/') {
		len = snprintf(buf, n, "%s/go/env", xdg_config_home);
	} else if (home && home[0] == '/') {
		len = snprintf(buf, n, "%s/.config/go/env", home);
	} else {
		return -ENOENT;
	}
	return len < 0 || (size_t)len >= n ? -ENAMETOOLONG : 0;
}

int ft_goenv_root_path(const char *goroot, const char *path, char *buf, size_t n)
{
	char cand[PATH_MAX], real[PATH_MAX];
	const char *p = path, *e;
	struct stat sb;
	size_t len;
	int w;

	if (goroot && goroot[0] == '/') {
		w = snprintf(buf, n, "%s/go.env", goroot);
		return w < 0 || (size_t)w >= n ? -ENAMETOOLONG : 0;
	}
	for (; p && *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, ':');
		len = (size_t)(e - p);
		/* (an empty or relative entry names the working directory:
		 * not an installation this can judge) */
		if (!len || p[0] != '/' || len + sizeof("/go") > sizeof(cand))
			continue;
		memcpy(cand, p, len);
		memcpy(cand + len, "/go", sizeof("/go"));
		if (stat(cand, &sb) < 0 || !S_ISREG(sb.st_mode) || access(cand, X_OK) < 0)
			continue;
		if (!realpath(cand, real))
			return -ENOENT;
		len = strlen(real);
		if (len < sizeof("/bin/go") || strcmp(real + len - (sizeof("/bin/go") - 1), "/bin/go"))
			return -ENOENT;
		w = snprintf(buf, n, "%.*s/go.env", (int)(len - (sizeof("/bin/go") - 1)), real);
		return w < 0 || (size_t)w >= n ? -ENAMETOOLONG : 0;
	}
	return -ENOENT;
}

int ft_goenv_file_value(const char *path, const char *key, char *out, size_t n)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	size_t klen = strlen(key), got = 0;
	struct stat sb;
	char *data;
	ssize_t r;
	int found = 0;

	if (fd < 0)
		return 0;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || !(data = malloc(FT_GOENV_MAX + 1))) {
		close(fd);
		return 0;
	}
	while (got < FT_GOENV_MAX && (r = read(fd, data + got, FT_GOENV_MAX - got)) > 0)
		got += (size_t)r;
	close(fd);
	data[got] = '\0';
	for (char *line = data, *end; line < data + got; line = end + 1) {
		size_t vlen;

		end = memchr(line, '\n', (size_t)(data + got - line));
		if (!end)
			end = data + got;
		if ((size_t)(end - line) <= klen || memcmp(line, key, klen) != 0 || line[klen] != '=')
			continue;
		vlen = (size_t)(end - line) - klen - 1;
		if (vlen >= n) {
			found = -ENAMETOOLONG;
			continue;
		}
		memcpy(out, line + klen + 1, vlen);
		out[vlen] = '\0';
		found = 1;
	}
	free(data);
	return found;
}
