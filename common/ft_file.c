/*
 * ft_file.c - see ft_file.h.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_file.h"

char *ft_file_read(const char *path, int extra_oflags, size_t *len, mode_t *mode)
{
	struct stat sb;
	size_t off = 0;
	ssize_t n;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC | extra_oflags);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || !(buf = malloc((size_t)sb.st_size + 1))) {
		close(fd);
		return NULL;
	}
	while (off < (size_t)sb.st_size && (n = read(fd, buf + off, (size_t)sb.st_size - off)) > 0)
		off += (size_t)n;
	close(fd);
	buf[off] = '\0';
	*len = off;
	if (mode)
		*mode = sb.st_mode;
	return buf;
}
